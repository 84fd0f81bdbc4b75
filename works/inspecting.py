"""The daily inspection (每日巡查) and the issues it finds, as plain functions over the models.

Rules decided here (issue 19, part 5):

- **The checklist** of a site is the standing items (StandingItem) and every commitment
  (MeetingDecision marked is_commitment) of a meeting of the site's unit or of a campaign-wide
  meeting (no unit), published or not: a promise binds from the day it is made.
- **An item marked 不符合** opens an issue, prefilled from the item, unless the inspector says
  not to. **A broken commitment always opens one** (source COMMITMENT): every breach is
  followed until it is fixed, and the commitment's status becomes 发现违反 (BREACHED).
- **Closing an issue needs an "after" photo** given with the closing itself (IssuePhoto stage
  AFTER) and a note of what was done. Closing the last open issue of a breached commitment puts
  it back to 已落实 (DONE): the promise is being kept again.
- **Reopening** (the secretary only, when the fix did not hold) keeps the record: the issue is
  open again, the reason is added to its resolution note, the old "after" photos stay, closing
  again needs a new one, and a commitment it concerns is 发现违反 again. Nothing is deleted.
- **One inspection per site per day is the norm.** The days counted start on the actual start
  of the 进场 step of the site's schedule or, while that is not recorded, on the day of the
  site's first inspection (a site never inspected and not started has no days to miss); they
  end on the actual end of the 开通 step, once the lift is open. Today is "not yet done" until
  an inspection is recorded; the days before it without one are "missed".
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.access import may
from campaigns.models import MeetingDecision, Party, Role, Unit
from campaigns.models.roles import Assignment
from works.models import (
    Check,
    Inspection,
    InspectionPhoto,
    Issue,
    IssuePhoto,
    ScheduleStep,
    Site,
    StandingItem,
    StepKind,
)

DEFAULT_DEADLINE_DAYS = 3
MISSED_DAYS_SHOWN = 7


# --- the checklist ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of a site's checklist: a standing item or a commitment."""

    key: str  # the form's prefix: "item-fencing", "commitment-12"
    label: str
    item: str = ""
    commitment: MeetingDecision | None = None


def commitments_for(site: Site):
    """The commitments a site's inspections check: those of meetings of its unit, and of
    campaign-wide meetings, oldest first."""
    unit = site.elevator.unit
    return (
        MeetingDecision.objects.filter(
            is_commitment=True, meeting__campaign_id=unit.building.campaign_id
        )
        .filter(Q(meeting__unit=unit.pk) | Q(meeting__unit__isnull=True))
        .order_by("meeting__held_at", "pk")
    )


def checklist(site: Site) -> list[Line]:
    """The standing items, then every commitment that applies to the site (one query)."""
    lines = [Line(f"item-{value}", str(label), item=value) for value, label in StandingItem.choices]
    lines += [Line(f"commitment-{d.pk}", d.text, commitment=d) for d in commitments_for(site)]
    return lines


# --- recording an inspection --------------------------------------------------------------------


@dataclass
class IssueDraft:
    description: str
    severity: str
    responsible: Party | None
    deadline: date
    photos: list = field(default_factory=list)  # prepared "before" photos (ContentFile)


@dataclass
class Mark:
    """What the inspector found for one line, and the issue it opens (None: no issue)."""

    line: Line
    result: str
    note: str = ""
    issue: IssueDraft | None = None


def default_deadline(day: date) -> date:
    return day + timedelta(days=DEFAULT_DEADLINE_DAYS)


def issue_text(line: Line, note: str) -> str:
    return f"{line.label}：{note}" if note else line.label


@transaction.atomic
def record_inspection(
    site: Site,
    inspector,
    *,
    marks: list[Mark],
    summary: str = "",
    photos=(),
    issues=(),
    day: date | None = None,
) -> Inspection:
    """Record an inspection with its checklist, photos and the issues it found. A broken
    commitment opens an issue even when none was drafted, and is marked 发现违反."""
    now = timezone.now()
    inspection = Inspection.objects.create(
        site=site,
        inspector=inspector,
        inspected_on=day or timezone.localdate(),
        inspected_at=now,
        summary=summary,
    )
    Check.objects.bulk_create(
        Check(
            inspection=inspection,
            item=mark.line.item,
            commitment=mark.line.commitment,
            result=mark.result,
            note=mark.note,
        )
        for mark in marks
    )
    for photo in photos:
        InspectionPhoto.objects.create(inspection=inspection, image=photo)
    breached = []
    for mark in marks:
        if mark.result != Check.Result.BROKEN:
            continue
        commitment = mark.line.commitment
        draft = mark.issue
        if draft is None and commitment is None:
            continue
        if draft is None:
            draft = IssueDraft(
                issue_text(mark.line, mark.note),
                Issue.Severity.MEDIUM,
                None,
                default_deadline(inspection.inspected_on),
            )
        open_issue(
            inspection,
            draft,
            inspector,
            commitment=commitment,
            source=Issue.Source.COMMITMENT if commitment else Issue.Source.INSPECTION,
        )
        if commitment is not None:
            breached.append(commitment.pk)
    for draft in issues:
        open_issue(inspection, draft, inspector)
    if breached:
        MeetingDecision.objects.filter(pk__in=breached).update(
            status=MeetingDecision.Status.BREACHED
        )
    return inspection


