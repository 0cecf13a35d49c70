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
