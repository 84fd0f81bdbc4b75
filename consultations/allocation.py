"""Split a sum of money to the cent, in proportion to weights (largest-remainder rounding).

Pure and exact: Decimal in, Decimal out, Fractions in between, never a float.
"""

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

CENT = Decimal("0.01")


def allocate(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Shares of ``total`` proportional to ``weights``, each a whole number of cents, that add
    up exactly to ``total``. Leftover cents go to the largest fractional remainders, ties to the
    earlier position. A zero weight gets exactly 0.00.

    Raises ValueError for a negative total, a total with fractions of a cent, a negative weight,
    or all-zero weights with a non-zero total.
    """
    total = Decimal(total)
    if total < 0:
        raise ValueError(f"total must not be negative, got {total}")
    if total != total.quantize(CENT):
        raise ValueError(f"total must be a whole number of cents, got {total}")
    exact_weights = [Fraction(Decimal(weight)) for weight in weights]
    if any(weight < 0 for weight in exact_weights):
        raise ValueError("weights must not be negative")
    weight_sum = sum(exact_weights, Fraction(0))
    cents = int(total / CENT)
    if weight_sum == 0:
        if cents:
            raise ValueError("cannot share a non-zero total among zero weights")
        return [Decimal("0.00") for _ in exact_weights]

    exact = [Fraction(cents) * weight / weight_sum for weight in exact_weights]
    whole = [share.numerator // share.denominator for share in exact]
    leftover = cents - sum(whole)
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - whole[i]), i))
    for i in by_remainder[:leftover]:
        whole[i] += 1
    return [(Decimal(share) * CENT).quantize(CENT) for share in whole]
