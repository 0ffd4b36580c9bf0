"""The control figures form (控制数): amounts typed in 万元 with two decimals, stored in yuan."""

from decimal import Decimal

from django import forms

from domain.control import CONTROL_ITEMS
from domain.money import to_wan, wan_to_yuan
from web.forms import revision_field, wan_field


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
