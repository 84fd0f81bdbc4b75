"""Issues: the contractor sees and closes only its own, with an "after" photo; the secretary
sees them all and reopens one whose fix did not hold."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Role
from tests.factories import (
    listed_doors,
    make_assignment,
    make_household,
    make_inspection,
    make_issue,
    make_party,
)
from tests.works.conftest import upload
from works.models import Issue, IssuePhoto

pytestmark = pytest.mark.django_db


def issue_of(works, party=None, **kw):
    inspection = make_inspection(site=works.site, inspector=works.worker)
    return make_issue(inspection=inspection, responsible=party or works.party, **kw)


def test_the_contractor_sees_only_its_own_partys_open_issues(client, works):
    ours = issue_of(works, description="围挡缺口")
    other_party = make_party(campaign=works.campaign, name="别的单位")
    theirs = issue_of(works, other_party, description="别人的问题")
    elsewhere = make_issue(responsible=make_party(), description="别的项目")
    client.force_login(works.contractor)
    response = client.get(reverse("works:my_issues"))
    assert response.status_code == 200
    assert "围挡缺口" in response.text
    assert "别人的问题" not in response.text and "别的项目" not in response.text
    assert client.get(reverse("works:issue", args=[ours.pk])).status_code == 200
    for stranger in (theirs, elsewhere):
        assert client.get(reverse("works:issue", args=[stranger.pk])).status_code == 404
        url = reverse("works:close_issue", args=[stranger.pk])
        assert client.post(url, {"resolution": "x", "photos": [upload()]}).status_code == 404


def test_the_contractor_reaches_no_household_page_nor_the_campaigns_issue_list(client, works):
    household = make_household(unit=works.site.elevator.unit)
    client.force_login(works.contractor)
    assert client.get(household.get_absolute_url()).status_code == 404
    response = client.get(reverse("works:issues", args=[works.campaign.slug]))
    assert response.status_code == 403
    doors = client.get(reverse("consultations:my_doors"))
    assert doors.status_code == 200 and listed_doors(doors) == set()


def test_the_contractor_closes_its_issue_with_an_after_photo(client, works):
    issue = issue_of(works)
    client.force_login(works.contractor)
    url = reverse("works:close_issue", args=[issue.pk])
    refused = client.post(url, {"resolution": "已补好围挡"})
    assert refused.status_code == 422
    assert "请上传整改后的照片。" in refused.text
    assert "已补好围挡" in refused.text
    response = client.post(url, {"resolution": "已补好围挡", "photos": [upload()]})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == Issue.Status.CLOSED and issue.closed_by == works.contractor
    assert issue.photos.get().stage == IssuePhoto.Stage.AFTER


def test_a_grid_worker_sees_the_issue_but_may_not_close_it(client, works):
    issue = issue_of(works)
    client.force_login(works.worker)
    assert client.get(reverse("works:issue", args=[issue.pk])).status_code == 200
    url = reverse("works:close_issue", args=[issue.pk])
    assert client.post(url, {"resolution": "x", "photos": [upload()]}).status_code == 403


def test_the_secretary_sees_overdue_issues_and_reopens_a_closed_one(client, works):
    overdue = issue_of(works, description="逾期的问题")
    Issue.objects.filter(pk=overdue.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    closed = issue_of(works, description="已整改的问题")
    Issue.objects.filter(pk=closed.pk).update(status="closed", closed_at=timezone.now())
    client.force_login(works.secretary)
    listed = client.get(reverse("works:issues", args=[works.campaign.slug]) + "?show=overdue")
    assert "逾期的问题" in listed.text and "已整改的问题" not in listed.text
    listed = client.get(reverse("works:issues", args=[works.campaign.slug]) + "?show=closed")
    assert "已整改的问题" in listed.text
    url = reverse("works:reopen_issue", args=[closed.pk])
    assert client.post(url, {}).status_code == 422
    assert client.post(url, {"reason": "围挡又倒了"}).status_code == 302
    closed.refresh_from_db()
    assert closed.status == Issue.Status.OPEN and "围挡又倒了" in closed.resolution


def test_the_contractor_may_not_reopen(client, works):
    issue = issue_of(works)
    Issue.objects.filter(pk=issue.pk).update(status="closed", closed_at=timezone.now())
    client.force_login(works.contractor)
    url = reverse("works:reopen_issue", args=[issue.pk])
    assert client.post(url, {"reason": "x"}).status_code == 403


def test_issue_photos_are_served_to_the_contractor_of_the_issue_only(client, works):
    issue = issue_of(works)
    client.force_login(works.contractor)
    client.post(
        reverse("works:close_issue", args=[issue.pk]),
        {"resolution": "好了", "photos": [upload()]},
    )
    photo = issue.photos.get()
    response = client.get(reverse("works:issue_photo", args=[photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    stranger = make_assignment(role=Role.CONTRACTOR).user
    client.force_login(stranger)
    assert client.get(reverse("works:issue_photo", args=[photo.pk])).status_code == 404


def test_overdue_issues_show_on_the_dashboard_and_in_the_daily_summary(client, works):
    overdue = issue_of(works, description="材料堆放占道")
    Issue.objects.filter(pk=overdue.pk).update(deadline=timezone.localdate() - timedelta(days=2))
    client.force_login(works.secretary)
    response = client.get(reverse("dashboard:campaign", args=[works.campaign.slug]))
    assert "逾期未整改 1 项" in response.text and "材料堆放占道" in response.text
    summary = client.get(reverse("daily_summary", args=[works.campaign.slug]) + "?format=text")
    assert "待整改 1 项，其中逾期 1 项" in summary.text
    assert "材料堆放占道" not in summary.text  # counts only in the residents' chat


@pytest.mark.parametrize("count", [2, 20])
def test_the_issue_lists_take_the_same_queries_whatever_their_length(
    client, works, count, django_assert_num_queries
):
    for _ in range(count):
        issue_of(works)
    client.force_login(works.contractor)
    client.get(reverse("works:my_issues"))
    with django_assert_num_queries(6):
        response = client.get(reverse("works:my_issues"))
    assert response.text.count('<li id="issue-') == count
    client.force_login(works.secretary)
    url = reverse("works:issues", args=[works.campaign.slug]) + "?show=all"
    client.get(url)
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.text.count('<li id="issue-') == count
