"""Moving a budget through its workflow from its page: the transitions (提交, 退回, 批复 …) and the control figures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from audit.forms import save_explanations
from budgets.access import CONTROL_REFUSED, may_edit, may_set_control, require, visible_budget_or_404
from budgets.models import Budget
from budgets.selectors import issued_control
from budgets.services.errors import StaleRevision
from domain.money import format_amount
from domain.workflow import TRANSITIONS, BudgetRound, BudgetState
from web.forms import posted_revision
from workflow.forms import ControlFiguresForm, keep_comment
from workflow.review import review_sheet
from workflow.services import WorkflowError, budget_set_control, budget_transition


@require_POST
@login_required
def budget_transition_view(request: HttpRequest, year: int, department_code: str, action: str) -> HttpResponse:
    budget = visible_budget_or_404(request.user, year, department_code)
    if action not in TRANSITIONS:
        raise Http404("没有这项操作。")
    # 提交 posts the warning explanations typed on the page too: saved first, and kept if the submission is refused.
    if action == "submit" and may_edit(request.user, budget) and not save_explanations(request, budget, quiet=True):
        return redirect(reverse("budget_detail", args=[year, department_code]) + "#audit")
    try:
        budget = budget_transition(
            budget=budget,
            action=action,
            user=request.user,
            comment=request.POST.get("comment", ""),
            expected_revision=posted_revision(request.POST),
            open_comments_seen=_count(request.POST.get("open_comments_seen", "")),
        )
    except WorkflowError as refused:
        for message in refused.messages:
            messages.error(request, message)
        keep_comment(request, budget.pk, request.POST.get("comment", ""))
    else:
        state = BudgetState(budget.state).label
        messages.success(request, f"{TRANSITIONS[action].label}成功，预算当前为“{state}”。")
    return redirect("budget_detail", year, department_code)


def _count(text: str) -> int:
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else 0


@require_http_methods(["GET", "POST"])
@login_required
def budget_control_view(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    """下达控制数 and 调整控制数: the form (also on the budget page), its errors at its fields with what was typed
    kept, the figures in force beside it and every issue so far."""
    budget = visible_budget_or_404(request.user, year, department_code)
    require(may_set_control(request.user, budget), CONTROL_REFUSED)
    control = issued_control(budget)
    if request.method == "POST":
        form = ControlFiguresForm(request.POST)
        if form.is_valid():
            try:
                saved = budget_set_control(
                    budget=budget,
                    user=request.user,
                    limits=form.limits(),
                    expected_revision=posted_revision(request.POST),
                )
            except WorkflowError as refused:
                if isinstance(refused.__cause__, StaleRevision):
                    # Someone else's write came first: the form, still holding what was typed, moves to the current
                    # revision, the figures in force shown beside it; saving again is then a deliberate choice.
                    data = request.POST.copy()
                    data["revision"] = str(Budget.objects.values_list("revision", flat=True).get(pk=budget.pk))
                    form = ControlFiguresForm(data)
                    form.is_valid()
                    control = issued_control(budget)
                for message in refused.messages:
                    form.add_error(None, message)
            else:
                if control is not None and saved.issued_at == control.issued_at:
                    messages.info(request, "控制数没有变化。")
                elif budget.round != BudgetRound.FORMAL:
                    messages.success(request, "控制数已保存；审核时点“下达控制数”正式下达给部门。")
                elif saved.issue == 1:
                    messages.success(request, "控制数已保存：第1次下达，已通知部门。")
                else:
                    messages.success(request, f"控制数已保存：调整为第{saved.issue}次下达，已通知部门。")
                return redirect(reverse("budget_detail", args=[year, department_code]) + "#control")
        messages.error(request, "控制数未保存：请按下方提示修改。")
    elif request.GET.get("from") == "review":
        generated = review_sheet(budget, carried_only=False).control_from_review()
        if generated is None:
            messages.error(request, "有审核数无法分配到预算明细（其项目已没有数字），不能按审核数生成控制数。")
        else:
            messages.info(request, "以下控制数按审核数生成：核对、修改后保存。")
        form = ControlFiguresForm.for_limits(generated or (control.limits() if control else None), budget.revision)
    else:
        form = ControlFiguresForm.for_limits(control.limits() if control else None, budget.revision)
    issues = budget.events.filter(action="control").select_related("actor").order_by("-created_at", "-id")
    in_force = control.limits() if control else {}
    rows = [(field, format_amount(in_force.get(field.name)) or "0.00") for field in form.visible_fields()]
    context = {"budget": budget, "form": form, "rows": rows, "control": control, "issues": issues}
    return render(request, "workflow/control.html", context)
