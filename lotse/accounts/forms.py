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
