"""Proposal versions: drafting copies the latest, publishing supersedes the one before and writes
shares that add up to the cent, and nothing households signed ever changes."""

import re
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import timezone

from consultations.models import Consent, FloorCoefficient, Proposal, Share
from consultations.models.proposals import ProposalError, ProposalLocked, ProposalQuerySet
from tests.factories import (
    make_consent,
    make_elevator,
    make_household,
    make_proposal,
    make_share,
    make_unit,
    make_user,
)

pytestmark = pytest.mark.django_db

D = Decimal
Rule, GroundFloor, Status = Proposal.Rule, Proposal.GroundFloor, Proposal.Status


@pytest.fixture
def elevator():
    """A six-floor stairwell: two ground-floor flats and five above."""
    unit = make_unit(floors=6)
    flats = [("101", 1, "60.00"), ("102", 1, "75.50"), ("201", 2, "88.50"), ("301", 3, "88.50")]
    flats += [("302", 3, "101.30"), ("501", 5, "120.00"), ("601", 6, "88.77")]
    for room, floor, area in flats:
        make_household(unit=unit, room=room, floor=floor, area=D(area))
    return make_elevator(unit=unit, quote=D("420000.00"))


@pytest.fixture
def secretary():
    return make_user()


def draft_of(elevator, by, **figures) -> Proposal:
    draft = Proposal.new_draft(elevator, by=by)
    for name, value in figures.items():
        setattr(draft, name, value)
    draft.save()
    return draft


def shares_of(proposal) -> dict[str, Decimal]:
    return {s.household.room: s.amount for s in proposal.shares.select_related("household")}


# Versions


def test_the_first_draft_starts_from_the_quote_and_the_campaigns_subsidy(elevator, secretary):
    draft = Proposal.new_draft(elevator, by=secretary)
    assert (draft.version, draft.status) == (1, Status.DRAFT)
    assert draft.total_cost == D("420000.00")
    assert draft.subsidy == elevator.unit.building.campaign.subsidy_per_elevator
    assert draft.maintenance_fund == D("0.00")
    assert draft.self_funded == D("270000.00")
    assert (draft.rule, draft.ground_floor) == (Rule.FLOOR_AREA, GroundFloor.EXEMPT)
    assert draft.coefficient_map() == {1: D("0"), **{f: D("1") for f in range(2, 7)}}


def test_the_first_draft_of_an_elevator_without_a_quote_costs_nothing_yet(secretary):
    draft = Proposal.new_draft(make_elevator(quote=None), by=secretary)
    assert (draft.total_cost, draft.subsidy, draft.self_funded) == (D(0), D(0), D(0))


def test_a_new_draft_copies_the_latest_version(elevator, secretary):
    v1 = draft_of(
        elevator,
        secretary,
        maintenance_fund=D("80000.00"),
        rule=Rule.AREA,
        ground_floor=GroundFloor.TOKEN,
        ground_floor_amount=D("300.00"),
        notes="一楼象征性出资",
    )
    FloorCoefficient.objects.filter(proposal=v1, floor=6).update(coefficient=D("1.250"))
    v2 = Proposal.new_draft(elevator, by=secretary)
    assert v2.version == 2
    assert v2.status == Status.DRAFT
    for name in ("total_cost", "subsidy", "maintenance_fund", "self_funded", "rule"):
        assert getattr(v2, name) == getattr(v1, name)
    assert (v2.ground_floor, v2.ground_floor_amount, v2.notes) == (
        GroundFloor.TOKEN,
        D("300.00"),
        "一楼象征性出资",
    )
    assert v2.coefficient_map() == v1.coefficient_map()
    assert v2.coefficient_map()[6] == D("1.250")


def test_a_new_draft_of_a_fixed_proposal_copies_its_amounts(elevator, secretary):
    v1 = draft_of(elevator, secretary, rule=Rule.FIXED)
    room_201 = elevator.unit.households.get(room="201")
    v1.save_draft(v1.coefficient_map(), {room_201.pk: D("1234.56")})
    v2 = Proposal.new_draft(elevator, by=secretary)
    assert shares_of(v2) == {"201": D("1234.56")}


