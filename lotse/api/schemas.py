"""Shapes of the API's input and output. Strings that reach the database refuse NUL characters (PostgreSQL
cannot store them), and numbers in paths and pages have bounds, so odd input gets a 422, never a 500."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

NO_NUL = r"^[^\x00]*$"


def text(max_length: int) -> type[str]:
    return Annotated[str, StringConstraints(max_length=max_length, pattern=NO_NUL)]  # type: ignore[return-value]


Id = Annotated[int, Field(ge=1, le=2_147_483_647)]


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=500, description="Einträge je Seite (höchstens 500)")
    offset: int = Field(0, ge=0, le=10_000_000, description="Wie viele Einträge übersprungen werden")


class MeOut(Schema):
    email: str
    name: str
    scope: str
    memberships: dict[str, str] = Field(description="Kommune (Kürzel) → Rolle")


class MunicipalityOut(Schema):
    slug: str
    name: str
    kind: str
    role: str | None


class MunicipalityPage(Schema):
    count: int
    items: list[MunicipalityOut]


# --- Portfolio
class ProjectOut(Schema):
    key: str
    title: str
    summary: str
    description: str
    status: str
    funding: str
    visibility: str
    field_id: int | None
    field: str | None
    lead_unit_id: int | None
    lead_unit: str | None
    project_lead: str
    start_date: date | None
    end_date: date | None
    is_lighthouse: bool
    tags: list[str]
    goal_ids: list[int]
    ozg_ids: list[str]
    version: int
    updated_at: datetime
    url: str


class ProjectPage(Schema):
    count: int
    items: list[ProjectOut]


class ProjectIn(Schema):
    key: text(30) = ""  # type: ignore[valid-type]
    title: text(200)  # type: ignore[valid-type]
    summary: text(500) = ""  # type: ignore[valid-type]
    description: text(20_000) = ""  # type: ignore[valid-type]
    status: str = "idea"
    funding: str = "unfunded"
    visibility: str = "internal"
    field_id: Id | None = None
    lead_unit_id: Id | None = None
    project_lead: text(200) = ""  # type: ignore[valid-type]
    start_date: date | None = None
    end_date: date | None = None
    is_lighthouse: bool = False
    tags: list[text(60)] = []  # type: ignore[valid-type]


class ProjectPatch(Schema):
    version: int = Field(ge=1, le=2_147_483_647, description="Die Version, auf der die Änderung beruht")
    title: text(200) | None = None  # type: ignore[valid-type]
    summary: text(500) | None = None  # type: ignore[valid-type]
    description: text(20_000) | None = None  # type: ignore[valid-type]
    status: str | None = None
    funding: str | None = None
    visibility: str | None = None
    field_id: Id | None = None
    lead_unit_id: Id | None = None
    project_lead: text(200) | None = None  # type: ignore[valid-type]
    start_date: date | None = None
    end_date: date | None = None
    is_lighthouse: bool | None = None
    tags: list[text(60)] | None = None  # type: ignore[valid-type]


# --- Strategy
class ReadingOut(Schema):
    measured_on: date
    value: Decimal
    note: str


class IndicatorOut(Schema):
    id: int
    version: int
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    due_date: date | None
    readings: list[ReadingOut]


class GoalOut(Schema):
    id: int
    version: int
    title: str
    description: str
    field_id: int
    field: str
    indicators: list[IndicatorOut]


class GoalPage(Schema):
    count: int
    items: list[GoalOut]


class GoalIn(Schema):
    field_id: Id
    title: text(300)  # type: ignore[valid-type]
    description: text(20_000) = ""  # type: ignore[valid-type]


class GoalPatch(Schema):
    version: int = Field(ge=1, le=2_147_483_647)
    field_id: Id | None = None
    title: text(300) | None = None  # type: ignore[valid-type]
    description: text(20_000) | None = None  # type: ignore[valid-type]


Amount = Annotated[Decimal, Field(max_digits=14, decimal_places=2)]


class IndicatorIn(Schema):
    name: text(200)  # type: ignore[valid-type]
    unit: text(40) = ""  # type: ignore[valid-type]
    baseline: Amount
    target: Amount
    due_date: date | None = None


class IndicatorPatch(Schema):
    version: int = Field(ge=1, le=2_147_483_647)
    name: text(200) | None = None  # type: ignore[valid-type]
    unit: text(40) | None = None  # type: ignore[valid-type]
    baseline: Amount | None = None
    target: Amount | None = None
    due_date: date | None = None


class ReadingIn(Schema):
    measured_on: date
    value: Decimal = Field(max_digits=14, decimal_places=2)
    note: text(300) = ""  # type: ignore[valid-type]


# --- Participation
class IdeaOut(Schema):
    id: int
    campaign_id: int
    campaign: str
    title: str
    description: str
    status: str
    feedback: str
    publication: str
    field: str | None
    supporters: int
    comments: int
    project_keys: list[str]
    created_at: datetime
    version: int


class IdeaPage(Schema):
    count: int
    items: list[IdeaOut]


class IdeaPatch(Schema):
    version: int = Field(ge=1, le=2_147_483_647)
    status: str | None = None
    feedback: text(5000) | None = None  # type: ignore[valid-type]
    project_keys: list[text(30)] | None = None  # type: ignore[valid-type]


# --- OZG
class OzgStatusOut(Schema):
    ozg_id: str
    service: str
    topic: str
    maturity: int
    solution_name: str
    solution_url: str
    org_unit: str | None
    planned_date: date | None
    version: int | None


class OzgPage(Schema):
    count: int
    items: list[OzgStatusOut]


class OzgStatusIn(Schema):
    version: int | None = Field(None, ge=1, le=2_147_483_647, description="Pflicht, wenn es schon einen Stand gibt")
    maturity: int = Field(ge=0, le=4)
    org_unit_id: Id | None = Field(
        None, description="Zuständige Organisationseinheit; Bearbeiter*innen nur eine eigene (leer: unverändert)"
    )
    solution_name: text(200) = ""  # type: ignore[valid-type]
    solution_url: text(200) = ""  # type: ignore[valid-type]
    planned_date: date | None = None


# --- Pilots
class PilotOut(Schema):
    id: int
    version: int
    org_unit_ids: list[int]
    name: str
    email: str
    phone: str
    topics: str
    since: date | None
    org_units: list[str]


class PilotPage(Schema):
    count: int
    items: list[PilotOut]


class PilotIn(Schema):
    email: text(254)  # type: ignore[valid-type]
    org_unit_ids: list[Id] = Field(min_length=1)
    topics: text(300) = ""  # type: ignore[valid-type]
    phone: text(40) = ""  # type: ignore[valid-type]
    since: date | None = None


class PilotPatch(Schema):
    version: int = Field(ge=1, le=2_147_483_647)
    org_unit_ids: list[Id] | None = None
    topics: text(300) | None = None  # type: ignore[valid-type]
    phone: text(40) | None = None  # type: ignore[valid-type]
    since: date | None = None


# --- Reuse: the solution registry, the towns' uses, adoptions
SolutionKindIn = Literal["efa", "open_source", "product", "service", "process"]
UseStatusIn = Literal["interested", "planned", "introducing", "operating", "replaced"]
VisibilityIn = Literal["internal", "network", "public"]


class SolutionOut(Schema):
    id: int
    version: int
    name: str
    kind: str
    summary: str
    provider: str
    provider_kind: str
    licence: str = Field(description="SPDX-Lizenzausdruck; leer bei proprietärer Software")
    repository_url: str
    website_url: str
    cost_model: str
    ozg_ids: list[str]
    users: int = Field(description="Kommunen mit einer Nutzung (ohne „abgelöst“), soweit für den Zugang sichtbar")


class SolutionPage(Schema):
    count: int
    items: list[SolutionOut]


class SolutionIn(Schema):
    name: text(200) = Field(min_length=1)  # type: ignore[valid-type]
    kind: SolutionKindIn
    summary: text(300) = ""  # type: ignore[valid-type]
    provider: text(200) = ""  # type: ignore[valid-type]
    licence: text(100) = Field("", description="SPDX-Lizenzausdruck, z. B. EUPL-1.2")  # type: ignore[valid-type]
    repository_url: text(200) = ""  # type: ignore[valid-type]
    website_url: text(200) = ""  # type: ignore[valid-type]
    ozg_ids: list[text(20)] = Field(default_factory=list, max_length=100)  # type: ignore[valid-type]


class UseOut(Schema):
    municipality: str = Field(description="Kürzel der Kommune")
    solution_id: int
    status: str
    since: date | None
    experience: str
    visibility: str
    ozg_ids: list[str]
    version: int


class UseIn(Schema):
    version: int | None = Field(None, ge=1, le=2_147_483_647, description="Pflicht, wenn es schon eine Nutzung gibt")
    status: UseStatusIn
    since: date | None = None
    experience: text(5000) = ""  # type: ignore[valid-type]
    visibility: VisibilityIn = "network"


class SolutionDetail(SolutionOut):
    uses: list[UseOut]


class AdoptionOut(Schema):
    project_key: str
    project_title: str
    origin_title: str
    origin_municipality: str
    origin_url: str | None = Field(description="Adresse des Vorbilds, wenn es für den Zugang sichtbar ist")
    solution_id: int | None
    adopted_at: datetime
    saved_staff_fte: Decimal
    saved_budget: Decimal


class AdoptionPage(Schema):
    count: int
    items: list[AdoptionOut]


class InterestIn(Schema):
    project_municipality: str = Field(
        max_length=80, pattern=r"^[-a-zA-Z0-9_]+$", description="Kurzname der Kommune des Projekts"
    )
    project_key: text(40) = Field(min_length=1, description="Projektschlüssel")  # type: ignore[valid-type]
    note: text(2000) = ""  # type: ignore[valid-type]


class InterestOut(Schema):
    municipality: str = Field(description="die interessierte Kommune (Kürzel)")
    project_municipality: str
    project_key: str
    project_title: str
    note: str
    created_at: datetime


class InterestPage(Schema):
    count: int
    items: list[InterestOut]
