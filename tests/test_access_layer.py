"""Access as a guarantee of the code's structure (issue 18).

1. The generated permission matrix: every registered permission × every person of the standing world (each role,
   own and other town, network and programme operators) × every kind of record it applies to (visibility, partner
   share, unit, audience, publication, federated copy). The expected decision comes from one table written in
   the words of docs/permissions.md, not from the predicates; the object rule and, where the model has one, the
   restricted queryset (GET: "view", POST: "manage") are both checked against it.
2. Views look tenant records up only through the restricted layer, refuse in one way and read a typed request.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from rules.permissions import permissions

from lotse.ozg.models import OzgLifeSituation, OzgService, OzgStatus, OzgTopic, Process
from lotse.participation.models import Audience, Campaign, Idea, Poll, Publication
from lotse.pilots import services as pilots
from lotse.pilots.models import Programme
from lotse.portfolio import services as portfolio
from lotse.portfolio.models import Project
from lotse.reuse.models import Solution
from lotse.strategy.models import Strategy
from lotse.tenancy.models import Membership, Network, OrgUnit, Role, Visibility
from tests.factories import MunicipalityFactory, NetworkFactory, UserFactory

LOTSE = Path(__file__).resolve().parent.parent / "lotse"

# --- who is who in the world (tests/conftest.py), plus the operators this test adds --------------------------

ROLES = {
    "coordinator_a": ("a", Role.COORDINATOR),
    "editor_a": ("a", Role.EDITOR),
    "reader_a": ("a", Role.READER),
    "partner_a": ("a", Role.PARTNER),
    "coordinator_b": ("b", Role.COORDINATOR),
    "coordinator_c": ("c", Role.COORDINATOR),
}
EDITS = {"editor_a": {"unit_a1", "unit_a1_sub"}}  # an editor's unit and the units below it
NETWORKS = {"verbund-ab": {"a", "b"}, "verbund-c": {"c"}}
OPERATES_NETWORK = {"network_operator": {"verbund-ab"}}
RUNS_PROGRAMME = {"programme_operator": {"verbund-ab"}}
STAFF = {Role.COORDINATOR, Role.EDITOR, Role.READER}
ADDERS = {Role.COORDINATOR, Role.EDITOR}
PEOPLE = [
    "anonymous",
    "admin",
    *ROLES,
    "outsider",
    "network_operator",
    "programme_operator",
]


@dataclass
class Target:
    """A record (or town, network, programme) and the facts the table decides on."""

    label: str
    obj: Any
    town: str = ""
    units: set[str] = field(default_factory=set)
    visibility: str = Visibility.INTERNAL
    shared: bool = False
    local: bool = True
    published: bool = True
    public_audience: bool = True
    publication: str = Publication.PUBLISHED
    network: str = ""
    has_strategy: bool = True


def role(u: str, t: Target) -> str | None:
    town, r = ROLES.get(u, ("", None))
    return r if town and town == t.town else None


def admin(u: str, t: Target) -> bool:
    return u == "admin"


def manager(u: str, t: Target) -> bool:
    return admin(u, t) or role(u, t) == Role.COORDINATOR


def adder(u: str, t: Target) -> bool:
    return manager(u, t) or role(u, t) == Role.EDITOR


def changer(u: str, t: Target) -> bool:
    return manager(u, t) or (role(u, t) == Role.EDITOR and bool(t.units & EDITS.get(u, set())))


def insider(u: str, t: Target) -> bool:
    return admin(u, t) or role(u, t) in STAFF


def member(u: str, t: Target) -> bool:
    return admin(u, t) or role(u, t) is not None


def _peer(u: str, town: str) -> bool:
    """Staff of another town in a network with `town`."""
    mine, r = ROLES.get(u, ("", None))
    return r in STAFF and mine != town and any({mine, town} <= towns for towns in NETWORKS.values())


def visible(u: str, t: Target) -> bool:
    if t.visibility == Visibility.PUBLIC or insider(u, t):
        return True
    if t.visibility == Visibility.NETWORK and _peer(u, t.town):
        return True
    return role(u, t) == Role.PARTNER and t.shared


def contact(u: str, t: Target) -> bool:
    return u != "anonymous" and visible(u, t)


def change_local(u: str, t: Target) -> bool:
    return changer(u, t) and t.local


def offering(u: str, t: Target) -> bool:
    return manager(u, t) or (t.published and (t.public_audience or insider(u, t)))


def idea(u: str, t: Target) -> bool:
    return manager(u, t) or (t.publication == Publication.PUBLISHED and offering(u, t))


def strategy(u: str, t: Target) -> bool:
    return visible(u, t) if t.has_strategy else insider(u, t)


def assess(u: str, t: Target) -> bool:
    return manager(u, t) or (role(u, t) == Role.EDITOR and bool(t.units & EDITS.get(u, set())))


def _member_staff(u: str, t: Target) -> bool:
    mine, r = ROLES.get(u, ("", None))
    return r in STAFF and mine in NETWORKS[t.network]


def _network_operator(u: str, t: Target) -> bool:
    return t.network in OPERATES_NETWORK.get(u, set()) | RUNS_PROGRAMME.get(u, set())


def network_admin(u: str, t: Target) -> bool:
    return admin(u, t) or t.network in OPERATES_NETWORK.get(u, set())


def programme_operator(u: str, t: Target) -> bool:
    return admin(u, t) or t.network in RUNS_PROGRAMME.get(u, set())


def coverage(u: str, t: Target) -> bool:
    return admin(u, t) or _member_staff(u, t) or _network_operator(u, t)


def programme_view(u: str, t: Target) -> bool:
    return admin(u, t) or _member_staff(u, t) or t.network in RUNS_PROGRAMME.get(u, set())


def community_post(u: str, t: Target) -> bool:
    """The board is the members' and the operators': a platform admin outside the network only moderates."""
    return _member_staff(u, t) or _network_operator(u, t)


def community_moderate(u: str, t: Target) -> bool:
    return admin(u, t) or _network_operator(u, t)


# --- the one table: every registered permission, what it is asked about and who holds it ------------------------

Who = Callable[[str, Target], bool]
TABLE: dict[str, tuple[str, Who]] = {
    "tenancy.view_municipality_internal": ("towns", insider),
    "tenancy.change_municipality": ("towns", manager),
    "tenancy.view_orgunit": ("units", insider),
    "tenancy.add_orgunit": ("towns", manager),
    "tenancy.change_orgunit": ("units", manager),
    "tenancy.delete_orgunit": ("units", manager),
    "tenancy.view_membership": ("towns", insider),
    "tenancy.manage_membership": ("towns", manager),
    "tenancy.view_history": ("towns", insider),
    "tenancy.restore_version": ("towns", manager),
    "tenancy.add_municipality": ("installation", admin),
    "tenancy.add_network": ("installation", admin),
    "tenancy.change_network": ("networks", network_admin),
    "tenancy.request_join": ("towns", manager),
    "strategy.view_strategy": ("strategies", strategy),
    "strategy.change_strategy": ("towns", manager),
    "strategy.view_history": ("towns", insider),
    "strategy.restore_version": ("towns", manager),
    "portfolio.view_project": ("projects", visible),
    "portfolio.add_project": ("towns", adder),
    "portfolio.change_project": ("projects", change_local),
    "portfolio.delete_project": ("projects", manager),
    "portfolio.view_history": ("projects", insider),
    "portfolio.restore_version": ("projects", manager),
    "portfolio.view_priorities": ("towns", insider),
    "portfolio.view_capacity": ("towns", insider),
    "portfolio.manage_portfolio": ("towns", manager),
    "portfolio.import_projects": ("towns", manager),
    "synergy.decide_pair": ("projects", changer),
    "synergy.contact_project": ("projects", contact),
    "ozg.view_status": ("statuses", insider),
    "ozg.change_status": ("statuses", changer),
    "ozg.add_status": ("towns", adder),
    "ozg.bulk_edit": ("towns", manager),
    "ozg.manage_sharing": ("towns", manager),
    "ozg.view_network": ("towns", insider),
    "ozg.view_process": ("processes", insider),
    "ozg.add_process": ("towns", adder),
    "ozg.change_process": ("processes", changer),
    "ozg.delete_process": ("processes", manager),
    "ozg.view_history": ("statuses", insider),
    "ozg.load_catalogue": ("installation", admin),
    "participation.view_campaign": ("campaigns", offering),
    "participation.manage_campaign": ("campaigns", manager),
    "participation.moderate": ("campaigns", manager),
    "participation.view_personal_data": ("towns", manager),
    "participation.view_idea": ("ideas", idea),
    "participation.view_poll": ("polls", offering),
    "participation.manage_poll": ("polls", manager),
    "participation.view_results": ("polls", insider),
    "participation.view_unit_ideas": ("towns", insider),
    "pilots.view_pilot": ("pilots", insider),
    "pilots.manage_pilot": ("pilots", manager),
    "pilots.view_history": ("pilots", insider),
    "pilots.view_coverage": ("networks", coverage),
    "pilots.view_programme": ("programmes", programme_view),
    "pilots.manage_programme": ("programmes", programme_operator),
    "pilots.setup_programme": ("networks", network_admin),
    "pilots.view_community": ("networks", coverage),
    "pilots.post_community": ("networks", community_post),
    "pilots.moderate_community": ("networks", community_moderate),
    "reuse.add_solution": ("installation", lambda u, t: admin(u, t) or ROLES.get(u, ("", None))[1] in ADDERS),
    "reuse.change_solution": ("solutions", manager),  # the coordination of the town that registered it
    "reuse.record_use": ("towns", adder),
    "reuse.declare_interest": ("towns", adder),
    "reports.view_dashboard": ("towns", insider),
    "reports.view_start": ("towns", member),
    "reports.edit_template": ("towns", manager),
    "reports.freeze_revision": ("towns", manager),
    "reports.manage_waves": ("towns", manager),
    "reports.assess_unit": ("units", assess),
}

# The restricted querysets and the permission each stands for: GET reads with "view", POST changes with "manage".
RESTRICTED = {
    "portfolio.view_project": "view",
    "portfolio.delete_project": "manage",
    "ozg.view_status": "view",
    "ozg.view_process": "view",
    "ozg.delete_process": "manage",
    "strategy.view_strategy": "view",
    "participation.view_campaign": "view",
    "participation.manage_campaign": "manage",
    "participation.view_poll": "view",
    "participation.manage_poll": "manage",
    "participation.view_idea": "view",
    "tenancy.view_orgunit": "view",
    "tenancy.change_orgunit": "manage",
    "pilots.view_pilot": "view",
    "pilots.manage_pilot": "manage",
}


@pytest.fixture
def matrix(world: Any) -> tuple[dict[str, Any], dict[str, list[Target]]]:
    users = dict(world.users)
    ab = world.a.networks.get()
    c_net = NetworkFactory.create(name="Verbund C", slug="verbund-c")
    c_net.members.set([world.c])
    users["network_operator"] = UserFactory.create(email="netz@test.example")
    ab.operators.add(users["network_operator"])
    users["programme_operator"] = UserFactory.create(email="programm@test.example")
    programme_ab = Programme.objects.create(network=ab, name="Lotsenprogramm AB")
    programme_ab.operators.add(users["programme_operator"])
    programme_c = Programme.objects.create(network=c_net, name="Lotsenprogramm C")
    towns = {"a": world.a, "b": world.b, "c": world.c}
    units = {"unit_a1": world.unit_a1, "unit_a1_sub": world.unit_a1_sub, "unit_a2": world.unit_a2}
    units["unit_b"] = world.unit_b
    unit_town = {"unit_a1": "a", "unit_a1_sub": "a", "unit_a2": "a", "unit_b": "b"}
    admin_user = users["admin"]

    def new_project(town: str, title: str, visibility: str, unit: str = "", **extra: Any) -> Target:
        obj = portfolio.project_save(
            None,
            user=admin_user,
            municipality=towns[town],
            data={"title": title, "visibility": visibility, "lead_unit": units.get(unit), **extra},
        )
        return Target(title, obj, town, {unit} if unit else set(), visibility)

    projects = [new_project(t, f"{t}-{v}", v) for t in towns for v in Visibility.values]
    projects += [
        new_project("a", "a-intern-Bürgerbüro", Visibility.INTERNAL, "unit_a1_sub"),
        new_project("a", "a-intern-Bauamt", Visibility.INTERNAL, "unit_a2"),
        new_project("b", "b-intern-Hauptamt", Visibility.INTERNAL, "unit_b"),
    ]
    shared = new_project("a", "a-für-Partner", Visibility.INTERNAL)
    shared.obj.shared_with.add(users["partner_a"])
    shared.shared = True
    copy = new_project("a", "a-Kopie", Visibility.NETWORK, "unit_a1")
    Project.objects.filter(pk=copy.obj.pk).update(source_url="https://andere.example/p/1")
    copy.obj.refresh_from_db()
    copy.local = False
    projects += [shared, copy]

    situation = OzgLifeSituation.objects.create(topic=OzgTopic.objects.create(name="Thema"), name="Lage")
    services = [
        OzgService.objects.create(ozg_id=f"M-{n}", name=f"Leistung {n}", life_situation=situation) for n in range(3)
    ]
    statuses, processes = [], []
    for n, unit in enumerate(("unit_a1_sub", "unit_a2", "unit_b")):
        town = towns[unit_town[unit]]
        status = OzgStatus.objects.create(municipality=town, service=services[n], org_unit=units[unit], maturity=1)
        statuses.append(Target(f"status-{unit}", status, unit_town[unit], {unit}))
        process = Process.objects.create(municipality=town, org_unit=units[unit], name=unit)
        processes.append(Target(f"process-{unit}", process, unit_town[unit], {unit}))

    Strategy.objects.create(municipality=world.a, title="A", visibility=Visibility.INTERNAL)
    Strategy.objects.create(municipality=world.b, title="B", visibility=Visibility.PUBLIC)
    strategies = [
        Target("strategy-a", Strategy.objects.get(municipality=world.a), "a"),
        Target("strategy-b", Strategy.objects.get(municipality=world.b), "b", visibility=Visibility.PUBLIC),
        Target("town-c-without-strategy", world.c, "c", has_strategy=False),
    ]

    today = date.today()
    span = {"starts_on": today - timedelta(days=1), "ends_on": today + timedelta(days=5)}
    campaigns, polls, ideas = [], [], []
    for town in ("a", "b"):
        for audience in Audience.values:
            for published in (True, False):
                facts: dict[str, Any] = {"published": published, "public_audience": audience == Audience.PUBLIC}
                values = {"municipality": towns[town], "audience": audience, "published": published, **span}
                label = f"{town}-{audience}-{'published' if published else 'draft'}"
                campaign = Campaign.objects.create(title=label, **values)
                campaigns.append(Target(label, campaign, town, **facts))
                polls.append(Target(label, Poll.objects.create(title=label, **values), town, **facts))
                for publication in Publication.values:
                    record = Idea.objects.create(
                        municipality=towns[town],
                        campaign=campaign,
                        title=f"{label}-{publication}",
                        publication=publication,
                    )
                    ideas.append(Target(record.title, record, town, publication=publication, **facts))

    person = UserFactory.create(email="lotsin@test.example")
    Membership.objects.create(user=person, municipality=world.a, role=Role.READER)
    pilot = pilots.pilot_save(
        None, user=admin_user, municipality=world.a, person=person, data={}, org_units=[world.unit_a2]
    )

    targets = {
        "installation": [Target("installation", None)],
        "solutions": [
            Target(f"solution-{k}", Solution.objects.create(name=f"Lösung {k}", kind="service", registered_in=v), k)
            for k, v in towns.items()
        ],
        "towns": [Target(k, v, k) for k, v in towns.items()],
        "units": [Target(k, v, unit_town[k], {k}) for k, v in units.items()],
        "projects": projects,
        "statuses": statuses,
        "processes": processes,
        "strategies": strategies,
        "campaigns": campaigns,
        "polls": polls,
        "ideas": ideas,
        "pilots": [Target("pilot-a", pilot, "a"), Target("town-b", world.b, "b")],
        "networks": [Target("verbund-ab", ab, network="verbund-ab"), Target("verbund-c", c_net, network="verbund-c")],
        "programmes": [
            Target("programme-ab", programme_ab, network="verbund-ab"),
            Target("programme-c", programme_c, network="verbund-c"),
        ],
    }
    return users, targets


def test_the_table_names_every_registered_permission() -> None:
    """A new permission without a line in the table fails here, so the matrix always covers all of them."""
    registered = {p for p in permissions if not p.startswith("shareable.")}  # the test app's, in test_permissions
    assert set(TABLE) == registered, sorted(set(TABLE) ^ registered)


def test_every_person_of_the_world_is_in_the_matrix(matrix: Any) -> None:
    users, _targets = matrix
    assert set(users) == set(PEOPLE)


@pytest.mark.parametrize("app", sorted({perm.split(".")[0] for perm in TABLE}))
def test_the_object_rules_decide_as_the_table_says(matrix: Any, app: str) -> None:
    users, targets = matrix
    wrong = []
    for perm, (kind, who) in TABLE.items():
        if not perm.startswith(f"{app}."):
            continue
        for key in PEOPLE:
            user = users[key] or AnonymousUser()
            for target in targets[kind]:
                # The platform admin is a superuser: Django grants every permission before a rule is asked (what
                # nobody may do, such as changing a federated copy, the views and services refuse themselves).
                allowed = key == "admin" or who(key, target)
                if user.has_perm(perm, target.obj) != allowed:
                    wrong.append((perm, key, target.label, allowed))
    assert wrong == []


def test_the_restricted_querysets_decide_as_the_table_says(matrix: Any) -> None:
    """GET reads through `restrict(user)`, POST changes through `restrict(user, action="manage")`: both keep
    exactly the records the table allows."""
    users, targets = matrix
    checked, wrong = set(), []
    for perm, action in RESTRICTED.items():
        kind, who = TABLE[perm]
        records = [t for t in targets[kind] if hasattr(type(t.obj), "restriction")]
        model = type(records[0].obj)
        for key in PEOPLE:
            shown = set(model.objects.restrict(users[key], action=action).values_list("pk", flat=True))
            for target in records:
                if (target.obj.pk in shown) != who(key, target):
                    wrong.append((perm, action, key, target.label))
        checked.add((model.__name__, action))
    assert wrong == []
    # Both sides of every room with restricted records are covered, not only the easy ones.
    expected = {
        ("Project", "view"),
        ("Project", "manage"),
        ("OzgStatus", "view"),
        ("Process", "view"),
        ("Process", "manage"),
        ("Strategy", "view"),
        ("Campaign", "view"),
        ("Campaign", "manage"),
        ("Poll", "view"),
        ("Poll", "manage"),
        ("Idea", "view"),
        ("OrgUnit", "view"),
        ("OrgUnit", "manage"),
        ("DigitalPilot", "view"),
        ("DigitalPilot", "manage"),
    }
    assert expected <= checked, expected - checked


# --- the structure: views through the restricted layer, one way to refuse, a typed request -----------------------


def _view_sources() -> list[Path]:
    return sorted([*LOTSE.glob("*/*views.py"), *LOTSE.glob("api/routes/*.py")])


def _restricted_models() -> set[str]:
    return {m.__name__ for m in apps.get_models() if hasattr(m, "restriction")}


# Models with a municipality that have no restricted manager, and why views may read them directly.
UNRESTRICTED = {
    "Invitation": "read only by its secret token or by the coordination after tenancy.manage_membership",
    "JoinRequest": "a network's; read after tenancy.change_network",
    "OzgSharing": "one setting per town, read after ozg.view_network",
    "OzgProgress": "figures written by the OZG services, read through ozg.selectors",
    "Participant": "personal data, read by the person themself or after participation.view_personal_data",
    "AbuseReport": "read after participation.moderate",
    "ModerationEntry": "read after participation.moderate",
}


def test_every_model_of_a_town_is_restricted_or_says_why_not() -> None:
    owned = {
        m.__name__
        for m in apps.get_models()
        if any(f.name == "municipality" for f in m._meta.fields)
        and not m.__name__.startswith("Historical")
        and m._meta.app_label != "shareable"
    }
    assert owned - _restricted_models() == set(UNRESTRICTED)


# Direct reads a reviewer accepted, each with its reason; anything else fails the test below.
DIRECT_READS = {
    "api/routes/accounts.py": ("Membership.objects.filter(user=user)", "the caller's own memberships"),
    "api/routes/portfolio.py": (
        'OzgStatus.objects.select_related("service")',
        "prefetched below projects_visible(); only the service ids of a visible project leave",
    ),
    "api/routes/strategy.py": (
        'IndicatorReading.objects.order_by("measured_on")',
        "prefetched below restricted indicators: a reading is seen with its indicator",
    ),
}


def test_views_look_tenant_records_up_only_through_the_restricted_layer() -> None:
    """`Model.objects.restrict(...)` or `get_for_user(...)`; never `Model.objects.filter/get` or
    `get_object_or_404(Model, ...)` for a restricted model, in any view module or API route."""
    names = "|".join(sorted(_restricted_models()))
    offenders = []
    for path in _view_sources():
        text = path.read_text()
        for match in re.finditer(rf"\b({names})\.objects\.(?!restrict\()(\w+)", text):
            line = text[: match.start()].count("\n") + 1
            rest = text[match.end() : text.find("\n", match.end())]
            # A queryset handed straight to get_for_user is restricted there.
            before = text[max(0, match.start() - 60) : match.start()]
            if "get_for_user(" in before.split("\n")[-1] or re.search(r"get_for_user\(\s*request,\s*$", before):
                continue
            where = str(path.relative_to(LOTSE))
            accepted = DIRECT_READS.get(where, ("\0", ""))[0]
            if text.startswith(accepted, match.start()):
                continue
            offenders.append(f"{where}:{line}: {match.group(0)}{rest[:40]}")
        for match in re.finditer(rf"get_object_or_404\(\s*({names})\b(?!\.objects\.restrict)", text):
            offenders.append(f"{path.relative_to(LOTSE)}: get_object_or_404({match.group(1)}")
    assert offenders == []


def test_views_refuse_in_one_way() -> None:
    """Every refusal raises PermissionDenied (core.views.require or get_for_user); Django's handler403
    (core.views.permission_denied) answers it: the login page for visitors, the 403 page for everyone else."""
    offenders = []
    for path in sorted(LOTSE.glob("**/*.py")):
        text = path.read_text()
        for pattern in (r'"403\.html"', r"status=403", r"HttpResponseForbidden"):
            for match in re.finditer(pattern, text):
                where = f"{path.relative_to(LOTSE)}:{text[: match.start()].count(chr(10)) + 1}"
                if where.startswith("core/views.py") and "def permission_denied" in text[: match.start()][-600:]:
                    continue
                offenders.append(where)
    assert offenders == []
    from lotse import urls

    assert urls.handler403 == "lotse.core.views.permission_denied"


def test_views_read_the_municipality_from_a_typed_request() -> None:
    offenders = [
        f"{path.relative_to(LOTSE)}:{n}"
        for path in sorted(LOTSE.glob("**/*.py"))
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"request\.(municipality|role)\b.*type: ignore", line)
    ]
    assert offenders == []


def test_a_refusal_sends_visitors_to_the_login_and_shows_members_the_403_page(world: Any, client_for: Any) -> None:
    path = "/m/astadt/projects/priorities/"
    response = client_for(None).get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = client_for(world.users["partner_a"]).get(path)
    assert response.status_code == 403
    assert "Kein Zugriff" in response.content.decode()


def test_a_new_town_is_invisible_to_the_matrix_people_until_they_belong_to_it(matrix: Any) -> None:
    """The table's "other town" is not only B and C: a town nobody was set up for is closed to all but the admin."""
    users, _targets = matrix
    fresh = MunicipalityFactory.create(name="Neustadt", slug="neustadt")
    OrgUnit.objects.create(municipality=fresh, name="Hauptamt")
    for key in PEOPLE:
        shown = OrgUnit.objects.restrict(users[key], fresh)
        assert shown.exists() == (key == "admin"), key
        assert (users[key] or AnonymousUser()).has_perm("portfolio.view_priorities", fresh) == (key == "admin")
    assert Network.objects.count() == 2
