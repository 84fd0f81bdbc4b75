"""Every URL in the URL conf answers without a server error for the role allowed to use it."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from campaigns.models import MeetingDecision, ProgressUpdate, Question
from consultations.models import Consent, PacketFile, Proposal
from consultations.packet import verification_code
from consultations.signing import other_titles, record_consent
from households.models import Household, Person
from tests.factories import PNG_1PX
from works.models import InspectionPhoto, ResidentReport, Site

pytestmark = pytest.mark.django_db

# Every named URL outside the admin, with who may use it. A new URL must be added here.
SITE_URLS = {
    "home": "anonymous",
    "start": "secretary",
    "secretary": "secretary",
    "public_campaign": "anonymous",
    "healthz": "anonymous",
    "favicon": "anonymous",
    "login": "anonymous",
    "logout": "secretary",
    "consultations:my_doors": "grid1",
    "consultations:follow_ups": "grid1",
    "consultations:household": "grid1",
    "consultations:log_visit": "grid1",
    "consultations:log_trace": "grid1",
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
    if name in RESIDENTS_WORKS_URLS:
        kwargs = residents_works_url_kwargs(name, site["campaign"])
    return reverse(name, kwargs=kwargs)


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
    site = Site.objects.get(elevator__unit__building__campaign=campaign)
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
