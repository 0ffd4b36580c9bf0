"""Shared by the optimistic-locking tests and the real races on PostgreSQL: a budget's figures, users and workbooks
with one change each."""

from decimal import Decimal

from django.test import Client

from accounts.models import User
from budgets.models import (
    Budget,
    BudgetLine,
    FixedAsset,
)
from demo.loader import DEMO_PASSWORD
from domain.ledger import LineInput
from tests.support.workbooks import edited, exported

STALE = "已被他人修改"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YEAR, CODE = 2021, "318"
ASSETS_SHEET = "部门固定资产占用情况表"
CONTROL_WAN = {"total": "100000", "basic": "50000", "project": "50000", "three_public": "500"}
CONTROL_YUAN = {key: Decimal(wan) * 10000 for key, wan in CONTROL_WAN.items()}  # the same figures in yuan


def user(name: str) -> User:
    return User.objects.get(username=name)


def second_user(name: str, *, like: str) -> User:
    """Another person in the same role and department as the demo user ``like`` (the demo has one of each)."""
    model = user(like)
    other = User(username=name, role=model.role, department_id=model.department_id)
    other.set_password(DEMO_PASSWORD)
    other.save()
    return other


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def fresh(code: str = CODE) -> Budget:
    return Budget.objects.select_related("department").get(department__code=code, year_id=YEAR)


def figures(budget: Budget) -> list[tuple]:
    """The stored figures, as comparable tuples (the same shape as ``as_figures`` of the inputs)."""
    rows = BudgetLine.objects.filter(budget_id=budget.pk).values_list(
        "unit__name", "function__code", "economic__code", "kind", "source", "carried_over", "project__name", "amount"
    )
    return sorted((*row[:6], row[6] or "", row[7]) for row in rows)


def as_figures(lines: list[LineInput]) -> list[tuple]:
    return sorted(
        (line.unit, line.function, line.economic, line.kind, line.source, line.carried_over, line.project, line.amount)
        for line in lines
    )


def workbook_with_figure_changed(budget: Budget, by: Decimal) -> bytes:
    """The official workbook of the budget as it would print with its largest basic figure changed ``by``;
    the stored budget is left exactly as it was."""
    line = BudgetLine.objects.filter(budget_id=budget.pk, kind="basic").order_by("-amount", "-pk").first()
    BudgetLine.objects.filter(pk=line.pk).update(amount=line.amount + by)
    try:
        return exported(fresh(budget.department.code))
    finally:
        BudgetLine.objects.filter(pk=line.pk).update(amount=line.amount)


def workbook_with_assets_changed(budget: Budget) -> bytes:
    """The official workbook with one more vehicle in the fixed-assets table (row 6), figures untouched."""

    def edit(workbook) -> None:
        sheet = workbook[ASSETS_SHEET]
        assert sheet["A6"].value == "车辆（辆）"
        sheet["B6"] = sheet["B6"].value + 1

    return edited(exported(budget), edit)


def vehicles(budget: Budget) -> Decimal:
    return FixedAsset.objects.get(budget_id=budget.pk, item="车辆（辆）").quantity
