"""The standing world every test can use: municipality A (with B in its network, C outside), one user per
role, and shareable notes of every visibility."""

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest

from lotse.tenancy.models import Membership, Municipality, OrgUnit, Role, Visibility
from tests.factories import MunicipalityFactory, NetworkFactory, OrgUnitFactory, UserFactory
from tests.shareable.models import Note


@dataclass
class World:
    a: Municipality
    b: Municipality
    c: Municipality
    unit_a1: OrgUnit
    unit_a1_sub: OrgUnit
    unit_a2: OrgUnit
    unit_b: OrgUnit
    users: dict[str, Any]
    notes: dict[str, Note]


def build_world() -> World:
    a = MunicipalityFactory.create(name="Astadt", slug="astadt", ars="089990000011")
    b = MunicipalityFactory.create(name="Bdorf", slug="bdorf", kind=Municipality.Kind.MUNICIPALITY)
    c = MunicipalityFactory.create(name="Cburg", slug="cburg")
    network = NetworkFactory.create(name="Verbund AB", slug="verbund-ab")
    network.members.set([a, b])
    unit_a1 = OrgUnitFactory.create(municipality=a, name="Bürgeramt A", short_name="Amt 32")
    unit_a1_sub = OrgUnitFactory.create(municipality=a, name="Bürgerbüro A", parent=unit_a1, kind=OrgUnit.Kind.SECTION)
    unit_a2 = OrgUnitFactory.create(municipality=a, name="Bauamt A", short_name="Amt 63")
    unit_b = OrgUnitFactory.create(municipality=b, name="Hauptamt B")

    users: dict[str, Any] = {"anonymous": None, "admin": UserFactory.create(email="admin@test.example", admin=True)}

    def member(key: str, municipality: Municipality, role: str, units: tuple[OrgUnit, ...] = ()) -> None:
        user = UserFactory.create(email=f"{key}@test.example", last_name=key.replace("_", " ").title())
        membership = Membership.objects.create(user=user, municipality=municipality, role=role)
        membership.org_units.set(units)
        users[key] = user

    member("coordinator_a", a, Role.COORDINATOR)
    member("editor_a", a, Role.EDITOR, (unit_a1,))
    member("reader_a", a, Role.READER)
    member("partner_a", a, Role.PARTNER)
    member("coordinator_b", b, Role.COORDINATOR)
    member("coordinator_c", c, Role.COORDINATOR)
    users["outsider"] = UserFactory.create(email="outsider@test.example")

    notes = {
        "a_internal_unit1": Note.objects.create(municipality=a, title="A intern Bürgerbüro", org_unit=unit_a1_sub),
        "a_internal_unit2": Note.objects.create(municipality=a, title="A intern Bauamt", org_unit=unit_a2),
        "a_network": Note.objects.create(municipality=a, title="A im Netzwerk", visibility=Visibility.NETWORK),
        "a_public": Note.objects.create(municipality=a, title="A öffentlich", visibility=Visibility.PUBLIC),
        "a_shared": Note.objects.create(municipality=a, title="A für Partner"),
        "b_internal": Note.objects.create(municipality=b, title="B intern", org_unit=unit_b),
        "c_network": Note.objects.create(municipality=c, title="C im Netzwerk", visibility=Visibility.NETWORK),
    }
    notes["a_shared"].shared_with.add(users["partner_a"])
    return World(a, b, c, unit_a1, unit_a1_sub, unit_a2, unit_b, users, notes)


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


@pytest.fixture
def client_for(client: Any) -> Any:
    """Log a standing user into the test client: `client_for(world.users["reader_a"])`."""

    def login(user: Any) -> Any:
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _fresh_network_index():
    """The synergy index lives in the process; each test's database reuses ids, so each test starts without it."""
    from lotse.synergy import ranker
    from lotse.synergy.index import NETWORK

    NETWORK.reset()
    ranker.forget()
    yield
    NETWORK.reset()
    ranker.forget()


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Rate-limit counters and the ideas' similarity indexes live in the cache and the process; a test must not
    inherit another test's."""
    from django.core.cache import cache

    from lotse.participation.selectors import reset_cache

    cache.clear()
    reset_cache()
    yield
    reset_cache()


CHROMIUM = os.environ.get("LOTSE_CHROMIUM", "/usr/bin/chromium")
REQUIRED = os.environ.get("LOTSE_REQUIRE_BROWSER", "") not in ("", "0", "false")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if REQUIRED:
            pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium); browser tests are required")
        pytest.skip(f"Chromium not found at {CHROMIUM}: browser tests skipped (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """`@pytest.mark.ci_once("postgresql")`: in CI, which runs the suite on SQLite and on PostgreSQL, the test
    runs in that database's pass only (benchmark-like tests, and checks of pages that no database changes)."""
    if os.environ.get("CI", "") in ("", "0", "false"):
        return
    from django.db import connection

    vendor = connection.vendor
    for item in items:
        marker = item.get_closest_marker("ci_once")
        if marker and marker.args[0] != vendor:
            item.add_marker(pytest.mark.skip(reason=f"in CI this runs in the {marker.args[0]} pass only"))


URL_IN_TEXT = re.compile(r"https?://[^\s<>\"')]+")


@pytest.fixture(autouse=True)
def _links_in_emails_lead_somewhere(settings: Any) -> Iterator[None]:
    """Every e-mail a test made links to this installation's address (LOTSE_BASE_URL), and each of those links
    resolves to a page of Lotse: a mail never points to another server's port or to a page that is gone."""
    from django.core import mail
    from django.urls import Resolver404, resolve

    yield
    base = urlsplit(settings.LOTSE_BASE_URL)
    problems = []
    for message in getattr(mail, "outbox", []):
        for url in URL_IN_TEXT.findall(message.body):
            parts = urlsplit(url.rstrip(".,;:"))
            if parts.netloc not in (base.netloc, "testserver"):
                if parts.hostname in ("127.0.0.1", "localhost"):
                    problems.append(f"{message.subject}: {url} is not the installation's address {base.netloc}")
                continue
            try:
                resolve(parts.path)
            except Resolver404:
                problems.append(f"{message.subject}: {url} leads nowhere")
    assert not problems, problems
