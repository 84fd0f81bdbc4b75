"""Rendered parts of staff pages, kept in Django's cache under everything they depend on.

The key holds who is looking, what they asked for, the day and language, and the stamp of the
units' change counters (``UnitQuerySet.stamp``), read before the data. A changed visit, consent
or household moves the stamp, so the next request renders afresh; nothing has to be deleted.
Whatever the counters do not see is shown at the latest after FRAGMENT_SECONDS.

The default cache is per process: each worker renders a part once per stamp. Correctness does
not depend on sharing it.
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

T = TypeVar("T")


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
