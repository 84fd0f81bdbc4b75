"""A staff session left alone for half an hour ends; activity keeps it alive."""

import time

import pytest
from django.urls import reverse

from portal.middleware import LAST_SEEN
from tests.factories import make_assignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker_client(client):
    client.force_login(make_assignment().user)
    return client


def idle_for(client, seconds: int) -> None:
    session = client.session
    session[LAST_SEEN] = int(time.time()) - seconds
    session.save()


def test_a_session_idle_past_the_limit_is_signed_out_and_sent_to_log_in(worker_client, settings):
    idle_for(worker_client, settings.SESSION_IDLE_TIMEOUT + 1)
    response = worker_client.get(reverse("consultations:my_doors"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=/doors/")
    assert "_auth_user_id" not in worker_client.session
    page = worker_client.get(response["Location"])
    assert "分钟没有操作" in page.text  # it says why


def test_htmx_requests_after_the_limit_send_the_whole_page_to_log_in(worker_client, settings):
    idle_for(worker_client, settings.SESSION_IDLE_TIMEOUT + 1)
    response = worker_client.get(reverse("consultations:my_doors"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(reverse("login"))


def test_a_session_in_use_stays_signed_in_and_its_clock_moves(worker_client, settings):
    idle_for(worker_client, settings.SESSION_IDLE_TIMEOUT - 60)
    assert worker_client.get(reverse("consultations:my_doors")).status_code == 200
    assert int(time.time()) - worker_client.session[LAST_SEEN] < 5


def test_the_clock_is_written_at_most_once_a_minute(worker_client):
    idle_for(worker_client, 10)
    before = worker_client.session[LAST_SEEN]
    worker_client.get(reverse("consultations:my_doors"))
    assert worker_client.session[LAST_SEEN] == before


def test_residents_without_an_account_are_not_affected(client):
    assert client.get(reverse("home")).status_code == 200
    assert LAST_SEEN not in client.session
