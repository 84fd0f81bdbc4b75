"""Printed documents: a template rendered to PDF by WeasyPrint, and the response that carries it.

Every printed document goes through ``render_pdf``. Its URL fetcher serves the project's own
static files (fonts, stylesheets, images) and refuses everything else, so no URL that finds its
way into a template, or into a value shown by one, can make the server fetch anything from
the network or read files outside ``static/``. A refused resource is just missing from the PDF.
"""

import logging
import mimetypes
import posixpath
import re
import unicodedata
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# What relative URLs in a print template resolve against when there is no request.
DEFAULT_BASE_URL = "http://localhost/"


class RefusedURL(ValueError):
    """The fetcher would not fetch this URL; WeasyPrint treats it as a failed resource."""


class StaticFilesOnly(URLFetcher):
    """Serve ``/static/...`` URLs on ``base_url``'s host, and file:// URLs inside the project's
    ``static/`` folder, from the static files. Refuse anything else, without opening it."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        base = urlsplit(base_url)
        self.origin = (base.scheme, base.netloc)
        self.static_prefix = urlsplit(settings.STATIC_URL).path  # "/static/"

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        found = self.locate(url)
        if found is None:
            logger.warning("Refused to fetch %s for a PDF", url[:200])
            raise RefusedURL(f"only the project's static files may be used in a PDF: {url[:200]}")
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, found.read_bytes(), {"Content-Type": content_type})

    def locate(self, url: str) -> Path | None:
        """The static file a URL names, or None if it names anything else."""
        parts = urlsplit(url)
        if parts.scheme == "file" and not parts.netloc:
            path = Path(url2pathname(parts.path)).resolve()
            folders = [Path(folder).resolve() for folder in settings.STATICFILES_DIRS]
            inside = any(path.is_relative_to(folder) for folder in folders)
            return path if inside and path.is_file() else None
        if (parts.scheme, parts.netloc) != self.origin:
            return None
        if not parts.path.startswith(self.static_prefix):
            return None
        name = posixpath.normpath(unquote(parts.path.removeprefix(self.static_prefix)))
        if name.startswith(("..", "/")) or name == ".":
            return None
        if (found := finders.find(name)) and Path(found).is_file():
            return Path(found)
        # After collectstatic, {% static %} may name a hashed copy that only STATIC_ROOT holds.
        if settings.STATIC_ROOT and staticfiles_storage.exists(name):
            return Path(staticfiles_storage.path(name))
        return None


def render_pdf(template_name: str, context: dict, request: HttpRequest | None = None) -> bytes:
    """Render a print template to PDF bytes. With a request, links in the PDF point at the
    site the request came to."""
    html = render_to_string(template_name, context, request=request)
    base_url = request.build_absolute_uri("/") if request else DEFAULT_BASE_URL
    document = HTML(string=html, base_url=base_url, url_fetcher=StaticFilesOnly(base_url))
    return document.write_pdf()


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    """A PDF response; the browser offers ``filename`` (Chinese is fine) when saving it.

    Old clients read the ASCII ``filename``; current ones the RFC 5987 ``filename*``. The
    documents carry personal data, so nothing between the server and the reader may keep one.
    """
    fallback = ascii_filename(filename)
    disposition = "inline" if inline else "attachment"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def ascii_filename(filename: str) -> str:
    """``走访表-3栋1单元.pdf`` → ``3_1.pdf``: letters, digits, dot, dash and underscore only."""
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    plain = "".join(c for c in unicodedata.normalize("NFKD", stem) if not unicodedata.combining(c))
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", plain).strip("_-") or "document"
    extension = re.sub(r"[^A-Za-z0-9]", "", extension)
    return f"{safe}.{extension}" if extension else safe
