import re
import threading
from datetime import timedelta
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
    make_matter,
    make_owner,
    make_proposal,
    make_share,
    make_unit,
    make_visit,
    same_person,
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
    make_owner(household=household, name="李建国", is_primary=False)
    make_share(proposal=proposal, household=household, amount="9876.54")
    publish(proposal)
    client.force_login(assignment.user)
    return household, proposal, assignment.user


def sign(client, household, **overrides):
    """Post the sign page as the worker does: the primary owner signs in person."""
    data = {
        "decision_1": "agree",
        "capacity": "owner",
        "method": "tablet",
        "signature": drawn_signature(),
        "expected_current": "",
        **overrides,
    }
    if "signer_owner" not in data:
        data["signer_owner"] = str(household.owners.get(is_primary=True).pk)
    return client.post(reverse("consultations:sign", args=[household.pk]), data)


def test_the_owner_signs_on_the_tablet_and_the_worker_is_the_witness(client, door):
    household, proposal, worker = door
    response = sign(client, household)
    assert response.status_code == 302
    assert response.url == household.get_absolute_url() + "#consent"
    consent = Consent.objects.current().get(household=household, proposal=proposal)
    assert (consent.decision, consent.signer_name, consent.witness) == ("agree", "王秀英", worker)
    assert (consent.signer_capacity, consent.signer_owner.name) == ("owner", "王秀英")
    assert consent.answers == {"1": "agree"}
    assert str(consent.share_amount) == "9876.54"
    assert consent.signature_type == "image/png"
    assert consent.hash_matches()


def test_the_sign_page_shows_the_cost_and_the_pad(client, door):
    household, _proposal, _worker = door
    text = client.get(reverse("consultations:sign", args=[household.pk])).text
    assert "data-signature" in text
    assert "signature_pad-5.1.4.umd.min.js" in text
    assert "9,876.54" in text


def test_the_sign_page_puts_what_is_signed_first_and_folds_the_cost_explanation(client, door):
    household, _proposal, _worker = door
    text = client.get(reverse("consultations:sign", args=[household.pk])).text
    assert "本户应出资" in text and "需您支付 ¥9,876.54" in text
    form, folded = text.index('class="consent-form"'), text.index('class="cost-details"')
    assert form < folded  # the answers, the signer and the pad first, then the explanation
    assert text.index("您家的出资是怎么算的", folded) > folded


def test_a_fresh_sign_page_offers_paper_until_the_pad_script_runs(client, door):
    household, _proposal, _worker = door
    text = client.get(reverse("consultations:sign", args=[household.pk])).text
    assert re.search(r'name="method" value="paper"[^>]*checked', text)
    assert "data-prefer-tablet" in text


def test_a_form_sent_back_with_errors_keeps_the_method_the_worker_chose(client, door):
    household, _proposal, _worker = door
    response = sign(client, household, signature="")
    assert response.status_code == 422
    assert re.search(r'name="method" value="tablet"[^>]*checked', response.text)
    assert "data-prefer-tablet" not in response.text


def test_a_change_of_mind_supersedes_and_keeps_the_old_record(client, door):
    household, proposal, _worker = door
    sign(client, household, decision_1="disagree")
    first = Consent.objects.get(household=household)
    sign(client, household, decision_1="agree", expected_current=str(first.pk))
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
        ({"decision_1": "maybe"}, "maybe"),
        ({"decision_1": ""}, "请选择业主对这一事项的意见"),
        ({"signer_owner": ""}, "请选择签字的产权人"),
        ({"signer_owner": "999999"}, "请从本户登记的产权人中选择"),
        ({"capacity": "tenant"}, "tenant"),
        ({"expected_others": "x:y"}, "签字页面已过期"),
        ({"method": "paper", "signature": ""}, "请上传纸质签字表的扫描件"),
        ({"method": "paper", "signature": "", "scan": impostor()}, "JPEG、PNG 或 PDF"),
    ],
)
def test_bad_signing_input_gets_a_message_keeps_what_was_chosen_and_records_nothing(
    client, door, overrides, message
):
    household, _proposal, _worker = door
    response = sign(client, household, **overrides)
    assert response.status_code == 422
    assert message in response.text
    if "decision_1" not in overrides:
        assert re.search(r'name="decision_1" value="agree"[^>]*checked', response.text)
    assert not Consent.objects.exists()


