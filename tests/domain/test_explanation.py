"""The generated explanation on plain data: the published example's sentences, and sentences that adapt."""

from dataclasses import replace
from decimal import Decimal

import pytest

from demo import luquan_202, luquan_318
from demo.explanation import PREVIOUS, REMARKS
from domain.audit.rules import CATALOGUE, run_rules
from domain.classifications import Kind, Source
from domain.explanation import NO_OTHER_MATTERS, Claim, Explanation, PreviousYear, ThreePublic, explain, trim, wan_short
from domain.ledger import AssetInfo, Line, ProcurementInfo
from domain.money import to_wan
from official.audit import figures_from_budget
from tests.support.figures import data_of, data_with_units

D = Decimal
EXAMPLE = data_of(luquan_202.BUDGET)
OTHER = data_of(luquan_318.BUDGET)
PREVIOUS_2020 = PREVIOUS["202"]


def text_of(explanation: Explanation, number: str) -> str:
    return "\n".join(next(s for s in explanation.sections if s.number == number).paragraphs)


def section(explanation: Explanation, number: str):
    return next(s for s in explanation.sections if s.number == number)


@pytest.fixture
def published() -> Explanation:
    return explain(EXAMPLE, PREVIOUS_2020, REMARKS["202"], duties="（一）负责推动……\n（二）负责……")


def test_the_example_reproduces_the_published_sentences(published) -> None:
    assert [s.number for s in published.sections] == list("一二三四五六七八九")
    assert published.title == "中共石家庄市鹿泉区委办公室2021年部门预算信息公开情况说明"
    assert "现将中共石家庄市鹿泉区委办公室2021年部门预算公开如下：" in published.preamble[0]
    first = section(published, "一")
    assert first.paragraphs == ("部门职责：", "（一）负责推动……", "（二）负责……", "机构设置：")
    assert first.tables == ("units",)
    overview = text_of(published, "二")
    assert (
        "2021年预算收入总计888.25万元。其中：一般公共预算收入888.25万元，基金预算收入0万元，"
        "国有资本经营预算收入0万元，财政专户核拨收入0万元，单位资金收入0万元，上年结转结余0万元。"
    ) in overview
    assert (
        "2021年支出预算888.25万元。其中：基本支出653.74万元，包括人员经费支出531.96万元，正常公用经费121.78万元；"
        "项目支出234.51万元。"
    ) in overview
    assert (
        "2021年预算收支安排888.25万元，较2020年预算减少69.45万元，其中：基本支出增加28.38万元，"
        "主要为增加人员经费支出；项目支出减少97.83万元，主要为电子政务内网二期建设和 xxxx 工程费用减少。"
    ) in overview
    assert text_of(published, "三") == (
        "2021年，我部门机关运行经费共计安排121.78万元，主要用于机关办公经费、办公取暖费、水电费、印刷费、邮电费、"
        "差旅费、委托业务费等日常运行支出。"
    )
    assert text_of(published, "四") == (
        "2021年，我部门财政拨款“三公”经费预算安排26.4万元，其中因公出国（境）费7.5万元，公务用车购置及运维费18.9万元"
        "（其中：公务用车购置费为0万元，公务用车运维费18.9万元）；公务接待费0万元。与2020年相比持平，无增减变化。"
    )
    assert "本年度安排项目12个，项目支出234.51万元，其中12个项目编制了绩效目标表" in text_of(published, "五")
    assert "2021年，中共石家庄市鹿泉区委办公室安排政府采购预算0.00万元" in text_of(published, "六")
    assert "无政府采购预算，空表列示" in text_of(published, "六")
    assert section(published, "六").tables == ("procurement",)
    assert "上年末固定资产金额为0.00万元" in text_of(published, "七")
    assert "本年度拟购置固定资产总额为0.00万元" in text_of(published, "七")
    assert section(published, "七").tables == ("fixed-assets",)
    glossary = section(published, "八").paragraphs
    assert len(glossary) == 10
    assert glossary[0] == "1、一般公共预算拨款收入：指区级财政当年拨付的资金。"
    assert glossary[9].startswith("10、事业单位经营支出：")
    assert section(published, "九").paragraphs == (NO_OTHER_MATTERS,)


