"""The dashboard pages: the campaign at a glance, the building grid, the register in and out."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from campaigns.access import get_campaign_for
from campaigns.models import Campaign
from core.htmx import wants_fragment
from core.pdf import private_document
from households import people, register
from households.models import AuditEvent
from portal.dashboard import export, uploads
from portal.dashboard.figures import (
    funnels,
    grids,
    needs_by_unit,
    overview,
    ranked_concerns,
    scope_of,
    units_of,
    work,
)
from works import inspecting
from works.scheduling import late_work


@require_safe
@login_required
def index(request: HttpRequest) -> HttpResponse:
    campaigns = list(Campaign.objects.worked_on_by(request.user).select_related("community"))
    if len(campaigns) == 1:
        return redirect("dashboard:campaign", slug=campaigns[0].slug)
    return render(request, "portal/dashboard/index.html", {"campaigns": campaigns})


@require_safe
@login_required
def campaign_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Will the vote pass, where is it stuck, who is doing the work, what is overdue."""
    campaign = get_campaign_for(request.user, slug)  # 404 for anyone not working on it
    households = scope_of(request.user, campaign)
    units = overview(request.user, campaign)
    funnel, unit_funnels = funnels(households, units)
    needs_total, unit_needs = needs_by_unit(households, units)
    context = {
        "needs_total": needs_total,
        "unit_needs": unit_needs,
        "campaign": campaign,
        "units": units,
        "funnel": funnel,
        "unit_funnels": unit_funnels,
        "concerns": ranked_concerns(households),
        "may_manage": campaign.is_managed_by(request.user),
        **work(households, timezone.localdate()),
        **late_work(request.user, campaign, timezone.localdate()),
        **inspecting.dashboard(request.user, campaign, timezone.localdate()),
    }
    return render(request, "portal/dashboard/campaign.html", context)


@require_safe
@login_required
@vary_on_headers("HX-Request")
def building_grid(request: HttpRequest, slug: str) -> HttpResponse:
    """The building grid (楼盘表): every room a cell coloured by where it stands."""
    campaign = get_campaign_for(request.user, slug)
    units = list(units_of(request.user, campaign))
    buildings = list({unit.building.pk: unit.building for unit in units}.values())
    choice = request.GET.get("building", "")
    if choice.isdecimal() and choice.isascii() and int(choice) in {b.pk for b in buildings}:
        units = [unit for unit in units if unit.building_id == int(choice)]
    else:
        choice = ""
    context = {
        "campaign": campaign,
        "buildings": buildings,
        "choice": choice,
        "grids": grids(scope_of(request.user, campaign), units),
        "may_manage": campaign.is_managed_by(request.user),
    }
    template = "portal/dashboard/grid.html"
    if wants_fragment(request):  # the grid, and the building links (outside it) anew
        template += "#grid"
        context["fragment"] = True
    return render(request, template, context)


def _download(
    request: HttpRequest, campaign: Campaign, build, content_type: str, filename: str
) -> HttpResponse:
    """The register file ``build()`` makes, recorded in the audit trail: it names every owner.
    A HEAD takes nothing away: the file is not built and nothing is recorded."""
    response = HttpResponse(content_type=content_type)
    if request.method != "HEAD":
        AuditEvent.record(
            request.user,
            AuditEvent.Action.EXPORTED,
            f"{campaign.title} · {filename}",
            community=campaign.community,
        )
        response.content = build()
    return private_document(response, filename, inline=False)


def _export_name(campaign: Campaign, extension: str) -> str:
    return f"register-{campaign.slug}-{timezone.localdate():%Y%m%d}.{extension}"


@require_safe
@login_required
def export_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, manage=True)
    return _download(
        request,
        campaign,
        lambda: export.as_xlsx(
            export.register_rows(scope_of(request.user, campaign), campaign), campaign.title
        ),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _export_name(campaign, "xlsx"),
    )


