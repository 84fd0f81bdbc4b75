"""Signed consents: never edited or deleted, superseded in one chain, sealed by a content hash."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError, QuerySet
from django.utils import timezone

from consultations.models import Consent, Decision, Matter, Proposal
from consultations.models.consents import Capacity, ImmutableRecordError
from tests.factories import (
    PNG_1PX,
    make_consent,
    make_household,
    make_matter,
    make_owner,
    make_proposal,
    make_user,
)

pytestmark = pytest.mark.django_db


def signed(**kw) -> dict:
    """The fields of a fresh signature, for supersede(...)."""
    return {
        "share_amount": Decimal("7500.00"),
        "decision": Decision.DISAGREE,
        "signer_name": "张三",
        "method": Consent.Method.PAPER,
        "signature": b"%PDF-1.4 scanned form",
        "signature_type": "application/pdf",
        "witness": make_user(),
        "signed_at": timezone.now(),
        **kw,
    }


def stored(consent: Consent) -> tuple:
    row = Consent.objects.get(pk=consent.pk)
    return row.decision, row.signer_name, row.share_amount, row.content_hash


# Database constraints


def test_database_rejects_a_second_unchained_consent_for_the_same_household_and_proposal():
    consent = make_consent()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_consent(household=consent.household, proposal=consent.proposal)


def test_a_household_may_sign_each_proposal_once():
    consent = make_consent()
    other = make_proposal(elevator=consent.proposal.elevator, version=2)
    assert make_consent(household=consent.household, proposal=other).pk


def test_database_rejects_two_records_superseding_the_same_consent():
    consent = make_consent()
    make_consent(household=consent.household, proposal=consent.proposal, supersedes=consent)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_consent(household=consent.household, proposal=consent.proposal, supersedes=consent)


def test_database_keeps_at_most_one_current_consent_per_household_and_proposal():
    mine = make_consent()
    neighbours = make_consent(proposal=mine.proposal)
    with pytest.raises(IntegrityError, match="consent_supersedes_same_chain"), transaction.atomic():
        make_consent(household=mine.household, proposal=mine.proposal, supersedes=neighbours)


@pytest.mark.parametrize("content_hash", ["not-a-hash", "A" * 64, "a" * 63, "g" * 64])
def test_database_rejects_a_hash_that_is_not_lowercase_sha256_hex(content_hash):
    with pytest.raises(IntegrityError, match="consent_hash_is_sha256"), transaction.atomic():
        make_consent(content_hash=content_hash)


def test_database_rejects_a_negative_share_amount():
    with pytest.raises(IntegrityError, match="consent_share_not_negative"), transaction.atomic():
        make_consent(share_amount=Decimal("-0.01"))


def test_database_rejects_a_consent_without_a_signer_name():
    with pytest.raises(IntegrityError, match="consent_signer_named"), transaction.atomic():
        make_consent(signer_name="")


def test_an_exempt_household_may_sign_for_a_zero_share():
    assert make_consent(share_amount=Decimal("0.00")).pk


# Immutability


def test_saving_a_stored_consent_again_is_refused_and_changes_nothing():
    consent = make_consent()
    before = stored(consent)
    consent.decision = Decision.DISAGREE
    with pytest.raises(ImmutableRecordError):
        consent.save()
    assert stored(consent) == before


def test_deleting_a_consent_is_refused():
    consent = make_consent()
    with pytest.raises(ImmutableRecordError):
        consent.delete()
    assert Consent.objects.filter(pk=consent.pk).exists()


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(
            lambda c: Consent.objects.filter(pk=c.pk).update(decision="disagree"), id="update"
        ),
        pytest.param(
            lambda c: c.household.consents.update(decision="disagree"), id="related update"
        ),
        pytest.param(lambda c: Consent.objects.bulk_update([c], ["decision"]), id="bulk_update"),
        pytest.param(
            lambda c: Consent.objects.update_or_create(pk=c.pk, defaults={"decision": "disagree"}),
            id="update_or_create",
        ),
    ],
)
def test_queryset_updates_of_consents_are_refused(edit):
    consent = make_consent()
    before = stored(consent)
    consent.decision = Decision.DISAGREE
    with pytest.raises(ImmutableRecordError), transaction.atomic():
        edit(consent)
    assert stored(consent) == before


@pytest.mark.parametrize(
    "remove",
    [
        pytest.param(lambda c: Consent.objects.filter(pk=c.pk).delete(), id="filter delete"),
        pytest.param(lambda c: c.proposal.consents.all().delete(), id="related delete"),
    ],
)
def test_queryset_deletes_of_consents_are_refused(remove):
    consent = make_consent()
    with pytest.raises(ImmutableRecordError), transaction.atomic():
        remove(consent)
    assert Consent.objects.filter(pk=consent.pk).exists()


def test_a_new_instance_with_the_pk_of_a_signed_consent_cannot_overwrite_it():
    consent = make_consent()
    before = stored(consent)
    forged = Consent(
        pk=consent.pk,
        household=consent.household,
        proposal=consent.proposal,
        created_at=consent.created_at,
        **signed(),
    )
    with pytest.raises((ImmutableRecordError, IntegrityError)), transaction.atomic():
        forged.save()
    assert stored(consent) == before


@pytest.mark.parametrize("delete", ["household", "proposal", "witness"])
def test_a_signed_consent_protects_its_household_proposal_and_witness(delete):
    consent = make_consent()
    with pytest.raises(ProtectedError):
        getattr(consent, delete).delete()
    assert Consent.objects.filter(pk=consent.pk).exists()


# Superseding


def test_superseding_creates_the_new_current_consent_and_retires_the_old_one():
    old = make_consent(decision=Decision.AGREE)
    new = old.supersede(**signed(decision=Decision.DISAGREE))
    current = Consent.objects.current().filter(household=old.household, proposal=old.proposal)
    assert list(current) == [new]
    assert new.supersedes == old and new.hash_matches()
    assert not Consent.objects.get(pk=old.pk).is_current
    assert Consent.objects.get(pk=new.pk).is_current


def test_a_change_of_mind_can_be_superseded_again():
    first = make_consent()
    third = first.supersede(**signed()).supersede(**signed(decision=Decision.AGREE))
    chain = Consent.objects.filter(household=first.household, proposal=first.proposal)
    assert chain.count() == 3
    assert list(chain.current()) == [third]


def test_two_workers_superseding_the_same_consent_at_once_leave_one_winner():
    consent = make_consent()
    first_tablet = Consent.objects.get(pk=consent.pk)
    second_tablet = Consent.objects.get(pk=consent.pk)
    winner = first_tablet.supersede(**signed(decision=Decision.DISAGREE))
    with pytest.raises(IntegrityError), transaction.atomic():
        second_tablet.supersede(**signed(decision=Decision.ABSTAIN))
    assert list(Consent.objects.current().filter(household=consent.household)) == [winner]


# Content hash


def test_a_new_consent_stores_a_hash_that_matches_its_content():
    consent = make_consent()
    consent.refresh_from_db()
    assert consent.hash_matches()


def test_the_hash_survives_the_round_trip_of_amounts_and_time_zones():
    consent = make_consent(share_amount=Decimal("7500"), signed_at=timezone.localtime())
    consent.refresh_from_db()
    assert consent.hash_matches()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("decision", Decision.DISAGREE),
        ("signer_name", "李四"),
        ("share_amount", Decimal("7500.01")),
        ("signature", PNG_1PX + b"\x00"),
        ("signed_at", timezone.now() - timedelta(days=1)),
    ],
)
def test_the_hash_changes_when_what_was_signed_differs(field, value):
    consent = make_consent()
    consent.refresh_from_db()
    setattr(consent, field, value)
    assert not consent.hash_matches()


def test_the_hash_no_longer_matches_when_the_proposal_changes_after_signing():
    consent = make_consent()
    Proposal.objects.filter(pk=consent.proposal_id).update(
        total_cost=Decimal("430000.00"), self_funded=Decimal("160000.00")
    )
    assert not Consent.objects.get(pk=consent.pk).hash_matches()


def test_a_row_altered_behind_the_models_back_no_longer_matches_its_hash():
    consent = make_consent(decision=Decision.AGREE)
    table = connection.ops.quote_name(Consent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET decision = %s WHERE id = %s", ["disagree", consent.pk])
    consent.refresh_from_db()
    assert consent.decision == Decision.DISAGREE
    assert not consent.hash_matches()


def test_two_households_signing_the_same_thing_get_different_hashes():
    consent = make_consent()
    neighbour = make_household(unit=consent.household.unit)
    other = make_consent(
        household=neighbour, proposal=consent.proposal, signed_at=consent.signed_at
    )
    assert other.content_hash != consent.content_hash


# Hash version 4: every matter's answer, and who signed in what capacity


LETTER = b"%PDF-1.4 power of attorney\n%%EOF\n"


def agent_consent(**fields) -> Consent:
    """An agent's signature for the owner of a flat, on a two-matter ballot, as signing
    records it."""
    from consultations.signing import record_consent

    proposal = make_proposal()
    make_matter(proposal, 1, 5, "majority", "使用住宅专项维修资金")
    make_matter(proposal, 2, 7, "three_quarters", "井道改造")
    household = make_household(unit=proposal.elevator.unit)
    owner = make_owner(household=household, name="王秀英")
    make_owner(household=household, name="李建国", is_primary=False)
    proposal.publish()
    return record_consent(
        household=household,
        proposal=proposal,
        expected_current=None,
        **{
            "answers": {"1": "agree", "2": "disagree"},
            "signer_capacity": Capacity.AGENT,
            "signer_owner": owner,
            "signer_name": "赵律师",
            "agent_id_tail": "123X",
            "attorney_letter": LETTER,
            "attorney_letter_type": "application/pdf",
            "method": Consent.Method.TABLET,
            "signature": PNG_1PX,
            "signature_type": "image/png",
            "witness": make_user(),
            "signed_at": timezone.now(),
            **fields,
        },
    )


def test_an_agents_two_matter_consent_is_intact_and_hashes_the_matters():
    consent = Consent.objects.get(pk=agent_consent().pk)
    assert consent.is_intact() and consent.hash_version == 4
    content = consent.signed_content()
    assert [m["number"] for m in content["matters"]] == [1, 2]
    assert content["answers"] == {"1": "agree", "2": "disagree"}
    assert (content["capacity"], content["signer_owner"]) == ("agent", consent.signer_owner_id)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda c: setattr(c, "answers", {"1": "agree", "2": "agree"}), "does not match its hash"),
        (lambda c: setattr(c, "signer_capacity", Capacity.OWNER), "does not match its hash"),
        (
            lambda c: setattr(c, "signer_owner", c.household.owners.get(is_primary=False)),
            "does not match its hash",
        ),
        (
            lambda c: setattr(c, "attorney_letter", LETTER + b"forged"),
            "the power of attorney does not match its stored digest",
        ),
        (
            lambda c: setattr(c, "agent_id_tail", "999X"),
            "the signer's name does not match its stored digest",
        ),
    ],
    ids=["one matter's answer", "capacity", "signer owner", "power of attorney", "agent's ID"],
)
def test_changing_what_a_v4_consent_recorded_breaks_its_checks(change, problem):
    consent = Consent.objects.get(pk=agent_consent().pk)
    change(consent)
    assert problem in consent.problems()
    assert "does not match its hash" in consent.problems()


def test_a_matter_changed_after_publication_breaks_the_hash():
    consent = agent_consent()
    Matter.objects.filter(proposal=consent.proposal, number=2).update(rule="majority")
    assert not Consent.objects.get(pk=consent.pk).hash_matches()


def test_one_matters_answer_changed_in_the_database_fails_verify_consents():
    consent = agent_consent()
    QuerySet.update(Consent.objects.filter(pk=consent.pk), answers={"1": "agree", "2": "agree"})
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 of 1 consents do not match"):
        call_command("verify_consents", stdout=out, stderr=err)
    assert "differs from its creation record in answers" in err.getvalue()


def test_verify_consents_passes_on_an_agents_two_matter_consent():
    agent_consent()
    out = StringIO()
    call_command("verify_consents", stdout=out)
    assert "All 1 consents match" in out.getvalue()


def test_erasure_clears_the_agents_id_and_power_of_attorney_and_the_record_still_verifies():
    from consultations.personal_data import erase_household

    consent = agent_consent()
    erase_household(consent.household, make_user(), "房屋已出售")
    erased = Consent.objects.get(pk=consent.pk)
    assert (erased.agent_id_tail, bytes(erased.attorney_letter)) == ("", b"")
    assert erased.attorney_letter_sha256  # the digest stays: the hash still verifies
    assert erased.problems() == []
    history = Consent.history.filter(id=consent.pk).values_list("agent_id_tail", flat=True)
    assert set(history) == {""}
    call_command("verify_consents", stdout=StringIO())


def test_an_erased_record_that_keeps_the_power_of_attorney_is_caught():
    consent = agent_consent()
    Consent.objects.filter(pk=consent.pk).erase_personal_data()
    QuerySet.update(Consent.objects.filter(pk=consent.pk), attorney_letter=LETTER)
    problems = Consent.objects.get(pk=consent.pk).problems()
    assert "erased, yet it keeps the power of attorney or the agent's ID digits" in problems


def test_a_consent_sealed_before_version_4_keeps_verifying_and_answers_its_one_matter():
    consent = make_consent(decision=Decision.AGREE_NOT_PAYING)
    consent.hash_version = 3
    QuerySet.update(
        Consent.objects.filter(pk=consent.pk), hash_version=3, content_hash=consent.compute_hash()
    )
    old = Consent.objects.get(pk=consent.pk)
    assert old.is_intact() and old.signer_capacity == "" and old.answers == {}
    assert old.decision_on(1) == Decision.AGREE_NOT_PAYING
