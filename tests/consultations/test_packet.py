"""The consent packet (业主签字同意材料): the printed legal record of a unit's vote.

The demo unit's packet (1栋1单元 of the demo, tests/conftest.py) is printed once for the module
and read back with poppler; other tests print small units of a few households.
"""

import hashlib
import re
import shutil
import socket
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import Role
from consultations.models import Consent, Decision, Proposal
from consultations.packet import (
    build_packet,
    find_by_code,
    image_data_uri,
    render_packet,
    verification_code,
)
from consultations.standing import unit_standing
from core.pdf import DEFAULT_BASE_URL, RefusedURL, StaticFilesOnly, html_to_pdf
from households.models import Owner
from tests.factories import (
    PNG_1PX,
    make_assignment,
    make_building,
    make_campaign,
    make_consent,
    make_elevator,
    make_household,
    make_proposal,
    make_unit,
    make_user,
    make_voted_unit,
)

pytestmark = pytest.mark.django_db
POPPLER = ("pdftotext", "pdfinfo", "pdffonts", "pdftoppm", "pdfimages")
needs_poppler = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in POPPLER), reason="needs poppler-utils"
)
needs_zbar = pytest.mark.skipif(shutil.which("zbarimg") is None, reason="needs zbar-tools")
METADATA_SERVICE = "http://169.254.169.254/"


# --- reading PDFs back ----------------------------------------------------------------------


def poppler(tool: str, pdf: Path, *args: str) -> str:
    command = [tool, *args, str(pdf)] + (["-"] if tool == "pdftotext" else [])
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def page_text(pdf: Path, page: int, *args: str) -> str:
    return poppler("pdftotext", pdf, "-f", str(page), "-l", str(page), *args)


def page_count(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)$", poppler("pdfinfo", pdf), re.MULTILINE)[1])


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def write(pdf: bytes, folder: Path, name: str = "packet.pdf") -> Path:
    path = folder / name
    path.write_bytes(pdf)
    return path


# --- small units ----------------------------------------------------------------------------


def unit_packet_pdf(unit, base_url="http://testserver/") -> tuple[bytes, int, object]:
    packet = build_packet(unit.building.campaign, [unit], base_url=base_url, whole_campaign=False)
    pdf, pages = render_packet(packet)
    return pdf, pages, packet


# --- the demo unit, printed once --------------------------------------------------------------


@pytest.fixture(scope="module")
def packet(demo, django_db_blocker, tmp_path_factory):
    """The secretary prints the demo's 1栋1单元 packet through the web page; the facts the tests
    check against are read, then anything printing it wrote is rolled back."""
    folder = tmp_path_factory.mktemp("demo-packet")
    with django_db_blocker.unblock(), transaction.atomic():
        unit = demo.unit
        client = Client()
        client.force_login(get_user_model().objects.get(username="secretary"))
        response = client.get(reverse("consultations:unit_packet", args=[unit.pk]))
        households = list(unit.households.order_by("floor", "room"))
        current = {
            c.household_id: c
            for c in Consent.objects.current().filter(proposal__status="published")
        }
        first_signed = next(i for i, h in enumerate(households) if h.pk in current)
        consent = current[households[first_signed].pk]
        facts = SimpleNamespace(
            response=response,
            pdf=write(response.content, folder),
            rooms=[h.room for h in households],
            labels={
                h.room: current[h.pk].get_decision_display() if h.pk in current else "未签字"
                for h in households
            },
            owners=list(Owner.objects.filter(household__unit=unit).values_list("name", "phone")),
            # cover, summary, proposal, then one page per household in room order
            consent_page=4 + first_signed,
            consent_room=households[first_signed].room,
            consent_url="http://testserver"
            + reverse("verify_consent", args=[verification_code(consent)]),
            consent_code=verification_code(consent),
            paper_page=4
            + next(
                i
                for i, h in enumerate(households)
                if h.pk in current and current[h.pk].method == "paper"
            ),
            expected_pages=4 + len(households),
            passed=False,
        )
        transaction.set_rollback(True)
    return facts


