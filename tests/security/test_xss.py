"""HTML and script typed into any text field is shown as text on every page that shows it.

A payload of a script element, an attribute break-out with an event handler, and a javascript: URL is put into
every text a user can type (through the services where they record it: warning explanations, the return
comment, notifications; directly in the rows for the rest, as the entry pages and the import would store them),
then every page that shows those texts is rendered and parsed: the payload must appear escaped, and no script
with its content, no on* attribute and no javascript: link may exist. The published HTML document is checked too.
"""

import pytest
from bs4 import BeautifulSoup
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils.html import escape

from accounts.models import User
from budgets.models import Budget, FixedAsset, ProcurementItem, Project
from catalog.models import EconomicCode, FunctionCode
from departments.models import Department, Unit
from disclosure.models import ExplanationRemark
from disclosure.publication import budget_publish, render_publication
from domain.explanation import REMARKS
from performance.models import DepartmentGoals, Indicator, LibraryIndicator, SubGoal, TargetTable
from tests.support.budgets import OWN, PASSWORD, make_own_budget
from tests.support.factories import AccountantFactory
from tests.support.hebei_2021 import OFFICIAL_TABLES
from tests.support.workflow import approve_in_both_rounds, explain_warnings, step

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert(1)</script>"><img src=x onerror=alert(1)>javascript:alert(1)'
# For the fields shorter than PAYLOAD (PostgreSQL refuses what does not fit; SQLite would store it whole).
PAYLOAD_50 = PAYLOAD[:50]  # '<script>alert(1)</script>"><img src=x onerror=aler'
PAYLOAD_20 = "<svg onload=alert()>"
# The same three attacks without a space (the slash parses as one), for the catalogue's names: the rules B02/B03 find
# the summary's 类 rows in the other tables by name, without spaces on one side only.
PAYLOAD_NO_SPACE = '<script>alert(1)</script>"><svg/onload=alert(1)>javascript:alert(1)'
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster"}


