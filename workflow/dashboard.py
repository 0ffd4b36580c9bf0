"""The finance dashboard (财政审核工作台): every department's budget of a year, one row each, for the bureau.

All figures of a row come from one query: the sums are correlated subqueries on the budget lines, the control
figures, the department and its reviewer are joined. The number of queries does not grow with the departments.
"""

from datetime import date, datetime
from decimal import Decimal

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import (
    Case,
    DateTimeField,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    When,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from accounts.models import Role, User
from budgets.models import Budget
from domain.deadlines import awaiting_submission, deadline_words
from domain.money import to_wan
from domain.workflow import REVIEWING, BudgetRound, BudgetState
from web.tables import QuickRowsTable

AMOUNT = DecimalField(max_digits=20, decimal_places=2)
ZERO = Decimal("0.00")
PER_PAGE = 50

# The budget's own columns a row shows (the rest of the row, e.g. its stored violations, is not read).
LISTED = (
    "year", "department", "state", "round", "version", "submitted_at", "errors_open", "warnings_open", "spending",
    "fiscal_spending", "returns", "state_since", "comments_open", "reviews_pending",
)  # fmt: skip
REVIEWER = tuple(f"department__reviewer__{name}" for name in ("username", "first_name", "last_name"))

MINE = "mine"  # the reviewer filter's "我负责的"
UNASSIGNED = "none"  # ... and its "未分配"


def dashboard_budgets(year: int) -> QuerySet[Budget]:
    """The budgets of ``year`` with what the dashboard shows, in yuan, from the budget rows alone (their totals
    are stored by every write, budgets.services.locking.budget_touch):

    - ``fiscal_spending``: this year's fiscal appropriation (what control figures limit, see domain.control);
    - ``spending``: all lines;
    - ``control_total`` and ``variance`` (fiscal spending minus control total; positive is over control),
      both None when no control figures were issued;
    - ``waiting_since``: when it was submitted, while it waits for the bureau (submitted or in review).
    """
    return (
        Budget.objects.filter(year_id=year)
        .only(*LISTED, "department__code", "department__name", "department__reviewer", *REVIEWER, "control__total")
        .select_related("department__reviewer", "control")
        .annotate(
            control_total=F("control__total"),
            variance=ExpressionWrapper(F("fiscal_spending") - F("control__total"), output_field=AMOUNT),
            waiting_since=Case(
                When(state__in=[s.value for s in REVIEWING], then=F("submitted_at")),
                default=None,
                output_field=DateTimeField(),
            ),
        )
        .order_by("department__code")
    )


def reviewer_name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _reviewer_choices(user) -> list[tuple[str, str]]:
    """The choices: 我负责的 (for a reviewer), 未分配, then everyone who reviews or may review a department."""
    reviewers = (
        User.objects.filter(Q(role=Role.REVIEWER) | Q(reviewed_departments__isnull=False))
        .distinct()
        .order_by("username")
    )
    choices = [(MINE, "我负责的")] if getattr(user, "is_reviewer", False) else []
    choices.append((UNASSIGNED, "未分配"))
    choices.extend((str(reviewer.pk), reviewer_name(reviewer)) for reviewer in reviewers)
    return choices


class DashboardFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label="状态", choices=BudgetState.choices, empty_label="全部")
    round = django_filters.ChoiceFilter(label="轮次", choices=BudgetRound.choices, empty_label="全部")
    reviewer = django_filters.ChoiceFilter(label="责任审核人", method="filter_reviewer", empty_label="全部")
    department = django_filters.CharFilter(
        label="部门", method="filter_department", widget=forms.TextInput(attrs={"placeholder": "编码或名称"})
    )

    class Meta:
        model = Budget
        fields: list[str] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["reviewer"].extra["choices"] = _reviewer_choices(getattr(self.request, "user", None))

    def filter_reviewer(self, queryset: QuerySet[Budget], name: str, value: str) -> QuerySet[Budget]:
        if value == MINE:
            return queryset.filter(department__reviewer=self.request.user)
        if value == UNASSIGNED:
            return queryset.filter(department__reviewer__isnull=True)
        return queryset.filter(department__reviewer_id=int(value))  # one of the choices: digits

    def filter_department(self, queryset: QuerySet[Budget], name: str, value: str) -> QuerySet[Budget]:
        value = value.strip()
        return queryset.filter(Q(department__code__icontains=value) | Q(department__name__icontains=value))


def _ordered(expression: str, descending: bool) -> list:
    """Order by an annotation that may be None (no control figures, not waiting): those rows always last. Ties
    are broken by department code, in the same direction (as for the other columns)."""
    field, code = F(expression), F("department__code")
    if descending:
        return [field.desc(nulls_last=True), code.desc()]
    return [field.asc(nulls_last=True), code.asc()]


def _wan(value: Decimal | None) -> Decimal | None:
    return None if value is None else to_wan(value)


def _wan_text(value: Decimal | None) -> str:
    return "" if value is None else f"{to_wan(value):.2f}"


NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


def _variance_class(record: Budget) -> str:
    return "num over-control" if record.variance is not None and record.variance > 0 else "num"


