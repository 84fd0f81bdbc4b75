"""The people of the staff-side tests: one campaign, its secretary and a grid worker on it."""

import pytest

from campaigns.models import Role
from tests.factories import make_assignment, make_building, make_campaign, make_unit


@pytest.fixture
def campaign():
    return make_campaign()


@pytest.fixture
def secretary(campaign):
    return make_assignment(role=Role.SECRETARY, community=campaign.community).user


@pytest.fixture
def grid_worker(campaign):
    unit = make_unit(building=make_building(campaign=campaign))
    return make_assignment(role=Role.GRID_WORKER, unit=unit).user
