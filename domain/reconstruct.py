"""Recovering the stored lines of a budget from the marginals an official workbook prints.

The workbook prints sums only: functional code × kind (table 3), × source (table 2), × fund type and
kind (tables 5, 7, 8), and general-budget basic expenditure × economic code (table 6). Any set of lines
with these marginals prints the same tables, so the importer picks one by a fixed rule:

1. 尾差: a printed 万元 figure P stands for any exact amount in [P − 50, P + 50) yuan. Top-down in each
   hierarchical table, children are moved within that range until they add up to their parent, so a
   parent such as 302 = 121.78 over 款 printed as 121.77 survives the trip exactly.
2. Per functional 项: appropriated money (tables 5/7/8) is split into this year's and carried-over money
   (table 2 上年结转, table 4 年初结转 by fund type), carried-over first to projects; the rest of each kind is
   non-appropriated money, matched to the remaining sources (经营收入 to 经营支出 first, then in order).
3. Economic codes: general-budget basic lines take table 6's 款, matched to functional codes by the known
   pairs (30108 → 2080505, 30110 → 21011, 30113 → 2210201, 303 → 20805 …) and then in code order. Other
   appropriated lines take the 三公 codes that table 9 still needs; everything else is 30299.
4. Project lines go to one project per functional 项.

Whatever cannot be met is left for the caller's cell-by-cell comparison to report.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from domain.classifications import (
    ECONOMIC_RECEPTION,
    ECONOMIC_TRAVEL_ABROAD,
    ECONOMIC_VEHICLE_RUNNING,
    FISCAL_SOURCES,
    Kind,
    Source,
)
from domain.money import CENT

ZERO = Decimal("0.00")
DEFAULT_ECONOMIC = "30299"  # 其他商品和服务支出: the workbook does not say
VEHICLE_PURCHASE = "31013"
THREE_PUBLIC_CODES: Mapping[str, str] = {
    "abroad": ECONOMIC_TRAVEL_ABROAD,
    "vehicle_purchase": VEHICLE_PURCHASE,
    "vehicle_running": ECONOMIC_VEHICLE_RUNNING,
    "reception": ECONOMIC_RECEPTION,
}
# Economic 款 prefix → functional code prefix they are normally paid under.
ECONOMIC_FUNCTION_PAIRS: Sequence[tuple[str, str]] = (
    ("30108", "2080505"),
    ("30109", "2080506"),
    ("30110", "21011"),
    ("30111", "21011"),
    ("30113", "2210201"),
    ("303", "20805"),
    ("303", "20808"),
)
NON_FISCAL_ORDER: Sequence[tuple[str, Source]] = (
    ("special", Source.SPECIAL),
    ("business", Source.BUSINESS),
    ("operating", Source.OPERATING),
    ("superior", Source.SUPERIOR),
    ("affiliate", Source.AFFILIATE),
    ("other", Source.OTHER),
)
KIND_ORDER: Sequence[Kind] = (Kind.BASIC, Kind.PROJECT, Kind.OPERATING, Kind.REMIT, Kind.SUBSIDY)


@dataclass
class Marginals:
    kinds: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # table 3: 项 → kind → yuan
    sources: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # table 2: 项 → column → yuan
    funds: dict[Source, dict[str, dict[str, Decimal]]] = field(default_factory=dict)  # 5/7/8: fund → 项 → kind
    economic: dict[str, Decimal] = field(default_factory=dict)  # table 6: 款 → yuan
    carried_fiscal: dict[Source, Decimal] = field(default_factory=dict)  # table 4 rows 33–35
    three_public: dict[str, dict[Source, Decimal]] = field(default_factory=dict)  # table 9: item → fund → yuan
    # How far table 9's figures may be from the exact amounts (50 yuan when it prints 万元 beside tables in 元)
    three_public_tolerance: Decimal = ZERO


@dataclass(frozen=True)
class DraftLine:
    function: str
    economic: str
    kind: Kind
    source: Source
    amount: Decimal
    carried_over: bool = False


def fit_to_parents(printed: Mapping[str, Decimal], widths: Sequence[int], tolerance: Decimal) -> dict[str, Decimal]:
    """Exact amounts, each within [printed − tolerance, printed + tolerance), children adding up to parents.

    ``printed`` maps codes to amounts, "" being the 合计 row; the result keeps the same codes.
    """
    exact = dict(printed)
    parent_widths = (0, *widths[:-1])
    for depth, width in enumerate(parent_widths):
        child_width = widths[depth]
        for parent in sorted(code for code in printed if len(code) == width):
            children = sorted(
                (code for code in printed if len(code) == child_width and code.startswith(parent)),
                key=lambda code: (-printed[code], code),
            )
            diff = exact[parent] - sum((exact[code] for code in children), ZERO)
            for child in children:
                if diff == 0 or tolerance == 0:
                    break
                if diff > 0:
                    step = min(diff, printed[child] + tolerance - CENT - exact[child])
                else:
                    step = max(diff, printed[child] - tolerance - exact[child])
                exact[child] += step
                diff -= step
    return exact


def fit_parts_to_total(
    parts: Mapping[str, Decimal],
    total: Decimal,
    tolerance: Decimal,
    printed: Mapping[str, Decimal] | None = None,
) -> dict[str, Decimal]:
    """Move the parts, each staying within tolerance of its printed value, until they add up to ``total``."""
    printed = parts if printed is None else printed
    exact = dict(parts)
    diff = total - sum(exact.values(), ZERO)
    for key in sorted(exact, key=lambda key: (-printed.get(key, ZERO), key)):
        if diff == 0 or tolerance == 0:
            break
        base = printed.get(key, ZERO)
        step = min(diff, base + tolerance - CENT - exact[key]) if diff > 0 else max(diff, base - tolerance - exact[key])
        exact[key] += step
        diff -= step
    return exact


def allocate(
    rows: Mapping[str, Decimal], cols: Mapping[str, Decimal], preferred: Callable[[str, str], bool]
) -> list[tuple[str, str, Decimal]]:
    """Split row totals over column totals: preferred pairs first, then in code order (northwest corner)."""
    row_left = {key: value for key, value in rows.items() if value > 0}
    col_left = {key: value for key, value in cols.items() if value > 0}
    result: list[tuple[str, str, Decimal]] = []
    for only_preferred in (True, False):
        for row in sorted(row_left):
            for col in sorted(col_left):
                if only_preferred and not preferred(row, col):
                    continue
                take = min(row_left[row], col_left[col])
                if take > 0:
                    result.append((row, col, take))
                    row_left[row] -= take
                    col_left[col] -= take
    return result


def _is_pair(economic: str, function: str) -> bool:
    return any(economic.startswith(e) and function.startswith(f) for e, f in ECONOMIC_FUNCTION_PAIRS)


@dataclass
class _Piece:
    function: str
    kind: Kind
    source: Source
    amount: Decimal
    carried_over: bool


def max_flow_split(
    supply: Mapping[str, Decimal], demand: Mapping[str, Decimal], capacity: Mapping[tuple[str, str], Decimal]
) -> dict[tuple[str, str], Decimal]:
    """Send each row's supply to the columns' demand within the cell capacities (Edmonds–Karp).

    Greedy filling can strand money that a different choice would place; a maximum flow places all of it
    whenever any split can.
    """
    source, sink = "<source>", "<sink>"
    residual: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for row, amount in supply.items():
        residual[source][f"r:{row}"] += amount
    for col, amount in demand.items():
        residual[f"c:{col}"][sink] += amount
    for (row, col), amount in capacity.items():
        residual[f"r:{row}"][f"c:{col}"] += amount
    while True:
        parents: dict[str, str] = {source: source}
        queue = [source]
        while queue and sink not in parents:
            node = queue.pop(0)
            for nxt, room in list(residual[node].items()):
                if room > 0 and nxt not in parents:
                    parents[nxt] = node
                    queue.append(nxt)
        if sink not in parents:
            break
        path, node = [], sink
        while node != source:
            path.append((parents[node], node))
            node = parents[node]
        push = min(residual[a][b] for a, b in path)
        for a, b in path:
            residual[a][b] -= push
            residual[b][a] += push
    return {
        (row, col): residual[f"c:{col}"][f"r:{row}"] for (row, col) in capacity if residual[f"c:{col}"][f"r:{row}"] > 0
    }


def _fiscal_of(function: str, m: Marginals) -> dict[Source, Mapping[str, Decimal]]:
    return {src: m.funds.get(src, {}).get(function, {}) for src in FISCAL_SOURCES}


def split_carried_fiscal(functions: Sequence[str], m: Marginals) -> dict[tuple[str, str], Decimal]:
    """(functional code, fund) → appropriated money carried over from earlier years.

    Per code, table 2 says how much appropriated spending is not this year's money; table 4 says how much
    carried-over money each fund type has; tables 5/7/8 bound each cell.
    """
    supply, capacity = {}, {}
    for function in functions:
        fiscal = _fiscal_of(function, m)
        total = sum((sum(by_kind.values(), ZERO) for by_kind in fiscal.values()), ZERO)
        supply[function] = max(total - m.sources.get(function, {}).get("fiscal", ZERO), ZERO)
        for src, by_kind in fiscal.items():
            capacity[(function, src.value)] = sum(by_kind.values(), ZERO)
    demand = {src.value: m.carried_fiscal.get(src, ZERO) for src in FISCAL_SOURCES}
    return max_flow_split(supply, demand, capacity)


def _pieces_for(function: str, m: Marginals, carried_fiscal: Mapping[tuple[str, str], Decimal]) -> list[_Piece]:
    kinds = m.kinds.get(function, {})
    sources = m.sources.get(function, {})
    fiscal = _fiscal_of(function, m)
    pieces: list[_Piece] = []

    fiscal_total = sum((sum(by_kind.values(), ZERO) for by_kind in fiscal.values()), ZERO)
    for src in FISCAL_SOURCES:
        by_kind = fiscal[src]
        carried = carried_fiscal.get((function, src.value), ZERO)
        for kind in (Kind.PROJECT, Kind.BASIC):  # carried-over money goes to projects first
            amount = by_kind.get(kind.value, ZERO)
            from_carried = min(carried, amount)
            carried -= from_carried
            if from_carried:
                pieces.append(_Piece(function, kind, src, from_carried, True))
            if amount - from_carried:
                pieces.append(_Piece(function, kind, src, amount - from_carried, False))

    need = {
        kind: max(
            kinds.get(kind.value, ZERO) - sum((fiscal[src].get(kind.value, ZERO) for src in FISCAL_SOURCES), ZERO), ZERO
        )
        for kind in KIND_ORDER
    }
    non_fiscal_carried = max(sources.get("carried", ZERO) - (fiscal_total - sources.get("fiscal", ZERO)), ZERO)
    supply = [(src, sources.get(column, ZERO), False) for column, src in NON_FISCAL_ORDER]
    supply.append((Source.OTHER, non_fiscal_carried, True))
    # 事业单位经营收入 pays 经营支出 before anything else.
    supply.sort(key=lambda item: item[0] != Source.OPERATING)
    for src, amount, carried_over in supply:
        kinds_order = sorted(KIND_ORDER, key=lambda kind: not (src == Source.OPERATING and kind == Kind.OPERATING))
        for kind in kinds_order:
            take = min(amount, need[kind])
            if take > 0:
                pieces.append(_Piece(function, kind, src, take, carried_over))
                need[kind] -= take
                amount -= take
    return pieces


def reconstruct(m: Marginals) -> list[DraftLine]:
    functions = sorted(set(m.kinds) | set(m.sources) | {f for by_f in m.funds.values() for f in by_f})
    carried_fiscal = split_carried_fiscal(functions, m)
    pieces = [piece for function in functions for piece in _pieces_for(function, m, carried_fiscal)]
    lines: list[DraftLine] = []

    # General-budget basic expenditure: table 6's economic codes over the functional codes.
    general_basic = [piece for piece in pieces if piece.source == Source.GENERAL and piece.kind == Kind.BASIC]
    per_function: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for piece in general_basic:
        per_function[piece.function] += piece.amount
    cross = allocate(m.economic, per_function, _is_pair)
    queues: dict[str, list[_Piece]] = defaultdict(list)
    for piece in sorted(general_basic, key=lambda piece: piece.carried_over):  # this year's money first
        queues[piece.function].append(_Piece(**vars(piece)))
    for economic, function, amount in cross:
        for piece in queues[function]:
            take = min(amount, piece.amount)
            if take > 0:
                lines.append(DraftLine(function, economic, Kind.BASIC, Source.GENERAL, take, piece.carried_over))
                piece.amount -= take
                amount -= take
    for queue in queues.values():  # table 6 did not cover these: keep the money, coded as the default
        lines += [
            DraftLine(p.function, DEFAULT_ECONOMIC, p.kind, p.source, p.amount, p.carried_over)
            for p in queue
            if p.amount > 0
        ]

    # Other appropriated money carries the 三公 codes table 9 still needs beyond table 6.
    needed: dict[tuple[str, Source], Decimal] = {}
    for item, by_fund in m.three_public.items():
        for src, amount in by_fund.items():
            already = m.economic.get(THREE_PUBLIC_CODES[item], ZERO) if src == Source.GENERAL else ZERO
            if item == "vehicle_purchase" and src == Source.GENERAL:
                already += m.economic.get("30913", ZERO)
            # Within table 9's rounding of what table 6 already holds, nothing more is needed.
            needed[(item, src)] = max(amount - already, ZERO) if amount - already >= m.three_public_tolerance else ZERO
    for piece in pieces:
        if piece.source == Source.GENERAL and piece.kind == Kind.BASIC:
            continue
        amount = piece.amount
        if piece.source in FISCAL_SOURCES:
            for item, code in THREE_PUBLIC_CODES.items():
                take = min(amount, needed.get((item, piece.source), ZERO))
                if take > 0:
                    lines.append(DraftLine(piece.function, code, piece.kind, piece.source, take, piece.carried_over))
                    needed[(item, piece.source)] -= take
                    amount -= take
        if amount > 0:
            lines.append(
                DraftLine(piece.function, DEFAULT_ECONOMIC, piece.kind, piece.source, amount, piece.carried_over)
            )
    return merge(lines)


def merge(lines: Iterable[DraftLine]) -> list[DraftLine]:
    """One line per cell: amounts of identical cells added."""
    sums: dict[tuple[str, str, Kind, Source, bool], Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        sums[(line.function, line.economic, line.kind, line.source, line.carried_over)] += line.amount
    return [
        DraftLine(function, economic, kind, source, amount, carried_over)
        for (function, economic, kind, source, carried_over), amount in sums.items()
        if amount > 0
    ]
