"""Starting a year from last year's approved budget: last year's codes onto the new year's catalogue.

A code the new catalogue still has keeps it. A code that is gone maps to the new code of the same name, when
exactly one code of the same level bears that name (a 项 renumbered, say). Anything else cannot be mapped: its
figures are dropped (the projects stay), and the report says so, so that the department types them anew.

Levels are told by the code's length (功能分类 类 3 / 款 5 / 项 7 digits; 经济分类 类 3 / 款 5): the same name at
another level (a 款 and one of its 项 are often both "其他…") is never a match.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from domain.classifications import Kind, Source
from domain.ledger import BudgetData, Catalogue, Line

FUNCTION_FIELD = "预算明细｜功能分类科目"
ECONOMIC_FIELD = "预算明细｜经济分类科目"
UNMAPPED = "无法对应"
BY_NAME = "已按名称对应"
NAME_CHANGED = "编码不变，名称已改"
NOT_FOUND = "新年度科目表中没有该编码，也没有同级同名的科目"
AMBIGUOUS = "新年度科目表中没有该编码，同级同名的科目不止一个"

# (owner, function, economic, kind, source, carried over): the owner is ("project", name) or ("unit", name).
CellKey = tuple[tuple[str, str], str, str, Kind, Source, bool]
# (function, economic, kind, source, carried over, project): a cell as the approved snapshot, unit-less, gives it.
UnitlessCellKey = tuple[str, str, Kind, Source, bool, str]


@dataclass(frozen=True)
class CodeMapping:
    """Where one of last year's codes went, and how many figures (and how much) it carried."""

    field: str
    old_code: str
    old_name: str
    new_code: str  # "" when it could not be mapped
    new_name: str
    reason: str
    lines: int = 0
    amount: Decimal = Decimal("0.00")

    @property
    def mapped(self) -> bool:
        return bool(self.new_code)

    def as_json(self) -> dict[str, str | bool | int]:
        return {
            "field": self.field,
            "old": f"{self.old_code} {self.old_name}".strip(),
            "new": f"{self.new_code} {self.new_name}".strip() if self.mapped else UNMAPPED,
            "reason": self.reason,
            "mapped": self.mapped,
            "lines": self.lines,
            "amount": str(self.amount),
        }


def map_code(code: str, old_names: Mapping[str, str], new_names: Mapping[str, str]) -> tuple[str, str]:
    """(the new code or "", the reason; "" when the code is simply kept)."""
    if code in new_names:
        old_name = old_names.get(code)
        return code, NAME_CHANGED if old_name is not None and old_name != new_names[code] else ""
    name = old_names.get(code)
    if name is None:
        return "", NOT_FOUND
    namesakes = [other for other, other_name in new_names.items() if other_name == name and len(other) == len(code)]
    if len(namesakes) == 1:
        return namesakes[0], BY_NAME
    return "", AMBIGUOUS if namesakes else NOT_FOUND


@dataclass(frozen=True)
class UnitLine:
    """A figure with the unit it belongs to (the ledger's Line does not carry one)."""

    unit: str
    line: Line

    @property
    def cell(self) -> CellKey:
        # One figure per cell, as the ledger's unique constraints have it: a project's lines are the project's.
        owner = ("project", self.line.project) if self.line.project else ("unit", self.unit)
        line = self.line
        return owner, line.function, line.economic, line.kind, line.source, line.carried_over


@dataclass(frozen=True)
class Remapped:
    lines: tuple[UnitLine, ...]  # on the new catalogue, one per cell (figures that met in a cell are added)
    dropped: tuple[UnitLine, ...]  # lines a code of which could not be mapped
    mappings: tuple[CodeMapping, ...]  # every code that did not simply stay, in code order
    merged: int = 0  # lines added into another one's cell

    @property
    def dropped_amount(self) -> Decimal:
        return sum((item.line.amount for item in self.dropped), Decimal("0.00"))


