"""Staff post progress updates with photos from the portal; drafts stay internal."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from campaigns.models import ProgressUpdate, Role, UpdatePhoto
from tests.campaigns.test_photos import annotated_jpeg, phone_jpeg
from tests.factories import (
    make_assignment,
    make_building,
    make_update,
)

pytestmark = pytest.mark.django_db


def photo(name="IMG_0001.jpg", data=None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data or phone_jpeg(), content_type="image/jpeg")


def post_update(client, campaign, photos=(), publish=True, **fields):
    data = {"title": "旧电梯拆除完成", "body": "今天拆除了旧电梯。", **fields}
    if publish:
        data["publish"] = "1"
    if photos:
        data["photos"] = list(photos)
    return client.post(reverse("campaigns:new_update", args=[campaign.slug]), data)


def test_a_grid_worker_publishes_an_update_with_photos_stripped_of_their_location(
    client, campaign, grid_worker, settings
):
    client.force_login(grid_worker)
    response = post_update(client, campaign, photos=[photo("a.jpg"), photo("b.jpg")])
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert update.is_published and update.author == grid_worker
    stored = list(update.photos.all())
    assert len(stored) == 2
    for each in stored:
        path = Path(settings.MEDIA_ROOT) / each.image.name
        assert str(path).startswith(str(settings.MEDIA_ROOT))
        image = Image.open(path)
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert len(image.getexif()) == 0
        assert b"PhonePro" not in path.read_bytes()
        assert max(image.size) <= 1600 and (each.width, each.height) == image.size
    client.logout()
    text = client.get(campaign.get_absolute_url()).text
    assert "旧电梯拆除完成" in text and stored[0].image.url in text


def test_a_published_photo_is_stored_without_the_script_and_position_in_its_comment(
    client, campaign, grid_worker, settings
):
    client.force_login(grid_worker)
    assert (
        post_update(client, campaign, photos=[photo("c.jpg", annotated_jpeg())]).status_code == 302
    )
    stored = (Path(settings.MEDIA_ROOT) / UpdatePhoto.objects.get().image.name).read_bytes()
    assert b"<script>" not in stored and b"GPS" not in stored and b"114.1509" not in stored


def test_a_draft_stays_internal_until_it_is_published(client, campaign, grid_worker):
    client.force_login(grid_worker)
    post_update(client, campaign, publish=False, title="明天开工（草稿）")
    update = ProgressUpdate.objects.get()
    assert not update.is_published
    assert "明天开工" not in client.get(campaign.get_absolute_url()).text
    client.post(reverse("campaigns:publish_update", args=[campaign.slug, update.pk]))
    update.refresh_from_db()
    assert update.is_published and update.published_at
    client.logout()
    assert "明天开工" in client.get(campaign.get_absolute_url()).text


def test_a_file_that_is_not_a_photo_is_refused_and_the_text_is_kept(client, campaign, grid_worker):
    client.force_login(grid_worker)
    fake = SimpleUploadedFile("virus.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    response = post_update(client, campaign, photos=[photo(), fake], body="文字不要丢")
    assert response.status_code == 422
    assert "“virus.jpg”不是可用的照片" in response.text
    assert "旧电梯拆除完成" in response.text and "文字不要丢" in response.text
    assert not ProgressUpdate.objects.exists() and not UpdatePhoto.objects.exists()


def test_a_thirty_megabyte_photo_is_refused_with_a_message(client, campaign, grid_worker):
    client.force_login(grid_worker)
    huge = photo("huge.jpg", b"\xff\xd8\xff" + b"\x00" * (30 * 1024 * 1024))
    response = post_update(client, campaign, photos=[huge])
    assert response.status_code == 422
    assert "照片“huge.jpg”超过 15 MB" in response.text
    assert not ProgressUpdate.objects.exists()


def test_a_photo_too_large_to_decode_is_refused_and_the_text_is_kept(client, campaign, grid_worker):
    from tests.consultations.signatures import huge_png

    client.force_login(grid_worker)
    huge = photo("huge.png", huge_png((7000, 7000)))
    response = post_update(client, campaign, photos=[huge], body="文字不要丢")
    assert response.status_code == 422
    assert "照片“huge.png”的尺寸太大" in response.text
    assert "旧电梯拆除完成" in response.text and "文字不要丢" in response.text
    assert not ProgressUpdate.objects.exists() and not UpdatePhoto.objects.exists()


def test_an_update_takes_at_most_six_photos(client, campaign, grid_worker):
    client.force_login(grid_worker)
    small = phone_jpeg((60, 40))
    response = post_update(client, campaign, photos=[photo(f"{n}.jpg", small) for n in range(7)])
    assert response.status_code == 422
    assert "最多 6 张照片" in response.text
    assert not ProgressUpdate.objects.exists()


def test_photos_added_to_a_draft_count_towards_the_six(client, campaign, grid_worker):
    client.force_login(grid_worker)
    small = phone_jpeg((60, 40))
    post_update(
        client, campaign, publish=False, photos=[photo(f"{n}.jpg", small) for n in range(5)]
    )
    update = ProgressUpdate.objects.get()
    url = reverse("campaigns:edit_update", args=[campaign.slug, update.pk])
    data = {"title": update.title, "body": update.body}
    response = client.post(url, {**data, "photos": [photo("6.jpg", small), photo("7.jpg", small)]})
    assert response.status_code == 422 and "最多还能添加 1 张" in response.text
    assert client.post(url, {**data, "photos": [photo("6.jpg", small)]}).status_code == 302
    assert update.photos.count() == 6


def test_a_published_update_cannot_be_edited(client, campaign, grid_worker):
    update = make_update(campaign=campaign, title="已公示")
    client.force_login(grid_worker)
    url = reverse("campaigns:edit_update", args=[campaign.slug, update.pk])
    response = client.post(url, {"title": "改过了", "body": "改过了"})
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.title == "已公示"


def test_a_building_lead_may_not_post_updates(client, campaign):
    lead = make_assignment(role=Role.BUILDING_LEAD, building=make_building(campaign=campaign))
    client.force_login(lead.user)
    assert post_update(client, campaign).status_code == 403
    assert not ProgressUpdate.objects.exists()


def test_staff_of_another_community_cannot_post_here(client, campaign):
    client.force_login(make_assignment(role=Role.SECRETARY).user)
    assert post_update(client, campaign).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, campaign):
    response = post_update(client, campaign)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("size", [3, 30])
def test_the_update_list_runs_a_fixed_number_of_queries(
    client, campaign, grid_worker, django_assert_max_num_queries, size
):
    for n in range(size):
        make_update(campaign=campaign, author=grid_worker, status="published" if n % 2 else "draft")
    client.force_login(grid_worker)
    with django_assert_max_num_queries(9):
        client.get(reverse("campaigns:updates", args=[campaign.slug]))
