"""The audit rules over the official tables as printed: a stored budget's as we print it, a workbook's as the file
prints it. Places name table, row and column (or sheet!cell)."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from domain.audit.model import Cell, CodeNames, FigureRow, Figures, FigureTable, Severity, Violation
from domain.audit.rules import run_rules
from domain.control import control_actuals, control_items
from domain.explanation import Explanation, explain
from domain.ledger import BudgetData
from domain.money import DisplayUnit
from domain.supplementary import project_amounts
from official.edition import DEFAULT_EDITION, Edition, edition
from official.layout import ColumnKind
from official.render import TablePrinter
from official.xlsx_reader import Problem, ReadWorkbook, read_workbook
from official.xlsx_safety import UnsafeWorkbook

SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTICE: 2}


def _label_texts(cells: dict[str, str], code_column: bool) -> tuple[str, str]:
    if code_column:
        return cells.get("code", ""), cells.get("name", "") or "合计"
    labels = [text for text in cells.values() if text]
    return " ".join(labels), " ".join(labels)


def figures_from_budget(
    data: BudgetData,
    texts: Mapping[str, str] | None = None,
    control: Mapping[str, Decimal] | None = None,
    explanation: Explanation | None = None,
    layouts: Edition | None = None,
    printer: TablePrinter | None = None,
) -> Figures:
    """The nine tables of a stored budget as printed in 万元 (or in the unit the edition fixes for a table), in
    ``layouts`` (by default the default edition); places name table (by the edition's title), row and column.

    ``control`` holds the control figures the budget must keep within (二上), by CONTROL_ITEMS key;
    ``explanation`` the generated 情况说明 (see disclosure.selectors.budget_explanation), by default the one the
    data alone gives (no previous year, no remarks). ``printer`` is shared with other work on the same budget."""
    printer = printer or TablePrinter()
    if explanation is None:
        explanation = explain(data, None, {})
    tables = {}
    for layout in (layouts or edition()).for_year(data.year).figure_tables:
        printed = printer(layout, data, DisplayUnit.WAN)
        coded = any(column.kind is ColumnKind.CODE for column in layout.columns)
        rows = []
        for index, row in enumerate(printed.rows):
            labels = {cell.column.key: cell.text for cell in row.cells if not cell.column.is_money}
            labels.setdefault("code", row.code)  # an edition may print the code in parts (类 | 款 | 项)
            key, label = _label_texts(labels, coded)
            row_name = f"{key} {label}".strip() if coded else f"第{index + 1}行"
            cells = {
                cell.column.key: Cell(
                    cell.number,
                    f"{layout.title}｜{row_name}｜{cell.column.title}",
                    f"table-{layout.key}",
                )
                for cell in row.cells
                if cell.column.is_money
            }
            rows.append(FigureRow(key if coded else str(index), label, cells, labels))
        tables[layout.key] = FigureTable(layout.key, layout.title, printed.unit is DisplayUnit.WAN, tuple(rows))
    items = control_items(dict(control), control_actuals(data.lines)) if control else ()
    return Figures(
        tables, data.year, dict(texts or {}), items, data.performance, project_amounts(data.lines), explanation
    )


def figures_from_workbook(book: ReadWorkbook, names: CodeNames | None = None) -> Figures:
    """The tables found in a workbook, as the file prints them; places are sheet!cell.

    The 绩效目标 sheets give the performance targets (rules P02–P09) and, like a stored budget's, their texts
    and project names for the text rules. A workbook does not say what each project spends (its tables give
    项目支出 by functional code only), so ``project_amounts`` stays None: P01 and P10 do not run on a file.
    ``names``: the year's catalogue, against which N01 reads the names the file prints.
    """
    tables = {}
    for key, table in book.tables.items():
        if table.layout.number is None:
            continue
        coded = any(column.kind is ColumnKind.CODE for column in table.layout.columns)
        rows = []
        for index, row in enumerate(table.rows):
            texts = {k: str(v.value) for k, v in row.items() if v.printed is None}
            cells = {k: Cell(v.printed if v.printed else None, v.ref) for k, v in row.items() if v.printed is not None}
            code, label = _label_texts(texts, coded)
            name = row.get("name")
            place = name.ref if name is not None else ""
            rows.append(FigureRow(code if coded else str(index), label, cells, texts, place))
        tables[key] = FigureTable(key, table.layout.title, table.unit is DisplayUnit.WAN, tuple(rows))
    years = {table.year for table in book.tables.values() if table.year}
    performance = book.performance
    texts = {}
    if performance is not None:
        projects = {f"项目名称｜{table.project}": table.project for table in performance.targets}
        texts = {**performance.texts(), **projects}
    return Figures(tables, years.pop() if len(years) == 1 else None, texts, performance=performance, names=names)


def ordered(violations: list[Violation]) -> list[Violation]:
    return sorted(violations, key=lambda violation: (SEVERITY_ORDER[violation.severity], violation.rule))


def audit_budget(
    data: BudgetData,
    texts: Mapping[str, str] | None = None,
    control: Mapping[str, Decimal] | None = None,
    explanation: Explanation | None = None,
    layouts: Edition | None = None,
    printer: TablePrinter | None = None,
) -> list[Violation]:
    """Every rule on a stored budget; ``texts`` are its narrative fields by place (see budget_texts), ``control``
    the control figures it must keep within (see budget_control), ``explanation`` its generated 情况说明,
    ``layouts`` the edition whose titles the places name."""
    return ordered(run_rules(figures_from_budget(data, texts, control, explanation, layouts, printer)))


@dataclass
class WorkbookAudit:
    problems: list[Problem] = field(default_factory=list)  # what kept parts of the file from being read
    violations: list[Violation] = field(default_factory=list)
    edition: Edition | None = None  # the template edition the file was read in
    book: ReadWorkbook | None = None  # what was read; None for a file refused before reading

    @property
    def has_errors(self) -> bool:
        return bool(self.problems) or any(v.severity is Severity.ERROR for v in self.violations)


def audit_workbook(
    data: bytes,
    edition: str | None = None,
    expected: str = DEFAULT_EDITION,
    names_for: Callable[[int], CodeNames | None] | None = None,
) -> WorkbookAudit:
    """The file on its own: reading problems, then every rule on its tables as they print. ``edition`` names the
    template edition the file is in; by default it is told from the file's titles (``expected`` among equals).
    ``names_for`` gives the catalogue of the year the file names (None where there is none), for N01.
    The first step of an import's preview, and of a check (importing.services.workbook_check), which go on to
    compare the file with the year's catalogue and the stored budget."""
    try:
        book = read_workbook(data, edition=edition, expected=expected)
    except UnsafeWorkbook as error:
        return WorkbookAudit(problems=[Problem("", str(error))])
    years = sorted({table.year for table in book.tables.values() if table.year is not None})
    names = names_for(years[0]) if names_for is not None and years else None
    violations = ordered(run_rules(figures_from_workbook(book, names))) if book.edition else []
    return WorkbookAudit(problems=book.problems, violations=violations, edition=book.edition, book=book)
