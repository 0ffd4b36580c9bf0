"""The audit rules' verdict is stored on the budget at each write (budget_touch) and the budget page shows it
without running the rules (issue 9: the large department's page within 150 ms)."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

import audit.verdict
from accounts.models import User
from audit.verdict import budget_violations, foreseen_verdict, stored_violations
from budgets.models import Budget
from budgets.selectors import budget_assets, budget_data, budget_procurement
from budgets.services.figures import budget_get_or_create, budget_replace_figures
from budgets.services.structure import budget_set_duties
from budgets.services.supplementary import budget_replace_supplementary
from disclosure.services import explanation_inputs_set
from domain.audit.model import Severity, Violation, violations_from_json, violations_to_json
from official.render import print_table
from tests.support.budgets import OWN, YEAR, load_tiny_catalogue
from tests.support.editing import figures_changed
from tests.support.hebei_2021 import OFFICIAL_TABLES
from tests.support.html import body_cells
from tests.support.workflow import approve_in_both_rounds, with_a_warning
from workflow.services import budget_set_control

pytestmark = pytest.mark.django_db

STALE = [["Z99", "error", "某处", "早已过时的审核结果", ""]]
BROKEN_REFERENCE = {"other": "详见附件（错误！未定义书签。）"}  # rule T02: an error in the 情况说明


def _figures(budget: Budget) -> None:
    projects, lines = figures_changed(budget, Decimal("100"))
    budget_replace_figures(budget=budget, projects=projects, lines=lines)


def _supplementary(budget: Budget) -> None:
    budget_replace_supplementary(
        budget=budget,
        procurement=budget_procurement(budget),
        assets=budget_assets(budget),
        assets_as_of=date(2020, 6, 30),
    )


def _control(budget: Budget) -> None:
    limits = {"total": Decimal("1"), "basic": Decimal("0"), "project": Decimal("0"), "three_public": Decimal("0")}
    budget_set_control(budget=budget, user=User.objects.get(username="reviewer"), limits=limits)


WRITES: dict[str, Callable[[Budget], None]] = {
    "figures": _figures,
    "procurement_and_assets": _supplementary,
    "duties": lambda budget: budget_set_duties(budget=budget, duties="负责本部门的综合事务。"),
    "explanation_remarks": lambda budget: explanation_inputs_set(
        budget=budget, previous=None, remarks=BROKEN_REFERENCE
    ),
    "control_figures": _control,
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_stores_the_verdict_the_rules_give_now(small, write) -> None:
    budget = small.budget
    Budget.objects.filter(pk=budget.pk).update(violations=STALE, errors_open=99)
    write(budget)
    budget = Budget.objects.select_related("department", "year", "control", "goals").get(pk=budget.pk)
    live = budget_violations(budget)
    assert violations_from_json(budget.violations) == live
    assert budget.errors_open == sum(v.severity is Severity.ERROR for v in live)


def test_a_write_inside_a_foreseen_verdict_stores_it_without_running_the_rules(small, monkeypatch) -> None:
    budget = small.budget
    foreseen = [Violation("Z01", Severity.WARNING, "某处", "写入者已算出的审核结果", "")]

    def not_run(*args, **kwargs):
        raise AssertionError("the rules ran although the verdict was foreseen")

    with monkeypatch.context() as patched:
        patched.setattr(audit.verdict, "budget_violations", not_run)
        with foreseen_verdict(budget, foreseen):
            _figures(budget)
    stored = Budget.objects.get(pk=budget.pk)
    assert violations_from_json(stored.violations) == foreseen
    assert (stored.errors_open, stored.warnings_open) == (0, 1)

    _figures(Budget.objects.get(pk=budget.pk))  # outside the block the rules run again
    assert violations_from_json(Budget.objects.get(pk=budget.pk).violations) != foreseen


def test_a_remark_with_a_broken_reference_shows_its_error_on_the_page(small, login) -> None:
    explanation_inputs_set(budget=small.budget, previous=None, remarks=BROKEN_REFERENCE)
    html = login("accountant").get(reverse("budget_detail", args=[YEAR, OWN])).content.decode()
    assert "T02" in html


def test_violations_are_stored_and_read_back_unchanged() -> None:
    violations = [
        Violation("E01", Severity.ERROR, "部门预算收入总表｜合计｜本年收入", "合计不等于各项之和", "table-summary"),
        Violation("D01", Severity.WARNING, "部门职责", "“<未填写>”", ""),
    ]
    assert violations_from_json(violations_to_json(violations)) == violations


def test_the_page_shows_the_stored_verdict_without_running_the_rules(small, login) -> None:
    Budget.objects.filter(pk=small.budget.pk).update(violations=STALE)
    html = login("accountant").get(reverse("budget_detail", args=[YEAR, OWN])).content.decode()
    assert "早已过时的审核结果" in html


def test_a_budget_not_written_since_verdicts_were_stored_gets_the_rules_run(small, login) -> None:
    budget = with_a_warning(small.budget)
    expected = budget_violations(budget)
    Budget.objects.filter(pk=budget.pk).update(violations=None)
    budget.refresh_from_db()
    assert stored_violations(budget) == expected
    html = login("accountant").get(reverse("budget_detail", args=[YEAR, OWN])).content.decode()
    assert expected
    assert all(violation.message in html for violation in expected)


def test_every_table_on_the_page_prints_every_cell_of_the_official_table(small, login) -> None:
    budget = small.budget
    html = login("accountant").get(reverse("budget_tables", args=[YEAR, OWN])).content.decode()
    data = budget_data(budget)
    for layout in OFFICIAL_TABLES:
        assert body_cells(html, layout.key) == [row.texts for row in print_table(layout, data).rows], layout.key


def test_names_in_the_tables_are_escaped(small, login) -> None:
    unit = small.budget.department.units.order_by("position", "id").first()
    unit.name = "<b>办公室</b> & “后勤”"
    unit.save()
    html = login("accountant").get(reverse("budget_tables", args=[YEAR, OWN])).content.decode()
    assert "&lt;b&gt;办公室&lt;/b&gt; &amp; “后勤”" in html
    assert "<b>办公室</b>" not in html


def test_approving_a_budget_refreshes_the_verdict_of_the_departments_next_year(small) -> None:
    # next year's 情况说明 compares with the approved figures (disclosure.selectors.approved_previous)
    next_year = YEAR + 1
    load_tiny_catalogue(next_year)
    following = budget_get_or_create(department=small.budget.department, year=next_year)
    Budget.objects.filter(pk=following.pk).update(violations=STALE)
    approve_in_both_rounds(small.budget, "accountant")
    refreshed = Budget.objects.select_related("department", "year", "control", "goals").get(pk=following.pk)
    assert violations_from_json(refreshed.violations) == budget_violations(refreshed)
    assert refreshed.violations != STALE
    assert refreshed.revision == following.revision  # nothing its editors typed changed: their pages stay valid
