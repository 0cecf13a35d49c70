from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.core.forms import DateInput, RowForm, VersionedModelForm
from lotse.core.uploads import check_document
from lotse.participation.models import Poll
from lotse.portfolio.models import Status
from lotse.reports.models import CouncilReportTemplate, MaturityAssessment, Revision, SurveyWave
from lotse.tenancy.models import OrgUnit
from lotse.tenancy.selectors import unit_choices


class CouncilTemplateForm(VersionedModelForm):
    class Meta:
        model = CouncilReportTemplate
        fields = [
            "title",
            "addressee",
            "paper_number",
            "author_unit",
            "resolution",
            "preface",
            "closing",
            "show_projects",
            "show_indicators",
            "show_changes",
        ]
        widgets = {
            "resolution": forms.Textarea(attrs={"rows": 3}),
            "preface": forms.Textarea(attrs={"rows": 6}),
            "closing": forms.Textarea(attrs={"rows": 6}),
        }


class PeriodForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Berichtsjahr"), coerce=int)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        this = date.today().year
        self.fields["year"].choices = [(y, str(y)) for y in range(this + 1, this - 6, -1)]  # type: ignore[attr-defined]
        self.fields["year"].initial = this


class RevisionForm(forms.ModelForm):
    class Meta:
        model = Revision
        fields = ["title", "frozen_on", "decision", "decided_on"]
        widgets = {"frozen_on": DateInput(), "decided_on": DateInput()}


class CompareForm(forms.Form):
    a = forms.ChoiceField(label=_("Von"))
    b = forms.ChoiceField(label=_("Bis"))

    def __init__(self, *args: object, choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["a"].choices = choices  # type: ignore[attr-defined]
        self.fields["b"].choices = choices  # type: ignore[attr-defined]


class MaturityForm(forms.ModelForm):
    class Meta:
        model = MaturityAssessment
        fields = ["assessed_on", "people", "processes", "it", "data", "services", "note"]
        widgets = {
            "assessed_on": DateInput(),
            "people": forms.RadioSelect,
            "processes": forms.RadioSelect,
            "it": forms.RadioSelect,
            "data": forms.RadioSelect,
            "services": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        scale = [(i, f"{i}{LEVELS.get(i, '')}") for i in range(1, 6)]
        for name in ("people", "processes", "it", "data", "services"):
            self.fields[name].choices = scale  # type: ignore[attr-defined]
        self.fields["people"].help_text = _("1 = am Anfang, 3 = gut unterwegs, 5 = vorbildlich")


LEVELS = {1: _(" – am Anfang"), 3: _(" – gut unterwegs"), 5: _(" – vorbildlich")}


class RevisionDecisionForm(VersionedModelForm):
    """What changes after freezing: the name and the council's decision; the frozen state never does."""

    class Meta:
        model = Revision
        fields = ["title", "decision", "decided_on"]
        widgets = {"decided_on": DateInput()}


class WaveForm(VersionedModelForm):
    class Meta:
        model = SurveyWave
        fields = ["title", "questionnaire", "deadline", "units", "instructions"]
        widgets = {"deadline": DateInput(), "instructions": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:

        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality
        self.fields["questionnaire"].queryset = Poll.objects.filter(municipality=municipality)  # type: ignore[attr-defined]
        units = self.fields["units"]
        units.queryset = OrgUnit.objects.filter(municipality=municipality)  # type: ignore[attr-defined]
        units.choices = unit_choices(municipality)  # type: ignore[attr-defined]
        units.widget.attrs["size"] = 10
        units.help_text = _("z. B. zwei Dezernate (Mehrfachauswahl mit Strg)")


class ProjectRowForm(RowForm):
    title = forms.CharField(label=_("Vorhaben"), max_length=200, required=False)
    summary = forms.CharField(label=_("Kurzbeschreibung"), max_length=500, required=False)
    status = forms.ChoiceField(label=_("Stand"), required=False)
    budget = forms.CharField(label=_("Budget (EUR)"), max_length=20, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (s.value, s.label) for s in (Status.IDEA, Status.PLANNING, Status.IMPLEMENTATION, Status.OPERATION)
        ]


ProjectRows = forms.formset_factory(ProjectRowForm, extra=3)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200, help_text=_("Gleicher Titel wie vorhanden: neue Version"))
    file = forms.FileField(label=_("Datei"), help_text=_("PDF, Word, Excel oder PowerPoint, höchstens 10 MB"))

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        allowed = (".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp")
        if not file.name.lower().endswith(allowed):
            raise forms.ValidationError(_("Bitte eine Datei im Format PDF, Word, Excel, PowerPoint oder OpenDocument."))
        if file.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("Die Datei ist größer als 10 MB."))
        check_document(file, file.name)
        return file