def test_every_published_number_has_its_claim(published) -> None:
    claims = {(c.text, c.table, c.row, c.column) for c in published.claims}
    assert ("888.25", "expenditure", "合计", "total") in claims
    assert ("653.74", "expenditure", "合计", "basic") in claims
    assert ("531.96", "basic-economic", "合计", "personnel") in claims
    assert ("121.78", "basic-economic", "合计", "public") in claims
    assert ("234.51", "expenditure", "合计", "project") in claims
    assert ("26.4", "three-public", "合计", "total") in claims
    assert ("7.5", "three-public", "一、因公出国（境）费", "total") in claims
    assert ("18.9", "three-public", "公务用车运行维护费", "total") in claims
    derived = {(c.text, c.column) for c in published.claims if not c.table}
    assert {("69.45", "change_total"), ("28.38", "change_basic"), ("97.83", "change_project")} <= derived


def test_three_public_amounts_print_without_trailing_zeros() -> None:
    assert [wan_short(D(yuan)) for yuan in ("264000", "75000", "0", "123400", "123456")] == [
        "26.4",
        "7.5",
        "0",
        "12.34",
        "12.35",
    ]
    assert trim(D("100.00")) == "100"


def test_without_last_year_no_comparison_is_stated() -> None:
    explanation = explain(EXAMPLE, None, {})
    assert "2021年预算收支安排888.25万元，2020年无可比预算数据，不作增减比较。" in text_of(explanation, "二")
    assert "2020年无可比“三公”经费预算数据" in text_of(explanation, "四")
    assert explanation.previous_source == ""


def test_an_increase_says_increase_and_unchanged_says_so() -> None:
    previous = PreviousYear(
        2020, D("8000000"), D("6537430"), D("1462500"), ThreePublic(D("50000"), D("0"), D("189000"))
    )
    overview = text_of(explain(EXAMPLE, previous, {"change_total": "主要为新增项目。"}), "二")
    assert "较2020年预算增加88.25万元，主要为新增项目，其中：基本支出与上年持平；项目支出增加88.26万元。" in overview
    assert "增加0" not in overview
    assert "减少0" not in overview
    three = text_of(explain(EXAMPLE, previous, {"change_three_public": "主要为因公出国任务增加"}), "四")
    assert three.endswith("比2020年增加2.5万元，主要为因公出国任务增加。")


def test_a_decrease_says_decrease() -> None:
    previous = PreviousYear(
        2020, D("8882530"), D("6537430"), D("2345100"), ThreePublic(D("75000"), D("300000"), D("189000"), D("20000"))
    )
    explanation = explain(EXAMPLE, previous, {})
    assert "2021年预算收支安排888.25万元，与2020年预算持平，其中：基本支出与上年持平；项目支出与上年持平。" in text_of(
        explanation, "二"
    )
    assert text_of(explanation, "四").endswith("比2020年减少32万元。")


def test_procurement_and_assets_when_there_are_some() -> None:
    data = replace(
        EXAMPLE,
        procurement=(
            ProcurementInfo(
                "信息中心网络设备维护及采购", "交换机", "A02010104", "台", D("2"), D("30000"), general=D("60000")
            ),
            ProcurementInfo("", "打印机", "A02021001", "台", D("1"), D("3500.5"), special_account=D("3500.50")),
        ),
        assets=(AssetInfo("车辆", D("2"), D("350000.00")), AssetInfo("办公设备", D("40"), D("123456.00"))),
    )
    explanation = explain(data, None, {})
    assert text_of(explanation, "六") == (
        "2021年，中共石家庄市鹿泉区委办公室安排政府采购预算6.35万元，其中：一般公共预算拨款6.00万元，"
        "财政专户核拨0.35万元，共2项，详见下表。"
    )
    assert text_of(explanation, "七") == (
        "中共石家庄市鹿泉区委办公室（含所属单位）上年末（2020-12-31）固定资产金额为47.35万元（详见下表）。"
        "本年度拟购置固定资产总额为6.35万元，已按要求列入政府采购预算，详见政府采购预算表。"
    )
    assert "空表列示" not in text_of(explanation, "六") + text_of(explanation, "七")


