"""The printed walk sheet (走访表): the grid worker's paper fallback when the tablet dies."""

import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Role
from households.models import Household
from tests.factories import (
    make_assignment,
    make_household,
    make_owner,
    make_unit,
    make_user,
    make_visit,
)

pytestmark = pytest.mark.django_db
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="needs poppler-utils (make test)",
)


def fill(unit, count: int) -> list[Household]:
    """``count`` households over the unit's floors, two per floor: owners with phones, every
    other one visited with a follow-up, every fourth with a co-owner, some elderly."""
    households = []
    for i in range(count):
        floor = i // 2 + 1
        household = make_household(
            unit=unit,
            floor=floor,
            room=f"{floor}{i % 2 + 1:02d}",
            elderly=i % 3 == 0,
            mobility_impaired=i % 5 == 0,
            occupancy=Household.Occupancy.OWNER_OCCUPIED,
        )
        make_owner(household=household, name="张三丰", phone=f"139{i:08d}")
        if i % 4 == 0:
            make_owner(household=household, name="李四", phone="13812341234", is_primary=False)
        if i % 2 == 0:
            make_visit(
                household=household,
                next_step="周末再来，带上补贴测算表给老人看",
                next_step_on=timezone.localdate() + timedelta(days=3),
            )
        households.append(household)
    return households


def worker_on_a_unit(count: int):
    """A grid worker assigned to a new unit of ``count`` households."""
    unit = make_unit(floors=max(10, count))
    return make_assignment(unit=unit).user, unit, fill(unit, count)


def unit_url(unit) -> str:
    return reverse("consultations:unit_walk_sheet", args=[unit.pk])


def building_url(building) -> str:
    return reverse("consultations:building_walk_sheet", args=[building.pk])


def text_of(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pages_of(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return int(next(line for line in info.stdout.splitlines() if line.startswith("Pages:"))[6:])


@needs_poppler
def test_grid_worker_prints_their_units_walk_sheet_with_masked_owners(client, tmp_path):
    worker, unit, households = worker_on_a_unit(4)
    unvisited = make_household(unit=unit, floor=9, room="901")
    client.force_login(worker)
    response = client.get(unit_url(unit))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    place = f"{unit.building.name}{unit.name}"
    assert f"filename*=UTF-8''{quote(f'走访表-{place}.pdf')}" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("inline;")
    text = text_of(response.content, tmp_path)
    assert "走访表" in text
    assert place in text
    assert unit.building.campaign.community.name in text
    assert unit.building.campaign.title in text
    for household in [*households, unvisited]:
        assert household.room in text
    assert "已走访：支持" in text
    assert "未走访" in text
    assert "周末再来" in text
    assert "高龄" in text
    assert "138****1234" in text
    assert "139****0000" in text
    assert "13812341234" not in text
    assert "13900000000" not in text
    assert "张**" in text
    assert "张三" not in text
    assert "李四" not in text


@needs_poppler
def test_the_summary_counts_reached_and_still_to_go(client, tmp_path):
    worker, unit, _households = worker_on_a_unit(4)  # two visited, two not
    client.force_login(worker)
    text = text_of(client.get(unit_url(unit)).content, tmp_path)
    assert "共4户：已接触2户，还差2户" in re.sub(r"\s+", "", text)


def test_anonymous_visitor_is_sent_to_log_in(client):
    unit = make_unit()
    make_household(unit=unit)
    for url in (unit_url(unit), building_url(unit.building)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_worker_of_another_unit_gets_404_for_this_unit_and_this_building(client):
    _worker, unit, _households = worker_on_a_unit(3)
    stranger, _their_unit, _theirs = worker_on_a_unit(2)
    client.force_login(stranger)
    assert client.get(unit_url(unit)).status_code == 404
    assert client.get(building_url(unit.building)).status_code == 404


def test_a_unit_or_building_that_does_not_exist_is_404(client):
    worker, _unit, _households = worker_on_a_unit(1)
    client.force_login(worker)
    assert client.get(reverse("consultations:unit_walk_sheet", args=[999999])).status_code == 404
    assert (
        client.get(reverse("consultations:building_walk_sheet", args=[999999])).status_code == 404
    )


def test_user_without_any_assignment_gets_404(client):
    unit = make_unit()
    make_household(unit=unit)
    client.force_login(make_user())
    assert client.get(unit_url(unit)).status_code == 404


def test_the_sheet_is_only_read(client):
    worker, unit, _households = worker_on_a_unit(1)
    client.force_login(worker)
    assert client.post(unit_url(unit)).status_code == 405


@needs_poppler
def test_a_building_sheet_covers_all_its_units_one_page_each(client, tmp_path):
    assignment = make_assignment()  # a grid worker on a new unit
    first = assignment.unit
    second = make_unit(building=first.building)
    make_assignment(user=assignment.user, building=first.building)
    rooms = [h.room for h in fill(first, 3)] + [make_household(unit=second, room="B201").room]
    client.force_login(assignment.user)
    response = client.get(building_url(first.building))
    assert response.status_code == 200
    text = text_of(response.content, tmp_path)
    for room in rooms:
        assert room in text
    assert f"{first.building.name}{first.name}" in text
    assert f"{first.building.name}{second.name}" in text
    assert pages_of(response.content, tmp_path) == 2


@needs_poppler
def test_a_building_sheet_shows_a_unit_worker_only_their_own_unit(client, tmp_path):
    worker, unit, mine = worker_on_a_unit(2)
    neighbour = make_unit(building=unit.building)
    make_household(unit=neighbour, room="X999")
    client.force_login(worker)
    response = client.get(building_url(unit.building))
    assert response.status_code == 200
    text = text_of(response.content, tmp_path)
    assert all(household.room in text for household in mine)
    assert "X999" not in text


def test_the_community_secretary_may_print_any_unit_of_the_community(client):
    _worker, unit, _households = worker_on_a_unit(2)
    secretary = make_assignment(role=Role.SECRETARY, community=unit.building.campaign.community)
    client.force_login(secretary.user)
    assert client.get(unit_url(unit)).status_code == 200
    assert client.get(building_url(unit.building)).status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_the_query_count_does_not_grow_with_the_households(
    client, count, django_assert_max_num_queries
):
    worker, unit, _households = worker_on_a_unit(count)
    client.force_login(worker)
    # session, user, roles for the context; households, owners, the unit's counts
    with django_assert_max_num_queries(7):  # and the units the user works on
        assert client.get(unit_url(unit)).status_code == 200


@needs_poppler
def test_a_twenty_household_unit_fits_on_one_page(client, tmp_path):
    worker, unit, _households = worker_on_a_unit(20)
    client.force_login(worker)
    response = client.get(unit_url(unit))
    assert pages_of(response.content, tmp_path) == 1


def test_a_building_sheet_asks_as_many_queries_for_five_units_as_for_one(client):
    counted = []
    for units in (1, 5):
        lead = make_assignment(role=Role.BUILDING_LEAD)
        for _ in range(units):
            fill(make_unit(building=lead.building), 3)
        client.force_login(lead.user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(building_url(lead.building)).status_code == 200
        counted.append(len(queries))
    assert counted[0] == counted[1]
