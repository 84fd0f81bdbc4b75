"""verify_consents as an operator runs it: a real process on a real database file."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(database: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env["SQLITE_PATH"] = str(database)
    env["MEDIA_ROOT"] = str(database.parent / "media")  # the demo's photos, not in the checkout
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_verify_consents_exits_zero_on_the_demo_and_non_zero_after_tampering(tmp_path):
    database = tmp_path / "demo.sqlite3"
    assert manage(database, "migrate", "-v", "0").returncode == 0
    assert manage(database, "seed_demo").returncode == 0
    clean = manage(database, "verify_consents")
    assert clean.returncode == 0, clean.stderr
    assert "consents match their hash" in clean.stdout

    with sqlite3.connect(database) as db:
        db.execute("UPDATE consultations_consent SET signer_name = '某人' WHERE id = 1")
    tampered = manage(database, "verify_consents")
    assert tampered.returncode == 1
    assert "MISMATCH consent 1" in tampered.stderr
    assert "do not match their hash" in tampered.stderr
