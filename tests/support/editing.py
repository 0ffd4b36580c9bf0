"""Changing a stored budget's figures in tests, as an entry form or an import would post them."""

from decimal import Decimal

from budgets.models import Budget, BudgetLine, Project
from domain.ledger import LineInput, ProjectInput


def figures_changed(
    budget: Budget, by: Decimal, *, source: str | None = None
) -> tuple[list[ProjectInput], list[LineInput]]:
    """The budget's projects and lines, its largest basic figure (of ``source``, if given) changed ``by``."""
    rows = list(
        BudgetLine.objects.filter(budget_id=budget.pk).select_related("unit", "function", "economic", "project")
    )
    candidates = (row for row in rows if row.kind == "basic" and (source is None or row.source == source))
    target = max(candidates, key=lambda row: (row.amount, row.pk))
    projects = [
        ProjectInput(project.name, project.unit.name)
        for project in Project.objects.filter(budget_id=budget.pk).select_related("unit")
    ]
    lines = [
        LineInput(
            unit=row.unit.name,
            function=row.function.code,
            economic=row.economic.code,
            kind=row.kind,
            source=row.source,
            amount=row.amount + (by if row.pk == target.pk else 0),
            project=row.project.name if row.project else "",
            carried_over=row.carried_over,
        )
        for row in rows
    ]
    return projects, lines
