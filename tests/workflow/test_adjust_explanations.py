"""An adjustment (预算调整) opens the next version with the warning explanations of the approved one: a warning the
adjustment leaves as it was stays explained; one that changed, or is new, must be explained again."""

import pytest
from django.urls import reverse

from audit.verdict import budget_violations
from disclosure.services import explanation_inputs_set
from domain.audit.model import Severity
from tests.support.budgets import OWN, YEAR
from tests.support.workflow import EXPLANATION, approve_in_both_rounds, explain_warnings, step, with_a_warning
from workflow.services import WorkflowError

pytestmark = pytest.mark.django_db


def warnings_of(budget) -> list:
    return [v for v in budget_violations(budget) if v.severity is Severity.WARNING]


def test_an_unchanged_warning_stays_explained_in_the_adjustment(small, login) -> None:
    budget = with_a_warning(small.budget)
    assert warnings_of(budget)
    explain_warnings(budget, "accountant")
    budget = approve_in_both_rounds(budget, "accountant")
    budget = step(budget, "adjust", "accountant", "追加项目")
    assert budget.version == 2
    page = login("accountant").get(reverse("budget_detail", args=[YEAR, OWN])).content.decode()
    assert EXPLANATION in page
    step(budget, "submit", "accountant")  # nothing left to explain


def test_a_new_warning_of_the_adjustment_must_be_explained(small) -> None:
    budget = with_a_warning(small.budget)
    explain_warnings(budget, "accountant")
    budget = step(approve_in_both_rounds(budget, "accountant"), "adjust", "accountant", "追加项目")
    explanation_inputs_set(budget=budget, previous=None, remarks={"other": "其他情况待补充。"})  # a new place (T01)
    budget.refresh_from_db()
    with pytest.raises(WorkflowError, match="尚未说明"):
        step(budget, "submit", "accountant")
