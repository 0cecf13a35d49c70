"""Benchmark: public participation pages with 500,000 ideas network-wide.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lotse_bench python bench/participation.py [--ideas 500000]

Builds its data in a throw-away database (SQLite under a temp dir, or DATABASE_URL, which must point to an EMPTY
database): 1,136 municipalities with one public campaign each; the measured town runs a big campaign (5,000
ideas, like a city that collected for months), the rest share the remaining ideas. Ideas carry supports, the
measured idea 30 comments. Texts come from a pool of German idea texts, analysed once each.

Measures, as a citizen without an account, through Django's test client in this process: p50/p95 latency,
throughput as a ratio to a page without data, and SQL queries with 40 towns and with all of them.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from portfolio import queries, report, setup_django

BIG = 5000  # ideas in the measured town's campaign


def texts() -> list[tuple[str, str, dict, list[str]]]:
    """(title, description, signature, concepts) for a pool of idea texts, each analysed once."""
    from lotse.participation import demo, services
    from lotse.participation.models import Idea

    pool = [(t, d) for titles, d, _p, _r in demo.STAFF_SEEDS for t in titles] + list(demo.CITIZEN_SEEDS)
    out = []
    for title, description in pool:
        idea = Idea(title=title, description=description)
        services.analyse(idea)
        out.append((title, description, idea.signature, idea.concepts))
    return out


def towns(first: int, last: int, ideas_each: int, pool: list, big: int = 0) -> list[object]:
    from lotse.demo.generate import idea_rows
    from lotse.participation.models import Campaign, Idea
    from lotse.tenancy.models import Municipality

    rng = random.Random(first)
    today = date.today()
    created = []
    for i in range(first, last):
        town = Municipality.objects.create(name=f"Gemeinde {i:04d}", slug=f"bench-{i}")
        campaign = Campaign.objects.create(
            municipality=town,
            title=f"Ideen für Gemeinde {i:04d}",
            introduction="Was soll digital einfacher werden?",
            starts_on=today - timedelta(days=60),
            ends_on=today + timedelta(days=60),
            published=True,
        )
        created.append(campaign)
        n = big if (big and i == first) else ideas_each
        Idea.objects.bulk_create(idea_rows(campaign, n, pool, rng), batch_size=5000)
    return created


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--towns", type=int, default=1136)
    parser.add_argument("--ideas", type=int, default=500_000)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir)
        from django.conf import settings
        from django.db import connection
        from django.test import Client

        from lotse.participation.models import Comment, Idea, Participant, Publication

        settings.RATELIMIT_ENABLED = False
        t0 = time.perf_counter()
        pool = texts()
        each = max(1, (args.ideas - BIG) // max(1, args.towns - 1))
        (campaign, *_rest) = towns(0, 40, each, pool, big=BIG)
        idea = Idea.objects.filter(campaign=campaign, publication=Publication.PUBLISHED).order_by("pk").first()
        assert idea is not None
        people = [
            Participant.objects.create(municipality=campaign.municipality, email=f"p{n}@example.org", name=f"P {n}")
            for n in range(30)
        ]
        Comment.objects.bulk_create(
            Comment(idea=idea, participant=p, text="Gute Idee, bitte bald umsetzen.", publication="published")
            for p in people
        )
        slug, pk = campaign.municipality.slug, campaign.pk  # type: ignore[attr-defined]
        base = f"/m/{slug}/participation/"
        pages = {
            "Seite ohne Daten": "/accessibility/",
            "Beteiligung: neueste Ideen": f"{base}campaigns/{pk}/",
            "Beteiligung: meiste Unterstützung": f"{base}campaigns/{pk}/?sort=top",
            "Beteiligung: Stand + Suche": f"{base}campaigns/{pk}/?status=adopted&q=online",
            "Beteiligung: Seite 50": f"{base}campaigns/{pk}/?page=50",
            "Idee mit 30 Kommentaren": f"{base}ideas/{idea.pk}/",
            "Ähnliche beim Tippen": f"{base}campaigns/{pk}/suggest/?title=Hundesteuer+online",
            "Idee einreichen (Formular)": f"{base}campaigns/{pk}/submit/",
        }
        client = Client()
        small_queries = {name: queries(client, path) for name, path in pages.items()}
        step = 100
        for first in range(40, args.towns, step):
            towns(first, min(args.towns, first + step), each, pool)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(
            f"Datenbank: {connection.vendor}; {args.towns} Kommunen, {Idea.objects.count()} Ideen "
            f"({BIG} in der gemessenen Beteiligung) angelegt in {time.perf_counter() - t0:.0f} s"
        )
        report(client, pages, args.requests, small_queries)


if __name__ == "__main__":
    main()
