from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from lotse.accounts.forms import AccountsByEmailField
from lotse.core.forms import DateInput, VersionedModelForm
from lotse.pilots.models import (
    BoardAnswer,
    BoardQuestion,
    DigitalPilot,
    NetworkEvent,
    Programme,
    Seminar,
    TrainingModule,
)
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


class ProgrammeForm(forms.ModelForm):
    """A network's qualification programme, set up by its operators or the platform."""

    operator_emails = AccountsByEmailField(
        label=_("Leitung des Programms (E-Mail-Adressen)"),
        required=False,
        help_text=_("Konten, die Module, Seminare und Zertifikate pflegen, durch Komma getrennt"),
    )

    class Meta:
        model = Programme
        fields = ["name", "provider"]


class ModuleForm(forms.ModelForm):
    class Meta:
        model = TrainingModule
        fields = ["position", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class SeminarForm(forms.ModelForm):
    class Meta:
        model = Seminar
        fields = ["title", "starts_on", "ends_on", "place", "capacity", "modules"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "modules": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["modules"].queryset = programme.modules.all()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Das Ende liegt vor dem Beginn."))
        if data.get("capacity") == 0:
            self.add_error("capacity", _("Ein Seminar braucht mindestens einen Platz."))
        return data


class RegisterForm(forms.Form):
    pilot = forms.ModelChoiceField(label=_("Digitallotse"), queryset=DigitalPilot.objects.none())

    def __init__(self, *args: Any, pilots: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["pilot"]
        field.queryset = pilots  # type: ignore[attr-defined]
        field.label_from_instance = lambda p: f"{p} ({p.municipality.name})"  # type: ignore[attr-defined]


class QuestionForm(forms.ModelForm):
    class Meta:
        model = BoardQuestion
        fields = ["title", "body", "topics"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}


class AnswerForm(forms.ModelForm):
    class Meta:
        model = BoardAnswer
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Begründung"), max_length=300)


class EventForm(forms.ModelForm):
    online_url = forms.URLField(label=_("Link zur Videokonferenz"), required=False, assume_scheme="https")

    class Meta:
        model = NetworkEvent
        fields = ["title", "description", "starts_at", "ends_at", "place", "online_url"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
