"""The secretary opens the building grid on a tablet, filters a building, taps a room, and
prints one A4 page per unit."""

import io
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from campaigns.models import Building, Role
from households.models import Household
from tests.factories import PASSWORD as PASSWORD_OF_FACTORIES
from tests.factories import (
    make_assignment,
    make_building,
    make_campaign,
    make_households,
    make_unit,
)

PASSWORD = "ningkang-demo"
LANDSCAPE_TABLET = {"width": 1024, "height": 768}


@pytest.mark.django_db(transaction=True)
def test_the_secretary_taps_a_room_on_the_building_grid_of_a_tablet(
    live_server, browser: Browser, tmp_path
):
    call_command("seed_demo", stdout=StringIO())
    context = browser.new_context(viewport=LANDSCAPE_TABLET, has_touch=True, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill("secretary")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button.primary").click()

    page.get_by_role("link", name="进度看板").first.tap()
    expect(page.get_by_role("heading", name="各单元表决进度")).to_be_visible()
    page.locator(".dashboard-nav").get_by_role("link", name="楼盘表").tap()
    expect(page.get_by_role("heading", name="楼盘表", level=1)).to_be_visible()
    expect(page.locator("[data-print]")).to_be_visible()  # shown by static/js/dashboard.js

    page.evaluate("window.__marker = 1")
    two = Building.objects.get(name="2栋", campaign__slug="ningkang-2026")
    page.locator("#grid-filters").get_by_role("link", name="2栋", exact=True).tap()
    expect(page.locator(".unit-grid")).to_have_count(2)
    expect(page.locator("#grid-filters a[aria-current]")).to_have_text("2栋")
    expect(page.locator("#grid")).to_be_focused()  # the grid drawn anew, not <body>
    assert page.evaluate("window.__marker") == 1, "the building filter reloaded the page"
    assert page.url.endswith(f"?building={two.pk}")

    page.locator("#grid-filters").get_by_role("link", name="1栋", exact=True).tap()
    grid = page.locator(".unit-grid").first
    expect(grid.locator(".legend")).to_contain_text("已签字同意")
    expect(grid.locator("tbody tr")).to_have_count(10)  # ten floors, the top one first
    expect(grid.locator("tbody tr").first.locator("th")).to_have_text("10层")
    cell = grid.locator("a.cell", has_text="102")
    box = cell.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44, box  # a finger-sized target
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= LANDSCAPE_TABLET["width"], "the grid overflows the tablet"
    page.screenshot(path=tmp_path / "grid.png", full_page=True)

    cell.tap()
    household = Household.objects.get(unit__building__name="1栋", unit__name="1单元", room="102")
    expect(page).to_have_url(live_server.url + household.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text("102")

    page.goto(f"{live_server.url}/dashboard/ningkang-2026/grid/?building={two.pk}")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    assert len(pdf.pages) == 2, "one A4 page per unit"
    texts = ["".join(page.extract_text().split()) for page in pdf.pages]
    assert "2栋1单元" in texts[0]
    assert "2栋2单元" in texts[1]
    context.close()


@pytest.mark.django_db(transaction=True)
def test_a_thirty_three_floor_unit_prints_on_one_a4_page(live_server, browser: Browser):
    campaign = make_campaign()
    unit = make_unit(building=make_building(campaign=campaign, name="9栋"), floors=33)
    make_households(unit, 33 * 4, per_floor=4)
    secretary = make_assignment(role=Role.SECRETARY, community=campaign.community).user
    context = browser.new_context(viewport={"width": 820, "height": 1180}, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill(secretary.username)
    page.locator("#id_password").fill(PASSWORD_OF_FACTORIES)
    page.locator("button.primary").click()
    page.goto(f"{live_server.url}/dashboard/{campaign.slug}/grid/")
    expect(page.locator("a.cell")).to_have_count(132)
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    assert len(pdf.pages) == 1
    assert "33层" in "".join(pdf.pages[0].extract_text().split())
    context.close()
