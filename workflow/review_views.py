"""审核数与批注: the reviewer records 审核数 beside each 申报数; the department, once a return carries them, accepts
each or keeps its own with an answer; both read and write the comment threads here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from budgets.access import (
    ANSWER_REFUSED,
    REVIEW_REFUSED,
    may_answer_review,
    may_review,
    may_see_review_drafts,
    may_set_control,
    require,
    visible_budget_or_404,
)
from budgets.models import Budget
from budgets.services.review import ReviewRefused, review_answer, review_record
from domain.control import CONTROL_ITEMS
from web.forms import posted_revision
from workflow.comment_views import comments_context
from workflow.forms import ReviewAnswerForm, ReviewForm
from workflow.review import review_sheet


def _page(
    request: HttpRequest,
    budget: Budget,
    *,
    form: ReviewForm | None = None,
    answering: tuple[int, ReviewAnswerForm] | None = None,
) -> HttpResponse:
    sheet = review_sheet(budget, carried_only=not may_see_review_drafts(request.user))
    reviewing = may_review(request.user, budget)
    if form is None and reviewing:
        form = ReviewForm(sheet.rows, initial={"revision": budget.revision})
    control = sheet.control_from_review() if may_see_review_drafts(request.user) else None
    context = {
        "budget": budget,
        "sheet": sheet,
        "form": form,
        "reviewing": reviewing,
        "answering": may_answer_review(request.user, budget),
        "answer_form": answering,
        "control": [(label, control[key]) for key, label in CONTROL_ITEMS] if control else None,
        "may_set_control": may_set_control(request.user, budget),
        **comments_context(request, budget),
    }
    return render(request, "workflow/review.html", context)


def _back(budget: Budget, anchor: str = "") -> HttpResponse:
    return redirect(reverse("budget_review", args=[budget.year_id, budget.department.code]) + anchor)


@require_http_methods(["GET", "POST"])
@login_required
def budget_review(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    budget = visible_budget_or_404(request.user, year, department_code)
    if request.method == "GET":
        return _page(request, budget)
    require(may_review(request.user, budget), REVIEW_REFUSED)
    form = ReviewForm(review_sheet(budget, carried_only=False).rows, request.POST)
    if form.is_valid():
        try:
            changed = review_record(
                budget=budget,
                user=request.user,
                entries=form.entries(),
                expected_revision=posted_revision(request.POST),
            )
        except ReviewRefused as refused:
            form.refuse(refused.errors)
        else:
            messages.success(request, f"审核数已保存：{changed} 处修改。" if changed else "审核数没有变化。")
            return _back(budget)
    messages.error(request, "审核数未保存：请按提示修改。")
    return _page(request, budget, form=form)


@require_POST
@login_required
def budget_review_answer(request: HttpRequest, year: int, department_code: str, figure_id: int) -> HttpResponse:
    budget = visible_budget_or_404(request.user, year, department_code)
    require(may_answer_review(request.user, budget), ANSWER_REFUSED)
    form = ReviewAnswerForm(request.POST)
    if form.is_valid():
        try:
            figure = review_answer(
                budget=budget,
                user=request.user,
                figure_id=figure_id,
                accept=form.cleaned_data["decision"] == "accept",
                text=form.cleaned_data["answer"],
                expected_revision=posted_revision(request.POST),
            )
        except ReviewRefused as refused:
            for field, errors in refused.errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, f"已答复：{figure.subject_label}（{figure.get_answer_display()}）。")
            return _back(budget, f"#review-{figure.pk}")
    messages.error(request, "答复未保存：请按提示修改。")
    return _page(request, budget, answering=(figure_id, form))
