"""Cost-sharing proposals (费用分摊方案): every version of a unit's elevator, the preview of
every household's share, editing a draft and the matters it puts to the owners, and publishing
the version households sign.

The secretary of the unit's community drafts, edits and publishes; grid workers and building
leads whose scope covers the unit may look; everyone else gets a 404.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from campaigns.models import Elevator, Unit
from consultations.models import Matter, Proposal, Share
from consultations.models.proposals import ProposalError, ProposalLocked, locked_message
from consultations.proposal_forms import (
    MatterForm,
    ProposalForm,
    amount_formset,
    amount_initial,
    coefficient_formset,
    coefficient_initial,
)
from households.models import Household

TEMPLATES = "consultations/proposals/"


# Who may see or change a unit's proposals: the one place that decides.


def get_unit_for(user, pk: int, *, write: bool = False) -> Unit:
    """The unit if its proposals are in the user's scope (404 otherwise); PermissionDenied
    when asked to write and the user may only look."""
    unit = get_object_or_404(
        Unit.objects.for_user(user).select_related("building__campaign__community", "elevator"),
        pk=pk,
    )
    if write and not unit.building.campaign.is_managed_by(user):
        raise PermissionDenied
    return unit


def get_proposal_for(user, pk: int, *, write: bool = False) -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.filter(elevator__unit__in=Unit.objects.for_user(user))
        .select_related("elevator__unit__building__campaign__community", "created_by")
        .prefetch_related(
            "coefficients",
            "matters",
            Prefetch("shares", queryset=Share.objects.select_related("household")),
        ),
        pk=pk,
    )
    if write and not proposal.elevator.unit.building.campaign.is_managed_by(user):
        raise PermissionDenied
    return proposal


def elevator_of(unit: Unit) -> Elevator:
    try:
        return unit.elevator
    except Elevator.DoesNotExist:
        raise Http404(_("这个单元还没有登记电梯。")) from None


# The preview table


@dataclass(frozen=True)
class PreviewRow:
    household: Household
    coefficient: Decimal | None
    weight: Decimal | None
    amount: Decimal
    note: str


def preview_rows(proposal: Proposal, lines) -> list[PreviewRow]:
    coefficients = proposal.coefficient_map()
    by_area = proposal.rule == Proposal.Rule.FLOOR_AREA
    fixed = proposal.rule == Proposal.Rule.FIXED
    ground_note = {
        Proposal.GroundFloor.EXEMPT: _("一楼免出资"),
        Proposal.GroundFloor.TOKEN: _("一楼象征性出资"),
    }.get(proposal.ground_floor, "")
    return [
        PreviewRow(
            household=line.household,
            coefficient=coefficients.get(line.household.floor, Decimal("1.000"))
            if by_area
            else None,
            weight=None if fixed else line.weight,
            amount=line.amount,
            note=ground_note if line.household.floor == 1 and not fixed else "",
        )
        for line in lines
    ]


def proposal_context(
    request: HttpRequest, proposal: Proposal, *, may_edit: bool | None = None, **extra
) -> dict:
    """The proposal with its figures and every household's share: the preview for a draft,
    the shares as written for a published or superseded version. A fixed number of queries."""
    unit = proposal.elevator.unit
    problem = None
    if proposal.is_draft:
        households = list(proposal.households())
        try:
            lines = proposal.checked_allocation(households)
        except ProposalError as error:
            problem = error.message
            fixed = proposal.rule == Proposal.Rule.FIXED
            lines = proposal.allocate(households) if fixed else []
    else:
        lines = proposal.signed_lines()
    rows = preview_rows(proposal, lines)
    known = proposal.coefficient_map()
    return {
        "proposal": proposal,
        "unit": unit,
        "ballot": proposal.ballot(),
        "rows": rows,
        "total": sum((row.amount for row in rows), Decimal("0.00")),
        "total_area": sum((row.household.area for row in rows), Decimal("0.00")),
        "problem": problem,
        "floors": [(floor, known.get(floor)) for floor in range(1, unit.floors + 1)],
        "replaced_by": proposal.replaced_by(),
        "may_edit": unit.building.campaign.is_managed_by(request.user)
        if may_edit is None
        else may_edit,
        **extra,
    }


def locked(request: HttpRequest, proposal: Proposal, message: str | None = None) -> HttpResponse:
    """A published or superseded version is never edited: say so, with a way forward."""
    context = {
        "proposal": proposal,
        "unit": proposal.elevator.unit,
        "message": message or locked_message(proposal.version),
    }
    return render(request, TEMPLATES + "locked.html", context, status=409)


# Pages


@require_safe
@login_required
def unit_proposals(request: HttpRequest, pk: int) -> HttpResponse:
    """Every version of the unit's elevator, newest first."""
    unit = get_unit_for(request.user, pk)
    elevator = elevator_of(unit)
    context = {
        "unit": unit,
        "elevator": elevator,
        "proposals": elevator.proposals.select_related("created_by").order_by("-version"),
        "may_edit": unit.building.campaign.is_managed_by(request.user),
    }
    return render(request, TEMPLATES + "unit.html", context)


