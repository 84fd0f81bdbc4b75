import hashlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from campaigns.models import MeetingDecision, Role, Unit
from consultations.models import Consent, Decision, Item, Proposal
from consultations.models.consents import Capacity, summary_decision
from consultations.standing import votes_by_unit
from households.models import AreaSource, Household, Owner
from money.models import Entry, FundApplication, Settlement
from works import completion
from works.gate import missing
from works.models import (
    ActionItem,
    Check,
    FaultReport,
    InspectionPhoto,
    Issue,
    IssuePhoto,
    Review,
    ReviewPacket,
    Site,
    StepKind,
    StepState,
    WorksContract,
)

pytestmark = pytest.mark.django_db

DOMAIN_APPS = ("campaigns", "households", "consultations", "works")


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for label in DOMAIN_APPS
        for model in apps.get_app_config(label).get_models()
    }


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_builds_the_ningkang_campaign_mid_way(demo):
    campaign = demo.campaign
    assert "老旧电梯更新" in campaign.title
    assert campaign.community.name == "宁康园社区"
    assert campaign.community.subdistrict == "沌口街道"
    assert "ready (" in demo.output and "ningkang-demo" in demo.output
    unit = Unit.objects.get(building__campaign=campaign, building__name="1栋", name="1单元")
    households = Household.objects.filter(unit=unit)
    assert households.count() == 20
    assert set(households.values_list("floor", flat=True)) == set(range(1, 11))
    assert all(60 <= h.area <= 120 for h in households)
    occupancies = set(households.values_list("occupancy", flat=True))
    assert occupancies == {"owner_occupied", "rented", "absentee", "vacant"}
    assert households.filter(occupancy="vacant").count() == 1
    assert households.filter(elderly=True).exists()
    assert households.filter(mobility_impaired=True).exists()
    assert Unit.objects.filter(building__campaign=campaign).exclude(pk=unit.pk).count() >= 2

    proposal = Proposal.objects.published().get(elevator__unit=unit)
    assert proposal.subsidy == 150000
    assert proposal.maintenance_fund > 0
    assert sum(proposal.shares.values_list("amount", flat=True)) == proposal.self_funded

    current = Consent.objects.current().filter(proposal=proposal)
    agreeing = current.filter(decision__in=[Decision.AGREE, Decision.AGREE_NOT_PAYING])
    assert 12 <= agreeing.count() <= 15  # about two thirds of 20
    assert current.filter(decision=Decision.DISAGREE).count() == 1
    unvisited = households.filter(visits__isnull=True)
    assert unvisited.exists()
    assert households.filter(visits__attitude="undecided").exclude(consents__isnull=False).exists()
    assert all(consent.hash_matches() for consent in Consent.objects.all())


def test_seed_demo_run_twice_adds_nothing_and_says_so(demo):
    before = row_counts()
    message = seed()
    assert row_counts() == before
    assert "already complete" in message


@pytest.mark.parametrize(
    ("username", "role"),
    [
        ("secretary", Role.SECRETARY),
        ("grid1", Role.GRID_WORKER),
        ("grid2", Role.GRID_WORKER),
        ("lead1", Role.BUILDING_LEAD),
    ],
)
def test_the_four_demo_accounts_log_in_with_the_demo_password(demo, username, role):
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": "ningkang-demo"})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert demo.users[username].assignments.filter(role=role).exists()
    assert client.get("/start/", follow=True).status_code == 200


def test_grid1_works_the_seed_unit_and_grid2_works_elsewhere(demo):
    grid1 = Household.objects.for_user(demo.users["grid1"])
    grid2 = Household.objects.for_user(demo.users["grid2"])
    lead1 = Household.objects.for_user(demo.users["lead1"])
    assert grid1.count() == 20
    assert set(grid1.values_list("unit__building__name", "unit__name").distinct()) == {
        ("1栋", "1单元")
    }
    assert not set(grid1) & set(grid2)
    assert set(grid1) <= set(lead1)


# Issue 18: matters, the owner of two flats, answers per matter, where areas come from


def test_the_seed_units_proposal_puts_using_the_fund_and_the_cost_split_to_the_owners(demo):
    assert demo.campaign.consent_rule == "unanimous"
    proposal = Proposal.objects.published().get(elevator__unit=demo.unit)
    assert proposal.version == 2  # the second version copied the first one's matters
    ballot = [(m.number, m.item, m.rule) for m in proposal.ballot()]
    assert ballot == [(1, Item.USE_FUND, "majority"), (2, Item.ALTER, "unanimous")]
    first = Proposal.objects.get(elevator__unit=demo.unit, version=1)
    assert [(m.number, m.item, m.rule) for m in first.ballot()] == ballot


