"""Demo portfolio: about 40 projects for Musterstadt with scores, budgets, milestones; a few for the other towns."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from typing import Any

from lotse.core.services import versioned_create
from lotse.portfolio import services
from lotse.portfolio.models import CapacityYear, Funding, Obligation, PriorityCriterion, ProjectScore, Status
from lotse.strategy.models import FieldOfAction, Goal
from lotse.tenancy.models import Municipality, OrgUnit, Visibility

S, F, OB = Status, Funding, Obligation
# (title, field index, lead unit, status, funding, start year, years, budget per year, VZÄ per year, obligation,
#  lighthouse, tags, summary)
PROJECTS: list[tuple[Any, ...]] = [
    (
        "E-Akte Basisdienst",
        3,
        "Amt für IT und zentrale Dienste",
        S.IMPLEMENTATION,
        F.FUNDED,
        2024,
        4,
        180000,
        2.0,
        OB.MANDATORY,
        True,
        "E-Akte, DMS",
        "Einführung der elektronischen Akte als gemeinsamer Dienst für alle Ämter.",
    ),
    (
        "E-Akte im Bürger- und Ordnungsamt",
        3,
        "Bürger- und Ordnungsamt",
        S.IMPLEMENTATION,
        F.FUNDED,
        2025,
        2,
        45000,
        0.8,
        OB.MANDATORY,
        False,
        "E-Akte",
        "Umstellung der Vorgänge im Bürger- und Ordnungsamt auf die E-Akte.",
    ),
    (
        "E-Akte im Baurechtsamt",
        3,
        "Baurechtsamt",
        S.PLANNING,
        F.PARTIAL,
        2026,
        2,
        60000,
        1.0,
        OB.MANDATORY,
        False,
        "E-Akte, Bauen",
        "Digitale Bauakte mit Anbindung an das Baugenehmigungsverfahren.",
    ),
    (
        "Digitaler Bauantrag",
        4,
        "Baurechtsamt",
        S.IMPLEMENTATION,
        F.FUNDED,
        2025,
        2,
        90000,
        1.2,
        OB.MANDATORY,
        True,
        "OZG, Bauen, EfA",
        "Bauanträge online einreichen über die EfA-Lösung des Landes.",
    ),
    (
        "Online-Terminvergabe Bürgerbüro",
        4,
        "Bürgerbüro",
        S.OPERATION,
        F.FUNDED,
        2023,
        1,
        25000,
        0.3,
        OB.VOLUNTARY,
        False,
        "Bürgerservice",
        "Termine für das Bürgerbüro rund um die Uhr online buchen.",
    ),
    (
        "Hundesteuer online",
        4,
        "Abteilung Steuern und Abgaben",
        S.PLANNING,
        F.FUNDED,
        2026,
        1,
        15000,
        0.2,
        OB.MANDATORY,
        False,
        "OZG, Steuern",
        "An- und Abmeldung von Hunden als Online-Dienst mit E-Payment.",
    ),
    (
        "Gewerbeanmeldung digital",
        4,
        "Gewerbe und Verkehr",
        S.IMPLEMENTATION,
        F.FUNDED,
        2025,
        1,
        20000,
        0.3,
        OB.MANDATORY,
        False,
        "OZG, Wirtschaft, EfA",
        "Gewerbe an-, um- und abmelden über service-bw.",
    ),
    (
        "Digitales Standesamt",
        4,
        "Standesamt",
        S.PLANNING,
        F.PARTIAL,
        2026,
        2,
        35000,
        0.5,
        OB.MANDATORY,
        False,
        "OZG",
        "Urkundenbestellung und Eheschließungsanmeldung online.",
    ),
    (
        "Wohngeld digital",
        4,
        "Amt für Familie, Jugend und Senioren",
        S.FUTURE,
        F.UNFUNDED,
        2027,
        2,
        40000,
        0.6,
        OB.MANDATORY,
        False,
        "OZG, Soziales",
        "Wohngeldanträge online mit digitaler Nachweisübermittlung.",
    ),
    (
        "Kita-Platzvergabe online",
        2,
        "Amt für Bildung und Betreuung",
        S.IMPLEMENTATION,
        F.FUNDED,
        2025,
        2,
        70000,
        0.8,
        OB.VOLUNTARY,
        True,
        "Familie, Bildung",
        "Zentrale Vormerkung und Vergabe von Kita-Plätzen für alle Träger.",
    ),
    (
        "Schul-WLAN und Medienentwicklungsplan",
        2,
        "Amt für Bildung und Betreuung",
        S.IMPLEMENTATION,
        F.FUNDED,
        2024,
        4,
        320000,
        1.5,
        OB.VOLUNTARY,
        False,
        "Schule, DigitalPakt",
        "Flächendeckendes WLAN und digitale Tafeln in allen Schulen.",
    ),
    (
        "Digitale Stadtbibliothek",
        2,
        "Kulturamt und Stadtbibliothek",
        S.OPERATION,
        F.FUNDED,
        2023,
        2,
        30000,
        0.4,
        OB.VOLUNTARY,
        False,
        "Kultur",
        "Onleihe, Selbstverbuchung und digitale Veranstaltungsanmeldung.",
    ),
    (
        "Digitalsprechstunde für Seniorinnen und Senioren",
        2,
        "Amt für Familie, Jugend und Senioren",
        S.IMPLEMENTATION,
        F.FUNDED,
        2025,
        3,
        12000,
        0.3,
        OB.VOLUNTARY,
        False,
        "Teilhabe, Ehrenamt",
        "Ehrenamtliche Digitalbotschafter helfen bei Smartphone und Online-Diensten.",
    ),
    (
        "Ehrenamtsplattform",
        2,
        "Stabsstelle Kommunikation und Bürgerbeteiligung",
        S.IDEA,
        F.UNFUNDED,
        2027,
        1,
        25000,
        0.3,
        OB.VOLUNTARY,
        False,
        "Ehrenamt, Beteiligung",
        "Vereine und Freiwillige finden zueinander.",
    ),
    (
        "Glasfaserausbau Gewerbegebiete",
        0,
        "Tiefbauamt",
        S.IMPLEMENTATION,
        F.PARTIAL,
        2024,
        4,
        450000,
        1.0,
        OB.VOLUNTARY,
        True,
        "Breitband, Förderung",
        "Gigabitanschlüsse für alle Gewerbegebiete mit Bundes- und Landesförderung.",
    ),
    (
        "Freies WLAN in der Innenstadt",
        0,
        "Amt für IT und zentrale Dienste",
        S.OPERATION,
        F.FUNDED,
        2023,
        2,
        40000,
        0.2,
        OB.VOLUNTARY,
        False,
        "WLAN",
        "Freies WLAN an Marktplatz, Bahnhof und Rathausplatz.",
    ),
    (
        "Digitaler Zwilling der Innenstadt",
        0,
        "Stadtplanungsamt",
        S.FUTURE,
        F.UNFUNDED,
        2027,
        3,
        150000,
        1.0,
        OB.VOLUNTARY,
        True,
        "Geodaten, Smart City",
        "3D-Stadtmodell für Planung und Bürgerbeteiligung.",
    ),
    (
        "Geoportal und Open Data",
        0,
        "Stadtplanungsamt",
        S.PLANNING,
        F.PARTIAL,
        2026,
        2,
        55000,
        0.6,
        OB.VOLUNTARY,
        False,
        "Geodaten, Open Data",
        "Pläne, Bebauungspläne und Daten der Stadt offen bereitstellen.",
    ),
    (
        "Leerstandsmanagement digital",
        0,
        "Stadtplanungsamt",
        S.IDEA,
        F.UNFUNDED,
        2027,
        1,
        20000,
        0.2,
        OB.VOLUNTARY,
        False,
        "Wirtschaft",
        "Leerstände und Gewerbeflächen in einer Karte für Investoren.",
    ),
    (
        "Smarte Parkraumsteuerung",
        1,
        "Abteilung Verkehrsplanung",
        S.PLANNING,
        F.PARTIAL,
        2026,
        2,
        120000,
        0.5,
        OB.VOLUNTARY,
        True,
        "Mobilität, Sensorik",
        "Sensoren melden freie Parkplätze an ein Parkleitsystem und eine App.",
    ),
    (
        "Energiemonitoring städtischer Gebäude",
        1,
        "Amt für Umwelt und Klimaschutz",
        S.IMPLEMENTATION,
        F.FUNDED,
        2025,
        3,
        60000,
        0.5,
        OB.VOLUNTARY,
        False,
        "Klimaschutz, Energie",
        "Smart Meter und Auswertung für Schulen, Hallen und Verwaltungsgebäude.",
    ),
    (
        "Mängelmelder",
        1,
        "Tiefbauamt",
        S.OPERATION,
        F.FUNDED,
        2023,
        1,
        8000,
        0.2,
        OB.VOLUNTARY,
        False,
        "Bürgerservice, Beteiligung",
        "Schlaglöcher und defekte Laternen per App melden.",
    ),
    (
        "Digitale Hochwasserwarnung",
        1,
        "Eigenbetrieb Stadtentwässerung",
        S.PLANNING,
        F.FUNDED,
        2026,
        2,
        95000,
        0.4,
        OB.VOLUNTARY,
        False,
        "Sensorik, Bevölkerungsschutz",
        "Pegelsensoren und Warnungen über Cell Broadcast und App.",
    ),
    (
        "Carsharing-Flotte der Verwaltung",
        1,
        "Haupt- und Personalamt",
        S.FUTURE,
        F.UNFUNDED,
        2028,
        2,
        45000,
        0.2,
        OB.VOLUNTARY,
        False,
        "Mobilität",
        "Dienstwagen per Buchungsplattform teilen, auch für Bürger am Wochenende.",
    ),
    (
        "Bäder-Ticketing online",
        1,
        "Eigenbetrieb Bäder und Sport",
        S.COMPLETED,
        F.FUNDED,
        2023,
        1,
        18000,
        0.2,
        OB.VOLUNTARY,
        False,
        "Freizeit",
        "Eintrittskarten und Zeitfenster online buchen.",
    ),
    (
        "Digitallotsen-Programm",
        3,
        "Stabsstelle Digitalisierung",
        S.IMPLEMENTATION,
        F.FUNDED,
        2025,
        3,
        35000,
        1.0,
        OB.VOLUNTARY,
        True,
        "Digitallotsen, Kulturwandel",
        "In jedem Amt qualifizierte Digitallotsen als Ansprechpersonen.",
    ),
    (
        "Status-quo-Erhebung aller Dezernate",
        3,
        "Stabsstelle Digitalisierung",
        S.COMPLETED,
        F.FUNDED,
        2024,
        1,
        10000,
        0.8,
        OB.VOLUNTARY,
        False,
        "Strategie",
        "Einheitliche Erhebung der digitalen Vorhaben in zwei Staffeln.",
    ),
    (
        "Digitaler Rechnungsworkflow",
        3,
        "Kämmerei",
        S.IMPLEMENTATION,
        F.FUNDED,
        2025,
        2,
        50000,
        0.6,
        OB.MANDATORY,
        False,
        "E-Rechnung, Finanzen",
        "E-Rechnungen empfangen, prüfen und freigeben ohne Papier.",
    ),
    (
        "Digitale Personalakte",
        3,
        "Abteilung Personal",
        S.PLANNING,
        F.FUNDED,
        2026,
        2,
        40000,
        0.5,
        OB.VOLUNTARY,
        False,
        "E-Akte, Personal",
        "Personalakten digital und revisionssicher führen.",
    ),
    (
        "Online-Bewerbungsportal",
        3,
        "Abteilung Personal",
        S.OPERATION,
        F.FUNDED,
        2024,
        1,
        22000,
        0.2,
        OB.VOLUNTARY,
        False,
        "Personal",
        "Bewerbungen online statt per Post.",
    ),
    (
        "Ratsinformationssystem mit App",
        3,
        "Haupt- und Personalamt",
        S.PLANNING,
        F.PARTIAL,
        2026,
        1,
        30000,
        0.3,
        OB.VOLUNTARY,
        False,
        "Gemeinderat, Transparenz",
        "Sitzungsunterlagen digital für Gemeinderat und Öffentlichkeit.",
    ),
    (
        "Mobiles Arbeiten und Softphones",
        3,
        "Amt für IT und zentrale Dienste",
        S.OPERATION,
        F.FUNDED,
        2023,
        2,
        110000,
        0.8,
        OB.VOLUNTARY,
        False,
        "Arbeitsplatz",
        "Laptops, VPN und Telefonie über das Netz für alle Arbeitsplätze.",
    ),
    (
        "Informationssicherheitsmanagement",
        3,
        "Amt für IT und zentrale Dienste",
        S.IMPLEMENTATION,
        F.FUNDED,
        2025,
        3,
        65000,
        1.0,
        OB.MANDATORY,
        False,
        "Sicherheit",
        "ISMS nach BSI-Grundschutz-Profil für Kommunen.",
    ),
    (
        "KI-Assistent für Bürgeranfragen",
        4,
        "Stabsstelle Digitalisierung",
        S.IDEA,
        F.UNFUNDED,
        2027,
        2,
        80000,
        0.6,
        OB.VOLUNTARY,
        True,
        "KI, Bürgerservice",
        "Ein Assistent beantwortet häufige Fragen auf der Website, auch in leichter Sprache.",
    ),
    (
        "Digitale Bürgerbeteiligung",
        4,
        "Stabsstelle Kommunikation und Bürgerbeteiligung",
        S.IMPLEMENTATION,
        F.FUNDED,
        2025,
        2,
        28000,
        0.4,
        OB.VOLUNTARY,
        False,
        "Beteiligung",
        "Online-Beteiligung zu Bauprojekten und Haushalt.",
    ),
    (
        "E-Payment für alle Online-Dienste",
        4,
        "Kämmerei",
        S.IMPLEMENTATION,
        F.FUNDED,
        2025,
        1,
        30000,
        0.3,
        OB.MANDATORY,
        False,
        "OZG, Finanzen",
        "Gebühren online bezahlen mit Giropay, Karte und PayPal.",
    ),
    (
        "Elektronische Wohnsitzanmeldung",
        4,
        "Bürgerbüro",
        S.FUTURE,
        F.UNFUNDED,
        2027,
        1,
        25000,
        0.3,
        OB.MANDATORY,
        False,
        "OZG, Bürgerservice, EfA",
        "Umzug online melden über die EfA-Lösung.",
    ),
    (
        "Fundbüro online",
        4,
        "Bürgerbüro",
        S.REJECTED,
        F.UNFUNDED,
        2025,
        1,
        10000,
        0.1,
        OB.VOLUNTARY,
        False,
        "Bürgerservice",
        "Fundsachen online suchen; verworfen zugunsten des Landesportals.",
    ),
    (
        "Feuerwehr-Einsatzdokumentation digital",
        1,
        "Feuerwehr und Bevölkerungsschutz",
        S.PLANNING,
        F.PARTIAL,
        2026,
        2,
        48000,
        0.4,
        OB.VOLUNTARY,
        False,
        "Feuerwehr",
        "Einsatzberichte auf dem Tablet, Anbindung an die Leitstelle.",
    ),
    (
        "Neue Website der Stadt",
        4,
        "Stabsstelle Kommunikation und Bürgerbeteiligung",
        S.IMPLEMENTATION,
        F.FUNDED,
        2025,
        2,
        85000,
        0.7,
        OB.VOLUNTARY,
        True,
        "Website, Barrierefreiheit",
        "Barrierefreie Website nach BITV 2.0 mit allen Online-Diensten an einem Ort.",
    ),
]
RELATIONS = [
    ("E-Akte im Bürger- und Ordnungsamt", "depends_on", "E-Akte Basisdienst"),
    ("E-Akte im Baurechtsamt", "depends_on", "E-Akte Basisdienst"),
    ("Digitale Personalakte", "depends_on", "E-Akte Basisdienst"),
    ("Digitaler Bauantrag", "depends_on", "E-Akte im Baurechtsamt"),
    ("Hundesteuer online", "depends_on", "E-Payment für alle Online-Dienste"),
    ("Gewerbeanmeldung digital", "depends_on", "E-Payment für alle Online-Dienste"),
    ("Digitales Standesamt", "depends_on", "E-Payment für alle Online-Dienste"),
    ("Digitaler Zwilling der Innenstadt", "depends_on", "Geoportal und Open Data"),
    ("Fundbüro online", "duplicate_of", "Neue Website der Stadt"),
    ("Digitallotsen-Programm", "part_of", "Status-quo-Erhebung aller Dezernate"),
]
# Criterion scores per status, so running projects look more settled than ideas.
SMALL_PROJECTS = [
    ("Online-Terminvergabe", 0, S.OPERATION, F.FUNDED, "Bürgerservice"),
    ("Hundesteuer online", 0, S.PLANNING, F.UNFUNDED, "OZG, Steuern"),
    ("E-Akte im Rathaus", 1, S.IMPLEMENTATION, F.PARTIAL, "E-Akte"),
    ("Ratsinformationssystem", 1, S.IDEA, F.UNFUNDED, "Gemeinderat"),
    ("Digitaler Bauantrag", 0, S.FUTURE, F.UNFUNDED, "OZG, Bauen"),
]


def build_full(user: Any, municipality: Municipality, fields: list[FieldOfAction]) -> None:
    rng = random.Random(2026)
    units = {u.name: u for u in OrgUnit.objects.filter(municipality=municipality)}
    goals_by_field = {f.pk: list(Goal.objects.filter(field=f)) for f in fields}
    criteria = services.default_criteria(user=user, municipality=municipality)
    by_title = {}
    for n, (
        title,
        fi,
        unit,
        status,
        funding,
        start,
        years,
        budget,
        fte,
        obligation,
        lighthouse,
        tags,
        summary,
    ) in enumerate(PROJECTS, 1):
        field = fields[fi]
        end_year = start + years - 1
        project = services.project_save(
            None,
            user=user,
            municipality=municipality,
            data={
                "key": f"MS-{start}-{n:02d}",
                "title": title,
                "summary": summary,
                "description": summary,
                "lead_unit": units[unit],
                "field": field,
                "status": status,
                "funding": funding,
                "start_date": date(start, rng.choice([1, 3, 4, 7, 9]), 1),
                "end_date": date(end_year, 12, 31),
                "project_lead": rng.choice(
                    ["Anna Schäfer", "Jonas Weber", "Leonie Braun", "Murat Yılmaz", "Sabine Keller", "Thomas Hoffmann"]
                ),
                "obligation": obligation,
                "obligation_basis": "OZG" if obligation == OB.MANDATORY else "",
                "is_lighthouse": lighthouse,
                "visibility": Visibility.PUBLIC
                if lighthouse or status == S.OPERATION
                else Visibility.NETWORK
                if n % 3
                else Visibility.INTERNAL,
                "status_since": date(start, 1, 15),
            },
            m2m={
                "goals": goals_by_field[field.pk][: 1 + n % 2],
                "tags": services.tags_from_text(municipality, tags),
                "involved_units": [units["Amt für IT und zentrale Dienste"]]
                if unit != "Amt für IT und zentrale Dienste"
                else [],
            },
            children={
                "years": [
                    {
                        "year": y,
                        "budget_planned": Decimal(budget),
                        "budget_approved": Decimal(budget)
                        if funding == F.FUNDED
                        else Decimal(budget // 2)
                        if funding == F.PARTIAL
                        else Decimal(0),
                        "budget_spent": Decimal(budget * rng.choice([60, 80, 95]) // 100) if y < 2026 else Decimal(0),
                        "staff_fte": Decimal(str(fte)),
                    }
                    for y in range(start, end_year + 1)
                ],
                "funding_sources": [
                    {"name": "Förderprogramm Digitale Zukunftskommune BW", "amount": Decimal(budget), "is_grant": True}
                ]
                if lighthouse
                else [],
                "milestones": [
                    {
                        "title": "Konzept abgestimmt",
                        "due_date": date(start, 6, 30),
                        "done_on": date(start, 7, 10) if start < 2026 else None,
                    },
                    {
                        "title": "Pilotbetrieb",
                        "due_date": date(end_year, 6, 30),
                        "done_on": date(end_year, 6, 20) if end_year < 2026 else None,
                    },
                ],
            },
        )
        by_title[title] = project
        if status == S.REJECTED:
            continue
        for c in criteria:
            if status == S.IDEA and c.direction == "cost" and n % 2:
                continue  # ideas are not fully scored yet
            score = rng.randint(2, 5) if c.direction == "benefit" else rng.randint(1, 4)
            if lighthouse and c.name.startswith("Nutzen"):
                score = 5
            if obligation == OB.MANDATORY and c.name.startswith("Dringlichkeit"):
                score = 5
            ProjectScore.objects.create(project=project, criterion=c, score=score, justification=_why(c, score))
    for source, kind, target in RELATIONS:
        services._sync_children(by_title[source], "relations_out", [{"kind": kind, "target": by_title[target]}], user)
    for year, fte, money in [
        (2024, 10, 1000000),
        (2025, 13, 1600000),
        (2026, 14, 1800000),
        (2027, 12, 1700000),
        (2028, 10, 800000),
    ]:
        versioned_create(
            CapacityYear,
            user=user,
            data={"municipality": municipality, "year": year, "staff_fte": Decimal(fte), "budget": Decimal(money)},
        )
    _status_reports(user, list(by_title.values()), rng)
    _finished_import(user, municipality)


def _finished_import(user: Any, municipality: Municipality) -> None:
    """An office's list sent back without changes, checked and imported, so the import pages show a job."""
    import uuid

    from lotse.portfolio import exporter, import_jobs
    from lotse.portfolio.models import ImportJob, Project

    projects = Project.objects.filter(municipality=municipality).order_by("key")[:3]
    stored = f"{uuid.uuid4().hex}.csv"
    (import_jobs.upload_dir() / stored).write_bytes(exporter.to_csv(projects))
    job = ImportJob.objects.create(
        municipality=municipality, created_by=user, filename="Meldeliste Bürgeramt.csv", stored_name=stored
    )
    import_jobs.check(job)  # the demo loader is no request: it does the tasks' work itself
    job.refresh_from_db()
    import_jobs.run(job)


