"""The release stamp parts a shared cache's keys between deployments."""

from pathlib import Path

from portal.release import source_stamp

ROOT = Path(__file__).resolve().parents[2]


def a_project(root: Path) -> Path:
    (root / "templates").mkdir(parents=True)
    (root / "portal").mkdir()
    (root / "templates" / "base.html").write_text("<html>{% block content %}{% endblock %}")
    (root / "portal" / "views.py").write_text("def home(request): ...\n")
    return root


def test_the_same_sources_give_the_same_stamp(tmp_path):
    assert source_stamp(a_project(tmp_path / "a")) == source_stamp(a_project(tmp_path / "b"))


def test_a_changed_template_or_view_changes_the_stamp(tmp_path):
    root = a_project(tmp_path)
    before = source_stamp(root)
    (root / "templates" / "base.html").write_text("<html lang=zh>{% block content %}{% endblock %}")
    after_template = source_stamp(root)
    (root / "portal" / "views.py").write_text("def home(request): return None\n")
    assert len({before, after_template, source_stamp(root)}) == 3


def test_compiled_bytecode_and_other_files_do_not_count(tmp_path):
    root = a_project(tmp_path)
    before = source_stamp(root)
    (root / "portal" / "__pycache__").mkdir()
    (root / "portal" / "__pycache__" / "views.cpython-311.pyc").write_bytes(b"\0")
    (root / "portal" / "notes.bak").write_text("scratch")
    assert source_stamp(root) == before


def test_the_project_itself_has_a_stamp():
    assert len(source_stamp(ROOT)) == 12
