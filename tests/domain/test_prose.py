"""The narrative sheets of the Shanghai workbook: every number from the ledger, no placeholder, and a comparison with
last year only where last year is known."""

import re
from dataclasses import replace
from decimal import Decimal

import pytest

from demo import luquan_318
from domain.classifications import Kind, Source
from domain.explanation import PreviousYear, ThreePublic
from domain.ledger import Line
from domain.money import to_wan
from domain.prose import PROSE, ProseInputs, contents, cover, other_matters, preparation, units
from domain.tables import running_costs, three_public_row
from tests.support.figures import data_with_units

PLACEHOLDERS = re.compile(r"XX|xx|x,xxx|……|\?\?")
D = Decimal
OTHER = data_with_units(luquan_318.BUDGET)
LAST_YEAR = PreviousYear(
    2020, D("3000000"), D("2000000"), D("1000000"), ThreePublic(D("0"), D("0"), D("50000"), D("20000"))
)
TITLES = ("2021年部门财务收支预算总表", "2021年部门收入预算总表")


def text(prose) -> str:
    return "\n".join(prose.paragraphs)


def wan(yuan: Decimal) -> str:
    return f"{to_wan(yuan):.2f}"


@pytest.mark.parametrize("key", list(PROSE))
@pytest.mark.parametrize("previous", [None, LAST_YEAR])
def test_no_sheet_leaves_a_placeholder(key: str, previous) -> None:
    prose = PROSE[key](OTHER, ProseInputs("负责全区文化工作。", previous, {"change_total": "新增项目"}), TITLES)
    assert prose.title
    assert prose.paragraphs
    assert not PLACEHOLDERS.search(prose.title + text(prose))


def test_the_preparation_states_income_by_source_and_the_fiscal_classes() -> None:
    prose = text(preparation(OTHER, ProseInputs(), TITLES))
    total = sum((line.amount for line in OTHER.lines), D(0))
    fiscal = sum((line.amount for line in OTHER.lines if line.is_fiscal), D(0))
    business = sum((line.amount for line in OTHER.lines if line.source == Source.BUSINESS), D(0))
    assert f"收入预算{wan(total)}万元，其中：财政拨款收入{wan(fiscal)}万元；事业收入{wan(business)}万元" in prose
    assert f"支出预算{wan(total)}万元，其中" in prose  # no last year: no comparison
    assert "比2020年" not in prose
    culture = sum((line.amount for line in OTHER.lines if line.is_fiscal and line.function[:3] == "207"), D(0))
    assert f"“文化旅游体育与传媒支出”科目{wan(culture)}万元。" in prose


def test_last_year_and_the_reason_are_stated_when_known() -> None:
    prose = text(preparation(OTHER, ProseInputs(previous=LAST_YEAR, remarks={"change_total": "新增项目"}), TITLES))
    total = sum((line.amount for line in OTHER.lines), D(0))
    assert f"支出预算{wan(total)}万元，比2020年预算增加{to_wan(total) - to_wan(LAST_YEAR.total):.2f}万元" in prose
    assert "收支预算增减的主要原因是新增项目。" in prose


def test_other_matters_repeat_the_three_public_row_and_the_running_costs() -> None:
    prose = text(other_matters(OTHER, ProseInputs(previous=LAST_YEAR), TITLES))
    row = three_public_row(OTHER)[0].cells
    assert f"“三公”经费预算数为{wan(row['total'])}万元，比2020年预算增加" in prose
    assert f"公务接待费{wan(row['reception'])}万元，比2020年预算增加" in prose
    assert f"机关运行经费预算为{wan(running_costs(OTHER))}万元" in prose
    assert "未安排政府采购预算" in prose  # the demo data of 318 here has no procurement


def test_a_department_without_running_costs_says_so() -> None:
    personnel = Line("2013101", "30101", Kind.BASIC, Source.GENERAL, D("1000.00"), unit=OTHER.units[0].name)
    prose = text(other_matters(replace(OTHER, lines=(personnel,)), ProseInputs(), TITLES))
    assert "本部门无机关运行经费。" in prose
    assert "没有编报绩效目标的项目" in prose


def test_the_units_sheet_counts_the_units_by_nature() -> None:
    prose = text(units(OTHER, ProseInputs(), TITLES))
    assert "所属共3家预算单位" in prose
    assert "行政单位（含参公事业单位）1家，事业单位2家" in prose
    assert prose.endswith(f"3. {OTHER.units[2].name}")


def test_the_contents_list_the_tables_by_their_titles() -> None:
    prose = contents(OTHER, ProseInputs(), TITLES)
    assert prose.paragraphs[5:7] == ("    1. 2021年部门财务收支预算总表", "    2. 2021年部门收入预算总表")


def test_a_units_sheets_speak_of_the_unit() -> None:
    unit = replace(OTHER, department_name=OTHER.units[1].name, units=(OTHER.units[1],))
    inputs = ProseInputs()
    assert cover(unit, inputs, TITLES, "单位").paragraphs == (f"预算单位：{unit.department_name}",)
    assert contents(unit, inputs, TITLES, "单位").paragraphs[4] == "五、单位预算表"
    info = OTHER.units[1]
    assert text(units(unit, inputs, TITLES, "单位")) == (
        f"{info.name}为{info.nature}单位，单位规格为{info.rank}，经费保障形式为{info.funding_form}。"
    )
    assert preparation(unit, inputs, TITLES, "单位").title == "2021年单位预算编制说明"
    assert "本部门" not in text(other_matters(unit, inputs, TITLES, "单位"))
