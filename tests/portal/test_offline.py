"""The portal as an installable web app: the service worker at the root, the manifest, the list
of what a field worker's tablet keeps offline (their own scope, nothing else), and a logout
that removes what the browser kept."""

import json

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from campaigns.models import Assignment, Role
from portal.offline import MOST_HOUSEHOLDS_OFFLINE
from tests.factories import make_assignment, make_household, make_households, make_unit
from tests.portal.test_security_headers import policy

pytestmark = pytest.mark.django_db


def kept_urls(client) -> list[str]:
    response = client.get(reverse("offline_scope"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return response.json()["urls"]


def household_pages(urls) -> set[str]:
    return {url for url in urls if url.startswith("/households/")}


@pytest.fixture
def worker(client):
    """A grid worker on a unit with two households, signed in; another worker next door."""
    mine = make_assignment()
    doors = [make_household(unit=mine.unit, room=room) for room in ("101", "102")]
    theirs = make_assignment()
    make_household(unit=theirs.unit, room="101")
    client.force_login(mine.user)
    return mine, doors


def test_the_tablet_keeps_the_workers_doors_each_household_its_visit_form_and_walk_sheet(
    client, worker
):
    assignment, doors = worker
    urls = kept_urls(client)
    expected = {reverse("consultations:household", args=[door.pk]) for door in doors}
    expected |= {url + "?log=1" for url in expected}
    assert household_pages(urls) == expected
    assert reverse("consultations:my_doors") in urls
    assert reverse("consultations:unit_walk_sheet", args=[assignment.unit_id]) in urls
    assert reverse("offline_page") in urls


def test_another_workers_households_never_appear_in_the_offline_list(client, worker):
    assignment, _doors = worker
    theirs = Assignment.objects.exclude(pk=assignment.pk).get()
    urls = kept_urls(client)
    for household in theirs.unit.households.all():
        assert reverse("consultations:household", args=[household.pk]) not in urls
    assert reverse("consultations:unit_walk_sheet", args=[theirs.unit_id]) not in urls


def test_each_user_keeps_their_pages_under_a_cache_of_their_own_with_a_fresh_csrf_token(
    client, worker
):
    assignment, _doors = worker
    scope = client.get(reverse("offline_scope")).json()
    assert scope["user"] == assignment.user.pk
    assert scope["cache"] == f"portal-offline-{assignment.user.pk}"
    assert scope["csrf"]
    assert "/static/js/offline.js" in scope["static"]
    assert any("htmx" in url for url in scope["static"])


def test_when_the_assignment_ends_the_next_refresh_keeps_none_of_its_households(client, worker):
    assignment, _doors = worker
    assignment.delete()
    assert kept_urls(client) == []


def test_a_secretary_does_not_carry_the_whole_community_offline(client):
    secretary = make_assignment(role=Role.SECRETARY)
    make_households(make_assignment().unit, 3)
    client.force_login(secretary.user)
    assert kept_urls(client) == []


def test_a_very_large_scope_keeps_only_its_first_households(client):
    lead = make_assignment(role=Role.BUILDING_LEAD)
    unit = make_unit(building=lead.building)
    make_households(unit, MOST_HOUSEHOLDS_OFFLINE + 5, per_floor=10)
    client.force_login(lead.user)
    assert len(household_pages(kept_urls(client))) == 2 * MOST_HOUSEHOLDS_OFFLINE


def test_the_offline_list_is_for_signed_in_users_only(client):
    response = client.get(reverse("offline_scope"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_service_worker_is_served_from_the_root_and_checked_on_every_visit(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "no-cache" in response["Cache-Control"]
    assert b'addEventListener("fetch"' in response.content


def test_the_manifest_opens_the_installed_app_on_the_door_list(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == reverse("consultations:my_doors")
    assert manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


def test_the_policy_lets_the_site_run_its_own_service_worker_and_manifest_only(client):
    directives = policy(client.get("/"))
    assert directives["worker-src"] == ["'self'"]
    assert directives["manifest-src"] == ["'self'"]


def test_signed_in_pages_link_the_manifest_and_the_offline_script(client, worker):
    page = client.get(reverse("consultations:my_doors")).text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert 'id="offline-status"' in page
    assert "/static/js/offline.js" in page
    assert "data-install-app hidden" in page


def test_public_pages_carry_no_offline_machinery(client):
    page = client.get("/").text
    assert "manifest" not in page
    assert "offline.js" not in page


def test_the_offline_page_says_signing_needs_a_connection(client, worker):
    page = client.get(reverse("offline_page")).text
    assert "签字需要联网" in page


def test_logging_out_tells_the_browser_to_drop_the_kept_pages_and_the_queue(client, worker):
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


@pytest.mark.parametrize("size", [2, 40])
def test_the_offline_list_runs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    assignment = make_assignment()
    make_households(assignment.unit, size)
    client.force_login(assignment.user)
    # the session and its user, the assignments, the unit ids, the households
    with django_assert_num_queries(5):
        urls = kept_urls(client)
    assert len(household_pages(urls)) == 2 * size
