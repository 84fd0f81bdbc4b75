"""A unit's vote is counted by owners and per matter (consultations.standing): one owner of
several flats counts once, each matter of the published proposal is tallied under its own
rule, and the unit passes only when every matter passes."""

import shutil
import subprocess
from decimal import Decimal
from fractions import Fraction

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns.models import Role
from consultations.models import Proposal
from consultations.models.consents import summary_decision
from consultations.packet import PACKET_TEMPLATE, build_packet, decision_choices, render_packet
from consultations.standing import unit_standing, votes_by_unit
from consultations.thresholds import DECISIONS, heads, tally
from households.models import Person
from portal.dashboard.figures import overview
from portal.project import unit_progress
from portal.summary import daily_summary
from tests.factories import (
    make_assignment,
    make_building,
    make_campaign,
    make_consent,
    make_elevator,
    make_household,
    make_matter,
    make_owner,
    make_person,
    make_proposal,
    make_unit,
    same_person,
)

pytestmark = pytest.mark.django_db


def flats(unit, count: int, area: str = "80.00") -> list:
    return [
        make_household(unit=unit, floor=i + 2, room=f"{i + 2}01", area=Decimal(area))
        for i in range(count)
    ]


def published(unit, matters=()) -> Proposal:
    """A proposal for the unit with these matters (number, item, rule), published."""
    proposal = make_proposal(elevator=make_elevator(unit=unit))
    for number, item, rule in matters:
        make_matter(proposal, number, item, rule)
    proposal.publish()
    return proposal


def sign(household, proposal, **answers) -> None:
    """The household's consent, answering each matter (``m1="agree"``)."""
    by_number = {name[1:]: answer for name, answer in answers.items()}
    make_consent(
        household=household,
        proposal=proposal,
        answers=by_number,
        decision=summary_decision(by_number),
    )


def worker_of(unit):
    return make_assignment(unit=unit).user


def vote_page(client, unit):
    client.force_login(worker_of(unit))
    return client.get(reverse("consultations:unit_consent", args=[unit.pk]))


# --- the example -----------------------------------------------------------------------


@pytest.fixture
def three_owners_five_flats():
    """A owns three of five equal flats and agrees; B and C, one flat each, disagree."""
    unit = make_unit(building=make_building(campaign=make_campaign(consent_rule="majority")))
    households = flats(unit, 5)
    a_titles = [make_owner(household=h, name="甲某某") for h in households[:3]]
    make_owner(household=households[3], name="乙某某")
    make_owner(household=households[4], name="丙某某")
    same_person(*a_titles)
    proposal = published(unit)
    for household in households[:3]:
        sign(household, proposal, m1="agree")
    for household in households[3:]:
        sign(household, proposal, m1="disagree")
    return unit, households


def test_one_owner_of_three_flats_is_one_of_three_heads_and_the_majority_is_not_reached(
    client, three_owners_five_flats
):
    """By flats it would be 3 of 5 agreeing (60 %) and pass; by owners (SPC interpretation
    art. 9: one buyer of several parts counts once) it is 1 of 3 and fails on headcount, even
    though 60 % of the area agrees."""
    unit, _households = three_owners_five_flats
    response = vote_page(client, unit)
    assert response.status_code == 200
    vote = response.context["vote"]
    [result] = vote.results
    assert vote.owners == 3
    assert result.tally.participation_count == 1
    assert result.tally.agree_area == Fraction(3, 5)
    assert result.tally.agree_count == Fraction(1, 3)
    assert not result.passed and not vote.passed
    assert result.needed == 1  # B or C
    assert "本单元共 3 位业主" in response.text
    assert "还需要至少 1 位业主同意才能通过" in response.text


def test_the_owner_of_several_flats_is_listed_once_among_those_who_would_tip_it(client):
    unit = make_unit(building=make_building(campaign=make_campaign(consent_rule="unanimous")))
    households = flats(unit, 3)
    titles = [make_owner(household=h) for h in households]
    same_person(titles[1], titles[2])
    proposal = published(unit)
    sign(households[0], proposal, m1="agree")
    [result] = vote_page(client, unit).context["vote"].results
    [head] = result.tipping
    assert [h.pk for h in head.households] == [households[1].pk, households[2].pk]
    assert head.area == Decimal("160.00")


