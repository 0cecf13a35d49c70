"""GovData's DCAT-AP.de SHACL shapes (../shared/data/dcat-ap-de-shacl), as its validator combines them: the profile's
files from config.properties, the EU DCAT-AP shapes it names as remote files (here: the local copies), and the
vocabularies the shapes import (FOAF, vCard, ORG, GovData's licence and contributor lists) merged into the data."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

SHAPES = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "dcat-ap-de-shacl"
RESOURCES = SHAPES / "validator" / "resources"
EU = {
    "v30_de_spec": SHAPES / "eu" / "dcat-ap-3.0.0-SHACL.ttl",
    "v20_de_spec_implr": SHAPES / "eu" / "dcat-ap_2.1.1_shacl_shapes.ttl",
}
VOCABULARIES = [
    RESOURCES / "mirror" / "foaf_0_1.rdf",
    RESOURCES / "mirror" / "vcard.ttl",
    RESOURCES / "mirror" / "org.ttl",
    RESOURCES / "dashboard-live" / "shapes" / "dcat-ap-de-licenses-open.rdf",
    RESOURCES / "dashboard-live" / "shapes" / "dcat-ap-de-contributors.rdf",
]


def _files(profile: str) -> list[Path]:
    for line in (RESOURCES / "config.properties").read_text().splitlines():
        if line.startswith(f"validator.shaclFile.{profile} "):
            return [RESOURCES / name.strip() for name in line.split("=", 1)[1].split(",")]
    raise KeyError(profile)


@lru_cache(maxsize=4)
def shapes(profile: str) -> Any:
    from rdflib import Graph

    graph = Graph()
    for path in [EU[profile], *_files(profile)]:
        graph.parse(path, format="turtle" if path.suffix == ".ttl" else "xml")
    return graph


@lru_cache(maxsize=1)
def vocabularies() -> Any:
    from rdflib import Graph

    graph = Graph()
    for path in VOCABULARIES:
        graph.parse(path, format="turtle" if path.suffix == ".ttl" else "xml")
    return graph


def violations(document: dict[str, Any], profile: str, severity: str = "Violation", extra: str = "") -> list[str]:
    """The messages of every result of a severity (Violation, Warning or Info); `extra`: Turtle merged into the
    data like the vocabularies (for vocabulary entries that are not in ../shared)."""
    from pyshacl import validate
    from rdflib import Graph, Namespace

    data = Graph().parse(data=json.dumps(document), format="json-ld")
    data += vocabularies()  # as the official validator merges models before validating
    if extra:
        data.parse(data=extra, format="turtle")
    _conforms, report, _text = validate(data, shacl_graph=shapes(profile), inference="none", abort_on_first=False)
    sh = Namespace("http://www.w3.org/ns/shacl#")
    found = []
    for result in report.subjects(sh.resultSeverity, sh[severity]):
        message = report.value(result, sh.resultMessage)
        path = report.value(result, sh.resultPath)
        focus = report.value(result, sh.focusNode)
        found.append(f"{message} (path {path}, at {focus})")
    return sorted(set(found))
