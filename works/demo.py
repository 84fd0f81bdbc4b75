"""The second half of the demo story (``seed_demo``): a unit whose vote passed goes through
review and approval to construction.

``seed_works_demo(campaign)`` takes the unit PASSED_UNIT (seed_demo has had every household
sign) and adds, days before the day the demo is seeded: the parties and the logins of the
lawyer, the sub-district reviewer and the contractor; the packet frozen for review (the unit's
real packet PDF, rendered by consultations.packet, with its SHA-256); both reviews approved;
the works contract; a schedule counted back from the target opening date, some steps done and
one late; stand-ups with open and closed actions; inspections with photos; one closed issue
(with its "after" photo) and one open; a commitment found broken; a resident's report waiting.

Idempotent: parties and assignments are found by their natural keys, and the rest is built only
when the unit has no works site yet.
"""

import hashlib
import io
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw
from weasyprint import HTML

from campaigns.models import Assignment, Campaign, Meeting, MeetingDecision, Party, Role, Unit
from campaigns.models.parties import PartyKind
from campaigns.photos import prepare_photo
from consultations.models import Proposal
from consultations.packet import build_packet, render_packet
from works import completion
from works.models import (
    ActionItem,
    Check,
    InspectionPhoto,
    Issue,
    IssuePhoto,
    ResidentReport,
    Review,
    ReviewPacket,
    ScheduleStep,
    Site,
    StandingItem,
    StandUp,
    StepKind,
    WorksContract,
)

PASSED_UNIT = ("4栋", "1单元")
BASE_URL = "http://127.0.0.1:8000/"
OPENS_IN_DAYS = 45  # the passed unit's target opening date, from the day the demo is seeded

# kind, name, contact, phone (made up)
PARTIES = [
    (PartyKind.ELEVATOR_COMPANY, "武汉某电梯工程有限公司", "电梯公司孙工", "13907270101"),
    (PartyKind.CONTRACTOR, "武汉某建筑安装工程有限公司", "施工队周经理", "13907270202"),
    (PartyKind.PROPERTY_MANAGER, "宁康园物业服务中心", "物业吴经理", "13907270303"),
    (PartyKind.LAWYER, "湖北某律师事务所", "张律师", "13907270404"),
    (PartyKind.SUBDISTRICT, "沌口街道办事处城管办", "街道审核员小李", "02784890000"),
]
# The demo logins of the parties: username, role, the party a contractor speaks for.
PARTY_LOGINS = [
    ("lawyer", Role.LAWYER, None),
    ("reviewer", Role.REVIEWER, None),
    ("contractor", Role.CONTRACTOR, PartyKind.CONTRACTOR),
]

# The schedule's steps in order, each with its length in days and the party responsible.
STEPS = [
    (StepKind.SURVEY_DESIGN, 20, PartyKind.ELEVATOR_COMPANY),
    (StepKind.CONTRACT, 10, PartyKind.CONTRACTOR),
    (StepKind.MOBILISE, 5, PartyKind.CONTRACTOR),
    (StepKind.DEMOLISH, 10, PartyKind.CONTRACTOR),
    (StepKind.INSTALL, 30, PartyKind.ELEVATOR_COMPANY),
    (StepKind.COMMISSION, 10, PartyKind.ELEVATOR_COMPANY),
    (StepKind.INSPECTION, 7, PartyKind.ELEVATOR_COMPANY),
    (StepKind.REGISTRATION, 5, PartyKind.PROPERTY_MANAGER),
    (StepKind.OPENING, 1, PartyKind.PROPERTY_MANAGER),
]
# What happened so far: the steps done, each started and finished this many days after its
# plan (survey, contract, mobilise); demolition started two days late and is not finished
# though its planned end has passed, so it is late.
DONE_LATENESS = {
    StepKind.SURVEY_DESIGN: (0, 1),
    StepKind.CONTRACT: (1, 0),
    StepKind.MOBILISE: (0, 0),
}
LATE_STEP, LATE_STEP_STARTED_LATE_BY = StepKind.DEMOLISH, 2

NOISE_NOTICE = "每日 8:00–12:00、14:00–18:00 施工；中午 12:00–14:00 及晚上不施工。"


