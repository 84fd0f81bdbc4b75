"""The campaign's consent packet, generated in the background: ask, watch it progress, download.

Only the secretary of the campaign's community (or a superuser) sees these pages; anyone else
gets a 404, as for the packets themselves. Without JavaScript the page refreshes itself while
the file is being made; with htmx only the status box is polled.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from campaigns.models import Campaign
from consultations.models import PacketFile, Proposal
from consultations.packet_files import current_file, fingerprint, latest_for, request_packet
from core.pages import not_printable
from core.pdf import private_document
from households.models import AuditEvent

POLL_SECONDS = 2
TEMPLATE = "consultations/packet_files.html"


def campaign_for(request: HttpRequest, slug: str):
    return get_object_or_404(
        Campaign.objects.managed_by(request.user).select_related("community"), slug=slug
    )


def packet_file_for(request: HttpRequest, pk: int) -> PacketFile:
    return get_object_or_404(
        PacketFile.objects.filter(
            campaign__in=Campaign.objects.managed_by(request.user)
        ).select_related("campaign__community", "requested_by"),
        pk=pk,
    )


def nothing_to_print(request: HttpRequest, campaign) -> HttpResponse | None:
    """The 404 that says why, when no unit of the campaign has a published proposal."""
    if Proposal.objects.published().filter(elevator__unit__building__campaign=campaign).exists():
        return None
    return not_printable(request, _("这个项目还没有公示费用分摊方案的单元，暂无签字材料可打印。"))


def base_url(request: HttpRequest) -> str:
    """Where the QR codes in the packet point: this site."""
    return request.build_absolute_uri("/")


@require_safe
@login_required
def packet_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Where the campaign's packet stands: none yet, being made (with progress), ready to
    download with its SHA-256, or out of date because the data changed since."""
    campaign = campaign_for(request, slug)
    if refusal := nothing_to_print(request, campaign):
        return refusal
    job = latest_for(campaign)
    current = job is not None and job.fingerprint == fingerprint(campaign, base_url(request))
    context = {"campaign": campaign, "job": job, "current": current, "poll": POLL_SECONDS}
    return render(request, TEMPLATE, context)


@require_POST
@login_required
def request_packet_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Queue the packet of the data as it is now (or find the job already doing it)."""
    campaign = campaign_for(request, slug)
    if refusal := nothing_to_print(request, campaign):
        return refusal
    request_packet(campaign, request.user, base_url(request))
    return redirect("consultations:packet_page", slug=campaign.slug)


@require_safe
@login_required
@vary_on_headers("HX-Request")
def packet_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The status box alone, for htmx to poll; the whole page otherwise."""
    job = packet_file_for(request, pk)
    if not request.htmx:
        return redirect("consultations:packet_page", slug=job.campaign.slug)
    context = {"campaign": job.campaign, "job": job, "current": True, "poll": POLL_SECONDS}
    return render(request, f"{TEMPLATE}#status", context)


@require_safe
@login_required
def packet_download(request: HttpRequest, pk: int) -> FileResponse:
    job = packet_file_for(request, pk)
    return kept_file_response(request, job)


def kept_file_response(request: HttpRequest, job: PacketFile) -> FileResponse:
    """The kept PDF, named after the campaign; 404 when it is not finished or was removed.
    Recorded in the audit trail: the packet names every owner."""
    if job.status != PacketFile.Status.DONE or not job.path.is_file():
        raise Http404
    AuditEvent.record(
        request.user,
        AuditEvent.Action.EXPORTED,
        f"{job.campaign.title} · 签字材料 SHA-256 {job.sha256[:16]}",
        community=job.campaign.community,
    )
    when = timezone.localtime(job.finished_at)
    name = _("签字材料-%(campaign)s-%(when)s.pdf") % {
        "campaign": job.campaign.slug,
        "when": f"{when:%Y%m%d-%H%M}",
    }
    response = FileResponse(job.path.open("rb"), content_type="application/pdf")
    response["X-Content-SHA256"] = job.sha256
    return private_document(response, name)


@require_safe
@login_required
def campaign_packet(request: HttpRequest, slug: str) -> HttpResponse:
    """The campaign's packet as a PDF: the kept file when it is current; otherwise the page
    where it is made in the background (a campaign is too large to print in a request)."""
    campaign = campaign_for(request, slug)
    if refusal := nothing_to_print(request, campaign):
        return refusal
    kept = current_file(campaign, base_url(request))
    if kept is None or not kept.path.is_file():
        return redirect("consultations:packet_page", slug=campaign.slug)
    return kept_file_response(request, kept)
