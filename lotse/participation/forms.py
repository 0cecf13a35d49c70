"""Forms of the participation room. Public forms carry the spam guard: a honeypot field people never see and
a signed timestamp (bots submit within a second); both without any third-party service."""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from lotse.core.forms import DateInput, VersionedModelForm
from lotse.participation.models import (
    CHOICE_KINDS,
    Campaign,
    Idea,
    Poll,
    Question,
    QuestionKind,
)
from lotse.portfolio.models import Project, Status
from lotse.strategy.models import FieldOfAction
from lotse.tenancy.forms import UnitChoiceMixin
from lotse.tenancy.models import Municipality, OrgUnit, Visibility


class HoneypotInput(forms.TextInput):
    """Hidden from people by CSS (and so from assistive technology); bots that fill every field fill it."""

    @property
    def is_hidden(self) -> bool:
        return True


class SpamGuardMixin(forms.Form):
    website = forms.CharField(
        required=False,
        label=_("Bitte leer lassen"),
        widget=HoneypotInput(attrs={"class": "hp-field", "autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, guard: bool = True, **kwargs: Any) -> None:
        """`guard=False` for signed-in people: they are accountable, the timestamp would only get in the way."""
        super().__init__(*args, **kwargs)
        self.guard = guard
        self.fields["started"].initial = signing.dumps(time.time(), salt="lotse.form.started")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.guard:
            return data
        if data.get("website"):
            raise forms.ValidationError(_("Ihr Beitrag konnte nicht angenommen werden."), code="spam")
        try:
            started = float(signing.loads(data.get("started") or "", salt="lotse.form.started", max_age=86400))
        except (signing.BadSignature, TypeError, ValueError):
            raise forms.ValidationError(
                _("Das Formular ist abgelaufen. Bitte laden Sie die Seite neu und senden Sie es noch einmal ab."),
                code="expired",
            ) from None
        if time.time() - started < getattr(settings, "PARTICIPATION_MIN_SECONDS", 3):
            raise forms.ValidationError(
                _("Das ging sehr schnell. Bitte prüfen Sie Ihre Angaben und senden Sie das Formular noch einmal ab."),
                code="too_fast",
            )
        return data


class ContactFields(forms.Form):
    """What a citizen without an account gives: an e-mail address (for the confirmation link, never shown) and,
    if they like, a name."""

    name = forms.CharField(
        label=_("Ihr Name (freiwillig)"),
        required=False,
        max_length=100,
        help_text=_("Wird bei Ihrem Beitrag angezeigt. Ohne Namen erscheint „anonym“."),
    )
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        help_text=_(
            "Wir senden Ihnen einen Bestätigungslink und informieren Sie, wie es weitergeht. "
            "Sie wird nicht veröffentlicht."
        ),
    )
    consent = forms.BooleanField(label=_("Einwilligung"), required=True)

    def setup_contact(self, *, citizen: bool, consent_text: str, ask_name: bool = True) -> None:
        if not citizen:
            for name in ("name", "email"):
                del self.fields[name]
        elif not ask_name:
            del self.fields["name"]
        self.fields["consent"].label = consent_text
        self.fields["consent"].error_messages["required"] = _(
            "Bitte stimmen Sie der Verarbeitung zu, sonst können wir Ihren Beitrag nicht annehmen."
        )


class IdeaForm(ContactFields, SpamGuardMixin):
    title = forms.CharField(
        label=_("Ihre Idee in einem Satz"), max_length=200, help_text=_("Zum Beispiel: Hundesteuer online anmelden")
    )
    description = forms.CharField(
        label=_("Beschreibung"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Was soll besser werden, und für wen? Höchstens 5.000 Zeichen."),
    )
    field = forms.ModelChoiceField(label=_("Handlungsfeld"), queryset=FieldOfAction.objects.none(), required=False)

    field_order = ["title", "description", "field", "name", "email", "consent"]

    def __init__(self, *args: Any, campaign: Campaign, citizen: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_contact(citizen=citizen, consent_text=campaign.consent_text)
        fields = campaign.fields.all()
        if not fields.exists():
            fields = FieldOfAction.objects.filter(municipality_id=campaign.municipality_id)
        self.fields["field"].queryset = fields  # type: ignore[attr-defined]
        self.fields["field"].empty_label = _("weiß nicht / passt nirgends")  # type: ignore[attr-defined]
        for name in ("title", "description"):
            self.fields[name].widget.attrs["autocomplete"] = "off"


class SupportForm(ContactFields, SpamGuardMixin):
    def __init__(self, *args: Any, campaign: Campaign, citizen: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_contact(citizen=citizen, consent_text=campaign.consent_text, ask_name=False)


class CommentForm(ContactFields, SpamGuardMixin):
    text = forms.CharField(label=_("Ihr Kommentar"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    field_order = ["text", "name", "email", "consent"]

    def __init__(self, *args: Any, campaign: Campaign, citizen: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_contact(citizen=citizen, consent_text=campaign.consent_text)


class ReportForm(SpamGuardMixin):
    reason = forms.CharField(
        label=_("Was ist das Problem?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Zum Beispiel: beleidigend, Werbung, persönliche Daten anderer. Die Moderation prüft jede Meldung."
        ),
    )


class LinkRequestForm(SpamGuardMixin):
    email = forms.EmailField(label=_("Ihre E-Mail-Adresse"))


class CampaignForm(VersionedModelForm):
    class Meta:
        model = Campaign
        fields = [
            "title",
            "introduction",
            "audience",
            "starts_on",
            "ends_on",
            "fields",
            "moderation",
            "published",
            "consent_text",
            "retention_months",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "fields": forms.CheckboxSelectMultiple,
            "introduction": forms.Textarea(attrs={"rows": 5}),
            "consent_text": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality
        self.fields["fields"].queryset = FieldOfAction.objects.filter(municipality=municipality)  # type: ignore[attr-defined]
        self.fields["fields"].help_text = _("Ohne Auswahl stehen alle Handlungsfelder zur Wahl.")


class PollForm(VersionedModelForm):
    class Meta:
        model = Poll
        fields = [
            "title",
            "introduction",
            "audience",
            "starts_on",
            "ends_on",
            "anonymous",
            "one_per_person",
            "published",
            "consent_text",
            "retention_months",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "introduction": forms.Textarea(attrs={"rows": 5}),
            "consent_text": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality


class IdeaManageForm(UnitChoiceMixin, VersionedModelForm):
    class Meta:
        model = Idea
        fields = ["status", "feedback", "field", "org_unit", "projects"]
        widgets = {"feedback": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = FieldOfAction.objects.filter(municipality=municipality)  # type: ignore[attr-defined]
        self.limit_units(municipality, "org_unit")
        self.fields["org_unit"].help_text = _("Die Einheit und ihre Digitallotsen sehen die Idee auf ihrer Seite.")
        projects = self.fields["projects"]
        projects.queryset = Project.objects.filter(municipality=municipality).order_by("title")  # type: ignore[attr-defined]
        projects.required = False
        projects.widget.attrs["size"] = 8
        projects.help_text = _("Projekte, in die die Idee eingeflossen ist (Mehrfachauswahl mit Strg).")


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Zusammenführen mit"), queryset=Idea.objects.none())
    reason = forms.CharField(label=_("Begründung"), required=False, max_length=500)

    def __init__(self, *args: Any, idea: Idea, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = (  # type: ignore[attr-defined]
            Idea.objects.filter(campaign=idea.campaign, merged_into__isnull=True)
            .exclude(pk=idea.pk)
            .exclude(publication__in=["unconfirmed", "hidden"])
            .order_by("title")
        )
        self.fields["into"].label_from_instance = lambda i: f"#{i.pk} {i.title}"  # type: ignore[attr-defined]


class ProjectFromIdeasForm(UnitChoiceMixin, forms.Form):
    ideas = forms.ModelMultipleChoiceField(
        label=_("Ideen"), queryset=Idea.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(label=_("Projekttitel"), max_length=200)
    summary = forms.CharField(label=_("Kurzbeschreibung"), max_length=500, required=False)
    description = forms.CharField(label=_("Beschreibung"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    field = forms.ModelChoiceField(label=_("Handlungsfeld"), queryset=FieldOfAction.objects.none(), required=False)
    lead_unit = forms.ModelChoiceField(
        label=_("Federführende Organisationseinheit"), queryset=OrgUnit.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Projektstatus"),
        choices=[(s.value, s.label) for s in (Status.IDEA, Status.PLANNING, Status.FUTURE)],
        initial=Status.PLANNING,
    )
    visibility = forms.ChoiceField(label=_("Sichtbarkeit"), choices=Visibility.choices, initial=Visibility.PUBLIC)
    feedback = forms.CharField(
        label=_("Rückmeldung an die Einreichenden"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Öffentlich bei jeder Idee zu lesen und per E-Mail verschickt."),
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality = campaign.municipality
        self.fields["ideas"].queryset = (  # type: ignore[attr-defined]
            Idea.objects.filter(campaign=campaign, merged_into__isnull=True)
            .exclude(publication__in=["unconfirmed", "hidden"])
            .order_by("title")
        )
        self.fields["ideas"].label_from_instance = lambda i: f"#{i.pk} {i.title}"  # type: ignore[attr-defined]
        self.fields["field"].queryset = FieldOfAction.objects.filter(municipality=municipality)  # type: ignore[attr-defined]
        self.limit_units(municipality, "lead_unit")


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "kind",
            "text",
            "help_text",
            "required",
            "options",
            "scale_min",
            "scale_max",
            "scale_min_label",
            "scale_max_label",
        ]
        widgets = {"options": forms.Textarea(attrs={"rows": 5})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        options = [o for o in (data.get("options") or "").splitlines() if o.strip()]
        if kind in CHOICE_KINDS and len(options) < 2:
            self.add_error("options", _("Bitte geben Sie mindestens zwei Antwortmöglichkeiten an, je Zeile eine."))
        if kind == QuestionKind.RANKING and len(options) > 10:
            self.add_error("options", _("Eine Rangfolge hat höchstens zehn Antwortmöglichkeiten."))
        if kind == QuestionKind.SCALE:
            low, high = data.get("scale_min"), data.get("scale_max")
            if low is not None and high is not None and not (low < high <= low + 10):
                self.add_error("scale_max", _("Die Skala braucht mindestens zwei und höchstens elf Stufen."))
        return data


class ResponseForm(SpamGuardMixin):
    """A questionnaire built from the poll's questions. A ranking is one select per option ("Rang 1 … n")."""

    def __init__(self, *args: Any, poll: Poll, citizen: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.poll = poll
        self.questions = list(poll.questions.all())
        self.groups: list[tuple[Question, list[str]]] = []
        for q in self.questions:
            name = f"q{q.pk}"
            options = q.option_list()
            common: dict[str, Any] = {"label": q.text, "required": q.required, "help_text": q.help_text}
            if q.kind == QuestionKind.SINGLE:
                self.fields[name] = forms.TypedChoiceField(
                    choices=list(enumerate(options)), coerce=int, widget=forms.RadioSelect, **common
                )
            elif q.kind == QuestionKind.MULTIPLE:
                self.fields[name] = forms.TypedMultipleChoiceField(
                    choices=list(enumerate(options)), coerce=int, widget=forms.CheckboxSelectMultiple, **common
                )
            elif q.kind == QuestionKind.SCALE:
                steps = []
                for value in range(q.scale_min, q.scale_max + 1):
                    label = str(value)
                    if value == q.scale_min and q.scale_min_label:
                        label = f"{value} – {q.scale_min_label}"
                    elif value == q.scale_max and q.scale_max_label:
                        label = f"{value} – {q.scale_max_label}"
                    steps.append((value, label))
                self.fields[name] = forms.TypedChoiceField(
                    choices=steps, coerce=int, widget=forms.RadioSelect, **common
                )
            elif q.kind == QuestionKind.RANKING:
                names = []
                ranks = [("", "–")] + [(r, _("Rang %(n)s") % {"n": r}) for r in range(1, len(options) + 1)]
                for i, option in enumerate(options):
                    field_name = f"{name}_{i}"
                    self.fields[field_name] = forms.TypedChoiceField(
                        label=option, choices=ranks, coerce=int, required=q.required, empty_value=None
                    )
                    names.append(field_name)
                self.groups.append((q, names))
                continue
            else:
                self.fields[name] = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=3000, **common)
            self.groups.append((q, [name]))
        self.ask_email = citizen and (poll.one_per_person or not poll.anonymous)
        if self.ask_email:
            if not poll.anonymous:
                self.fields["name"] = forms.CharField(label=_("Ihr Name (freiwillig)"), required=False, max_length=100)
            self.fields["email"] = forms.EmailField(
                label=_("Ihre E-Mail-Adresse"),
                help_text=_("Für den Bestätigungslink: jede Person kann einmal antworten.")
                if poll.anonymous
                else _("Ihre Antworten werden Ihnen zugeordnet."),
            )
        self.fields["consent"] = forms.BooleanField(label=poll.consent_text, required=True)
        self.fields["consent"].error_messages["required"] = _(
            "Bitte stimmen Sie der Verarbeitung zu, sonst können wir Ihre Antworten nicht annehmen."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for q, names in self.groups:
            if q.kind != QuestionKind.RANKING:
                continue
            given = [(int(data[n]), i) for i, n in enumerate(names) if data.get(n)]
            ranks = [r for r, _i in given]
            if len(ranks) != len(set(ranks)):
                self.add_error(names[0], _("Jeder Rang darf nur einmal vergeben werden."))
            elif given and sorted(ranks) != list(range(1, len(ranks) + 1)):
                self.add_error(names[0], _("Bitte vergeben Sie die Ränge lückenlos ab 1."))
        return data

    def answers(self) -> dict[Question, Any]:
        result: dict[Question, Any] = {}
        for q, names in self.groups:
            if q.kind == QuestionKind.RANKING:
                given = sorted((int(self.cleaned_data[n]), i) for i, n in enumerate(names) if self.cleaned_data.get(n))
                result[q] = [i for _r, i in given]
            else:
                value = self.cleaned_data.get(names[0])
                result[q] = value.strip() if isinstance(value, str) else value
        return result

    def grouped(self) -> list[tuple[Question, list[Any]]]:
        return [(q, [self[n] for n in names]) for q, names in self.groups]


class ParticipantSearchForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse der Person"))


class SelfEraseForm(forms.Form):
    """A participant erasing their own data: one confirmation, nothing the administration would ask."""

    confirm = forms.BooleanField(label=_("Ja, meine Personendaten endgültig löschen"), required=True)


class EraseForm(SelfEraseForm):
    """The coordination erasing someone's data on request: with the occasion, for the moderation log."""

    reason = forms.CharField(label=_("Anlass"), required=False, max_length=300, help_text=_("z. B. Antrag vom 3. März"))
    confirm = forms.BooleanField(label=_("Ja, die Personendaten endgültig löschen"), required=True)

    field_order = ["reason", "confirm"]
