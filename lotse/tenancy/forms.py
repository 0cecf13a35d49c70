from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.core.forms import VersionedModelForm
from lotse.tenancy.models import Membership, Municipality, OrgUnit, Role
from lotse.tenancy.selectors import unit_choices


class MunicipalityForm(VersionedModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Municipality
        fields = ["name", "kind", "ars", "inhabitants", "district", "logo", "website", "contact_email"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district = self.fields["district"]
        district.queryset = Municipality.objects.filter(kind=Municipality.Kind.DISTRICT).exclude(  # type: ignore[attr-defined]
            pk=self.instance.pk
        )


class UnitChoiceMixin:
    """Org unit fields limited to one municipality and shown as an indented tree."""

    def limit_units(self, municipality: Municipality, *names: str, exclude: int | None = None) -> None:
        choices = [(pk, label) for pk, label in unit_choices(municipality) if pk != exclude]
        for name in names:
            field = self.fields[name]  # type: ignore[attr-defined]
            field.queryset = OrgUnit.objects.filter(municipality=municipality)
            empty = [("", "—")] if not field.widget.allow_multiple_selected else []
            field.choices = empty + choices


class OrgUnitForm(UnitChoiceMixin, VersionedModelForm):
    class Meta:
        model = OrgUnit
        fields = ["name", "short_name", "kind", "parent", "position"]

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality
        self.limit_units(municipality, "parent", exclude=self.instance.pk)


class MembershipAddForm(UnitChoiceMixin, forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse"))
    first_name = forms.CharField(label=_("Vorname"), required=False, max_length=150)
    last_name = forms.CharField(label=_("Nachname"), required=False, max_length=150)
    role = forms.ChoiceField(label=_("Rolle"), choices=Role.choices, initial=Role.EDITOR)
    org_units = forms.ModelMultipleChoiceField(
        label=_("Organisationseinheiten"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Bearbeitende dürfen die Datensätze dieser Einheiten und ihrer Untereinheiten bearbeiten."),
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_units(municipality, "org_units")


class MembershipForm(UnitChoiceMixin, VersionedModelForm):
    class Meta:
        model = Membership
        fields = ["role", "org_units"]
        widgets = {"org_units": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_units(self.instance.municipality, "org_units")