def test_versions_count_up_and_publishing_v2_supersedes_v1(elevator, secretary):
    v1 = Proposal.new_draft(elevator, by=secretary)
    v1.publish(by=secretary)
    v2 = Proposal.new_draft(elevator, by=secretary)
    v2.publish(by=secretary)
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.version, v1.status) == (1, Status.SUPERSEDED)
    assert (v2.version, v2.status) == (2, Status.PUBLISHED)
    assert v1.published_at is not None
    assert v1.replaced_by() == v2
    assert list(elevator.proposals.published()) == [v2]


def test_publishing_v2_leaves_v1s_shares_and_consents_untouched(elevator, secretary):
    v1 = Proposal.new_draft(elevator, by=secretary)
    v1.publish(by=secretary)
    before = shares_of(v1)
    household = elevator.unit.households.get(room="301")
    consent = make_consent(proposal=v1, household=household, share_amount=before["301"])
    v2 = draft_of(elevator, secretary, maintenance_fund=D("100000.00"))
    v2.publish(by=secretary)
    assert shares_of(v1) == before
    assert shares_of(v2) != before
    consent = Consent.objects.get(pk=consent.pk)
    assert consent.proposal_id == v1.pk
    assert consent.hash_matches()


def test_an_old_draft_cannot_be_published_over_a_newer_published_version(elevator, secretary):
    v1 = Proposal.new_draft(elevator, by=secretary)
    v2 = Proposal.new_draft(elevator, by=secretary)
    v2.publish(by=secretary)
    with pytest.raises(ProposalError, match="第 2 版已经公示"):
        v1.publish(by=secretary)
    v1.refresh_from_db()
    assert v1.status == Status.DRAFT
    assert not v1.shares.exists()


def test_a_published_version_cannot_be_published_again(elevator, secretary):
    v1 = Proposal.new_draft(elevator, by=secretary)
    v1.publish(by=secretary)
    with pytest.raises(ProposalLocked):
        Proposal.objects.get(pk=v1.pk).publish(by=secretary)


# Shares written on publishing add up to the cent under every rule


@pytest.mark.parametrize(
    ("rule", "ground_floor"),
    [
        (Rule.FLOOR_AREA, GroundFloor.EXEMPT),
        (Rule.FLOOR_AREA, GroundFloor.PAYS),
        (Rule.AREA, GroundFloor.EXEMPT),
        (Rule.AREA, GroundFloor.TOKEN),
        (Rule.EQUAL, GroundFloor.EXEMPT),
        (Rule.EQUAL, GroundFloor.PAYS),
    ],
)
def test_publishing_writes_shares_that_add_up_to_the_self_funded_part(
    elevator, secretary, rule, ground_floor
):
    draft = draft_of(
        elevator,
        secretary,
        maintenance_fund=D("12345.67"),
        rule=rule,
        ground_floor=ground_floor,
        ground_floor_amount=D("200.00"),
    )
    FloorCoefficient.objects.filter(proposal=draft, floor__gte=5).update(coefficient=D("1.333"))
    FloorCoefficient.objects.filter(proposal=draft, floor=1).update(coefficient=D("0.800"))
    draft.publish(by=secretary)
    shares = shares_of(draft)
    assert len(shares) == 7
    assert sum(shares.values()) == draft.self_funded == D("257654.33")
    ground = (shares["101"], shares["102"])
    if ground_floor == GroundFloor.EXEMPT:
        assert ground == (D("0.00"), D("0.00"))
    elif ground_floor == GroundFloor.TOKEN:
        assert ground == (D("200.00"), D("200.00"))
    else:
        assert min(ground) > 0


def test_publishing_writes_exactly_the_shares_that_were_previewed(elevator, secretary):
    draft = draft_of(elevator, secretary, total_cost=D("400000.01"), rule=Rule.AREA)
    preview = {line.household.room: line.amount for line in draft.allocate()}
    draft.publish(by=secretary)
    assert shares_of(draft) == preview


