"""Narrative text: nothing left to fill in, no broken cross-reference."""

import re
from collections.abc import Iterator

from domain.audit.model import Figures, Severity, rule

PLACEHOLDER = re.compile(r"(?i)x{2,}|待填写|待补充|（此处填写）|\?{2,}|？{2,}")
BROKEN_REFERENCE = re.compile(r"错误！未定义书签|错误!未定义书签|Error! Bookmark not defined|引用源未找到")


@rule("T01", Severity.WARNING, "文字：不能留有占位符（XX、xxxx、待填写、待补充 等）")
def no_placeholders(figures: Figures) -> Iterator[tuple[str, str]]:
    for place, text in figures.texts.items():
        found = PLACEHOLDER.search(text)
        if found:
            yield place, f"含有占位符“{found.group(0)}”"


@rule("T02", Severity.ERROR, "文字：不能含有失效的引用（如“错误！未定义书签。”）")
def no_broken_references(figures: Figures) -> Iterator[tuple[str, str]]:
    for place, text in figures.texts.items():
        found = BROKEN_REFERENCE.search(text)
        if found:
            yield place, f"含有失效的引用“{found.group(0)}”"
