"""Golden tests: the performance targets the product prints for 2021 / department 202 equal the published example.

The example's 部门整体绩效目标 and its twelve 绩效目标表 are read from ``tests/golden/seed_2021_202.txt`` by
``tests.golden.seed`` (independently of ``performance.demo``, which transcribes them), and every goal text and every
indicator row (一级, 二级, 三级, 描述, 指标值, 依据) is compared with what the demo budget prints on the targets page
and in the exported workbook. The only differences allowed are

* the documented corrections of the demo (``VALUE_CORRECTIONS``, ``TEXT_CORRECTIONS`` in demo.targets_202),
  applied here to the expected values after checking that the example really prints what they correct; and
* whitespace inside 指标值: the product prints the official style (``IndicatorValue.__str__``), so the published
  ``≥5年`` prints as ``≥5 年``. 指标值 is compared with all whitespace removed, and a test lists the one row where
  that matters, so the allowance cannot hide anything else.

The example prints 一级指标 once per run of rows (blank below, also on a new page); the page spans it with rowspan
and the workbook merges it vertically: both are expanded to one value per row before comparing.
"""

import io
import re
from dataclasses import dataclass, replace

import openpyxl
import pytest
from bs4 import BeautifulSoup, Tag
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts.models import User
from budgets.models import Budget
from budgets.selectors import budget_data
from demo.loader import load_demo
from demo.targets_202 import AS_PUBLISHED, CORRECTED, TEXT_CORRECTIONS, VALUE_CORRECTIONS
from domain.audit.model import Severity
from domain.performance.targets import Performance
from domain.performance.values import parse_value
from official.audit import audit_workbook
from official.workbook import write_workbook
from official.xlsx_reader import read_workbook
from tests.golden.seed import (
    TARGET_HEADER,
    SeedGoals,
    SeedSubGoal,
    SeedTargetTable,
    load_goals,
    load_targets,
)

# The pages are made once per module (see ``product``); the mark makes pytest-django set up the test database even
# when this module runs alone.
pytestmark = pytest.mark.django_db

YEAR = 2021
DEPARTMENT = "202"
DEPARTMENT_LINE = "202 中共石家庄市鹿泉区委办公室"
YEAR_LINE = "预算年度：2021"
ROW_COUNTS = (10, 11, 9, 9, 11, 8, 13, 10, 9, 9, 9, 9)  # indicator rows of the twelve tables, as published
SUB_GOAL_COUNT = 9
VALUE = 4  # the 指标值 column among the six


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- the example, with the documented corrections --------------------------------------------------------------


def expected_targets() -> list[SeedTargetTable]:
    tables = {table.project: replace(table, rows=[list(row) for row in table.rows]) for table in load_targets()}
    for project, name, published, corrected, _why in VALUE_CORRECTIONS:
        [row] = [row for row in tables[project].rows if row[2] == name]
        assert row[VALUE] == published, f"correction {project}/{name}: the example prints {row[VALUE]!r}"
        row[VALUE] = corrected
    return list(tables.values())


def expected_goals() -> SeedGoals:
    goals = load_goals()
    subs = []
    for sub in goals.sub_goals:
        for title, old, new, _why in TEXT_CORRECTIONS:
            if title == sub.title:
                assert old in sub.goal + sub.indicators, f"correction {title}: the example does not print {old!r}"
                sub = SeedSubGoal(sub.title, sub.goal.replace(old, new), sub.indicators.replace(old, new))
        subs.append(sub)
    assert [sub.title for sub in subs if sub not in goals.sub_goals] == [title for title, *_ in TEXT_CORRECTIONS]
    return SeedGoals(goals.overall, subs, goals.measures)


def row_differences(where: str, expected: list[list[str]], printed: list[list[str]]) -> list[str]:
    """Every cell that differs (指标值 compared without whitespace), and any missing or extra row."""
    differences = [f"{where}: {len(printed)} rows, expected {len(expected)}"] if len(printed) != len(expected) else []
    for number, (want, got) in enumerate(zip(expected, printed, strict=False), start=1):
        if len(got) != len(TARGET_HEADER):
            differences.append(f"{where} row {number}: {len(got)} cells {got!r}")
            continue
        for column, (w, g) in enumerate(zip(want, got, strict=True)):
            # 指标值 without whitespace: the official style prints the published ≥5年 as ≥5 年 (see the docstring).
            same = compact(w) == compact(g) if column == VALUE else w == g
            if not same:
                differences.append(f"{where} row {number} {TARGET_HEADER[column]}: expected {w!r}, printed {g!r}")
    return differences


# --- what the product prints -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrintedTable:
    anchor: str  # the element id on the page, the sheet name in the workbook
    title: str
    department_line: str
    year_line: str
    goal: str
    header: list[str]
    rows: list[list[str]]


