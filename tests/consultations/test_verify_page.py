"""The public page a printed consent's QR code opens."""

import pytest
from django.db import connection
from django.urls import reverse

from consultations.models import Item
from consultations.packet import verification_code
from tests.factories import make_consent, make_household, make_matter, make_owner, make_proposal

pytestmark = pytest.mark.django_db


def test_a_current_matching_record_is_confirmed_with_room_and_decision_only(client):
    consent = make_consent(decision="agree", signer_name="王秀英")
    make_owner(household=consent.household, name="王秀英", phone="13912345678")
    response = client.get(reverse("verify_consent", args=[verification_code(consent)]))
    assert response.status_code == 200
    text = response.text
    assert "记录完好" in text and "当前有效" in text
    assert consent.household.room in text and "同意" in text
    for personal in ("王秀英", "王*", "13912345678", "139****5678"):
        assert personal not in text


def test_a_superseded_record_says_so(client):
    first = make_consent(decision="disagree")
    first.supersede(
        share_amount=first.share_amount,
        decision="agree",
        signer_name=first.signer_name,
        method=first.method,
        signature=bytes(first.signature),
        signature_type=first.signature_type,
        witness=first.witness,
        signed_at=first.signed_at,
    )
    text = client.get(reverse("verify_consent", args=[verification_code(first)])).text
    assert "已被" in text and "取代" in text


def test_a_tampered_record_shows_as_not_matching(client):
    consent = make_consent(decision="agree")
    code = verification_code(consent)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE consultations_consent SET decision = 'disagree' WHERE id = %s", [consent.pk]
        )
    text = client.get(reverse("verify_consent", args=[code])).text
    assert "记录不一致" in text


@pytest.mark.parametrize("code", ["999999-0123456789", "abc", "1-zzzz", "1-" + "0" * 10, "-", "1-"])
def test_an_unknown_or_malformed_code_is_a_404_with_a_message(client, code):
    make_consent()
    response = client.get(reverse("verify_consent", args=[code]))
    assert response.status_code == 404
    assert "没有找到这条签字记录" in response.text


def test_a_two_matter_record_shows_the_answer_to_each_matter_by_its_item(client):
    proposal = make_proposal()
    household = make_household(unit=proposal.elevator.unit)
    make_matter(proposal, 1, Item.USE_FUND, "majority", "使用维修资金（王秀英提议）")
    make_matter(proposal, 2, Item.ALTER, "unanimous", "费用分摊方案")
    proposal.publish()
    answers = {"1": "agree", "2": "disagree"}
    consent = make_consent(
        household=household, proposal=proposal, answers=answers, decision="disagree"
    )
    response = client.get(reverse("verify_consent", args=[verification_code(consent)]))
    text = response.text
    assert "第 1 项" in text and "第五项" in text and "第 2 项" in text and "第七项" in text
    assert text.index("同意") < text.index("不同意")  # matter 1 agreed, matter 2 did not
    assert "王秀英" not in text  # free-text titles are not shown on this public page
