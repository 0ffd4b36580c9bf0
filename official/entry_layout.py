"""The 录入模板 (entry workbook) of a department budget: its sheets and their columns, one definition for the writer
(exports.entry_template) and the reader (importing.entry_template).

The 录入模板 is the budget as it is stored, for a department accountant to edit in Excel and upload back: one row
per figure, rather than the official tables (which derive ~30 cells from each figure). Its sheets:

* 说明: what the file is and how to fill it in (the reader ignores it);
* 预算明细: one row per ledger line, the columns of the admin's flat list of figures (budgets.resources.HEADERS,
  defined there), amounts in 元;
* 单位: the department's units, as 部门机构设置情况 prints them;
* 政府采购: the items of 部门政府采购预算, amounts in 元; 合计 and 预算资金 are derived, so not in the file;
* 固定资产: 截止时间 above the items of 部门固定资产占用情况表, values in 元, each with the unit that holds it
  (blank: the department's own entry; a file without the column is read as all blank);
* 部门整体绩效目标: 总体绩效目标 and 工作保障措施 (each a label in column A, its text in B), then the table of
  分项绩效目标 under its label;
* 项目绩效目标: every project's 绩效目标表 in one table, one row per indicator: the project on every row, its
  绩效目标 on its first row (a project with a goal and no indicators is one row without indicator cells).

A table's header is its sheet's first row, except on 固定资产 (under 截止时间) and 部门整体绩效目标 (under the
texts). A reader finds columns by their header text: the titles here, the same without （元）, or an alias.
"""

from official.layout import Column, code, money, number, text
from official.targets_layout import GOAL_LABEL, GOALS_SHEET, SUB_GOAL_COLUMNS, TARGET_COLUMNS

README_SHEET = "说明"
FIGURES_SHEET = "预算明细"
UNITS_SHEET = "单位"
PROCUREMENT_SHEET = "政府采购"
ASSETS_SHEET = "固定资产"
TARGETS_SHEET = "项目绩效目标"
# In the order the writer gives them.
SHEETS = (README_SHEET, FIGURES_SHEET, UNITS_SHEET, PROCUREMENT_SHEET, ASSETS_SHEET, GOALS_SHEET, TARGETS_SHEET)
# Without either, a file says nothing about the targets (an import keeps them as stored).
PERFORMANCE_SHEETS = (GOALS_SHEET, TARGETS_SHEET)

# Keyed by the fields of domain.ledger.UnitInfo.
UNIT_COLUMNS: tuple[Column, ...] = (
    text("name", "单位名称", 36),
    text("nature", "单位性质", 12),
    text("rank", "单位规格", 16),
    text("funding_form", "经费保障形式", 22),
)

# Keyed by the fields of domain.ledger.ProcurementInfo.
PROCUREMENT_COLUMNS: tuple[Column, ...] = (
    text("project", "项目名称", 30),
    text("item_name", "采购物品名称", 24),
    code("catalogue_number", "政府采购目录序号"),
    text("measure_unit", "计量单位", 10),
    number("quantity", "数量", 10),
    money("unit_price", "单价（元）", 16),
    money("general", "一般公共预算拨款（元）", 18),
    money("govfund", "基金预算拨款（元）", 18),
    money("statecap", "国有资本经营预算拨款（元）", 18),
    money("special_account", "财政专户核拨（元）", 18),
)

# Keyed by the fields of domain.ledger.AssetInfo; 截止时间 is in row 1 (label in A, the date in B).
ASSETS_AS_OF_LABEL = "截止时间"
ASSETS_AS_OF_HINT = "日期，如 2020-12-31；留空则为预算年度上一年的12月31日"
ASSETS_HEADER_ROW = 3  # 1-based
ASSET_UNIT = text("unit", "单位", 30)
ASSET_COLUMNS: tuple[Column, ...] = (
    text("item", "资产项目", 30),
    number("quantity", "数量", 12),
    money("value", "价值（元）", 18),
    ASSET_UNIT,
)
# Columns a file made before they existed lacks: read as blank.
OPTIONAL_COLUMNS = frozenset({"unit"})

# 部门整体绩效目标: each text by its label, then the label of the sub-goals and their header (SUB_GOAL_COLUMNS).
OVERALL_LABEL = "总体绩效目标"
MEASURES_LABEL = "工作保障措施"
SUB_GOALS_LABEL = "分项绩效目标"
GOAL_TEXT_LABELS = {"overall": OVERALL_LABEL, "measures": MEASURES_LABEL}  # keys: fields of DepartmentGoals
SUB_GOALS_HEADER_ROW = 5  # 1-based: the two texts, a blank row, the label, then the header
GOALS_COLUMNS = SUB_GOAL_COLUMNS

# 项目绩效目标: the project and its goal, then the columns of the printed 绩效目标表 (official.targets_layout).
TARGET_SHEET_COLUMNS: tuple[Column, ...] = (
    text("project", "项目", 30),
    text("goal", GOAL_LABEL, 40),
    *TARGET_COLUMNS,
)
INDICATOR_KEYS: tuple[str, ...] = tuple(column.key for column in TARGET_COLUMNS)

# Other header texts accepted for a column: the official tables' words, the entry pages'.
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    UNITS_SHEET: {"funding_form": ("经费形式",)},
    ASSETS_SHEET: {"item": ("项目",), "value": ("价值（金额单位：元）",)},
    TARGETS_SHEET: {"project": ("项目名称",)},
}
YUAN_SUFFIX = "（元）"