def test_an_owner_who_gave_two_answers_cannot_be_counted_and_the_page_says_which_flats(client):
    unit = make_unit(building=make_building(campaign=make_campaign(consent_rule="majority")))
    households = flats(unit, 3)
    titles = [make_owner(household=h) for h in households]
    proposal = published(unit)
    sign(households[0], proposal, m1="agree")
    sign(households[1], proposal, m1="disagree")
    sign(households[2], proposal, m1="agree")
    same_person(titles[0], titles[1])  # linked after they signed apart
    response = vote_page(client, unit)
    assert response.status_code == 200
    vote = response.context["vote"]
    assert not vote.passed and not vote.countable and vote.needed is None
    assert [h.pk for h in vote.conflicts] == [households[0].pk, households[1].pk]
    assert "无法计票" in response.text
    for household in households[:2]:
        assert household.get_absolute_url() in response.text
    secretary = make_assignment(role=Role.SECRETARY, community=unit.building.campaign.community)
    client.force_login(secretary.user)
    assert "无法计票" in client.get(reverse("secretary")).text
    board = client.get(reverse("dashboard:campaign", args=[unit.building.campaign.slug]))
    assert "无法计票" in board.text
    html, packet = packet_html(unit)
    assert packet.is_draft and "无法计票" in html
    assert f"{households[0].room}（同意）、{households[1].room}（不同意）" in html


def test_the_daily_summary_counts_owners_too(three_owners_five_flats):
    unit, _households = three_owners_five_flats
    text = daily_summary(unit.building.campaign, timezone.localdate(), "/c/x/")
    assert "5 户，已签字 5 户（100%），同意 3 户；还差 1 位业主同意" in text


def test_the_public_page_says_a_vote_cannot_be_counted_without_naming_anyone(client):
    unit = make_unit(building=make_building(campaign=make_campaign(consent_rule="majority")))
    households = flats(unit, 2)
    titles = [make_owner(household=h, name="欧阳某某") for h in households]
    proposal = published(unit)
    sign(households[0], proposal, m1="agree")
    sign(households[1], proposal, m1="disagree")
    same_person(*titles)
    text = client.get(unit.building.campaign.get_absolute_url()).text
    assert "暂时无法计票" in text
    assert "欧阳" not in text and households[0].get_absolute_url() not in text


def test_a_unit_without_a_published_proposal_is_counted_under_the_campaigns_rule(client):
    unit = make_unit(building=make_building(campaign=make_campaign(consent_rule="unanimous")))
    for household in flats(unit, 2):
        make_owner(household=household)
    response = vote_page(client, unit)
    assert response.status_code == 200
    vote = response.context["vote"]
    [result] = vote.results
    assert vote.proposal is None and result.matter is None
    assert result.tally.rule == "unanimous" and result.needed == 2
    assert "尚未公示分摊方案" in response.text


# --- several matters ---------------------------------------------------------------------------


@pytest.fixture
def two_matters():
    """Item 5 (use the fund) by majority and item 7 (alter the shaft) unanimously, four flats:
    three agree to both, the fourth agrees to the fund but not to the works."""
    unit = make_unit(building=make_building(campaign=make_campaign(consent_rule="majority")))
    households = flats(unit, 4)
    for household in households:
        make_owner(household=household)
    proposal = published(unit, [(1, 5, "majority"), (2, 7, "unanimous")])
    for household in households[:3]:
        sign(household, proposal, m1="agree", m2="agree")
    sign(households[3], proposal, m1="agree", m2="disagree")
    return unit, households, proposal


def test_each_matter_is_tallied_under_its_own_rule(client, two_matters):
    unit, _households, _proposal = two_matters
    response = vote_page(client, unit)
    fund, works = response.context["vote"].results
    assert (fund.matter.number, works.matter.number) == (1, 2)
    assert fund.tally.rule == "majority" and fund.passed
    assert fund.tally.agree_count == 1
    assert works.tally.rule == "unanimous" and not works.passed
    assert works.tally.agree_count == Fraction(3, 4)
    assert works.needed == 1
    assert "事项 1" in response.text and "事项 2" in response.text
    assert "第二百七十八条第一款第五项" in response.text and "第七项" in response.text
    [head] = works.tipping  # who would carry the works: the flat that said no to them
    assert head.decision == "disagree" and "本事项：不同意" in response.text


def test_the_unit_passes_only_when_every_matter_passes(client, two_matters):
    unit, households, _proposal = two_matters
    assert not unit_standing(unit)["vote"].passed
    last = households[3].consents.get()
    last.supersede(
        share_amount=last.share_amount,
        answers={"1": "agree", "2": "agree"},
        decision="agree",
        signer_name=last.signer_name,
        method=last.method,
        signature=bytes(last.signature),
        signature_type=last.signature_type,
        witness=last.witness,
        signed_at=last.signed_at,
    )
    vote = unit_standing(unit)["vote"]
    assert [r.passed for r in vote.results] == [True, True]
    assert vote.passed and vote.needed == 0
    html, packet = packet_html(unit)
    assert not packet.is_draft and "草稿" not in html


