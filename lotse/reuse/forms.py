from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import User
from lotse.core.forms import DateInput, VersionedModelForm
from lotse.ozg.models import OzgService, OzgStatus
from lotse.portfolio.models import Project
from lotse.reuse.models import ReuseKit, Solution, SolutionKind, SolutionUse
from lotse.tenancy.models import STAFF_ROLES, Membership, Municipality, OrgUnit
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


class SolutionForm(VersionedModelForm):
    repository_url = forms.URLField(label=_("Code-Repository"), required=False, assume_scheme="https")
    website_url = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    publiccode_file = forms.FileField(
        label=_("publiccode.yml einlesen"),
        required=False,
        help_text=_(
            "Optional: die publiccode.yml der Software (z. B. aus ihrem Repository auf openCoDE). Leere Felder "
            "werden aus ihr ausgefüllt."
        ),
    )

    class Meta:
        model = Solution
        fields = [
            "name",
            "kind",
            "summary",
            "description",
            "provider",
            "provider_kind",
            "provider_municipality",
            "licence",
            "repository_url",
            "website_url",
            "cost_model",
            "cost_note",
            "contact_name",
            "contact_email",
            "ozg_services",
            "listed",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ozg_services"].queryset = OzgService.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["ozg_services"].widget.attrs["size"] = 8
        self.fields["provider_municipality"].queryset = Municipality.objects.order_by("name")  # type: ignore[attr-defined]
        self.publiccode = ""
        if self.data and self.files.get("publiccode_file"):
            self.data = self.data.copy()  # type: ignore[attr-defined]
            self._fill_from_publiccode(self.files["publiccode_file"])

    def _fill_from_publiccode(self, upload: Any) -> None:
        """Fields left empty take the publiccode.yml's values; an unreadable file is reported on its field."""
        from lotse.reuse.services import from_publiccode

        self.publiccode_error: Any = ""
        if upload.size > PUBLICCODE_MAX:
            self.publiccode_error = _("Die publiccode.yml ist größer als 256 KB.")
            return
        try:
            text = upload.read().decode("utf-8")
            values = from_publiccode(text)
        except UnicodeDecodeError:
            self.publiccode_error = _("Die publiccode.yml ist keine UTF-8-Textdatei.")
            return
        except ValidationError as error:
            self.publiccode_error = error.messages[0]
            return
        self.publiccode = text
        for name, value in values.items():
            if not self.data.get(name):
                self.data[name] = value  # type: ignore[index]

    def clean_publiccode_file(self) -> Any:
        if getattr(self, "publiccode_error", ""):
            raise ValidationError(self.publiccode_error)
        return None

    def model_data(self) -> dict[str, Any]:
        data = super().model_data()
        if self.publiccode:
            data["publiccode"] = self.publiccode
        return data


PUBLICCODE_MAX = 256 * 1024


class UseForm(VersionedModelForm):
    class Meta:
        model = SolutionUse
        fields = ["status", "since", "project", "contact", "ozg_statuses", "experience", "visibility"]
        widgets = {"since": DateInput(), "experience": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "experience": _("Was andere Kommunen wissen sollten: Aufwand, Stolpersteine, was gut lief."),
            "ozg_statuses": _("Die OZG-Leistungen Ihrer Kommune, die mit dieser Lösung umgesetzt sind."),
        }

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.filter(municipality=municipality).order_by("title")  # type: ignore[attr-defined]
        people = Membership.objects.filter(municipality=municipality, role__in=STAFF_ROLES).values("user")
        contact = self.fields["contact"]
        contact.queryset = User.objects.filter(pk__in=people).order_by("last_name", "first_name", "email")  # type: ignore[attr-defined]
        contact.label_from_instance = lambda u: u.get_full_name() or u.email  # type: ignore[attr-defined]
        statuses = self.fields["ozg_statuses"]
        statuses.queryset = (  # type: ignore[attr-defined]
            OzgStatus.objects.filter(municipality=municipality).select_related("service").order_by("service__name")
        )
        statuses.label_from_instance = lambda s: s.service.name  # type: ignore[attr-defined]
        statuses.widget.attrs["size"] = 6

    def clean_since(self) -> date | None:
        since: date | None = self.cleaned_data.get("since")
        if since and not 1990 <= since.year <= 2100:
            raise forms.ValidationError(_("Bitte ein Datum zwischen 1990 und 2100 angeben."))
        return since


class SolutionFilterForm(forms.Form):
    q = forms.CharField(label=_("Suche"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Art"), required=False, choices=[("", _("alle")), *SolutionKind.choices])
    service = forms.ModelChoiceField(
        label=_("OZG-Leistung"), required=False, queryset=OzgService.objects.order_by("name"), empty_label=_("alle")
    )


class InterestForm(forms.Form):
    note = forms.CharField(
        label=_("Nachricht an die Kommune des Projekts"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional: was Sie vorhaben, wann, und ob Sie nachnutzen oder gemeinsam umsetzen möchten."),
    )


class KitForm(VersionedModelForm):
    class Meta:
        model = ReuseKit
        fields = [
            "licence",
            "repository_url",
            "specification_url",
            "dpia_url",
            "operations_url",
            "training_url",
            "contact_email",
            "contract_url",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.fields:
            if name.endswith("_url"):
                self.fields[name] = forms.URLField(
                    label=self.fields[name].label,
                    help_text=self.fields[name].help_text or _("Adresse, unter der andere Kommunen es finden"),
                    required=False,
                    assume_scheme="https",
                )
