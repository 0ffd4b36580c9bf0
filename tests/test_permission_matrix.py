"""Who may see and do what: every URL × every role × own/other department (issue 5).

``MATRIX`` declares, for every named URL of the project (the admin site aside, see the end of this file and
tests/budgetoffice/test_admin_access.py; Django's own login and logout aside), how to build it, which method it
answers and what each role gets, for a budget of its own department and one of another:

* ``OK``: the page, the download, or the write done (and the write is checked to have happened);
* ``HIDDEN``: 404, exactly like a budget that does not exist (a budget the user may not see is never a 403);
* ``FORBIDDEN``: 403, for what the user may see but not do;
* ``LOGIN``: sent to the login page.

Every request that is not ``OK``, and every GET, must leave the database (and the pending import files) exactly
as it was (``fingerprint``). Each write is set up so that it *would* succeed for someone allowed (the budget in the
state the step needs, a workbook that differs, a real token), so a refusal cannot pass for a missing precondition;
an allowed write is checked to have done what it should, to its own budget or user only.

``test_every_url_is_in_the_matrix`` fails when a URL is added without a line here.

Speed: the demo is loaded for every test (function-scoped, rolled back), so a test covers one URL × one role; in
it the URL's cases run for the role's own department and then the other one (``test_post[budget_control-acc202]``
checks 202 → allowed, then 318 → 404); a failure names the case and the department.
"""

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse

from accounts.models import Role, User
from audit.verdict import budget_violations
from budgets.models import (
    Budget,
    BudgetEvent,
    BudgetLine,
    BudgetSnapshot,
    ControlFigures,
    FixedAsset,
    Notification,
    ProcurementItem,
    ReviewAnswer,
    ReviewComment,
    ReviewFigure,
    SnapshotKind,
    SubmissionDeadline,
    UnitPart,
    WarningExplanation,
)
from budgets.selectors import budget_data, budget_lines, reporting_units
from catalog.models import EconomicCode
from departments.models import Department, Unit
from disclosure import publication
from disclosure.models import ExplanationRemark, PreviousYearFigures, PublicationJob, PublishedDocument
from domain.audit.model import Severity
from domain.control import control_actuals
from domain.snapshot import snapshot_to_json
from domain.unit_parts import PART_STEPS, PartState
from domain.workflow import TRANSITIONS, BudgetRound, BudgetState
from exports.models import ExportJob, ExportState
from performance.models import DepartmentGoals, Indicator, LibraryIndicator, SubGoal, TargetTable
from tests.support.hebei_2021 import OFFICIAL_TABLES
from tests.support.new_year import NEW_YEAR, load_2022_catalogue
from tests.support.posting import stored_goals_post, stored_target_post
from tests.support.workbooks import exported

pytestmark = pytest.mark.django_db

YEAR = 2021
NO_BUDGET = "999"  # the third department: it has an accountant, but no budget
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COMMENT = "权限矩阵测试意见"

OK, HIDDEN, FORBIDDEN, LOGIN = "ok", "hidden", "forbidden", "login"

# The roles, and the department each one's "own" and "other" budget URLs name. The inactive user is a deactivated
# administrator (staff, superuser): the most powerful account, so deactivation has to take everything away.
# unit202 is a 单位填报人 of 202's 信息中心: his "own" budget is 202's, where he reaches only that unit's part.
ROLES = ("anonymous", "inactive", "acc202", "acc_nobudget", "unit202", "reviewer", "admin")
SCOPES = ("own", "other")
DEPARTMENTS = {"acc202": {"own": "202", "other": "318"}, "acc_nobudget": {"own": NO_BUDGET, "other": "202"}}
UNIT_NAME = "中共石家庄市鹿泉区委信息中心"
DEFAULT_DEPARTMENTS = {"own": "202", "other": "318"}
# The budgets each role may read (for the listings: what must show and what must not).
SEES = {"acc202": {"202"}, "acc_nobudget": set(), "reviewer": {"202", "318"}, "admin": {"202", "318"}, "unit202": set()}


def per_role(**outcomes: str) -> dict[str, str]:
    """For a URL without a department: the outcome of each signed-in role; signed-out ones go to the login."""
    return {"anonymous": LOGIN, "inactive": LOGIN, **outcomes}


def per_scope(**outcomes: tuple[str, str]) -> dict[str, tuple[str, str]]:
    """For a budget URL: (own department, other department) for each signed-in role."""
    return {"anonymous": (LOGIN, LOGIN), "inactive": (LOGIN, LOGIN), **outcomes}


# The unit accountant: 403 on every page of his department's budget but his unit's, 404 on another department's.
UNIT_OUT = (FORBIDDEN, HIDDEN)
EVERY_USER = per_role(acc202=OK, acc_nobudget=OK, unit202=OK, reviewer=OK, admin=OK)
BUREAU = per_role(acc202=FORBIDDEN, acc_nobudget=FORBIDDEN, unit202=FORBIDDEN, reviewer=OK, admin=OK)
READ_BUDGET = per_scope(
    acc202=(OK, HIDDEN), acc_nobudget=(HIDDEN, HIDDEN), unit202=UNIT_OUT, reviewer=(OK, OK), admin=(OK, OK)
)
# Figures (import, warning explanations): the department's accountant and the administrator, never a reviewer.
EDIT_FIGURES = per_scope(
    acc202=(OK, HIDDEN),
    acc_nobudget=(HIDDEN, HIDDEN),
    unit202=UNIT_OUT,
    reviewer=(FORBIDDEN, FORBIDDEN),
    admin=(OK, OK),
)
# 提交, 撤回, 预算调整: the department's accountant only (the administrator manages data, he takes no steps).
DEPARTMENT_STEP = per_scope(
    acc202=(OK, HIDDEN),
    acc_nobudget=(HIDDEN, HIDDEN),
    unit202=UNIT_OUT,
    reviewer=(FORBIDDEN, FORBIDDEN),
    admin=(FORBIDDEN, FORBIDDEN),
)
# 开始审核, 退回, 下达控制数, 批复, and setting control figures: the finance reviewer only.
REVIEWER_STEP = per_scope(
    acc202=(FORBIDDEN, HIDDEN),
    acc_nobudget=(HIDDEN, HIDDEN),
    unit202=UNIT_OUT,
    reviewer=(OK, OK),
    admin=(FORBIDDEN, FORBIDDEN),
)
# A unit's page: whoever reads the budget, and the unit's own accountant (another unit's page is 403 to him).
READ_UNIT = {**READ_BUDGET, "unit202": (OK, HIDDEN)}
UNIT_TARGETS = {**EDIT_FIGURES, "unit202": (OK, HIDDEN)}
# A unit's figures and its 报送部门: its own accountant only.
UNIT_ENTRY = per_scope(
    acc202=(FORBIDDEN, HIDDEN),
    acc_nobudget=(HIDDEN, HIDDEN),
    unit202=(OK, HIDDEN),
    reviewer=(FORBIDDEN, FORBIDDEN),
    admin=(FORBIDDEN, FORBIDDEN),
)
ANOTHER_UNIT_ENTRY = {**UNIT_ENTRY, "unit202": UNIT_OUT}
# The public pages of the published disclosure: everybody, signed in or not.
PUBLIC = dict.fromkeys(ROLES, OK)
# A department's indicator library (no budget needed): its own accountants and the administrator.
# 新建预算: an accountant for his own department (the form offers no other), the administrator for any.
NEW_BUDGET = per_role(acc202=OK, acc_nobudget=OK, unit202=FORBIDDEN, reviewer=FORBIDDEN, admin=OK)
# Writing in a comment thread: the reviewer, and the department's own accountant (never the administrator).
REPLY = per_scope(
    acc202=(OK, HIDDEN),
    acc_nobudget=(HIDDEN, HIDDEN),
    unit202=UNIT_OUT,
    reviewer=(OK, OK),
    admin=(FORBIDDEN, FORBIDDEN),
)
KEEP_LIBRARY = per_scope(
    acc202=(OK, HIDDEN), acc_nobudget=(OK, HIDDEN), unit202=UNIT_OUT, reviewer=(FORBIDDEN, FORBIDDEN), admin=(OK, OK)
)


# --- The world every case runs in ------------------------------------------------------------------------------


@dataclass
class World:
    budgets: dict[str, Budget]
    users: dict[str, User]
    job: ExportJob
    notes: dict[str, str]  # username -> the text of the notification seeded for that user


