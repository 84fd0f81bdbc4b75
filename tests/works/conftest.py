from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from campaigns.models import Role
from tests.factories import (
    make_assignment,
    make_building,
    make_campaign,
    make_party,
    make_site,
    make_unit,
)


def upload(name: str = "site.jpg") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


class Works:
    """A campaign with one building of ``sites`` works sites, its contractor (with a login),
    a grid worker of the building, and the secretary."""

    def __init__(self, sites: int = 1):
        self.campaign = make_campaign()
        self.building = make_building(campaign=self.campaign, name="1栋")
        self.party = make_party(campaign=self.campaign, name="鑫达施工")
        self.sites = []
        for _ in range(sites):
            site = make_site(unit=make_unit(building=self.building))
            site.parties.add(self.party)
            self.sites.append(site)
        self.site = self.sites[0]
        self.worker = make_assignment(role=Role.GRID_WORKER, building=self.building).user
        self.contractor = make_assignment(role=Role.CONTRACTOR, party=self.party).user
        self.secretary = make_assignment(
            role=Role.SECRETARY, community=self.campaign.community
        ).user


@pytest.fixture
def works():
    return Works()


@pytest.fixture
def works_of():
    return Works
