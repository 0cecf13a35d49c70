"""Every page the crawl found, once, in Chromium: axe finds nothing serious, and nothing scrolls sideways at a
laptop's 1366 px or a phone's 390 px (neither the page nor a table or board inside it).

Each page is visited as the first role whose crawl reached it (a page looks the same for the roles that may see
it, apart from buttons), so axe runs once per page, not once per role."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.crawl import is_download, pattern_of

pytestmark = pytest.mark.ci_once("sqlite")  # pages and their markup are the same on both databases

ORDER = ["coordinator", "admin", "editor", "council", "pilot", "academy", "partner", "anonymous"]
WIDTHS = (1366, 390)

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  if (document.documentElement.scrollWidth > width + 1) {
    let widest = null;
    for (const el of document.querySelectorAll("body *")) {
      const r = el.getBoundingClientRect();
      if (r.right > width + 1 && (!widest || r.right > widest.getBoundingClientRect().right)) widest = el;
    }
    found.push("page " + document.documentElement.scrollWidth + "px" + (widest ? " (" + name(widest) + ")" : ""));
  }
  for (const el of document.querySelectorAll("body *")) {
    const style = getComputedStyle(el);
    if ((style.overflowX === "auto" || style.overflowX === "scroll") && el.scrollWidth > el.clientWidth + 1
        && el.clientWidth > 0) {
      found.push(name(el) + " scrolls " + el.scrollWidth + ">" + el.clientWidth);
    }
  }
  return found;
}"""


def pages_once(crawls: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(role, url, loads parts with HTMX) for every URL pattern of the crawl, first role in ORDER that saw it."""
    seen: set[str] = set()
    result = []
    for role in ORDER:
        for page in crawls[role].html_pages():
            pattern = pattern_of(page.url)
            if pattern in seen or is_download(page.url):
                continue
            seen.add(pattern)
            result.append((role, page.url, 'hx-trigger="load"' in page.html))
    return result


def serious(results: Any) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_every_page_passes_axe_and_fits_a_laptop_and_a_phone(demo_page: Any, crawls: dict[str, Any]) -> None:
    pages = pages_once(crawls)
    assert len(pages) > 120
    axe = Axe()
    tabs = {role: demo_page(role) for role in ORDER}
    problems: dict[str, list[str]] = {}
    for role, url, htmx in pages:
        page = tabs[role]
        found: list[str] = []
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        page.goto(url, wait_until="networkidle" if htmx else "load")
        found += serious(axe.run(page))
        for width in WIDTHS:  # the same page, laid out again at each width (media queries apply at once)
            page.set_viewport_size({"width": width, "height": 900})
            found += [f"{width} px: {p}" for p in page.evaluate(OVERFLOW)]
        if found:
            problems[f"{role} {url}"] = found
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())


def test_the_navigation_folds_away_on_a_phone(demo_page: Any) -> None:
    page = demo_page("coordinator", width=390)
    page.goto("/m/musterstadt/")
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    assert nav.bounding_box()["height"] < 80  # folded: only the menu button
    page.get_by_role("button", name="Menü").click()
    links = nav.get_by_role("link")
    assert links.count() > 8 and links.first.is_visible()
    page.keyboard.press("Escape")
    assert not links.first.is_visible()
