"""Lotse refuses to start insecurely outside the demo, and picks its database from DATABASE_URL."""

import os
import subprocess
import sys

import pytest


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("LOTSE_DEMO", "DEBUG", "SECRET_KEY", "DATABASE_URL")}
    code = "import lotse.settings as s; print(s.DATABASES['default']['ENGINE'], s.DEBUG)"
    return subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "secret key"),
        ({"SECRET_KEY": "x" * 50, "DEBUG": "true"}, "DEBUG"),
        ({"SECRET_KEY": "too-short"}, "secret key"),
        ({"SECRET_KEY": "insecure-demo-key-do-not-use-in-production"}, "secret key"),
    ],
)
def test_production_refuses_insecure_configuration(env: dict[str, str], message: str) -> None:
    result = load_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_production_starts_with_a_real_key_on_sqlite_by_default() -> None:
    result = load_settings(SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "False"]


def test_database_url_selects_postgresql() -> None:
    result = load_settings(SECRET_KEY="k" * 50, DATABASE_URL="postgres://lotse@db.example:5432/lotse")
    assert result.stdout.split()[0] == "django.db.backends.postgresql", result.stderr


def test_demo_may_run_with_debug() -> None:
    result = load_settings(LOTSE_DEMO="true")
    assert result.returncode == 0 and result.stdout.split()[1] == "True"
