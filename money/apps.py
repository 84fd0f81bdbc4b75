from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class MoneyConfig(AppConfig):
    name = "money"
    label = "money"
    verbose_name = _("资金、缴费与决算")

    def ready(self) -> None:
        from money.closing import opening_recorded
        from works.models import Opening

        post_save.connect(opening_recorded, sender=Opening, dispatch_uid="money-opening-closes")
