"""The secretary's audit trail: who created, changed, exported or looked at what, and when.

Changes to households, owners, visits, owner tracing, proposals and consents come from their
history tables (django-simple-history records every save with the user of the request);
exports, looks at a full phone number and erasures from ``households.models.AuditEvent``.
One query per source, whatever the size of the community.
"""

from dataclasses import dataclass
from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from campaigns.access import secretary_required
from campaigns.models import Campaign
from consultations.models import Consent, Proposal, Visit
from households.models import AuditEvent, Household, Owner, TraceAttempt

LIMIT = 200
CHANGE = {"+": _("新建"), "~": _("修改"), "-": _("删除")}
# source: (history manager, path from the history row to its household, what it is)
SOURCES = [
    (Household.history, "", _("住户")),
    (Owner.history, "household__", _("产权人")),
    (Visit.history, "household__", _("走访记录")),
    (TraceAttempt.history, "household__", _("寻找产权人")),
    (Consent.history, "household__", _("签字")),
]


@dataclass
class Entry:
    at: datetime
    who: str
    action: str
    kind: str
    subject: str
    household_id: int | None


def history_entries(manager, household: str, kind, communities) -> list[Entry]:
    household_id = f"{household}id" if household else "id"
    rows = (
        manager.filter(**{f"{household}unit__building__campaign__community__in": communities})
        .order_by("-history_date", "-history_id")
        .values(
            "history_date",
            "history_type",
            "history_user__username",
            household_id,
            f"{household}unit__building__name",
            f"{household}unit__name",
            f"{household}room",
        )[:LIMIT]
    )
    return [
        Entry(
            at=row["history_date"],
            who=row["history_user__username"] or "—",
            action=str(CHANGE.get(row["history_type"], row["history_type"])),
            kind=str(kind),
            subject=(
                f"{row[f'{household}unit__building__name']}{row[f'{household}unit__name']} "
                f"{row[f'{household}room']}"
            ),
            household_id=row[household_id],
        )
        for row in rows
    ]


def proposal_entries(communities) -> list[Entry]:
    rows = (
        Proposal.history.filter(elevator__unit__building__campaign__community__in=communities)
        .order_by("-history_date", "-history_id")
        .values(
            "history_date",
            "history_type",
            "history_user__username",
            "elevator__unit__building__name",
            "elevator__unit__name",
            "version",
            "status",
        )[:LIMIT]
    )
    statuses = dict(Proposal.Status.choices)
    return [
        Entry(
            at=row["history_date"],
            who=row["history_user__username"] or "—",
            action=str(CHANGE.get(row["history_type"], row["history_type"])),
            kind=str(_("费用分摊方案")),
            subject=(
                f"{row['elevator__unit__building__name']}{row['elevator__unit__name']} "
                f"v{row['version']} · {statuses.get(row['status'], row['status'])}"
            ),
            household_id=None,
        )
        for row in rows
    ]


def event_entries(communities) -> list[Entry]:
    events = AuditEvent.objects.filter(community__in=communities).select_related("actor")[:LIMIT]
    return [
        Entry(
            at=e.at,
            who=e.actor.get_username(),
            action=e.get_action_display(),
            kind=str(_("操作")),
            subject=e.subject,
            household_id=e.household_id,
        )
        for e in events
    ]


@require_safe
@secretary_required
def audit_trail(request: HttpRequest) -> HttpResponse:
    """The newest entries of every kind in the secretary's communities, newest first."""
    communities = list(
        Campaign.objects.managed_by(request.user).values_list("community", flat=True).distinct()
    )
    entries = [*event_entries(communities), *proposal_entries(communities)]
    for manager, household, kind in SOURCES:
        entries += history_entries(manager, household, kind, communities)
    entries.sort(key=lambda e: e.at, reverse=True)
    return render(request, "portal/audit.html", {"entries": entries[:LIMIT], "limit": LIMIT})
