"""The people and places of the schedule and stand-up tests (imported by them, not a conftest,
so the other works tests keep their own): a campaign with a voted unit and its elevator,
the campaign's parties, its secretary, a grid worker of the unit, a grid worker elsewhere."""

from datetime import date

import pytest

from campaigns.models import PartyKind, Role
from consultations.models import Proposal
from tests.factories import make_assignment, make_building, make_party, make_unit, make_voted_unit

OPENING = date(2027, 6, 30)


@pytest.fixture
def voted():
    """A unit whose vote passed (three owners, all agree), its households, its proposal."""
    return make_voted_unit(["agree", "agree", "agree"])


@pytest.fixture
def unit(voted):
    return voted[0]


@pytest.fixture
def campaign(unit):
    return unit.building.campaign


@pytest.fixture
def elevator(unit):
    return Proposal.objects.published().get(elevator__unit=unit).elevator


@pytest.fixture
def parties(campaign):
    return {
        kind: make_party(campaign=campaign, kind=kind, name=f"{label}甲")
        for kind, label in [
            (PartyKind.ELEVATOR_COMPANY, "电梯公司"),
            (PartyKind.CONTRACTOR, "施工队"),
            (PartyKind.PROPERTY_MANAGER, "物业"),
        ]
    }


@pytest.fixture
def secretary(campaign):
    return make_assignment(role=Role.SECRETARY, community=campaign.community).user


@pytest.fixture
def grid_worker(unit):
    return make_assignment(role=Role.GRID_WORKER, unit=unit).user


@pytest.fixture
def building_lead(unit):
    return make_assignment(role=Role.BUILDING_LEAD, building=unit.building).user


@pytest.fixture
def worker_elsewhere(campaign):
    other = make_unit(building=make_building(campaign=campaign))
    return make_assignment(role=Role.GRID_WORKER, unit=other).user
