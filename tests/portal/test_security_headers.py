"""Every page carries a Content-Security-Policy that allows no inline script, style or eval."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_assignment

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/nothing-here/"])
def test_public_pages_carry_a_strict_content_security_policy(client, url):
    directives = policy(client.get(url))
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_no_page_allows_inline_code_or_eval(client):
    client.force_login(make_assignment().user)
    header = client.get(reverse("consultations:my_doors"))["Content-Security-Policy"]
    assert not re.search(r"unsafe-(inline|eval|hashes)", header)


def test_htmx_is_configured_to_need_neither_inline_styles_nor_eval(client):
    html = client.get("/").text
    assert '"includeIndicatorStyles": false' in html and '"allowEval": false' in html


def test_the_other_security_headers_are_set(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
