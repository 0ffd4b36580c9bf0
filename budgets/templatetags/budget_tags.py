from decimal import Decimal

from django import template
from django.urls import reverse

from budgets.domain.money import to_wan

register = template.Library()


@register.filter
def wan(yuan: Decimal | None) -> str:
    """Yuan shown in 万元 with two decimals (the documented half-up rule); zero as 0.00, not blank."""
    return "" if yuan is None else f"{to_wan(yuan):,.2f}"


@register.filter
def get_item(mapping: dict | None, key: str) -> str:
    return (mapping or {}).get(key, "")


TARGETS_PAGE_ANCHORS = ("target-", "department-goals")


@register.simple_tag
def violation_href(violation, budget=None) -> str:
    """Where a violation's place is shown: a table of this page, or the targets page of the budget."""
    if not violation.anchor:
        return ""
    if violation.anchor.startswith(TARGETS_PAGE_ANCHORS):
        if not budget:  # no budget in the context (a workbook being checked or previewed): no page to link to
            return ""
        return f"{reverse('budget_targets', args=[budget.year_id, budget.department.code])}#{violation.anchor}"
    return f"#{violation.anchor}"
