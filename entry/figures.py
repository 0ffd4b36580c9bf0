"""The entry page of a budget's figures: every line (单位 × 功能分类项 × 经济分类款 × 支出类型 × 资金来源 × 上年结转
(× 项目) → 金额) as one row of a table-shaped grid, saved all at once.

Only those who may edit the budget's figures open it (the department's accountant, an administrator, while the
budget is 草稿 or 退回): a reviewer gets 403, a budget the user may not see 404.

Amounts are typed in 万元 by default, or in 元 (``?unit=元``; the page posts the unit it was typed in). The server
converts exactly, never rounding: in 万元 at most six decimals (0.000001 万元 = 0.01 元, one fen), in 元 at most two.
Stored figures are shown exactly too: two decimals, more only where the fen need them (12.345678 万元).

Saving posts every row with the revision the page was built on; budget_replace_figures writes all of them or
nothing. What cannot be read (letters, a negative or over-precise amount, a code not in the year's catalogue, a
项目支出 without its project, an unknown unit, kind or source) is reported at its cell before the service is called;
what the service refuses (a duplicate row, appropriated money for a kind it cannot pay, a project of another unit)
comes back as FigureErrors by row, shown at that row. Either way the page shows again with everything as typed.

Projects: a row's 项目 names an existing project of the budget or a new one, created for the row's unit. The
projects no row names any more are removed by the service, unless performance targets or the procurement plan
still name them (as with an import).
"""

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from budgets.access import editable_budget_or_404
from budgets.models import Budget, BudgetEvent
from budgets.services.errors import StaleRevision
from budgets.services.figures import LineInput, ProjectInput, budget_replace_figures
from catalog.models import EconomicCode, FunctionCode
from domain.classifications import PERSONNEL_ECONOMIC_CLASSES, Kind, Source
from domain.errors import BudgetFiguresError, FigureError
from domain.ledger import MAX_AMOUNT
from domain.money import CENT, YUAN_PER_WAN, DisplayUnit
from web.forms import posted_revision

PREFIX = "line"
MAX_ROWS = 2000
# The fields of a row, in the order of the grid's columns (also the order a pasted block fills them).
FIELDS = ("unit", "function", "economic", "kind", "source", "carried_over", "project", "amount")
# A row is blank (and skipped) when all of these are empty: the selects always hold a value.
CONTENT_FIELDS = ("function", "economic", "project", "amount")
PLACES = {DisplayUnit.WAN: 6, DisplayUnit.YUAN: 2}
NOT_SAVED = "未保存：请按标红的提示修改后再保存（本页内容均未保存）。"
# A post without its row count is never read as "no rows": that would delete every row of the table.
FORM_INCOMPLETE = "未保存：表单不完整（缺少行数信息），请重新打开页面后再操作。"
STALE_KEPT = "您填写的内容仍在下方，尚未保存；可在新窗口打开本页核对他人的修改，确认后再次保存将以本页内容为准。"

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")
_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)")
_GROUPED = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_TRUE = {"1", "on", "true", "yes", "y", "是", "√", "✓", "上年结转"}


def display_unit(value: str | None) -> DisplayUnit:
    return DisplayUnit.YUAN if value == DisplayUnit.YUAN.value else DisplayUnit.WAN


# --- Amounts: typed in 万元 or 元, stored in 元, exactly -------------------------------------------------------------


def parse_amount(text: str, unit: DisplayUnit) -> Decimal:
    """The amount in yuan of what was typed in ``unit``; ValueError with the reason (in Chinese) otherwise.

    Thousands separators ("1,234.50") and full-width digits are accepted, as Excel and input methods give them."""
    text = text.strip().translate(_FULL_WIDTH).replace(" ", "")
    if not text:
        raise ValueError("请填写金额。")
    if _GROUPED.fullmatch(text):
        text = text.replace(",", "")
    if not _NUMBER.fullmatch(text):
        raise ValueError(f"金额只能填数字（{unit.value}），如 12.50。")
    number = Decimal(text)
    if number < 0:
        raise ValueError("金额不能为负数。")
    places = PLACES[unit]
    if number != number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):
        exact = "0.000001 万元即 1 分" if unit is DisplayUnit.WAN else "元以下到分"
        raise ValueError(f"金额最多保留 {places} 位小数（{unit.value}；{exact}）。")
    yuan = (number * YUAN_PER_WAN if unit is DisplayUnit.WAN else number).quantize(CENT)
    if yuan >= MAX_AMOUNT:
        raise ValueError("金额过大。")
    return yuan


