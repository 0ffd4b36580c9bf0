"""Uploaded workbooks: what the safety scan refuses before python-calamine parses them, and what the reader makes
of what it lets through (formulas, error values, hidden sheets and rows, a large real department's workbook).

The crafted files are built by bench.crafted, which the bench times the refusals of.
"""

import io
import re
import zipfile
from dataclasses import replace

import pytest

from bench.crafted import (
    MAIN,
    a_million_shared_strings,
    numbers,
    shared_strings_xml,
    sheet,
    two_million_cells,
    workbook,
)
from bench.large import catalogue_rows, large_budget
from demo import luquan_202
from domain.catalogue import CatalogKind
from domain.ledger import BudgetData, Catalogue, Line
from domain.money import DisplayUnit
from domain.reconstruct import reconstruct
from importing.marginals import workbook_marginals
from official import xlsx_safety
from official.render import print_table
from official.workbook import write_workbook
from official.xlsx_reader import read_workbook
from official.xlsx_safety import UnsafeWorkbook, scan_workbook
from tests.support.figures import data_of
from tests.support.hebei_2021 import OFFICIAL_TABLES
from tests.support.workbooks import edited

INCOME = "部门预算收入总表"
EXPENDITURE = "部门预算支出总表"
NINE = [layout for layout in OFFICIAL_TABLES if layout.number is not None]


def within_the_old_limits(data: bytes) -> bool:
    """What the scan checked before the issue: the file's size, its compression ratio, rows per sheet."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        uncompressed = sum(member.file_size for member in members)
        compressed = sum(member.compress_size for member in members)
    return (
        len(data) <= xlsx_safety.MAX_FILE_BYTES
        and uncompressed <= xlsx_safety.MAX_UNCOMPRESSED_BYTES
        and uncompressed / compressed <= xlsx_safety.MAX_COMPRESSION_RATIO
    )


def refusal(data: bytes) -> str:
    with pytest.raises(UnsafeWorkbook) as caught:
        read_workbook(data)
    return str(caught.value)


# --- crafted files: refused before calamine parses them ---------------------------------------------------------


@pytest.fixture(scope="module")
def cells() -> bytes:
    """The issue's first file: 2 000 000 cells in 5 000 rows, a few MB, inside every limit there was."""
    return two_million_cells()


def test_two_million_cells_in_a_few_megabytes_are_refused_by_the_cells_per_sheet(cells) -> None:
    assert within_the_old_limits(cells)
    assert refusal(cells) == "工作表“表1”的单元格超过 300000 个，拒绝导入。"


def test_a_million_shared_strings_in_a_few_megabytes_are_refused_by_their_size() -> None:
    data = a_million_shared_strings()
    assert within_the_old_limits(data)
    size = f"{len(shared_strings_xml(1_000_000)) / 1024 / 1024:.1f} MB"
    assert refusal(data) == f"共享字符串表（xl/sharedStrings.xml）过大（{size}），上限为 10.0 MB，拒绝导入。"


def test_shared_strings_beyond_their_number_are_refused(monkeypatch) -> None:
    monkeypatch.setattr(xlsx_safety, "MAX_SHARED_STRINGS", 1000)
    strings = "".join(f"<si><t>{number}</t></si>" for number in range(1001))
    data = workbook(sheet(""), sharedStrings=f'<sst xmlns="{MAIN}">{strings}</sst>')
    assert refusal(data) == "共享字符串表（xl/sharedStrings.xml）超过 1000 条，拒绝导入。"
    # calamine reserves room for as many as the table declares, before reading one: a billion would abort the process
    declared = workbook(
        sheet(""), sharedStrings=f'<sst xmlns="{MAIN}" uniqueCount="1000000000"><si><t>1</t></si></sst>'
    )
    assert refusal(declared) == "共享字符串表（xl/sharedStrings.xml）超过 1000 条，拒绝导入。"


