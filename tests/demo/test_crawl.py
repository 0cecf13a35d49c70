"""The demo as each role sees it, page by page (the test client; tests/crawl.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.demo.conftest import DEMO_LOGINS

# The crawl is the same on both databases (the pages' queries are tested on both elsewhere); CI crawls once, in the
# SQLite pass, together with the browser and HTML checks that reuse it (the PostgreSQL pass carries the load test).
pytestmark = pytest.mark.ci_once("sqlite")


@pytest.mark.parametrize("role", list(DEMO_LOGINS))
def test_every_link_a_viewer_sees_answers_for_that_viewer(crawls: dict[str, Any], role: str) -> None:
    crawl = crawls[role]
    assert len(crawl.html_pages()) >= (20 if role == "anonymous" else 30)
    assert not crawl.broken(), crawl.broken()


def test_no_page_shows_staff_a_shell_command(crawls: dict[str, Any]) -> None:
    """Commands are for operators (docs/deploy.md), not for the people who use Lotse in a browser."""
    command = re.compile(r"<code>\s*(\.venv/bin/)?lotse\s|make demo|manage\.py")
    found = [
        f"{role}: {page.url}"
        for role, crawl in crawls.items()
        for page in crawl.html_pages()
        if command.search(page.html)
    ]
    assert not found, found