def test_publishing_a_fixed_proposal_keeps_the_recorded_amounts(elevator, secretary):
    draft = draft_of(elevator, secretary, total_cost=D("150100.00"), rule=Rule.FIXED)
    rooms = {h.room: h.pk for h in elevator.unit.households.all()}
    amounts = {rooms["201"]: D("33.33"), rooms["301"]: D("33.33"), rooms["601"]: D("33.34")}
    draft.save_draft(draft.coefficient_map(), amounts)
    draft.publish(by=secretary)
    shares = shares_of(draft)
    assert sum(shares.values()) == draft.self_funded == D("100.00")
    assert (shares["201"], shares["601"], shares["101"]) == (D("33.33"), D("33.34"), D("0.00"))
    assert len(shares) == 7  # every household has a share to sign, the unlisted ones 0.00


def test_fixed_amounts_that_do_not_add_up_refuse_to_publish(elevator, secretary):
    draft = draft_of(elevator, secretary, total_cost=D("150100.00"), rule=Rule.FIXED)
    room_201 = elevator.unit.households.get(room="201")
    draft.save_draft(draft.coefficient_map(), {room_201.pk: D("99.99")})
    with pytest.raises(ProposalError, match=re.escape("相差 ¥0.01")):
        draft.publish(by=secretary)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.published_at is None


def test_a_proposal_nobody_can_pay_refuses_to_publish_with_a_message(elevator, secretary):
    draft = Proposal.new_draft(elevator, by=secretary)
    FloorCoefficient.objects.filter(proposal=draft).update(coefficient=D("0"))
    with pytest.raises(ProposalError, match="没有需要出资的住户"):
        draft.publish(by=secretary)
    assert not draft.shares.exists()


def test_token_amounts_larger_than_the_self_funded_part_refuse_to_publish(elevator, secretary):
    draft = draft_of(
        elevator,
        secretary,
        total_cost=D("150100.00"),
        ground_floor=GroundFloor.TOKEN,
        ground_floor_amount=D("50.01"),
    )
    with pytest.raises(ProposalError, match=re.escape("象征性出资合计 ¥100.02")):
        draft.publish(by=secretary)


def test_a_failed_publish_leaves_the_version_before_it_published(elevator, secretary):
    v1 = Proposal.new_draft(elevator, by=secretary)
    v1.publish(by=secretary)
    v2 = draft_of(elevator, secretary, rule=Rule.FIXED)
    with pytest.raises(ProposalError):
        v2.publish(by=secretary)
    v1.refresh_from_db()
    assert v1.status == Status.PUBLISHED


# Nothing published changes


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("total_cost", D("1.00")),
        ("subsidy", D("1.00")),
        ("maintenance_fund", D("1.00")),
        ("rule", Rule.EQUAL),
        ("ground_floor", GroundFloor.PAYS),
        ("notes", "改了"),
    ],
)
def test_a_published_proposals_figures_and_rule_cannot_be_changed(
    elevator, secretary, field, value
):
    v1 = Proposal.new_draft(elevator, by=secretary)
    v1.publish(by=secretary)
    proposal = Proposal.objects.get(pk=v1.pk)
    setattr(proposal, field, value)
    with pytest.raises(ProposalLocked, match="不能再修改"):
        proposal.save()
    assert Proposal.objects.get(pk=v1.pk).total_cost == D("420000.00")


def test_a_superseded_proposal_cannot_be_changed_either(elevator, secretary):
    make_proposal(elevator=elevator, status=Status.SUPERSEDED, published_at=timezone.now())
    proposal = Proposal.objects.get(elevator=elevator)
    proposal.subsidy = D("0.00")
    with pytest.raises(ProposalLocked):
        proposal.save()


def test_a_published_proposal_cannot_go_back_to_draft(elevator, secretary):
    proposal = make_proposal(elevator=elevator, status=Status.PUBLISHED)
    proposal.status = Status.DRAFT
    with pytest.raises(ProposalLocked, match="状态不能"):
        proposal.save()


def test_the_model_form_check_reports_a_change_to_a_published_proposal(elevator):
    from django.core.exceptions import ValidationError

    proposal = make_proposal(elevator=elevator, status=Status.PUBLISHED)
    proposal.notes = "改了"
    with pytest.raises(ValidationError):
        proposal.clean()


