"""A fixed-window limit per client address, counted in Django's cache.

The counter lives in whatever CACHES names: the default local-memory cache counts per process,
so with several workers set a shared cache (Redis, Memcached or the database cache).
"""

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    """The client's address as the deployment reports it (settings.CLIENT_IP_HEADER)."""
    value = request.META.get(settings.CLIENT_IP_HEADER) or request.META.get("REMOTE_ADDR", "")
    return value.split(",")[0].strip()[:64]


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
