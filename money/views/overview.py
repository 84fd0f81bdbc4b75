"""The campaign's money at a glance for its secretary: each unit's fund application, payments
and settlement, and the campaign's money settings (the fund minimum, the notice period)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from campaigns.access import PermsAt, get_campaign_for
from campaigns.models import Unit
from money.accounts import unit_accounts
from money.forms import BooksForm
from money.models import Books


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def campaign_money(request: HttpRequest, slug: str) -> HttpResponse:
    permission = "money.change_books" if request.method == "POST" else "money.view_books"
    campaign = get_campaign_for(request.user, slug, permission, manage=True)
    books = Books.of(campaign)
    form = BooksForm(request.POST or None, instance=books)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("已保存。"))
        return redirect("money:campaign", campaign.slug)
    units = list(
        Unit.objects.filter(building__campaign=campaign)
        .select_related("building")
        .order_by("building__sort_order", "building__name", "name")
    )
    accounts = {money.unit.pk: money for money in unit_accounts(units)}
    context = {
        "campaign": campaign,
        "form": form,
        "rows": [(unit, accounts.get(unit.pk)) for unit in units],
        "perms": PermsAt(request.user, campaign),
    }
    return render(request, "money/campaign.html", context, status=422 if form.is_bound else 200)
