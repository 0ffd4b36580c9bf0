"""The rows of the 审核数 page: each project and each basic-expenditure economic 款 with its 申报数 (what the lines ask
for now), its 审核数 and the 差额, and the control figures the 审核数 add up to."""

from dataclasses import dataclass
from decimal import Decimal

from budgets.models import Budget, ReviewFigure
from budgets.selectors import budget_lines, budget_reviews, catalogue_for_year
from domain.control import control_actuals
from domain.ledger import Line
from domain.review import BASIC, PROJECT, Subject, apply_reviewed, requested

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ReviewRow:
    subject: Subject
    slug: str  # what the page's fields are named by: p<project id> or e<economic code>
    name: str
    unit: str  # the project's unit; "" for a basic 款
    asked: Decimal  # 申报数 now
    figure: ReviewFigure | None

    @property
    def reviewed(self) -> Decimal:
        """审核数: as asked when the reviewer recorded none."""
        return self.figure.reviewed if self.figure else self.asked

    @property
    def difference(self) -> Decimal:
        return self.reviewed - self.asked

    @property
    def asked_since(self) -> bool:
        """The department changed its figure since the 审核数 was recorded against it."""
        return self.figure is not None and self.figure.requested != self.asked


@dataclass(frozen=True)
class Section:
    title: str
    rows: list[ReviewRow]

    @property
    def asked(self) -> Decimal:
        return sum((row.asked for row in self.rows), ZERO)

    @property
    def reviewed(self) -> Decimal:
        return sum((row.reviewed for row in self.rows), ZERO)

    @property
    def difference(self) -> Decimal:
        return self.reviewed - self.asked


@dataclass(frozen=True)
class ReviewSheet:
    sections: tuple[Section, Section]
    lines: tuple[Line, ...]

    @property
    def rows(self) -> list[ReviewRow]:
        return [row for section in self.sections for row in section.rows]

    def reviewed_amounts(self) -> dict[Subject, Decimal]:
        return {row.subject: row.figure.reviewed for row in self.rows if row.figure is not None}

    def control_from_review(self) -> dict[str, Decimal] | None:
        """The four control figures as the budget would spend them with every 审核数 accepted; None when a
        审核数 cannot be spread (its project has no lines left)."""
        try:
            return control_actuals(apply_reviewed(self.lines, self.reviewed_amounts()))
        except ValueError:
            return None


def review_sheet(budget: Budget, *, carried_only: bool) -> ReviewSheet:
    """Every project (those without lines too) and every economic 款 with basic lines or a 审核数; the 审核数
    shown are all of them for the bureau, those carried to the department for it (``carried_only``)."""
    lines = budget_lines(budget)
    asked = requested(lines)
    figures = budget_reviews(budget, carried_only=carried_only)
    projects = [
        ReviewRow(
            Subject(PROJECT, name),
            f"p{pk}",
            name,
            unit,
            asked.get(Subject(PROJECT, name), ZERO),
            figures.get(Subject(PROJECT, name)),
        )
        for pk, name, unit in budget.projects.order_by("position", "id").values_list("pk", "name", "unit__name")
    ]
    names = catalogue_for_year(budget.year_id).economic_names
    codes = sorted({s.key for s in asked if s.kind == BASIC} | {s.key for s in figures if s.kind == BASIC})
    basic = [
        ReviewRow(
            Subject(BASIC, code),
            f"e{code}",
            f"{code} {names.get(code, '')}".strip(),
            "",
            asked.get(Subject(BASIC, code), ZERO),
            figures.get(Subject(BASIC, code)),
        )
        for code in codes
    ]
    return ReviewSheet((Section("项目支出（按项目）", projects), Section("基本支出（按经济分类款）", basic)), lines)
