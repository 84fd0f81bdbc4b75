from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.database import database_from_url
from core.env import env_bool, env_choice, env_int, env_list, env_str

SQLITE = Path("/tmp/portal-test.sqlite3")


def test_no_database_url_means_a_local_sqlite_file():
    assert database_from_url("", SQLITE) == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": SQLITE,
    }


def test_a_postgres_url_selects_postgresql_through_psycopg():
    config = database_from_url("postgres://postgres@127.0.0.1:5432/portal", SQLITE)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["HOST"], config["PORT"]) == ("portal", "127.0.0.1", 5432)


@pytest.mark.parametrize(
    "url",
    ["mysql://root@localhost/portal", "nonsense", "postgres://127.0.0.1:5432/", "redis://x/0"],
)
def test_a_database_url_we_do_not_run_on_stops_start_up_with_its_name(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_from_url(url, SQLITE)


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("off", False), ("Yes", True)])
def test_booleans_are_read_from_the_usual_words(monkeypatch, value, expected):
    monkeypatch.setenv("FLAG", value)
    assert env_bool("FLAG", default=not expected) is expected


def test_a_boolean_that_is_not_one_stops_start_up(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG='maybe'"):
        env_bool("FLAG", default=False)


def test_numbers_lists_and_choices_are_checked(monkeypatch):
    monkeypatch.setenv("N", "12")
    monkeypatch.setenv("HOSTS", "a.example, b.example,")
    monkeypatch.setenv("MODE", "production")
    assert env_int("N", 1) == 12
    assert env_list("HOSTS", []) == ["a.example", "b.example"]
    assert env_choice("MODE", "development", {"development", "production"}) == "production"
    monkeypatch.setenv("N", "twelve")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("N", 1)
    monkeypatch.setenv("N", "-3")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env_int("N", 1)
    monkeypatch.setenv("MODE", "staging")
    with pytest.raises(ImproperlyConfigured, match="MODE='staging'"):
        env_choice("MODE", "development", {"development", "production"})


def test_a_required_value_that_is_missing_is_named(monkeypatch):
    monkeypatch.delenv("SOMETHING_REQUIRED", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SOMETHING_REQUIRED must be set"):
        env_str("SOMETHING_REQUIRED")
