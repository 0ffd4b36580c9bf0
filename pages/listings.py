"""django-tables2 listings of budgets."""

from decimal import Decimal

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from budgets.models import Budget
from domain.money import format_amount


class BudgetTable(tables.Table):
    year = tables.Column("预算年度", accessor="year_id")
    department_code = tables.Column("部门编码", accessor="department__code")
    department_name = tables.Column("部门名称", accessor="department__name")
    spending = tables.Column(
        "支出合计（万元）", accessor="spending", attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )

    class Meta:
        model = Budget
        fields = ("year", "department_code", "department_name", "spending")
        attrs = {"class": "listing"}
        empty_text = "暂无可查看的部门预算。"

    def render_department_name(self, value: str, record: Budget) -> str:
        url = reverse("budget_detail", args=[record.year_id, record.department.code])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_spending(self, value: Decimal | None) -> str:
        return format_amount(value) or "0.00"