@needs_poppler
def test_the_secretary_prints_the_demo_units_packet_as_a_pdf(packet):
    assert packet.response.status_code == 200
    assert packet.response["Content-Type"] == "application/pdf"
    assert packet.response["Cache-Control"] == "private, no-store"
    assert "filename*=UTF-8''" in packet.response["Content-Disposition"]
    assert page_count(packet.pdf) == packet.expected_pages  # 3 + 20 households + appendix


@needs_poppler
def test_the_summary_lists_every_households_room_with_its_decision(packet):
    summary = page_text(packet.pdf, 2, "-layout")
    assert "表决情况汇总" in summary
    for room in packet.rooms:
        line = next(line for line in summary.splitlines() if line.split()[:1] == [room])
        assert packet.labels[room] in line, line
    text = poppler("pdftotext", packet.pdf)
    assert "第二百七十八条" in text or "全体业主签字同意" in text  # the rule's legal basis
    assert "尚未达到表决要求" in text


@needs_poppler
def test_each_household_has_its_own_page_in_room_order(packet):
    for offset, room in enumerate(packet.rooms):
        text = flat(page_text(packet.pdf, 4 + offset))
        assert f"电梯更新业主意见表·1栋1单元{room}" in text
        if packet.labels[room] == "未签字":
            assert "本户尚未对第2版方案签署意见" in text
        else:
            assert f"■{packet.labels[room]}" in text


@needs_poppler
def test_the_packet_names_owners_in_full_and_never_prints_a_phone_number(packet):
    text = flat(poppler("pdftotext", packet.pdf))
    for name, phone in packet.owners:
        assert name in text
        if phone:
            assert phone not in text
            assert f"{phone[:3]}****{phone[-4:]}" not in text


@needs_poppler
def test_the_cjk_font_is_embedded(packet):
    fonts = poppler("pdffonts", packet.pdf)
    noto = [line.split() for line in fonts.splitlines() if re.search(r"Noto\W?Sans\W?SC", line)]
    assert len(noto) == 2  # regular and bold
    assert all(columns[-5] == "yes" for columns in noto)  # the "emb" column


@needs_poppler
@needs_zbar
def test_the_qr_code_on_a_consent_page_opens_its_verification_page(packet, tmp_path):
    page = packet.consent_page
    assert f"1栋1单元{packet.consent_room}" in flat(page_text(packet.pdf, page))
    assert packet.consent_code in page_text(packet.pdf, page)  # printed under the code
    only = ["-f", str(page), "-l", str(page), "-singlefile"]
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", *only, str(packet.pdf), str(tmp_path / "page")],
        check=True,
    )
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(tmp_path / "page.png")], capture_output=True, text=True
    )
    assert decoded.stdout.strip() == packet.consent_url


@needs_poppler
def test_a_paper_scan_goes_in_as_the_jpeg_it_is(packet):
    page = str(packet.paper_page)
    assert "纸质表扫描件" in page_text(packet.pdf, packet.paper_page)
    images = poppler("pdfimages", packet.pdf, "-list", "-f", page, "-l", page)
    assert re.search(r"\bjpeg\b", images)


@needs_poppler
def test_the_appendix_records_visits_meetings_and_changes_of_mind(packet):
    appendix = page_text(packet.pdf, packet.expected_pages, "-layout")
    assert "附录：过程记录" in appendix
    assert "共记录走访" in appendix
    assert "第一次协调会" in appendix and "中午12:00至14:00" in appendix
    assert "审核记录" not in appendix  # the packet is what the reviewers review
    change = next(line for line in appendix.splitlines() if line.split()[:1] == ["601"])
    assert "不同意" in change and "同意" in change.replace("不同意", "", 1)


@needs_poppler
def test_every_page_of_a_packet_before_the_rule_is_met_says_draft(packet):
    for page in range(1, packet.expected_pages + 1):
        text = page_text(packet.pdf, page)
        assert "草稿" in text, page
        assert f"第 {page} 页 / 共 {packet.expected_pages} 页" in text


