"""All data of one municipality: export as a zip (JSON records + uploaded files) and deletion.

"All data" is what deleting the municipality would delete (Django's collector follows every foreign key of
every room, so no room needs to be listed here), plus the audit trail of those records and the members' names.
People's accounts stay: they may work in other municipalities too."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.contrib.admin.utils import NestedObjects
from django.core import serializers
from django.db import models, router, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from lotse import __version__
from lotse.tenancy.models import Membership, Municipality

PERSON_FIELDS = ("email", "first_name", "last_name", "title", "phone")


def _collected(municipality: Municipality) -> dict[type[models.Model], list[models.Model]]:
    collector = NestedObjects(using=router.db_for_write(Municipality))
    collector.collect([municipality])
    return {model: sorted(objs, key=lambda o: o.pk or 0) for model, objs in collector.data.items()}


def _history_models() -> Iterator[type[models.Model]]:
    for model in apps.get_models():
        if model.__name__.startswith("Historical") and any(f.name == "municipality" for f in model._meta.fields):
            yield model


def export(municipality: Municipality) -> bytes:
    """A zip: `records.json` (Django's serialisation, one list), `history.json`, `people.json`, `files/…`."""
    data = _collected(municipality)
    buffer = io.BytesIO()
    counts: dict[str, int] = {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        records: list[Any] = []
        for model, objs in data.items():
            counts[model._meta.label] = len(objs)
            records += json.loads(serializers.serialize("json", objs))
            for field in model._meta.fields:
                if isinstance(field, models.FileField):
                    for obj in objs:
                        file = getattr(obj, field.name)
                        if file and file.storage.exists(file.name):
                            with file.open("rb") as handle:
                                z.writestr(f"files/{file.name}", handle.read())
        z.writestr("records.json", json.dumps(records, ensure_ascii=False, indent=1))
        history: list[Any] = []
        for model in _history_models():
            rows = model.objects.filter(municipality_id=municipality.pk)  # type: ignore[attr-defined]
            history += json.loads(serializers.serialize("json", rows))
        z.writestr("history.json", json.dumps(history, ensure_ascii=False, indent=1))
        people = [
            {**{f: getattr(m.user, f) for f in PERSON_FIELDS}, "role": m.role}
            for m in Membership.objects.filter(municipality=municipality).select_related("user")
        ]
        z.writestr("people.json", json.dumps(people, ensure_ascii=False, indent=1))
        manifest = {
            "municipality": municipality.slug,
            "name": municipality.name,
            "exported": timezone.now().isoformat(),
            "lotse": __version__,
            "records": counts,
            "history": len(history),
        }
        z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return buffer.getvalue()


@transaction.atomic
def delete(municipality: Municipality) -> dict[str, int]:
    """Delete the municipality with everything that belongs to it, its audit trail and its files."""
    data = _collected(municipality)
    counts = {model._meta.label: len(objs) for model, objs in data.items()}
    files = [
        getattr(obj, field.name)
        for model, objs in data.items()
        for field in model._meta.fields
        if isinstance(field, models.FileField)
        for obj in objs
        if getattr(obj, field.name)
    ]
    pk = municipality.pk
    # PROTECT inside the municipality (goal → field, unit → parent, project → lead unit): whatever protects a
    # record is deleted first, depth first, whatever order the database names them in.
    pending: list[Any] = [municipality]
    for _attempt in range(100_000):
        if not pending:
            break
        try:
            pending[-1].delete()
        except ProtectedError as error:
            pending.extend(error.protected_objects)
        else:
            pending.pop()
    else:  # pragma: no cover - a cycle of PROTECT references, which the models do not have
        raise RuntimeError(f"{municipality} could not be deleted")
    for model in _history_models():  # after the deletion, which writes history rows of its own
        model.objects.filter(municipality_id=pk).delete()  # type: ignore[attr-defined]

    def remove_files() -> None:
        for file in files:
            file.storage.delete(file.name)

    transaction.on_commit(remove_files)
    return counts
