from django import forms
from django.utils.translation import gettext_lazy as _


class ContactForm(forms.Form):
    about = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(
        label=_("Ihre Nachricht"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        help_text=_(
            "Die Nachricht geht per E-Mail an die Koordination der anderen Kommune; "
            "Antworten kommen an Ihre E-Mail-Adresse."
        ),
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Was haben Sie vor?"),
        max_length=500,
        help_text=_("Zum Beispiel „Hunde digital anmelden“ oder „Bauakte elektronisch führen“."),
    )
