"""Every page of the crawl through the Nu Html Checker (vnu.jar from npm, on Java): no errors.

The checker is the W3C's own; it runs once over all pages (one Java start), from tests/validators/node_modules,
installed by `npm ci` on first use like the OIDC provider of the SSO tests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REQUIRED
from tests.crawl import is_download, pattern_of

pytestmark = pytest.mark.ci_once("sqlite")  # the markup does not depend on the database

HERE = Path(__file__).resolve().parent.parent / "validators"
JAR = HERE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PER_PATTERN = 2


def vnu() -> list[str]:
    java, npm = shutil.which("java"), shutil.which("npm")
    if not java or not npm:
        if REQUIRED:
            pytest.fail("java and npm are needed for the HTML checker in CI (apt-get install default-jre-headless)")
        pytest.skip("java or npm not found: HTML checker skipped")
    if not JAR.exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=HERE, check=True)
    return [java, "-Xss4m", "-jar", str(JAR)]


def check(files: list[Path]) -> list[dict[str, Any]]:
    done = subprocess.run(
        [*vnu(), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "LANG": "C.UTF-8"},
    )
    return json.loads(done.stderr or "{}").get("messages", [])


def test_the_checker_itself_reports_an_error(tmp_path: Path) -> None:
    """Guards the guard: an attribute htmx would read but HTML does not allow must be reported."""
    page = tmp_path / "bad.html"
    page.write_text('<!doctype html><html lang="de"><head><title>x</title></head><body><div hx-get="/x"></div>')
    assert any("hx-get" in m["message"] for m in check([page]))


def test_every_page_has_valid_html(crawls: dict[str, Any], tmp_path: Path) -> None:
    files: dict[Path, str] = {}
    per: dict[str, int] = {}
    for role, crawl in crawls.items():
        for page in crawl.html_pages():
            pattern = pattern_of(page.url)
            if is_download(page.url) or per.get(pattern, 0) >= PER_PATTERN:
                continue
            per[pattern] = per.get(pattern, 0) + 1
            path = tmp_path / f"{len(files):04d}.html"
            path.write_text(page.html, encoding="utf-8")
            files[path] = f"{role} {page.url}"
    assert len(files) > 150
    problems: dict[str, list[str]] = {}
    for message in check(list(files)):
        where = files[Path(message["url"].removeprefix("file:"))]
        problems.setdefault(where, []).append(f"line {message.get('lastLine')}: {message['message']}")
    assert not problems, "\n".join(f"{k}: {v[:5]}" for k, v in sorted(problems.items()))
