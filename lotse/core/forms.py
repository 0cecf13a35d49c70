"""Form helpers shared by all rooms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MISSING_VERSION = _("Die Fassung, die Sie bearbeitet haben, ist unbekannt. Bitte laden Sie die Seite neu.")


def posted_version(data: Any) -> int:
    """The edit version a form without a model form posted; a change that does not name it is refused rather
    than applied over whatever happened meanwhile."""
    raw = str(data.get("version", "")).strip()
    if not raw.isdigit():
        raise ValidationError(MISSING_VERSION)
    return int(raw)


class VersionedModelForm(forms.ModelForm):
    """A model form that carries the edit version it was opened with, for conflict detection."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["version"].initial = self.instance.version

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        if self.instance.pk is not None and self.cleaned_data.get("version") is None:
            # An edit must say which version it started from, or it would overwrite unseen changes.
            raise ValidationError(MISSING_VERSION)
        return data

    def expected_version(self) -> int:
        value = self.cleaned_data.get("version")
        return int(value) if value is not None else self.instance.version

    def model_data(self) -> dict[str, Any]:
        """Cleaned values of the model's own (non-m2m) fields, ready for a service."""
        m2m = {f.name for f in self.instance._meta.many_to_many}
        return {k: v for k, v in self.cleaned_data.items() if k in self._meta.fields and k not in m2m}  # type: ignore[operator]

    def show_conflict(self, conflict: Any) -> None:
        """Keep the user's input, move the form to the current version, and explain what happened."""
        self.add_error(None, str(conflict))
        self.conflict = conflict
        if conflict.instance is not None:
            data = self.data.copy()  # type: ignore[attr-defined]
            data[self.add_prefix("version")] = conflict.instance.version
            self.data = data


BLANK_CHOICE = ("", "–")


class RowForm(forms.Form):
    """One row of a formset. Every choice starts blank, so a row the person never touched sends only empty
    values: Django then treats the extra row as unchanged and skips it, instead of validating a half-filled
    row that a pre-selected option made look filled."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                if field.empty_label is None:
                    field.empty_label = BLANK_CHOICE[1]
            elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
                choices = list(field.choices)  # type: ignore[arg-type]
                if not choices or choices[0][0] not in ("", None):
                    field.choices = [BLANK_CHOICE, *choices]


class ConfirmForm(forms.Form):
    """An empty form for POST-only confirmations (delete, restore), carrying the version seen."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DateInput(forms.DateInput):
    """The browser's date picker; it always sends ISO dates, which Django accepts in every locale."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


BIGGEST_ID = 2**63 - 1


def id_param(raw: Any) -> int | None:
    """A record id from a query or form parameter, or None: digits only and within the database's integers
    (`?field=99999999999999999999` would otherwise reach the database and answer 500)."""
    text = str(raw or "").strip()
    # (the length first: Python refuses to convert strings of more than 4,300 digits at all)
    if not text.isdigit() or len(text) > 19 or int(text) > BIGGEST_ID:
        return None
    return int(text)


def _out_of_range(value: Any) -> bool:
    digits = str(value).strip().lstrip("-")
    return digits.isdigit() and id_param(digits) is None


def bound_model_choice_fields() -> None:
    """Make every choice of a record (select, checkboxes) refuse ids beyond the database's integers with the
    field's own "invalid choice" message. Django passes such ids to the database, which then fails (SQLite:
    OverflowError, PostgreSQL: out of range), so a typo or a forged form would answer 500 instead of an error."""
    single_to_python = forms.ModelChoiceField.to_python
    multiple_check = forms.ModelMultipleChoiceField._check_values  # type: ignore[attr-defined]

    def to_python(self: forms.ModelChoiceField, value: Any) -> Any:
        if _out_of_range(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return single_to_python(self, value)

    def check_values(self: forms.ModelMultipleChoiceField, value: Any) -> Any:
        for pk in value or ():
            if _out_of_range(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return multiple_check(self, value)

    forms.ModelChoiceField.to_python = to_python  # type: ignore[method-assign]
    forms.ModelMultipleChoiceField._check_values = check_values  # type: ignore[attr-defined]
