"""Writes of the strategy room. Everything goes through core.services so it is audited and conflict-safe."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils.translation import gettext as _

from lotse.core.services import versioned_create, versioned_delete
from lotse.strategy.models import FIELD_TEMPLATES, FieldOfAction, Strategy
from lotse.tenancy.models import Municipality


def strategy_create(*, user: Any, municipality: Municipality, data: dict[str, Any]) -> Strategy:
    if Strategy.objects.filter(municipality=municipality).exists():
        raise ValidationError(_("Diese Kommune hat bereits eine Strategie."))
    return versioned_create(Strategy, user=user, data={**data, "municipality": municipality})


@transaction.atomic
def fields_from_template(*, user: Any, municipality: Municipality, template: str) -> list[FieldOfAction]:
    """Add the template's fields that the town does not have yet; existing ones are left as they are."""
    if template not in FIELD_TEMPLATES:
        raise ValidationError(_("Unbekannte Vorlage."))
    existing = set(FieldOfAction.objects.filter(municipality=municipality).values_list("name", flat=True))
    start = FieldOfAction.objects.filter(municipality=municipality).aggregate(m=Max("position"))["m"] or 0
    created = []
    for offset, name in enumerate((n for n in FIELD_TEMPLATES[template] if n not in existing), 1):
        created.append(
            versioned_create(
                FieldOfAction,
                user=user,
                data={"municipality": municipality, "name": name, "position": start + offset},
            )
        )
    return created


def delete_guarded(instance: Any, *, user: Any, expected_version: int | None) -> None:
    """Delete, but explain in German when other records still point here."""
    try:
        versioned_delete(instance, user=user, expected_version=expected_version)
    except ProtectedError as error:
        names = ", ".join(sorted({str(o) for o in error.protected_objects})[:5])
        raise ValidationError(
            _("„%(name)s“ wird noch verwendet (%(used)s) und kann nicht gelöscht werden.")
            % {"name": instance, "used": names}
        ) from error
