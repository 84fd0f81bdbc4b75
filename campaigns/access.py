"""Who may do what, where: the checks views share. Where someone works is their
``Assignment``; what each role may do is declared in ``campaigns.roles``. ``may`` joins the
two for one object: a role counts only in its own community, building or unit."""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from campaigns.models import Campaign, Community, Place, Role, assignments_of
from campaigns.roles import role_gives


@dataclass(frozen=True)
class Spot:
    """Where an object sits, as ids: its community, and its building and unit if it has them."""

    community: int
    building: int | None = None
    unit: int | None = None


def spot_of(thing) -> Spot:
    """The spot of a community, campaign, building, unit, or anything in a unit (a household)
    or a campaign. Reads what is not loaded yet; select_related up to the campaign saves it."""
    if isinstance(thing, Spot):
        return thing
    if isinstance(thing, Community):
        return Spot(thing.pk)
    if isinstance(thing, Campaign):
        return Spot(thing.community_id)
    if getattr(thing, "site_id", None):  # an inspection, an issue, a step of a works site
        thing = thing.site
    if getattr(thing, "elevator_id", None):  # a works site, a proposal
        thing = thing.elevator
    if getattr(thing, "unit_id", None):  # a household, an elevator, a meeting of one unit
        thing = thing.unit
    if hasattr(thing, "building_id"):  # a unit
        return Spot(thing.building.campaign.community_id, thing.building_id, thing.pk)
    if hasattr(thing, "campaign_id"):  # a building, or a campaign's record
        building = thing.pk if thing._meta.model_name == "building" else None
        return Spot(thing.campaign.community_id, building)
    raise TypeError(f"No place for {thing!r}")


def covers(place: Place, spot: Spot) -> bool:
    """Whether an assignment reaches the spot: a secretary's whole community; a worker's or
    lead's building or unit (and, for what belongs to a campaign, not to a door, their
    community). The lawyer and the sub-district reviewer read every unit of their community:
    their roles give only what they may read and their reviews (campaigns.roles), never a
    household."""
    if place.role in (Role.SECRETARY, Role.LAWYER, Role.REVIEWER):
        return place.community == spot.community
    if spot.unit is not None:
        return place.unit == spot.unit or (
            place.building is not None and place.building == spot.building
        )
    if spot.building is not None:
        return place.building == spot.building
    return place.community == spot.community


def may(user, permission: str, thing) -> bool:
    """Whether ``user`` may use ``permission`` (e.g. ``"campaigns.add_milestone"``) on
    ``thing``: true iff an assignment of theirs reaches the thing's place in a role that gives
    the permission (a superuser always may). A role held elsewhere gives nothing here."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    places = [p for p in assignments_of(user) if role_gives(p.role, permission)]
    if not places:
        return False
    spot = spot_of(thing)
    return any(covers(place, spot) for place in places)


def is_secretary(user) -> bool:
    """Secretary of some community (or a superuser): who reaches the secretary's own pages,
    which show only the communities they are secretary of (``Campaign.objects.managed_by``)."""
    return user.is_superuser or any(p.role == Role.SECRETARY for p in assignments_of(user))


def secretary_required(view):
    """Logged in, and the secretary of some community (or a superuser); 403 otherwise. For
    pages about the user's own communities only: anything asked for by id or slug is checked
    with ``may`` against its own place."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_secretary(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def get_campaign_for(user, slug: str, permission: str = "", *, manage: bool = False) -> Campaign:
    """The campaign ``slug`` if ``user`` works on it (404 otherwise); 403 if the role they hold
    in its community lacks ``permission`` (e.g. ``"campaigns.add_progressupdate"``) or, with
    ``manage``, they are not its community's secretary."""
    campaign = Campaign.objects.worked_on_by(user).select_related("community")
    campaign = campaign.filter(slug=slug).first()
    if campaign is None:
        raise Http404
    if permission and not may(user, permission, campaign):
        raise PermissionDenied
    if manage and not campaign.is_managed_by(user):
        raise PermissionDenied
    return campaign


class PermsAt:
    """What the user may do at one place, read as a template reads Django's ``perms``
    (``perms.campaigns.add_milestone``): views give it as ``perms``, so a page shows the
    buttons of the role the user holds there, not of a role held elsewhere."""

    def __init__(self, user, thing):
        self.user, self.thing = user, thing

    def __getitem__(self, app_label: str) -> "AppPermsAt":
        return AppPermsAt(self, app_label)


class AppPermsAt:
    def __init__(self, perms: PermsAt, app_label: str):
        self.perms, self.app_label = perms, app_label

    def __getitem__(self, codename: str) -> bool:
        return may(self.perms.user, f"{self.app_label}.{codename}", self.perms.thing)
