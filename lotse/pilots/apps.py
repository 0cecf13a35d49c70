from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotsConfig(AppConfig):
    name = "lotse.pilots"
    label = "pilots"
    verbose_name = _("Digitallotsen")
