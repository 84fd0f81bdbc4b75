"""A household's door status is stored on it, and the domain methods keep it true to the records.

Each method that changes a visit, a consent or the published proposal rewrites the columns of
the households it touched, in its own transaction; whatever the order of those changes, the
stored columns equal what ``computed_door_status`` works out from the records.
"""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consultations.doors import DoorStatus, door_status
from consultations.models import Consent, Proposal, Visit, computed_door_status
from consultations.models.door_state import computed
from consultations.personal_data import erase_household
from consultations.signing import record_consent
from households.models import DOOR_STATUS_FIELDS, Household, OwnerTrace
from tests.factories import (
    PNG_1PX,
    make_building,
    make_campaign,
    make_consent,
    make_elevator,
    make_household,
    make_proposal,
    make_unit,
    make_user,
    make_visit,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def stored(household) -> dict:
    return Household.objects.filter(pk=household.pk).values(*DOOR_STATUS_FIELDS).get()


def worked_out(household) -> dict:
    row = computed_door_status(Household.objects.filter(pk=household.pk)).get()
    return {name: getattr(row, computed(name)) for name in DOOR_STATUS_FIELDS}


def assert_true_to_the_records(households) -> None:
    """Stored equals worked out, column by column and as the label a worker sees (one query)."""
    rows = computed_door_status(Household.objects.filter(pk__in=[h.pk for h in households]))
    for row in rows:
        as_computed = Household(occupancy=row.occupancy, owner_trace=row.owner_trace)
        for name in DOOR_STATUS_FIELDS:
            setattr(as_computed, name, getattr(row, computed(name)))
        assert {name: getattr(row, name) for name in DOOR_STATUS_FIELDS} == {
            name: getattr(as_computed, name) for name in DOOR_STATUS_FIELDS
        }, row.room
        assert door_status(row) == door_status(as_computed)


class Stairwell:
    """One unit of three households (one an absentee owner's) with its elevator, a worker,
    a secretary and the first proposal version published."""

    def __init__(self) -> None:
        unit = make_unit(building=make_building(campaign=make_campaign()), floors=6)
        self.households = [
            make_household(unit=unit, floor=2, room="201"),
            make_household(unit=unit, floor=3, room="301", occupancy="absentee"),
            make_household(unit=unit, floor=4, room="401"),
        ]
        self.elevator = make_elevator(unit=unit, quote=Decimal("420000.00"))
        self.worker, self.secretary = make_user(), make_user()
        self.publish()

    def publish(self) -> Proposal:
        draft = Proposal.new_draft(self.elevator, by=self.secretary)
        draft.publish(by=self.secretary)
        return draft

    @property
    def proposal(self) -> Proposal:
        return Proposal.objects.published().get(elevator=self.elevator)

    def current(self, household) -> Consent | None:
        mine = Consent.objects.current().filter(household=household, proposal=self.proposal)
        return mine.first()

    def sign(self, household, decision: str) -> Consent:
        current = self.current(household)
        return record_consent(
            household=household,
            proposal=self.proposal,
            expected_current=current.pk if current else None,
            **signed(decision, witness=self.worker),
        )


def signed(decision: str, **fields) -> dict:
    return {
        "decision": decision,
        "signer_name": "张三",
        "method": Consent.Method.TABLET,
        "signature": PNG_1PX,
        "signature_type": "image/png",
        "signed_at": timezone.now(),
        **fields,
    }


@pytest.fixture
def stairwell() -> Stairwell:
    return Stairwell()


# Each domain method, on its own.


def test_a_new_household_has_not_been_visited_or_signed():
    household = make_household()
    assert stored(household) == worked_out(household)
    assert (household.visit_count, household.ever_reached, household.decision) == (0, False, "")
    assert door_status(household) == DoorStatus.NOT_VISITED


def test_recording_a_visit_stores_the_latest_visit_on_the_household(stairwell):
    household = stairwell.households[0]
    make_visit(household=household, visitor=stairwell.worker, attitude="undecided")
    Visit.objects.record(
        household,
        stairwell.worker,
        visited_at=timezone.now(),
        channel="door",
        reached="nobody",
        next_step="周末再来",
        next_step_on=TODAY() + timedelta(days=2),
    )
    assert stored(household) == {
        **worked_out(household),
        "last_reached": "nobody",
        "last_attitude": "",
        "follow_up_step": "周末再来",
        "follow_up_on": TODAY() + timedelta(days=2),
        "visit_count": 2,
        "ever_reached": True,
    }
    assert household.visit_count == 2  # the household passed in shows it too
    assert door_status(household) == DoorStatus.NOBODY_HOME


def test_a_replayed_visit_counts_once(stairwell):
    household = stairwell.households[0]
    fields = {"visited_at": timezone.now(), "channel": "door", "reached": "owner"}
    first, _ = Visit.objects.record(household, stairwell.worker, **fields)
    Visit.objects.record(
        household, stairwell.worker, idempotency_key=first.idempotency_key, **fields
    )
    assert stored(household)["visit_count"] == 1


def test_correcting_a_visit_moves_the_door_status(stairwell):
    household = stairwell.households[0]
    visit = make_visit(household=household, visitor=stairwell.worker, attitude="support")
    visit.correct(attitude="oppose", next_step_on=TODAY(), concerns=["cost"])
    assert stored(household)["last_attitude"] == "oppose"
    assert stored(household)["follow_up_on"] == TODAY()
    assert visit.concern_values == ["cost"]
    assert visit.history.count() == 2  # the correction is in the visit's history
    assert_true_to_the_records([household])


def test_signing_and_changing_ones_mind_store_the_decision_in_force(stairwell):
    household = stairwell.households[0]
    first = stairwell.sign(household, "agree")
    assert stored(household)["decision"] == "agree"
    first.supersede(**signed("disagree", witness=stairwell.worker, share_amount=first.share_amount))
    assert stored(household)["decision"] == "disagree"
    assert door_status(Household.objects.get(pk=household.pk)) == DoorStatus.SIGNED_DISAGREE


def test_publishing_a_new_version_leaves_the_answers_to_the_old_one_out(stairwell):
    signed_up, other, _ = stairwell.households
    stairwell.sign(signed_up, "agree")
    stairwell.publish()
    assert stored(signed_up)["decision"] == ""
    assert stored(other)["decision"] == ""
    stairwell.sign(signed_up, "agree_not_paying")
    assert stored(signed_up)["decision"] == "agree_not_paying"


def test_recording_a_trace_keeps_the_stored_columns_and_moves_the_label(stairwell):
    absentee = stairwell.households[1]
    make_visit(household=absentee, visitor=stairwell.worker, reached="tenant", attitude="support")
    assert door_status(Household.objects.get(pk=absentee.pk)) == DoorStatus.OWNER_UNTRACED
    absentee.record_trace(stairwell.worker, method="phone", result=OwnerTrace.REACHED)
    assert door_status(Household.objects.get(pk=absentee.pk)) == DoorStatus.SUPPORT
    assert_true_to_the_records([absentee])


def test_erasing_personal_data_clears_the_follow_up_shown_on_the_lists(stairwell):
    household = stairwell.households[0]
    make_visit(household=household, visitor=stairwell.worker, next_step="带上明细再来")
    erase_household(household, stairwell.secretary, "moved away")
    assert stored(household)["follow_up_step"] == ""
    assert_true_to_the_records([household])


def test_a_household_read_before_a_visit_and_saved_after_keeps_the_visit(stairwell):
    household = stairwell.households[0]
    stale = Household.objects.get(pk=household.pk)
    make_visit(household=household, visitor=stairwell.worker)
    stale.needs_note = "三楼老人行动不便"
    stale.save()
    assert stored(household)["visit_count"] == 1
    assert Household.objects.get(pk=household.pk).needs_note == "三楼老人行动不便"


def test_the_history_of_a_household_leaves_the_stored_columns_out(stairwell):
    household = stairwell.households[0]
    make_visit(household=household, visitor=stairwell.worker)
    historical = {field.name for field in Household.history.model._meta.fields}
    assert historical.isdisjoint(DOOR_STATUS_FIELDS)
    assert household.history.count() == 1  # created; a visit adds nothing to it


@pytest.mark.django_db(transaction=True)
def test_visits_recorded_at_one_door_at_the_same_moment_all_count():
    if connection.vendor != "postgresql":
        pytest.skip("needs a database that serves concurrent writers (PostgreSQL)")
    household, worker = make_household(), make_user()
    start = threading.Barrier(4)
    errors = []

    def record(hours_ago: int) -> None:
        try:
            start.wait()
            Visit.objects.record(
                Household.objects.get(pk=household.pk),
                worker,
                visited_at=timezone.now() - timedelta(hours=hours_ago),
                channel="door",
                reached="owner",
                attitude="undecided",
            )
        except Exception as error:  # a deadlock would show here
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(hours,)) for hours in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert stored(household)["visit_count"] == 4
    assert_true_to_the_records([household])


