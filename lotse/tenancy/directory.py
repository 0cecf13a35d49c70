"""The official municipality directory of Destatis (Gemeindeverzeichnis, file GV100AD, fixed-width) into Lotse:
Landkreise and Gemeinden with their ARS, AGS and inhabitants, for a whole state at once.

The file itself is the operator's to download from Destatis (it is updated every quarter); `gv100ad-py` reads
its records. A second import of a newer file updates inhabitants, kind, keys and Landkreis, never names a town
chose for itself, and creates nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import gv100ad
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lotse.core.services import versioned_create, versioned_update
from lotse.tenancy.models import Municipality, Network

# Satzart → the reader's record class; 10 (Land), 20 (Regierungsbezirk), 30 (Region) and 50 (Gemeindeverband)
# carry nothing a municipality in Lotse needs.
RECORDS = {"40": gv100ad.District, "60": gv100ad.Municipality}
SKIPPED = {"10", "20", "30", "50"}

DISTRICT_TYPES = {
    gv100ad.DistrictType.KREIS: "Kreis",
    gv100ad.DistrictType.LANDKREIS: "Landkreis",
    gv100ad.DistrictType.REGIONALVERBAND: "Regionalverband",
}
TOWN_KINDS = {
    gv100ad.MunicipalityType.STADT: Municipality.Kind.TOWN,
    gv100ad.MunicipalityType.KREISFREIE_STADT: Municipality.Kind.TOWN,
    gv100ad.MunicipalityType.STADTKREIS: Municipality.Kind.TOWN,
    gv100ad.MunicipalityType.GROSSE_KREISSTADT: Municipality.Kind.MAJOR_DISTRICT_TOWN,
    gv100ad.MunicipalityType.KREISANGEHOERIGE_GEMEINDE: Municipality.Kind.MUNICIPALITY,
    gv100ad.MunicipalityType.MARKT: Municipality.Kind.MUNICIPALITY,
}


@dataclass
class Entry:
    line: int
    name: str
    kind: str
    ars: str
    ags: str
    inhabitants: int | None
    district_ars: str = ""


@dataclass
class DirectoryResult:
    districts: int = 0
    municipalities: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def _short_name(name: str) -> str:
    """`Esslingen am Neckar, Stadt` → `Esslingen am Neckar` (the designation after the comma is the kind)."""
    return name.split(",", 1)[0].strip()


def read(text: str, land: str = "") -> tuple[list[Entry], list[str]]:
    """Entries of one state (`land`, e.g. "08"; empty: all) and the problems of the lines that could not be read."""
    entries: list[Entry] = []
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        kind = line[:2]
        if kind in SKIPPED:
            continue
        if kind not in RECORDS:
            errors.append(_("Zeile %(n)s: unbekannte Satzart „%(k)s“.") % {"n": number, "k": kind})
            continue
        try:
            record: Any = RECORDS[kind](line)
        except (ValueError, IndexError) as error:
            errors.append(_("Zeile %(n)s: nicht lesbar (%(why)s).") % {"n": number, "why": error})
            continue
        code = record.regional_code.strip()
        if land and not code.startswith(land):
            continue
        if kind == "40":
            if record.type not in DISTRICT_TYPES:  # a Stadtkreis is a Gemeinde of its own (Satzart 60)
                continue
            prefix = DISTRICT_TYPES[record.type]
            name = _short_name(record.name)
            if not name.lower().startswith(prefix.lower()):
                name = f"{prefix} {name}"
            entries.append(Entry(number, name, Municipality.Kind.DISTRICT, code + "0000000", code + "000", None))
        else:
            if record.type not in TOWN_KINDS:  # gemeindefreie Gebiete have no administration
                continue
            association = record.association.strip() or "0000"
            ars = code[:5] + association + code[5:8]
            entries.append(
                Entry(
                    number,
                    _short_name(record.name),
                    TOWN_KINDS[record.type],
                    ars,
                    code,
                    record.inhabitants,
                    district_ars=code[:5] + "0000000",
                )
            )
        if len(entries[-1].ars) != 12 or not entries[-1].ars.isdigit():
            errors.append(_("Zeile %(n)s: Der Regionalschlüssel ist unvollständig.") % {"n": number})
    return entries, errors


def decode(data: bytes) -> str:
    """Destatis writes UTF-8 since 2019; older files are ISO-8859-1."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("iso-8859-1")


@transaction.atomic
def load(entries: list[Entry], *, user: Any = None, network: Network | None = None) -> DirectoryResult:
    """Create or update every entry, Landkreise first; all or nothing."""
    from lotse.tenancy.services import unique_slug

    result = DirectoryResult()
    existing = {m.ars: m for m in Municipality.objects.exclude(ars="")}
    by_ags = {m.ags: m for m in Municipality.objects.exclude(ags="")}
    ordered = sorted(entries, key=lambda e: e.kind != Municipality.Kind.DISTRICT)
    for entry in ordered:
        district = existing.get(entry.district_ars) if entry.district_ars != entry.ars else None
        if district is not None and district.kind != Municipality.Kind.DISTRICT:
            district = None  # a Stadtkreis (or a town keyed like a Kreis) belongs to no Landkreis
        wanted = {
            "kind": entry.kind,
            "ars": entry.ars,
            "ags": entry.ags,
            "inhabitants": entry.inhabitants,
            "district": district,
        }
        current = existing.get(entry.ars) or by_ags.get(entry.ags)
        try:
            if current is None:
                current = versioned_create(
                    Municipality, user=user, data={**wanted, "name": entry.name, "slug": unique_slug(entry.name)}
                )
                result.created += 1
            elif any(getattr(current, k) != v for k, v in wanted.items() if k != "inhabitants" or v is not None):
                changes = {k: v for k, v in wanted.items() if k != "inhabitants" or v is not None}
                current = versioned_update(current, user=user, expected_version=current.version, data=changes)
                result.updated += 1
            else:
                result.unchanged += 1
        except ValidationError as error:
            raise ValidationError(
                [
                    _("Zeile %(n)s (%(name)s): %(why)s") % {"n": entry.line, "name": entry.name, "why": m}
                    for m in error.messages
                ]
            ) from error
        existing[entry.ars] = current
        if entry.kind == Municipality.Kind.DISTRICT:
            result.districts += 1
        else:
            result.municipalities += 1
        if network is not None:
            network.members.add(current)
    return result
