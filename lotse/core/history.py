"""Reading the audit trail (django-simple-history) as a list of human-readable changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.formats import localize
from django.utils.translation import gettext as _

# Bookkeeping fields that change on every save and say nothing to a reader.
HIDDEN_FIELDS = {"id", "version", "created_at", "updated_at", "created_by"}
# Data the machine derives (the synergy engine's analysis, a revision's frozen snapshot): never a person's change.
HIDDEN_FIELDS |= {"signature", "concepts", "snapshot"}


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    history_id: int
    version: int | None
    kind: str  # "+" created, "~" changed, "-" deleted
    user: str
    date: Any
    reason: str
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return {"+": _("angelegt"), "~": _("geändert"), "-": _("gelöscht")}[self.kind]


def display_value(record: models.Model, field_name: str) -> str:
    """The value of one field of a history record as a person would read it."""
    model_field = record.instance_type._meta.get_field(field_name)  # type: ignore[attr-defined]
    raw = getattr(record, model_field.attname)
    if raw is None or raw == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(raw, raw))
    if isinstance(raw, bool):
        return _("ja") if raw else _("nein")
    if model_field.is_relation:
        try:
            return str(getattr(record, field_name))
        except models.ObjectDoesNotExist:
            return _("(gelöscht, #%(id)s)") % {"id": raw}
    if isinstance(model_field, models.FileField):
        return str(raw)
    return str(localize(raw))


def _tracked_fields(record: models.Model) -> list[models.Field]:
    model = record.instance_type  # type: ignore[attr-defined]
    kept = {f.attname for f in record._meta.concrete_fields}  # the history leaves out excluded_fields
    return [f for f in model._meta.concrete_fields if f.name not in HIDDEN_FIELDS and f.attname in kept]


def diff_records(old: models.Model | None, new: models.Model) -> list[FieldChange]:
    """Fields that differ between two history records of one object (all set fields if `old` is None)."""
    changes = []
    for f in _tracked_fields(new):
        new_raw = getattr(new, f.attname)
        old_raw = getattr(old, f.attname) if old is not None else None
        if old is not None and old_raw == new_raw:
            continue
        if old is None and new_raw in (None, ""):
            continue
        changes.append(
            FieldChange(
                name=f.name,
                label=str(f.verbose_name),
                old=display_value(old, f.name) if old is not None else "—",
                new=display_value(new, f.name),
            )
        )
    return changes


def history_entries(records: list[models.Model]) -> list[HistoryEntry]:
    """History records of one object, oldest first in `records`; returned newest first with their diffs.

    One save can write several records with the same version (the row, then each of its relations); they are
    one change to the reader, so each version is one entry with everything that changed in it."""
    entries: list[HistoryEntry] = []
    groups: list[list[models.Model]] = []
    for record in records:
        version = getattr(record, "version", None)
        same = groups and version is not None and getattr(groups[-1][-1], "version", None) == version
        if same and record.history_type != "-":  # type: ignore[attr-defined]
            groups[-1].append(record)
        else:
            groups.append([record])
    previous = None
    for group in groups:
        first, record = group[0], group[-1]
        entries.append(
            HistoryEntry(
                history_id=record.history_id,  # type: ignore[attr-defined]
                version=getattr(record, "version", None),
                kind=first.history_type,  # type: ignore[attr-defined]
                user=str(first.history_user) if first.history_user_id else _("System"),  # type: ignore[attr-defined]
                date=first.history_date,  # type: ignore[attr-defined]
                reason=first.history_change_reason or "",  # type: ignore[attr-defined]
                changes=[] if record.history_type == "-" else diff_records(previous, record),  # type: ignore[attr-defined]
            )
        )
        previous = record
    entries.reverse()
    return entries


def object_history(instance: models.Model) -> list[HistoryEntry]:
    records = list(
        instance.history.order_by("history_date", "history_id").select_related("history_user")  # type: ignore[attr-defined]
    )
    return history_entries(records)
