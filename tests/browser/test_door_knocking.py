"""A grid worker on a tablet logs a door-knock visit from "My doors" without leaving the list."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from consultations.models import Concern, Visit
from households.models import Household

PASSWORD = "ningkang-demo"
COUNTS = re.compile(r"(\d+) 户：已接触 (\d+) 户，还差 (\d+) 户")


def reached_and_to_go(page: Page) -> tuple[int, int]:
    match = COUNTS.search(page.locator("#door-counts").inner_text())
    assert match, page.locator("#door-counts").inner_text()
    return int(match[2]), int(match[3])


@pytest.mark.django_db(transaction=True)
def test_grid_worker_logs_a_visit_from_the_unvisited_filter_without_a_reload(
    live_server, page: Page, tmp_path
):
    call_command("seed_demo", stdout=StringIO())

    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill("grid1")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button.primary").click()

    expect(page).to_have_url(live_server.url + "/doors/")
    expect(page.get_by_role("heading", name="我的住户", level=1)).to_be_visible()
    expect(page.locator("#door-counts")).to_contain_text("20 户：已接触")
    reached, to_go = reached_and_to_go(page)
    page.evaluate("window.__marker = 1")  # gone if anything below reloads the page

    page.locator("nav.filters").get_by_role("link", name="未走访", exact=True).click()
    expect(page).to_have_url(re.compile(r"/doors/\?show=unvisited$"))
    rooms = page.locator("#door-list li.door-row .room")
    expect(rooms).to_have_text(["801", "902"])
    expect(page.locator('nav.filters a[aria-current="true"]')).to_have_text("未走访")
    assert page.evaluate("window.__marker") == 1, "the filter reloaded the page"

    url_before = page.url
    row = page.locator("#door-list li.door-row", has=page.locator(".room", has_text="801"))
    row_id = row.get_attribute("id")
    household_pk = int(row_id.removeprefix("door-"))
    row = page.locator(f"#{row_id}")
    expect(row.locator(".status")).to_have_text("未走访")

    row.locator(".log-visit").click()
    form = row.locator("form")
    expect(form).to_be_visible()
    expect(form.get_by_role("radio", name="上门", exact=True)).to_be_checked()
    expect(form.get_by_role("radio", name="产权人", exact=True)).not_to_be_checked()
    form.get_by_role("radio", name="产权人", exact=True).check()
    form.get_by_role("radio", name="支持", exact=True).check()
    form.get_by_role("checkbox", name="费用分摊", exact=True).check()
    form.get_by_role("checkbox", name="噪音与施工干扰", exact=True).check()
    form.get_by_label("记录", exact=True).fill("老人腿脚不便，盼着早日换电梯；担心分摊和施工噪音。")
    form.get_by_role("button", name="保存走访").click()

    expect(row.locator(".status")).to_have_text("已走访：支持")
    expect(row.locator(".saved")).to_have_text("已保存")
    expect(row.locator("form")).to_have_count(0)
    expect(page.locator("#door-counts")).to_contain_text(
        f"20 户：已接触 {reached + 1} 户，还差 {to_go - 1} 户"
    )
    assert page.evaluate("window.__marker") == 1, "the page reloaded"
    assert page.url == url_before
    page.screenshot(path=tmp_path / "door-knocking.png", full_page=True)

    household = Household.objects.get(pk=household_pk)
    assert household.room == "801"
    assert Visit.objects.filter(household=household).count() == 1
    visit = Visit.objects.get(household=household)
    assert visit.attitude == Visit.Attitude.SUPPORT
    assert visit.channel == Visit.Channel.DOOR
    assert visit.reached == Visit.Reached.OWNER
    assert visit.visitor.username == "grid1"
    assert "施工噪音" in visit.notes
    assert visit.concerns.count() == 2
    assert set(visit.concerns.values_list("concern", flat=True)) == {Concern.COST, Concern.NOISE}


def focused(page: Page) -> str:
    """The name of the field that has the keyboard focus."""
    return page.evaluate("document.activeElement.getAttribute('name')")


@pytest.mark.django_db(transaction=True)
def test_focus_follows_the_worker_through_filter_form_and_save(live_server, page: Page):
    call_command("seed_demo", stdout=StringIO())
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill("grid1")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button.primary").click()
    expect(page).to_have_url(live_server.url + "/doors/")

    page.locator("nav.filters").get_by_role("link", name="未走访", exact=True).click()
    expect(page.locator("#door-list li.door-row .room")).to_have_text(["801", "902"])
    expect(page.locator('nav.filters a[aria-current="true"]')).to_have_text("未走访")
    expect(page.locator("#door-list")).to_be_focused()  # the results, not <body>

    row = page.locator("#door-list li.door-row", has=page.locator(".room", has_text="801"))
    row_id = row.get_attribute("id")
    row = page.locator(f"#{row_id}")
    row.locator(".log-visit").click()
    form = row.locator("form")
    expect(form.get_by_role("radio", name="上门", exact=True)).to_be_focused()

    form.get_by_role("radio", name="无人在家", exact=True).check()
    expect(form.get_by_role("radio", name="支持", exact=True)).to_be_disabled()
    form.get_by_role("radio", name="家属", exact=True).check()
    expect(form.get_by_role("radio", name="支持", exact=True)).to_be_enabled()
    form.get_by_role("radio", name="未表态", exact=True).check()

    next_step = form.get_by_label("下一步", exact=True)
    next_step.fill("周末再来")
    next_step.press("Enter")  # moves on; does not save a half-filled form
    assert focused(page) == "next_step_on"
    expect(form).to_have_count(1)

    page.mouse.wheel(0, -5000)
    form.get_by_role("button", name="保存走访").click()
    saved = row.locator(".saved")
    expect(saved).to_have_text("已保存")
    expect(saved).to_be_focused()
    expect(saved).to_be_in_viewport()
    expect(row.locator(".status")).to_have_text("已走访：未表态")


def test_a_filter_answers_space_as_a_button_does(live_server, page: Page):
    call_command("seed_demo", stdout=StringIO())
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill("grid1")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button.primary").click()
    expect(page).to_have_url(live_server.url + "/doors/")

    page.locator("nav.filters").get_by_role("link", name="未走访", exact=True).focus()
    page.keyboard.press("Space")
    expect(page.locator("#door-list li.door-row .room")).to_have_text(["801", "902"])
    expect(page.locator('nav.filters a[aria-current="true"]')).to_have_text("未走访")