def test_a_stale_form_cannot_overwrite_a_newer_answer(client, door):
    household, _proposal, _worker = door
    sign(client, household, decision_1="agree")
    response = sign(client, household, decision_1="disagree", expected_current="")
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
    make_owner(household=household)
    make_share(proposal=proposal, household=household)
    publish(proposal)
    colleague = make_assignment(unit=assignment.unit).user
    start = threading.Barrier(2)
    results = []

    def post(user, decision):
        client = Client()
        client.force_login(user)
        start.wait()
        results.append(sign(client, household, decision_1=decision).url)
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
    assert not Consent.objects.exists()


# A ballot of several matters


@pytest.fixture
def two_matters(client):
    """A worker at 501 of a unit whose published proposal asks two matters: using the fund
    (item 5, majority) and the cost split (unanimous)."""
    assignment = make_assignment()
    proposal = make_proposal(elevator=make_elevator(unit=assignment.unit))
    make_matter(proposal, 1, 5, "majority", "使用住宅专项维修资金")
    make_matter(proposal, 2, 7, "unanimous", "电梯更新改造及费用分摊方案")
    household = make_household(unit=assignment.unit, floor=5, room="501")
    make_owner(household=household, name="王秀英")
    make_share(proposal=proposal, household=household, amount="9876.54")
    publish(proposal)
    client.force_login(assignment.user)
    return household, proposal


def test_the_sign_page_asks_each_matter_of_a_two_matter_ballot(client, two_matters):
    household, _proposal = two_matters
    text = client.get(reverse("consultations:sign", args=[household.pk])).text
    assert "第 1 项：使用住宅专项维修资金" in text
    assert "第 2 项：电梯更新改造及费用分摊方案" in text
    assert 'name="decision_1"' in text and 'name="decision_2"' in text


def test_a_two_matter_ballot_stores_each_answer_and_their_summary(client, two_matters):
    household, proposal = two_matters
    response = sign(client, household, decision_1="agree", decision_2="disagree")
    assert response.status_code == 302
    consent = Consent.objects.get(household=household)
    assert consent.answers == {"1": "agree", "2": "disagree"}
    assert consent.decision == "disagree"  # the least agreeing answer, for the door list
    assert [consent.decision_on(1), consent.decision_on(2)] == ["agree", "disagree"]
    assert consent.is_intact()
    assert consent.signed_content()["matters"] == [m.content() for m in proposal.matters.all()]


def test_a_two_matter_ballot_with_one_matter_unanswered_is_refused(client, two_matters):
    household, _proposal = two_matters
    response = sign(client, household, decision_1="agree")
    assert response.status_code == 422
    assert "请选择业主对这一事项的意见" in response.text
    assert re.search(r'name="decision_1" value="agree"[^>]*checked', response.text)
    assert not Consent.objects.exists()


# Who signs


def agent(household, **overrides) -> dict:
    """What the worker enters when an agent signs for the primary owner."""
    return {
        "capacity": "agent",
        "agent_name": "赵律师",
        "agent_id_tail": "123x",
        "attorney_letter": pdf_scan("委托书.pdf"),
        **overrides,
    }


def test_the_sign_page_lists_the_flats_owners_by_full_name(client, door):
    household, _proposal, _worker = door
    text = client.get(reverse("consultations:sign", args=[household.pk])).text
    assert "王秀英" in text and "李建国（共有人）" in text
    assert "受托代理人（凭授权委托书）" in text
    assert 'name="signer_name"' not in text  # no name typed: a tenant cannot sign


