"""Owners as people: which entries of different flats are probably one person (proposed, never
linked), and linking or splitting them once the secretary has confirmed it."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from households.models import Owner, Person
from households.people import (
    LINKED,
    UNLINKED,
    Entry,
    agreeing,
    link,
    propose,
    proposed_matches,
    set_kind,
    split,
)
from tests.factories import make_household, make_owner, make_unit, same_person


def entry(pk, household, name="张三", id_tail="", phone="", person=None) -> Entry:
    return Entry(pk, household, name, id_tail, phone, person)


# --- the pure rule -----------------------------------------------------------------------------


def test_the_same_name_and_id_tail_in_two_flats_is_proposed():
    assert agreeing(entry(1, 1, id_tail="123X"), entry(2, 2, id_tail="123x")) == ("id_tail",)


def test_the_same_name_and_phone_is_proposed_whatever_the_spacing_of_the_number():
    a, b = entry(1, 1, phone="138 1234 1234"), entry(2, 2, phone="13812341234")
    assert agreeing(a, b) == ("phone",)


def test_the_same_name_alone_is_not_enough():
    assert agreeing(entry(1, 1), entry(2, 2)) == ()


def test_a_conflicting_id_tail_outweighs_an_equal_phone():
    a = entry(1, 1, id_tail="1234", phone="13812341234")
    b = entry(2, 2, id_tail="9999", phone="13812341234")
    assert agreeing(a, b) == ()


def test_names_are_compared_without_surrounding_spaces_but_otherwise_exactly():
    assert agreeing(entry(1, 1, " 张三 ", phone="1"), entry(2, 2, "张三", phone="1"))
    assert not agreeing(entry(1, 1, "张三", phone="1"), entry(2, 2, "张叁", phone="1"))


def test_co_owners_of_one_flat_and_entries_already_one_person_are_not_proposed():
    assert agreeing(entry(1, 1, phone="1"), entry(2, 1, phone="1")) == ()
    assert agreeing(entry(1, 1, phone="1", person=7), entry(2, 2, phone="1", person=7)) == ()
    assert agreeing(entry(1, 1, phone="1", person=7), entry(2, 2, phone="1", person=8))


entries = st.lists(
    st.builds(
        Entry,
        pk=st.integers(0, 10_000),
        household=st.integers(0, 5),
        name=st.sampled_from(["张三", " 张三", "李四", ""]),
        id_tail=st.sampled_from(["", "1234", "123X", "123x"]),
        phone=st.sampled_from(["", "13812341234", "138-1234-1234", "13900000000"]),
        person=st.sampled_from([None, 1, 2]),
    ),
    max_size=12,
    unique_by=lambda e: e.pk,
)


def brute_force(items: list[Entry]) -> set[frozenset]:
    """Every pair compared with every other, by the rule written out once more."""
    pairs = set()
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            if a.household == b.household or (a.person and a.person == b.person):
                continue
            if not a.name.strip() or a.name.strip() != b.name.strip():
                continue
            fa = {"id": a.id_tail.upper(), "phone": "".join(filter(str.isdigit, a.phone))}
            fb = {"id": b.id_tail.upper(), "phone": "".join(filter(str.isdigit, b.phone))}
            both = [k for k in fa if fa[k] and fb[k]]
            if both and all(fa[k] == fb[k] for k in both):
                pairs.add(frozenset([a.pk, b.pk]))
    return pairs


@given(entries)
def test_propose_finds_exactly_the_pairs_a_comparison_of_every_pair_finds(items):
    found = [frozenset([m.first.pk, m.second.pk]) for m in propose(items)]
    assert len(found) == len(set(found))  # each pair once
    assert set(found) == brute_force(items)


@given(entries)
def test_a_proposed_pair_never_shares_a_flat_or_conflicts(items):
    for match in propose(items):
        assert match.first.household != match.second.household
        assert match.on
        for field in ("id_tail", "phone"):
            a, b = getattr(match.first, field), getattr(match.second, field)
            assert field in match.on or not (a and b)


# --- in the database ----------------------------------------------------------------------------


@pytest.fixture
def two_flats():
    """张三 in two flats of one unit, with the same phone; and 张三 again elsewhere in the
    community with another phone and the same (empty) ID tail."""
    unit = make_unit()
    a = make_owner(household=make_household(unit=unit, room="302"), phone="13812341234")
    b = make_owner(household=make_household(unit=unit, room="502"), phone="13812341234")
    other = make_owner(household=make_household(unit=unit, room="601"), phone="13900000000")
    return a, b, other


@pytest.mark.django_db
def test_matches_are_proposed_within_the_community_and_nothing_is_linked(two_flats):
    a, b, _other = two_flats
    community = a.household.unit.building.campaign.community
    matches = proposed_matches(community)
    assert [(m[0].pk, m[1].pk, m[2]) for m in matches] == [(a.pk, b.pk, ("phone",))]
    assert not Owner.objects.filter(person__isnull=False).exists()
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_the_same_person_in_another_community_is_not_proposed(two_flats):
    a, _b, _other = two_flats
    make_owner(name="张三", phone=a.phone)  # a new campaign in a new community
    community = a.household.unit.building.campaign.community
    assert len(proposed_matches(community)) == 1


@pytest.mark.django_db
def test_proposing_reads_the_community_in_one_query(two_flats, django_assert_num_queries):
    community = two_flats[0].household.unit.building.campaign.community
    with django_assert_num_queries(1):
        proposed_matches(community)


@pytest.mark.django_db
def test_linked_entries_are_no_longer_proposed(two_flats):
    a, b, _other = two_flats
    person = link([a, b])
    community = a.household.unit.building.campaign.community
    assert proposed_matches(community) == []
    assert set(person.titles.all()) == {a, b}
    assert person.community == community and person.kind == Person.Kind.PERSON
    assert a.history.first().history_change_reason == LINKED


@pytest.mark.django_db
def test_linking_joins_the_person_one_entry_already_belongs_to(two_flats):
    a, b, _other = two_flats
    person = same_person(a, b)
    c = make_owner(household=make_household(unit=a.household.unit, room="702"), phone=a.phone)
    assert link([c, a]) == person
    assert person.titles.count() == 3


@pytest.mark.django_db
def test_linking_entries_of_two_people_merges_them_into_the_earlier(two_flats):
    a, b, other = two_flats
    first = same_person(a, b)
    d = make_owner(household=make_household(unit=a.household.unit, room="801"), name="李四")
    second = same_person(other, d)
    assert link([a, other]) == first
    assert first.titles.count() == 4
    assert not Person.objects.filter(pk=second.pk).exists()


@pytest.mark.django_db
def test_a_body_of_one_flat_can_be_made(two_flats):
    body = link([two_flats[2]], kind=Person.Kind.DEVELOPER)
    assert body.is_body and body.titles.count() == 1


@pytest.mark.django_db
def test_splitting_a_person_of_two_flats_removes_the_person(two_flats):
    a, b, _other = two_flats
    person = same_person(a, b)
    assert split(a) is None
    assert not Person.objects.filter(pk=person.pk).exists()
    assert not Owner.objects.filter(person__isnull=False).exists()
    assert Owner.objects.get(pk=b.pk).history.first().history_change_reason == UNLINKED


@pytest.mark.django_db
def test_a_body_keeps_its_person_while_it_holds_a_flat(two_flats):
    a, b, _other = two_flats
    developer = same_person(a, b, kind=Person.Kind.DEVELOPER)
    assert split(a) == developer
    assert list(developer.titles.all()) == [b]
    assert split(Owner.objects.get(pk=b.pk)) is None
    assert not Person.objects.filter(pk=developer.pk).exists()


@pytest.mark.django_db
def test_a_persons_kind_is_kept_in_its_history(two_flats):
    person = same_person(*two_flats[:2])
    set_kind(person, Person.Kind.WORK_UNIT)
    person.refresh_from_db()
    assert person.kind == Person.Kind.WORK_UNIT
    assert person.history.first().kind == Person.Kind.WORK_UNIT