@pytest.fixture
def world(demo, settings, tmp_path, monkeypatch) -> World:
    """The demo budgets 202 and 318, each with an approved version 1 and a return in version 2; the users of
    every role; an unread notification for each user that has a budget to be told about; a finished export."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EXPORT_RUNNER = "inline"
    # Publishing renders a PDF (seconds with WeasyPrint; tests/disclosure renders the real one): a stand-in here.
    monkeypatch.setattr(publication, "render_pdf", lambda html: b"%PDF-1.7 stand-in")
    admin, reviewer = User.objects.get(username="admin"), User.objects.get(username="reviewer")
    no_budget = Department.objects.create(code=NO_BUDGET, name="无预算部门")
    users = {
        "acc202": User.objects.get(username="acc202"),
        "acc318": User.objects.get(username="acc318"),
        "acc_nobudget": User.objects.create_user("acc_nobudget", role=Role.ACCOUNTANT, department=no_budget),
        "unit202": User.objects.create_user(
            "unit202",
            role=Role.UNIT_ACCOUNTANT,
            department=Department.objects.get(code="202"),
            unit=Unit.objects.get(department__code="202", name=UNIT_NAME),
        ),
        "reviewer": reviewer,
        "admin": admin,
        "inactive": User.objects.create_user(
            "inactive", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True, is_active=False
        ),
    }
    # 318 gets a placeholder in its duties: a T01 warning, so that both budgets have a warning to explain.
    Budget.objects.filter(department__code="318").update(duties="部门职责：待填写")
    for budget in demo.values():
        Budget.objects.filter(pk=budget.pk).update(version=2)
        budget.refresh_from_db()
        snapshot = snapshot_to_json(budget_data(budget))
        for action, kind, version in (("approve", SnapshotKind.APPROVED, 1), ("return", SnapshotKind.RETURNED, 2)):
            event = BudgetEvent.objects.create(budget=budget, actor=reviewer, action=action, comment=COMMENT)
            BudgetSnapshot.objects.create(budget=budget, kind=kind, version=version, event=event, data=snapshot)
    budgets = {code: Budget.objects.get(pk=budget.pk) for code, budget in demo.items()}
    notes = {}
    for username, code in (("acc202", "202"), ("acc318", "318"), ("reviewer", "202"), ("admin", "318")):
        notes[username] = f"给{username}的通知（{code}）"
        Notification.objects.create(user=users[username], budget=budgets[code], message=notes[username])
    notes["inactive"] = "给inactive的通知"
    Notification.objects.create(user=users["inactive"], budget=budgets["202"], message=notes["inactive"])
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("202.xlsx", b"not really a workbook")
    job = ExportJob.objects.create(
        year_id=YEAR,
        requested_by=reviewer,  # by the reviewer: the administrator downloads it too (jobs are the bureau's)
        state=ExportState.DONE,
        total=2,
        done=2,
        file=default_storage.save("exports/2021-test.zip", ContentFile(archive.getvalue())),
    )
    return World(budgets=budgets, users=users, job=job, notes=notes)


def client_for(world: World, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        # force_login also for the inactive user: a session made before the account was deactivated.
        client.force_login(world.users[role])
    return client


def pending_imports() -> int:
    folder = Path(default_storage.location) / "imports"
    return len(list(folder.iterdir())) if folder.exists() else 0


def fingerprint() -> dict[str, object]:
    """Everything a write path of the site can change."""
    return {
        "budgets": {
            pk: rest
            for pk, *rest in Budget.objects.values_list("pk", "state", "round", "version", "revision", "duties")
        },
        "lines": list(BudgetLine.objects.order_by("pk").values_list("pk", "budget_id", "amount")),
        "events": BudgetEvent.objects.count(),
        "snapshots": BudgetSnapshot.objects.count(),
        "control": {
            budget_id: rest
            for budget_id, *rest in ControlFigures.objects.values_list(
                "budget_id", "total", "basic", "project", "three_public"
            )
        },
        "explanations": sorted(WarningExplanation.objects.values_list("budget_id", "rule", "place", "text")),
        "notifications": list(Notification.objects.order_by("pk").values_list("pk", "user_id", "read_at")),
        "export_jobs": ExportJob.objects.count(),
        "deadlines": sorted(SubmissionDeadline.objects.values_list("year_id", "round", "due")),
        "reviews": sorted(
            ReviewFigure.objects.values_list("pk", "budget_id", "reviewed", "reason", "answer", "answer_text")
        ),
        "comments": sorted(ReviewComment.objects.values_list("pk", "budget_id", "parent_id", "text", "resolved_at")),
        "parts": sorted(UnitPart.objects.values_list("budget_id", "unit_id", "state")),
        "pending_imports": pending_imports(),
        "performance": [
            sorted(DepartmentGoals.objects.values_list("budget_id", "overall", "measures")),
            sorted(SubGoal.objects.values_list("budget_id", "position", "title", "goal", "indicators")),
            sorted(TargetTable.objects.values_list("project_id", "goal")),
            sorted(Indicator.objects.values_list("table__project_id", "position", "name", "number", "unit", "word")),
        ],
        "library": sorted(LibraryIndicator.objects.values_list("pk", "department_id", "name", "description", "unit")),
        "published": sorted(PublishedDocument.objects.values_list("budget_id", "version", "html_sha256")),
        "explanation_inputs": [
            sorted(PreviousYearFigures.objects.values_list("budget_id", "total", "basic", "project", "abroad")),
            sorted(ExplanationRemark.objects.values_list("budget_id", "key", "text")),
        ],
    }


def changed(before: dict, after: dict) -> set[str]:
    return {key for key in before if before[key] != after[key]}


@dataclass
class Ctx:
    """One request of the matrix: who makes it, against which department, with which expectation."""

    world: World
    role: str
    scope: str | None
    client: Client
    code: str | None  # the department in the URL (None when the URL names none)
    expected: str

    @property
    def budget(self) -> Budget | None:
        return self.world.budgets.get(self.code) if self.code else None

    @property
    def user(self) -> User | None:
        return self.world.users.get(self.role)


# --- Arguments, set-ups and effects of the cases ---------------------------------------------------------------


def budget_args(ctx: Ctx) -> list:
    return [YEAR, ctx.code]


def version_args(ctx: Ctx) -> list:
    return [YEAR, ctx.code, 1]


def table_args(ctx: Ctx) -> list:
    return [YEAR, ctx.code, OFFICIAL_TABLES[0].key]


def job_args(ctx: Ctx) -> list:
    return [ctx.world.job.pk]


def transition_args(action: str) -> Callable[[Ctx], list]:
    return lambda ctx: [YEAR, ctx.code, action]


def listing_shows(ctx: Ctx) -> tuple[list[str], list[str]]:
    """The home page links the budgets the role may read, and no other (a unit's accountant: his unit's part)."""
    links = {code: reverse("budget_detail", args=[YEAR, code]) for code in ("202", "318")}
    if ctx.role == "unit202":
        unit_page = reverse("budget_unit_part", args=[YEAR, "202", ctx.user.unit_id])
        return [unit_page], [f'href="{link}"' for link in links.values()]
    seen = SEES[ctx.role]
    return [links[c] for c in sorted(seen)], [links[c] for c in sorted(set(links) - seen)]


def inbox_shows(ctx: Ctx) -> tuple[list[str], list[str]]:
    """The inbox shows the user's own notifications, and nobody else's."""
    own = [text for username, text in ctx.world.notes.items() if username == ctx.role]
    return own, [text for username, text in ctx.world.notes.items() if username != ctx.role]


def explain_all_warnings(budget: Budget, author: User) -> None:
    for violation in budget_violations(budget):
        if violation.severity is Severity.WARNING:
            WarningExplanation.objects.update_or_create(
                budget=budget,
                rule=violation.rule,
                place=violation.place,
                defaults={"text": "已核实。", "author": author},
            )


# The state (and round) each step starts from: the budget is put there first, so that the step would succeed for
# someone allowed, and a refusal is the permission's doing.
STEP_FROM = {
    "submit": (BudgetState.DRAFT, None),
    "withdraw": (BudgetState.SUBMITTED, None),
    "start_review": (BudgetState.SUBMITTED, None),
    "return": (BudgetState.IN_REVIEW, None),
    "issue_control": (BudgetState.IN_REVIEW, BudgetRound.PROPOSAL),
    "approve": (BudgetState.IN_REVIEW, BudgetRound.FORMAL),
    "adjust": (BudgetState.APPROVED, None),
}


def accept_unit_parts(budget: Budget) -> None:
    """Every reporting unit's part accepted by the department (what submitting needs)."""
    for unit, _state in reporting_units(budget):
        UnitPart.objects.update_or_create(budget=budget, unit=unit, defaults={"state": PartState.ACCEPTED})


def prepare_step(action: str) -> Callable[[Ctx], dict]:
    def prepare(ctx: Ctx) -> dict:
        budget = ctx.budget
        if budget is not None:
            state, budget_round = STEP_FROM[action]
            Budget.objects.filter(pk=budget.pk).update(state=state, round=budget_round or budget.round)
            if action == "issue_control" and not ControlFigures.objects.filter(budget=budget).exists():
                limits = control_actuals(budget_lines(budget))
                ControlFigures.objects.create(budget=budget, **limits)
            if action == "submit":
                accountant = User.objects.get(username=f"acc{budget.department.code}")
                explain_all_warnings(budget, accountant)
                accept_unit_parts(budget)
        return {"comment": COMMENT}

    return prepare


def step_done(action: str) -> Callable[[Ctx, dict, dict], None]:
    def effect(ctx: Ctx, before: dict, after: dict) -> None:
        target = ctx.budget.pk
        assert after["budgets"][target][0] == TRANSITIONS[action].target
        assert after["events"] == before["events"] + 1
        assert {pk: row for pk, row in after["budgets"].items() if pk != target} == {
            pk: row for pk, row in before["budgets"].items() if pk != target
        }
        assert changed(before, after) <= {"budgets", "events", "snapshots", "notifications"}

    return effect


CONTROL_POSTED = {"total": "300.00", "basic": "200.00", "project": "100.00", "three_public": "5.00"}


def control_set(ctx: Ctx, before: dict, after: dict) -> None:
    target = ctx.budget.pk
    assert after["control"][target] == [Decimal(CONTROL_POSTED[key]) * 10000 for key in CONTROL_POSTED]
    assert {k: v for k, v in after["control"].items() if k != target} == {
        k: v for k, v in before["control"].items() if k != target
    }


def prepare_explanations(ctx: Ctx) -> dict:
    budget = ctx.budget or ctx.world.budgets["202"]
    keys = [v.key for v in budget_violations(budget) if v.severity is Severity.WARNING]
    assert keys, "the case needs a warning to explain"
    data = {}
    for number, key in enumerate(keys, start=1):
        data[f"key-{number}"], data[f"text-{number}"] = key, "权限矩阵的说明"
    return data


