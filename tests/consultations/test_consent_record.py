"""The legal record against direct database edits: a consent altered, erased in name only,
re-attributed or deleted is caught by its own checks, by verify_consents, on the public
verification page and on the printed form; a correction of the room is not an alteration."""

import re
import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DataError, IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consultations.models import Consent
from consultations.models.consents import ERASED_NAME
from consultations.packet import household_pages, verification_code
from consultations.personal_data import erase_household
from consultations.verification import record_problems
from households.models import Household
from tests.factories import (
    PNG_1PX,
    make_assignment,
    make_consent,
    make_household,
    make_proposal,
    make_user,
    make_voted_unit,
)

pytestmark = pytest.mark.django_db


def tamper(consent: Consent, **fields) -> Consent:
    """Change a stored consent directly in the database, as someone with access to it could."""
    QuerySet.update(Consent.objects.filter(pk=consent.pk), **fields)
    return Consent.objects.get(pk=consent.pk)


def delete_row(consent: Consent) -> None:
    table = connection.ops.quote_name(Consent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [consent.pk])


def verify() -> str:
    """verify_consents' complaints, or "" when it finds the record consistent (exit 0)."""
    try:
        call_command("verify_consents", stdout=StringIO(), stderr=(err := StringIO()))
    except CommandError as error:
        assert error.returncode == 1
        return err.getvalue() + str(error)
    return ""


def page(client, code: str) -> str:
    return client.get(reverse("verify_consent", args=[code])).text


def printed_intact(consent: Consent) -> bool:
    """Whether the printed form (and the packet) would say the record matches."""
    household = consent.household
    pages, _changes = household_pages(
        {household.unit_id: consent.proposal}, [household], "http://testserver/"
    )
    return pages[household.pk].record.hash_ok


def supersede(consent: Consent, decision: str = "disagree") -> Consent:
    return consent.supersede(
        share_amount=consent.share_amount,
        decision=decision,
        signer_name="张三",
        method=Consent.Method.TABLET,
        signature=PNG_1PX,
        signature_type="image/png",
        witness=consent.witness,
        signed_at=consent.signed_at + timedelta(days=1),
    )


def test_a_fresh_consent_is_intact_everywhere(client):
    consent = make_consent()
    assert consent.problems() == [] and record_problems(consent) == []
    assert verify() == ""
    assert "记录完好" in page(client, verification_code(consent))
    assert printed_intact(consent)


# Erasure in name only


def test_erasing_in_name_only_while_replacing_the_signer_and_signature_is_detected(client):
    consent = make_consent(signer_name="王秀英")
    code = verification_code(consent)
    forged = tamper(consent, erased_at=consent.signed_at, signer_name="李四", signature=b"forged")
    assert forged.problems() == [
        "erased, yet it names a signer",
        "erased, yet it keeps the signature or the name's salt",
    ]
    assert "erased, yet it names a signer" in verify()
    assert "记录不一致" in page(client, code)
    assert not printed_intact(forged)


def test_a_real_erasure_leaves_the_placeholder_no_signature_and_a_green_record(client):
    consent = make_consent()
    erase_household(consent.household, make_user(), "房屋已出售")
    erased = Consent.objects.get(pk=consent.pk)
    assert erased.signer_name == ERASED_NAME and bytes(erased.signature) == b""
    assert erased.problems() == [] and verify() == ""
    assert "记录完好" in page(client, verification_code(consent))
    assert printed_intact(erased)


def test_an_erasure_faked_in_the_database_without_its_audit_event_is_detected(client):
    consent = make_consent()
    Consent.objects.filter(pk=consent.pk).erase_personal_data()  # no erase_household, no event
    erased = Consent.objects.get(pk=consent.pk)
    assert erased.problems() == []  # the row itself looks like an erasure...
    assert f"consent {consent.pk} is erased, but no erasure was recorded" in verify()
    assert "记录不一致" in page(client, verification_code(consent))
    assert not printed_intact(erased)


def test_an_erased_consent_whose_stored_digest_was_changed_is_detected():
    consent = make_consent()
    erase_household(consent.household, make_user(), "房屋已出售")
    forged = tamper(consent, signer_sha256="0" * 64)
    assert forged.problems() == ["does not match its hash"]


def test_a_kept_name_that_no_longer_matches_its_stored_digest_is_detected():
    consent = make_consent()
    forged = tamper(consent, signer_sha256="0" * 64)
    assert "the signer's name does not match its stored digest" in forged.problems()