def _text(element: Tag | None) -> str:
    return element.get_text().strip() if element is not None else ""


def _body_rows(trs: list[Tag]) -> list[list[str]]:
    """The body's cells, a rowspan's text repeated on every row it spans."""
    rows: list[list[str]] = []
    pending: dict[int, tuple[str, int]] = {}  # column → (text, rows still to fill)
    for tr in trs:
        cells: list[str] = []
        tds = iter(tr.find_all("td"))
        column = 0
        while True:
            if column in pending:
                text, left = pending[column]
                cells.append(text)
                pending[column] = (text, left - 1)
                if left == 1:
                    del pending[column]
            else:
                td = next(tds, None)
                if td is None:
                    break
                cells.append(td.get_text().strip())
                if int(td.get("rowspan", 1)) > 1:
                    pending[column] = (cells[-1], int(td["rowspan"]) - 1)
            column += 1
        rows.append(cells)
    return rows


def read_page_tables(html: str) -> list[PrintedTable]:
    soup = BeautifulSoup(html, "html.parser")
    tables = []
    for section in soup.select("section.target-table"):
        table = section.select_one("table.official.targets")
        tables.append(
            PrintedTable(
                anchor=section["id"],
                title=_text(section.select_one(".table-title")),
                department_line=_text(section.select_one(".table-meta .department-line")),
                year_line=_text(section.select_one(".table-meta .year-line")),
                goal=_text(table.select_one("thead tr.goal-row td.goal")),
                header=[_text(th) for th in table.select("thead tr.header-row th")],
                rows=_body_rows(table.find("tbody").find_all("tr")),
            )
        )
    return tables


def read_page_goals(html: str) -> SeedGoals:
    section = BeautifulSoup(html, "html.parser").select_one("section#department-goals")
    subs = []
    for sub in section.select("section.sub-goal"):
        heading = _text(sub.select_one(".sub-goal-title"))
        subs.append(
            SeedSubGoal(
                re.sub(r"^（[一二三四五六七八九十]+）", "", heading),
                _text(sub.select_one(".sub-goal-goal")).removeprefix("绩效目标："),
                _text(sub.select_one(".sub-goal-indicators")).removeprefix("绩效指标："),
            )
        )
    return SeedGoals(
        "\n".join(_text(p) for p in section.select(".overall p")),
        subs,
        "\n".join(_text(p) for p in section.select(".measures p")),
    )


