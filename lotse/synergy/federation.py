"""Open data and federation: a municipality's public projects as a versioned JSON feed, CSV and a DCAT-AP.de
catalogue record; and pulling another Lotse instance's feed so that its projects join the synergy search.

Pulled projects become read-only copies in a *mirror* municipality (matched by ARS), with `source_url`
pointing at the original. They are public, like the feed they came from.
"""

from __future__ import annotations

import json
import urllib.request
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from lotse.core.spreadsheets import csv_bytes
from lotse.ozg.models import OzgStatus
from lotse.portfolio.models import Funding, Project, Status
from lotse.portfolio.services import tags_from_text
from lotse.tenancy.models import Membership, Municipality, Visibility

SCHEMA = "https://lotse.example/schema/projects/1.0"
SCHEMA_VERSION = "1.0"
# Version 2 adds the municipality's solutions and each project's origin (written and read by lotse.reuse); a
# reader of this room takes the projects of either.
SCHEMA_V2 = "https://lotse.example/schema/projects/2.0"
SCHEMAS = {SCHEMA: "1", SCHEMA_V2: "2"}
FEED_FIELDS = ["id", "title", "summary", "description", "status", "funding", "field", "tags", "start", "end", "url"]


class FeedError(Exception):
    """A feed that cannot be read or does not follow the schema; the message is German and says why."""


def public_projects(municipality: Municipality) -> Any:
    return (
        Project.objects.filter(municipality=municipality, visibility=Visibility.PUBLIC, source_url="")
        .select_related("field")
        .prefetch_related("tags")
        .order_by("key")
    )


def feed(municipality: Municipality, base_url: str) -> dict[str, Any]:
    """The JSON feed: schema, publisher (with ARS) and every public project."""
    projects = []
    rows = list(public_projects(municipality))
    ozg_ids: dict[int, list[str]] = {}
    for pk, ozg_id in OzgStatus.projects.through.objects.filter(project__in=rows).values_list(
        "project_id", "ozgstatus__service__ozg_id"
    ):
        ozg_ids.setdefault(pk, []).append(ozg_id)
    for p in rows:
        projects.append(
            {
                "id": p.key,
                "title": p.title,
                "summary": p.summary,
                "description": p.description,
                "status": p.status,
                "funding": p.funding,
                "field": p.field.name if p.field else None,
                "tags": [t.name for t in p.tags.all()],
                "start": p.start_date.isoformat() if p.start_date else None,
                "end": p.end_date.isoformat() if p.end_date else None,
                "url": f"{base_url}/m/{municipality.slug}/projects/{p.pk}/",
                "updated": p.updated_at.isoformat(),
                "ozg_ids": sorted(ozg_ids.get(p.pk, [])),
            }
        )
    return {
        "$schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "generated": timezone.now().isoformat(),
        "publisher": {
            "name": municipality.name,
            "slug": municipality.slug,
            "ars": municipality.ars or None,
            "url": f"{base_url}/m/{municipality.slug}/",
        },
        "projects": projects,
    }


def feed_csv(municipality: Municipality, base_url: str) -> bytes:
    projects = feed(municipality, base_url)["projects"]
    rows = ([", ".join(p[f]) if f == "tags" else (p[f] or "") for f in FEED_FIELDS] for p in projects)
    return csv_bytes([FEED_FIELDS, *rows])


LICENCE = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
DATA_THEME = "http://publications.europa.eu/resource/authority/data-theme/GOVE"
GEOCODING = "http://dcat-ap.de/def/politicalGeocoding/"


def _licence() -> dict[str, Any]:
    return {"@id": LICENCE, "@type": "dct:LicenseDocument"}


def _distribution(url: str, title: str, kind: str, schema: str = "") -> dict[str, Any]:
    distribution: dict[str, Any] = {
        "@id": f"{url}#distribution",
        "@type": "dcat:Distribution",
        "dct:title": title,
        "dcat:accessURL": {"@id": url},
        "dcat:downloadURL": {"@id": url},
        "dct:format": {"@id": FILE_TYPES + kind, "@type": "dct:MediaTypeOrExtent"},
        "dct:license": _licence(),
    }
    if schema:
        distribution["dct:conformsTo"] = {"@id": schema, "@type": "dct:Standard"}
    return distribution


