from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import User


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "E-Mail-Adresse oder Passwort stimmen nicht. Bitte prüfen Sie Ihre Eingabe "
            "(Groß- und Kleinschreibung beachten)."
        ),
        "inactive": _("Dieses Konto ist deaktiviert."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ldap = bool(getattr(settings, "LDAP_AUTH_URL", None))
        self.fields["username"].label = _("E-Mail-Adresse oder Benutzerkennung") if ldap else _("E-Mail-Adresse")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "title", "phone"]


class CodeForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Sechsstelliger Code aus Ihrer Authenticator-App"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class AccountsByEmailField(forms.CharField):
    """Existing accounts named by their e-mail addresses, comma separated (e.g. the people who run a network).
    Addresses without an account are refused by name, so nobody is added who could not sign in."""

    def clean(self, value: str) -> list[User]:
        text = super().clean(value) or ""
        emails = {e.strip().lower() for e in text.replace(";", ",").split(",") if e.strip()}
        people = list(User.objects.filter(email__in=emails))
        missing = sorted(emails - {p.email.lower() for p in people})
        if missing:
            raise forms.ValidationError(
                _("Für diese Adressen gibt es kein Konto: %(emails)s."), params={"emails": ", ".join(missing)}
            )
        return people
