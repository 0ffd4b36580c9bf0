"""The places a comment can be at: each official table of the budget's edition and each project's 绩效目标表, their
rows as printed now and their columns; and where a thread written on an earlier state of the budget is now."""

from dataclasses import dataclass

from budgets.computed import computed, kept_budget_data
from budgets.models import Budget, ReviewComment
from official.render import print_table
from official.targets_layout import TARGET_COLUMNS, TARGET_TITLE_SUFFIX, PrintedTargets, print_targets

TARGETS_PREFIX = "target:"
TABLE_GONE = "批注所在的表在当前版本中已不存在。"
ROW_GONE = "批注所在的行在当前版本中已不存在。"
CELL_GONE = "批注的单元格在当前版本中已无内容（批注时为 {then}），批注附在所在行。"
CELL_CHANGED = "批注时单元格为 {then}，现为 {now}。"


@dataclass(frozen=True)
class TablePlaces:
    key: str
    title: str
    rows: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]  # (key, title)
    cells: dict[tuple[str, str], str]  # (row, column key) → its text, for every cell that prints something

    def refusal(self, row: str, column: str) -> str:
        """Why (row, column) is no place of this table, or ""."""
        if row and row not in self.rows:
            return "所选的行不在本表中，请重新选择。"
        if column and column not in dict(self.columns):
            return "所选的列不在本表中，请重新选择。"
        if column and not row:
            return "批注单元格时请同时选择行。"
        return ""

    def text_at(self, row: str, column: str) -> str:
        return self.cells.get((row, column), "") if column else ""

    def column_title(self, column: str) -> str:
        return dict(self.columns).get(column, "")


@dataclass(frozen=True)
class TableTitle:
    key: str
    title: str


def place_titles(budget: Budget) -> list[TableTitle]:
    """Every table a comment can be at, by key and title, without printing any: the edition's tables, then each
    project's 绩效目标表 (key target:<project>)."""
    tables = [TableTitle(layout.key, layout.title) for layout in budget.year.layouts.tables]
    targets = kept_budget_data(budget).performance.targets
    return tables + [TableTitle(f"{TARGETS_PREFIX}{t.project}", f"{t.project}{TARGET_TITLE_SUFFIX}") for t in targets]


def table_places(budget: Budget, key: str) -> TablePlaces | None:
    """The rows, columns and printed cells of one table (None: the budget has no such table now), kept per
    budget stamp: a table's page prints that table only."""

    def produce() -> TablePlaces | None:
        data = kept_budget_data(budget)
        if key.startswith(TARGETS_PREFIX):
            project = key.removeprefix(TARGETS_PREFIX)
            for targets in print_targets(data.performance, "", budget.year_id):
                if targets.project == project:
                    return _target_places(key, targets)
            return None
        layout = budget.year.layouts.by_key.get(key)
        if layout is None:
            return None
        table = print_table(layout, data)
        rows = tuple(dict.fromkeys(row.label for row in table.rows))
        cells = {(row.label, cell.column.key): cell.text for row in table.rows for cell in row.cells if cell.text}
        columns = tuple((column.key, column.title) for column in layout.columns)
        return TablePlaces(layout.key, layout.title, rows, columns, cells)

    return computed(budget, "comment-places", produce, key)


def _target_places(key: str, targets: PrintedTargets) -> TablePlaces:
    rows = tuple(dict.fromkeys(indicator.cells[2] for indicator in targets.rows if indicator.cells[2]))
    cells = {
        (indicator.cells[2], column.key): text
        for indicator in targets.rows
        for column, text in zip(TARGET_COLUMNS, indicator.cells, strict=True)
        if text
    }
    columns = tuple((column.key, column.title) for column in TARGET_COLUMNS)
    return TablePlaces(key, f"{targets.project}{TARGET_TITLE_SUFFIX}", rows, columns, cells)


def target_places(budget: Budget) -> list[TablePlaces]:
    """Each project's 绩效目标表 (the targets page)."""
    keys = [title.key for title in place_titles(budget) if title.key.startswith(TARGETS_PREFIX)]
    return [places for key in keys if (places := table_places(budget, key)) is not None]


def where_now(comment: ReviewComment, table: TablePlaces | None) -> str:
    """ "" while the thread's place (in ``table``, its table now) is still printed; else what became of it (the
    thread stays at its row)."""
    if not comment.table:
        return ""
    if table is None:
        return TABLE_GONE
    if not comment.row:
        return ""
    if comment.row not in table.rows:
        return ROW_GONE
    if not comment.column or not comment.cell_text:
        return ""
    now = table.cells.get((comment.row, comment.column), "")
    if not now:
        return CELL_GONE.format(then=comment.cell_text)
    return CELL_CHANGED.format(then=comment.cell_text, now=now) if now != comment.cell_text else ""
