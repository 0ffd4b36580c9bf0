"""Reads: a stored budget turned into the plain data the domain functions work on."""

from django.db.models import QuerySet

from budgets.domain.classifications import Kind, Source
from budgets.domain.ledger import BudgetData, Catalogue, Line, UnitInfo
from budgets.models import Budget, BudgetLine
from catalog.models import EconomicCode, FunctionCode


def catalogue_for_year(year: int) -> Catalogue:
    return Catalogue(
        function_names=dict(FunctionCode.objects.filter(year_id=year).values_list("code", "name")),
        economic_names=dict(EconomicCode.objects.filter(year_id=year).values_list("code", "name")),
    )


def budget_lines(budget: Budget) -> tuple[Line, ...]:
    rows = BudgetLine.objects.filter(budget=budget).values_list(
        "function__code", "economic__code", "kind", "source", "amount", "carried_over"
    )
    return tuple(
        Line(
            function=function,
            economic=economic,
            kind=Kind(kind),
            source=Source(source),
            amount=amount,
            carried_over=carried_over,
        )
        for function, economic, kind, source, amount, carried_over in rows
    )


def budget_data(budget: Budget) -> BudgetData:
    units = budget.department.units.order_by("position", "id").values_list("name", "nature", "rank", "funding_form")
    return BudgetData(
        department_code=budget.department.code,
        department_name=budget.department.name,
        year=budget.year_id,
        catalogue=catalogue_for_year(budget.year_id),
        lines=budget_lines(budget),
        units=tuple(UnitInfo(*unit) for unit in units),
    )


def budgets_visible_to(user) -> QuerySet[Budget]:
    """The budgets a user may read: an accountant only their own department's, staff of the bureau all."""
    budgets = Budget.objects.select_related("department", "year")
    if not user.is_authenticated:
        return budgets.none()
    if user.is_administrator or user.is_reviewer:
        return budgets
    if user.department_id is None:
        return budgets.none()
    return budgets.filter(department_id=user.department_id)
