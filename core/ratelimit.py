"""A fixed-window limit per client address, counted in Django's cache.

The counter lives in whatever CACHES names: the default local-memory cache counts per process,
so with several workers set a shared cache (Redis, Memcached or the database cache).

The client's address is REMOTE_ADDR unless settings.CLIENT_IP_HEADER names a header that the
deployment's reverse proxy sets. A list header such as X-Forwarded-For is written by the client
first and added to by each proxy, so only its right-hand end can be trusted: the address used is
the settings.TRUSTED_PROXY_COUNT-th entry from the right, the one our first proxy added. The
login lockout (django-axes, AXES_CLIENT_IP_CALLABLE) asks the same function.
"""

from django.conf import settings
from django.core.cache import cache

LONGEST_ADDRESS = 64


def client_address(request) -> str:
    """The client's address as the deployment's trusted proxies report it."""
    remote = request.META.get("REMOTE_ADDR", "")
    header = settings.CLIENT_IP_HEADER
    if header == "REMOTE_ADDR":
        return remote[:LONGEST_ADDRESS]
    entries = [entry.strip() for entry in request.META.get(header, "").split(",")]
    count = settings.TRUSTED_PROXY_COUNT
    if len(entries) < count or not entries[-count]:
        # not the chain our proxies write: the request did not come through them
        return remote[:LONGEST_ADDRESS]
    return entries[-count][:LONGEST_ADDRESS]


def hit(scope: str, request, *, limit: int, window: int) -> bool:
    """Count one more request from this address; False once the window's limit is passed."""
    key = f"ratelimit:{scope}:{client_address(request)}"
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window)
        return True
    return count <= limit


def public_post_allowed(scope: str, request) -> bool:
    """One more post of a public form (a question, a problem on site, a fault) from this
    network: at most settings.QUESTION_RATE_LIMIT per QUESTION_RATE_WINDOW seconds per scope."""
    return hit(
        scope,
        request,
        limit=settings.QUESTION_RATE_LIMIT,
        window=settings.QUESTION_RATE_WINDOW,
    )


def public_post_limit() -> dict:
    """The public forms' limit, for the message that says it: minutes and posts."""
    return {
        "minutes": max(1, settings.QUESTION_RATE_WINDOW // 60),
        "limit": settings.QUESTION_RATE_LIMIT,
    }
