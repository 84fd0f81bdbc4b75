"""Money as people read it on a notice board: ¥8,123.45 in every language."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def yuan(amount) -> str:
    """¥ with thousands separators and exactly two decimals; empty for no amount."""
    if amount is None or amount == "":
        return ""
    try:
        return f"¥{Decimal(amount):,.2f}"
    except (InvalidOperation, TypeError, ValueError):
        return ""
