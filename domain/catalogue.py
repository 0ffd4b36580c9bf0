"""Checks on catalogue rows as plain data (the CSV header is ``code,name,level,parent``)."""

import re
from dataclasses import dataclass
from enum import Enum


class CatalogKind(Enum):
    FUNCTION = "function"
    ECONOMIC = "economic"

    @property
    def label(self) -> str:
        return {"function": "支出功能分类科目", "economic": "部门经济分类科目"}[self.value]

    @property
    def widths(self) -> tuple[int, ...]:
        """Code length per level: 类 3, 款 5, 项 7."""
        return (3, 5, 7) if self is CatalogKind.FUNCTION else (3, 5)


HEADER = ("code", "name", "level", "parent")

# Names codes had before a revision of 财政部's 政府收支分类科目 (the 2019 catalogue renamed these 类 after the 2018
# reorganisation of the State Council's departments): a workbook printing one is told it prints an old name.
FORMER_NAMES: dict[CatalogKind, dict[str, tuple[str, ...]]] = {
    CatalogKind.FUNCTION: {
        "207": ("文化体育与传媒支出",),
        "210": ("医疗卫生与计划生育支出",),
        "215": ("资源勘探信息等支出",),
        "220": ("国土海洋气象等支出",),
    },
    CatalogKind.ECONOMIC: {},
}


@dataclass(frozen=True)
class CatalogRow:
    line: int  # the row's line number in the file (header is line 1)
    code: str
    name: str
    level: int
    parent: str


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"第{self.line}行 {self.column}：{self.message}"


def parse_row(line: int, raw: dict[str, str | None]) -> tuple[CatalogRow | None, list[RowError]]:
    values = {key: (raw.get(key) or "").strip() for key in HEADER}
    errors = []
    level = 0
    if not re.fullmatch(r"[0-9]+", values["level"]):
        errors.append(RowError(line, "level", f"级次必须是数字，实际为“{values['level']}”。"))
    else:
        level = int(values["level"])
    if not re.fullmatch(r"[0-9]+", values["code"]):
        errors.append(RowError(line, "code", f"科目编码必须由数字组成，实际为“{values['code']}”。"))
    if not values["name"]:
        errors.append(RowError(line, "name", "科目名称不能为空。"))
    if errors:
        return None, errors
    return CatalogRow(line, values["code"], values["name"], level, values["parent"]), []


def check_rows(kind: CatalogKind, rows: list[CatalogRow], known_codes: set[str]) -> list[RowError]:
    """Structure checks: code length fits the level, the parent is the code's prefix and exists.

    ``known_codes`` are codes already in the year's catalogue; a parent may be there or earlier in the file.
    """
    errors = []
    seen: set[str] = set()
    widths = kind.widths
    for row in rows:
        if not 1 <= row.level <= len(widths):
            errors.append(RowError(row.line, "level", f"{kind.label}的级次只能是1到{len(widths)}。"))
            continue
        expected = widths[row.level - 1]
        if len(row.code) != expected:
            errors.append(RowError(row.line, "code", f"第{row.level}级科目编码应为{expected}位：{row.code}。"))
            continue
        if row.code in seen:
            errors.append(RowError(row.line, "code", f"科目编码重复：{row.code}。"))
            continue
        if row.level == 1:
            if row.parent:
                errors.append(RowError(row.line, "parent", "类级科目不能有上级科目。"))
        else:
            expected_parent = row.code[: widths[row.level - 2]]
            if row.parent != expected_parent:
                errors.append(RowError(row.line, "parent", f"上级科目应为{expected_parent}，实际为“{row.parent}”。"))
            elif expected_parent not in seen and expected_parent not in known_codes:
                errors.append(RowError(row.line, "parent", f"上级科目{expected_parent}不存在。"))
        seen.add(row.code)
    return errors
