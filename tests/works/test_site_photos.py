"""The secretary chooses which site photos residents see, and posts the working hours."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.works.residents import add_photo, campaign_with_site, grid_worker_of, secretary_of

pytestmark = pytest.mark.django_db


def test_the_photo_page_warns_that_photos_showing_people_are_never_published():
    campaign, site = campaign_with_site()
    add_photo(site)
    client = Client()
    client.force_login(secretary_of(campaign))
    text = client.get(reverse("works:site_photos", args=[campaign.slug])).text
    assert "拍到人的照片不要公开" in text and "公开（照片中没有人）" in text


def test_the_secretary_publishes_and_unpublishes_a_photo():
    campaign, site = campaign_with_site()
    photo = add_photo(site)
    secretary = secretary_of(campaign)
    client = Client()
    client.force_login(secretary)
    url = reverse("works:publish_photo", args=[campaign.slug, photo.pk])
    public = reverse("works:public_photo", args=[campaign.slug, photo.pk])
    assert client.post(url, {"action": "publish"}).status_code == 302
    photo.refresh_from_db()
    assert photo.published_at and photo.published_by == secretary
    assert Client().get(public).status_code == 200
    assert client.post(url, {"action": "unpublish"}).status_code == 302
    photo.refresh_from_db()
    assert photo.published_at is None and photo.published_by is None
    assert Client().get(public).status_code == 404


def test_grid_workers_do_not_choose_public_photos():
    campaign, site = campaign_with_site()
    photo = add_photo(site)
    client = Client()
    client.force_login(grid_worker_of(site))
    url = reverse("works:publish_photo", args=[campaign.slug, photo.pk])
    assert client.post(url, {"action": "publish"}).status_code == 403
    photo.refresh_from_db()
    assert photo.published_at is None


def test_the_secretary_posts_the_working_hours_shown_on_the_project_page():
    campaign, site = campaign_with_site()
    client = Client()
    client.force_login(secretary_of(campaign))
    url = reverse("works:noise_notice", args=[campaign.slug, site.pk])
    assert client.post(url, {"noise_notice": "中午 12:00–14:00 不施工"}).status_code == 302
    site.refresh_from_db()
    assert site.noise_notice == "中午 12:00–14:00 不施工"
    assert "中午 12:00–14:00 不施工" in Client().get(campaign.get_absolute_url()).text
    response = client.post(url, {"noise_notice": "太长" * 200})
    assert response.status_code == 422 and ("太长" * 20) in response.text


@pytest.mark.parametrize("size", [2, 20])
def test_the_photo_page_runs_a_fixed_number_of_queries(django_assert_max_num_queries, size):
    campaign, site = campaign_with_site()
    for n in range(size):
        add_photo(site, published=n % 2 == 0)
    client = Client()
    client.force_login(secretary_of(campaign))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("works:site_photos", args=[campaign.slug]))
    assert response.text.count('class="site-photo"') == size
