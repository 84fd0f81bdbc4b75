import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Role
from consultations.models import Consent, Proposal
from tests.consultations.signatures import (
    data_url,
    drawn_signature,
    huge_png,
    impostor,
    jpeg_scan,
    pdf_scan,
    scripted_pdf_scan,
)
from tests.factories import (
    make_assignment,
    make_consent,
    make_elevator,
    make_household,
    make_owner,
    make_proposal,
    make_share,
    make_unit,
)

pytestmark = pytest.mark.django_db


def publish(proposal) -> None:
    """Publish with the shares already recorded (bypassing the allocation the UI runs)."""
    Proposal.objects.filter(pk=proposal.pk).update(status="published", published_at=timezone.now())
    proposal.refresh_from_db()


@pytest.fixture
def door(client):
    """A grid worker at a door of a unit whose proposal is published and shared out."""
    assignment = make_assignment()
    unit = assignment.unit
    proposal = make_proposal(elevator=make_elevator(unit=unit))
    household = make_household(unit=unit, floor=5, room="501")
    make_owner(household=household, name="王秀英")
    make_share(proposal=proposal, household=household, amount="9876.54")
    publish(proposal)
    client.force_login(assignment.user)
    return household, proposal, assignment.user


def sign(client, household, **overrides):
    data = {
        "decision": "agree",
        "signer_name": "王秀英",
        "method": "tablet",
        "signature": drawn_signature(),
        "expected_current": "",
        **overrides,
    }
    return client.post(reverse("consultations:sign", args=[household.pk]), data)


def test_the_owner_signs_on_the_tablet_and_the_worker_is_the_witness(client, door):
    household, proposal, worker = door
    response = sign(client, household)
    assert response.status_code == 302
    assert response.url == household.get_absolute_url() + "#consent"
    consent = Consent.objects.current().get(household=household, proposal=proposal)
    assert (consent.decision, consent.signer_name, consent.witness) == ("agree", "王秀英", worker)
    assert str(consent.share_amount) == "9876.54"
    assert consent.signature_type == "image/png"
    assert consent.hash_matches()


def test_the_sign_page_shows_the_cost_and_the_pad(client, door):
    household, _proposal, _worker = door
    text = client.get(reverse("consultations:sign", args=[household.pk])).text
    assert "data-signature" in text
    assert "signature_pad-5.1.4.umd.min.js" in text
    assert "9,876.54" in text


def test_a_change_of_mind_supersedes_and_keeps_the_old_record(client, door):
    household, proposal, _worker = door
    sign(client, household, decision="disagree")
    first = Consent.objects.get(household=household)
    sign(client, household, decision="agree", expected_current=str(first.pk))
    current = Consent.objects.current().get(household=household, proposal=proposal)
    assert current.decision == "agree"
    assert current.supersedes == first
    assert Consent.objects.filter(household=household).count() == 2


def test_a_paper_form_is_recorded_from_its_scan(client, door):
    household, _proposal, _worker = door
    response = sign(client, household, method="paper", signature="", scan=jpeg_scan())
    assert response.status_code == 302
    consent = Consent.objects.get(household=household)
    assert (consent.method, consent.signature_type) == ("paper", "image/jpeg")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"signature": ""}, "请业主在签名框内签名"),
        ({"signer_name": "   "}, "请填写签字人姓名"),
        ({"decision": "maybe"}, "maybe"),
        ({"method": "paper", "signature": ""}, "请上传纸质签字表的扫描件"),
        ({"method": "paper", "signature": "", "scan": impostor()}, "JPEG、PNG 或 PDF"),
    ],
)
def test_bad_signing_input_gets_a_message_keeps_the_name_and_records_nothing(
    client, door, overrides, message
):
    household, _proposal, _worker = door
    response = sign(client, household, **{"signer_name": "王秀英", **overrides})
    assert response.status_code == 422
    assert message in response.text
    if overrides.get("signer_name") is None:
        assert 'value="王秀英"' in response.text
    assert not Consent.objects.exists()


def test_a_stale_form_cannot_overwrite_a_newer_answer(client, door):
    household, _proposal, _worker = door
    sign(client, household, decision="agree")
    response = sign(client, household, decision="disagree", expected_current="")
    assert response.status_code == 302
    assert response.url == reverse("consultations:sign", args=[household.pk])
    assert list(Consent.objects.values_list("decision", flat=True)) == ["agree"]


