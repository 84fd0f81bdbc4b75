"""A household's personal data on request: a full phone number only for whoever calls (and
recorded), an export for the household, an erasure that leaves every consent verifiable."""

import json
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Role
from consultations.models import Consent, Visit
from consultations.models.consents import ERASED_NAME
from consultations.packet import find_by_code, verification_code
from consultations.personal_data import ERASED_NEEDS, ErasureRefused, erase_household
from households.models import AuditEvent, Household, Owner, TraceAttempt, Urgency
from tests.factories import make_assignment, make_visit, make_voted_unit, same_person

pytestmark = pytest.mark.django_db
PHONE = "13912345678"


@pytest.fixture
def signed():
    """A household that signed, with an owner, a visit with notes and a trace note; its grid
    worker and the community's secretary."""
    unit, households, _proposal = make_voted_unit(["agree", "disagree"])
    household = households[0]
    household.elderly, household.needs_note = True, "独居老人，腿脚不便"
    household.save()
    owner = household.owners.get()
    owner.phone, owner.id_tail = PHONE, "123X"
    owner.save()
    worker = make_assignment(unit=unit).user
    make_visit(household=household, visitor=worker, notes="老人说儿子在外地，电话 13900001111")
    TraceAttempt.objects.create(
        household=household,
        worker=worker,
        attempted_at=timezone.now(),
        method=TraceAttempt.Method.RELATIVE,
        result="reached",
        note="女儿住武昌",
    )
    community = unit.building.campaign.community
    secretary = make_assignment(role=Role.SECRETARY, community=community).user
    return {"household": household, "owner": owner, "worker": worker, "secretary": secretary}


# --- the full phone number --------------------------------------------------------------------


def test_the_household_page_never_carries_the_full_number(client, signed):
    client.force_login(signed["worker"])
    html = client.get(signed["household"].get_absolute_url()).text
    assert PHONE not in html and "139****5678" in html


def test_the_assigned_worker_sees_the_number_on_request_and_the_look_is_recorded(client, signed):
    household, owner = signed["household"], signed["owner"]
    client.force_login(signed["worker"])
    url = reverse("consultations:owner_phone", args=[household.pk, owner.pk])
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and f'href="tel:{PHONE}"' in fragment.text
    assert "<html" not in fragment.text
    page = client.get(url)  # without JavaScript: the household page with the number shown
    assert PHONE in page.text and "<html" in page.text
    events = AuditEvent.objects.filter(action=AuditEvent.Action.VIEWED_PHONE)
    assert events.count() == 2
    event = events.first()
    assert event.actor == signed["worker"] and event.household == household
    assert PHONE not in event.subject  # the record names the look, not the number


def test_the_secretary_and_strangers_do_not_get_the_full_number(client, signed):
    household, owner = signed["household"], signed["owner"]
    url = reverse("consultations:owner_phone", args=[household.pk, owner.pk])
    client.force_login(signed["secretary"])
    assert client.get(url).status_code == 403  # sees the household, does not call it
    client.force_login(make_assignment().user)
    assert client.get(url).status_code == 404
    other = Owner.objects.exclude(household=household).first()
    client.force_login(signed["worker"])
    wrong = reverse("consultations:owner_phone", args=[household.pk, other.pk])
    assert client.get(wrong).status_code == 404
    assert not AuditEvent.objects.exists()


# --- export -----------------------------------------------------------------------------------


