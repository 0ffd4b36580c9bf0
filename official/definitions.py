"""The official tables of a department budget disclosure (spec §2), as layouts.

Numbers 1–9 are the nine standard tables; 机构设置 is printed with them, and the supplementary
部门政府采购预算 and 部门固定资产占用情况表 after them (spec §3). Column titles follow the 2021 example;
the rows come from domain.tables and domain.supplementary.
"""

from domain import supplementary, tables
from domain.ledger import BudgetData
from official.layout import Column, ColumnKind, Group, TableLayout, code, money, number, text

_FUNCTION_CODE = Group("功能分类科目", (code(), text("name", "科目名称", 34)))

SUMMARY = TableLayout(
    key="summary",
    number=1,
    title="部门预算收支总表",
    header=(
        Group("收入", (text("in_label", "项目", 30), money("in_amount", "预算数"))),
        Group("支出", (text("out_label", "项目", 30), money("out_amount", "预算数"))),
    ),
    rows=tables.summary_rows,
)

INCOME = TableLayout(
    key="income",
    number=2,
    title="部门预算收入总表",
    header=(
        _FUNCTION_CODE,
        money("total", "合计"),
        Group(
            "本年收入",
            (
                money("subtotal", "小计"),
                money("fiscal", "财政拨款收入"),
                money("special", "财政专户收入"),
                money("business", "事业收入"),
                money("operating", "经营收入"),
                money("superior", "上级补助收入"),
                money("affiliate", "附属单位上缴收入"),
                money("other", "其他收入"),
            ),
        ),
        money("carried", "上年结转"),
    ),
    rows=tables.income_rows,
    empty_note="注：无收入预算，空表列示。",
)

EXPENDITURE = TableLayout(
    key="expenditure",
    number=3,
    title="部门预算支出总表",
    header=(
        _FUNCTION_CODE,
        money("total", "合计"),
        money("basic", "基本支出"),
        money("project", "项目支出"),
        money("operating", "经营支出"),
        money("remit", "上解上级支出"),
        money("subsidy", "对附属单位补助支出"),
    ),
    rows=tables.expenditure_rows,
    empty_note="注：无支出预算，空表列示。",
)

FISCAL_SUMMARY = TableLayout(
    key="fiscal-summary",
    number=4,
    title="部门预算财政拨款收支总表",
    header=(
        Group("收入", (text("in_label", "项目", 26), money("in_amount", "金额"))),
        Group(
            "支出",
            (
                text("out_label", "项目", 30),
                money("out_total", "合计"),
                money("out_general", "一般公共预算财政拨款"),
                money("out_govfund", "政府性基金预算财政拨款"),
                money("out_statecap", "国有资本经营预算财政拨款"),
            ),
        ),
    ),
    rows=tables.fiscal_summary_rows,
)

_APPROPRIATION_HEADER = (
    _FUNCTION_CODE,
    money("total", "合计"),
    money("basic", "基本支出"),
    money("project", "项目支出"),
)

GENERAL_APPROPRIATION = TableLayout(
    key="general-appropriation",
    number=5,
    title="部门预算一般公共预算财政拨款支出表",
    header=_APPROPRIATION_HEADER,
    rows=tables.general_appropriation_rows,
    empty_note="注：无一般公共预算财政拨款预算，空表列示。",
)

BASIC_ECONOMIC = TableLayout(
    key="basic-economic",
    number=6,
    title="部门预算一般公共预算财政拨款基本支出表",
    header=(
        Group("支出部门经济分类科目", (code(), text("name", "科目名称", 30))),
        Group(
            "一般公共预算基本支出",
            (money("total", "合计"), money("personnel", "人员经费"), money("public", "公用经费")),
        ),
    ),
    rows=tables.basic_economic_rows,
    empty_note="注：无一般公共预算财政拨款基本支出预算，空表列示。",
)

GOVFUND_APPROPRIATION = TableLayout(
    key="govfund-appropriation",
    number=7,
    title="部门预算政府基金预算财政拨款支出表",
    header=_APPROPRIATION_HEADER,
    rows=tables.govfund_appropriation_rows,
    empty_note="注：无政府基金预算财政拨款预算，空表列示。",
)

STATECAP_APPROPRIATION = TableLayout(
    key="statecap-appropriation",
    number=8,
    title="部门预算国有资本经营预算财政拨款支出表",
    header=_APPROPRIATION_HEADER,
    rows=tables.statecap_appropriation_rows,
    empty_note="注：无国有资本经营预算财政拨款预算，空表列示。",
)

THREE_PUBLIC = TableLayout(
    key="three-public",
    number=9,
    title="部门预算财政拨款“三公”经费支出表",
    header=(
        text("label", "项目", 30),
        Group(
            "资金性质",
            (
                money("total", "合计"),
                money("general", "一般公共预算财政拨款"),
                money("govfund", "政府性基金预算拨款"),
                money("statecap", "国有资本经营预算财政拨款"),
            ),
        ),
    ),
    rows=tables.three_public_rows,
)

UNITS = TableLayout(
    key="units",
    number=None,
    title="部门机构设置情况",
    header=(
        text("name", "单位名称", 36),
        text("nature", "单位性质", 10),
        text("rank", "单位规格", 16),
        text("funding_form", "经费保障形式", 22),
    ),
    rows=tables.unit_rows,
    empty_note="注：无机构设置信息，空表列示。",
    numbered=False,
)

PROCUREMENT = TableLayout(
    key="procurement",
    number=None,
    title="部门政府采购预算",
    header=(
        Group("政府采购项目来源", (text("project", "项目名称", 26), money("project_amount", "预算资金"))),
        text("item_name", "采购物品名称", 20),
        Column("catalogue_number", "政府采购目录序号", ColumnKind.CODE, 12),
        text("measure_unit", "计量单位", 8),
        number("quantity", "数量"),
        money("unit_price", "单价"),
        Group(
            "政府采购金额（当年部门预算安排资金）",
            (
                money("total", "合计"),
                money("general", "一般公共预算拨款"),
                money("govfund", "基金预算拨款"),
                money("statecap", "国有资本经营预算拨款"),
                money("special", "财政专户核拨"),
            ),
        ),
    ),
    rows=supplementary.procurement_rows,
    empty_note="注：无政府采购预算，空表列示。",
    numbered=False,
)


def _assets_as_of_line(data: BudgetData) -> str:
    return f"截止时间：{supplementary.assets_as_of(data).isoformat()}"


FIXED_ASSETS = TableLayout(
    key="fixed-assets",
    number=None,
    title="部门固定资产占用情况表",
    header=(
        text("item", "项目", 30),
        number("quantity", "数量", 12),
        # The example prints this table's values in 元 (its header says so), whatever the others use.
        money("value", "价值（金额单位：元）", 22, always_yuan=True),
    ),
    rows=supplementary.asset_rows,
    empty_note="注：无固定资产占用情况，空表列示。",
    numbered=False,
    meta=_assets_as_of_line,
)

OFFICIAL_TABLES: tuple[TableLayout, ...] = (
    SUMMARY,
    INCOME,
    EXPENDITURE,
    FISCAL_SUMMARY,
    GENERAL_APPROPRIATION,
    BASIC_ECONOMIC,
    GOVFUND_APPROPRIATION,
    STATECAP_APPROPRIATION,
    THREE_PUBLIC,
    UNITS,
    PROCUREMENT,
    FIXED_ASSETS,
)

TABLES_BY_KEY = {layout.key: layout for layout in OFFICIAL_TABLES}
