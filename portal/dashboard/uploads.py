"""Keeping a checked register file between its preview and its commit, without a new model.

The uploaded bytes go to ``REGISTER_UPLOAD_ROOT/<sha256>-<campaign>-<user>``: outside
MEDIA_ROOT, so never served, and readable by the server's own user only (files 0600, the folder
0700), since they hold every owner's full phone number. The preview page carries a signed token naming that hash, the campaign and the user, good for an hour. Confirming reads
the same bytes back and checks them again against the data as it is then, so what is written
is exactly what was previewed. Files older than an hour are swept away on the next upload.
"""

import hashlib
import os
import re
import time
from pathlib import Path

from django.conf import settings
from django.core import signing

SALT = "portal.dashboard.register-import"
MAX_AGE = 3600
SHA256 = re.compile(r"[0-9a-f]{64}")


def folder() -> Path:
    return Path(settings.REGISTER_UPLOAD_ROOT)


def keep(data: bytes, campaign, user) -> str:
    """Store the bytes and return the token that gives them back to this user and campaign."""
    sha = hashlib.sha256(data).hexdigest()
    where = folder()
    where.mkdir(mode=0o700, parents=True, exist_ok=True)
    where.chmod(0o700)  # whatever the umask, or a folder made before
    _sweep(where)
    _write_private(where / _name(sha, campaign, user), data)
    return signing.dumps({"sha": sha, "campaign": campaign.pk, "user": user.pk}, salt=SALT)


def _write_private(path: Path, data: bytes) -> None:
    """Write the file readable by this user only, from its first byte."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # a file kept from before keeps no wider mode
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)


def _sha_of(token: str, campaign, user) -> str | None:
    try:
        value = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or (value.get("campaign"), value.get("user")) != (
        campaign.pk,
        user.pk,
    ):
        return None
    sha = value.get("sha")
    return sha if isinstance(sha, str) and SHA256.fullmatch(sha) else None


def _name(sha: str, campaign, user) -> str:
    """One file per upload, campaign and user: two people importing the same file do not
    share it (one confirming would remove the other's)."""
    return f"{sha}-{campaign.pk}-{user.pk}"


def take(token: str, campaign, user) -> bytes | None:
    """The kept bytes, or None when the token is forged, expired, someone else's or spent."""
    sha = _sha_of(token, campaign, user)
    if sha is None:
        return None
    try:
        data = (folder() / _name(sha, campaign, user)).read_bytes()
    except FileNotFoundError:
        return None
    return data if hashlib.sha256(data).hexdigest() == sha else None


def forget(token: str, campaign, user) -> None:
    sha = _sha_of(token, campaign, user)
    if sha:
        (folder() / _name(sha, campaign, user)).unlink(missing_ok=True)


def _sweep(where: Path) -> None:
    cutoff = time.time() - MAX_AGE
    for path in where.iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except FileNotFoundError:  # another request swept it a moment ago
            continue
