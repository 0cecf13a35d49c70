"""Tests on the demo, as a new user of `make demo` meets it: loaded once for this whole package, served by its own
live server, flushed afterwards. Tests here must leave the demo usable for the next one: they create their own
records and change only what they created (or change it the way any visitor could)."""

import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    slots = [i for i, item in enumerate(items) if "tests/demo/" in str(item.fspath)]
    for i in slots:
        if str(items[i].fspath).endswith("_browser.py"):
            items[i].add_marker(pytest.mark.browser)
    # The checks of the demo as `make demo` loads it (tests/demo/test_data.py) run before the flows that add
    # records to it (a pilot, a project), whatever order or selection the tests were started in.
    demo = sorted((items[i] for i in slots), key=lambda item: not str(item.fspath).endswith("test_data.py"))
    for i, item in zip(slots, demo, strict=True):
        items[i] = item


DEMO_PASSWORD = "lotse-demo-2026"
DEMO_LOGINS = {
    "anonymous": None,
    "coordinator": "cdo@musterstadt.example",
    "editor": "projektleitung@musterstadt.example",
    "council": "gemeinderat@musterstadt.example",
    "partner": "partner@regio-it.example",
    "pilot": "greta.neumann@musterstadt.example",
    "academy": "akademie@landesprogramm.example",
    "admin": "admin@lotse.example",
}


@pytest.fixture(scope="package")
def demo_site(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    """The demo and a live server for it, once for the package."""
    import io

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        created = None
        if connection.settings_dict["NAME"] != connection.creation._get_test_db_name():  # type: ignore[attr-defined]
            # Only tests without a database mark were collected, so pytest-django set up no test database.
            created = setup_databases(verbosity=0, interactive=False, aliases={"default"})  # type: ignore[arg-type]
        call_command("demo", stdout=io.StringIO())
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield server
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)
            if created is not None:
                teardown_databases(created, verbosity=0)


@pytest.fixture
def demo_page(browser: Any, demo_site: Any) -> Iterator[Any]:
    """`demo_page("coordinator")`: a fresh browser context on the demo, signed in with that demo login."""
    contexts: list[Any] = []
    problems: list[str] = []

    sessions = demo_site.__dict__.setdefault("sessions", {})  # one sign-in per role for the whole package

    def open_as(role: str, width: int = 1366) -> Any:
        context = browser.new_context(
            base_url=demo_site.url,
            locale="de-DE",
            viewport={"width": width, "height": 900},
            storage_state=sessions.get(role),
        )
        contexts.append(context)
        own = urlparse(demo_site.url).netloc

        def guard(route: Any) -> None:
            if urlparse(route.request.url).scheme in ("http", "https") and urlparse(route.request.url).netloc != own:
                problems.append(f"foreign request: {route.request.url}")
                route.abort()
            else:
                route.continue_()

        context.route("**/*", guard)
        page = context.new_page()
        # The same patience for assertions as for actions: a CI machine under load answers in seconds, not in
        # Playwright's default five.
        page.set_default_timeout(10_000)
        expect.set_options(timeout=10_000)
        page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
        email = DEMO_LOGINS.get(role, role)  # a demo role, or any demo account's e-mail
        if email and role not in sessions:
            login(page, str(email), DEMO_PASSWORD)
            sessions[role] = context.storage_state()
        return page

    yield open_as
    for context in contexts:
        context.close()
    assert not problems, problems[:3]


@pytest.fixture(scope="package")
def crawls(demo_site: Any, django_db_blocker: Any) -> dict[str, Any]:
    """What each demo login finds by following links from the start page (see tests/crawl.py), once."""
    from django.test import Client

    from lotse.accounts.models import User
    from tests.crawl import crawl

    result = {}
    with django_db_blocker.unblock():
        for role, email in DEMO_LOGINS.items():
            client = Client()
            if email:
                client.force_login(User.objects.get(email=email))
            result[role] = crawl(client, role, start=["/", *_reached_otherwise(role)])
    return result


def _reached_otherwise(role: str) -> list[str]:
    """Pages people reach by submitting a form or typing an address rather than by a link: the crawl starts
    there too, so they are checked like the rest."""
    from lotse.ozg.models import Process
    from lotse.participation.models import Campaign, Poll
    from lotse.strategy.models import Goal

    if role not in ("coordinator", "admin"):
        return []
    process = Process.objects.filter(municipality__slug="musterstadt").order_by("pk").first()
    goal = Goal.objects.filter(municipality__slug="musterstadt").order_by("pk").first()
    campaign = Campaign.objects.filter(municipality__slug="musterstadt").order_by("pk").first()
    poll = Poll.objects.filter(municipality__slug="musterstadt").order_by("pk").first()
    m = "/m/musterstadt"
    return [
        "/switch/",
        f"{m}/ozg/processes/{process.pk}/delete/" if process else "",
        f"{m}/strategy/goals/{goal.pk}/history/" if goal else "",
        f"{m}/participation/campaigns/{campaign.pk}/project/" if campaign else "",
        f"{m}/participation/polls/{poll.pk}/thanks/" if poll else "",
    ]