def test_a_co_owner_may_sign_in_person(client, door):
    household, _proposal, _worker = door
    co_owner = household.owners.get(is_primary=False)
    assert sign(client, household, signer_owner=str(co_owner.pk)).status_code == 302
    consent = Consent.objects.get()
    assert (consent.signer_owner, consent.signer_name) == (co_owner, "李建国")


def test_a_typed_name_is_ignored_the_signer_is_the_owner_chosen(client, door):
    household, _proposal, _worker = door
    assert sign(client, household, signer_name="租户小刘").status_code == 302
    assert Consent.objects.get().signer_name == "王秀英"


def test_an_owner_of_another_flat_cannot_be_chosen_as_the_signer(client, door):
    household, _proposal, _worker = door
    neighbour = make_owner(household=make_household(unit=household.unit, room="502", floor=5))
    response = sign(client, household, signer_owner=str(neighbour.pk))
    assert response.status_code == 422
    assert "请从本户登记的产权人中选择" in response.text
    assert not Consent.objects.exists()


def test_an_agent_signs_for_an_owner_with_a_power_of_attorney(client, door):
    household, _proposal, _worker = door
    owner = household.owners.get(is_primary=True)
    assert sign(client, household, **agent(household)).status_code == 302
    consent = Consent.objects.get()
    assert (consent.signer_capacity, consent.signer_owner, consent.signer_name) == (
        "agent",
        owner,
        "赵律师",
    )
    assert consent.agent_id_tail == "123X"
    assert bytes(consent.attorney_letter).startswith(b"%PDF-")
    assert consent.attorney_letter_type == "application/pdf"
    assert consent.is_intact()


def test_an_owner_signing_in_person_keeps_no_agent_fields_typed_by_mistake(client, door):
    household, _proposal, _worker = door
    typed = agent(household, capacity="owner")
    assert sign(client, household, **typed).status_code == 302
    consent = Consent.objects.get()
    assert (consent.signer_name, consent.agent_id_tail, bytes(consent.attorney_letter)) == (
        "王秀英",
        "",
        b"",
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"agent_name": "  "}, "请填写代理人姓名"),
        ({"agent_id_tail": "12"}, "请填写代理人身份证号的后4位"),
        ({"agent_id_tail": "X123"}, "请填写代理人身份证号的后4位"),
        ({"agent_id_tail": "12345"}, "4"),
        ({"attorney_letter": ""}, "请上传授权委托书的扫描件"),
        ({"attorney_letter": impostor()}, "JPEG、PNG 或 PDF"),
        ({"attorney_letter": scripted_pdf_scan()}, "含有脚本或自动运行的动作"),
    ],
)
def test_an_agent_without_a_usable_power_of_attorney_name_or_id_cannot_sign(
    client, door, overrides, message
):
    household, _proposal, _worker = door
    response = sign(client, household, **agent(household, **overrides))
    assert response.status_code == 422
    assert message in response.text
    if "agent_name" not in overrides:
        assert 'value="赵律师"' in response.text  # what was typed is shown back
    assert not Consent.objects.exists()


def test_a_flat_with_no_registered_owner_cannot_be_signed(client, door):
    household, _proposal, _worker = door
    household.owners.all().delete()
    text = client.get(reverse("consultations:sign", args=[household.pk])).text
    assert "本户还没有登记产权人，不能签字" in text
    assert "请社区书记先在“数据管理”中登记本户的产权人" in text
    assert "确认签字" not in text
    response = sign(client, household, signer_owner="1")
    assert response.status_code == 422
    assert not Consent.objects.exists()


def test_the_secretary_is_sent_to_record_the_owner_first(client, door):
    household, _proposal, _worker = door
    household.owners.all().delete()
    campaign = household.unit.building.campaign
    secretary = make_assignment(role=Role.SECRETARY, community=campaign.community).user
    secretary.is_staff = True
    secretary.save()
    client.force_login(secretary)
    text = client.get(reverse("consultations:sign", args=[household.pk])).text
    assert reverse("admin:households_household_change", args=[household.pk]) in text


