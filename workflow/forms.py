"""The workflow's forms: the control figures (控制数, typed in 万元 with two decimals, stored in yuan), and the 意见
of a refused step kept for the page it returns to."""

from decimal import Decimal

from django import forms
from django.http import HttpRequest

from domain.control import CONTROL_ITEMS
from domain.money import to_wan, wan_to_yuan
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
