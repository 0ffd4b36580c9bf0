"""What every form of ours shares: the revision a page was built on (optimistic locking), amounts typed in 万元 or
元."""

from decimal import Decimal

from django import forms

NO_SUCH_REVISION = -1  # what a tampered or mangled revision stands for: it never matches, the write is refused


def posted_revision(data) -> int | None:
    """The revision a posted form was built on; None when it carries none (a script that does not say)."""
    value = data.get("revision", "")
    if value == "":
        return None
    # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else NO_SUCH_REVISION


def revision_field() -> forms.IntegerField:
    return forms.IntegerField(
        label="页面",
        widget=forms.HiddenInput,
        required=False,
        error_messages={"invalid": "已失效，请重新打开页面后再操作。"},
    )


def wan_field(label: str, *, required: bool) -> forms.DecimalField:
    """An amount typed in 万元, two decimals at most. Twelve digits: converted to yuan it still fits the ledger's
    DecimalField(16, 2)."""
    return _amount_field(label, "万元", required=required, max_digits=12)


def yuan_field(label: str, *, required: bool) -> forms.DecimalField:
    """An amount typed in 元, to the fen, as the ledger stores it."""
    return _amount_field(label, "元", required=required, max_digits=16)


def _amount_field(label: str, unit: str, *, required: bool, max_digits: int) -> forms.DecimalField:
    return forms.DecimalField(
        label=f"{label}（{unit}）",
        required=required,
        max_digits=max_digits,
        decimal_places=2,
        min_value=Decimal(0),
        error_messages={
            "required": "必须填写。",
            "invalid": f"请输入数字（{unit}，最多两位小数）。",
            "min_value": "不能为负数。",
            "max_decimal_places": f"最多两位小数（{unit}）。",
            "max_digits": "数字过大。",
            "max_whole_digits": "数字过大。",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "num", "size": 12}),
    )
