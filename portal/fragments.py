"""Rendered parts of staff pages, kept in Django's cache under everything they depend on.

The key holds who is looking, what they asked for, the day and language, and the stamp of the
units' change counters (``UnitQuerySet.stamp``), read before the data. A changed visit, consent
or household moves the stamp, so the next request renders afresh; nothing has to be deleted.
Whatever the counters do not see is shown at the latest after FRAGMENT_SECONDS.

``kept_page`` keeps a whole page, navigation included, under the same key plus what the page's
frame reads from the request (address, roles, large type); the request's own CSRF token is put
in on the way out, and a page with a message to show is never kept.

Without REDIS_URL the cache is per process: each worker renders a part once per stamp. With it,
the workers share what they keep (under keys naming the release, settings.CACHES), so what one
worker kept must be right for all: nothing kept may depend on the process that rendered it.
"""

import functools
import hashlib
import hmac
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation

from households.models import roles_of

T = TypeVar("T")


@functools.cache
def csrf_stand_in() -> str:
    """What stands for the CSRF token in a kept page: letters and digits only, so escaping
    leaves it as it is; the same in every process sharing the cache (a page kept by one worker
    is served by another), and unknown outside (it comes from SECRET_KEY), so no page content
    carries it."""
    digest = hmac.new(settings.SECRET_KEY.encode(), b"kept-page csrf stand-in", hashlib.sha256)
    return f"csrf{digest.hexdigest()[:32]}"


def kept(name: str, key: tuple, render: Callable[[], T]) -> T:
    """``render()``'s result for this key: from the cache, or rendered now and kept."""
    parts = (name, translation.get_language(), *key)
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    cache_key = f"fragment:{name}:{digest}"
    value = cache.get(cache_key)
    if value is None:
        value = render()
        cache.set(cache_key, value, settings.FRAGMENT_SECONDS)
    return value


def kept_page(
    request: HttpRequest, template: str, name: str, key: tuple, context: Callable[[], dict]
) -> HttpResponse:
    """The page ``template`` renders with ``context()``, kept under ``key`` (which must name
    everything the page's content depends on) and what the frame reads from the request."""
    if len(get_messages(request)):  # shown once, so this page is not kept
        return render(request, template, context())
    user = request.user
    frame = (
        request.get_full_path(),
        request.COOKIES.get("textsize") == "large",
        user.get_username(),
        user.is_staff,
        user.is_superuser,
        sorted(roles_of(user)),
    )

    def draw() -> bytes:  # kept encoded: a kept page is not encoded again on every request
        page = render_to_string(template, {**context(), "csrf_token": csrf_stand_in()}, request)
        return page.encode(settings.DEFAULT_CHARSET)

    html = kept(f"{name}-page", (*key, *frame), draw)
    token = get_token(request).encode(settings.DEFAULT_CHARSET)
    return HttpResponse(html.replace(csrf_stand_in().encode(), token))
