from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def assignment_changed(sender, instance, **kwargs) -> None:
    from households.models import forget_assignments, sync_role_groups_of

    forget_assignments(instance.user)
    sync_role_groups_of(instance.user)


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = _("住户与分工")

    def ready(self) -> None:
        from households.models import Assignment

        post_save.connect(assignment_changed, sender=Assignment, dispatch_uid="assignment-saved")
        post_delete.connect(
            assignment_changed, sender=Assignment, dispatch_uid="assignment-deleted"
        )
