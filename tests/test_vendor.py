"""Vendored browser libraries: every file is listed with its hash and has its licence beside it."""

import hashlib
import re
from pathlib import Path

import pytest

VENDOR = Path(__file__).resolve().parents[1] / "static" / "vendor"
README = VENDOR / "README.md"
# A table row: | `file name` | … | `64 hex digits` |
ROW = re.compile(r"^\|\s*`(?P<name>[^`]+)`\s*\|.*`(?P<sha>[0-9a-f]{64})`\s*\|\s*$", re.MULTILINE)
# signature_pad-5.1.4.umd.min.js → signature_pad-5.1.4: the name and version the licence carries.
VERSIONED = re.compile(r"^(?P<base>.+?-\d+(?:\.\d+)+)\.")


def listed() -> dict[str, str]:
    return {m["name"]: m["sha"] for m in ROW.finditer(README.read_text(encoding="utf-8"))}


def vendored() -> list[Path]:
    """Every vendored file but the licences, at the top or in a library's folder
    (``axe-core/``, used by the tests only)."""
    return sorted(
        path
        for path in VENDOR.rglob("*")
        if path.is_file() and path.name != "README.md" and path.suffix != ".LICENSE"
    )


def name_of(path: Path) -> str:
    """How the README names a file: its path under static/vendor/."""
    return path.relative_to(VENDOR).as_posix()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_there_is_something_vendored():
    assert vendored()


@pytest.mark.parametrize("path", vendored(), ids=name_of)
def test_each_vendored_file_is_listed_with_its_sha256(path):
    assert name_of(path) in listed(), f"list {name_of(path)} in static/vendor/README.md"
    assert listed()[name_of(path)] == sha256(path), f"the SHA-256 of {path.name} has changed"


@pytest.mark.parametrize("path", vendored(), ids=name_of)
def test_each_vendored_file_has_its_version_in_its_name_and_its_licence_beside_it(path):
    versioned = VERSIONED.match(path.name)
    assert versioned, f"{path.name} should be named <name>-<version>.<ext>"
    licence = path.parent / f"{versioned['base']}.LICENSE"
    assert licence.is_file(), f"{licence.name} is missing"
    assert licence.read_text(encoding="utf-8").strip()


def test_every_row_of_the_readme_names_a_file_that_is_there_with_that_hash():
    rows = listed()
    assert rows
    for name, digest in rows.items():
        assert (VENDOR / name).is_file(), f"README lists {name}, which is not in static/vendor/"
        assert sha256(VENDOR / name) == digest, f"the SHA-256 of {name} has changed"


def test_the_readme_gives_no_download_address():
    assert "://" not in README.read_text(encoding="utf-8")
