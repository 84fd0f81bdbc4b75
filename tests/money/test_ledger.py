"""The ledger's rules, on plain values: every sequence of entries the rules allow keeps the books
reconciled, never lets a payer's net fall below zero, and corrects only by reversing."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consultations.allocation import allocate
from money import ledger
from money.ledger import HOUSEHOLD, PAYMENT, REFUND, REVERSAL, LedgerError, Line

cents = st.integers(min_value=1, max_value=10_000_000).map(lambda c: Decimal(c) / 100)
payers = st.sampled_from([HOUSEHOLD, "other_household", "donor", "community_fund"])


@st.composite
def attempts(draw):
    """A sequence of attempted entries, some the rules refuse, applied through ``check``."""
    lines: list[Line] = []
    for key in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from([PAYMENT, REFUND, REVERSAL]))
        if kind == REVERSAL and lines:
            target = draw(st.sampled_from(lines))
            new = ledger.reversal_of(target, key)
        else:
            amount = draw(cents)
            new = Line(kind, amount if kind == PAYMENT else -amount, draw(payers), key)
        try:
            ledger.check(lines, new)
        except LedgerError:
            continue
        lines.append(new)
    return lines


@given(attempts())
def test_what_each_payer_has_paid_in_net_never_falls_below_zero(lines):
    for payer in {line.paid_by for line in lines}:
        running = Decimal(0)
        for line in lines:
            if line.paid_by == payer:
                running += line.amount
                assert running >= 0


@given(attempts())
def test_an_entry_is_reversed_at_most_once_and_a_reversal_never_is(lines):
    reversed_keys = [line.reverses for line in lines if line.kind == REVERSAL]
    assert len(reversed_keys) == len(set(reversed_keys))
    kinds = {line.key: line.kind for line in lines}
    assert all(kinds[key] != REVERSAL for key in reversed_keys)


@given(
    st.integers(0, 50_000_000).map(lambda c: Decimal(c) / 100),
    st.integers(0, 15_000_000).map(lambda c: Decimal(c) / 100),
    st.integers(0, 15_000_000).map(lambda c: Decimal(c) / 100),
    st.lists(st.integers(1, 200), min_size=1, max_size=30),
    attempts(),
)
def test_subsidy_fund_payments_cover_and_outstanding_always_add_up_to_the_cost(
    cost, subsidy, fund, weights, lines
):
    subsidy, fund, residents = ledger.final_parts(cost, subsidy, fund)
    dues = allocate(residents, [Decimal(w) for w in weights])
    books = ledger.reconcile(cost, subsidy, fund, dues, lines)
    assert books.reconciles
    assert books.payments + books.other_cover == ledger.received(lines)


@given(st.lists(st.integers(1, 200), min_size=1, max_size=30), cents, st.data())
def test_when_every_household_pays_its_share_the_books_close_exactly(weights, residents, data):
    dues = allocate(residents, [Decimal(w) for w in weights])
    lines = [Line(PAYMENT, due, data.draw(payers), i) for i, due in enumerate(dues) if due > 0]
    books = ledger.reconcile(residents + 150000, Decimal(150000), Decimal(0), dues, lines)
    assert books.settled
    assert books.subsidy + books.fund + books.payments + books.other_cover == books.cost


def test_a_refund_may_not_take_back_more_than_was_paid():
    paid = [Line(PAYMENT, Decimal("100.00"), HOUSEHOLD, 1)]
    with pytest.raises(LedgerError, match="refund"):
        ledger.check(paid, Line(REFUND, Decimal("-100.01"), HOUSEHOLD, 2))
    ledger.check(paid, Line(REFUND, Decimal("-100.00"), HOUSEHOLD, 2))


def test_a_refund_to_the_community_fund_may_not_come_out_of_what_the_household_paid():
    paid = [Line(PAYMENT, Decimal("100.00"), HOUSEHOLD, 1)]
    with pytest.raises(LedgerError, match="refund"):
        ledger.check(paid, Line(REFUND, Decimal("-1.00"), "community_fund", 2))


def test_amounts_are_whole_non_zero_cents_with_the_sign_of_their_kind():
    for bad, code in [
        (Line(PAYMENT, Decimal("0.00")), "cents"),
        (Line(PAYMENT, Decimal("1.005")), "cents"),
        (Line(PAYMENT, Decimal("-1.00")), "sign"),
        (Line(REFUND, Decimal("1.00")), "sign"),
    ]:
        with pytest.raises(LedgerError, match=code):
            ledger.check([], bad)


def test_a_reversal_must_undo_exactly_an_existing_entry_once():
    paid = Line(PAYMENT, Decimal("50.00"), HOUSEHOLD, 1)
    with pytest.raises(LedgerError, match="reverses"):
        ledger.check([paid], Line(REVERSAL, Decimal("-40.00"), HOUSEHOLD, 2, 1))
    with pytest.raises(LedgerError, match="reverses"):
        ledger.check([paid], Line(REVERSAL, Decimal("-50.00"), HOUSEHOLD, 2, 99))
    undo = ledger.reversal_of(paid, 2)
    ledger.check([paid], undo)
    with pytest.raises(LedgerError, match="reverses"):
        ledger.check([paid, undo], ledger.reversal_of(paid, 3))
    with pytest.raises(LedgerError, match="reverses"):
        ledger.check([paid, undo], ledger.reversal_of(undo, 3))


@given(
    st.integers(0, 50_000_000).map(lambda c: Decimal(c) / 100),
    st.integers(0, 50_000_000).map(lambda c: Decimal(c) / 100),
    st.integers(0, 50_000_000).map(lambda c: Decimal(c) / 100),
)
def test_the_final_parts_are_never_negative_and_add_up_to_the_final_cost(cost, subsidy, fund):
    parts = ledger.final_parts(cost, subsidy, fund)
    assert all(part >= 0 for part in parts)
    assert sum(parts) == cost


@given(
    st.lists(st.integers(1, 300), min_size=1, max_size=40),
    st.integers(1, 30_000_000).map(lambda c: Decimal(c) / 100),
    st.integers(1, 30_000_000).map(lambda c: Decimal(c) / 100),
)
def test_the_differences_of_a_settlement_add_up_to_the_change_in_cost(weights, planned, final):
    weights = [Decimal(w) for w in weights]
    before, after = allocate(planned, weights), allocate(final, weights)
    rows = ledger.differences(before, after, before)
    assert sum(after) == final
    assert sum(row.change for row in rows) == final - planned
    assert sum(row.balance for row in rows) == final - planned  # each paid its planned share
