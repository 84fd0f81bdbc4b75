"""A resident on a phone (390×844) opens the project page from the group chat, reads the
timeline, switches to large type and asks a question, with no account; an elderly reader in
large type finds the vote and the contents on the first screen and every floor's amount whole."""

import re
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import Page, expect

from campaigns.models import Campaign, Question
from portal.project import unit_progress

PHONE = {"width": 390, "height": 844}


@pytest.mark.django_db(transaction=True)
def test_a_resident_on_a_phone_reads_the_timeline_and_asks_a_question(live_server, page: Page):
    cache.clear()
    call_command("seed_demo", stdout=StringIO())
    page.set_viewport_size(PHONE)

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="宁康园社区老旧电梯更新").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("宁康园社区老旧电梯更新")

    timeline = page.locator("#timeline")
    page.get_by_role("navigation", name="本页目录").get_by_role("link", name="工期安排").click()
    expect(timeline.get_by_role("heading", name="工期安排")).to_be_in_viewport()
    steps = timeline.locator("ol.timeline > li")
    expect(steps).to_have_count(9)
    expect(steps.first).to_contain_text("完成全部入户走访")
    expect(steps.first.locator(".tag.ok")).to_contain_text("已完成")
    expect(steps.last).to_contain_text("新电梯投入使用")
    expect(timeline).to_contain_text("新电梯投入使用。以下节点按这个日期倒排")

    # Nothing is wider than the phone: no sideways scrolling for the elderly.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    base_size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert base_size >= 19  # large type by default on a phone

    page.get_by_role("link", name="大字").click()
    expect(page.locator("html")).to_have_class("text-large")
    larger = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert larger > base_size

    page.locator("#questions").get_by_role("link", name="我要提问").click()
    question_field = page.get_by_label("您的问题")
    # the privacy hint is read out with the field (aria-describedby names its paragraph)
    expect(question_field).to_have_accessible_description(re.compile("请不要填写姓名、电话"))
    question_field.fill("电梯换好以后，每年的维保费用谁来出？")
    page.get_by_label("房号（选填）").fill("902")
    page.get_by_role("button", name="提交问题").click()

    expect(page.get_by_role("status")).to_contain_text("您的问题已经收到")
    question = Question.objects.get(body="电梯换好以后，每年的维保费用谁来出？")
    assert (question.room, question.status) == ("902", Question.Status.NEW)


AMOUNT = r"¥\d{1,3}(,\d{3})*\.\d{2}"
WHOLE_AMOUNTS = re.compile(rf"^({AMOUNT}( – {AMOUNT})?|免出资)$")

# Every cell, row and wrapper of the per-floor tables that is on screen, with its width.
FLOOR_CELLS = """() => [...document.querySelectorAll(
    '.table-wrap, table.floors, table.floors tr, table.floors th, table.floors td, table.floors span')]
  .filter((el) => el.getClientRects().length)
  .map((el) => ({text: el.textContent.trim(), scroll: el.scrollWidth, client: el.clientWidth}))"""
# Each floor's amount: its text and where it ends, beside the right edge of its table's box.
FLOOR_AMOUNTS = """() => [...document.querySelectorAll('table.floors td:last-child .amount')].map((el) => ({
  text: el.textContent.replace(/\\s+/g, ' ').trim(),
  right: el.getBoundingClientRect().right,
  boxRight: el.closest('.table-wrap').getBoundingClientRect().right,
}))"""


@pytest.mark.django_db(transaction=True)
def test_an_elderly_reader_in_large_type_on_a_phone_sees_the_vote_contents_and_whole_amounts(
    live_server, page: Page
):
    cache.clear()
    call_command("seed_demo", stdout=StringIO())
    campaign = Campaign.objects.get()
    units = unit_progress(campaign)
    passed = sum(1 for unit in units if unit.vote.passed)
    page.set_viewport_size(PHONE)
    not_found: list[str] = []
    page.on("response", lambda r: not_found.append(r.url) if r.status == 404 else None)

    page.goto(live_server.url + campaign.get_absolute_url())
    page.get_by_role("link", name="大字").click()
    expect(page.locator("html")).to_have_class("text-large")

    # The first screen: where the vote stands, in one line, and the contents.
    consent_line = page.locator(".consent-line")
    expect(consent_line).to_have_text(f"签字进度：{len(units)} 个单元中 {passed} 个已达到表决要求")
    expect(consent_line).to_be_in_viewport(ratio=1)
    contents = page.get_by_role("navigation", name="本页目录")
    expect(contents).to_be_in_viewport(ratio=1)

    # Every floor is a card; no cell is cut off and every amount is there to the cent.
    assert page.locator("table.floors tbody tr").count() > 0
    clipped = [cell for cell in page.evaluate(FLOOR_CELLS) if cell["scroll"] > cell["client"]]
    assert clipped == []
    amounts = page.evaluate(FLOOR_AMOUNTS)
    assert len(amounts) == page.locator("table.floors tbody tr").count()
    for amount in amounts:
        assert WHOLE_AMOUNTS.match(amount["text"]), amount
        assert amount["right"] <= amount["boxRight"] <= PHONE["width"], amount
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # After each section, a way back to the contents (施工进展 too: the demo has a works site).
    back = page.get_by_role("link", name="回到目录")
    expect(back).to_have_count(7)
    page.locator("#works").get_by_role("link", name="回到目录").click()
    expect(contents).to_be_in_viewport()
    page.locator("#progress").get_by_role("link", name="回到目录").click()
    expect(contents).to_be_in_viewport()

    # No htmx on the residents' page; the icon is found, under both of its addresses.
    assert page.evaluate("typeof window.htmx") == "undefined"
    assert page.locator("script[src*=htmx]").count() == 0
    for href in page.locator("link[rel=icon]").evaluate_all("links => links.map(l => l.href)"):
        assert page.request.get(href).status == 200, href
    icon = page.request.get(live_server.url + "/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"].startswith("image/")
    assert not_found == []


# Every table cell on screen: none may cut its text off.
ALL_CELLS = """() => [...document.querySelectorAll('td, th')]
  .filter((el) => el.getClientRects().length)
  .map((el) => ({text: el.textContent.trim(), scroll: el.scrollWidth, client: el.clientWidth}))"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_in_large_type_the_contents_are_on_the_first_phone_screen_and_no_cell_is_clipped(
    live_server, page: Page, language
):
    cache.clear()
    call_command("seed_demo", stdout=StringIO())
    campaign = Campaign.objects.get()
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + campaign.get_absolute_url())
    if language == "en":
        page.locator("a[lang=en]").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator("a.text-size").click()
    expect(page.locator("html")).to_have_class("text-large")

    name = "On this page" if language == "en" else "本页目录"
    contents = page.get_by_role("navigation", name=name)
    expect(contents).to_be_in_viewport(ratio=1)
    assert page.evaluate("window.scrollY") == 0  # the first screen, as the page opens

    cells = page.evaluate(ALL_CELLS)
    assert cells, "the page has tables"
    clipped = [cell for cell in cells if cell["scroll"] > cell["client"]]
    assert clipped == []
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > 391)
      .map((el) => el.tagName + '.' + el.className + ' ' + el.textContent.trim().slice(0, 40))""")
    assert wide == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
