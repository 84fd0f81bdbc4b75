"""Money as people read it on a notice board (¥8,123.45 in every language), and as a record
stores it (8123.45)."""

from decimal import Decimal, InvalidOperation


def yuan(amount) -> str:
    """¥ with thousands separators and exactly two decimals; empty for no amount."""
    if amount is None or amount == "":
        return ""
    try:
        return f"¥{Decimal(amount):,.2f}"
    except (InvalidOperation, TypeError, ValueError):
        return ""


def cents(amount) -> str:
    """Canonical text of an amount of yuan: always two decimals, whatever was typed."""
    return f"{Decimal(amount):.2f}"
