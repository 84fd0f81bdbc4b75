"""The real process refuses bad settings with a clear message (no traceback)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ"


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_DEBUG": "perhaps"}, "DJANGO_DEBUG='perhaps' is not a boolean"),
        ({"DATABASE_URL": "mysql://root@localhost/x"}, "only postgres://"),
        ({"DJANGO_ENV": "staging"}, "DJANGO_ENV='staging' must be one of"),
        ({"DJANGO_ENV": "production", "SECRET_KEY": "short"}, "SECRET_KEY is missing or weak"),
        (
            {"DJANGO_ENV": "production", "SECRET_KEY": STRONG_KEY, "DJANGO_DEBUG": "1"},
            "DJANGO_DEBUG must be off",
        ),
    ],
)
def test_bad_environment_values_stop_start_up_with_a_clear_message(env, message):
    result = manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_database_is_reported_plainly():
    result = manage("migrate", DATABASE_URL="postgres://postgres@127.0.0.1:1/nowhere")
    assert result.returncode != 0
    assert "Cannot reach the database" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_settings_pass_the_deployment_checks():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="portal.example",
    )
    assert result.returncode == 0, result.stderr
