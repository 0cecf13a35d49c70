"""Municipal German for generated texts: projects about the synergy thesaurus's concepts. No Django needed
(bench/synergy.py builds its index from these words without a database)."""

from __future__ import annotations

import random

from lotse.synergy.thesaurus import CONCEPTS

ACTIONS = [
    "Einführung", "Digitalisierung", "Online-Antrag", "Neues Portal für", "Ausbau", "Modernisierung",
    "Pilotprojekt", "Beschaffung", "Erneuerung", "Umstellung der", "Elektronische", "Automatisierung",
]  # fmt: skip
UNITS = ["Bürgeramt", "Ordnungsamt", "Kämmerei", "Bauamt", "Hauptamt", "Schulamt", "Standesamt", "Personalamt"]
SYSTEMS = ["Servicekonto", "DMS", "Fachverfahren", "ePayBL", "GIS", "Ratsinformationssystem", "Bürgerportal"]
PARTNERS = ["Komm.ONE", "dem Landkreis", "der Nachbargemeinde", "einem Dienstleister", "dem Rechenzentrum"]
SENTENCES = [
    "Bürgerinnen und Bürger sollen {topic} künftig rund um die Uhr erledigen können.",
    "Das {unit} führt {topic} ein, um Medienbrüche und Papierakten zu vermeiden.",
    "Geplant ist eine Anbindung an das {system}.",
    "Die Umsetzung erfolgt gemeinsam mit {partner}.",
    "Ziel ist eine schnellere Bearbeitung und weniger Rückfragen im {unit}.",
    "Im ersten Schritt wird der Prozess erhoben und mit den Beschäftigten abgestimmt.",
    "Die Finanzierung ist im Haushalt {year} vorgesehen.",
    "Für {topic} gibt es bereits eine Lösung, die nachgenutzt werden kann.",
]


def texts(n: int, seed: int = 1, search_terms: bool = False) -> list[tuple[str, str]]:
    """n (title, description) pairs about the synergy thesaurus's concepts, in municipal German. The topic is
    the concept's label, or with `search_terms` one of its folded search terms (bench/synergy.py: harder)."""
    rng = random.Random(seed)  # noqa: S311 — test data, not secrets
    concepts = [(label, [t for t in terms if len(t) >= 5] or [label]) for label, terms in CONCEPTS.items()]
    result = []
    for _ in range(n):
        label, terms = rng.choice(concepts)
        topic = rng.choice(terms).capitalize() if search_terms else label
        title = f"{rng.choice(ACTIONS)} {topic}"
        if rng.random() < 0.3:
            title += f" im {rng.choice(UNITS)}"
        fill = {
            "topic": rng.choice([topic, label]),
            "unit": rng.choice(UNITS),
            "system": rng.choice(SYSTEMS),
            "partner": rng.choice(PARTNERS),
            "year": rng.choice(["2026", "2027", "2028"]),
        }
        description = " ".join(s.format(**fill) for s in rng.sample(SENTENCES, rng.randint(2, 5)))
        result.append((title[:200], description))
    return result
