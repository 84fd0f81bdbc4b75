"""Turn DATABASE_URL into Django's DATABASES entry, refusing anything we do not run on."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

SUPPORTED_ENGINES = {
    "django.db.backends.postgresql",
    "django.db.backends.sqlite3",
}


def database_from_url(url: str | None, sqlite_path: Path) -> dict:
    """SQLite at ``sqlite_path`` when no URL is given; otherwise PostgreSQL or SQLite by URL."""
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": sqlite_path}
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL={url!r} cannot be read: {error}") from None
    if config.get("ENGINE") not in SUPPORTED_ENGINES:
        raise ImproperlyConfigured(
            f"DATABASE_URL={url!r}: only postgres://… and sqlite:///… are supported."
        )
    if config["ENGINE"].endswith("postgresql") and not config.get("NAME"):
        raise ImproperlyConfigured(f"DATABASE_URL={url!r} names no database.")
    return config
