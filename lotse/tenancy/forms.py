from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.accounts.forms import AccountsByEmailField
from lotse.core.forms import VersionedModelForm
from lotse.tenancy.models import Membership, Municipality, Network, OrgUnit, Role, ags_of
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


class MunicipalityCreateForm(forms.ModelForm):
    """A new town: its profile, the networks it joins, and the person who coordinates it."""

    key = forms.CharField(
        label=_("Amtlicher Schlüssel (ARS oder AGS)"),
        required=False,
        max_length=20,  # pasted keys often come with spaces: 08 1 16 0000 000
        help_text=_(
            "12-stelliger Regionalschlüssel (z. B. 081160000000) oder 8-stelliger Gemeindeschlüssel (08116000)"
        ),
    )
    networks = forms.ModelMultipleChoiceField(
        label=_("Netzwerke"),
        queryset=Network.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    coordinator_email = forms.EmailField(
        label=_("E-Mail der ersten Koordination"),
        required=False,
        help_text=_("Die Person erhält eine Einladung und richtet die Kommune danach selbst ein."),
    )
    coordinator_first_name = forms.CharField(label=_("Vorname der Koordination"), required=False, max_length=150)
    coordinator_last_name = forms.CharField(label=_("Nachname der Koordination"), required=False, max_length=150)

    class Meta:
        model = Municipality
        fields = ["name", "kind", "key", "inhabitants", "district", "networks"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = Municipality.objects.filter(kind=Municipality.Kind.DISTRICT)  # type: ignore[attr-defined]
        self.fields["kind"].choices = Municipality.Kind.choices  # type: ignore[attr-defined]

    def clean_key(self) -> dict[str, str]:
        key = "".join(str(self.cleaned_data.get("key") or "").split())
        if not key:
            return {}
        if not key.isdigit() or len(key) not in (8, 12):
            raise forms.ValidationError(_("Bitte 12 Ziffern (ARS) oder 8 Ziffern (AGS) eingeben."))
        codes = {"ars": key, "ags": ags_of(key)} if len(key) == 12 else {"ags": key}
        taken = Municipality.objects.filter(ars=key) if len(key) == 12 else Municipality.objects.filter(ags=key)
        if taken.exists():
            raise forms.ValidationError(_("Diesen Schlüssel hat schon %(m)s.") % {"m": taken.first()})
        return codes

    def model_data(self) -> dict[str, Any]:
        data = {k: self.cleaned_data[k] for k in ("name", "kind", "inhabitants", "district")}
        return {**data, **self.cleaned_data.get("key", {})}

    def coordinator(self) -> dict[str, str]:
        return {
            "email": self.cleaned_data.get("coordinator_email") or "",
            "first_name": self.cleaned_data.get("coordinator_first_name") or "",
            "last_name": self.cleaned_data.get("coordinator_last_name") or "",
        }


class AccountFromInvitationForm(forms.Form):
    """The invited person's own account: their name and a password (checked by the password policy)."""

    first_name = forms.CharField(label=_("Vorname"), max_length=150)
    last_name = forms.CharField(label=_("Nachname"), max_length=150)
    password1 = forms.CharField(label=_("Passwort"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label=_("Passwort wiederholen"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        from django.contrib.auth import get_user_model, password_validation

        data = super().clean() or {}
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("Die beiden Passwörter sind nicht gleich."))
        elif one:
            probe = get_user_model()(
                email=self.email, first_name=data.get("first_name", ""), last_name=data.get("last_name", "")
            )
            try:
                password_validation.validate_password(one, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class JoinRequestForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("Kommune"), queryset=Municipality.objects.none())
    message = forms.CharField(
        label=_("Nachricht an das Netzwerk"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("z. B. warum Ihre Kommune mitmachen möchte"),
    )

    def __init__(self, *args: Any, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        field.queryset = municipalities  # type: ignore[attr-defined]
        if municipalities.count() == 1:
            field.initial = municipalities.first()
            field.widget = forms.HiddenInput()


class NetworkForm(VersionedModelForm):
    operator_emails = AccountsByEmailField(
        label=_("Betreuung des Netzwerks (E-Mail-Adressen)"),
        required=False,
        help_text=_(
            "Konten, die Beitrittsanfragen entscheiden, durch Komma getrennt; leer: nur die Plattform-Verwaltung"
        ),
    )

    class Meta:
        model = Network
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["operator_emails"].initial = ", ".join(u.email for u in self.instance.operators.all())


class OrgUnitListForm(forms.Form):
    """The organisation chart pasted as a list (or uploaded as a text or CSV file): one unit per line, indented
    below the unit it belongs to."""

    text = forms.CharField(
        label=_("Einheiten, eine je Zeile"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text=_(
            "Unterordnung durch Einrücken (zwei Leerzeichen oder Tabulator). Kürzel vor einem Semikolon, "
            "z. B. „Dez. I; Dezernat I – Allgemeine Verwaltung“, darunter eingerückt „Amt 10; Hauptamt“."
        ),
    )
    file = forms.FileField(
        label=_("oder als Datei (.txt oder .csv)"), required=False, help_text=_("Gleiches Format, höchstens 1 MB")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload:
            if upload.size > 1024 * 1024:
                raise forms.ValidationError(_("Die Datei ist größer als 1 MB."))
            raw = upload.read()
            try:
                data["text"] = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                data["text"] = raw.decode("cp1252", errors="replace")
        if not str(data.get("text") or "").strip():
            raise forms.ValidationError(_("Bitte fügen Sie die Einheiten ein oder wählen Sie eine Datei."))
        return data
