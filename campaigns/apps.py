from django.apps import AppConfig, apps
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("项目、楼栋与分工")

    def ready(self) -> None:
        from campaigns.models.roles import Assignment, assignment_changed
        from campaigns.roles import sync_role_groups

        post_save.connect(assignment_changed, sender=Assignment, dispatch_uid="assignment-saved")
        post_delete.connect(
            assignment_changed, sender=Assignment, dispatch_uid="assignment-deleted"
        )
        # Once the last domain app has migrated, every role's group gets its permissions.
        post_migrate.connect(
            sync_role_groups,
            sender=apps.get_app_config("consultations"),
            dispatch_uid="campaigns-sync-role-groups",
        )
