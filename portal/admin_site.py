"""The admin site: for secretaries only. What each of them sees there is their own
communities' records (campaigns.admin_scope)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class PortalAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        """A staff account that is the secretary of some community (or a superuser): a grid
        worker or lead given the staff flag by mistake still has no admin."""
        from campaigns.access import is_secretary  # the site is made while apps load

        return super().has_permission(request) and is_secretary(request.user)


class PortalAdminConfig(AdminConfig):
    default_site = "portal.admin_site.PortalAdminSite"