# --- the draft mark --------------------------------------------------------------------------


@needs_poppler
def test_the_draft_mark_goes_once_the_rule_is_met(tmp_path):
    unit, households, _proposal = make_voted_unit(["agree", "agree", "disagree"], rule="majority")
    pdf, pages, packet = unit_packet_pdf(unit)
    assert packet.sections[0].passed and not packet.is_draft
    path = write(pdf, tmp_path)
    assert pages == page_count(path) == 4 + len(households)
    assert "草稿" not in poppler("pdftotext", path)
    assert "已达到表决要求" in poppler("pdftotext", path)

    # the same answers under a unanimous rule (a published matter's rule never changes)
    unit, _households, _proposal = make_voted_unit(["agree", "agree", "disagree"], rule="unanimous")
    pdf, pages, packet = unit_packet_pdf(unit)
    assert packet.is_draft
    path = write(pdf, tmp_path, "draft.pdf")
    for page in range(1, pages + 1):
        assert "草稿" in page_text(path, page)


# --- what people typed stays text -------------------------------------------------------------


@needs_poppler
def test_a_url_typed_into_a_name_prints_as_text_and_fetches_nothing(tmp_path, monkeypatch):
    typed = f'<img src="{METADATA_SERVICE}">'
    unit, _households, _proposal = make_voted_unit(["agree"], signer_name=typed)
    Owner.objects.filter(household__unit=unit).update(name=f"<img src={METADATA_SERVICE}x>")
    fetched = []
    original = StaticFilesOnly.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    def no_network(*args, **kwargs):
        raise AssertionError(f"a PDF tried to open a connection: {args}")

    monkeypatch.setattr(StaticFilesOnly, "fetch", spy)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    pdf, _pages, _packet = unit_packet_pdf(unit)
    text = flat(poppler("pdftotext", write(pdf, tmp_path)))
    assert flat(typed) in text
    assert not [url for url in fetched if "169.254" in url]
    assert all(url.startswith(("data:", f"{DEFAULT_BASE_URL}static/")) for url in fetched)


