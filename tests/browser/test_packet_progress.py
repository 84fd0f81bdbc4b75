"""The secretary asks for the campaign's packet and watches it being made, without reloading."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from consultations.models import PacketFile

PASSWORD = "ningkang-demo"


@pytest.mark.django_db(transaction=True)
def test_the_secretary_watches_the_campaign_packet_progress_until_it_can_be_downloaded(
    live_server, page: Page
):
    call_command("seed_demo", stdout=StringIO())
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill("secretary")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button.primary").click()

    page.get_by_role("link", name="打印全项目签字材料").first.click()
    expect(page.get_by_text("还没有生成过本项目的签字材料")).to_be_visible()
    page.get_by_role("button", name="生成最新的签字材料").click()
    expect(page.get_by_text("已排队")).to_be_visible()
    url = page.url

    # The worker (manage.py db_worker) takes the task from the queue; the page keeps polling.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v0")
    download = page.get_by_role("link", name="下载签字材料（PDF）")
    expect(download).to_be_visible(timeout=15_000)
    assert page.url == url  # htmx swapped the status box in place
    job = PacketFile.objects.get()
    expect(page.locator("code.hash")).to_have_text(job.sha256)
    response = page.request.get(live_server.url + download.get_attribute("href"))
    assert response.ok and response.body()[:4] == b"%PDF"
