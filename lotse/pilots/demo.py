"""Demo content of the pilots room: Musterstadt's 23 Digitallotsinnen and Digitallotsen, two offices still
without one, and a pilot in Lindenau."""

from __future__ import annotations

from datetime import date
from typing import Any

from lotse.accounts.models import User
from lotse.pilots import services
from lotse.portfolio.models import Project
from lotse.tenancy.demo import DEMO_PASSWORD
from lotse.tenancy.models import Membership, Municipality, OrgUnit, Role

# (first name, last name, unit short names, topics)
MUSTERSTADT = [
    ("Anna", "Becker", ["Amt 10"], "Personalprozesse, E-Rechnung"),
    ("Ben", "Schulz", ["10.1"], "Urlaubs- und Reisekosten digital"),
    ("Clara", "Hoffmann", ["10.2"], "Prozessmodellierung"),
    ("David", "Koch", ["Amt 12"], "E-Akte, DMS"),
    ("Emma", "Richter", ["Amt 12"], "IT-Sicherheit"),
    ("Felix", "Wolf", ["Amt 20"], "E-Rechnung, Haushalt"),
    ("Greta", "Neumann", ["20.2"], "Hundesteuer, E-Payment"),
    ("Hannah", "Schwarz", ["32.1"], "Online-Dienste, Terminbuchung"),
    ("Ilias", "Zimmermann", ["32.2"], "Personenstandswesen"),
    ("Julia", "Braun", ["32.3"], "Gewerbe-Service"),
    ("Kai", "Krüger", ["Amt 37"], "Einsatzplanung, Alarmierung"),
    ("Lea", "Hofmann", ["Amt 40"], "Kita-Portal, Schul-IT"),
    ("Mehmet", "Hartmann", ["Amt 40"], "Digitale Schule"),
    ("Nina", "Lange", ["Amt 41"], "Onleihe, Veranstaltungen"),
    ("Oskar", "Schmitt", ["Amt 50"], "Wohngeld, Antragsassistenten"),
    ("Paula", "Werner", ["Amt 36"], "Umweltdaten, Sensorik"),
    ("Quirin", "Krause", ["Amt 61"], "GIS, Bauleitplanung"),
    ("Rosa", "Meier", ["Amt 63"], "Virtuelles Bauamt"),
    ("Samuel", "Lehmann", ["Amt 66"], "Baustellenkoordination"),
    ("Tara", "Schmid", ["66.2"], "Verkehrsdaten"),
    ("Uwe", "Schulze", ["EB 1"], "Kanalkataster"),
    ("Vera", "Maier", [], "Bürgerbeteiligung online"),  # the Stabsstelle Kommunikation (no short name)
    ("Wiebke", "Köhler", [], "Digitalstrategie"),  # the Stabsstelle Digitalisierung
]
STAFF_UNITS = {"Vera": "Stabsstelle Kommunikation und Bürgerbeteiligung", "Wiebke": "Stabsstelle Digitalisierung"}


def _unit(town: Municipality, short: str) -> OrgUnit:
    return OrgUnit.objects.get(municipality=town, short_name=short)


def _person(email: str, first: str, last: str) -> User:
    return User.objects.create_user(email=email, password=DEMO_PASSWORD, first_name=first, last_name=last)


def build(cdo: Any, musterstadt: Municipality, lindenau: tuple[Any, Municipality]) -> None:
    projects = {p.title: p for p in Project.objects.filter(municipality=musterstadt)}
    for i, (first, last, shorts, topics) in enumerate(MUSTERSTADT):
        slug = f"{first}.{last}".lower().replace("ü", "ue").replace("ö", "oe")
        person = _person(f"{slug}@musterstadt.example", first, last)
        Membership.objects.create(user=person, municipality=musterstadt, role=Role.READER)
        units = [_unit(musterstadt, s) for s in shorts] or [
            OrgUnit.objects.get(municipality=musterstadt, name=STAFF_UNITS[first])
        ]
        accompanied = [p for title, p in projects.items() if any(w in title for w in topics.split(", ")[:1])][:2]
        services.pilot_save(
            None,
            user=cdo,
            municipality=musterstadt,
            person=person,
            data={"topics": topics, "phone": f"07000 100-{200 + i}", "since": date(2025, 3 + i % 9, 1)},
            org_units=units,
            projects=accompanied,
        )
    user, town = lindenau
    person = _person("digitallotse@lindenau.example", "Lars", "Vogel")
    Membership.objects.create(user=person, municipality=town, role=Role.READER)
    services.pilot_save(
        None,
        user=user,
        municipality=town,
        person=person,
        data={"topics": "Online-Dienste"},
        org_units=list(OrgUnit.objects.filter(municipality=town, name="Bürgerbüro")),
    )


