"""Proposals: the parts add up, versions and publication are unique, shares add up to the cent."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consultations.models import FloorCoefficient, Proposal
from households.models import Household
from tests.factories import make_elevator, make_household, make_proposal, make_share, make_unit

pytestmark = pytest.mark.django_db

D = Decimal
Rule, GroundFloor = Proposal.Rule, Proposal.GroundFloor


def test_saving_computes_the_self_funded_part_from_the_others():
    proposal = make_proposal(
        total_cost=D("420000.00"), subsidy=D("150000.00"), maintenance_fund=D("120000.00")
    )
    assert proposal.self_funded == D("150000.00")
    proposal.maintenance_fund = D("200000.00")
    proposal.save()
    proposal.refresh_from_db()
    assert proposal.self_funded == D("70000.00")


def test_database_rejects_a_proposal_whose_parts_exceed_the_total():
    with pytest.raises(IntegrityError, match="proposal_amounts_not_negative"), transaction.atomic():
        make_proposal(
            total_cost=D("300000.00"), subsidy=D("150000.00"), maintenance_fund=D("150000.01")
        )


@pytest.mark.parametrize("field", ["subsidy", "maintenance_fund", "ground_floor_amount"])
def test_database_rejects_a_negative_amount(field):
    with pytest.raises(IntegrityError, match="proposal_amounts_not_negative"), transaction.atomic():
        make_proposal(**{field: D("-0.01")})


def test_database_rejects_a_self_funded_part_that_does_not_add_up():
    proposal = make_proposal()
    with pytest.raises(IntegrityError, match="proposal_parts_add_up"), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(self_funded=D("1.00"))


@pytest.mark.parametrize(
    ("total", "subsidy", "fund"),
    [("0.30", "0.10", "0.20"), ("1234567.89", "150000.17", "98765.43")],
)
def test_a_proposal_whose_parts_add_up_to_the_cent_is_accepted(total, subsidy, fund):
    proposal = make_proposal(total_cost=D(total), subsidy=D(subsidy), maintenance_fund=D(fund))
    assert proposal.self_funded == D(total) - D(subsidy) - D(fund)


def test_database_rejects_a_second_proposal_with_the_same_version_for_an_elevator():
    proposal = make_proposal(version=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_proposal(elevator=proposal.elevator, version=1)


def test_database_rejects_a_version_zero():
    with pytest.raises(IntegrityError, match="proposal_version_positive"), transaction.atomic():
        make_proposal(version=0)


def test_database_rejects_a_second_published_proposal_for_an_elevator():
    proposal = make_proposal(version=1, status=Proposal.Status.PUBLISHED)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_proposal(elevator=proposal.elevator, version=2, status=Proposal.Status.PUBLISHED)


def test_draft_superseded_and_published_versions_of_one_elevator_coexist():
    elevator = make_elevator()
    make_proposal(elevator=elevator, version=1, status="superseded", published_at=timezone.now())
    make_proposal(elevator=elevator, version=2, status=Proposal.Status.PUBLISHED)
    make_proposal(elevator=elevator, version=3)
    make_proposal(elevator=elevator, version=4)
    assert elevator.proposals.published().count() == 1


@pytest.mark.parametrize("status", ["published", "superseded"])
def test_database_rejects_a_published_proposal_without_a_publication_time(status):
    with pytest.raises(IntegrityError, match="proposal_published_has_time"), transaction.atomic():
        make_proposal(status=status, published_at=None)


def test_database_rejects_two_coefficients_for_one_floor():
    proposal = make_proposal()
    FloorCoefficient.objects.create(proposal=proposal, floor=3, coefficient=D("1.1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        FloorCoefficient.objects.create(proposal=proposal, floor=3, coefficient=D("1.2"))


@pytest.mark.parametrize(
    ("floor", "coefficient", "constraint"),
    [(0, D("1.0"), "coefficient_floor_positive"), (3, D("-0.1"), "coefficient_not_negative")],
)
def test_database_rejects_an_impossible_coefficient(floor, coefficient, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        FloorCoefficient.objects.create(
            proposal=make_proposal(), floor=floor, coefficient=coefficient
        )


def test_database_rejects_two_shares_for_one_household_in_a_proposal():
    share = make_share()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_share(proposal=share.proposal, household=share.household)


def test_database_rejects_a_negative_share():
    with pytest.raises(IntegrityError, match="share_not_negative"), transaction.atomic():
        make_share(amount=D("-0.01"))


def test_a_proposal_with_shares_cannot_be_deleted():
    share = make_share()
    with pytest.raises(ProtectedError):
        share.proposal.delete()


# Allocation under each rule


@pytest.fixture
def stairwell():
    """Two ground-floor flats, and flats on floors 2, 3 (two), 5 and 6 of a six-floor unit."""
    unit = make_unit(floors=6)
    flats = [("101", 1, "60.00"), ("102", 1, "75.50"), ("201", 2, "88.50"), ("301", 3, "88.50")]
    flats += [("302", 3, "101.30"), ("501", 5, "120.00"), ("601", 6, "88.50")]
    for room, floor, area in flats:
        make_household(unit=unit, room=room, floor=floor, area=D(area))
    make_household(room="101")  # another unit: never part of this elevator's split
    return make_elevator(unit=unit)


def shares_of(stairwell, **kw) -> dict[str, Decimal]:
    proposal = make_proposal(elevator=stairwell, total_cost=D("370000.00"), **kw)
    lines = proposal.allocate()
    assert sum(line.amount for line in lines) == proposal.self_funded == D("100000.00")
    return {line.household.room: line.amount for line in lines}


def test_floor_coefficients_times_area_share_the_self_funded_part(stairwell):
    proposal = make_proposal(elevator=stairwell, total_cost=D("370000.00"))
    for floor, coefficient in [(2, "1.000"), (3, "1.100"), (5, "1.300")]:
        FloorCoefficient.objects.create(proposal=proposal, floor=floor, coefficient=D(coefficient))
    lines = {line.household.room: line for line in proposal.allocate()}
    assert sum(line.amount for line in lines.values()) == D("100000.00")
    assert lines["301"].weight == D("1.100") * D("88.50")
    assert lines["601"].weight == D("88.50")  # no coefficient for floor 6: counts as 1
    assert lines["301"].amount > lines["201"].amount
    assert abs(lines["601"].amount - lines["201"].amount) <= D("0.01")
    assert lines["101"].amount == lines["102"].amount == D("0.00")


def test_by_area_shares_in_proportion_to_registered_area(stairwell):
    shares = shares_of(stairwell, rule=Rule.AREA)
    assert len(shares) == 7
    assert abs(shares["201"] - shares["601"]) <= D("0.01")
    assert shares["501"] > shares["302"] > shares["301"]


def test_equal_rule_splits_evenly_among_paying_households(stairwell):
    shares = shares_of(stairwell, rule=Rule.EQUAL)
    paying = [amount for room, amount in shares.items() if not room.startswith("1")]
    assert max(paying) - min(paying) <= D("0.01")


def test_an_exempt_ground_floor_pays_exactly_nothing(stairwell):
    shares = shares_of(stairwell, rule=Rule.AREA, ground_floor=GroundFloor.EXEMPT)
    assert [str(shares["101"]), str(shares["102"])] == ["0.00", "0.00"]


def test_a_ground_floor_that_pays_shares_like_the_rest(stairwell):
    shares = shares_of(stairwell, rule=Rule.AREA, ground_floor=GroundFloor.PAYS)
    assert D("0") < shares["101"] < shares["102"] < shares["201"]


def test_a_token_ground_floor_pays_exactly_the_token_and_the_rest_share_the_remainder(stairwell):
    shares = shares_of(
        stairwell, rule=Rule.AREA, ground_floor=GroundFloor.TOKEN, ground_floor_amount=D("500.00")
    )
    assert shares["101"] == shares["102"] == D("500.00")
    assert sum(a for room, a in shares.items() if not room.startswith("1")) == D("99000.00")


def test_fixed_amounts_come_from_the_recorded_shares(stairwell):
    proposal = make_proposal(elevator=stairwell, rule=Rule.FIXED)
    household = Household.objects.get(unit=stairwell.unit, room="201")
    make_share(proposal=proposal, household=household, amount=D("1234.56"))
    shares = {line.household.room: line.amount for line in proposal.allocate()}
    assert shares["201"] == D("1234.56")
    assert shares["301"] == D("0.00")


flats = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=18),
        st.decimals(min_value=D("20.00"), max_value=D("300.00"), places=2),
    ),
    min_size=1,
    max_size=20,
).filter(lambda fs: any(floor > 1 for floor, _area in fs))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    flats=flats,
    rule=st.sampled_from([Rule.FLOOR_AREA, Rule.AREA, Rule.EQUAL]),
    ground=st.sampled_from(list(GroundFloor)),
    cents=st.integers(min_value=100_000, max_value=100_000_000),
    token=st.sampled_from([D("0.00"), D("1.00"), D("50.00")]),
)
def test_shares_always_add_up_to_the_self_funded_part(flats, rule, ground, cents, token):
    self_funded = D(cents) * D("0.01")
    proposal = make_proposal(
        total_cost=self_funded, subsidy=D(0), maintenance_fund=D(0), rule=rule,
        ground_floor=ground, ground_floor_amount=token,
    )  # fmt: skip
    for floor in range(2, 19, 3):
        FloorCoefficient.objects.create(proposal=proposal, floor=floor, coefficient=D("1.05"))
    households = [Household(floor=floor, area=area) for floor, area in flats]
    lines = proposal.allocate(households)
    assert sum(line.amount for line in lines) == self_funded
    for line in lines:
        assert line.amount.as_tuple().exponent == -2
        if line.household.floor == 1 and ground != GroundFloor.PAYS:
            assert line.amount == (token if ground == GroundFloor.TOKEN else D("0.00"))
