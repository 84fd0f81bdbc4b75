"""Receipt numbers run 1, 2, 3 … per campaign with no gap and no repeat, even when clerks record
payments at the same moment and one of them fails halfway (PostgreSQL: SQLite serialises
writers, so there is nothing to race)."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction

from households.models import Household
from money.models import Entry
from tests.factories import make_user, make_voted_unit


class Abandoned(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_concurrent_payments_get_consecutive_receipt_numbers_without_gaps():
    if connection.vendor != "postgresql":
        pytest.skip("needs a database that serves concurrent writers (PostgreSQL)")
    _unit, households, _proposal = make_voted_unit(["agree"] * 4)
    clerk = make_user()
    workers = 12
    start = threading.Barrier(workers)
    errors = []

    def record(i: int) -> None:
        try:
            start.wait()
            household = Household.objects.select_related("unit__building__campaign").get(
                pk=households[i % len(households)].pk
            )
            fields = {"amount": Decimal("10.00"), "paid_on": date(2026, 5, 1), "method": "cash"}
            if i % 4 == 3:  # took a number, then failed: the number must come back
                with transaction.atomic():
                    Entry.objects.record(household=household, by=clerk, **fields)
                    raise Abandoned
            Entry.objects.record(household=household, by=clerk, **fields)
        except Abandoned:
            pass
        except Exception as error:  # a deadlock or a duplicate number would show here
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Entry.objects.values_list("receipt_number", flat=True))
    assert numbers == list(range(1, workers - workers // 4 + 1))