MODULES = [
    (
        "Rolle und Auftrag der Digitallotsen",
        "Aufgaben, Netzwerk in der eigenen Verwaltung, Zusammenarbeit mit der Stabsstelle",
    ),
    ("Digitale Verwaltung und OZG", "Onlinezugangsgesetz, Reifegrade, Einer für Alle, Servicekonto"),
    ("Prozesse erheben und verbessern", "Prozessaufnahme, Medienbrüche finden, Prioritäten setzen"),
    ("Veränderung begleiten", "Beteiligung der Beschäftigten, Widerstände, Kommunikation"),
    ("Digitale Projekte anstoßen", "Ideen bewerten, Projektsteckbrief, Fördermittel"),
]


def build_programme(admin: Any) -> Any:
    """The state programme: five modules, a finished spring seminar (with certificates) and a full autumn one
    with a waiting list. Its operator, an academy, has a login of its own."""
    from lotse.pilots.models import DigitalPilot, Programme, Seminar, TrainingModule
    from lotse.tenancy.demo import DemoLogin
    from lotse.tenancy.models import Network

    network = Network.objects.get(slug="landesprogramm-digitallotsen")
    operator = _person("akademie@landesprogramm.example", "Sabine", "Reinhardt")
    programme = Programme.objects.create(
        network=network, name="Kommunaler Digitallotse", provider="Landesakademie für Verwaltung (Demo)"
    )
    programme.operators.add(operator)
    modules = [
        TrainingModule.objects.create(programme=programme, position=i, title=title, description=text)
        for i, (title, text) in enumerate(MODULES, start=1)
    ]
    spring = Seminar.objects.create(
        programme=programme,
        title="Grundlagenseminar Frühjahr",
        starts_on=date(2026, 3, 10),
        ends_on=date(2026, 3, 12),
        place="Stuttgart",
        capacity=12,
    )
    autumn = Seminar.objects.create(
        programme=programme,
        title="Grundlagenseminar Winter",
        starts_on=date(2026, 12, 1),
        ends_on=date(2026, 12, 3),
        place="Karlsruhe",
        capacity=8,
    )
    spring.modules.set(modules)
    autumn.modules.set(modules)
    pilots = list(DigitalPilot.objects.filter(municipality__slug="musterstadt").order_by("pk"))
    for pilot in pilots[:10]:
        services.register(user=operator, seminar=spring, pilot=pilot)
    present = [r.pk for r in spring.registrations.all()][:9]  # one was ill
    services.record_attendance(user=operator, seminar=spring, attended=present)
    for pilot in pilots[10:21]:  # 8 seats, 3 on the waiting list
        services.register(user=operator, seminar=autumn, pilot=pilot)
    return DemoLogin(operator.email, "Leitung Qualifizierungsprogramm", network.name, str(operator))


# (asker's e-mail, title, body, topics, [(answerer's e-mail, answer)], accepted answer index or None)
BOARD: list[tuple[str, str, str, str, list[tuple[str, str]], int | None]] = [
    (
        "greta.neumann@musterstadt.example",
        "Hundesteuer online: welches Portal nutzt ihr?",
        "Wir wollen die Hundean- und -abmeldung 2027 online anbieten. Nutzt jemand schon einen EfA-Dienst oder das "
        "Formular aus dem Landesportal? Wie läuft die Bezahlung?",
        "OZG, Steuern, E-Payment",
        [
            (
                "digitallotsin@hohenberg.example",
                "Wir nutzen seit letztem Jahr den Antrag aus dem Landesportal "
                "service-bw, bezahlt wird mit ePayBL. Die Anbindung an unser Finanzverfahren hat drei Monate gedauert. "
                "Gern zeige ich es euch in einer Videokonferenz.",
            ),
            (
                "akademie@landesprogramm.example",
                "Im Modul 2 gibt es dazu eine Übersicht der EfA-Angebote; die Folien stehen im Programm.",
            ),
        ],
        0,
    ),
    (
        "hannah.schwarz@musterstadt.example",
        "Wie überzeugt ihr Kolleginnen, die Online-Terminvergabe zu nutzen?",
        "Im Bürgerbüro gibt es Sorge, dass ältere Menschen ausgeschlossen werden. Wie habt ihr das gelöst?",
        "Bürgerbüro, Veränderung",
        [
            (
                "digitallotsin@hohenberg.example",
                "Bei uns gibt es weiter ein Kontingent für Menschen ohne Termin, "
                "und das Telefon bucht für sie. Das hat die Sorge genommen.",
            ),
            (
                "vera.maier@musterstadt.example",
                "Wir haben mit dem Seniorenrat gesprochen, bevor es losging. Das hilft sehr!",
            ),
        ],
        0,
    ),
    (
        "digitallotsin@hohenberg.example",
        "E-Akte: Scannen wir den Altbestand oder nicht?",
        "Bei der Einführung der E-Akte fragt unser Hauptamt, ob alte Papierakten gescannt werden sollen. Wie habt "
        "ihr das entschieden?",
        "E-Akte",
        [
            (
                "david.koch@musterstadt.example",
                "Nur bei Bedarf (ersetzendes Scannen nach TR-RESISCAN, wenn eine "
                "Akte wieder gebraucht wird). Alles zu scannen war uns zu teuer.",
            ),
        ],
        0,
    ),
    (
        "felix.wolf@musterstadt.example",
        "XRechnung: Wer prüft bei euch die sachliche Richtigkeit?",
        "Mit dem digitalen Rechnungsworkflow stellt sich die Frage, wer in den Ämtern freigibt. Gibt es Muster für "
        "eine Dienstanweisung?",
        "E-Rechnung, Haushalt",
        [],
        None,
    ),
    (
        "lea.hofmann@musterstadt.example",
        "Tablets in der Kita: Erfahrungen mit Datenschutz?",
        "Unsere Kitas möchten die Entwicklungsdokumentation auf Tablets führen. Worauf habt ihr beim Datenschutz "
        "geachtet?",
        "Kita, Datenschutz",
        [
            (
                "digitallotsin@hohenberg.example",
                "Geräteverwaltung (MDM) und keine privaten Cloud-Dienste, dazu eine Vereinbarung mit dem Träger. "
                "Unser Datenschutzbeauftragter hat eine Checkliste, die ich teilen kann.",
            ),
        ],
        None,
    ),
    (
        "anna.becker@musterstadt.example",
        "Lernvideos für neue Software selbst drehen?",
        "Habt ihr gute Erfahrungen mit kurzen Lernvideos für Kolleginnen und Kollegen? Welche Werkzeuge nutzt ihr?",
        "Schulung",
        [
            (
                "wiebke.koehler@musterstadt.example",
                "Ja, zwei Minuten pro Thema, aufgenommen mit der "
                "Bildschirmaufnahme des Betriebssystems. Wichtig ist der Untertitel für die Barrierefreiheit.",
            ),
            ("digitallotsin@hohenberg.example", "Wir nutzen die Lernplattform des Landes; da gibt es schon viel."),
        ],
        None,
    ),
]