def explanations_kept(ctx: Ctx, before: dict, after: dict) -> None:
    added = set(after["explanations"]) - set(before["explanations"])
    assert added
    assert {budget_id for budget_id, *_ in added} == {ctx.budget.pk}
    assert changed(before, after) <= {"explanations", "budgets"}


def changed_workbook(budget: Budget) -> bytes:
    """The budget's own workbook, after which one of its stored figures changes: importing it is a change."""
    data = exported(budget)
    line = BudgetLine.objects.filter(budget=budget, amount__gt=0).order_by("pk").first()
    line.amount += 10000
    line.save(update_fields=["amount"])
    return data


def workbook_upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("budget.xlsx", data, content_type=XLSX)


def prepare_upload(ctx: Ctx) -> dict:
    target = ctx.budget or ctx.world.budgets["202"]  # the department without a budget gets 202's file
    return {"workbook": workbook_upload(changed_workbook(target))}


def upload_kept_for_confirmation(ctx: Ctx, before: dict, after: dict) -> None:
    assert changed(before, after) == {"pending_imports"}
    assert after["pending_imports"] == before["pending_imports"] + 1


def token_from(client: Client, budget: Budget) -> str:
    """Upload a changed workbook of ``budget`` in ``client``'s session and return the confirmation token."""
    response = client.post(
        reverse("budget_import", args=[YEAR, budget.department.code]),
        {"workbook": workbook_upload(changed_workbook(budget))},
    )
    assert response.status_code == 200
    found = re.search(r'name="token" value="([0-9a-f]+)"', response.content.decode())
    assert found, "the preview offers no confirmation"
    return found.group(1)


def prepare_confirm(ctx: Ctx) -> dict:
    target = ctx.budget or ctx.world.budgets["202"]
    if ctx.expected == OK:
        return {"token": token_from(ctx.client, target)}
    # Someone who may not import holds a real token: one the administrator got, in his own session.
    return {"token": token_from(client_for(ctx.world, "admin"), target)}


def import_applied(ctx: Ctx, before: dict, after: dict) -> None:
    target = ctx.budget.pk
    assert after["budgets"][target][3] > before["budgets"][target][3]  # a new revision
    assert after["pending_imports"] == before["pending_imports"] - 1  # the token is spent
    assert [row for row in after["lines"] if row[1] != target] == [row for row in before["lines"] if row[1] != target]
    assert [row for row in after["lines"] if row[1] == target] != [row for row in before["lines"] if row[1] == target]


def prepare_figures(ctx: Ctx) -> dict:
    """The figures grid of the URL's budget (202's for the department without one) as the page posts it in 元,
    its first amount raised by one yuan."""
    target = Budget.objects.get(pk=(ctx.budget or ctx.world.budgets["202"]).pk)
    data = shown_form(target, "budget_figures_edit", "figures-form", "?unit=元")
    data["line-0-amount"] = str(Decimal(data["line-0-amount"]) + 1)
    return data


def figures_saved(ctx: Ctx, before: dict, after: dict) -> None:
    target = ctx.budget.pk
    assert changed(before, after) == {"budgets", "events", "lines"}
    assert after["budgets"][target][3] == before["budgets"][target][3] + 1
    assert {pk: row for pk, row in after["budgets"].items() if pk != target} == {
        pk: row for pk, row in before["budgets"].items() if pk != target
    }
    assert [row for row in after["lines"] if row[1] != target] == [row for row in before["lines"] if row[1] != target]
    assert sum(row[2] for row in after["lines"] if row[1] == target) == 1 + sum(
        row[2] for row in before["lines"] if row[1] == target
    )
    assert BudgetEvent.objects.order_by("-pk").first().action == "figures"


def prepare_procurement(ctx: Ctx) -> dict:
    """The 政府采购和资产 page of the URL's budget (202's for the department without one) as it posts it in 元,
    with one asset added."""
    target = Budget.objects.get(pk=(ctx.budget or ctx.world.budgets["202"]).pk)
    data = shown_form(target, "budget_procurement_edit", "procurement-form", "?unit=元")
    index = int(data["asset-TOTAL_FORMS"])
    data.update({"asset-TOTAL_FORMS": str(index + 1), f"asset-{index}-item": "权限矩阵测试资产"})
    data.update({f"asset-{index}-quantity": "1", f"asset-{index}-value": "1.00"})
    return data


def procurement_saved(ctx: Ctx, before: dict, after: dict) -> None:
    target = ctx.budget.pk
    assert changed(before, after) == {"budgets", "events"}
    assert after["budgets"][target][3] == before["budgets"][target][3] + 1
    assert {pk: row for pk, row in after["budgets"].items() if pk != target} == {
        pk: row for pk, row in before["budgets"].items() if pk != target
    }
    assert FixedAsset.objects.filter(budget_id=target, item="权限矩阵测试资产").count() == 1
    assert BudgetEvent.objects.order_by("-pk").first().action == "supplementary"


def prepare_mark_read(ctx: Ctx) -> dict:
    # Ids of everybody's notifications in the form: the view must not take them.
    return {"ids": list(Notification.objects.values_list("pk", flat=True))}


def only_own_read(ctx: Ctx, before: dict, after: dict) -> None:
    assert changed(before, after) <= {"notifications"}
    mine = ctx.user.pk
    assert all(read_at is not None for _, user, read_at in after["notifications"] if user == mine)
    assert [row for row in after["notifications"] if row[1] != mine] == [
        row for row in before["notifications"] if row[1] != mine
    ]
    if ctx.role in ctx.world.notes:
        assert changed(before, after) == {"notifications"}


def prepare_check(ctx: Ctx) -> dict:
    return {"workbook": SimpleUploadedFile("x.xlsx", b"not a workbook")}


def deadline_set(ctx: Ctx, before: dict, after: dict) -> None:
    assert changed(before, after) == {"deadlines"}
    assert after["deadlines"] == [(YEAR, BudgetRound.PROPOSAL.value, date(YEAR, 3, 1))]


def late_reminded(ctx: Ctx, before: dict, after: dict) -> None:
    assert changed(before, after) == {"events", "notifications"}  # the trail and the inbox, never a budget
    assert BudgetEvent.objects.filter(action="remind", actor=ctx.user).exists()


def export_queued(ctx: Ctx, before: dict, after: dict) -> None:
    assert changed(before, after) == {"export_jobs"}
    assert after["export_jobs"] == before["export_jobs"] + 1
    assert ExportJob.objects.order_by("-pk").first().requested_by == ctx.user


MATRIX_TEXT = "权限矩阵写入的绩效目标"


def some_project(ctx: Ctx):
    """A project of the URL's budget (202's for the department without a budget: its URL is refused anyway)."""
    return (ctx.budget or ctx.world.budgets["202"]).projects.order_by("position", "id").first()


def target_args(ctx: Ctx) -> list:
    return [YEAR, ctx.code, some_project(ctx).pk]


def department_args(ctx: Ctx) -> list:
    return [ctx.code]


def prepare_goals(ctx: Ctx) -> dict:
    return stored_goals_post(ctx.budget or ctx.world.budgets["202"], overall=MATRIX_TEXT)


def prepare_target(ctx: Ctx) -> dict:
    return stored_target_post(ctx.budget or ctx.world.budgets["202"], some_project(ctx), goal=MATRIX_TEXT)


def targets_saved(ctx: Ctx, before: dict, after: dict) -> None:
    target = ctx.budget.pk
    assert changed(before, after) == {"budgets", "events", "performance"}
    assert after["budgets"][target][3] == before["budgets"][target][3] + 1  # a new revision of this budget only
    assert {pk: row for pk, row in after["budgets"].items() if pk != target} == {
        pk: row for pk, row in before["budgets"].items() if pk != target
    }
    assert after["events"] == before["events"] + 1
    assert BudgetEvent.objects.order_by("-pk").first().budget_id == target
    assert MATRIX_TEXT in str(after["performance"])


def library_name(code: str) -> str:
    return f"权限矩阵指标{code}"


def prepare_library(ctx: Ctx) -> dict:
    """Every department keeps one indicator in its library."""
    for department in Department.objects.filter(code__in=("202", "318", NO_BUDGET)):
        LibraryIndicator.objects.get_or_create(
            department=department, level1="产出指标", level2="数量指标", name=library_name(department.code)
        )
    return {}


def library_shows(ctx: Ctx) -> tuple[list[str], list[str]]:
    codes = {"202", "318", NO_BUDGET}
    return [library_name(ctx.code)], [library_name(code) for code in sorted(codes - {ctx.code})]


def prepare_library_delete(ctx: Ctx) -> dict:
    prepare_library(ctx)
    return {"delete": LibraryIndicator.objects.get(name=library_name(ctx.code)).pk}


def library_deleted(ctx: Ctx, before: dict, after: dict) -> None:
    assert changed(before, after) == {"library"}
    gone = {row[0] for row in before["library"]} - {row[0] for row in after["library"]}
    assert gone == {row[0] for row in before["library"] if row[2] == library_name(ctx.code)}
    assert len(gone) == 1


EXPLANATION_TEXT = "权限矩阵写入的其他说明"


def prepare_explanation_inputs(ctx: Ctx) -> dict:
    return {"prev_total": "100.00", "prev_basic": "60.00", "prev_project": "40.00", "other": EXPLANATION_TEXT}


