"""``manage.py backup`` then ``manage.py restore`` into an empty database gives back every
record, and the signed consents still verify."""

import io
import json
import tarfile
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from consultations.models import Consent, Visit
from households.models import Household, Owner, Person
from households.people import link
from portal.backup import read_backup

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    models = [get_user_model(), Household, Owner, Person, Visit, Consent, Visit.history.model]
    models += [Person.history.model, Owner.history.model]
    return {m._meta.label: m.objects.count() for m in models}


def links() -> set[tuple[int, int | None, str]]:
    return set(Owner.objects.values_list("pk", "person", "person__kind"))


@pytest.fixture
def backup(request, tmp_path, settings):
    """A backup of the demo: the session's (tests/conftest.py) for a test that asks for it, one
    seeded here for a transactional test."""
    if "demo" not in request.fixturenames:
        call_command("seed_demo", stdout=StringIO())
    # two flats' owners linked as one body, as the people screen links them (with history)
    unsigned = Owner.objects.filter(is_primary=True, household__consents__isnull=True)
    link(list(unsigned[:2]), kind="work_unit")
    photo = settings.MEDIA_ROOT / "updates" / "site.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(b"\xff\xd8\xff a photo")
    target = tmp_path / "portal-backup.tar.gz"
    call_command("backup", "--output", str(target), stdout=StringIO())
    return target


def empty_the_database(settings) -> None:
    """What a new, migrated database holds: no record."""
    call_command("flush", "--no-input", verbosity=0)
    for path in sorted(settings.MEDIA_ROOT.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


@pytest.mark.django_db(transaction=True)  # a restore runs outside any test transaction
def test_a_restored_backup_has_every_record_and_its_consents_verify(backup, settings):
    before, linked = counts(), links()
    assert Person.objects.get(kind="work_unit").titles.count() == 2
    consent = Consent.objects.order_by("pk").last()
    empty_the_database(settings)
    assert counts()[Household._meta.label] == 0
    out = StringIO()
    call_command("restore", str(backup), stdout=out)
    assert counts() == before and links() == linked
    assert f"All {before['consultations.Consent']} consents match their hash." in out.getvalue()
    restored = Consent.objects.get(pk=consent.pk)  # same ids: printed QR codes still resolve
    assert restored.content_hash == consent.content_hash and restored.hash_matches()
    assert bytes(restored.signature) == bytes(consent.signature)
    assert (settings.MEDIA_ROOT / "updates" / "site.jpg").read_bytes() == b"\xff\xd8\xff a photo"
    assert get_user_model().objects.get(username="grid1").assignments.exists()


def test_the_backup_is_readable_by_its_owner_only_and_says_what_it_holds(demo, backup):
    assert backup.stat().st_mode & 0o077 == 0
    manifest, data = read_backup(backup)
    assert manifest["counts"]["households.household"] == Household.objects.count()
    labels = {row["model"] for row in json.loads(data)}
    assert "sessions.session" not in labels and "contenttypes.contenttype" not in labels


def test_restore_refuses_a_database_that_already_holds_data(demo, backup):
    with pytest.raises(CommandError, match="already holds users or communities"):
        call_command("restore", str(backup), stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_damaged_backup_before_touching_the_database(backup, tmp_path, settings):
    with tarfile.open(backup) as archive:
        members = {m.name: archive.extractfile(m).read() for m in archive if m.isfile()}
    members["data.json"] = members["data.json"].replace(b"\\u540c\\u610f", b"x", 1) + b" "
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(damaged, "w:gz") as archive:
        for name, body in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
    empty_the_database(settings)
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(damaged), stdout=StringIO())
    assert Household.objects.count() == 0


@pytest.mark.parametrize("content", [b"", b"not an archive", b"\x1f\x8b\x08broken"])
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, content):
    path = tmp_path / "x.tar.gz"
    path.write_bytes(content)
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore", str(path), stdout=StringIO())


def test_restore_says_so_when_the_file_is_missing(tmp_path):
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "nowhere.tar.gz"), stdout=StringIO())
