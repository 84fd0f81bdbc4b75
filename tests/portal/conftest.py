from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from campaigns.models import Role
from consultations.models import Consent, Visit, VisitConcern, refresh_door_status
from households.models import Household
from tests.factories import (
    make_assignment,
    make_building,
    make_campaign,
    make_consent,
    make_elevator,
    make_household,
    make_households,
    make_owner,
    make_proposal,
    make_unit,
    make_user,
    make_visit,
)


@dataclass
class HandCounted:
    campaign: object
    unit: object
    secretary: object
    households: dict
    workers: tuple


@pytest.fixture
def hand_counted():
    """One unit of seven households under the majority rule, each door in a different state,
    with every figure the dashboard shows worked out by hand in the comments.

    area: 101 100 signed agree · 102 80 signed agree-not-paying · 201 120 signed disagree ·
    202 100 supports (not signed) · 301 50 undecided · 302 50 absentee, owner untraced ·
    401 100 never visited. Scope 600 m², 7 heads; voted 300 m² (50.0%), 3 heads (42.9%);
    agreeing 180 of 300 m² (60.0%), 2 of 3 heads (66.7%). Quorum not met; winning 202 and 401
    (voted 500 m², 5 heads; agreeing 380 m², 4 heads) passes: 2 households needed.
    """
    campaign = make_campaign(consent_rule="majority")
    unit = make_unit(building=make_building(campaign=campaign, name="1栋"), name="1单元")
    proposal = make_proposal(elevator=make_elevator(unit=unit), status="published", version=2)
    worker_a = make_assignment(user=make_user("wang", first_name="小王"), unit=unit).user
    worker_b = make_assignment(user=make_user("chen", first_name="小陈"), unit=unit).user
    secretary = make_assignment(role=Role.SECRETARY, community=campaign.community).user
    rooms = [
        ("101", 1, "100.00", {}),
        ("102", 1, "80.00", {}),
        ("201", 2, "120.00", {}),
        ("202", 2, "100.00", {}),
        ("301", 3, "50.00", {}),
        ("302", 3, "50.00", {"occupancy": "absentee"}),
        ("401", 4, "100.00", {}),
    ]
    h = {
        room: make_household(unit=unit, room=room, floor=floor, area=Decimal(area), **kw)
        for room, floor, area, kw in rooms
    }
    for room in h:
        make_owner(household=h[room], name=f"业主{room}", phone=f"13800000{room}")
    today = timezone.localdate()
    cost = make_visit(household=h["101"], visitor=worker_a, attitude="support")
    VisitConcern.objects.create(visit=cost, concern="cost")
    make_consent(household=h["101"], proposal=proposal, decision="agree")
    make_visit(household=h["102"], visitor=worker_a, attitude="support")
    make_consent(household=h["102"], proposal=proposal, decision="agree_not_paying")
    against = make_visit(household=h["201"], visitor=worker_b, attitude="oppose")
    VisitConcern.objects.create(visit=against, concern="cost")
    make_consent(household=h["201"], proposal=proposal, decision="disagree")
    make_visit(household=h["202"], visitor=worker_b, attitude="support", next_step_on=today)
    undecided = make_visit(
        household=h["301"],
        visitor=worker_a,
        attitude="undecided",
        next_step_on=today - timedelta(days=2),
    )
    VisitConcern.objects.create(visit=undecided, concern="cost")
    VisitConcern.objects.create(visit=undecided, concern="noise")
    return HandCounted(campaign, unit, secretary, h, (worker_a, worker_b))


@pytest.fixture
def campaign_of():
    """A campaign of any size, for pinning query counts: ``campaign_of(2000)``."""
    return _campaign_of


def _campaign_of(size: int):
    """``size`` households in units of up to 200, a third signed, half visited with concerns,
    some follow-ups and absentee owners."""
    campaign = make_campaign()
    secretary = make_assignment(role=Role.SECRETARY, community=campaign.community).user
    worker = make_user()
    building = make_building(campaign=campaign)
    households = []
    for start in range(0, size, 200):
        unit = make_unit(building=building, floors=20)
        proposal = make_proposal(elevator=make_elevator(unit=unit), status="published")
        batch = make_households(unit, min(200, size - start), per_floor=10)
        Consent.objects.bulk_create(
            Consent(
                household=h,
                proposal=proposal,
                share_amount=Decimal("7000.00"),
                decision=["agree", "disagree", "agree_not_paying"][i % 3],
                signer_name="张三",
                method="tablet",
                signature=b"png",
                signature_type="image/png",
                signed_at=proposal.published_at,
                witness=worker,
                content_hash="0" * 64,
            )
            for i, h in enumerate(batch)
            if i % 3 == 0
        )
        households += batch
    visits = Visit.objects.bulk_create(
        Visit(
            household=h,
            visitor=worker,
            visited_at=campaign.created_at,
            channel="door",
            reached="owner",
            attitude="undecided",
            next_step_on=campaign.created_at.date(),
        )
        for h in households[::2]
    )
    VisitConcern.objects.bulk_create(VisitConcern(visit=v, concern="cost") for v in visits)
    Household.objects.filter(pk__in=[h.pk for h in households[1::7]]).update(occupancy="absentee")
    refresh_door_status(Household.objects.in_campaign(campaign))  # as the domain methods do
    return campaign, secretary
