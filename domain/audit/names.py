"""The names a workbook prints next to its codes, against the year's catalogue."""

import unicodedata
from collections.abc import Iterator

from domain.audit.model import Figures, Severity, rule

# Tables whose codes are economic (部门经济分类); the other coded tables print functional codes.
ECONOMIC_TABLES = frozenset({"basic-economic"})


def _plain(name: str) -> str:
    """A name as compared: full-width forms folded (NFKC), spaces dropped (`行政 运行` is 行政运行)."""
    return "".join(unicodedata.normalize("NFKC", name).split())


@rule("N01", Severity.WARNING, "科目名称：与本年度科目表一致（旧名称也指出）")
def names_as_catalogued(figures: Figures) -> Iterator[tuple[str, str]]:
    names = figures.names
    if names is None:
        return
    year = f"{figures.year}年度" if figures.year else "本年度"
    for key, table in figures.tables.items():
        economic = key in ECONOMIC_TABLES
        catalogued, former = (
            (names.economic, names.former_economic) if economic else (names.function, names.former_function)
        )
        for row in table.rows:
            name = catalogued.get(row.key)
            printed = row.label
            if name is None or not printed or _plain(printed) == _plain(name):
                continue
            place = row.label_place or f"{table.title}｜{row.key}"
            if _plain(printed) in {_plain(old) for old in former.get(row.key, ())}:
                yield place, f"科目 {row.key} 印为“{printed}”，是该科目的旧名称；{year}科目表为“{name}”"
            else:
                yield place, f"科目 {row.key} 印为“{printed}”，{year}科目表中为“{name}”"
