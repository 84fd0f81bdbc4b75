"""The print helper: static files only, the font embedded, Chinese text, the response."""

import copy
import re
import shutil
import socket
import subprocess
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings

from core.pdf import RefusedURL, StaticFilesOnly, ascii_filename, pdf_response, render_pdf

STATIC = Path(django_settings.BASE_DIR) / "static"
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="needs poppler-utils (make test)",
)

SNOOPING = [
    "http://169.254.169.254/latest/meta-data/",
    "https://example.com/x.png",
    "file:///etc/passwd",
    "//example.com/x.css",
    "/static/../portal/settings.py",
    "/static/%2e%2e/%2e%2e/etc/passwd",
    "/media/signatures/1.png",
    "ftp://example.com/x.png",
    "data:image/png;base64,iVBORw0KGgo=",
]

TEMPLATE = """{% extends "print/base.html" %}
{% block title %}打印测试{% endblock %}
{% block content %}<h1 class="doc-title">打印测试：宁康园社区</h1><p>{{ text }}</p>{{ markup|safe }}
{% endblock %}"""


@pytest.fixture
def print_templates(settings, tmp_path):
    """A test template under print/ that extends the real base template."""
    (tmp_path / "print").mkdir()
    (tmp_path / "print" / "test_page.html").write_text(TEMPLATE, encoding="utf-8")
    (tmp_path / "print" / "test_draft.html").write_text(
        TEMPLATE.replace(
            "{% block content %}",
            '{% block draft_mark %}<div class="draft-mark">草稿</div>{% endblock %}'
            "{% block content %}",
        ),
        encoding="utf-8",
    )
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates


@pytest.fixture
def network_attempts(monkeypatch):
    """Every attempt to resolve a name, open a socket connection or a URL, recorded and failed."""
    attempts = []

    def refuse(what):
        def refuse_call(*args, **kwargs):
            attempts.append((what, args))
            raise OSError(f"the test forbids network access ({what})")

        return refuse_call

    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(urllib.request, "urlopen", refuse("urlopen"))
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse("open"))
    return attempts


@pytest.fixture
def fetched(monkeypatch):
    """What the PDF fetcher was asked for: (url, "served" or "refused")."""
    calls = []
    original = StaticFilesOnly.fetch

    def spy(self, url, headers=None):
        try:
            response = original(self, url, headers)
        except RefusedURL:
            calls.append((url, "refused"))
            raise
        calls.append((url, "served"))
        return response

    monkeypatch.setattr(StaticFilesOnly, "fetch", spy)
    return calls


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_fonts(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    output = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout
    return output.splitlines()[2:]  # after the header and the dashes


# The fetcher, on its own.


def test_fetcher_serves_the_project_font_from_a_static_url():
    fetcher = StaticFilesOnly("http://testserver/")
    response = fetcher.fetch("http://testserver/static/fonts/NotoSansSC-Regular.ttf")
    assert response.read(4) == b"\x00\x01\x00\x00"  # a TrueType font
    assert response.content_type == "font/ttf"


def test_fetcher_serves_a_file_url_inside_the_static_folder():
    fetcher = StaticFilesOnly("http://testserver/")
    url = (STATIC / "fonts" / "OFL.txt").as_uri()
    assert b"SIL OPEN FONT LICENSE" in fetcher.fetch(url).read()


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/x.png",
        "http://evil.example/static/fonts/NotoSansSC-Regular.ttf",  # another host
        "https://testserver/static/fonts/NotoSansSC-Regular.ttf",  # another scheme
        "http://testserver/households/1/",  # the site, but not a static file
        "http://testserver/static/../portal/settings.py",
        "http://testserver/static/%2e%2e/portal/settings.py",
        "http://testserver/static/fonts/missing.ttf",
        "http://testserver/static/fonts",  # a folder
        "file:///etc/passwd",
        (STATIC / ".." / "portal" / "settings.py").as_uri(),
        (STATIC / ".." / "db.sqlite3").as_uri(),
        "file://evil.example/share/x.png",
        "ftp://example.com/x.png",
        "data:text/css,body{}",
    ],
)
def test_fetcher_refuses_anything_but_the_projects_static_files(url, network_attempts):
    fetcher = StaticFilesOnly("http://testserver/")
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert network_attempts == []


def test_fetcher_serves_a_collected_static_file_by_its_hashed_name(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "print.0123abcd.css").write_text("body { color: black }")
    fetcher = StaticFilesOnly("http://testserver/")
    assert fetcher.fetch("http://testserver/static/css/print.0123abcd.css").read() == (
        b"body { color: black }"
    )


def test_fetcher_refuses_a_folder_of_the_collected_static_files(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "fonts").mkdir()
    fetcher = StaticFilesOnly("http://testserver/")
    with pytest.raises(RefusedURL):
        fetcher.fetch("http://testserver/static/fonts")


