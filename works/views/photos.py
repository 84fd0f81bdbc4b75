"""The secretary chooses which site photos residents see, and posts each site's notice of
working hours (works.change_inspectionphoto, works.change_site). A photo that shows people is
never chosen; an unpublished photo has no public URL (works.views.public.public_photo)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from campaigns.access import PermsAt, get_campaign_for, may
from core.pdf import private_document
from works.models import InspectionPhoto
from works.public import sites_of
from works.report_forms import NoiseNoticeForm
from works.reporting import publish_photo, unpublish_photo

PER_PAGE = 30


def photos_of(campaign):
    return (
        InspectionPhoto.objects.filter(
            inspection__site__elevator__unit__building__campaign=campaign
        )
        .select_related("inspection__site__elevator__unit__building", "published_by")
        .order_by("-inspection__inspected_on", "-pk")
    )


def page_context(request, campaign, notice_forms=None) -> dict:
    page = Paginator(photos_of(campaign), PER_PAGE).get_page(request.GET.get("page"))
    sites = list(sites_of(campaign))
    notice_forms = notice_forms or {}
    for site in sites:
        site.notice_form = notice_forms.get(site.pk) or NoiseNoticeForm(
            instance=site, auto_id=f"site-{site.pk}-%s"
        )
    return {
        "campaign": campaign,
        "perms": PermsAt(request.user, campaign),
        "page": page,
        "photos": page.object_list,
        "sites": sites,
    }


@require_safe
@login_required
def site_photos(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, "works.change_inspectionphoto")
    return render(request, "works/residents/photos.html", page_context(request, campaign))


@require_POST
@login_required
def publish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, "works.change_inspectionphoto")
    photo = get_object_or_404(photos_of(campaign), pk=pk)
    if request.POST.get("action") == "publish":
        publish_photo(photo, request.user)
        messages.success(request, _("照片已公开，居民在项目页的“施工进展”里可以看到。"))
    elif request.POST.get("action") == "unpublish":
        unpublish_photo(photo)
        messages.success(request, _("照片已撤下，不再公开。"))
    url = reverse("works:site_photos", args=[campaign.slug])
    page = request.POST.get("page", "")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


@require_POST
@login_required
def noise_notice(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, "works.change_site")
    site = get_object_or_404(sites_of(campaign), pk=pk)
    form = NoiseNoticeForm(request.POST, instance=site, auto_id=f"site-{site.pk}-%s")
    if not form.is_valid():
        site.refresh_from_db()
        context = page_context(request, campaign, {site.pk: form})
        return render(request, "works/residents/photos.html", context, status=422)
    form.save()
    messages.success(request, _("施工时间公告已更新。"))
    return redirect(reverse("works:site_photos", args=[campaign.slug]))


@require_safe
@login_required
def photo_image(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Any site photo of the campaign, published or not, for the staff who may see its
    inspections."""
    campaign = get_campaign_for(request.user, slug)
    photo = get_object_or_404(photos_of(campaign), pk=pk)
    if not may(request.user, "works.view_inspection", photo.inspection):
        raise PermissionDenied
    try:
        image = photo.image.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(image, content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    return private_document(response, f"site-photo-{photo.pk}.jpg")
