"""Importing an official workbook: read, rebuild the lines, check every cell, show the changes, then apply.

``budget_import_preview`` never writes. ``budget_import_apply`` writes all or nothing, and only when the
preview has no problem. A workbook whose tables equal what the stored budget prints changes nothing, so
the richer stored detail (projects, units, economic codes of projects) is kept.

The 绩效目标 sheets replace the stored performance targets part by part: the 部门整体绩效目标 sheet the goals,
the 绩效目标表 sheets the target tables; a part the workbook has no sheet for is left as stored. Tables are
compared as they print (指标值 in the official style), and written only when they differ. A table naming a
project the budget does not have registers it (of the first unit, without figures), as procurement does.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.db import transaction

from budgets.models import Budget, Project
from budgets.selectors import budget_data, catalogue_for_year
from budgets.services.errors import frozen_message
from budgets.services.figures import budget_get_or_create, budget_replace_figures
from budgets.services.locking import check_revision
from budgets.services.supplementary import budget_replace_supplementary
from budgets.services.targets import budget_replace_performance
from catalog.models import BudgetYear
from departments.models import Department, Unit
from domain.audit.model import Severity, Violation
from domain.audit.rules import run_rules
from domain.classifications import ECONOMIC_CODE_WIDTHS, FISCAL_SOURCES, FUNCTION_CODE_WIDTHS, Kind, Source
from domain.ledger import AssetInfo, BudgetData, Catalogue, Line, LineInput, ProcurementInfo, ProjectInput, UnitInfo
from domain.money import DisplayUnit
from domain.performance.checks import performance_errors
from domain.performance.targets import Performance
from domain.reconstruct import DraftLine, Marginals, fit_parts_to_total, fit_to_parents, reconstruct
from domain.structure import UnitNature
from domain.unit_budget import unit_budget
from domain.workflow import EDITABLE_STATES
from official.audit import figures_from_workbook
from official.diff import Change, printed_values, row_key, table_changes
from official.edition import DEFAULT_EDITION, Edition
from official.render import PrintedTable, print_table
from official.targets_layout import indicator_cells
from official.xlsx_reader import Problem, ReadTable, ReadWorkbook, normalize, read_workbook
from official.xlsx_safety import UnsafeWorkbook

ZERO = Decimal("0.00")
HALF_PRINTED_CENT = Decimal("50.00")  # yuan behind half a printed 万元 cent

INCOME_COMPONENTS = ("fiscal", "special", "business", "operating", "superior", "affiliate", "other", "carried")
# An income table by source whatever the year of the money (Shanghai's): its columns as the ledger's sources; the
# money is read as this year's, 其他收入 as other income.
INCOME_BY_SOURCE: Mapping[str, str] = {
    "all_fiscal": "fiscal",
    "all_business": "business",
    "all_operating": "operating",
    "all_other": "other",
}
KIND_COMPONENTS = tuple(kind.value for kind in Kind)
FUND_TABLES: Mapping[Source, str] = {
    Source.GENERAL: "general-appropriation",
    Source.GOVFUND: "govfund-appropriation",
    Source.STATECAP: "statecap-appropriation",
}
THREE_PUBLIC_ITEMS = ("abroad", "vehicle_purchase", "vehicle_running", "reception")  # the one-row table's columns
THREE_PUBLIC_ROWS: Mapping[str, str] = {
    normalize("一、因公出国（境）费"): "abroad",
    normalize("其中：公务用车购置费"): "vehicle_purchase",
    normalize("公务用车运行维护费"): "vehicle_running",
    normalize("三、公务接待费"): "reception",
}
FUND_COLUMNS: Mapping[Source, str] = {Source.GENERAL: "general", Source.GOVFUND: "govfund", Source.STATECAP: "statecap"}


@dataclass
class ImportPreview:
    year: int
    department_code: str = ""
    department_name: str = ""
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)  # 尾差 the import absorbs; shown, never blocking
    violations: list[Violation] = field(default_factory=list)  # audit warnings and notices of the file
    changes: list[Change] = field(default_factory=list)
    units: list[UnitInfo] = field(default_factory=list)
    lines: list[DraftLine] = field(default_factory=list)
    procurement: list[ProcurementInfo] = field(default_factory=list)
    assets: list[AssetInfo] = field(default_factory=list)
    assets_as_of: date | None = None
    budget_exists: bool = False
    revision: int | None = None  # the stored budget's revision when the preview read it
    figures_unchanged: bool = False  # the nine tables print as the stored lines do: those lines are kept
    performance: Performance | None = None  # the targets after the import; None: the file has no 绩效目标 sheets
    target_changes: list[str] = field(default_factory=list)  # what changes in them, one line per part or table
    edition: Edition | None = None  # the template edition the file was read in
    unit: str = ""  # the unit whose 单位预算 the file is (a 单位 edition's 编制单位); "" for a department's budget
    kept_lines: list[Line] = field(default_factory=list)  # the other units' stored lines a 单位预算 leaves as they are

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def unchanged(self) -> bool:
        return self.ok and self.budget_exists and not self.changes and not self.target_changes


class ImportRefused(Exception):
    def __init__(self, preview: ImportPreview):
        self.preview = preview
        super().__init__("\n".join(str(problem) for problem in preview.problems))


def _tolerance(table: ReadTable) -> Decimal:
    return HALF_PRINTED_CENT if table.unit is DisplayUnit.WAN else ZERO


def _printed_leaves(table: ReadTable, columns: Sequence[str], width: int) -> dict[str, dict[str, Decimal]]:
    return {
        row["code"].value: {column: row[column].value for column in columns if column in row}
        for row in table.rows
        if len(row["code"].value) == width
    }


def _leaf_columns(table: ReadTable, columns: Sequence[str], widths: Sequence[int]) -> dict[str, dict[str, Decimal]]:
    """Per leaf code, the exact amount of each component column: each column fitted to its parents, then
    each leaf's components fitted to the leaf's own 合计 (a 合计 can print a cent its parts each hide)."""
    tolerance = _tolerance(table)

    def fitted(column: str) -> dict[str, Decimal]:
        printed = {row["code"].value: row[column].value for row in table.rows if column in row and "code" in row}
        return fit_to_parents(printed, widths, tolerance)

    parts = {column: fitted(column) for column in columns}
    totals = fitted("total")
    printed = _printed_leaves(table, columns, widths[-1])
    leaves: dict[str, dict[str, Decimal]] = {}
    for code in {code for values in parts.values() for code in values} | set(totals):
        if len(code) != widths[-1]:
            continue
        values = {column: parts[column].get(code, ZERO) for column in columns}
        total = totals.get(code, sum(values.values(), ZERO))
        leaves[code] = fit_parts_to_total(values, total, tolerance, printed.get(code, {}))
    return {code: {k: v for k, v in values.items() if v} for code, values in leaves.items() if any(values.values())}


def _reconcile(
    values: dict[str, dict[str, Decimal]],
    printed: Mapping[str, Mapping[str, Decimal]],
    totals: Mapping[str, Decimal],
    tolerance: Decimal,
) -> None:
    """Where two tables print the same leaf total from their own rounding, let ``values`` follow ``totals``."""
    for code, total in totals.items():
        parts = values.get(code, {})
        if parts and sum(parts.values(), ZERO) != total:
            values[code] = fit_parts_to_total(parts, total, tolerance, printed.get(code, {}))


def _printed_kinds(table: ReadTable) -> dict[str, dict[str, Decimal]]:
    """Per leaf code, the amount of each kind. A table without some kind's column (Shanghai's has 基本支出 and 项目支出
    only) gives what its 合计 holds beyond the columns it prints to the first kind it lacks (经营支出)."""
    printed = {column.key for column in table.layout.columns}
    kinds = _leaf_columns(table, KIND_COMPONENTS, FUNCTION_CODE_WIDTHS)
    missing = [kind for kind in KIND_COMPONENTS if kind not in printed]
    if not missing:
        return kinds
    totals = fit_to_parents(
        {row["code"].value: row["total"].value for row in table.rows}, FUNCTION_CODE_WIDTHS, _tolerance(table)
    )
    for code, total in totals.items():
        if len(code) != FUNCTION_CODE_WIDTHS[-1]:
            continue
        rest = total - sum(kinds.get(code, {}).values(), ZERO)
        if rest > 0:
            kinds.setdefault(code, {})[missing[0]] = rest
    return kinds


def _printed_sources(table: ReadTable) -> tuple[dict[str, dict[str, Decimal]], dict[str, dict[str, Decimal]]]:
    """Per leaf code, the amount of each income component (INCOME_COMPONENTS), fitted and as printed."""
    by_source = [column.key for column in table.layout.columns if column.key in INCOME_BY_SOURCE]
    columns = by_source or list(INCOME_COMPONENTS)
    leaves = _leaf_columns(table, columns, FUNCTION_CODE_WIDTHS)
    printed = _printed_leaves(table, columns, FUNCTION_CODE_WIDTHS[-1])
    if not by_source:
        return leaves, printed

    def renamed(values: Mapping[str, Mapping[str, Decimal]]) -> dict[str, dict[str, Decimal]]:
        return {code: {INCOME_BY_SOURCE[k]: v for k, v in parts.items()} for code, parts in values.items()}

    return renamed(leaves), renamed(printed)


def workbook_marginals(book: ReadWorkbook) -> Marginals:
    tables = book.tables
    marginals = Marginals()
    if "expenditure" in tables:
        marginals.kinds = _printed_kinds(tables["expenditure"])
    if "income" in tables:
        income = tables["income"]
        marginals.sources, printed = _printed_sources(income)
        # Income and expenditure print the same 项 totals; where their roundings part, expenditure leads.
        spent = {code: sum(kinds.values(), ZERO) for code, kinds in marginals.kinds.items()}
        _reconcile(marginals.sources, printed, spent, _tolerance(income))
    for source, key in FUND_TABLES.items():
        if key in tables:
            marginals.funds[source] = _leaf_columns(tables[key], ("basic", "project"), FUNCTION_CODE_WIDTHS)
    if "basic-economic" in tables:
        basic = tables["basic-economic"]
        by_code = _leaf_columns(basic, ("personnel", "public"), ECONOMIC_CODE_WIDTHS)
        # Table 6 classifies the basic column of table 5 economically: the two totals are one amount.
        general_basic = sum(
            (kinds.get("basic", ZERO) for kinds in marginals.funds.get(Source.GENERAL, {}).values()), ZERO
        )
        flat = {"": {code: sum(values.values(), ZERO) for code, values in by_code.items()}}
        printed = {
            "": {
                code: sum(values.values(), ZERO)
                for code, values in _printed_leaves(basic, ("personnel", "public"), ECONOMIC_CODE_WIDTHS[-1]).items()
            }
        }
        if flat[""]:
            _reconcile(flat, printed, {"": general_basic}, _tolerance(basic))
        marginals.economic = {code: amount for code, amount in flat[""].items() if amount}
    if "fiscal-summary" in tables:
        rows = tables["fiscal-summary"].rows
        labels = [normalize(row["in_label"].value) for row in rows]
        if "年初财政拨款结转和结余" in labels:
            start = labels.index("年初财政拨款结转和结余") + 1
            for source, row in zip(FISCAL_SOURCES, rows[start : start + 3], strict=False):
                marginals.carried_fiscal[source] = row["in_amount"].value
    if "three-public" in tables:
        for row in tables["three-public"].rows:
            item = THREE_PUBLIC_ROWS.get(normalize(row["label"].value))
            if item:
                marginals.three_public[item] = {source: row[column].value for source, column in FUND_COLUMNS.items()}
    if "three-public-running" in tables and tables["three-public-running"].rows:
        # One row for every appropriated fund together: read as general-budget money, the usual case.
        table = tables["three-public-running"]
        row = table.rows[0]
        marginals.three_public = {item: {Source.GENERAL: row[item].value} for item in THREE_PUBLIC_ITEMS}
        marginals.three_public_tolerance = _tolerance(table)
    return marginals


def _procurement(book: ReadWorkbook) -> list[ProcurementInfo]:
    table = book.tables.get("procurement")
    if table is None:
        return []
    return [
        ProcurementInfo(
            project=row["project"].value,
            item_name=row["item_name"].value,
            catalogue_number=row["catalogue_number"].value,
            measure_unit=row["measure_unit"].value,
            quantity=row["quantity"].value,
            unit_price=row["unit_price"].value,
            general=row["general"].value,
            govfund=row["govfund"].value,
            statecap=row["statecap"].value,
            special_account=row["special"].value,
        )
        for row in table.rows
        if normalize(row["project"].value) != "合计"
    ]


def _assets(book: ReadWorkbook) -> tuple[list[AssetInfo], date | None]:
    table = book.tables.get("fixed-assets")
    if table is None:
        return [], None
    assets = [
        AssetInfo(item=row["item"].value, quantity=row["quantity"].value, value=row["value"].value)
        for row in table.rows
        if normalize(row["item"].value) != "合计"
    ]
    return assets, table.as_of


def _check_codes(book: ReadWorkbook, catalogue: Catalogue, year: int) -> list[Problem]:
    problems = []
    for table in book.tables.values():
        if "code" not in {column.key for column in table.layout.columns}:
            continue
        names = catalogue.economic_names if table.layout.key == "basic-economic" else catalogue.function_names
        kind = "经济分类" if table.layout.key == "basic-economic" else "功能分类"
        for row in table.rows:
            code = row["code"].value
            if code and code not in names:
                problems.append(Problem(row["code"].ref, f"{year}年度{kind}科目表中没有科目 {code}"))
    return problems


# A 万元 workbook rounds every cell on its own: parents and sums may be a cent or two off their parts.
ROUNDING_SLACK = Decimal("0.02")
# Figures the ledger derives from what no table prints (the units' natures): a file that says otherwise is shown the
# derived figure it will print, and not refused.
DERIVED_COLUMNS: Mapping[str, str] = {"running_costs": "机关运行经费按各单位性质和基本支出计算"}


def _compare(
    table: ReadTable, derived: PrintedTable, skip: frozenset[str] = frozenset()
) -> tuple[list[Problem], list[Problem]]:
    """Every amount of the file against what the lines print: (problems, 尾差 notices)."""
    expected = printed_values(derived)
    slack = ROUNDING_SLACK if table.unit is DisplayUnit.WAN else ZERO
    problems, notices = [], []
    seen = set()
    for index, row in enumerate(table.rows):
        key = row_key(table.layout, {k: v.value for k, v in row.items()}, index)
        seen.add(key)
        for column, cell in row.items():
            if cell.printed is None or column in skip:
                continue
            want = expected.get(key, {}).get(column, ZERO)
            if cell.printed == want:
                continue
            if column in DERIVED_COLUMNS:
                notices.append(
                    Problem(cell.ref, f"{DERIVED_COLUMNS[column]}：文件为 {cell.printed:.2f}，导入后为 {want:.2f}")
                )
            elif abs(cell.printed - want) <= slack:
                notices.append(Problem(cell.ref, f"尾差：文件为 {cell.printed:.2f}，导入后为 {want:.2f}"))
            else:
                problems.append(Problem(cell.ref, f"文件为 {cell.printed:.2f}，按其他各表应为 {want:.2f}"))
    for key, values in expected.items():
        if key not in seen and any(values.values()):
            problems.append(Problem(table.sheet, f"缺少行 {key}（按其他各表应有数据）"))
    return problems, notices


def _units(book: ReadWorkbook, department_name: str, existing: Sequence[UnitInfo]) -> list[UnitInfo]:
    table = book.tables.get("units")
    if table and table.rows:
        return [
            UnitInfo(
                name=row["name"].value,
                nature=row["nature"].value,
                rank=row["rank"].value,
                funding_form=row["funding_form"].value,
            )
            for row in table.rows
            if row["name"].value
        ]
    return list(existing) or [UnitInfo(f"{department_name}本级", UnitNature.ADMINISTRATIVE, "", "")]


def target_changes(old: Performance, new: Performance) -> list[str]:
    """What differs between two versions of the targets, as they print: one line per part or table."""
    changes = []
    for title, before, after in (
        ("总体绩效目标", old.goals.overall, new.goals.overall),
        ("分项绩效目标", old.goals.sub_goals, new.goals.sub_goals),
        ("工作保障措施", old.goals.measures, new.goals.measures),
    ):
        if before != after:
            changes.append(f"部门整体绩效目标：{title}有变化")
    old_tables = {table.project: table for table in old.targets}
    new_tables = {table.project: table for table in new.targets}
    for project, table in new_tables.items():
        if project not in old_tables:
            changes.append(f"新增“{project}”绩效目标表：{len(table.indicators)} 行指标")
            continue
        rows_before, rows_after = indicator_cells(old_tables[project]), indicator_cells(table)
        changed = sum(a != b for a, b in zip(rows_before, rows_after, strict=False))
        changed += abs(len(rows_before) - len(rows_after))
        parts = ["绩效目标有变化"] if old_tables[project].goal != table.goal else []
        if changed:
            parts.append(f"{changed} 行指标有变化（原 {len(rows_before)} 行，现 {len(rows_after)} 行）")
        if parts:
            changes.append(f"“{project}”绩效目标表：{'；'.join(parts)}")
    for project, table in old_tables.items():
        if project not in new_tables:
            changes.append(f"删除“{project}”绩效目标表：原 {len(table.indicators)} 行指标")
    return changes


def _preview_targets(preview: ImportPreview, book: ReadWorkbook, stored: BudgetData | None) -> None:
    if book.performance is None:
        return
    before = stored.performance if stored is not None else Performance()
    targets = book.performance.targets if book.target_sheets else before.targets
    goals = book.performance.goals if book.goals_sheet else before.goals
    if preview.unit:  # a 单位预算: the unit's 绩效目标表; the department's goals and other units' tables stay
        goals = before.goals
        if book.target_sheets:
            lines = stored.lines if stored is not None else ()
            of_unit = {line.project for line in lines if line.unit == preview.unit} | {t.project for t in targets}
            targets = (*(table for table in before.targets if table.project not in of_unit), *targets)
    preview.performance = Performance(goals, tuple(targets))
    # Projects the budget lacks are registered on import: only what no project could fix is a problem here.
    projects = {table.project for table in preview.performance.targets}
    preview.problems += [Problem("", str(error)) for error in performance_errors(preview.performance, projects)]
    preview.target_changes = target_changes(before, preview.performance)


def _of_unit(preview: ImportPreview) -> bool:
    """A 单位预算 workbook replaces one unit's lines of an existing department: which unit (its 编制单位 line), and
    whether it is one. The department's name is then its own, not the unit's."""
    preview.unit = preview.department_name
    department = Department.objects.filter(code=preview.department_code).first()
    if department is None:
        preview.problems.append(Problem("", f"单位预算表只能导入已有部门的单位：部门 {preview.department_code} 不存在"))
        return False
    preview.department_name = department.name
    names = list(department.units.order_by("position", "id").values_list("name", flat=True))
    if preview.unit not in names:
        listed = "、".join(names) or "无"
        preview.problems.append(Problem("", f"部门 {department.code} 没有单位“{preview.unit}”（有：{listed}）"))
        return False
    return True


def _department_units(code: str) -> tuple[UnitInfo, ...]:
    units = Unit.objects.filter(department__code=code).order_by("position", "id")
    return tuple(UnitInfo(u.name, u.nature, u.rank, u.funding_form) for u in units)


def budget_import_preview(
    *, data: bytes, year: int, department_code: str | None = None, edition: str | None = None
) -> ImportPreview:
    """What importing this workbook would do; never writes. ``edition`` names the template edition the file is
    in; by default it is told from the file's titles (the year's edition among equals)."""
    preview = ImportPreview(year=year)
    year_edition = BudgetYear.objects.filter(year=year).values_list("edition", flat=True).first()  # None: no such year
    expected = year_edition or DEFAULT_EDITION
    try:
        book = read_workbook(data, edition=edition, expected=expected)
    except UnsafeWorkbook as error:
        preview.problems.append(Problem("", str(error)))
        return preview
    preview.edition = book.edition
    preview.problems += book.problems
    if book.edition is None:
        return preview
    # The audit rules see the file as it prints: their errors refuse it, the rest is shown with the preview.
    for violation in run_rules(figures_from_workbook(book)):
        if violation.severity is Severity.ERROR:
            preview.problems.append(Problem(violation.place, f"{violation.rule} {violation.message}"))
        else:
            preview.violations.append(violation)
    found = book.department
    if found is None:
        preview.problems.append(Problem("", "找不到部门行（如“202 中共石家庄市鹿泉区委办公室”）"))
        return preview
    preview.department_code, preview.department_name = found
    if not preview.department_code:  # the file names the department without its code
        if not department_code:
            preview.problems.append(
                Problem("", f"部门行“{preview.department_name}”没有部门编码：请指定部门（import_budget --department）")
            )
            return preview
        preview.department_code = department_code
    if department_code and department_code != preview.department_code:
        preview.problems.append(Problem("", f"工作簿属于部门 {preview.department_code}，不是 {department_code}"))
    if book.edition.level == "单位" and not _of_unit(preview):
        return preview
    for table in book.tables.values():
        if table.year is not None and table.year != year:
            preview.problems.append(Problem(table.sheet, f"预算年度为 {table.year}，不是 {year}"))
    if year_edition is None:
        preview.problems.append(Problem("", f"{year} 年度尚未建立科目表"))
        return preview
    catalogue = catalogue_for_year(year)
    preview.problems += _check_codes(book, catalogue, year)
    if preview.problems:
        return preview

    preview.lines = reconstruct(workbook_marginals(book))
    preview.procurement = _procurement(book)
    preview.assets, preview.assets_as_of = _assets(book)
    budget = (
        Budget.objects.select_related("department")
        .filter(year_id=year, department__code=preview.department_code)
        .first()
    )
    preview.revision = budget.revision if budget is not None else None
    if budget is not None and budget.state not in EDITABLE_STATES:
        preview.problems.append(Problem("", frozen_message(budget)))
        return preview
    stored = budget_data(budget) if budget else None
    preview.budget_exists = budget is not None
    existing = stored.units if stored else _department_units(preview.department_code) if preview.unit else ()
    preview.units = _units(book, preview.department_name, existing)
    if stored is not None:  # what the file's edition has no table for is kept as stored
        if "procurement" not in book.edition.by_key:
            preview.procurement = list(stored.procurement)
        if "fixed-assets" not in book.edition.by_key:
            preview.assets, preview.assets_as_of = list(stored.assets), stored.assets_as_of
    if preview.unit and stored is not None:
        preview.kept_lines = [line for line in stored.lines if line.unit != preview.unit]
    rebuilt = BudgetData(
        department_code=preview.department_code,
        department_name=preview.department_name,
        year=year,
        catalogue=catalogue,
        lines=(
            *preview.kept_lines,
            *(
                Line(d.function, d.economic, d.kind, d.source, d.amount, d.carried_over, unit=preview.unit)
                for d in preview.lines
            ),
        ),
        units=tuple(preview.units),
        procurement=tuple(preview.procurement),
        assets=tuple(preview.assets),
        assets_as_of=preview.assets_as_of,
    )

    # A workbook that prints exactly what the stored budget prints changes no figure: keep the stored lines
    # (and the projects behind them) rather than a rebuilt equivalent.
    def printed(data: BudgetData) -> BudgetData:  # what the file's tables print of a budget: one unit's, or all
        return unit_budget(data, preview.unit) if preview.unit else data

    figure_tables = [table for table in book.tables.values() if table.layout.number is not None]
    preview.figures_unchanged = stored is not None and not any(
        problems or notices
        for problems, notices in (
            _compare(table, print_table(table.layout, printed(stored), table.unit)) for table in figure_tables
        )
    )
    skip: frozenset[str] = frozenset()
    if preview.figures_unchanged:
        rebuilt = replace(rebuilt, lines=stored.lines)
    else:
        skip = frozenset({"project_amount"})  # rebuilt projects are not the file's: 预算资金 cannot be checked
    for table in book.tables.values():
        problems, notices = _compare(table, print_table(table.layout, printed(rebuilt), table.unit), skip)
        preview.problems += problems
        preview.notices += notices
    if stored is not None and not preview.problems:
        before, after = printed(stored), printed(rebuilt)
        figure_changes = [] if preview.figures_unchanged else table_changes(before, after, book.edition.figure_tables)
        preview.changes = figure_changes + table_changes(before, after, book.edition.supplementary_tables)
    if not preview.problems:
        _preview_targets(preview, book, stored)
    return preview


def _project_name(function: str, catalogue: Catalogue, unit: str = "") -> str:
    """The project the rebuilt 项目支出 of one functional 项 is given (a 单位预算's: named with its unit)."""
    name = f"{catalogue.function_names.get(function, '')}项目（{function}）"
    return f"{unit}：{name}" if unit else name


def _replace_figures(budget: Budget, preview: ImportPreview, actor) -> None:
    catalogue = catalogue_for_year(preview.year)
    unit_name = preview.unit or preview.units[0].name

    def project(line: DraftLine) -> str:
        return _project_name(line.function, catalogue, preview.unit) if line.kind == Kind.PROJECT else ""

    kept = preview.kept_lines  # a 单位预算's other units, as stored
    kept_projects = dict.fromkeys((line.project, line.unit) for line in kept if line.project)
    rebuilt_projects = sorted({project(line) for line in preview.lines} - {""})
    budget_replace_figures(
        budget=budget,
        actor=actor,
        projects=[
            *(ProjectInput(name, unit) for name, unit in kept_projects),
            *(ProjectInput(name, unit_name) for name in rebuilt_projects),
        ],
        lines=[
            *(
                LineInput(
                    line.unit,
                    line.function,
                    line.economic,
                    line.kind,
                    line.source,
                    line.amount,
                    line.project,
                    line.carried_over,
                )
                for line in kept
            ),
            *(
                LineInput(
                    unit=unit_name,
                    function=line.function,
                    economic=line.economic,
                    kind=line.kind,
                    source=line.source,
                    amount=line.amount,
                    project=project(line),
                    carried_over=line.carried_over,
                )
                for line in preview.lines
            ),
        ],
    )


def _replace_performance(budget: Budget, performance: Performance, actor) -> None:
    existing = set(budget.projects.values_list("name", flat=True))
    first_unit = budget.department.units.order_by("position", "id").first()
    for table in performance.targets:
        if table.project not in existing:
            Project.objects.create(budget=budget, unit=first_unit, name=table.project, position=999)
    budget_replace_performance(budget=budget, performance=performance, actor=actor)


@transaction.atomic
def budget_import_apply(
    *,
    data: bytes,
    year: int,
    department_code: str | None = None,
    create_department: bool = False,
    actor=None,
    expected_revision: int | None = None,
    edition: str | None = None,
) -> ImportPreview:
    """Import the workbook: all or nothing. Raises ImportRefused (nothing written) if it has problems, and
    StaleRevision if the budget is no longer at ``expected_revision`` (the one the preview was made of)."""
    preview = budget_import_preview(data=data, year=year, department_code=department_code, edition=edition)
    department = Department.objects.filter(code=preview.department_code).first()
    if preview.ok and department is None and not create_department:
        preview.problems.append(Problem("", f"部门 {preview.department_code} 不存在（可选择同时创建部门）"))
    if not preview.ok:
        raise ImportRefused(preview)
    if preview.unchanged:
        return preview
    if department is not None:
        # Imports into one budget run one after the other (the row lock is held to the end of the transaction).
        locked = Budget.objects.select_for_update().filter(department=department, year_id=year).first()
        if locked is not None:
            check_revision(locked, expected_revision)
        if (locked.revision if locked is not None else None) != preview.revision:
            # Another write landed between the preview and the lock (an import naming its revision was refused
            # just above): what this import keeps and replaces is decided again, on the budget as it now stands.
            preview = budget_import_preview(data=data, year=year, department_code=department_code, edition=edition)
            if not preview.ok:
                raise ImportRefused(preview)
            if preview.unchanged:
                return preview
    if department is None:
        department = Department.objects.create(code=preview.department_code, name=preview.department_name)
    budget = budget_get_or_create(department=department, year=year)
    budget.procurement_items.all().delete()  # replaced below; they may point at projects about to go
    for position, unit in enumerate(preview.units):
        Unit.objects.update_or_create(
            department=department,
            name=unit.name,
            defaults={
                "nature": unit.nature or UnitNature.OTHER,
                "rank": unit.rank,
                "funding_form": unit.funding_form,
                "position": position,
            },
        )
    if not preview.figures_unchanged:
        _replace_figures(budget, preview, actor)
    budget_replace_supplementary(
        budget=budget,
        procurement=preview.procurement,
        assets=preview.assets,
        assets_as_of=preview.assets_as_of,
        actor=actor,
    )
    if preview.performance is not None and preview.target_changes:
        _replace_performance(budget, preview.performance, actor)
    return preview
