from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("门户")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from portal.middleware import mark_seen
        from portal.roles import sync_role_groups

        user_logged_in.connect(mark_seen, dispatch_uid="portal-mark-seen-at-login")

        # post_migrate is sent only for apps with models; the portal has none of its own.
        post_migrate.connect(
            sync_role_groups,
            sender=apps.get_app_config("consultations"),
            dispatch_uid="portal-sync-role-groups",
        )
