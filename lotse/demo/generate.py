"""Synthetic data at any scale, deterministically: `lotse generate`.

Used for load and scale benchmarks (`bench/scale.py`) and for trying Lotse with a state-wide network. The same
preset and seed give the same records (texts, counts, relations, maturity levels); dates are relative to the
day of the run so that campaigns are open and reports recent.

Everything is written in bulk (no history rows, no e-mails): this is test data, not a migration path. Texts
are German and come from small vocabularies; each text is analysed for the synergy index and the idea search
once and shared by the records that use it, so the network holds many towns doing the same thing, which is
exactly what Lotse's synergy search has to cope with.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from lotse.accounts.models import User
from lotse.ozg.models import (
    OzgLifeSituation,
    OzgProgress,
    OzgService,
    OzgSharing,
    OzgStatus,
    OzgTopic,
    SolutionKind,
)
from lotse.participation import services as participation_services
from lotse.participation.models import Campaign, Idea, IdeaStatus, Moderation, Publication
from lotse.pilots.models import DigitalPilot
from lotse.portfolio.models import (
    DEFAULT_CRITERIA,
    Funding,
    PriorityCriterion,
    Project,
    ProjectScore,
    ProjectYear,
    Status,
)
from lotse.strategy.models import FieldOfAction, Goal, Strategy
from lotse.synergy import engine, evidence
from lotse.synergy import services as synergy_services
from lotse.synergy.models import Signature
from lotse.tenancy.models import Membership, Municipality, Network, OrgUnit, Role, Visibility

from .vocabulary import texts

BATCH = 5000


@dataclass(frozen=True)
class Preset:
    districts: int  # Landkreise
    municipalities: int  # Gemeinden and Städte
    projects: int
    ideas: int
    users: int
    big_projects: int  # the first Gemeinde is a big city: its portfolio and campaign are larger
    big_ideas: int


PRESETS = {
    # Baden-Württemberg: 35 Landkreise and 1,101 Gemeinden, all in one state network.
    "state": Preset(35, 1101, 100_000, 500_000, 20_000, big_projects=2_000, big_ideas=5_000),
    "district": Preset(2, 60, 6_000, 20_000, 1_000, big_projects=600, big_ideas=1_000),
    "tiny": Preset(1, 5, 160, 300, 40, big_projects=80, big_ideas=80),
}
PASSWORD = "lotse-generiert-2026"  # noqa: S105 — printed with the logins; generated data is for trials only
NETWORK_SLUG = "bw"

STEMS = [
    "Linden", "Buch", "Eich", "Tann", "Wein", "Mühl", "Stein", "Schön", "Rosen", "Hasel", "Erlen", "Kirch",
    "Wald", "Ober", "Unter", "Neu", "Alt", "Hoch", "Sonnen", "Bären", "Wolfs", "Fisch", "Berg", "Au",
]  # fmt: skip
ENDINGS = ["ingen", "heim", "hausen", "bach", "berg", "weiler", "stetten", "dorf", "hofen", "au", "feld", "tal"]
ADDITIONS = ["", "", "", " am Neckar", " an der Fils", " im Schwarzwald", " ob der Tauber", " an der Enz"]
OFFICES = [
    ("Hauptamt", "Amt 10"), ("Personalamt", "Amt 11"), ("Kämmerei", "Amt 20"), ("Ordnungsamt", "Amt 32"),
    ("Bürgeramt", "Amt 33"), ("Standesamt", "Amt 34"), ("Schulamt", "Amt 40"), ("Sozialamt", "Amt 50"),
    ("Jugendamt", "Amt 51"), ("Bauamt", "Amt 60"), ("Tiefbauamt", "Amt 66"), ("Stadtwerke", "EB 80"),
]  # fmt: skip
FIELDS = [
    ("Digitale Verwaltung", ["Alle Anträge online", "E-Akte in allen Ämtern"]),
    ("Bildung und Schule", ["Jede Schule digital ausgestattet", "Medienkompetenz stärken"]),
    ("Mobilität und Umwelt", ["Parken digital bezahlen", "Umweltdaten offen bereitstellen"]),
    ("Bürgerservice", ["Termine online buchen", "Servicekonto für alle"]),
    ("Infrastruktur", ["Glasfaser in jedem Ortsteil", "Öffentliches WLAN"]),
]
FIRST_NAMES = ["Anna", "Lukas", "Sophie", "Jonas", "Marie", "Felix", "Lena", "Paul", "Laura", "Tim", "Julia", "Max"]
LAST_NAMES = [
    "Müller", "Schmid", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hofmann", "Keller", "Huber",
    "Maier", "Bauer", "Schäfer", "Wolf", "Braun", "Zimmermann", "Krüger", "Hartmann", "Lang", "Vogel",
]  # fmt: skip
IDEA_OPENINGS = ["Ich wünsche mir", "Es wäre toll, wenn", "Bitte ermöglichen Sie", "Warum gibt es nicht"]
LEVELS = [0] * 35 + [1] * 20 + [2] * 15 + [3] * 20 + [4] * 10  # share of each OZG maturity level, in %


def shares(total: int, parts: int, first: int, rng: random.Random) -> list[int]:
    """`total` split over `parts`: `first` for the first, the rest spread unevenly (±60 %), summing exactly."""
    rest = max(0, total - first)
    weights = [rng.uniform(0.4, 1.6) for _ in range(parts - 1)]
    scale = rest / sum(weights) if weights else 0
    counts = [first] + [int(w * scale) for w in weights]
    for i in range(total - sum(counts)):  # the rounding remainder
        counts[1 + i % max(1, parts - 1)] += 1
    return counts


class Generator:
    """Builds one preset into a database that holds no municipalities yet."""

    def __init__(self, preset: Preset, seed: int = 1, log: Callable[[str], Any] = print) -> None:
        self.p = preset
        self.seed = seed
        self.log = log
        self.today = date.today()
        self.now = timezone.now()
        self.password = make_password(PASSWORD)  # hashed once, shared: 20,000 hashes would take an hour

    def rng(self, *parts: object) -> random.Random:
        """A random source of its own for each part, so that parts stay stable when others change."""
        return random.Random("-".join(map(str, (self.seed, *parts))))  # noqa: S311 — test data

    def run(self, catalogue: Path | None = None) -> dict[str, int]:
        steps: list[tuple[str, Callable[[], None]]] = [
            ("Kommunen", self.municipalities),
            ("Personen", self.people),
            ("Strategie", self.strategy),
            ("Projekte", self.projects),
            ("OZG", lambda: self.ozg(catalogue)),
            ("Beteiligung", self.participation),
            ("Vektoren", self.vectors),
            ("Zeitstempel", self.settle),
        ]
        for name, step in steps:
            started = timezone.now()
            with transaction.atomic():
                step()
            self.log(f"  {name}: {(timezone.now() - started).total_seconds():.0f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # as autovacuum would soon after a bulk load
        return {
            "Kommunen": Municipality.objects.count(),
            "Personen": User.objects.count(),
            "Projekte": Project.objects.count(),
            "OZG-Umsetzungsstände": OzgStatus.objects.count(),
            "Ideen": Idea.objects.count(),
            "Digitallotsen": DigitalPilot.objects.count(),
        }

    # --- municipalities and their offices ---------------------------------------------------------

    def municipalities(self) -> None:
        rng = self.rng("towns")
        names: set[str] = set()

        def name() -> str:
            while True:
                candidate = rng.choice(STEMS) + rng.choice(ENDINGS) + rng.choice(ADDITIONS)
                if candidate not in names:
                    names.add(candidate)
                    return candidate

        districts = Municipality.objects.bulk_create(
            Municipality(name=f"Landkreis {name()}", slug=f"lk-{i + 1:02d}", kind=Municipality.Kind.DISTRICT)
            for i in range(self.p.districts)
        )
        kinds = [Municipality.Kind.MUNICIPALITY] * 7 + [Municipality.Kind.TOWN] * 2 + [Municipality.Kind.TOWN]
        towns = []
        for i in range(self.p.municipalities):
            big = i == 0
            towns.append(
                Municipality(
                    name=f"{'Stadt' if big else ''} {name()}".strip(),
                    slug=f"gemeinde-{i + 1:04d}",
                    kind=Municipality.Kind.MAJOR_DISTRICT_TOWN if big else rng.choice(kinds),
                    inhabitants=250_000 if big else int(rng.lognormvariate(8.8, 1.0)) + 300,
                    district=districts[i % len(districts)] if districts else None,
                )
            )
        Municipality.objects.bulk_create(towns, batch_size=BATCH)
        self.districts = list(Municipality.objects.filter(kind=Municipality.Kind.DISTRICT).order_by("slug"))
        self.towns = list(Municipality.objects.exclude(kind=Municipality.Kind.DISTRICT).order_by("slug"))
        self.all = self.districts + self.towns
        # The order in which shares are handed out: the big city first (it gets the preset's big numbers).
        self.by_size = [self.towns[0], *self.districts, *self.towns[1:]]
        network = Network.objects.create(
            name="Digitalnetzwerk Baden-Württemberg (generiert)",
            slug=NETWORK_SLUG,
            description="Erzeugt mit `lotse generate` für Last- und Skalierungstests.",
        )
        Network.members.through.objects.bulk_create(
            (Network.members.through(network=network, municipality=m) for m in self.all), batch_size=BATCH
        )
        OrgUnit.objects.bulk_create(
            (
                OrgUnit(municipality=m, name=n, short_name=s, position=k)
                for m in self.all
                for k, (n, s) in enumerate(OFFICES[: 12 if m.pk == self.towns[0].pk else 8])
            ),
            batch_size=BATCH,
        )
        self.units: dict[int, list[int]] = {}
        for pk, town in OrgUnit.objects.values_list("pk", "municipality_id").order_by("pk"):
            self.units.setdefault(town, []).append(pk)

    # --- people: members with roles, Digitallotsen ------------------------------------------------

    def people(self) -> None:
        rng = self.rng("people")
        counts = shares(self.p.users, len(self.all), max(10, self.p.users // 200), rng)
        users, roles = [], []
        for town, n in zip(self.by_size, counts, strict=True):
            for k in range(max(2, n)):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                email = "cdo" if k == 0 else f"{first}.{last}.{k}".lower()
                users.append(
                    User(
                        email=f"{email}@{town.slug}.example",
                        first_name=first,
                        last_name=last,
                        password=self.password,
                        title="Chief Digital Officer" if k == 0 else "",
                    )
                )
                role = Role.COORDINATOR if k < 2 else Role.EDITOR if k % 4 == 0 else Role.READER
                roles.append((town, role))
        created = User.objects.bulk_create(users, batch_size=BATCH)  # both databases return the new ids
        Membership.objects.bulk_create(
            (Membership(user=u, municipality=t, role=r) for u, (t, r) in zip(created, roles, strict=True)),
            batch_size=BATCH,
        )
        pilots = []
        by_town: dict[int, list[User]] = {}
        for user, (town, _role) in zip(created, roles, strict=True):
            by_town.setdefault(town.pk, []).append(user)
        for town in self.all:
            staff = by_town[town.pk][2:] or by_town[town.pk]
            for person in staff[: rng.randint(1, 3)]:
                pilots.append(
                    DigitalPilot(
                        municipality=town,
                        person=person,
                        topics=rng.choice(["E-Akte", "Online-Dienste", "Schulungen", "Prozesse"]),
                        since=self.today - timedelta(days=rng.randint(30, 900)),
                    )
                )
        DigitalPilot.objects.bulk_create(pilots, batch_size=BATCH)
        through = DigitalPilot.org_units.through
        through.objects.bulk_create(
            (
                through(digitalpilot_id=pk, orgunit_id=rng.choice(self.units[town]))
                for pk, town in DigitalPilot.objects.values_list("pk", "municipality_id")
            ),
            batch_size=BATCH,
        )
        self.coordinators = {town.pk: by_town[town.pk][0] for town in self.all}

    # --- strategy: fields of action and goals, the frame of every portfolio ------------------------

    def strategy(self) -> None:
        Strategy.objects.bulk_create(
            (
                Strategy(
                    municipality=m,
                    title="Digitalisierungsstrategie",
                    vision=f"{m.name} ist eine digitale, offene und bürgernahe Kommune.",
                    adopted_on=self.today - timedelta(days=400),
                )
                for m in self.all
            ),
            batch_size=BATCH,
        )
        FieldOfAction.objects.bulk_create(
            (FieldOfAction(municipality=m, name=n, position=k) for m in self.all for k, (n, _g) in enumerate(FIELDS)),
            batch_size=BATCH,
        )
        fields = FieldOfAction.objects.values_list("pk", "municipality_id", "position")
        Goal.objects.bulk_create(
            (
                Goal(municipality_id=town, field_id=pk, title=goal, position=k)
                for pk, town, position in fields
                for k, goal in enumerate(FIELDS[position][1])
            ),
            batch_size=BATCH,
        )
        self.fields: dict[int, list[int]] = {}
        for pk, town, _position in fields.order_by("pk"):
            self.fields.setdefault(town, []).append(pk)
        PriorityCriterion.objects.bulk_create(
            (
                PriorityCriterion(municipality=m, name=n, direction=d, weight=w, position=k)
                for m in self.all
                for k, (n, d, w) in enumerate(DEFAULT_CRITERIA, 1)
            ),
            batch_size=BATCH,
        )

    # --- projects, their budget years, scores and synergy signatures -------------------------------

    def projects(self) -> None:
        rng = self.rng("projects")
        pool = [(t, d.split(".")[0][:500], d) for t, d in texts(min(5000, max(50, self.p.projects // 20)))]
        field_names = dict(FieldOfAction.objects.values_list("pk", "name"))
        analysed: dict[tuple[int, str], engine.Document] = {}  # each text with each field name, analysed once
        combined: dict[tuple[int, str], dict[str, float]] = {}  # the combined engine's concepts, once per text

        def document(index: int, field: str) -> engine.Document:
            if (index, field) not in analysed:
                title, summary, description = pool[index]
                analysed[index, field] = synergy_services.analyse_texts(None, title, summary, description, [field], [])
            return analysed[index, field]

        def concepts(index: int, town: str) -> dict[str, float]:
            """As `services.refresh` stores them; the town's name is removed first, so it matters only where it
            occurs in the text."""
            title, summary, description = pool[index]
            text = f"{title} {summary} {description}"
            key = (index, town if evidence.mentions_town(text, town) else "")
            if key not in combined:
                read = synergy_services.as_evidence(0, title, summary, description, town, {}, [])
                combined[key] = evidence.concept_features(read)
            return combined[key]

        criteria: dict[int, list[int]] = {}
        for pk, mid in PriorityCriterion.objects.values_list("pk", "municipality_id").order_by("pk"):
            criteria.setdefault(mid, []).append(pk)
        counts = shares(self.p.projects, len(self.all), self.p.big_projects, rng)
        statuses = [s.value for s in Status]
        fundings = [f.value for f in Funding]
        visibilities = [Visibility.INTERNAL, Visibility.NETWORK, Visibility.NETWORK, Visibility.PUBLIC]
        for town, n in zip(self.by_size, counts, strict=True):
            rows, picks, features = [], [], []
            for k in range(n):
                index = rng.randrange(len(pool))
                title, summary, description = pool[index]
                field = rng.choice(self.fields[town.pk])
                start = self.today - timedelta(days=rng.randint(-200, 900))
                rows.append(
                    Project(
                        municipality=town,
                        key=f"P-{k + 1:05d}",
                        title=title,
                        summary=summary,
                        description=description,
                        lead_unit_id=rng.choice(self.units[town.pk]),
                        field_id=field,
                        status=rng.choice(statuses),
                        funding=rng.choice(fundings),
                        visibility=rng.choice(visibilities),
                        start_date=start,
                        end_date=start + timedelta(days=rng.randint(180, 1100)),
                        project_lead=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                        created_by=self.coordinators[town.pk],
                    )
                )
                picks.append(document(index, field_names[field]))
                features.append(concepts(index, town.name))
            self._save_projects(rows, picks, features, criteria[town.pk], rng)

    def settle(self) -> None:
        """Date every record back: generated data stands for a network in its steady state, not one that was
        bulk-imported a minute ago (the synergy index re-checks what changed in the last minutes)."""
        for model in (Project, Idea, Municipality):
            model.objects.update(updated_at=self.now - timedelta(days=2), created_at=self.now - timedelta(days=400))
        # vectors a worker already computed (with an immediate task backend: all of them) count as old too
        Signature.objects.filter(embedded_at__isnull=False).update(embedded_at=self.now - timedelta(days=2))

    def vectors(self) -> None:
        """Queue the semantic vectors for the worker (`lotse db_worker`), as a bulk import would: each distinct
        text is embedded once and its repeats take that vector."""
        _projects, queued = synergy_services.sweep()
        if queued:
            self.log(
                f"  Vektoren für {queued} Projekte in der Warteschlange: ein Worker (lotse db_worker) berechnet "
                "jeden Text einmal, Wiederholungen übernehmen seinen Vektor"
            )

    def _save_projects(
        self,
        rows: list[Project],
        docs: list[engine.Document],
        concepts: list[dict[str, float]],
        criteria: list[int],
        rng: random.Random,
    ) -> None:
        created = Project.objects.bulk_create(rows, batch_size=BATCH)
        ProjectYear.objects.bulk_create(
            (
                ProjectYear(
                    project=p,
                    year=self.today.year + offset,
                    budget_planned=Decimal(rng.randint(1, 400) * 1000),
                    budget_approved=Decimal(rng.randint(0, 200) * 1000),
                    staff_fte=Decimal(rng.randint(1, 20)) / 10,
                )
                for p in created
                for offset in range(rng.randint(1, 2))
            ),
            batch_size=BATCH,
        )
        ProjectScore.objects.bulk_create(
            (ProjectScore(project=p, criterion_id=c, score=rng.randint(1, 5)) for p in created for c in criteria),
            batch_size=BATCH,
        )
        Signature.objects.bulk_create(
            (
                Signature(
                    project=p,
                    version=p.version,
                    features=doc.features,
                    concepts=sorted(doc.concepts),
                    digital=doc.digital,
                    engine=engine.ENGINE_VERSION,
                    computed_at=self.now,
                    evidence_concepts=features,
                )
                for p, doc, features in zip(created, docs, concepts, strict=True)
            ),
            batch_size=BATCH,
        )

    # --- OZG: the whole catalogue for every municipality -------------------------------------------

    def ozg(self, catalogue: Path | None) -> None:
        if not OzgService.objects.exists():
            if catalogue and catalogue.exists():
                from lotse.ozg.catalogue import import_catalogue

                import_catalogue((catalogue.read_bytes(), catalogue.name))
            else:
                synthetic_catalogue()
        ozg_for(self.all, self.rng("ozg"), self.today)

    # --- participation: one public campaign per municipality with its citizens' ideas --------------

    def participation(self) -> None:
        rng = self.rng("ideas")
        pool: list[IdeaText] = []
        for title, description in texts(min(3000, max(50, self.p.ideas // 100)), seed=11):
            idea = Idea(title=f"{title}", description=f"{rng.choice(IDEA_OPENINGS)}: {description}")
            participation_services.analyse(idea)
            pool.append((idea.title, idea.description, idea.signature, idea.concepts))
        campaigns = Campaign.objects.bulk_create(
            (
                Campaign(
                    municipality=m,
                    title=f"Ideen für ein digitales {m.name}",
                    introduction="Was soll in unserer Verwaltung digital einfacher werden? Sagen Sie es uns.",
                    starts_on=self.today - timedelta(days=60),
                    ends_on=self.today + timedelta(days=60),
                    published=True,
                    moderation=Moderation.AFTER,
                )
                for m in self.all
            ),
            batch_size=BATCH,
        )
        by_town = {c.municipality_id: c for c in campaigns}
        counts = shares(self.p.ideas, len(self.all), self.p.big_ideas, rng)
        rows: list[Idea] = []
        for town, n in zip(self.by_size, counts, strict=True):
            rows += idea_rows(by_town[town.pk], n, pool, rng)
            if len(rows) >= 4 * BATCH:
                Idea.objects.bulk_create(rows, batch_size=BATCH)
                rows = []
        Idea.objects.bulk_create(rows, batch_size=BATCH)


def measured_town() -> Municipality:
    """The big city every preset contains (the first Gemeinde): the one benchmarks measure."""
    return Municipality.objects.get(slug="gemeinde-0001")


def fingerprint() -> Iterator[tuple[str, object]]:
    """What two runs with the same preset and seed must agree on (used by the tests)."""
    yield "towns", list(Municipality.objects.order_by("slug").values_list("slug", "name", "kind"))
    yield "projects", list(Project.objects.order_by("municipality__slug", "key").values_list("key", "title", "status"))
    yield "ideas", Idea.objects.count()
    yield "levels", list(OzgStatus.objects.order_by("municipality__slug", "service__ozg_id").values_list("maturity"))
    yield "people", list(User.objects.order_by("email").values_list("email", flat=True))


# --- building blocks, also used by the older single-room benchmarks (bench/ozg.py, bench/participation.py) ---


def synthetic_catalogue() -> None:
    """A catalogue shaped like the OZG's (14 topics, 557 services) where the real one is not at hand."""
    situations = []
    for t in range(14):
        topic = OzgTopic.objects.create(name=f"Themenfeld {t + 1}")
        situations += [
            OzgLifeSituation.objects.create(topic=topic, name=f"Lebenslage {t + 1}.{s + 1}") for s in range(4)
        ]
    actions = ["Antrag auf", "Anmeldung", "Genehmigung für", "Auskunft zu", "Erlaubnis für"]
    topics = [t for t, _d in texts(557, seed=7)]
    OzgService.objects.bulk_create(
        OzgService(
            ozg_id=str(10000 + n),
            name=f"{actions[n % len(actions)]} {topics[n].split(' ', 1)[-1]}"[:200],
            life_situation=situations[n % len(situations)],
        )
        for n in range(557)
    )


