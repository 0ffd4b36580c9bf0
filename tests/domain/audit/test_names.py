"""N01: a code printed under another name than the year's catalogue gives it is a warning naming both names."""

from dataclasses import replace

from domain.audit.model import CATALOGUE as RULES
from domain.audit.model import CodeNames, FigureRow, Figures, FigureTable
from domain.audit.rules import run_rules

NAMES = CodeNames(
    function={"210": "卫生健康支出", "2013101": "行政运行"},
    economic={"30201": "办公费"},
    former_function={"210": frozenset({"医疗卫生与计划生育支出"})},
)


def renamed(figures: Figures, table: str, code: str, label: str) -> Figures:
    rows = tuple(replace(row, label=label) if row.key == code else row for row in figures.tables[table].rows)
    return replace(figures, tables={**figures.tables, table: replace(figures.tables[table], rows=rows)})


def fired(figures: Figures) -> list[str]:
    return [f"{v.place} {v.message}" for v in run_rules(figures, [RULES["N01"]])]


def test_n01_names_as_catalogued_say_nothing_and_without_a_catalogue_nothing_is_checked(example) -> None:
    assert fired(replace(example, names=NAMES)) == []
    assert fired(renamed(example, "basic-economic", "30201", "印刷费")) == []  # no catalogue given


def test_n01_an_economic_code_printed_under_another_name_names_both(example) -> None:
    figures = renamed(replace(example, names=NAMES), "basic-economic", "30201", "印刷费")
    assert fired(figures) == [
        "部门预算一般公共预算财政拨款基本支出表｜30201 科目 30201 印为“印刷费”，2021年度科目表中为“办公费”"
    ]


def test_n01_spaces_and_full_width_forms_do_not_make_another_name(example) -> None:
    assert fired(renamed(replace(example, names=NAMES), "expenditure", "2013101", "行政 运行")) == []
    assert fired(renamed(replace(example, names=NAMES), "expenditure", "2013101", "行政运行（Ａ）")) != []


def test_n01_an_old_name_of_the_same_code_is_said_to_be_one() -> None:
    table = FigureTable("expenditure", "部门预算支出总表", True, (FigureRow("210", "医疗卫生与计划生育支出", {}),))
    figures = Figures({"expenditure": table}, 2021, names=NAMES)
    assert fired(figures) == [
        "部门预算支出总表｜210 科目 210 印为“医疗卫生与计划生育支出”，是该科目的旧名称；2021年度科目表为“卫生健康支出”"
    ]
