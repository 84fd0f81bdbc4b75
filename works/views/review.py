"""Review and approval (送审与审批): the campaign's units on their way to construction, one
unit's record for the lawyer and the sub-district reviewer (read-only, but for their own
reviews), freezing the packet, recording reviews and the works contract, and the kept files
served only to those who may read them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from campaigns.access import PermsAt, get_campaign_for, may
from campaigns.models import Assignment, Campaign, Role, Unit
from core.pdf import private_document
from households.privacy import mask_phone
from works import gate
from works.models import Review, ReviewDocument, ReviewPacket, Site, WorksContract
from works.review import (
    NotReady,
    freeze_packet,
    kinds_for,
    may_freeze,
    overview,
    site_of,
    vote_of,
)
from works.review_forms import ContractForm, ReviewForm


def get_unit_for(user, pk: int, permission: str) -> Unit:
    """The unit ``pk`` if ``user`` works on its campaign (404 otherwise); 403 if their role
    there lacks ``permission``."""
    units = Unit.objects.select_related("building__campaign__community").filter(
        building__campaign__in=Campaign.objects.worked_on_by(user)
    )
    unit = get_object_or_404(units, pk=pk)
    if not may(user, permission, unit):
        raise PermissionDenied
    return unit


@require_safe
@login_required
def review_home(request: HttpRequest) -> HttpResponse:
    """The start page of the lawyer and the sub-district reviewer (and of a party's people
    when there is no page of their own): the campaigns they review, the sites of their
    party."""
    campaigns = [
        c
        for c in Campaign.objects.worked_on_by(request.user).select_related("community")
        if may(request.user, "works.view_reviewpacket", c)
    ]
    parties = Assignment.objects.of(request.user).exclude(party=None).values("party")
    sites = Site.objects.filter(parties__in=parties).select_related("elevator__unit__building")
    sites = list(sites.distinct())
    if len(campaigns) == 1 and not sites:
        return redirect("works:review_overview", campaigns[0].slug)
    return render(request, "works/review/home.html", {"campaigns": campaigns, "sites": sites})


@require_safe
@login_required
def review_overview(request: HttpRequest, slug: str) -> HttpResponse:
    """Every unit: vote passed, packet frozen, the lawyer's and the sub-district's latest
    outcome, the contract. A fixed number of queries however many units."""
    campaign = get_campaign_for(request.user, slug, "works.view_reviewpacket")
    context = {
        "campaign": campaign,
        "states": overview(campaign),
        "perms": PermsAt(request.user, campaign),
    }
    return render(request, "works/review/overview.html", context)


def on_behalf(reviews: list[Review], campaign: Campaign) -> None:
    """Mark the reviews the secretary recorded for the reviewers (``review.on_behalf``)."""
    recorders = {r.recorded_by_id for r in reviews}
    reviewing = set(
        Assignment.objects.filter(
            user__in=recorders,
            community=campaign.community_id,
            role__in=[Role.LAWYER, Role.REVIEWER],
        ).values_list("user", flat=True)
    )
    for review in reviews:
        review.on_behalf = review.recorded_by_id not in reviewing


@require_safe
@login_required
def review_unit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, pk, "works.view_reviewpacket")
    campaign = unit.building.campaign
    vote = vote_of(unit)
    packets = list(ReviewPacket.objects.filter(unit=unit).select_related("frozen_by", "proposal"))
    latest = packets[0] if packets else None
    reviews = list(
        Review.objects.filter(unit=unit)
        .select_related("packet", "organisation", "recorded_by")
        .prefetch_related("documents")
        .order_by("-recorded_at", "-pk")
    )
    on_behalf(reviews, campaign)
    current = gate.latest_reviews(latest)
    shares = []
    if vote.proposal is not None:
        shares = vote.proposal.shares.select_related("household").order_by(
            "household__floor", "household__room"
        )
    site, missing, contracts, parties = None, [], [], []
    if hasattr(unit, "elevator"):
        # Read, never made, here: a GET writes nothing (an unsaved site has no contract yet).
        site = Site.objects.filter(elevator=unit.elevator).first() or Site(elevator=unit.elevator)
        missing = gate.missing(site)
        saved = site.pk is not None
        contracts = (
            list(site.contracts.select_related("contractor", "recorded_by")) if saved else []
        )
        full_phones = campaign.is_managed_by(request.user)
        parties = list(site.parties.all()) if saved else []
        for party in parties:
            phone = party.contact_phone
            party.phone_shown = phone if full_phones else mask_phone(phone)
    context = {
        "unit": unit,
        "campaign": campaign,
        "vote": vote,
        "proposal": vote.proposal,
        "shares": shares,
        "packets": packets,
        "latest": latest,
        "current": current,
        "returned": [r for r in current.values() if not r.approves],
        "reviews": reviews,
        "site": site,
        "missing": missing,
        "contracts": contracts,
        "parties": parties,
        "freeze_refused": may_freeze(unit, vote, latest),
        "kinds": kinds_for(request.user, campaign),
        "perms": PermsAt(request.user, unit),
    }
    return render(request, "works/review/unit.html", context)


@require_POST
@login_required
def freeze(request: HttpRequest, pk: int) -> HttpResponse:
    """Freeze the unit's packet for review; refused with a message while the vote has not
    passed, or while the frozen one is under review."""
    unit = get_unit_for(request.user, pk, "works.add_reviewpacket")
    try:
        packet = freeze_packet(unit, request.user, request)
    except NotReady as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("送审材料已封存，SHA-256：%(sha)s") % {"sha": packet.sha256})
    return redirect("works:review_unit", unit.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def add_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The lawyer records a lawyer's review, the reviewer a sub-district one, the secretary
    either on their behalf; always against the latest frozen packet."""
    unit = get_unit_for(request.user, pk, "works.add_review")
    campaign = unit.building.campaign
    kinds = kinds_for(request.user, campaign)
    if not kinds:
        raise PermissionDenied
    packet = gate.latest_packet(unit)
    initial = {
        "kind": kinds[0],
        "reviewer": request.user.get_full_name() or request.user.get_username(),
        "reviewed_on": timezone.localdate(),
        "packet": packet.pk if packet else None,
    }
    form = ReviewForm(
        request.POST or None,
        request.FILES or None,
        campaign=campaign,
        kinds=kinds,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        if packet is None:
            form.add_error(None, _("本单元还没有封存送审材料，暂不能审核。"))
        elif form.cleaned_data["packet"] != packet.pk:
            form.add_error(None, _("送审材料已重新封存，请先查看新的材料再审核。"))
        else:
            review = form.save(commit=False)
            review.unit, review.packet, review.recorded_by = unit, packet, request.user
            review.save()
            for kind, title, kept in form.kept:
                ReviewDocument.objects.create(
                    review=review,
                    kind=kind,
                    file=kept.file(),
                    content_type=kept.content_type,
                    sha256=kept.sha256,
                    title=title,
                )
            messages.success(request, _("审核结论已记录。"))
            return redirect("works:review_unit", unit.pk)
    context = {"unit": unit, "campaign": campaign, "form": form, "packet": packet}
    status = 422 if form.is_bound else 200
    return render(request, "works/review/review_form.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def record_contract(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary records the elevator's signed works contract (a new one replaces it)."""
    unit = get_unit_for(request.user, pk, "works.add_workscontract")
    if not hasattr(unit, "elevator"):
        raise Http404
    campaign = unit.building.campaign
    form = ContractForm(request.POST or None, request.FILES or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        contract = form.save(commit=False)
        contract.site, contract.recorded_by = site_of(unit), request.user
        contract.file = form.kept.file()
        contract.content_type, contract.sha256 = form.kept.content_type, form.kept.sha256
        contract.save()
        messages.success(request, _("施工合同已登记。"))
        return redirect("works:review_unit", unit.pk)
    context = {"unit": unit, "campaign": campaign, "form": form}
    status = 422 if form.is_bound else 200
    return render(request, "works/review/contract_form.html", context, status=status)


def kept_file(request, unit_id: int, permission: str, field, content_type: str, name: str):
    """A kept file, to those who may read it at its unit (404 for everyone else)."""
    units = Unit.objects.filter(building__campaign__in=Campaign.objects.worked_on_by(request.user))
    unit = get_object_or_404(units.select_related("building__campaign"), pk=unit_id)
    if not may(request.user, permission, unit):
        raise Http404
    with field.open("rb") as kept:
        response = HttpResponse(kept.read(), content_type=content_type)
    return private_document(response, name)


@require_safe
@login_required
def packet_file(request: HttpRequest, pk: int) -> HttpResponse:
    packet = get_object_or_404(ReviewPacket, pk=pk)
    name = _("送审材料-%(sha)s.pdf") % {"sha": packet.sha256[:12]}
    return kept_file(
        request, packet.unit_id, "works.view_reviewpacket", packet.file, "application/pdf", name
    )


@require_safe
@login_required
def document_file(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(ReviewDocument.objects.select_related("review"), pk=pk)
    extension = "pdf" if document.content_type == "application/pdf" else "jpg"
    if document.content_type == "image/png":
        extension = "png"
    name = f"{document.get_kind_display()}-{document.pk}.{extension}"
    return kept_file(
        request,
        document.review.unit_id,
        "works.view_review",
        document.file,
        document.content_type,
        name,
    )


@require_safe
@login_required
def contract_file(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_object_or_404(
        WorksContract.objects.select_related("site__elevator").exclude(file=""), pk=pk
    )
    name = _("施工合同-%(pk)s.pdf") % {"pk": contract.pk}
    return kept_file(
        request,
        contract.site.elevator.unit_id,
        "works.view_workscontract",
        contract.file,
        contract.content_type or "application/pdf",
        name,
    )
