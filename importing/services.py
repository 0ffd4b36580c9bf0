"""Importing an official workbook: read it, change the stored lines only as the file requires, check every cell,
show every consequence, then apply exactly what was shown.

``budget_import_preview`` never writes. It starts from the stored lines: the cells the file changes
(official.cells) are met by changing as few stored lines as possible, inside the stored structure (domain.adjust:
same unit, project and economic code wherever the change allows), and only a file that changes more than that can
follow is rebuilt from its tables (importing.marginals), which the preview then says in words. The preview lists
the ledger's changes (old → new), the structural ones in words, the printed cells that follow from them, the
audit findings that appear or go, and every change of the texts (units, procurement, assets, targets).

``budget_import_apply`` writes all or nothing, only when the preview has no problem, and only the parts the preview
showed changing; each write service records its own old → new in the budget's trail, computed by the same
functions the preview used (domain.changes, domain.differences, domain.structure).

The 绩效目标 sheets replace the stored performance targets part by part: the 部门整体绩效目标 sheet the goals,
the 绩效目标表 sheets the target tables; a part the workbook has no sheet for is left as stored. A table naming a
project the budget does not have registers it (of the first unit, without figures), as procurement does.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import cache

from django.db import transaction

from audit.verdict import budget_violations, foreseen_verdict, stored_violations
from budgets.access import UNIT_EDIT_REFUSED, may_edit_unit, may_import_as, require
from budgets.computed import kept_budget_data
from budgets.models import Budget, Project
from budgets.selectors import catalogue_for_year, code_names, part_state, unit_in_use
from budgets.services.errors import frozen_message
from budgets.services.figures import budget_get_or_create, budget_replace_figures
from budgets.services.locking import check_revision
from budgets.services.structure import department_replace_units
from budgets.services.supplementary import budget_replace_supplementary
from budgets.services.targets import budget_replace_performance
from catalog.models import BudgetYear
from departments.models import Department, Unit
from domain.adjust import adjust
from domain.audit.model import Severity, Violation
from domain.changes import FigureChange
from domain.differences import performance_places, supplementary_changes, text_changes
from domain.ledger import AssetInfo, BudgetData, Catalogue, Line, LineInput, ProcurementInfo, ProjectInput, UnitInfo
from domain.money import DisplayUnit
from domain.performance.checks import performance_errors
from domain.performance.targets import Performance
from domain.reconstruct import reconstruct
from domain.structure import UnitInput, UnitNature, unit_changes
from domain.supplementary import assets_from_table
from domain.unit_budget import unit_budget, unit_projects, with_unit_assets, with_unit_items
from domain.workflow import EDITABLE_STATES
from importing.consequences import audit_changes, ledger_changes, structure_changes
from importing.entry_template import is_entry_workbook, read_entry_workbook
from importing.marginals import asset_items, procurement_items, workbook_marginals
from importing.unit_scope import confine_entry, not_its_file, outside_unit
from official.audit import audit_workbook
from official.cells import changed_cells, table_shape
from official.diff import Change, printed_values, row_key, table_changes
from official.edition import DEFAULT_EDITION, Edition
from official.entry_layout import UNITS_SHEET
from official.render import PrintedTable, TablePrinter
from official.targets_layout import indicator_cells
from official.xlsx_reader import Problem, ReadTable, ReadWorkbook
from official.xlsx_safety import UnsafeWorkbook

ZERO = Decimal("0.00")
REBUILT = (
    "文件的数字无法在已存明细内对应（改动超出了已存的单位、项目和科目结构）：将按文件各表重建全部支出明细，"
    "项目按功能分类科目归集，已存项目的预算数字将被去掉。"
)


@dataclass
class ImportPreview:
    year: int
    department_code: str = ""
    department_name: str = ""
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)  # 尾差 the import absorbs, hidden parts: shown, never blocking
    violations: list[Violation] = field(default_factory=list)  # audit warnings and notices of the file
    file_errors: list[Violation] = field(default_factory=list)  # its audit errors (each also among the problems)
    changes: list[Change] = field(default_factory=list)  # the printed cells that follow from the ledger's changes
    units: list[UnitInfo] = field(default_factory=list)
    unit_inputs: list[UnitInput] = field(default_factory=list)  # the department's units after, by stored id
    lines: list[Line] = field(default_factory=list)  # every line of the budget after the import
    procurement: list[ProcurementInfo] = field(default_factory=list)
    assets: list[AssetInfo] = field(default_factory=list)
    assets_as_of: date | None = None
    budget_exists: bool = False
    revision: int | None = None  # the stored budget's revision when the preview read it
    rebuilt: bool = False  # the file could not be met within the stored lines: they are rebuilt from its tables
    performance: Performance | None = None  # the targets after the import; None: the file has no 绩效目标 sheets
    target_changes: list[str] = field(default_factory=list)  # what changes in them, one line per part or table
    edition: Edition | None = None  # the template edition the file was read in
    template: bool = False  # the file is a 录入模板 (importing.entry_template), not an official workbook
    unit: str = ""  # the unit whose 单位预算 the file is (a 单位 edition's 编制单位); "" for a department's budget
    # What the import writes, old → new, as the write services record it in the trail:
    figure_changes: list[FigureChange] = field(default_factory=list)  # the ledger's lines
    unit_changes: list[list[str]] = field(default_factory=list)  # 机构设置
    text_changes: list[list[str]] = field(default_factory=list)  # procurement and fixed assets
    target_text_changes: list[list[str]] = field(default_factory=list)  # goals and target tables
    structure: list[str] = field(default_factory=list)  # the structural changes in words
    added_lines: list[Line] = field(default_factory=list)  # lines at places the stored budget has no line at
    new_projects: list[ProjectInput] = field(default_factory=list)  # projects the lines name that the budget lacks
    audit_appearing: list[Violation] = field(default_factory=list)  # findings the budget will have, not has now
    audit_going: list[Violation] = field(default_factory=list)  # findings it has now and will not
    audit_after: list[Violation] | None = None  # every finding it will have (None: not run, for a new budget)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def writes(self) -> bool:
        """Whether confirming writes anything (a new budget always does)."""
        return not self.budget_exists or bool(
            self.figure_changes or self.unit_changes or self.text_changes or self.target_text_changes
        )

    @property
    def unchanged(self) -> bool:
        return self.ok and not self.writes


class ImportRefused(Exception):
    def __init__(self, preview: ImportPreview):
        self.preview = preview
        super().__init__("\n".join(str(problem) for problem in preview.problems))


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


def _units(book: ReadWorkbook, existing: Sequence[UnitInfo], unit: str) -> list[UnitInfo] | None:
    """The department's units after the import: the 机构设置 table's rows (a 单位预算's one row updates its unit
    only); None where the file has no such table."""
    table = book.tables.get("units")
    if table is None or not table.rows:
        return None
    read = [
        UnitInfo(
            name=row["name"].value,
            nature=row["nature"].value or UnitNature.OTHER,
            rank=row["rank"].value,
            funding_form=row["funding_form"].value,
        )
        for row in table.rows
        if row["name"].value
    ]
    if not unit:
        return read
    own = next((info for info in read if info.name == unit), None)
    return [own if own is not None and info.name == unit else info for info in existing]


def _unit_plan(preview: ImportPreview, units: list[UnitInfo] | None, stored_units: Sequence[Unit], place: str) -> None:
    """The units after the import (None: as stored), and what changes in them (as department_replace_units records
    it); a stored unit the file leaves out while figures or projects name it is a problem at ``place``."""
    existing = [UnitInfo(u.name, u.nature, u.rank, u.funding_form) for u in stored_units]
    if units is None:
        units = existing or [UnitInfo(f"{preview.department_name}本级", UnitNature.ADMINISTRATIVE, "", "")]
    preview.units = units
    ids = {unit.name: unit.pk for unit in stored_units}
    preview.unit_inputs = [UnitInput(ids.get(u.name), u.name, u.nature, u.rank, u.funding_form) for u in units]
    if stored_units:
        stored = {u.pk: UnitInput(u.pk, u.name, u.nature, u.rank, u.funding_form) for u in stored_units}
        preview.unit_changes = unit_changes(stored, preview.unit_inputs)
    names = {unit.name for unit in units}
    for gone in (unit for unit in stored_units if unit.name not in names):
        years = unit_in_use(gone)
        if years:
            preview.problems.append(
                Problem(
                    place,
                    f"文件的单位构成中没有单位“{gone.name}”，但{'、'.join(f'{y}年' for y in years)}预算中"
                    "还有它的预算数字、项目或固定资产：单位不能删除（请在文件中保留该单位，或先在“预算数字”“项目”"
                    "和“政府采购和资产”页把它的数字移到其他单位）。",
                )
            )


def _stored_units(department_code: str) -> list[Unit]:
    return list(Unit.objects.filter(department__code=department_code).order_by("position", "id"))


def _project_name(function: str, catalogue: Catalogue, unit: str = "") -> str:
    """The project the rebuilt 项目支出 of one functional 项 is given (a 单位预算's: named with its unit)."""
    name = f"{catalogue.function_names.get(function, '')}项目（{function}）"
    return f"{unit}：{name}" if unit else name


def _scope_lines(
    preview: ImportPreview, book: ReadWorkbook, scope: BudgetData | None, catalogue: Catalogue, printer: TablePrinter
) -> None:
    """The lines the file's tables print after the import (all the department's, or a 单位预算's unit's): the
    stored ones (``scope``: the stored budget as the file's tables print it) changed as little as the file
    requires, else rebuilt from the file."""
    figure_tables = {key: table for key, table in book.tables.items() if table.layout.number is not None}
    unit_name = preview.unit or preview.units[0].name
    if scope is not None:
        shape = table_shape([table.layout for table in figure_tables.values()])
        deltas = changed_cells(shape, figure_tables, scope, printer)
        lines = [line if line.unit else replace(line, unit=unit_name) for line in scope.lines]
        adjusted = adjust(lines, deltas, shape, lambda line: _project_name(line.function, catalogue, preview.unit))
        if adjusted is not None:
            preview.lines = adjusted.lines
            preview.added_lines = adjusted.added
            return
        preview.rebuilt = True
    preview.lines = [
        Line(
            draft.function,
            draft.economic,
            draft.kind,
            draft.source,
            draft.amount,
            draft.carried_over,
            project=_project_name(draft.function, catalogue, preview.unit) if draft.kind == "project" else "",
            unit=unit_name,
        )
        for draft in reconstruct(workbook_marginals(book))
    ]


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


def _consequences(
    preview: ImportPreview,
    budget: Budget | None,
    stored: BudgetData | None,
    after: BudgetData,
    printer: TablePrinter,
) -> None:
    """Everything confirming would write, old → new, and what it means (see ImportPreview)."""
    before_lines = stored.lines if stored is not None else ()
    preview.figure_changes = ledger_changes(before_lines, after.lines)
    stored_projects = dict(budget.projects.values_list("name", "unit__name")) if budget is not None else {}
    named = dict.fromkeys((line.project, line.unit) for line in after.lines if line.project)
    preview.new_projects = [ProjectInput(name, unit) for name, unit in named if name not in stored_projects]
    preview.structure = ([REBUILT] if preview.rebuilt else []) + structure_changes(
        before_lines, after.lines, stored_projects, preview.added_lines
    )
    first_unit = preview.units[0].name if preview.units else ""
    known = set(stored_projects) | set(named)
    for name in dict.fromkeys(item.project for item in preview.procurement if item.project):
        if name not in known:
            preview.structure.append(
                f"政府采购项目来源“{name}”不是本预算的项目：将登记为单位“{first_unit}”的项目（无预算数字）"
            )
            known.add(name)
    if stored is not None:
        preview.text_changes = supplementary_changes(
            (stored.procurement, stored.assets, stored.assets_as_of),
            (preview.procurement, preview.assets, preview.assets_as_of),
        )
    if preview.performance is not None:
        before = stored.performance if stored is not None else Performance()
        preview.target_text_changes = text_changes(performance_places(before), performance_places(preview.performance))
        for table in preview.performance.targets:
            if table.project not in known:
                preview.structure.append(
                    f"绩效目标表的项目“{table.project}”不是本预算的项目：将登记为单位“{first_unit}”的项目（无预算数字）"
                )
                known.add(table.project)
    if budget is not None and preview.writes:
        preview.audit_after = budget_violations(budget, after, printer)
        preview.audit_appearing, preview.audit_going = audit_changes(
            stored_violations(budget, stored), preview.audit_after
        )


def _budget_after(preview: ImportPreview, catalogue: Catalogue, performance: Performance) -> BudgetData:
    """The budget as confirming the preview leaves it."""
    return BudgetData(
        department_code=preview.department_code,
        department_name=preview.department_name,
        year=preview.year,
        catalogue=catalogue,
        lines=tuple(preview.lines),
        units=tuple(preview.units),
        procurement=tuple(preview.procurement),
        assets=tuple(preview.assets),
        assets_as_of=preview.assets_as_of,
        performance=performance,
    )


def _entry_preview(
    preview: ImportPreview, data: bytes, department_code: str | None, checking: bool = False, unit: str = ""
) -> ImportPreview:
    """A 录入模板 (importing.entry_template): the budget's lines, units, items and targets as the file lists them,
    with the same checks and consequences as an official workbook."""
    year = preview.year
    preview.template = True
    if not BudgetYear.objects.filter(year=year).exists():
        preview.problems.append(Problem("", f"{year} 年度尚未建立科目表"))
        return preview
    catalogue = catalogue_for_year(year)
    try:
        entry = read_entry_workbook(data, year=year, catalogue=catalogue)
    except UnsafeWorkbook as error:
        preview.problems.append(Problem("", str(error)))
        return preview
    preview.problems += entry.problems
    preview.department_code = entry.department_code or department_code or ""
    if department_code and entry.department_code and entry.department_code != department_code:
        preview.problems.append(Problem("", f"录入模板属于部门 {entry.department_code}，不是 {department_code}"))
    budget = (
        Budget.objects.select_related("department", "year")
        .filter(year_id=year, department__code=preview.department_code)
        .first()
    )
    if budget is None:
        preview.problems.append(
            Problem("", f"录入模板只能导入已有的预算：部门 {preview.department_code} 没有 {year} 年预算")
        )
        return preview
    if budget.state not in EDITABLE_STATES and not checking:
        preview.problems.append(Problem("", frozen_message(budget)))
    if preview.problems:
        return preview
    preview.department_name, preview.revision, preview.budget_exists = budget.department.name, budget.revision, True
    stored = kept_budget_data(budget)
    if unit:  # a unit's 录入模板: its part, the rest of the budget as stored
        listed = len(entry.problems)
        confine_entry(entry, stored, unit, dict(budget.projects.values_list("name", "unit__name")))
        preview.problems += entry.problems[listed:]
        if preview.problems:
            return preview
    if not entry.asset_units:  # an older file says each item's total only: the holders stay where they are
        entry.assets = assets_from_table(stored.assets, entry.assets)
    _unit_plan(preview, entry.units, _stored_units(preview.department_code), UNITS_SHEET)
    preview.lines = list(entry.lines)
    preview.procurement, preview.assets, preview.assets_as_of = entry.procurement, entry.assets, entry.assets_as_of
    preview.performance = entry.performance
    after = _budget_after(
        preview, catalogue, entry.performance if entry.performance is not None else stored.performance
    )
    if entry.performance is not None:
        preview.target_changes = target_changes(stored.performance, entry.performance)
    if unit:
        preview.problems += _outside_unit(preview, stored, unit)
    if preview.problems:
        return preview
    printer = TablePrinter()
    preview.changes = table_changes(stored, after, budget.year.layouts.tables, printer)
    _consequences(preview, budget, stored, after, printer)
    return preview


def _outside_unit(preview: ImportPreview, stored: BudgetData, unit: str) -> list[Problem]:
    owners = dict(
        Project.objects.filter(
            budget__department__code=preview.department_code, budget__year_id=preview.year
        ).values_list("name", "unit__name")
    )
    return outside_unit(
        stored,
        unit,
        lines=preview.lines,
        units=preview.units,
        procurement=preview.procurement,
        assets=preview.assets,
        assets_as_of=preview.assets_as_of,
        performance=preview.performance,
        project_units=owners,
    )


def rule_problem(violation: Violation) -> Problem:
    """An error of the audit rules on the file, as the problem that refuses it."""
    return Problem(violation.place, f"{violation.rule} {violation.message}")


def _year_edition(year: int | None) -> str | None:
    """The edition the year prints in; None for a year without a catalogue."""
    return BudgetYear.objects.filter(year=year).values_list("edition", flat=True).first() if year else None


def budget_import_preview(
    *,
    data: bytes,
    year: int | None,
    department_code: str | None = None,
    edition: str | None = None,
    checking: bool = False,
    unit: str = "",
) -> ImportPreview:
    """What importing this workbook would do; never writes. ``edition`` names the template edition the file is
    in; by default it is told from the file's titles (the year's edition among equals). ``year`` None: the year
    the file's tables name. ``checking``: the file is checked rather than imported (workbook_check), so that a
    budget no longer editable is no reason to stop: the file is compared with it all the same. ``unit``: the import
    is a unit's accountant's, which may change that unit's part and nothing else (importing.unit_scope)."""
    preview = ImportPreview(year=year or 0)
    if is_entry_workbook(data):
        if year is None:
            preview.problems.append(Problem("", "录入模板：请指定预算年度"))
            return preview
        return _entry_preview(preview, data, department_code, checking, unit)
    year_edition = _year_edition(year)
    names_of = cache(code_names)  # the year's catalogue serves N01 and, below, the codes' check
    audit = audit_workbook(data, edition, year_edition or DEFAULT_EDITION, names_of)
    preview.problems += audit.problems
    book = audit.book
    if book is None or book.edition is None:
        return preview
    preview.edition = book.edition
    preview.notices += book.warnings
    # The audit rules see the file as it prints: their errors refuse it, the rest is shown with the preview.
    for violation in audit.violations:
        if violation.severity is Severity.ERROR:
            preview.file_errors.append(violation)
            preview.problems.append(rule_problem(violation))
        else:
            preview.violations.append(violation)
    if year is None:
        years = sorted({table.year for table in book.tables.values() if table.year is not None})
        if not years:
            preview.problems.append(Problem("", "工作簿没有写明预算年度（各表的“预算年度”行）：请指定年度"))
            return preview
        preview.year = year = years[0]
        year_edition = _year_edition(year)
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
    if unit and book.edition.level != "单位":
        preview.problems.append(not_its_file("部门预算公开表", unit))
        return preview
    if book.edition.level == "单位" and not _of_unit(preview):
        return preview
    if unit and preview.unit != unit:
        preview.problems.append(not_its_file(f"“{preview.unit}”的单位预算表", unit))
        return preview
    for table in book.tables.values():
        if table.year is not None and table.year != year:
            preview.problems.append(Problem(table.sheet, f"预算年度为 {table.year}，不是 {year}"))
    if year_edition is None:
        preview.problems.append(Problem("", f"{year} 年度尚未建立科目表"))
        return preview
    names = names_of(year)
    catalogue = (
        Catalogue(function_names=dict(names.function), economic_names=dict(names.economic))
        if names is not None
        else catalogue_for_year(year)
    )
    preview.problems += _check_codes(book, catalogue, year)
    if preview.problems:
        return preview

    budget = (
        Budget.objects.select_related("department", "year")
        .filter(year_id=year, department__code=preview.department_code)
        .first()
    )
    preview.revision = budget.revision if budget is not None else None
    if budget is not None and budget.state not in EDITABLE_STATES and not checking:
        preview.problems.append(Problem("", frozen_message(budget)))
        return preview
    stored = kept_budget_data(budget) if budget else None
    preview.budget_exists = budget is not None
    stored_units = _stored_units(preview.department_code)
    existing = [UnitInfo(u.name, u.nature, u.rank, u.funding_form) for u in stored_units]
    units_table = book.tables.get("units")
    _unit_plan(preview, _units(book, existing, preview.unit), stored_units, units_table.sheet if units_table else "")
    preview.procurement = procurement_items(book)
    preview.assets, preview.assets_as_of = asset_items(book)
    if stored is not None:  # the table prints each item's total: the units' holdings change only where it does
        if preview.unit:  # a 单位预算's table is the unit's holdings; the others' stay as stored
            held = [asset for asset in stored.assets if asset.unit == preview.unit]
            assets = assets_from_table(held, preview.assets, preview.unit)
            preview.assets = with_unit_assets(stored.assets, preview.unit, assets)
        else:
            preview.assets = assets_from_table(stored.assets, preview.assets)
    if preview.assets_as_of == date(year - 1, 12, 31) and (stored is None or stored.assets_as_of is None):
        preview.assets_as_of = None  # the date the table prints for a budget that stores none
    if stored is not None:  # what the file's edition has no table for is kept as stored
        if "procurement" not in book.edition.by_key:
            preview.procurement = list(stored.procurement)
        if "fixed-assets" not in book.edition.by_key:
            preview.assets, preview.assets_as_of = list(stored.assets), stored.assets_as_of
    if preview.unit and stored is not None and "procurement" in book.edition.by_key:  # the other units' items stay
        projects = unit_projects(stored.lines, preview.unit)
        preview.procurement = with_unit_items(stored.procurement, projects, preview.procurement)

    def printed(data: BudgetData) -> BudgetData:  # what the file's tables print of a budget: one unit's, or all
        return unit_budget(data, preview.unit) if preview.unit else data

    printer = TablePrinter()
    shown_stored = printed(stored) if stored is not None else None
    _scope_lines(preview, book, shown_stored, catalogue, printer)
    _preview_targets(preview, book, stored)
    kept = [line for line in stored.lines if line.unit != preview.unit] if preview.unit and stored else []
    preview.lines = kept + preview.lines
    after = _budget_after(
        preview,
        catalogue,
        preview.performance or (stored.performance if stored is not None else Performance()),
    )
    if unit and stored is not None:
        preview.problems += _outside_unit(preview, stored, unit)
    shown_after = printed(after)
    # Rebuilt projects are not the file's: their 预算资金 in the procurement table cannot be checked.
    skip = frozenset({"project_amount"}) if preview.rebuilt or stored is None else frozenset()
    for table in book.tables.values():
        problems, notices = _compare(table, printer(table.layout, shown_after, table.unit), skip)
        preview.problems += problems
        preview.notices += notices
    if preview.problems:
        return preview
    if shown_stored is not None:
        preview.changes = table_changes(shown_stored, shown_after, book.edition.tables, printer)
    _consequences(preview, budget, stored, after, printer)
    return preview


def _replace_performance(budget: Budget, performance: Performance, actor) -> None:
    existing = set(budget.projects.values_list("name", flat=True))
    first_unit = budget.department.units.order_by("position", "id").first()
    for table in performance.targets:
        if table.project not in existing:
            Project.objects.create(budget=budget, unit=first_unit, name=table.project, position=999)
    budget_replace_performance(budget=budget, performance=performance, actor=actor)


def _write(budget: Budget, preview: ImportPreview, actor) -> None:
    """The parts of the budget the preview showed changing, each through its write service (which records it)."""
    if preview.unit_changes or not budget.department.units.exists():
        department_replace_units(budget=budget, units=preview.unit_inputs, actor=actor)
    if preview.figure_changes:
        stored = [ProjectInput(name, unit) for name, unit in budget.projects.values_list("name", "unit__name")]
        budget_replace_figures(
            budget=budget,
            actor=actor,
            projects=[*stored, *preview.new_projects],
            lines=[LineInput.of(line) for line in preview.lines],
        )
    if preview.text_changes or not preview.budget_exists:
        budget_replace_supplementary(
            budget=budget,
            procurement=preview.procurement,
            assets=preview.assets,
            assets_as_of=preview.assets_as_of,
            actor=actor,
        )
    if preview.performance is not None and preview.target_text_changes:
        _replace_performance(budget, preview.performance, actor)


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
    unit: Unit | None = None,
) -> ImportPreview:
    """Import the workbook: all or nothing. Raises ImportRefused (nothing written) if it has problems, and
    StaleRevision if the budget is no longer at ``expected_revision`` (the one the preview was made of). ``unit``:
    a unit's accountant's import, of that unit's part only, while the part is his to change (PermissionDenied)."""
    scope = unit.name if unit is not None else ""
    preview = budget_import_preview(data=data, year=year, department_code=department_code, edition=edition, unit=scope)
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
        if locked is None and unit is not None:
            preview.problems.append(Problem("", f"部门 {department.code} 没有 {year} 年预算：单位只能导入已有预算"))
            raise ImportRefused(preview)
        if locked is not None:
            check_revision(locked, expected_revision)
            if unit is not None and actor is not None and not may_import_as(actor):  # None: a management command
                require(may_edit_unit(actor, locked, unit, part_state(locked, unit)), UNIT_EDIT_REFUSED)
        if (locked.revision if locked is not None else None) != preview.revision:
            # Another write landed between the preview and the lock (an import naming its revision was refused
            # just above): what this import keeps and replaces is decided again, on the budget as it now stands.
            preview = budget_import_preview(
                data=data, year=year, department_code=department_code, edition=edition, unit=scope
            )
            if not preview.ok:
                raise ImportRefused(preview)
            if preview.unchanged:
                return preview
    if department is None:
        department = Department.objects.create(code=preview.department_code, name=preview.department_name)
    budget = budget_get_or_create(department=department, year=year)
    if preview.audit_after is None:
        _write(budget, preview, actor)
    else:
        with foreseen_verdict(budget, preview.audit_after):  # the preview has run the rules on the budget after
            _write(budget, preview, actor)
    return preview
