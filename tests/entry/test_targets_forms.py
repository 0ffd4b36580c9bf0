"""The editors' forms: a 指标值 typed in parts, the framework's pairs, and rows added, blank, moved or deleted."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from domain.performance.values import parse_value
from entry.targets_forms import (
    GoalsForm,
    IndicatorForm,
    IndicatorFormSet,
    SubGoalFormSet,
    TargetForm,
    department_goals,
    parse_number,
    printed_value,
    target_table,
)
from tests.support.posting import goals_post, row, rows_data, target_post


def indicator_form(**fields: str) -> IndicatorForm:
    return IndicatorForm(row(**fields))


@pytest.mark.parametrize(
    ("text", "number"),
    [("98", "98"), (" 98.50 ", "98.5"), ("１.８", "1.8"), ("0", "0"), ("100.000000", "100"), (".5", "0.5"), ("", None)],
)
def test_numbers_are_read_as_typed(text, number) -> None:
    parsed = parse_number(text)
    assert parsed == (None if number is None else Decimal(number))
    assert str(parsed) == str(number)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("九十八", "数值只能填数字"),
        ("98abc", "数值只能填数字"),
        ("1,000", "数值只能填数字"),
        ("NaN", "数值只能填数字"),
        ("Infinity", "数值只能填数字"),
        ("-5", "不能为负数"),
        ("1e30", "数值过大"),
        ("100000000000000", "数值过大"),
        ("0.0000001", "最多保留 6 位小数"),
        ("98%", "请把“%”填在“单位”栏"),
        ("≥98", "比较符请点按钮"),
        (">=98", "比较符请点按钮"),
    ],
)
def test_wrong_numbers_say_why(text, message) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_number(text)
    assert message in refused.value.messages[0]


def test_a_row_makes_a_structured_value_printed_officially() -> None:
    form = indicator_form(comparator="≥", number="98.0", unit="%")
    assert form.is_valid(), form.errors
    indicator = form.indicator()
    assert (indicator.value.comparator, indicator.value.number, indicator.value.unit) == ("≥", Decimal(98), "%")
    assert indicator.value.raw == str(indicator.value) == "≥98%"
    assert parse_value(indicator.value.raw) == indicator.value  # the printing reads back the same
    word = indicator_form(comparator="", number="", unit="", word="保障")
    assert word.is_valid(), word.errors
    assert (str(word.indicator().value), word.indicator().value.number) == ("保障", None)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"number": "abc"}, "number", "数值只能填数字"),
        ({"number": "-1"}, "number", "不能为负数"),
        ({"number": "1e30"}, "number", "数值过大"),
        ({"word": "保障"}, "word", "只能填一个"),
        ({"number": "", "word": ""}, "number", "请填写数值"),
        ({"number": "", "word": "保障"}, "word", "不带比较符和单位"),  # the row's ≥ and 场 are still there
        ({"number": "", "comparator": "", "unit": "", "word": "98%以上"}, "word", "不能含数字"),
        ({"number": "", "comparator": "", "unit": "", "word": "≥较好"}, "word", "不带比较符"),
        ({"comparator": "≈"}, "comparator", "比较符只能是"),
        ({"unit": "3场"}, "unit", "单位不能含数字"),
        ({"unit": "一二三四五六七八九十十"}, "unit", "最多 10 字"),
        ({"level2": "社会效益指标"}, "level2", "不属于一级指标“产出指标”"),
        ({"level1": "投入指标"}, "level1", "不在指标体系中"),
        ({"level2": "其他指标"}, "level2", "不在指标体系中"),
        ({"level1": ""}, "level1", "请选择一级指标"),
        ({"name": "   "}, "name", "请填写三级指标"),
        ({"name": "名" * 201}, "name", "最多 200 字（现为 201 字）"),
        ({"description": "述" * 501}, "description", "最多 500 字"),
        ({"basis": "据" * 501}, "basis", "最多 500 字"),
    ],
)
def test_a_wrong_row_says_why_at_the_field(fields, field, message) -> None:
    form = indicator_form(**fields)
    assert not form.is_valid()
    assert any(message in error for error in form.errors[field]), form.errors


@pytest.mark.parametrize(
    ("parts", "printed"),
    [
        (("≥", "98", "%", ""), "≥98%"),
        (("", "5", "场", ""), "5 场"),
        (("≥", "1.80", "万元", ""), "≥1.8 万元"),
        (("", "", "", "保障"), "保障"),
        (("≥", "abc", "%", ""), ""),
        (("", "", "", ""), ""),
    ],
)
def test_the_value_as_it_will_print(parts, printed) -> None:
    assert printed_value(*parts) == printed
    form = indicator_form(comparator=parts[0], number=parts[1], unit=parts[2], word=parts[3])
    assert form.preview() == printed


def test_blank_rows_are_skipped_anywhere_rows_follow_their_order_and_deleted_rows_are_not_checked() -> None:
    rows = [
        row(name="第二", ORDER="2"),
        {"ORDER": "5"},  # blank, though numbered: skipped
        row(name="第一", ORDER="1"),
        row(name="", number="abc", DELETE="on"),  # wrong, but deleted
        row(name="未编号"),
    ]
    form, formset = TargetForm(target_post("目标", [], 1)), IndicatorFormSet(rows_data("ind", rows), prefix="ind")
    assert form.is_valid()
    assert formset.is_valid(), formset.errors
    table = target_table("项目", form, formset)
    assert [indicator.name for indicator in table.indicators] == ["第一", "第二", "未编号"]
    assert table.goal == "目标"


def test_too_many_rows_are_refused() -> None:
    formset = IndicatorFormSet(rows_data("ind", [row(name=f"指标{n}") for n in range(101)]), prefix="ind")
    assert not formset.is_valid()
    assert "最多 100 行" in str(formset.non_form_errors())


def test_a_formset_without_its_counts_is_refused_in_chinese() -> None:
    formset = IndicatorFormSet({"ind-0-name": "x"}, prefix="ind")
    assert not formset.is_valid()
    assert "表单不完整" in str(formset.non_form_errors())


def test_goals_with_sub_goals_added_moved_and_deleted() -> None:
    subs = [
        {"title": "乙", "goal": "乙目标", "indicators": "", "ORDER": "2"},
        {"title": "删去", "DELETE": "on"},
        {"title": "甲", "goal": "", "indicators": "甲指标", "ORDER": "1"},
        {"title": "", "goal": "", "indicators": ""},
    ]
    data = goals_post("总体", subs, "措施", 3)
    form, formset = GoalsForm(data), SubGoalFormSet(data, prefix="sub")
    assert form.is_valid()
    assert formset.is_valid(), formset.errors
    goals = department_goals(form, formset)
    assert [sub.title for sub in goals.sub_goals] == ["甲", "乙"]
    assert (goals.overall, goals.measures, goals.sub_goals[0].indicators) == ("总体", "措施", "甲指标")


@pytest.mark.parametrize(
    ("data", "where", "message"),
    [
        (goals_post("总" * 5001, [], "", 1), "overall", "最多 5000 字"),
        (goals_post("", [], "措" * 5001, 1), "measures", "最多 5000 字"),
        (goals_post("", [{"title": "", "goal": "有目标没有名称"}], "", 1), "title", "请填写名称"),
        (goals_post("", [{"title": "名" * 201}], "", 1), "title", "最多 200 字"),
        (goals_post("", [{"title": "名", "indicators": "指" * 2001}], "", 1), "indicators", "最多 2000 字"),
        ({**goals_post("", [], "", None), "revision": "x"}, "revision", "已失效"),
    ],
)
def test_wrong_goals_say_why(data, where, message) -> None:
    form, formset = GoalsForm(data), SubGoalFormSet(data, prefix="sub")
    assert not (form.is_valid() and formset.is_valid())
    errors = [*form.errors.get(where, []), *(error for row in formset.errors for error in row.get(where, []))]
    assert any(message in error for error in errors), (form.errors, formset.errors)
