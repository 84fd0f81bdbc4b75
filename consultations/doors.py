"""Where each door stands: the latest visit, the signed answer, the owner trace.

The facts are columns of the household itself, kept by the domain methods that change them
(through ``consultations.models.door_state``), so a list reads, filters and counts them like
any other column and runs the same number of queries for 20 households or 2,000. Here they
become the one label a worker needs, the list filters and the counts.
"""

from datetime import date

from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from campaigns.access import may
from consultations.models import Decision, Proposal, Visit
from households.models import Household, OwnerTrace

NOT_SIGNED = ""  # a household's stored decision until an answer to the published version


class DoorStatus(models.TextChoices):
    """Where a door stands, in the one set of words every page uses for it (the door list, the
    household page, the walk sheet, the secretary's 楼盘表 and its export)."""

    NOT_VISITED = "not_visited", _("未走访")
    NOBODY_HOME = "nobody_home", _("已走访：无人在家")
    SUPPORT = "support", _("已走访：支持")
    UNDECIDED = "undecided", _("已走访：观望")
    OPPOSE = "oppose", _("已走访：反对")
    NO_STANCE = "no_stance", _("已走访：未表态")
    VISITED = "visited", _("已走访")
    OWNER_UNTRACED = "owner_untraced", _("产权人未联系上")
    SIGNED_AGREE = "signed_agree", _("已签字：同意")
    SIGNED_NOT_PAYING = "signed_not_paying", _("已签字：同意暂不出资")
    SIGNED_DISAGREE = "signed_disagree", _("已签字：不同意")
    SIGNED_ABSTAIN = "signed_abstain", _("已签字：弃权")


SIGNED_STATUS = {
    Decision.AGREE: DoorStatus.SIGNED_AGREE,
    Decision.AGREE_NOT_PAYING: DoorStatus.SIGNED_NOT_PAYING,
    Decision.DISAGREE: DoorStatus.SIGNED_DISAGREE,
    Decision.ABSTAIN: DoorStatus.SIGNED_ABSTAIN,
}
ATTITUDE_STATUS = {
    Visit.Attitude.SUPPORT: DoorStatus.SUPPORT,
    Visit.Attitude.UNDECIDED: DoorStatus.UNDECIDED,
    Visit.Attitude.OPPOSE: DoorStatus.OPPOSE,
    Visit.Attitude.NO_STANCE: DoorStatus.NO_STANCE,
}
# Whom the 观望 filter lists: those still to be won over, whether they said so or said nothing.
NOT_YET_DECIDED = (Visit.Attitude.UNDECIDED, Visit.Attitude.NO_STANCE)


class DoorFilter(models.TextChoices):
    ALL = "", _("全部")
    UNVISITED = "unvisited", _("未走访")
    FOLLOW_UP = "follow_up", _("今日及逾期跟进")
    UNDECIDED = "undecided", _("观望或未表态")
    AGAINST = "against", _("反对")
    OWNER_UNTRACED = "owner_untraced", _("产权人未联系上")
    VULNERABLE = "vulnerable", _("高龄或行动不便")


def door_status(household: Household) -> DoorStatus:
    """The one label a worker needs for a door, from its stored columns."""
    if household.decision:
        return SIGNED_STATUS[household.decision]
    if household.owner_lives_elsewhere and household.owner_trace != OwnerTrace.REACHED:
        return DoorStatus.OWNER_UNTRACED
    if household.last_visit_at is None:
        return DoorStatus.NOT_VISITED
    if household.last_reached == Visit.Reached.NOBODY:
        return DoorStatus.NOBODY_HOME
    return ATTITUDE_STATUS.get(household.last_attitude, DoorStatus.VISITED)


ADD_VISIT = "consultations.add_visit"
ADD_CONSENT = "consultations.add_consent"


def door_rows(households, user) -> list:
    """The households as rows of a door list: each with where its door stands, whether the
    user may log a visit there and whether they may take a signature there now (the role they
    hold at that door, a published proposal for its unit and no answer to it yet). One query
    for the proposals, whatever the number of rows."""
    rows = list(households)
    signable = set(
        Proposal.objects.published()
        .filter(elevator__unit__in={household.unit_id for household in rows})
        .values_list("elevator__unit", flat=True)
    )
    for household in rows:
        household.status = door_status(household)
        household.may_log = may(user, ADD_VISIT, household)
        household.may_sign = (
            household.unit_id in signable
            and household.decision == NOT_SIGNED
            and may(user, ADD_CONSENT, household)
        )
    return rows


def filter_doors(households: QuerySet, choice: str, today: date) -> QuerySet:
    """Apply one of the door filters to a household queryset."""
    if choice == DoorFilter.UNVISITED:
        return households.filter(last_visit_at__isnull=True)
    if choice == DoorFilter.FOLLOW_UP:
        return households.filter(follow_up_on__lte=today, decision=NOT_SIGNED)
    if choice == DoorFilter.UNDECIDED:
        return households.filter(last_attitude__in=NOT_YET_DECIDED, decision=NOT_SIGNED)
    if choice == DoorFilter.AGAINST:
        return households.filter(
            Q(last_attitude=Visit.Attitude.OPPOSE, decision=NOT_SIGNED)
            | Q(decision=Decision.DISAGREE)
        )
    if choice == DoorFilter.OWNER_UNTRACED:
        return households.owner_untraced().filter(decision=NOT_SIGNED)
    if choice == DoorFilter.VULNERABLE:
        return households.vulnerable()
    return households


def _counted() -> dict:
    """What ``door_counts`` adds up, as aggregates over households."""
    signed = ~Q(decision=NOT_SIGNED)
    return {
        "total": Count("pk"),
        "reached": Count("pk", filter=Q(ever_reached=True) | signed),
        "signed": Count("pk", filter=signed),
    }


def door_counts(households: QuerySet) -> dict[str, int]:
    """Totals for the top of a door list, in one query: in scope, reached, still to go."""
    counts = households.aggregate(**_counted())
    return _named(counts[name] for name in COUNT_NAMES)


COUNT_NAMES = ("total", "reached", "signed")


def _grouped_counts(households: QuerySet) -> QuerySet:
    """Rows of (unit, total, reached, signed): what ``door_counts`` adds up, unit by unit."""
    counts = households.order_by().values("unit").annotate(**_counted())
    return counts.values_list("unit", *COUNT_NAMES)


def _named(figures) -> dict[str, int]:
    """The figures, in COUNT_NAMES order, by name, with how many are still to go."""
    counts = dict(zip(COUNT_NAMES, figures, strict=True))
    counts["to_go"] = counts["total"] - counts["reached"]
    return counts


def door_counts_by_unit(households: QuerySet) -> dict[int, dict[str, int]]:
    """``door_counts`` of each unit's households among these, in one query."""
    return {unit: _named(figures) for unit, *figures in _grouped_counts(households)}