def dcat(municipality: Municipality, base_url: str) -> dict[str, Any]:
    """A DCAT-AP.de catalogue record (JSON-LD) describing the feed as a dataset with its distributions: valid
    against GovData's shapes for DCAT-AP.de 3.0 and the 2.0 Konventionen a delivery to GovData needs."""
    from django.conf import settings

    home = f"{base_url}/m/{municipality.slug}/"
    feed_url = f"{home}open-data/projects.json"  # schema 2.0 (lotse.reuse); 1.0 stays at projects.v1.json
    projects = public_projects(municipality)
    first = projects.order_by("created_at").values_list("created_at", flat=True).first()
    publisher = {"@id": f"{home}#publisher", "@type": "foaf:Organization", "foaf:name": municipality.name}
    dataset: dict[str, Any] = {
        "@id": f"{home}open-data/#dataset",
        "@type": "dcat:Dataset",
        "dct:identifier": feed_url,
        "dct:title": f"Digitalisierungsprojekte {municipality.name}",
        "dct:description": (
            f"Öffentliche Projekte der Digitalisierungsstrategie von {municipality.name}, "
            "mit Status, Finanzierung, Handlungsfeld und Zeitraum."
        ),
        "dct:publisher": publisher,
        "dct:license": _licence(),
        "dct:issued": {"@value": (first.date() if first else date.today()).isoformat(), "@type": "xsd:date"},
        "dct:modified": {"@value": date.today().isoformat(), "@type": "xsd:date"},
        "dcat:landingPage": {"@id": f"{home}open-data/"},
        "dcat:keyword": ["Digitalisierung", "Verwaltungsdigitalisierung", "Projekte"],
        "dcat:theme": {"@id": DATA_THEME},
        "dcat:distribution": [
            _distribution(feed_url, f"Projekte von {municipality.name} (JSON)", "JSON", SCHEMA_V2),
            _distribution(
                f"{home}open-data/projects.v1.json",
                f"Projekte von {municipality.name} (JSON, Schema 1.0)",
                "JSON",
                SCHEMA,
            ),
            _distribution(f"{home}open-data/projects.csv", f"Projekte von {municipality.name} (CSV)", "CSV"),
        ],
    }
    if municipality.ars:
        # DCAT-AP.de 3.0 names the area with dct:spatial (dcatde:politicalGeocodingURI is deprecated there).
        level = "administrativeDistrict" if municipality.kind == Municipality.Kind.DISTRICT else "municipality"
        dataset["dct:spatial"] = {"@id": f"{GEOCODING}regionalKey/{municipality.ars}", "@type": "dct:Location"}
        dataset["dcatde:politicalGeocodingLevelURI"] = {"@id": f"{GEOCODING}Level/{level}"}
    if settings.GOVDATA_CONTRIBUTOR_ID:
        dataset["dcatde:contributorID"] = {"@id": settings.GOVDATA_CONTRIBUTOR_ID}
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "dcatde": "http://dcat-ap.de/def/dcatde/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": f"{home}open-data/#catalog",
        "@type": "dcat:Catalog",
        "dct:title": f"Lotse – {municipality.name}",
        "dct:description": f"Offene Daten zur Digitalisierung von {municipality.name}, veröffentlicht mit Lotse.",
        "dct:publisher": publisher,
        "dcat:dataset": dataset,
    }


# ---------------------------------------------------------------- pulling


def load(source: str, timeout: float = 20) -> dict[str, Any]:
    """Read a feed from a file or an http(s) URL."""
    try:
        if source.startswith(("http://", "https://")):
            request = urllib.request.Request(  # noqa: S310 - only http(s), checked above
                source, headers={"Accept": "application/json", "User-Agent": "Lotse"}
            )
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked above
                raw = response.read(20 * 1024 * 1024)
        else:
            raw = Path(source).read_bytes()
        data = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError) as error:
        raise FeedError(f"Der Feed „{source}“ kann nicht gelesen werden: {error}") from error
    if not isinstance(data, dict) or data.get("$schema") not in SCHEMAS:
        raise FeedError("Das ist kein Lotse-Projektfeed (Schema fehlt oder ist unbekannt).")
    major = SCHEMAS[data["$schema"]]
    if str(data.get("schema_version", "")).split(".")[0] != major:
        raise FeedError(f"Schema-Version {data.get('schema_version')} wird nicht unterstützt (erwartet {major}.x).")
    publisher = data.get("publisher") or {}
    if not publisher.get("name") or not isinstance(data.get("projects"), list):
        raise FeedError("Dem Feed fehlen Herausgeber oder Projekte.")
    return data


def _mirror(publisher: dict[str, Any]) -> Municipality:
    ars = publisher.get("ars") or ""
    town = Municipality.objects.filter(ars=ars).first() if ars else None
    if town is None:
        slug = "ext-" + slugify(publisher.get("slug") or publisher["name"])[:40]
        town = Municipality.objects.filter(slug=slug).first()
    if town is not None and Membership.objects.filter(municipality=town).exists():
        raise FeedError(f"„{town.name}“ wird in dieser Instanz selbst gepflegt; ihr Feed wird nicht übernommen.")
    if town is None:
        town = Municipality.objects.create(
            name=publisher["name"][:200], slug=slug, ars=ars, website=publisher.get("url") or ""
        )
    return town


@transaction.atomic
def pull(source: str, data: dict[str, Any] | None = None) -> tuple[Municipality, int, int]:
    """Import a feed (`data`, when the caller has loaded it): create or update the read-only copies, remove the
    ones the source withdrew.

    Returns the mirror municipality, the number of projects and how many were removed."""
    data = data if data is not None else load(source)
    town = _mirror(data["publisher"])
    seen = set()
    for item in data["projects"]:
        key = str(item.get("id") or "")[:40]
        title = str(item.get("title") or "")[:200]
        if not key or not title or not str(item.get("url") or "").startswith(("http://", "https://")):
            raise FeedError(f"Ein Projekt im Feed ist unvollständig (id, title und url sind Pflicht): {item!r:.120}")
        seen.add(key)
        values = {
            "title": title,
            "summary": str(item.get("summary") or "")[:500],
            "description": str(item.get("description") or ""),
            "status": item.get("status") if item.get("status") in Status.values else Status.IDEA,
            "funding": item.get("funding") if item.get("funding") in Funding.values else Funding.UNFUNDED,
            "start_date": iso_date(item.get("start")),
            "end_date": iso_date(item.get("end")),
            "visibility": Visibility.PUBLIC,
            "source_url": str(item["url"])[:200],
        }
        project, _created = Project.objects.update_or_create(municipality=town, key=key, defaults=values)
        project.version += 1  # lets the synergy index see the change
        project.save(update_fields=["version"])
        project.tags.set(tags_from_text(town, ", ".join(str(t) for t in item.get("tags") or [])))
    stale = Project.objects.filter(municipality=town).exclude(key__in=seen)
    removed = stale.count()
    stale.delete()
    return town, len(seen), removed


def iso_date(value: Any) -> date | None:
    """A feed's ISO date, or None for anything else."""
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
