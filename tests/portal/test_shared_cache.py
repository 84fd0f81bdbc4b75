"""With REDIS_URL the workers share one cache, and signed-in pages read sessions from it."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from campaigns.models import Question
from portal.release import source_stamp
from tests.factories import PASSWORD, make_assignment, make_campaign, make_household, make_user

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def settings_in_a_new_process(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_ENV")}
    code = (
        "from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE, "
        "settings.CACHES['default'].get('KEY_PREFIX', '-'))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_without_redis_each_process_keeps_its_own_cache_and_sessions_live_in_the_database():
    assert settings_in_a_new_process() == (
        "django.core.cache.backends.locmem.LocMemCache django.contrib.sessions.backends.db -"
    )


def test_with_redis_the_cache_is_shared_and_sessions_are_read_from_it_by_release():
    assert settings_in_a_new_process(REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX="ningkang") == (
        "portal.cache.PortalRedisCache django.contrib.sessions.backends.cached_db "
        f"ningkang:{source_stamp(ROOT)}"
    )


@pytest.fixture
def redis_sessions(settings):
    import redis

    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        server.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis is not answering at {REDIS_URL}: {error}")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.PortalRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield
    for key in server.scan_iter(f"{prefix}:*"):  # this test's keys only
        server.delete(key)


@pytest.mark.django_db
def test_a_signed_in_page_reads_its_session_from_the_cache_and_survives_losing_it(
    redis_sessions, django_assert_max_num_queries
):
    assignment = make_assignment()
    make_household(unit=assignment.unit)
    client = Client()
    client.force_login(assignment.user)
    doors = reverse("consultations:my_doors")
    assert client.get(doors).status_code == 200
    with django_assert_max_num_queries(10) as second:
        assert client.get(doors).status_code == 200
    assert not any("django_session" in q["sql"] for q in second.captured_queries)

    cache.delete(KEY_PREFIX + client.session.session_key)  # the cache restarted, say
    page = client.get(doors)
    assert page.status_code == 200
    assert assignment.user.username in page.text  # still signed in, from the database


def test_the_shared_cache_keeps_one_redis_client_for_all_its_calls(redis_sessions):
    cache.set("answer", {"units": [1, 2]}, 30)
    assert cache.get("answer") == {"units": [1, 2]}
    assert cache.incr(cache.add("hits", 0) and "hits") == 1
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client


@pytest.fixture
def unreachable_redis(settings):
    """The shared cache configured, but nothing listening where it should be."""
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.PortalRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def test_without_redis_the_cache_misses_and_drops_what_it_is_given(unreachable_redis, caplog):
    assert cache.get("anything", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("a", 1) is False
    assert cache.set_many({"a": 1}) == ["a"]
    cache.set("a", 1)
    cache.delete("a")
    with pytest.raises(ValueError):
        cache.incr("a")
    assert "The shared cache is unavailable" in caplog.text


@pytest.mark.django_db
def test_without_redis_staff_still_sign_in_and_work_and_residents_may_still_ask(
    unreachable_redis, settings
):
    assignment = make_assignment(user=make_user("zhao-grid"))
    make_household(unit=assignment.unit)
    client = Client()
    signed_in = client.post(reverse("login"), {"username": "zhao-grid", "password": PASSWORD})
    assert signed_in.status_code == 302
    page = client.get(reverse("consultations:my_doors"))
    assert page.status_code == 200 and "zhao-grid" in page.text

    campaign = make_campaign()
    settings.QUESTION_RATE_LIMIT = 1  # counted, the second question would be refused
    for _ in range(2):
        asked = Client().post(reverse("ask", args=[campaign.slug]), {"body": "什么时候开工？"})
        assert asked.status_code == 302  # not counted, so not refused
    assert Question.objects.filter(campaign=campaign).count() == 2
