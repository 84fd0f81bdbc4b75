"""The gate construction waits for: each missing condition is reported, alone, with its
message."""

import pytest

from tests.works.review_helpers import contracted, frozen, passed_unit, ready, reviewed
from works import gate
from works.models import Review

pytestmark = pytest.mark.django_db

LAWYER, SUBDISTRICT = Review.Kind.LAWYER, Review.Kind.SUBDISTRICT
RETURNED = Review.Outcome.RETURNED


def codes(site) -> list[str]:
    return [condition.code for condition in gate.missing(site)]


def test_a_site_whose_vote_passed_with_both_approvals_and_a_contract_may_start():
    _unit, site, proposal = passed_unit()
    ready(site, proposal)
    assert gate.missing(site) == []


def test_a_vote_that_has_not_passed_is_reported_with_its_message():
    _unit, site, proposal = passed_unit(["agree", "disagree", "disagree"])
    ready(site, proposal)
    assert gate.missing(site) == [gate.VOTE]
    assert str(gate.VOTE.message) == "本单元的业主表决尚未通过。"


def test_no_frozen_packet_is_reported_and_no_review_can_count_without_one():
    _unit, site, _proposal = passed_unit()
    contracted(site)
    assert codes(site) == ["packet", "lawyer", "subdistrict"]
    assert str(gate.PACKET.message) == "表决通过后的签字材料尚未封存送审。"


def test_a_missing_lawyers_approval_is_reported_alone():
    unit, site, proposal = passed_unit()
    packet = frozen(unit, proposal)
    reviewed(packet, SUBDISTRICT)
    contracted(site)
    assert gate.missing(site) == [gate.LAWYER]
    assert str(gate.LAWYER.message) == "律师尚未审核通过送审材料。"


def test_a_missing_sub_district_approval_is_reported_alone():
    unit, site, proposal = passed_unit()
    packet = frozen(unit, proposal)
    reviewed(packet, LAWYER)
    contracted(site)
    assert gate.missing(site) == [gate.SUBDISTRICT]
    assert str(gate.SUBDISTRICT.message) == "街道办尚未审核通过送审材料。"


def test_a_missing_contract_is_reported_alone():
    unit, site, proposal = passed_unit()
    packet = frozen(unit, proposal)
    reviewed(packet, LAWYER)
    reviewed(packet, SUBDISTRICT)
    assert gate.missing(site) == [gate.CONTRACT]
    assert str(gate.CONTRACT.message) == "施工合同尚未登记。"


def test_approval_with_conditions_opens_the_gate_like_an_approval():
    unit, site, proposal = passed_unit()
    packet = frozen(unit, proposal)
    reviewed(packet, LAWYER, Review.Outcome.CONDITIONS)
    reviewed(packet, SUBDISTRICT)
    contracted(site)
    assert gate.missing(site) == []


def test_a_returned_review_after_an_approval_closes_the_gate_again():
    _unit, site, proposal = passed_unit()
    packet = ready(site, proposal)
    reviewed(packet, LAWYER, RETURNED)
    assert gate.missing(site) == [gate.LAWYER]


def test_a_new_packet_after_a_return_needs_both_reviews_again():
    unit, site, proposal = passed_unit()
    old = ready(site, proposal)
    reviewed(old, SUBDISTRICT, RETURNED)
    frozen(unit, proposal)
    assert codes(site) == ["lawyer", "subdistrict"]
