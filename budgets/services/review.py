"""The bureau's 审核数 and the department's answers (domain.review), and the comments at a place of a budget: each
write atomic, row-locked and in the trail."""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from budgets.access import (
    ANSWER_REFUSED,
    COMMENT_REFUSED,
    RESOLVE_REFUSED,
    REVIEW_REFUSED,
    may_answer_review,
    may_comment,
    may_reply,
    may_resolve,
    may_review,
    require,
)
from budgets.models import Budget, BudgetEvent, ReviewAnswer, ReviewComment, ReviewFigure
from budgets.selectors import budget_lines, budget_reviews, review_subject
from budgets.services.figures import budget_replace_figures
from budgets.services.locking import budget_touch, lock_budget
from catalog.models import EconomicCode
from domain.errors import BudgetFiguresError
from domain.ledger import LineInput, ProjectInput
from domain.review import PROJECT, Subject, apply_reviewed, requested, review_errors

MAX_TEXT = 2000
NO_SUCH_SUBJECT = "没有这个项目或基本支出经济分类款。"
NO_SUCH_REVIEW = "没有这项审核数，或它尚未交给部门。"
ANSWER_NEEDED = "保留本部门数字时必须填写答复。"
ALREADY_ACCEPTED = "这项审核数已接受，预算数字已按审核数调整。"
TEXT_NEEDED = "请填写批注内容。"
TEXT_TOO_LONG = f"批注最多{MAX_TEXT}字。"
THREAD_RESOLVED = "这条批注已解决，不能再回复。"
NO_SUCH_THREAD = "没有这条批注。"


class ReviewRefused(Exception):
    """Nothing was written; ``errors`` say why, per subject (its label) or "" for the whole request."""

    def __init__(self, errors: Mapping[str, list[str]]):
        self.errors = dict(errors)
        super().__init__("；".join(message for messages in self.errors.values() for message in messages))


@dataclass(frozen=True)
class ReviewEntry:
    """A 审核数 as the reviewer typed it (yuan; None clears it) with its reason."""

    reviewed: Decimal | None
    reason: str = ""


def _lock(budget: Budget, expected_revision: int | None, *, editable: bool) -> Budget:
    try:
        return lock_budget(budget, expected_revision, editable=editable)
    except BudgetFiguresError as refused:
        raise ReviewRefused({"": [str(error) for error in refused.errors]}) from refused


def _count_pending(budget: Budget) -> None:
    budget.reviews_pending = budget.reviews.filter(carried_at__isnull=False, answer=ReviewAnswer.PENDING).count()
    budget.save(update_fields=["reviews_pending"])


@transaction.atomic
def review_record(
    *, budget: Budget, user: User, entries: Mapping[Subject, ReviewEntry], expected_revision: int | None = None
) -> int:
    """Record (change, or clear) the reviewer's 审核数: all of them, or none if any is wrong. Returns how many
    changed. A changed 审核数 goes back to the bureau's side until the next return carries it."""
    budget = _lock(budget, expected_revision, editable=False)
    require(may_review(user, budget), REVIEW_REFUSED)
    asked = requested(budget_lines(budget))
    projects = {project.name: project for project in budget.projects.all()}
    economics = {code.code: code for code in EconomicCode.objects.leaves(budget.year_id)}
    errors: dict[str, list[str]] = {}
    for subject, entry in entries.items():
        known = subject.key in projects if subject.kind == PROJECT else subject.key in economics
        if not known:
            errors[subject.label] = [NO_SUCH_SUBJECT]
        elif entry.reviewed is not None:
            problems = review_errors(entry.reviewed, asked.get(subject, Decimal("0.00")), entry.reason)
            if len(entry.reason) > MAX_TEXT:
                problems.append(f"理由最多{MAX_TEXT}字。")
            if problems:
                errors[subject.label] = problems
    if errors:
        raise ReviewRefused(errors)

    stored = budget_reviews(budget)
    now = timezone.now()
    changes = []
    for subject, entry in sorted(entries.items()):
        figure = stored.get(subject)
        reason = entry.reason.strip()
        if entry.reviewed is None:
            if figure is not None:
                changes.append([f"审核数｜{subject.label}", str(figure.reviewed), ""])
                figure.delete()
            continue
        if figure is not None and (figure.reviewed, figure.reason) == (entry.reviewed, reason):
            continue
        changes.append([f"审核数｜{subject.label}", str(figure.reviewed) if figure else "", str(entry.reviewed)])
        if reason != (figure.reason if figure else ""):
            changes.append([f"审核理由｜{subject.label}", figure.reason if figure else "", reason])
        subject_field: dict[str, Any] = (
            {"project": projects[subject.key]} if subject.kind == PROJECT else {"economic": economics[subject.key]}
        )
        ReviewFigure.objects.update_or_create(
            budget=budget,
            **subject_field,
            defaults={
                "requested": asked.get(subject, Decimal("0.00")),
                "reviewed": entry.reviewed,
                "reason": reason,
                "reviewer": user,
                "reviewed_at": now,
                "carried_at": None,
                "answer": ReviewAnswer.PENDING,
                "answer_text": "",
                "answered_by": None,
                "answered_at": None,
            },
        )
    if changes:
        BudgetEvent.objects.create(budget=budget, actor=user, action="review", data={"changes": changes})
        _count_pending(budget)
        budget_touch(budget)
    return len(changes)


