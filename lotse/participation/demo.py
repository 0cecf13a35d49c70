"""Demo content of the participation room: Musterstadt's finished staff campaign (about 200 ideas, evaluated,
many turned into projects), a running public campaign with citizens' ideas, and a citizens' survey with about
100 responses."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from lotse.participation import services
from lotse.participation.models import (
    AbuseReport,
    Answer,
    Audience,
    Campaign,
    Comment,
    Idea,
    IdeaStatus,
    Moderation,
    Participant,
    Poll,
    PollResponse,
    Publication,
    Question,
    QuestionKind,
    Support,
)
from lotse.portfolio.models import Project
from lotse.strategy.models import FieldOfAction
from lotse.tenancy.models import Membership, Municipality

# (wordings of the title, what it is about, project it became or "", answer if not feasible)
STAFF_SEEDS: list[tuple[list[str], str, str, str]] = [
    (
        ["Hundesteuer online anmelden", "Hundeanmeldung digital", "Hundesteuer-Anmeldung ohne Papier"],
        "Die An- und Abmeldung eines Hundes sollte online gehen, mit Bezahlung der Steuer per E-Payment.",
        "Hundesteuer online",
        "",
    ),
    (
        ["Termine im Bürgerbüro online buchen", "Online-Terminbuchung fürs Bürgerbüro"],
        "Wartezeiten im Bürgerbüro vermeiden: Termine rund um die Uhr online buchen, mit Erinnerung per E-Mail.",
        "Online-Terminvergabe Bürgerbüro",
        "",
    ),
    (
        ["E-Akte auch in unserem Amt", "Elektronische Akte einführen", "Schluss mit Papierakten"],
        "Akten sollen elektronisch geführt werden, damit mehrere Kolleginnen gleichzeitig daran arbeiten können.",
        "E-Akte Basisdienst",
        "",
    ),
    (
        ["Rechnungen digital freigeben", "E-Rechnung und digitaler Freigabeworkflow"],
        "Eingangsrechnungen kommen als XRechnung und werden digital sachlich und rechnerisch geprüft.",
        "Digitaler Rechnungsworkflow",
        "",
    ),
    (
        ["Urlaubsanträge digital", "Digitaler Urlaubsantrag statt Formular", "Urlaub online beantragen"],
        "Urlaub und Gleitzeit per Self-Service beantragen und genehmigen, ohne Papierformular und Hauspost.",
        "",
        "",
    ),
    (
        ["Dienstreisen digital abrechnen", "Reisekostenabrechnung online"],
        "Reisekosten mit Belegfoto abrechnen statt Formular und Originalbelege per Hauspost.",
        "",
        "",
    ),
    (
        ["Bauantrag online einreichen", "Digitaler Bauantrag für Architekten"],
        "Architektinnen und Bauherren reichen Bauanträge digital ein; die Fachämter werden online beteiligt.",
        "Digitaler Bauantrag",
        "",
    ),
    (
        ["Kita-Platz online suchen und vormerken", "Zentrale Kita-Anmeldung im Internet"],
        "Eltern melden ihr Kind einmal online an und sehen freie Plätze aller Träger.",
        "Kita-Platzvergabe online",
        "",
    ),
    (
        ["WLAN in allen Besprechungsräumen", "Gäste-WLAN im Rathaus"],
        "In Besprechungsräumen fehlt WLAN für Gäste und Präsentationen.",
        "Freies WLAN in der Innenstadt",
        "",
    ),
    (
        ["Videokonferenzen in Sitzungsräumen", "Sitzungsräume mit Kamera und Mikrofon ausstatten"],
        "Hybride Besprechungen scheitern an der Technik: Sitzungsräume brauchen Kamera, Mikrofon und Bildschirm.",
        "Mobiles Arbeiten und Softphones",
        "",
    ),
    (
        ["Chatbot für Bürgeranfragen", "KI-Assistent auf der Website", "Digitaler Assistent für häufige Fragen"],
        "Häufige Fragen (Öffnungszeiten, Unterlagen, Gebühren) beantwortet ein Assistent auf der Website rund um "
        "die Uhr.",
        "KI-Assistent für Bürgeranfragen",
        "",
    ),
    (
        ["Open-Data-Portal der Stadt", "Offene Daten veröffentlichen"],
        "Haushalts-, Umwelt- und Verkehrsdaten maschinenlesbar und frei nutzbar veröffentlichen.",
        "Geoportal und Open Data",
        "",
    ),
    (
        ["Digitale Sitzungsunterlagen für den Gemeinderat", "Ratsinformationssystem mit App", "Gemeinderat papierlos"],
        "Vorlagen und Protokolle digital auf Tablets statt in Papierform verteilen.",
        "Ratsinformationssystem mit App",
        "",
    ),
    (
        ["Mängelmelder-App für Schlaglöcher", "Schäden im Straßenraum per App melden"],
        "Bürgerinnen und Bürger melden Schlaglöcher, defekte Laternen und wilden Müll mit Foto und Standort.",
        "Mängelmelder",
        "",
    ),
    (
        ["Sperrmüll online anmelden", "Sperrmülltermin digital buchen"],
        "Sperrmüll online anmelden und einen Abholtermin wählen.",
        "",
        "",
    ),
    (
        ["Anwohnerparkausweis online beantragen", "Bewohnerparken digital"],
        "Den Bewohnerparkausweis online beantragen, bezahlen und als PDF erhalten.",
        "",
        "",
    ),
    (
        ["Digitale Personalakte einführen", "Personalakte elektronisch führen"],
        "Personalakten elektronisch führen, mit klaren Zugriffsrechten und Löschfristen.",
        "Digitale Personalakte",
        "",
    ),
    (
        [
            "Schulungen zu digitalen Werkzeugen",
            "Digitalkompetenz der Beschäftigten stärken",
            "Fortbildung für Office und E-Akte",
        ],
        "Viele Kolleginnen und Kollegen trauen sich neue Werkzeuge nicht zu. Kurze Schulungen und Lernvideos helfen.",
        "Digitallotsen-Programm",
        "",
    ),
    (
        ["Parkplätze in der Innenstadt per Sensor anzeigen", "Parkleitsystem mit freien Plätzen"],
        "Sensoren melden freie Parkplätze, ein Leitsystem und eine App zeigen sie an.",
        "Smarte Parkraumsteuerung",
        "",
    ),
    (
        ["Energieverbrauch der Schulen messen", "Smart Meter in städtischen Gebäuden"],
        "Verbrauch von Strom, Wärme und Wasser in allen städtischen Gebäuden automatisch erfassen.",
        "Energiemonitoring städtischer Gebäude",
        "",
    ),
    (
        ["Warnung vor Hochwasser per App", "Pegelstände online anzeigen"],
        "Pegelsensoren an den Bächen und eine Warnung aufs Handy bei Starkregen.",
        "Digitale Hochwasserwarnung",
        "",
    ),
    (
        ["Gewerbe online anmelden", "Gewerbeanmeldung ohne Behördengang"],
        "Gewerbe an-, um- und abmelden vollständig online.",
        "Gewerbeanmeldung digital",
        "",
    ),
    (
        ["Geburtsurkunde online bestellen", "Urkunden digital beantragen"],
        "Personenstandsurkunden online bestellen und bezahlen.",
        "Digitales Standesamt",
        "",
    ),
    (
        ["Wohngeld online beantragen", "Mietzuschuss digital"],
        "Wohngeldanträge online mit Nachweisen hochladen, statt viele Seiten Papier.",
        "Wohngeld digital",
        "",
    ),
    (
        ["Ehrenamtsbörse im Internet", "Plattform für Ehrenamtliche"],
        "Vereine und Initiativen finden Ehrenamtliche über eine Online-Börse der Stadt.",
        "Ehrenamtsplattform",
        "",
    ),
    (
        ["Digitale Sprechstunde für Seniorinnen und Senioren", "Handy-Sprechstunde für Ältere"],
        "Ehrenamtliche helfen älteren Menschen im Bürgerhaus bei Smartphone und Online-Diensten.",
        "Digitalsprechstunde für Seniorinnen und Senioren",
        "",
    ),
    (
        ["Alle Formulare als Online-Formular", "Formularserver modernisieren"],
        "PDF-Formulare zum Ausdrucken durch Online-Formulare mit Prüfung der Eingaben ersetzen.",
        "Neue Website der Stadt",
        "",
    ),
    (
        ["Drohnen für die Feuerwehr", "Drohne zur Lageerkundung"],
        "Eine Drohne mit Wärmebildkamera hilft der Feuerwehr bei der Erkundung.",
        "",
        "Die Feuerwehr beschafft Drohnen über das Landesprogramm; das ist kein Projekt der Digitalstrategie.",
    ),
    (
        ["Eigene Stadt-App für alles", "Musterstadt-App"],
        "Eine eigene App der Stadt mit allen Diensten, Nachrichten und Veranstaltungen.",
        "",
        "Eine eigene App ist teuer im Betrieb; die neue Website funktioniert auf dem Handy und bündelt die "
        "Online-Dienste.",
    ),
    (
        ["Blockchain für das Grundbuch", "Grundbuch auf der Blockchain"],
        "Das Grundbuch fälschungssicher auf einer Blockchain führen.",
        "",
        "Das Grundbuch führt das Land (Grundbuchamt beim Amtsgericht), nicht die Stadt.",
    ),
    (
        ["Kostenloses WLAN in allen Bussen", "WLAN im Stadtbus"],
        "Fahrgäste der Stadtbusse sollen kostenloses WLAN nutzen können.",
        "",
        "Die Busse betreibt der Verkehrsverbund; wir haben den Vorschlag an ihn weitergegeben.",
    ),
    (
        ["Bibliotheksausweis digital", "E-Books der Stadtbibliothek ausleihen"],
        "Bibliotheksausweis online beantragen und E-Books und Hörbücher digital ausleihen.",
        "Digitale Stadtbibliothek",
        "",
    ),
    (
        ["Online-Tickets fürs Freibad", "Schwimmbad-Tickets online kaufen"],
        "Eintrittskarten für die Bäder online kaufen, mit Zeitfenster an heißen Tagen.",
        "Bäder-Ticketing online",
        "",
    ),
    (
        ["Stellenanzeigen und Bewerbung online", "Bewerbungsportal der Stadt"],
        "Bewerbungen online entgegennehmen und das Verfahren digital führen.",
        "Online-Bewerbungsportal",
        "",
    ),
    (
        ["Homeoffice für alle Arbeitsplätze ermöglichen", "Mobiles Arbeiten ausbauen"],
        "Laptops und Softphones für alle, die mobil arbeiten können.",
        "Mobiles Arbeiten und Softphones",
        "",
    ),
    (
        ["Fundsachen online suchen", "Digitales Fundbüro"],
        "Verlorene Gegenstände online suchen und melden.",
        "",
        "Die Fundsachen sind schon über das Fundportal des Landes recherchierbar; ein eigenes System lohnt nicht.",
    ),
    (
        ["Digitale Zeiterfassung", "Arbeitszeit per App erfassen"],
        "Arbeitszeit per Terminal oder App erfassen statt auf Stundenzetteln.",
        "",
        "",
    ),
    (
        ["Leerstände in der Innenstadt digital erfassen", "Leerstandskataster"],
        "Leerstehende Läden und Wohnungen erfassen, um Interessenten zu vermitteln.",
        "Leerstandsmanagement digital",
        "",
    ),
    (
        ["3D-Stadtmodell für die Planung", "Digitaler Zwilling für Bauprojekte"],
        "Ein 3D-Modell der Innenstadt zeigt geplante Gebäude und ihre Wirkung.",
        "Digitaler Zwilling der Innenstadt",
        "",
    ),
    (
        ["Informationssicherheit verbessern", "Phishing-Schulungen für alle"],
        "Regelmäßige Übungen und Schulungen gegen Phishing und ein ISMS nach BSI-Standard.",
        "Informationssicherheitsmanagement",
        "",
    ),
]

CITIZEN_SEEDS: list[tuple[str, str]] = [
    ("Bezahlen mit Karte im Bürgerbüro", "Im Bürgerbüro sollte man überall mit Karte oder Handy bezahlen können."),
    ("Baustellen auf einer Karte zeigen", "Eine Online-Karte mit allen Baustellen und Umleitungen, aktuell gehalten."),
    ("Müllabfuhrkalender als App", "Erinnerung am Vorabend, welche Tonne rausmuss, per App oder E-Mail."),
    ("Sitzungen des Gemeinderats im Livestream", "Öffentliche Sitzungen live übertragen und als Video bereitstellen."),
    ("Freie Ladesäulen für E-Autos anzeigen", "Eine Karte mit allen Ladesäulen und ob sie gerade frei sind."),
    (
        "Hundesteuer endlich online",
        "Ich musste für die Anmeldung meines Hundes extra freinehmen. Das muss online gehen!",
    ),
    ("Online-Termine auch samstags", "Termine im Bürgerbüro auch samstags online buchbar machen."),
    ("Schlaglöcher per Foto melden", "Ein Foto mit Standort schicken, und man sieht, wann repariert wird."),
    ("Digitale Wartenummer im Bürgerbüro", "Wartenummer aufs Handy, damit man draußen einen Kaffee trinken kann."),
    ("Vereinsräume online buchen", "Räume in Bürgerhäusern und Schulen online reservieren, mit Kalender."),
    ("Kostenloses WLAN am Marktplatz", "Freies WLAN in der Innenstadt und an Haltestellen."),
    ("Tablet-Kurse in der Bibliothek", "Kurse für Ältere, wie man Online-Dienste der Stadt nutzt."),
    ("Parkgebühren per Handy zahlen", "Parken per App bezahlen, minutengenau."),
    (
        "Anträge in einfacher Sprache",
        "Online-Anträge sollten in einfacher Sprache und auch auf Englisch und Türkisch verfügbar sein.",
    ),
    ("Lärm und Luftqualität messen", "Sensoren für Lärm und Feinstaub an Hauptstraßen, Werte online."),
    ("Kita-Gebühren online einsehen", "Bescheide und Gebühren für die Kita im Bürgerkonto sehen."),
    ("Jugendgemeinderat online wählen", "Die Wahl zum Jugendgemeinderat online durchführen."),
    ("Bürgerkonto für alle Anträge", "Einmal anmelden und alle Anträge und Bescheide an einem Ort sehen."),
    ("Online-Umfrage zu neuen Radwegen", "Bürgerinnen sollten online mitreden können, wo Radwege gebaut werden."),
    ("Sperrmüll per App", "Sperrmüll online anmelden und Termin auswählen."),
    ("Werbung für Casino", "Jetzt gewinnen!!! Besuchen Sie unser Online-Casino"),  # moderated away
    ("Friedhofsgebühren online bezahlen", "Grabnutzungsgebühren online bezahlen, mit Erinnerung vor Ablauf."),
]

MOTIVES = [
    "Das spart allen Beteiligten Zeit.",
    "So müssen die Leute nicht mehr ins Rathaus kommen.",
    "Andere Städte machen das schon erfolgreich.",
    "Das entlastet unser Team spürbar.",
    "Die Bürgerinnen und Bürger fragen oft danach.",
    "Damit würden wir viel Papier und Porto sparen.",
    "Das wäre ein schneller Erfolg mit überschaubarem Aufwand.",
    "",
]


def _staff_people(municipality: Municipality) -> list[Any]:
    return [m.user for m in Membership.objects.filter(municipality=municipality).select_related("user").order_by("pk")]


def _participants(municipality: Municipality, users: list[Any]) -> list[Participant]:
    return [services.participant_for_user(municipality, u) for u in users]


def _ideas(rows: list[Idea]) -> list[Idea]:
    for idea in rows:
        services.analyse(idea)
    created = bulk_create_with_history(rows, Idea, batch_size=500)
    return list(created)


def build(user: Any, municipality: Municipality) -> None:
    rng = random.Random(2027)
    today = date.today()
    fields = list(FieldOfAction.objects.filter(municipality=municipality).order_by("position"))
    projects = {p.title: p for p in Project.objects.filter(municipality=municipality).select_related("lead_unit")}
    staff = _participants(municipality, _staff_people(municipality))

    # 1. The finished staff campaign: about 200 ideas, evaluated.
    staff_campaign = Campaign.objects.create(
        municipality=municipality,
        title="Ideen für die Digitalstrategie 2027",
        introduction=(
            "Welche Abläufe in Ihrem Amt sollten digital werden? Was würde Ihnen und den Bürgerinnen und Bürgern "
            "die Arbeit erleichtern? Alle Ideen fließen in die Fortschreibung der Digitalstrategie ein."
        ),
        audience=Audience.STAFF,
        starts_on=today - timedelta(days=300),
        ends_on=today - timedelta(days=230),
        moderation=Moderation.AFTER,
        published=True,
        retention_months=24,
    )
    staff_campaign.fields.set(fields)
    rows: list[Idea] = []
    seeds: list[tuple[int, str]] = []
    for number, (titles, text, _project, _reason) in enumerate(STAFF_SEEDS):
        for n in range(rng.randint(3, 7)):
            title = titles[n % len(titles)]
            motive = rng.choice(MOTIVES)
            rows.append(
                Idea(
                    municipality=municipality,
                    campaign=staff_campaign,
                    participant=rng.choice(staff),
                    title=title,
                    description=f"{text} {motive}".strip(),
                    field=fields[number % len(fields)] if fields else None,
                    publication=Publication.PUBLISHED,
                )
            )
            seeds.append((number, title))
    ideas = _ideas(rows[:200])
    seeds = seeds[:200]
    _age(ideas, rng, start=today - timedelta(days=300), days=70)
    # Evaluate: the first of each seed is the one the others merge into when they are the same wording.
    leaders: dict[int, Idea] = {}
    for idea, (number, title) in zip(ideas, seeds, strict=True):
        _titles, _text, project_title, reason = STAFF_SEEDS[number]
        leader = leaders.get(number)
        if leader is not None and leader.title == title and rng.random() < 0.5:
            services.merge(idea, into=leader, user=user, reason="Gleiche Idee", notify=False)
            continue
        leaders.setdefault(number, idea)
        project = projects.get(project_title)
        if project is not None:
            status = IdeaStatus.DONE if project.status in ("operation", "completed") else IdeaStatus.ADOPTED
            services.idea_update(
                idea,
                user=user,
                expected_version=idea.version,
                data={
                    "status": status,
                    "feedback": f"Ihre Idee ist in das Projekt „{project.title}“ eingeflossen.",
                    "org_unit": project.lead_unit,
                },
                projects=[project],
                notify=False,
            )
        elif reason:
            services.idea_update(
                idea,
                user=user,
                expected_version=idea.version,
                data={"status": IdeaStatus.REJECTED, "feedback": reason},
                notify=False,
            )
        elif rng.random() < 0.6:
            services.idea_update(
                idea, user=user, expected_version=idea.version, data={"status": IdeaStatus.REVIEW}, notify=False
            )
    _supports(ideas, staff, rng, confirmed=True)

    # 2. The running public campaign, moderated before publishing.
    public = Campaign.objects.create(
        municipality=municipality,
        title="Digitales Musterstadt: Ihre Ideen",
        introduction=(
            "Was soll in Musterstadt digital einfacher werden? Schreiben Sie uns Ihre Idee – mit oder ohne Namen. "
            "Wir prüfen jede Idee und sagen Ihnen, was daraus geworden ist."
        ),
        audience=Audience.PUBLIC,
        starts_on=today - timedelta(days=40),
        ends_on=today + timedelta(days=80),
        moderation=Moderation.BEFORE,
        published=True,
    )
    public.fields.set(fields)
    names = ["Aylin K.", "", "Peter Maurer", "", "Sofia", "Jonas B.", "", "Maria Schneider", "", "Tom"]
    citizens = [services.participant_for_email(municipality, f"buerger{n}@example.org") for n in range(len(names))]
    for citizen, name in zip(citizens, names, strict=True):
        citizen.name = name  # as their confirmed contributions set it
    Participant.objects.bulk_update(citizens, ["name"])
    Participant.objects.filter(pk__in=[c.pk for c in citizens]).update(confirmed_at=timezone.now())
    rows = [
        Idea(
            municipality=municipality,
            campaign=public,
            participant=citizens[n % len(citizens)],
            author_name=names[n % len(citizens)],
            title=title,
            description=text,
            field=fields[n % len(fields)] if fields else None,
            publication=Publication.PUBLISHED if n < 18 else Publication.PENDING,
        )
        for n, (title, text) in enumerate(CITIZEN_SEEDS)
    ]
    citizen_ideas = _ideas(rows)
    _age(citizen_ideas, rng, start=today - timedelta(days=40), days=38)
    by_title = {i.title: i for i in citizen_ideas}
    services.idea_update(
        by_title["Hundesteuer endlich online"],
        user=user,
        expected_version=1,
        data={"status": IdeaStatus.ADOPTED, "feedback": "Danke! Die Hundesteuer kommt 2027 online; siehe Projekt."},
        projects=[projects["Hundesteuer online"]] if "Hundesteuer online" in projects else [],
        notify=False,
    )
    services.idea_update(
        by_title["Kostenloses WLAN am Marktplatz"],
        user=user,
        expected_version=1,
        data={"status": IdeaStatus.DONE, "feedback": "Das WLAN am Marktplatz läuft seit 2025."},
        projects=[projects["Freies WLAN in der Innenstadt"]] if "Freies WLAN in der Innenstadt" in projects else [],
        notify=False,
    )
    services.idea_update(
        by_title["Schlaglöcher per Foto melden"],
        user=user,
        expected_version=1,
        data={"status": IdeaStatus.DONE, "feedback": "Den Mängelmelder gibt es schon: auf der Website und als App."},
        projects=[projects["Mängelmelder"]] if "Mängelmelder" in projects else [],
        notify=False,
    )
    services.idea_update(
        by_title["Jugendgemeinderat online wählen"],
        user=user,
        expected_version=1,
        data={
            "status": IdeaStatus.REJECTED,
            "feedback": "Die Gemeindeordnung lässt eine reine Online-Wahl derzeit nicht zu. Wir prüfen die Briefwahl.",
        },
        notify=False,
    )
    services.idea_update(
        by_title["Baustellen auf einer Karte zeigen"],
        user=user,
        expected_version=1,
        data={"status": IdeaStatus.REVIEW},
        notify=False,
    )
    services.moderate(by_title["Werbung für Casino"], user=user, publish=False, reason="Werbung")
    _supports(
        [i for i in citizen_ideas if i.publication == Publication.PUBLISHED], citizens + staff[:10], rng, confirmed=True
    )
    for idea, text in [
        (by_title["Müllabfuhrkalender als App"], "Gute Idee, ich vergesse die Biotonne ständig."),
        (by_title["Müllabfuhrkalender als App"], "Gibt es das nicht schon beim Abfallzweckverband?"),
        (by_title["Sitzungen des Gemeinderats im Livestream"], "Dann könnten auch Berufstätige zuschauen."),
    ]:
        author = rng.choice(citizens)
        comment = Comment.objects.create(
            idea=idea, participant=author, author_name=author.name, text=text, publication=Publication.PUBLISHED
        )
        services.recount(idea)
        last = comment
    AbuseReport.objects.create(
        municipality=municipality, comment=last, reason="Das ist doch keine Idee, sondern eine Frage."
    )

    # 3. The citizens' survey with about 100 responses.
    _survey(municipality, rng, today)


def _age(ideas: list[Idea], rng: random.Random, *, start: date, days: int) -> None:
    """Spread the demo ideas over the campaign's period (created_at is set automatically otherwise)."""
    for idea in ideas:
        moment = timezone.make_aware(
            datetime.combine(start + timedelta(days=rng.randint(0, days)), datetime.min.time())
        ) + timedelta(hours=rng.randint(8, 18), minutes=rng.randint(0, 59))
        Idea.objects.filter(pk=idea.pk).update(created_at=moment)


