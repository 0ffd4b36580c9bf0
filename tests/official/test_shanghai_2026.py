"""Shanghai's 2026 edition: written as the real template is laid out, the template filled by hand read back, and the
ledger's figures as Shanghai shows them (本年收入 by source, only the 类 with money, 三公 in 万元 with 机关运行经费)."""

import io
import re
from dataclasses import replace
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given, settings

from demo import luquan_202
from domain.audit.model import Severity
from domain.audit.rules import run_rules
from domain.classifications import Kind, Source
from domain.ledger import Line, UnitInfo
from domain.structure import UnitNature
from domain.tables import running_costs
from official.audit import audit_workbook, figures_from_budget
from official.edition import EDITIONS_DIR, EditionError, load_edition
from official.render import print_table
from official.workbook import write_workbook
from official.xlsx_reader import normalize, read_workbook
from tests.support.editions import edited_edition
from tests.support.figures import data_of
from tests.support.shanghai import (
    DEPARTMENT_TEMPLATE,
    SHANGHAI,
    SHANGHAI_UNIT,
    UNIT_TEMPLATE,
    fill_template,
    first_data_row,
    template_sheet,
)
from tests.support.strategies import budgets

YEAR = 2026
OFFICE, CENTRE, BUREAU = "本级", "信息中心", "参公局"


@pytest.fixture(scope="module")
def example():
    """The published example as a 2026 budget (its lines, no units)."""
    return replace(data_of(luquan_202.BUDGET), year=YEAR)


def written(data, layouts=SHANGHAI) -> openpyxl.Workbook:
    buffer = io.BytesIO()
    write_workbook(buffer, data, layouts=layouts.for_year(data.year))
    return openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))


def heading_block(sheet, last_row: int) -> dict[tuple[int, int], str]:
    return {
        (cell.row, cell.column): normalize(cell.value)
        for row in sheet.iter_rows(min_row=1, max_row=last_row)
        for cell in row
        if cell.value not in (None, "")
    }


def merges_above(sheet, last_row: int) -> set[str]:
    return {str(merged) for merged in sheet.merged_cells.ranges if merged.max_row <= last_row}


# Where we print otherwise than a template, on purpose: (template, table key) → (its merges, ours).
# The 单位 template merges one table's title over six of its seven columns; we centre it over the table.
KNOWN_DIFFERENCES = {(UNIT_TEMPLATE, "fiscal-summary"): ({"A2:F2"}, {"A2:G2"})}
TEMPLATES = [(SHANGHAI, DEPARTMENT_TEMPLATE, "编制部门："), (SHANGHAI_UNIT, UNIT_TEMPLATE, "编制单位：")]


@pytest.mark.parametrize(
    ("layouts", "path", "line", "key"),
    [(layouts, path, line, table.key) for layouts, path, line in TEMPLATES for table in layouts.figure_tables],
    ids=lambda value: getattr(value, "key", getattr(value, "name", value)),
)
def test_each_table_is_written_as_the_template_lays_it_out(example, layouts, path, line: str, key: str) -> None:
    """Title, 编制部门 (编制单位) and 单位 lines, every header text and merge in its cell, columns, print set-up."""
    layout = layouts.for_year(YEAR).by_key[key]
    template = template_sheet(openpyxl.load_workbook(path), layout)
    ours = written(example, layouts)[layout.sheet]
    end = first_data_row(layout) - 1
    expected = heading_block(template, end)
    department = (layout.place.heading_row, 1)
    assert expected.pop(department) == normalize(line)  # the template leaves the department blank
    actual = heading_block(ours, end)
    assert actual.pop(department) == normalize(f"{line}中共石家庄市鹿泉区委办公室")
    assert actual == expected
    theirs, mine = KNOWN_DIFFERENCES.get((path, key), (set(), set()))
    assert merges_above(ours, end) - mine == merges_above(template, end) - theirs
    assert ours.max_column == len(layout.columns)
    assert template.page_setup.orientation == ours.page_setup.orientation == "landscape"
    assert int(template.page_setup.paperSize) == int(ours.page_setup.paperSize) == 9  # A4
    assert ours.print_options.horizontalCentered


@pytest.mark.parametrize(("layouts", "path"), [(layouts, path) for layouts, path, _ in TEMPLATES])
def test_the_workbook_names_its_sheets_as_the_template_does(example, layouts, path) -> None:
    template = [sheet.title.strip() for sheet in openpyxl.load_workbook(path).worksheets]
    ours = [sheet.title for sheet in written(example, layouts).worksheets if "绩效目标" not in sheet.title]
    assert ours == [name for name in template if name in ours]
    assert len(ours) == 9 + len(layouts.prose)


def test_the_template_filled_by_hand_is_read_in_its_edition_without_a_problem(example) -> None:
    book = read_workbook(fill_template(example))
    assert book.problems == []
    assert book.edition is not None
    assert book.edition.key == "shanghai-2026"
    assert set(book.tables) == {layout.key for layout in SHANGHAI.figure_tables}
    assert book.department == ("", "中共石家庄市鹿泉区委办公室")
    assert {table.year for table in book.tables.values()} == {YEAR}  # from the titles: no 预算年度 line