def _errors_class(record: Budget) -> str:
    return "num has-errors" if record.errors_open else "num"


class DashboardTable(QuickRowsTable):
    """One row per budget. ``render_*`` shapes the HTML cell, ``value_*`` the exported one (numbers in 万元,
    no markup)."""

    department_code = tables.Column("部门编码", accessor="department__code")
    department_name = tables.Column("部门名称", accessor="department__name")
    round = tables.Column("轮次", order_by=("round", "department__code"))
    state = tables.Column("状态", order_by=("state", "department__code"))
    version = tables.Column("版本", attrs=NUM, order_by=("version", "department__code"))
    fiscal_spending = tables.Column("财政拨款支出（万元）", attrs=NUM, order_by=("fiscal_spending", "department__code"))
    spending = tables.Column("支出合计（万元）", attrs=NUM, order_by=("spending", "department__code"))
    control_total = tables.Column("控制数（万元）", attrs=NUM, default="")
    variance = tables.Column(
        "差额（万元）", default="", attrs={"td": {"class": _variance_class}, "th": {"class": "num"}}
    )
    errors_open = tables.Column(
        "错误",
        attrs={"td": {"class": _errors_class}, "th": {"class": "num"}},
        order_by=("errors_open", "department__code"),
    )
    warnings_open = tables.Column("警告", attrs=NUM, order_by=("warnings_open", "department__code"))
    waiting_days = tables.Column("提交天数", accessor="waiting_since", attrs=NUM, default="")
    deadline = tables.Column("截止", accessor="round", orderable=False)
    returns = tables.Column("退回次数", attrs=NUM, order_by=("returns", "department__code"))
    comments_open = tables.Column("未解决批注", attrs=NUM, order_by=("comments_open", "department__code"))
    reviews_pending = tables.Column("待答复审核数", attrs=NUM, order_by=("reviews_pending", "department__code"))
    state_days = tables.Column("本状态天数", accessor="state_since", attrs=NUM, default="")
    reviewer = tables.Column(
        "责任审核人",
        accessor="department__reviewer",
        default="",
        order_by=("department__reviewer__first_name", "department__reviewer__username", "department__code"),
    )

    class Meta:
        model = Budget
        fields: tuple[str, ...] = ()
        attrs = {"class": "listing dashboard"}
        empty_text = "没有符合条件的部门预算。"
        template_name = "web/quick_rows_table.html"  # 50 rows of 18 columns, rendered in Python

    def __init__(self, *args, now: datetime | None = None, deadlines: dict[int, date] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        self.deadlines = deadlines or {}

    def render_department_name(self, value: str, record: Budget) -> str:
        url = reverse("budget_detail", args=[record.year_id, record.department.code])
        return format_html('<a href="{}">{}</a>', url, value)

    def value_department_name(self, value: str) -> str:
        return value

    def render_fiscal_spending(self, value: Decimal) -> str:
        return _wan_text(value)

    def value_fiscal_spending(self, value: Decimal) -> Decimal | None:
        return _wan(value)

    def render_spending(self, value: Decimal) -> str:
        return _wan_text(value)

    def value_spending(self, value: Decimal) -> Decimal | None:
        return _wan(value)

    def render_control_total(self, value: Decimal) -> str:
        return _wan_text(value)

    def value_control_total(self, value: Decimal) -> Decimal | None:
        return _wan(value)

    def render_variance(self, value: Decimal) -> str:
        text = _wan_text(value)
        return f"+{text}" if value > 0 else text

    def value_variance(self, value: Decimal) -> Decimal | None:
        return _wan(value)

    def render_waiting_days(self, value: datetime) -> int:
        return max((self.now - value).days, 0)

    def value_waiting_days(self, value: datetime) -> int:
        return self.render_waiting_days(value)

    def render_deadline(self, record: Budget) -> str:
        """For a budget not yet submitted in its round: the days to its round's deadline, or past it."""
        if not awaiting_submission(record.state):
            return ""
        return deadline_words(self.deadlines.get(record.round), timezone.localtime(self.now).date())

    def value_deadline(self, record: Budget) -> str:
        return self.render_deadline(record)

    def render_state_days(self, value: datetime) -> int:
        return max((self.now - value).days, 0)

    def value_state_days(self, value: datetime) -> int:
        return self.render_state_days(value)

    def render_reviewer(self, value: User) -> str:
        return reviewer_name(value)

    def value_reviewer(self, value: User) -> str:
        return reviewer_name(value)

    def order_control_total(self, queryset: QuerySet[Budget], is_descending: bool) -> tuple[QuerySet[Budget], bool]:
        return queryset.order_by(*_ordered("control_total", is_descending)), True

    def order_variance(self, queryset: QuerySet[Budget], is_descending: bool) -> tuple[QuerySet[Budget], bool]:
        return queryset.order_by(*_ordered("variance", is_descending)), True

    def order_waiting_days(self, queryset: QuerySet[Budget], is_descending: bool) -> tuple[QuerySet[Budget], bool]:
        # More days waiting is an earlier submission.
        return queryset.order_by(*_ordered("waiting_since", not is_descending)), True
