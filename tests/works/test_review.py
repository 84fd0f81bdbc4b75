"""Review logic: freezing a unit's packet, who records which review, documents kept by
content, the parties' logins, the campaign's overview."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.models import Assignment, Role
from tests.consultations.signatures import impostor, jpeg_scan, pdf_scan, scripted_pdf_scan
from tests.factories import make_building, make_elevator, make_party, make_site, make_unit
from tests.works.review_helpers import (
    contracted,
    frozen,
    passed_unit,
    people_of,
    ready,
    reviewed,
)
from works.models import Review
from works.review import (
    NotReady,
    create_account,
    freeze_packet,
    keep_document,
    kinds_for,
    one_time_password,
    overview,
)

pytestmark = pytest.mark.django_db


def test_freezing_keeps_the_units_packet_pdf_with_its_sha256():
    unit, _site, proposal = passed_unit()
    people = people_of(unit.building.campaign)
    packet = freeze_packet(unit, people["secretary"])
    data = packet.file.read()
    assert data.startswith(b"%PDF-")
    assert packet.sha256 == hashlib.sha256(data).hexdigest()
    assert packet.proposal == proposal
    assert packet.frozen_by == people["secretary"]


def test_freezing_is_refused_while_the_vote_has_not_passed():
    unit, _site, _proposal = passed_unit(["agree", "disagree", "disagree"])
    people = people_of(unit.building.campaign)
    with pytest.raises(NotReady, match="表决尚未通过"):
        freeze_packet(unit, people["secretary"])
    assert not unit.review_packets.exists()


def test_freezing_again_is_refused_while_the_packet_is_under_review():
    unit, _site, proposal = passed_unit()
    packet = frozen(unit, proposal)
    reviewed(packet, Review.Kind.LAWYER)
    with pytest.raises(NotReady, match="只有审核退回后才能重新封存"):
        freeze_packet(unit, packet.frozen_by)


def test_freezing_again_is_allowed_once_a_review_returned_the_packet():
    unit, _site, proposal = passed_unit()
    old = frozen(unit, proposal)
    reviewed(old, Review.Kind.SUBDISTRICT, Review.Outcome.RETURNED)
    new = freeze_packet(unit, old.frozen_by)
    assert list(unit.review_packets.order_by("-frozen_at", "-pk")) == [new, old]


def test_the_lawyer_records_lawyers_reviews_the_reviewer_sub_district_ones_the_secretary_both():
    unit, _site, _proposal = passed_unit()
    campaign = unit.building.campaign
    people = people_of(campaign)
    assert kinds_for(people["lawyer"], campaign) == ["lawyer"]
    assert kinds_for(people["reviewer"], campaign) == ["subdistrict"]
    assert kinds_for(people["secretary"], campaign) == ["lawyer", "subdistrict"]
    assert kinds_for(people["contractor"], campaign) == []
    assert kinds_for(people["grid worker"], campaign) == []


def test_a_lawyer_of_another_community_records_nothing_here():
    unit, _site, _proposal = passed_unit()
    elsewhere, _s, _p = passed_unit()
    lawyer = people_of(elsewhere.building.campaign)["lawyer"]
    assert kinds_for(lawyer, unit.building.campaign) == []


@pytest.mark.parametrize(
    ("upload", "content_type"),
    [(pdf_scan, "application/pdf"), (jpeg_scan, "image/jpeg")],
)
def test_a_pdf_or_a_scan_is_kept_as_sent_with_its_sha256(upload, content_type):
    sent = upload()
    data = sent.read()
    sent.seek(0)
    kept = keep_document(sent)
    assert kept.content_type == content_type
    assert kept.data == data
    assert kept.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (impostor, "不是可用的图片"),
        (scripted_pdf_scan, "含有脚本"),
        (lambda: SimpleUploadedFile("x.pdf", b"%PDF-1.4 nothing"), "PDF"),
    ],
)
def test_a_document_that_is_not_what_it_claims_is_refused_with_a_message(upload, message):
    with pytest.raises(ValueError, match=message):
        keep_document(upload())


def test_a_contract_must_be_a_pdf():
    with pytest.raises(ValueError, match="PDF"):
        keep_document(jpeg_scan(), pdf_only=True)


def test_an_initial_password_is_twelve_unambiguous_characters():
    password = one_time_password()
    assert len(password) == 12 and not set(password) & set("0O1lI")


def test_a_contractors_account_logs_in_with_its_initial_password_and_speaks_for_its_party():
    unit = make_unit()
    campaign = unit.building.campaign
    party = make_party(campaign=campaign)
    user, password = create_account(
        campaign, username="builder", name="李工", role=Role.CONTRACTOR, party=party
    )
    assert user.check_password(password) and user.is_active and not user.is_staff
    assignment = Assignment.objects.get(user=user)
    assert (assignment.role, assignment.community, assignment.party) == (
        Role.CONTRACTOR,
        campaign.community,
        party,
    )
    assert assignment.building is None and assignment.unit is None


def test_a_lawyers_account_is_community_wide_without_a_party():
    unit = make_unit()
    campaign = unit.building.campaign
    user, _password = create_account(
        campaign, username="lawyer-wang", name="王律师", role=Role.LAWYER, party=None
    )
    assignment = Assignment.objects.get(user=user)
    assert (assignment.role, assignment.party) == (Role.LAWYER, None)


def test_the_overview_shows_each_units_vote_packet_latest_reviews_and_contract():
    unit, site, proposal = passed_unit()
    packet = ready(site, proposal)
    returned = reviewed(packet, Review.Kind.SUBDISTRICT, Review.Outcome.RETURNED)
    (state,) = overview(unit.building.campaign)
    assert state.vote.passed
    assert state.packet == packet
    assert state.lawyer.approves
    assert state.subdistrict == returned
    assert state.returned == [returned]
    assert state.contract == site.contracts.get()


def add_units(campaign, count):
    building = make_building(campaign=campaign)
    for _ in range(count):
        unit = make_unit(building=building)
        elevator = make_elevator(unit=unit)
        contracted(make_site(elevator=elevator))


@pytest.mark.parametrize("extra", [0, 12])
def test_the_overview_takes_the_same_queries_however_many_units(extra, django_assert_num_queries):
    unit, site, proposal = passed_unit()
    packet = ready(site, proposal)
    reviewed(packet, Review.Kind.LAWYER, Review.Outcome.RETURNED)
    add_units(unit.building.campaign, extra)
    with django_assert_num_queries(9):
        states = overview(unit.building.campaign)
    assert len(states) == 1 + extra
