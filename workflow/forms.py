"""The workflow's forms: the control figures (控制数, typed in 万元 with two decimals, stored in yuan), and the 意见
of a refused step kept for the page it returns to."""

from datetime import date
from decimal import Decimal

from django import forms
from django.http import HttpRequest

from domain.control import CONTROL_ITEMS
from domain.money import to_wan, wan_to_yuan
from domain.workflow import BudgetRound
from web.forms import revision_field, wan_field

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


# A refused step (退回 refused as stale, 提交 refused for errors) redirects to the budget page: what was typed in
# its 意见 box is kept in the session for that page to show again, once.
def _comment_key(budget_pk: int) -> str:
    return f"workflow-comment-{budget_pk}"


def keep_comment(request: HttpRequest, budget_pk: int, comment: str) -> None:
    if comment.strip():
        request.session[_comment_key(budget_pk)] = comment[:MAX_COMMENT]


def take_kept_comment(request: HttpRequest, budget_pk: int) -> str:
    return str(request.session.pop(_comment_key(budget_pk), ""))


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
