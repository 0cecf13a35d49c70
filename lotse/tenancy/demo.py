"""Demo content of the tenancy room: Musterstadt, its neighbours, their networks, one login per role.

All names are fictional; ARS use the unused region code 08 9 99 so they never collide with a real town.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lotse.accounts.models import User
from lotse.core.services import versioned_create
from lotse.tenancy.models import Membership, Municipality, Network, OrgUnit, Role

DEMO_PASSWORD = "lotse-demo-2026"

K = OrgUnit.Kind
# (short name, name, kind, children)
MUSTERSTADT_UNITS: list[tuple[str, str, str, list[Any]]] = [
    (
        "Dez. I",
        "Dezernat I – Oberbürgermeister",
        K.DIVISION,
        [
            ("", "Stabsstelle Digitalisierung", K.STAFF_UNIT, []),
            ("", "Stabsstelle Kommunikation und Bürgerbeteiligung", K.STAFF_UNIT, []),
            (
                "Amt 10",
                "Haupt- und Personalamt",
                K.OFFICE,
                [
                    ("10.1", "Abteilung Personal", K.SECTION, []),
                    ("10.2", "Abteilung Organisation", K.SECTION, []),
                ],
            ),
            ("Amt 12", "Amt für IT und zentrale Dienste", K.OFFICE, []),
            ("Amt 14", "Rechnungsprüfungsamt", K.OFFICE, []),
        ],
    ),
    (
        "Dez. II",
        "Dezernat II – Finanzen, Ordnung und Bürgerdienste",
        K.DIVISION,
        [
            (
                "Amt 20",
                "Kämmerei",
                K.OFFICE,
                [
                    ("20.1", "Abteilung Haushalt", K.SECTION, []),
                    ("20.2", "Abteilung Steuern und Abgaben", K.SECTION, []),
                ],
            ),
            (
                "Amt 32",
                "Bürger- und Ordnungsamt",
                K.OFFICE,
                [
                    ("32.1", "Bürgerbüro", K.SECTION, []),
                    ("32.2", "Standesamt", K.SECTION, []),
                    ("32.3", "Gewerbe und Verkehr", K.SECTION, []),
                ],
            ),
            ("Amt 37", "Feuerwehr und Bevölkerungsschutz", K.OFFICE, []),
        ],
    ),
    (
        "Dez. III",
        "Dezernat III – Bildung, Soziales und Kultur",
        K.DIVISION,
        [
            ("Amt 40", "Amt für Bildung und Betreuung", K.OFFICE, []),
            ("Amt 41", "Kulturamt und Stadtbibliothek", K.OFFICE, []),
            ("Amt 50", "Amt für Familie, Jugend und Senioren", K.OFFICE, []),
        ],
    ),
    (
        "Dez. IV",
        "Dezernat IV – Bauen, Umwelt und Mobilität",
        K.DIVISION,
        [
            ("Amt 36", "Amt für Umwelt und Klimaschutz", K.OFFICE, []),
            ("Amt 61", "Stadtplanungsamt", K.OFFICE, []),
            ("Amt 63", "Baurechtsamt", K.OFFICE, []),
            ("Amt 66", "Tiefbauamt", K.OFFICE, [("66.2", "Abteilung Verkehrsplanung", K.SECTION, [])]),
        ],
    ),
    ("EB 1", "Eigenbetrieb Stadtentwässerung", K.ENTERPRISE, []),
    ("EB 2", "Eigenbetrieb Bäder und Sport", K.ENTERPRISE, []),
]

SMALL_TOWN_UNITS: list[tuple[str, str, str, list[Any]]] = [
    (
        "",
        "Bürgermeisteramt",
        K.DIVISION,
        [
            ("", "Hauptamt", K.OFFICE, []),
            ("", "Bürgerbüro", K.OFFICE, []),
        ],
    ),
    ("", "Kämmerei", K.OFFICE, []),
    ("", "Bauamt", K.OFFICE, []),
]


@dataclass
class DemoLogin:
    email: str
    role: str
    municipality: str
    name: str


def _units(
    user: User, municipality: Municipality, specs: list[Any], parent: OrgUnit | None = None
) -> dict[str, OrgUnit]:
    created: dict[str, OrgUnit] = {}
    for position, (short, name, kind, children) in enumerate(specs):
        unit = versioned_create(
            OrgUnit,
            user=user,
            data={
                "municipality": municipality,
                "parent": parent,
                "short_name": short,
                "name": name,
                "kind": kind,
                "position": position,
            },
        )
        created[short or name] = unit
        created.update(_units(user, municipality, children, unit))
    return created


def _person(email: str, first: str, last: str, title: str = "", **extra: Any) -> User:
    user = User.objects.create_user(
        email=email, password=DEMO_PASSWORD, first_name=first, last_name=last, title=title, **extra
    )
    return user


def _member(actor: User, person: User, municipality: Municipality, role: str, units: list[OrgUnit] = ()) -> None:  # type: ignore[assignment]
    versioned_create(
        Membership,
        user=actor,
        data={"user": person, "municipality": municipality, "role": role},
        m2m={"org_units": units},
    )


def build() -> list[DemoLogin]:
    """Create the demo tenants and people. Call on an empty database."""
    admin = _person(
        "admin@lotse.example",
        "Plattform",
        "Administration",
        "Betrieb der Plattform",
        is_staff=True,
        is_superuser=True,
    )
    M = Municipality.Kind
    district = versioned_create(
        Municipality,
        user=admin,
        data={
            "name": "Landkreis Musterkreis",
            "slug": "landkreis-musterkreis",
            "kind": M.DISTRICT,
            "ars": "089990000000",
            "inhabitants": 287_400,
            "website": "https://www.landkreis-musterkreis.example",
        },
    )
    towns = {}
    for slug, name, kind, ars, inhabitants in [
        ("musterstadt", "Musterstadt", M.MAJOR_DISTRICT_TOWN, "089990000001", 61_850),
        ("lindenau", "Lindenau", M.TOWN, "089990000002", 24_300),
        ("bachfelden", "Bachfelden", M.MUNICIPALITY, "089990000003", 8_700),
        ("hohenberg", "Hohenberg", M.MAJOR_DISTRICT_TOWN, "089980000001", 41_500),
    ]:
        towns[slug] = versioned_create(
            Municipality,
            user=admin,
            data={
                "name": name,
                "slug": slug,
                "kind": kind,
                "ars": ars,
                "inhabitants": inhabitants,
                "district": district if ars.startswith("08999") else None,
                "website": f"https://www.{slug}.example",
                "contact_email": f"digital@{slug}.example",
            },
        )

    verbund = versioned_create(
        Network,
        user=admin,
        data={
            "name": "Digitalverbund Musterkreis",
            "slug": "digitalverbund-musterkreis",
            "description": "Interkommunale Zusammenarbeit der Städte und Gemeinden im Landkreis Musterkreis: "
            "gemeinsame Beschaffung, Nachnutzung von Online-Diensten und ein Austausch der Digitallotsen.",
        },
        m2m={"members": [district, towns["musterstadt"], towns["lindenau"], towns["bachfelden"]]},
    )
    programme = versioned_create(
        Network,
        user=admin,
        data={
            "name": "Landesprogramm Kommunale Digitallotsen",
            "slug": "landesprogramm-digitallotsen",
            "description": "Landesweites Programm zur Qualifizierung von Digitallotsinnen und Digitallotsen in "
            "Gemeinden und Landkreisen.",
        },
        m2m={"members": [towns["musterstadt"], towns["hohenberg"]]},
    )
    del verbund, programme

    muster = towns["musterstadt"]
    units = _units(admin, muster, MUSTERSTADT_UNITS)
    for slug in ("lindenau", "bachfelden", "hohenberg"):
        _units(admin, towns[slug], SMALL_TOWN_UNITS)
    _units(
        admin,
        district,
        [
            ("", "Stabsstelle Digitalisierung und E-Government", K.STAFF_UNIT, []),
            ("", "Amt für Kreisentwicklung", K.OFFICE, []),
        ],
    )

    logins: list[DemoLogin] = [DemoLogin(admin.email, "Plattform-Administration", "alle", str(admin))]

    def add(email: str, first: str, last: str, title: str, town: Municipality, role: str, unit_keys=()) -> None:
        person = _person(email, first, last, title)
        _member(admin, person, town, role, [units[k] for k in unit_keys])
        logins.append(DemoLogin(email, str(Role(role).label), town.name, str(person)))

    add("cdo@musterstadt.example", "Katrin", "Albers", "Chief Digital Officer", muster, Role.COORDINATOR)
    add(
        "projektleitung@musterstadt.example",
        "Jonas",
        "Weber",
        "Projektleitung Bürgerdienste",
        muster,
        Role.EDITOR,
        ["Amt 32"],
    )
    add(
        "gemeinderat@musterstadt.example",
        "Elif",
        "Yılmaz",
        "Stadträtin, Ausschuss für Digitales",
        muster,
        Role.READER,
    )
    add(
        "partner@regio-it.example",
        "Markus",
        "Brandt",
        "Regio IT – kommunaler IT-Dienstleister",
        muster,
        Role.PARTNER,
    )
    for slug, first, last in [
        ("lindenau", "Sabine", "Krüger"),
        ("bachfelden", "Thomas", "Maier"),
        ("hohenberg", "Aylin", "Demir"),
        ("landkreis-musterkreis", "Frank", "Hoffmann"),
    ]:
        town = district if slug == "landkreis-musterkreis" else towns[slug]
        person = _person(f"cdo@{slug}.example", first, last, "Digitalisierungsbeauftragte/r")
        _member(admin, person, town, Role.COORDINATOR)
        logins.append(DemoLogin(person.email, str(Role.COORDINATOR.label), town.name, str(person)))
    # The CDO also sits in the district's working group, so the demo shows the municipality switcher.
    cdo = User.objects.get(email="cdo@musterstadt.example")
    _member(admin, cdo, district, Role.READER)
    logins.append(DemoLogin(cdo.email, str(Role.READER.label), district.name, str(cdo)))
    return logins
