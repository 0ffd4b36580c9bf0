"""The whole publication (部门预算公开) as one printable HTML document, and the PDF made from that same HTML.

Order, as in the published example: cover, table of contents, the nine tables, the explanation (部门预算信息公开
情况说明, its sections with the tables they name), 预算绩效信息 (the department's goals and each project's 绩效目标表),
then 部门政府采购预算 and 部门固定资产占用情况表 unless the explanation already shows them (and 部门机构设置情况
unless section 一 does); last, where the edition has a 单位 variant (Shanghai publishes every unit's budget with its
department's), each unit's 单位预算公开表 in that variant, from the same figures (domain.unit_budget).

The HTML is self-contained (its CSS inline, no script, no image, no outside link): what is stored is what a
reader gets. Every entry of the table of contents is a link to an id of the document (``toc_targets_resolve``
checks it), so no entry can print 错误！未定义书签。; in the PDF the entries carry their page numbers.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.template.loader import render_to_string

from domain.explanation import Explanation, Section
from domain.ledger import BudgetData
from domain.unit_budget import unit_budget, unit_names
from official.edition import Edition, edition, unit_edition_of
from official.layout import ColumnKind, TableLayout
from official.render import PrintedTable, print_table
from official.targets_layout import GOAL_LABEL, TARGET_COLUMNS, print_goals, print_targets

# Printed where the explanation names them; else 机构设置 after the nine tables (as the official workbook does),
# procurement and assets after the performance information.
UNITS = "units"
SUPPLEMENTARY = ("procurement", "fixed-assets")
# Tables too wide for a portrait page, besides the nine: printed on landscape pages (a page break before and after).
WIDE_TABLES = frozenset({"procurement"})

PART_TITLE_TABLES = "部门预算公开表"
PART_TITLE_PERFORMANCE = "预算绩效信息"
PART_TITLE_SUPPLEMENTARY = "政府采购预算和国有资产信息"
PART_TITLE_UNITS = "单位预算公开表"


@dataclass(frozen=True)
class DocTable:
    """An official table as the document prints it."""

    printed: PrintedTable
    wide: bool
    within: str = ""  # the anchor of the unit's part a 单位预算 table is printed in ("" in the department's)

    @property
    def anchor(self) -> str:
        key = f"table-{self.printed.layout.key}"
        return f"{self.within}-{key}" if self.within else key

    @property
    def title(self) -> str:
        return self.printed.layout.title

    @property
    def width_percents(self) -> list[str]:
        """The column widths (序号 first when numbered) as percentages, from the layout's character widths."""
        layout = self.printed.layout
        # Floors in characters: 序号 and a 7-digit code (2013101) must not wrap in the CJK fonts' wide digits.
        floors = {ColumnKind.CODE: 13, ColumnKind.MONEY: 12}
        widths = ([7] if layout.numbered else []) + [
            max(column.width, floors.get(column.kind, 0)) for column in layout.columns
        ]
        total = sum(widths)
        return [f"{100 * width / total:.2f}%" for width in widths]


@dataclass(frozen=True)
class DocSection:
    section: Section
    anchor: str
    tables: tuple[DocTable, ...] = ()
    references: tuple[tuple[str, str], ...] = ()  # (title, anchor) of tables the section names, printed elsewhere

    @property
    def heading(self) -> str:
        return f"{self.section.number}、{self.section.title}" if self.section.number else self.section.title


@dataclass(frozen=True)
class TocEntry:
    title: str
    anchor: str
    level: int = 1
    children: tuple["TocEntry", ...] = field(default=())


@dataclass(frozen=True)
class UnitPart:
    """One unit's 单位预算公开表, printed after the department's document."""

    name: str
    anchor: str
    tables: tuple[DocTable, ...]

    @property
    def title(self) -> str:
        return f"{self.name}单位预算公开表"


def _doc_table(layout: TableLayout, data: BudgetData, within: str = "") -> DocTable:
    return DocTable(print_table(layout, data), layout.number is not None or layout.key in WIDE_TABLES, within)


def _unit_parts(data: BudgetData, layouts: Edition) -> list[UnitPart]:
    """Each unit's tables in the edition's 单位 variant; none where the edition has no such variant."""
    variant = unit_edition_of(layouts)
    if variant is None:
        return []
    parts = []
    for index, name in enumerate(unit_names(data), start=1):
        anchor = f"unit-{index}"
        part = unit_budget(data, name)
        parts.append(UnitPart(name, anchor, tuple(_doc_table(layout, part, anchor) for layout in variant.tables)))
    return parts


