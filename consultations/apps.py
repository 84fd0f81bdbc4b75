from django.apps import AppConfig
from django.db.models.signals import post_save, pre_save
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("走访、方案与签字")

    def ready(self) -> None:
        from simple_history.signals import post_create_historical_record

        from campaigns.models import Building, Campaign, Unit
        from consultations import revision
        from households.models import Household

        post_create_historical_record.connect(revision.count_history_record)
        pre_save.connect(revision.count_household_move, sender=Household)
        for place in (Unit, Building, Campaign):
            post_save.connect(revision.count_place, sender=place)
