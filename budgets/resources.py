"""Budget figures (``BudgetLine``) as one flat list, for the admin's export and import (CSV, XLSX).

One row per figure: 部门编码, 年度, 单位, 功能分类科目, 经济分类科目, 支出类型, 资金来源, 上年结转, 项目, 金额（元）.

Importing is not row by row. A file may hold the figures of several budgets; for each budget (部门编码 + 年度) in the
file, the file's rows become that budget's figures, through ``budget_replace_figures``: every rule of the ledger
applies and a budget is replaced entirely or not at all. The whole file is one transaction: if any row of any budget
is wrong nothing is written, and every error is reported with its line in the file (the header is line 1). The
preview is the same import, rolled back; it tells per budget how many figures are replaced by how many, and which
rows are unchanged, changed, new or dropped.

Projects named on 项目支出 rows are registered as projects of the row's unit; the budget's other projects (e.g. one
only referred to by a 政府采购 item) are kept, without figures. The budgets must exist already.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from import_export import fields, resources, widgets
from import_export.results import Result, RowResult

from budgets.models import Budget, BudgetLine
from budgets.services.figures import budget_replace_figures
from departments.resources import cell_text
from domain.classifications import Kind, Source
from domain.errors import BudgetFiguresError
from domain.ledger import MAX_AMOUNT, LineInput, ProjectInput
from web.spreadsheets import InertExportMixin

DEPARTMENT = "部门编码"
YEAR = "年度"
UNIT = "单位"
FUNCTION = "功能分类科目"
ECONOMIC = "经济分类科目"
KIND = "支出类型"
SOURCE = "资金来源"
CARRIED_OVER = "上年结转"
PROJECT = "项目"
AMOUNT = "金额（元）"
HEADERS = (DEPARTMENT, YEAR, UNIT, FUNCTION, ECONOMIC, KIND, SOURCE, CARRIED_OVER, PROJECT, AMOUNT)
# The file's column of each field a figure's error names (domain.ledger; "" : the row as a whole).
COLUMNS = {
    "unit": UNIT,
    "function": FUNCTION,
    "economic": ECONOMIC,
    "kind": KIND,
    "source": SOURCE,
    "carried_over": CARRIED_OVER,
    "project": PROJECT,
    "amount": AMOUNT,
}

YES, NO = "是", "否"
CENT = Decimal("0.01")

# A figure's cell: at most one line per budget has it (the ledger's unique constraints).
CellKey = tuple[str, str, str, str, str, str, bool]


@dataclass(frozen=True)
class FigureRowError:
    line: int  # in the file; 1 is the header
    column: str  # one of HEADERS, or "" for the row as a whole
    message: str

    def __str__(self) -> str:
        return f"第{self.line}行 {self.column}：{self.message}" if self.column else f"第{self.line}行：{self.message}"


@dataclass(frozen=True)
class FigureRow:
    line: int
    department: str
    year: int
    item: LineInput

    @property
    def key(self) -> CellKey:
        return _key(self.item.unit, self.item.project, self.item.function, self.item.economic, self.item)


@dataclass
class BudgetReplacement:
    """What importing the file does to one budget."""

    budget_id: int
    title: str  # e.g. "2021年度 202 中共石家庄市鹿泉区委办公室"
    replaced: int = 0  # figures the budget had
    imported: int = 0  # figures it has afterwards
    unchanged: int = 0
    changed: int = 0  # same cell, another amount
    created: int = 0
    dropped: int = 0

    @property
    def is_unchanged(self) -> bool:
        return self.replaced == self.imported == self.unchanged

    def __str__(self) -> str:
        if self.is_unchanged:
            return f"{self.title}：{self.imported} 条明细与现有完全相同，不作改动"
        return (
            f"{self.title}：现有 {self.replaced} 条明细替换为文件中的 {self.imported} 条"
            f"（未变 {self.unchanged} 条，金额变更 {self.changed} 条，新增 {self.created} 条，删除 {self.dropped} 条）"
        )


class FiguresImportResult(Result):
    """An import-export result that also carries, per budget, what the import does, or every error."""

    def __init__(self) -> None:
        super().__init__()
        self.diff_headers = list(HEADERS)
        self.replacements: list[BudgetReplacement] = []
        self.figure_errors: list[FigureRowError] = []

    def add_figure_errors(self, errors: list[FigureRowError], values: dict[int, dict[str, Any]]) -> None:
        """Record the errors as invalid rows (lines of the file), so that no confirm button is offered."""
        self.figure_errors = sorted(errors, key=lambda error: error.line)
        by_line: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for error in self.figure_errors:
            by_line[error.line][error.column or NON_FIELD_ERRORS].append(error.message)
        for line, messages in sorted(by_line.items()):
            self.append_invalid_row(line, values.get(line, {}), ValidationError(dict(messages)))


# --- cells ---------------------------------------------------------------------------------------------------------


def _key(unit: str, project: str, function: str, economic: str, line: Any) -> CellKey:
    return (unit, project, function, economic, str(line.kind), str(line.source), bool(line.carried_over))


def _choice(text: str, choices: type[Kind] | type[Source], column: str) -> tuple[Any, str | None]:
    for choice in choices:
        if text in (choice.label, choice.value):
            return choice, None
    labels = "、".join(str(choice.label) for choice in choices)
    return None, f"{column}“{text}”无效，应为{labels}之一。" if text else f"{column}不能为空。"


def _in_range(amount: Decimal) -> bool:
    return amount.is_finite() and abs(amount) < MAX_AMOUNT


def parse_amount(value: Any) -> tuple[Decimal | None, str | None]:
    """An amount in yuan as an exact Decimal: text such as ``1,234.50``, or a number from a spreadsheet.

    A spreadsheet's number is a float: it is taken as the decimal it prints as, and refused unless that has at most
    two decimals (``0.30000000000000004`` is not a sum of cents). Range and sign are the ledger's rules.
    """
    if isinstance(value, bool):
        return None, f"金额必须是数字：{value}"
    if isinstance(value, int | Decimal):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
        if _in_range(amount) and amount != amount.quantize(CENT):
            return None, f"金额 {value!r} 不是精确到分的数值，请在表格中保留两位小数。"
    else:
        text = cell_text(value).replace(",", "").replace("，", "").replace(" ", "")
        if not text:
            return None, "金额不能为空。"
        try:
            amount = Decimal(text)
        except InvalidOperation:
            return None, f"金额必须是数字：{cell_text(value)}"
    if _in_range(amount) and amount == amount.quantize(CENT):
        amount = amount.quantize(CENT)
    return amount, None  # any other problem (negative, too many decimals, too large) is the ledger's to report


def parse_row(line: int, row: dict[str, Any]) -> tuple[FigureRow | None, list[FigureRowError]]:
    errors: list[FigureRowError] = []

    def text(column: str) -> str:
        return cell_text(row.get(column))

    def error(column: str, message: str) -> None:
        errors.append(FigureRowError(line, column, message))

    department = text(DEPARTMENT)
    if not department:
        error(DEPARTMENT, "部门编码不能为空。")
    year_text = text(YEAR)
    year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
    if year is None:
        error(YEAR, f"年度必须是四位数字：{year_text}" if year_text else "年度不能为空。")
    unit = text(UNIT)
    if not unit:
        error(UNIT, "单位不能为空。")
    kind, problem = _choice(text(KIND), Kind, KIND)
    if problem:
        error(KIND, problem)
    source, problem = _choice(text(SOURCE), Source, SOURCE)
    if problem:
        error(SOURCE, problem)
    carried = text(CARRIED_OVER)
    if carried not in (YES, NO, ""):
        error(CARRIED_OVER, f"上年结转应填“是”或“否”：{carried}")
    amount, problem = parse_amount(row.get(AMOUNT))
    if problem:
        error(AMOUNT, problem)
    if errors:
        return None, errors
    item = LineInput(
        unit=unit,
        function=text(FUNCTION),
        economic=text(ECONOMIC),
        kind=kind,
        source=source,
        amount=amount,
        project=text(PROJECT),
        carried_over=carried == YES,
    )
    return FigureRow(line, department, year, item), []


def _header(value: Any) -> str:
    """A header cell; 金额(元) typed with ASCII brackets is the column 金额（元）."""
    return cell_text(value).replace("(", "（").replace(")", "）")


# --- the import of one budget ---------------------------------------------------------------------------------------


def _projects(existing: dict[str, str], rows: Sequence[FigureRow]) -> list[ProjectInput]:
    """The budget's projects: those it has (in their order), then new ones; a project named on a 项目支出 row
    belongs to the unit of its first such row. ``existing`` maps the budget's project names to their units."""
    named: dict[str, str] = {}
    for row in rows:
        if row.item.kind == Kind.PROJECT and row.item.project:
            named.setdefault(row.item.project, row.item.unit)
    kept = [ProjectInput(name, named.get(name, unit)) for name, unit in existing.items()]
    return kept + [ProjectInput(name, unit) for name, unit in named.items() if name not in existing]


