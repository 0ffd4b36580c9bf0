from decimal import Decimal

from django import template

from budgets.domain.money import to_wan

register = template.Library()


@register.filter
def wan(yuan: Decimal | None) -> str:
    """Yuan shown in 万元 with two decimals (the documented half-up rule); zero as 0.00, not blank."""
    return "" if yuan is None else f"{to_wan(yuan):,.2f}"


@register.filter
def get_item(mapping: dict | None, key: str) -> str:
    return (mapping or {}).get(key, "")