def review_carry(budget: Budget) -> int:
    """A return or the issue of control figures hands the 审核数 recorded since to the department (the caller
    holds the budget's lock). Returns how many."""
    carried = budget.reviews.filter(carried_at__isnull=True).update(carried_at=timezone.now())
    _count_pending(budget)
    return carried


@transaction.atomic
def review_answer(
    *,
    budget: Budget,
    user: User,
    figure_id: int,
    accept: bool,
    text: str = "",
    expected_revision: int | None = None,
) -> ReviewFigure:
    """The department accepts a 审核数 (its lines become the 审核数, domain.review) or keeps its own figures with
    an answer."""
    budget = _lock(budget, expected_revision, editable=True)
    require(may_answer_review(user, budget), ANSWER_REFUSED)
    figure = budget.reviews.filter(pk=figure_id, carried_at__isnull=False).select_related("project", "economic").first()
    if figure is None:
        raise ReviewRefused({"": [NO_SUCH_REVIEW]})
    text = text.strip()
    if figure.answer == ReviewAnswer.ACCEPTED:
        raise ReviewRefused({"": [ALREADY_ACCEPTED]})
    if not accept and not text:
        raise ReviewRefused({"answer": [ANSWER_NEEDED]})
    if len(text) > MAX_TEXT:
        raise ReviewRefused({"answer": [f"答复最多{MAX_TEXT}字。"]})
    if accept:
        _accept(budget, user, figure)
    answer = ReviewAnswer.ACCEPTED if accept else ReviewAnswer.KEPT
    changes = [[f"答复｜{figure.subject_label}", ReviewAnswer(figure.answer).label, answer.label]]
    if text != figure.answer_text:
        changes.append([f"答复说明｜{figure.subject_label}", figure.answer_text, text])
    figure.answer, figure.answer_text = answer, text
    figure.answered_by, figure.answered_at = user, timezone.now()
    figure.save(update_fields=["answer", "answer_text", "answered_by", "answered_at"])
    BudgetEvent.objects.create(
        budget=budget, actor=user, action="review_answer", comment=text, data={"changes": changes}
    )
    _count_pending(budget)
    budget_touch(budget)
    return figure


def _accept(budget: Budget, user: User, figure: ReviewFigure) -> None:
    subject = review_subject(figure)
    try:
        lines = apply_reviewed(budget_lines(budget), {subject: figure.reviewed})
    except ValueError as cannot:
        raise ReviewRefused({"": [str(cannot)]}) from cannot
    projects = [
        ProjectInput(name, unit)
        for name, unit in budget.projects.order_by("position", "id").values_list("name", "unit__name")
    ]
    inputs = [LineInput.of(line) for line in lines]
    try:
        budget_replace_figures(budget=budget, projects=projects, lines=inputs, actor=user)
    except BudgetFiguresError as refused:
        raise ReviewRefused({"": [str(error) for error in refused.errors]}) from refused


# --- Comments -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a thread is: a table (its key and title), a row of it (as printed), a column (key and title)."""

    table: str = ""
    table_title: str = ""
    row: str = ""
    column: str = ""
    column_title: str = ""
    cell_text: str = ""  # what the cell printed when the comment was written


def _checked_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ReviewRefused({"text": [TEXT_NEEDED]})
    if len(text) > MAX_TEXT:
        raise ReviewRefused({"text": [TEXT_TOO_LONG]})
    return text


def _count_open(budget: Budget) -> None:
    budget.comments_open = budget.comments.filter(parent=None, resolved_at=None).count()
    budget.save(update_fields=["comments_open"])


@transaction.atomic
def comment_start(*, budget: Budget, user: User, place: Place, text: str) -> ReviewComment:
    """A reviewer's comment at a place: a new thread."""
    budget = _lock(budget, None, editable=False)
    require(may_comment(user, budget), COMMENT_REFUSED)
    comment = ReviewComment.objects.create(
        budget=budget,
        table=place.table,
        table_title=place.table_title,
        row=place.row,
        column=place.column,
        column_title=place.column_title,
        cell_text=place.cell_text,
        text=_checked_text(text),
        author=user,
        version=budget.version,
    )
    _count_open(budget)
    return comment


@transaction.atomic
def comment_reply(*, budget: Budget, user: User, thread_id: int, text: str) -> ReviewComment:
    """The department's answer (or the reviewer's next word) in an open thread."""
    budget = _lock(budget, None, editable=False)
    require(may_reply(user, budget), COMMENT_REFUSED)
    thread = _open_thread(budget, thread_id)
    # A reply is at its thread's place: it keeps none of its own.
    return ReviewComment.objects.create(
        budget=budget, parent=thread, text=_checked_text(text), author=user, version=budget.version
    )


@transaction.atomic
def comment_resolve(*, budget: Budget, user: User, thread_id: int) -> ReviewComment:
    budget = _lock(budget, None, editable=False)
    require(may_resolve(user), RESOLVE_REFUSED)
    thread = _open_thread(budget, thread_id)
    ReviewComment.objects.filter(pk=thread.pk).update(resolved_by=user, resolved_at=timezone.now())
    _count_open(budget)
    thread.refresh_from_db()
    return thread


def _open_thread(budget: Budget, thread_id: int) -> ReviewComment:
    thread = budget.comments.filter(pk=thread_id, parent=None).first()
    if thread is None:
        raise ReviewRefused({"": [NO_SUCH_THREAD]})
    if thread.resolved_at is not None:
        raise ReviewRefused({"": [THREAD_RESOLVED]})
    return thread
