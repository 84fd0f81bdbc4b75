"""The 施工进展 section of the residents' project page and the published site photos."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    make_building,
    make_campaign,
    make_elevator,
    make_party,
    make_site,
    make_unit,
)
from tests.works.residents import (
    add_photo,
    add_steps,
    campaign_with_site,
    grid_worker_of,
    secretary_of,
)
from works.models import ResidentReport, ScheduleStep, StepKind
from works.public import step_of_the_day

pytestmark = pytest.mark.django_db


def test_a_campaign_without_a_works_site_shows_no_works_section(client):
    campaign = make_campaign()
    text = client.get(campaign.get_absolute_url()).text
    assert 'id="works"' not in text and 'href="#works"' not in text


def test_the_works_section_has_its_entry_in_the_contents_and_a_way_back(client):
    campaign, _site = campaign_with_site()
    text = client.get(campaign.get_absolute_url()).text
    assert 'href="#works"' in text
    section = text[text.index('id="works"') :]
    section = section[: section.index("</section>")]
    assert "回到目录" in section
    assert reverse("works:report_problem", args=[campaign.slug]) in section
    assert "htmx" not in text


def test_each_elevator_shows_the_step_in_progress_or_next_with_planned_and_actual_dates(client):
    campaign, site = campaign_with_site()
    add_steps(site)
    text = client.get(campaign.get_absolute_url()).text
    contract = site.steps.get(kind=StepKind.CONTRACT)
    assert "现在：合同签订" in text
    assert f"计划：{contract.planned_start:%Y-%m-%d} 至 {contract.planned_end:%Y-%m-%d}" in text
    assert f"实际：{contract.actual_start:%Y-%m-%d} 开始" in text
    assert "比计划晚 3 天" in text
    assert "共 3 个步骤，已完成 1 个。" in text


def test_the_step_of_the_day_is_the_first_not_finished_in_the_schedules_order():
    today = timezone.localdate()
    steps = [
        ScheduleStep(kind=kind, order=order, planned_start=today, planned_end=today, actual_end=end)
        for kind, order, end in [("install", 2, None), ("survey_design", 1, today)]
    ]
    assert step_of_the_day(steps).kind == "install"
    steps[0].actual_end = today
    assert step_of_the_day(steps) is None


def test_the_working_hours_notice_is_shown_without_names_or_numbers(client):
    campaign, site = campaign_with_site()
    site.noise_notice = "中午不施工，有事找 13912345678"
    site.save()
    text = client.get(campaign.get_absolute_url()).text
    assert "中午不施工" in text and "13912345678" not in text


def test_published_photos_are_shown_and_served_to_anyone(client):
    campaign, site = campaign_with_site()
    photo = add_photo(site, published=True, caption="新围挡")
    url = reverse("works:public_photo", args=[campaign.slug, photo.pk])
    text = client.get(campaign.get_absolute_url()).text
    assert url in text and "新围挡" in text
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")


def test_an_unpublished_photo_is_neither_shown_nor_reachable_anonymously(client):
    campaign, site = campaign_with_site()
    photo = add_photo(site, published=False, caption="有人的照片")
    text = client.get(campaign.get_absolute_url()).text
    assert "有人的照片" not in text and photo.image.name not in text
    assert (
        client.get(reverse("works:public_photo", args=[campaign.slug, photo.pk])).status_code == 404
    )
    assert (
        client.get(reverse("works:site_photo", args=[campaign.slug, photo.pk])).status_code == 302
    )
    # a grid worker of the site's unit sees it through the staff view; nobody else does
    worker = Client()
    worker.force_login(grid_worker_of(site))
    assert (
        worker.get(reverse("works:site_photo", args=[campaign.slug, photo.pk])).status_code == 200
    )


def test_a_photo_of_another_campaign_is_not_served_under_this_one(client):
    campaign, _site = campaign_with_site()
    _other, other_site = campaign_with_site()
    photo = add_photo(other_site, published=True)
    assert (
        client.get(reverse("works:public_photo", args=[campaign.slug, photo.pk])).status_code == 404
    )


def test_nothing_of_a_residents_report_appears_on_the_public_page(client):
    campaign, site = campaign_with_site()
    ResidentReport.objects.create(campaign=campaign, site=site, body="独一无二的反映内容")
    text = client.get(campaign.get_absolute_url()).text
    assert "独一无二的反映内容" not in text


@pytest.mark.parametrize("size", [2, 12])
def test_the_project_page_with_works_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, size
):
    campaign = make_campaign()
    for n in range(size):
        unit = make_unit(building=make_building(campaign=campaign, name=f"{n + 1}栋"))
        site = make_site(elevator=make_elevator(unit=unit))
        add_steps(site)
        add_photo(site, published=True)
    make_party(campaign=campaign)
    # 24 whatever the number of sites: the works sites with their steps, the photos, each
    # elevator's timeline, the commitments' checks and the after-sales figures, a query each
    with django_assert_max_num_queries(24):
        response = client.get(campaign.get_absolute_url())
    assert response.status_code == 200
    assert response.text.count('class="site-today"') == size


def test_staff_open_the_public_page_too(client):
    campaign, site = campaign_with_site()
    add_steps(site, timezone.localdate() - timedelta(days=1))
    client.force_login(secretary_of(campaign))
    assert client.get(campaign.get_absolute_url()).status_code == 200
