"""The database itself refuses figures that break the ledger's rules."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from domain.classifications import Kind, Source
from tests.support.factories import (
    BudgetFactory,
    BudgetLineFactory,
    BudgetYearFactory,
    EconomicCodeFactory,
    FunctionCodeFactory,
    ProjectFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def test_negative_amount_is_refused_by_the_database() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLineFactory(amount=Decimal("-0.01"))


def test_appropriated_money_cannot_fund_operating_expenditure() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLineFactory(kind=Kind.OPERATING, source=Source.GENERAL)


def test_project_expenditure_needs_a_project() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLineFactory(kind=Kind.PROJECT, project=None)


def test_non_fiscal_money_may_fund_operating_expenditure() -> None:
    line = BudgetLineFactory(kind=Kind.OPERATING, source=Source.OPERATING)
    line.full_clean()


def test_codes_must_come_from_the_budgets_year_and_leaf_level() -> None:
    budget = BudgetFactory()
    other_year = BudgetYearFactory(year=2022)
    line = BudgetLineFactory.build(
        budget=budget,
        unit=UnitFactory(department=budget.department),
        function=FunctionCodeFactory(year=other_year),
        economic=EconomicCodeFactory(year=budget.year, code="301", name="工资福利支出"),
    )
    with pytest.raises(ValidationError) as caught:
        line.full_clean()
    assert "2021年度" in str(caught.value.message_dict["function"])
    assert "款级" in str(caught.value.message_dict["economic"])


def test_a_line_belongs_to_a_unit_of_its_own_department() -> None:
    budget = BudgetFactory()
    line = BudgetLineFactory.build(
        budget=budget,
        unit=UnitFactory(),
        function=FunctionCodeFactory(year=budget.year),
        economic=EconomicCodeFactory(year=budget.year),
    )
    with pytest.raises(ValidationError) as caught:
        line.full_clean()
    assert "本部门" in str(caught.value.message_dict["unit"])


def test_project_line_unit_is_the_projects_unit() -> None:
    project = ProjectFactory()
    line = BudgetLineFactory.build(
        budget=project.budget,
        unit=UnitFactory(department=project.budget.department),
        function=FunctionCodeFactory(year=project.budget.year),
        economic=EconomicCodeFactory(year=project.budget.year),
        kind=Kind.PROJECT,
        project=project,
    )
    with pytest.raises(ValidationError) as caught:
        line.full_clean()
    assert "项目所属单位" in str(caught.value.message_dict["unit"])


def test_a_used_code_cannot_be_deleted() -> None:
    line = BudgetLineFactory()
    with pytest.raises(ProtectedError):
        line.function.delete()
