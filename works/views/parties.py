"""The campaign's parties (参建单位): the secretary lists, adds and edits them and links each
to the elevators whose works it takes part in; and gives their people logins."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from campaigns.access import PermsAt, get_campaign_for
from campaigns.models import Party
from households.privacy import mask_phone
from works.models import Site
from works.review import ACCOUNT_ROLES, create_account, one_time_password, party_accounts
from works.review_forms import AccountForm, PartyForm


@require_safe
@login_required
def party_list(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, "campaigns.view_party")
    full_phones = campaign.is_managed_by(request.user)
    parties = list(
        Party.objects.filter(campaign=campaign).prefetch_related("sites__elevator__unit__building")
    )
    for party in parties:
        party.phone_shown = party.contact_phone if full_phones else mask_phone(party.contact_phone)
    context = {"campaign": campaign, "parties": parties, "perms": PermsAt(request.user, campaign)}
    return render(request, "works/parties/list.html", context)


def save_party(form: PartyForm) -> Party:
    with transaction.atomic():
        party = form.save()
        sites = [
            Site.objects.get_or_create(elevator=elevator)[0]
            for elevator in form.cleaned_data["elevators"]
        ]
        party.sites.set(sites)
    return party


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def new_party(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, "campaigns.add_party")
    form = PartyForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        save_party(form)
        messages.success(request, _("单位已添加。"))
        return redirect("works:parties", campaign.slug)
    status = 422 if form.is_bound else 200
    context = {"campaign": campaign, "form": form}
    return render(request, "works/parties/form.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def edit_party(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, "campaigns.change_party")
    party = get_object_or_404(Party.objects.filter(campaign=campaign), pk=pk)
    form = PartyForm(request.POST or None, instance=party, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        save_party(form)
        messages.success(request, _("单位已更新。"))
        return redirect("works:parties", campaign.slug)
    status = 422 if form.is_bound else 200
    context = {"campaign": campaign, "form": form, "party": party}
    return render(request, "works/parties/form.html", context, status=status)


def accounts_page(request, campaign, form, *, status=200, created=None) -> HttpResponse:
    context = {
        "campaign": campaign,
        "accounts": party_accounts(campaign),
        "form": form,
        "created": created,
    }
    return render(request, "works/parties/accounts.html", context, status=status)


@require_safe
@login_required
def account_list(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, manage=True)
    return accounts_page(request, campaign, AccountForm(campaign=campaign))


@require_POST
@login_required
@never_cache
def new_account(request: HttpRequest, slug: str) -> HttpResponse:
    """Create the login and show its initial password once, on this answer only (it is not
    kept anywhere but as a hash): the secretary hands it over, the person changes it."""
    campaign = get_campaign_for(request.user, slug, manage=True)
    form = AccountForm(request.POST, campaign=campaign)
    if not form.is_valid():
        return accounts_page(request, campaign, form, status=422)
    data = form.cleaned_data
    user, password = create_account(
        campaign,
        username=data["username"],
        name=data["name"],
        role=data["role"],
        party=data["party"],
    )
    created = {"user": user, "password": password, "role": data["role"]}
    return accounts_page(request, campaign, AccountForm(campaign=campaign), created=created)


@require_POST
@login_required
@never_cache
def reset_password(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A new initial password for a party's person who lost theirs, shown once."""
    campaign = get_campaign_for(request.user, slug, manage=True)
    assignment = get_object_or_404(party_accounts(campaign), pk=pk)
    user = assignment.user
    other_roles = user.assignments.exclude(role__in=ACCOUNT_ROLES).exists()
    if user.is_staff or user.is_superuser or other_roles:  # the parties' people only
        messages.error(request, _("这个账号还有其他角色，请由管理员重置密码。"))
        return redirect("works:accounts", campaign.slug)
    password = one_time_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    created = {"user": user, "password": password, "role": assignment.role, "reset": True}
    return accounts_page(request, campaign, AccountForm(campaign=campaign), created=created)
