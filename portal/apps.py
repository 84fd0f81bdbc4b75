from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("门户")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from portal.middleware import mark_seen

        user_logged_in.connect(mark_seen, dispatch_uid="portal-mark-seen-at-login")
