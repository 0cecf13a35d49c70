"""Import of the OZG catalogue: OZG-Leistungen with Lebenslage and Themenfeld, and LeiKa services mapped to them.

Files are CSV (UTF-8 or Windows-1252, `;` `,` or tab) or Excel with a header row. Every row is checked first and
every problem is reported with its line; only a file without errors is written, all of it in one transaction.
A re-import updates names and moves services between Lebenslagen, matched by OZG-ID (LeiKa: by key, or by name
where a service has no key). Nothing is deleted, so no municipality's statuses are lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from lotse.ozg.models import LeikaService, OzgLifeSituation, OzgService, OzgTopic
from lotse.portfolio.importer import ImportFileError, read_table

OZG_COLUMNS = {"ozg_id": "ozg_id", "leistung": "name", "lebenslage": "life_situation", "themenfeld": "topic"}
LEIKA_COLUMNS = {"leika_key": "key", "leistung": "name", "ozg_id": "ozg_id", "leika_typ": "leika_type"}
NOT_IN_LEIKA = "nicht im leika"


class CatalogueError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class CatalogueResult:
    services_created: int = 0
    services_updated: int = 0
    leika_created: int = 0
    leika_updated: int = 0
    errors: list[str] = field(default_factory=list)


def _rows(data: bytes, filename: str, columns: dict[str, str], label: str) -> tuple[list[dict[str, str]], list[str]]:
    try:
        table = read_table(data, filename)
    except ImportFileError as error:
        return [], [f"{label}: {error}"]
    if not table:
        return [], [_("%(file)s: Die Datei ist leer.") % {"file": label}]
    header = [str(h or "").strip().lower() for h in table[0]]
    missing = [c for c in columns if c not in header]
    if missing:
        return [], [
            _("%(file)s: Es fehlen die Spalten %(columns)s (gefunden: %(found)s).")
            % {"file": label, "columns": ", ".join(missing), "found": ", ".join(h for h in header if h) or "–"}
        ]
    rows: list[dict[str, str]] = []
    for line in table[1:]:
        if not any(str(v or "").strip() for v in line):
            rows.append({})  # keeps line numbers right; skipped later
            continue
        values = {
            columns[c]: str(line[header.index(c)] if header.index(c) < len(line) else "").strip() for c in columns
        }
        rows.append(values)
    return rows, []


def parse(
    ozg: tuple[bytes, str], leika: tuple[bytes, str] | None = None
) -> tuple[list[dict[str, str]], list[dict[str, str]], list[str]]:
    """Read and check both files; returns the rows to write and every error found."""
    services, errors = _rows(*ozg, OZG_COLUMNS, ozg[1])
    seen: dict[str, int] = {}
    for line, row in enumerate(services, start=2):
        if not row:
            continue
        where = _("%(file)s, Zeile %(line)d") % {"file": ozg[1], "line": line}
        for key, label in (
            ("ozg_id", "ozg_id"),
            ("name", "leistung"),
            ("life_situation", "lebenslage"),
            ("topic", "themenfeld"),
        ):
            if not row[key]:
                errors.append(_("%(where)s: Die Spalte „%(column)s“ ist leer.") % {"where": where, "column": label})
        if row["ozg_id"] in seen:
            errors.append(
                _("%(where)s: Die OZG-ID %(id)s steht schon in Zeile %(first)d.")
                % {"where": where, "id": row["ozg_id"], "first": seen[row["ozg_id"]]}
            )
        seen.setdefault(row["ozg_id"], line)
        if len(row["name"]) > 500 or len(row["ozg_id"]) > 20:
            errors.append(_("%(where)s: Name oder OZG-ID ist zu lang.") % {"where": where})
    leika_rows: list[dict[str, str]] = []
    if leika is not None:
        leika_rows, leika_errors = _rows(*leika, LEIKA_COLUMNS, leika[1])
        errors += leika_errors
        known = set(seen) | set(OzgService.objects.values_list("ozg_id", flat=True))
        for line, row in enumerate(leika_rows, start=2):
            if not row:
                continue
            where = _("%(file)s, Zeile %(line)d") % {"file": leika[1], "line": line}
            if not row["name"]:
                errors.append(_("%(where)s: Die Spalte „leistung“ ist leer.") % {"where": where})
            if row["ozg_id"] not in known:
                errors.append(
                    _("%(where)s: Die OZG-ID „%(id)s“ gibt es im Katalog nicht.")
                    % {"where": where, "id": row["ozg_id"]}
                )
            if row["key"].lower() == NOT_IN_LEIKA:
                row["key"] = ""
    return [r for r in services if r], [r for r in leika_rows if r], errors


@transaction.atomic
def write(services: list[dict[str, str]], leika: list[dict[str, str]]) -> CatalogueResult:
    result = CatalogueResult()
    topics = {t.name: t for t in OzgTopic.objects.all()}
    situations = {(s.topic_id, s.name): s for s in OzgLifeSituation.objects.all()}
    existing = {s.ozg_id: s for s in OzgService.objects.all()}
    for row in services:
        topic = topics.get(row["topic"]) or OzgTopic.objects.create(name=row["topic"])
        topics[topic.name] = topic
        situation = situations.get((topic.pk, row["life_situation"])) or OzgLifeSituation.objects.create(
            topic=topic, name=row["life_situation"]
        )
        situations[(topic.pk, situation.name)] = situation
        service = existing.get(row["ozg_id"])
        if service is None:
            existing[row["ozg_id"]] = OzgService.objects.create(
                ozg_id=row["ozg_id"], name=row["name"], life_situation=situation
            )
            result.services_created += 1
        elif (service.name, service.life_situation_id) != (row["name"], situation.pk):
            service.name, service.life_situation = row["name"], situation
            service.save(update_fields=["name", "life_situation"])
            result.services_updated += 1

    def identity(key: str, ozg_id: str, name: str) -> str:
        return key or f"{ozg_id}:{name}"  # services without a LeiKa key are known by OZG-ID and name

    by_key = {identity(lk.key, lk.service.ozg_id, lk.name): lk for lk in LeikaService.objects.select_related("service")}
    for row in leika:
        service = existing[row["ozg_id"]]
        match = by_key.get(identity(row["key"], row["ozg_id"], row["name"]))
        values = {"key": row["key"], "name": row["name"], "service": service, "leika_type": row["leika_type"]}
        if match is None:
            by_key[identity(row["key"], row["ozg_id"], row["name"])] = LeikaService.objects.create(**values)
            result.leika_created += 1
        elif (match.name, match.service_id, match.leika_type) != (row["name"], service.pk, row["leika_type"]):
            for name, value in values.items():
                setattr(match, name, value)
            match.save()
            result.leika_updated += 1
    return result


def import_catalogue(ozg: tuple[bytes, str], leika: tuple[bytes, str] | None = None) -> CatalogueResult:
    services, leika_rows, errors = parse(ozg, leika)
    if errors:
        raise CatalogueError(errors)
    return write(services, leika_rows)
