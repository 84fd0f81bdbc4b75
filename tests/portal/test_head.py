"""HEAD is answered wherever GET is (uptime monitors and link previews ask with it): the same
status and headers, no body."""

import pytest
from django.urls import reverse

from consultations.packet import verification_code
from tests.factories import make_campaign, make_consent
from tests.portal.test_urls import SITE_URLS, client_for, site, site_url

pytestmark = pytest.mark.django_db
__all__ = ["site"]  # the demo site fixture, shared with the URL tests


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_head_on_the_home_page_answers_200_without_a_body(client):
    response = client.head(reverse("home"))
    assert response.status_code == 200 and body(response) == b""


def test_head_on_the_project_page_answers_200_without_a_body(client):
    campaign = make_campaign()
    response = client.head(campaign.get_absolute_url())
    assert response.status_code == 200 and body(response) == b""
    assert "public" in response["Cache-Control"]


def test_head_on_a_consent_verification_page_answers_200_without_a_body(client):
    url = reverse("verify_consent", args=[verification_code(make_consent())])
    response = client.head(url)
    assert response.status_code == 200 and body(response) == b""


def test_a_head_request_first_does_not_leave_an_empty_page_in_the_cache(client):
    campaign = make_campaign(title="宁康园社区老旧电梯更新")
    assert client.head(campaign.get_absolute_url()).status_code == 200
    assert campaign.title in client.get(campaign.get_absolute_url()).text


def test_head_on_a_post_only_url_is_still_refused(client):
    assert client.head(reverse("ask", args=[make_campaign().slug])).status_code == 200
    assert client.head(reverse("logout")).status_code == 405


def test_every_url_that_answers_get_answers_head_the_same_way(site):
    differ = {}
    for name in sorted(SITE_URLS):
        client = client_for(site, SITE_URLS[name])
        url = site_url(name, site)
        got = client.get(url)
        if got.status_code == 405:
            continue  # a POST-only URL
        body(got)
        head = client.head(url)
        if head.status_code != got.status_code or body(head):
            differ[name] = (got.status_code, head.status_code)
    assert differ == {}
