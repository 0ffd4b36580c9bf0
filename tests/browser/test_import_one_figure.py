"""A department's accountant changes one figure in Excel and imports it, in a real browser: the import changes that
one ledger line and nothing else.

The accountant of 202 downloads the budget's official workbook (万元) from the budget page, raises one basic
expenditure (一般公共预算拨款, economic 款 of class 302, no project) by 5000 yuan in every table that prints it and
in the totals above it, and uploads it through the page's 导入 form: the preview lists exactly that ledger change;
confirmed, the database holds exactly that change, with the projects, units and performance targets as they were.
Then the same through the 录入模板, where the figure is one cell of 预算明细.

Every table of the workbook prints sums of lines; the cells to change are those that differ between the workbook
of the stored budget and the workbook of the same budget with that line raised, and the test checks that the
downloaded file is the stored budget's workbook in every one of them before it edits them.
"""

import io
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import openpyxl
from django.urls import reverse
from playwright.sync_api import Download, Page, expect

from budgets.models import Budget
from budgets.resources import AMOUNT, ECONOMIC, FUNCTION, KIND, PROJECT, SOURCE, UNIT
from budgets.selectors import budget_data
from demo.loader import DEMO_PASSWORD
from departments.models import Unit
from domain.changes import FigureChange
from domain.classifications import Kind, Source
from domain.ledger import BudgetData, Line
from domain.money import DisplayUnit
from importing.consequences import figure_key, ledger_changes
from official.workbook import write_workbook
from performance.models import Indicator, TargetTable
from tests.browser.support import log_in

YEAR, CODE = 2021, "202"
ACCOUNTANT = "acc202"
RAISE = Decimal("5000.00")
FIGURES_SHEET = "预算明细"


# --- the budget as the database holds it ---------------------------------------------------------------------------


def stored(budget: Budget) -> BudgetData:
    return budget_data(Budget.objects.select_related("department").get(pk=budget.pk))


def chosen_line(data: BudgetData) -> Line:
    """The line to change: the first 一般公共预算 basic expenditure of a 302 款, not carried over, with no other line
    at its place (its unit, codes, kind and source)."""
    places = defaultdict(int)
    for line in data.lines:
        places[figure_key(line)] += 1
    candidates = [
        line
        for line in data.lines
        if line.kind == Kind.BASIC
        and line.source == Source.GENERAL
        and line.economic.startswith("302")
        and not line.project
        and not line.carried_over
        and line.amount > 0
        and places[figure_key(line)] == 1
    ]
    assert candidates, "the demo of 202 has no basic 302 expenditure"
    return candidates[0]


def with_line_raised(data: BudgetData, line: Line) -> BudgetData:
    [index] = [i for i, each in enumerate(data.lines) if each == line]
    lines = list(data.lines)
    lines[index] = replace(line, amount=line.amount + RAISE)
    return replace(data, lines=tuple(lines))


def what_must_not_change(budget: Budget) -> dict[str, object]:
    """Projects (name, unit, money), units and performance targets of the budget, from the database."""
    data = stored(budget)
    money: dict[str, Decimal] = defaultdict(Decimal)
    for line in data.lines:
        if line.project:
            money[line.project] += line.amount
    return {
        "projects": list(
            budget.projects.order_by("position", "id").values_list("pk", "name", "unit__name", "position")
        ),
        "money per project": dict(money),
        "units": list(
            Unit.objects.filter(department=budget.department)
            .order_by("position", "id")
            .values_list("pk", "name", "nature", "rank", "funding_form", "position")
        ),
        "performance": data.performance,
        "target tables": list(
            TargetTable.objects.filter(project__budget=budget)
            .order_by("project__position", "project__name")
            .values_list("project__name", "goal")
        ),
        "indicators": list(
            Indicator.objects.filter(table__project__budget=budget)
            .order_by("table__project__name", "position", "id")
            .values_list(
                "table__project__name",
                "position",
                "level1",
                "level2",
                "name",
                "description",
                "comparator",
                "number",
                "unit",
                "word",
                "raw",
                "basis",
            )
        ),
    }


# --- the accountant's browser --------------------------------------------------------------------------------------


