"""Changing a budget's stored lines as little as a changed workbook requires.

An official workbook prints sums of the ledger's lines. A few of its cells are independent sums, each over the lines
of one kind of place (the ``Cell``s below: per functional 项 the spending of a kind, the income of a source, per fund
the basic and project appropriations, per economic 款 the general-budget basic spending, per fund the carried-over
appropriations, the 三公 items); every other amount is a sum of these. ``Shape`` says which cells a workbook prints
and which of them one line adds to.

Given the stored lines and how much each printed cell changes, ``adjust`` changes as few lines as it can, inside the
stored structure: first a stored line whose cells are exactly among those that change (one line for one edited
figure and its totals), then money moved from one stored line to another (a figure moved between economic codes or
kinds), and only where no stored line can take the change, a new line beside the most similar stored one (same
unit and project where the function and kind are shared). It returns None when the change cannot be met this way;
the caller then rebuilds the lines from the file and says so.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from copy import copy
from dataclasses import dataclass, field, replace
from decimal import Decimal

from domain.classifications import FISCAL_SOURCES, Kind, Source
from domain.ledger import Line
from domain.tables import (
    ALL_OTHER,
    INCOME_BY_SOURCE_COLUMNS,
    INCOME_SOURCE_COLUMNS,
    three_public_item,
)

ZERO = Decimal("0.00")
REST = "rest"  # a table's amount in none of the part columns it prints (its 合计 less those columns)
DEFAULT_ECONOMIC = "30299"  # 其他商品和服务支出: for new lines no printed cell places economically
THREE_PUBLIC_ECONOMIC: Mapping[str, str] = {
    "abroad": "30212",
    "vehicle_purchase": "31013",
    "vehicle_running": "30231",
    "reception": "30217",
}
# Work bounds: a file that changes more than this is rebuilt, not adjusted line by line.
MAX_CHANGED_CELLS = 3000
MAX_STEPS = 6000
LOOKAHEAD_CELLS = 40  # up to this many changed cells, each choice of line is tried to the end (a few edits)
LOOKAHEAD_OPTIONS = 8
CHAIN_LENGTH = 3
CHAIN_BRANCHES = 40
CHAINS_COMPARED = 200

Cell = tuple[str, ...]  # ("spend", 项, kind) · ("income", 项, column) · ("fund", source, 项, kind) · ("econ", 款) ·
# ("carried", source) · ("three", item, source or "")


@dataclass(frozen=True)
class Parts:
    """The part columns a table prints; an amount of any other part is in REST."""

    printed: frozenset[str]

    def column(self, part: str) -> str:
        return part if part in self.printed else REST


@dataclass(frozen=True)
class Shape:
    """Which independent cells a workbook prints; a table it lacks adds none."""

    spending: Parts | None = None  # 支出总表: the kinds
    income: Parts | None = None  # 收入总表: the income components (or, by source whatever the year, the all_* ones)
    income_by_source: bool = False
    funds: Mapping[Source, Parts] = field(default_factory=dict)  # 财政拨款支出表 of each fund: basic / project
    economic: bool = False  # 一般公共预算基本支出表
    carried: frozenset[Source] = frozenset()  # 财政拨款收支总表's 年初结转 rows
    three_public: str = ""  # "by-fund" (one column per fund), "together" (one row), "" (no 三公 table)

    def income_column(self, line: Line) -> str:
        if self.income_by_source:
            return INCOME_BY_SOURCE_COLUMNS.get(line.source, ALL_OTHER)
        return "carried" if line.carried_over else INCOME_SOURCE_COLUMNS[line.source]

    def cells(self, line: Line) -> tuple[Cell, ...]:
        """The cells one line's amount is in."""
        cells: list[Cell] = []
        if self.spending is not None:
            cells.append(("spend", line.function, self.spending.column(line.kind.value)))
        if self.income is not None:
            cells.append(("income", line.function, self.income.column(self.income_column(line))))
        parts = self.funds.get(line.source)
        if parts is not None:
            cells.append(("fund", line.source.value, line.function, parts.column(line.kind.value)))
        if self.economic and line.source == Source.GENERAL and line.kind == Kind.BASIC:
            cells.append(("econ", line.economic))
        if line.carried_over and line.source in self.carried:
            cells.append(("carried", line.source.value))
        item = three_public_item(line)
        if item is not None and self.three_public and line.source in FISCAL_SOURCES:
            cells.append(("three", item, line.source.value if self.three_public == "by-fund" else ""))
        return tuple(cells)

    def sums(self, lines: Iterable[Line]) -> dict[Cell, Decimal]:
        totals: dict[Cell, Decimal] = defaultdict(lambda: ZERO)
        for line in lines:
            for cell in self.cells(line):
                totals[cell] += line.amount
        return {cell: amount for cell, amount in totals.items() if amount}