def test_other_units_ask_the_one_default_matter(demo):
    other = (
        Proposal.objects.published()
        .exclude(elevator__unit=demo.unit)
        .get(elevator__unit__building__name="2栋")
    )
    assert [(m.number, m.rule) for m in other.ballot()] == [(1, "unanimous")]
    assert all(c.answers == {"1": c.decision} for c in Consent.objects.filter(proposal=other))


def test_one_demo_owner_holds_two_flats_of_the_seed_unit_as_one_person(demo):
    entries = Owner.objects.filter(household__unit=demo.unit, person__isnull=False)
    assert {e.household.room for e in entries} == {"1001", "1002"}
    assert len({e.person_id for e in entries}) == 1
    assert len({(e.name, e.phone, e.id_tail) for e in entries}) == 1
    assert all(e.household.owners.count() == 1 for e in entries)  # no co-owner: one key
    keys = Owner.objects.keys_by_household(Household.objects.filter(unit=demo.unit))
    flats = {e.household_id for e in entries}
    assert len({keys[pk] for pk in flats}) == 1
    assert len({keys[pk] for pk in keys}) == len(keys) - 1  # one head fewer than flats


def test_the_two_flat_owner_signs_both_flats_at_one_sitting_with_the_same_answers(demo):
    consents = list(
        Consent.objects.current().filter(
            household__unit=demo.unit, household__room__in=["1001", "1002"]
        )
    )
    assert len(consents) == 2
    assert consents[0].answers == consents[1].answers == {"1": "agree", "2": "agree"}
    assert consents[0].decision == consents[1].decision == Decision.AGREE
    assert consents[0].signed_at == consents[1].signed_at
    assert consents[0].signer_name == consents[1].signer_name


def test_every_seed_unit_consent_answers_both_matters_signed_by_the_flats_owner(demo):
    consents = Consent.objects.filter(household__unit=demo.unit).select_related("signer_owner")
    assert consents.count() >= 14
    for consent in consents:
        assert set(consent.answers) == {"1", "2"}
        assert consent.decision == summary_decision(consent.answers)
        assert consent.signer_capacity == Capacity.OWNER
        assert consent.signer_owner.household_id == consent.household_id
        assert consent.signer_name == consent.signer_owner.name


def test_the_owner_against_the_cost_split_still_agrees_to_using_the_fund(demo):
    against = Consent.objects.current().get(household__unit=demo.unit, household__room="202")
    assert against.answers == {"1": "agree", "2": "disagree"}
    assert against.decision == Decision.DISAGREE
    assert (against.decision_on(1), against.decision_on(2)) == ("agree", "disagree")


def test_every_demo_area_says_where_it_came_from_mostly_the_register(demo):
    households = Household.objects.in_campaign(demo.campaign)
    assert not households.filter(area_source="").exists()
    register = households.filter(area_source=AreaSource.REGISTER).count()
    assert register > households.count() * 0.8
    seed = Household.objects.filter(unit=demo.unit)
    assert set(seed.values_list("area_source", flat=True)) == set(AreaSource.values)


# Issue 19: the second half of the story, on a unit whose vote passed


@pytest.mark.parametrize(
    ("username", "role"),
    [("lawyer", Role.LAWYER), ("reviewer", Role.REVIEWER), ("contractor", Role.CONTRACTOR)],
)
def test_the_parties_demo_accounts_log_in_with_the_demo_password(demo, username, role):
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": "ningkang-demo"})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assignment = demo.users[username].assignments.get()
    assert assignment.role == role and assignment.community == demo.campaign.community


def passed_unit(demo) -> Unit:
    return Unit.objects.get(building__campaign=demo.campaign, building__name="4栋", name="1单元")


def test_the_demo_has_a_unit_whose_vote_passed_on_every_households_signature(demo):
    unit = passed_unit(demo)
    vote = votes_by_unit([unit], lambda unit: demo.campaign.consent_rule)[unit.pk]
    assert vote.passed
    proposal = Proposal.objects.published().get(elevator__unit=unit)
    agreed = Consent.objects.current().filter(proposal=proposal, decision=Decision.AGREE)
    assert agreed.count() == Household.objects.filter(unit=unit).count() == 12


def test_the_passed_units_packet_was_frozen_and_both_reviews_approved_with_a_contract(
    demo, settings
):
    settings.MEDIA_ROOT = demo.media
    unit = passed_unit(demo)
    packet = ReviewPacket.objects.get(unit=unit)
    data = packet.file.read()
    assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == packet.sha256
    reviews = Review.objects.filter(unit=unit, packet=packet)
    assert {(r.kind, r.outcome) for r in reviews} == {
        (Review.Kind.LAWYER, Review.Outcome.APPROVED),
        (Review.Kind.SUBDISTRICT, Review.Outcome.APPROVED),
    }
    site = Site.objects.get(elevator__unit=unit)
    assert WorksContract.objects.filter(site=site).exists()
    assert missing(site) == []


