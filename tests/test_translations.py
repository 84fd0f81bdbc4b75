"""Chinese first, English complete: every marked string has an English translation."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
SOURCES = [
    "manage.py",
    "core",
    "portal",
    "campaigns",
    "households",
    "consultations",
    "works",
    "money",
    "templates",
]


def read_po(path: Path) -> dict[str, dict]:
    """msgid → {"msgstr": [...], "fuzzy": bool} for every entry but the header."""
    entries, current, field, fuzzy = {}, None, None, False
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#,"):
            fuzzy = "fuzzy" in line
        elif line.startswith(("msgid ", "msgid_plural ", "msgstr")):
            keyword, _, text = line.partition(" ")
            if keyword == "msgid":
                current = {"msgid": "", "msgstr": [], "fuzzy": fuzzy}
            field = keyword
            value = ast.literal_eval(text)
            if field.startswith("msgstr"):
                current["msgstr"].append(value)
            elif field == "msgid":
                current["msgid"] = value
        elif line.startswith('"') and current is not None:
            value = ast.literal_eval(line)
            if field.startswith("msgstr"):
                current["msgstr"][-1] += value
            elif field == "msgid":
                current["msgid"] += value
        elif not line.strip() and current is not None:
            if current["msgid"]:
                entries[current["msgid"]] = current
            current, field, fuzzy = None, None, False
    return entries


def test_every_english_entry_is_translated_and_not_fuzzy():
    entries = read_po(CATALOGUE)
    assert len(entries) > 100
    untranslated = [msgid for msgid, e in entries.items() if not all(e["msgstr"])]
    fuzzy = [msgid for msgid, e in entries.items() if e["fuzzy"]]
    assert not untranslated
    assert not fuzzy


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (make test)")
def test_the_english_catalogue_covers_every_string_marked_for_translation(tmp_path):
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "-v", "0"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "SQLITE_PATH": str(tmp_path / "db.sqlite3")},
    )
    marked = set(read_po(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    missing = marked - set(read_po(CATALOGUE))
    assert not missing, "run `make makemessages` and translate: " + ", ".join(sorted(missing))
