"""Acceptance and handover, for the secretary: each elevator's inspection, registration,
opening and maintenance company, recorded once and corrected only by a new record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from campaigns.access import PermsAt, get_campaign_for, may
from core.pdf import private_document
from works import completion
from works.completion_forms import HandoverForm, InspectionForm, OpeningForm, RegistrationForm
from works.models import AcceptanceInspection, Handover, Opening, Site, UseRegistration

VIEW = "works.view_acceptanceinspection"


@require_safe
@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    """Every elevator of the campaign: inspected, registered, opened, handed over."""
    campaign = get_campaign_for(request.user, slug, VIEW)
    rows = completion.standings(completion.campaign_sites(campaign))
    context = {
        "campaign": campaign,
        "rows": rows,
        "all_in_service": completion.every_elevator_in_service(campaign),
    }
    return render(request, "works/completion/overview.html", context)


def campaign_site(campaign, pk: int) -> Site:
    return get_object_or_404(completion.campaign_sites(campaign), pk=pk)


def site_page(request, campaign, site, status=200, **forms) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "campaign": campaign,
        "site": site,
        "now": completion.standing(site),
        "inspections": AcceptanceInspection.objects.filter(site=site).select_related(
            "recorded_by", "superseded_by"
        ),
        "registrations": UseRegistration.objects.filter(site=site).select_related(
            "recorded_by", "superseded_by"
        ),
        "openings": Opening.objects.filter(site=site).select_related(
            "recorded_by", "superseded_by"
        ),
        "handovers": Handover.objects.filter(site=site).select_related(
            "maintainer", "recorded_by", "superseded_by"
        ),
        "inspection_form": forms.get("inspection_form")
        or InspectionForm(initial={"inspected_on": today}),
        "registration_form": forms.get("registration_form")
        or RegistrationForm(initial={"registered_on": today}),
        "opening_form": forms.get("opening_form") or OpeningForm(initial={"opened_on": today}),
        "handover_form": forms.get("handover_form") or HandoverForm(campaign=campaign),
        "perms": PermsAt(request.user, campaign),
    }
    return render(request, "works/completion/site.html", context, status=status)


@require_safe
@login_required
def site_completion(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, VIEW)
    return site_page(request, campaign, campaign_site(campaign, pk))


def record_on_site(request, slug, pk, *, permission, form, record, done, slot) -> HttpResponse:
    """Check the form, ``record`` what it says on the site (a refusal goes back on the form
    with its reason), and return to the site's page; a refused form comes back as ``slot``
    with what was typed (422)."""
    campaign = get_campaign_for(request.user, slug, permission)
    site = campaign_site(campaign, pk)
    bound = form(request, campaign)
    if bound.is_valid():
        try:
            record(site, by=request.user, **bound.cleaned_data)
        except completion.Refused as error:
            bound.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect("works:site_completion", campaign.slug, site.pk)
    return site_page(request, campaign, site, 422, **{slot: bound})


@require_POST
@login_required
def record_inspection(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return record_on_site(
        request,
        slug,
        pk,
        permission="works.add_acceptanceinspection",
        form=lambda request, campaign: InspectionForm(request.POST, request.FILES),
        record=completion.record_inspection,
        done=_("监督检验已记录。"),
        slot="inspection_form",
    )


@require_POST
@login_required
def record_registration(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return record_on_site(
        request,
        slug,
        pk,
        permission="works.add_useregistration",
        form=lambda request, campaign: RegistrationForm(request.POST),
        record=completion.record_registration,
        done=_("使用登记已记录。"),
        slot="registration_form",
    )


@require_POST
@login_required
def record_opening(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return record_on_site(
        request,
        slug,
        pk,
        permission="works.add_opening",
        form=lambda request, campaign: OpeningForm(request.POST),
        record=completion.record_opening,
        done=_("开通日期已记录，这部电梯已投入使用。"),
        slot="opening_form",
    )


@require_POST
@login_required
def record_handover(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return record_on_site(
        request,
        slug,
        pk,
        permission="works.add_handover",
        form=lambda request, campaign: HandoverForm(request.POST, campaign=campaign),
        record=completion.record_handover,
        done=_("维保移交已记录。"),
        slot="handover_form",
    )


EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg"}


@require_safe
@login_required
def inspection_report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The inspection report as uploaded (checked when it was), for those who may see the
    records; saved, never opened in the portal's own origin."""
    campaign = get_campaign_for(request.user, slug, VIEW)
    inspection = get_object_or_404(
        AcceptanceInspection.objects.filter(
            site__elevator__unit__building__campaign=campaign
        ).select_related("site__elevator__unit__building__campaign"),
        pk=pk,
    )
    if not may(request.user, VIEW, inspection):
        raise Http404
    response = FileResponse(inspection.report.open("rb"), content_type=inspection.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    extension = EXTENSIONS.get(inspection.content_type, "bin")
    name = f"{_('监督检验报告')}-{inspection.report_number}.{extension}"
    return private_document(response, name, inline=False)