def test_only_the_published_version_can_be_signed(client, door):
    household, proposal, _worker = door
    Proposal.objects.filter(pk=proposal.pk).update(status="superseded")
    response = sign(client, household)
    assert response.status_code == 302
    assert response.url == household.get_absolute_url()
    assert not Consent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_signing_one_household_at_once_leave_one_current_consent():
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers (PostgreSQL)")
    assignment = make_assignment()
    proposal = make_proposal(elevator=make_elevator(unit=assignment.unit))
    household = make_household(unit=assignment.unit)
    make_share(proposal=proposal, household=household)
    publish(proposal)
    colleague = make_assignment(unit=assignment.unit).user
    start = threading.Barrier(2)
    results = []

    def post(user, decision):
        client = Client()
        client.force_login(user)
        start.wait()
        results.append(sign(client, household, decision=decision).url)
        connection.close()

    threads = [
        threading.Thread(target=post, args=(assignment.user, "agree")),
        threading.Thread(target=post, args=(colleague, "disagree")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Consent.objects.current().filter(household=household).count() == 1
    assert Consent.objects.filter(household=household).count() == 1
    assert sorted(results) == sorted(
        [
            household.get_absolute_url() + "#consent",
            reverse("consultations:sign", args=[household.pk]),
        ]
    )


def test_a_lead_may_see_but_not_take_signatures(client):
    lead = make_assignment(role=Role.BUILDING_LEAD)
    household = make_household(unit=make_unit(building=lead.building))
    client.force_login(lead.user)
    assert client.get(reverse("consultations:sign", args=[household.pk])).status_code == 403


def test_a_stranger_gets_404_for_the_sign_page_and_the_signature(client, door):
    household, proposal, _worker = door
    consent = make_consent(household=household, proposal=proposal)
    client.force_login(make_assignment().user)
    assert client.get(reverse("consultations:sign", args=[household.pk])).status_code == 404
    url = reverse("consultations:signature_file", args=[consent.pk])
    assert client.get(url).status_code == 404


def test_the_signature_is_served_privately_to_the_worker(client, door):
    household, proposal, _worker = door
    consent = make_consent(household=household, proposal=proposal)
    response = client.get(reverse("consultations:signature_file", args=[consent.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_pdf_scan_that_runs_a_script_gets_a_message_keeps_the_name_and_records_nothing(
    client, door
):
    household, _proposal, _worker = door
    response = sign(client, household, method="paper", signature="", scan=scripted_pdf_scan())
    assert response.status_code == 422
    assert "含有脚本或自动运行的动作" in response.text
    assert 'value="王秀英"' in response.text
    assert not Consent.objects.exists()


@pytest.mark.parametrize(("scan", "extension"), [(pdf_scan, "pdf"), (jpeg_scan, "jpg")])
def test_an_uploaded_scan_is_served_as_a_download_never_shown_in_the_portal(
    client, door, scan, extension
):
    household, _proposal, _worker = door
    assert sign(client, household, method="paper", signature="", scan=scan()).status_code == 302
    consent = Consent.objects.get()
    response = client.get(reverse("consultations:signature_file", args=[consent.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="consent-{consent.pk}.{extension}"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_verify_consents_passes_then_catches_a_row_altered_in_the_database(door):
    household, proposal, _worker = door
    consent = make_consent(household=household, proposal=proposal)
    out = StringIO()
    call_command("verify_consents", stdout=out)
    assert "All 1 consents match" in out.getvalue()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE consultations_consent SET decision = 'disagree' WHERE id = %s", [consent.pk]
        )
    err = StringIO()
    with pytest.raises(CommandError, match="1 of 1 consents do not match"):
        call_command("verify_consents", stdout=StringIO(), stderr=err)
    assert f"MISMATCH consent {consent.pk}" in err.getvalue()
    assert household.room in err.getvalue()


def test_signing_moves_the_tally_on_the_unit_page(client, door):
    household, _proposal, _worker = door
    url = reverse("consultations:unit_consent", args=[household.unit_id])
    before = client.get(url).context["vote"].results[0].tally
    sign(client, household)
    after = client.get(url).context["vote"].results[0].tally
    assert before.agree_count == 0
    assert after.agree_count == 1
    assert after.passed and not before.passed
    assert after.participation_area == 1


def test_a_20_mb_scan_posted_to_the_page_gets_a_message_and_records_nothing(client, door):
    from django.core.files.uploadedfile import SimpleUploadedFile

    household, _proposal, _worker = door
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (20 * 1024 * 1024), "image/jpeg")
    response = sign(client, household, method="paper", signature="", scan=big)
    assert response.status_code == 422
    assert "不能超过 10 MB" in response.text
    assert not Consent.objects.exists()


def test_a_signature_too_large_to_decode_gets_a_message_keeps_the_name_and_records_nothing(
    client, door
):
    household, _proposal, _worker = door
    response = sign(client, household, signature=data_url(huge_png((6300, 6300))))
    assert response.status_code == 422
    assert "签名图片的尺寸太大" in response.text
    assert 'value="王秀英"' in response.text
    assert not Consent.objects.exists()
