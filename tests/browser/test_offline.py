"""A grid worker in a stairwell without signal: the door list and a household open offline,
two visits are saved on the tablet, survive a reload, and reach the server once each, with
the time they were taken, when the network returns."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from campaigns.models import Assignment
from consultations.models import Visit
from households.models import Household

PASSWORD = "ningkang-demo"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "service_workers": "allow"}


def log_visit_offline(page: Page, reached: str, notes: str):
    """Fill the open visit form and save it; the times just before and after the tap."""
    form = page.locator("#log form.visit-form")
    form.get_by_role("radio", name=reached, exact=True).check()
    form.get_by_label("记录", exact=True).fill(notes)
    before = timezone.now()
    form.get_by_role("button", name="保存走访").click()
    expect(page.locator("#visits .offline-kept")).to_have_text("已存入本机，联网后自动发送。")
    return before, timezone.now()


@pytest.mark.django_db(transaction=True)
def test_visits_logged_offline_reach_the_server_once_each_with_the_time_they_were_taken(
    live_server, page: Page, context: BrowserContext
):
    call_command("seed_demo", stdout=StringIO())
    worker = get_user_model().objects.get(username="grid1")
    household = Household.objects.for_user(worker).order_by("pk").first()
    visits_before = set(Visit.objects.filter(household=household).values_list("pk", flat=True))

    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill("grid1")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button.primary").click()
    expect(page).to_have_url(live_server.url + "/doors/")
    # the worker's pages are kept on the tablet while it is online
    expect(page.locator("#offline-status")).to_have_attribute("data-ready", "true", timeout=60_000)
    assert page.evaluate("navigator.serviceWorker.controller !== null")

    context.set_offline(True)
    page.goto(live_server.url + "/doors/")  # from the tablet, not the network
    expect(page.get_by_role("heading", name="我的住户", level=1)).to_be_visible()
    expect(page.locator("#offline-status")).to_contain_text("没有网络")
    page.locator(f"#door-{household.pk} a.door").click()
    expect(page).to_have_url(live_server.url + household.get_absolute_url())
    expect(page.locator("main h1")).to_contain_text(household.room)

    page.locator("#log > summary").click()
    first = log_visit_offline(page, "无人在家", "第一次：敲门无人应答。")
    expect(page.locator("#offline-status")).to_contain_text("待发送：1 条")
    second = log_visit_offline(page, "家属", "第二次：女儿在家，说周末再谈。")
    expect(page.locator("#offline-status")).to_contain_text("待发送：2 条")

    page.reload()  # still offline: the page and the queue are on the tablet
    expect(page.locator("main h1")).to_contain_text(household.room)
    expect(page.locator("#offline-status")).to_contain_text("待发送：2 条")
    assert set(Visit.objects.filter(household=household).values_list("pk", flat=True)) == (
        visits_before
    )

    online_at = timezone.now()
    context.set_offline(False)
    expect(page.locator("#offline-status")).to_contain_text("没有待发送的记录", timeout=20_000)
    expect(page.locator("#offline-status")).to_contain_text("上次同步")

    saved = list(
        Visit.objects.filter(household=household)
        .exclude(pk__in=visits_before)
        .order_by("visited_at")
    )
    assert len(saved) == 2
    assert [visit.reached for visit in saved] == [Visit.Reached.NOBODY, Visit.Reached.FAMILY]
    assert saved[0].idempotency_key != saved[1].idempotency_key
    for visit, (before, after) in zip(saved, [first, second], strict=True):
        assert before <= visit.visited_at <= after  # when it was taken, on the tablet
        assert visit.created_at >= online_at  # when it arrived
        assert visit.visitor.username == "grid1"


@pytest.mark.django_db(transaction=True)
def test_a_visit_for_a_door_that_left_the_workers_scope_is_refused_in_words_and_logout_clears(
    live_server, page: Page, context: BrowserContext
):
    call_command("seed_demo", stdout=StringIO())
    worker = get_user_model().objects.get(username="grid1")
    household = Household.objects.for_user(worker).order_by("pk").first()
    visits = Visit.objects.count()

    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill("grid1")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button.primary").click()
    expect(page.locator("#offline-status")).to_have_attribute("data-ready", "true", timeout=60_000)

    context.set_offline(True)
    page.goto(live_server.url + household.get_absolute_url() + "?log=1")
    log_visit_offline(page, "无人在家", "敲门无人应答。")
    Assignment.objects.filter(user=worker).delete()  # the assignment ended meanwhile
    context.set_offline(False)

    status = page.locator("#offline-status")
    expect(status.locator("[data-offline-refused] li")).to_contain_text(
        "这一户已不在您负责的范围内，这条离线记录没有保存。", timeout=20_000
    )
    expect(status).to_contain_text("没有待发送的记录")
    assert Visit.objects.count() == visits

    # the refused record is still on the tablet: logging out warns before it goes
    warnings = []
    page.once("dialog", lambda dialog: (warnings.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="退出（grid1）").click()
    expect(page).to_have_url(live_server.url + "/")
    assert warnings and "1 条离线记录没有发送" in warnings[0]
    kept = page.evaluate(
        """async () => {
            const names = (await caches.keys()).filter((name) => name.startsWith("portal-"));
            const db = await new Promise((resolve) => {
                const request = indexedDB.open("portal-offline", 1);
                request.onupgradeneeded = () => request.result.createObjectStore("queue", {keyPath: "key"});
                request.onsuccess = () => resolve(request.result);
            });
            const count = await new Promise((resolve) => {
                const request = db.transaction("queue").objectStore("queue").count();
                request.onsuccess = () => resolve(request.result);
            });
            return {names, count};
        }"""
    )
    assert kept == {"names": [], "count": 0}
