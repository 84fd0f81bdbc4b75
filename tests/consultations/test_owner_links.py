"""A link is refused when one owner's flats in a unit would carry different in-force answers on
the same matter (the count could not be made); nothing is changed then."""

from decimal import Decimal

import pytest

from consultations.owner_links import LinkRefused, confirm_link
from households.models import Owner, Person
from tests.factories import (
    make_consent,
    make_elevator,
    make_household,
    make_matter,
    make_owner,
    make_proposal,
    make_unit,
    make_voted_unit,
)

pytestmark = pytest.mark.django_db


def owners_named_alike(households) -> list[Owner]:
    owners = [h.owners.get() for h in households]
    for owner in owners:
        owner.name, owner.phone = "张三", "13812341234"
        owner.save()
    return owners


@pytest.mark.parametrize(
    "decisions", [["agree", "agree"], ["agree", None], [None, None], ["disagree", "disagree"]]
)
def test_flats_that_answered_alike_or_not_at_all_are_linked(decisions):
    _unit, households, _proposal = make_voted_unit(decisions)
    person = confirm_link(owners_named_alike(households))
    assert person.titles.count() == 2


def test_a_link_that_would_merge_an_agreeing_and_a_disagreeing_flat_is_refused():
    _unit, households, _proposal = make_voted_unit(["agree", "disagree", "agree"])
    owners = owners_named_alike(households[:2])
    with pytest.raises(LinkRefused, match="签字意见不同"):
        confirm_link(owners)
    assert not Person.objects.exists()
    assert not Owner.objects.filter(person__isnull=False).exists()


def test_joining_a_third_flat_that_answered_otherwise_is_refused_and_the_person_kept():
    _unit, households, _proposal = make_voted_unit(["agree", "agree", "disagree"])
    owners = owners_named_alike(households)
    person = confirm_link(owners[:2])
    with pytest.raises(LinkRefused):
        confirm_link([owners[0], owners[2]])
    assert set(person.titles.all()) == set(owners[:2])
    assert Owner.objects.get(pk=owners[2].pk).person is None


def test_flats_in_different_units_may_answer_differently():
    _u1, first, _p1 = make_voted_unit(["agree"])
    _u2, second, _p2 = make_voted_unit(["disagree"], campaign=first[0].unit.building.campaign)
    person = confirm_link(owners_named_alike([first[0], second[0]]))
    assert person.titles.count() == 2


def test_each_matter_is_compared_on_its_own():
    unit = make_unit(floors=12)
    households = [
        make_household(unit=unit, room=room, floor=floor, area=Decimal("80.00"))
        for room, floor in [("301", 3), ("501", 5)]
    ]
    for household in households:
        make_owner(household=household, name="张三", phone="13812341234")
    proposal = make_proposal(elevator=make_elevator(unit=unit))
    make_matter(proposal, 1, 5, "majority", "使用维修资金")
    make_matter(proposal, 2, 9, "unanimous", "费用分摊方案")
    proposal.publish()
    shares = {s.household_id: s.amount for s in proposal.shares.all()}
    answers = [{"1": "agree", "2": "agree"}, {"1": "agree", "2": "disagree"}]
    for household, given in zip(households, answers, strict=True):
        make_consent(
            household=household,
            proposal=proposal,
            share_amount=shares[household.pk],
            answers=given,
            decision="disagree" if "disagree" in given.values() else "agree",
        )
    with pytest.raises(LinkRefused, match="费用分摊方案"):
        confirm_link([h.owners.get() for h in households])