def explanation_inputs_saved(ctx: Ctx, before: dict, after: dict) -> None:
    target = ctx.budget.pk
    assert changed(before, after) == {"budgets", "events", "explanation_inputs"}
    assert {pk: row for pk, row in after["budgets"].items() if pk != target} == {
        pk: row for pk, row in before["budgets"].items() if pk != target
    }
    assert after["events"] == before["events"] + 1
    figures, remarks = after["explanation_inputs"]
    assert (target, Decimal("1000000.00"), Decimal("600000.00"), Decimal("400000.00"), None) in figures
    assert (target, "other", EXPLANATION_TEXT) in remarks
    others = [row for row in figures + remarks if row[0] != target]
    assert others == [
        row for row in before["explanation_inputs"][0] + before["explanation_inputs"][1] if row[0] != target
    ]


def approve_version_1(budget: Budget) -> None:
    """The budget approved in its version 1 (the world keeps an approved snapshot of it)."""
    Budget.objects.filter(pk=budget.pk).update(state=BudgetState.APPROVED, version=1)


def prepare_publish(ctx: Ctx) -> dict:
    if ctx.budget is not None:
        approve_version_1(ctx.budget)
    return {}


def prepare_publication_job(ctx: Ctx) -> dict:
    """A publication of the budget queued (its progress is what the status answers)."""
    if ctx.budget is not None:
        approve_version_1(ctx.budget)
        PublicationJob.objects.create(budget=ctx.budget, version=1, requested_by=ctx.world.users["reviewer"])
    return {}


def published(ctx: Ctx, before: dict, after: dict) -> None:
    assert changed(before, after) == {"events", "published"}
    assert set(after["published"]) - set(before["published"]) == {
        (ctx.budget.pk, 1, PublishedDocument.objects.get(budget=ctx.budget).html_sha256)
    }
    assert BudgetEvent.objects.order_by("-pk").first().action == "publish"


def public_args(ctx: Ctx) -> list:
    return [YEAR, "202"]


def prepare_public(ctx: Ctx) -> dict:
    """202 published (318 approved, not published)."""
    for code in ("202", "318"):
        approve_version_1(ctx.world.budgets[code])
    publication.budget_publish(Budget.objects.get(pk=ctx.world.budgets["202"].pk), ctx.world.users["reviewer"])
    return {}


def public_index_shows(ctx: Ctx) -> tuple[list[str], list[str]]:
    return [reverse("public_document", args=[YEAR, "202"])], [reverse("public_document", args=[YEAR, "318"])]


def new_budget_department(ctx: Ctx) -> str:
    """The department a role starts a 2022 budget for: its own; the administrator (and anyone else) 318."""
    return ctx.user.department.code if ctx.user is not None and ctx.user.department_id else "318"


def prepare_new_budget(ctx: Ctx) -> dict:
    """A 2022 catalogue; 202 and 318 copy their approved version 1, the department without a budget starts empty."""
    load_2022_catalogue()
    code = new_budget_department(ctx)
    start = "empty" if code == NO_BUDGET else "previous"
    return {"department": code, "year": str(NEW_YEAR), "start": start, "copy_figures": "on"}


def new_budget_made(ctx: Ctx, before: dict, after: dict) -> None:
    code = new_budget_department(ctx)
    made = Budget.objects.get(department__code=code, year_id=NEW_YEAR)
    assert set(after["budgets"]) - set(before["budgets"]) == {made.pk}
    assert {pk: after["budgets"][pk] for pk in before["budgets"]} == before["budgets"]
    assert [row for row in after["lines"] if row[1] != made.pk] == before["lines"]
    assert BudgetEvent.objects.filter(budget=made, action="rollover").count() == 1
    assert changed(before, after) <= {"budgets", "lines", "events", "performance"}


def prepare_rollover_report(ctx: Ctx) -> dict:
    """Both budgets carry the report of a (blank) 新建预算."""
    for budget in ctx.world.budgets.values():
        if not budget.events.filter(action="rollover").exists():
            BudgetEvent.objects.create(budget=budget, action="rollover", data={"from_previous": False})
    return {}


STRUCTURE_TEXT = "权限矩阵写入的单位规格"


def prepare_units(ctx: Ctx) -> dict:
    """The 单位 page of the URL's budget (202's for the department without one), its last unit's 规格 changed."""
    target = Budget.objects.get(pk=(ctx.budget or ctx.world.budgets["202"]).pk)
    data = shown_form(target, "budget_units_edit", "units-form")
    last = target.department.units.count() - 1
    data[f"unit-{last}-rank"] = STRUCTURE_TEXT
    return data


def prepare_projects(ctx: Ctx) -> dict:
    """The 项目 page of the URL's budget (202's for the department without one), its first project renamed."""
    target = Budget.objects.get(pk=(ctx.budget or ctx.world.budgets["202"]).pk)
    data = shown_form(target, "budget_projects_edit", "projects-form")
    data["project-0-name"] = STRUCTURE_TEXT
    return data


def prepare_duties(ctx: Ctx) -> dict:
    target = Budget.objects.get(pk=(ctx.budget or ctx.world.budgets["202"]).pk)
    return {"duties": STRUCTURE_TEXT, "revision": str(target.revision)}


def structure_saved(action: str, stored: Callable[[Budget], bool]) -> Callable[[Ctx, dict, dict], None]:
    """A write of the URL's budget only: a new revision, one event, and ``stored`` holds for it."""

    def effect(ctx: Ctx, before: dict, after: dict) -> None:
        target = ctx.budget.pk
        assert changed(before, after) == {"budgets", "events"}
        assert after["budgets"][target][3] == before["budgets"][target][3] + 1
        assert {pk: row for pk, row in after["budgets"].items() if pk != target} == {
            pk: row for pk, row in before["budgets"].items() if pk != target
        }
        assert after["events"] == before["events"] + 1
        assert BudgetEvent.objects.order_by("-pk").values_list("budget_id", "action").first() == (target, action)
        assert stored(ctx.budget)  # (another budget's units or projects would have taken a new revision)

    return effect


MATRIX_REVIEW = "权限矩阵的审核理由"


def first_basic_code(budget: Budget) -> str:
    return budget.lines.filter(kind="basic").order_by("economic__code").values_list("economic__code", flat=True)[0]


def prepare_review(ctx: Ctx) -> dict:
    """The URL's budget (202's for the department without one) in review; a cut of its first basic 款 posted."""
    target = ctx.budget or ctx.world.budgets["202"]
    Budget.objects.filter(pk=target.pk).update(state=BudgetState.IN_REVIEW)
    revision = Budget.objects.get(pk=target.pk).revision
    return {
        "revision": str(revision),
        f"reviewed-e{first_basic_code(target)}": "0",
        f"reason-e{first_basic_code(target)}": MATRIX_REVIEW,
    }


def review_recorded(ctx: Ctx, before: dict, after: dict) -> None:
    assert changed(before, after) == {"budgets", "events", "reviews"}
    added = set(after["reviews"]) - set(before["reviews"])
    assert [(budget_id, reviewed, reason) for _, budget_id, reviewed, reason, *_ in added] == [
        (ctx.budget.pk, Decimal("0.00"), MATRIX_REVIEW)
    ]


def carried_review_args(ctx: Ctx) -> list:
    """A 审核数 carried to the URL's budget (202's for the department without one), which is returned."""
    target = ctx.budget or ctx.world.budgets["202"]
    Budget.objects.filter(pk=target.pk).update(state=BudgetState.RETURNED)
    figure, _ = ReviewFigure.objects.get_or_create(
        budget=target,
        economic=EconomicCode.objects.get(year_id=YEAR, code=first_basic_code(target)),
        defaults={
            "requested": Decimal("1.00"),
            "reviewed": Decimal("0.00"),
            "reviewer": ctx.world.users["reviewer"],
            "reviewed_at": target.updated_at,
            "carried_at": target.updated_at,
        },
    )
    return [YEAR, ctx.code, figure.pk]


def prepare_answer(ctx: Ctx) -> dict:
    target = ctx.budget or ctx.world.budgets["202"]
    return {"decision": "keep", "answer": MATRIX_REVIEW, "revision": str(Budget.objects.get(pk=target.pk).revision)}


def review_answered(ctx: Ctx, before: dict, after: dict) -> None:
    assert changed(before, after) == {"budgets", "events", "reviews"}
    answered = set(after["reviews"]) - set(before["reviews"])
    assert [(row[1], row[4], row[5]) for row in answered] == [(ctx.budget.pk, ReviewAnswer.KEPT, MATRIX_REVIEW)]


MATRIX_COMMENT = "权限矩阵的批注"


def prepare_comment(ctx: Ctx) -> dict:
    return {"table": "", "text": MATRIX_COMMENT}


def thread_args(ctx: Ctx) -> list:
    """An open thread of the reviewer's on the URL's budget (202's for the department without one)."""
    target = ctx.budget or ctx.world.budgets["202"]
    thread, _ = ReviewComment.objects.get_or_create(
        budget=target, parent=None, text="审核人的批注", defaults={"author": ctx.world.users["reviewer"], "version": 2}
    )
    return [YEAR, ctx.code, thread.pk]


def comment_written(ctx: Ctx, before: dict, after: dict) -> None:
    assert changed(before, after) == {"comments"}
    added = set(after["comments"]) - set(before["comments"])
    assert [(row[1], row[3]) for row in added] == [(ctx.budget.pk, MATRIX_COMMENT)]


def thread_resolved(ctx: Ctx, before: dict, after: dict) -> None:
    assert changed(before, after) == {"comments"}
    resolved = set(after["comments"]) - set(before["comments"])
    assert [(row[1], row[4] is not None) for row in resolved] == [(ctx.budget.pk, True)]


