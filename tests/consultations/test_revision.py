"""Every change to what a door list or dashboard shows moves its units' change counters; a
change elsewhere leaves them alone; and the counters never go back."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import Unit
from consultations.models import Proposal, VisitConcern
from households.models import OwnerTrace, TraceAttempt
from tests.factories import (
    make_consent,
    make_elevator,
    make_household,
    make_owner,
    make_proposal,
    make_unit,
    make_user,
    make_visit,
)

pytestmark = pytest.mark.django_db


def stamp_of(*units) -> tuple[int, int]:
    return Unit.objects.filter(pk__in=[unit.pk for unit in units]).stamp()


@pytest.fixture
def unit():
    return make_unit()


@pytest.fixture
def household(unit):
    return make_household(unit=unit)


def moves(unit, change) -> bool:
    before = stamp_of(unit)
    change()
    return stamp_of(unit) != before


def test_the_stamp_counts_the_units_and_sums_their_counters(unit):
    other = make_unit()
    Unit.objects.filter(pk=unit.pk).update(revision=2)
    Unit.objects.filter(pk=other.pk).update(revision=5)
    assert stamp_of(unit, other) == (2, 7)
    assert Unit.objects.none().stamp() == (0, 0)


def test_a_new_visit_and_its_correction_move_the_stamp(unit, household):
    visit = make_visit(household=household)
    assert moves(unit, lambda: make_visit(household=household))
    visit.notes = "改了"
    assert moves(unit, visit.save)


def test_concerns_raised_and_withdrawn_move_the_stamp(unit, household):
    visit = make_visit(household=household)
    assert moves(unit, lambda: VisitConcern.objects.create(visit=visit, concern="cost"))
    assert moves(unit, lambda: visit.concerns.get().delete())


def test_a_consent_moves_the_stamp_of_its_unit(unit):
    proposal = make_proposal(elevator=make_elevator(unit=unit), status=Proposal.Status.PUBLISHED)
    assert moves(unit, lambda: make_consent(proposal=proposal))


def test_publishing_a_proposal_moves_the_stamp_of_its_unit(unit):
    proposal = make_proposal(elevator=make_elevator(unit=unit))

    def publish():
        proposal.status, proposal.published_at = Proposal.Status.PUBLISHED, timezone.now()
        proposal.save()

    assert moves(unit, publish)


def test_owners_and_the_search_for_them_move_the_stamp(unit, household):
    assert moves(unit, lambda: make_owner(household=household))
    attempt = lambda: TraceAttempt.objects.create(  # noqa: E731
        household=household,
        worker=make_user(),
        attempted_at=timezone.now() - timedelta(minutes=5),
        method=TraceAttempt.Method.PHONE,
        result=OwnerTrace.REACHED,
    )
    assert moves(unit, attempt)


def test_a_household_moved_to_another_unit_moves_both(unit, household):
    other = make_unit()
    before = stamp_of(unit), stamp_of(other)
    household.unit = other
    household.save()
    assert stamp_of(unit) != before[0]
    assert stamp_of(other) != before[1]


def test_renaming_the_unit_its_building_or_campaign_moves_the_stamp(unit):
    unit.name = "9单元"
    assert moves(unit, unit.save)
    building = unit.building
    building.name = "99栋"
    assert moves(unit, building.save)
    campaign = building.campaign
    campaign.consent_rule = "unanimous"
    assert moves(unit, campaign.save)


def test_a_visit_in_another_unit_leaves_the_stamp_alone(unit, household):
    assert not moves(unit, lambda: make_visit(household=make_household()))


def test_saving_a_unit_read_earlier_never_writes_its_counter_back(unit, household):
    stale = Unit.objects.get(pk=unit.pk)
    make_visit(household=household)
    counted = Unit.objects.get(pk=unit.pk).revision
    stale.floors = 12
    stale.save()
    fresh = Unit.objects.get(pk=unit.pk)
    assert fresh.floors == 12
    assert fresh.revision == counted + 1  # its own save counts; the old count is not restored
