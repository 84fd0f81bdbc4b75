from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client

from campaigns.models import Role
from tests.factories import make_assignment, make_voted_unit


@dataclass
class Books:
    unit: object
    households: list
    proposal: object
    secretary: Client
    worker: Client
    secretary_user: object


@pytest.fixture
def voted(db) -> Books:
    """A unit of six flats (2F–7F) that agreed to use the fund, its secretary and grid worker."""
    unit, households, proposal = make_voted_unit(["agree"] * 5 + ["agree_not_paying"])
    assert proposal.maintenance_fund == Decimal("120000.00")
    secretary = make_assignment(role=Role.SECRETARY, community=unit.building.campaign.community)
    worker = make_assignment(role=Role.GRID_WORKER, unit=unit)
    clients = []
    for assignment in (secretary, worker):
        client = Client()
        client.force_login(assignment.user)
        clients.append(client)
    return Books(unit, households, proposal, *clients, secretary.user)
