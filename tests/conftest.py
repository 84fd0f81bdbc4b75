import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PACKET_ROOT = tmp_path / "packets"
    settings.PACKET_JOBS = 1
    settings.LANGUAGE_CODE = "zh-hans"
    cache.clear()  # cached public pages and rate-limit counters start afresh in each test