def packet_html(unit) -> tuple[str, object]:
    packet = build_packet(
        unit.building.campaign, [unit], base_url="http://x/", whole_campaign=False
    )
    [section] = packet.sections
    context = {
        "packet": packet,
        "section": section,
        "draft": not section.passed,
        "decisions": decision_choices(),
        "printed_at": packet.printed_at,
    }
    return render_to_string(PACKET_TEMPLATE, context), packet


def test_the_packet_prints_each_matter_with_its_legal_basis_and_stays_a_draft(two_matters):
    unit, _households, proposal = two_matters
    html, packet = packet_html(unit)
    fund, works = proposal.ballot()
    assert fund.legal_basis in html and works.legal_basis in html
    assert "本事项已达到表决要求" in html  # the fund
    assert "本事项尚未达到表决要求，还需至少 1 位业主同意" in html  # the works
    assert "1. 同意；2. 不同意" in html  # the fourth flat's answers, per matter
    assert packet.is_draft and "草稿" in html


# --- every count agrees with heads and tally ---------------------------------------------------

OWNERSHIP = st.one_of(
    st.just(("none",)),
    st.just(("solo",)),
    st.tuples(st.just("person"), st.integers(0, 2)),
    st.tuples(st.just("co"), st.integers(0, 2), st.integers(0, 2)).filter(lambda t: t[1] < t[2]),
    st.just(("developer",)),
)
ANSWER = st.one_of(st.none(), st.sampled_from(DECISIONS))
FLAT = st.tuples(st.integers(1000, 20000), OWNERSHIP, ANSWER, ANSWER)
RULE_ITEM = st.sampled_from([("majority", 5), ("three_quarters", 7), ("unanimous", 7)])


def owner_key(position: int, ownership: tuple):
    """The owner key the law gives a flat, from how the example says it is owned."""
    kind = ownership[0]
    if kind == "none":
        return None
    if kind == "solo":
        return ("solo", position)
    return ownership


UNIT = st.tuples(
    st.lists(FLAT, min_size=1, max_size=6),
    st.one_of(st.none(), st.lists(RULE_ITEM, min_size=1, max_size=2)),  # None: not published
    st.booleans(),  # each owner gave the same answers on all their flats
)


class Drawn:
    """A campaign's owners: three people and a developer, who may hold flats in any unit."""

    def __init__(self, campaign) -> None:
        self.campaign = campaign
        self.persons = [make_person(community=campaign.community) for _ in range(3)]
        self.developer = make_person(community=campaign.community, kind=Person.Kind.DEVELOPER)

    def own(self, household, ownership: tuple) -> None:
        kind = ownership[0]
        if kind == "solo":
            make_owner(household=household)
        elif kind == "person":
            make_owner(household=household, person=self.persons[ownership[1]])
        elif kind == "co":
            make_owner(household=household, person=self.persons[ownership[1]])
            make_owner(
                household=household,
                person=self.persons[ownership[2]],
                name="李四",
                is_primary=False,
            )
        elif kind == "developer":
            make_owner(household=household, person=self.developer, name="某某置业有限公司")

    def unit(self, flats_drawn, rules, consistent) -> tuple:
        """The unit as drawn, and each matter's tally worked out from the drawing alone
        (None where one owner gave two answers)."""
        unit = make_unit(building=make_building(campaign=self.campaign), floors=12)
        households, keys = [], []
        for i, (cents, ownership, _a1, _a2) in enumerate(flats_drawn):
            household = make_household(
                unit=unit, floor=i + 2, room=f"{i + 2}01", area=Decimal(cents) / 100
            )
            self.own(household, ownership)
            households.append(household)
            keys.append(owner_key(i, ownership))
        if rules is None:  # no published proposal: the campaign's rule, nobody has answered
            make_proposal(elevator=make_elevator(unit=unit))  # a draft does not count
            entries = [(h.area, key, None) for h, key in zip(households, keys, strict=True)]
            return unit, [tally(heads(entries), self.campaign.consent_rule)]
        proposal = published(unit, [(n, item, rule) for n, (rule, item) in enumerate(rules, 1)])
        first_answers: dict = {}
        answers_of = []
        for key, (_cents, _ownership, a1, a2) in zip(keys, flats_drawn, strict=True):
            drawn = {"1": a1, "2": a2 if len(rules) > 1 else a1}
            if consistent and key is not None and a1 is not None:
                drawn = first_answers.setdefault(key, drawn)
            answers = {str(n): drawn[str(n)] for n in range(1, len(rules) + 1)}
            answers_of.append(answers if a1 is not None else None)
        for household, answers in zip(households, answers_of, strict=True):
            if answers is not None:
                make_consent(
                    household=household,
                    proposal=proposal,
                    answers=answers,
                    decision=summary_decision(answers),
                )
        expected = []
        for number, (rule, _item) in enumerate(rules, 1):
            entries = [
                (h.area, key, None if answers is None else answers[str(number)])
                for h, key, answers in zip(households, keys, answers_of, strict=True)
            ]
            try:
                expected.append(tally(heads(entries), rule))
            except ValueError:
                expected.append(None)  # one owner, two answers: not countable
        return unit, expected


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(units_drawn=st.lists(UNIT, min_size=1, max_size=3))
def test_every_count_the_portal_shows_is_heads_then_tally_of_the_data(units_drawn):
    """Random units of one campaign (areas, people and a developer owning flats in several
    units, co-owners, one or two matters, any answers): the unit page, the counts for many
    units, the public progress and the dashboard all show heads then tally of the data."""
    campaign = make_campaign(consent_rule="majority")
    drawn = Drawn(campaign)
    units = [drawn.unit(*unit) for unit in units_drawn]
    secretary = make_assignment(role=Role.SECRETARY, community=campaign.community).user
    many = votes_by_unit([u for u, _ in units], lambda u: campaign.consent_rule)
    public = {u.pk: u.vote for u in unit_progress(campaign)}
    board = {u.pk: u.vote for u in overview(secretary, campaign)}
    for unit, expected in units:
        shown = {
            "votes_by_unit": many[unit.pk],
            "unit_standing": unit_standing(unit)["vote"],
            "public progress": public[unit.pk],
            "dashboard": board[unit.pk],
        }
        for where, vote in shown.items():
            assert vote.tallies == expected, where
            assert vote.passed == all(t is not None and t.passed for t in expected), where
            for result, wanted in zip(vote.results, expected, strict=True):
                if wanted is not None:
                    assert [m.value for m in result.measures] == [
                        wanted.participation_area,
                        wanted.participation_count,
                        wanted.agree_area,
                        wanted.agree_count,
                    ], where


