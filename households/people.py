"""Owners as people: which owner entries of different flats are probably one person, and
linking them (or unlinking one) once the secretary has confirmed it.

A match is only ever proposed (``propose``, ``proposed_matches``): two entries of different
flats with the same name, at least one of the ID tail and the phone written on both and equal,
and neither written on both and different. Linking is the secretary's decision, on the people
screen (``consultations.views.people``), which also checks that the count can still be made.

Entries are compared within one name only (a dict of names, then each name's few entries), so
the work grows with the community, not with its square.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count

from campaigns.models import Community
from households.models import Owner, Person

MATCHED_ON = ("id_tail", "phone")  # the facts two entries of one name may agree on
NOT_DIGITS = re.compile(r"[^0-9]")
LINKED = "关联为同一产权主体"  # the change reasons the people screen's history reads
UNLINKED = "拆分产权主体"
KIND_SET = "设定产权主体类型"


@dataclass(frozen=True)
class Entry:
    """One owner entry as plain values, as matching needs it."""

    pk: int
    household: int
    name: str
    id_tail: str = ""
    phone: str = ""
    person: int | None = None

    @classmethod
    def of(cls, owner: Owner) -> "Entry":
        return cls(
            owner.pk, owner.household_id, owner.name, owner.id_tail, owner.phone, owner.person_id
        )


def facts(entry: Entry) -> dict[str, str]:
    """What two entries are compared on, written one way: the name without surrounding
    spaces, the ID tail in capitals, the phone as its digits."""
    return {
        "name": entry.name.strip(),
        "id_tail": entry.id_tail.strip().upper(),
        "phone": NOT_DIGITS.sub("", entry.phone),
    }


def agreeing(a: Entry, b: Entry) -> tuple[str, ...]:
    """What the two entries agree on (among ``MATCHED_ON``) if they are probably one person,
    else ``()``: the same non-empty name, different flats, not already one Person, at least
    one fact written on both and equal, and no fact written on both and different."""
    if a.household == b.household or (a.person is not None and a.person == b.person):
        return ()
    fa, fb = facts(a), facts(b)
    if not fa["name"] or fa["name"] != fb["name"]:
        return ()
    both = [field for field in MATCHED_ON if fa[field] and fb[field]]
    if any(fa[field] != fb[field] for field in both):
        return ()
    return tuple(both)


@dataclass(frozen=True)
class Match:
    """Two entries that are probably one person, and what they agree on."""

    first: Entry
    second: Entry
    on: tuple[str, ...]


def propose(entries: Iterable[Entry]) -> list[Match]:
    """Every pair of entries that are probably one person, grouped by name: each name's
    entries are compared with each other only. Pairs in the order the entries come."""
    by_name: dict[str, list[Entry]] = {}
    for entry in entries:
        by_name.setdefault(facts(entry)["name"], []).append(entry)
    matches = []
    for same_name in by_name.values():
        for i, first in enumerate(same_name):
            for second in same_name[i + 1 :]:
                on = agreeing(first, second)
                if on:
                    matches.append(Match(first, second, on))
    return matches


def entries_sharing_a_name(community: Community):
    """The community's owner entries whose name another flat's entry also bears, with their
    place: two queries' worth (the names, as a subquery, then the entries)."""
    owners = Owner.objects.filter(household__unit__building__campaign__community=community)
    shared = (
        owners.exclude(name="")
        .values("name")
        .annotate(flats=Count("household", distinct=True))
        .filter(flats__gt=1)
        .values("name")
    )
    return (
        owners.filter(name__in=shared)
        .select_related("household__unit__building", "person")
        .order_by("name", "household__unit__building__sort_order", "household__unit", "pk")
    )


def matches_among(owners: Iterable[Owner]) -> list[tuple[Owner, Owner, tuple[str, ...]]]:
    """``propose`` over owner records: (owner, owner, what they agree on)."""
    by_pk = {owner.pk: owner for owner in owners}
    return [
        (by_pk[m.first.pk], by_pk[m.second.pk], m.on)
        for m in propose(Entry.of(owner) for owner in by_pk.values())
    ]


def proposed_matches(community: Community) -> list[tuple[Owner, Owner, tuple[str, ...]]]:
    """The pairs of the community's owner entries that are probably one person and are not
    linked as one yet, as (owner, owner, what they agree on). One query."""
    return matches_among(entries_sharing_a_name(community))


def _save_person_of(owner: Owner, person: Person | None, reason: str) -> None:
    owner.person = person
    owner._change_reason = reason
    owner.save(update_fields=["person"])


@transaction.atomic
def link(owners: list[Owner], *, kind: str = "", person: Person | None = None) -> Person:
    """Link the owner entries as one person or body: into ``person`` if given, else into the
    earliest Person one of them is already linked to, else into a new one. Entries of another
    Person among them bring that Person's other entries along; the emptied Person is removed
    (its history keeps it). ``kind`` (a ``Person.Kind``) sets what the Person is."""
    existing = sorted({o.person_id for o in owners if o.person_id})
    if person is None and existing:
        person = Person.objects.get(pk=existing[0])
    if person is None:
        community = owners[0].household.unit.building.campaign.community
        person = Person(community=community, kind=kind or Person.Kind.PERSON)
        person._change_reason = LINKED
        person.save()
    elif kind and kind != person.kind:
        set_kind(person, kind)
    others = [pk for pk in existing if pk != person.pk]
    joining = list(Owner.objects.filter(person__in=others).exclude(pk__in=[o.pk for o in owners]))
    for owner in [*owners, *joining]:
        if owner.person_id != person.pk:
            _save_person_of(owner, person, LINKED)
    for emptied in Person.objects.filter(pk__in=others):
        emptied._change_reason = LINKED
        emptied.delete()
    return person


@transaction.atomic
def split(owner: Owner) -> Person | None:
    """Unlink one entry from its Person. A person (kind PERSON) left with one entry is
    removed and that entry unlinked too: an unlinked entry already is a person holding only
    that flat, and counts the same. A body keeps its Person while it holds a flat (it is still
    the developer, the work unit…). A Person left with none is removed. Returns the Person if
    it is kept."""
    person = owner.person
    if person is None:
        return None
    _save_person_of(owner, None, UNLINKED)
    rest = list(person.titles.all())
    if len(rest) == 1 and not person.is_body:
        _save_person_of(rest[0], None, UNLINKED)
        rest = []
    if rest:
        return person
    person._change_reason = UNLINKED
    person.delete()
    return None


def set_kind(person: Person, kind: str) -> None:
    """Say what the Person is: a person, the developer (its unsold parts), a work unit, the
    housing authority."""
    person.kind = kind
    person._change_reason = KIND_SET
    person.save(update_fields=["kind"])
