"""Strategy and portfolio data on top of the standing world: A has an internal strategy and projects of
every visibility, B one network project."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from lotse.core.services import versioned_create
from lotse.ozg.models import OzgLifeSituation, OzgService, OzgStatus, OzgTopic, Process
from lotse.pilots import services as pilots
from lotse.pilots.models import DigitalPilot, Programme, Seminar, TrainingModule
from lotse.portfolio import services
from lotse.portfolio.models import CapacityYear, PriorityCriterion, Project, ProjectScore, Status
from lotse.strategy.models import FieldOfAction, Goal, Indicator, IndicatorReading, Strategy
from lotse.tenancy.models import Membership, Role, Visibility
from tests.factories import UserFactory

SECRET_PROJECT = "Geheimprojekt Bürgerbüro"
SECRET_VISION = "Astadt wird digital, intern abgestimmt"


@dataclass
class PortfolioWorld:
    strategy: Strategy
    field: FieldOfAction
    field2: FieldOfAction
    goal: Goal
    indicator: Indicator
    internal: Project
    network: Project
    public: Project
    b_project: Project
    criteria: list[PriorityCriterion]
    ozg_status: OzgStatus
    process: Process
    pilot: DigitalPilot
    seminar: Seminar
    participation: Any = None
    import_job: Any = None


def build_portfolio(world: Any) -> PortfolioWorld:
    a, user = world.a, world.users["coordinator_a"]
    strategy = versioned_create(
        Strategy, user=user, data={"municipality": a, "title": "Strategie A", "vision": SECRET_VISION}
    )
    field = versioned_create(
        FieldOfAction, user=user, data={"municipality": a, "name": "Digitale Bürgerdienste", "position": 1}
    )
    field2 = versioned_create(
        FieldOfAction, user=user, data={"municipality": a, "name": "Digitale Verwaltung", "position": 2}
    )
    goal = versioned_create(Goal, user=user, data={"municipality": a, "field": field, "title": "Alles online"})
    indicator = versioned_create(
        Indicator,
        user=user,
        data={
            "municipality": a,
            "goal": goal,
            "name": "Online-Leistungen",
            "unit": "Anzahl",
            "baseline": Decimal(10),
            "target": Decimal(110),
            "due_date": date(2028, 12, 31),
        },
    )
    versioned_create(
        IndicatorReading,
        user=user,
        data={"municipality": a, "indicator": indicator, "measured_on": date(2025, 12, 31), "value": Decimal(60)},
    )

    def project(key: str, title: str, visibility: str, **extra: Any) -> Project:
        return services.project_save(
            None,
            user=extra.pop("by", user),
            municipality=extra.pop("municipality", a),
            data={"key": key, "title": title, "visibility": visibility, **extra},
            children={
                "years": [
                    {
                        "year": 2026,
                        "budget_planned": Decimal(100000),
                        "budget_approved": 0,
                        "budget_spent": 0,
                        "staff_fte": Decimal(2),
                    }
                ]
            },
        )

    internal = project(
        "A-1",
        SECRET_PROJECT,
        Visibility.INTERNAL,
        lead_unit=world.unit_a1_sub,
        field=field,
        status=Status.IMPLEMENTATION,
        start_date=date(2026, 1, 1),
        end_date=date(2027, 6, 30),
    )
    network = project(
        "A-2",
        "Netzwerkprojekt Bauamt",
        Visibility.NETWORK,
        lead_unit=world.unit_a2,
        field=field2,
        status=Status.PLANNING,
        start_date=date(2026, 3, 1),
        end_date=date(2026, 12, 31),
    )
    public = project(
        "A-3", "Öffentliches Leuchtturmprojekt", Visibility.PUBLIC, field=field, is_lighthouse=True, status=Status.IDEA
    )
    b_project = project(
        "B-1", "Projekt aus Bdorf", Visibility.NETWORK, municipality=world.b, by=world.users["coordinator_b"]
    )
    criteria = services.default_criteria(user=user, municipality=a)
    for c in criteria:
        ProjectScore.objects.create(project=internal, criterion=c, score=4 if c.direction == "benefit" else 2)
        ProjectScore.objects.create(project=network, criterion=c, score=2 if c.direction == "benefit" else 4)
    versioned_create(
        CapacityYear,
        user=user,
        data={"municipality": a, "year": 2026, "staff_fte": Decimal(3), "budget": Decimal(500000)},
    )
    ozg_status, process = build_ozg(world, internal)
    person = UserFactory.create(email="lotsin@test.example", first_name="Lena", last_name=SECRET_PILOT)
    Membership.objects.create(user=person, municipality=a, role=Role.READER)
    pilot = pilots.pilot_save(None, user=user, municipality=a, person=person, data={}, org_units=[world.unit_a2])
    programme = Programme.objects.create(network=world.a.networks.get(), name="Lotsenprogramm")
    module = TrainingModule.objects.create(programme=programme, position=1, title="Grundlagen")
    seminar = Seminar.objects.create(
        programme=programme,
        title="Seminar",
        starts_on=date(2026, 5, 4),
        ends_on=date(2026, 5, 5),
        place="Ulm",
        capacity=1,
    )
    seminar.modules.set([module])
    pilots.register(user=user, seminar=seminar, pilot=pilot)
    participation = build_participation(world, internal)
    from lotse.pilots.models import NetworkEvent

    board_question = pilots.question_ask(
        user=world.users["editor_a"], network=programme.network, title="Frage", body="x"
    )
    pilots.answer_post(user=world.users["coordinator_b"], question=board_question, body="Antwort", notify=False)
    now = timezone.now()
    event = NetworkEvent.objects.create(
        network=programme.network,
        title="Stammtisch",
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=1),
    )
    participation.board = (board_question, event)
    from lotse.reports.models import SurveyWave

    wave = SurveyWave.objects.create(municipality=a, title="Staffel", deadline=date(2026, 12, 31))
    wave.units.set([world.unit_a1])
    participation.wave = wave
    from lotse.portfolio.models import ImportJob

    import_job = ImportJob.objects.create(
        municipality=a, created_by=user, filename="Meldeliste.csv", stored_name="x.csv", state="done"
    )
    return PortfolioWorld(
        strategy,
        field,
        field2,
        goal,
        indicator,
        internal,
        network,
        public,
        b_project,
        criteria,
        ozg_status,
        process,
        pilot,
        seminar,
        participation,
        import_job,
    )


SECRET_PILOT = "Lotsin-Geheimname"
SECRET_IDEA = "Geheimidee nur für Beschäftigte"


@dataclass
class ParticipationWorld:
    campaign: Any
    staff_campaign: Any
    idea: Any
    staff_idea: Any
    pending: Any
    poll: Any
    question: Any
    board: Any = None
    wave: Any = None


def build_participation(world: Any, internal: Project) -> ParticipationWorld:
    """A's public campaign with a published and a pending idea (adopted into the internal project), a staff
    campaign with an internal idea, and a public poll with one answer."""
    from lotse.participation import services as participation
    from lotse.participation.models import Audience, Campaign, Moderation, Poll, PollResponse, Question

    today = date.today()
    span = {"starts_on": today - timedelta(days=1), "ends_on": today + timedelta(days=9), "published": True}
    campaign = Campaign.objects.create(municipality=world.a, title="Ideen A", moderation=Moderation.BEFORE, **span)
    staff_campaign = Campaign.objects.create(
        municipality=world.a, title="Intern A", audience=Audience.STAFF, moderation=Moderation.AFTER, **span
    )
    citizen = participation.participant_for_email(world.a, "buerger@test.example")
    idea = participation.idea_submit(
        campaign, participant=citizen, confirmed=True, title="Öffentliche Idee", description="x"
    )
    participation.moderate(idea, user=world.users["coordinator_a"], publish=True)
    participation.idea_update(
        idea,
        user=world.users["coordinator_a"],
        expected_version=idea.version,
        data={"status": "adopted"},
        projects=[internal],
        notify=False,
    )
    pending = participation.idea_submit(
        campaign, participant=citizen, confirmed=True, title="Wartende Idee", description="y"
    )
    staff = participation.participant_for_user(world.a, world.users["editor_a"])
    staff_idea = participation.idea_submit(
        staff_campaign, participant=staff, confirmed=True, title=SECRET_IDEA, description="intern"
    )
    poll = Poll.objects.create(municipality=world.a, title="Umfrage A", **span)
    question = Question.objects.create(poll=poll, position=1, kind="single", text="Wie oft?", options="nie\noft")
    PollResponse.objects.create(poll=poll)
    return ParticipationWorld(campaign, staff_campaign, idea, staff_idea, pending, poll, question)


SECRET_SOLUTION = "Geheimportal Hundesteuer A"


def build_ozg(world: Any, project: Project) -> tuple[OzgStatus, Process]:
    """A two-service catalogue; A has a status (in its Bauamt, not the editor's unit) and a process, shares nothing."""
    topic = OzgTopic.objects.create(name="Recht & Ordnung")
    situation = OzgLifeSituation.objects.create(topic=topic, name="Tiere")
    dogs = OzgService.objects.create(ozg_id="T-1", name="Hundehaltung", life_situation=situation)
    OzgService.objects.create(ozg_id="T-2", name="Fundsachen", life_situation=situation)
    user = world.users["coordinator_a"]
    status = versioned_create(
        OzgStatus,
        user=user,
        data={
            "municipality": world.a,
            "service": dogs,
            "maturity": 2,
            "org_unit": world.unit_a2,
            "solution_name": SECRET_SOLUTION,
        },
        m2m={"projects": [project]},
    )
    process = versioned_create(
        Process,
        user=user,
        data={"municipality": world.a, "org_unit": world.unit_a2, "name": "Bauanträge prüfen", "cases_per_year": 300},
    )
    return status, process


MANAGE = {"coordinator_a", "admin"}
INSIDERS = MANAGE | {"editor_a", "reader_a"}
ADDERS = MANAGE | {"editor_a"}
EVERYONE = {"anonymous", "admin", "coordinator_a", "editor_a", "reader_a", "partner_a", "coordinator_b", "outsider"}


def room_pages(world: Any, pw: PortfolioWorld) -> list[tuple[str, set[str], int]]:
    """(path, roles that get 200, status for everyone else except anonymous with a login redirect on 403)."""
    from django.urls import reverse

    a = {"municipality": world.a.slug}
    s = lambda name, **kw: reverse(f"strategy:{name}", kwargs={**a, **kw})  # noqa: E731
    p = lambda name, **kw: reverse(f"portfolio:{name}", kwargs={**a, **kw})  # noqa: E731
    o = lambda name, **kw: reverse(f"ozg:{name}", kwargs={**a, **kw})  # noqa: E731
    internal = {"pk": pw.internal.pk}
    return [
        (s("overview"), EVERYONE, 200),
        (s("edit"), MANAGE, 403),
        (s("history"), INSIDERS, 403),
        (s("part_create", kind="goals"), MANAGE, 403),
        (s("part_edit", kind="fields", pk=pw.field.pk), MANAGE, 404),
        (s("part_delete", kind="goals", pk=pw.goal.pk), MANAGE, 404),
        (s("part_history", kind="goals", pk=pw.goal.pk), INSIDERS, 404),
        (s("indicator", pk=pw.indicator.pk), INSIDERS, 404),
        (p("list"), EVERYONE, 200),
        (p("list") + "?status=implementation&status=planning&sort=budget", EVERYONE, 200),
        (p("board"), EVERYONE, 200),
        (p("roadmap"), EVERYONE, 200),
        (p("charts"), EVERYONE, 200),
        (p("export", fmt="csv"), EVERYONE, 200),
        (p("priorities"), INSIDERS, 403),
        (p("priorities") + f"?w{pw.criteria[0].pk}=0", INSIDERS, 403),
        (p("criteria"), MANAGE, 403),
        (p("criterion_create"), MANAGE, 403),
        (p("capacity"), INSIDERS, 403),
        (p("reports_overdue"), INSIDERS, 403),
        (p("status_report", **internal), INSIDERS, 404),
        (p("status_report", pk=pw.public.pk), INSIDERS, 403),
        (p("list") + "?overdue=on&stale=on&year=2026", EVERYONE, 200),
        (reverse("reports:dashboard", kwargs=a), INSIDERS, 403),
        (reverse("reports:council", kwargs=a), INSIDERS, 403),
        (reverse("reports:council", kwargs=a) + "?year=2025", INSIDERS, 403),
        (reverse("reports:council_template", kwargs=a), MANAGE, 403),
        (reverse("reports:revisions", kwargs=a), INSIDERS, 403),
        (reverse("reports:maturity", kwargs=a), INSIDERS, 403),
        (reverse("reports:waves", kwargs=a), INSIDERS, 403),
        (reverse("reports:wave", kwargs={**a, "pk": pw.participation.wave.pk}), INSIDERS, 403),
        (
            reverse("reports:wave_unit", kwargs={**a, "pk": pw.participation.wave.pk, "unit": world.unit_a1.pk}),
            INSIDERS,
            403,
        ),
        (reverse("reports:concept", kwargs={**a, "unit": world.unit_a1.pk}), INSIDERS, 403),
        (reverse("reports:maturity_unit", kwargs={**a, "pk": world.unit_a1.pk}), INSIDERS, 403),
        (reverse("reports:compare", kwargs=a), INSIDERS, 403),
        (reverse("reports:compare", kwargs=a) + "?a=today&b=today", INSIDERS, 403),
        (reverse("reports:council_file", kwargs={**a, "year": 2026, "fmt": "pdf"}), INSIDERS, 403),
        (reverse("reports:council_file", kwargs={**a, "year": 2026, "fmt": "xlsx"}), INSIDERS, 403),
        (p("import"), MANAGE, 403),
        (p("import_job", pk=pw.import_job.pk), MANAGE, 403),
        (p("template"), ADDERS, 403),
        (p("create"), ADDERS, 403),
        (p("project", **internal), INSIDERS, 404),
        (p("project", pk=pw.public.pk), EVERYONE, 200),
        (p("edit", **internal), ADDERS, 404),
        (p("scores", **internal), ADDERS, 404),
        (p("history", **internal), INSIDERS, 404),
        (p("delete", **internal), MANAGE, 404),
        (reverse("synergy:similar", kwargs={**a, **internal}), INSIDERS, 404),
        (reverse("synergy:similar", kwargs={**a, "pk": pw.public.pk}), EVERYONE, 200),
        (reverse("synergy:contact", kwargs={**a, "pk": pw.public.pk}), EVERYONE - {"anonymous"}, 403),
        (reverse("synergy:clusters"), EVERYONE, 200),
        (reverse("synergy:open_data", kwargs=a), EVERYONE, 200),
        (reverse("synergy:feed_json", kwargs=a), EVERYONE, 200),
        (reverse("synergy:feed_csv", kwargs=a), EVERYONE, 200),
        (reverse("synergy:feed_dcat", kwargs=a), EVERYONE, 200),
        (reverse("synergy:search") + "?q=Geheimprojekt+Buergerbuero", EVERYONE, 200),
        (o("list"), INSIDERS, 403),
        (o("list") + "?maturity=2&q=Hund", INSIDERS, 403),
        (o("dashboard"), INSIDERS, 403),
        (o("network"), INSIDERS, 403),
        (o("service", ozg_id="T-1"), INSIDERS, 403),
        (o("history", ozg_id="T-1"), INSIDERS, 404),
        (o("processes"), INSIDERS, 403),
        (o("process_create"), ADDERS, 403),
        (o("process_edit", pk=pw.process.pk), MANAGE, 404),
        (o("process_delete", pk=pw.process.pk), MANAGE, 404),
        (reverse("pilots:directory", kwargs=a), INSIDERS, 403),
        (reverse("pilots:create", kwargs=a), MANAGE, 403),
        (reverse("pilots:pilot", kwargs={**a, "pk": pw.pilot.pk}), INSIDERS, 404),
        (reverse("pilots:edit", kwargs={**a, "pk": pw.pilot.pk}), MANAGE, 404),
        (reverse("pilots:delete", kwargs={**a, "pk": pw.pilot.pk}), MANAGE, 404),
        (reverse("pilots:history", kwargs={**a, "pk": pw.pilot.pk}), INSIDERS, 404),
        (reverse("pilot_coverage", kwargs={"slug": "verbund-ab"}), INSIDERS | {"coordinator_b"}, 403),
        (reverse("programme:overview", kwargs={"slug": "verbund-ab"}), INSIDERS | {"coordinator_b"}, 403),
        (
            reverse("programme:seminar", kwargs={"slug": "verbund-ab", "pk": pw.seminar.pk}),
            INSIDERS | {"coordinator_b"},
            403,
        ),
        (reverse("programme:seminar_create", kwargs={"slug": "verbund-ab"}), {"admin"}, 403),
        (reverse("programme:module_create", kwargs={"slug": "verbund-ab"}), {"admin"}, 403),
        *participation_pages(world, pw),
        *community_pages(pw),
    ]


def community_pages(pw: PortfolioWorld) -> list[tuple[str, set[str], int]]:
    from django.urls import reverse

    question, event = pw.participation.board
    c = lambda name, **kw: reverse(f"community:{name}", kwargs={"slug": "verbund-ab", **kw})  # noqa: E731
    members = INSIDERS | {"coordinator_b"}
    answer = question.answers.get()
    return [
        (c("board"), members, 403),
        (c("board") + "?q=Frage&open=1", members, 403),
        (c("ask"), members, 403),
        (c("question", pk=question.pk), members, 403),
        (c("report", kind="answer", pk=answer.pk), members, 403),
        (c("events"), members, 403),
        (c("event_ics", pk=event.pk), members, 403),
        (c("event_create"), {"admin"}, 403),
        (c("event_edit", pk=event.pk), {"admin"}, 403),
    ]


def participation_pages(world: Any, pw: PortfolioWorld) -> list[tuple[str, set[str], int]]:
    from django.urls import reverse

    a = {"municipality": world.a.slug}
    x = lambda name, **kw: reverse(f"participation:{name}", kwargs={**a, **kw})  # noqa: E731
    pp = pw.participation
    return [
        (x("index"), EVERYONE, 200),
        (x("campaign", pk=pp.campaign.pk), EVERYONE, 200),
        (x("campaign", pk=pp.campaign.pk) + "?sort=top&status=adopted&q=Idee", EVERYONE, 200),
        (x("campaign", pk=pp.staff_campaign.pk), INSIDERS, 404),
        (x("submit", pk=pp.campaign.pk), EVERYONE, 200),
        (x("suggest", pk=pp.campaign.pk) + "?title=Geheimprojekt+Buergerbuero", EVERYONE, 200),
        (x("idea", pk=pp.idea.pk), EVERYONE, 200),
        (x("idea", pk=pp.staff_idea.pk), INSIDERS, 404),
        (x("idea", pk=pp.pending.pk), MANAGE, NOT_FOUND_FOR_ALL),
        (x("report", pk=pp.idea.pk), EVERYONE, 200),
        (x("manage", pk=pp.idea.pk), MANAGE, 403),
        (x("merge", pk=pp.idea.pk), MANAGE, 403),
        (x("idea_history", pk=pp.idea.pk), MANAGE, 403),
        (x("triage", pk=pp.campaign.pk), MANAGE, 403),
        (x("triage", pk=pp.campaign.pk) + "?view=board", MANAGE, 403),
        (x("triage", pk=pp.campaign.pk) + "?view=topics", MANAGE, 403),
        (x("to_project", pk=pp.campaign.pk), MANAGE, 403),
        (x("campaign_create"), MANAGE, 403),
        (x("campaign_edit", pk=pp.campaign.pk), MANAGE, 403),
        (x("campaign_history", pk=pp.campaign.pk), MANAGE, 403),
        (x("moderation"), MANAGE, 403),
        (x("log"), MANAGE, 403),
        (x("privacy") + "?email=buerger%40test.example", MANAGE, 403),
        (x("mine_link"), EVERYONE, 200),
        (x("project_ideas", pk=pw.internal.pk), INSIDERS, 404),
        (x("project_ideas", pk=pw.public.pk), EVERYONE, 200),
        (x("unit_ideas") + f"?unit={world.unit_a2.pk}", INSIDERS, 403),
        (x("poll", pk=pp.poll.pk), EVERYONE, 200),
        (x("poll_thanks", pk=pp.poll.pk), EVERYONE, 200),
        (x("poll_create"), MANAGE, 403),
        (x("poll_edit", pk=pp.poll.pk), MANAGE, 403),
        (x("questions", pk=pp.poll.pk), MANAGE, 403),
        (x("question_edit", pk=pp.question.pk), MANAGE, 403),
        (x("results", pk=pp.poll.pk), INSIDERS, 403),
        (x("export", pk=pp.poll.pk, fmt="csv"), INSIDERS, 403),
        (x("export", pk=pp.poll.pk, fmt="xlsx"), INSIDERS, 403),
    ]


# Records nobody but the allowed may know of, insiders included (e.g. ideas waiting for moderation).
NOT_FOUND_FOR_ALL = -404


def expected(key: str, allowed: set[str], otherwise: int, path: str) -> int:
    if key in allowed:
        return 200
    if otherwise == NOT_FOUND_FOR_ALL:
        return 404
    if otherwise == 404:
        # Insiders who may see the record but not do this get 403; others must not learn it exists.
        return 403 if key in INSIDERS else 404
    return 302 if key == "anonymous" else otherwise
