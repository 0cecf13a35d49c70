"""Writes that every room uses: create, update, delete and restore with an audit trail and edit versions.

All domain writes go through these functions so that (a) the audit trail always knows who changed what and
(b) a save based on an outdated version is refused with the other person's changes, never applied silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from lotse.core.history import HIDDEN_FIELDS, FieldChange, diff_records
from lotse.core.models import VersionedModel

M = TypeVar("M", bound=VersionedModel)


class EditConflict(Exception):
    """Someone saved the record after the editor opened it. Carries what they changed."""

    def __init__(self, instance: models.Model | None, changes: list[FieldChange], editors: list[str]):
        self.instance = instance
        self.changes = changes
        self.editors = editors
        if instance is None:
            message = _("Der Datensatz wurde inzwischen von einer anderen Person gelöscht.")
        else:
            message = _(
                "Ihre Änderungen wurden nicht gespeichert: %(who)s hat den Datensatz inzwischen geändert. "
                "Bitte prüfen Sie die Änderungen und geben Sie Ihre erneut ein."
            ) % {"who": ", ".join(editors) or _("eine andere Person")}
        super().__init__(message)


def _tag(instance: models.Model, user: Any, reason: str) -> None:
    # simple-history reads these attributes when it writes the history row for this save.
    instance._history_user = user if user is not None and user.is_authenticated else None  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]


def changes_since(instance: models.Model, version: int) -> tuple[list[FieldChange], list[str]]:
    """What changed on `instance` after `version`, and who changed it."""
    history = instance.history  # type: ignore[attr-defined]
    base = history.filter(version=version).order_by("-history_date").first()
    later = list(history.filter(version__gt=version).select_related("history_user").order_by("history_date"))
    if not later:
        return [], []
    editors = sorted({str(r.history_user) if r.history_user_id else _("System") for r in later})
    return diff_records(base, later[-1]), editors


@transaction.atomic
def versioned_create(
    model: type[M], *, user: Any, data: Mapping[str, Any], m2m: Mapping[str, Iterable[Any]] | None = None
) -> M:
    instance = model(**data)
    instance.full_clean()
    _tag(instance, user, "")
    instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    return instance


@transaction.atomic
def versioned_update(
    instance: M,
    *,
    user: Any,
    expected_version: int,
    data: Mapping[str, Any],
    m2m: Mapping[str, Iterable[Any]] | None = None,
    reason: str = "",
) -> M:
    """Apply `data` if nobody saved since `expected_version`; otherwise raise EditConflict.

    The version check is a single conditional UPDATE, which is atomic on SQLite and PostgreSQL alike.
    """
    model = type(instance)
    claimed = model._default_manager.filter(pk=instance.pk, version=expected_version).update(version=F("version") + 1)
    if not claimed:
        current = model._default_manager.filter(pk=instance.pk).first()
        if current is None:
            raise EditConflict(None, [], [])
        changes, editors = changes_since(current, expected_version)
        raise EditConflict(current, changes, editors)
    for name, value in data.items():
        setattr(instance, name, value)
    instance.version = expected_version + 1
    instance.full_clean()
    _tag(instance, user, reason)
    instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    return instance


@transaction.atomic
def versioned_delete(instance: VersionedModel, *, user: Any, expected_version: int | None = None) -> None:
    if expected_version is not None:
        current = type(instance)._default_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
        if current is None:
            return
        if current != expected_version:
            changes, editors = changes_since(instance, expected_version)
            raise EditConflict(instance, changes, editors)
    _tag(instance, user, "")
    instance.delete()


def restorable_data(record: models.Model) -> dict[str, Any]:
    """The editable field values of a history record, by attribute name, ready for versioned_update."""
    model = record.instance_type  # type: ignore[attr-defined]
    return {f.attname: getattr(record, f.attname) for f in model._meta.concrete_fields if f.name not in HIDDEN_FIELDS}


def restore_version(instance: M, *, user: Any, history_id: int) -> M:
    """Bring back the field values of an earlier version, as a new, audited change."""
    record = instance.history.get(history_id=history_id)  # type: ignore[attr-defined]
    return versioned_update(
        instance,
        user=user,
        expected_version=instance.version,
        data=restorable_data(record),
        reason=_("Wiederhergestellt aus Version %(version)s") % {"version": record.version},
    )