def test_the_passed_units_schedule_has_steps_done_and_one_late(demo):
    site = Site.objects.get(elevator__unit=passed_unit(demo))
    today = timezone.localdate()
    states = [step.state_on(today) for step in site.steps.all()]
    assert len(states) == len(StepKind.values)
    assert states.count(StepState.DONE) >= 2
    assert states.count(StepState.LATE) == 1
    opening = site.steps.get(kind=StepKind.OPENING)
    assert opening.planned_end == site.target_open_date  # counted back from the target


def test_the_demo_has_stand_ups_with_open_and_closed_actions(demo):
    actions = ActionItem.objects.filter(stand_up__campaign=demo.campaign)
    assert actions.open().exists() and actions.filter(closed_on__isnull=False).exists()


def test_the_demo_has_inspections_with_photos_one_open_and_one_closed_issue(demo):
    site = Site.objects.get(elevator__unit=passed_unit(demo))
    assert site.inspections.count() >= 2
    assert InspectionPhoto.objects.filter(inspection__site=site).exists()
    assert InspectionPhoto.objects.filter(inspection__site=site, published_at__isnull=False)
    closed = site.issues.get(status=Issue.Status.CLOSED)
    assert closed.photos.filter(stage=IssuePhoto.Stage.AFTER).exists()
    assert site.issues.open().count() == 1


def test_the_demo_has_a_breached_commitment_with_its_broken_check_and_issue(demo):
    breached = MeetingDecision.objects.get(
        meeting__campaign=demo.campaign, is_commitment=True, status="breached"
    )
    assert breached.checks.filter(result=Check.Result.BROKEN).exists()
    assert breached.issues.filter(source=Issue.Source.COMMITMENT).exists()


def test_the_demo_names_the_five_parties_and_the_contractor_speaks_for_its_own(demo):
    kinds = set(demo.campaign.parties.values_list("kind", flat=True))
    assert {"elevator_company", "contractor", "property_manager", "lawyer", "subdistrict"} <= kinds
    contractor = demo.users["contractor"].assignments.get()
    assert contractor.party.kind == "contractor" and contractor.building is None


def test_the_existing_units_stay_before_their_works(demo):
    assert not Site.objects.filter(elevator__unit=demo.unit).exists()


# Issue 20: a unit told to its end, works and money


def complete_unit(demo) -> Unit:
    return Unit.objects.get(building__campaign=demo.campaign, building__name="5栋", name="1单元")


def test_the_completed_units_elevator_is_in_service_and_handed_over(demo):
    site = Site.objects.get(elevator__unit=complete_unit(demo))
    standing = completion.standing(site)
    assert standing.in_service and standing.handover.maintainer.kind == "maintainer"
    assert all(step.actual_end for step in site.steps.all())


def test_the_completed_units_fault_report_was_answered_and_fixed_by_the_maintainer(demo):
    fault = FaultReport.objects.get(site__elevator__unit=complete_unit(demo))
    maintainer = demo.users["maintainer"]
    assert fault.answered_by == maintainer and fault.fixed_by == maintainer
    assert fault.reported_at < fault.answered_at < fault.fixed_at


def test_the_completed_units_fund_was_drawn_after_its_notice_and_its_settlement_published(demo):
    unit = complete_unit(demo)
    application = FundApplication.objects.get(proposal__elevator__unit=unit)
    assert application.notice_start < application.notice_end <= application.approved_on
    settlement = Settlement.objects.get(proposal__elevator__unit=unit)
    assert settlement.published_at is not None
    assert settlement.final_cost < settlement.proposal.total_cost  # a small refund


def test_the_completed_units_non_payer_is_covered_by_the_community_fund(demo):
    unit = complete_unit(demo)
    covered = Entry.objects.filter(household__unit=unit, paid_by="community_fund", kind="payment")
    assert covered.count() == 1
    assert covered.get().household.decision == "agree_not_paying"
    assert Entry.objects.filter(household__unit=unit, kind="refund").exists()


def test_the_maintainer_demo_account_logs_in_and_speaks_for_its_company(demo):
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "maintainer", "password": "ningkang-demo"}
    )
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assignment = demo.users["maintainer"].assignments.get()
    assert assignment.role == Role.MAINTAINER and assignment.party.kind == "maintainer"


def test_the_demo_has_residents_who_need_help_while_their_lift_is_out(demo):
    needing = Household.objects.in_campaign(demo.campaign).filter(needs_outage_help=True)
    assert needing.filter(unit=demo.unit).exists()
    assert Household.objects.in_campaign(demo.campaign).filter(lives_alone=True).exists()
    assert set(needing.values_list("urgency", flat=True)) <= {"urgent", "high", ""}
