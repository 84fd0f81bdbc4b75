"""The load benchmark's HTTP side against a live server: signing staff in through the form as
wrk's sessions are made, the visit POST as wrk sends it, waiting for the server to be idle,
and wrk itself for a second. A few requests at a time, nothing timed."""

import shutil
from io import StringIO
from urllib.parse import urlencode, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection

from benchmarks.load.__main__ import (
    MIX,
    Person,
    cookie_header,
    district_staff,
    drain,
    fetch,
    log_in,
    sign_everyone_in,
    visit_fields,
    visits_saved,
)
from benchmarks.load.wrk import get_script, nonce_of, run_wrk, staff_script
from consultations.models import Visit
from households.models import Household
from portal.management.commands.seed_scale import BENCH_PASSWORD

# The load benchmark runs on PostgreSQL. On SQLite the live server's threads share the test's
# one in-memory connection, and these tests send requests side by side ("database table is
# locked" under a busy machine): they run in CI's PostgreSQL pass.
pytestmark = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="concurrent requests need PostgreSQL's connections"
)

PATHS = {
    "doors": "/doors/",
    "household": "/households/{pk}/",
    "visit": "/households/{pk}/visits/",
}


@pytest.fixture
def port(live_server, transactional_db):
    call_command("seed_scale", households=40, stdout=StringIO())
    return urlsplit(live_server.url).port


def test_district_staff_are_spread_over_the_roles_each_with_their_own_households(port):
    people = district_staff(50)
    assert {p.role for p in people} == {"secretary", "grid_worker", "building_lead"}
    for person in people:
        assert person.username.startswith("scale01-")
        assert person.dashboard == "/dashboard/scale-01/"
        assert person.households
    secretary = next(p for p in people if p.role == "secretary")
    assert len(secretary.households) == 24  # spread over the community's 40
    assert len(district_staff(2)) == 2


def test_signed_in_staff_carry_a_working_token_and_see_their_door_list(port):
    sessions = sign_everyone_in(port, district_staff(50), 2, PATHS["household"])
    assert len(sessions) >= 3
    for s in sessions:
        assert len(s.token) == 64
        status, page, _ = fetch(port, "GET", "/doors/", headers={"Cookie": s.cookie})
        assert status == 200
        assert 'id="door-' in page


def test_a_household_out_of_scope_fails_signing_in_loudly(port):
    stranger = Person("scale01-lead01", "building_lead", (999999,), "/dashboard/scale-01/")
    with pytest.raises(RuntimeError, match="no working CSRF token"):
        sign_everyone_in(port, [stranger], 1, PATHS["household"])


def test_the_visit_post_as_wrk_sends_it_saves_one_visit_per_key(port):
    (session,) = sign_everyone_in(port, district_staff(1), 1, PATHS["household"])
    household = Household.objects.get(pk=session.households[0])
    headers = {
        "Cookie": session.cookie,
        "Content-Type": "application/x-www-form-urlencoded",
        "HX-Request": "true",
    }
    fields = {**visit_fields(), "csrfmiddlewaretoken": session.token}  # the page's token
    path = f"/households/{household.pk}/visits/"
    before = Visit.objects.filter(household=household).count()
    for key in ("0a1b2c3d-0001-4000-8000-000000000001", "0a1b2c3d-0001-4000-8000-000000000002"):
        body = urlencode({**fields, "idempotency_key": key})
        status, row, _ = fetch(port, "POST", path, body, headers)
        assert status == 200
        assert f'id="door-{household.pk}"' in row
        assert not row.lstrip().lower().startswith("<!doctype")  # how wrk tells it apart
    status, _, _ = fetch(port, "POST", path, body, headers)  # the same key again
    assert status == 200
    assert Visit.objects.filter(household=household).count() == before + 2
    assert visits_saved("0a1b2c3d") == 2
    assert visits_saved("0a1b2c3e") == 0


def test_log_in_with_a_wrong_password_fails_loudly(port):
    with pytest.raises(RuntimeError, match="no session"):
        log_in(port, "bench-grid", "wrong password")


def test_drain_returns_once_every_worker_answered(port):
    drain(port, workers=2)
    status, _, _ = fetch(port, "GET", "/healthz")
    assert status == 200


@pytest.mark.skipif(not shutil.which("wrk"), reason="wrk is not installed")
def test_wrk_runs_the_staff_mix_and_every_answered_visit_is_saved(port):
    """wrk itself, for one second: our Lua must load (or wrk quietly sends plain GETs), send
    each kind, and count the visits answered; each of those is in the database."""
    sessions = sign_everyone_in(port, district_staff(6), 2, PATHS["household"])
    script = staff_script(sessions, MIX, PATHS, visit_fields())
    result = run_wrk(port, "/", script, 1, 2, 1)
    assert (result.errors, result.statuses) == (0, {})
    sent = {k: v for k, v in result.counts.items() if k.startswith("sent-")}
    assert set(sent) == {"sent-doors", "sent-household", "sent-visit", "sent-dashboard"}
    drain(port, workers=2)
    saved = visits_saved(nonce_of(script))
    assert 0 < result.counts["visit-answered"] <= saved <= result.counts["sent-visit"]


@pytest.mark.skipif(not shutil.which("wrk"), reason="wrk is not installed")
def test_wrk_names_each_unexpected_status(port):
    jar = log_in(port, "bench-grid", BENCH_PASSWORD)
    assert run_wrk(port, "/doors/", get_script(cookie_header(jar)), 1, 2, 1).errors == 0
    logged_out = run_wrk(port, "/doors/", get_script(""), 1, 2, 1)
    assert logged_out.statuses == {302: logged_out.requests}
    assert logged_out.sample.startswith("302")
