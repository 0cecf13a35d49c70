"""Browser tests: Playwright for Python driving Debian's Chromium against Django's live server."""

import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in this thread; the ORM calls in fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser context; any request to a host other than the live server fails the test."""
    context = browser.new_context(base_url=live_server.url, locale="de-DE")
    allowed = {urlparse(live_server.url).netloc}  # a test adds its own servers (e.g. the OIDC provider)
    foreign: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if urlparse(url).scheme in ("http", "https") and urlparse(url).netloc not in allowed:
            foreign.append(url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    page = context.new_page()
    page.allowed_hosts = allowed
    # The same patience for assertions as for actions: a CI machine under load answers in seconds, not in
    # Playwright's default five.
    page.set_default_timeout(10_000)
    expect.set_options(timeout=10_000)
    # Every browser test is also a CSP test: Chromium reports each blocked inline script or style on the console.
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    context.close()
    assert not foreign, f"pages requested foreign hosts: {foreign}"
    assert not blocked, f"the content security policy blocked: {blocked[:3]}"


def login(page: Any, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Anmelden").last.click()
