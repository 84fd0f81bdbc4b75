"""Printed documents: a template rendered to PDF by WeasyPrint, and the response that carries it.

Every printed document goes through ``html_to_pdf`` (``render_pdf`` for one template,
``html_to_pdfs`` for several at once). Its URL fetcher serves the project's own
static files (fonts, stylesheets, images) and decodes PNG and JPEG ``data:`` URIs (signatures
and QR codes are put into the page that way: decoding one fetches nothing), and refuses
everything else, so no URL that finds its way into a template, or into a value shown by one,
can make the server fetch anything from the network or read files outside ``static/``. A
refused resource is just missing from the PDF.
"""

import base64
import binascii
import io
import logging
import mimetypes
import multiprocessing
import posixpath
import re
import unicodedata
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
from pathlib import Path
from urllib.parse import quote, unquote, unquote_to_bytes, urlsplit
from urllib.request import url2pathname

import django
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# What relative URLs in a print template resolve against when there is no request.
DEFAULT_BASE_URL = "http://localhost/"
# What a data: URI may carry: images put into a page by the code (signatures, QR codes).
DATA_URI_TYPES = {"image/png", "image/jpeg"}


class RefusedURL(ValueError):
    """The fetcher would not fetch this URL; WeasyPrint treats it as a failed resource."""


class StaticFilesOnly(URLFetcher):
    """Serve ``/static/...`` URLs on ``base_url``'s host, and file:// URLs inside the project's
    ``static/`` folder, from the static files; decode PNG and JPEG ``data:`` URIs. Refuse
    anything else, without opening it."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        base = urlsplit(base_url)
        self.origin = (base.scheme, base.netloc)
        self.static_prefix = urlsplit(settings.STATIC_URL).path  # "/static/"

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url[:5].lower() == "data:":
            return data_uri_response(url)
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
            path = Path(staticfiles_storage.path(name))
            return path if path.is_file() else None  # a folder is refused like anything else
        return None


def data_uri_response(url: str) -> URLFetcherResponse:
    """The image a ``data:`` URI (RFC 2397) carries, decoded in memory: nothing is fetched.
    Only PNG and JPEG images (signatures, scans, QR codes); any other type is refused."""
    header, comma, payload = url[5:].partition(",")
    media_type, _semicolon, parameters = header.partition(";")
    if not comma or media_type.strip().lower() not in DATA_URI_TYPES:
        raise RefusedURL(f"only PNG and JPEG images may come as data: URIs: {url[:40]}")
    body = unquote_to_bytes(payload)
    if "base64" in (p.strip().lower() for p in parameters.split(";")):
        try:
            body = base64.b64decode(re.sub(rb"\s+", b"", body), validate=True)
        except (binascii.Error, ValueError) as error:
            raise RefusedURL("a data: URI with broken base64") from error
    return URLFetcherResponse(url, body, {"Content-Type": media_type.strip().lower()})


def render_pdf(template_name: str, context: dict, request: HttpRequest | None = None) -> bytes:
    """Render a print template to PDF bytes. With a request, links in the PDF point at the
    site the request came to."""
    html = render_to_string(template_name, context, request=request)
    return html_to_pdf(html, base_url_for(request))[0]


def base_url_for(request: HttpRequest | None) -> str:
    """What relative URLs in a print template resolve against."""
    return request.build_absolute_uri("/") if request else DEFAULT_BASE_URL


def html_to_pdf(html: str, base_url: str) -> tuple[bytes, int]:
    """A rendered print template as PDF bytes, and its number of pages."""
    document = HTML(string=html, base_url=base_url, url_fetcher=StaticFilesOnly(base_url))
    document = document.render()
    return document.write_pdf(), len(document.pages)


def html_to_pdfs(
    htmls: list[str], base_url: str, jobs: int = 1, done: Callable[[], None] | None = None
) -> list[tuple[bytes, int]]:
    """Several documents at once, each as (PDF bytes, pages), in order. With ``jobs`` above 1,
    in that many worker processes: WeasyPrint is single-threaded, and each document's pages
    leave memory with its worker's task. ``done()`` is called as each document is ready."""
    if jobs <= 1 or len(htmls) <= 1:
        return [_reported(html_to_pdf(html, base_url), done) for html in htmls]
    context = multiprocessing.get_context("forkserver")  # workers from a clean process
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(htmls)), mp_context=context, initializer=django.setup
    ) as pool:
        return [_reported(part, done) for part in pool.map(html_to_pdf, htmls, repeat(base_url))]


def _reported(part: tuple[bytes, int], done: Callable[[], None] | None) -> tuple[bytes, int]:
    if done is not None:
        done()
    return part


def merge_pdfs(parts: list[tuple[bytes, str]], title: str = "") -> bytes:
    """One PDF of several, in order; each part becomes a bookmark named by its title."""
    writer = PdfWriter()
    for pdf, name in parts:
        writer.append(PdfReader(io.BytesIO(pdf)), outline_item=name)
    if title:
        writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    """A PDF response; the browser offers ``filename`` (Chinese is fine) when saving it.

    Old clients read the ASCII ``filename``; current ones the RFC 5987 ``filename*``. The
    documents carry personal data, so nothing between the server and the reader may keep one.
    """
    response = HttpResponse(pdf, content_type="application/pdf")
    return private_document(response, filename, inline=inline)


def private_document(response: HttpResponse, filename: str, *, inline: bool = True):
    """Name a document response (an ASCII name for old clients, the real one for current
    ones) and keep it out of every cache between the server and the reader."""
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = (
        f'{disposition}; filename="{ascii_filename(filename)}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
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
