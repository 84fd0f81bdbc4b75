"""``manage.py consent_packet``: the packet from the command line."""

import re
import shutil
import stat
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.factories import make_campaign, make_voted_unit

pytestmark = pytest.mark.django_db
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="needs poppler-utils",
)


@pytest.fixture
def campaign():
    """Two units with a published proposal (2 and 3 households), one vote passed."""
    first, _h, _p = make_voted_unit(["agree", "agree"])
    campaign = first.building.campaign
    make_voted_unit(["agree", "disagree", None], campaign=campaign)
    return campaign


def run(*args: str) -> str:
    out = StringIO()
    call_command("consent_packet", *args, stdout=out)
    return out.getvalue()


def pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)$", info, re.M)[1])


def text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    return re.sub(r"\s+", "", out)


@needs_poppler
def test_the_command_writes_the_campaigns_packet_in_parallel(campaign, tmp_path):
    output = tmp_path / "packet.pdf"
    said = run(campaign.slug, "--output", str(output), "--jobs", "2")
    assert "Wrote" in said and "2 unit(s), 5 households" in said and "DRAFT" in said
    assert output.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(output.stat().st_mode) == 0o600  # it names people
    assert pages(output) == 1 + (4 + 2) + (4 + 3)  # the list of units, then each unit
    content = text(output)
    assert "业主签字同意材料汇编" in content and "草稿" in content
    units = list(campaign.buildings.values_list("name", "units__name"))
    for building, unit in units:
        assert f"电梯更新业主意见表·{building}{unit}" in content
    assert not list(tmp_path.glob("*.part"))


@needs_poppler
def test_unit_limits_the_packet_to_one_unit_by_id_or_by_name(campaign, tmp_path):
    passed, failing = sorted(
        (u for b in campaign.buildings.all() for u in b.units.all()), key=lambda u: u.pk
    )
    name = f"{passed.building.name}{passed.name}"
    for wanted in (name, str(passed.pk), name.replace("栋", "栋 ")):
        output = tmp_path / "unit.pdf"
        said = run(campaign.slug, "--output", str(output), "--unit", wanted, "--jobs", "1")
        assert "1 unit(s), 2 households; final" in said
        assert pages(output) == 4 + 2
        content = text(output)
        assert f"电梯更新业主意见表·{name}" in content
        assert "草稿" not in content  # this unit's vote has passed
        assert f"{failing.building.name}{failing.name}" not in content


def test_errors_are_clean(campaign, tmp_path):
    output = str(tmp_path / "x.pdf")
    cases = [
        ((campaign.slug[:-1] + "zz", "--output", output), "No campaign"),
        ((campaign.slug, "--output", output, "--unit", "99栋9单元"), "No unit '99栋9单元'"),
        ((campaign.slug, "--output", output, "--unit", "999999"), "Its units:"),
        ((campaign.slug, "--output", str(tmp_path / "missing" / "x.pdf")), "does not exist"),
        ((campaign.slug, "--output", str(tmp_path)), "is a folder"),
        ((campaign.slug, "--output", output, "--base-url", "javascript:x"), "--base-url"),
        ((campaign.slug, "--output", output, "--jobs", "0"), "--jobs"),
    ]
    for args, message in cases:
        with pytest.raises(CommandError, match=re.escape(message)):
            run(*args)
    empty = make_campaign()
    with pytest.raises(CommandError, match="no published proposal"):
        run(empty.slug, "--output", output)
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_a_write_that_fails_leaves_nothing_behind(campaign, tmp_path, monkeypatch):
    output = tmp_path / "packet.pdf"
    unit = campaign.buildings.first().units.first()

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", full_disk)
    with pytest.raises(CommandError, match="No space left on device"):
        run(campaign.slug, "--output", str(output), "--unit", str(unit.pk))
    assert not list(tmp_path.iterdir())
