"""Comments at a place (a table, a row, a cell) of a budget: a reviewer starts a thread, the department answers in
it, the reviewer resolves it. Each form posts back to the page it is on (``next``); a refused comment is kept for
that page to show again."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from budgets.access import may_comment, may_reply, may_resolve, visible_budget_or_404
from budgets.models import Budget, ReviewComment
from budgets.selectors import comment_threads
from budgets.services.review import Place, ReviewRefused, comment_reply, comment_resolve, comment_start
from workflow.comment_places import TablePlaces, place_titles, table_places, where_now
from workflow.forms import keep_comment, take_kept_comment

NEW_THREAD = "new"


def _next(request: HttpRequest, budget: Budget) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("budget_review", args=[budget.year_id, budget.department.code]) + "#comments"


def _refused(request: HttpRequest, budget: Budget, refused: ReviewRefused, box: str) -> HttpResponse:
    for errors in refused.errors.values():
        for error in errors:
            messages.error(request, f"批注未保存：{error}")
    keep_comment(request, budget.pk, request.POST.get("text", ""), box)
    return redirect(_next(request, budget))


@require_POST
@login_required
def budget_comment_start(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    budget = visible_budget_or_404(request.user, year, department_code)
    table_key, row, column = (request.POST.get(name, "").strip() for name in ("table", "row", "column"))
    place = Place()
    if table_key:
        table = table_places(budget, table_key)
        refusal = "没有这张表。" if table is None else table.refusal(row, column)
        if refusal:
            return _refused(request, budget, ReviewRefused({"": [refusal]}), NEW_THREAD)
        assert table is not None
        place = Place(table.key, table.title, row, column, table.column_title(column), table.text_at(row, column))
    try:
        comment_start(budget=budget, user=request.user, place=place, text=request.POST.get("text", ""))
    except ReviewRefused as refused:
        return _refused(request, budget, refused, NEW_THREAD)
    messages.success(request, "批注已保存。")
    return redirect(_next(request, budget))


@require_POST
@login_required
def budget_comment_reply(request: HttpRequest, year: int, department_code: str, thread_id: int) -> HttpResponse:
    budget = visible_budget_or_404(request.user, year, department_code)
    try:
        comment_reply(budget=budget, user=request.user, thread_id=thread_id, text=request.POST.get("text", ""))
    except ReviewRefused as refused:
        return _refused(request, budget, refused, str(thread_id))
    messages.success(request, "回复已保存。")
    return redirect(_next(request, budget))


@require_POST
@login_required
def budget_comment_resolve(request: HttpRequest, year: int, department_code: str, thread_id: int) -> HttpResponse:
    budget = visible_budget_or_404(request.user, year, department_code)
    try:
        comment_resolve(budget=budget, user=request.user, thread_id=thread_id)
    except ReviewRefused as refused:
        return _refused(request, budget, refused, str(thread_id))
    messages.success(request, "批注已标为已解决。")
    return redirect(_next(request, budget))


@dataclass(frozen=True)
class Thread:
    comment: ReviewComment
    replies: list[ReviewComment]
    moved: str  # where_now: what became of its place, "" while it is printed
    draft: str  # a refused reply, kept


def comments_context(
    request: HttpRequest, budget: Budget, tables: list[TablePlaces] | None = None
) -> dict[str, object]:
    """What templates/workflow/_comments.html needs: the threads (of ``tables`` only when given, and the new
    comment form offering their rows and columns; else every thread, and the form offering every table whole)."""
    keys = {table.key for table in tables} if tables is not None else None
    threads = [thread for thread in comment_threads(budget) if keys is None or thread.table in keys]
    now = {key: table_places(budget, key) for key in {thread.table for thread in threads if thread.table}}
    return {
        "threads": [
            Thread(
                thread,
                list(thread.replies.all()),
                where_now(thread, now.get(thread.table)),
                take_kept_comment(request, budget.pk, str(thread.pk)),
            )
            for thread in threads
        ],
        "comment_tables": tables if tables is not None else place_titles(budget),
        "comment_draft": take_kept_comment(request, budget.pk, NEW_THREAD),
        "comment_next": request.get_full_path(),
        "comment_rows": tables is not None,
        "may_comment": may_comment(request.user, budget),
        "may_reply": may_reply(request.user, budget),
        "may_resolve": may_resolve(request.user),
    }
