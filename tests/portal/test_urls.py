"""Every URL in the URL conf answers without a server error for the role allowed to use it."""

import io
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from pypdf import PdfWriter

from campaigns.models import Elevator, MeetingDecision, ProgressUpdate, Question
from consultations.models import Consent, PacketFile, Proposal
from consultations.packet import verification_code
from consultations.signing import other_titles, record_consent
from households.models import Household, Person
from money.models import Entry, FundApplication, Settlement
from tests.factories import PNG_1PX, make_in_service
from tests.works.review_helpers import REVIEW_URLS, review_url_kwargs
from works import completion
from works.models import (
    START_STEP,
    ActionItem,
    FaultReport,
    Inspection,
    InspectionPhoto,
    Issue,
    IssuePhoto,
    ResidentReport,
    Site,
    StandUp,
)
from works.scheduling import create_schedule

pytestmark = pytest.mark.django_db

# Every named URL outside the admin, with who may use it. A new URL must be added here.
SITE_URLS = {
    "home": "anonymous",
    "start": "secretary",
    "secretary": "secretary",
    "public_campaign": "anonymous",
    "healthz": "anonymous",
    "favicon": "anonymous",
    "service_worker": "anonymous",
    "manifest": "anonymous",
    "offline_scope": "grid1",
    "offline_page": "grid1",
    "login": "anonymous",
    "logout": "secretary",
    "consultations:my_doors": "grid1",
    "consultations:follow_ups": "grid1",
    "consultations:household": "grid1",
    "consultations:log_visit": "grid1",
    "consultations:log_trace": "grid1",
    "consultations:record_needs": "lead1",
    "consultations:outage_help": "secretary",
    "consultations:outage_help_pdf": "grid1",
    "consultations:owner_phone": "grid1",
    "consultations:export_household_data": "secretary",
    "consultations:erase_household_data": "secretary",
    "consultations:people": "secretary",
    "consultations:link_owners": "secretary",
    "consultations:split_owner": "secretary",
    "consultations:person_kind": "secretary",
    "audit_trail": "secretary",
    "consultations:edit_visit": "grid1",
    "consultations:activity": "secretary",
    "consultations:unit_walk_sheet": "grid1",
    "consultations:building_walk_sheet": "lead1",
    "consultations:cost_sheet": "grid1",
    "consultations:sign": "grid1",
    "consultations:signature_file": "grid1",
    "consultations:attorney_letter_file": "grid1",
    "consultations:unit_consent": "secretary",
    "consultations:unit_proposals": "secretary",
    "consultations:new_proposal": "secretary",
    "consultations:proposal": "grid1",
    "consultations:edit_proposal": "secretary",
    "consultations:publish_proposal": "secretary",
    "consultations:add_matter": "secretary",
    "consultations:edit_matter": "secretary",
    "consultations:remove_matter": "secretary",
    "consultations:unit_packet": "secretary",
    "consultations:campaign_packet": "secretary",
    "consultations:packet_page": "secretary",
    "consultations:request_packet": "secretary",
    "consultations:packet_status": "secretary",
    "consultations:packet_download": "secretary",
    "consultations:consent_form": "grid1",
    "verify_consent": "anonymous",
    "set_language": "anonymous",
    "dashboard:index": "secretary",
    "dashboard:campaign": "grid1",
    "dashboard:grid": "grid1",
    "dashboard:export_xlsx": "secretary",
    "dashboard:export_csv": "secretary",
    "dashboard:import": "secretary",
    "public_questions": "anonymous",
    "ask": "anonymous",
    "display": "anonymous",
    "daily_summary": "secretary",
    "campaigns:list": "grid1",
    "campaigns:hub": "grid1",
    "campaigns:updates": "grid1",
    "campaigns:new_update": "grid1",
    "campaigns:edit_update": "grid1",
    "campaigns:publish_update": "grid1",
    "campaigns:meetings": "grid1",
    "campaigns:new_meeting": "grid1",
    "campaigns:edit_meeting": "grid1",
    "campaigns:decision_status": "grid1",
    "campaigns:milestones": "grid1",
    "campaigns:add_milestone": "secretary",
    "campaigns:edit_milestone": "grid1",
    "campaigns:set_target": "secretary",
    "campaigns:questions": "grid1",
    "campaigns:answer_question": "grid1",
    "campaigns:moderate_question": "secretary",
    "money:campaign": "secretary",
    "money:outstanding": "secretary",
    "money:fund": "secretary",
    "money:fund_accounts": "secretary",
    "money:post_notice": "secretary",
    "money:notice_pdf": "grid1",
    "money:fund_packet": "secretary",
    "money:contract": "secretary",
    "money:record_approval": "secretary",
    "money:household": "secretary",
    "money:record_entry": "secretary",
    "money:reverse_entry": "secretary",
    "money:receipt": "grid1",
    "money:proof": "grid1",
    "money:settlement": "secretary",
    "money:publish_settlement": "secretary",
    "money:settlement_document": "grid1",
    "works:completion": "secretary",
    "works:site_completion": "secretary",
    "works:record_inspection": "secretary",
    "works:record_registration": "secretary",
    "works:record_opening": "secretary",
    "works:record_handover": "secretary",
    "works:inspection_report": "secretary",
    "works:report_fault": "anonymous",
    "works:my_tickets": "secretary",
    "works:ticket": "secretary",
    "works:answer_ticket": "secretary",
    "works:fix_ticket": "secretary",
    "works:schedules": "grid1",
    "works:timeline_print": "secretary",
    "works:start_schedule": "secretary",
    "works:site_schedule": "grid1",
    "works:move_opening": "secretary",
    "works:edit_step": "secretary",
    "works:mark_step": "secretary",
    "works:standups": "grid1",
    "works:new_standup": "grid1",
    "works:standup": "grid1",
    "works:close_action": "grid1",
    # the review pages (the secretary may use them all; the matrix has the reviewers')
    "works:parties": "secretary",
    "works:new_party": "secretary",
    "works:edit_party": "secretary",
    "works:accounts": "secretary",
    "works:new_account": "secretary",
    "works:reset_password": "secretary",
    "works:review_overview": "secretary",
    "works:review_home": "secretary",
    "works:review_unit": "secretary",
    "works:freeze_packet": "secretary",
    "works:add_review": "secretary",
    "works:record_contract": "secretary",
    "works:packet_file": "secretary",
    "works:review_document": "secretary",
    "works:contract_file": "secretary",
    "works:inspections": "grid1",
    "works:inspection": "grid1",
    "works:site_inspections": "grid1",
    "works:new_inspection": "grid1",
    "works:inspection_photo": "grid1",
    "works:my_issues": "contractor",
    "works:issue": "contractor",
    "works:close_issue": "contractor",
    "works:reopen_issue": "secretary",
    "works:issue_photo": "contractor",
    "works:issues": "secretary",
    "works:report_problem": "anonymous",
    "works:public_photo": "anonymous",
    "works:reports": "secretary",
    "works:report": "secretary",
    "works:accept_report": "secretary",
    "works:decline_report": "secretary",
    "works:report_photo": "secretary",
    "works:site_photos": "secretary",
    "works:publish_photo": "secretary",
    "works:site_photo": "secretary",
    "works:noise_notice": "secretary",
}
POSTED = {
    "logout",
    "set_language",
    "consultations:log_visit",
    "consultations:log_trace",
    "consultations:record_needs",
    "consultations:sign",
    "consultations:new_proposal",
    "consultations:publish_proposal",
    "consultations:remove_matter",
    "consultations:request_packet",
    "consultations:link_owners",
    "consultations:split_owner",
    "consultations:person_kind",
    "dashboard:import",
    "ask",
    "campaigns:publish_update",
    "campaigns:decision_status",
    "campaigns:add_milestone",
    "campaigns:set_target",
    "campaigns:answer_question",
    "campaigns:moderate_question",
    "money:fund_accounts",
    "money:post_notice",
    "money:record_approval",
    "money:record_entry",
    "money:reverse_entry",
    "money:publish_settlement",
    "works:record_inspection",
    "works:record_registration",
    "works:record_opening",
    "works:record_handover",
    "works:report_fault",
    "works:answer_ticket",
    "works:fix_ticket",
    "works:start_schedule",
    "works:move_opening",
    "works:mark_step",
    "works:close_action",
    "works:new_account",
    "works:reset_password",
    "works:freeze_packet",
    "works:close_issue",
    "works:reopen_issue",
    "works:report_problem",
    "works:accept_report",
    "works:decline_report",
    "works:publish_photo",
    "works:noise_notice",
}


