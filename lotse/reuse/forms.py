from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.core.forms import DateInput
from lotse.tenancy.models import Municipality, OrgUnit
from lotse.tenancy.selectors import unit_choices


class AdoptForm(forms.Form):
    title = forms.CharField(label=_("Titel des neuen Projekts"), max_length=200)
    start_date = forms.DateField(
        label=_("Geplanter Beginn"),
        widget=DateInput(),
        help_text=_("Die Meilensteine des Vorbilds werden auf diesen Beginn verschoben."),
        error_messages={"required": _("Bitte den geplanten Beginn angeben.")},
    )
    lead_unit = forms.ModelChoiceField(
        label=_("Federführende Organisationseinheit"), queryset=OrgUnit.objects.none(), required=False
    )

    def __init__(self, *args: Any, municipality: Municipality, lead_units: set[int] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["lead_unit"]
        field.queryset = OrgUnit.objects.filter(municipality=municipality)  # type: ignore[attr-defined]
        choices = [(pk, label) for pk, label in unit_choices(municipality) if lead_units is None or pk in lead_units]
        field.choices = [("", "—"), *choices]  # type: ignore[attr-defined]
        if lead_units is not None:  # editors lead projects in their own units only
            field.required = True
            field.queryset = field.queryset.filter(pk__in=lead_units)  # type: ignore[attr-defined]

    def clean_start_date(self) -> date:
        start: date = self.cleaned_data["start_date"]
        if not 2000 <= start.year <= 2100:
            raise forms.ValidationError(_("Bitte ein Datum zwischen 2000 und 2100 angeben."))
        return start
