"""Reads: a stored budget turned into the plain data the domain functions work on."""

from collections import defaultdict
from dataclasses import fields
from decimal import Decimal

from django.db.models import F, Prefetch, Q, Sum, Value
from django.db.models.functions import Coalesce

from budgets.models import (
    Budget,
    BudgetLine,
    BudgetSnapshot,
    ControlFigures,
    FixedAsset,
    ProcurementItem,
    ReviewComment,
    ReviewFigure,
    SnapshotKind,
)
from catalog.models import EconomicCode, FunctionCode
from departments.models import Unit
from domain.audit.model import CodeNames
from domain.catalogue import FORMER_NAMES, CatalogKind
from domain.changes import FigureKey
from domain.classifications import FISCAL_SOURCES, Kind, Source
from domain.ledger import AssetInfo, BudgetData, Catalogue, EntryContext, Line, ProcurementInfo, UnitInfo
from domain.review import BASIC, PROJECT, Subject
from domain.snapshot import snapshot_from_json
from domain.unit_parts import PartState
from domain.workflow import BudgetRound, BudgetState
from performance.selectors import budget_performance


def catalogue_for_year(year: int) -> Catalogue:
    return Catalogue(
        function_names=dict(FunctionCode.objects.filter(year_id=year).values_list("code", "name")),
        economic_names=dict(EconomicCode.objects.filter(year_id=year).values_list("code", "name")),
    )


def code_names(year: int) -> CodeNames | None:
    """The year's catalogue names, and the other names each code has had: in the other years' catalogues stored
    here and in the renames of the classification (domain.catalogue.FORMER_NAMES). None: no catalogue that year."""
    catalogue = catalogue_for_year(year)
    if not catalogue.function_names:
        return None
    former: dict[CatalogKind, dict[str, set[str]]] = {kind: defaultdict(set) for kind in CatalogKind}
    for kind, model in ((CatalogKind.FUNCTION, FunctionCode), (CatalogKind.ECONOMIC, EconomicCode)):
        for code, name in model.objects.exclude(year_id=year).values_list("code", "name").distinct():
            former[kind][code].add(name)
        for code, names in FORMER_NAMES[kind].items():
            former[kind][code].update(names)
    return CodeNames(
        function=catalogue.function_names,
        economic=catalogue.economic_names,
        former_function={code: frozenset(names) for code, names in former[CatalogKind.FUNCTION].items()},
        former_economic={code: frozenset(names) for code, names in former[CatalogKind.ECONOMIC].items()},
    )


FISCAL_THIS_YEAR = Q(source__in=[source.value for source in FISCAL_SOURCES], carried_over=False)


def spending_totals(budget: Budget) -> tuple[Decimal, Decimal]:
    """In yuan: all the budget's lines, and this year's fiscal appropriation among them (what control figures
    limit, domain.control)."""
    totals = BudgetLine.objects.filter(budget=budget).aggregate(
        spending=Sum("amount"), fiscal=Sum("amount", filter=FISCAL_THIS_YEAR)
    )
    return totals["spending"] or Decimal("0.00"), totals["fiscal"] or Decimal("0.00")


def budget_lines(budget: Budget) -> tuple[Line, ...]:
    rows = BudgetLine.objects.filter(budget=budget).values(
        "kind",
        "source",
        "amount",
        "carried_over",
        function_code=F("function__code"),
        economic_code=F("economic__code"),
        project_name=Coalesce(F("project__name"), Value("")),
        unit_name=F("unit__name"),
    )
    return tuple(
        Line(
            function=row["function_code"],
            economic=row["economic_code"],
            kind=Kind(row["kind"]),
            source=Source(row["source"]),
            amount=row["amount"],
            carried_over=row["carried_over"],
            project=row["project_name"],
            unit=row["unit_name"],
        )
        for row in rows
    )


PROCUREMENT_FIELDS = tuple(field.name for field in fields(ProcurementInfo) if field.name != "project")


def budget_procurement(budget: Budget) -> tuple[ProcurementInfo, ...]:
    rows = (
        ProcurementItem.objects.filter(budget=budget)
        .order_by("position", "id")
        .values(*PROCUREMENT_FIELDS, project_name=Coalesce(F("project__name"), Value("")))
    )
    # "project" is the item's foreign key: its name comes under another key and is passed as the project.
    return tuple(ProcurementInfo(project=row.pop("project_name"), **row) for row in rows)


def budget_assets(budget: Budget) -> tuple[AssetInfo, ...]:
    rows = FixedAsset.objects.filter(budget=budget).order_by("position", "id")
    values = rows.values_list("item", "quantity", "value_yuan", Coalesce(F("unit__name"), Value("")))
    return tuple(AssetInfo(item, quantity, value, unit) for item, quantity, value, unit in values)


def budget_data(budget: Budget) -> BudgetData:
    units = budget.department.units.order_by("position", "id").values(*(field.name for field in fields(UnitInfo)))
    return BudgetData(
        department_code=budget.department.code,
        department_name=budget.department.name,
        year=budget.year_id,
        catalogue=catalogue_for_year(budget.year_id),
        lines=budget_lines(budget),
        units=tuple(UnitInfo(**unit) for unit in units),
        procurement=budget_procurement(budget),
        assets=budget_assets(budget),
        assets_as_of=budget.assets_as_of,
        performance=budget_performance(budget),
    )


