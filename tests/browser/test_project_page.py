"""A resident on a phone (390×844) opens the project page from the group chat, reads the
timeline, switches to large type and asks a question, with no account."""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import Page, expect

from campaigns.models import Question

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
    page.get_by_label("您的问题").fill("电梯换好以后，每年的维保费用谁来出？")
    page.get_by_label("房号（选填）").fill("902")
    page.get_by_role("button", name="提交问题").click()

    expect(page.get_by_role("status")).to_contain_text("您的问题已经收到")
    question = Question.objects.get(body="电梯换好以后，每年的维保费用谁来出？")
    assert (question.room, question.status) == ("902", Question.Status.NEW)
