"""Visits: concerns as a table, attitudes only from someone reached, one row per submission."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from consultations.models import Concern, Visit, VisitConcern
from tests.factories import make_visit

pytestmark = pytest.mark.django_db


def test_database_rejects_the_same_concern_twice_on_one_visit():
    visit = make_visit()
    VisitConcern.objects.create(visit=visit, concern=Concern.COST)
    with pytest.raises(IntegrityError), transaction.atomic():
        VisitConcern.objects.create(visit=visit, concern=Concern.COST)


def test_a_visit_may_record_several_different_concerns():
    visit = make_visit()
    for concern in (Concern.COST, Concern.NOISE, Concern.LOW_FLOOR):
        VisitConcern.objects.create(visit=visit, concern=concern)
    assert sorted(visit.concern_labels) == sorted(["费用分摊", "噪音与施工干扰", "低楼层不受益"])


def test_the_same_concern_may_be_raised_again_on_a_later_visit():
    first = make_visit()
    second = make_visit(household=first.household)
    VisitConcern.objects.create(visit=first, concern=Concern.COST)
    VisitConcern.objects.create(visit=second, concern=Concern.COST)
    assert VisitConcern.objects.filter(visit__household=first.household).count() == 2


@pytest.mark.parametrize("attitude", list(Visit.Attitude))
def test_database_rejects_an_attitude_when_nobody_was_reached(attitude):
    with (
        pytest.raises(IntegrityError, match="visit_attitude_needs_someone_reached"),
        transaction.atomic(),
    ):
        make_visit(reached=Visit.Reached.NOBODY, attitude=attitude)


def test_database_rejects_changing_a_visit_with_an_attitude_to_nobody_reached():
    visit = make_visit(reached=Visit.Reached.OWNER, attitude=Visit.Attitude.OPPOSE)
    with (
        pytest.raises(IntegrityError, match="visit_attitude_needs_someone_reached"),
        transaction.atomic(),
    ):
        Visit.objects.filter(pk=visit.pk).update(reached=Visit.Reached.NOBODY)


@pytest.mark.parametrize(
    ("reached", "attitude", "refused"),
    [
        (Visit.Reached.NOBODY, Visit.Attitude.SUPPORT, True),
        (Visit.Reached.NOBODY, "", False),
        (Visit.Reached.OWNER, Visit.Attitude.OPPOSE, False),
    ],
)
def test_validation_applies_the_attitude_rule_as_the_database_does(reached, attitude, refused):
    visit = make_visit(reached=Visit.Reached.OWNER, attitude=Visit.Attitude.SUPPORT)
    visit.reached, visit.attitude = reached, attitude
    if refused:
        with pytest.raises(ValidationError, match="visit_attitude_needs_someone_reached"):
            visit.validate_constraints()
    else:
        visit.validate_constraints()
    visit.validate_constraints(exclude={"attitude"})  # a field left out is not judged


def test_a_visit_where_nobody_was_home_is_accepted_without_an_attitude():
    visit = make_visit(reached=Visit.Reached.NOBODY, attitude="")
    assert visit.pk


@pytest.mark.parametrize("reached", [r for r in Visit.Reached if r != Visit.Reached.NOBODY])
def test_anyone_reached_may_give_an_attitude(reached):
    assert make_visit(reached=reached, attitude=Visit.Attitude.UNDECIDED).pk


def test_database_rejects_a_second_visit_with_the_same_idempotency_key():
    key = uuid.uuid4()
    visit = make_visit(idempotency_key=key)
    twin = Visit(household=visit.household, visitor=visit.visitor, idempotency_key=key)
    twin.visited_at, twin.channel, twin.reached = visit.visited_at, "door", "owner"
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()  # not Visit.objects.record, which answers a replay with the visit saved
    assert Visit.objects.filter(household=visit.household).count() == 1


def test_every_new_visit_gets_its_own_idempotency_key():
    first, second = make_visit(), make_visit()
    assert first.idempotency_key != second.idempotency_key


def test_a_household_with_visits_cannot_be_deleted():
    visit = make_visit()
    with pytest.raises(ProtectedError):
        visit.household.delete()
    assert Visit.objects.filter(pk=visit.pk).exists()