def typed_amount(yuan: Decimal, unit: DisplayUnit) -> str:
    """A stored amount as the grid shows it: exact, with two decimals, or more where the fen need them."""
    value = yuan / YUAN_PER_WAN if unit is DisplayUnit.WAN else yuan
    value = value.normalize()
    if value.as_tuple().exponent > -2:
        value = value.quantize(CENT)
    return f"{value:f}"


def printed_total(yuan: Decimal, unit: DisplayUnit) -> str:
    """A derived total: in 万元 half-up to two decimals (domain.money), in 元 to the fen."""
    value = yuan / YUAN_PER_WAN if unit is DisplayUnit.WAN else yuan
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


# --- Rows as typed ------------------------------------------------------------------------------------------------


@dataclass
class Row:
    """One row of the grid as typed, with its messages by field ("" for the row as a whole)."""

    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)
    line: LineInput | None = None
    function_name: str = ""
    economic_name: str = ""
    invalid: dict[str, str] = field(default_factory=dict)  # a select's value that is none of its options

    def add_error(self, name: str, message: str) -> None:
        self.errors.setdefault(name or "row", []).append(message)

    def name_codes(self, catalogue: "Catalogue") -> "Row":
        """Show the names of the codes the row holds (when they are in the catalogue)."""
        self.function_name = catalogue.functions.get(_code(self.values.get("function", ""), 7) or "", "")
        self.economic_name = catalogue.economics.get(_code(self.values.get("economic", ""), 5) or "", "")
        return self

    @property
    def is_blank(self) -> bool:
        return all(not self.values.get(name, "").strip() for name in CONTENT_FIELDS)

    @property
    def checked(self) -> bool:
        return self.values.get("carried_over", "").strip().lower() in _TRUE


@dataclass(frozen=True)
class Catalogue:
    units: list[str]
    functions: dict[str, str]  # 7-digit 项 code -> "name（款 name）" (项 names repeat across 款)
    economics: dict[str, str]  # 5-digit 款 code -> name
    projects: dict[str, str]  # the budget's projects: name -> unit name

    @classmethod
    def of(cls, budget: Budget) -> "Catalogue":
        functions = FunctionCode.objects.filter(year_id=budget.year_id, level=FunctionCode.LEAF_LEVEL)
        functions = list(functions.select_related("parent").order_by("code"))
        economics = EconomicCode.objects.filter(year_id=budget.year_id, level=EconomicCode.LEAF_LEVEL)
        return cls(
            units=list(budget.department.units.order_by("position", "id").values_list("name", flat=True)),
            functions={
                code.code: f"{code.name}（{code.parent.name}）" if code.parent else code.name for code in functions
            },
            economics=dict(economics.order_by("code").values_list("code", "name")),
            projects=dict(budget.projects.order_by("position", "id").values_list("name", "unit__name")),
        )


def _choice(text: str, choices: type[Kind] | type[Source]) -> str | None:
    """A kind or source by its value or its label (a pasted "基本支出")."""
    text = text.strip()
    for choice in choices:
        if text in (choice.value, choice.label):
            return choice.value
    return None


def _code(text: str, width: int) -> str | None:
    """The code of "2070101" or of a datalist entry "2070101 行政运行"; None when it is not ``width`` digits."""
    token = text.strip().translate(_FULL_WIDTH).split(" ", 1)[0].split("\u3000", 1)[0]
    return token if len(token) == width and token.isascii() and token.isdigit() else None


