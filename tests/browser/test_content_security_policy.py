"""The policy is really enforced: an inline script is blocked and reported, ours run."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect


@pytest.mark.django_db(transaction=True)
def test_an_inline_script_is_blocked_while_htmx_and_our_scripts_run(
    live_server, page: Page, no_content_security_policy_violations
):
    call_command("seed_demo", stdout=StringIO())
    page.goto(live_server.url + "/")
    assert page.evaluate("typeof window.htmx") == "object"  # the vendored htmx loaded
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.__injected = 1"; document.body.append(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__injected") is None
    expect(page.locator("body")).to_be_visible()
    violations = no_content_security_policy_violations
    assert any(v.startswith("script-src") for v in violations), violations
    violations.clear()  # expected here; any other journey fails on one