# --- a fixed number of queries ---------------------------------------------------------------


def linked_unit(campaign, size: int):
    """A unit of ``size`` flats, two matters, every flat's owner one person with the next."""
    unit = make_unit(building=make_building(campaign=campaign), floors=size + 2)
    households = flats(unit, size)
    titles = [make_owner(household=h) for h in households]
    for pair in zip(titles[::2], titles[1::2], strict=False):
        same_person(*pair)
    proposal = published(unit, [(1, 5, "majority"), (2, 7, "three_quarters")])
    for household in households[::2]:
        sign(household, proposal, m1="agree", m2="abstain")
    return unit


@pytest.mark.parametrize("units", [1, 4])
def test_counting_many_units_takes_five_queries(django_assert_num_queries, units):
    """Proposals, their matters, households, owner keys, consents: however many units."""
    campaign = make_campaign()
    every = [linked_unit(campaign, 2 + 3 * i) for i in range(units)]
    with django_assert_num_queries(5):
        votes = votes_by_unit(every, lambda unit: campaign.consent_rule)
    assert all(len(v.results) == 2 for v in votes.values())


@pytest.mark.parametrize("size", [2, 12])
def test_the_unit_page_counts_in_six_queries(django_assert_num_queries, size):
    """The five above and the concerns of those who would tip it."""
    unit = linked_unit(make_campaign(), size)
    with django_assert_num_queries(6):
        standing = unit_standing(unit)
    assert standing["vote"].owners == size // 2


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_a_twenty_flat_unit_with_two_matters_keeps_its_summary_on_one_page(tmp_path):
    """The PDF prints both matters with their legal basis, and the summary with both tallies
    still fits its page: the packet has the pages it promises (cover, summary, proposal, one
    per flat, appendix)."""
    unit = make_unit(building=make_building(campaign=make_campaign()), floors=24)
    households = flats(unit, 20)
    for household in households:
        make_owner(household=household, name="欧阳某某")
    proposal = published(unit, [(1, 5, "majority"), (2, 7, "three_quarters")])
    for household in households[::2]:
        sign(household, proposal, m1="agree", m2="disagree")
    packet = build_packet(
        unit.building.campaign, [unit], base_url="http://x/", whole_campaign=False
    )
    pdf, pages = render_packet(packet)
    path = tmp_path / "packet.pdf"
    path.write_bytes(pdf)
    assert pages == packet.pages_expected == 4 + 20
    summary = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", str(path), "-"], capture_output=True, text=True
    ).stdout
    assert "事项 1" in summary and "事项 2" in summary
    assert "第五项" in summary and "第七项" in summary
