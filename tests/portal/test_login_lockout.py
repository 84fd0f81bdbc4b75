"""Repeated failed logins lock out that username from that address for a while (django-axes)."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import PASSWORD, make_assignment

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def attempt(client, username: str, password: str = "wrong", address: str = "10.0.0.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_a_username_longer_than_any_account_is_refused_with_a_message_and_not_recorded(client):
    response = attempt(client, "x" * 300)  # longer than django-axes' 255-character record
    assert response.status_code == 200 and "150" in response.text
    assert not AccessAttempt.objects.exists()


def test_five_wrong_passwords_lock_out_the_username_from_that_address(client, settings):
    user = make_assignment().user
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, user.username).status_code == 200  # the form again
    locked = attempt(client, user.username)
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.text and "15 分钟后再试" in locked.text
    right = attempt(client, user.username, PASSWORD)
    assert right.status_code == 429  # even the right password, until the cool-off ends
    assert "_auth_user_id" not in client.session


def test_the_lockout_says_the_same_whether_or_not_the_account_exists(client, settings):
    real = make_assignment().user.username
    answers = {}
    for username in (real, "nobody-here"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            response = attempt(client, username)
        answers[username] = response
    assert {r.status_code for r in answers.values()} == {429}
    tokens = re.compile(r'("X-CSRFToken": |name="csrfmiddlewaretoken" value=)"\w+"')
    texts = [tokens.sub("", r.text) for r in answers.values()]
    assert texts[0] == texts[1]
    assert real not in answers[real].text


def test_a_colleague_at_the_same_address_can_still_log_in(client, settings):
    careless, colleague = make_assignment().user, make_assignment().user
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, careless.username)
    response = attempt(client, colleague.username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("start")


def test_the_same_username_from_another_address_is_not_locked_out(client, settings):
    user = make_assignment().user
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, user.username, address="10.0.0.7")
    assert attempt(client, user.username, PASSWORD, address="10.0.0.8").status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, settings):
    user = make_assignment().user
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, user.username)
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    assert attempt(client, user.username, PASSWORD).status_code == 302


def test_a_successful_login_clears_earlier_failures(client, settings):
    user = make_assignment().user
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, user.username)
    assert attempt(client, user.username, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username=user.username).exists()


def test_behind_a_proxy_the_lockout_counts_the_address_the_proxy_reports(client, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXY_COUNT = 1
    user = make_assignment().user

    def from_behind_the_proxy(chain: str, password: str = "wrong"):
        return client.post(
            LOGIN,
            {"username": user.username, "password": password},
            REMOTE_ADDR="10.0.0.1",  # the proxy
            HTTP_X_FORWARDED_FOR=chain,
        )

    # a new spoofed address at the left each time does not dodge the lockout
    for i in range(settings.AXES_FAILURE_LIMIT):
        from_behind_the_proxy(f"6.6.6.{i}, 203.0.113.5")
    assert from_behind_the_proxy("6.6.6.99, 203.0.113.5", PASSWORD).status_code == 429
    # a colleague at another address behind the same proxy can still sign in
    assert from_behind_the_proxy("203.0.113.6", PASSWORD).status_code == 302