# What a cell says about a line that is in it: the line's fields it fixes (for lines the change has to add).
_INCOME_SOURCES: Mapping[str, Source] = {
    "special": Source.SPECIAL,
    "business": Source.BUSINESS,
    "operating": Source.OPERATING,
    "superior": Source.SUPERIOR,
    "affiliate": Source.AFFILIATE,
    "other": Source.OTHER,
    "all_business": Source.BUSINESS,
    "all_operating": Source.OPERATING,
    "all_other": Source.OTHER,
}
_ORDER = {"spend": 0, "income": 1, "fund": 2, "carried": 3, "econ": 4, "three": 5}


def _fixed_by(cell: Cell, line: Line, rest_kind: Kind) -> Line:
    family = cell[0]
    if family == "spend":
        kind = Kind(cell[2]) if cell[2] != REST else rest_kind
        return replace(line, function=cell[1], kind=kind)
    if family == "income":
        column = cell[2]
        if column == "carried":
            return replace(line, function=cell[1], carried_over=True)
        if column in ("fiscal", "all_fiscal"):
            source = line.source if line.source in FISCAL_SOURCES else Source.GENERAL
            return replace(line, function=cell[1], source=source, carried_over=line.carried_over and column != "fiscal")
        source = _INCOME_SOURCES.get(column, line.source)
        return replace(line, function=cell[1], source=source, carried_over=False)
    if family == "fund":
        kind = Kind(cell[3]) if cell[3] != REST else line.kind
        return replace(line, source=Source(cell[1]), function=cell[2], kind=kind)
    if family == "carried":
        return replace(line, source=Source(cell[1]), carried_over=True)
    if family == "econ":
        return replace(line, economic=cell[1], source=Source.GENERAL, kind=Kind.BASIC)
    if family == "three":
        source = Source(cell[2]) if cell[2] else line.source
        return replace(line, economic=THREE_PUBLIC_ECONOMIC[cell[1]], source=source)
    return line


@dataclass
class Adjustment:
    """The lines after the change: the stored ones (some with new amounts, those at zero gone) and the new ones."""

    lines: list[Line]
    added: list[Line]  # the new lines among them, as added


