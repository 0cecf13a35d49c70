"""A crawl of Lotse as each role sees it: start at the home page, follow every link on our own host.

The crawl is the test suite's picture of "every page": the links test (each link a viewer sees answers for that
viewer), the HTML validator, axe and the layout check in the browser all walk what it found. It uses Django's test
client, so it is fast and runs on both databases; the browser tests visit each page it found once.

Pages of one URL pattern (the same view with other ids) are fetched up to `PER_PATTERN` times: enough to meet
different records (internal, shared, public) without walking all 500 ideas of a campaign.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from django.urls import Resolver404, resolve

PER_PATTERN = 3
MAX_PAGES = 1500
# Links the crawl does not follow: leaving the session, Django's admin (a technical screen, not Lotse's pages),
# the language switch (a form) and the API's machine endpoints.
SKIP_PREFIXES = ("/accounts/logout", "/admin/", "/i18n/", "/oidc/", "/static/", "/api/v1/")
DOWNLOAD_SUFFIXES = (".csv", ".xlsx", ".pdf", ".ics", ".json", ".jsonld", ".ttl", ".rdf", ".zip", ".png", ".svg")


class _Links(HTMLParser):
    """Links a person can follow, and the parts HTMX loads into a page (they are part of what the person sees)."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        href = values.get("href") if tag == "a" else None
        loaded = values.get("data-hx-get") or values.get("hx-get")
        if loaded and "load" in str(values.get("data-hx-trigger") or values.get("hx-trigger") or ""):
            href = loaded
        if href:
            self.hrefs.append(href)


def links_of(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def pattern_of(path: str) -> str:
    """The view behind a path, e.g. `portfolio:project`; paths that resolve to nothing keep their path."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return path
    query = urlsplit(path).query
    keys = sorted({part.split("=")[0] for part in query.split("&") if part}) if query else []
    name = match.view_name or match.route
    return name + ("?" + "&".join(keys) if keys else "")


@dataclass
class Page:
    url: str
    status: int
    content_type: str
    html: str
    found_on: str
    location: str = ""


@dataclass
class Crawl:
    role: str
    pages: dict[str, Page] = field(default_factory=dict, repr=False)
    # (page the link is on, link) for every link that was not fetched because its pattern was full
    unfetched: list[tuple[str, str]] = field(default_factory=list, repr=False)

    def html_pages(self) -> list[Page]:
        return [p for p in self.pages.values() if p.status == 200 and p.content_type.startswith("text/html")]

    def broken(self) -> list[str]:
        """Links this viewer was shown that answer neither 200 nor a redirect."""
        return [f"{p.url} ({p.status}, linked from {p.found_on})" for p in self.pages.values() if p.status >= 400]


def _local(base: str, href: str) -> str | None:
    href = urldefrag(href)[0]
    if not href or href.startswith(("mailto:", "tel:", "javascript:", "data:")):
        return None
    absolute = urljoin("http://testserver" + base, href)
    parts = urlsplit(absolute)
    if parts.netloc != "testserver" or parts.scheme not in ("http", "https"):
        return None
    path = parts.path + ("?" + parts.query if parts.query else "")
    if path.startswith(SKIP_PREFIXES):
        return None
    return path


def crawl(client: Any, role: str, start: list[str] | None = None, per_pattern: int = PER_PATTERN) -> Crawl:
    """Breadth-first from `start` (the home page), following local links; redirects are followed once."""
    result = Crawl(role)
    queue: deque[tuple[str, str]] = deque((s, "(start)") for s in (start or ["/"]) if s)
    seen: set[str] = set()
    per: dict[str, int] = {}
    while queue and len(result.pages) < MAX_PAGES:
        url, found_on = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        pattern = pattern_of(url)
        if per.get(pattern, 0) >= per_pattern:
            result.unfetched.append((found_on, url))
            continue
        per[pattern] = per.get(pattern, 0) + 1
        response = client.get(url)
        status = response.status_code
        location = response.get("Location", "") if status in (301, 302, 303, 307, 308) else ""
        content_type = response.get("Content-Type", "")
        html = ""
        if status == 200 and content_type.startswith("text/html"):
            html = response.content.decode()
        result.pages[url] = Page(url, status, content_type, html, found_on, location)
        if location:
            target = _local(url, location)
            if target and not target.startswith("/accounts/login"):
                queue.append((target, url))
        for href in links_of(html):
            target = _local(url, href)
            if target and target not in seen:
                queue.append((target, url))
    return result


def is_download(url: str) -> bool:
    return urlsplit(url).path.endswith(DOWNLOAD_SUFFIXES) or "/export" in url or "download" in url
