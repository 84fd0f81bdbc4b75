"""A household's personal data: one owner's full phone number for the worker who calls, and,
for the community's secretary, the household's data exported or erased on request.

Each of these is recorded as an audit event (``households.models.AuditEvent``).
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers

from consultations.forms import ErasureForm
from consultations.household_page import household_context
from consultations.personal_data import ErasureRefused, erase_household, export_household
from core.pdf import private_document
from households.access import get_household_for, works_on
from households.models import AuditEvent, Owner

EXPORT = "households.export_household"
ERASE = "households.erase_household"


@require_safe
@login_required
@vary_on_headers("HX-Request")
def owner_phone(request: HttpRequest, pk: int, owner_pk: int) -> HttpResponse:
    """The owner's full number, for the workers assigned to the household (who call it); each
    look is recorded. With htmx the button turns into the number; otherwise the page shows it."""
    household = get_household_for(request.user, pk)
    owner = get_object_or_404(Owner, pk=owner_pk, household=household)
    if not owner.phone or not works_on(request.user, household):
        raise PermissionDenied
    subject = f"{household} · {owner.masked_name} {owner.masked_phone}"
    AuditEvent.record(request.user, AuditEvent.Action.VIEWED_PHONE, subject, household=household)
    if request.htmx:
        return render(request, "consultations/household.html#phone", {"owner": owner})
    context = household_context(request, household, revealed_owner=owner.pk)
    return render(request, "consultations/household.html", context)


@require_safe
@login_required
def export_household_data(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything kept about the household, as a JSON file, for the household that asked. A
    HEAD takes nothing away: nothing is gathered and nothing recorded as exported."""
    household = get_household_for(request.user, pk, write=True, perm=EXPORT)
    response = HttpResponse(content_type="application/json; charset=utf-8")
    if request.method != "HEAD":
        data = export_household(household, request.user)
        response.content = json.dumps(data, ensure_ascii=False, indent=2)
    name = _("住户个人信息-%(place)s.json") % {"place": f"{household.unit}{household.room}"}
    return private_document(response, name, inline=False)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def erase_household_data(request: HttpRequest, pk: int) -> HttpResponse:
    """Erase the household's personal data after the secretary types its room to confirm."""
    household = get_household_for(request.user, pk, write=True, perm=ERASE)
    form = ErasureForm(household, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            erase_household(household, request.user, form.cleaned_data["reason"])
        except ErasureRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("已删除 %(room)s 的个人信息；签字记录仍可核验。") % {"room": household.room},
            )
            return redirect(household.get_absolute_url())
    status = 422 if form.errors else 200
    context = {"household": household, "form": form}
    return render(request, "consultations/erase_household.html", context, status=status)
