"""Residents' reports of a problem on site, staff side: each new report is read (redacted),
then turned into an inspection issue for the responsible party or declined with a reason.
Nothing of a report is ever public; the issue it becomes is the staff's own words."""

from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from campaigns.models import Party
from works.models import InspectionPhoto, Issue, IssuePhoto, ResidentReport, Site


class AlreadyHandled(Exception):
    """The report was accepted or declined already (by someone else, a moment ago)."""


def new_report(report: ResidentReport) -> ResidentReport:
    """The report locked for handling, still new; AlreadyHandled otherwise."""
    locked = ResidentReport.objects.select_for_update().get(pk=report.pk)
    if locked.status != ResidentReport.Status.NEW:
        raise AlreadyHandled
    return locked


@transaction.atomic
def accept_report(
    report: ResidentReport,
    by,
    *,
    site: Site,
    description: str,
    severity: str,
    responsible: Party | None,
    deadline: date,
) -> Issue:
    """Open an issue from the report (source RESIDENT) and mark the report accepted. The
    report's photo, if any, goes with the issue as its "before" photo (staff only)."""
    report = new_report(report)
    issue = Issue.objects.create(
        site=site,
        source=Issue.Source.RESIDENT,
        description=description,
        severity=severity,
        responsible=responsible,
        deadline=deadline,
        opened_by=by,
    )
    photo = photo_of(report)
    if photo is not None:
        before = IssuePhoto(issue=issue, stage=IssuePhoto.Stage.BEFORE, uploaded_by=by)
        before.image.save("report.jpg", photo, save=False)
        before.save()
    report.status, report.issue, report.site = ResidentReport.Status.ACCEPTED, issue, site
    report.handled_by, report.handled_at = by, timezone.now()
    report.save(update_fields=["status", "issue", "site", "handled_by", "handled_at"])
    return issue


def photo_of(report: ResidentReport) -> ContentFile | None:
    """A copy of the report's photo (the issue keeps its own file), or None when it has none
    or its file is gone."""
    if not report.photo:
        return None
    try:
        with report.photo.open("rb") as source:
            return ContentFile(source.read(), name="report.jpg")
    except OSError:
        return None


@transaction.atomic
def decline_report(report: ResidentReport, by, reason: str) -> ResidentReport:
    report = new_report(report)
    report.status, report.decline_reason = ResidentReport.Status.DECLINED, reason
    report.handled_by, report.handled_at = by, timezone.now()
    report.save(update_fields=["status", "decline_reason", "handled_by", "handled_at"])
    return report


def publish_photo(photo: InspectionPhoto, by) -> None:
    photo.published_at, photo.published_by = timezone.now(), by
    photo.save(update_fields=["published_at", "published_by"])


def unpublish_photo(photo: InspectionPhoto) -> None:
    photo.published_at, photo.published_by = None, None
    photo.save(update_fields=["published_at", "published_by"])