# A multi-flat owner signs once for all their flats in the unit


@pytest.fixture
def three_flats(client):
    """A worker at 501, whose owner 王秀英 (with a co-owner) also holds 301 and 601 of the unit,
    and 701 of another unit."""
    assignment = make_assignment()
    unit = assignment.unit
    proposal = make_proposal(elevator=make_elevator(unit=unit))
    titles = []
    for room, amount in (("501", "9876.54"), ("301", "301.00"), ("601", "601.00")):
        flat = make_household(unit=unit, floor=int(room[0]), room=room)
        titles.append(make_owner(household=flat, name="王秀英"))
        make_share(proposal=proposal, household=flat, amount=amount)
    household = titles[0].household
    make_owner(household=household, name="李建国", is_primary=False)
    titles.append(make_owner(household=make_household(room="701", floor=7), name="王秀英"))
    same_person(*titles)
    publish(proposal)
    client.force_login(assignment.user)
    return household, proposal, titles


def sign_as_shown(client, household, **overrides):
    """Post the sign page with the hidden values it was shown with (the answers seen)."""
    form = client.get(reverse("consultations:sign", args=[household.pk])).context["form"]
    seen = {
        "expected_current": form.initial["expected_current"] or "",
        "expected_others": form.initial["expected_others"],
    }
    return sign(client, household, **{**seen, **overrides})


def test_the_sign_page_says_whose_other_flats_are_signed_at_once(client, three_flats):
    household, _proposal, _titles = three_flats
    text = client.get(reverse("consultations:sign", args=[household.pk])).text
    assert f"王秀英（同时为 {household.unit} 301、601 签字）" in text
    assert "李建国（共有人）<" in text.replace("\n", "")  # the co-owner signs for 501 alone


def test_a_multi_flat_owner_signs_once_for_each_of_their_flats_in_the_unit(client, three_flats):
    household, _proposal, titles = three_flats
    response = sign_as_shown(client, household, decision_1="agree")
    assert response.status_code == 302
    consents = {c.household.room: c for c in Consent.objects.select_related("household")}
    assert set(consents) == {"501", "301", "601"}  # not 701, in another unit
    assert {room: str(c.share_amount) for room, c in consents.items()} == {
        "501": "9876.54",
        "301": "301.00",
        "601": "601.00",
    }
    assert {c.signer_owner for c in consents.values()} == set(titles[:3])
    assert all(c.signer_owner.household_id == c.household_id for c in consents.values())
    assert len({bytes(c.signature) for c in consents.values()}) == 1
    assert all(c.answers == {"1": "agree"} and c.is_intact() for c in consents.values())
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "已记录 501、301、601 的签字意见。" in messages


def test_a_multi_flat_owner_signing_again_supersedes_each_flats_answer(client, three_flats):
    household, proposal, _titles = three_flats
    assert sign_as_shown(client, household, decision_1="disagree").status_code == 302
    again = sign_as_shown(client, household, decision_1="agree")
    assert again.status_code == 302
    current = Consent.objects.current().filter(proposal=proposal)
    assert sorted(current.values_list("decision", flat=True)) == ["agree"] * 3
    assert Consent.objects.count() == 6
    assert all(c.supersedes_id for c in current)


def test_one_flat_answered_meanwhile_leaves_every_flat_of_the_owner_unsigned(client, three_flats):
    household, proposal, titles = three_flats
    token = client.get(reverse("consultations:sign", args=[household.pk])).context["form"]
    expected = token.initial["expected_others"]
    colleague = make_consent(household=titles[2].household, proposal=proposal, decision="abstain")
    response = sign(client, household, expected_others=expected)
    assert response.status_code == 302
    assert response.url == reverse("consultations:sign", args=[household.pk])
    assert list(Consent.objects.all()) == [colleague]


