"""Who may work on which campaign: the checks views share. Where someone works is their
``Assignment``; what they may do there is their role group's permissions."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from campaigns.models import Campaign, Role, roles_of


def is_secretary(user) -> bool:
    """Secretary of some community (or a superuser)."""
    return user.is_superuser or Role.SECRETARY in roles_of(user)


def secretary_required(view):
    """Logged in, and the secretary of some community (or a superuser); 403 otherwise."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_secretary(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def get_campaign_for(user, slug: str, permission: str = "", *, manage: bool = False) -> Campaign:
    """The campaign ``slug`` if ``user`` works on it (404 otherwise); 403 if they lack
    ``permission`` (e.g. ``"campaigns.add_progressupdate"``) or, with ``manage``, are not its
    community's secretary."""
    campaign = Campaign.objects.worked_on_by(user).select_related("community")
    campaign = campaign.filter(slug=slug).first()
    if campaign is None:
        raise Http404
    if permission and not user.has_perm(permission):
        raise PermissionDenied
    if manage and not campaign.is_managed_by(user):
        raise PermissionDenied
    return campaign