# Witness, method, time and what was signed


@pytest.mark.parametrize(
    "field", ["signed_witness", "method", "signed_at", "signed_room", "signed_unit"]
)
def test_changing_what_the_hash_now_covers_is_detected(client, field):
    consent = make_consent()
    code = verification_code(consent)
    value = {
        "signed_witness": "someone-else",
        "method": Consent.Method.PAPER,
        "signed_at": consent.signed_at - timedelta(minutes=1),
        "signed_room": "999",
        "signed_unit": "9栋9单元",
    }[field]
    forged = tamper(consent, **{field: value})
    assert forged.problems() == ["does not match its hash"]
    assert f"MISMATCH consent {consent.pk}" in verify()
    assert "记录不一致" in page(client, code)
    assert not printed_intact(forged)


def test_the_hash_covers_the_witness_by_the_account_they_signed_with():
    consent = make_consent()
    assert consent.signed_witness == consent.witness.get_username()
    assert consent.sealed_content()["witness"] == consent.witness.get_username()


def test_pointing_a_consent_at_another_witness_is_caught_by_its_creation_record(client):
    consent = make_consent()
    forged = tamper(consent, witness=make_user())
    assert f"consent {consent.pk} differs from its creation record in witness_id" in verify()
    assert "记录不一致" in page(client, verification_code(consent))
    assert not printed_intact(forged)


def test_changing_the_witness_and_rehashing_is_still_caught_by_the_creation_record():
    consent = make_consent()
    forged = Consent.objects.get(pk=consent.pk)
    forged.witness = make_user()
    forged.signed_witness = forged.witness.get_username()
    forged = tamper(
        consent,
        witness=forged.witness,
        signed_witness=forged.signed_witness,
        content_hash=forged.compute_hash(),
    )
    assert forged.problems() == []  # the attacker recomputed the hash...
    problems = verify()  # ...but the history keeps what was stored when it was signed
    assert (
        f"consent {consent.pk} differs from its creation record in witness_id, content_hash"
        in problems
    )
    assert record_problems(forged)


def test_changing_the_witness_of_a_consent_sealed_as_version_2_is_caught_by_the_history():
    consent = make_consent()
    old = Consent.objects.get(pk=consent.pk)
    old.hash_version = 2  # as if signed before version 3: the witness is not in the hash
    fields = {"hash_version": 2, "content_hash": old.compute_hash()}
    tamper(consent, **fields)
    Consent.history.filter(id=consent.pk).update(**fields)
    assert verify() == ""
    forged = tamper(consent, witness=make_user())
    assert forged.problems() == []
    assert f"consent {consent.pk} differs from its creation record in witness_id" in verify()


def test_the_hash_links_each_answer_to_the_one_it_replaces():
    first = make_consent(decision="agree")
    second = supersede(first)
    assert second.sealed_content()["supersedes"] == {
        "id": first.pk,
        "content_hash": first.content_hash,
    }


# Deleting an answer


def test_deleting_the_latest_answer_is_detected_and_the_older_one_is_not_shown_as_sound(client):
    first = make_consent(decision="agree")
    second = supersede(first, decision="disagree")
    delete_row(second)
    assert Consent.objects.current().get(household=first.household) == first  # silently current
    assert (
        f"consent {second.pk} (household {first.household_id}, proposal {first.proposal_id}) "
        "is in the history but gone from the table: deleted"
    ) in verify()
    assert "记录不一致" in page(client, verification_code(first))
    assert not printed_intact(first)


def test_deleting_a_households_only_answer_is_detected():
    consent = make_consent()
    delete_row(consent)
    assert f"consent {consent.pk}" in verify() and "deleted" in verify()


def test_verify_consents_for_one_campaign_checks_that_campaigns_chains_only():
    mine, other = make_consent(), make_consent()
    delete_row(other)
    slug = mine.household.unit.building.campaign.slug
    call_command("verify_consents", campaign=slug, stdout=StringIO())
    with pytest.raises(CommandError):
        call_command(
            "verify_consents",
            campaign=other.household.unit.building.campaign.slug,
            stdout=StringIO(),
            stderr=StringIO(),
        )


# A legitimate correction


