"""An import by a unit's accountant (单位填报人): his unit's 录入模板 or 单位预算 workbook may change his unit's part
of the budget and nothing else.

A unit's 录入模板 lists that unit only (exports.entry_template of domain.unit_budget): ``confine_entry`` reads it as
the whole budget it means, every other unit's lines, items and tables as stored. ``outside_unit`` then compares
the budget the preview would leave with the stored one, whichever file it came from: any change outside the unit
is a problem that refuses the file, so that nothing of another unit is written however the file was made.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from budgets.services.unit_parts import UNIT_ASSETS_ONLY
from domain.ledger import AssetInfo, BudgetData, Line, ProcurementInfo, UnitInfo
from domain.performance.targets import Performance
from domain.unit_budget import unit_projects, with_unit_assets, with_unit_items
from importing.entry_template import EntryFile
from official.entry_layout import ASSETS_SHEET, FIGURES_SHEET, PROCUREMENT_SHEET, TARGETS_SHEET, UNITS_SHEET
from official.xlsx_reader import Problem

OTHER_UNITS_LINES = "有 {count} 行属于其他单位（{units}）：单位填报人只能导入本单位“{unit}”的预算数字。"
UNIT_INFO = "单位信息（机构设置）由部门维护：文件改动了“{unit}”的单位信息，请从本单位页面重新下载录入模板。"
ASSETS = UNIT_ASSETS_ONLY
AS_OF = "资产统计截止日期由部门填报：单位的文件不能改动它。"
GOALS = "部门整体绩效目标由部门填报：单位的文件不能改动它。"
FOREIGN_ITEM = (
    "政府采购“{item}”的项目“{project}”不是本单位的项目：请从本单位的项目中选择（不属于项目的采购由部门填报）。"
)
FOREIGN_TABLE = "绩效目标表“{project}”不是本单位项目的：单位只能填报本单位项目的绩效目标表。"
NOT_ITS_FILE = "单位填报人只能导入本单位（{unit}）的录入模板或单位预算表：这个文件是{what}。"


def own_projects(stored: BudgetData, lines: Sequence[Line], unit: str, project_units: dict[str, str]) -> set[str]:
    """The unit's projects (domain.unit_budget.unit_projects) before and after the import, less any the budget
    stores as another unit's: a line of his naming one does not make it his."""
    named = unit_projects((*stored.lines, *lines), unit)
    return {name for name in named if project_units.get(name, unit) == unit}


def confine_entry(entry: EntryFile, stored: BudgetData, unit: str, project_units: dict[str, str]) -> None:
    """Make a unit's 录入模板 the whole budget it means: the unit's lines, items and target tables as the file lists
    them, the rest as stored. ``project_units``: each stored project's unit. A line of another unit is a problem."""
    foreign = [line for line in entry.lines if line.unit != unit]
    if foreign:
        units = "、".join(dict.fromkeys(line.unit for line in foreign))
        message = OTHER_UNITS_LINES.format(count=len(foreign), units=units, unit=unit)
        entry.problems.append(Problem(FIGURES_SHEET, message))
    if [info for info in entry.units if info.name == unit] != [info for info in stored.units if info.name == unit]:
        entry.problems.append(Problem(UNITS_SHEET, UNIT_INFO.format(unit=unit)))
    ours = own_projects(stored, entry.lines, unit, project_units)
    theirs = {name for name, owner in project_units.items() if owner != unit}
    for item in entry.procurement:
        if item.project not in ours or item.project in theirs:
            problem = FOREIGN_ITEM.format(item=item.item_name, project=item.project or "（无）")
            entry.problems.append(Problem(PROCUREMENT_SHEET, problem))
    if any(asset.unit not in ("", unit) for asset in entry.assets):
        entry.problems.append(Problem(ASSETS_SHEET, ASSETS))
    if entry.assets_as_of not in (None, stored.assets_as_of):
        entry.problems.append(Problem(ASSETS_SHEET, AS_OF))
    entry.lines = [*(line for line in stored.lines if line.unit != unit), *entry.lines]
    entry.units = list(stored.units)
    entry.procurement = with_unit_items(stored.procurement, ours, entry.procurement)
    held = [replace(asset, unit=unit) for asset in entry.assets]  # a blank unit on his file is his
    entry.assets, entry.assets_as_of = with_unit_assets(stored.assets, unit, held), stored.assets_as_of
    if entry.performance is not None:
        for table in entry.performance.targets:
            if table.project in theirs:
                entry.problems.append(Problem(TARGETS_SHEET, FOREIGN_TABLE.format(project=table.project)))
        named = {table.project for table in entry.performance.targets}
        kept = tuple(t for t in stored.performance.targets if t.project not in ours and t.project not in named)
        entry.performance = Performance(stored.performance.goals, (*kept, *entry.performance.targets))


def outside_unit(
    stored: BudgetData,
    unit: str,
    *,
    lines: Sequence[Line],
    units: Sequence[UnitInfo],
    procurement: Sequence[ProcurementInfo],
    assets: Sequence[AssetInfo],
    assets_as_of: date | None,
    performance: Performance | None,
    project_units: dict[str, str],
) -> list[Problem]:
    """What the import would change outside ``unit``'s part, each as the problem that refuses it."""
    problems = []
    others_before = Counter(line for line in stored.lines if line.unit != unit)
    others_after = Counter(line for line in lines if line.unit != unit)
    if others_before != others_after:
        names = {line.unit for line in (others_before - others_after) + (others_after - others_before)}
        count = (others_before - others_after).total() + (others_after - others_before).total()
        problems.append(Problem("", OTHER_UNITS_LINES.format(count=count, units="、".join(sorted(names)), unit=unit)))
    if list(units) != list(stored.units):
        problems.append(Problem("", UNIT_INFO.format(unit=unit)))
    if [a for a in assets if a.unit != unit] != [a for a in stored.assets if a.unit != unit]:
        problems.append(Problem("", ASSETS))
    if assets_as_of != stored.assets_as_of:
        problems.append(Problem("", AS_OF))
    ours = own_projects(stored, lines, unit, project_units)
    kept_before = [item for item in stored.procurement if item.project not in ours]
    kept_after = [item for item in procurement if item.project not in ours]
    if kept_before != kept_after:
        changed = [item for item in kept_after if item not in kept_before] or [
            item for item in kept_before if item not in kept_after
        ]
        for item in changed or kept_after[:1]:
            problems.append(Problem("", FOREIGN_ITEM.format(item=item.item_name, project=item.project or "（无）")))
    if performance is not None:
        if performance.goals != stored.performance.goals:
            problems.append(Problem("", GOALS))
        before = {t.project: t for t in stored.performance.targets if t.project not in ours}
        after = {t.project: t for t in performance.targets if t.project not in ours}
        for project in sorted(set(before) | set(after)):
            if before.get(project) != after.get(project):
                problems.append(Problem("", FOREIGN_TABLE.format(project=project)))
    return problems


def not_its_file(what: str, unit: str) -> Problem:
    return Problem("", NOT_ITS_FILE.format(unit=unit, what=what))
