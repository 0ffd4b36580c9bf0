"""Forms of the performance target pages: the department's goals with its sub-goals, one project's target table
with its indicator rows, and a row kept in the department's indicator library.

Every message is in Chinese and sits at the field it is about. A 指标值 is entered in parts (comparator, number,
unit, or a word instead) and stored structured, as ``build_value`` makes it.
"""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory

from domain.performance.checks import (
    MAX_DESCRIPTION,
    MAX_GOAL,
    MAX_GOALS_TEXT,
    MAX_NUMBER,
    MAX_PLACES,
    MAX_RAW,
    MAX_TITLE,
    MAX_UNIT,
    MAX_WORD,
)
from domain.performance.framework import COMPARATORS, FRAMEWORK, LEVEL1
from domain.performance.targets import DepartmentGoals, Indicator, SubGoal, TargetTable
from domain.performance.values import IndicatorValue, build_value
from entry.rows import RowForm, RowFormSet
from web.forms import revision_field

MAX_SUB_GOALS = 50
MAX_INDICATORS = 100
TOO_LONG = "最多 %(limit_value)d 字（现为 %(show_value)d 字）。"
NO_CHOICE = ("", "（请选择）")
LEVEL1_CHOICES = [NO_CHOICE, *((level1, level1) for level1 in LEVEL1)]
# 二级指标 grouped under their 一级指标: the page shows the framework even without JavaScript.
LEVEL2_CHOICES = [NO_CHOICE, *((level1, [(two, two) for two in twos]) for level1, twos in FRAMEWORK.items())]
COMPARATOR_CHOICES = [("", "无"), *((comparator, comparator) for comparator in COMPARATORS)]

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_DIGIT = re.compile(r"\d")


def _text(label: str, limit: int, *, required: bool = False, rows: int = 0, **attrs: Any) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows, **attrs}) if rows else forms.TextInput(attrs=attrs)
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        widget=widget,
        error_messages={"required": f"请填写{label}。", "max_length": f"{label}{TOO_LONG}"},
    )


def parse_number(text: str) -> Decimal | None:
    """The 数值 of an indicator as typed (full-width digits too); None when empty. Raises a ValidationError with
    the reason in Chinese for anything that is not a number from 0 up to 10¹⁴ with at most six decimals."""
    text = text.strip().translate(_FULL_WIDTH)
    if not text:
        return None
    if text.endswith(("%", "％")):
        raise ValidationError("数值不带“%”：请把“%”填在“单位”栏。", code="percent")
    if text[0] in COMPARATORS or text[:2] in (">=", "<="):
        raise ValidationError("比较符请点按钮选择，数值栏只填数字。", code="comparator")
    if not _NUMBER.fullmatch(text):
        raise ValidationError(
            "数值只能填数字（如 98、1.5）；单位请填在“单位”栏，文字请填在“定性指标值”栏。", code="invalid"
        )
    number = Decimal(text)  # the pattern admits only what Decimal reads
    if number < 0:
        raise ValidationError("数值不能为负数。", code="negative")
    if number >= MAX_NUMBER:
        raise ValidationError("数值过大：应小于 100000000000000（10¹⁴）。", code="too_large")
    number = number.normalize()
    if number.as_tuple().exponent < -MAX_PLACES:
        raise ValidationError(f"数值最多保留 {MAX_PLACES} 位小数。", code="places")
    return number.quantize(1) if number == number.to_integral_value() else number


def printed_value(comparator: str, number: str, unit: str, word: str) -> str:
    """The 指标值 as it will print, for what is typed so far ("" while it is not a value yet)."""
    if word.strip():
        return word.strip()
    try:
        parsed = parse_number(number)
    except (ValidationError, InvalidOperation):
        return ""
    return "" if parsed is None else str(build_value(comparator, parsed, unit, ""))


# --- 部门整体绩效目标 ---------------------------------------------------------------------------------------


class GoalsForm(forms.Form):
    revision = revision_field()
    overall = _text("总体绩效目标", MAX_GOALS_TEXT, rows=5)
    measures = _text("工作保障措施", MAX_GOALS_TEXT, rows=4)


class SubGoalForm(RowForm):
    content_fields = ("title", "goal", "indicators")

    unique_field = "title"

    title = _text("名称", MAX_TITLE, required=True, size=30, list="project-names")
    goal = _text("绩效目标", MAX_GOAL, rows=3)
    indicators = _text("绩效指标", MAX_GOAL, rows=3)

    def sub_goal(self) -> SubGoal:
        data = self.cleaned_data
        return SubGoal(data["title"], data["goal"], data["indicators"])


SubGoalFormSet = formset_factory(
    SubGoalForm,
    formset=RowFormSet,
    extra=1,
    can_order=True,
    can_delete=True,
    max_num=MAX_SUB_GOALS,
    validate_max=True,
    absolute_max=MAX_SUB_GOALS + 10,
)


def department_goals(form: GoalsForm, formset: RowFormSet) -> DepartmentGoals:
    """The goals the valid forms say."""
    return DepartmentGoals(
        overall=form.cleaned_data["overall"],
        sub_goals=tuple(row.sub_goal() for row in formset.kept_forms()),
        measures=form.cleaned_data["measures"],
    )


# --- 项目绩效目标表 -----------------------------------------------------------------------------------------


class TargetForm(forms.Form):
    revision = revision_field()
    goal = _text("绩效目标", MAX_GOAL, rows=3)