@require_POST
@login_required
def new_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft the next version (a copy of the latest) and open it for editing."""
    unit = get_unit_for(request.user, pk, write=True)
    draft = Proposal.new_draft(elevator_of(unit), by=request.user)
    messages.success(
        request,
        _("已起草第 %(version)s 版（草案），修改后预览并公示。") % {"version": draft.version},
    )
    return redirect("consultations:edit_proposal", draft.pk)


@require_safe
@login_required
def proposal_page(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal_for(request.user, pk)
    return render(request, TEMPLATES + "detail.html", proposal_context(request, proposal))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def edit_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft: figures, rule, ground floor, the coefficient of every floor and, for the
    fixed rule, the amount of every household. A published version answers 409."""
    proposal = get_proposal_for(request.user, pk, write=True)
    if not proposal.is_draft:
        return locked(request, proposal)
    unit = proposal.elevator.unit
    households = list(proposal.households())
    ground = sum(1 for household in households if household.floor == 1)
    data = request.POST if request.method == "POST" else None
    fixed = (data or {}).get("rule", proposal.rule) == Proposal.Rule.FIXED
    form = ProposalForm(data, instance=proposal, ground_households=ground)
    floors = coefficient_formset(
        data, floors=unit.floors, initial=coefficient_initial(proposal, unit.floors)
    )
    amounts = amount_formset(
        data,
        households=households,
        required=fixed,
        initial=amount_initial(proposal, households),
    )
    if data is not None and all([form.is_valid(), floors.is_valid(), amounts.is_valid()]):
        draft = form.save(commit=False)
        try:
            draft.save_draft(
                coefficients=floors.coefficients(),
                fixed_amounts=amounts.amounts() if fixed else None,
            )
        except ProposalLocked as error:
            return locked(request, proposal, error.message)
        messages.success(
            request, _("第 %(version)s 版草案已保存，请核对预览。") % {"version": draft.version}
        )
        return redirect("consultations:proposal", draft.pk)
    context = {
        "proposal": proposal,
        "unit": unit,
        "form": form,
        "floors": floors,
        "amounts": amounts,
        "amount_rows": list(zip(households, amounts.forms, strict=False)),
    }
    status = 422 if data is not None else 200
    return render(request, TEMPLATES + "edit.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def publish_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirm page (no JavaScript needed). POST: publish, so households sign it."""
    proposal = get_proposal_for(request.user, pk, write=True)
    if not proposal.is_draft:
        return locked(request, proposal)
    if request.method == "POST":
        try:
            proposal.publish(by=request.user)
        except ProposalError as error:
            return render_publish(request, proposal, problem=error.message, status=409)
        messages.success(
            request,
            _("第 %(version)s 版已公示，住户将按这个版本签字。") % {"version": proposal.version},
        )
        return redirect("consultations:proposal", proposal.pk)
    return render_publish(request, proposal)


def render_publish(request, proposal: Proposal, *, status: int = 200, **extra) -> HttpResponse:
    """The confirm page: what will be published, what it replaces, and any problem first."""
    current = Proposal.objects.published().filter(elevator=proposal.elevator_id).first()
    context = proposal_context(request, proposal, may_edit=True, current=current, **extra)
    return render(request, TEMPLATES + "publish.html", context, status=status)


# The matters a draft puts to the owners (表决事项)


def matter_of(proposal: Proposal, number: int) -> Matter:
    """The draft's matter of this number, the implicit default one included (404 otherwise)."""
    matter = next((m for m in proposal.ballot() if m.number == number), None)
    if matter is None:
        raise Http404(_("没有这个表决事项。"))
    return matter


def matters_url(proposal: Proposal) -> str:
    return reverse("consultations:proposal", args=[proposal.pk]) + "#matters"


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def add_matter(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a matter at the end of a draft's ballot."""
    proposal = get_proposal_for(request.user, pk, write=True)
    if not proposal.is_draft:
        return locked(request, proposal)
    data = request.POST if request.method == "POST" else None
    matter = Matter(proposal=proposal, number=len(proposal.ballot()) + 1)
    form = MatterForm(data, instance=matter)
    if data is not None and form.is_valid():
        try:
            added = Matter.objects.append(
                proposal, **{name: form.cleaned_data[name] for name in form.Meta.fields}
            )
        except ProposalLocked as error:
            return locked(request, proposal, error.message)
        messages.success(request, _("已添加第 %(number)s 项表决事项。") % {"number": added.number})
        return redirect(matters_url(proposal))
    return render_matter(request, proposal, form, status=422 if data is not None else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def edit_matter(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Change a draft's matter: its item, rule or title (the implicit default one is stored)."""
    proposal = get_proposal_for(request.user, pk, write=True)
    if not proposal.is_draft:
        return locked(request, proposal)
    data = request.POST if request.method == "POST" else None
    form = MatterForm(data, instance=matter_of(proposal, number))
    if data is not None and form.is_valid():
        try:
            form.save(commit=False).keep()
        except ProposalLocked as error:
            return locked(request, proposal, error.message)
        except ProposalError as error:
            return render_matter(request, proposal, form, status=409, problem=error.message)
        messages.success(request, _("第 %(number)s 项表决事项已保存。") % {"number": number})
        return redirect(matters_url(proposal))
    return render_matter(request, proposal, form, status=422 if data is not None else 200)


@require_POST
@login_required
def remove_matter(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Take a matter off a draft's ballot; the ones after it move up a number."""
    proposal = get_proposal_for(request.user, pk, write=True)
    if not proposal.is_draft:
        return locked(request, proposal)
    matter = matter_of(proposal, number)
    try:
        if matter.pk is None:
            raise ProposalError(_("选票至少要有一个表决事项：可以修改它，不能删除。"))
        matter.remove()
    except ProposalLocked as error:
        return locked(request, proposal, error.message)
    except ProposalError as error:
        messages.error(request, error.message)
        return redirect(matters_url(proposal))
    messages.success(request, _("已删除第 %(number)s 项表决事项。") % {"number": number})
    return redirect(matters_url(proposal))


def render_matter(
    request, proposal: Proposal, form: MatterForm, *, status: int, **extra
) -> HttpResponse:
    context = {"proposal": proposal, "unit": proposal.elevator.unit, "form": form, **extra}
    return render(request, TEMPLATES + "matter_form.html", context, status=status)
