"""The control figures form (控制数): amounts typed in 万元 with two decimals, stored in yuan."""

from decimal import Decimal

from django import forms

from domain.control import CONTROL_ITEMS
from domain.money import to_wan, wan_to_yuan


def _wan_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=f"{label}（万元）",
        max_digits=12,
        decimal_places=2,
        min_value=Decimal(0),
        error_messages={"invalid": "请输入数字（万元，最多两位小数）。", "required": "必须填写。"},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "num", "size": 12}),
    )


class ControlFiguresForm(forms.Form):
    revision = forms.IntegerField(
        label="页面",
        widget=forms.HiddenInput,
        required=False,
        error_messages={"invalid": "已失效，请重新打开页面后再操作。"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for key, label in CONTROL_ITEMS:
            self.fields[key] = _wan_field(label)

    @classmethod
    def for_limits(cls, limits: dict[str, Decimal] | None, revision: int) -> "ControlFiguresForm":
        initial = {key: to_wan(value) for key, value in (limits or {}).items()}
        return cls(initial={**initial, "revision": revision})

    def limits(self) -> dict[str, Decimal]:
        """The figures in yuan (only once valid)."""
        return {key: wan_to_yuan(self.cleaned_data[key]) for key, _ in CONTROL_ITEMS}
