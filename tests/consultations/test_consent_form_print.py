"""One household's consent form (业主意见表): blank for signing on paper, or as signed."""

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from django.urls import reverse

from campaigns.models import Role
from consultations.models import Consent
from consultations.packet import verification_code
from tests.factories import (
    make_assignment,
    make_building,
    make_campaign,
    make_elevator,
    make_household,
    make_proposal,
    make_unit,
    make_user,
    make_voted_unit,
)

pytestmark = pytest.mark.django_db
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="needs poppler-utils",
)


def url(household, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("consultations:consent_form", args=[household.pk]) + (
        f"?{query}" if query else ""
    )


def text_and_pages(pdf: bytes, tmp_path: Path) -> tuple[str, int]:
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    return re.sub(r"\s+", "", text), int(re.search(r"^Pages:\s+(\d+)$", info, re.M)[1])


@pytest.fixture
def door():
    """A grid worker's unit: 201 has signed (agree), 301 has not."""
    unit, households, proposal = make_voted_unit(["agree", None])
    worker = make_assignment(unit=unit).user
    return worker, households, proposal


@needs_poppler
def test_a_grid_worker_prints_a_blank_form_pre_filled_for_signing_on_paper(client, door, tmp_path):
    worker, (_signed, unsigned), proposal = door
    client.force_login(worker)
    response = client.get(url(unsigned))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert quote("空白意见表-") in response["Content-Disposition"]
    text, pages = text_and_pages(response.content, tmp_path)
    assert pages == 1
    share = proposal.shares.get(household=unsigned).amount
    assert f"{unsigned.unit.building.name}{unsigned.unit.name}{unsigned.room}" in text
    assert "欧阳二华" in text  # the owner, in full: they sign under it
    assert f"本户应出资：¥{share:,.2f}" in text
    assert "□同意" in text and "■" not in text
    assert "产权人签字" in text and "见证人签字" in text
    assert "13812341234" not in text and "138****1234" not in text


@needs_poppler
def test_a_signed_household_gets_its_form_as_signed_with_the_verification_code(
    client, door, tmp_path
):
    worker, (signed, _unsigned), _proposal = door
    consent = Consent.objects.current().get(household=signed)
    client.force_login(worker)
    response = client.get(url(signed))
    assert quote("签字意见表-") in response["Content-Disposition"]
    text, pages = text_and_pages(response.content, tmp_path)
    assert pages == 1
    assert "■同意" in text
    assert f"签字人：{consent.signer_name}" in text
    assert verification_code(consent) in text
    assert consent.content_hash in text
    assert "存档记录与签字内容一致" in text

    forced = client.get(url(signed, blank=1))
    text, _pages = text_and_pages(forced.content, tmp_path)
    assert verification_code(consent) not in text and "产权人签字" in text


def test_asking_for_the_signed_form_of_a_household_that_has_not_signed_is_a_404(client, door):
    worker, (signed, unsigned), _proposal = door
    client.force_login(worker)
    response = client.get(url(unsigned, signed=1))
    assert response.status_code == 404
    assert "本户还没有签字" in response.content.decode()
    assert client.get(url(signed, signed=1)).status_code == 200


def test_only_people_who_may_see_the_household_print_its_form(client, door):
    _worker, (signed, _unsigned), _proposal = door
    assert client.get(url(signed)).status_code == 302  # anonymous: log in first
    for stranger in (make_assignment().user, make_user()):  # another unit's worker, nobody
        client.force_login(stranger)
        assert client.get(url(signed)).status_code == 404
    secretary = make_assignment(
        role=Role.SECRETARY, community=signed.unit.building.campaign.community
    ).user
    client.force_login(secretary)
    assert client.get(url(signed, blank=1)).status_code == 200
    assert client.post(url(signed)).status_code == 405


def test_no_form_without_a_published_proposal_or_a_share_in_it(client):
    unit = make_unit(building=make_building(campaign=make_campaign()))
    household = make_household(unit=unit)
    make_proposal(elevator=make_elevator(unit=unit))  # a draft only
    client.force_login(make_assignment(unit=unit).user)
    response = client.get(url(household))
    assert response.status_code == 404
    assert "还没有已公示的费用分摊方案" in response.content.decode()

    unit, _households, _proposal = make_voted_unit([None])
    newcomer = make_household(unit=unit, floor=9, room="901")  # registered after publishing
    client.force_login(make_assignment(unit=unit).user)
    response = client.get(url(newcomer))
    assert response.status_code == 404
    assert "本户不在已公示的费用分摊方案中" in response.content.decode()
