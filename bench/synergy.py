"""Benchmark: synergy queries against a network of 10,000, 100,000 and 1,000,000 generated projects.

    python bench/synergy.py [--sizes 10000,100000,1000000] [--queries 300] [--app 10000]

Part 1, the index (`lotse.synergy.matrix.ArrayIndex`, no database): build time, memory (the arrays, and the
growth of the process), and the latency of the two queries the app runs: "similar to this project, in other
towns" and the network search "Wer macht das schon?" for a short text (which includes analysing the text).
The baseline in the same run is the reference engine (`engine.Index`, plain Python) on the smallest size.

Part 2 (`--app N`): the same query through the app's read path (`selectors.similar_to`, visibility filter,
pair decisions, reasons; SQLite, or DATABASE_URL if set: point it at an empty database) with N projects in
100 towns of one network.

Texts are generated deterministically from the thesaurus and a municipal vocabulary; a pool of 20,000 distinct
texts is analysed and each project takes one of them plus a word of its own (a place name, say), so that
the network holds many towns doing the same thing, which is the case the index is for.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lotse.demo import vocabulary
from lotse.synergy import engine
from lotse.synergy.matrix import ArrayIndex

GROUPS = 1136  # municipalities and districts of Baden-Württemberg
POOL = 20_000


def texts(n: int, seed: int = 1) -> list[tuple[str, str]]:
    """n (title, description) pairs about the thesaurus's concepts, with its folded search terms as topics."""
    return vocabulary.texts(n, seed, search_terms=True)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentiles(times: list[float]) -> tuple[float, float, float]:
    times = sorted(times)
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], times[-1]


def timed(fn: Callable[[Any], object], runs: Sequence[Any]) -> tuple[float, float, float]:
    times = []
    for arg in runs:
        t0 = time.perf_counter()
        fn(arg)
        times.append((time.perf_counter() - t0) * 1000)
    return percentiles(times)


def pool_documents() -> list[engine.Document]:
    t0 = time.perf_counter()
    docs = [engine.analyse(str(i), title, text) for i, (title, text) in enumerate(texts(POOL))]
    print(f"{POOL} Texte analysiert in {time.perf_counter() - t0:.1f} s")
    return docs


def network(pool: list[engine.Document], n: int) -> list[engine.Document]:
    """n projects: a pool text each, with a word of its own (say, the place) and in one of the towns."""
    rng = random.Random(n)
    docs = []
    for i in range(n):
        base = pool[rng.randrange(len(pool))]
        features = dict(base.features)
        features[f"w:ort{rng.randrange(max(1, n // 10))}"] = 1.0
        docs.append(engine.Document(str(i), features, base.concepts, base.digital))
    return docs


def bench_index(pool: list[engine.Document], sizes: list[int], queries: int) -> None:
    rng = random.Random(7)
    searches = [title for title, _text in texts(queries, seed=99)]
    baseline: tuple[float, float, float] | None = None
    for n in sizes:
        docs = network(pool, n)
        before = rss_mb()
        t0 = time.perf_counter()
        index = ArrayIndex((i, i % GROUPS, 0, d.features, d.digital) for i, d in enumerate(docs))
        build = time.perf_counter() - t0
        grown = rss_mb() - before
        picks = [rng.randrange(n) for _ in range(queries)]

        def similar(i: int, index: ArrayIndex = index, docs: list[engine.Document] = docs) -> None:
            d = docs[i]
            scores = index.scores(index.vector(d.features, d.digital))
            scores[i] = 0
            index.top(scores, 20, index.groups != i % GROUPS)

        def search(text: str, index: ArrayIndex = index) -> None:
            d = engine.analyse("q", text)
            index.top(index.scores(index.vector(d.features, d.digital)), 20)

        if baseline is None:
            reference = engine.Index(docs)
            baseline = timed(partial(lambda r, d, i: r.similar(d[i], top=20), reference, docs), picks[:100])
            print(f"Baseline (engine.Index, reines Python) bei {n}: ähnliche Projekte ", end="")
            print(f"p50 {baseline[0]:.1f} ms, p95 {baseline[1]:.1f} ms")
            del reference
        s = timed(similar, picks)
        q = timed(search, searches)
        megabytes = index.nbytes / 2**20
        print(
            f"{n:>9} Projekte: Aufbau {build:6.1f} s, Arrays {megabytes:6.0f} MB, Prozess +{grown:6.0f} MB | "
            f"ähnliche p50 {s[0]:5.1f} p95 {s[1]:5.1f} max {s[2]:5.1f} ms | "
            f"Suche p50 {q[0]:5.1f} p95 {q[1]:5.1f} max {q[2]:5.1f} ms | "
            f"p95 der Baseline bei {sizes[0]} / p95: {baseline[1] / s[1]:.0f}",
            flush=True,
        )
        del index, docs