@require_safe
@login_required
def export_csv(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, manage=True)
    return _download(
        request,
        campaign,
        lambda: export.as_csv(export.register_rows(scope_of(request.user, campaign), campaign)),
        "text/csv; charset=utf-8",
        _export_name(campaign, "csv"),
    )


class RegisterUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("住户台账文件"),
        help_text=gettext_lazy("Excel（.xlsx）或 CSV，最大 5 MB、5000 行。"),
        template_name="portal/dashboard/_file_field.html",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > register.MAX_BYTES:
            raise forms.ValidationError(_("文件超过 5 MB，请拆分后分批导入。"))
        return upload


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def import_register(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload → a report of every row's problems, or a preview of what would be written →
    confirm → everything written in one transaction, or nothing."""
    campaign = get_campaign_for(request.user, slug, manage=True)
    posted = request.method == "POST"
    form = RegisterUploadForm(request.POST, request.FILES) if posted else RegisterUploadForm()
    context = {"campaign": campaign, "form": form, "columns": register.HEADERS.values()}
    status = 200
    if posted and "token" in request.POST:  # the confirmation carries no file to check
        return _confirm(request, campaign, {**context, "form": RegisterUploadForm()})
    if posted:
        status = 422
        if form.is_valid():
            data = form.cleaned_data["file"].read()
            context.update(_checked(campaign, data))
            if context.get("checked") and context["checked"].clean:
                context["token"] = uploads.keep(data, campaign, request.user)
                status = 200
    return _render_import(request, context, status)


def _checked(campaign: Campaign, data: bytes) -> dict:
    try:
        return {"checked": register.check(campaign, register.read_table(data))}
    except register.RegisterError as error:
        return {"file_problem": str(error)}


def _confirm(request: HttpRequest, campaign: Campaign, context: dict) -> HttpResponse:
    token = request.POST["token"]
    data = uploads.take(token, campaign, request.user)
    if data is None:
        context["file_problem"] = _("预览已过期或已导入，请重新上传文件。")
        return _render_import(request, context, 422)
    context.update(_checked(campaign, data))
    checked = context.get("checked")
    if checked is None or not checked.clean:
        context["changed_since"] = True
        return _render_import(request, context, 422)
    try:
        counts = register.commit(checked, request.user)
    except IntegrityError:
        context["file_problem"] = _("导入期间台账被其他人修改了，什么都没有写入；请重新上传。")
        return _render_import(request, context, 422)  # shown by htmx, like the other refusals
    uploads.forget(token, campaign, request.user)
    AuditEvent.record(
        request.user,
        AuditEvent.Action.IMPORTED,
        f"{campaign.title} · 台账导入：新增 {counts['created']} 户，更新 {counts['updated']} 户",
        community=campaign.community,
    )
    messages.success(
        request,
        _("台账已导入：新增 %(created)s 户，更新 %(updated)s 户，%(unchanged)s 户无变化。")
        % counts,
    )
    tell_of_matches(request, campaign)
    target = redirect("dashboard:campaign", slug=campaign.slug)
    return HttpResponseClientRedirect(target.url) if request.htmx else target


def tell_of_matches(request: HttpRequest, campaign: Campaign) -> None:
    """After an import: how many pairs of owner entries are probably one person, with the way
    to the screen where the secretary confirms them (nothing is linked here)."""
    proposed = len(people.proposed_matches(campaign.community))
    if proposed:
        messages.info(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _(
                    "有 %(count)s 组产权人可能是同一人（姓名相同，身份证后4位或电话相同），尚未合并。"
                )
                % {"count": proposed},
                reverse("consultations:people", args=[campaign.slug]),
                _("去核对"),
            ),
        )


def _render_import(request: HttpRequest, context: dict, status: int) -> HttpResponse:
    template = "portal/dashboard/import.html"
    if wants_fragment(request):
        template += "#import-result"
    return render(request, template, context, status=status)