def the_unit(ctx: Ctx, own_unit: bool = True) -> Unit:
    """The unit a unit URL names: 202's 信息中心 (unit202's), or 202's other unit; in 318, its first unit."""
    code = ctx.code if ctx.budget is not None else "202"
    units = Unit.objects.filter(department__code=code).order_by("position", "id")
    if code != "202":
        return units.first()
    return units.get(name=UNIT_NAME) if own_unit else units.exclude(name=UNIT_NAME).first()


def unit_args(ctx: Ctx) -> list:
    return [YEAR, ctx.code, the_unit(ctx).pk]


def other_unit_args(ctx: Ctx) -> list:
    return [YEAR, ctx.code, the_unit(ctx, own_unit=False).pk]


def unit_accountant_client(unit: Unit) -> Client:
    """A session of an accountant of ``unit`` (one is made for it if it has none)."""
    accountant, _ = User.objects.get_or_create(
        username=f"unit-{unit.pk}",
        defaults={"role": Role.UNIT_ACCOUNTANT, "department": unit.department, "unit": unit},
    )
    client = Client()
    client.force_login(accountant)
    return client


def unit_page_form(ctx: Ctx, url_name: str, form_id: str) -> tuple[Budget, Unit, dict]:
    """The URL's budget and unit, and what the unit's entry page posts in 元 as its accountant gets it."""
    budget = ctx.budget or ctx.world.budgets["202"]
    unit = the_unit(ctx)
    url = reverse(url_name, args=[YEAR, budget.department.code, unit.pk]) + "?unit=元"
    html = unit_accountant_client(unit).get(url).content.decode()
    return budget, unit, {k: v for k, v in form_data(html, form_id).items() if "__prefix__" not in k}


def prepare_unit_grid(ctx: Ctx) -> dict:
    """The unit's grid in 元 as its accountant's page posts it, its first amount raised by one yuan."""
    budget, unit, data = unit_page_form(ctx, "budget_unit_figures_edit", "figures-form")
    data["line-0-amount"] = str(Decimal(data["line-0-amount"]) + 1)
    UNIT_GRID_OTHERS[budget.pk] = other_units_lines(budget.pk, unit)
    return data


def other_units_lines(budget_id: int, unit: Unit) -> list[tuple]:
    lines = BudgetLine.objects.filter(budget_id=budget_id).exclude(unit=unit)
    return sorted(lines.values_list("unit_id", "function__code", "economic__code", "kind", "source", "amount"))


def unit_figures_saved(ctx: Ctx, before: dict, after: dict) -> None:
    target, unit = ctx.budget.pk, the_unit(ctx)
    assert changed(before, after) == {"budgets", "events", "lines"}
    assert [row for row in after["lines"] if row[1] != target] == [row for row in before["lines"] if row[1] != target]
    assert sum(row[2] for row in after["lines"] if row[1] == target) == 1 + sum(
        row[2] for row in before["lines"] if row[1] == target
    )
    assert other_units_lines(target, unit) == UNIT_GRID_OTHERS[target]  # the other units' lines as stored


UNIT_GRID_OTHERS: dict[int, list[tuple]] = {}  # prepare_unit_grid keeps them for unit_figures_saved
UNIT_ITEM = "权限矩阵测试采购"


def changed_unit_template(budget: Budget, unit: Unit) -> bytes:
    """The unit's 录入模板 as its accountant downloads it, its first amount raised by one yuan."""
    url = reverse("budget_unit_entry_template", args=[YEAR, budget.department.code, unit.pk])
    book = openpyxl.load_workbook(io.BytesIO(unit_accountant_client(unit).get(url).content))
    sheet = book["预算明细"]
    column = next(cell.column for cell in sheet[1] if cell.value == "金额（元）")
    sheet.cell(2, column).value = Decimal(str(sheet.cell(2, column).value)) + 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def prepare_unit_upload(ctx: Ctx) -> dict:
    budget = ctx.budget or ctx.world.budgets["202"]
    return {"workbook": workbook_upload(changed_unit_template(budget, the_unit(ctx)))}


def prepare_other_unit_upload(ctx: Ctx) -> dict:
    """The other unit's own 录入模板, changed, posted to that unit's import by someone who is not its accountant."""
    budget = ctx.budget or ctx.world.budgets["202"]
    return {"workbook": workbook_upload(changed_unit_template(budget, the_unit(ctx, own_unit=False)))}


def prepare_unit_confirm(ctx: Ctx) -> dict:
    """A token of the unit's import: the requester's own where he may import, else the unit accountant's."""
    budget = ctx.budget or ctx.world.budgets["202"]
    unit = the_unit(ctx)
    client = ctx.client if ctx.expected == OK else unit_accountant_client(unit)
    response = client.post(
        reverse("budget_unit_import", args=[YEAR, budget.department.code, unit.pk]),
        {"workbook": workbook_upload(changed_unit_template(budget, unit))},
    )
    found = re.search(r'name="token" value="([0-9a-f]+)"', response.content.decode())
    assert found, "the preview offers no confirmation"
    return {"token": found.group(1)}


def unit_import_applied(ctx: Ctx, before: dict, after: dict) -> None:
    target = ctx.budget.pk
    assert after["pending_imports"] == before["pending_imports"] - 1  # the token is spent
    assert [row for row in after["lines"] if row[1] != target] == [row for row in before["lines"] if row[1] != target]
    assert sum(row[2] for row in after["lines"] if row[1] == target) == 1 + sum(
        row[2] for row in before["lines"] if row[1] == target
    )
    assert other_units_lines(target, the_unit(ctx)) == UNIT_IMPORT_OTHERS[target]


UNIT_IMPORT_OTHERS: dict[int, list[tuple]] = {}


def prepare_unit_confirm_keeping_others(ctx: Ctx) -> dict:
    data = prepare_unit_confirm(ctx)
    budget = ctx.budget or ctx.world.budgets["202"]
    UNIT_IMPORT_OTHERS[budget.pk] = other_units_lines(budget.pk, the_unit(ctx))
    return data


def prepare_unit_procurement(ctx: Ctx) -> dict:
    """The unit's procurement page as its accountant's page posts it, with one item of its project added."""
    budget, unit, data = unit_page_form(ctx, "budget_unit_procurement_edit", "procurement-form")
    index = int(data["item-TOTAL_FORMS"])
    project = budget.projects.filter(unit=unit).first()
    data.update({"item-TOTAL_FORMS": str(index + 1), f"item-{index}-item_name": UNIT_ITEM})
    data.update({f"item-{index}-project": project.name, f"item-{index}-general": "1.00"})
    return data


def unit_procurement_saved(ctx: Ctx, before: dict, after: dict) -> None:
    assert changed(before, after) == {"budgets", "events"}
    item = ProcurementItem.objects.get(budget_id=ctx.budget.pk, item_name=UNIT_ITEM)
    assert item.project.unit == the_unit(ctx)
    assert BudgetEvent.objects.order_by("-pk").first().action == "supplementary"


def unit_project(ctx: Ctx):
    """A project of the unit a unit URL names (unit202's own, in 202), else any project of the budget."""
    budget = ctx.budget or ctx.world.budgets["202"]
    return budget.projects.filter(unit=the_unit(ctx)).first() or budget.projects.first()


def unit_target_args(ctx: Ctx) -> list:
    return [YEAR, ctx.code, unit_project(ctx).pk]


def prepare_unit_target(ctx: Ctx) -> dict:
    return stored_target_post(ctx.budget or ctx.world.budgets["202"], unit_project(ctx), goal=MATRIX_TEXT)


def unit_step_args(action: str) -> Callable[[Ctx], list]:
    return lambda ctx: [*unit_args(ctx), action]


def prepare_part_step(action: str) -> Callable[[Ctx], dict]:
    def prepare(ctx: Ctx) -> dict:
        budget = ctx.budget or ctx.world.budgets["202"]
        source = PartState.DRAFT if action == "report" else PartState.REPORTED
        Budget.objects.filter(pk=budget.pk).update(state=BudgetState.DRAFT)
        UnitPart.objects.update_or_create(budget=budget, unit=the_unit(ctx), defaults={"state": source})
        return {"comment": COMMENT}

    return prepare


def part_moved(action: str) -> Callable[[Ctx, dict, dict], None]:
    def effect(ctx: Ctx, before: dict, after: dict) -> None:
        assert changed(before, after) == {"parts", "events", "notifications"}  # the other side is told
        moved = set(after["parts"]) - set(before["parts"])
        assert moved == {(ctx.budget.pk, the_unit(ctx).pk, PART_STEPS[action].target.value)}
        assert BudgetEvent.objects.order_by("-pk").first().action == f"unit_{action}"

    return effect


# --- The matrix --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str  # the URL name
    method: str
    expect: dict  # role -> outcome, or role -> (own, other) for a budget URL
    args: Callable[[Ctx], list] | None = None
    scoped: bool = False  # the URL names a department: run for the role's own and another one
    variant: str = ""  # several cases of one URL (a transition's action, an export format)
    query: dict = field(default_factory=dict)
    prepare: Callable[[Ctx], dict] | None = None  # sets the stage, returns the data to send
    effect: Callable[[Ctx, dict, dict], None] | None = None  # what an allowed request changed (else: nothing)
    ok_status: int = 200
    content_type: str = ""  # of an allowed answer (downloads)
    shows: Callable[[Ctx], tuple[list[str], list[str]]] | None = None  # (must show, must not show) when allowed

    @property
    def label(self) -> str:
        return f"{self.name}[{self.variant}]" if self.variant else self.name


