"""Signing at the door, and where the unit's vote stands (Civil Code Art. 278)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from campaigns.models import Unit
from consultations.costs import explain_share
from consultations.forms import ConsentForm
from consultations.models import Consent, Proposal
from consultations.signing import ConsentConflict, SignatureError, record_consent
from consultations.standing import unit_standing
from core.pdf import private_document
from households.access import get_household_for
from households.models import Household

ADD_CONSENT = "consultations.add_consent"
SCAN_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner reads their cost sheet and signs on the tablet (or the worker records a
    scanned paper form); the worker is the witness."""
    household = get_household_for(request.user, pk, write=True, perm=ADD_CONSENT)
    proposal = Proposal.objects.published().for_household(household).first()
    if proposal is None:
        messages.error(request, _("本单元还没有公示的分摊方案，暂时不能签字。"))
        return redirect(household.get_absolute_url())
    current = Consent.objects.current().filter(household=household, proposal=proposal).first()
    primary = household.owners.filter(is_primary=True).first()
    form = ConsentForm(
        request.POST or None,
        request.FILES or None,
        initial={"expected_current": current.pk if current else None},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                record_consent(
                    household=household,
                    proposal=proposal,
                    expected_current=form.cleaned_data["expected_current"],
                    decision=form.cleaned_data["decision"],
                    signer_name=form.cleaned_data["signer_name"],
                    method=form.cleaned_data["method"],
                    signature=form.cleaned_data["signature_bytes"],
                    signature_type=form.cleaned_data["signature_type"],
                    witness=request.user,
                    signed_at=timezone.now(),
                )
            except ConsentConflict:
                messages.error(
                    request,
                    _("这一户的签字刚刚被其他工作人员更新了，请核对最新情况后再签。"),
                )
                return redirect("consultations:sign", pk=household.pk)
            except SignatureError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("已记录 %(room)s 的签字意见。") % {"room": household.room}
                )
                return redirect(household.get_absolute_url() + "#consent")
        status = 422
    context = {
        "household": household,
        "proposal": proposal,
        "explanation": explain_share(proposal, household),
        "current": current,
        "primary_owner": primary,
        "form": form,
    }
    return render(request, "consultations/sign.html", context, status=status)


@require_safe
@login_required
def signature_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The signature image or scan of one consent, for the staff who may see the household."""
    consent = get_object_or_404(Consent.objects.for_user(request.user), pk=pk)
    response = HttpResponse(bytes(consent.signature), content_type=consent.signature_type)
    response["X-Content-Type-Options"] = "nosniff"
    if consent.method == Consent.Method.TABLET:  # a PNG the portal drew and checked
        response["Cache-Control"] = "private, no-store"
        response["Content-Disposition"] = "inline"
        return response
    # An uploaded scan is saved, not opened in the portal's own origin.
    extension = SCAN_EXTENSIONS.get(consent.signature_type, "bin")
    return private_document(response, f"consent-{consent.pk}.{extension}", inline=False)


@require_safe
@login_required
def unit_consent(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the unit's vote stands, matter by matter and counted by owners, and whom to see
    next for each matter."""
    scoped = Household.objects.for_user(request.user).filter(unit=pk)
    unit = get_object_or_404(Unit.objects.select_related("building__campaign__community"), pk=pk)
    if not scoped.exists():
        raise Http404
    standing = unit_standing(unit)
    return render(request, "consultations/unit_consent.html", {"unit": unit, **standing})