def test_the_cells_of_all_sheets_together_are_limited() -> None:
    sheets = [sheet(numbers(5000, 40, start=number * 200_000)) for number in range(3)]  # 200 000 cells each
    assert refusal(workbook(*sheets)) == "工作簿的单元格超过 500000 个（到工作表“表3”为止），拒绝导入。"


def test_rows_beyond_their_number_are_still_refused() -> None:
    assert refusal(workbook(sheet("<row/>" * 5001))) == "工作表“表1”超过 5000 行，拒绝导入。"


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        # calamine would build a grid from A1 to the farthest value: here 17 billion cells, for a file of 1 KB.
        ("XFD1048576", "工作表“表1”超过 5000 行（单元格 XFD1048576），拒绝导入。"),
        ("A5001", "工作表“表1”超过 5000 行（单元格 A5001），拒绝导入。"),
        ("IW1", "工作表“表1”的单元格 IW1 超出第 256 列（IV 列），拒绝导入。"),
    ],
)
def test_a_value_beyond_the_last_row_or_column_is_refused(cell, message) -> None:
    data = workbook(sheet(f'<row r="1"><c r="A1"><v>1</v></c><c r = "{cell}"><v>2</v></c></row>'))
    assert refusal(data) == message


def test_a_value_placed_far_by_the_cells_before_it_is_refused() -> None:
    """A cell without a reference stands after the one before it: here after a blank cell in the last column."""
    data = workbook(sheet('<row r="1"><c r="XFD1" s="0"/><c><v>1</v></c></row>'))
    assert refusal(data) == "工作表“表1”的单元格 XFE1 超出第 256 列（IV 列），拒绝导入。"


def test_blank_cells_far_away_and_values_in_the_last_row_and_column_are_read() -> None:
    data = workbook(
        sheet('<row r="1"><c r="XFD1" s="0"/><c r="IV1"><v>7</v></c></row>'),
        sheet('<row r="5000"><c r="XFD5000" s="0"/><c r="A5000"><v>8</v></c></row>'),
    )
    assert [scan.cells for scan in scan_workbook(data).values()] == [2, 2]
    assert read_workbook(data).problems  # no table in it, but read


def test_the_grids_calamine_builds_are_limited_all_sheets_together() -> None:
    """Each sheet is a grid from A1 to its farthest value, however few values it holds."""
    data = workbook(sheet('<row r="1"><c r="A1"><v>1</v></c></row><row r="4000"><c r="IV4000"><v>2</v></c></row>'))
    assert refusal(data) == (
        "工作簿各工作表从 A1 到最远一个有内容的单元格共超过 1000000 个单元格（到工作表“表1”为止），拒绝导入。"
    )


def test_merged_ranges_beyond_their_number_or_overlapping_are_refused(monkeypatch) -> None:
    overlapping = "".join('<mergeCell ref="A1:IV5000"/>' for _ in range(2))
    data = workbook(sheet("", after=f"<mergeCells>{overlapping}</mergeCells>"))
    assert refusal(data) == "工作表“表1”的合并单元格相互重叠，拒绝导入。"
    monkeypatch.setattr(xlsx_safety, "MAX_MERGED_PER_SHEET", 10)
    merged = "".join(f'<mergeCell ref="A{row}:B{row}"/>' for row in range(1, 12))
    data = workbook(sheet("", after=f"<mergeCells>{merged}</mergeCells>"))
    assert refusal(data) == "工作表“表1”的合并单元格超过 10 个，拒绝导入。"


def test_styles_beyond_their_cell_formats_or_size_are_refused(monkeypatch) -> None:
    monkeypatch.setattr(xlsx_safety, "MAX_CELL_FORMATS", 50)
    formats = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>' * 51
    styles = f'<styleSheet xmlns="{MAIN}"><cellXfs count="51">{formats}</cellXfs></styleSheet>'
    assert refusal(workbook(sheet(""), styles=styles)) == "样式表（xl/styles.xml）的单元格格式超过 50 种，拒绝导入。"
    monkeypatch.setattr(xlsx_safety, "MAX_CELL_FORMATS", 65_490)
    monkeypatch.setattr(xlsx_safety, "MAX_STYLES_BYTES", 1024)
    assert refusal(workbook(sheet(""), styles=styles)) == (
        "样式表（xl/styles.xml）过大（0.0 MB），上限为 0.0 MB，拒绝导入。"
    )


