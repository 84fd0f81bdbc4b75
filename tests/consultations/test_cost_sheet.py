"""The printed cost sheet (费用分摊明细单): one page for the resident to keep."""

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from django.urls import reverse

from campaigns.models import Role
from consultations.models import FloorCoefficient, Proposal
from tests.factories import (
    make_assignment,
    make_elevator,
    make_household,
    make_owner,
    make_proposal,
    make_unit,
    make_user,
)

pytestmark = pytest.mark.django_db
needs_poppler = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in ("pdftotext", "pdfinfo", "pdffonts")),
    reason="needs poppler-utils (make test)",
)
D = Decimal


def unit_with(count: int, **proposal):
    """A grid worker's unit of ``count`` flats, two per floor (77.58㎡ and 90.00㎡), and a
    published floor × area proposal whose residents fund ¥160,000.00; returns (worker, unit)."""
    unit = make_unit(floors=max(6, count // 2 + 1))
    for i in range(count):
        floor = i // 2 + 1
        area = D("77.58") if i % 2 == 0 else D("90.00")
        household = make_household(
            unit=unit, floor=floor, room=f"{floor}{i % 2 + 1:02d}", area=area
        )
        make_owner(household=household, name="张三丰", phone=f"139{i:08d}")
    draft = make_proposal(elevator=make_elevator(unit=unit), total_cost=D("430000.00"), **proposal)
    FloorCoefficient.objects.bulk_create(
        FloorCoefficient(proposal=draft, floor=floor, coefficient=D("1.000") + D("0.100") * floor)
        for floor in range(2, unit.floors + 1)
    )
    draft.publish()
    return make_assignment(unit=unit).user, unit


def url(household) -> str:
    return reverse("consultations:cost_sheet", args=[household.pk])


def poppler(tool: str, pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    args = [tool, str(path), "-"] if tool == "pdftotext" else [tool, str(path)]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def pages(pdf: bytes, tmp_path: Path) -> int:
    info = poppler("pdfinfo", pdf, tmp_path)
    return int(re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE).group(1))


@needs_poppler
def test_grid_worker_prints_a_households_cost_sheet_with_the_amount_and_the_sums(client, tmp_path):
    worker, unit = unit_with(8)  # floors 1–4
    household = unit.households.get(room="401")
    client.force_login(worker)
    response = client.get(url(household))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    place = f"{unit.building.name}{unit.name}401"
    assert quote(f"费用分摊明细单-{place}.pdf") in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"

    text = re.sub(r"\s+", "", poppler("pdftotext", response.content, tmp_path))
    share = household.shares.get()
    assert share.amount == D("26589.55")
    assert "需您支付¥26,589.55" in text
    # the fund is drawn from the household's own account, by area, as publish() wrote it
    assert share.fund_amount > 0
    assert f"从您的维修资金账户列支¥{share.fund_amount:,}" in text
    assert "费用分摊明细单" in text
    assert place in text
    assert unit.building.campaign.community.name in text
    assert unit.building.campaign.title in text
    assert "第1版（已公示）" in text
    assert "电梯总费用¥430,000.00" in text
    assert "政府补贴¥150,000.00" in text
    assert "住宅专项维修资金¥120,000.00" in text
    assert "居民自筹¥160,000.00" in text
    assert "楼层系数1.400×建筑面积77.58㎡=分摊权重108.612" in text
    assert "本单元分摊权重合计653.562" in text
    assert "居民自筹¥160,000.00×108.612÷653.562≈¥26,589.55" in text
    assert "张**" in text
    assert "张三" not in text
    # no phone number, not even masked (the factories' counters may well print a "139")
    assert not re.search(r"139(?:\d{8}|\*+)", text)


@needs_poppler
def test_the_sheet_embeds_the_projects_font(client, tmp_path):
    worker, unit = unit_with(4)
    client.force_login(worker)
    fonts = poppler("pdffonts", client.get(url(unit.households.last())).content, tmp_path)
    noto = [line.split() for line in fonts.splitlines() if re.search(r"Noto\W?Sans\W?SC", line)]
    assert len(noto) == 2  # regular and bold
    assert all(columns[-5] == "yes" for columns in noto)  # the "emb" column


@needs_poppler
@pytest.mark.parametrize(
    "proposal",
    [
        {},
        {"ground_floor": Proposal.GroundFloor.TOKEN, "ground_floor_amount": D("500.00")},
    ],
)
def test_the_sheet_of_a_forty_household_unit_fits_on_one_page(client, tmp_path, proposal):
    worker, unit = unit_with(40, **proposal)
    client.force_login(worker)
    for room in ("101", "2002"):
        response = client.get(url(unit.households.get(room=room)))
        assert pages(response.content, tmp_path) == 1


@needs_poppler
def test_an_exempt_ground_floor_household_is_told_it_pays_nothing(client, tmp_path):
    worker, unit = unit_with(4)
    client.force_login(worker)
    response = client.get(url(unit.households.get(room="101")))
    text = re.sub(r"\s+", "", poppler("pdftotext", response.content, tmp_path))
    assert "需您支付¥0.00" in text
    assert "一楼住户免出资" in text
    # exempt from the self-funded part, yet its own fund account pays its part by area
    fund = unit.households.get(room="101").shares.get().fund_amount
    assert fund > 0 and f"从您的维修资金账户列支¥{fund:,}" in text


def test_a_unit_without_a_published_proposal_is_a_404_that_says_why(client):
    unit = make_unit()
    household = make_household(unit=unit)
    make_proposal(elevator=make_elevator(unit=unit))  # a draft only
    client.force_login(make_assignment(unit=unit).user)
    response = client.get(url(household))
    assert response.status_code == 404
    assert "还没有已公示的费用分摊方案" in response.content.decode()


def test_a_household_left_out_of_an_impossible_published_split_is_a_404_that_says_why(client):
    unit = make_unit()
    household = make_household(unit=unit, floor=1)  # alone on an exempt ground floor
    make_proposal(elevator=make_elevator(unit=unit), status=Proposal.Status.PUBLISHED)
    client.force_login(make_assignment(unit=unit).user)
    response = client.get(url(household))
    assert response.status_code == 404
    assert "本户不在已公示的费用分摊方案中" in response.content.decode()


def test_a_worker_of_another_unit_gets_404(client):
    _worker, unit = unit_with(4)
    stranger, _theirs = unit_with(4)
    client.force_login(stranger)
    assert client.get(url(unit.households.first())).status_code == 404


def test_a_user_without_any_assignment_gets_404(client):
    _worker, unit = unit_with(4)
    client.force_login(make_user())
    assert client.get(url(unit.households.first())).status_code == 404


def test_the_community_secretary_may_print_any_households_sheet(client):
    _worker, unit = unit_with(4)
    secretary = make_assignment(role=Role.SECRETARY, community=unit.building.campaign.community)
    client.force_login(secretary.user)
    assert client.get(url(unit.households.first())).status_code == 200


def test_anonymous_visitor_is_sent_to_log_in(client):
    _worker, unit = unit_with(4)
    response = client.get(url(unit.households.first()))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_sheet_is_only_read(client):
    worker, unit = unit_with(4)
    client.force_login(worker)
    assert client.post(url(unit.households.first())).status_code == 405


@pytest.mark.parametrize("count", [5, 40])
def test_the_query_count_does_not_grow_with_the_unit(client, count, django_assert_max_num_queries):
    worker, unit = unit_with(count)
    household = unit.households.last()
    client.force_login(worker)
    # session, user, roles for the context; the household, the proposal, the owners;
    # the unit's households, the coefficients, the recorded share; the settled share
    with django_assert_max_num_queries(11):  # and the units the user works on
        assert client.get(url(household)).status_code == 200