def open_issue(inspection: Inspection, draft: IssueDraft, by, **kw) -> Issue:
    issue = Issue.objects.create(
        site=inspection.site,
        inspection=inspection,
        description=draft.description,
        severity=draft.severity,
        responsible=draft.responsible,
        deadline=draft.deadline,
        opened_by=by,
        **kw,
    )
    for photo in draft.photos:
        IssuePhoto.objects.create(
            issue=issue, stage=IssuePhoto.Stage.BEFORE, image=photo, uploaded_by=by
        )
    return issue


# --- closing and reopening issues ---------------------------------------------------------------


class CannotClose(ValueError):
    """The issue cannot be closed as asked; the message says why."""


@transaction.atomic
def close_issue(issue: Issue, by, *, resolution: str, after_photos) -> Issue:
    """Close an open issue with what was done and at least one "after" photo. The commitment
    it concerns is 已落实 again once none of its issues is open."""
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if issue.status == Issue.Status.CLOSED:
        raise CannotClose(_("这个问题已经整改完毕。"))
    if not after_photos:
        raise CannotClose(_("请上传整改后的照片。"))
    if not resolution.strip():
        raise CannotClose(_("请写明整改情况。"))
    for photo in after_photos:
        IssuePhoto.objects.create(
            issue=issue, stage=IssuePhoto.Stage.AFTER, image=photo, uploaded_by=by
        )
    issue.status = Issue.Status.CLOSED
    issue.closed_at, issue.closed_by = timezone.now(), by
    issue.resolution = "\n".join(filter(None, [issue.resolution, resolution.strip()]))
    issue.save(update_fields=["status", "closed_at", "closed_by", "resolution"])
    if issue.commitment_id and not Issue.objects.open().filter(commitment=issue.commitment_id):
        MeetingDecision.objects.filter(
            pk=issue.commitment_id, status=MeetingDecision.Status.BREACHED
        ).update(status=MeetingDecision.Status.DONE)
    return issue


@transaction.atomic
def reopen_issue(issue: Issue, by, *, reason: str) -> Issue:
    """Open a closed issue again, the reason added to its record; its commitment is 发现违反
    again."""
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if issue.status == Issue.Status.OPEN:
        return issue
    when = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    line = _("%(when)s 重新打开（%(who)s）：%(reason)s") % {
        "when": when,
        "who": by.get_full_name() or by.get_username(),
        "reason": reason.strip(),
    }
    issue.status = Issue.Status.OPEN
    issue.closed_at = issue.closed_by = None
    issue.resolution = "\n".join(filter(None, [issue.resolution, line]))
    issue.save(update_fields=["status", "closed_at", "closed_by", "resolution"])
    if issue.commitment_id:
        MeetingDecision.objects.filter(pk=issue.commitment_id).update(
            status=MeetingDecision.Status.BREACHED
        )
    return issue


# --- who sees which sites and issues --------------------------------------------------------