def bench_app(pool: list[engine.Document], n: int, queries: int) -> None:
    with tempfile.TemporaryDirectory() as var_dir:
        os.environ.setdefault("LOTSE_DEMO", "true")
        os.environ["LOTSE_VAR_DIR"] = var_dir
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.utils import timezone

        call_command("migrate", verbosity=0)
        from lotse.accounts.models import User
        from lotse.portfolio.models import Project
        from lotse.synergy import selectors
        from lotse.synergy.index import NETWORK
        from lotse.synergy.models import Signature
        from lotse.tenancy.models import Membership, Municipality, Network, Visibility

        t0 = time.perf_counter()
        net = Network.objects.create(name="Benchnetz", slug="benchnetz")
        towns = [Municipality.objects.create(name=f"Benchort {i}", slug=f"bench-{i}") for i in range(100)]
        net.members.set(towns)
        user = User.objects.create_user(email="cdo@bench.example", password="bench-passwort-123")
        Membership.objects.create(user=user, municipality=towns[0], role="coordinator")
        rng = random.Random(3)
        docs = network(pool, n)
        raw = texts(POOL)
        for start in range(0, n, 5000):
            chunk = range(start, min(n, start + 5000))
            projects = Project.objects.bulk_create(
                Project(
                    municipality=towns[i % 100],
                    key=f"S-{i:07d}",
                    title=raw[int(rng.randrange(POOL))][0],
                    visibility=rng.choice([Visibility.NETWORK, Visibility.NETWORK, Visibility.INTERNAL]),
                )
                for i in chunk
            )
            Signature.objects.bulk_create(
                Signature(
                    project=p,
                    version=p.version,
                    features=docs[i].features,
                    concepts=sorted(docs[i].concepts),
                    digital=docs[i].digital,
                    engine=engine.ENGINE_VERSION,
                )
                for i, p in zip(chunk, projects, strict=True)
            )
        # A network in its steady state: nothing changed in the last minutes (see index.sync for the minutes
        # after a bulk import).
        Project.objects.update(updated_at=timezone.now() - timedelta(days=1))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"App ({connection.vendor}): {n} Projekte in 100 Orten angelegt in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        NETWORK.sync()
        print(f"  Index aus der Datenbank aufgebaut in {time.perf_counter() - t0:.1f} s")
        mine = list(Project.objects.filter(municipality=towns[0]).values_list("pk", flat=True)[:queries])
        by_pk = Project.objects.in_bulk(mine)
        s = timed(lambda pk: selectors.similar_to(by_pk[pk], user), mine)
        q = timed(lambda text: selectors.search(user, text), [t for t, _d in texts(queries, seed=99)])
        print(f"  Ähnliche Vorhaben (eigene Stadt und Netzwerk): p50 {s[0]:.1f} p95 {s[1]:.1f} max {s[2]:.1f} ms")
        print(f"  Netzwerksuche: p50 {q[0]:.1f} p95 {q[1]:.1f} max {q[2]:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--app", type=int, default=0, help="also measure the app's read path with this many projects")
    args = parser.parse_args()
    pool = pool_documents()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if sizes:
        bench_index(pool, sizes, args.queries)
    if args.app:
        bench_app(pool, args.app, min(args.queries, 100))


if __name__ == "__main__":
    main()
