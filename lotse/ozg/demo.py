"""Demo content of the OZG room: a small catalogue written for the demo (not the official one: its IDs start
with "D-" so the full catalogue can be loaded beside it, see README), Musterstadt's statuses and processes,
and the statuses of the neighbours that share theirs in the network."""

from __future__ import annotations

from datetime import date
from typing import Any

from lotse.core.services import versioned_create
from lotse.ozg import services
from lotse.ozg.models import OzgLifeSituation, OzgService, OzgStatus, OzgTopic, Process, SolutionKind, UserAccount
from lotse.portfolio.models import Project
from lotse.tenancy.models import Municipality, OrgUnit

# Themenfeld → Lebenslage → services (written for the demo from general knowledge of municipal services).
CATALOGUE: dict[str, dict[str, list[str]]] = {
    "Familie & Kind": {
        "Geburt": ["Geburtsurkunde", "Namensbestimmung für das Kind"],
        "Kinderbetreuung": ["Anmeldung Kindertagesbetreuung", "Ermäßigung der Kita-Gebühren"],
    },
    "Bauen & Wohnen": {
        "Bauen": ["Baugenehmigung", "Abbruchgenehmigung", "Bauvoranfrage"],
        "Wohnen": ["Wohngeld", "Wohnberechtigungsschein"],
    },
    "Mobilität & Reisen": {
        "Parken": ["Bewohnerparkausweis", "Ausnahmegenehmigung zum Parken"],
        "Straße": ["Sondernutzung öffentlicher Verkehrsflächen", "Verkehrsrechtliche Anordnung"],
    },
    "Recht & Ordnung": {
        "Tiere": ["Hundehaltung (An- und Abmeldung, Hundesteuer)", "Gefährliche Hunde"],
        "Veranstaltungen": ["Erlaubnis für Veranstaltungen", "Gaststättenerlaubnis vorübergehend"],
        "Fundsachen": ["Fundsachen melden und abholen"],
    },
    "Ein- & Auswanderung": {
        "Meldewesen": ["Wohnsitz anmelden", "Meldebescheinigung", "Führungszeugnis beantragen"],
        "Ausweise": ["Personalausweis beantragen", "Reisepass beantragen"],
    },
    "Unternehmensführung & -entwicklung": {
        "Gewerbe": ["Gewerbeanmeldung", "Gewerbeabmeldung", "Gewerbeummeldung"],
        "Steuern": ["Gewerbesteuer", "Grundsteuer"],
    },
    "Engagement & Hobby": {
        "Ehrenamt": ["Ehrenamtskarte", "Vereinsförderung"],
        "Freizeit": ["Anmietung städtischer Räume", "Bibliotheksausweis"],
    },
    "Umwelt": {
        "Abfall": ["Sperrmüllabholung", "Abfallgebühren"],
        "Baum und Natur": ["Baumfällgenehmigung"],
    },
}

# Musterstadt: OZG service name → (maturity, unit short name, solution, kind, provider).
MUSTERSTADT = {
    "Wohnsitz anmelden": (4, "32.1", "Online-Ummeldung", SolutionKind.EFA, "Komm.ONE"),
    "Meldebescheinigung": (4, "32.1", "Meldebescheinigung online", SolutionKind.EFA, "Komm.ONE"),
    "Führungszeugnis beantragen": (3, "32.1", "Bundesportal", SolutionKind.EFA, "Bundesamt für Justiz"),
    "Personalausweis beantragen": (1, "32.1", "", "", ""),
    "Reisepass beantragen": (1, "32.1", "", "", ""),
    "Hundehaltung (An- und Abmeldung, Hundesteuer)": (
        2,
        "20.2",
        "Formular-Assistent Hundesteuer",
        SolutionKind.OWN,
        "",
    ),
    "Gewerbeanmeldung": (4, "32.3", "Gewerbe-Service", SolutionKind.EFA, "Land Baden-Württemberg"),
    "Gewerbeabmeldung": (4, "32.3", "Gewerbe-Service", SolutionKind.EFA, "Land Baden-Württemberg"),
    "Gewerbeummeldung": (4, "32.3", "Gewerbe-Service", SolutionKind.EFA, "Land Baden-Württemberg"),
    "Baugenehmigung": (3, "Amt 63", "Virtuelles Bauamt", SolutionKind.REUSE, "Regio IT"),
    "Bauvoranfrage": (3, "Amt 63", "Virtuelles Bauamt", SolutionKind.REUSE, "Regio IT"),
    "Abbruchgenehmigung": (2, "Amt 63", "", "", ""),
    "Wohngeld": (3, "Amt 50", "Wohngeld-Digital", SolutionKind.EFA, "Land"),
    "Anmeldung Kindertagesbetreuung": (3, "Amt 40", "Kita-Portal", SolutionKind.OWN, "Regio IT"),
    "Ermäßigung der Kita-Gebühren": (1, "Amt 40", "", "", ""),
    "Bewohnerparkausweis": (4, "32.3", "Bewohnerparken online", SolutionKind.REUSE, "Lindenau"),
    "Sperrmüllabholung": (4, "Amt 36", "Abfall-App", SolutionKind.OWN, ""),
    "Fundsachen melden und abholen": (3, "32.1", "Fundbüro online", SolutionKind.REUSE, "Bachfelden"),
    "Bibliotheksausweis": (3, "Amt 41", "Onleihe-Anmeldung", SolutionKind.OWN, ""),
    "Anmietung städtischer Räume": (1, "Amt 10", "", "", ""),
    "Baumfällgenehmigung": (2, "Amt 36", "", "", ""),
}
# Neighbours sharing their statuses: Lindenau runs dog tax fully online, Bachfelden further services.
NEIGHBOURS: dict[str, dict[str, tuple[int, str, str, str]]] = {
    "lindenau": {
        "Hundehaltung (An- und Abmeldung, Hundesteuer)": (4, "Hundesteuer online", SolutionKind.OWN, "Regio IT"),
        "Bewohnerparkausweis": (4, "Bewohnerparken online", SolutionKind.OWN, "Regio IT"),
        "Wohnsitz anmelden": (4, "Online-Ummeldung", SolutionKind.EFA, "Komm.ONE"),
        "Baugenehmigung": (2, "", "", ""),
    },
    "bachfelden": {
        "Hundehaltung (An- und Abmeldung, Hundesteuer)": (
            3,
            "Hundesteuer-Formular mit E-Payment",
            SolutionKind.REUSE,
            "Lindenau",
        ),
        "Fundsachen melden und abholen": (4, "Fundbüro online", SolutionKind.OWN, ""),
        "Gewerbeanmeldung": (4, "Gewerbe-Service", SolutionKind.EFA, "Land Baden-Württemberg"),
    },
    "hohenberg": {  # not in Musterstadt's Digitalverbund, and not sharing: never shown to Musterstadt
        "Hundehaltung (An- und Abmeldung, Hundesteuer)": (4, "Hundesteuer Hohenberg", SolutionKind.OWN, ""),
    },
}

