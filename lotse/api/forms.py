from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.api.models import ApiToken

VALIDITY = [(30, _("30 Tage")), (90, _("90 Tage")), (365, _("ein Jahr"))]


class TokenForm(forms.ModelForm):
    valid_days = forms.TypedChoiceField(label=_("Gültigkeit"), choices=VALIDITY, coerce=int, initial=90)

    class Meta:
        model = ApiToken
        fields = ["name", "scope"]
        widgets = {"scope": forms.RadioSelect}