def test_fetcher_does_not_follow_a_symlink_out_of_the_static_folder(settings, tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (tmp_path / "secret.txt").write_text("secret")
    (static / "leak.txt").symlink_to(tmp_path / "secret.txt")
    settings.STATICFILES_DIRS = [static]
    fetcher = StaticFilesOnly("http://testserver/")
    with pytest.raises(RefusedURL):
        fetcher.fetch((static / "leak.txt").as_uri())


# Rendering.


@needs_poppler
def test_pdf_embeds_only_the_project_font_and_carries_the_chinese_text(print_templates, tmp_path):
    pdf = render_pdf("print/test_page.html", {"text": "业主张三：同意更新 ABC 123"})
    assert pdf.startswith(b"%PDF-")
    fonts = pdf_fonts(pdf, tmp_path)
    assert fonts
    for line in fonts:
        assert "Noto-Sans-SC" in line, f"a font other than the project's: {line}"
        emb = re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", line)
        assert emb and emb[1] == "yes", f"not embedded: {line}"
    text = pdf_text(pdf, tmp_path)
    assert "打印测试：宁康园社区" in text
    assert "业主张三：同意更新 ABC 123" in text
    assert "第1页/共1页" in squeeze(text)  # pdftotext drops the spaces between CJK glyphs


@needs_poppler
def test_a_url_in_a_shown_value_is_text_and_fetches_nothing(
    print_templates, tmp_path, network_attempts, fetched
):
    value = '<img src="http://169.254.169.254/latest"><link rel=stylesheet href="file:///etc/x">'
    pdf = render_pdf("print/test_page.html", {"text": value})
    assert "169.254.169.254" in pdf_text(pdf, tmp_path)  # printed as text, autoescaped
    assert network_attempts == []
    assert {url for url, outcome in fetched if outcome == "refused"} == set()
    assert all(url.startswith("http://localhost/static/fonts/") for url, _ in fetched)


@needs_poppler
def test_urls_in_the_markup_are_refused_and_the_document_still_renders(
    print_templates, tmp_path, network_attempts, fetched
):
    markup = "".join(
        f'<img src="{url}"><div style="background: url(\'{url}\')">x</div>' for url in SNOOPING
    )
    markup += '<link rel="stylesheet" href="https://example.com/evil.css">'
    markup += "<style>@import url(http://169.254.169.254/a.css);</style>"
    pdf = render_pdf("print/test_page.html", {"text": "仍然生成", "markup": markup})
    assert "仍然生成" in pdf_text(pdf, tmp_path)
    assert network_attempts == []
    refused = {url for url, outcome in fetched if outcome == "refused"}
    assert "http://169.254.169.254/latest/meta-data/" in refused
    assert "http://169.254.169.254/a.css" in refused
    assert "https://example.com/evil.css" in refused
    assert "file:///etc/passwd" in refused
    served = {
        url for url, outcome in fetched if outcome == "served" and not url.startswith("data:")
    }
    assert served == {
        "http://localhost/static/fonts/NotoSansSC-Regular.ttf",
        "http://localhost/static/fonts/NotoSansSC-Bold.ttf",
    }


@needs_poppler
def test_the_draft_mark_hook_stamps_every_page_and_the_table_head_repeats(
    print_templates, tmp_path
):
    rows = "".join(f"<tr><td>第{n}行</td></tr>" for n in range(120))
    markup = f"<table><thead><tr><th>表头房号</th></tr></thead><tbody>{rows}</tbody></table>"
    pdf = render_pdf("print/test_draft.html", {"markup": markup})
    pages = pdf_text(pdf, tmp_path).split("\f")[:-1]
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert "草" in page and "稿" in page  # rotated, so read back glyph by glyph
        assert "表头房号" in page
        assert f"第{number}页/共{len(pages)}页" in squeeze(page)


def test_render_pdf_with_a_request_resolves_static_urls_on_the_requests_host(
    print_templates, rf, settings, fetched
):
    settings.ALLOWED_HOSTS = ["portal.example"]
    render_pdf("print/test_page.html", {"text": "x"}, rf.get("/", HTTP_HOST="portal.example"))
    assert ("http://portal.example/static/fonts/NotoSansSC-Regular.ttf", "served") in fetched


# The response.


def test_pdf_response_is_inline_with_an_ascii_fallback_and_the_chinese_name():
    response = pdf_response(b"%PDF-1.7", "走访表-3栋1单元.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "inline; filename=\"3_1.pdf\"; filename*=UTF-8''" + quote("走访表-3栋1单元.pdf")
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response.content == b"%PDF-1.7"


def test_pdf_response_as_attachment():
    response = pdf_response(b"%PDF-1.7", "walk-sheet.pdf", inline=False)
    assert response["Content-Disposition"] == (
        "attachment; filename=\"walk-sheet.pdf\"; filename*=UTF-8''walk-sheet.pdf"
    )


def test_a_filename_cannot_break_out_of_the_header():
    response = pdf_response(b"%PDF-1.7", 'a";\r\nSet-Cookie: x=1;.pdf')
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.startswith('inline; filename="a_Set-Cookie_x_1.pdf"; filename*=')


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        ("走访表.pdf", "document.pdf"),
        ("Élevator plan.pdf", "Elevator_plan.pdf"),
        ("走访表-3栋1单元", "3_1"),
        ("../../etc/passwd.pdf", "etc_passwd.pdf"),
    ],
)
def test_ascii_filename(name, fallback):
    assert ascii_filename(name) == fallback
