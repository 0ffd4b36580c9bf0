"""The finance dashboard down to units (按单位): one row per unit of every department that has a budget of the year,
with what the unit spends in it and the state of its part (domain.unit_parts), for the bureau.

As the department dashboard, one query: the unit's sum, its part's state and whether it enters its own part are
correlated subqueries, the department and its budget joined.
"""

from decimal import Decimal

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import DecimalField, Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html

from accounts.models import Role, User
from budgets.models import Budget, BudgetLine, UnitPart
from departments.models import Unit
from domain.money import to_wan
from domain.unit_parts import PartState
from domain.workflow import BudgetState
from web.tables import QuickRowsTable

AMOUNT = DecimalField(max_digits=20, decimal_places=2)
ZERO = Decimal("0.00")
# A unit without an accountant of its own: its department enters its lines, and it has no part to report.
BY_DEPARTMENT, BY_DEPARTMENT_LABEL = "department", "部门填报"


def dashboard_units(year: int) -> QuerySet[Unit]:
    """The units of the departments that have a budget of ``year``, with ``spending`` (yuan), ``part_state`` (None
    until the part first moves), ``reports`` (has an active 单位填报人), the budget's ``budget_state``."""
    budget = Budget.objects.filter(year_id=year, department_id=OuterRef("department_id"))
    spending = (
        BudgetLine.objects.filter(budget__year_id=year, unit_id=OuterRef("pk"))
        .values("unit_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    part = UnitPart.objects.filter(budget__year_id=year, unit_id=OuterRef("pk")).values("state")[:1]
    accountants = User.objects.filter(unit_id=OuterRef("pk"), role=Role.UNIT_ACCOUNTANT, is_active=True)
    return (
        Unit.objects.filter(Exists(budget))
        .select_related("department")
        .only("name", "position", "department__code", "department__name")
        .annotate(
            spending=Coalesce(Subquery(spending, output_field=AMOUNT), Value(ZERO), output_field=AMOUNT),
            part_state=Subquery(part),
            reports=Exists(accountants),
            budget_state=Subquery(budget.values("state")[:1]),
        )
        .order_by("department__code", "position", "id")
    )


PART_CHOICES = [*PartState.choices, (BY_DEPARTMENT, BY_DEPARTMENT_LABEL)]


class UnitDashboardFilter(django_filters.FilterSet):
    department = django_filters.CharFilter(
        label="部门", method="filter_department", widget=forms.TextInput(attrs={"placeholder": "编码或名称"})
    )
    unit = django_filters.CharFilter(label="单位", field_name="name", lookup_expr="icontains")
    part = django_filters.ChoiceFilter(
        label="单位预算状态", choices=PART_CHOICES, method="filter_part", empty_label="全部"
    )

    class Meta:
        model = Unit
        fields: list[str] = []

    def filter_department(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        value = value.strip()
        return queryset.filter(Q(department__code__icontains=value) | Q(department__name__icontains=value))

    def filter_part(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        if value == BY_DEPARTMENT:
            return queryset.filter(reports=False)
        if value == PartState.DRAFT:  # a part that never moved has no row: it is a draft
            return queryset.filter(Q(part_state=value) | Q(part_state__isnull=True), reports=True)
        return queryset.filter(part_state=value, reports=True)


def part_words(record: Unit) -> str:
    if not record.reports:
        return BY_DEPARTMENT_LABEL
    return PartState(record.part_state or PartState.DRAFT).label


class UnitDashboardTable(QuickRowsTable):
    department_code = tables.Column("部门编码", accessor="department__code")
    department_name = tables.Column("部门名称", accessor="department__name")
    name = tables.Column("单位名称", order_by=("name", "department__code"))
    part = tables.Column("单位预算状态", accessor="part_state", empty_values=(), orderable=False)
    spending = tables.Column(
        "支出合计（万元）", attrs={"td": {"class": "num"}, "th": {"class": "num"}}, order_by=("spending", "name")
    )
    budget_state = tables.Column("部门预算状态", default="", orderable=False)

    class Meta:
        model = Unit
        fields: tuple[str, ...] = ()
        attrs = {"class": "listing dashboard dashboard-units"}
        empty_text = "没有符合条件的单位。"
        template_name = "web/quick_rows_table.html"

    def __init__(self, *args, year: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.year = year

    def render_name(self, value: str, record: Unit) -> str:
        url = reverse("budget_unit_part", args=[self.year, record.department.code, record.pk])
        return format_html('<a href="{}">{}</a>', url, value)

    def value_name(self, value: str) -> str:
        return value

    def render_part(self, record: Unit) -> str:
        return part_words(record)

    def value_part(self, record: Unit) -> str:
        return part_words(record)

    def render_spending(self, value: Decimal) -> str:
        return f"{to_wan(value):.2f}"

    def value_spending(self, value: Decimal) -> Decimal:
        return to_wan(value)

    def render_budget_state(self, value: str) -> str:
        return BudgetState(value).label if value else ""

    def value_budget_state(self, value: str) -> str:
        return self.render_budget_state(value)
