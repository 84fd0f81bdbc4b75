"""Acceptance, registration, handover and after-sales, as the portal records them: the rules
on top of works.models.completion.

An elevator is in service once its latest inspection passed, it is registered, and it opened.
Each step closes the matching step of the site's schedule with its actual date. A fault a
resident reports goes to the maintenance company responsible for the elevator at that moment.
"""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Assignment, Campaign, Elevator, PartyKind, Role
from campaigns.models.roles import assignments_of, communities_managed_by
from campaigns.photos import PhotoError, prepare_photo
from core.uploaded_pdf import UnusablePDF, check
from works.models import (
    AcceptanceInspection,
    FaultReport,
    Handover,
    Opening,
    ScheduleStep,
    Site,
    StepKind,
    UseRegistration,
)
from works.response_times import ResponseTimes, in_words, response_times

REPORT_LIMIT = 20 * 1024 * 1024  # a scanned report of a few dozen pages


class Refused(ValueError):
    """The record cannot be made; the message says why, in words for staff."""


@dataclass
class Standing:
    """Where one elevator stands at the end of the works: the current records."""

    site: Site
    inspection: AcceptanceInspection | None = None  # the latest current one
    registration: UseRegistration | None = None
    opening: Opening | None = None
    handover: Handover | None = None

    @property
    def passed(self) -> bool:
        return self.inspection is not None and self.inspection.passed

    @property
    def in_service_since(self) -> date | None:
        if self.passed and self.registration is not None and self.opening is not None:
            return self.opening.opened_on
        return None

    @property
    def in_service(self) -> bool:
        return self.in_service_since is not None


def standings(sites) -> list[Standing]:
    """Each site's standing, in four queries whatever the number of sites."""
    sites = list(sites)
    found = {site.pk: Standing(site) for site in sites}
    ids = list(found)
    inspections = AcceptanceInspection.objects.current().filter(site__in=ids)
    for each in inspections.order_by("site", "inspected_on", "pk"):
        found[each.site_id].inspection = each  # the latest wins
    for model, name in ((UseRegistration, "registration"), (Opening, "opening")):
        for each in model.objects.current().filter(site__in=ids).order_by("site", "pk"):
            setattr(found[each.site_id], name, each)
    handovers = Handover.objects.current().filter(site__in=ids).select_related("maintainer")
    for each in handovers.order_by("site", "pk"):
        found[each.site_id].handover = each
    return [found[site.pk] for site in sites]


def standing(site: Site) -> Standing:
    return standings([site])[0]


def campaign_sites(campaign: Campaign):
    return Site.objects.filter(elevator__unit__building__campaign=campaign).select_related(
        "elevator__unit__building"
    )


def every_elevator_in_service(campaign: Campaign) -> bool:
    """Whether every elevator of the campaign has a site and is in service (one half of the
    campaign closing; the other is its published settlement)."""
    elevators = Elevator.objects.filter(unit__building__campaign=campaign).count()
    if elevators == 0:
        return False
    in_service = [s for s in standings(campaign_sites(campaign)) if s.in_service]
    return len(in_service) == elevators


# The schedule: each record closes (or starts) its step with its actual date.


def close_step(site: Site, kind: str, day: date, by) -> None:
    step = ScheduleStep.objects.filter(site=site, kind=kind).first()
    if step is None:
        return
    if step.actual_start is None or step.actual_start > day:
        step.actual_start = day  # a step cannot have started after it finished
    step.actual_end, step.marked_by = day, by
    step.save(update_fields=["actual_start", "actual_end", "marked_by"])


def start_step(site: Site, kind: str, day: date, by, *, reopen: bool = False) -> None:
    step = ScheduleStep.objects.filter(site=site, kind=kind).first()
    if step is None:
        return
    if step.actual_start is None:
        step.actual_start = day
    if reopen:
        step.actual_end = None
    step.marked_by = by
    step.save(update_fields=["actual_start", "actual_end", "marked_by"])


def locked(site: Site) -> Site:
    """The site's row, locked until the transaction ends: records of one site are made one at
    a time, so two clerks cannot both supersede the same record."""
    return Site.objects.select_for_update().get(pk=site.pk)


