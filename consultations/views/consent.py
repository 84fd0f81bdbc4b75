"""Signing at the door, and where the unit's vote stands (Civil Code Art. 278)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from campaigns.models import Campaign, Unit
from consultations.costs import explain_share
from consultations.forms import ConsentForm
from consultations.models import Consent, Proposal
from consultations.signing import ConsentConflict, SignatureError, other_titles, record_consent
from consultations.standing import unit_standing
from core.pdf import private_document
from households.access import get_household_for
from households.models import Household

ADD_CONSENT = "consultations.add_consent"
SCAN_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


SIGNED = "signed"  # the tag of the confirmation the household page shows by its 签字 section


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner reads their cost sheet and answers each matter of the proposal, signing on
    the tablet (or the worker records a scanned paper form); the worker is the witness. The
    signer is one of the flat's registered owners, or their agent with a power of attorney; a
    flat with no registered owner cannot be signed until one is recorded."""
    household = get_household_for(request.user, pk, write=True, perm=ADD_CONSENT)
    proposal = Proposal.objects.published().for_household(household).first()
    if proposal is None:
        messages.error(request, _("本单元还没有公示的分摊方案，暂时不能签字。"))
        return redirect(household.get_absolute_url())
    owners = list(household.owners.all())
    titles = other_titles(owners, household.unit_id)
    others = sorted({t.household for mine in titles.values() for t in mine}, key=lambda h: h.pk)
    current = {
        c.household_id: c
        for c in Consent.objects.current().filter(
            household__in=[household, *others], proposal=proposal
        )
    }
    mine = current.get(household.pk)
    form = ConsentForm(
        request.POST or None,
        request.FILES or None,
        owners=owners,
        ballot=proposal.ballot(),
        also_for={pk: flats_text(household, mine) for pk, mine in titles.items() if mine},
        initial={
            "expected_current": mine.pk if mine else None,
            "expected_others": expected_token(others, current),
        },
    )
    status = 200
    if request.method == "POST":
        if not owners:
            form.add_error(None, _("本户还没有登记产权人，请先登记产权人再签字。"))
        elif form.is_valid():
            follow_up = (household.follow_up_on, household.follow_up_step)
            try:
                consent = record_consent(
                    household=household,
                    proposal=proposal,
                    witness=request.user,
                    signed_at=timezone.now(),
                    **form.consent_fields(),
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
                rooms = [
                    household.room,
                    *(t.household.room for t in titles[consent.signer_owner_id]),
                ]
                confirmation = _("已记录 %(room)s 的签字意见。") % {"room": "、".join(rooms)}
                household.refresh_from_db(fields=["follow_up_on"])
                if follow_up[0] and not household.follow_up_on:
                    confirmation += " " + _("原定 %(date)s 的跟进（%(step)s）已随签字关闭。") % {
                        "date": follow_up[0].strftime("%m-%d"),
                        "step": follow_up[1] or _("未写明事项"),
                    }
                # shown in the 签字 section the page opens at (templates/consultations/household.html)
                messages.success(request, confirmation, extra_tags=SIGNED)
                return redirect(household.get_absolute_url() + "#consent")
        status = 422
    context = {
        "household": household,
        "proposal": proposal,
        "explanation": explain_share(proposal, household),
        "current": mine,
        "owners": owners,
        "owners_url": None if owners else owners_url(request.user, household),
        "form": form,
    }
    return render(request, "consultations/sign.html", context, status=status)


def flats_text(household: Household, titles: list) -> str:
    """The other flats a multi-flat owner signs for at once: 3栋1单元 402、502."""
    rooms = "、".join(t.household.room for t in titles)
    return f"{household.unit} {rooms}"


def expected_token(flats: list[Household], current: dict[int, Consent]) -> str:
    """The answers the worker sees for the other flats the signer may sign for: flat id, then
    the current consent's id (empty when none), checked again when the signature is recorded."""
    return ",".join(
        f"{flat.pk}:{current[flat.pk].pk if flat.pk in current else ''}" for flat in flats
    )


def owners_url(user, household: Household) -> str | None:
    """Where the flat's owners are recorded: the household in the data admin, for the
    secretary of its community (None for those who cannot open it)."""
    campaign = household.unit.building.campaign_id
    if user.is_staff and Campaign.objects.managed_by(user).filter(pk=campaign).exists():
        return reverse("admin:households_household_change", args=[household.pk])
    return None


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
def attorney_letter_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The scanned power of attorney an agent signed with, for the staff who may see the
    household (as the signature): an upload, so saved, never opened in the portal's origin."""
    consent = get_object_or_404(
        Consent.objects.for_user(request.user).exclude(attorney_letter_type=""), pk=pk
    )
    letter = bytes(consent.attorney_letter)
    if not letter:  # erased on request: the digest is kept, the scan is gone
        raise Http404
    response = HttpResponse(letter, content_type=consent.attorney_letter_type)
    response["X-Content-Type-Options"] = "nosniff"
    extension = SCAN_EXTENSIONS.get(consent.attorney_letter_type, "bin")
    return private_document(response, f"attorney-letter-{consent.pk}.{extension}", inline=False)


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