def open_budget(page: Page) -> None:
    page.goto(page.base_url + reverse("budget_detail", args=[YEAR, CODE]))  # type: ignore[attr-defined]
    expect(page.locator("h1")).to_contain_text(f"{YEAR}年部门预算")


def download(page: Page, link) -> Download:
    open_budget(page)
    with page.expect_download() as info:
        link(page).click()
    return info.value


@dataclass(frozen=True)
class Preview:
    screenshot: Path
    text: str


def upload_and_confirm(
    page: Page, workbook: Path, before: BudgetData, line: Line, printed_changes: int, shots: Path
) -> Preview:
    """Upload through the budget page's 导入 form, check the preview lists the raise of ``line`` as the one change of
    the ledger, its unit's new total as the one change of structure and ``printed_changes`` cells of the official
    tables, confirm."""
    expected = FigureChange(figure_key(line), line.amount, line.amount + RAISE)
    unit_total = sum((each.amount for each in before.lines if each.unit == line.unit), Decimal(0))
    open_budget(page)
    form = page.locator(".import-form")
    form.locator("input[type=file][name=workbook]").set_input_files(str(workbook))
    form.get_by_role("button", name="上传并预览").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_contain_text(f"导入预览：{workbook.name}")
    expect(page.locator(".errors")).to_have_count(0)
    expect(page.locator("table.problems")).to_have_count(0)
    expect(page.locator("ul.structure-changes li")).to_have_text(
        [f"单位“{line.unit}”的预算由 {unit_total:,.2f} 元 变为 {unit_total + RAISE:,.2f} 元"]
    )
    expect(page.get_by_role("heading", name="预算明细的变化（1 条，金额单位：元）")).to_be_visible()
    rows = page.locator("table.ledger-changes tbody tr")
    expect(rows).to_have_count(1)
    cells = rows.first.locator("td")
    expect(cells.nth(0)).to_have_text(expected.place)
    old, new = (cells.nth(i).inner_text().replace(",", "") for i in (1, 2))
    assert (Decimal(old), Decimal(new)) == (expected.old, expected.new)
    # What the raise does to the printed tables is listed, table by table.
    expect(page.get_by_role("heading", name="由此引起的公开表变化")).to_be_visible()
    summaries = page.locator("details.table-changes summary").all_inner_texts()
    listed = sum(int(re.fullmatch(r".+（(\d+) 处）", summary.strip()).group(1)) for summary in summaries)
    assert listed == printed_changes, summaries
    shot = shots / f"preview-{workbook.stem}.png"
    page.screenshot(path=str(shot), full_page=True)
    page.locator("details").evaluate_all("all => all.forEach(details => { details.open = true; })")
    page.screenshot(path=str(shots / f"preview-{workbook.stem}-open.png"), full_page=True)
    text = page.locator("body").inner_text()
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text(f"已导入“{workbook.name}”")
    return Preview(shot, text)


def assert_only_the_line_changed(budget: Budget, before: BudgetData, untouched: dict[str, object], line: Line) -> None:
    after = stored(budget)
    expected = FigureChange(figure_key(line), line.amount, line.amount + RAISE)
    assert ledger_changes(before.lines, after.lines) == [expected]
    assert what_must_not_change(budget) == untouched


# --- the files, edited as in Excel ---------------------------------------------------------------------------------