def party_ids_of(user) -> list[int]:
    """The parties the user answers for as a contractor."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_contractor_parties"):
        rows = Assignment.objects.filter(user=user, role=Role.CONTRACTOR)
        user._contractor_parties = sorted(rows.values_list("party", flat=True))
    return user._contractor_parties


def sites_for(user, permission: str = "works.view_inspection"):
    """The works sites where the user holds ``permission`` (their building or unit; the
    secretary's whole community), with what their pages read. A list, in the sites' order."""
    sites = Site.objects.filter(elevator__unit__in=Unit.objects.for_user(user)).select_related(
        "elevator__unit__building__campaign__community"
    )
    return [site for site in sites if may(user, permission, site)]


def issues_of_contractor(user):
    """The issues of the parties the user answers for: nothing else."""
    return Issue.objects.filter(responsible__in=party_ids_of(user))


def is_contractor_for(user, issue: Issue) -> bool:
    return issue.responsible_id is not None and issue.responsible_id in party_ids_of(user)


# --- the days inspected and missed --------------------------------------------------------------


def missed_days(start: date | None, end: date, done: set[date]) -> list[date]:
    """The days from ``start`` up to ``end`` (both included) with no inspection, oldest first."""
    if start is None or end < start:
        return []
    return [
        start + timedelta(days=n)
        for n in range((end - start).days + 1)
        if start + timedelta(days=n) not in done
    ]


@dataclass
class SiteDays:
    site: Site
    start: date | None  # the first day an inspection is due
    done_today: bool
    missed: list[date]  # before today
    inspected: int  # inspections counted in the days

    @property
    def missed_recent(self) -> list[date]:
        return self.missed[-MISSED_DAYS_SHOWN:][::-1]


def site_days(sites: list[Site], today: date) -> list[SiteDays]:
    """For each site: whether today's inspection is done and which days were missed. Two
    queries whatever the number of sites."""
    ids = [site.pk for site in sites]
    steps = ScheduleStep.objects.filter(
        site__in=ids, kind__in=[StepKind.MOBILISE, StepKind.OPENING]
    ).values_list("site", "kind", "actual_start", "actual_end")
    started, opened = {}, {}
    for site_id, kind, actual_start, actual_end in steps:
        if kind == StepKind.MOBILISE and actual_start:
            started[site_id] = actual_start
        if kind == StepKind.OPENING and actual_end:
            opened[site_id] = actual_end
    days: dict[int, set[date]] = defaultdict(set)
    rows = Inspection.objects.filter(site__in=ids).values_list("site", "inspected_on").distinct()
    for site_id, day in rows.order_by():
        days[site_id].add(day)
    result = []
    for site in sites:
        done = days[site.pk]
        start = started.get(site.pk) or (min(done) if done else None)
        end = min(today - timedelta(days=1), opened.get(site.pk, today))
        result.append(
            SiteDays(
                site=site,
                start=start,
                done_today=today in done,
                missed=missed_days(start, end, done),
                inspected=len(done),
            )
        )
    return result


# --- the dashboard and the daily summary --------------------------------------------------------


def overdue_issues(sites: list[Site], today: date):
    return (
        Issue.objects.overdue(today)
        .filter(site__in=[s.pk for s in sites])
        .select_related("site__elevator__unit__building", "responsible")
        .order_by("deadline", "pk")
    )


def dashboard(user, campaign, today: date) -> dict:
    """What the campaign dashboard shows of the works: each of the user's sites with today's
    inspection and its missed days, and the overdue issues. Four queries (one without
    sites)."""
    sites = [s for s in sites_for(user) if s.elevator.unit.building.campaign_id == campaign.pk]
    if not sites:  # before the works: one query
        return {"works_days": [], "works_overdue": []}
    return {
        "works_days": site_days(sites, today),
        "works_overdue": list(overdue_issues(sites, today)),
    }


def summary_items(campaign, day: date) -> list[str]:
    """The daily summary's lines about the sites (counts only, nothing personal): inspections
    done that day, and open and overdue issues per site."""
    sites = list(
        Site.objects.filter(elevator__unit__building__campaign=campaign).select_related(
            "elevator__unit__building"
        )
    )
    if not sites:
        return []
    inspected = set(
        Inspection.objects.filter(site__in=sites, inspected_on=day).values_list("site", flat=True)
    )
    open_by_site: dict[int, int] = defaultdict(int)
    overdue_by_site: dict[int, int] = defaultdict(int)
    for site_id, deadline in (
        Issue.objects.open().filter(site__in=sites).values_list("site", "deadline")
    ):
        open_by_site[site_id] += 1
        if deadline < day:
            overdue_by_site[site_id] += 1
    lines = []
    for site in sites:
        unit = site.elevator.unit
        text = _("%(unit)s：%(state)s；待整改 %(open)s 项，其中逾期 %(overdue)s 项") % {
            "unit": f"{unit.building.name}{unit.name}",
            "state": _("已巡查") if site.pk in inspected else _("未巡查"),
            "open": open_by_site[site.pk],
            "overdue": overdue_by_site[site.pk],
        }
        lines.append(text)
    return lines


def private_image(image) -> FileResponse:
    """A stored site or issue photo (a JPEG prepare_photo wrote) for the views that checked
    who asks, never kept by a shared cache."""
    try:
        response = FileResponse(image.open("rb"), content_type="image/jpeg")
    except FileNotFoundError:
        raise Http404 from None
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