def read_row(values: dict[str, str], unit: DisplayUnit, catalogue: Catalogue, year: int) -> Row:
    """Parse one non-blank row; its LineInput when every cell reads, the messages at the cells otherwise."""
    row = Row(values)
    unit_name = values.get("unit", "").strip()
    if unit_name not in catalogue.units:
        row.add_error("unit", "请从列表中选择本部门的单位。")
        row.invalid["unit"] = unit_name
    function = _code(values.get("function", ""), 7)
    if function is None:
        row.add_error("function", "请填写7位项级功能分类科目编码（可按编码或名称搜索后从列表选择）。")
    elif function not in catalogue.functions:
        row.add_error("function", f"{year}年度科目表中没有功能分类项级科目 {function}。")
    economic = _code(values.get("economic", ""), 5)
    if economic is None:
        row.add_error("economic", "请填写5位款级经济分类科目编码（可按编码或名称搜索后从列表选择）。")
    elif economic not in catalogue.economics:
        row.add_error("economic", f"{year}年度科目表中没有经济分类款级科目 {economic}。")
    kind = _choice(values.get("kind", ""), Kind)
    if kind is None:
        row.add_error("kind", "请选择支出类型。")
        row.invalid["kind"] = values.get("kind", "")
    source = _choice(values.get("source", ""), Source)
    if source is None:
        row.add_error("source", "请选择资金来源。")
        row.invalid["source"] = values.get("source", "")
    project = values.get("project", "").strip()
    if kind == Kind.PROJECT and not project:
        row.add_error("project", "项目支出必须填写项目名称（已有项目可从列表选择，新名称将新建项目）。")
    elif kind is not None and kind != Kind.PROJECT and project:
        row.add_error("project", "只有项目支出可以填写项目；请清空项目或把支出类型改为项目支出。")
    elif len(project) > 200:
        row.add_error("project", "项目名称最多 200 字。")
    try:
        amount = parse_amount(values.get("amount", ""), unit)
    except (ValueError, InvalidOperation) as error:
        row.add_error("amount", str(error) if isinstance(error, ValueError) else "金额无效。")
        amount = None
    if not row.errors:
        row.line = LineInput(
            unit=unit_name,
            function=function,
            economic=economic,
            kind=Kind(kind),
            source=Source(source),
            amount=amount,
            project=project,
            carried_over=row.checked,
        )
    return row


def posted_rows(data: Any) -> list[dict[str, str]]:
    """The rows of the posted grid in order (rows deleted in the page leave gaps in the numbering)."""
    total = data.get(f"{PREFIX}-TOTAL_FORMS", "")
    count = min(int(total), MAX_ROWS * 2) if total.isascii() and total.isdigit() and len(total) < 6 else 0
    rows = []
    for index in range(count):
        names = [f"{PREFIX}-{index}-{name}" for name in FIELDS]
        if not any(name in data for name in names):
            continue
        rows.append({name: data.get(f"{PREFIX}-{index}-{name}", "") for name in FIELDS})
    return rows


def stored_rows(budget: Budget, unit: DisplayUnit) -> list[Row]:
    lines = budget.lines.select_related("unit", "function", "economic", "project").order_by(
        "unit__position", "unit_id", "kind", "project__position", "function__code", "economic__code", "source", "id"
    )
    return [
        Row(
            {
                "unit": line.unit.name,
                "function": line.function.code,
                "economic": line.economic.code,
                "kind": line.kind,
                "source": line.source,
                "carried_over": "1" if line.carried_over else "",
                "project": line.project.name if line.project else "",
                "amount": typed_amount(line.amount, unit),
            }
        )
        for line in lines
    ]


def projects_for(lines: list[LineInput], catalogue: Catalogue) -> list[ProjectInput]:
    """The projects the rows name: existing ones keep their unit (in their order), new ones take their first row's
    unit (after them, in the order they first appear)."""
    named = {line.project: line.unit for line in reversed(lines) if line.project}
    existing = [ProjectInput(name, unit) for name, unit in catalogue.projects.items() if name in named]
    new = [ProjectInput(name, named[name]) for name in dict.fromkeys(line.project for line in lines if line.project)]
    return existing + [project for project in new if project.name not in catalogue.projects]


# Where a message of the service belongs in its row (the first keyword found; the row as a whole otherwise).
_SERVICE_FIELDS = (
    ("同一格", "row"),
    ("财政拨款", "source"),
    ("项目", "project"),
    ("功能分类", "function"),
    ("经济分类", "economic"),
    ("单位", "unit"),
    ("金额", "amount"),
)


def place_errors(rows: list[Row], errors: list[FigureError]) -> list[str]:
    """Put the service's messages at their rows (and cells); the messages about no row are returned."""
    general = []
    for error in errors:
        if 1 <= error.index <= len(rows):
            name = next((name for word, name in _SERVICE_FIELDS if word in error.message), "row")
            rows[error.index - 1].add_error(name, error.message)
        else:
            general.append(error.message)
    return general


def totals(rows: list[Row], unit: DisplayUnit) -> tuple[list[tuple[str, str, str]], str]:
    """(kind value, label, printed total) per kind and the printed grand total, of the amounts that read."""
    sums = dict.fromkeys(Kind.values, Decimal("0.00"))
    for row in rows:
        kind = _choice(row.values.get("kind", ""), Kind)
        try:
            amount = parse_amount(row.values.get("amount", ""), unit)
        except (ValueError, InvalidOperation):
            continue
        if kind is not None:
            sums[kind] += amount
    by_kind = [(kind.value, kind.label, printed_total(sums[kind.value], unit)) for kind in Kind]
    return by_kind, printed_total(sum(sums.values(), Decimal("0.00")), unit)


