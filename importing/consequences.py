"""What an import does to a budget beyond its printed cells, in words a department's accountant reads before
confirming: the ledger lines it changes, the projects it creates or empties, what each unit gains or loses, the
lines it has to add, and the audit findings that appear or go."""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from domain.audit.model import Violation
from domain.changes import FigureChange, FigureKey, figure_changes
from domain.ledger import Line

ZERO = Decimal("0.00")


def figure_key(line: Line) -> FigureKey:
    return (
        line.unit,
        line.function,
        line.economic,
        str(line.kind),
        str(line.source),
        line.carried_over,
        line.project,
    )


def figures(lines: Iterable[Line]) -> dict[FigureKey, Decimal]:
    """The lines as the ledger stores them: one amount per place (equal places added)."""
    amounts: dict[FigureKey, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        amounts[figure_key(line)] += line.amount
    return {key: amount for key, amount in amounts.items() if amount}


def ledger_changes(before: Iterable[Line], after: Iterable[Line]) -> list[FigureChange]:
    return figure_changes(figures(before), figures(after))


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f} 元"


def _totals(lines: Iterable[Line], key: str) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        name = getattr(line, key)
        if name:
            totals[name] += line.amount
    return totals


def structure_changes(
    before: Sequence[Line],
    after: Sequence[Line],
    stored_projects: Mapping[str, str],
    added: Sequence[Line],
) -> list[str]:
    """The changes of structure, in words: projects created or emptied, each unit's total, lines the stored budget
    had no place for. ``stored_projects`` maps the stored projects' names to their units."""
    words = []
    projects_before, projects_after = _totals(before, "project"), _totals(after, "project")
    for name, amount in sorted(projects_after.items()):
        if name not in stored_projects:
            unit = next(line.unit for line in after if line.project == name)
            words.append(f"新建项目“{name}”（单位：{unit}），预算 {_yuan(amount)}")
    for name, amount in sorted(projects_before.items()):
        if name not in projects_after:
            words.append(f"项目“{name}”的预算数字全部去掉（原 {_yuan(amount)}；项目及其绩效目标表保留）")
    units_before, units_after = _totals(before, "unit"), _totals(after, "unit")
    for unit in dict.fromkeys([*units_before, *units_after]):
        old, new = units_before.get(unit, ZERO), units_after.get(unit, ZERO)
        if old != new:
            words.append(f"单位“{unit}”的预算由 {_yuan(old)} 变为 {_yuan(new)}")
    new_places = [line for line in added if line.project in stored_projects or not line.project]
    if new_places:
        listed = "；".join(
            f"{line.unit}｜{line.function}｜{line.economic}｜{line.kind.label}｜{line.source.label}"
            + (f"｜项目：{line.project}" if line.project else "")
            for line in new_places[:20]
        )
        more = f" 等 {len(new_places)} 条" if len(new_places) > 20 else ""
        words.append(f"已存预算没有这些科目组合，将新增明细：{listed}{more}")
    return words


def audit_changes(before: Sequence[Violation], after: Sequence[Violation]) -> tuple[list[Violation], list[Violation]]:
    """(the findings the budget will have that it has not now, those it has now and will not), by rule and place: a
    finding whose figures change stays what it was."""
    old = {violation.key for violation in before}
    new = {violation.key for violation in after}
    return (
        [violation for violation in after if violation.key not in old],
        [violation for violation in before if violation.key not in new],
    )
