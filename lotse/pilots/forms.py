from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from lotse.core.forms import DateInput, VersionedModelForm
from lotse.pilots.models import DigitalPilot
from lotse.portfolio.models import Project
from lotse.tenancy.forms import UnitChoiceMixin
from lotse.tenancy.models import STAFF_ROLES, Municipality


class PilotForm(UnitChoiceMixin, VersionedModelForm):
    class Meta:
        model = DigitalPilot
        fields = ["person", "org_units", "topics", "phone", "since", "projects"]
        widgets = {"since": DateInput()}

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality
        people = (
            get_user_model()
            .objects.filter(memberships__municipality=municipality, memberships__role__in=STAFF_ROLES)
            .order_by("last_name", "first_name")
        )
        person = self.fields["person"]
        person.queryset = people  # type: ignore[attr-defined]
        person.label_from_instance = lambda u: f"{u.get_full_name() or u.email} ({u.email})"  # type: ignore[attr-defined]
        person.help_text = _("Beschäftigte mit Zugang zu Lotse; sie werden Bearbeitende ihrer Einheiten.")
        self.limit_units(municipality, "org_units")
        self.fields["org_units"].widget.attrs["size"] = 8
        self.fields["projects"].queryset = Project.objects.filter(municipality=municipality)  # type: ignore[attr-defined]
        self.fields["projects"].required = False
        self.fields["projects"].widget.attrs["size"] = 6
