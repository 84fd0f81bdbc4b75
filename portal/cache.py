"""Django's Redis cache, with one Redis client per connection pool, going on without Redis.

Django's client makes a new ``redis.Redis`` for every cache call, and each one builds its
table of some 170 reply handlers: about 0.3 ms, twice on every signed-in page (the session
and the kept page). ``redis.Redis`` is safe to share between threads; the pool underneath
is the same one Django would use.

Nothing kept in the cache is needed to answer a request: kept pages are rendered again, and
sessions (``cached_db``) are read from the database. So when Redis cannot be reached the site
goes on without it: reads miss, writes are dropped, and each failure is logged as a warning.
The question limit then lets questions through rather than refuse everyone.
"""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis import RedisError

logger = logging.getLogger(__name__)


class OneClientPerPool(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


def _without_redis(fallback, call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except RedisError as error:
        logger.warning("The shared cache is unavailable (%s); going on without it.", error)
        return fallback() if callable(fallback) else fallback


def _missing_key():
    raise ValueError("The shared cache is unavailable.")  # as incr() of a key not kept


class PortalRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = OneClientPerPool

    def get(self, key, default=None, version=None):
        return _without_redis(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return _without_redis({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return _without_redis(False, super().has_key, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return _without_redis(False, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return _without_redis(None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return _without_redis(list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return _without_redis(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return _without_redis(False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return _without_redis(None, super().delete_many, keys, version)

    def incr(self, key, delta=1, version=None):
        return _without_redis(_missing_key, super().incr, key, delta, version)

    def clear(self):
        return _without_redis(None, super().clear)
