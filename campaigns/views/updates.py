"""Progress updates (进度公示): staff write them, add photos, and publish when ready."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from campaigns.access import PermsAt, get_campaign_for
from campaigns.forms import UpdateForm
from campaigns.models import ProgressUpdate, UpdatePhoto


@require_safe
@login_required
def update_list(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, "campaigns.view_progressupdate")
    updates = (
        ProgressUpdate.objects.filter(campaign=campaign)
        .select_related("author")
        .prefetch_related("photos")
        .order_by("status", "-published_at", "-pk")
    )
    return render(
        request,
        "campaigns/manage/updates.html",
        {"campaign": campaign, "perms": PermsAt(request.user, campaign), "updates": updates},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def new_update(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, "campaigns.add_progressupdate")
    return edit(request, campaign, ProgressUpdate(campaign=campaign, author=request.user))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def edit_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A draft can still change; a published update is the public record and stays."""
    campaign = get_campaign_for(request.user, slug, "campaigns.add_progressupdate")
    update = get_object_or_404(ProgressUpdate.objects.filter(campaign=campaign), pk=pk)
    if update.is_published:
        messages.error(request, _("这条进展已经公示，不能再修改。"))
        return redirect("campaigns:updates", campaign.slug)
    return edit(request, campaign, update)


def edit(request: HttpRequest, campaign, update: ProgressUpdate) -> HttpResponse:
    have = update.photos.count() if update.pk else 0
    form = UpdateForm(
        request.POST or None, request.FILES or None, instance=update, existing_photos=have
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            update = form.save()
            for photo in form.cleaned_data["photos"]:
                UpdatePhoto.objects.create(update=update, image=photo)
            if "publish" in request.POST:
                update.publish()
        if update.is_published:
            messages.success(request, _("已公示：居民在项目页上可以看到这条进展。"))
        else:
            messages.success(request, _("草稿已保存，公示前居民看不到。"))
        return redirect("campaigns:updates", campaign.slug)
    status = 422 if form.is_bound else 200
    context = {
        "campaign": campaign,
        "perms": PermsAt(request.user, campaign),
        "form": form,
        "update": update,
        "photo_count": have,
    }
    return render(request, "campaigns/manage/update_form.html", context, status=status)


@require_POST
@login_required
def publish_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, "campaigns.add_progressupdate")
    update = get_object_or_404(ProgressUpdate.objects.filter(campaign=campaign), pk=pk)
    update.publish()
    messages.success(request, _("已公示：居民在项目页上可以看到这条进展。"))
    return redirect("campaigns:updates", campaign.slug)
