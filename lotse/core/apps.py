from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lotse.core"
    label = "core"
    verbose_name = _("Grundlagen")

    def ready(self) -> None:
        from lotse.core.forms import bound_model_choice_fields

        bound_model_choice_fields()