def _values(sheet) -> list[list[str]]:
    """A sheet's cells as text, every merged range filled with its top-left value (openpyxl, not our reader)."""
    grid = [["" if value is None else str(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    for cell_range in sheet.merged_cells.ranges:
        top = grid[cell_range.min_row - 1][cell_range.min_col - 1]
        for row in range(cell_range.min_row - 1, cell_range.max_row):
            for col in range(cell_range.min_col - 1, cell_range.max_col):
                grid[row][col] = top
    return grid


def read_sheet_table(sheet) -> PrintedTable:
    grid = _values(sheet)
    # Row 1 title, row 2 department line and 预算年度, row 3 绩效目标, row 4 the header, then the indicators.
    assert grid[2][0] == "绩效目标", sheet.title
    return PrintedTable(
        anchor=sheet.title,
        title=grid[0][0],
        department_line=grid[1][0],
        year_line=next((cell for cell in grid[1] if cell.startswith("预算年度")), ""),
        goal=grid[2][1],
        header=grid[3][: len(TARGET_HEADER)],
        rows=[row[: len(TARGET_HEADER)] for row in grid[4:] if any(row)],
    )


def read_sheet_goals(sheet) -> SeedGoals:
    grid = _values(sheet)
    first = [row[0] for row in grid]
    overall, subs, measures = (
        first.index("一、总体绩效目标"),
        first.index("二、分项绩效目标"),
        first.index("三、工作保障措施"),
    )
    assert grid[subs + 1][:3] == ["名称", "绩效目标", "绩效指标"]
    return SeedGoals(
        "\n".join(first[overall + 1 : subs]),
        [SeedSubGoal(*row[:3]) for row in grid[subs + 2 : measures]],
        "\n".join(first[measures + 1 :]),
    )


@pytest.fixture(scope="module")
def product(django_db_setup, django_db_blocker) -> dict[str, object]:
    """The demo's targets page (as acc202 sees it) and its exported workbook, made once in a rolled-back transaction."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        client = Client()
        client.force_login(User.objects.get(username="acc202"))
        response = client.get(reverse("budget_targets", args=[YEAR, DEPARTMENT]))
        assert response.status_code == 200
        budget = Budget.objects.select_related("department").get(year_id=YEAR, department__code=DEPARTMENT)
        data = budget_data(budget)
        buffer = io.BytesIO()
        write_workbook(buffer, data)
        transaction.set_rollback(True)
    return {"html": response.content.decode(), "xlsx": buffer.getvalue(), "data": data}


@pytest.fixture(scope="module")
def page_tables(product) -> list[PrintedTable]:
    return read_page_tables(product["html"])


@pytest.fixture(scope="module")
def workbook(product) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(product["xlsx"]))


@pytest.fixture(scope="module")
def sheet_tables(workbook) -> list[PrintedTable]:
    return [read_sheet_table(workbook[f"绩效目标表{number}"]) for number in range(1, len(ROW_COUNTS) + 1)]


# --- the reader of the example, so that the golden tests cannot pass vacuously --------------------------------


def test_seed_parser_finds_the_twelve_tables_and_every_row() -> None:
    tables = load_targets()
    assert [table.number for table in tables] == list(range(1, 13))
    assert tuple(len(table.rows) for table in tables) == ROW_COUNTS
    assert all(table.goal.startswith("1. ") for table in tables)
    assert all(len(row) == len(TARGET_HEADER) and all(row[:3]) for table in tables for row in table.rows)
    assert [table.project for table in tables][:3] == ["党代会经费", "电子政务内网二期建设", "会议接待费"]


def test_seed_parser_finds_the_department_goals() -> None:
    goals = load_goals()
    assert len(goals.sub_goals) == SUB_GOAL_COUNT
    assert goals.overall.startswith("（一）当好参谋助手")
    assert goals.overall.endswith("良好形象。")
    assert len(goals.overall.splitlines()) == 6  # five paragraphs, one split by a page break
    assert goals.measures.startswith("完善制度建设。")
    assert len(goals.measures.splitlines()) == 7


def test_the_corrections_change_only_what_they_document() -> None:
    published, corrected = load_targets(), expected_targets()
    changed = [
        (new.project, new_row[2])
        for old, new in zip(published, corrected, strict=True)
        for old_row, new_row in zip(old.rows, new.rows, strict=True)
        if old_row != new_row
    ]
    # In table order here; the corrections are listed by defect.
    assert sorted(changed) == sorted((project, name) for project, name, *_ in VALUE_CORRECTIONS)


# --- the targets page ------------------------------------------------------------------------------------------


def test_page_prints_the_twelve_tables_in_order_with_their_anchors(page_tables) -> None:
    expected = expected_targets()
    assert [table.anchor for table in page_tables] == [f"target-{number}" for number in range(1, 13)]
    assert [table.title for table in page_tables] == [f"{t.number}、{t.project}绩效目标表" for t in expected]


@pytest.mark.parametrize("number", range(1, 13))
def test_page_table_equals_the_example_row_by_row(page_tables, number) -> None:
    want, printed = expected_targets()[number - 1], page_tables[number - 1]
    assert printed.goal == want.goal
    assert printed.header == TARGET_HEADER
    assert (printed.department_line, printed.year_line) == (DEPARTMENT_LINE, YEAR_LINE)
    assert row_differences(printed.title, want.rows, printed.rows) == []


def test_page_prints_the_department_goals(product) -> None:
    assert read_page_goals(product["html"]) == expected_goals()


def test_page_spans_each_run_of_one_level1(product) -> None:
    soup = BeautifulSoup(product["html"], "html.parser")
    first = soup.select_one("section#target-1 table tbody")
    assert [int(td.get("rowspan", 1)) for td in first.select("td.level1")] == [5, 4, 1]  # 产出, 效益, 满意度


def test_only_the_official_spacing_of_one_value_differs_from_the_example(page_tables) -> None:
    """The whitespace allowance of 指标值 covers exactly the published ``≥5年``."""
    spaced = [
        (want.project, want_row[2], want_row[VALUE], got_row[VALUE])
        for want, got in zip(expected_targets(), page_tables, strict=True)
        for want_row, got_row in zip(want.rows, got.rows, strict=True)
        if want_row[VALUE] != got_row[VALUE]
    ]
    assert spaced == [("信息中心网络设备维护及采购", "工程使用年限", "≥5年", "≥5 年")]


# --- the exported workbook -------------------------------------------------------------------------------------


def test_workbook_has_the_goals_and_twelve_target_sheets_after_the_official_tables(workbook) -> None:
    names = workbook.sheetnames
    assert names[12:] == ["部门整体绩效目标", *(f"绩效目标表{number}" for number in range(1, 13))]
    assert all(len(name) <= 31 for name in names)
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("number", range(1, 13))
def test_sheet_equals_the_example_row_by_row(sheet_tables, number) -> None:
    want, printed = expected_targets()[number - 1], sheet_tables[number - 1]
    assert printed.title == f"{number}、{want.project}绩效目标表"
    assert printed.goal == want.goal
    assert printed.header == TARGET_HEADER
    assert (printed.department_line, printed.year_line) == (DEPARTMENT_LINE, YEAR_LINE)
    assert row_differences(printed.title, want.rows, printed.rows) == []


def test_sheet_prints_what_the_page_prints(page_tables, sheet_tables) -> None:
    for page, sheet in zip(page_tables, sheet_tables, strict=True):
        assert (page.title, page.goal, page.header, page.rows) == (sheet.title, sheet.goal, sheet.header, sheet.rows)


def test_sheet_merges_each_run_of_one_level1(workbook) -> None:
    merged = {str(cell_range) for cell_range in workbook["绩效目标表1"].merged_cells.ranges}
    assert {"A5:A9", "A10:A13"} <= merged  # 产出指标 rows 1–5, 效益指标 rows 6–9; 满意度指标 is one row
    assert "A14:A14" not in merged


def test_goals_sheet_equals_the_example(workbook) -> None:
    assert read_sheet_goals(workbook["部门整体绩效目标"]) == expected_goals()


def test_no_formula_in_the_target_sheets(workbook) -> None:
    for name in workbook.sheetnames[12:]:
        assert all(cell.data_type != "f" for row in workbook[name].iter_rows() for cell in row), name


def test_reading_the_export_back_gives_the_stored_targets(product) -> None:
    book = read_workbook(product["xlsx"])
    assert book.problems == []
    assert book.performance == canonical(product["data"].performance) == canonical(CORRECTED)


# --- the example as published, through a workbook ---------------------------------------------------------------


def canonical(performance: Performance) -> Performance:
    """The targets as a workbook gives them back: each 指标值 as read from its official printing. Only ``raw`` (what
    was typed) can change, and only where the typing differs from the official style (``≥5年`` → ``≥5 年``)."""
    return replace(
        performance,
        targets=tuple(
            replace(
                table,
                indicators=tuple(replace(row, value=parse_value(str(row.value))) for row in table.indicators),
            )
            for table in performance.targets
        ),
    )


@pytest.fixture(scope="module")
def as_published_xlsx(product) -> bytes:
    buffer = io.BytesIO()
    write_workbook(buffer, replace(product["data"], performance=AS_PUBLISHED))
    return buffer.getvalue()


def test_the_published_targets_round_trip_through_a_workbook(as_published_xlsx) -> None:
    book = read_workbook(as_published_xlsx)
    assert book.problems == []
    assert book.goals_sheet == "部门整体绩效目标"
    assert book.target_sheets == tuple(f"绩效目标表{number}" for number in range(1, 13))
    assert book.performance == canonical(AS_PUBLISHED)
    # The only value whose typing differs from its printing:
    changed = [
        (table.project, row.name, row.value.raw)
        for table, read in zip(AS_PUBLISHED.targets, book.performance.targets, strict=True)
        for row, back in zip(table.indicators, read.indicators, strict=True)
        if row != back
    ]
    assert changed == [("信息中心网络设备维护及采购", "工程使用年限", "≥5年")]


def test_checking_the_published_workbook_flags_exactly_the_defects_of_spec_5(as_published_xlsx) -> None:
    audit = audit_workbook(as_published_xlsx)
    assert audit.problems == []
    found = [(v.rule, v.severity, v.place) for v in audit.violations if v.rule.startswith("P")]
    assert sorted(found) == sorted(
        [
            ("P05", Severity.ERROR, "绩效目标表｜党代会经费｜第10行 人大代表满意度｜指标值"),
            ("P05", Severity.ERROR, "绩效目标表｜会议接待费｜第9行 会议满意度｜指标值"),
            ("P05", Severity.ERROR, "绩效目标表｜专项公用经费｜第13行 培训满意度｜指标值"),
            ("P05", Severity.ERROR, "绩效目标表｜宣传推介费｜第10行 普法宣传对象满意度(%)｜指标值"),
            ("P06", Severity.ERROR, "绩效目标表｜省委视联网视频调度系统｜第8行 满意率｜指标值"),
            ("P08", Severity.ERROR, "绩效目标表｜宣传推介费｜第4行 宣传活动次数｜指标值"),
            ("P09", Severity.WARNING, "部门整体绩效目标｜分项绩效目标1 党代会经费"),
        ]
    )


def test_checking_the_corrected_workbook_finds_no_performance_error(product) -> None:
    audit = audit_workbook(product["xlsx"])
    assert [v for v in audit.violations if v.rule.startswith("P")] == []