def test_the_unit_template_filled_by_hand_is_read_as_a_unit_budget(example) -> None:
    book = read_workbook(fill_template(example, UNIT_TEMPLATE, SHANGHAI_UNIT))
    assert book.problems == []
    assert book.edition is not None
    assert book.edition.key == "shanghai-2026-unit"
    assert book.department == ("", "中共石家庄市鹿泉区委办公室")  # 编制单位：…


def test_the_unit_summary_splits_spending_by_kind(example) -> None:
    rows = print_table(SHANGHAI_UNIT.by_key["summary"], example).rows
    assert [row.cells[0].text for row in rows[1:4]] == ["1、一般公共预算", "2、政府性基金预算", "3、国有资本经营预算"]
    total = rows[-1]
    values = {cell.column.key: cell.value or Decimal("0.00") for cell in total.cells}
    basic = sum((line.amount for line in example.lines if line.kind == Kind.BASIC), Decimal(0))
    assert values["out_personnel"] + values["out_public"] == basic
    assert values["out_amount"] == basic + values["out_project"]


def test_the_filled_template_passes_every_error_rule(example) -> None:
    audit = audit_workbook(fill_template(example))
    assert audit.problems == []
    assert [v for v in audit.violations if v.severity is Severity.ERROR] == []


def test_a_misprint_in_the_filled_template_is_an_error_at_its_cell(example) -> None:
    book = openpyxl.load_workbook(io.BytesIO(fill_template(example)))
    layout = SHANGHAI.by_key["expenditure"]
    sheet = template_sheet(book, layout)
    row = first_data_row(layout)  # the first 类
    sheet.cell(row, 6).value = sheet.cell(row, 6).value + Decimal("1")  # 基本支出 one yuan more
    buffer = io.BytesIO()
    book.save(buffer)
    audit = audit_workbook(buffer.getvalue())
    places = {v.place for v in audit.violations if v.severity is Severity.ERROR}
    assert f"{sheet.title}!F{row}" in places


def test_the_summary_lists_income_by_source_and_only_the_classes_with_money(example) -> None:
    carried = Line("2013101", "30201", Kind.BASIC, Source.GENERAL, Decimal("100.00"), carried_over=True)
    own = Line("2013101", "30201", Kind.BASIC, Source.SUPERIOR, Decimal("50.00"))
    data = replace(example, lines=(*example.lines, carried, own))
    rows = print_table(SHANGHAI.by_key["summary"], data).rows
    income = [(row.cells[0].text, row.cells[1].text) for row in rows if row.cells[0].text]
    fiscal = sum((line.amount for line in data.lines if line.is_fiscal), Decimal(0))
    assert [label for label, _ in income] == [
        "一、财政拨款收入",
        "1. 一般公共预算",
        "2. 政府性基金预算",
        "3. 国有资本经营预算",
        "二、事业收入",
        "三、事业单位经营收入",
        "四、其他收入",
        "收入总计",
    ]
    assert income[0][1] == income[1][1] == f"{fiscal:.2f}"  # carried-over money with its source
    assert income[6][1] == "50.00"  # 上级补助收入 is 其他收入
    spending = [row.cells[2].text for row in rows if row.cells[2].text]
    assert spending == [
        "一、一般公共服务支出",
        "二、社会保障和就业支出",
        "三、卫生健康支出",
        "四、住房保障支出",
        "支出总计",
    ]
    assert rows[-1].cells[1].value == rows[-1].cells[3].value == sum((line.amount for line in data.lines), Decimal(0))


def test_three_public_is_one_row_in_wan_with_the_running_costs(example) -> None:
    printed = print_table(SHANGHAI.by_key["three-public-running"], example)
    assert printed.unit_line == "单位：万元"
    [row] = printed.rows
    values = {cell.column.key: cell.value or Decimal("0.00") for cell in row.cells}  # zero prints empty
    assert values["total"] > 0
    assert values["total"] == values["abroad"] + values["reception"] + values["vehicle_total"]
    assert values["vehicle_total"] == values["vehicle_purchase"] + values["vehicle_running"]
    general_basic_public = sum(
        (
            line.amount
            for line in example.lines
            if line.source == Source.GENERAL and line.kind == Kind.BASIC and line.economic[:3] not in ("301", "303")
        ),
        Decimal(0),
    )
    assert values["running_costs"] == (general_basic_public / 10000).quantize(Decimal("0.01"))
    assert print_table(SHANGHAI.by_key["income"], example).unit_line == "单位：元"