def planned_dates(target: date, lengths: list[int]) -> list[tuple[date, date]]:
    """Each step's planned (start, end), counted back from the target opening date: the last
    step ends on the target day, and every step ends the day before the next one starts.

    With lengths [20, 10, 5] and a target of 1 March: the last step runs 25 Feb – 1 Mar
    (5 days), the one before 15 – 24 Feb (10 days), the first 26 Jan – 14 Feb (20 days).
    """
    dates, end = [], target
    for length in reversed(lengths):
        start = end - timedelta(days=length - 1)
        dates.append((start, end))
        end = start - timedelta(days=1)
    return list(reversed(dates))


def site_photo(seed: str, *, fence: bool = True) -> ContentFile:
    """A small drawn 'photo' of the site (no people): ground, a hoarding, a crane arm."""
    rng = random.Random(seed)
    image = Image.new("RGB", (640, 480), (186, 210, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle([(0, 330), (640, 480)], fill=(150, 140, 120))
    draw.rectangle([(220, 60), (420, 360)], fill=(214, 204, 186))
    if fence:
        for x in range(0, 640, 40):
            draw.rectangle([(x, 300), (x + 34, 380)], fill=(40, 120, 190))
    arm = rng.randint(80, 160)
    draw.line([(480, 360), (480, arm), (600, arm)], fill=(230, 170, 30), width=8)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return prepare_photo(ContentFile(buffer.getvalue(), name="site.jpg"))


class WorksDemo:
    def __init__(self, campaign: Campaign, today: date) -> None:
        self.campaign, self.today = campaign, today
        users = get_user_model().objects.filter(
            username__in=["secretary", "lawyer", "reviewer", "contractor"]
        )
        self.users = {user.username: user for user in users}

    # How many days earlier than the passed unit's this demo's story happened (the completed
    # unit's review and works came months before).
    offset = 0

    def day(self, days_ago: int) -> date:
        return self.today - timedelta(days=days_ago + self.offset)

    def at(self, days_ago: int, hour: int = 10) -> datetime:
        return timezone.make_aware(datetime.combine(self.day(days_ago), time(hour)))

    def parties(self) -> dict[str, Party]:
        parties = {}
        for kind, name, contact, phone in PARTIES:
            party, _ = Party.objects.get_or_create(
                campaign=self.campaign,
                name=name,
                defaults={"kind": kind, "contact_name": contact, "contact_phone": phone},
            )
            parties[kind] = party
        community = self.campaign.community
        for username, role, kind in PARTY_LOGINS:
            party = parties[kind] if kind else None
            Assignment.objects.get_or_create(
                user=self.users[username], role=role, community=community, party=party
            )
        return parties

    def build(self, unit: Unit) -> None:
        parties = self.parties()
        site, created = Site.objects.get_or_create(
            elevator=unit.elevator,
            defaults={
                "target_open_date": self.today + timedelta(days=OPENS_IN_DAYS),
                "noise_notice": NOISE_NOTICE,
            },
        )
        if not created:
            return
        site.parties.set(parties.values())
        self.review(unit, parties)
        self.contract(site, parties)
        self.schedule(site, parties)
        self.stand_ups(parties)
        decision = self.commitments(unit)
        self.inspections(site, parties, decision)
        self.resident_report(site)

    def review(self, unit: Unit, parties) -> None:
        """The packet frozen as the vote passed (the real PDF and its hash), then the lawyer's
        and the sub-district office's approvals."""
        secretary = self.users["secretary"]
        packet = build_packet(self.campaign, [unit], base_url=BASE_URL, whole_campaign=False)
        pdf, _pages = render_packet(packet)
        proposal = Proposal.objects.published().get(elevator__unit=unit)
        kept = ReviewPacket(
            unit=unit,
            proposal=proposal,
            sha256=hashlib.sha256(pdf).hexdigest(),
            frozen_by=secretary,
        )
        kept.file.save("packet.pdf", ContentFile(pdf), save=False)
        kept.save()
        ReviewPacket.objects.filter(pk=kept.pk).update(frozen_at=self.at(62))
        for kind, days_ago, username, party, reviewer, comments in [
            (Review.Kind.LAWYER, 60, "lawyer", PartyKind.LAWYER, "张律师",
             "合同主体、价款和质保条款齐全；业主表决程序符合民法典第二百七十八条。"),
            (Review.Kind.SUBDISTRICT, 56, "reviewer", PartyKind.SUBDISTRICT, "街道审核员小李",
             "表决和公示程序完整，同意实施。"),
        ]:  # fmt: skip
            Review.objects.create(
                unit=unit,
                packet=kept,
                kind=kind,
                outcome=Review.Outcome.APPROVED,
                comments=comments,
                reviewer=reviewer,
                organisation=parties[party],
                reviewed_on=self.day(days_ago),
                recorded_by=self.users[username],
            )

    def contract(self, site: Site, parties) -> None:
        WorksContract.objects.create(
            site=site,
            contractor=parties[PartyKind.CONTRACTOR],
            signed_on=self.day(26),
            amount=Decimal("376000.00"),
            recorded_by=self.users["secretary"],
        )

    def schedule(self, site: Site, parties) -> None:
        dates = planned_dates(site.target_open_date, [length for _k, length, _p in STEPS])
        for order, ((kind, _length, party), (start, end)) in enumerate(
            zip(STEPS, dates, strict=True), start=1
        ):
            step = ScheduleStep(
                site=site,
                kind=kind,
                order=order,
                responsible=parties[party],
                planned_start=start,
                planned_end=end,
                marked_by=self.users["secretary"],
            )
            if kind in DONE_LATENESS:
                started_late, ended_late = DONE_LATENESS[kind]
                step.actual_start = start + timedelta(days=started_late)
                step.actual_end = end + timedelta(days=ended_late)
            elif kind == LATE_STEP:
                step.actual_start = start + timedelta(days=LATE_STEP_STARTED_LATE_BY)
                step.note = "拆除时发现井道内旧管线需改移，已协调物业处理。"
            step.save()

    def stand_ups(self, parties) -> None:
        secretary, contractor = self.users["secretary"], parties[PartyKind.CONTRACTOR]
        stories = [
            (3, "旧电梯轿厢拆除完毕。", "拆除导轨；清运旧件。", "井道内有旧管线需改移。"),
            (2, "导轨拆除一半。", "继续拆除导轨；联系物业改移管线。", "管线改移要等物业。"),
            (1, "物业确认改移方案。", "改移管线；完成拆除。", ""),
        ]
        for days_ago, done, plan, blockers in stories:
            stand_up = StandUp.objects.create(
                campaign=self.campaign,
                held_on=self.day(days_ago),
                done_yesterday=done,
                plan_today=plan,
                blockers=blockers,
                recorded_by=secretary,
            )
            stand_up.attendees.set(parties.values())
            if days_ago == 3:
                ActionItem.objects.create(
                    stand_up=stand_up,
                    text="清运旧电梯部件，不在楼前过夜堆放",
                    owner=contractor,
                    due_on=self.day(2),
                    closed_on=self.day(2),
                    closed_by=secretary,
                    closing_note="已于当天下午清运完毕。",
                )
            if days_ago == 2:
                ActionItem.objects.create(
                    stand_up=stand_up,
                    text="物业出具井道旧管线改移方案",
                    owner=parties[PartyKind.PROPERTY_MANAGER],
                    due_on=self.day(1),
                )
            if days_ago == 1:
                ActionItem.objects.create(
                    stand_up=stand_up,
                    text="完成拆除并报社区验收井道",
                    owner=contractor,
                    due_on=self.day(-2),
                )

    def commitments(self, unit: Unit) -> MeetingDecision:
        """The unit's coordination meeting and the promises made there; the noon rule is
        found broken."""
        meeting, _ = Meeting.objects.get_or_create(
            campaign=self.campaign,
            title=f"{unit.building.name}{unit.name}施工协调会",
            defaults={
                "unit": unit,
                "held_at": self.at(30, hour=19),
                "published_at": self.at(29, hour=9),
                "place": "社区党群服务中心二楼会议室",
                "attendees": "社区党委、物业、电梯公司、施工单位、居民代表6人",
                "summary": "确定施工时间、材料运输路线和完工后恢复绿化。",
            },
        )
        noon = meeting.decisions.create(
            text="中午 12:00–14:00 不施工。",
            is_commitment=True,
            status=MeetingDecision.Status.BREACHED,
        )
        meeting.decisions.create(
            text="材料走北侧消防通道，不占用单元门口。",
            is_commitment=True,
            status=MeetingDecision.Status.IN_PROGRESS,
        )
        return noon

    def inspections(self, site: Site, parties, noon: MeetingDecision) -> None:
        """An inspection a day for the last four days, with photos; one found the fencing open
        (fixed since, with an "after" photo), one found work going on at noon (open)."""
        secretary, contractor = self.users["secretary"], parties[PartyKind.CONTRACTOR]
        for days_ago in (4, 3, 2, 1):
            inspection = site.inspections.create(
                inspected_on=self.day(days_ago),
                inspected_at=self.at(days_ago, hour=16),
                inspector=secretary,
                summary="现场整体有序。" if days_ago != 2 else "中午 12:30 仍在切割作业。",
            )
            fencing_open = days_ago == 4
            for item in StandingItem.values:
                broken = fencing_open and item == StandingItem.FENCING
                Check.objects.create(
                    inspection=inspection,
                    item=item,
                    result=Check.Result.BROKEN if broken else Check.Result.OK,
                    note="北侧围挡缺口约两米" if broken else "",
                )
            Check.objects.create(
                inspection=inspection,
                commitment=noon,
                result=Check.Result.BROKEN if days_ago == 2 else Check.Result.OK,
                note="12:30 仍在切割导轨" if days_ago == 2 else "",
            )
            for n in range(2):
                photo = InspectionPhoto(
                    inspection=inspection,
                    caption=f"{site}工地（{n + 1}）",
                    published_at=self.at(days_ago, hour=18) if n == 0 else None,
                    published_by=secretary if n == 0 else None,
                )
                photo.image.save("site.jpg", site_photo(f"{days_ago}-{n}"), save=False)
                photo.save()
            if fencing_open:
                issue = Issue.objects.create(
                    site=site,
                    inspection=inspection,
                    description="北侧安全围挡缺口约两米，未封闭。",
                    severity=Issue.Severity.MEDIUM,
                    responsible=contractor,
                    deadline=self.day(3),
                    opened_by=secretary,
                    opened_at=self.at(4, hour=16),
                    status=Issue.Status.CLOSED,
                    closed_at=self.at(3, hour=11),
                    closed_by=self.users["contractor"],
                    resolution="已补齐围挡并加固。",
                )
                for stage, fence, by in [
                    (IssuePhoto.Stage.BEFORE, False, secretary),
                    (IssuePhoto.Stage.AFTER, True, self.users["contractor"]),
                ]:
                    photo = IssuePhoto(issue=issue, stage=stage, uploaded_by=by)
                    photo.image.save(
                        "issue.jpg", site_photo(f"fence-{stage}", fence=fence), save=False
                    )
                    photo.save()
            if days_ago == 2:
                Issue.objects.create(
                    site=site,
                    inspection=inspection,
                    commitment=noon,
                    source=Issue.Source.COMMITMENT,
                    description="违反“中午 12:00–14:00 不施工”的承诺：12:30 仍在切割导轨。",
                    severity=Issue.Severity.HIGH,
                    responsible=contractor,
                    deadline=self.day(-1),
                    opened_by=secretary,
                    opened_at=self.at(2, hour=16),
                )

    def resident_report(self, site: Site) -> None:
        report = ResidentReport(
            campaign=self.campaign,
            site=site,
            body="晚上八点多工地还有敲打的声音，家里老人睡不着。",
        )
        report.photo.save("report.jpg", site_photo("report", fence=False), save=False)
        report.save()


def seed_works_demo(campaign: Campaign, today: date | None = None) -> None:
    """The passed unit's review, approval and works, as the module's docstring tells."""
    building, name = PASSED_UNIT
    unit = Unit.objects.select_related("elevator", "building").get(
        building__campaign=campaign, building__name=building, name=name
    )
    WorksDemo(campaign, today or timezone.localdate()).build(unit)


# --- the completed unit (issue: money and completion) -----------------------------------------

COMPLETE_UNIT = ("5栋", "1单元")
OPENED_DAYS_AGO = 10  # the completed unit's elevator went into service this many days ago
MAINTAINER = ("武汉某电梯维保有限公司", "维保调度中心", "02784891234")
EMERGENCY_PHONE = "027-84891234"


class CompletedWorksDemo(WorksDemo):
    """A unit whose works are over: reviewed and approved months ago, built to a schedule
    whose steps are all done, the supervisory inspection passed, the use registered, the
    elevator opened and handed over to a maintenance company, and one fault report answered
    and fixed. (Its money is money.demo's.)"""

    offset = 75

    def build(self, unit: Unit) -> None:
        parties = self.parties()
        maintainer = self.maintainer()
        opened = self.today - timedelta(days=OPENED_DAYS_AGO)
        site, created = Site.objects.get_or_create(
            elevator=unit.elevator, defaults={"target_open_date": opened}
        )
        if not created:
            return
        site.parties.set([*parties.values(), maintainer])
        self.review(unit, parties)
        self.contract(site, parties)
        self.finished_schedule(site, parties)
        self.completion(site, maintainer)

    def maintainer(self) -> Party:
        name, contact, phone = MAINTAINER
        party, _ = Party.objects.get_or_create(
            campaign=self.campaign,
            name=name,
            defaults={
                "kind": PartyKind.MAINTAINER,
                "contact_name": contact,
                "contact_phone": phone,
            },
        )
        user = get_user_model().objects.get(username="maintainer")
        Assignment.objects.get_or_create(
            user=user, role=Role.MAINTAINER, community=self.campaign.community, party=party
        )
        return party

    def finished_schedule(self, site: Site, parties) -> None:
        """Every step done as planned, a day late here and there; the last three are closed by
        the acceptance records below."""
        dates = planned_dates(site.target_open_date, [length for _k, length, _p in STEPS])
        closed_by_completion = {StepKind.INSPECTION, StepKind.REGISTRATION, StepKind.OPENING}
        for order, ((kind, _length, party), (start, end)) in enumerate(
            zip(STEPS, dates, strict=True), start=1
        ):
            step = ScheduleStep(
                site=site,
                kind=kind,
                order=order,
                responsible=parties[party],
                planned_start=start,
                planned_end=end,
                marked_by=self.users["secretary"],
            )
            if kind not in closed_by_completion:
                step.actual_start = start
                step.actual_end = end + timedelta(days=order % 2)
            step.save()

    def completion(self, site: Site, maintainer: Party) -> None:
        secretary = self.users["secretary"]
        steps = {step.kind: step for step in site.steps.all()}
        inspected = steps[StepKind.INSPECTION].planned_end
        completion.record_inspection(
            site,
            by=secretary,
            result="passed",
            inspected_on=inspected,
            inspecting_body="武汉市特种设备监督检验所",
            report_number="TS-2026-0815",
            report=inspection_report(site, inspected),
        )
        completion.record_registration(
            site,
            by=secretary,
            certificate_number="梯鄂AW2026-0815",
            registered_on=steps[StepKind.REGISTRATION].planned_end,
        )
        completion.record_opening(site, by=secretary, opened_on=site.target_open_date)
        completion.record_handover(
            site,
            by=secretary,
            maintainer=maintainer,
            contract_start=site.target_open_date,
            contract_end=site.target_open_date + timedelta(days=365 * 2),
            emergency_phone=EMERGENCY_PHONE,
            warranty_end=site.target_open_date + timedelta(days=365 * 2),
        )
        fault = completion.report_fault(
            self.campaign, site, body="早上电梯停在 3 楼开门很慢，关门时有异响。"
        )
        fixer = get_user_model().objects.get(username="maintainer")
        completion.answer_fault(fault, by=fixer, note="已收到，维保人员 30 分钟内到场。")
        completion.fix_fault(fault, by=fixer, note="门机皮带松动，已调整并试运行正常。")
        reported = self.today - timedelta(days=OPENED_DAYS_AGO - 4)
        reported_at = timezone.make_aware(datetime.combine(reported, time(7, 40)))
        type(fault).objects.filter(pk=fault.pk).update(
            reported_at=reported_at,
            answered_at=reported_at + timedelta(minutes=25),
            fixed_at=reported_at + timedelta(hours=3, minutes=10),
        )


def inspection_report(site: Site, day: date) -> SimpleUploadedFile:
    """The supervisory inspection's report as the inspecting body would send it: a PDF."""
    html = (
        "<html><body style='font-family: sans-serif'><h1>电梯监督检验报告</h1>"
        f"<p>{site}，检验日期 {day:%Y-%m-%d}，检验结论：合格。</p></body></html>"
    )
    pdf = HTML(string=html).write_pdf()
    return SimpleUploadedFile("inspection-report.pdf", pdf, content_type="application/pdf")


def seed_completed_works_demo(campaign: Campaign, today: date | None = None) -> Unit:
    """The completed unit's review, works, acceptance and handover. Returns the unit."""
    building, name = COMPLETE_UNIT
    unit = Unit.objects.select_related("elevator", "building").get(
        building__campaign=campaign, building__name=building, name=name
    )
    CompletedWorksDemo(campaign, today or timezone.localdate()).build(unit)
    return unit
