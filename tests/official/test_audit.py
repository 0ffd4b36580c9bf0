"""One verdict: the rules on a budget's exported workbook say what they say on the budget itself."""

import io

from hypothesis import given, settings

from demo import luquan_202
from domain.ledger import BudgetData
from domain.money import DisplayUnit
from official.audit import audit_budget, audit_workbook
from official.edition import edition
from official.workbook import write_workbook
from tests.support.figures import data_with_units
from tests.support.strategies import budgets
from tests.support.verdicts import findings


def exported(data: BudgetData, key: str) -> bytes:
    """The budget's workbook as the download writes it: in 万元, or in the units the edition fixes (Shanghai's 元)."""
    buffer = io.BytesIO()
    write_workbook(buffer, data, DisplayUnit.WAN, layouts=edition(key).for_year(data.year))
    return buffer.getvalue()


@settings(max_examples=40, deadline=None)
@given(budgets())
def test_the_rules_find_the_same_in_the_exported_workbook_as_in_the_budget(data) -> None:
    for key in ("hebei-2021", "shanghai-2026"):
        audit = audit_workbook(exported(data, key), expected=key)
        assert audit.problems == []
        assert audit.edition is not None
        assert audit.edition.key == key
        assert findings(audit.violations) == findings(audit_budget(data, layouts=edition(key))), key


def test_the_example_s_remarks_are_the_same_on_its_workbook_and_on_the_budget() -> None:
    data = data_with_units(luquan_202.BUDGET)
    stored = findings(audit_budget(data))
    assert stored  # the 302 tail (A02), a finding to agree on
    assert findings(audit_workbook(exported(data, "hebei-2021")).violations) == stored