def _supports(ideas: list[Idea], people: list[Participant], rng: random.Random, *, confirmed: bool) -> None:
    rows = []
    for idea in ideas:
        for person in rng.sample(people, k=min(len(people), rng.choice([0, 0, 1, 2, 3, 5, 8, 12]))):
            rows.append(Support(idea=idea, participant=person, confirmed=confirmed))
    Support.objects.bulk_create(rows, ignore_conflicts=True)
    for idea in ideas:
        services.recount(idea)


SURVEY: list[tuple[str, str, list[str], bool]] = [
    (
        QuestionKind.SINGLE,
        "Wie oft hatten Sie im letzten Jahr mit der Stadtverwaltung zu tun?",
        ["gar nicht", "einmal", "zwei- bis fünfmal", "häufiger"],
        True,
    ),
    (
        QuestionKind.MULTIPLE,
        "Welche Anliegen würden Sie gern online erledigen?",
        [
            "Ausweis und Pass",
            "Kfz-Zulassung",
            "Hundesteuer",
            "Wohnsitz ummelden",
            "Kita-Anmeldung",
            "Bauantrag",
            "Sperrmüll",
        ],
        True,
    ),
    (QuestionKind.SCALE, "Wie zufrieden sind Sie mit den Online-Angeboten der Stadt?", [], True),
    (
        QuestionKind.RANKING,
        "Was ist Ihnen am wichtigsten? Bringen Sie es in eine Reihenfolge.",
        [
            "kurze Wartezeiten",
            "alles online erledigen",
            "persönliche Beratung vor Ort",
            "Datenschutz",
            "einfache Sprache",
        ],
        False,
    ),
    (QuestionKind.TEXT, "Was sollte die Stadt als Erstes digitalisieren?", [], False),
    (
        QuestionKind.SINGLE,
        "Wie alt sind Sie?",
        ["unter 25", "25 bis 44", "45 bis 64", "65 und älter", "keine Angabe"],
        False,
    ),
]