# Any sequence of them.

HOUSEHOLD = st.integers(min_value=0, max_value=2)
REACHED = st.sampled_from(["owner", "family", "tenant", "nobody"])
ATTITUDE = st.sampled_from(["support", "undecided", "oppose", ""])
FOLLOW_UP = st.one_of(st.none(), st.integers(min_value=-3, max_value=3))  # days from today
DECISION = st.sampled_from(["agree", "agree_not_paying", "disagree", "abstain"])
ACTION = st.one_of(
    st.tuples(
        st.just("visit"), HOUSEHOLD, REACHED, ATTITUDE, st.integers(0, 3), FOLLOW_UP
    ),  # hours ago: ties on visited_at happen
    st.tuples(st.just("correct"), st.integers(0, 20), REACHED, ATTITUDE, FOLLOW_UP),
    st.tuples(st.just("trace"), HOUSEHOLD, st.sampled_from(list(OwnerTrace))),
    st.tuples(st.just("sign"), HOUSEHOLD, DECISION),
    st.tuples(st.just("supersede"), HOUSEHOLD, DECISION),
    st.tuples(st.just("publish")),
)


def follow_up_on(days):
    return None if days is None else TODAY() + timedelta(days=days)


def act(place: Stairwell, action: tuple) -> None:
    name, *args = action
    if name == "visit":
        index, reached, attitude, hours_ago, days = args
        make_visit(
            household=place.households[index],
            visitor=place.worker,
            reached=reached,
            attitude="" if reached == "nobody" else attitude,
            visited_at=timezone.now() - timedelta(hours=hours_ago),
            next_step="再访" if days is not None else "",
            next_step_on=follow_up_on(days),
        )
    elif name == "correct":
        index, reached, attitude, days = args
        visits = list(Visit.objects.filter(household__in=place.households).order_by("pk"))
        if visits:
            visits[index % len(visits)].correct(
                reached=reached,
                attitude="" if reached == "nobody" else attitude,
                next_step_on=follow_up_on(days),
            )
    elif name == "trace":
        index, result = args
        place.households[index].record_trace(place.worker, method="phone", result=result)
    elif name == "sign":
        index, decision = args
        place.sign(place.households[index], decision)
    elif name == "supersede":
        index, decision = args
        current = place.current(place.households[index])
        if current is not None:
            fields = signed(decision, witness=place.worker, share_amount=current.share_amount)
            current.supersede(**fields)
    else:
        place.publish()


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=st.lists(ACTION, max_size=10))
def test_after_any_sequence_of_changes_the_stored_status_matches_the_records(db, actions):
    with transaction.atomic():
        place = Stairwell()
        for action in actions:
            act(place, action)
            assert_true_to_the_records(place.households)
        transaction.set_rollback(True)


def test_a_signature_closes_the_follow_up_an_earlier_visit_set():
    make_consent()  # another household's: the ids of consents and households differ
    household = make_household()
    make_visit(household=household, next_step="带分摊明细再来", next_step_on=TODAY() + timedelta(2))
    assert household.follow_up_on == TODAY() + timedelta(2)
    make_consent(household=household, proposal=make_proposal_for(household))
    household.refresh_from_db()
    assert household.follow_up_on is None and household.follow_up_step == ""
    assert stored(household) == computed_of(household)


def test_a_follow_up_set_after_the_signature_stays_open():
    make_consent()
    household = make_household()
    make_consent(household=household, proposal=make_proposal_for(household))
    make_visit(household=household, next_step="回访", next_step_on=TODAY() + timedelta(3))
    household.refresh_from_db()
    assert household.follow_up_on == TODAY() + timedelta(3)
    assert stored(household) == computed_of(household)


def make_proposal_for(household):
    return make_proposal(
        elevator=make_elevator(unit=household.unit), status=Proposal.Status.PUBLISHED
    )


def computed_of(household) -> dict:
    row = computed_door_status(Household.objects.filter(pk=household.pk)).get()
    return {name: getattr(row, computed(name)) for name in DOOR_STATUS_FIELDS}