def test_the_pdf_fetcher_decodes_image_data_uris_and_refuses_everything_else(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("tried to open a connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    fetcher = StaticFilesOnly("http://testserver/")
    response = fetcher.fetch("data:image/png;base64,iVBORw0KGgo=")
    assert response.read() == b"\x89PNG\r\n\x1a\n"
    assert response.content_type == "image/png"
    jpeg = fetcher.fetch("data:image/jpeg;base64,/9j/\n4A==")
    assert (jpeg.read(), jpeg.content_type) == (b"\xff\xd8\xff\xe0", "image/jpeg")
    for url in (
        METADATA_SERVICE,
        "http://testserver/media/x.png",
        "https://example.com/static/fonts/x.ttf",
        "file:///etc/passwd",
        "ftp://example.com/x",
        "data:image/png;base64,@@@",
        "data:text/css,body{}",
        "data:,hello",
        "data:image/svg+xml,<svg><image href='http://169.254.169.254/'/></svg>",
        "data:text/html;base64,PGgxPng8L2gxPg==",
    ):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)


def test_an_outside_image_in_a_template_is_left_out_without_a_request(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("tried to open a connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    html = f'<p>x</p><img src="{METADATA_SERVICE}latest/meta-data/"><img src="data:image/png;base64,iVBORw0KGgo=">'
    pdf, pages = html_to_pdf(html, "http://testserver/")
    assert pdf.startswith(b"%PDF") and pages == 1


def test_only_real_png_and_jpeg_bytes_become_images():
    assert image_data_uri(PNG_1PX, "image/png").startswith("data:image/png;base64,")
    assert image_data_uri(PNG_1PX, "image/jpeg") is None
    assert image_data_uri(b"%PDF-1.4", "application/pdf") is None
    assert image_data_uri(b"<svg onload=alert(1)>", "image/svg+xml") is None


# --- scans that cannot be images ---------------------------------------------------------------


@needs_poppler
def test_a_pdf_scan_is_named_with_its_sha256(tmp_path):
    scan = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    unit, _households, _proposal = make_voted_unit(
        ["agree"], method="paper", signature=scan, signature_type="application/pdf"
    )
    pdf, _pages, _packet = unit_packet_pdf(unit)
    text = flat(page_text(write(pdf, tmp_path), 4))
    assert "纸质签字表为PDF扫描件，原件存档" in text
    assert hashlib.sha256(scan).hexdigest() in text


# --- verification codes ----------------------------------------------------------------------


def test_a_verification_code_finds_its_consent_only_with_the_right_hash():
    consent = make_consent()
    code = verification_code(consent)
    assert code == f"{consent.pk}-{consent.content_hash[:10]}"
    assert find_by_code(code) == consent
    assert find_by_code(code.upper()) == consent
    wrong = "0" if consent.content_hash[0] != "0" else "1"
    assert find_by_code(f"{consent.pk}-{wrong}{consent.content_hash[1:10]}") is None
    for malformed in (
        "",
        "abc",
        f"{consent.pk}",
        f"{consent.pk}-{consent.content_hash[:9]}",
        f"{consent.pk}-{consent.content_hash[:11]}",
        f"-{consent.pk}-{consent.content_hash[:10]}",
        f"0{consent.pk}-{consent.content_hash[:10]}",
        f"{consent.pk}-{consent.content_hash[:9]}g",
        f"99999999999999999999999-{consent.content_hash[:10]}",
        f"{consent.pk + 1000}-{consent.content_hash[:10]}",
        None,
    ):
        assert find_by_code(malformed) is None, malformed


# --- the data behind it ----------------------------------------------------------------------


def test_a_changed_mind_is_the_current_answer_and_the_old_one_is_listed():
    unit, households, proposal = make_voted_unit([None, "agree"])
    first = make_consent(household=households[0], proposal=proposal, decision=Decision.DISAGREE)
    first.supersede(
        share_amount=first.share_amount,
        decision=Decision.AGREE,
        signer_name=first.signer_name,
        method=first.method,
        signature=bytes(first.signature),
        signature_type=first.signature_type,
        witness=first.witness,
        signed_at=first.signed_at,
    )
    packet = build_packet(
        unit.building.campaign, [unit], base_url="http://x/", whole_campaign=False
    )
    section = packet.sections[0]
    assert [page.decision for page in section.pages] == ["agree", "agree"]
    assert section.pages[0].record.replaces == first
    assert [(c.old.decision, c.new.decision) for c in section.changes] == [("disagree", "agree")]
    assert all(page.record.hash_ok for page in section.pages)
    assert section.passed and section.vote.tallies == unit_standing(unit)["vote"].tallies


def test_a_campaign_packet_leaves_out_units_without_a_published_proposal():
    unit, _households, _proposal = make_voted_unit(["agree"])
    campaign = unit.building.campaign
    bare = make_unit(building=unit.building)
    make_household(unit=bare)
    make_proposal(elevator=make_elevator(unit=bare))  # a draft only
    packet = build_packet(campaign, base_url="http://x/")
    assert [s.unit for s in packet.sections] == [unit]
    assert packet.omitted == [bare]
    assert packet.is_draft  # a unit still to vote
    assert packet.pages_expected == 1 + 4 + 1


def count_queries(unit) -> int:
    with CaptureQueriesContext(connection) as queries:
        build_packet(unit.building.campaign, [unit], base_url="http://x/", whole_campaign=False)
    return len(queries)


def test_loading_a_packet_takes_the_same_queries_for_3_or_12_households():
    small, _h, _p = make_voted_unit(["agree", None, "disagree"])
    large, households, _proposal = make_voted_unit(["agree", None, "disagree", "abstain"] * 3)
    first = Consent.objects.current().get(household=households[0])
    first.supersede(
        share_amount=first.share_amount,
        decision="disagree",
        signer_name="欧阳一华",
        method="tablet",
        signature=PNG_1PX,
        signature_type="image/png",
        witness=first.witness,
        signed_at=first.signed_at,
    )
    assert count_queries(small) == count_queries(large)


def test_a_campaign_with_more_units_costs_queries_per_unit_not_per_household():
    unit, _h, _p = make_voted_unit(["agree", "agree"])
    campaign = unit.building.campaign

    def campaign_queries():
        with CaptureQueriesContext(connection) as queries:
            build_packet(campaign, base_url="http://x/")
        return len(queries)

    one = campaign_queries()
    make_voted_unit(["agree"] * 6, campaign=campaign)
    two = campaign_queries()
    make_voted_unit(["agree"] * 9, campaign=campaign)
    assert campaign_queries() - two == two - one  # a fixed number per unit


# --- who may print a packet --------------------------------------------------------------------


def unit_url(unit) -> str:
    return reverse("consultations:unit_packet", args=[unit.pk])


def campaign_url(campaign) -> str:
    return reverse("consultations:campaign_packet", args=[campaign.slug])


def test_anonymous_visitors_are_sent_to_log_in(client):
    unit, _h, _p = make_voted_unit(["agree"])
    for url in (unit_url(unit), campaign_url(unit.building.campaign)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_grid_workers_leads_and_other_secretaries_get_404(client):
    unit, _h, _p = make_voted_unit(["agree"])
    campaign = unit.building.campaign
    others = [
        make_assignment(unit=unit).user,  # the unit's own grid worker
        make_assignment(role=Role.BUILDING_LEAD, building=unit.building).user,
        make_assignment(role=Role.SECRETARY).user,  # another community's secretary
        make_user(),  # nobody in particular
    ]
    for user in others:
        client.force_login(user)
        assert client.get(unit_url(unit)).status_code == 404
        assert client.get(campaign_url(campaign)).status_code == 404


def test_the_communitys_secretary_is_sent_to_where_the_campaign_packet_is_made(client):
    """A campaign is too large to print in a request: it is made in the background
    (tests/consultations/test_packet_files.py)."""
    unit, _h, _p = make_voted_unit(["agree", "agree"])
    campaign = unit.building.campaign
    secretary = make_assignment(role=Role.SECRETARY, community=campaign.community).user
    client.force_login(secretary)
    response = client.get(campaign_url(campaign))
    assert response.status_code == 302
    assert response["Location"] == reverse("consultations:packet_page", args=[campaign.slug])
    assert client.post(campaign_url(campaign)).status_code == 405


def test_a_superuser_prints_any_units_packet(client):
    unit, _h, _p = make_voted_unit(["agree"])
    client.force_login(make_user(is_superuser=True))
    assert client.get(unit_url(unit)).status_code == 200


def test_a_unit_or_campaign_without_a_published_proposal_is_a_404_that_says_why(client):
    campaign = make_campaign()
    unit = make_unit(building=make_building(campaign=campaign))
    make_household(unit=unit)
    client.force_login(make_assignment(role=Role.SECRETARY, community=campaign.community).user)
    response = client.get(unit_url(unit))
    assert response.status_code == 404
    assert "还没有已公示的费用分摊方案" in response.content.decode()
    for url in (
        campaign_url(campaign),
        reverse("consultations:packet_page", args=[campaign.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert "还没有公示费用分摊方案" in response.content.decode()
    generate = reverse("consultations:request_packet", args=[campaign.slug])
    assert client.post(generate).status_code == 404
    assert client.get(reverse("consultations:unit_packet", args=[999999])).status_code == 404


def test_a_published_proposal_of_another_unit_does_not_count(client):
    """The packet is about the unit's own published version only."""
    unit, _h, proposal = make_voted_unit(["agree"])
    assert Proposal.objects.published().filter(elevator__unit=unit).get() == proposal
    other, _h2, _p2 = make_voted_unit(["agree"], campaign=unit.building.campaign)
    packet = build_packet(unit.building.campaign, [other], base_url="http://x/")
    assert [s.proposal.elevator.unit_id for s in packet.sections] == [other.pk]
