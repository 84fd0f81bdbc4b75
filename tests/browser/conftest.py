"""Real headless Chromium for the browser journeys, driven by pytest-playwright.

Playwright cannot download its own browsers here, so it launches Debian's chromium. The journeys
are skipped, with a reason, on a machine without it; CI installs it, so there they run.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop running in the test thread; without this, Django
# refuses the database calls that live_server's teardown makes there (SynchronousOnlyOperation).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TABLET = {"width": 768, "height": 1024}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(
            f"browser journeys need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
        )
    args = [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS]
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": args}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    # The journeys run as a browser without a service worker (the portal as it works online,
    # and without one); test_offline.py lets it run, to keep pages and save visits offline.
    return {
        **browser_context_args,
        "viewport": TABLET,
        "locale": "zh-CN",
        "service_workers": "block",
    }


CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__reportCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || location.pathname}:${e.lineNumber}`);
});
"""


@pytest.fixture(autouse=True)
def no_content_security_policy_violations(request):
    """Every journey runs under the site's real Content-Security-Policy; any script, style or
    image the policy blocks on any page it visits fails the journey."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    violations: list[str] = []
    page.expose_function("__reportCspViolation", lambda text: violations.append(text))
    page.add_init_script(CSP_LISTENER)
    yield violations
    assert violations == [], "the Content-Security-Policy blocked: " + "; ".join(violations)
