from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MoneyConfig(AppConfig):
    name = "money"
    label = "money"
    verbose_name = _("资金、缴费与决算")
