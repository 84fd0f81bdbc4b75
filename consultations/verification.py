"""Checking the legal record as a whole: each household's chain of consents to a proposal, and
its agreement with the consent history table.

A chain is sound when it has one start, every link points to a consent of the same chain that
is still there, each consent is replaced at most once, every consent is reached from the start,
and exactly one consent is current. The history table keeps a creation record of every consent:
a consent the history knows but the table no longer holds was deleted (which would silently
make the older answer current again), and a consent whose stored facts differ from its creation
record was changed. An erased consent must also have its household's erasure in the audit log
(``erase_household`` writes both), so that a signature cannot be made to vanish as if on
request. ``chain_problems`` is pure (plain values in, sentences out); ``problems_in``,
``troubled_chains`` and ``record_problems`` load the values.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal

from consultations.models import Consent
from households.models import AuditEvent

# The stored facts compared with the creation record. The snapshot (place and witness account)
# is left out: the hash covers it, and rows older than it got it filled in afterwards.
FACTS = [
    "household_id",
    "proposal_id",
    "supersedes_id",
    "share_amount",
    "decision",
    "method",
    "signature_type",
    "witness_id",
    "signed_at",
    "created_at",
    "hash_version",
    "content_hash",
    "answers",
    "signer_capacity",
    "signer_owner_id",
]


@dataclass(frozen=True)
class Entry:
    """One consent's stored facts, from the consent table or from its creation record."""

    id: int
    household_id: int
    proposal_id: int
    supersedes_id: int | None
    share_amount: Decimal | None = None
    decision: str = ""
    method: str = ""
    signature_type: str = ""
    witness_id: int | None = None
    signed_at: datetime | None = None
    created_at: datetime | None = None
    hash_version: int = 0
    content_hash: str = ""
    answers: dict | None = None
    signer_capacity: str = ""
    signer_owner_id: int | None = None

    @classmethod
    def of(cls, consent: Consent) -> "Entry":
        return cls(**{name: getattr(consent, name) for name in ENTRY_FIELDS})

    @property
    def chain(self) -> tuple[int, int]:
        return self.household_id, self.proposal_id


ENTRY_FIELDS = [f.name for f in fields(Entry)]


@dataclass(frozen=True)
class Problem:
    """One inconsistency, in the chain (household id, proposal id) where it is."""

    chain: tuple[int, int]
    text: str

    def __str__(self) -> str:
        return self.text


def chain_problems(entries: Iterable[Entry], history: Mapping[int, Entry]) -> list[Problem]:
    """Every inconsistency among the stored consents (``entries``) and their creation records
    (``history``, by consent id); empty when the record is consistent. Only the chains of the
    given entries and history records are checked."""
    stored = {entry.id: entry for entry in entries}
    chains: dict[tuple[int, int], list[Entry]] = defaultdict(list)
    for entry in stored.values():
        chains[entry.chain].append(entry)
    found = []
    for pk, recorded in sorted(history.items()):
        if pk not in stored:
            text = (
                f"consent {pk} (household {recorded.household_id}, proposal "
                f"{recorded.proposal_id}) is in the history but gone from the table: deleted"
            )
            found.append(Problem(recorded.chain, text))
    for pk, entry in sorted(stored.items()):
        recorded = history.get(pk)
        if recorded is None:
            found.append(
                Problem(entry.chain, f"consent {pk} has no creation record in the history")
            )
            continue
        changed = ", ".join(f for f in FACTS if getattr(entry, f) != getattr(recorded, f))
        if changed:
            text = f"consent {pk} differs from its creation record in {changed}"
            found.append(Problem(entry.chain, text))
    for chain, members in sorted(chains.items()):
        found += problems_of_chain(chain, members)
    return found


def problems_of_chain(chain: tuple[int, int], members: list[Entry]) -> list[Problem]:
    return [
        Problem(chain, f"household {chain[0]}, proposal {chain[1]}: {text}")
        for text in chain_faults(members)
    ]


def chain_faults(members: list[Entry]) -> list[str]:
    ids = {entry.id for entry in members}
    found = []
    starts = [entry for entry in members if entry.supersedes_id is None]
    if len(starts) != 1:
        found.append(f"{len(starts)} consents start the chain instead of one")
    replaced_by: dict[int, list[int]] = defaultdict(list)
    for entry in members:
        if entry.supersedes_id is None:
            continue
        if entry.supersedes_id not in ids:
            found.append(
                f"consent {entry.id} replaces consent {entry.supersedes_id}, "
                "which is not in the chain (a gap)"
            )
        replaced_by[entry.supersedes_id].append(entry.id)
    for pk, successors in sorted(replaced_by.items()):
        if len(successors) > 1:
            found.append(f"consent {pk} is replaced {len(successors)} times")
    current = sorted(pk for pk in ids if pk not in replaced_by)
    if len(current) != 1:
        found.append(f"{len(current)} current consents instead of one")
    reached = set()
    following = [start.id for start in starts]
    while following:
        pk = following.pop()
        if pk not in reached:
            reached.add(pk)
            following += replaced_by.get(pk, [])
    if starts and reached != ids:
        unreached = ", ".join(str(pk) for pk in sorted(ids - reached))
        found.append(f"consents {unreached} are not reached from the chain's start")
    return found


def entries_of(consents) -> list[Entry]:
    """The stored facts of a consent queryset, in one query."""
    return [Entry(**row) for row in consents.values(*ENTRY_FIELDS)]


def history_of(records) -> dict[int, Entry]:
    """The creation record of each consent among a ``Consent.history`` queryset, by id."""
    created = records.filter(history_type="+").order_by("history_id")
    history: dict[int, Entry] = {}
    for row in created.values(*ENTRY_FIELDS):
        history.setdefault(row["id"], Entry(**row))
    return history


def problems_in(consents, records) -> list[Problem]:
    """The chain problems of a consent queryset against a ``Consent.history`` queryset of the
    same scope (so that a deleted consent shows), and its unrecorded erasures. Three queries."""
    return chain_problems(entries_of(consents), history_of(records)) + unrecorded_erasures(consents)


def unrecorded_erasures(consents) -> list[Problem]:
    """The erased consents whose household's erasure the audit log does not record."""
    erased = (
        consents.filter(erased_at__isnull=False)
        .exclude(household__audit_events__action=AuditEvent.Action.ERASED)
        .values_list("pk", "household_id", "proposal_id")
    )
    return [
        Problem((household, proposal), f"consent {pk} is erased, but no erasure was recorded")
        for pk, household, proposal in erased
    ]


def troubled_chains(consents: list[Consent], records) -> set[tuple[int, int]]:
    """The chains (household id, proposal id) of already loaded consents whose record is
    inconsistent, against a ``Consent.history`` queryset of the same scope: one query, and one
    more only when some consent was erased (is that erasure in the audit log?)."""
    problems = chain_problems(map(Entry.of, consents), history_of(records))
    erased = [c.pk for c in consents if c.erased_at is not None]
    if erased:
        problems += unrecorded_erasures(Consent.objects.filter(pk__in=erased))
    return {problem.chain for problem in problems}


def record_problems(consent: Consent) -> list[str]:
    """Everything wrong with the record one printed consent stands for: the consent itself,
    and its household's chain for the proposal (a later answer deleted, a gap)."""
    chain = {"household_id": consent.household_id, "proposal_id": consent.proposal_id}
    problems = problems_in(Consent.objects.filter(**chain), Consent.history.filter(**chain))
    return consent.problems() + [str(problem) for problem in problems]
