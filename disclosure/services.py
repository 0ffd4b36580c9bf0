"""Writes of the explanation's inputs: last year's figures and the department's remarks.

Like every write to a budget: atomic, row-locked, refused when the budget is frozen or changed since it was read,
all-or-nothing with every error reported at once, logged in the budget's trail, and followed by budget_touch.
"""

from collections.abc import Mapping

from django.db import transaction

from budgets.models import BudgetEvent
from budgets.services.locking import budget_touch, lock_budget
from disclosure.models import ExplanationRemark, PreviousYearFigures
from disclosure.selectors import entered_previous, explanation_remarks
from domain.errors import BudgetFiguresError, FigureError
from domain.explanation import REMARKS, PreviousYear, previous_year_errors, wan

MAX_REMARK = 2000
ACTION = "explanation"


def _describe(previous: PreviousYear | None) -> str:
    if previous is None:
        return ""
    text = f"合计{wan(previous.total)} 基本{wan(previous.basic)} 项目{wan(previous.project)}"
    if previous.three_public is not None:
        items = previous.three_public
        text += (
            f" 三公：出国{wan(items.abroad)} 购车{wan(items.vehicle_purchase)}"
            f" 运维{wan(items.vehicle_running)} 接待{wan(items.reception)}"
        )
    return text + "（万元）"


@transaction.atomic
def explanation_inputs_set(
    *,
    budget,
    previous: PreviousYear | None,
    remarks: Mapping[str, str],
    actor=None,
    expected_revision: int | None = None,
) -> int:
    """Make last year's entered figures ``previous`` (None: none entered) and the remarks exactly ``remarks``
    (a key left out or empty removes that remark). Returns how many things changed (0: nothing written)."""
    budget = lock_budget(budget, expected_revision)
    errors = [FigureError(0, message) for message in (previous_year_errors(previous) if previous else [])]
    if previous is not None and previous.year != budget.year_id - 1:
        errors.append(FigureError(0, f"上年预算数必须是{budget.year_id - 1}年的。"))
    for key, text in remarks.items():
        if key not in REMARKS:
            errors.append(FigureError(0, f"没有这一项说明：{key}"))
        elif len(text.strip()) > MAX_REMARK:
            errors.append(FigureError(0, f"“{REMARKS[key]}”过长（{len(text.strip())} 字），最多 {MAX_REMARK} 字。"))
    if errors:
        raise BudgetFiguresError(errors)

    changes = []
    before = entered_previous(budget)
    if previous is not None:
        previous = PreviousYear(
            previous.year, previous.total, previous.basic, previous.project, previous.three_public, "entered"
        )
    if before != previous:
        changes.append(["上年预算数", _describe(before), _describe(previous)])
        if previous is None:
            PreviousYearFigures.objects.filter(budget=budget).delete()
        else:
            items = previous.three_public
            PreviousYearFigures.objects.update_or_create(
                budget=budget,
                defaults={
                    "total": previous.total,
                    "basic": previous.basic,
                    "project": previous.project,
                    "abroad": items.abroad if items else None,
                    "vehicle_purchase": items.vehicle_purchase if items else None,
                    "vehicle_running": items.vehicle_running if items else None,
                    "reception": items.reception if items else None,
                },
            )
    stored = explanation_remarks(budget)
    wanted = {key: text.strip() for key, text in remarks.items() if text.strip()}
    for key in REMARKS:
        old, new = stored.get(key, ""), wanted.get(key, "")
        if old == new:
            continue
        changes.append([f"情况说明｜{REMARKS[key]}", old, new])
        if new:
            ExplanationRemark.objects.update_or_create(budget=budget, key=key, defaults={"text": new})
        else:
            ExplanationRemark.objects.filter(budget=budget, key=key).delete()
    if not changes:
        return 0
    BudgetEvent.objects.create(budget=budget, actor=actor, action=ACTION, data={"changes": changes})
    budget_touch(budget)
    return len(changes)
