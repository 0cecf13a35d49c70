"""Base models every room builds on. No domain models live here."""

from functools import cached_property
from typing import Any

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionedModel(models.Model):
    """A record edited by people: it carries an edit version for optimistic locking.

    Every save through `lotse.core.services.versioned_update` checks that the version the editor
    started from is still current, so a concurrent edit is refused instead of overwritten.
    """

    version = models.PositiveIntegerField(_("Version"), default=1, editable=False)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        abstract = True


class LimitedTextField(models.TextField):
    """A text field whose length is checked on every save through the services (`full_clean`), not only in
    forms: Django checks a TextField's max_length in forms alone. Limits come from `lotse.core.limits`."""

    def __init__(self, *args: Any, max_length: int, **kwargs: Any) -> None:
        kwargs["max_length"] = max_length
        super().__init__(*args, **kwargs)

    @cached_property
    def validators(self) -> list[Any]:
        return [*super().validators, MaxLengthValidator(self.max_length)]