# --- The page -------------------------------------------------------------------------------------------------------


def _page_url(year: int, department_code: str, unit: DisplayUnit) -> str:
    url = reverse("budget_figures_edit", args=[year, department_code])
    return f"{url}?unit={DisplayUnit.YUAN.value}" if unit is DisplayUnit.YUAN else url


@require_http_methods(["GET", "POST"])
@login_required
def budget_figures_edit(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    budget = editable_budget_or_404(request.user, year, department_code, what="修改预算数字")
    catalogue = Catalogue.of(budget)
    revision = budget.revision
    failed = False
    if request.method == "POST":
        unit = display_unit(request.POST.get("unit"))
        # Until the service has looked, the page stays on the revision it was built on (a later save is refused).
        revision = request.POST.get("revision", "")
        rows = [row for row in posted_rows(request.POST) if not Row(row).is_blank]
        rows = [read_row(values, unit, catalogue, budget.year_id) for values in rows]
        total = request.POST.get(f"{PREFIX}-TOTAL_FORMS", "")
        if not (total.isascii() and total.isdigit()):
            # Never read a mangled post as "no rows": that would delete every figure.
            messages.error(request, FORM_INCOMPLETE)
            failed = True
        elif len(rows) > MAX_ROWS:
            messages.error(request, f"未保存：最多 {MAX_ROWS} 行（现有 {len(rows)} 行）。")
            failed = True
        elif any(row.errors for row in rows):
            messages.error(request, NOT_SAVED)
            failed = True
        else:
            lines = [row.line for row in rows]
            try:
                budget_replace_figures(
                    budget=budget,
                    projects=projects_for(lines, catalogue),
                    lines=lines,
                    actor=request.user,
                    expected_revision=posted_revision(request.POST),
                )
            except BudgetFiguresError as refused:
                failed = True
                general = place_errors(rows, refused.errors)
                if len(general) < len(refused.errors):
                    messages.error(request, NOT_SAVED)
                for message in general:
                    messages.error(request, f"预算数字未保存：{message}")
                if isinstance(refused, StaleRevision):
                    messages.warning(request, STALE_KEPT)
                # What was typed is shown on top of the budget as it is now: saving again is a deliberate choice.
                revision = Budget.objects.values_list("revision", flat=True).get(pk=budget.pk)
            else:
                event = BudgetEvent.objects.filter(budget=budget, action="figures").order_by("-id").first()
                changed = event.data.get("changed", 0) if event else 0
                messages.success(
                    request, f"预算数字已保存（{changed} 处修改）。" if changed else "预算数字已保存，没有变化。"
                )
                return redirect(_page_url(year, department_code, unit))
    else:
        unit = display_unit(request.GET.get("unit"))
        rows = stored_rows(budget, unit)
    rows = [row.name_codes(catalogue) for row in rows]
    by_kind, grand_total = totals(rows, unit)
    context = {
        "budget": budget,
        "revision": revision,
        "rows": rows,
        "prefix": PREFIX,
        "unit": unit.value,
        "other_unit": (DisplayUnit.YUAN if unit is DisplayUnit.WAN else DisplayUnit.WAN).value,
        "places": PLACES[unit],
        "catalogue": catalogue,
        "kinds": Kind.choices,
        "sources": Source.choices,
        "by_kind": by_kind,
        "grand_total": grand_total,
        "failed": failed,
        "max_rows": MAX_ROWS,
        "headings": derived_headings(budget.year_id),
    }
    return render(request, "entry/figures_edit.html", context, status=200)


def derived_headings(year: int) -> dict[str, object]:
    """The names the page's derived summaries print above the 项 and 款 the rows name: functional 类 and 款,
    economic 类, and which economic 类 are 人员经费."""
    return {
        "function": dict(
            FunctionCode.objects.filter(year_id=year, level__lt=FunctionCode.LEAF_LEVEL).values_list("code", "name")
        ),
        "economic": dict(
            EconomicCode.objects.filter(year_id=year, level__lt=EconomicCode.LEAF_LEVEL).values_list("code", "name")
        ),
        "personnel": sorted(PERSONNEL_ECONOMIC_CLASSES),
    }