def _line_values(key: CellKey, amount: Decimal, department: str, year: int) -> list[str]:
    unit, project, function, economic, kind, source, carried = key
    return [
        department,
        str(year),
        unit,
        function,
        economic,
        str(Kind(kind).label),
        str(Source(source).label),
        YES if carried else NO,
        project,
        str(amount),
    ]


def replace_budget(
    budget: Budget, file_rows: Sequence[FigureRow], actor=None
) -> tuple[BudgetReplacement, list[FigureRowError], list[RowResult]]:
    """Replace one budget's figures with its rows of the file (or find why not); the caller owns the transaction.

    A budget whose figures and projects the file leaves as they are is not written at all.
    """
    report = BudgetReplacement(budget_id=budget.pk, title=f"{budget.year_id}年度 {budget.department}")
    errors: list[FigureRowError] = []

    rows: list[FigureRow] = []
    first_line: dict[CellKey, int] = {}
    for row in file_rows:
        if row.key in first_line:
            errors.append(
                FigureRowError(
                    row.line, "", f"与第{first_line[row.key]}行是同一格（单位或项目、科目、类型、来源都相同），请合并。"
                )
            )
        else:
            first_line[row.key] = row.line
            rows.append(row)

    stored: dict[CellKey, Decimal] = {
        _key(line.unit.name, line.project.name if line.project else "", line.function.code, line.economic.code, line): (
            line.amount
        )
        for line in budget.lines.select_related("unit", "project", "function", "economic")
    }
    stored_projects = {project.name: project.unit.name for project in budget.projects.select_related("unit")}
    projects = _projects(stored_projects, rows)
    row_results: list[RowResult] = []
    for row in rows:
        row_result = RowResult()
        values = _line_values(row.key, row.item.amount, row.department, row.year)
        was = stored.get(row.key)
        if was is None:
            row_result.import_type = RowResult.IMPORT_TYPE_NEW
            report.created += 1
        elif was == row.item.amount:
            row_result.import_type = RowResult.IMPORT_TYPE_SKIP
            report.unchanged += 1
        else:
            row_result.import_type = RowResult.IMPORT_TYPE_UPDATE
            values[-1] = f"{was} → {row.item.amount}"
            report.changed += 1
        row_result.diff = values
        row_results.append(row_result)
    for key in sorted(stored.keys() - first_line.keys()):
        row_result = RowResult()
        row_result.import_type = RowResult.IMPORT_TYPE_DELETE
        row_result.diff = _line_values(key, stored[key], budget.department.code, budget.year_id)
        row_results.append(row_result)
        report.dropped += 1
    report.replaced, report.imported = len(stored), len(rows)

    same_projects = all(stored_projects.get(project.name) == project.unit for project in projects)
    if errors or not (report.is_unchanged and same_projects):
        # Even a budget with duplicate rows goes through the checks, so that every error is reported at once.
        try:
            budget_replace_figures(budget=budget, projects=projects, lines=[row.item for row in rows], actor=actor)
        except BudgetFiguresError as error:
            for problem in error.errors:
                # About the project list as a whole (a project no row names): the file's first row stands for it.
                line = rows[problem.index - 1].line if problem.index else (rows[0].line if rows else file_rows[0].line)
                errors.append(FigureRowError(line, COLUMNS.get(problem.field, ""), problem.message))
    return report, errors, row_results


