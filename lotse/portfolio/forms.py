from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lotse.core.forms import DateInput, RowForm, VersionedModelForm
from lotse.portfolio.models import (
    SCORE_MAX,
    SCORE_MIN,
    Funding,
    Light,
    Obligation,
    PriorityCriterion,
    Project,
    RelationKind,
    Status,
    StatusReport,
    Tag,
)
from lotse.portfolio.selectors import SORTS, mine_params, report_every_days
from lotse.strategy.models import FieldOfAction, Goal
from lotse.tenancy.forms import UnitChoiceMixin
from lotse.tenancy.models import Municipality, OrgUnit


class ProjectFilterForm(UnitChoiceMixin, forms.Form):
    """The list's filters; all optional, all in the URL so a filtered list can be shared."""

    q = forms.CharField(label=_("Suche"), required=False)
    mine = forms.BooleanField(label=_("nur meine Projekte"), required=False)
    status = forms.MultipleChoiceField(
        label=_("Status"), choices=Status.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    field = forms.ModelChoiceField(
        label=_("Handlungsfeld"), queryset=FieldOfAction.objects.none(), required=False, empty_label=_("alle")
    )
    unit = forms.ModelChoiceField(label=_("Organisationseinheit"), queryset=OrgUnit.objects.none(), required=False)
    funding = forms.MultipleChoiceField(
        label=_("Finanzierung"), choices=Funding.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    obligation = forms.ChoiceField(
        label=_("Pflicht/Kür"), choices=[("", _("alle")), *Obligation.choices], required=False
    )
    lighthouse = forms.BooleanField(label=_("nur Leuchtturmprojekte"), required=False)
    goal = forms.ModelChoiceField(label=_("Ziel"), queryset=Goal.objects.none(), required=False, empty_label=_("alle"))
    tag = forms.ModelChoiceField(
        label=_("Schlagwort"), queryset=Tag.objects.none(), required=False, empty_label=_("alle")
    )
    year = forms.IntegerField(label=_("mit Budget im Jahr"), required=False, min_value=2000, max_value=2100)
    overdue = forms.BooleanField(label=_("nur mit überfälligen Meilensteinen"), required=False)
    stale = forms.BooleanField(label=_("nur mit fälligem Statusbericht"), required=False)
    sort = forms.ChoiceField(
        label=_("Sortierung"),
        required=False,
        choices=[
            ("key", _("Projektschlüssel")),
            ("title", _("Titel")),
            ("status", _("Status")),
            ("start", _("Beginn")),
            ("end", _("Ende")),
            ("budget", _("Budget (höchstes zuerst)")),
        ],
    )

    def __init__(
        self,
        *args: Any,
        municipality: Municipality,
        visible: QuerySet[Project] | None = None,
        strategy_visible: bool = True,
        user: Any = None,
        **kwargs: Any,
    ) -> None:
        """`visible`: for people outside the administration, the projects they may see. The choices then
        only name what those projects use, so the filter never reveals internal units, goals or tags."""
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.user = user
        if user is None or not user.is_authenticated:
            del self.fields["mine"]
        fields = FieldOfAction.objects.filter(municipality=municipality)
        goals = Goal.objects.filter(municipality=municipality)
        tags = Tag.objects.filter(municipality=municipality)
        self.limit_units(municipality, "unit")
        unit = self.fields["unit"]
        choices = list(unit.choices)[1:]  # type: ignore[attr-defined]
        if visible is not None:
            ids = visible.values("pk")
            fields = fields.filter(Q(projects__in=ids) | Q(further_projects__in=ids)).distinct()
            goals = goals.filter(projects__in=ids).distinct() if strategy_visible else goals.none()
            tags = tags.filter(projects__in=ids).distinct()
            used = set(
                OrgUnit.objects.filter(Q(led_projects__in=ids) | Q(involved_projects__in=ids)).values_list(
                    "pk", flat=True
                )
            )
            choices = [(pk, label.strip()) for pk, label in choices if pk in used]
            unit.queryset = unit.queryset.filter(pk__in=used)  # type: ignore[attr-defined]
        unit.choices = [("", _("alle")), *choices]  # type: ignore[attr-defined]
        self.fields["field"].queryset = fields  # type: ignore[attr-defined]
        self.fields["goal"].queryset = goals  # type: ignore[attr-defined]
        self.fields["tag"].queryset = tags  # type: ignore[attr-defined]
        assert set(dict(self.fields["sort"].choices)) - {""} <= set(SORTS)  # type: ignore[attr-defined]

    def params(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        params = dict(self.cleaned_data)
        if params.get("stale"):
            params["report_every_days"] = report_every_days(self.municipality.pk)
        if params.get("mine"):
            params.update(mine_params(self.user, self.municipality))
        return params


class ProjectForm(UnitChoiceMixin, VersionedModelForm):
    tag_text = forms.CharField(
        label=_("Schlagworte"), required=False, help_text=_("Durch Komma getrennt, z. B. E-Akte, Bürgerservice")
    )

    class Meta:
        model = Project
        fields = [
            "key",
            "title",
            "summary",
            "description",
            "lead_unit",
            "involved_units",
            "field",
            "further_fields",
            "goals",
            "status",
            "funding",
            "start_date",
            "end_date",
            "project_lead",
            "internal_partners",
            "external_partners",
            "obligation",
            "obligation_basis",
            "is_lighthouse",
            "visibility",
            "shared_with",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 2}),
            "involved_units": forms.CheckboxSelectMultiple,
            "further_fields": forms.CheckboxSelectMultiple,
            "goals": forms.CheckboxSelectMultiple,
        }

    def __init__(
        self, *args: Any, municipality: Municipality, lead_units: set[int] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.lead_units = lead_units
        self.instance.municipality = municipality  # model validation compares units and fields with it
        self.fields["key"].required = False
        self.fields["key"].help_text = _("Leer lassen, um einen Schlüssel zu vergeben.")
        self.limit_units(municipality, "lead_unit", "involved_units")
        fields_qs = FieldOfAction.objects.filter(municipality=municipality)
        self.fields["field"].queryset = fields_qs  # type: ignore[attr-defined]
        self.fields["further_fields"].queryset = fields_qs  # type: ignore[attr-defined]
        self.fields["goals"].queryset = Goal.objects.filter(municipality=municipality).select_related("field")  # type: ignore[attr-defined]
        from lotse.accounts.models import User

        self.fields["shared_with"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__municipality=municipality, memberships__role="partner"
        )
        self.fields["shared_with"].widget = forms.CheckboxSelectMultiple(choices=self.fields["shared_with"].choices)  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["tag_text"].initial = ", ".join(t.name for t in self.instance.tags.all())
        if lead_units is not None:
            # Editors lead projects in their own units only, so they can go on editing what they create.
            lead = self.fields["lead_unit"]
            lead.required = self.instance.pk is None or bool(self.instance.lead_unit_id)
            lead.choices = [c for c in lead.choices if c[0] == "" or c[0] in lead_units]  # type: ignore[attr-defined]
            lead.queryset = lead.queryset.filter(pk__in=lead_units)  # type: ignore[attr-defined]


class ChildForm(RowForm):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)


class YearForm(ChildForm):
    year = forms.IntegerField(label=_("Jahr"), min_value=2000, max_value=2100)
    budget_planned = forms.DecimalField(label=_("Budget geplant (EUR)"), min_value=0, decimal_places=2, initial=0)
    budget_approved = forms.DecimalField(label=_("Budget bewilligt (EUR)"), min_value=0, decimal_places=2, initial=0)
    budget_spent = forms.DecimalField(label=_("Budget ausgegeben (EUR)"), min_value=0, decimal_places=2, initial=0)
    staff_fte = forms.DecimalField(label=_("Personalbedarf (VZÄ)"), min_value=0, decimal_places=2, initial=0)


class FundingSourceForm(ChildForm):
    name = forms.CharField(label=_("Geldgeber / Programm"), max_length=200)
    amount = forms.DecimalField(label=_("Betrag (EUR)"), min_value=0, decimal_places=2, initial=0)
    is_grant = forms.BooleanField(label=_("Fördermittel"), required=False)


class MilestoneForm(ChildForm):
    title = forms.CharField(label=_("Meilenstein"), max_length=200)
    due_date = forms.DateField(label=_("geplant am"), widget=DateInput())
    done_on = forms.DateField(label=_("erreicht am"), widget=DateInput(), required=False)


class RelationForm(ChildForm):
    kind = forms.ChoiceField(label=_("Beziehung"), choices=RelationKind.choices)
    target = forms.ModelChoiceField(label=_("Projekt"), queryset=Project.objects.none())

    def __init__(self, *args: Any, projects: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if projects is not None:
            self.fields["target"].queryset = projects  # type: ignore[attr-defined]


class UniqueYearFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        years = [f.cleaned_data["year"] for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if len(years) != len(set(years)):
            raise forms.ValidationError(_("Jedes Jahr darf nur einmal vorkommen."))


def child_formsets(data: Any, project: Project | None, municipality: Municipality) -> dict[str, forms.BaseFormSet]:
    """The project's own rows as formsets; their prefix is the project attribute they sync to."""
    kw = {"extra": 1, "can_delete": True}
    specs: list[tuple[str, type[forms.Form], type[forms.BaseFormSet], Any]] = [
        ("years", YearForm, UniqueYearFormSet, _("Budget und Personal je Jahr")),
        ("funding_sources", FundingSourceForm, forms.BaseFormSet, _("Finanzierungsquellen")),
        ("milestones", MilestoneForm, forms.BaseFormSet, _("Meilensteine")),
        ("relations_out", RelationForm, forms.BaseFormSet, _("Beziehungen zu anderen Projekten")),
    ]
    result = {}
    for prefix, form, base, legend in specs:
        initial = []
        if project is not None and project.pk:
            fields = [n for n in form.base_fields if n != "id"]
            for obj in getattr(project, prefix).all():
                row = {"id": obj.pk} | {n: getattr(obj, n + "_id" if n == "target" else n) for n in fields}
                initial.append(row)
        formset_class = forms.formset_factory(form, formset=base, **kw)  # type: ignore[arg-type]
        extra_kwargs: dict[str, Any] = {}
        if prefix == "relations_out":
            others = Project.objects.filter(municipality=municipality).order_by("key")
            if project is not None and project.pk:
                others = others.exclude(pk=project.pk)
            extra_kwargs["form_kwargs"] = {"projects": others}
        result[prefix] = formset_class(data, initial=initial, prefix=prefix, **extra_kwargs)
        result[prefix].legend = legend  # type: ignore[attr-defined]
    return result


def formset_rows(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    """Rows to keep: filled-in forms not marked for deletion (untouched extra forms have no cleaned data)."""
    return [
        {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


class ScoreForm(forms.Form):
    """One criterion's score for one project; empty means "not scored yet"."""

    score = forms.TypedChoiceField(
        label=_("Bewertung"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "–")] + [(i, str(i)) for i in range(SCORE_MIN, SCORE_MAX + 1)],
    )
    justification = forms.CharField(label=_("Begründung"), max_length=500, required=False)


class CriterionForm(VersionedModelForm):
    class Meta:
        model = PriorityCriterion
        fields = ["name", "description", "direction", "weight", "position"]


class CapacityForm(forms.Form):
    year = forms.IntegerField(label=_("Jahr"), min_value=2000, max_value=2100)
    staff_fte = forms.DecimalField(label=_("Verfügbares Personal (VZÄ)"), min_value=0, decimal_places=2)
    budget = forms.DecimalField(label=_("Verfügbares Budget (EUR)"), min_value=0, decimal_places=2)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Datei (.xlsx oder .csv)"),
        help_text=_("Excel-Vorlage oder CSV mit Semikolon, UTF-8 oder Windows-1252, höchstens 5 MB."),
    )


class StatusReportForm(forms.ModelForm):
    class Meta:
        model = StatusReport
        fields = ["reported_on", "schedule", "budget", "scope", "summary", "issues", "next_steps"]
        widgets = {
            "reported_on": DateInput(),
            "schedule": forms.RadioSelect,
            "budget": forms.RadioSelect,
            "scope": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "issues": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("schedule", "budget", "scope"):
            self.fields[name].choices = Light.choices  # type: ignore[attr-defined]  # no empty "-----" radio


class ReportingForm(forms.Form):
    every_days = forms.IntegerField(
        label=_("Statusbericht alle … Tage"),
        min_value=7,
        max_value=366,
        help_text=_("z. B. 30 für monatlich, 90 für quartalsweise"),
    )
