"""The secretary's people screen: owner entries of different flats that are probably one
person (proposed, never linked silently), the people and bodies already linked, and who
linked or split what, when.

Only the secretary of the campaign's community (or a superuser): anyone else on the campaign
gets 403, anyone not on it 404. Everything works as plain forms posting and redirecting; a
refused link shows the page again with the reason (422), nothing changed.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from campaigns.access import get_campaign_for
from campaigns.models import Campaign
from consultations.models.consents import ERASED_NAME
from consultations.owner_links import LinkRefused, confirm_link
from consultations.people_forms import KindForm, LinkForm, owners_of
from households import people
from households.models import Owner, Person
from households.privacy import mask_name

PERMISSION = "households.change_person"
HISTORY_LIMIT = 100
MATCHED_ON = {"id_tail": gettext_lazy("身份证后4位相同"), "phone": gettext_lazy("电话相同")}


def campaign_for(request: HttpRequest, slug: str) -> Campaign:
    return get_campaign_for(request.user, slug, PERMISSION, manage=True)


@dataclass
class Group:
    """Owner entries of one name in several flats, not all linked as one yet."""

    masked_name: str
    owners: list[Owner]


@dataclass
class Change:
    at: datetime
    who: str
    what: str
    subject: str


def page_context(campaign: Campaign, **extra) -> dict:
    community = campaign.community
    shared = list(people.entries_sharing_a_name(community))
    matches = [
        (first, second, [str(MATCHED_ON[field]) for field in on])
        for first, second, on in people.matches_among(shared)
    ]
    by_name: dict[str, list[Owner]] = {}
    for owner in shared:
        by_name.setdefault(owner.name, []).append(owner)
    groups = [
        Group(mask_name(name), owners)
        for name, owners in by_name.items()
        if name != ERASED_NAME
        and (len({o.person_id for o in owners}) > 1 or owners[0].person_id is None)
    ]
    persons = (
        Person.objects.filter(community=community)
        .prefetch_related(
            Prefetch("titles", Owner.objects.select_related("household__unit__building"))
        )
        .order_by("kind", "pk")
    )
    return {
        "campaign": campaign,
        "matches": matches,
        "groups": groups,
        "persons": persons,
        "kinds": Person.Kind.choices,
        "changes": history(community),
        "ticked": set(),
        **extra,
    }


def history(community) -> list[Change]:
    """Who linked or split which entry, and who made, changed or removed a person, newest
    first: from the history tables, two queries."""
    reasons = [people.LINKED, people.UNLINKED]
    rows = (
        Owner.history.filter(
            household__unit__building__campaign__community=community,
            history_change_reason__in=reasons,
        )
        .order_by("-history_date", "-history_id")
        .values(
            "history_date",
            "history_user__username",
            "history_change_reason",
            "person_id",
            "name",
            "household__unit__building__name",
            "household__unit__name",
            "household__room",
        )[:HISTORY_LIMIT]
    )
    changes = [
        Change(
            at=row["history_date"],
            who=row["history_user__username"] or "—",
            what=(
                _("关联到产权主体 %(pk)s") % {"pk": row["person_id"]}
                if row["person_id"]
                else _("拆分（不再关联）")
            ),
            subject=(
                f"{row['household__unit__building__name']}{row['household__unit__name']} "
                f"{row['household__room']} {mask_name(row['name'])}"
            ),
        )
        for row in rows
    ]
    kinds = dict(Person.Kind.choices)
    actions = {"+": _("新建"), "~": _("类型改为 %(kind)s"), "-": _("删除")}
    for row in (
        Person.history.filter(community=community)
        .order_by("-history_date", "-history_id")
        .values("history_date", "history_user__username", "history_type", "id", "kind")[
            :HISTORY_LIMIT
        ]
    ):
        kind = str(kinds.get(row["kind"], row["kind"]))
        changes.append(
            Change(
                at=row["history_date"],
                who=row["history_user__username"] or "—",
                what=str(actions[row["history_type"]]) % {"kind": kind},
                subject=_("产权主体 %(pk)s（%(kind)s）") % {"pk": row["id"], "kind": kind},
            )
        )
    changes.sort(key=lambda change: change.at, reverse=True)
    return changes[:HISTORY_LIMIT]


@require_safe
@login_required
def people_page(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = campaign_for(request, slug)
    return render(request, "consultations/people.html", page_context(campaign))


@require_POST
@login_required
def link_owners(request: HttpRequest, slug: str) -> HttpResponse:
    """Confirm a proposed match, or link the ticked entries: as one person or body, joining
    the Person one of them is already linked to. Refused, with the reason, when the count
    could not be made."""
    campaign = campaign_for(request, slug)
    form = LinkForm(campaign.community, request.POST)
    if form.is_valid():
        owners = list(form.cleaned_data["owners"])
        try:
            person = confirm_link(owners, kind=form.cleaned_data["kind"])
        except LinkRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            places = "、".join(str(o.household) for o in owners)
            messages.success(
                request,
                _("已合并为产权主体 %(pk)s：%(places)s。") % {"pk": person.pk, "places": places},
            )
            return redirect("consultations:people", slug=campaign.slug)
    context = page_context(campaign, link_form=form, ticked=set(request.POST.getlist("owners")))
    return render(request, "consultations/people.html", context, status=422)


@require_POST
@login_required
def split_owner(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Unlink one entry from its Person (see ``households.people.split`` for what is kept)."""
    campaign = campaign_for(request, slug)
    owner = get_object_or_404(
        owners_of(campaign.community).select_related("household__unit__building", "person"),
        pk=pk,
    )
    if owner.person_id is None:
        messages.info(
            request, _("%(place)s 的这位产权人没有关联。") % {"place": str(owner.household)}
        )
    else:
        people.split(owner)
        messages.success(
            request, _("已拆分：%(place)s 不再关联。") % {"place": str(owner.household)}
        )
    return redirect("consultations:people", slug=campaign.slug)


@require_POST
@login_required
def person_kind(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Say what a person is: a person, or a body (the developer, a work unit, the housing
    authority). Changing it changes no count: one Person is one head whatever it is."""
    campaign = campaign_for(request, slug)
    person = get_object_or_404(Person.objects.filter(community=campaign.community), pk=pk)
    form = KindForm(request.POST)
    if not form.is_valid():
        context = page_context(campaign, kind_error=(person.pk, form.errors["kind"][0]))
        return render(request, "consultations/people.html", context, status=422)
    people.set_kind(person, form.cleaned_data["kind"])
    messages.success(
        request,
        _("产权主体 %(pk)s 的类型已改为 %(kind)s。")
        % {"pk": person.pk, "kind": person.get_kind_display()},
    )
    return redirect("consultations:people", slug=campaign.slug)
