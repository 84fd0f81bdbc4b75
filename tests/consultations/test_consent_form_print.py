"""One household's consent form (业主意见表): blank for signing on paper, or as signed."""

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Role
from consultations.models import Consent
from consultations.packet import verification_code
from tests.factories import (
    PNG_1PX,
    make_assignment,
    make_building,
    make_campaign,
    make_elevator,
    make_household,
    make_matter,
    make_owner,
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
    assert f"签字人（按当时记录）：{consent.signer_name}" in text  # signed before the capacity
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


def layout_lines(pdf: bytes, tmp_path: Path) -> list[str]:
    """The PDF's lines as laid out, without spaces (the boxes' glyphs come from another font,
    which the plain extraction puts out of order)."""
    path = tmp_path / "layout.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True)
    return [re.sub(r"\s+", "", line) for line in out.stdout.splitlines() if line.strip()]


@pytest.fixture
def two_matters():
    """A worker's unit whose proposal asks two matters; 201's owner 王秀英 signed through an
    agent (agree, disagree), 301's owner in person (agree, agree)."""
    from consultations.signing import record_consent

    unit = make_unit(building=make_building(campaign=make_campaign()), floors=6)
    proposal = make_proposal(elevator=make_elevator(unit=unit))
    make_matter(proposal, 1, 5, "majority", "使用住宅专项维修资金")
    make_matter(proposal, 2, 7, "unanimous", "井道改造及费用分摊")
    flats = [make_household(unit=unit, floor=f, room=f"{f}01") for f in (2, 3, 4)]
    names = ["王秀英", "李建国", "张三"]
    owners = [make_owner(household=h, name=n) for h, n in zip(flats, names, strict=True)]
    proposal.publish()
    worker = make_assignment(unit=unit).user
    signed = {"method": "tablet", "signature": PNG_1PX, "signature_type": "image/png"}
    signed |= {"witness": worker, "signed_at": timezone.now(), "expected_current": None}
    record_consent(
        household=flats[0],
        proposal=proposal,
        answers={"1": "agree", "2": "disagree"},
        signer_capacity="agent",
        signer_owner=owners[0],
        signer_name="赵律师",
        agent_id_tail="123X",
        attorney_letter=b"%PDF-1.4 letter",
        attorney_letter_type="application/pdf",
        **signed,
    )
    record_consent(
        household=flats[1],
        proposal=proposal,
        answers={"1": "agree", "2": "agree"},
        signer_capacity="owner",
        signer_owner=owners[1],
        signer_name="李建国",
        **signed,
    )
    return worker, flats


@needs_poppler
def test_a_two_matter_form_signed_by_an_agent_shows_each_answer_and_the_power_of_attorney(
    client, two_matters, tmp_path
):
    worker, (by_agent, _in_person, _unsigned) = two_matters
    consent = Consent.objects.get(household=by_agent)
    client.force_login(worker)
    text, pages = text_and_pages(client.get(url(by_agent)).content, tmp_path)
    assert pages == 1
    lines = layout_lines(client.get(url(by_agent)).content, tmp_path)
    assert lines[lines.index("1.使用住宅专项维修资金") + 1] == "■同意□同意暂不出资□不同意□弃权"
    assert lines[lines.index("2.井道改造及费用分摊") + 1] == "□同意□同意暂不出资■不同意□弃权"
    assert "签字人：赵律师（受托代理人，委托人：产权人王秀英，身份证号后4位123X" in text
    assert "授权委托书：扫描件随签字记录存档" in text
    assert f"SHA-256{consent.attorney_letter_sha256}" in text
    assert "存档记录与签字内容一致" in text


@needs_poppler
def test_an_owner_who_signed_in_person_is_printed_as_such(client, two_matters, tmp_path):
    worker, (_by_agent, in_person, _unsigned) = two_matters
    client.force_login(worker)
    text, _pages = text_and_pages(client.get(url(in_person)).content, tmp_path)
    assert "签字人：李建国（产权人本人；平板签名）" in text
    assert "授权委托书" not in text.split("签字人")[1]


@needs_poppler
def test_a_blank_two_matter_form_asks_each_matter_and_has_a_line_for_an_agent(
    client, two_matters, tmp_path
):
    worker, (_by_agent, _in_person, unsigned) = two_matters
    client.force_login(worker)
    text, pages = text_and_pages(client.get(url(unsigned)).content, tmp_path)
    assert pages == 1
    assert "1.使用住宅专项维修资金□同意" in text and "2.井道改造及费用分摊□同意" in text
    assert "■" not in text
    assert "受托代理人签字" in text and "身份证号后4位" in text