MATRIX: tuple[Case, ...] = (
    # Pages every signed-in user has; the listings show only what the user may read.
    Case("home", "GET", EVERY_USER, shows=listing_shows),
    Case("rule_catalogue", "GET", EVERY_USER),
    Case("notifications", "GET", EVERY_USER, shows=inbox_shows),
    Case("password_change", "GET", EVERY_USER),  # each one's own: the change itself is tests/budgetoffice/
    Case("password_change", "POST", EVERY_USER),  # without the old password: refused, nothing written
    Case("password_change_done", "GET", EVERY_USER),
    Case("notifications_mark_read", "POST", EVERY_USER, prepare=prepare_mark_read, effect=only_own_read, ok_status=302),
    Case("workbook_check", "GET", EVERY_USER),
    Case("workbook_check", "POST", EVERY_USER, prepare=prepare_check),  # checks, stores nothing
    # The finance bureau's pages.
    Case("dashboard", "GET", BUREAU),
    Case("dashboard", "GET", BUREAU, variant="csv", query={"_export": "csv"}, content_type="text/csv"),
    Case("dashboard_units", "GET", BUREAU),
    Case("exports:list", "GET", BUREAU),
    Case("exports:start", "POST", BUREAU, prepare=lambda ctx: {"year": YEAR}, effect=export_queued, ok_status=302),
    Case(
        "dashboard_deadlines",
        "POST",
        BUREAU,
        prepare=lambda ctx: {"year": YEAR, f"round_{BudgetRound.PROPOSAL.value}": f"{YEAR}-03-01"},
        effect=deadline_set,
        ok_status=302,
    ),
    Case("dashboard_remind", "POST", BUREAU, prepare=lambda ctx: {"year": YEAR}, effect=late_reminded, ok_status=302),
    # Jobs are the bureau's, not one person's: the administrator reads the reviewer's job too.
    Case("exports:status", "GET", BUREAU, args=job_args, content_type="application/json"),
    Case("exports:download", "GET", BUREAU, args=job_args, content_type="application/zip"),
    # A budget's pages and downloads.
    Case("budget_detail", "GET", READ_BUDGET, args=budget_args, scoped=True),
    Case("budget_rollover_report", "GET", READ_BUDGET, args=budget_args, scoped=True, prepare=prepare_rollover_report),
    Case("budget_table", "GET", READ_BUDGET, args=table_args, scoped=True),
    Case("budget_tables", "GET", READ_BUDGET, args=budget_args, scoped=True),
    Case("budget_compare", "GET", READ_BUDGET, args=budget_args, scoped=True),
    Case("budget_targets", "GET", READ_BUDGET, args=budget_args, scoped=True),
    Case("budget_workbook", "GET", READ_BUDGET, args=budget_args, scoped=True, content_type=XLSX),
    Case("budget_entry_template", "GET", READ_BUDGET, args=budget_args, scoped=True, content_type=XLSX),
    Case("budget_changes", "GET", READ_BUDGET, args=budget_args, scoped=True),
    Case("budget_version", "GET", READ_BUDGET, args=version_args, scoped=True),
    Case("budget_version_workbook", "GET", READ_BUDGET, args=version_args, scoped=True, content_type=XLSX),
    Case("budget_publication", "GET", READ_BUDGET, args=budget_args, scoped=True, content_type="text/html"),
    Case("budget_publication_pdf", "GET", READ_BUDGET, args=budget_args, scoped=True, content_type="application/pdf"),
    # The published disclosure, open to everybody (and nothing else of the product is).
    Case("public_home", "GET", PUBLIC, prepare=prepare_public, ok_status=302),
    Case("public_index", "GET", PUBLIC, args=lambda ctx: [YEAR], prepare=prepare_public, shows=public_index_shows),
    Case("public_document", "GET", PUBLIC, args=public_args, prepare=prepare_public, content_type="text/html"),
    Case(
        "public_document_pdf", "GET", PUBLIC, args=public_args, prepare=prepare_public, content_type="application/pdf"
    ),
    # 新建预算 (no department in the URL: the form names one, and offers an accountant only his own).
    Case("budget_new", "GET", NEW_BUDGET),
    Case("budget_new", "POST", NEW_BUDGET, prepare=prepare_new_budget, effect=new_budget_made, ok_status=302),
    # A budget's writes.
    Case(
        "budget_import",
        "POST",
        EDIT_FIGURES,
        args=budget_args,
        scoped=True,
        prepare=prepare_upload,
        effect=upload_kept_for_confirmation,
    ),
    Case(
        "budget_import_confirm",
        "POST",
        EDIT_FIGURES,
        args=budget_args,
        scoped=True,
        prepare=prepare_confirm,
        effect=import_applied,
        ok_status=302,
    ),
    Case("budget_figures_edit", "GET", EDIT_FIGURES, args=budget_args, scoped=True),
    Case(
        "budget_figures_edit",
        "POST",
        EDIT_FIGURES,
        args=budget_args,
        scoped=True,
        prepare=prepare_figures,
        effect=figures_saved,
        ok_status=302,
    ),
    Case("budget_procurement_edit", "GET", EDIT_FIGURES, args=budget_args, scoped=True),
    Case(
        "budget_procurement_edit",
        "POST",
        EDIT_FIGURES,
        args=budget_args,
        scoped=True,
        prepare=prepare_procurement,
        effect=procurement_saved,
        ok_status=302,
    ),
    Case(
        "budget_explanations",
        "POST",
        EDIT_FIGURES,
        args=budget_args,
        scoped=True,
        prepare=prepare_explanations,
        effect=explanations_kept,
        ok_status=302,
    ),
    # Performance targets: the same editors as the figures, while the budget is a draft or returned.
    # 单位, 项目, 部门职责与说明: the same editors as the figures, while the budget is a draft or returned.
    Case("budget_units_edit", "GET", EDIT_FIGURES, args=budget_args, scoped=True),
    Case(
        "budget_units_edit",
        "POST",
        EDIT_FIGURES,
        args=budget_args,
        scoped=True,
        prepare=prepare_units,
        effect=structure_saved("units", lambda b: b.department.units.filter(rank=STRUCTURE_TEXT).exists()),
        ok_status=302,
    ),
    Case("budget_projects_edit", "GET", EDIT_FIGURES, args=budget_args, scoped=True),
    Case(
        "budget_projects_edit",
        "POST",
        EDIT_FIGURES,
        args=budget_args,
        scoped=True,
        prepare=prepare_projects,
        effect=structure_saved("projects", lambda b: b.projects.filter(name=STRUCTURE_TEXT).exists()),
        ok_status=302,
    ),
    Case("budget_duties_edit", "GET", EDIT_FIGURES, args=budget_args, scoped=True),
    Case(
        "budget_duties_edit",
        "POST",
        EDIT_FIGURES,
        args=budget_args,
        scoped=True,
        prepare=prepare_duties,
        effect=structure_saved("duties", lambda b: Budget.objects.get(pk=b.pk).duties == STRUCTURE_TEXT),
        ok_status=302,
    ),
    Case("budget_goals_edit", "GET", EDIT_FIGURES, args=budget_args, scoped=True),
    Case(
        "budget_goals_edit",
        "POST",
        EDIT_FIGURES,
        args=budget_args,
        scoped=True,
        prepare=prepare_goals,
        effect=targets_saved,
        ok_status=302,
    ),
    Case("budget_target_edit", "GET", EDIT_FIGURES, args=target_args, scoped=True),
    Case(
        "budget_target_edit",
        "POST",
        EDIT_FIGURES,
        args=target_args,
        scoped=True,
        prepare=prepare_target,
        effect=targets_saved,
        ok_status=302,
    ),
    # The explanation (部门预算信息公开情况说明): read like the budget, its inputs written like the figures.
    Case("budget_explanation", "GET", READ_BUDGET, args=budget_args, scoped=True),
    Case(
        "budget_explanation_edit",
        "POST",
        EDIT_FIGURES,
        args=budget_args,
        scoped=True,
        prepare=prepare_explanation_inputs,
        effect=explanation_inputs_saved,
        ok_status=302,
    ),
    # A department's indicator library.
    Case(
        "indicator_library",
        "GET",
        KEEP_LIBRARY,
        args=department_args,
        scoped=True,
        prepare=prepare_library,
        shows=library_shows,
    ),
    Case(
        "indicator_library",
        "POST",
        KEEP_LIBRARY,
        args=department_args,
        scoped=True,
        prepare=prepare_library_delete,
        effect=library_deleted,
        ok_status=302,
    ),
    # 审核数 (the reviewer, while the budget is before him) and the department's answers (its accountant).
    Case("budget_review", "GET", READ_BUDGET, args=budget_args, scoped=True),
    Case(
        "budget_review",
        "POST",
        REVIEWER_STEP,
        args=budget_args,
        scoped=True,
        prepare=prepare_review,
        effect=review_recorded,
        ok_status=302,
    ),
    Case(
        "budget_review_answer",
        "POST",
        DEPARTMENT_STEP,
        args=carried_review_args,
        scoped=True,
        prepare=prepare_answer,
        effect=review_answered,
        ok_status=302,
    ),
    # Units entering their own part (单位填报人), reviewed by the department.
    Case("budget_unit_parts", "GET", READ_BUDGET, args=budget_args, scoped=True),
    Case("budget_unit_summary", "GET", READ_BUDGET, args=budget_args, scoped=True),
    Case("budget_unit_part", "GET", READ_UNIT, args=unit_args, scoped=True),
    Case("budget_unit_part", "GET", READ_BUDGET, args=other_unit_args, scoped=True, variant="another-unit"),
    Case("budget_unit_workbook", "GET", READ_UNIT, args=unit_args, scoped=True, content_type=XLSX),
    Case(
        "budget_unit_workbook",
        "GET",
        READ_BUDGET,
        args=other_unit_args,
        scoped=True,
        content_type=XLSX,
        variant="another-unit",
    ),
    Case("budget_unit_figures_edit", "GET", UNIT_ENTRY, args=unit_args, scoped=True),
    Case("budget_unit_procurement_edit", "GET", UNIT_ENTRY, args=unit_args, scoped=True),
    # Another unit's entry pages: no one's but that unit's accountant.
    Case(
        "budget_unit_figures_edit", "GET", ANOTHER_UNIT_ENTRY, args=other_unit_args, scoped=True, variant="another-unit"
    ),
    Case(
        "budget_unit_procurement_edit",
        "GET",
        ANOTHER_UNIT_ENTRY,
        args=other_unit_args,
        scoped=True,
        variant="another-unit",
    ),
    Case(
        "budget_unit_import",
        "POST",
        ANOTHER_UNIT_ENTRY,
        args=other_unit_args,
        scoped=True,
        variant="another-unit",
        prepare=prepare_other_unit_upload,
    ),
    Case("budget_unit_entry_template", "GET", READ_UNIT, args=unit_args, scoped=True, content_type=XLSX),
    Case(
        "budget_unit_entry_template",
        "GET",
        READ_BUDGET,
        args=other_unit_args,
        scoped=True,
        content_type=XLSX,
        variant="another-unit",
    ),
    Case(
        "budget_unit_import",
        "POST",
        UNIT_ENTRY,
        args=unit_args,
        scoped=True,
        prepare=prepare_unit_upload,
        effect=upload_kept_for_confirmation,
    ),
    Case(
        "budget_unit_import_confirm",
        "POST",
        UNIT_ENTRY,
        args=unit_args,
        scoped=True,
        prepare=prepare_unit_confirm_keeping_others,
        effect=unit_import_applied,
        ok_status=302,
    ),
    Case(
        "budget_unit_procurement_edit",
        "POST",
        UNIT_ENTRY,
        args=unit_args,
        scoped=True,
        prepare=prepare_unit_procurement,
        effect=unit_procurement_saved,
        ok_status=302,
    ),
    # A 绩效目标表 of a unit's project: the department's editors, and that unit's accountant.
    Case("budget_target_edit", "GET", UNIT_TARGETS, args=unit_target_args, scoped=True, variant="unit-project"),
    Case(
        "budget_target_edit",
        "POST",
        UNIT_TARGETS,
        args=unit_target_args,
        scoped=True,
        variant="unit-project",
        prepare=prepare_unit_target,
        effect=targets_saved,
        ok_status=302,
    ),
    Case(
        "budget_unit_figures_edit",
        "POST",
        UNIT_ENTRY,
        args=unit_args,
        scoped=True,
        prepare=prepare_unit_grid,
        effect=unit_figures_saved,
        ok_status=302,
    ),
    *(
        Case(
            "budget_unit_step",
            "POST",
            UNIT_ENTRY if PART_STEPS[action].by_unit else DEPARTMENT_STEP,
            args=unit_step_args(action),
            scoped=True,
            variant=action,
            prepare=prepare_part_step(action),
            effect=part_moved(action),
            ok_status=302,
        )
        for action in PART_STEPS
    ),
    # Comments: the reviewer starts and resolves threads; he and the department's accountant write in them.
    Case(
        "budget_comment_start",
        "POST",
        REVIEWER_STEP,
        args=budget_args,
        scoped=True,
        prepare=prepare_comment,
        effect=comment_written,
        ok_status=302,
    ),
    Case(
        "budget_comment_reply",
        "POST",
        REPLY,
        args=thread_args,
        scoped=True,
        prepare=prepare_comment,
        effect=comment_written,
        ok_status=302,
    ),
    Case(
        "budget_comment_resolve",
        "POST",
        REVIEWER_STEP,
        args=thread_args,
        scoped=True,
        effect=thread_resolved,
        ok_status=302,
    ),
    Case("budget_control", "GET", REVIEWER_STEP, args=budget_args, scoped=True),
    Case(
        "budget_control",
        "POST",
        REVIEWER_STEP,
        args=budget_args,
        scoped=True,
        prepare=lambda ctx: dict(CONTROL_POSTED),
        effect=control_set,
        ok_status=302,
    ),
    # 发布公开: the finance reviewer, once the budget is approved.
    Case(
        "budget_publish",
        "POST",
        REVIEWER_STEP,
        args=budget_args,
        scoped=True,
        prepare=prepare_publish,
        effect=published,
        ok_status=302,
    ),
    Case(
        "budget_publish_status",
        "GET",
        REVIEWER_STEP,
        args=budget_args,
        scoped=True,
        prepare=prepare_publication_job,
        content_type="application/json",
    ),
    *(
        Case(
            "budget_transition",
            "POST",
            DEPARTMENT_STEP if action in ("submit", "withdraw", "adjust") else REVIEWER_STEP,
            args=transition_args(action),
            scoped=True,
            variant=action,
            prepare=prepare_step(action),
            effect=step_done(action),
            ok_status=302,
        )
        for action in TRANSITIONS
    ),
)

