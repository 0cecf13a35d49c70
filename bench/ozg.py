"""Benchmark: OZG pages for a state-wide network: 1,136 municipalities × the full catalogue.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lotse_bench python bench/ozg.py [--towns 1136] [--requests 40]

Builds its data in a throw-away database (SQLite under a temp dir, or DATABASE_URL, which must point to an EMPTY
database), the way Baden-Württemberg looks: 35 Landkreise and 1,101 Gemeinden, all in one state network, nine in
ten sharing their statuses, and a status for every relevant OZG service of every municipality (about 630,000).
The catalogue is read from ../shared/data/ozg_leistungen.csv if it is there, otherwise generated (557 services).

Measures, as a coordinator of one town, through Django's test client in this process: p50/p95 latency and
throughput as a ratio to a page without data, and the number of SQL queries with 20 municipalities and with all
(they must not grow with the data).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from portfolio import queries, report, setup_django

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "ozg_leistungen.csv"
DISTRICTS = 35


def catalogue() -> None:
    from lotse.demo.generate import synthetic_catalogue
    from lotse.ozg.catalogue import import_catalogue

    if SHARED.exists():
        import_catalogue((SHARED.read_bytes(), SHARED.name))
    else:
        synthetic_catalogue()


def towns(first: int, last: int, network: object, districts: list[object]) -> list[object]:
    """Municipalities first..last-1 (the first DISTRICTS are Landkreise), their statuses and progress rows."""
    from lotse.demo.generate import ozg_for
    from lotse.tenancy.models import Municipality

    created = []
    for i in range(first, last):
        district = i < DISTRICTS
        town = Municipality.objects.create(
            name=f"Landkreis {i:02d}" if district else f"Gemeinde {i:04d}",
            slug=f"bench-{i}",
            kind=Municipality.Kind.DISTRICT if district else Municipality.Kind.MUNICIPALITY,
            district=None if district or not districts else districts[i % len(districts)],
        )
        created.append(town)
        if district:
            districts.append(town)
    network.members.add(*created)  # type: ignore[attr-defined]
    ozg_for(created, random.Random(first), date.today())
    return created


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--towns", type=int, default=1136)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir)
        from django.db import connection
        from django.test import Client

        from lotse.accounts.models import User
        from lotse.ozg.models import OzgService, OzgStatus
        from lotse.tenancy.models import Membership, Network

        t0 = time.perf_counter()
        catalogue()
        network = Network.objects.create(name="Land", slug="land")
        districts: list[object] = []
        small = towns(0, 40, network, districts)
        me = small[DISTRICTS + 1]  # a Gemeinde
        user = User.objects.create_user(email="cdo@bench.example", password="bench-passwort-123")
        Membership.objects.create(user=user, municipality=me, role="coordinator")
        service = OzgService.objects.order_by("ozg_id").first()
        assert service is not None
        district = me.district  # type: ignore[attr-defined]
        pages = {
            "Seite ohne Daten": "/accessibility/",
            "OZG-Fortschritt (Dashboard)": f"/m/{me.slug}/ozg/dashboard/",  # type: ignore[attr-defined]
            "Netzwerkvergleich, Seite 1": f"/m/{me.slug}/ozg/network/",  # type: ignore[attr-defined]
            "Netzwerkvergleich, Landkreis": f"/m/{me.slug}/ozg/network/?district={district.pk}",  # type: ignore[attr-defined]
            "Leistung: Wen kann ich fragen?": f"/m/{me.slug}/ozg/{service.ozg_id}/",  # type: ignore[attr-defined]
            "Leistungsliste (alle)": f"/m/{me.slug}/ozg/",  # type: ignore[attr-defined]
        }
        client = Client()
        client.force_login(user)
        small_queries = {name: queries(client, path) for name, path in pages.items()}
        towns(40, args.towns, network, districts)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # as autovacuum would soon after a bulk load
        print(
            f"Datenbank: {connection.vendor}; {args.towns} Kommunen, {OzgService.objects.count()} Leistungen, "
            f"{OzgStatus.objects.count()} Umsetzungsstände angelegt in {time.perf_counter() - t0:.0f} s"
        )
        report(client, pages, args.requests, small_queries)


if __name__ == "__main__":
    main()
