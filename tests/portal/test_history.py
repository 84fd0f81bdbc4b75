"""The history of tracked records: simple-history's, with its manager class built once."""

import pytest

from consultations.models import Visit
from households.models import Household, Owner
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


@pytest.mark.parametrize("model", [Visit, Household, Owner])
def test_a_models_own_history_manager_lists_its_records(model):
    assert model.history.model._meta.model_name == f"historical{model._meta.model_name}"