# Django's own views, and the admin site (tested below and in tests/budgetoffice/test_admin_access.py).
NOT_IN_MATRIX = {"login", "logout"}


def url_names() -> set[str]:
    """Every URL name of the project's resolver, with its namespace ("exports:list"), the admin's aside."""

    def walk(patterns, prefix: str):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                yield from walk(pattern.url_patterns, f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix)
            elif getattr(pattern.callback, "__module__", "").startswith("django.views.static"):
                continue  # static files, if ever served by Django
            else:
                yield prefix + (pattern.name or f"<unnamed {pattern.pattern}>")

    return set(walk(get_resolver().url_patterns, "")) - NOT_IN_MATRIX


def test_every_url_is_in_the_matrix() -> None:
    names = url_names()
    assert "budget_detail" in names  # the walk finds the project's URLs
    assert "exports:list" in names  # and namespaced ones
    missing = names - {case.name for case in MATRIX}
    assert not missing, f"add these URLs to MATRIX in {__name__}: {sorted(missing)}"
    stale = {case.name for case in MATRIX} - names
    assert not stale, f"these URLs are gone, remove them from MATRIX: {sorted(stale)}"


def test_every_transition_is_in_the_matrix() -> None:
    assert {case.variant for case in MATRIX if case.name == "budget_transition"} == set(TRANSITIONS)


def test_every_role_has_an_expectation() -> None:
    for case in MATRIX:
        assert set(case.expect) == set(ROLES), case.label
        for outcome in case.expect.values():
            outcomes = outcome if case.scoped else (outcome,)
            assert len(outcomes) == (2 if case.scoped else 1), case.label
            assert set(outcomes) <= {OK, HIDDEN, FORBIDDEN, LOGIN}, case.label


def matrix_params(method: str) -> list:
    """One test per URL × role. In it, each case of the URL (each step of the workflow; the dashboard and its
    export) is run for the role's own department and then another one (a set-up of the demo per request would
    make the file too slow)."""
    groups: dict[str, list[Case]] = {}
    for case in MATRIX:
        if case.method == method:
            groups.setdefault(case.name, []).append(case)
    return [pytest.param(tuple(cases), role, id=f"{name}-{role}") for name, cases in groups.items() for role in ROLES]


def run(case: Case, role: str, scope: str | None, world: World, client: Client) -> None:
    expected = case.expect[role][SCOPES.index(scope)] if case.scoped else case.expect[role]
    code = DEPARTMENTS.get(role, DEFAULT_DEPARTMENTS)[scope] if scope else None
    ctx = Ctx(world=world, role=role, scope=scope, client=client, code=code, expected=expected)
    url = reverse(case.name, args=case.args(ctx) if case.args else [])
    assert resolve(url).view_name == case.name
    data = case.prepare(ctx) if case.prepare else {}
    before = fingerprint()
    response = client.get(url, {**case.query, **data}) if case.method == "GET" else client.post(url, data)
    if response.streaming:
        b"".join(response.streaming_content)
    # A FileResponse holds its file open until closed; response.close() would also send request_finished, which
    # closes the database connection (fatal inside a PostgreSQL test transaction): close only the file.
    if getattr(response, "file_to_stream", None) is not None:
        response.file_to_stream.close()
    after = fingerprint()
    if expected == OK:
        assert response.status_code == case.ok_status, response.content[:500]
        if response.status_code == 302:
            assert not response["Location"].startswith(reverse("login"))
        if case.content_type:
            assert response["Content-Type"].startswith(case.content_type)
        if case.shows:
            body = response.content.decode()
            must, must_not = case.shows(ctx)
            for text in must:
                assert text in body, f"{text} missing"
            for text in must_not:
                assert text not in body, f"{text} leaked"
        if case.effect:
            case.effect(ctx, before, after)
            return
    elif expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == {HIDDEN: 404, FORBIDDEN: 403}[expected]
    assert after == before, f"changed: {sorted(changed(before, after))}"


def run_all(cases: tuple[Case, ...], role: str, world: World) -> None:
    client = client_for(world, role)
    for case in cases:
        for scope in SCOPES if case.scoped else (None,):
            try:
                run(case, role, scope, world, client)
            except AssertionError as failure:
                where = f" ({scope}: {DEPARTMENTS.get(role, DEFAULT_DEPARTMENTS)[scope]})" if scope else ""
                raise AssertionError(f"{case.label}{where}: {failure}") from failure


@pytest.mark.parametrize(("cases", "role"), matrix_params("GET"))
def test_get(cases: tuple[Case, ...], role: str, world: World) -> None:
    run_all(cases, role, world)