def test_a_draft_may_change_and_be_published(elevator, secretary):
    draft = Proposal.new_draft(elevator, by=secretary)
    draft.maintenance_fund = D("50000.00")
    draft.save()
    draft.status, draft.published_at = Status.PUBLISHED, timezone.now()
    draft.save()
    assert Proposal.objects.get(pk=draft.pk).status == Status.PUBLISHED


def test_a_published_proposals_coefficients_and_shares_cannot_be_changed(elevator, secretary):
    v1 = Proposal.new_draft(elevator, by=secretary)
    v1.publish(by=secretary)
    coefficient = v1.coefficients.get(floor=3)
    coefficient.coefficient = D("2.000")
    with pytest.raises(ProposalLocked):
        coefficient.save()
    with pytest.raises(ProposalLocked):
        coefficient.delete()
    share = v1.shares.first()
    share.amount += D("1.00")
    with pytest.raises(ProposalLocked):
        share.save()
    with pytest.raises(ProposalLocked):
        share.delete()
    with pytest.raises(ProposalLocked):
        make_share(proposal=v1, household=make_household(unit=elevator.unit, room="701"))
    with pytest.raises(ProposalLocked):
        FloorCoefficient.objects.create(proposal=v1, floor=7, coefficient=D("1"))
    with pytest.raises(ProposalLocked):
        v1.save_draft({3: D("2.000")})
    assert v1.coefficients.get(floor=3).coefficient == D("1.000")


def test_a_drafts_coefficients_and_shares_may_change(elevator, secretary):
    draft = Proposal.new_draft(elevator, by=secretary)
    coefficient = draft.coefficients.get(floor=3)
    coefficient.coefficient = D("1.100")
    coefficient.save()
    share = make_share(proposal=draft, household=elevator.unit.households.first())
    share.delete()
    assert draft.coefficient_map()[3] == D("1.100")


# Two publishers at once


def test_a_publish_that_loses_a_race_gets_a_clear_message_not_an_integrity_error(
    elevator, secretary, monkeypatch
):
    v1 = Proposal.new_draft(elevator, by=secretary)
    v1.publish(by=secretary)
    v2 = Proposal.new_draft(elevator, by=secretary)
    # As if v1 had been published by someone else after our rows were read.
    monkeypatch.setattr(
        ProposalQuerySet, "select_for_update", lambda self, **kw: self.exclude(pk=v1.pk)
    )
    with pytest.raises(ProposalError, match="刚刚被其他人公示"):
        v2.publish(by=secretary)
    monkeypatch.undo()
    assert list(elevator.proposals.published()) == [v1]
    assert not v2.shares.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs row locks: PostgreSQL only (SQLite skips)"
)
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_publishes_of_two_drafts_leave_exactly_one_published(elevator):
    secretary = make_user()
    v1 = Proposal.new_draft(elevator, by=secretary)
    v1.publish(by=secretary)
    drafts = [Proposal.new_draft(elevator, by=secretary) for _ in range(2)]
    start = threading.Barrier(len(drafts))
    errors: list[Exception] = []

    def publish(pk: int) -> None:
        try:
            proposal = Proposal.objects.get(pk=pk)
            start.wait(timeout=10)
            proposal.publish(by=secretary)
        except ProposalError as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(d.pk,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    published = list(Proposal.objects.filter(elevator=elevator, status=Status.PUBLISHED))
    assert len(published) == 1
    assert Proposal.objects.get(pk=v1.pk).status == Status.SUPERSEDED
    assert len(errors) <= 1, errors
    # The row locks kept the two apart, not the unique-constraint backstop.
    assert not [e for e in errors if "公示没有成功" in e.message], errors
    for proposal in Proposal.objects.filter(elevator=elevator).exclude(status=Status.DRAFT):
        assert sum(proposal.shares.values_list("amount", flat=True)) == proposal.self_funded
    assert Share.objects.filter(proposal__elevator=elevator).count() == 7 * (
        Proposal.objects.filter(elevator=elevator).exclude(status=Status.DRAFT).count()
    )
