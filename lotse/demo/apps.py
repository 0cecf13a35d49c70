from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data. The highest room: it may use every other room, none uses it."""

    name = "lotse.demo"
    label = "demo"
    verbose_name = _("Demodaten")