def test_the_parts_checked_are_those_calamine_reads_wherever_the_package_puts_them(cells) -> None:
    with zipfile.ZipFile(io.BytesIO(cells)) as archive:
        cells = archive.read("xl/worksheets/sheet1.xml")
    assert refusal(workbook(cells, folder="book/")) == "工作表“表1”的单元格超过 300000 个，拒绝导入。"


def test_a_sheet_that_hides_cells_under_a_second_prefix_is_refused() -> None:
    prefixed = sheet('<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>', prefix="x:")
    assert read_workbook(workbook(prefixed)).problems  # one prefix throughout: read
    mixed = prefixed.replace(f'xmlns:x="{MAIN}"', f'xmlns:x="{MAIN}" xmlns:y="{MAIN}"').replace("<x:c ", "<y:c ")
    assert refusal(workbook(mixed)) == (
        "工作表“表1”的 XML 命名空间前缀不一致，无法安全读取：请在 Excel 中另存为 .xlsx 后再导入。"
    )


def test_parts_or_sheets_named_twice_are_refused() -> None:
    assert refusal(workbook(sheet(""), sheet(""), names=("表1", "表1"))) == (
        "工作簿中有两个工作表都叫“表1”，不是有效的 xlsx 工作簿。"
    )
    data = workbook(sheet(""), sheet(""))
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("XL/Worksheets/Sheet1.xml", sheet(numbers(5000, 61)))
    assert refusal(buffer.getvalue()) == "文件中有重名的部件“XL/Worksheets/Sheet1.xml”，不是有效的 xlsx 工作簿。"


# --- what the reader makes of a file let through ------------------------------------------------------------


@pytest.fixture(scope="module")
def example() -> bytes:
    buffer = io.BytesIO()
    write_workbook(buffer, data_of(luquan_202.BUDGET))
    return buffer.getvalue()


def with_cell(data: bytes, sheet_name: str, ref: str, xml: str) -> bytes:
    """The workbook with the cell ``ref`` of a sheet written as ``xml`` (its whole ``<c>`` element)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    ids = dict(re.findall(rb'<sheet name="([^"]+)" sheetId="\d+" r:id="(rId\d+)"', parts["xl/workbook.xml"]))
    targets = dict(re.findall(rb'Id="(rId\d+)"[^>]*Target="([^"]+)"', parts["xl/_rels/workbook.xml.rels"]))
    path = "xl/" + targets[ids[sheet_name.encode()]].decode()
    cell = re.compile(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)'.encode())
    assert cell.search(parts[path]), ref
    parts[path] = cell.sub(xml.encode(), parts[path], count=1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def messages(problems) -> list[str]:
    return [str(problem) for problem in problems]


def test_a_formula_without_a_cached_value_is_still_refused_and_one_with_a_value_read(example) -> None:
    book = read_workbook(with_cell(example, INCOME, "F9", '<c r="F9"><f>59.497*10</f></c>'))
    assert f"{INCOME}!F9：公式没有计算结果：请在 Excel 中重新计算并保存，或改为数值" in messages(book.problems)
    cached = read_workbook(with_cell(example, INCOME, "F9", '<c r="F9"><f>59.497*10</f><v>594.97</v></c>'))
    assert cached.problems == read_workbook(example).problems == []
    assert cached.tables == read_workbook(example).tables


def test_an_error_value_is_read_as_its_text_not_as_an_empty_cell(example) -> None:
    """calamine reads #DIV/0! as an empty cell, which would import as zero."""
    book = read_workbook(with_cell(example, INCOME, "F9", '<c r="F9" t="e"><f>1/0</f><v>#DIV/0!</v></c>'))
    assert f"{INCOME}!F9：“#DIV/0!”不是有效金额" in messages(book.problems)


