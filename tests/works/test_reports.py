"""Residents report a problem on site without an account; the secretary turns a report into
an inspection issue or declines it with a reason. Nothing of a report is public."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_household, make_owner, make_party
from tests.works.residents import (
    campaign_with_site,
    grid_worker_of,
    jpeg_bytes,
    secretary_of,
)
from works.models import Issue, IssuePhoto, ResidentReport

pytestmark = pytest.mark.django_db


def report_url(campaign) -> str:
    return reverse("works:report_problem", args=[campaign.slug])


def test_a_resident_reports_a_problem_with_a_photo_without_an_account(client):
    campaign, site = campaign_with_site()
    photo = SimpleUploadedFile("site.jpg", jpeg_bytes(), content_type="image/jpeg")
    data = {"site": site.pk, "body": "中午还在切割，声音很大", "photo": photo}
    response = client.post(report_url(campaign), data)
    assert response.status_code == 302 and response["Location"].endswith("?sent=1")
    report = ResidentReport.objects.get()
    assert (report.campaign, report.site, report.status) == (campaign, site, "new")
    assert report.body == "中午还在切割，声音很大"
    assert report.photo and report.width == 64
    assert "已经收到" in client.get(response["Location"]).text


def test_the_report_form_says_nothing_of_it_is_public(client):
    campaign, _site = campaign_with_site()
    text = client.get(report_url(campaign)).text
    assert "不会公开" in text and 'enctype="multipart/form-data"' in text
    assert "htmx" not in text


@pytest.mark.parametrize(
    ("body", "upload", "message"),
    [
        ("   ", None, "请写下您看到的问题。"),
        ("围挡倒了" * 300, None, "最多 1000 字"),
        ("围挡倒了", SimpleUploadedFile("a.jpg", b"not a photo at all"), "不是可用的照片"),
        ("看 http://evil.example", None, "不能包含网址链接"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_the_typed_text_kept(client, body, upload, message):
    campaign, _site = campaign_with_site()
    data = {"body": body} | ({"photo": upload} if upload else {})
    response = client.post(report_url(campaign), data)
    assert response.status_code == 422
    assert message in response.text
    if body.strip():
        assert body[:40] in response.text
    assert not ResidentReport.objects.exists()


def test_reports_are_rate_limited_per_address_like_questions(client, settings):
    settings.QUESTION_RATE_LIMIT = 2
    campaign, _site = campaign_with_site()
    for n in range(2):
        assert client.post(report_url(campaign), {"body": f"问题{n}"}).status_code == 302
    response = client.post(report_url(campaign), {"body": "第三个问题"})
    assert response.status_code == 429
    assert "提交太频繁了" in response.text and "第三个问题" in response.text
    assert ResidentReport.objects.count() == 2
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post(report_url(campaign), {"body": "另一个网络"}).status_code == 302


def test_a_report_larger_than_a_photo_is_refused_before_it_is_read(client):
    campaign, _site = campaign_with_site()
    response = client.generic(
        "POST", report_url(campaign), b"", CONTENT_LENGTH=str(30 * 1024 * 1024)
    )
    assert response.status_code == 413 and "太大" in response.text


def test_a_campaign_that_is_not_public_takes_no_reports(client):
    campaign, _site = campaign_with_site(is_public=False)
    assert client.get(report_url(campaign)).status_code == 404


# --- moderation -----------------------------------------------------------------------------


def secretary_client(campaign) -> Client:
    client = Client()
    client.force_login(secretary_of(campaign))
    return client


def test_the_secretary_reads_new_reports_with_names_and_numbers_hidden():
    campaign, site = campaign_with_site()
    household = make_household(unit=site.elevator.unit)
    make_owner(household=household, name="王建国", phone="13912345678")
    ResidentReport.objects.create(
        campaign=campaign, site=site, body="王建国家门口堆了材料，电话13912345678"
    )
    text = secretary_client(campaign).get(reverse("works:reports", args=[campaign.slug])).text
    assert "堆了材料" in text
    assert "王建国" not in text and "13912345678" not in text


def test_moderation_turns_a_report_into_a_residents_issue_with_its_photo():
    campaign, site = campaign_with_site()
    report = ResidentReport(campaign=campaign, body="夜里还在施工")
    report.photo.save("r.jpg", SimpleUploadedFile("r.jpg", jpeg_bytes()), save=False)
    report.save()
    contractor = make_party(campaign=campaign, kind="contractor")
    deadline = timezone.localdate() + timedelta(days=2)
    client = secretary_client(campaign)
    url = reverse("works:accept_report", args=[campaign.slug, report.pk])
    data = {
        "site": site.pk,
        "description": "晚上 20:00 后施工",
        "severity": "medium",
        "responsible": contractor.pk,
        "deadline": deadline.isoformat(),
    }
    response = client.post(url, data)
    assert response.status_code == 302
    report.refresh_from_db()
    issue = report.issue
    assert report.status == ResidentReport.Status.ACCEPTED and report.handled_at
    assert (issue.source, issue.site, issue.responsible, issue.deadline) == (
        Issue.Source.RESIDENT,
        site,
        contractor,
        deadline,
    )
    assert issue.severity == "medium" and issue.description == "晚上 20:00 后施工"
    assert issue.photos.get().stage == IssuePhoto.Stage.BEFORE
    # handled once only
    assert client.post(url, data).status_code == 302
    assert Issue.objects.count() == 1


def test_an_issue_needs_a_site_a_description_and_a_deadline_not_past():
    campaign, _site = campaign_with_site()
    report = ResidentReport.objects.create(campaign=campaign, body="扬尘大")
    url = reverse("works:accept_report", args=[campaign.slug, report.pk])
    yesterday = timezone.localdate() - timedelta(days=1)
    response = secretary_client(campaign).post(
        url, {"description": " ", "deadline": yesterday.isoformat(), "severity": "low"}
    )
    assert response.status_code == 422
    assert "请写明要整改的问题。" in response.text and "整改期限不能早于今天。" in response.text
    report.refresh_from_db()
    assert report.status == "new" and not Issue.objects.exists()


def test_declining_a_report_needs_a_reason_and_keeps_it():
    campaign, _site = campaign_with_site()
    report = ResidentReport.objects.create(campaign=campaign, body="希望换个颜色")
    client = secretary_client(campaign)
    url = reverse("works:decline_report", args=[campaign.slug, report.pk])
    assert client.post(url, {"reason": "  "}).status_code == 422
    assert client.post(url, {"reason": "不属于施工问题，已电话回复"}).status_code == 302
    report.refresh_from_db()
    assert report.status == "declined" and report.decline_reason == "不属于施工问题，已电话回复"
    listed = client.get(reverse("works:reports", args=[campaign.slug]) + "?show=declined")
    assert "不属于施工问题" in listed.text


def test_grid_workers_do_not_moderate_reports_nor_see_their_photos():
    campaign, site = campaign_with_site()
    report = ResidentReport.objects.create(campaign=campaign, body="围挡倒了")
    client = Client()
    client.force_login(grid_worker_of(site))
    for name in ["works:reports"]:
        assert client.get(reverse(name, args=[campaign.slug])).status_code == 403
    for name in ["works:report", "works:report_photo"]:
        assert client.get(reverse(name, args=[campaign.slug, report.pk])).status_code == 403


def test_a_report_of_another_campaign_is_not_found():
    campaign, _site = campaign_with_site()
    other, _other_site = campaign_with_site()
    report = ResidentReport.objects.create(campaign=other, body="别处的问题")
    client = secretary_client(campaign)
    assert client.get(reverse("works:report", args=[campaign.slug, report.pk])).status_code == 404


@pytest.mark.parametrize("size", [2, 20])
def test_the_report_list_runs_a_fixed_number_of_queries(django_assert_max_num_queries, size):
    campaign, site = campaign_with_site()
    for n in range(size):
        ResidentReport.objects.create(campaign=campaign, site=site, body=f"问题 {n}")
    client = secretary_client(campaign)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("works:reports", args=[campaign.slug]))
    assert response.text.count('id="report-') == size


def test_a_report_whose_photo_file_is_gone_still_becomes_an_issue(settings, tmp_path):
    campaign, site = campaign_with_site()
    report = ResidentReport(campaign=campaign, body="围挡倒了")
    report.photo.save("r.jpg", SimpleUploadedFile("r.jpg", jpeg_bytes()), save=False)
    report.save()
    settings.MEDIA_ROOT = tmp_path / "elsewhere"
    url = reverse("works:accept_report", args=[campaign.slug, report.pk])
    deadline = (timezone.localdate() + timedelta(days=1)).isoformat()
    data = {"site": site.pk, "description": "围挡倒了", "severity": "low", "deadline": deadline}
    assert secretary_client(campaign).post(url, data).status_code == 302
    assert Issue.objects.get().photos.count() == 0