class LibraryRowForm(RowForm):
    """What the indicator library keeps of a row: 一级／二级／三级指标, the description and the unit."""

    content_fields = ("level1", "level2", "name", "description", "unit")
    unique_field = "name"

    def unique_key(self) -> tuple[Any, ...]:
        # The same 三级指标 may stand under two 二级指标 (a 数量指标 and a 成本指标 of one output), not twice under one.
        data = self.cleaned_data
        return (data["level1"], data["level2"], data["name"].strip(), data["description"].strip())

    level1 = forms.ChoiceField(
        label="一级指标",
        choices=LEVEL1_CHOICES,
        widget=forms.Select(attrs={"class": "js-level1"}),
        error_messages={
            "required": "请选择一级指标。",
            "invalid_choice": "一级指标“%(value)s”不在指标体系中，请从列表中选择。",
        },
    )
    level2 = forms.ChoiceField(
        label="二级指标",
        choices=LEVEL2_CHOICES,
        widget=forms.Select(attrs={"class": "js-level2"}),
        error_messages={
            "required": "请选择二级指标。",
            "invalid_choice": "二级指标“%(value)s”不在指标体系中，请从列表中选择。",
        },
    )
    name = _text("三级指标", MAX_TITLE, required=True, size=18)
    description = _text("绩效指标描述", MAX_DESCRIPTION, rows=2)
    unit = _text("单位", MAX_UNIT, size=5, list="indicator-units", **{"class": "js-unit"})

    def clean_unit(self) -> str:
        unit = self.cleaned_data["unit"].strip()
        if _DIGIT.search(unit) or (unit and unit[0] in COMPARATORS):
            raise ValidationError("单位不能含数字或比较符（如“%”“场”“万元”）。", code="unit")
        return unit

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        level1, level2 = data.get("level1"), data.get("level2")
        if level1 and level2 and level2 not in FRAMEWORK[level1]:
            self.add_error("level2", f"二级指标“{level2}”不属于一级指标“{level1}”，请重新选择。")
        return data


class IndicatorForm(LibraryRowForm):
    """One row of a target table."""

    content_fields = ("level1", "level2", "name", "description", "comparator", "number", "unit", "word", "basis")

    comparator = forms.ChoiceField(
        label="比较符",
        choices=COMPARATOR_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "比较符只能是 ≥ ≤ = > < 或无。"},
    )
    number = forms.CharField(
        label="数值",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8, "class": "num js-number"}),
        error_messages={"max_length": "数值过长。"},
    )
    word = _text("定性指标值", MAX_WORD, size=8, placeholder="如 保障", **{"class": "js-word"})
    basis = _text("指标值确定依据", MAX_DESCRIPTION, rows=2)
    # The text of a stored value that could not be read (imported); shown to be re-entered, never saved.
    raw = forms.CharField(required=False, max_length=MAX_RAW, widget=forms.HiddenInput)

    def clean_number(self) -> Decimal | None:
        return parse_number(self.cleaned_data["number"])

    def clean_word(self) -> str:
        word = self.cleaned_data["word"].strip()
        if _DIGIT.search(word.translate(_FULL_WIDTH)):
            raise ValidationError("定性指标值不能含数字：有数字的指标值请填在“数值”和“单位”栏。", code="digits")
        if word and word[0] in COMPARATORS:
            raise ValidationError("定性指标值不带比较符（如“保障”“提高”“长期”）。", code="comparator")
        return word

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        number, word = data.get("number"), data.get("word")
        if "number" in self.errors or "word" in self.errors:
            return data
        if number is not None and word:
            self.add_error("word", "数值和定性指标值只能填一个：有数值时请清空定性指标值。")
        elif number is None and not word:
            self.add_error("number", "请填写数值，或在“定性指标值”栏填写文字（如“保障”“提高”）。")
        elif word and (data.get("comparator") or data.get("unit")):
            self.add_error("word", "定性指标值不带比较符和单位：请把比较符选为“无”并清空单位。")
        return data

    def value(self) -> IndicatorValue:
        data = self.cleaned_data
        return build_value(data["comparator"], data["number"], data["unit"], data["word"])

    def indicator(self) -> Indicator:
        data = self.cleaned_data
        return Indicator(
            data["level1"], data["level2"], data["name"], data["description"].strip(), self.value(), data["basis"]
        )

    def preview(self) -> str:
        """The 指标值 as it will print, from what the row holds now."""

        def typed(name: str) -> str:
            value = self[name].value()
            return "" if value is None else str(value)

        return printed_value(typed("comparator"), typed("number"), typed("unit"), typed("word"))

    def typed(self) -> dict[str, Any]:
        return {**super().typed(), "raw": self["raw"].value()}


IndicatorFormSet = formset_factory(
    IndicatorForm,
    formset=RowFormSet,
    extra=1,
    can_order=True,
    can_delete=True,
    max_num=MAX_INDICATORS,
    validate_max=True,
    absolute_max=MAX_INDICATORS + 10,
)


def target_table(project: str, form: TargetForm, formset: RowFormSet) -> TargetTable:
    """The table the valid forms say."""
    return TargetTable(project, form.cleaned_data["goal"], tuple(row.indicator() for row in formset.kept_forms()))


def indicator_initial(indicator: Indicator) -> dict[str, Any]:
    """A row of the editor for a stored (or last year's) indicator."""
    value = indicator.value
    return {
        "level1": indicator.level1,
        "level2": indicator.level2,
        "name": indicator.name,
        "description": indicator.description,
        "comparator": value.comparator,
        "number": "" if value.number is None else str(value.number),
        "unit": value.unit,
        "word": value.word,
        "basis": indicator.basis,
        "raw": "" if value.parsed else value.raw,
    }
