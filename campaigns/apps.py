from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("项目、楼栋与分工")

    def ready(self) -> None:
        from campaigns.models.roles import Assignment, assignment_changed

        post_save.connect(assignment_changed, sender=Assignment, dispatch_uid="assignment-saved")
        post_delete.connect(
            assignment_changed, sender=Assignment, dispatch_uid="assignment-deleted"
        )
