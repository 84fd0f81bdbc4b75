"""The history of tracked records: simple-history's, with its manager class built once."""

import pytest
from simple_history.models import registered_models

from consultations.models import Visit
from portal.history import HistoryManagerBuiltOnce
from tests.factories import make_visit

pytestmark = pytest.mark.django_db


def test_every_record_reads_its_history_through_one_manager_class():
    first, second = make_visit(), make_visit()
    assert type(first.history) is type(second.history)
    assert type(first.household.history) is type(second.household.history)


def test_each_records_history_manager_still_answers_for_that_record_alone():
    first, second = make_visit(notes="第一次"), make_visit(notes="第二次")
    first.notes = "更正"
    first.save()
    assert [h.notes for h in first.history.order_by("history_id")] == ["第一次", "更正"]
    assert [h.notes for h in second.history.all()] == ["第二次"]
    assert Visit.history.count() == 3


@pytest.mark.parametrize(
    "model",
    sorted(registered_models.values(), key=lambda m: m._meta.label),
    ids=lambda m: m._meta.label,
)
def test_every_tracked_model_builds_its_history_manager_class_once(model):
    """A model tracked with simple-history's plain ``HistoricalRecords`` would build its
    manager class on every save again."""
    assert issubclass(type(model.history), HistoryManagerBuiltOnce)
