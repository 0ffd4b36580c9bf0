"""Names as the entry grid shows and reads them: units told apart in a narrow column, and a classification's name
typed where its code belongs ("办公费" for 30201)."""

from collections import Counter
from collections.abc import Iterable, Mapping

# The characters a place or a party committee's name ends with: a unit's name is cut after the last one it shares
# with its department's ("石家庄市鹿泉区" of 石家庄市鹿泉区文化馆 under 石家庄市鹿泉区文化广电和旅游局).
PLACE_ENDS = frozenset("省市州盟区县旗镇乡委")
OWN_LEVEL = "本级"


def _shared_prefix(first: str, second: str) -> str:
    length = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        length += 1
    return first[:length]


def short_unit_name(department: str, unit: str) -> str:
    """The unit's name without what it shares with its department's: 本级 for the department itself."""
    if unit.startswith(department):
        return unit[len(department) :] or OWN_LEVEL
    shared = _shared_prefix(department, unit)
    cut = max((index + 1 for index, char in enumerate(shared) if char in PLACE_ENDS), default=0)
    return unit[cut:] or unit


def short_unit_names(department: str, units: Iterable[str]) -> dict[str, str]:
    """Each unit's short name, numbered in the order given ("1 本级", "2 文化馆"); a short name two units would
    share is left whole for both."""
    names = list(units)
    shorts = [short_unit_name(department, name) for name in names]
    counts = Counter(shorts)
    return {
        name: f"{number} {short if counts[short] == 1 else name}"
        for number, (name, short) in enumerate(zip(names, shorts, strict=True), start=1)
    }


def codes_by_name(names: Mapping[str, str]) -> dict[str, str]:
    """The code of each name (code → name given) that only one code has: a name shared by several codes (行政运行
    under many 款) names none of them."""
    counts = Counter(names.values())
    return {name: code for code, name in names.items() if counts[name] == 1}
