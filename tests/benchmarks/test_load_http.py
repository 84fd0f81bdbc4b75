"""The load benchmark's HTTP side against a live server: logging in through the form as wrk's
sessions are made, and waiting for the server to be idle. One request at a time, no load."""

import shutil
from io import StringIO
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from benchmarks.load.__main__ import cookie_header, drain, fetch, log_in, visit_fields
from benchmarks.load.wrk import get_script, run_wrk
from consultations.models import Visit
from households.models import Household
from portal.management.commands.seed_scale import BENCH_PASSWORD


@pytest.fixture
def port(live_server, transactional_db):
    call_command("seed_scale", households=40, stdout=StringIO())
    return urlsplit(live_server.url).port


def test_log_in_through_the_form_gives_a_session_for_the_grid_workers_list(port):
    jar = log_in(port, "bench-grid", BENCH_PASSWORD)
    assert set(jar) >= {"sessionid", "csrftoken"}
    status, page, _ = fetch(port, "GET", "/doors/", headers={"Cookie": cookie_header(jar)})
    assert status == 200
    assert 'id="door-' in page


def test_the_visit_post_as_wrk_sends_it_saves_one_visit_per_key(port):
    jar = log_in(port, "bench-grid", BENCH_PASSWORD)
    user = get_user_model().objects.get(username="bench-grid")
    household = Household.objects.for_user(user).first()
    headers = {
        "Cookie": cookie_header(jar),
        "Content-Type": "application/x-www-form-urlencoded",
        "HX-Request": "true",
    }
    fields = visit_fields(jar["csrftoken"])  # the CSRF token is the cookie's value
    path = f"/households/{household.pk}/visits/"
    before = Visit.objects.filter(household=household).count()
    for key in ("0a1b2c3d-0001-4000-8000-000000000001", "0a1b2c3d-0001-4000-8000-000000000002"):
        body = urlencode({**fields, "idempotency_key": key})
        status, row, _ = fetch(port, "POST", path, body, headers)
        assert status == 200
        assert f'id="door-{household.pk}"' in row
    status, _, _ = fetch(port, "POST", path, body, headers)  # the same key again
    assert status == 200
    assert Visit.objects.filter(household=household).count() == before + 2


def test_log_in_with_a_wrong_password_fails_loudly(port):
    with pytest.raises(RuntimeError, match="no session"):
        log_in(port, "bench-grid", "wrong password")


def test_drain_returns_once_every_worker_answered(port):
    drain(port, workers=2)
    status, _, _ = fetch(port, "GET", "/healthz")
    assert status == 200


@pytest.mark.skipif(not shutil.which("wrk"), reason="wrk is not installed")
def test_wrk_runs_our_script_and_names_each_unexpected_status(port):
    """wrk itself, for one second: our Lua must load (or wrk quietly sends plain GETs), and
    an answer other than the expected one is counted by status, with its start kept."""
    jar = log_in(port, "bench-grid", BENCH_PASSWORD)
    list_page = run_wrk(port, "/doors/", get_script(cookie_header(jar)), 1, 2, 1)
    assert list_page.requests > 0
    assert (list_page.errors, list_page.statuses) == (0, {})
    logged_out = run_wrk(port, "/doors/", get_script(""), 1, 2, 1)
    assert logged_out.statuses == {302: logged_out.requests}
    assert logged_out.sample.startswith("302")
