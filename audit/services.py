"""The department's explanations of the budget's warnings (警告说明), one text per warning."""

from collections.abc import Mapping

from django.db import transaction

from audit.verdict import budget_violations
from budgets.models import Budget, WarningExplanation
from budgets.services.locking import lock_budget
from domain.audit.model import Severity
from domain.errors import BudgetFiguresError, FigureError

MAX_EXPLANATION = 2000


@transaction.atomic
def budget_explain_warnings(*, budget: Budget, actor, explanations: Mapping[str, str]) -> int:
    """Keep the department's explanation of each warning (by Violation.key); an empty text withdraws one.

    Only the budget's current warnings can be explained. Returns how many explanations changed."""
    budget = lock_budget(budget)
    warnings = {v.key: v for v in budget_violations(budget) if v.severity is Severity.WARNING}
    errors = [
        FigureError(0, f"说明过长（{len(text)} 字），最多 {MAX_EXPLANATION} 字：{warnings[key]}")
        for key, text in explanations.items()
        if key in warnings and len(text.strip()) > MAX_EXPLANATION
    ]
    if errors:
        raise BudgetFiguresError(errors)
    stored = {(e.rule, e.place): e for e in WarningExplanation.objects.filter(budget=budget)}
    changed = 0
    for key, text in explanations.items():
        violation = warnings.get(key)
        if violation is None:
            continue
        text = text.strip()
        current = stored.get((violation.rule, violation.place))
        if current is not None and not text:
            current.delete()
        elif current is None and text:
            WarningExplanation.objects.create(
                budget=budget, rule=violation.rule, place=violation.place, text=text, author=actor
            )
        elif current is not None and current.text != text:
            current.text, current.author = text, actor
            current.save(update_fields=["text", "author", "updated_at"])
        else:
            continue
        changed += 1
    return changed