class _Solver:
    def __init__(
        self,
        lines: Sequence[Line],
        deltas: Mapping[Cell, Decimal],
        shape: Shape,
        project_for: Callable[[Line], str],
    ):
        self.shape = shape
        self.lines = list(lines)
        self.amounts = [line.amount for line in lines]
        self.cells = [shape.cells(line) for line in lines]
        self.index: dict[Cell, list[int]] = defaultdict(list)  # the stored lines by cell; never changed after
        for position, cells in enumerate(self.cells):
            for cell in cells:
                self.index[cell].append(position)
        self.added: dict[Cell, list[int]] = defaultdict(list)  # the new lines by cell
        self.lookahead = True
        self.left = {cell: amount for cell, amount in deltas.items() if amount}
        self.new_from = len(lines)
        self.project_for = project_for
        printed_kinds = shape.spending.printed if shape.spending is not None else frozenset()
        self.rest_kind = next((kind for kind in Kind if kind.value not in printed_kinds), Kind.OPERATING)

    # --- moves ---------------------------------------------------------------------------------------------------

    def _room(self, cells: Iterable[Cell], sign: int) -> Decimal:
        """How far the change can go in ``sign``'s direction on these cells (0: some cell does not change so)."""
        room: Decimal | None = None
        for cell in cells:
            left = self.left.get(cell, ZERO)
            if left * sign <= 0:
                return ZERO
            room = abs(left) if room is None else min(room, abs(left))
        return room or ZERO

    def _apply(self, position: int, amount: Decimal) -> None:
        self.amounts[position] += amount
        for cell in self.cells[position]:
            left = self.left.get(cell, ZERO) - amount
            if left:
                self.left[cell] = left
            else:
                del self.left[cell]

    def _add(self, line: Line) -> int:
        self.lines.append(line)
        self.amounts.append(ZERO)
        cells = self.shape.cells(line)
        self.cells.append(cells)
        for cell in cells:
            self.added[cell].append(len(self.lines) - 1)
        return len(self.lines) - 1

    def _candidates(self, sign: int) -> set[int]:
        return {
            position
            for cell, left in self.left.items()
            if left * sign > 0
            for position in (*self.index.get(cell, ()), *self.added.get(cell, ()))
        }

    def _clone(self) -> "_Solver":
        other = copy(self)
        other.lines, other.amounts, other.cells = list(self.lines), list(self.amounts), list(self.cells)
        other.added = defaultdict(list, {cell: list(found) for cell, found in self.added.items()})
        other.left = dict(self.left)
        other.lookahead = False
        return other

    def changed(self) -> int:
        """How many lines the change so far touches."""
        stored = self.lines[: self.new_from]
        touched = sum(amount != line.amount for line, amount in zip(stored, self.amounts, strict=False))
        return touched + sum(amount > 0 for amount in self.amounts[self.new_from :])

    def one_line(self) -> bool:
        """A line whose cells all change the same way takes as much of the change as they all allow."""
        options: list[tuple[tuple[int, Decimal, Decimal, int], int, Decimal]] = []
        for sign in (1, -1):
            for position in self._candidates(sign):
                room = self._room(self.cells[position], sign)
                if sign < 0:
                    room = min(room, self.amounts[position])
                if room > 0:
                    # The line that explains the most changed cells, then the largest change, on the largest line.
                    score = (len(self.cells[position]), room, self.amounts[position], -position)
                    options.append((score, position, room * sign))
        if not options:
            return False
        options.sort(reverse=True)
        if self.lookahead and len(options) > 1 and len(self.left) <= LOOKAHEAD_CELLS:
            # Which line takes the change decides which others must follow: the choice that ends with the fewest
            # changed lines wins.
            def outcome(option: tuple[tuple[int, Decimal, Decimal, int], int, Decimal]) -> int:
                trial = self._clone()
                trial._apply(option[1], option[2])
                return trial.changed() if trial.solve() is not None else MAX_STEPS

            options[:LOOKAHEAD_OPTIONS] = sorted(options[:LOOKAHEAD_OPTIONS], key=outcome)
        _, position, change = options[0]
        self._apply(position, change)
        return True

    def _net(self, source: Sequence[Cell], target: Sequence[Cell]) -> tuple[list[Cell], list[Cell]]:
        """What moving money from a line in ``source`` cells to one in ``target`` cells takes and gives."""
        taken = [cell for cell in source if cell not in target]
        given = [cell for cell in target if cell not in source]
        return taken, given

    def _move_room(self, position: int, target: Sequence[Cell]) -> Decimal:
        taken, given = self._net(self.cells[position], target)
        if not taken and not given:
            return ZERO
        room = min(
            (
                r
                for r in (self._room(taken, -1) if taken else None, self._room(given, 1) if given else None)
                if r is not None
            ),
            default=ZERO,
        )
        return min(room, self.amounts[position])

    def _touched(self, position: int) -> bool:
        return position >= self.new_from or self.amounts[position] != self.lines[position].amount

    def _siblings(self, position: int) -> set[int]:
        """The lines sharing a cell with this one: where money can move to when only the others change."""
        return {
            other
            for cell in self.cells[position]
            for other in (*self.index.get(cell, ()), *self.added.get(cell, ()))
            if other != position
        }

    def move(self) -> bool:
        """Money moved from one line to another, stored or new beside it, where only the cells they differ in change."""
        best: tuple[tuple[bool, int, bool, bool, Decimal], int, int | Line] | None = None
        givers = [p for p in self._candidates(-1) if self.amounts[p] > 0]
        takers = self._candidates(1)
        rising = sorted((c for c, left in self.left.items() if left > 0), key=lambda c: _ORDER[c[0]])
        for giver in givers:
            line = self.lines[giver]
            options: list[int | Line] = list(takers | self._siblings(giver))
            draft = line
            for cell in rising:
                draft = _fixed_by(cell, draft, self.rest_kind)
            if draft != line:
                options.append(draft)
            for option in options:
                if isinstance(option, int):
                    if option == giver:
                        continue
                    target, other = self.cells[option], self.lines[option]
                else:
                    target, other = self.shape.cells(option), option
                room = self._move_room(giver, target)
                if room <= 0:
                    continue
                # Stored lines before new ones, lines already changed before untouched ones, then the same project
                # and unit, then the largest move.
                fresh = (not self._touched(giver)) + (not isinstance(option, int) or not self._touched(option))
                score = (isinstance(option, int), -fresh, other.project == line.project, other.unit == line.unit, room)
                if best is None or score > best[0]:
                    best = (score, giver, option)
        if best is None:
            return False
        _, giver, option = best
        target_cells = self.cells[option] if isinstance(option, int) else self.shape.cells(option)
        room = self._move_room(giver, target_cells)
        taker = option if isinstance(option, int) else self._add(self._placed(option))
        self._apply(giver, -room)
        self._apply(taker, room)
        return True

    def chain(self) -> bool:
        """Money along three stored lines at once (one up, its neighbours down, or the reverse), where the cells in
        between cancel: a change that no single line or pair of lines can take (two edits in one 项, one of them in
        a second 项's economic code). Of the chains found, the one touching the fewest unchanged lines."""
        best: tuple[tuple[int, Decimal], list[tuple[int, int]], Decimal] | None = None
        found = 0
        for start, left in sorted(self.left.items(), key=lambda item: -abs(item[1])):
            sign = 1 if left > 0 else -1
            for first in self._at(start)[:CHAIN_BRANCHES]:
                for path, room in self._extend([(first, sign)], self._signed(first, sign, {})):
                    fresh = sum(not self._touched(position) for position, _ in path)
                    score = (-fresh, room)
                    if best is None or score > best[0]:
                        best = (score, path, room)
                    found += 1
                    if found >= CHAINS_COMPARED:
                        break
        if best is None:
            return False
        _, path, room = best
        for position, direction in path:
            self._apply(position, room * direction)
        return True

    def _at(self, cell: Cell) -> list[int]:
        return [*self.index.get(cell, ()), *self.added.get(cell, ())]

    def _signed(self, position: int, sign: int, net: Mapping[Cell, int]) -> dict[Cell, int]:
        moved = dict(net)
        for cell in self.cells[position]:
            moved[cell] = moved.get(cell, 0) + sign
            if not moved[cell]:
                del moved[cell]
        return moved

    def _extend(
        self, path: list[tuple[int, int]], net: dict[Cell, int]
    ) -> Iterator[tuple[list[tuple[int, int]], Decimal]]:
        wrong = [cell for cell, count in net.items() if abs(count) > 1 or self.left.get(cell, ZERO) * count <= 0]
        if not wrong:
            room = min(abs(self.left[cell]) for cell in net) if net else ZERO
            for position, direction in path:
                if direction < 0:
                    room = min(room, self.amounts[position])
            if room > 0:
                yield path, room
            return
        if len(path) == CHAIN_LENGTH or abs(net[wrong[0]]) > 1:
            return
        cell = wrong[0]
        direction = -net[cell]
        used = {position for position, _ in path}
        for position in self._at(cell)[:CHAIN_BRANCHES]:
            if position in used or (direction < 0 and self.amounts[position] <= 0):
                continue
            yield from self._extend([*path, (position, direction)], self._signed(position, direction, net))

    def new_line(self) -> bool:
        """A line the stored budget lacks, made of what the rising cells fix, beside the most similar stored line."""
        rising = sorted((cell for cell, left in self.left.items() if left > 0), key=lambda cell: _ORDER[cell[0]])
        if not rising:
            return False
        draft = Line(
            rising[0][1] if rising[0][0] in ("spend", "income") else "",
            DEFAULT_ECONOMIC,
            Kind.BASIC,
            Source.GENERAL,
            ZERO,
        )
        for cell in rising:
            draft = _fixed_by(cell, draft, self.rest_kind)
        if not draft.function:
            return False
        draft = self._placed(self._coded(draft))
        room = self._room(self.shape.cells(draft), 1)
        if room <= 0:
            return False
        self._apply(self._add(draft), room)
        return True

    def _coded(self, draft: Line) -> Line:
        """An economic code for a new line no printed cell places: the one its like-kind lines use most."""
        if any(cell[0] in ("econ", "three") for cell in self.shape.cells(draft)):
            return draft
        codes = Counter(
            line.economic
            for line in self.lines[: self.new_from]
            if line.kind == draft.kind and three_public_item(line) is None
        )
        for code, _ in codes.most_common():
            return replace(draft, economic=code)
        return draft

    def _placed(self, draft: Line) -> Line:
        """The unit and project of a new line: those of the largest stored line of the same 项 and kind (of the same 项,
        of any), else the department's first unit and, for 项目支出, a project named for the 项."""
        stored = list(zip(self.lines[: self.new_from], self.amounts[: self.new_from], strict=True))

        def largest(match: Callable[[Line], bool]) -> Line | None:
            found = [(amount, -i, line) for i, (line, amount) in enumerate(stored) if match(line)]
            return max(found, key=lambda item: (item[0], item[1]))[2] if found else None

        near = (
            largest(lambda line: line.function == draft.function and line.kind == draft.kind)
            or largest(lambda line: line.function == draft.function)
            or largest(lambda line: True)
        )
        unit = near.unit if near is not None else ""
        if draft.kind != Kind.PROJECT:
            return replace(draft, unit=unit, project="")
        if near is not None and near.kind == Kind.PROJECT and near.function == draft.function:
            return replace(draft, unit=near.unit, project=near.project)
        placed = replace(draft, unit=unit)
        return replace(placed, project=self.project_for(placed))

    def solve(self) -> Adjustment | None:
        if len(self.left) > MAX_CHANGED_CELLS:
            return None
        for _ in range(MAX_STEPS):
            if not self.left:
                return self._result()
            if not (self.one_line() or self.move() or self.chain() or self.new_line()):
                return None
        return None

    def _result(self) -> Adjustment:
        kept: dict[tuple[object, ...], Decimal] = {}
        order: dict[tuple[object, ...], Line] = {}
        for line, amount in zip(self.lines, self.amounts, strict=True):
            key = (line.unit, line.function, line.economic, line.kind, line.source, line.carried_over, line.project)
            order.setdefault(key, line)
            kept[key] = kept.get(key, ZERO) + amount
        lines = [replace(order[key], amount=amount) for key, amount in kept.items() if amount > 0]
        stored_keys = {
            (line.unit, line.function, line.economic, line.kind, line.source, line.carried_over, line.project)
            for line in self.lines[: self.new_from]
        }
        added = [
            line
            for line in lines
            if (line.unit, line.function, line.economic, line.kind, line.source, line.carried_over, line.project)
            not in stored_keys
        ]
        return Adjustment(lines, added)


def adjust(
    lines: Sequence[Line],
    deltas: Mapping[Cell, Decimal],
    shape: Shape,
    project_for: Callable[[Line], str],
) -> Adjustment | None:
    """The stored ``lines`` changed by ``deltas`` (cell → yuan) with as few changed lines as this search finds; None
    when it finds no way. ``project_for`` names the project of a new 项目支出 line no stored project of its 项 takes."""
    return _Solver(lines, deltas, shape, project_for).solve()