def kept_report(upload) -> tuple[ContentFile, str, str]:
    """An uploaded report as kept: a plain PDF, or a photo (resized, without EXIF); with its
    content type and SHA-256. Refused with a message otherwise."""
    if upload.size > REPORT_LIMIT:
        raise Refused(
            _("文件超过 %(mb)s MB，请压缩或分页扫描后再上传。") % {"mb": REPORT_LIMIT // 2**20}
        )
    data = upload.read()
    upload.seek(0)
    if data.startswith(b"%PDF-"):
        try:
            check(data)
        except UnusablePDF as error:
            raise Refused(str(error)) from None
        kept, content_type = ContentFile(data, name="report.pdf"), "application/pdf"
    else:
        try:
            kept, content_type = prepare_photo(upload), "image/jpeg"
        except PhotoError as error:
            raise Refused(str(error)) from None
    digest = hashlib.sha256(kept.read()).hexdigest()
    kept.seek(0)
    return kept, content_type, digest


def record_inspection(
    site: Site,
    *,
    by,
    result: str,
    inspected_on: date,
    inspecting_body: str,
    report_number: str,
    report,
    corrects: bool = False,
) -> AcceptanceInspection:
    """Record an inspection (a correction supersedes the latest current one). A pass closes
    the schedule's inspection step; a failure starts it (and reopens it when a correction
    leaves no pass)."""
    kept, content_type, digest = kept_report(report)
    with transaction.atomic():
        site = locked(site)
        previous = standing(site).inspection if corrects else None
        if corrects and previous is None:
            raise Refused(_("没有可以更正的检验记录。"))
        inspection = AcceptanceInspection(
            site=site,
            result=result,
            inspected_on=inspected_on,
            inspecting_body=inspecting_body,
            report_number=report_number,
            content_type=content_type,
            sha256=digest,
            supersedes=previous,
            recorded_by=by,
        )
        inspection.report.save("report", kept, save=False)
        inspection.save()
        if inspection.passed:
            close_step(site, StepKind.INSPECTION, inspected_on, by)
        else:
            start_step(site, StepKind.INSPECTION, inspected_on, by, reopen=True)
    return inspection


def record_registration(
    site: Site, *, by, certificate_number: str, registered_on: date
) -> UseRegistration:
    """Register the elevator's use: only after a passed inspection, on or after its date. A
    new registration supersedes the current one."""
    with transaction.atomic():
        site = locked(site)
        now = standing(site)
        if not now.passed:
            raise Refused(
                _("这部电梯还没有合格的监督检验记录，不能办理使用登记。请先记录合格的监督检验。")
            )
        if registered_on < now.inspection.inspected_on:
            raise Refused(
                _("登记日期不能早于监督检验日期（%(day)s）。")
                % {"day": now.inspection.inspected_on.isoformat()}
            )
        registration = UseRegistration.objects.create(
            site=site,
            certificate_number=certificate_number,
            registered_on=registered_on,
            supersedes=now.registration,
            recorded_by=by,
        )
        close_step(site, StepKind.REGISTRATION, registered_on, by)
    return registration


def record_opening(site: Site, *, by, opened_on: date) -> Opening:
    """The elevator opened: only once registered, on or after the registration's date."""
    with transaction.atomic():
        site = locked(site)
        now = standing(site)
        if not now.passed or now.registration is None:
            raise Refused(_("这部电梯还没有办理使用登记，不能开通。请先记录监督检验和使用登记。"))
        if opened_on < now.registration.registered_on:
            raise Refused(
                _("开通日期不能早于使用登记日期（%(day)s）。")
                % {"day": now.registration.registered_on.isoformat()}
            )
        opening = Opening.objects.create(
            site=site, opened_on=opened_on, supersedes=now.opening, recorded_by=by
        )
        close_step(site, StepKind.OPENING, opened_on, by)
    return opening


def record_handover(
    site: Site,
    *,
    by,
    maintainer,
    contract_start: date,
    contract_end: date,
    emergency_phone: str,
    warranty_end: date,
) -> Handover:
    """Hand the elevator over to a maintenance company of the same campaign; a new handover
    supersedes the current one."""
    if maintainer.kind != PartyKind.MAINTAINER:
        raise Refused(_("请选择类别为“维保单位”的参建单位。"))
    if contract_end < contract_start:
        raise Refused(_("维保合同的结束日期不能早于开始日期。"))
    with transaction.atomic():
        site = locked(site)
        if maintainer.campaign_id != site.elevator.unit.building.campaign_id:
            raise Refused(_("请选择本项目的维保单位。"))
        try:
            with transaction.atomic():
                return Handover.objects.create(
                    site=site,
                    maintainer=maintainer,
                    contract_start=contract_start,
                    contract_end=contract_end,
                    emergency_phone=emergency_phone,
                    warranty_end=warranty_end,
                    supersedes=standing(site).handover,
                    recorded_by=by,
                )
        except IntegrityError:
            raise Refused(_("记录没有保存，请刷新页面后重试。")) from None


# Faults: reported by residents, answered and fixed by the maintenance company.


def report_fault(campaign: Campaign, site: Site, *, body: str, room: str = "") -> FaultReport:
    """A resident's fault report, sent to the elevator's current maintenance company."""
    handover = standing(site).handover
    return FaultReport.objects.create(
        campaign=campaign,
        site=site,
        maintainer=handover.maintainer if handover else None,
        body=body,
        room=room,
    )


def tickets_for(user):
    """The fault reports a user may see: a maintenance company's people see those sent to
    their company; a secretary sees every one of their communities; a superuser all."""
    if not user.is_authenticated:
        return FaultReport.objects.none()
    if user.is_superuser:
        return FaultReport.objects.all()
    maintainers = Assignment.objects.filter(user=user, role=Role.MAINTAINER).values("party")
    scope = Q(campaign__community__in=communities_managed_by(user))
    if any(place.role == Role.MAINTAINER for place in assignments_of(user)):
        scope |= Q(maintainer__in=maintainers)
    return FaultReport.objects.filter(scope)


def answer_fault(fault: FaultReport, *, by, note: str) -> None:
    """The maintenance company answers: it has seen the report and is on its way."""
    with transaction.atomic():
        fault = FaultReport.objects.select_for_update().get(pk=fault.pk)
        if fault.answered_at is not None:
            raise Refused(_("这条报修已经响应过了。"))
        fault.answered_at, fault.answered_by, fault.answer_note = timezone.now(), by, note
        fault.save(update_fields=["answered_at", "answered_by", "answer_note"])


def fix_fault(fault: FaultReport, *, by, note: str) -> None:
    """The fault is fixed (an unanswered report counts as answered at the same moment)."""
    with transaction.atomic():
        fault = FaultReport.objects.select_for_update().get(pk=fault.pk)
        if fault.fixed_at is not None:
            raise Refused(_("这条报修已经标记为修复了。"))
        now = timezone.now()
        fields = ["fixed_at", "fixed_by", "fix_note"]
        if fault.answered_at is None:
            fault.answered_at, fault.answered_by = now, by
            fields += ["answered_at", "answered_by"]
        fault.fixed_at, fault.fixed_by, fault.fix_note = now, by, note
        fault.save(update_fields=fields)


# The public page: what residents see of acceptance and after-sales.


@dataclass
class AfterSales:
    """One elevator on the public page: no person, only the organisation and numbers."""

    name: str
    in_service_since: date | None
    maintainer: str
    emergency_phone: str
    warranty_end: date | None
    times: ResponseTimes

    @property
    def median_to_answer(self) -> str:
        return in_words(self.times.median_to_answer)

    @property
    def median_to_fix(self) -> str:
        return in_words(self.times.median_to_fix)


def public_after_sales(campaign: Campaign) -> dict:
    """The context of templates/works/public/_after_sales.html, in six queries (one while the
    campaign has no works site): per elevator in service or handed over, since when it runs,
    who maintains it, the emergency number, the warranty, and how fast its faults were
    answered and fixed."""
    rows = [s for s in standings(campaign_sites(campaign)) if s.in_service or s.handover]
    faults: dict[int, list] = {}
    reported = FaultReport.objects.filter(site__in=[row.site.pk for row in rows]).order_by()
    for site_id, *times in reported.values_list("site", "reported_at", "answered_at", "fixed_at"):
        faults.setdefault(site_id, []).append(times)
    elevators = [
        AfterSales(
            name=str(row.site.elevator.unit),
            in_service_since=row.in_service_since,
            maintainer=row.handover.maintainer.name if row.handover else "",
            emergency_phone=row.handover.emergency_phone if row.handover else "",
            warranty_end=row.handover.warranty_end if row.handover else None,
            times=response_times(faults.get(row.site.pk, [])),
        )
        for row in rows
    ]
    return {
        "after_sales": elevators,
        "fault_reports_open": any(e.in_service_since for e in elevators),
    }
