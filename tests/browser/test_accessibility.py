"""axe-core (WCAG 2.0 and 2.1, levels A and AA) finds nothing on the main pages, on a phone
(390×844) and on a tablet (768×1024): the residents' project page and question form, the
login, and the worker's and secretary's pages (the door list, a household, the visit form
open, the sign page, the dashboard and the list of who needs help while the lift is out).

axe-core is vendored (static/vendor/axe-core/) and injected by the test only, into a browser
context made with ``bypass_csp=True``: the site's strict Content-Security-Policy would refuse
the injected script, and no page of the site loads it. Every other journey runs under the
real policy (tests/browser/conftest.py).
"""

from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from campaigns.models import Campaign
from households.models import Household, Urgency

AXE = Path(__file__).resolve().parents[2] / "static/vendor/axe-core/axe-core-4.11.0.min.js"
PASSWORD = "ningkang-demo"
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 768, "height": 1024}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AUDIT = """(tags) => axe.run(document, {runOnly: {type: "tag", values: tags}}).then((result) =>
  result.violations.map((v) => ({
    rule: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " :: " + n.failureSummary),
  })))"""


def violations(page: Page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AUDIT, TAGS)


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button.primary").click()
    expect(page.locator("#id_username")).to_have_count(0)


@pytest.fixture
def seeded(transactional_db):
    cache.clear()
    call_command("seed_demo", stdout=StringIO())
    campaign = Campaign.objects.get()
    household = Household.objects.get(unit__building__name="1栋", unit__name="1单元", room="102")
    Household.objects.filter(pk=household.pk).update(
        needs_outage_help=True, lives_alone=True, urgency=Urgency.URGENT
    )
    return campaign, household


@pytest.mark.parametrize("size", [PHONE, TABLET], ids=["phone", "tablet"])
def test_the_main_pages_have_no_accessibility_violations(
    live_server, browser: Browser, seeded, size
):
    campaign, household = seeded
    base = live_server.url
    pages = {
        "anyone": [
            campaign.get_absolute_url(),
            reverse("ask", args=[campaign.slug]),
            reverse("login"),
        ],
        "grid1": [
            reverse("consultations:my_doors"),
            household.get_absolute_url(),
            household.get_absolute_url() + "?log=1#log",  # the visit form open, needs too
            household.get_absolute_url() + "?needs=1#needs",  # the needs form open
            reverse("consultations:sign", args=[household.pk]),
        ],
        "secretary": [
            reverse("dashboard:campaign", args=[campaign.slug]),
            reverse("consultations:outage_help", args=[campaign.slug]),
        ],
    }
    found = {}
    for who, urls in pages.items():
        context = browser.new_context(
            viewport=size,
            locale="zh-CN",
            bypass_csp=True,  # for the injected axe-core only
        )
        page = context.new_page()
        if who != "anyone":
            log_in(page, base, who)
        for url in urls:
            page.goto(base + url)
            if "?log=1" in url:
                expect(page.locator("form.visit-form")).to_be_visible()
                page.locator(".needs-fold summary").click()
                expect(page.locator("#id_needs-lives_alone")).to_be_visible()
            problems = violations(page)
            if problems:
                found[f"{who} {url}"] = problems
        context.close()
    assert found == {}, found
