"""Benchmark: portfolio list, project page and priority matrix with many projects in one municipality.

    python bench/portfolio.py [--projects 10000] [--requests 40]

Builds a throw-away database (SQLite under a temp dir, or DATABASE_URL if set, which it then fills, so
point it at an empty database), then measures each page through Django's test client in this process:
p50/p95 latency, throughput as a ratio to a page without data (/accessibility/: same middleware, session
and base template) measured in the same run, /healthz for reference, and the
number of SQL queries with 100 and with N projects (they must not grow with the data).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def setup_django(var_dir: str) -> None:
    os.environ.setdefault("LOTSE_DEMO", "true")
    os.environ["LOTSE_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(n: int, slug: str) -> tuple[object, object]:
    """A municipality with `n` projects, each with a budget year and seven scores, inserted in bulk."""
    import random

    from lotse.accounts.models import User
    from lotse.portfolio import services
    from lotse.portfolio.models import Project, ProjectScore, ProjectYear, Status
    from lotse.strategy.models import FieldOfAction
    from lotse.tenancy.models import Membership, Municipality, OrgUnit

    rng = random.Random(n)
    town = Municipality.objects.create(name=f"Benchstadt {n}", slug=slug)
    user = User.objects.create_user(email=f"cdo@{slug}.example", password="bench-passwort-123")
    Membership.objects.create(user=user, municipality=town, role="coordinator")
    units = [OrgUnit.objects.create(municipality=town, name=f"Amt {i}", short_name=f"Amt {i}") for i in range(20)]
    fields = [FieldOfAction.objects.create(municipality=town, name=f"Handlungsfeld {i}", position=i) for i in range(5)]
    criteria = services.default_criteria(user=user, municipality=town)
    statuses = [s.value for s in Status]
    projects = Project.objects.bulk_create(
        Project(
            municipality=town,
            key=f"B-{i:05d}",
            title=f"Projekt {i} Digitalisierung {rng.choice(['Bürgerbüro', 'Bauamt', 'Schule', 'Kämmerei'])}",
            summary="Kurzbeschreibung",
            lead_unit=rng.choice(units),
            field=rng.choice(fields),
            status=rng.choice(statuses),
            start_date=date(2025 + i % 3, 1, 1),
            end_date=date(2027 + i % 3, 12, 31),
        )
        for i in range(n)
    )
    ProjectYear.objects.bulk_create(
        ProjectYear(project=p, year=2026, budget_planned=Decimal(rng.randint(1, 500) * 1000), staff_fte=Decimal("0.5"))
        for p in projects
    )
    ProjectScore.objects.bulk_create(
        ProjectScore(project=p, criterion=c, score=rng.randint(1, 5), justification="")
        for p in projects
        for c in criteria
    )
    return town, user


def measure(client: object, path: str, requests: int) -> tuple[float, float, float]:
    """(p50 ms, p95 ms, requests per second), after two warm-up calls."""
    for _ in range(2):
        response = client.get(path)  # type: ignore[attr-defined]
        assert response.status_code == 200, (path, response.status_code)
    times = []
    start = time.perf_counter()
    for _ in range(requests):
        t0 = time.perf_counter()
        client.get(path)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - t0) * 1000)
    total = time.perf_counter() - start
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], requests / total


def queries(client: object, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(path)  # type: ignore[attr-defined]
    return len(ctx.captured_queries)


def report(client: object, pages: dict[str, str], requests: int, small_queries: dict[str, int]) -> None:
    """Measure every page and print p50/p95, throughput relative to the first page (one without data) and the
    SQL queries with little and with all data; say whether any query count grew."""
    results = {name: measure(client, path, requests) for name, path in pages.items()}
    big_queries = {name: queries(client, path) for name, path in pages.items()}
    base_rps = next(iter(results.values()))[2]
    print(f"\n{'Seite':<36}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>8}{'× Basis':>10}{'SQL@40':>8}{'SQL@N':>8}")
    for name, (p50, p95, rps) in results.items():
        print(
            f"{name:<36}{p50:>9.1f}{p95:>9.1f}{rps:>8.1f}{rps / base_rps:>10.3f}"
            f"{small_queries[name]:>8}{big_queries[name]:>8}"
        )
    grew = [n for n in results if big_queries[n] > small_queries[n]]
    print("\nAbfragen wachsen mit den Daten:" if grew else "\nAbfragen wachsen nicht mit den Daten.", ", ".join(grew))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir)
        from django.db import connection
        from django.test import Client

        t0 = time.perf_counter()
        small, small_user = build(100, "bench-klein")
        big, big_user = build(args.projects, "bench-gross")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # as autovacuum would soon after a bulk load
        print(f"Datenbank: {connection.vendor}; {args.projects} Projekte angelegt in {time.perf_counter() - t0:.1f} s")

        def pages(town: object) -> dict[str, str]:
            from lotse.portfolio.models import Project

            slug = town.slug  # type: ignore[attr-defined]
            first = Project.objects.filter(municipality=town).order_by("key").first()
            assert first is not None
            return {
                "trivial (/healthz)": "/healthz",
                "Seite ohne Daten": "/accessibility/",
                "Projektliste": f"/m/{slug}/projects/",
                "Projektliste gefiltert": f"/m/{slug}/projects/?status=planning&q=Bauamt&sort=budget",
                "Projektseite": f"/m/{slug}/projects/{first.pk}/",
                "Priorisierung + Matrix": f"/m/{slug}/projects/priorities/",
            }

        client = Client()
        client.force_login(small_user)  # type: ignore[arg-type]
        small_queries = {name: queries(client, path) for name, path in pages(small).items()}
        client.force_login(big_user)  # type: ignore[arg-type]
        big_pages = pages(big)
        results = {name: measure(client, path, args.requests) for name, path in big_pages.items()}
        big_queries = {name: queries(client, path) for name, path in big_pages.items()}
        base_rps = results["Seite ohne Daten"][2]
        print(f"\n{'Seite':<26}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>8}{'× Basis':>11}{'SQL@100':>9}{'SQL@N':>8}")
        for name, (p50, p95, rps) in results.items():
            print(
                f"{name:<26}{p50:>9.1f}{p95:>9.1f}{rps:>8.1f}{rps / base_rps:>11.3f}"
                f"{small_queries[name]:>9}{big_queries[name]:>8}"
            )
        grew = [n for n in results if big_queries[n] > small_queries[n]]
        print(
            "\nAbfragen wachsen mit den Daten:" if grew else "\nAbfragen wachsen nicht mit den Daten.", ", ".join(grew)
        )


if __name__ == "__main__":
    main()
