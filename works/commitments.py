"""Commitments kept, in the open (issue 19, part 6): for each commitment made to residents at
a coordination meeting, how often the daily inspections checked it and how often they found
it broken, with the dates. A check marked 不适用 is not counted as a check.

What a breach does (an issue of source COMMITMENT, the status 发现违反, back to 已落实 when its
last issue is closed) is decided in works/inspecting.py."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from campaigns.models import Meeting, MeetingDecision
from core.redaction import Redactor
from works.models import Check


@dataclass
class Record:
    commitment: MeetingDecision
    checked: int = 0
    broken: int = 0
    last_checked: date | None = None
    broken_on: list[date] = field(default_factory=list)  # newest first, one per day

    @property
    def kept(self) -> int:
        return self.checked - self.broken


def records(commitments) -> list[Record]:
    """The record of each of ``commitments`` (a queryset or list), in their order. Two
    queries."""
    commitments = list(commitments)
    by_pk = {c.pk: Record(c) for c in commitments}
    if not by_pk:
        return []
    checks = (
        Check.objects.filter(commitment__in=list(by_pk))
        .exclude(result=Check.Result.NOT_APPLICABLE)
        .values_list("commitment", "result", "inspection__inspected_on")
        .order_by("-inspection__inspected_on", "-pk")
    )
    broken_days = defaultdict(set)
    for commitment_id, result, day in checks:
        record = by_pk[commitment_id]
        record.checked += 1
        if record.last_checked is None:
            record.last_checked = day
        if result == Check.Result.BROKEN:
            record.broken += 1
            if day not in broken_days[commitment_id]:
                broken_days[commitment_id].add(day)
                record.broken_on.append(day)
    return [by_pk[c.pk] for c in commitments]


def public_record(campaign, commitments=None) -> list[Record]:
    """The commitments of the campaign's published meetings, with how they were kept, for the
    public page: the text through the Redactor, no names, no photos. Three queries; one when
    the page gives the commitments it read already (redacted, in the same order); none when
    there is no commitment."""
    if commitments is None:
        redact = Redactor.for_campaign(campaign)
        commitments = list(
            MeetingDecision.objects.filter(
                is_commitment=True,
                meeting__in=Meeting.objects.published().filter(campaign=campaign),
            ).order_by("meeting__held_at", "pk")
        )
        for commitment in commitments:
            commitment.text = redact(commitment.text)
    return records(commitments)
