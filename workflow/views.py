"""Moving a budget through its workflow from its page: the transitions (提交, 退回, 批复 …) and the control figures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from audit.forms import save_explanations
from budgets.access import CONTROL_REFUSED, may_edit, may_set_control, require, visible_budget_or_404
from domain.workflow import TRANSITIONS, BudgetState
from web.forms import posted_revision
from workflow.forms import ControlFiguresForm
from workflow.services import WorkflowError, budget_set_control, budget_transition

# The tables a reviewer compares after a return: the nine, procurement and assets (units have no amounts).


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
        )
    except WorkflowError as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        state = BudgetState(budget.state).label
        messages.success(request, f"{TRANSITIONS[action].label}成功，预算当前为“{state}”。")
    return redirect("budget_detail", year, department_code)


@require_POST
@login_required
def budget_control_view(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    budget = visible_budget_or_404(request.user, year, department_code)
    require(may_set_control(request.user, budget), CONTROL_REFUSED)
    form = ControlFiguresForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"控制数未保存：{label}{error}")
        return redirect("budget_detail", year, department_code)
    try:
        budget_set_control(
            budget=budget, user=request.user, limits=form.limits(), expected_revision=posted_revision(request.POST)
        )
    except WorkflowError as refused:
        for message in refused.messages:
            messages.error(request, f"控制数未保存：{message}")
    else:
        messages.success(request, "控制数已保存。")
    return redirect(reverse("budget_detail", args=[year, department_code]) + "#control")