# --- the resource --------------------------------------------------------------------------------------------------


class YearWidget(widgets.Widget):
    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return value if kwargs.get("force_native_type") else str(value)


class AmountWidget(widgets.Widget):
    """Yuan with two decimals: a number in XLSX, ``1234.50`` in CSV (no thousands separator, no float)."""

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return value if kwargs.get("force_native_type") else f"{value:.2f}"


class BudgetFigureResource(InertExportMixin, resources.ModelResource):
    department = fields.Field(attribute="budget__department__code", column_name=DEPARTMENT)
    year = fields.Field(attribute="budget__year_id", column_name=YEAR, widget=YearWidget())
    unit_name = fields.Field(attribute="unit__name", column_name=UNIT)
    function_code = fields.Field(attribute="function__code", column_name=FUNCTION)
    economic_code = fields.Field(attribute="economic__code", column_name=ECONOMIC)
    kind_label = fields.Field(column_name=KIND)
    source_label = fields.Field(column_name=SOURCE)
    carried = fields.Field(column_name=CARRIED_OVER)
    project_name = fields.Field(column_name=PROJECT)
    amount_yuan = fields.Field(attribute="amount", column_name=AMOUNT, widget=AmountWidget())

    class Meta:
        model = BudgetLine
        name = "预算明细"
        fields = (
            "department",
            "year",
            "unit_name",
            "function_code",
            "economic_code",
            "kind_label",
            "source_label",
            "carried",
            "project_name",
            "amount_yuan",
        )
        export_order = fields

    def dehydrate_kind_label(self, line: BudgetLine) -> str:
        return line.get_kind_display()

    def dehydrate_source_label(self, line: BudgetLine) -> str:
        return line.get_source_display()

    def dehydrate_carried(self, line: BudgetLine) -> str:
        return YES if line.carried_over else NO

    def dehydrate_project_name(self, line: BudgetLine) -> str:
        return line.project.name if line.project_id else ""

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("budget__department", "unit", "function", "economic", "project")

    def import_data(
        self,
        dataset: tablib.Dataset,
        dry_run: bool = False,
        raise_errors: bool = False,
        use_transactions: bool | None = None,
        collect_failed_rows: bool = False,
        rollback_on_validation_errors: bool = False,
        **kwargs: Any,
    ) -> FiguresImportResult:
        """Replace the figures of every budget in the file, all or nothing; a dry run is the same, rolled back."""
        result = FiguresImportResult()
        result.total_rows = len(dataset)
        headers = [_header(header) for header in dataset.headers or ()]
        missing = [column for column in HEADERS if column not in headers]
        values = {line: dict(zip(headers, data, strict=False)) for line, data in enumerate(dataset, start=2)}
        if missing:
            error = FigureRowError(1, "", f"表头缺少列 {'、'.join(missing)}。表头应为：{','.join(HEADERS)}")
            result.add_figure_errors([error], {1: dict(zip(HEADERS, headers, strict=False))})
            return result

        errors: list[FigureRowError] = []
        rows: list[FigureRow] = []
        for line, row in values.items():
            if all(cell_text(value) == "" for value in row.values()):
                continue
            parsed, problems = parse_row(line, row)
            errors += problems
            if parsed is not None:
                rows.append(parsed)

        groups: dict[tuple[str, int], list[FigureRow]] = defaultdict(list)
        for row in rows:
            groups[row.department, row.year].append(row)
        budgets = {
            (budget.department.code, budget.year_id): budget
            for budget in Budget.objects.select_related("department").filter(
                department__code__in={code for code, _ in groups}, year_id__in={year for _, year in groups}
            )
        }

        with transaction.atomic():
            for (code, year), group_rows in groups.items():
                budget = budgets.get((code, year))
                if budget is None:
                    message = f"{year}年度部门{code}的部门预算不存在，请先在“部门预算”中添加。"
                    errors += [FigureRowError(row.line, DEPARTMENT, message) for row in group_rows]
                    continue
                report, problems, row_results = replace_budget(budget, group_rows, actor=kwargs.get("user"))
                errors += problems
                result.replacements.append(report)
                for row_result in row_results:
                    result.append_row_result(row_result)
                    result.increment_row_result_total(row_result)
            if errors or dry_run:
                transaction.set_rollback(True)

        if errors:
            if raise_errors:
                raise ValidationError([str(error) for error in sorted(errors, key=lambda error: error.line)])
            result.replacements = []
            result.rows = []
            result.add_figure_errors(errors, values)
        return result
