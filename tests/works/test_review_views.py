"""The review pages: the lawyer and the sub-district reviewer read their campaign's units and
record their reviews; the secretary freezes packets, records contracts and sees what was
returned; nobody else reaches any of it."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, reverse

from campaigns.models import PartyKind, Role
from tests.consultations.signatures import impostor, jpeg_scan, pdf_scan
from tests.factories import make_assignment, make_party, make_user
from tests.works.review_helpers import frozen, passed_unit, people_of, ready, reviewed
from works.models import Review, ReviewDocument, Site, WorksContract

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_under_review():
    unit, site, proposal = passed_unit()
    packet = frozen(unit, proposal)
    people = people_of(unit.building.campaign)
    return {"unit": unit, "site": site, "proposal": proposal, "packet": packet, **people}


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_lawyer_reads_the_units_tally_proposal_and_frozen_packet(unit_under_review):
    u = unit_under_review
    response = client_of(u["lawyer"]).get(reverse("works:review_unit", args=[u["unit"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert u["packet"].sha256 in page
    assert "表决已通过" in page
    assert "已公示的费用分摊方案" in page
    assert "欧阳" not in page  # no owner's name
    download = client_of(u["lawyer"]).get(reverse("works:packet_file", args=[u["packet"].pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("who", ["grid worker", "contractor"])
def test_those_who_do_not_review_are_refused_the_unit_and_its_packet(unit_under_review, who):
    u = unit_under_review
    client = client_of(u[who])
    assert client.get(reverse("works:review_unit", args=[u["unit"].pk])).status_code == 403
    assert client.get(reverse("works:packet_file", args=[u["packet"].pk])).status_code == 404


def test_a_lawyer_of_another_community_gets_not_found(unit_under_review):
    u = unit_under_review
    other, _site, _proposal = passed_unit()
    lawyer = people_of(other.building.campaign)["lawyer"]
    client = client_of(lawyer)
    assert client.get(reverse("works:review_unit", args=[u["unit"].pk])).status_code == 404
    assert client.get(reverse("works:packet_file", args=[u["packet"].pk])).status_code == 404
    slug = u["unit"].building.campaign.slug
    assert client.get(reverse("works:review_overview", args=[slug])).status_code == 404


def test_the_lawyer_never_reaches_a_household(unit_under_review):
    u = unit_under_review
    household = u["unit"].households.first()
    client = client_of(u["lawyer"])
    assert client.get(household.get_absolute_url()).status_code == 404
    assert client.get(reverse("consultations:sign", args=[household.pk])).status_code == 404
    assert client.get(reverse("consultations:unit_packet", args=[u["unit"].pk])).status_code == 404


def review_post(packet, **fields):
    return {
        "packet": packet.pk,
        "kind": "lawyer",
        "outcome": "approved",
        "comments": "",
        "reviewer": "王律师",
        "organisation": "",
        "reviewed_on": "2026-03-01",
        **fields,
    }


def test_the_lawyer_records_an_approval_with_the_opinion_kept_by_its_sha256(unit_under_review):
    u = unit_under_review
    url = reverse("works:add_review", args=[u["unit"].pk])
    assert client_of(u["lawyer"]).get(url).status_code == 200
    response = client_of(u["lawyer"]).post(
        url, review_post(u["packet"], opinion_file=pdf_scan("意见书.pdf"))
    )
    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.kind, review.outcome, review.packet, review.recorded_by) == (
        "lawyer",
        "approved",
        u["packet"],
        u["lawyer"],
    )
    document = review.documents.get()
    assert (document.kind, document.content_type) == ("opinion", "application/pdf")
    served = client_of(u["reviewer"]).get(reverse("works:review_document", args=[document.pk]))
    assert served.status_code == 200
    import hashlib

    assert hashlib.sha256(b"".join(served)).hexdigest() == document.sha256
    refused = client_of(u["grid worker"]).get(reverse("works:review_document", args=[document.pk]))
    assert refused.status_code == 404


def test_the_lawyer_cannot_record_a_sub_district_review(unit_under_review):
    u = unit_under_review
    url = reverse("works:add_review", args=[u["unit"].pk])
    response = client_of(u["lawyer"]).post(url, review_post(u["packet"], kind="subdistrict"))
    assert response.status_code == 422
    assert not Review.objects.exists()


def test_a_returned_review_without_reasons_is_refused_and_keeps_what_was_typed(unit_under_review):
    u = unit_under_review
    url = reverse("works:add_review", args=[u["unit"].pk])
    data = review_post(u["packet"], outcome="returned", reviewer="王大律师")
    response = client_of(u["lawyer"]).post(url, data)
    assert response.status_code == 422
    assert "退回修改时请写明需要修改的地方" in response.content.decode()
    assert "王大律师" in response.content.decode()
    assert not Review.objects.exists()


def test_an_impostor_document_is_refused_by_content_and_the_typed_fields_stay(unit_under_review):
    u = unit_under_review
    url = reverse("works:add_review", args=[u["unit"].pk])
    data = review_post(u["packet"], comments="合同第五条需修改", opinion_file=impostor("意见.jpg"))
    response = client_of(u["lawyer"]).post(url, data)
    page = response.content.decode()
    assert response.status_code == 422
    assert "不是可用的图片" in page
    assert "合同第五条需修改" in page
    assert not Review.objects.exists() and not ReviewDocument.objects.exists()


def test_a_review_of_a_packet_frozen_again_since_the_form_was_opened_is_refused(
    unit_under_review,
):
    u = unit_under_review
    reviewed(u["packet"], Review.Kind.SUBDISTRICT, Review.Outcome.RETURNED)
    newer = frozen(u["unit"], u["proposal"])
    url = reverse("works:add_review", args=[u["unit"].pk])
    response = client_of(u["lawyer"]).post(url, review_post(u["packet"]))
    assert response.status_code == 422
    assert "送审材料已重新封存" in response.content.decode()
    assert not newer.reviews.exists()


def test_the_secretary_records_a_review_on_the_reviewers_behalf_and_it_says_so(
    unit_under_review,
):
    u = unit_under_review
    url = reverse("works:add_review", args=[u["unit"].pk])
    data = review_post(u["packet"], kind="subdistrict", reviewer="街道李科长")
    data["opinion_file"] = jpeg_scan("意见书.jpg")
    assert client_of(u["secretary"]).post(url, data).status_code == 302
    review = Review.objects.get()
    assert (review.kind, review.recorded_by) == ("subdistrict", u["secretary"])
    assert review.documents.get().content_type == "image/jpeg"
    page = client_of(u["lawyer"]).get(reverse("works:review_unit", args=[u["unit"].pk]))
    assert "代为录入" in page.content.decode()


def test_a_returned_review_shows_its_reasons_to_the_secretary_who_freezes_anew(
    unit_under_review, settings
):
    u = unit_under_review
    reviewed(u["packet"], Review.Kind.LAWYER, Review.Outcome.RETURNED, comments="缺少授权委托书")
    page = client_of(u["secretary"]).get(reverse("works:review_unit", args=[u["unit"].pk]))
    assert "审核退回" in page.content.decode() and "缺少授权委托书" in page.content.decode()
    response = client_of(u["secretary"]).post(
        reverse("works:freeze_packet", args=[u["unit"].pk]), follow=True
    )
    assert "送审材料已封存" in response.content.decode()
    assert u["unit"].review_packets.count() == 2


def test_freezing_a_unit_whose_vote_has_not_passed_is_refused_with_a_message():
    unit, _site, _proposal = passed_unit(["agree", "disagree", "disagree"])
    secretary = people_of(unit.building.campaign)["secretary"]
    response = client_of(secretary).post(
        reverse("works:freeze_packet", args=[unit.pk]), follow=True
    )
    assert "表决尚未通过，不能封存送审材料" in response.content.decode()
    assert not unit.review_packets.exists()


def test_only_the_secretary_freezes_a_packet(unit_under_review):
    u = unit_under_review
    url = reverse("works:freeze_packet", args=[u["unit"].pk])
    assert client_of(u["lawyer"]).post(url).status_code == 403


def contract_post(party, **fields):
    return {"contractor": party.pk, "signed_on": "2026-03-05", "amount": "398000.50", **fields}


def test_the_secretary_records_the_contract_with_its_pdf_and_sha256(unit_under_review):
    u = unit_under_review
    party = make_party(campaign=u["unit"].building.campaign, kind=PartyKind.CONTRACTOR)
    url = reverse("works:record_contract", args=[u["unit"].pk])
    response = client_of(u["secretary"]).post(url, contract_post(party, contract_pdf=pdf_scan()))
    assert response.status_code == 302
    contract = WorksContract.objects.get()
    assert (contract.site, contract.contractor, str(contract.amount)) == (
        u["site"],
        party,
        "398000.50",
    )
    assert len(contract.sha256) == 64
    served = client_of(u["lawyer"]).get(reverse("works:contract_file", args=[contract.pk]))
    assert served.status_code == 200


def test_a_contract_that_is_not_a_pdf_is_refused_and_the_amount_stays(unit_under_review):
    u = unit_under_review
    party = make_party(campaign=u["unit"].building.campaign, kind=PartyKind.CONTRACTOR)
    url = reverse("works:record_contract", args=[u["unit"].pk])
    data = contract_post(party, amount="123456.78", contract_pdf=jpeg_scan())
    response = client_of(u["secretary"]).post(url, data)
    assert response.status_code == 422
    assert "123456.78" in response.content.decode()
    assert "PDF" in response.content.decode()
    assert not WorksContract.objects.exists()


def test_the_lawyer_cannot_record_a_contract(unit_under_review):
    u = unit_under_review
    url = reverse("works:record_contract", args=[u["unit"].pk])
    assert client_of(u["lawyer"]).get(url).status_code == 403


def test_the_unit_page_shows_the_start_conditions_panel(unit_under_review):
    u = unit_under_review
    page = client_of(u["secretary"]).get(reverse("works:review_unit", args=[u["unit"].pk]))
    text = page.content.decode()
    assert "开工条件" in text
    assert "律师尚未审核通过送审材料。" in text and "施工合同尚未登记。" in text


def test_the_overview_lists_each_units_state(unit_under_review):
    u = unit_under_review
    reviewed(u["packet"], Review.Kind.LAWYER, Review.Outcome.RETURNED, comments="需修改")
    slug = u["unit"].building.campaign.slug
    page = client_of(u["reviewer"]).get(reverse("works:review_overview", args=[slug]))
    assert page.status_code == 200
    assert "退回修改" in page.content.decode()


@pytest.mark.parametrize("extra", [0, 10])
def test_the_overview_page_takes_the_same_queries_however_many_units(
    extra, django_assert_num_queries
):
    from tests.factories import make_building, make_elevator, make_site, make_unit

    unit, site, proposal = passed_unit()
    ready(site, proposal)
    campaign = unit.building.campaign
    building = make_building(campaign=campaign)
    for _ in range(extra):
        make_site(elevator=make_elevator(unit=make_unit(building=building)))
    client = client_of(people_of(campaign)["secretary"])
    url = reverse("works:review_overview", args=[campaign.slug])
    with django_assert_num_queries(13):
        assert client.get(url).status_code == 200


def test_a_lawyer_lands_on_the_review_overview_after_login(unit_under_review):
    u = unit_under_review
    response = client_of(u["lawyer"]).get(reverse("start"), follow=True)
    slug = u["unit"].building.campaign.slug
    assert response.redirect_chain[-1][0] == reverse("works:review_overview", args=[slug])


def test_a_contractor_lands_on_the_site_teams_issue_list_or_its_sites(unit_under_review):
    u = unit_under_review
    response = client_of(u["contractor"]).get(reverse("start"))
    try:
        expected = reverse("works:my_issues")
    except NoReverseMatch:
        expected = reverse("works:review_home")
    assert response["Location"] == expected


def test_a_party_account_without_a_review_role_sees_its_partys_sites():
    unit, site, _proposal = passed_unit()
    party = make_party(campaign=unit.building.campaign, kind=PartyKind.MAINTAINER)
    site.parties.add(party)
    user = make_assignment(make_user(), Role.MAINTAINER, party=party).user
    page = client_of(user).get(reverse("works:review_home"))
    assert page.status_code == 200 and str(site) in page.content.decode()
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_an_upload_posing_as_a_pdf_by_its_name_is_refused(unit_under_review):
    u = unit_under_review
    fake = SimpleUploadedFile("合同.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    url = reverse("works:add_review", args=[u["unit"].pk])
    response = client_of(u["lawyer"]).post(url, review_post(u["packet"], contract_file=fake))
    assert response.status_code == 422
    assert not Review.objects.exists()


def test_reading_a_unit_without_a_works_site_makes_none_and_lists_every_condition():
    unit, site, _proposal = passed_unit()
    site.delete()
    lawyer = people_of(unit.building.campaign)["lawyer"]
    page = client_of(lawyer).get(reverse("works:review_unit", args=[unit.pk])).content.decode()
    assert "施工合同尚未登记。" in page and "开工条件" in page
    assert not Site.objects.filter(elevator__unit=unit).exists()  # a GET writes nothing