@pytest.mark.parametrize(("cases", "role"), matrix_params("POST"))
def test_post(cases: tuple[Case, ...], role: str, world: World) -> None:
    run_all(cases, role, world)


# Answers a method it does not need; harmless (it only renders the page), listed so that a fix updates this.
LOOSE_METHODS: set[tuple[str, str]] = set()


def test_undeclared_methods_are_refused(world: World) -> None:
    """Each URL refuses the method the matrix does not declare for it (a GET never writes, and is led back to the
    form's page; a page is no form target: 405), even for the administrator, and nothing changes."""
    declared: dict[str, set[str]] = {}
    for case in MATRIX:
        declared.setdefault(case.name, set()).add(case.method)
    client = client_for(world, "admin")
    ctx = Ctx(world=world, role="admin", scope="own", client=client, code="202", expected=OK)
    loose = set()
    for name, methods in declared.items():
        case = next(case for case in MATRIX if case.name == name)
        url = reverse(name, args=case.args(ctx) if case.args else [])
        for method in sorted({"GET", "POST"} - methods):
            before = fingerprint()
            response = getattr(client, method.lower())(url)
            assert fingerprint() == before, f"{method} {name} wrote"
            # A GET of a form's address is led back to its page (web.middleware.FormOnlyRedirectMiddleware).
            refused = 405 if method == "POST" else 302
            if response.status_code != refused:
                loose.add((name, method))
    assert loose == LOOSE_METHODS


# --- Tampering with ids in URLs and forms ---------------------------------------------------------------------


def test_a_token_from_another_users_session_is_refused_and_not_spent(world: World) -> None:
    """acc202 posts, to his own budget, a token the administrator got for it in his session."""
    admin = client_for(world, "admin")
    token = token_from(admin, world.budgets["202"])
    before = fingerprint()
    response = client_for(world, "acc202").post(
        reverse("budget_import_confirm", args=[YEAR, "202"]), {"token": token}, follow=True
    )
    assert "导入已过期或不属于本预算" in response.content.decode()
    assert fingerprint() == before
    # Still the administrator's to use.
    assert admin.post(reverse("budget_import_confirm", args=[YEAR, "202"]), {"token": token}).status_code == 302
    assert fingerprint()["budgets"][world.budgets["202"].pk] != before["budgets"][world.budgets["202"].pk]


def test_a_token_for_the_own_budget_opens_no_other_one(world: World) -> None:
    """acc202's token for 202, posted to 318's confirmation (the administrator's case is in test_import_views)."""
    client = client_for(world, "acc202")
    token = token_from(client, world.budgets["202"])
    before = fingerprint()
    assert client.post(reverse("budget_import_confirm", args=[YEAR, "318"]), {"token": token}).status_code == 404
    assert fingerprint() == before
    assert client.post(reverse("budget_import_confirm", args=[YEAR, "202"]), {"token": token}).status_code == 302
    assert changed(before, fingerprint()) >= {"budgets", "lines", "pending_imports"}


@pytest.mark.parametrize(
    ("role", "url_name", "data"),
    [
        ("acc202", "budget_transition", {"comment": COMMENT}),
        ("reviewer", "budget_control", CONTROL_POSTED),
    ],
    ids=["transition-acc202", "control-reviewer"],
)
def test_ids_in_the_form_do_not_redirect_a_write(world: World, role: str, url_name: str, data: dict) -> None:
    """Another budget's ids in the form are ignored: the write goes to the budget of the URL, and only there."""
    own, other = world.budgets["202"], world.budgets["318"]
    args = [YEAR, "202", "submit"] if url_name == "budget_transition" else [YEAR, "202"]
    if url_name == "budget_transition":
        explain_all_warnings(own, world.users["acc202"])
        accept_unit_parts(own)
    tampered = {**data, "budget": other.pk, "budget_id": other.pk, "department": "318", "department_code": "318"}
    before = fingerprint()
    assert client_for(world, role).post(reverse(url_name, args=args), tampered).status_code == 302
    after = fingerprint()
    assert after["budgets"][other.pk] == before["budgets"][other.pk]
    assert after["control"].get(other.pk) == before["control"].get(other.pk)
    assert after["budgets"][own.pk] != before["budgets"][own.pk]


GUESSED_VERSIONS = (
    ("acc202", [YEAR, "202", 99]),  # a version that does not exist
    ("acc202", [YEAR, "318", 1]),  # another department's real version
    ("acc202", [2022, "202", 1]),  # another year
    ("reviewer", [YEAR, NO_BUDGET, 1]),  # a department without a budget
)


def test_guessed_versions_are_not_found(world: World) -> None:
    for role, args in GUESSED_VERSIONS:
        client = client_for(world, role)
        for name in ("budget_version", "budget_version_workbook"):
            assert client.get(reverse(name, args=args)).status_code == 404, (role, name, args)
        assert client.get(reverse("budget_version", args=[YEAR, "202", 1])).status_code == 200  # the real one


def test_an_export_job_id_opens_nothing_for_an_accountant(world: World) -> None:
    client = client_for(world, "acc202")
    for name in ("exports:status", "exports:download"):
        assert client.get(reverse(name, args=[world.job.pk])).status_code == 403
        assert client.get(reverse(name, args=[world.job.pk + 1000])).status_code == 403  # no probing either


# --- The admin site: administrators only ---------------------------------------------------------------------
# tests/budgetoffice/test_admin_access.py covers the index and changelists for accountants and reviewers, with and
# without staff flags; here every role, on the pages that open a budget and add a figure, and writes through them.

ADMIN_ROLES = ("anonymous", "inactive", "acc202", "acc202_staff", "reviewer", "reviewer_staff", "admin")


def admin_client(world: World, role: str) -> Client:
    if role.endswith("_staff"):
        role = role.removesuffix("_staff")
        User.objects.filter(username=role).update(is_staff=True, is_superuser=True)
    return client_for(world, role)


def admin_pages(world: World) -> dict[str, str]:
    return {
        "index": reverse("admin:index"),
        "budget_change": reverse("admin:budgets_budget_change", args=[world.budgets["202"].pk]),
        "budgetline_add": reverse("admin:budgets_budgetline_add"),
    }


# What the administrator gets; everyone else is sent to the admin's login. Figures are never added one line at a
# time in the admin (only by importing a file, through the ledger's write path): not even by the administrator.
ADMINISTRATOR_GETS = {"index": 200, "budget_change": 200, "budgetline_add": 403}


def shown_form(budget: Budget, url_name: str, form_id: str, query: str = "") -> dict:
    """What the entry page of ``budget`` posts as shown, read from the page its administrator gets (the spare row
    for a new entry included, blank; the row template left out)."""
    client = Client()
    client.force_login(User.objects.filter(role=Role.ADMINISTRATOR, is_active=True).first())
    html = client.get(reverse(url_name, args=[budget.year_id, budget.department.code]) + query).content.decode()
    return {name: value for name, value in form_data(html, form_id).items() if "__prefix__" not in name}


def form_data(html: str, form_id: str) -> dict:
    """The values a browser would send for the form as it is shown."""
    form = BeautifulSoup(html, "html.parser").find("form", id=form_id)
    data: dict[str, object] = {}
    for field_ in form.find_all(["input", "select", "textarea"]):
        name = field_.get("name")
        if not name or field_.get("type") in ("submit", "file"):
            continue
        if field_.name == "textarea":
            data[name] = field_.text
        elif field_.name == "select":
            selected = field_.find("option", selected=True)
            data[name] = selected["value"] if selected else ""
        elif field_.get("type") == "checkbox":
            if field_.has_attr("checked"):
                data[name] = field_.get("value", "on")
        else:
            data[name] = field_.get("value", "")
    return data


def new_line_data(budget: Budget) -> dict:
    """A valid new BudgetLine: an existing basic cell of the budget, moved to a 款 it does not use yet."""
    line = budget.lines.filter(project__isnull=True, carried_over=False).order_by("pk").first()
    taken = set(
        budget.lines.filter(
            unit=line.unit, function=line.function, kind=line.kind, source=line.source, carried_over=False
        ).values_list("economic_id", flat=True)
    )
    free = EconomicCode.objects.filter(year_id=YEAR, level=EconomicCode.LEAF_LEVEL).exclude(pk__in=taken).first()
    return {
        "budget": budget.pk,
        "unit": line.unit_id,
        "function": line.function_id,
        "economic": free.pk,
        "kind": line.kind,
        "source": line.source,
        "amount": "1234.00",
        "project": "",
    }


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_admin(world: World, role: str) -> None:
    budget = world.budgets["202"]
    pages = admin_pages(world)
    # The budget's form as the administrator is shown it: valid data, so a refusal is the permission's doing.
    change = form_data(client_for(world, "admin").get(pages["budget_change"]).content.decode(), "budget_form")
    change["duties"] = "管理后台改写的职责"
    client = admin_client(world, role)
    for page, url in pages.items():
        response = client.get(url)
        if role == "admin":
            assert response.status_code == ADMINISTRATOR_GETS[page], page
        else:
            assert response.status_code == 302, page
            assert response["Location"].startswith(reverse("admin:login")), page
    before = fingerprint()
    changed_response = client.post(pages["budget_change"], change)
    added_response = client.post(pages["budgetline_add"], new_line_data(budget))
    after = fingerprint()
    if role == "admin":
        assert changed_response.status_code == 302, changed_response.content[:2000]
        assert Budget.objects.get(pk=budget.pk).duties == "管理后台改写的职责"
        assert added_response.status_code == 403
        assert after["lines"] == before["lines"]
    else:
        for response in (changed_response, added_response):
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("admin:login"))
        assert after == before
