"""100 people at once for half a minute on a real gunicorn over loopback: no error, and concurrent edits of the same
projects end in 409, never in a lost write. The same code as `bench/load.py`, which prints the throughput and
latencies (a figure, not a bar of this test: timing belongs in bench/); `LOTSE_LOAD_SECONDS` overrides the duration.
CI runs it in its PostgreSQL pass."""

import os
import tempfile
from typing import Any

import pytest
from django.db import connection

from bench.load import gunicorn, make_people, run
from tests.conftest import build_world
from tests.portfolio_world import build_portfolio

USERS = 100


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host, port = db["HOST"] or "localhost", db["PORT"] or 5432
    return f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{host}:{port}/{db['NAME']}"


@pytest.mark.ci_once("postgresql")
@pytest.mark.django_db(transaction=True)
def test_a_hundred_concurrent_users_get_no_error() -> None:
    seconds = float(os.environ.get("LOTSE_LOAD_SECONDS", "30"))
    world = build_world()
    pw = build_portfolio(world)
    pages = [
        "/m/astadt/",
        "/m/astadt/projects/",
        f"/m/astadt/projects/{pw.internal.pk}/",
        "/m/astadt/strategy/",
        "/m/astadt/ozg/",
        "/m/astadt/participation/",
        "/m/astadt/dashboard/",
        "/municipalities/",
    ]
    people = make_people(USERS, "astadt", pages, ["A-1", "A-2", "A-3"])
    env = {"LOTSE_DEMO": "true", "LOTSE_VAR_DIR": tempfile.mkdtemp(), "DATABASE_URL": database_url()}
    connection.close()
    with gunicorn(env) as host:
        result = run(host, people, seconds)
    print(result.summary(seconds))
    assert not result.errors, result.errors[:10]
    assert result.writes and result.conflicts < result.writes


@pytest.mark.ci_once("postgresql")
def test_the_load_run_counts_errors(world: Any) -> None:
    """Guards the guard: a server that answers 404 to everything makes the run report errors."""
    from bench.load import Person

    people = [Person("x", "lotse_x", ["/gibt-es-nicht/"], "/api/v1/municipalities/nirgends/projects/X")]
    env = {"LOTSE_DEMO": "true", "LOTSE_VAR_DIR": tempfile.mkdtemp(), "DATABASE_URL": database_url()}
    with gunicorn(env) as host:
        result = run(host, people, 2)
    assert result.errors
