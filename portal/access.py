"""Role checks shared by views that span apps."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from campaigns.models import Campaign
from households.models import Role, assignments_of, roles_of


def campaigns_for(user):
    """Campaigns a staff member works on: all for a superuser, their communities' otherwise."""
    if user.is_superuser:
        return Campaign.objects.all()
    communities = {place.community for place in assignments_of(user)}
    return Campaign.objects.filter(community__in=sorted(communities))


def is_secretary(user) -> bool:
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