def test_empty_procurement_and_assets_say_the_table_is_empty() -> None:
    explanation = explain(OTHER, None, {})
    assert text_of(explanation, "六").endswith("安排政府采购预算0.00万元（无政府采购预算，空表列示）。")
    assert "上年末固定资产金额为0.00万元（无固定资产占用情况，空表列示）" in text_of(explanation, "七")


def test_basic_from_other_sources_does_not_misstate_the_split() -> None:
    """318 has basic expenditure beyond general-budget appropriation: table 6 covers only the latter."""
    overview = text_of(explain(OTHER, None, {}), "二")
    assert "基本支出374.10万元，其中一般公共预算财政拨款基本支出367.10万元，包括人员经费支出338.60万元" in overview
    assert "；经营支出3.00万元。" in overview


def test_remarks_and_no_projects() -> None:
    data = replace(EXAMPLE, lines=tuple(line for line in EXAMPLE.lines if line.kind == Kind.BASIC))
    explanation = explain(data, None, {"other": "第一条说明。\n第二条说明。"})
    assert section(explanation, "九").paragraphs == ("第一条说明。", "第二条说明。")
    assert "本年度未安排项目支出。" in text_of(explanation, "五")
    nothing = replace(EXAMPLE, lines=(Line("2013101", "30101", Kind.BASIC, Source.GENERAL, D("1000")),))
    running = text_of(explain(nothing, None, {}), "三")
    where = "行政单位和参公事业单位一般公共预算财政拨款基本支出中的公用经费"
    assert running == f"2021年，我部门未安排机关运行经费（{where}为0万元）。"


def test_running_costs_leave_out_the_public_costs_of_institutions() -> None:
    """机关运行经费 is the 行政 and 参公 units' 公用经费 (domain.tables.running_costs): 318's library (事业) is not."""
    other = data_with_units(luquan_318.BUDGET)
    library = [unit.name for unit in other.units if unit.nature == "事业"]
    assert library
    institution = sum(
        (
            line.amount
            for line in other.lines
            if line.unit in library and line.source == Source.GENERAL and line.kind == Kind.BASIC
            if line.economic[:3] not in ("301", "303")
        ),
        D("0"),
    )
    assert institution > 0
    public = sum(
        (
            line.amount
            for line in other.lines
            if line.source == Source.GENERAL and line.kind == Kind.BASIC and line.economic[:3] not in ("301", "303")
        ),
        D("0"),
    )
    text = text_of(explain(other, None, {}), "三")
    assert f"机关运行经费共计安排{to_wan(public - institution):.2f}万元" in text
    assert to_wan(public - institution) != to_wan(public)


def test_generated_running_costs_use_names_the_public_items() -> None:
    text = text_of(explain(EXAMPLE, None, {}), "三")
    assert text.startswith("2021年，我部门机关运行经费共计安排121.78万元，主要用于办公费、")
    assert text.endswith("等日常运行支出。")


# --- X01 --------------------------------------------------------------------------------------------------------


def x01(figures) -> list[str]:
    return [f"{v.place} {v.message}" for v in run_rules(figures, [CATALOGUE["X01"]])]


def test_x01_is_silent_on_the_demo(published) -> None:
    assert x01(figures_from_budget(EXAMPLE, explanation=published)) == []
    assert x01(figures_from_budget(OTHER)) == []


def test_x01_fires_when_a_claim_disagrees(published) -> None:
    wrong = replace(
        published,
        sections=tuple(
            replace(
                s,
                claims=(
                    *s.claims,
                    Claim("26.40", "three-public", "合计", "total"),
                    Claim("888.26", "expenditure", "合计", "total"),
                ),
            )
            if s.number == "二"
            else s
            for s in published.sections
        ),
    )
    found = x01(figures_from_budget(EXAMPLE, explanation=wrong))
    assert found == [
        "情况说明｜二、部门预算安排的总体情况｜合计 文中写作 888.26 万元，部门预算支出总表｜合计｜合计 为 888.25 万元"
    ]


def test_x01_fires_when_the_table_changed_after_the_text(published) -> None:
    """The text of one budget against the tables of another: every differing number is reported."""
    found = x01(figures_from_budget(OTHER, explanation=published))
    assert any("888.25" in item for item in found)
    assert any("26.4" in item for item in found)