def sheet_values(data: bytes) -> dict[str, dict[str, object]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return {
        sheet.title: {
            cell.coordinate: cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None
        }
        for sheet in workbook.worksheets
    }


def official_workbook(data: BudgetData) -> bytes:
    buffer = io.BytesIO()
    write_workbook(buffer, data, DisplayUnit.WAN)
    return buffer.getvalue()


def cells_to_change(before: BudgetData, line: Line) -> dict[tuple[str, str], tuple[object, object]]:
    """(sheet, cell) → (printed now, printed once the line is raised), over the official tables."""
    old, new = sheet_values(official_workbook(before)), sheet_values(official_workbook(with_line_raised(before, line)))
    assert old.keys() == new.keys()
    return {
        (sheet, cell): (old[sheet].get(cell), new[sheet].get(cell))
        for sheet in new
        for cell in old[sheet].keys() | new[sheet].keys()
        if old[sheet].get(cell) != new[sheet].get(cell)
    }


def edit_official_workbook(
    downloaded: bytes, changes: dict[tuple[str, str], tuple[object, object]], folder: Path
) -> Path:
    workbook = openpyxl.load_workbook(io.BytesIO(downloaded))
    tables = {sheet for sheet, _ in changes}
    assert len(tables) >= 3, tables  # 收支总表, 支出总表, 一般公共预算 tables at least
    for (sheet, cell), (old, new) in changes.items():
        assert workbook[sheet][cell].value == old, f"{sheet}!{cell} of the download is not the stored budget's"
        workbook[sheet][cell].value = new
    path = folder / "202-2021.xlsx"
    workbook.save(path)
    return path


def edit_entry_template(downloaded: bytes, line: Line, folder: Path) -> Path:
    workbook = openpyxl.load_workbook(io.BytesIO(downloaded))
    sheet = workbook[FIGURES_SHEET]
    header = [cell.value for cell in sheet[1]]
    col = {title: header.index(title) for title in (UNIT, FUNCTION, ECONOMIC, KIND, SOURCE, PROJECT, AMOUNT)}

    def text(row, title: str) -> str:
        value = row[col[title]].value
        return "" if value is None else str(value)

    rows = [
        row
        for row in sheet.iter_rows(min_row=2)
        if (text(row, FUNCTION), text(row, ECONOMIC), text(row, UNIT)) == (line.function, line.economic, line.unit)
        and text(row, KIND) == Kind.BASIC.label
        and text(row, SOURCE) == Source.GENERAL.label
        and not text(row, PROJECT)
    ]
    assert len(rows) == 1, [[cell.value for cell in row] for row in rows]
    amount = rows[0][col[AMOUNT]]
    assert Decimal(str(amount.value)) == line.amount
    amount.value = float(line.amount + RAISE)
    path = folder / f"录入模板-{CODE}-{YEAR}.xlsx"
    workbook.save(path)
    return path


def starting_point(budget: Budget) -> tuple[BudgetData, dict[str, object], Line]:
    """The budget before the import, what the import must leave as it is (not nothing), and the line to raise."""
    before = stored(budget)
    untouched = what_must_not_change(budget)
    assert all(untouched[part] for part in ("projects", "money per project", "units", "indicators")), untouched
    return before, untouched, chosen_line(before)


# --- the tests -----------------------------------------------------------------------------------------------------


def test_one_figure_raised_in_the_official_workbook_changes_that_line_only(
    page: Page, demo_budget: Budget, tmp_path: Path
) -> None:
    before, untouched, line = starting_point(demo_budget)

    log_in(page, ACCOUNTANT, DEMO_PASSWORD)
    downloaded = download(page, lambda p: p.get_by_role("link", name="下载公开表（xlsx，万元）"))
    assert downloaded.suggested_filename.endswith(".xlsx")
    changes = cells_to_change(before, line)
    workbook = edit_official_workbook(Path(downloaded.path()).read_bytes(), changes, tmp_path)
    upload_and_confirm(page, workbook, before, line, len(changes), tmp_path)

    assert_only_the_line_changed(demo_budget, before, untouched, line)


def test_one_amount_raised_in_the_entry_template_changes_that_line_only(
    page: Page, demo_budget: Budget, tmp_path: Path
) -> None:
    before, untouched, line = starting_point(demo_budget)

    log_in(page, ACCOUNTANT, DEMO_PASSWORD)
    href = reverse("budget_entry_template", args=[YEAR, CODE])
    downloaded = download(page, lambda p: p.locator(f"a[href='{href}']"))
    assert downloaded.suggested_filename == f"录入模板-{CODE}-{YEAR}.xlsx"
    workbook = edit_entry_template(Path(downloaded.path()).read_bytes(), line, tmp_path)
    # The official tables change as they would have, had the figure been raised in them.
    preview = upload_and_confirm(page, workbook, before, line, len(cells_to_change(before, line)), tmp_path)
    assert "这是本预算的录入模板" in preview.text

    assert_only_the_line_changed(demo_budget, before, untouched, line)