def named_patterns(patterns, prefix="") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= named_patterns(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


@pytest.fixture
def site(demo, settings):
    """The demo campaign (tests/conftest.py) as these tests use it: its users, the campaign, a
    household of 1栋1单元 with visits and a signed consent, and a kept packet file."""
    settings.MEDIA_ROOT = demo.media  # the demo's photos are served
    works = works_of_demo(demo.campaign, files=True)
    users = demo.users
    household = (
        Household.objects.for_user(users["grid1"])
        .filter(visits__isnull=False, consents__isnull=False)
        .first()
    )
    return {
        "users": users,
        "campaign": demo.campaign,
        "household": household,
        "packet_file": kept_packet_file(demo.campaign),
        "works": works,
    }


def kept_packet_file(campaign) -> PacketFile:
    """A finished packet file, as the background worker leaves one (its bytes made up)."""
    pdf = b"%PDF-1.4\n% a kept packet\n%%EOF\n"
    job = PacketFile.objects.create(
        campaign=campaign, fingerprint="0" * 64, base_url="http://testserver/"
    )
    job.start(parts_total=1)
    job.finish(pdf, pages=1)
    return job


def client_for(site, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(site["users"][role])
    return client


def site_url(name: str, site) -> str:
    household = site["household"]
    proposal = Proposal.objects.published().get(elevator__unit=household.unit_id)
    draft = Proposal.new_draft(proposal.elevator, site["users"]["secretary"])
    kwargs = {
        "public_campaign": {"slug": site["campaign"].slug},
        "consultations:household": {"pk": household.pk},
        "consultations:log_visit": {"pk": household.pk},
        "consultations:log_trace": {"pk": household.pk},
        "consultations:record_needs": {"pk": household.pk},
        "consultations:outage_help": {"slug": site["campaign"].slug},
        "consultations:outage_help_pdf": {"slug": site["campaign"].slug},
        "consultations:owner_phone": {
            "pk": household.pk,
            "owner_pk": household.owners.exclude(phone="").first().pk,
        },
        "consultations:export_household_data": {"pk": household.pk},
        "consultations:erase_household_data": {"pk": household.pk},
        "consultations:edit_visit": {"pk": household.visits.first().pk},
        "consultations:unit_walk_sheet": {"pk": household.unit_id},
        "consultations:building_walk_sheet": {"pk": household.unit.building_id},
        "consultations:cost_sheet": {"pk": household.pk},
        "consultations:sign": {"pk": household.pk},
        "consultations:signature_file": {"pk": household.consents.first().pk},
        "consultations:unit_consent": {"pk": household.unit_id},
        "consultations:unit_proposals": {"pk": household.unit_id},
        "consultations:new_proposal": {"pk": household.unit_id},
        "consultations:proposal": {"pk": proposal.pk},
        "consultations:edit_proposal": {"pk": draft.pk},
        "consultations:publish_proposal": {"pk": draft.pk},
        "consultations:add_matter": {"pk": draft.pk},
        "consultations:edit_matter": {"pk": draft.pk, "number": 1},
        "consultations:remove_matter": {"pk": draft.pk, "number": 1},
        "consultations:unit_packet": {"pk": household.unit_id},
        "consultations:campaign_packet": {"slug": site["campaign"].slug},
        "consultations:packet_page": {"slug": site["campaign"].slug},
        "consultations:request_packet": {"slug": site["campaign"].slug},
        "consultations:packet_status": {"pk": site["packet_file"].pk},
        "consultations:packet_download": {"pk": site["packet_file"].pk},
        "consultations:consent_form": {"pk": household.pk},
        "verify_consent": {"code": verification_code(household.consents.first())},
        "consultations:people": {"slug": site["campaign"].slug},
        "consultations:link_owners": {"slug": site["campaign"].slug},
        "consultations:split_owner": {
            "slug": site["campaign"].slug,
            "pk": household.owners.first().pk,
        },
        "consultations:person_kind": {"slug": site["campaign"].slug, "pk": person_of(household).pk},
    }.get(name, {})
    if name == "consultations:attorney_letter_file":  # recorded only when asked for
        kwargs = {"pk": agent_consent(household).pk}
    if name.startswith("dashboard:") and name != "dashboard:index":
        kwargs = {"slug": site["campaign"].slug}
    if name.startswith("campaigns:") or name in {"public_questions", "ask", "daily_summary"}:
        kwargs = campaign_url_kwargs(name, site["campaign"])
    if name.startswith("money:"):
        kwargs = money_url_kwargs(name, site)
    if name in COMPLETION_URLS:
        kwargs = completion_url_kwargs(name, site)
    elif name in REVIEW_URLS:
        kwargs = review_url_kwargs(name, household.unit)
    elif name in SCHEDULE_URLS:
        kwargs = schedule_url_kwargs(name, site)
    elif name in RESIDENTS_WORKS_URLS:
        kwargs = residents_works_url_kwargs(name, site["campaign"])
    elif name.startswith("works:"):
        kwargs = works_url_kwargs(name, site.get("works") or works_of_demo(site["campaign"]))
    return reverse(name, kwargs=kwargs)


def money_url_kwargs(name: str, site) -> dict:
    """The household's unit with its fund notice over (a contract attached), an entry with
    a scanned proof, and a final cost entered with its document (not published)."""
    household = site["household"]
    proposal = Proposal.objects.published().get(elevator__unit=household.unit_id)
    secretary = site["users"]["secretary"]
    application, _created = FundApplication.objects.get_or_create(
        proposal=proposal, defaults={"created_by": secretary, "contract": blank_pdf()}
    )
    if application.notice_start is None:
        application.post_notice(timezone.localdate() - timedelta(days=8), 7)
    entry = Entry.objects.filter(household=household, kind="payment").first()
    if entry is None:
        entry = Entry.objects.record(
            household=household,
            by=secretary,
            amount=Decimal("100.00"),
            paid_on=timezone.localdate(),
            method="cash",
            proof=PNG_1PX,
            proof_type="image/png",
        )
    if not Settlement.objects.filter(proposal=proposal).exists():
        settlement = Settlement(proposal=proposal, entered_by=secretary, document=blank_pdf())
        settlement.set_final_cost(proposal.total_cost - Decimal("500.00"))
        settlement.save()
    if name in {"money:campaign", "money:outstanding"}:
        return {"slug": site["campaign"].slug}
    if name == "money:household" or name == "money:record_entry":
        return {"pk": household.pk}
    if name in {"money:reverse_entry", "money:receipt", "money:proof"}:
        return {"pk": entry.pk}
    return {"pk": household.unit_id}


def blank_pdf() -> bytes:
    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(200, 200)
    writer.write(out)
    return out.getvalue()


COMPLETION_URLS = {
    "works:completion",
    "works:site_completion",
    "works:record_inspection",
    "works:record_registration",
    "works:record_opening",
    "works:record_handover",
    "works:inspection_report",
    "works:report_fault",
    "works:ticket",
    "works:answer_ticket",
    "works:fix_ticket",
}


def completion_url_kwargs(name: str, site) -> dict:
    """The works site of the household's elevator, in service and handed over to a
    maintenance company (made here when the demo has none), and a fault reported on it."""
    works_site = in_service_site(site)
    campaign = site["campaign"]
    if name in {"works:completion", "works:report_fault"}:
        return {"slug": campaign.slug}
    if name == "works:inspection_report":
        inspection = works_site.acceptance_inspections.first()
        return {"slug": campaign.slug, "pk": inspection.pk}
    if name in {"works:ticket", "works:answer_ticket", "works:fix_ticket"}:
        fault = FaultReport.objects.filter(site=works_site).first()
        fault = fault or completion.report_fault(campaign, works_site, body="电梯有异响")
        return {"pk": fault.pk}
    return {"slug": campaign.slug, "pk": works_site.pk}


def in_service_site(site) -> Site:
    elevator = site["household"].unit.elevator
    works_site, _created = Site.objects.get_or_create(elevator=elevator)
    if not completion.standing(works_site).in_service:
        make_in_service(works_site, by=site["users"]["secretary"])
    return works_site


SCHEDULE_URLS = {
    "works:schedules",
    "works:timeline_print",
    "works:start_schedule",
    "works:site_schedule",
    "works:move_opening",
    "works:edit_step",
    "works:mark_step",
    "works:standups",
    "works:new_standup",
    "works:standup",
    "works:close_action",
}


def schedule_url_kwargs(name: str, site) -> dict:
    """The schedule of the household's elevator (made now if the demo has none), its start
    step, and yesterday's stand-up with an open action."""
    campaign, household = site["campaign"], site["household"]
    elevator = Elevator.objects.filter(unit=household.unit_id).first()
    secretary = site["users"]["secretary"]
    works_site = create_schedule(elevator, timezone.localdate() + timedelta(days=90), secretary)
    yesterday = timezone.localdate() - timedelta(days=1)
    stand_up, _new = StandUp.objects.get_or_create(
        campaign=campaign, held_on=yesterday, defaults={"recorded_by": secretary}
    )
    action, _new = ActionItem.objects.get_or_create(
        stand_up=stand_up, text="清运建筑垃圾", defaults={"due_on": yesterday}
    )
    pk = {
        "works:site_schedule": works_site.pk,
        "works:move_opening": works_site.pk,
        "works:edit_step": works_site.steps.get(kind=START_STEP).pk,
        "works:mark_step": works_site.steps.get(kind=START_STEP).pk,
        "works:standup": stand_up.pk,
        "works:close_action": action.pk,
    }.get(name)
    return {"slug": campaign.slug} | ({"pk": pk} if pk else {})


RESIDENTS_WORKS_URLS = {
    "works:report_problem",
    "works:public_photo",
    "works:reports",
    "works:report",
    "works:accept_report",
    "works:decline_report",
    "works:report_photo",
    "works:site_photos",
    "works:publish_photo",
    "works:site_photo",
    "works:noise_notice",
}


def residents_works_url_kwargs(name: str, campaign) -> dict:
    """The demo's works site (4栋1单元), a published and an unpublished photo of it, and the
    resident's report waiting for the secretary."""
    site = Site.objects.get(elevator__unit__building__campaign=campaign, reports__isnull=False)
    photos = InspectionPhoto.objects.filter(inspection__site=site).order_by("pk")
    report = ResidentReport.objects.filter(campaign=campaign, status="new").first()
    pk = {
        "works:public_photo": photos.filter(published_at__isnull=False).first().pk,
        "works:report": report.pk,
        "works:accept_report": report.pk,
        "works:decline_report": report.pk,
        "works:report_photo": report.pk,
        "works:publish_photo": photos.filter(published_at__isnull=True).first().pk,
        "works:site_photo": photos.filter(published_at__isnull=True).first().pk,
        "works:noise_notice": site.pk,
    }.get(name)
    return {"slug": campaign.slug} | ({"pk": pk} if pk else {})


@dataclass
class DemoWorks:
    """The works of 1栋1单元 (grid1's unit, in lead1's building) as these tests use them: its
    site, its contractor (user ``contractor``), an inspection with a photo, an open issue of
    the contractor's with a photo, and a closed one."""

    site: Site
    inspection: Inspection
    photo: InspectionPhoto
    issue: Issue
    issue_photo: IssuePhoto
    closed: Issue


def works_of_demo(campaign, *, files: bool = False) -> DemoWorks:
    """The demo's works of 1栋1单元, made here when the demo has none (the same on every call).
    With ``files``, the photos' files are written (to the test's MEDIA_ROOT)."""
    from campaigns.models import Party, Role
    from tests.factories import make_assignment, make_user

    unit = campaign.buildings.get(name="1栋").units.get(name="1单元")
    contractor = get_user_model().objects.filter(username="contractor").first()
    assignment = contractor and contractor.assignments.filter(role=Role.CONTRACTOR).first()
    if assignment is None:
        party = Party.objects.create(campaign=campaign, kind="contractor", name="宁康施工队")
        contractor = contractor or make_user("contractor")
        assignment = make_assignment(contractor, Role.CONTRACTOR, party=party)
    site, _created = Site.objects.get_or_create(elevator=unit.elevator)
    site.parties.add(assignment.party)
    grid1 = get_user_model().objects.get(username="grid1")
    inspection = site.inspections.first() or Inspection.objects.create(
        site=site, inspector=grid1, inspected_on=timezone.localdate(), summary="围挡完好"
    )
    photo = inspection.photos.first() or InspectionPhoto.objects.create(
        inspection=inspection, image="works/photos/demo-site.jpg", width=8, height=8
    )
    issue = site.issues.filter(status="open", responsible=assignment.party).first()
    issue = issue or Issue.objects.create(
        site=site,
        inspection=inspection,
        description="围挡缺口未封闭",
        responsible=assignment.party,
        deadline=timezone.localdate(),
        opened_by=grid1,
    )
    issue_photo = issue.photos.first() or IssuePhoto.objects.create(
        issue=issue,
        stage="before",
        image="works/photos/demo-issue.jpg",
        width=8,
        height=8,
        uploaded_by=grid1,
    )
    closed = site.issues.filter(status="closed").first() or Issue.objects.create(
        site=site,
        description="材料占道",
        responsible=assignment.party,
        deadline=timezone.localdate(),
        opened_by=grid1,
        status="closed",
        closed_at=timezone.now(),
    )
    if files:
        for image in (photo.image, issue_photo.image):
            if not default_storage.exists(image.name):
                default_storage.save(image.name, ContentFile(jpeg_bytes()))
    return DemoWorks(site, inspection, photo, issue, issue_photo, closed)


def jpeg_bytes() -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="JPEG")
    return buffer.getvalue()


def works_url_kwargs(name: str, works: DemoWorks) -> dict:
    if name in {"works:inspections", "works:my_issues"}:
        return {}
    if name == "works:issues":
        return {"slug": works.site.elevator.unit.building.campaign.slug}
    pk = {
        "works:inspection": works.inspection.pk,
        "works:site_inspections": works.site.pk,
        "works:new_inspection": works.site.pk,
        "works:inspection_photo": works.photo.pk,
        "works:issue": works.issue.pk,
        "works:close_issue": works.issue.pk,
        "works:reopen_issue": works.closed.pk,
        "works:issue_photo": works.issue_photo.pk,
    }.get(name)
    return {"pk": pk} if pk else {}  # the works pages that take no argument


def agent_consent(household) -> Consent:
    """A consent of the household's unit signed by an agent with a power of attorney (the demo
    has none): the first such, or one recorded now for a flat that has not signed."""
    unit = household.unit_id
    signed = Consent.objects.filter(household__unit=unit).exclude(attorney_letter_type="")
    if signed.exists():
        return signed.first()
    proposal = Proposal.objects.published().get(elevator__unit=unit)
    flat = (
        Household.objects.filter(unit=unit, owners__isnull=False)
        .exclude(consents__proposal=proposal)
        .first()
    )
    owner = flat.owners.first()
    return record_consent(
        household=flat,
        proposal=proposal,
        expected_current=None,
        expected_others={t.household_id: None for t in other_titles([owner], unit)[owner.pk]},
        decision="agree",
        signer_capacity="agent",
        signer_owner=owner,
        signer_name="赵律师",
        agent_id_tail="123X",
        attorney_letter=b"%PDF-1.4 letter",
        attorney_letter_type="application/pdf",
        method="tablet",
        signature=PNG_1PX,
        signature_type="image/png",
        witness=get_user_model().objects.get(username="grid1"),
        signed_at=timezone.now(),
    )


def person_of(household) -> Person:
    """The Person the household's first owner is linked to: a body of that one flat, made
    here when the demo links none."""
    owner = household.owners.first()
    if owner.person is None:
        owner.person = Person.objects.create(
            community=household.unit.building.campaign.community, kind=Person.Kind.WORK_UNIT
        )
        owner.save(update_fields=["person"])
    return owner.person


def campaign_url_kwargs(name: str, campaign) -> dict:
    if name == "campaigns:list":
        return {}
    # A fresh draft each time: publishing one is among the URLs tried.
    draft = ProgressUpdate.objects.create(campaign=campaign, title="草稿", body="待发布")
    decision = MeetingDecision.objects.filter(meeting__campaign=campaign).first()
    question = Question.objects.filter(campaign=campaign).first()
    pk = {
        "campaigns:edit_update": draft.pk,
        "campaigns:publish_update": draft.pk,
        "campaigns:edit_meeting": decision.meeting_id,
        "campaigns:decision_status": decision.pk,
        "campaigns:edit_milestone": campaign.milestones.first().pk,
        "campaigns:answer_question": question.pk,
        "campaigns:moderate_question": question.pk,
    }.get(name)
    return {"slug": campaign.slug} | ({"pk": pk} if pk else {})


def test_every_site_url_is_listed_with_the_role_that_uses_it():
    assert named_patterns(get_resolver().url_patterns) == set(SITE_URLS)


def test_each_site_url_answers_its_role_without_a_server_error(site):
    answers = {}
    for name in sorted(SITE_URLS):
        client = client_for(site, SITE_URLS[name])
        url = site_url(name, site)
        response = client.post(url) if name in POSTED else client.get(url)
        answers[name] = response.status_code
    # An empty post to a form answers 422 with the form's messages; everything else succeeds.
    assert {name: code for name, code in answers.items() if code not in {200, 302, 422}} == {}


def admin_urls(site) -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        if model._meta.app_label not in {"campaigns", "households", "consultations"}:
            continue
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:app_list", args=[info[0]]))
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        urls.append(reverse("admin:{}_{}_add".format(*info)))
        first = model._default_manager.first()
        if first is not None:
            for view in ("change", "history", "delete"):
                urls.append(reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[first.pk]))
    return sorted(set(urls))