def test_running_costs_are_the_public_costs_of_administrative_and_civil_service_units() -> None:
    def public(unit: str, amount: str, source: Source = Source.GENERAL, economic: str = "30201") -> Line:
        return Line("2013101", economic, Kind.BASIC, source, Decimal(amount), unit=unit)

    units = (
        UnitInfo(OFFICE, UnitNature.ADMINISTRATIVE, "", ""),
        UnitInfo(CENTRE, UnitNature.INSTITUTION, "", ""),
        UnitInfo(BUREAU, UnitNature.CIVIL_SERVICE, "", ""),
    )
    lines = (
        public(OFFICE, "100.00"),
        public(CENTRE, "20.00"),  # a 事业单位: not 机关运行经费
        public(BUREAU, "3.00"),
        public(OFFICE, "4000.00", economic="30101"),  # 人员经费
        public(OFFICE, "50000.00", source=Source.BUSINESS),  # not appropriated
        public("", "0.50"),  # not yet placed: the first unit's
    )
    data = replace(data_of(luquan_202.BUDGET), lines=lines, units=units)
    assert running_costs(data) == Decimal("103.50")
    assert running_costs(replace(data, units=())) == Decimal("123.50")  # no units: the department's own office


@settings(max_examples=40, deadline=None)
@given(budgets())
def test_no_budget_printed_in_shanghai_breaks_an_error_rule(data) -> None:
    errors = [v for v in run_rules(figures_from_budget(data, layouts=SHANGHAI)) if v.severity is Severity.ERROR]
    assert errors == []


@settings(max_examples=25, deadline=None)
@given(budgets())
def test_every_budget_printed_in_shanghai_reads_back_without_a_problem(data) -> None:
    buffer = io.BytesIO()
    write_workbook(buffer, data, layouts=SHANGHAI.for_year(data.year))
    book = read_workbook(buffer.getvalue())
    assert book.problems == []
    assert book.edition is not None
    assert book.edition.key == "shanghai-2026"


def test_the_workbook_has_the_templates_narrative_sheets_around_the_tables(example) -> None:
    """In the template's order: 封面 … 部门编制说明 before the tables, 其他相关情况说明 after; no placeholder left."""
    book = written(example)
    template = [sheet.title.strip() for sheet in openpyxl.load_workbook(DEPARTMENT_TEMPLATE).worksheets]
    ours = [sheet.title for sheet in book.worksheets if "绩效目标" not in sheet.title]
    assert ours == [name for name in template if name != "项目经费情况说明"]
    sheets = ("封面", "目录", "部门主要职能", "部门机构设置", "部门编制说明", "其他相关情况说明")
    prose = "\n".join(str(value) for name in sheets for row in book[name].values for value in row if value)
    assert not re.search(r"XX|xx|x,xxx|……", prose)
    assert f"{YEAR}年部门财务收支预算总表" in prose  # 目录 names the tables as titled
    total = sum((line.amount for line in example.lines), Decimal(0))
    assert f"收入预算{(total / 10000).quantize(Decimal('0.01'))}万元" in prose


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('classes = "with-money"', 'classes = "some"', "classes 应为 all 或 with-money，实际为“some”"),
        ('unit = "万元"', 'unit = "千元"', "unit 应为 万元 或 元，实际为“千元”"),
        (
            '{ label = "一般公共预算", sources = ["general"] }',
            '{ label = "一般公共预算" }',
            "须有 sources（资金来源）或 parts",
        ),
        ('key = "terms"', 'key = "glossary"', "第 5 个叙述页：未知的 key “glossary”"),
        ("header_row = 4", "header_row = 3", "应为 1 ≤ title_row < heading_row < header_row"),
        ('sheet = "部门收入总表"', 'sheet = "部门/收入总表"', "不能用作工作表名"),
        ('sheet = "名词解释"', 'sheet = "部门收入总表"', "sheet：工作表名重复：部门收入总表"),
    ],
)
def test_a_wrong_shanghai_field_is_refused_naming_the_file_and_the_place(
    tmp_path, old: str, new: str, message: str
) -> None:
    with pytest.raises(EditionError, match=re.escape(message)) as refused:
        load_edition(edited_edition(tmp_path, "shanghai-2026", old, new))
    assert str(refused.value).startswith("shanghai-2026.toml：")


def test_a_unit_variant_must_be_a_unit_edition(add_edition) -> None:
    text = (EDITIONS_DIR / "shanghai-2026.toml").read_text(encoding="utf-8")
    with pytest.raises(EditionError, match="“hebei-2021”不是已有的单位版式"):
        add_edition(
            "test-unitless",
            text.replace('key = "shanghai-2026"', 'key = "test-unitless"').replace(
                'unit_edition = "shanghai-2026-unit"', 'unit_edition = "hebei-2021"'
            ),
        )


def test_a_table_in_another_unit_than_its_edition_fixes_is_refused_at_its_sheet(example) -> None:
    book = openpyxl.load_workbook(io.BytesIO(fill_template(example)))
    layout = SHANGHAI.by_key["income"]
    sheet = template_sheet(book, layout)
    sheet.cell(layout.place.heading_row, len(layout.columns)).value = "单位：万元"
    buffer = io.BytesIO()
    book.save(buffer)
    problems = read_workbook(buffer.getvalue()).problems
    assert [str(problem) for problem in problems] == [
        f"{sheet.title}：此版式的“{YEAR}年部门收入预算总表”以元列示，文件为“单位：万元”"
    ]
