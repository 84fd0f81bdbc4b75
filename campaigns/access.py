"""Which campaigns a staff member may work on, and what they may do there.

Where someone works is their assignment, kept by the households app, which campaigns may not
import. The project names the function that answers it in ``settings.CAMPAIGNS_FOR_USER``
(the portal's ``campaigns_for``); what they may do is their role group's permissions.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.module_loading import import_string

from campaigns.models import Campaign


def campaigns_for(user):
    """The campaigns ``user`` works on, as a queryset."""
    return import_string(settings.CAMPAIGNS_FOR_USER)(user)


def get_campaign_for(user, slug: str, permission: str) -> Campaign:
    """The campaign ``slug`` if ``user`` works on it (404 otherwise) and holds ``permission``
    (403 otherwise), e.g. ``"campaigns.add_progressupdate"``."""
    campaign = campaigns_for(user).select_related("community").filter(slug=slug).first()
    if campaign is None:
        raise Http404
    if not user.has_perm(permission):
        raise PermissionDenied
    return campaign
