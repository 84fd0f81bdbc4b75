"""Migration 0007: consents signed before it keep verifying under their own hash version, get
the household's place as it stood and a creation record, and survive a later room correction."""

import secrets
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import QuerySet
from django.utils import timezone

from consultations.models import Consent
from tests.factories import PNG_1PX, make_consent, make_household, make_proposal, make_user

BEFORE = [("consultations", "0006_fill_door_status")]


# The columns migration 0009 added (hash version 4): not there before 0007.
VERSION_4 = {
    "answers",
    "signer_capacity",
    "signer_owner_id",
    "agent_id_tail",
    "attorney_letter",
    "attorney_letter_type",
    "attorney_letter_sha256",
}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def sealed_as_version_2(household, proposal, witness) -> dict:
    """The stored fields of a consent signed before migration 0007 (hash version 2)."""
    consent = Consent(
        household=household,
        proposal=proposal,
        share_amount="7500.00",
        decision="agree",
        signer_name="张三",
        method=Consent.Method.TABLET,
        signature=PNG_1PX,
        signature_type="image/png",
        witness=witness,
        signed_at=timezone.now(),
        hash_version=2,
        signer_salt=secrets.token_hex(16),
        signed_room=household.room,  # what version 2 hashed: the room as it stood
    )
    consent.signer_sha256 = consent.live_signer_digest()
    consent.signature_sha256 = consent.live_signature_digest()
    consent.content_hash = consent.compute_hash()
    fields = [f.attname for f in Consent._meta.concrete_fields]
    skipped = {"id", "signed_unit", "signed_room", "signed_witness", "created_at", *VERSION_4}
    return {name: getattr(consent, name) for name in fields if name not in skipped}


@pytest.mark.django_db(transaction=True)
def test_a_consent_signed_before_the_snapshot_still_verifies_after_a_room_correction():
    proposal = make_proposal(status="published")
    household = make_household(unit=proposal.elevator.unit, room="201", floor=2)
    row = sealed_as_version_2(household, proposal, make_user())
    try:
        old = migrate(BEFORE)
        old.get_model("consultations", "Consent").objects.create(**row)  # no history yet
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    consent = Consent.objects.get(household=household)
    assert (consent.hash_version, consent.signed_room) == (2, "201")
    assert consent.signed_unit == str(household.unit)
    assert consent.signed_witness == consent.witness.get_username()
    assert consent.content_hash == row["content_hash"]  # signed history is not rewritten
    assert Consent.history.filter(id=consent.pk, history_type="+").exists()
    call_command("verify_consents", stdout=StringIO())

    household.room = "201A"
    household.save()
    assert Consent.objects.get(pk=consent.pk).problems() == []
    call_command("verify_consents", stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_the_chain_trigger_survives_the_migration_both_ways():
    mine = make_consent()
    theirs = make_consent(proposal=mine.proposal)
    stranger = sealed_as_version_2(theirs.household, mine.proposal, mine.witness)
    stranger["supersedes_id"] = mine.pk  # another household's answer
    try:
        old = migrate(BEFORE)
        with pytest.raises(IntegrityError), transaction.atomic():
            old.get_model("consultations", "Consent").objects.create(**stranger)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    with pytest.raises(IntegrityError), transaction.atomic():
        QuerySet.update(Consent.objects.filter(pk=theirs.pk), supersedes=mine)
