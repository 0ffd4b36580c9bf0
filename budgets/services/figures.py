"""The budget's figures: its lines and the projects they name, replaced all at once, all or nothing."""

from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction

from accounts.models import User
from budgets.models import Budget, BudgetEvent, BudgetLine, Project
from budgets.selectors import budget_figures
from budgets.services.locking import budget_touch, lock_budget
from catalog.models import BudgetYear, EconomicCode, FunctionCode
from departments.models import Department
from domain.changes import FigureKey, figure_changes
from domain.errors import BudgetFiguresError
from domain.ledger import EntryContext, LineInput, ProjectInput, inputs_errors

ZERO = Decimal("0.00")


MAX_RECORDED_CHANGES = 2000


def budget_get_or_create(*, department: Department, year: int) -> Budget:
    budget_year = BudgetYear.objects.get(year=year)
    budget, _ = Budget.objects.get_or_create(department=department, year=budget_year)
    return budget


@transaction.atomic
def budget_replace_figures(
    *,
    budget: Budget,
    projects: Sequence[ProjectInput],
    lines: Sequence[LineInput],
    actor: User | None = None,
    expected_revision: int | None = None,
) -> None:
    """Make the budget's projects and lines exactly these; nothing is written if any line is wrong, or if they are
    exactly what is stored.

    The audit trail records who changed which figure from what to what."""
    budget = lock_budget(budget, expected_revision)
    units = {unit.name: unit for unit in budget.department.units.all()}
    functions = {code.code: code for code in FunctionCode.objects.leaves(budget.year_id)}
    economics = {code.code: code for code in EconomicCode.objects.leaves(budget.year_id)}
    context = EntryContext(
        year=budget.year_id,
        units=frozenset(units),
        functions=frozenset(functions),
        economics=frozenset(economics),
        projects={project.name: project.unit for project in projects},
    )
    errors = inputs_errors(lines, context, projects)
    if errors:
        raise BudgetFiguresError(errors)

    before = budget_figures(budget)
    after: dict[FigureKey, Decimal] = {item.key: item.amount for item in lines}
    changes = figure_changes(before, after)
    funded = set(budget.lines.exclude(project=None).values_list("project_id", flat=True))
    # The projects by name, in bulk: a fixed number of queries however many projects (not two per project).
    stored = {project.name: project for project in budget.projects.all()}
    added, moved = [], []
    for position, item in enumerate(projects):
        unit, project = units[item.unit], stored.get(item.name)
        if project is None:
            added.append(Project(budget=budget, name=item.name, unit=unit, position=position))
        elif (project.unit_id, project.position) != (unit.pk, position):
            project.unit, project.position = unit, position
            moved.append(project)
    # A project that lost its last figure goes, unless the procurement plan or performance targets still name it;
    # one that had no figures (added on the 项目 page and waiting for them) stays.
    kept = [item.name for item in projects]
    orphans = budget.projects.exclude(name__in=kept).filter(pk__in=funded)
    if not changes and not added and not moved and not orphans.exists():
        return  # a save that changes nothing writes nothing: no event, and no new revision to make pages stale
    budget.lines.all().delete()
    Project.objects.bulk_create(added)
    Project.objects.bulk_update(moved, ["unit", "position"])
    orphans.filter(procurement_items__isnull=True, target__isnull=True).delete()
    by_name = {project.name: project for project in budget.projects.all()}
    BudgetLine.objects.bulk_create(
        BudgetLine(
            budget=budget,
            unit=units[item.unit],
            function=functions[item.function],
            economic=economics[item.economic],
            kind=item.kind,
            source=item.source,
            carried_over=item.carried_over,
            project=by_name[item.project] if item.project else None,
            amount=item.amount,
        )
        for item in lines
    )
    BudgetEvent.objects.create(
        budget=budget,
        actor=actor,
        action="figures",
        data={
            "lines": [len(before), len(after)],
            "total": [str(sum(before.values(), ZERO)), str(sum(after.values(), ZERO))],
            "changed": len(changes),
            "changes": [change.as_json() for change in changes[:MAX_RECORDED_CHANGES]],
        },
    )
    budget_touch(budget)
