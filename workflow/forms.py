"""The workflow's forms: the control figures (控制数, typed in 万元 with two decimals, stored in yuan), the
deadlines, the reviewer's 审核数 and the department's answers, and the 意见 of a refused step kept for the page it
returns to."""

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.http import HttpRequest

from budgets.services.review import ReviewEntry
from domain.control import CONTROL_ITEMS
from domain.money import to_wan, wan_to_yuan
from domain.review import Subject
from domain.workflow import BudgetRound
from web.forms import revision_field, wan_field, yuan_field
from workflow.review import ReviewRow

MAX_COMMENT = 2000


class ControlFiguresForm(forms.Form):
    revision = revision_field()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for key, label in CONTROL_ITEMS:
            self.fields[key] = wan_field(label, required=True)

    @classmethod
    def for_limits(cls, limits: dict[str, Decimal] | None, revision: int) -> "ControlFiguresForm":
        initial = {key: to_wan(value) for key, value in (limits or {}).items()}
        return cls(initial={**initial, "revision": revision})

    def limits(self) -> dict[str, Decimal]:
        """The figures in yuan (only once valid)."""
        return {key: wan_to_yuan(self.cleaned_data[key]) for key, _ in CONTROL_ITEMS}


# A refused step (退回 refused as stale, 提交 refused for errors) or comment redirects to the page it came from: what
# was typed in its box is kept in the session for that page to show again, once. ``box`` names the box when a page
# has several (a thread's reply, a new comment).
def _comment_key(budget_pk: int, box: str) -> str:
    return f"workflow-comment-{budget_pk}-{box}"


def keep_comment(request: HttpRequest, budget_pk: int, comment: str, box: str = "") -> None:
    if comment.strip():
        request.session[_comment_key(budget_pk, box)] = comment[:MAX_COMMENT]


def take_kept_comment(request: HttpRequest, budget_pk: int, box: str = "") -> str:
    return str(request.session.pop(_comment_key(budget_pk, box), ""))


DATE_INVALID = "请填写日期，如 2021-03-01。"


class DeadlinesForm(forms.Form):
    """The year's submission deadlines, one per round; a field left empty removes that round's."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for round_ in BudgetRound:
            self.fields[f"round_{round_.value}"] = forms.DateField(
                label=f"{round_.label}截止日期",
                required=False,
                input_formats=["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"],
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                error_messages={"invalid": DATE_INVALID},
            )

    @classmethod
    def for_year(cls, deadlines: dict[int, date]) -> "DeadlinesForm":
        return cls(initial={f"round_{round_}": due for round_, due in deadlines.items()})

    def deadlines(self) -> dict[int, date | None]:
        return {round_.value: self.cleaned_data[f"round_{round_.value}"] for round_ in BudgetRound}


class ReviewForm(forms.Form):
    """The reviewer's 审核数 (元) and reasons, one pair of fields per row of the 审核数 page; a 审核数 left empty
    counts as accepted as asked (and clears one recorded before)."""

    revision = revision_field()

    def __init__(self, rows: Sequence[ReviewRow], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for row in self.rows:
            self.fields[f"reviewed-{row.slug}"] = yuan_field(f"{row.name} 审核数", required=False)
            self.fields[f"reason-{row.slug}"] = forms.CharField(
                label=f"{row.name} 理由",
                required=False,
                max_length=MAX_COMMENT,
                error_messages={"max_length": f"理由最多{MAX_COMMENT}字。"},
                widget=forms.TextInput(attrs={"size": 24}),
            )
            if not self.is_bound and row.figure is not None:
                self.initial[f"reviewed-{row.slug}"] = row.figure.reviewed
                self.initial[f"reason-{row.slug}"] = row.figure.reason

    def entries(self) -> dict[Subject, ReviewEntry]:
        """What was typed, by subject (only once valid)."""
        return {
            row.subject: ReviewEntry(self.cleaned_data[f"reviewed-{row.slug}"], self.cleaned_data[f"reason-{row.slug}"])
            for row in self.rows
        }

    def refuse(self, errors: Mapping[str, list[str]]) -> None:
        """The service's refusal, each message at its row's 审核数."""
        by_label = {row.subject.label: row for row in self.rows}
        for label, messages in errors.items():
            row = by_label.get(label)
            for message in messages:
                self.add_error(f"reviewed-{row.slug}" if row else None, message)

    def row_fields(self) -> list[tuple[ReviewRow, forms.BoundField, forms.BoundField]]:
        return [(row, self[f"reviewed-{row.slug}"], self[f"reason-{row.slug}"]) for row in self.rows]


class ReviewAnswerForm(forms.Form):
    """The department's answer to one 审核数: accept it, or keep its own figure and say why."""

    revision = revision_field()
    decision = forms.ChoiceField(
        choices=[("accept", "接受审核数"), ("keep", "保留本部门数字")],
        error_messages={"required": "请选择接受或保留。", "invalid_choice": "请选择接受或保留。"},
    )
    answer = forms.CharField(
        label="答复",
        required=False,
        max_length=MAX_COMMENT,
        error_messages={"max_length": f"答复最多{MAX_COMMENT}字。"},
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
    )
