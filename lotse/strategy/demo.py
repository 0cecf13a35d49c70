"""Demo strategy: Musterstadt's Digitalisierungsstrategie with fields, goals and indicators; smaller ones elsewhere."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from lotse.core.services import versioned_create
from lotse.strategy.models import FIELD_TEMPLATES, FieldOfAction, Goal, Indicator, IndicatorReading, Principle, Strategy
from lotse.tenancy.models import Municipality, Visibility

PRINCIPLES = [
    (
        "Der Mensch steht im Mittelpunkt",
        "Digitale Angebote sind einfach, barrierefrei und freiwillig; der analoge Weg bleibt.",
    ),
    ("Einer für Alle", "Wir nutzen nach, was andere Kommunen schon gebaut haben, und teilen unsere Lösungen."),
    (
        "Offen und sicher",
        "Offene Standards, Open Source wo möglich, Datenschutz und Informationssicherheit von Anfang an.",
    ),
    (
        "Gemeinsam gestalten",
        "Mitarbeitende und Bürgerschaft bringen Ideen ein; Digitallotsen begleiten den Wandel in jedem Amt.",
    ),
]

# Field index → goals with indicators: (goal, [(indicator, unit, baseline, target, due, readings)]).
GOALS: dict[int, list[tuple[str, list[tuple[str, str, float, float, date, list[float]]]]]] = {
    0: [
        (
            "Gigabit-Versorgung aller Haushalte und Gewerbegebiete bis 2030",
            [("Haushalte mit Glasfaseranschluss", "%", 18, 90, date(2030, 12, 31), [24, 31, 38])],
        ),
        (
            "Öffentliches WLAN an allen zentralen Plätzen",
            [("Plätze mit freiem WLAN", "Anzahl", 3, 15, date(2027, 12, 31), [5, 8])],
        ),
    ],
    1: [
        (
            "Verkehr datenbasiert steuern und den Umweltverbund stärken",
            [("Parkplätze mit digitaler Belegungsanzeige", "%", 0, 60, date(2028, 12, 31), [10, 22])],
        ),
        (
            "Energieverbrauch städtischer Gebäude digital erfassen",
            [("Gebäude mit Smart Metering", "Anzahl", 4, 40, date(2028, 12, 31), [9, 15, 21])],
        ),
    ],
    2: [
        (
            "Alle Schulen digital ausgestattet und betreut",
            [("Klassenzimmer mit digitaler Tafel", "%", 35, 100, date(2027, 7, 31), [52, 68, 81])],
        ),
        (
            "Digitale Teilhabe für ältere Menschen",
            [("Teilnehmende Digitalsprechstunde", "Anzahl", 0, 600, date(2027, 12, 31), [120, 310])],
        ),
    ],
    3: [
        (
            "Papierarme Verwaltung mit E-Akte in allen Ämtern",
            [("Ämter mit E-Akte", "Anzahl", 2, 18, date(2028, 12, 31), [4, 7, 9])],
        ),
        (
            "In jedem Amt eine qualifizierte Digitallotsin oder ein Digitallotse",
            [("Qualifizierte Digitallotsen", "Anzahl", 0, 25, date(2027, 6, 30), [8, 14])],
        ),
    ],
    4: [
        (
            "Die wichtigsten Leistungen vollständig online",
            [("OZG-Leistungen mit Reifegrad 3 oder höher", "Anzahl", 42, 250, date(2028, 12, 31), [77, 118, 141])],
        ),
        (
            "Kürzere Wartezeiten im Bürgerbüro",
            [("Durchschnittliche Wartezeit", "Tage", 14, 3, date(2027, 12, 31), [11, 8])],
        ),
    ],
}


def _reading_dates(n: int) -> list[date]:
    return [date(2024 + i // 2, 6 if i % 2 == 0 else 12, 30 if i % 2 == 0 else 31) for i in range(n)]


def build_full(user: Any, municipality: Municipality) -> list[FieldOfAction]:
    versioned_create(
        Strategy,
        user=user,
        data={
            "municipality": municipality,
            "title": "Digitalisierungsstrategie Musterstadt 2030",
            "vision": (
                "Musterstadt ist 2030 eine Stadt, in der digitale Angebote das Leben leichter machen: "
                "Bürgerinnen, Bürger und Unternehmen erledigen ihre Anliegen rund um die Uhr online, "
                "die Verwaltung arbeitet vernetzt und papierarm, und niemand wird zurückgelassen."
            ),
            "adopted_on": date(2025, 3, 20),
            "visibility": Visibility.PUBLIC,
        },
    )
    for i, (title, text) in enumerate(PRINCIPLES, 1):
        versioned_create(
            Principle,
            user=user,
            data={"municipality": municipality, "title": title, "description": text, "position": i},
        )
    fields = []
    for i, name in enumerate(FIELD_TEMPLATES["mittelstadt"]):
        field = versioned_create(
            FieldOfAction, user=user, data={"municipality": municipality, "name": name, "position": i + 1}
        )
        fields.append(field)
        for j, (goal_title, indicators) in enumerate(GOALS[i], 1):
            goal = versioned_create(
                Goal, user=user, data={"municipality": municipality, "field": field, "title": goal_title, "position": j}
            )
            for name_, unit, base, target, due, readings in indicators:
                indicator = versioned_create(
                    Indicator,
                    user=user,
                    data={
                        "municipality": municipality,
                        "goal": goal,
                        "name": name_,
                        "unit": unit,
                        "baseline": Decimal(str(base)),
                        "baseline_date": date(2023, 12, 31),
                        "target": Decimal(str(target)),
                        "due_date": due,
                    },
                )
                for day, value in zip(_reading_dates(len(readings)), readings, strict=True):
                    versioned_create(
                        IndicatorReading,
                        user=user,
                        data={
                            "municipality": municipality,
                            "indicator": indicator,
                            "measured_on": day,
                            "value": Decimal(str(value)),
                        },
                    )
    return fields


def build_small(user: Any, municipality: Municipality) -> list[FieldOfAction]:
    versioned_create(
        Strategy,
        user=user,
        data={
            "municipality": municipality,
            "title": f"Digitale Agenda {municipality.name}",
            "vision": f"{municipality.name} macht Verwaltung einfach – digital und persönlich.",
            "visibility": Visibility.NETWORK,
        },
    )
    fields = []
    for i, name in enumerate(["Digitale Bürgerdienste", "Digitale Verwaltung"], 1):
        field = versioned_create(
            FieldOfAction, user=user, data={"municipality": municipality, "name": name, "position": i}
        )
        versioned_create(
            Goal,
            user=user,
            data={"municipality": municipality, "field": field, "title": f"{name} ausbauen", "position": 1},
        )
        fields.append(field)
    return fields
