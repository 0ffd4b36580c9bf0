"""django-tables2 listings of budgets."""

from decimal import Decimal

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from budgets.models import Budget
from domain.money import format_amount
from web.tables import QuickRowsTable


class BudgetTable(QuickRowsTable):
    year = tables.Column("预算年度", accessor="year_id")
    department_code = tables.Column("部门编码", accessor="department__code")
    department_name = tables.Column("部门名称", accessor="department__name")
    round = tables.Column("轮次")
    version = tables.Column("版本")
    state = tables.Column("状态")
    spending = tables.Column(
        "支出合计（万元）", accessor="spending", attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )
    errors_open = tables.Column("错误", attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    warnings_open = tables.Column("警告", attrs={"td": {"class": "num"}, "th": {"class": "num"}})

    class Meta:
        model = Budget
        fields = (
            "year",
            "department_code",
            "department_name",
            "round",
            "version",
            "state",
            "spending",
            "errors_open",
            "warnings_open",
        )
        attrs = {"class": "listing"}
        empty_text = "暂无可查看的部门预算。"
        template_name = "web/quick_rows_table.html"  # a reviewer's home page lists 50 budgets

    def render_department_name(self, value: str, record: Budget) -> str:
        url = reverse("budget_detail", args=[record.year_id, record.department.code])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_version(self, value: int) -> str:
        return f"第{value}版"

    def render_errors_open(self, value: int, record: Budget) -> str:
        if not value:
            return "0"
        url = reverse("budget_detail", args=[record.year_id, record.department.code]) + "#audit"
        return format_html('<a class="has-errors" href="{}">{}</a>', url, value)

    def render_spending(self, value: Decimal | None) -> str:
        return format_amount(value) or "0.00"