EVENTS = [
    ("Online-Stammtisch der Digitallotsen", "Offener Austausch, diesmal zum Thema E-Rechnung.", 9, 16, 17, "online"),
    ("Webinar: Prozesse aufnehmen in einer Stunde", "Mit Beispielen aus dem Bürgerbüro.", 23, 10, 11, "online"),
    ("Netzwerktreffen Frühjahr", "Ganztägiges Treffen mit Werkstätten.", 120, 9, 16, "Stuttgart, Landesakademie"),
    ("Online-Stammtisch Oktober", "Thema: Online-Terminvergabe.", -35, 16, 17, "online"),
]


def build_community(admin: Any) -> list[Any]:
    """A lively board and events on the state programme's network, with a pilot in Hohenberg who answers."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from lotse.pilots.models import BoardQuestion, NetworkEvent
    from lotse.tenancy.demo import DemoLogin
    from lotse.tenancy.models import Network

    network = Network.objects.get(slug="landesprogramm-digitallotsen")
    hohenberg = Municipality.objects.get(slug="hohenberg")
    person = _person("digitallotsin@hohenberg.example", "Hanna", "Roth")
    Membership.objects.create(user=person, municipality=hohenberg, role=Role.READER)
    cdo = Membership.objects.filter(municipality=hohenberg, role=Role.COORDINATOR).first()
    services.pilot_save(
        None,
        user=cdo.user if cdo else admin,
        municipality=hohenberg,
        person=person,
        data={"topics": "Online-Dienste, E-Akte", "since": date(2025, 9, 1)},
        org_units=list(OrgUnit.objects.filter(municipality=hohenberg, parent__isnull=True)[:1]),
    )
    users = {u.email: u for u in User.objects.filter(email__endswith=".example")}
    now = timezone.now()
    for age, (asker, title, body, topics, answers, accepted) in enumerate(reversed(BOARD)):
        question = services.question_ask(user=users[asker], network=network, title=title, body=body, topics=topics)
        posted = [
            services.answer_post(user=users[who], question=question, body=text, notify=False) for who, text in answers
        ]
        if accepted is not None:
            services.answer_accept(user=users[asker], answer=posted[accepted], notify=False)
        moment = now - timedelta(days=3 * age + 1)
        BoardQuestion.objects.filter(pk=question.pk).update(created_at=moment, last_activity=moment)
        for n, answer in enumerate(posted, start=1):
            type(answer).objects.filter(pk=answer.pk).update(created_at=moment + timedelta(hours=5 * n))
    operator = users["akademie@landesprogramm.example"]
    for title, text, days, start, end, place in EVENTS:
        day = (now + timedelta(days=days)).date()
        NetworkEvent.objects.create(
            network=network,
            title=title,
            description=text,
            starts_at=timezone.make_aware(datetime.combine(day, time(start))),
            ends_at=timezone.make_aware(datetime.combine(day, time(end))),
            place=place,
            online_url="https://konferenz.landesprogramm.example/stammtisch" if place == "online" else "",
            created_by=operator,
        )
    return [
        DemoLogin(person.email, "Digitallotsin (Bearbeitung)", hohenberg.name, str(person)),
        DemoLogin("greta.neumann@musterstadt.example", "Digitallotsin (Bearbeitung)", "Musterstadt", "Greta Neumann"),
    ]
