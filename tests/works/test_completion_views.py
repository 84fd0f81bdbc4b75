import hashlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from campaigns.models import PartyKind, Role
from tests.factories import (
    make_assignment,
    make_community,
    make_in_service,
    make_party,
    make_pdf,
    make_site,
    make_unit,
)
from works import completion
from works.models import AcceptanceInspection, Handover, UseRegistration

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return make_site()


@pytest.fixture
def campaign(site):
    return site.elevator.unit.building.campaign


@pytest.fixture
def secretary(client, campaign):
    user = make_assignment(role=Role.SECRETARY, community=campaign.community).user
    client.force_login(user)
    return user


def url(name, campaign, site):
    return reverse(name, args=[campaign.slug, site.pk])


def inspection_data(**kw):
    return {
        "result": "passed",
        "inspected_on": "2026-09-01",
        "inspecting_body": "市特检院",
        "report_number": "JY-2026-001",
        "report": SimpleUploadedFile("报告.pdf", make_pdf()),
        **kw,
    }


def test_the_secretary_records_an_inspection_with_its_report(client, secretary, campaign, site):
    response = client.post(url("works:record_inspection", campaign, site), inspection_data())
    assert response.status_code == 302
    kept = AcceptanceInspection.objects.get(site=site)
    assert kept.recorded_by == secretary and kept.passed
    page = client.get(url("works:site_completion", campaign, site))
    assert "JY-2026-001" in page.content.decode()


def test_the_report_is_served_as_an_attachment_to_the_secretary_only(
    client, secretary, campaign, site
):
    client.post(url("works:record_inspection", campaign, site), inspection_data())
    kept = AcceptanceInspection.objects.get(site=site)
    link = reverse("works:inspection_report", args=[campaign.slug, kept.pk])
    response = client.get(link)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == kept.sha256
    elsewhere = make_assignment(role=Role.SECRETARY, community=make_community()).user
    client.force_login(elevator_worker(site))
    assert client.get(link).status_code == 403
    client.force_login(elsewhere)
    assert client.get(link).status_code == 404


def elevator_worker(site):
    return make_assignment(role=Role.GRID_WORKER, unit=site.elevator.unit).user


def test_a_bad_report_is_refused_with_a_message_and_the_typed_data_kept(
    client, secretary, campaign, site
):
    data = inspection_data(report=SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>"))
    response = client.post(url("works:record_inspection", campaign, site), data)
    assert response.status_code == 422
    assert "JY-2026-001" in response.content.decode()
    assert not AcceptanceInspection.objects.exists()


def test_registration_without_a_passed_inspection_is_refused_with_a_message(
    client, secretary, campaign, site
):
    response = client.post(
        url("works:record_registration", campaign, site),
        {"certificate_number": "梯登A-1", "registered_on": "2026-09-02"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "合格的监督检验" in body and "梯登A-1" in body
    assert not UseRegistration.objects.exists()


def test_opening_shows_the_elevator_in_service(client, secretary, campaign, site):
    client.post(url("works:record_inspection", campaign, site), inspection_data())
    client.post(
        url("works:record_registration", campaign, site),
        {"certificate_number": "梯登A-1", "registered_on": "2026-09-02"},
    )
    response = client.post(url("works:record_opening", campaign, site), {"opened_on": "2026-09-03"})
    assert response.status_code == 302
    overview = client.get(reverse("works:completion", args=[campaign.slug]))
    assert "2026-09-03 起投入使用" in overview.content.decode()


def test_the_handover_offers_only_the_campaigns_maintenance_companies(
    client, secretary, campaign, site
):
    company = make_party(campaign=campaign, kind=PartyKind.MAINTAINER, name="安心电梯维保")
    make_party(campaign=campaign, kind=PartyKind.CONTRACTOR, name="某施工单位")
    page = client.get(url("works:site_completion", campaign, site)).content.decode()
    assert "安心电梯维保" in page and "某施工单位" not in page
    data = {
        "maintainer": company.pk,
        "contract_start": "2026-09-03",
        "contract_end": "2027-09-02",
        "emergency_phone": "027-84001234",
        "warranty_end": "2028-09-02",
    }
    assert client.post(url("works:record_handover", campaign, site), data).status_code == 302
    assert Handover.objects.get().maintainer == company
    bad = client.post(
        url("works:record_handover", campaign, site), {**data, "emergency_phone": "张师傅"}
    )
    assert bad.status_code == 422 and "张师傅" in bad.content.decode()


def test_only_the_secretary_reaches_the_completion_pages(client, campaign, site):
    client.force_login(elevator_worker(site))
    assert client.get(reverse("works:completion", args=[campaign.slug])).status_code == 403
    client.force_login(make_assignment(role=Role.SECRETARY, community=make_community()).user)
    assert client.get(reverse("works:completion", args=[campaign.slug])).status_code == 404
    maintainer = make_assignment(
        role=Role.MAINTAINER,
        party=make_party(campaign=campaign, kind=PartyKind.MAINTAINER),
    ).user
    client.force_login(maintainer)
    assert client.get(url("works:site_completion", campaign, site)).status_code == 403


def test_the_public_page_shows_the_after_sales_without_anything_personal(client):
    site = make_in_service(day=timezone.localdate() - timedelta(days=10))
    campaign = site.elevator.unit.building.campaign
    fault = completion.report_fault(campaign, site, body="王秀英家门口电梯异响", room="1-302")
    completion.answer_fault(fault, by=fault.site.openings.get().recorded_by, note="13912345678")
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "027-84001234" in page  # the company's emergency number
    assert "起投入使用" in page
    assert reverse("works:report_fault", args=[campaign.slug]) in page
    for personal in ["王秀英", "1-302", "13912345678", "异响"]:
        assert personal not in page


@pytest.mark.parametrize("size", [1, 6])
def test_the_public_after_sales_runs_a_fixed_number_of_queries(django_assert_num_queries, size):
    first = make_in_service()
    building = first.elevator.unit.building
    for _ in range(size - 1):
        other = make_in_service(make_site(unit=make_unit(building=building)))
        for body in ("异响", "停梯"):
            completion.report_fault(building.campaign, other, body=body)
    # the sites, the current inspections, registrations, openings and handovers, the faults
    with django_assert_num_queries(6):
        shown = completion.public_after_sales(building.campaign)
    assert len(shown["after_sales"]) == size
