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

from tests.factories import make_assignment, make_household

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


def test_with_redis_the_cache_is_shared_and_sessions_are_read_from_it():
    assert settings_in_a_new_process(REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX="ningkang") == (
        "django.core.cache.backends.redis.RedisCache "
        "django.contrib.sessions.backends.cached_db ningkang"
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
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
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
