"""A stamp of the code and templates this process runs, for keys of a cache that outlives it.

A shared cache (Redis) keeps rendered pages across a deployment; under a key that names the
release, a page rendered by the old templates or views is never served by the new ones.
"""

import hashlib
from pathlib import Path

SOURCES = ("portal", "campaigns", "households", "consultations", "templates", "static", "locale")
SUFFIXES = {".py", ".html", ".txt", ".mo", ".css", ".js", ".svg"}


def source_stamp(root: Path) -> str:
    """SHA-256 (first 12 hex digits) over the names and contents of the project's own source
    files: code, templates, translations and static files. A few milliseconds, once."""
    digest = hashlib.sha256()
    for top in SOURCES:
        for path in sorted((root / top).rglob("*")):
            if path.suffix in SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]
