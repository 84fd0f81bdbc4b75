"""The grid worker's shortest paths on a tablet: focus follows every swap (room search, the
needs form, a visit saved on the household page), a visit logged with the keyboard alone
(Tab, Space, Enter and typing the note), and a signature taken from the door row, whose
confirmation is on screen and closes the follow-up the last visit set."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from consultations.models import Consent, Visit
from households.models import Household

PASSWORD = "ningkang-demo"


def log_in(page: Page, base: str, username: str = "grid1") -> None:
    page.goto(base + "/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button.primary").click()
    expect(page).to_have_url(base + "/doors/")


def tab_to(page: Page, selector: str, limit: int = 200) -> None:
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def seed_room(room: str) -> Household:
    return Household.objects.get(unit__building__name="1栋", unit__name="1单元", room=room)


@pytest.mark.django_db(transaction=True)
def test_focus_follows_room_search_the_needs_form_and_a_visit_saved_on_the_household_page(
    live_server, page: Page
):
    call_command("seed_demo", stdout=StringIO())
    log_in(page, live_server.url)

    search = page.get_by_role("searchbox", name="房号")
    search.fill("80")
    search.press("Enter")
    expect(page.locator("#door-list li.door-row .room")).to_have_text(["801", "802"])
    expect(page.locator("#door-list")).to_be_focused()  # the results, not <body>
    expect(search).to_have_value("80")  # the search bar stays, outside the swapped results

    household = seed_room("702")
    page.goto(live_server.url + household.get_absolute_url())
    needs = page.locator("#needs")
    needs.get_by_text("修改需求").click()
    needs.get_by_label("停梯施工期间需要帮助").check()
    needs.get_by_role("radio", name="紧急").check()
    page.evaluate("window.__marker = 1")
    needs.get_by_role("button", name="保存需求").click()
    saved = page.locator("#needs .saved")
    expect(saved).to_have_text("需求已更新。")
    expect(saved).to_be_focused()
    expect(page.locator("#needs")).to_contain_text("停梯期间需帮助")
    assert page.evaluate("window.__marker") == 1, "the needs form reloaded the page"
    household.refresh_from_db()
    assert household.needs_outage_help and household.urgency == "urgent"

    page.locator("#visits summary").first.click()
    form = page.locator("#visits form.visit-form")
    form.get_by_role("radio", name="家属", exact=True).check()
    form.get_by_role("radio", name="观望", exact=True).check()
    form.get_by_role("button", name="保存走访").click()
    saved = page.locator("#visits .saved")
    expect(saved).to_contain_text("走访记录已保存")
    expect(saved).to_be_focused()
    expect(saved).to_be_in_viewport()


@pytest.mark.django_db(transaction=True)
def test_a_visit_is_logged_from_the_door_list_with_the_keyboard_alone(live_server, page: Page):
    call_command("seed_demo", stdout=StringIO())
    household = seed_room("801")
    log_in(page, live_server.url)

    page.locator("body").focus()
    tab_to(page, f"#door-{household.pk} .log-visit")
    page.keyboard.press("Enter")  # opens the form in the row
    form = page.locator(f"#door-{household.pk} form.visit-form")
    expect(form.get_by_role("radio", name="上门", exact=True)).to_be_focused()
    page.keyboard.press("Tab")  # into 接触对象: nothing chosen, the first choice
    expect(form.get_by_role("radio", name="产权人", exact=True)).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # into 态度
    expect(form.get_by_role("radio", name="支持", exact=True)).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # the first concern
    expect(form.get_by_role("checkbox", name="费用分摊", exact=True)).to_be_focused()
    page.keyboard.press("Space")
    tab_to(page, "textarea[name=notes]")
    page.keyboard.type("业主本人在家，支持换电梯。")
    tab_to(page, "input[name=next_step]")
    page.keyboard.type("周末带明细再来")
    page.keyboard.press("Enter")  # moves on, does not save
    assert page.evaluate("document.activeElement.name") == "next_step_on"
    tab_to(page, "form.visit-form button[type=submit]")
    page.keyboard.press("Enter")

    saved = page.locator(f"#door-{household.pk} .saved")
    expect(saved).to_have_text("已保存")
    expect(saved).to_be_focused()
    expect(page.locator(f"#door-{household.pk} .status")).to_have_text("已走访：支持")
    visit = Visit.objects.get(household=household)
    assert (visit.channel, visit.reached, visit.attitude) == ("door", "owner", "support")
    assert list(visit.concerns.values_list("concern", flat=True)) == ["cost"]
    assert visit.next_step == "周末带明细再来" and visit.notes.startswith("业主本人在家")


@pytest.mark.django_db(transaction=True)
def test_a_signature_taken_from_the_door_row_is_confirmed_on_screen_and_closes_the_follow_up(
    live_server, page: Page
):
    call_command("seed_demo", stdout=StringIO())
    household = seed_room("102")
    owner = household.owners.get(is_primary=True)
    Visit.objects.record(
        household,
        get_user_model().objects.get(username="grid1"),
        visited_at=timezone.now() - timedelta(hours=1),
        channel="door",
        reached="owner",
        attitude="support",
        next_step="带签字表再来",
        next_step_on=timezone.localdate() + timedelta(days=1),
    )
    log_in(page, live_server.url)

    row = page.locator(f"#door-{household.pk}")
    expect(row.locator(".due")).to_be_visible()  # the follow-up, due tomorrow
    row.get_by_role("link", name="签字", exact=True).click()  # one tap from the door row
    expect(page.get_by_role("heading", level=1)).to_contain_text("102")
    for choice in page.get_by_label("同意", exact=True).all():
        choice.check()
    page.locator(f'input[name="signer_owner"][value="{owner.pk}"]').check()
    canvas = page.locator("[data-signature] canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 40, box["y"] + box["height"] * 0.6)
    page.mouse.down()
    for step in range(1, 10):
        y = box["y"] + box["height"] * (0.3 if step % 2 else 0.7)
        page.mouse.move(box["x"] + 40 + step * 30, y)
    page.mouse.up()
    page.get_by_role("button", name="确认签字").click()

    expect(page).to_have_url(live_server.url + household.get_absolute_url() + "#consent")
    confirmation = page.locator("#consent .saved")
    expect(confirmation).to_contain_text("已记录 102 的签字意见。")
    expect(confirmation).to_contain_text("跟进（带签字表再来）已随签字关闭")
    expect(confirmation).to_be_in_viewport()
    assert Consent.objects.current().filter(household=household).exists()
    household.refresh_from_db()
    assert household.follow_up_on is None

    page.goto(live_server.url + "/doors/follow-ups/")
    expect(page.locator(f'a[href="{household.get_absolute_url()}"]')).to_have_count(0)
    page.goto(live_server.url + "/doors/")
    expect(page.locator(f"#door-{household.pk} .due")).to_have_count(0)