def test_a_page_that_did_not_know_the_other_flats_cannot_sign_them(client, three_flats):
    household, _proposal, _titles = three_flats
    response = sign(client, household, expected_others="")
    assert response.url == reverse("consultations:sign", args=[household.pk])
    assert not Consent.objects.exists()


# The power of attorney, for staff only


def test_the_power_of_attorney_is_served_to_the_worker_as_a_download(client, door):
    household, _proposal, _worker = door
    sign(client, household, **agent(household))
    consent = Consent.objects.get()
    response = client.get(reverse("consultations:attorney_letter_file", args=[consent.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="attorney-letter-{consent.pk}.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content == bytes(consent.attorney_letter)


def test_a_stranger_or_a_consent_without_a_power_of_attorney_gets_404(client, door):
    household, proposal, _worker = door
    sign(client, household, **agent(household))
    with_letter = Consent.objects.get()
    without = make_consent(household=make_household(unit=household.unit), proposal=proposal)
    url = reverse("consultations:attorney_letter_file", args=[without.pk])
    assert client.get(url).status_code == 404
    client.force_login(make_assignment().user)
    url = reverse("consultations:attorney_letter_file", args=[with_letter.pk])
    assert client.get(url).status_code == 404


def test_the_household_page_links_the_power_of_attorney_of_an_agents_signature(client, door):
    household, _proposal, _worker = door
    sign(client, household, **agent(household))
    consent = Consent.objects.get()
    text = client.get(household.get_absolute_url()).text
    assert reverse("consultations:attorney_letter_file", args=[consent.pk]) in text


@pytest.mark.django_db(transaction=True)
def test_two_workers_signing_a_multi_flat_owner_at_two_doors_at_once_leave_one_signature(
    three_flats,
):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers (PostgreSQL)")
    household, proposal, titles = three_flats
    other_door = titles[2].household  # 601, the same owner's
    workers = [make_assignment(unit=household.unit).user for _ in range(2)]
    start = threading.Barrier(2)
    results = []

    def post(user, flat, decision):
        client = Client()
        client.force_login(user)
        form = client.get(reverse("consultations:sign", args=[flat.pk])).context["form"]
        seen = {"expected_others": form.initial["expected_others"], "decision_1": decision}
        seen["signer_owner"] = str(flat.owners.get(name="王秀英").pk)
        start.wait()
        results.append(sign(client, flat, **seen).status_code)
        connection.close()

    threads = [
        threading.Thread(target=post, args=(workers[0], household, "agree")),
        threading.Thread(target=post, args=(workers[1], other_door, "disagree")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [302, 302]  # one recorded, one sent back to look again
    consents = Consent.objects.filter(proposal=proposal)
    assert consents.count() == 3
    assert len(set(consents.values_list("decision", flat=True))) == 1  # all one signature


def test_the_sign_page_says_that_signing_needs_a_connection_when_there_is_none(client, door):
    household, _proposal, _worker = door
    page = client.get(reverse("consultations:sign", args=[household.pk])).text
    notice = re.search(
        r'<p class="error" role="alert" data-offline-notice hidden>([^<]*)</p>', page
    )
    assert notice, "offline.js shows this notice while the tablet is offline"
    assert "签字需要联网" in notice[1]


def test_signing_closes_the_open_follow_up_and_says_so_in_the_signing_section(client, door):
    household, _proposal, worker = door
    due = timezone.localdate() + timedelta(days=1)
    make_visit(household=household, visitor=worker, next_step="带明细再来", next_step_on=due)
    sign(client, household)
    household.refresh_from_db()
    assert household.follow_up_on is None
    html = client.get(household.get_absolute_url()).text
    section = html.split('id="consent"')[1]
    assert "已记录 501 的签字意见。" in section and "跟进（带明细再来）已随签字关闭" in section
    assert "签字意见" not in html.split('id="consent"')[0]  # not twice, not out of sight
    follow_ups = client.get(reverse("consultations:follow_ups")).text
    assert household.get_absolute_url() not in follow_ups
