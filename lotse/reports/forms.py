from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.core.forms import DateInput, VersionedModelForm
from lotse.reports.models import CouncilReportTemplate


class CouncilTemplateForm(VersionedModelForm):
    class Meta:
        model = CouncilReportTemplate
        fields = ["title", "addressee", "preface", "closing", "show_projects", "show_indicators", "show_changes"]
        widgets = {"preface": forms.Textarea(attrs={"rows": 6}), "closing": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"closing": _("Absätze durch eine Leerzeile trennen.")}


class PeriodForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Berichtsjahr"), coerce=int)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        this = date.today().year
        self.fields["year"].choices = [(y, str(y)) for y in range(this + 1, this - 6, -1)]  # type: ignore[attr-defined]
        self.fields["year"].initial = this


class RevisionForm(forms.ModelForm):
    class Meta:
        from lotse.reports.models import Revision

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
        from lotse.reports.models import MaturityAssessment

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
