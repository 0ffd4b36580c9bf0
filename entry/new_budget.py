"""新建预算: the page that starts a department's budget for a new year, and the report of what was copied.

An accountant starts his own department's budgets, an administrator any department's; a reviewer gets 403. The
form offers the years whose catalogue is loaded (for an accountant, those his department has no budget for yet);
budgets.services.rollover.budget_start_year does the work and says, in Chinese, why it refuses. The report is the
"rollover" event of the new budget, readable by whoever may read the budget.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from budgets.access import (
    CREATE_REFUSED,
    creatable_departments,
    may_create_budget,
    may_edit,
    require,
    visible_budget_or_404,
)
from budgets.models import Budget
from budgets.services.rollover import RolloverError, budget_start_year, catalogue_years
from domain.money import format_amount

EMPTY, PREVIOUS = "empty", "previous"


class NewBudgetForm(forms.Form):
    department = forms.ChoiceField(
        label="部门", error_messages={"invalid_choice": "只能为本部门新建预算。", "required": "请选择部门。"}
    )
    year = forms.TypedChoiceField(
        label="预算年度",
        coerce=int,
        error_messages={
            "invalid_choice": "该年度没有科目表，或本部门已有该年度预算，请从列表中选择。",
            "required": "请选择预算年度。",
        },
    )
    start = forms.ChoiceField(
        label="新建方式",
        choices=[(EMPTY, "空白预算"), (PREVIOUS, "复制上年已批复预算（项目、绩效目标、部门职责）")],
        initial=PREVIOUS,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "请选择新建方式。", "required": "请选择新建方式。"},
    )
    copy_figures = forms.BooleanField(
        label="同时复制上年数字（预算明细、政府采购、固定资产；科目按新年度科目表对应）", required=False, initial=True
    )

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        years = catalogue_years()
        departments = creatable_departments(user).order_by("code")
        if not user.is_administrator:
            taken = set(Budget.objects.filter(department__in=departments).values_list("year_id", flat=True))
            years = [year for year in years if year not in taken]
        self.fields["department"].choices = [(d.code, str(d)) for d in departments]
        self.fields["year"].choices = [(year, f"{year}年度") for year in sorted(years, reverse=True)]
        if years:
            self.fields["year"].initial = max(years)
        self.departments = {d.code: d for d in departments}
        self.unavailable = self._unavailable(user, bool(catalogue_years()), bool(years), bool(self.departments))

    @staticmethod
    def _unavailable(user, any_catalogue: bool, any_year: bool, any_department: bool) -> str:
        """Why nothing can be created now ("" when something can): said instead of an empty form."""
        if not any_department:
            return "您的账户没有所属部门，不能新建预算：请联系系统管理员设置所属部门。"
        if not any_catalogue:
            return "没有可新建的年度：请先由管理员导入新年度的科目表（支出功能分类和部门经济分类）。"
        if not any_year:
            return (
                "本部门在每个已导入科目表的年度都已有预算（每个年度一份）：请从首页打开已有的预算；"
                "新年度须先由管理员导入科目表。"
            )
        return ""


@require_http_methods(["GET", "POST"])
@login_required
def budget_new(request: HttpRequest) -> HttpResponse:
    require(may_create_budget(request.user), CREATE_REFUSED)
    form = NewBudgetForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        department = form.departments[form.cleaned_data["department"]]
        year = form.cleaned_data["year"]
        try:
            budget, _ = budget_start_year(
                department=department,
                year=year,
                from_previous=form.cleaned_data["start"] == PREVIOUS,
                copy_figures=form.cleaned_data["copy_figures"],
                actor=request.user,
            )
        except RolloverError as refused:
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"已新建{budget.year_id}年度预算：{department}。")
            return redirect("budget_rollover_report", year=budget.year_id, department_code=department.code)
    return render(request, "entry/budget_new.html", {"form": form})


def _amount(text: str) -> str:
    try:
        return format_amount(Decimal(text)) or "0.00"
    except (InvalidOperation, TypeError):
        return ""


@require_GET
@login_required
def budget_rollover_report(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    budget = visible_budget_or_404(request.user, year, department_code)
    event = budget.events.filter(action="rollover").select_related("actor").order_by("-id").first()
    if event is None:
        raise Http404("该预算不是通过“新建预算”建立的，没有复制报告。")
    report = event.data if isinstance(event.data, dict) else {}
    mappings = [{**row, "amount_wan": _amount(row.get("amount", ""))} for row in report.get("mappings", [])]
    dropped = report.get("dropped", {})
    context = {
        "budget": budget,
        "event": event,
        "report": report,
        "by_name": [row for row in mappings if row.get("mapped")],
        "unmapped": [row for row in mappings if not row.get("mapped")],
        "dropped_lines": dropped.get("lines", 0),
        "dropped_wan": _amount(dropped.get("amount", "0")),
        "can_edit": may_edit(request.user, budget),
    }
    return render(request, "entry/rollover_report.html", context)
