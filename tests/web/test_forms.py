from django import forms

from budgets.models import BudgetLine
from domain.money import wan_to_yuan
from web.forms import NO_SUCH_REVISION, posted_revision, revision_field, wan_field


class _Amounts(forms.Form):
    revision = revision_field()
    amount = wan_field("上年支出合计", required=False)
    control = wan_field("控制数", required=True)


def test_the_largest_amount_a_wan_field_takes_still_fits_the_ledger_in_yuan() -> None:
    form = _Amounts({"amount": "9999999999.99", "control": "0"})
    assert form.is_valid(), form.errors
    yuan = wan_to_yuan(form.cleaned_data["amount"])
    field = BudgetLine._meta.get_field("amount")
    assert len(yuan.as_tuple().digits) <= field.max_digits


def test_a_wan_amount_too_large_for_the_ledger_is_refused_in_chinese() -> None:
    form = _Amounts({"amount": "10000000000", "control": "1"})
    assert form.errors["amount"] == ["数字过大。"]


def test_wan_fields_refuse_negatives_a_third_decimal_and_words_in_chinese() -> None:
    form = _Amounts({"amount": "-1", "control": "1.234"})
    assert form.errors == {"amount": ["不能为负数。"], "control": ["最多两位小数（万元）。"]}
    assert _Amounts({"control": "一百"}).errors == {"control": ["请输入数字（万元，最多两位小数）。"]}
    assert _Amounts({}).errors == {"control": ["必须填写。"]}


def test_a_mangled_revision_is_a_revision_that_never_matches() -> None:
    assert posted_revision({"revision": "²"}) == NO_SUCH_REVISION
    assert posted_revision({"revision": "12"}) == 12
    assert posted_revision({}) is None
    assert _Amounts({"revision": "x", "control": "1"}).errors == {"revision": ["已失效，请重新打开页面后再操作。"]}
