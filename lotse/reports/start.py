"""Where each person starts: the coordination's first steps, the editor's own projects, the council's report and
decisions, a pilot's units and training, a partner's shared projects. It reads from every room below, which is
why it lives here, in the reports room."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from lotse.ozg.models import OzgService, OzgStatus
from lotse.pilots.models import DigitalPilot, ModuleCompletion, Programme, Registration
from lotse.portfolio import selectors as portfolio
from lotse.portfolio.models import Project
from lotse.reports.models import Revision
from lotse.strategy.models import FieldOfAction
from lotse.tenancy.models import Invitation, JoinRequest, Membership, Municipality, OrgUnit, Role
from lotse.tenancy.selectors import role_in


@dataclass
class Step:
    key: str
    title: str
    text: str
    url: str
    action: str
    done: bool


def first_steps(municipality: Municipality) -> list[Step]:
    """The checklist a new municipality's coordination works through, each step with the page that does it."""
    m = {"municipality": municipality.slug}
    catalogue = OzgService.objects.exists()
    return [
        Step(
            "strategy",
            _("Strategie anlegen"),
            _("Leitbild und Handlungsfelder, z. B. die fünf Handlungsfelder der Vorlage mit einem Klick."),
            reverse("strategy:overview", kwargs=m),
            _("Zur Strategie"),
            FieldOfAction.objects.filter(municipality=municipality).exists(),
        ),
        Step(
            "units",
            _("Organisation erfassen"),
            _("Dezernate, Ämter und Stabsstellen – am schnellsten als Liste aus dem Organisationsplan."),
            reverse("tenancy:org_unit_import", kwargs=m),
            _("Einheiten einfügen"),
            OrgUnit.objects.filter(municipality=municipality).exists(),
        ),
        Step(
            "people",
            _("Kolleginnen und Kollegen einladen"),
            _("Projektleitungen, Digitallotsen und den Gemeinderat, jeweils mit ihrer Rolle."),
            reverse("tenancy:member_add", kwargs=m),
            _("Person einladen"),
            Membership.objects.filter(municipality=municipality).count() > 1
            or Invitation.objects.filter(municipality=municipality, accepted_at__isnull=True).exists(),
        ),
        Step(
            "projects",
            _("Projekte eintragen"),
            _("Einzeln oder die ganze Liste über die Excel-Vorlage."),
            reverse("portfolio:import", kwargs=m),
            _("Excel-Vorlage und Import"),
            Project.objects.filter(municipality=municipality).exists(),
        ),
        Step(
            "ozg",
            _("OZG-Leistungen einschätzen"),
            _("Für jede Leistung den Reifegrad 0 bis 4, auch mehrere auf einmal.")
            if catalogue
            else _("Der OZG-Katalog ist noch nicht geladen; die Plattform-Verwaltung lädt ihn."),
            reverse("ozg:list", kwargs=m),
            _("Zu den OZG-Leistungen"),
            OzgStatus.objects.filter(municipality=municipality).exists(),
        ),
        Step(
            "network",
            _("Einem Netzwerk beitreten"),
            _("Im Netzwerk sehen Sie, welche Kommunen schon an derselben Aufgabe arbeiten."),
            reverse("tenancy:network_list"),
            _("Netzwerke ansehen"),
            municipality.networks.exists()
            or JoinRequest.objects.filter(municipality=municipality, state=JoinRequest.State.PENDING).exists(),
        ),
    ]


@dataclass
class Start:
    role: str | None
    steps: list[Step] = field(default_factory=list)
    my_projects: list[Project] = field(default_factory=list)
    my_projects_url: str = ""
    reports_due: list[Any] = field(default_factory=list)
    council_year: int = 0
    decisions: list[Revision] = field(default_factory=list)
    pilot: DigitalPilot | None = None
    registrations: list[Registration] = field(default_factory=list)
    certificates: list[Programme] = field(default_factory=list)
    programmes: list[Programme] = field(default_factory=list)
    shared: list[Project] = field(default_factory=list)

    @property
    def steps_open(self) -> bool:
        return any(not s.done for s in self.steps)

    @property
    def steps_done(self) -> int:
        return sum(1 for s in self.steps if s.done)


MY_PROJECTS_SHOWN = 10


def start(municipality: Municipality, user: Any) -> Start:
    role = role_in(user, municipality)
    result = Start(role, council_year=date.today().year)
    if role == Role.COORDINATOR or (user.is_authenticated and user.is_platform_admin):
        result.steps = first_steps(municipality)
    if role == Role.EDITOR:
        mine = portfolio.filter_projects(
            Project.objects.filter(municipality=municipality), portfolio.mine_params(user, municipality)
        )
        result.my_projects = list(
            portfolio.project_list(mine, "end").exclude(status__in=portfolio.CLOSED_STATUSES)[:MY_PROJECTS_SHOWN]
        )
        result.my_projects_url = reverse("portfolio:list", kwargs={"municipality": municipality.slug}) + "?mine=on"
        every = portfolio.report_every_days(municipality.pk)
        result.reports_due = portfolio.overdue_reports(mine, every)
    if role == Role.READER:
        result.decisions = list(Revision.objects.filter(municipality=municipality).defer("snapshot")[:5])
    if role in (Role.EDITOR, Role.READER, Role.COORDINATOR):
        result.pilot = DigitalPilot.objects.filter(municipality=municipality, person=user).first()
    if result.pilot is not None:
        result.registrations = list(
            result.pilot.registrations.exclude(state=Registration.State.CANCELLED)
            .select_related("seminar__programme__network")
            .order_by("-seminar__starts_on")
        )
        result.programmes = list(Programme.objects.filter(network__members=municipality).select_related("network"))
        result.certificates = [p for p in result.programmes if _complete(result.pilot, p)]
    if role == Role.PARTNER:
        result.shared = list(Project.objects.filter(municipality=municipality, shared_with=user).order_by("title")[:50])
    return result


def _complete(pilot: DigitalPilot, programme: Programme) -> bool:
    modules = set(programme.modules.values_list("pk", flat=True))
    done = set(
        ModuleCompletion.objects.filter(pilot=pilot, module__programme=programme).values_list("module", flat=True)
    )
    return bool(modules) and modules <= done


@dataclass
class Platform:
    municipalities: int
    networks: int
    catalogue: int
    join_requests: list[JoinRequest]
    recent: list[Municipality]


def platform(user: Any) -> Platform:
    """The platform admin's start: the installation at a glance and the requests waiting for a decision."""
    from lotse.tenancy.models import Network

    return Platform(
        municipalities=Municipality.objects.count(),
        networks=Network.objects.count(),
        catalogue=OzgService.objects.count(),
        join_requests=list(
            JoinRequest.objects.filter(state=JoinRequest.State.PENDING).select_related("municipality", "network")[:20]
        ),
        recent=list(Municipality.objects.order_by("-created_at")[:5]),
    )