def ozg_for(towns: list[Municipality], rng: random.Random, today: date) -> None:
    """For each town: whether it shares its statuses (nine in ten), a status for every catalogue service (levels
    at LEVELS' shares) and three progress snapshots (two years ago, one year ago, today)."""
    services = list(OzgService.objects.order_by("pk").values_list("pk", "life_situation__topic_id"))
    per_topic: dict[int, int] = {}
    for _pk, topic in services:
        per_topic[topic] = per_topic.get(topic, 0) + 1
    OzgSharing.objects.bulk_create(
        (OzgSharing(municipality=m, share_in_network=rng.random() < 0.9) for m in towns), batch_size=BATCH
    )
    statuses: list[OzgStatus] = []
    progress: list[OzgProgress] = []
    for town in towns:
        online: dict[int, int] = {}
        for pk, topic in services:
            level = rng.choice(LEVELS)
            online[topic] = online.get(topic, 0) + (level >= 3)
            statuses.append(
                OzgStatus(
                    municipality=town,
                    service_id=pk,
                    maturity=level,
                    solution_name="Online-Dienst" if level >= 3 else "",
                    solution_kind=SolutionKind.EFA if level >= 3 else "",
                )
            )
        for days in (720, 360, 0):
            share = (720 - days) / 720
            day = today - timedelta(days=days)
            total = OzgProgress(
                municipality=town, topic=None, day=day, relevant=len(services), online=int(share * sum(online.values()))
            )
            progress += [total] + [
                OzgProgress(municipality=town, topic_id=t, day=day, relevant=n, online=int(share * online.get(t, 0)))
                for t, n in per_topic.items()
            ]
        if len(statuses) >= 4 * BATCH:
            OzgStatus.objects.bulk_create(statuses, batch_size=BATCH)
            statuses = []
    OzgStatus.objects.bulk_create(statuses, batch_size=BATCH)
    OzgProgress.objects.bulk_create(progress, batch_size=BATCH)


IdeaText = tuple[str, str, dict[str, Any], list[str]]  # title, description, signature, concepts (analysed once)


def idea_rows(campaign: Campaign, n: int, pool: list[IdeaText], rng: random.Random) -> list[Idea]:
    """`n` ideas for the campaign from the pool: 95 % published, any status, a few supporters each."""
    statuses = [s.value for s in IdeaStatus]
    rows = []
    for k in range(n):
        title, description, signature, concepts = pool[rng.randrange(len(pool))]
        rows.append(
            Idea(
                municipality_id=campaign.municipality_id,
                campaign=campaign,
                title=f"{title} ({k + 1})"[:200],
                description=description,
                publication=Publication.PUBLISHED if rng.random() < 0.95 else Publication.PENDING,
                status=rng.choice(statuses),
                supporters_count=rng.choice([0, 0, 1, 2, 3, 5, 8, 20]),
                signature=signature,
                concepts=concepts,
            )
        )
    return rows