def _sections(explanation: Explanation, data: BudgetData, placed: set[str], layouts: Edition) -> list[DocSection]:
    """The explanation's sections, each with the tables it names: a table is printed once, where first named; a
    later mention (or one of the nine tables) is a link to it. Unknown keys are left out (never a broken link)."""
    nine = {layout.key for layout in layouts.figure_tables}
    sections = []
    for index, section in enumerate(explanation.sections, start=1):
        tables, references = [], []
        for key in section.tables:
            layout = layouts.by_key.get(key)
            if layout is None:
                continue
            if key in placed or key in nine:
                references.append((layout.title, f"table-{key}"))
                continue
            placed.add(key)
            tables.append(_doc_table(layout, data))
        sections.append(DocSection(section, f"explanation-{index}", tuple(tables), tuple(references)))
    return sections


def explanation_title(data: BudgetData) -> str:
    return f"{data.department_name}{data.year}年部门预算信息公开情况说明"


def document_context(
    data: BudgetData,
    explanation: Explanation,
    *,
    version: int,
    published_at: datetime | None = None,
    preview: bool = False,
    layouts: Edition | None = None,
) -> dict:
    """What the publication template prints, in the tables of ``layouts`` (by default the default edition)."""
    layouts = layouts or edition()
    nine = [_doc_table(layout, data) for layout in layouts.figure_tables]
    placed: set[str] = set()
    sections = _sections(explanation, data, placed, layouts)
    units = layouts.by_key.get(UNITS)
    nine_and_units = [*nine, _doc_table(units, data)] if units and UNITS not in placed else nine
    rest = [
        _doc_table(layouts.by_key[key], data) for key in SUPPLEMENTARY if key in layouts.by_key and key not in placed
    ]
    goals = print_goals(data.performance.goals, data.department_line, data.year)
    targets = print_targets(data.performance, data.department_line, data.year)
    # The entries and their order follow the example's table of contents.
    toc = [
        TocEntry(PART_TITLE_TABLES, "tables", 0, tuple(TocEntry(t.title, t.anchor) for t in nine)),
    ]
    if sections:
        toc.append(
            TocEntry(
                "部门预算信息公开情况说明", "explanation", 0, tuple(TocEntry(s.heading, s.anchor) for s in sections)
            )
        )
    toc.append(
        TocEntry(
            PART_TITLE_PERFORMANCE,
            "performance",
            0,
            (
                TocEntry(goals.title, "department-goals"),
                *(TocEntry(table.title, table.anchor, 2) for table in targets),
            ),
        )
    )
    if rest:
        toc.append(
            TocEntry(PART_TITLE_SUPPLEMENTARY, "supplementary", 0, tuple(TocEntry(t.title, t.anchor) for t in rest))
        )
    unit_parts = _unit_parts(data, layouts)
    if unit_parts:
        entries = tuple(TocEntry(part.title, part.anchor) for part in unit_parts)
        toc.append(TocEntry(PART_TITLE_UNITS, "unit-budgets", 0, entries))
    return {
        "data": data,
        "title": f"{data.year}年{data.department_name}部门预算公开",
        "version": version,
        "published_at": published_at,
        "preview": preview,
        "toc": toc,
        "nine": nine_and_units,
        "explanation_title": explanation_title(data),
        "sections": sections,
        "goals": goals,
        "targets": targets,
        "target_columns": TARGET_COLUMNS,
        "goal_label": GOAL_LABEL,
        "supplementary": rest,
        "supplementary_title": PART_TITLE_SUPPLEMENTARY,
        "unit_parts": unit_parts,
        "unit_parts_title": PART_TITLE_UNITS,
    }


def render_document_html(
    data: BudgetData,
    explanation: Explanation,
    *,
    version: int,
    published_at: datetime | None = None,
    preview: bool = False,
    layouts: Edition | None = None,
) -> str:
    context = document_context(
        data, explanation, version=version, published_at=published_at, preview=preview, layouts=layouts
    )
    return render_to_string("disclosure/publication.html", context)


def render_pdf(html: str) -> bytes:
    """The PDF of the document, from the same HTML (WeasyPrint: Pango, and the CJK fonts of fonts-noto-cjk)."""
    from weasyprint import HTML  # imported here: loading Pango costs time that pages without a PDF need not pay
    from weasyprint.urls import URLFetcher

    class FetchNothing(URLFetcher):
        # The document is self-contained (its style inline, no images): a URL in it can only come from typed text,
        # and the server must not request whatever a department's text points at (SSRF, local files).
        def fetch(self, url: str, headers: object = None) -> object:
            raise ValueError(f"the published document loads nothing from outside: {url[:100]}")

    return HTML(string=html, url_fetcher=FetchNothing()).write_pdf()