PROCESSES = [
    # name, unit, cases, minutes, channel, breaks, maturity, effort, service
    (
        "Hundesteuer an- und abmelden",
        "20.2",
        1400,
        15,
        "paper",
        2,
        2,
        2,
        "Hundehaltung (An- und Abmeldung, Hundesteuer)",
    ),
    ("Personalausweis beantragen", "32.1", 9500, 20, "in_person", 1, 1, 4, "Personalausweis beantragen"),
    ("Sondernutzung für Baustellen", "Amt 66", 800, 45, "email", 3, 1, 3, "Sondernutzung öffentlicher Verkehrsflächen"),
    ("Rechnungseingang", "Amt 20", 42000, 6, "paper", 2, 1, 3, None),
    ("Urlaubsanträge", "10.1", 6000, 5, "paper", 1, 0, 1, None),
    ("Raumbuchung Bürgerhaus", "Amt 10", 900, 20, "phone", 1, 1, 2, "Anmietung städtischer Räume"),
    ("Kita-Gebühren ermäßigen", "Amt 40", 700, 40, "paper", 2, 1, 2, "Ermäßigung der Kita-Gebühren"),
    ("Baumfällanträge", "Amt 36", 350, 60, "email", 2, 2, 2, "Baumfällgenehmigung"),
]


def build_catalogue() -> dict[str, OzgService]:
    by_name = {}
    number = 1
    for topic_name, situations in CATALOGUE.items():
        topic = OzgTopic.objects.create(name=topic_name)
        for situation_name, names in situations.items():
            situation = OzgLifeSituation.objects.create(topic=topic, name=situation_name)
            for name in names:
                by_name[name] = OzgService.objects.create(ozg_id=f"D-{number:03d}", name=name, life_situation=situation)
                number += 1
    return by_name


def _unit(municipality: Municipality, short: str) -> OrgUnit | None:
    return OrgUnit.objects.filter(municipality=municipality, short_name=short).first()


def build(user: Any, musterstadt: Municipality, neighbours: dict[str, tuple[Any, Municipality]]) -> None:
    catalogue = build_catalogue()
    dog_project = Project.objects.filter(municipality=musterstadt, title__icontains="Hundesteuer").first()
    # Progress over time: the statuses reached, stage by stage.
    stages = [(date(2025, 1, 15), 2), (date(2025, 9, 30), 3), (date.today(), 5)]
    items = list(MUSTERSTADT.items())
    done = 0
    for day, part in stages:
        upto = len(items) * part // 5
        for name, (level, unit, solution, kind, provider) in items[done:upto]:
            status = versioned_create(
                OzgStatus,
                user=user,
                data={
                    "municipality": musterstadt,
                    "service": catalogue[name],
                    "org_unit": _unit(musterstadt, unit),
                    "maturity": level,
                    "solution_name": solution,
                    "solution_kind": kind,
                    "provider": provider,
                    "payment": level == 4,
                    "user_account": UserAccount.SERVICEKONTO if level >= 3 else UserAccount.NONE,
                    "planned_date": date(2027, 6, 30) if level < 3 else None,
                },
            )
            if dog_project and "Hundesteuer" in name:
                status.projects.set([dog_project])
        done = upto
        services.record_progress(musterstadt, day=day)
    services.set_sharing(musterstadt, True)
    for slug, statuses in NEIGHBOURS.items():
        town_user, town = neighbours[slug]
        for name, (level, solution, kind, provider) in statuses.items():
            versioned_create(
                OzgStatus,
                user=town_user,
                data={
                    "municipality": town,
                    "service": catalogue[name],
                    "maturity": level,
                    "solution_name": solution,
                    "solution_kind": kind,
                    "provider": provider,
                },
            )
        services.record_progress(town)
        services.set_sharing(town, slug != "hohenberg")
    for name, unit, cases, minutes, channel, breaks, maturity, effort, service in PROCESSES:
        versioned_create(
            Process,
            user=user,
            data={
                "municipality": musterstadt,
                "org_unit": _unit(musterstadt, unit),
                "name": name,
                "cases_per_year": cases,
                "minutes_per_case": minutes,
                "channel": channel,
                "media_breaks": breaks,
                "maturity": maturity,
                "effort": effort,
                "service": catalogue.get(service) if service else None,
            },
        )
