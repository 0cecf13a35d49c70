"""Base models every room builds on. No domain models live here."""

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
