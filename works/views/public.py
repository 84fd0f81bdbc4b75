"""The residents' side of the works, no login: report a problem on site, and the site photos
staff chose to publish.

A report is stored for staff only: nothing of it is ever shown publicly. It is refused with a
message, and nothing stored, when it is empty, too long, carries a link or something that is
not a photo, or comes too often from one address (the questions' limit, counted apart).
An unpublished photo has no public URL: ``public_photo`` answers 404 for it.
"""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from campaigns.models import Campaign
from campaigns.photos import PHOTO_LIMIT
from core import ratelimit
from works.models import ResidentReport
from works.public import published_photos
from works.report_forms import ReportForm

# A photo at most, and the text: anything larger is refused before it is parsed.
REPORT_BODY_LIMIT = PHOTO_LIMIT + 64 * 1024
PHOTO_MAX_AGE = 60  # as the project page: an unpublished photo is gone within a minute
TEMPLATE = "works/public/report.html"


def public_campaign_or_404(slug: str) -> Campaign:
    return get_object_or_404(Campaign.objects.public().select_related("community"), slug=slug)


def content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def report_problem(request: HttpRequest, slug: str) -> HttpResponse:
    """Report a problem on site: text and an optional photo, no account."""
    campaign = public_campaign_or_404(slug)
    context = {"campaign": campaign, "sent": request.GET.get("sent") == "1"}
    if request.method in ("GET", "HEAD"):
        context["form"] = ReportForm(campaign=campaign)
        return render(request, TEMPLATE, context)
    if content_length(request) > REPORT_BODY_LIMIT:
        context["form"] = ReportForm(campaign=campaign)
        context["problem"] = _(
            "提交的内容太大了：文字最多 1000 字，照片最大 %(mb)s MB。请精简或换一张照片后再提交。"
        ) % {"mb": PHOTO_LIMIT // 2**20}
        return render(request, TEMPLATE, context, status=413)
    form = ReportForm(request.POST, request.FILES, campaign=campaign)
    context["form"] = form
    if not form.is_valid():
        return render(request, TEMPLATE, context, status=422)
    if not ratelimit.public_post_allowed(f"site-report:{campaign.pk}", request):
        context["problem"] = (
            _("提交太频繁了：同一网络 %(minutes)s 分钟内最多反映 %(limit)s 次，请稍后再试。")
            % ratelimit.public_post_limit()
        )
        return render(request, TEMPLATE, context, status=429)
    data = form.cleaned_data
    report = ResidentReport(campaign=campaign, site=data["site"], body=data["body"])
    if data["photo"] is not None:
        report.photo.save("report.jpg", data["photo"], save=False)
    report.save()
    return redirect(reverse("works:report_problem", args=[campaign.slug]) + "?sent=1")


@require_safe
def public_photo(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A site photo staff published; 404 for any other (unpublished ones have no public URL)."""
    campaign = public_campaign_or_404(slug)
    photo = get_object_or_404(published_photos(campaign), pk=pk)
    try:
        image = photo.image.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(image, content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, public=True, max_age=PHOTO_MAX_AGE)
    return response