@pytest.mark.parametrize("number", ["NaN", "inf", "-inf", "1e400"])
def test_a_number_that_is_no_amount_is_a_problem_of_its_cell(example, number) -> None:
    book = read_workbook(with_cell(example, INCOME, "F9", f'<c r="F9"><v>{number}</v></c>'))
    [problem] = [problem for problem in book.problems if problem.place == f"{INCOME}!F9"]
    assert problem.message.endswith("不是有效金额")


@pytest.mark.parametrize("text", ["abc", "1_000", " 7 "])
def test_a_number_cell_holding_text_is_a_damaged_file(example, text) -> None:
    data = with_cell(example, INCOME, "F9", f'<c r="F9"><v>{text}</v></c>')
    assert refusal(data) == f"工作表“{INCOME}”无法读取，文件可能已损坏。"


def test_hidden_sheets_and_rows_that_hold_something_are_read_with_a_warning(example) -> None:
    def hide(book) -> None:
        book[INCOME].sheet_state = "hidden"
        for row in (9, 11, 300):  # 300 holds nothing: not named
            book[EXPENDITURE].row_dimensions[row].hidden = True

    plain, hidden = read_workbook(edited(example, lambda book: None)), read_workbook(edited(example, hide))
    assert plain.warnings == []
    assert messages(hidden.warnings) == [f"工作表“{INCOME}”是隐藏的", f"工作表“{EXPENDITURE}”第 9、11 行是隐藏的"]
    assert (hidden.tables, hidden.problems) == (plain.tables, plain.problems)


def test_numbers_read_as_openpyxl_read_them_whole_ones_as_integers(example) -> None:
    """calamine gives every number as a float: 2021 in a text column is still "2021", an amount still exact."""
    data = with_cell(example, INCOME, "C9", '<c r="C9"><v>2021</v></c>')
    data = with_cell(data, INCOME, "F9", '<c r="F9"><v>0.30000000000000004</v></c>')
    [row] = [row for row in read_workbook(data).tables["income"].rows if row["name"].ref == f"{INCOME}!C9"]
    assert row["name"].value == "2021"
    assert (str(row["fiscal"].value), str(row["fiscal"].printed)) == ("3000.00", "0.30")


# --- a large real department ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def large() -> BudgetData:
    """The benchmark's large department (300 项, 40 projects with their 绩效目标表), without a database."""
    spec = large_budget()
    rows = catalogue_rows()
    catalogue = Catalogue(
        {row.code: row.name for row in rows[CatalogKind.FUNCTION]},
        {row.code: row.name for row in rows[CatalogKind.ECONOMIC]},
    )
    lines = tuple(line.as_line() for line in spec.lines)
    return BudgetData(
        spec.department_code, spec.department_name, spec.year, catalogue, lines, performance=spec.performance
    )


def test_the_large_department_workbook_reads_back_as_it_was_printed(large) -> None:
    buffer = io.BytesIO()
    write_workbook(buffer, large, DisplayUnit.WAN)
    scans = scan_workbook(buffer.getvalue())
    assert sum(scan.cells for scan in scans.values()) < xlsx_safety.MAX_CELLS // 20
    book = read_workbook(buffer.getvalue())
    assert (book.problems, book.warnings) == ([], [])
    assert book.performance is not None
    assert large.performance is not None
    assert [table.project for table in book.performance.targets] == [
        table.project for table in large.performance.targets
    ]
    assert len(book.performance.targets) == 40
    rebuilt = reconstruct(workbook_marginals(book))
    lines = tuple(Line(d.function, d.economic, d.kind, d.source, d.amount, d.carried_over) for d in rebuilt)
    again = replace(large, lines=lines)
    for layout in NINE:
        printed = [row.texts for row in print_table(layout, large, DisplayUnit.WAN).rows]
        assert [row.texts for row in print_table(layout, again, DisplayUnit.WAN).rows] == printed, layout.key