def approved_previous_data(budget: Budget) -> BudgetData | None:
    """Last year's budget of the department as approved (its latest approved version's snapshot), if any."""
    snapshot = (
        BudgetSnapshot.objects.filter(
            budget__department_id=budget.department_id,
            budget__year_id=budget.year_id - 1,
            kind=SnapshotKind.APPROVED,
        )
        .order_by("-version", "-id")
        .first()
    )
    return snapshot_from_json(snapshot.data) if snapshot is not None else None


def budget_control(budget: Budget) -> dict[str, Decimal] | None:
    """The control figures the budget must keep within: those issued, once it is in its formal round (二上)."""
    control = issued_control(budget)
    return control.limits() if control is not None and budget.round == BudgetRound.FORMAL else None


def issued_control(budget: Budget) -> ControlFigures | None:
    try:
        return budget.control  # no query when the budget was read with select_related("control")
    except ControlFigures.DoesNotExist:
        return None


def budget_snapshots(budget: Budget) -> list[BudgetSnapshot]:
    """The budget's snapshots, oldest first, without their (large) data."""
    return list(budget.snapshots.defer("data").select_related("event__actor").order_by("created_at", "id"))


def last_return(budget: Budget, snapshots: list[BudgetSnapshot] | None = None) -> BudgetSnapshot | None:
    """The budget as the bureau last returned it, while that return is the latest word on it (not once it is
    approved or adjusted into a new version)."""
    if budget.state == BudgetState.APPROVED:
        return None
    snapshots = budget_snapshots(budget) if snapshots is None else snapshots
    returns = [s for s in snapshots if s.kind == SnapshotKind.RETURNED and s.version == budget.version]
    return returns[-1] if returns else None


def warning_explanations(budget: Budget) -> dict[str, str]:
    """The stored explanations by Violation.key."""
    return {f"{rule}|{place}": text for rule, place, text in budget.explanations.values_list("rule", "place", "text")}


def budget_figures(budget: Budget) -> dict[FigureKey, Decimal]:
    """The stored figures by their key (as entered: unit and project by name)."""
    rows = budget.lines.values_list(
        "unit__name", "function__code", "economic__code", "kind", "source", "carried_over", "project__name", "amount"
    )
    return {
        (unit, f, e, kind, source, carried, project or ""): amount
        for unit, f, e, kind, source, carried, project, amount in rows
    }


def entry_context(budget: Budget) -> EntryContext:
    """What figures entered for the budget are checked against (domain.ledger.inputs_errors)."""
    return EntryContext(
        year=budget.year_id,
        units=frozenset(budget.department.units.values_list("name", flat=True)),
        functions=frozenset(FunctionCode.objects.leaves(budget.year_id).values_list("code", flat=True)),
        economics=frozenset(EconomicCode.objects.leaves(budget.year_id).values_list("code", flat=True)),
        projects=dict(budget.projects.values_list("name", "unit__name")),
    )


def review_subject(figure: ReviewFigure) -> Subject:
    if figure.project is not None:
        return Subject(PROJECT, figure.project.name)
    assert figure.economic is not None  # review_of_project_or_economic
    return Subject(BASIC, figure.economic.code)


def budget_reviews(budget: Budget, *, carried_only: bool = False) -> dict[Subject, ReviewFigure]:
    """The budget's 审核数 by subject; ``carried_only``: those the department has been given."""
    figures = budget.reviews.select_related("project", "economic", "reviewer", "answered_by")
    if carried_only:
        figures = figures.filter(carried_at__isnull=False)
    return {review_subject(figure): figure for figure in figures}


def comment_threads(budget: Budget) -> list[ReviewComment]:
    """Every thread of the budget, oldest first, its replies prefetched (``thread.replies.all()``)."""
    replies = Prefetch("replies", queryset=ReviewComment.objects.select_related("author").order_by("created_at", "id"))
    threads = budget.comments.filter(parent=None).select_related("author", "resolved_by").prefetch_related(replies)
    return list(threads.order_by("created_at", "id"))


def unit_in_use(unit: Unit) -> list[int]:
    """The years whose budgets still hold figures, projects or fixed assets of ``unit`` (it cannot be removed)."""
    return sorted(
        set(unit.lines.values_list("budget__year_id", flat=True))
        | set(unit.projects.values_list("budget__year_id", flat=True))
        | set(unit.fixed_assets.values_list("budget__year_id", flat=True))
    )


def reporting_units(budget: Budget) -> list[tuple[Unit, str]]:
    """The department's units that enter their own part (an active 单位填报人 of theirs), each with its part's
    state (草稿 until it moves)."""
    units = (
        Unit.objects.filter(department_id=budget.department_id, users__role="unit_accountant", users__is_active=True)
        .distinct()
        .order_by("position", "id")
    )
    states = dict(budget.unit_parts.values_list("unit_id", "state"))
    return [(unit, states.get(unit.pk, PartState.DRAFT)) for unit in units]


def part_state(budget: Budget, unit: Unit) -> str:
    """The state of ``unit``'s part of the budget (草稿 until it first moves)."""
    return budget.unit_parts.filter(unit=unit).values_list("state", flat=True).first() or PartState.DRAFT