def remap_lines(lines: Sequence[UnitLine], old: Catalogue, new: Catalogue) -> Remapped:
    """Last year's lines on the new year's catalogue, with the report of what did not simply stay."""
    fields = (
        (FUNCTION_FIELD, "function", old.function_names, new.function_names),
        (ECONOMIC_FIELD, "economic", old.economic_names, new.economic_names),
    )
    targets: dict[tuple[str, str], tuple[str, str]] = {}
    used: dict[tuple[str, str], list[Decimal]] = {}
    for label, attribute, old_names, new_names in fields:
        for item in lines:
            code = getattr(item.line, attribute)
            key = (label, code)
            if key not in targets:
                targets[key] = map_code(code, old_names, new_names)
            used.setdefault(key, []).append(item.line.amount)

    kept: dict[CellKey, UnitLine] = {}
    dropped: list[UnitLine] = []
    merged = 0
    for item in lines:
        function, _ = targets[(FUNCTION_FIELD, item.line.function)]
        economic, _ = targets[(ECONOMIC_FIELD, item.line.economic)]
        if not function or not economic:
            dropped.append(item)
            continue
        moved = UnitLine(item.unit, replace(item.line, function=function, economic=economic))
        if moved.cell in kept:
            merged += 1
            earlier = kept[moved.cell]
            moved = UnitLine(earlier.unit, replace(earlier.line, amount=earlier.line.amount + moved.line.amount))
        kept[moved.cell] = moved

    names = {FUNCTION_FIELD: (old.function_names, new.function_names)}
    names[ECONOMIC_FIELD] = (old.economic_names, new.economic_names)
    mappings = []
    # 功能分类 before 经济分类, each in code order.
    for (label, code), (target, reason) in sorted(
        targets.items(), key=lambda item: (item[0][0] != FUNCTION_FIELD, item[0])
    ):
        if not reason:
            continue
        old_names, new_names = names[label]
        amounts = used[(label, code)]
        mappings.append(
            CodeMapping(
                label,
                code,
                old_names.get(code, ""),
                target,
                new_names.get(target, "") if target else "",
                reason,
                len(amounts),
                sum(amounts, Decimal("0.00")),
            )
        )
    return Remapped(tuple(kept.values()), tuple(dropped), tuple(mappings), merged)


def assign_units(
    lines: Iterable[Line], known: Sequence[UnitLine], project_units: Mapping[str, str], default_unit: str
) -> tuple[list[UnitLine], int]:
    """Give each line of an approved snapshot (which keeps no units) its unit, and count the guesses.

    A project's lines are its unit's. Any other line takes the unit of a stored line of the same cell, preferring
    one of the same amount (while the budget is still as approved, every line finds its own); a line no stored
    line matches goes to ``default_unit``, a guess."""
    candidates: dict[UnitlessCellKey, list[UnitLine]] = {}
    for item in known:
        candidates.setdefault(_cell_without_unit(item.line), []).append(item)
    result: list[UnitLine] = []
    guessed = 0
    for line in lines:
        if line.project:
            unit = project_units.get(line.project)
            if unit is None:
                unit, guessed = default_unit, guessed + 1
            result.append(UnitLine(unit, line))
            continue
        pool = candidates.get(_cell_without_unit(line), [])
        match = next((item for item in pool if item.line.amount == line.amount), pool[0] if pool else None)
        if match is None:
            result.append(UnitLine(default_unit, line))
            guessed += 1
            continue
        pool.remove(match)
        result.append(UnitLine(match.unit, line))
    return result, guessed


def _cell_without_unit(line: Line) -> UnitlessCellKey:
    return line.function, line.economic, line.kind, line.source, line.carried_over, line.project


def project_names(data: BudgetData) -> list[str]:
    """Every project the budget names, in the order they first appear: its lines, the procurement plan, the
    performance target tables (a project without figures is still a project)."""
    names = [line.project for line in data.lines]
    names += [item.project for item in data.procurement]
    names += [table.project for table in data.performance.targets]
    return list(dict.fromkeys(name for name in names if name))