def test_correcting_the_room_in_the_admin_after_signing_leaves_the_record_green(client):
    proposal = make_proposal(status="published")
    household = make_household(unit=proposal.elevator.unit, room="201", floor=2)
    consent = make_consent(household=household, proposal=proposal)
    code = verification_code(consent)
    client.force_login(make_user(is_staff=True, is_superuser=True))
    form = client.get(reverse("admin:households_household_change", args=[household.pk]))
    data = admin_form_data(form)
    data["room"] = "201A"
    response = client.post(reverse("admin:households_household_change", args=[household.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    household.refresh_from_db()
    assert household.room == "201A"
    assert verify() == ""
    text = page(Client(), code)  # a passer-by with the paper, not the admin
    assert "记录完好" in text and "201" in text and "201A" not in text
    consent = Consent.objects.get(pk=consent.pk)
    assert consent.signed_room == "201" and printed_intact(consent)


def admin_form_data(response) -> dict:
    """What the admin's change form would post back unchanged."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


# Any single change of a sealed consent


@pytest.fixture
def sealed():
    """A chain of two answers, and other records a changed consent could point to."""
    first = make_consent(decision="agree")
    chain = [first, supersede(first, decision="disagree")]
    alternatives = {
        "witness_id": make_user().pk,
        "household_id": make_household().pk,
        "proposal_id": make_proposal().pk,
    }
    return [Consent.objects.get(pk=consent.pk) for consent in chain], alternatives


TEXT = st.characters(codec="utf-8", exclude_characters="\x00")  # PostgreSQL refuses NUL
CHANGES = {
    "decision": st.sampled_from(["agree", "agree_not_paying", "abstain"]),
    "method": st.just(Consent.Method.PAPER),
    "share_amount": st.decimals(min_value=0, max_value=99999, places=2).filter(
        lambda amount: amount != Decimal("7500.00")
    ),
    "signer_name": st.text(TEXT, min_size=1, max_size=50).filter(lambda name: name != "张三"),
    "signature": st.binary(max_size=64),
    "signature_type": st.sampled_from(["image/jpeg", "application/pdf"]),
    "signed_at": st.integers(min_value=1, max_value=10**9).map(lambda s: timedelta(seconds=s)),
    "created_at": st.integers(min_value=1, max_value=10**9).map(lambda s: timedelta(seconds=s)),
    "signed_unit": st.text(TEXT, max_size=110),
    "signed_room": st.text(TEXT, max_size=10),
    "signed_witness": st.text(TEXT, max_size=150),
    "hash_version": st.sampled_from([1, 2, 4]),
    "signer_salt": st.text(alphabet="0123456789abcdef", min_size=32, max_size=32),
    "signer_sha256": st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
    "signature_sha256": st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
    "content_hash": st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
    "erased_at": st.just(timedelta(0)),
    "supersedes_id": st.none(),
    "witness_id": st.just("other"),
    "household_id": st.just("other"),
    "proposal_id": st.just("other"),
}


def field_and_value():
    return st.sampled_from(sorted(CHANGES)).flatmap(lambda f: st.tuples(st.just(f), CHANGES[f]))


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(which=st.sampled_from([0, 1]), change=field_and_value())
def test_any_single_change_to_a_sealed_consent_is_detected(sealed, which, change):
    chain, alternatives = sealed
    consent = chain[which]
    field, value = change
    if value == "other":
        value = alternatives[field]
    elif isinstance(value, timedelta):
        value = consent.signed_at - value
    if value == getattr(consent, field):
        return
    with transaction.atomic():  # each example starts from the sealed consent again
        try:
            with transaction.atomic():
                changed = tamper(consent, **{field: value})
        except (IntegrityError, DataError):  # the database itself refused the change
            changed = None
        assert changed is None or record_problems(changed), (field, value)
        transaction.set_rollback(True)


# The printed form


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_printed_form_warns_of_an_erasure_in_name_only_and_notes_a_corrected_room(
    client, tmp_path
):
    unit, (household,), _proposal = make_voted_unit(["agree"])
    consent = Consent.objects.get(household=household)
    client.force_login(make_assignment(unit=unit).user)
    url = reverse("consultations:consent_form", args=[household.pk])

    Household.objects.filter(pk=household.pk).update(room="201A")  # a correction
    text = pdf_text(client.get(url).content, tmp_path)
    assert "存档记录与签字内容一致" in text
    assert f"签字时房屋登记为{unit.building.name}{unit.name}201，此后已更正" in text

    tamper(consent, erased_at=consent.signed_at, signer_name="李四", signature=b"forged")
    text = pdf_text(client.get(url).content, tmp_path)
    assert "警告：打印时核对发现存档记录与签字内容不一致" in text


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    return re.sub(r"\s+", "", text)