TEXT_ANSWERS = [
    "Die Terminvergabe im Bürgerbüro.",
    "Alles rund ums Auto und Parken.",
    "Kita-Anmeldung, das ist für Eltern ein Albtraum.",
    "Dass man Bescheide per E-Mail bekommt.",
    "Die Hundesteuer.",
    "Bauanträge, die dauern ewig.",
    "Eine einfache Übersicht, welche Unterlagen man mitbringen muss.",
]


def _survey(municipality: Municipality, rng: random.Random, today: date) -> None:
    poll = Poll.objects.create(
        municipality=municipality,
        title="Bürgerumfrage Digitale Verwaltung 2026",
        introduction=(
            "Zehn Minuten für eine bessere Verwaltung: Sagen Sie uns, was Ihnen wichtig ist. Die Umfrage ist anonym."
        ),
        audience=Audience.PUBLIC,
        starts_on=today - timedelta(days=20),
        ends_on=today + timedelta(days=25),
        published=True,
        anonymous=True,
    )
    questions = []
    for position, (kind, text, options, required) in enumerate(SURVEY, start=1):
        question = Question(
            poll=poll, position=position, kind=kind, text=text, options="\n".join(options), required=required
        )
        if kind == QuestionKind.SCALE:
            question.scale_min_label, question.scale_max_label = "sehr unzufrieden", "sehr zufrieden"
        questions.append(question)
    Question.objects.bulk_create(questions)
    questions = list(poll.questions.all())
    responses = PollResponse.objects.bulk_create([PollResponse(poll=poll) for _ in range(103)])
    answers = []
    for response in responses:
        for q in questions:
            options = q.option_list()
            if q.kind == QuestionKind.SINGLE:
                value: Any = rng.choices(range(len(options)), weights=[1 + i % 3 for i in range(len(options))])[0]
            elif q.kind == QuestionKind.MULTIPLE:
                value = sorted(rng.sample(range(len(options)), k=rng.randint(1, 4)))
            elif q.kind == QuestionKind.SCALE:
                value = rng.choices([1, 2, 3, 4, 5], weights=[1, 3, 5, 4, 2])[0]
            elif q.kind == QuestionKind.RANKING:
                if rng.random() < 0.2:
                    continue
                value = rng.sample(range(len(options)), k=len(options))
            else:
                if rng.random() < 0.6:
                    continue
                value = rng.choice(TEXT_ANSWERS)
            answers.append(Answer(response=response, question=q, value=value))
    Answer.objects.bulk_create(answers)
