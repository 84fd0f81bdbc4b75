"""The inspection pages on a phone: the list of one's sites, the form, one inspection."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import MeetingDecision, Role
from tests.factories import (
    make_assignment,
    make_decision,
    make_inspection,
    make_meeting,
    make_site,
)
from tests.works.conftest import upload
from works.models import Check, Inspection, Issue

pytestmark = pytest.mark.django_db


def all_ok(site, **extra):
    from works.inspecting import checklist

    data = {f"{line.key}-result": "ok" for line in checklist(site)}
    return data | extra


def test_a_grid_worker_sees_todays_state_of_the_sites_of_their_building(client, works):
    make_inspection(site=works.site, inspector=works.worker)
    elsewhere = make_site()
    client.force_login(works.worker)
    response = client.get(reverse("works:inspections"))
    assert response.status_code == 200
    assert f'id="site-{works.site.pk}"' in response.text
    assert "今日已巡查" in response.text
    assert f'id="site-{elsewhere.pk}"' not in response.text


def test_a_commitment_of_the_unit_appears_on_the_form(client, works):
    make_decision(
        meeting=make_meeting(campaign=works.campaign, unit=works.site.elevator.unit),
        text="中午12:00–14:00不施工",
        is_commitment=True,
    )
    client.force_login(works.worker)
    response = client.get(reverse("works:new_inspection", args=[works.site.pk]))
    assert response.status_code == 200
    assert "中午12:00–14:00不施工" in response.text
    assert "安全围挡" in response.text


def test_an_inspection_with_a_photo_and_a_broken_item_opens_a_prefilled_issue(client, works):
    client.force_login(works.worker)
    deadline = timezone.localdate() + timedelta(days=2)
    data = all_ok(
        works.site,
        **{
            "item-fencing-result": "broken",
            "item-fencing-note": "东侧缺口",
            "item-fencing-open_issue": "on",
            "item-fencing-severity": "high",
            "item-fencing-responsible": works.party.pk,
            "item-fencing-deadline": deadline.isoformat(),
            "summary": "整体有序",
            "photos": [upload()],
        },
    )
    response = client.post(reverse("works:new_inspection", args=[works.site.pk]), data)
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.photos.count() == 1
    assert inspection.checks.filter(result=Check.Result.BROKEN).count() == 1
    issue = Issue.objects.get()
    assert issue.description == "安全围挡：东侧缺口"
    assert (issue.severity, issue.responsible, issue.deadline) == ("high", works.party, deadline)


def test_the_inspector_may_decline_the_issue_of_a_broken_standing_item(client, works):
    client.force_login(works.worker)
    data = all_ok(works.site, **{"item-dust-result": "broken", "item-dust-note": "已洒水"})
    response = client.post(reverse("works:new_inspection", args=[works.site.pk]), data)
    assert response.status_code == 302
    assert Issue.objects.count() == 0


def test_a_broken_commitment_always_opens_an_issue_and_breaches_it(client, works):
    promise = make_decision(
        meeting=make_meeting(campaign=works.campaign), text="草坪恢复", is_commitment=True
    )
    client.force_login(works.worker)
    data = all_ok(works.site, **{f"commitment-{promise.pk}-result": "broken"})
    response = client.post(reverse("works:new_inspection", args=[works.site.pk]), data)
    assert response.status_code == 302
    assert Issue.objects.get().source == Issue.Source.COMMITMENT
    promise.refresh_from_db()
    assert promise.status == MeetingDecision.Status.BREACHED


def test_a_refused_photo_keeps_what_was_typed(client, works):
    client.force_login(works.worker)
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("x.jpg", b"not a photo", content_type="image/jpeg")
    data = all_ok(works.site, summary="围挡完好，材料整齐", photos=[bad])
    response = client.post(reverse("works:new_inspection", args=[works.site.pk]), data)
    assert response.status_code == 422
    assert "不是可用的照片" in response.text
    assert "围挡完好，材料整齐" in response.text
    assert Inspection.objects.count() == 0


def test_a_missing_answer_is_refused_with_a_message(client, works):
    client.force_login(works.worker)
    response = client.post(reverse("works:new_inspection", args=[works.site.pk]), {})
    assert response.status_code == 422
    assert "请选择“安全围挡”的检查结果。" in response.text


def test_a_worker_of_another_building_cannot_reach_the_site(client, works):
    other = make_assignment(role=Role.GRID_WORKER).user
    client.force_login(other)
    assert client.get(reverse("works:new_inspection", args=[works.site.pk])).status_code == 404
    assert client.get(reverse("works:site_inspections", args=[works.site.pk])).status_code == 404


def test_the_contractor_sees_no_inspection(client, works):
    inspection = make_inspection(site=works.site)
    client.force_login(works.contractor)
    assert client.get(reverse("works:inspection", args=[inspection.pk])).status_code == 404
    assert client.get(reverse("works:new_inspection", args=[works.site.pk])).status_code == 404
    response = client.get(reverse("works:inspections"))
    assert f'id="site-{works.site.pk}"' not in response.text


def test_the_site_page_shows_the_days_missed_since_the_first_inspection(client, works):
    today = timezone.localdate()
    make_inspection(site=works.site, inspected_on=today - timedelta(days=3))
    client.force_login(works.secretary)
    response = client.get(reverse("works:site_inspections", args=[works.site.pk]))
    assert response.status_code == 200
    assert "漏巡 2 天" in response.text


@pytest.mark.parametrize("sites", [2, 12])
def test_the_inspection_list_takes_the_same_queries_whatever_the_number_of_sites(
    client, works_of, sites, django_assert_num_queries
):
    works = works_of(sites)
    for site in works.sites:
        make_inspection(site=site, inspector=works.worker)
        make_inspection(site=site, inspected_on=timezone.localdate() - timedelta(days=5))
    client.force_login(works.worker)
    client.get(reverse("works:inspections"))  # the session and the user, read once
    with django_assert_num_queries(7):
        response = client.get(reverse("works:inspections"))
    assert response.text.count('class="site-row"') == sites


@pytest.mark.parametrize("inspections", [1, 15])
def test_the_site_page_takes_the_same_queries_whatever_its_history(
    client, works, inspections, django_assert_num_queries
):
    for n in range(inspections):
        make_inspection(site=works.site, inspected_on=timezone.localdate() - timedelta(days=n))
    client.force_login(works.secretary)
    client.get(reverse("works:site_inspections", args=[works.site.pk]))
    with django_assert_num_queries(10):
        client.get(reverse("works:site_inspections", args=[works.site.pk]))


@pytest.mark.parametrize("promises", [0, 8])
def test_the_form_takes_the_same_queries_whatever_the_number_of_commitments(
    client, works, promises, django_assert_num_queries
):
    meeting = make_meeting(campaign=works.campaign)
    for n in range(promises):
        make_decision(meeting=meeting, text=f"承诺{n}", is_commitment=True)
    client.force_login(works.worker)
    url = reverse("works:new_inspection", args=[works.site.pk])
    client.get(url)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.text.count('class="card check-line"') == 5 + promises
