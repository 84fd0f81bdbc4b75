"""The rules of the residents' payment ledger, in plain values: no Django, no database.

A household's ledger is a list of entries, each a signed amount of yuan (money in is positive,
a refund is negative) with who paid it: the household itself, or someone covering its share
(another household, a donor, the community fund). Entries are never edited or deleted; a
mistake is undone by a reversal, the same amount with the opposite sign, which names the entry
it undoes. What a household still owes is its share less what was received for it.

An elevator's money reconciles when subsidy + fund + payments + other cover + outstanding =
cost, to the cent; once nothing is outstanding that is subsidy + fund + payments + other cover
= cost. ``reconcile`` computes the parts so that it always holds, and the tests check that
every sequence of entries the rules allow keeps it so.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

PAYMENT, REFUND, REVERSAL = "payment", "refund", "reversal"
HOUSEHOLD = "household"  # paid by the household itself; anything else is other cover


class LedgerError(ValueError):
    """An entry the rules do not allow; the code names which rule."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Line:
    """One ledger entry as the rules see it."""

    kind: str  # PAYMENT, REFUND or REVERSAL
    amount: Decimal  # positive in, negative out
    paid_by: str = HOUSEHOLD
    key: int | None = None  # the entry's id
    reverses: int | None = None  # for a reversal: the id of the entry it undoes


def whole_cents(amount: Decimal) -> bool:
    return amount == amount.quantize(CENT)


def received(lines: Iterable[Line], paid_by: str | None = None) -> Decimal:
    """Net money received for a household (all payers, or one)."""
    return sum((line.amount for line in lines if paid_by is None or line.paid_by == paid_by), ZERO)


def by_household(lines: Iterable[Line]) -> Decimal:
    return received(lines, HOUSEHOLD)


def by_others(lines: Iterable[Line]) -> Decimal:
    return sum((line.amount for line in lines if line.paid_by != HOUSEHOLD), ZERO)


def outstanding(due: Decimal, lines: Iterable[Line]) -> Decimal:
    """What is still owed (negative: overpaid, to be refunded)."""
    return due - received(lines)


def check(lines: Sequence[Line], new: Line) -> None:
    """Refuse ``new`` when the rules forbid it after ``lines``:

    - ``cents``: amounts are whole cents and never zero;
    - ``sign``: a payment is positive, a refund negative;
    - ``reverses``: a reversal undoes an existing entry that is not itself a reversal, exactly
      (same payer, opposite amount), and an entry is reversed at most once;
    - ``refund``: a refund never takes back more than that payer has paid in net, so what was
      received from each payer never falls below zero.
    """
    if new.amount == 0 or not whole_cents(new.amount):
        raise LedgerError("cents")
    if (new.kind == PAYMENT and new.amount < 0) or (new.kind == REFUND and new.amount > 0):
        raise LedgerError("sign")
    if new.kind == REVERSAL:
        original = next((line for line in lines if line.key == new.reverses), None)
        if (
            original is None
            or original.kind == REVERSAL
            or any(line.reverses == new.reverses for line in lines)
            or new.amount != -original.amount
            or new.paid_by != original.paid_by
        ):
            raise LedgerError("reverses")
    elif new.reverses is not None:
        raise LedgerError("reverses")
    if new.amount < 0 and received(lines, new.paid_by) + new.amount < 0:
        raise LedgerError("refund")


def reversal_of(line: Line, key: int | None = None) -> Line:
    """The entry that undoes ``line``."""
    return Line(REVERSAL, -line.amount, line.paid_by, key, line.key)


@dataclass(frozen=True)
class Reconciliation:
    """An elevator's money: where the cost came from, to the cent. ``outstanding`` is what the
    households still owe in all (negative when more was received than is due: refunds)."""

    cost: Decimal
    subsidy: Decimal
    fund: Decimal
    payments: Decimal
    other_cover: Decimal
    outstanding: Decimal

    @property
    def residents(self) -> Decimal:
        return self.cost - self.subsidy - self.fund

    @property
    def reconciles(self) -> bool:
        parts = self.subsidy + self.fund + self.payments + self.other_cover + self.outstanding
        return parts == self.cost

    @property
    def settled(self) -> bool:
        """Nothing owed and nothing to refund: subsidy + fund + payments + other cover = cost."""
        return self.outstanding == 0


def reconcile(
    cost: Decimal, subsidy: Decimal, fund: Decimal, dues: Sequence[Decimal], lines: Iterable[Line]
) -> Reconciliation:
    """Reconcile an elevator whose households owe ``dues`` (adding up to cost − subsidy − fund)
    and whose ledgers hold ``lines``. Raises ValueError when the dues do not add up."""
    dues_total = sum(dues, ZERO)
    if dues_total != cost - subsidy - fund:
        raise ValueError(f"shares add up to {dues_total}, not {cost - subsidy - fund}")
    lines = list(lines)
    payments, cover = by_household(lines), by_others(lines)
    return Reconciliation(cost, subsidy, fund, payments, cover, dues_total - payments - cover)


# --- the final settlement ---------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """One household at the settlement: its planned share, its final share, what it has been
    paid for it so far, and what is left: positive an extra payment, negative a refund."""

    planned: Decimal
    final: Decimal
    received: Decimal

    @property
    def change(self) -> Decimal:
        return self.final - self.planned

    @property
    def balance(self) -> Decimal:
        return self.final - self.received


def differences(
    planned: Sequence[Decimal], final: Sequence[Decimal], received_: Sequence[Decimal]
) -> list[Difference]:
    return [Difference(p, f, r) for p, f, r in zip(planned, final, received_, strict=True)]


def final_parts(
    final_cost: Decimal, subsidy: Decimal, fund: Decimal
) -> tuple[Decimal, Decimal, Decimal]:
    """The subsidy, fund and residents' part of a final cost: the subsidy and the fund as
    planned (each capped so that no part is negative); the residents' part takes the change."""
    if final_cost < 0 or not whole_cents(final_cost):
        raise ValueError("the final cost is a whole number of cents, not negative")
    subsidy = min(subsidy, final_cost)
    fund = min(fund, final_cost - subsidy)
    return subsidy, fund, final_cost - subsidy - fund
