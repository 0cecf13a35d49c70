from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.core.forms import DateInput, VersionedModelForm
from lotse.ozg.models import MaturityLevel, OzgLifeSituation, OzgService, OzgStatus, OzgTopic, Process, SolutionKind
from lotse.portfolio.models import Project
from lotse.tenancy.forms import UnitChoiceMixin
from lotse.tenancy.models import Municipality, OrgUnit

UNCHANGED = [("", _("— unverändert —"))]


def _only_units(field: Any, units: set[int]) -> None:
    """An editor works for their own units: the only ones offered and the only ones accepted."""
    field.required = True
    field.queryset = field.queryset.filter(pk__in=units)
    field.choices = [(pk, label) for pk, label in field.choices if pk and pk in units]


class FilterForm(UnitChoiceMixin, forms.Form):
    q = forms.CharField(label=_("Suche (Leistung, OZG-ID, LeiKa)"), required=False)
    topic = forms.ModelChoiceField(
        label=_("Themenfeld"), queryset=OzgTopic.objects.all(), required=False, empty_label=_("alle")
    )
    life_situation = forms.ModelChoiceField(
        label=_("Lebenslage"), queryset=OzgLifeSituation.objects.all(), required=False, empty_label=_("alle")
    )
    maturity = forms.TypedChoiceField(
        label=_("Reifegrad"),
        choices=[("", _("alle")), *MaturityLevel.choices],
        coerce=int,
        required=False,
        empty_value="",
    )
    unit = forms.ModelChoiceField(label=_("Einheit"), queryset=OrgUnit.objects.none(), required=False)

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_units(municipality, "unit")
        self.fields["life_situation"].queryset = OzgLifeSituation.objects.select_related("topic")  # type: ignore[attr-defined]
        self.fields["life_situation"].label_from_instance = lambda s: f"{s.topic.name}: {s.name}"  # type: ignore[attr-defined]


class StatusForm(UnitChoiceMixin, VersionedModelForm):
    solution_url = forms.URLField(label=_("Adresse des Online-Dienstes"), required=False, assume_scheme="https")

    class Meta:
        model = OzgStatus
        fields = [
            "maturity",
            "org_unit",
            "solution_name",
            "solution_url",
            "provider",
            "solution_kind",
            "payment",
            "user_account",
            "planned_date",
            "projects",
            "notes",
        ]
        widgets = {"planned_date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, municipality: Municipality, editable_units: set[int] | None = None, **kwargs: Any):
        """`editable_units`: for editors, the units they may choose (they must choose one of them)."""
        super().__init__(*args, **kwargs)
        self.limit_units(municipality, "org_unit")
        if editable_units is not None:
            _only_units(self.fields["org_unit"], editable_units)
        self.fields["projects"].queryset = Project.objects.filter(municipality=municipality)  # type: ignore[attr-defined]
        self.fields["projects"].widget.attrs["size"] = 6


class BulkForm(UnitChoiceMixin, forms.Form):
    """Values to set on every chosen service; empty ones are left as they are."""

    maturity = forms.TypedChoiceField(
        label=_("Reifegrad"), choices=[*UNCHANGED, *MaturityLevel.choices], coerce=int, required=False, empty_value=None
    )
    org_unit = forms.ModelChoiceField(label=_("zuständige Einheit"), queryset=OrgUnit.objects.none(), required=False)
    solution_kind = forms.ChoiceField(
        label=_("Art der Lösung"), choices=UNCHANGED + SolutionKind.choices, required=False
    )
    solution_name = forms.CharField(label=_("Online-Dienst"), max_length=200, required=False)
    provider = forms.CharField(label=_("Anbieter"), max_length=200, required=False)
    solution_url = forms.URLField(label=_("Adresse des Online-Dienstes"), required=False, assume_scheme="https")
    planned_date = forms.DateField(label=_("geplant online ab"), required=False, widget=DateInput())

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_units(municipality, "org_unit")
        field = self.fields["org_unit"]
        field.choices = [("", UNCHANGED[0][1]), *list(field.choices)[1:]]  # type: ignore[attr-defined]

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class ProcessForm(UnitChoiceMixin, VersionedModelForm):
    class Meta:
        model = Process
        fields = [
            "name",
            "org_unit",
            "description",
            "cases_per_year",
            "minutes_per_case",
            "channel",
            "media_breaks",
            "maturity",
            "effort",
            "service",
            "project",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, municipality: Municipality, editable_units: set[int] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality
        self.limit_units(municipality, "org_unit")
        if editable_units is not None:
            _only_units(self.fields["org_unit"], editable_units)
        self.fields["project"].queryset = Project.objects.filter(municipality=municipality)  # type: ignore[attr-defined]
        self.fields["service"].queryset = OzgService.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["effort"].widget = forms.NumberInput(attrs={"min": 1, "max": 5})

    def clean_effort(self) -> int:
        effort = self.cleaned_data["effort"]
        if not 1 <= effort <= 5:
            raise forms.ValidationError(_("Bitte einen Aufwand von 1 bis 5 angeben."))
        return int(effort)


class SharingForm(forms.Form):
    share_in_network = forms.BooleanField(
        label=_("Unsere Umsetzungsstände den Kommunen unserer Netzwerke zeigen"), required=False
    )


class CatalogueForm(forms.Form):
    ozg = forms.FileField(
        label=_("OZG-Leistungen (CSV oder Excel)"),
        help_text=_("Spalten: ozg_id, leistung, lebenslage, themenfeld; z. B. aus der OZG-Datenbank NRW"),
    )
    leika = forms.FileField(
        label=_("LeiKa-Leistungen (optional)"),
        required=False,
        help_text=_("Spalten: leika_key, leistung, ozg_id, leika_typ"),
    )

    MAX_BYTES = 10 * 1024 * 1024

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("ozg", "leika"):
            upload = data.get(name)
            if upload and upload.size > self.MAX_BYTES:
                self.add_error(name, _("Die Datei ist größer als 10 MB."))
        return data