def test_the_secretary_exports_everything_kept_about_the_household(client, signed):
    household = signed["household"]
    client.force_login(signed["secretary"])
    response = client.get(reverse("consultations:export_household_data", args=[household.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    assert data["owners"][0]["phone"] == PHONE and data["owners"][0]["id_tail"] == "123X"
    assert data["household"]["needs_note"] == "独居老人，腿脚不便"
    assert "儿子在外地" in data["visits"][0]["notes"]
    assert data["owner_trace"][0]["note"] == "女儿住武昌"
    assert data["consents"][0]["decision"] == "agree" and data["consents"][0]["signature_base64"]
    assert data["shares"][0]["amount"]
    assert AuditEvent.objects.get().action == AuditEvent.Action.EXPORTED


def test_a_head_on_the_export_gathers_nothing_and_records_no_export(client, signed):
    client.force_login(signed["secretary"])
    url = reverse("consultations:export_household_data", args=[signed["household"].pk])
    response = client.head(url)
    assert response.status_code == 200 and response.content == b""
    assert response["Content-Disposition"].startswith("attachment;")
    assert not AuditEvent.objects.exists()


def test_grid_workers_cannot_export_or_erase(client, signed):
    household = signed["household"]
    client.force_login(signed["worker"])
    for name in ("consultations:export_household_data", "consultations:erase_household_data"):
        assert client.get(reverse(name, args=[household.pk])).status_code == 403
    assert "personal-data" not in client.get(household.get_absolute_url()).text


def test_a_grid_worker_who_is_secretary_elsewhere_cannot_export_or_erase_here(client, signed):
    household = signed["household"]
    make_assignment(signed["worker"], Role.SECRETARY)  # of another community
    client.force_login(signed["worker"])
    for name in ("consultations:export_household_data", "consultations:erase_household_data"):
        assert client.get(reverse(name, args=[household.pk])).status_code == 403
    page = client.get(household.get_absolute_url())
    assert "personal-data" not in page.text
    assert page.context["may_log"] and page.context["may_trace"]  # a grid worker here


# --- erasure ----------------------------------------------------------------------------------


def erase(client, signed, room=None, reason="房屋已出售，原业主申请删除"):
    household = signed["household"]
    client.force_login(signed["secretary"])
    url = reverse("consultations:erase_household_data", args=[household.pk])
    return client.post(url, {"room": room or household.room, "reason": reason})


def test_erasure_removes_the_personal_data_everywhere_it_was_kept(client, signed):
    household = signed["household"]
    response = erase(client, signed)
    assert response.status_code == 302
    owner = Owner.objects.get(household=household)
    assert (owner.name, owner.phone, owner.id_tail) == (ERASED_NAME, "", "")
    household.refresh_from_db()
    assert not household.elderly and household.needs_note == ""
    assert Visit.objects.get(household=household).notes == ""
    assert TraceAttempt.objects.get(household=household).note == ""
    consent = Consent.objects.get(household=household)
    assert consent.signer_name == ERASED_NAME and bytes(consent.signature) == b""
    assert consent.signer_salt == "" and consent.erased_at is not None
    kept = [
        *Owner.history.filter(household_id=household.pk).values_list("name", "phone", "id_tail"),
        *Household.history.filter(id=household.pk).values_list("needs_note", "room", "room"),
        *Visit.history.filter(household_id=household.pk).values_list("notes", "notes", "notes"),
        *Consent.history.filter(household_id=household.pk).values_list(
            "signer_name", "signer_salt", "signer_salt"
        ),
    ]
    text = json.dumps(kept, ensure_ascii=False)
    for secret in (PHONE, "123X", "欧阳", "独居老人", "儿子在外地", "女儿住武昌"):
        assert secret not in text, secret
    event = AuditEvent.objects.get(action=AuditEvent.Action.ERASED)
    assert event.actor == signed["secretary"] and "房屋已出售" in event.subject


def test_an_erased_consent_still_matches_its_hash_and_its_printed_code(client, signed):
    consent = Consent.objects.get(household=signed["household"])
    code = verification_code(consent)
    erase(client, signed)
    consent.refresh_from_db()
    assert consent.hash_matches()
    assert find_by_code(code) == consent
    out = StringIO()
    call_command("verify_consents", stdout=out)
    assert "consents match their hash" in out.getvalue()
    page = client.get(reverse("verify_consent", args=[code]))
    assert "记录完好" in page.text and "记录不一致" not in page.text


def test_after_erasure_a_changed_decision_would_still_be_caught(client, signed):
    erase(client, signed)
    consent = Consent.objects.get(household=signed["household"])
    consent.decision = "disagree"  # as if changed in the database
    assert not consent.hash_matches()


def test_a_kept_name_that_was_changed_no_longer_matches(signed):
    consent = Consent.objects.get(household=signed["household"])
    consent.signer_name = "别人"
    assert not consent.hash_matches()


def test_erasure_asks_for_the_room_to_confirm_and_keeps_what_was_typed(client, signed):
    response = erase(client, signed, room="999", reason="业主申请")
    assert response.status_code == 422
    assert "房号不符" in response.text and "业主申请" in response.text
    assert Owner.objects.get(household=signed["household"]).phone == PHONE


def test_consents_hashed_the_old_way_are_not_erased(signed):
    consent = Consent.objects.get(household=signed["household"])
    QuerySet.update(Consent.objects.filter(pk=consent.pk), hash_version=1)  # signed before v2
    with pytest.raises(ErasureRefused):
        erase_household(signed["household"], signed["secretary"], "test")
    assert Owner.objects.get(household=signed["household"]).phone == PHONE


def test_the_printed_form_of_an_erased_household_says_so_and_names_nobody(client, signed, tmp_path):
    household = signed["household"]
    erase(client, signed)
    response = client.get(reverse("consultations:consent_form", args=[household.pk]))
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    flat = "".join(text.split())
    assert "签名已按住户申请删除" in flat and ERASED_NAME in flat and "欧阳" not in flat


# --- owners linked as one person ----------------------------------------------------------------


@pytest.fixture
def linked(signed):
    """The signed household's owner is also the owner of the unit's second flat."""
    other = Owner.objects.exclude(household=signed["household"]).get(
        household__unit=signed["household"].unit
    )
    return same_person(signed["owner"], other), other


def test_the_export_lists_the_person_the_owner_is_linked_to_and_their_other_flats(
    client, signed, linked
):
    person, other = linked
    client.force_login(signed["secretary"])
    url = reverse("consultations:export_household_data", args=[signed["household"].pk])
    [owner] = json.loads(client.get(url).content)["owners"]
    assert owner["person_id"] == person.pk
    place = f"{other.household.unit} {other.household.room}"
    assert owner["person"] == {"id": person.pk, "kind": "个人", "other_flats": [place]}


def test_an_unlinked_owner_is_exported_as_linked_to_no_one(client, signed):
    client.force_login(signed["secretary"])
    url = reverse("consultations:export_household_data", args=[signed["household"].pk])
    assert json.loads(client.get(url).content)["owners"][0]["person"] is None


def test_erasure_keeps_the_owners_link_so_the_count_stays_as_it_was(client, signed, linked):
    person, other = linked
    assert erase(client, signed).status_code == 302
    owner = Owner.objects.get(household=signed["household"])
    assert owner.name == ERASED_NAME and owner.person == person
    assert set(person.titles.all()) == {owner, other}
    assert Owner.history.filter(id=owner.pk).first().person_id == person.pk
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ERASED).exists()


def test_erased_entries_are_never_offered_as_one_name_on_the_people_screen(client, signed):
    erase(client, signed)
    other = Owner.objects.exclude(household=signed["household"]).first()
    erase_household(other.household, signed["secretary"], "已搬走")
    screen = reverse("consultations:people", args=[signed["household"].unit.building.campaign.slug])
    assert client.get(screen).context["groups"] == []


def test_erasure_clears_every_need_recorded_at_the_door_and_its_history(client, signed):
    household = signed["household"]
    household.lives_alone = household.needs_outage_help = household.mobility_impaired = True
    household.urgency = Urgency.URGENT
    household.save()
    erase(client, signed)
    household.refresh_from_db()
    for name, value in ERASED_NEEDS.items():
        assert getattr(household, name) == value, name
    history = Household.history.filter(id=household.pk)
    assert not history.filter(
        Q(elderly=True)
        | Q(mobility_impaired=True)
        | Q(lives_alone=True)
        | Q(needs_outage_help=True)
        | ~Q(urgency="")
        | ~Q(needs_note="")
    ).exists()