def test_every_admin_page_answers_the_secretary_without_a_server_error(site):
    client = client_for(site, "secretary")
    answers = {url: client.get(url).status_code for url in admin_urls(site)}
    assert len(answers) > 60
    errors = {url: status for url, status in answers.items() if status >= 500}
    assert not errors
    assert answers[reverse("admin:index")] == 200


def test_signed_consents_cannot_be_changed_or_deleted_in_the_admin(site):
    from consultations.models import Consent

    client = client_for(site, "secretary")
    consent = Consent.objects.first()
    change = reverse("admin:consultations_consent_change", args=[consent.pk])
    delete = reverse("admin:consultations_consent_delete", args=[consent.pk])
    assert client.get(change).status_code == 200  # read-only view
    assert client.post(change, {"decision": "disagree"}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    consent.refresh_from_db()
    assert consent.hash_matches()


HUGE_ID = 2**63  # one past the largest id any database here can hold


def with_huge_ids(name: str, site) -> str | None:
    """The URL of ``name`` with every id in it past the largest 64-bit integer."""
    kwargs = resolve(site_url(name, site)).kwargs
    if not any(isinstance(value, int) for value in kwargs.values()):
        return None
    huge = {key: HUGE_ID if isinstance(value, int) else value for key, value in kwargs.items()}
    return reverse(name, kwargs=huge)


def test_every_url_with_an_id_past_the_largest_integer_answers_not_found(site):
    answers = {}
    for name in sorted(SITE_URLS):
        if (url := with_huge_ids(name, site)) is None:
            continue
        client = client_for(site, SITE_URLS[name])
        response = client.post(url) if name in POSTED else client.get(url)
        answers[url] = response.status_code
    assert "/units/9223372036854775808/walk-sheet.pdf" in answers
    assert len(answers) >= 29
    assert {url: code for url, code in answers.items() if code != 404} == {}


def test_every_admin_page_of_a_record_with_a_huge_id_answers_without_a_server_error(site):
    client = client_for(site, "secretary")
    urls = [url.replace(f"/{first}/", f"/{HUGE_ID}/") for url, first in admin_record_urls()]
    answers = {url: client.get(url).status_code for url in urls}
    assert answers and {url: code for url, code in answers.items() if code >= 500} == {}


def admin_record_urls() -> list[tuple[str, int]]:
    urls = []
    for model in admin.site._registry:
        if model._meta.app_label in {"campaigns", "households", "consultations"}:
            first = model._default_manager.first()
            if first is not None:
                info = f"admin:{model._meta.app_label}_{model._meta.model_name}_change"
                urls.append((reverse(info, args=[first.pk]), first.pk))
    return urls