def assert_inert(html: str, where: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    for script in soup.find_all("script"):
        text = script.string or ""
        if script.get("type") == "application/json":
            assert "<" not in text, f"{where}: raw < inside a JSON script"  # json_script escapes it
        else:
            assert "alert(1)" not in text, f"{where}: the payload runs as a script"
    for tag in soup.find_all(True):
        for attribute, value in tag.attrs.items():
            assert not attribute.lower().startswith("on"), f"{where}: <{tag.name} {attribute}=…>"
            values = value if isinstance(value, list) else [value]
            if attribute.lower() in URL_ATTRIBUTES:
                assert not any(str(v).strip().lower().startswith("javascript:") for v in values), f"{where}: {tag}"
    assert not soup.find_all("img", src="x"), f"{where}: an injected image"


def numbered(field: str):
    return Concat(Value(PAYLOAD), F("pk"))


PUBLISHED = "103"  # a second department with a budget of every part, approved and published


@pytest.fixture
def hostile(small) -> dict[str, Budget]:
    """The small world and a copy of its own budget for another department, the payload in every free text; the own
    budget returned with it, the copy approved and published."""
    copy = make_own_budget(PUBLISHED, "石家庄市公开局")
    Department.objects.filter(pk=copy.department_id).update(reviewer=small.reviewer)
    AccountantFactory(username="published_accountant", department=copy.department, password=PASSWORD)
    Department.objects.update(name=Concat(Value("部门"), Value(PAYLOAD)))
    Unit.objects.update(name=numbered("name"), rank=PAYLOAD_50, funding_form=PAYLOAD_50)
    Budget.objects.update(duties=PAYLOAD)
    Project.objects.update(name=numbered("name"))
    ProcurementItem.objects.update(item_name=PAYLOAD, measure_unit=PAYLOAD_20, catalogue_number=PAYLOAD_50)
    FixedAsset.objects.update(item=PAYLOAD)
    FunctionCode.objects.update(name=PAYLOAD_NO_SPACE)
    EconomicCode.objects.update(name=PAYLOAD)
    DepartmentGoals.objects.update(overall=PAYLOAD, measures=PAYLOAD)
    SubGoal.objects.update(title=PAYLOAD, goal=PAYLOAD, indicators=PAYLOAD)
    TargetTable.objects.update(goal=PAYLOAD)
    Indicator.objects.update(name=PAYLOAD, description=PAYLOAD, basis=PAYLOAD)
    LibraryIndicator.objects.update(name=numbered("name"), description=PAYLOAD)
    User.objects.filter(username="reviewer").update(first_name=PAYLOAD, last_name=PAYLOAD)
    for budget in Budget.objects.all():
        for key in REMARKS:
            ExplanationRemark.objects.update_or_create(budget=budget, key=key, defaults={"text": PAYLOAD})
    budgets = {budget.department.code: budget for budget in Budget.objects.select_related("department")}
    explain_warnings(budgets[OWN], "accountant", PAYLOAD)
    step(budgets[OWN], "submit", "accountant", PAYLOAD)
    step(budgets[OWN], "start_review", "reviewer")
    step(budgets[OWN], "return", "reviewer", PAYLOAD)
    explain_warnings(budgets[PUBLISHED], "published_accountant", PAYLOAD)
    approve_in_both_rounds(budgets[PUBLISHED], "published_accountant")
    budget_publish(Budget.objects.get(department__code=PUBLISHED), User.objects.get(username="reviewer"))
    return {code: Budget.objects.get(pk=budget.pk) for code, budget in budgets.items()}


def budget_pages(budget: Budget) -> list[str]:
    args = [budget.year_id, budget.department.code]
    names = [
        "budget_detail",
        "budget_targets",
        "budget_changes",
        "budget_explanation",
        "budget_publication",
        "budget_units_edit",
        "budget_projects_edit",
        "budget_duties_edit",
        "budget_procurement_edit",
        "budget_figures_edit",
        "budget_goals_edit",
    ]
    urls = [reverse(name, args=args) for name in names]
    urls += [reverse("budget_table", args=[*args, layout.key]) for layout in OFFICIAL_TABLES]
    urls += [
        reverse("budget_target_edit", args=[*args, table.project_id])
        for table in TargetTable.objects.filter(project__budget=budget)
    ]
    urls += [reverse("budget_version", args=[*args, 1])]
    return urls


def pages_for(hostile, who: str) -> list[str]:
    own = {"accountant": [OWN], "published_accountant": [PUBLISHED], "reviewer": [OWN, PUBLISHED]}[who]
    urls = [reverse("home"), reverse("notifications")]
    for code in own:
        urls += budget_pages(hostile[code])
        urls.append(reverse("indicator_library", args=[code]))
    if who == "reviewer":
        urls += [reverse("dashboard"), reverse("public_index", args=[2021])]
    return urls


@pytest.mark.parametrize("who", ["accountant", "published_accountant", "reviewer"])
def test_every_page_shows_the_payload_escaped_and_inert(hostile, login, who) -> None:
    client = login(who)
    opened, shown = [], []
    for url in pages_for(hostile, who):
        response = client.get(url)
        if response.status_code in (302, 403, 404):  # a page this user may not open here (e.g. edit when frozen)
            continue
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_inert(html, url)
        opened.append(url)
        if ESCAPED in html:
            shown.append(url)
    # Every budget page names the department: each one opened must have shown the payload, escaped.
    budget_urls = [url for url in opened if "/budgets/" in url]
    assert len(budget_urls) >= 10
    assert set(budget_urls) <= set(shown), set(budget_urls) - set(shown)


def test_the_notification_of_a_return_shows_the_comment_escaped(hostile, login) -> None:
    html = login("accountant").get(reverse("notifications")).content.decode()
    assert_inert(html, "notifications")
    assert ESCAPED in html


def test_the_public_pages_and_the_published_document_are_inert(hostile, client) -> None:
    for url in (reverse("public_index", args=[2021]), reverse("public_document", args=[2021, PUBLISHED])):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_inert(html, url)
    assert ESCAPED in html
    published = render_publication(hostile[PUBLISHED])
    assert_inert(published, "published document")
    assert ESCAPED in published
    assert ESCAPED in render_publication(hostile[OWN], preview=True)


@pytest.mark.parametrize(
    "html",
    [
        f"<p>{PAYLOAD}</p>",
        f"<p>{PAYLOAD_NO_SPACE}</p>",
        "<p><svg/onload=alert(1)></p>",
        '<a href="javascript:alert(1)">x</a>',
        '<div onclick="alert(1)">x</div>',
        "<script>alert(1)</script>",
        '<script type="application/json">{"a": "</script><script>alert(1)</script>"}</script>',
    ],
)
def test_the_checker_catches_a_live_payload(html) -> None:
    with pytest.raises(AssertionError):
        assert_inert(html, "sample")


def test_the_checker_passes_the_escaped_payload() -> None:
    assert_inert(f"<p>{escape(PAYLOAD)}</p><input value='{escape(PAYLOAD)}'>", "sample")