REPORT_TEXTS = [
    ("Anforderungen mit den Fachämtern abgestimmt, Ausschreibung vorbereitet.", "Vergabe im nächsten Quartal."),
    ("Pilotbetrieb in einem Amt läuft, erste Rückmeldungen sind positiv.", "Ausrollen auf weitere Ämter."),
    ("Schnittstelle zum Fachverfahren verzögert sich beim Hersteller.", "Eskalation beim Hersteller, Ersatztermin."),
    ("Schulungen für 40 Beschäftigte durchgeführt.", "Auswertung der Nutzung nach drei Monaten."),
]


def _status_reports(user: Any, projects: list[Any], rng: random.Random) -> None:
    """Quarterly status reports for most active projects; a few have none for too long (the overdue list)."""
    from datetime import timedelta

    from lotse.portfolio.models import Light, StatusReport

    today = date.today()
    active = [p for p in projects if p.status in (Status.PLANNING, Status.IMPLEMENTATION)]
    for n, project in enumerate(active):
        if n % 5 == 4:
            continue  # these owe a report
        reports = []
        for quarter in range(rng.randint(2, 4), 0, -1):
            lights = rng.choices([Light.GREEN, Light.YELLOW, Light.RED], weights=[6, 3, 1], k=3)
            summary, next_steps = rng.choice(REPORT_TEXTS)
            reports.append(
                StatusReport(
                    project=project,
                    reported_on=today - timedelta(days=90 * quarter - 60 + rng.randint(0, 20)),
                    schedule=lights[0],
                    budget=lights[1],
                    scope=lights[2],
                    summary=summary,
                    next_steps=next_steps,
                    author=user,
                )
            )
        StatusReport.objects.bulk_create(reports)


def _why(criterion: PriorityCriterion, score: int) -> str:
    level = {1: "sehr gering", 2: "gering", 3: "mittel", 4: "hoch", 5: "sehr hoch"}[score]
    return f"{criterion.name}: {level}"


def build_small(user: Any, municipality: Municipality, fields: list[FieldOfAction]) -> None:
    prefix = municipality.slug[:2].upper()
    for n, (title, fi, status, funding, tags) in enumerate(SMALL_PROJECTS, 1):
        services.project_save(
            None,
            user=user,
            municipality=municipality,
            data={
                "key": f"{prefix}-{n:02d}",
                "title": title,
                "summary": f"{title} in {municipality.name}.",
                "field": fields[fi],
                "status": status,
                "funding": funding,
                "start_date": date(2025 + n % 3, 1, 1),
                "end_date": date(2026 + n % 3, 12, 31),
                "visibility": Visibility.NETWORK,
            },
            m2m={"tags": services.tags_from_text(municipality, tags)},
            children={
                "years": [
                    {
                        "year": 2026,
                        "budget_planned": Decimal(10000 * n),
                        "budget_approved": 0,
                        "budget_spent": 0,
                        "staff_fte": Decimal("0.2"),
                    }
                ]
            },
        )
