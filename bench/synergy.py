"""Benchmark: synergy queries against a network of 10,000, 100,000 and 1,000,000 generated projects.

    python bench/synergy.py [--sizes 10000,100000,1000000] [--queries 300] [--app 10000]

Part 1, the index (`lotse.synergy.matrix.ArrayIndex`, no database): build time, memory (the arrays, and the
growth of the process), and the latency of the two queries the app runs: "similar to this project, in other
towns" and the network search "Wer macht das schon?" for a short text (which includes analysing the text).
The baseline in the same run is the reference engine (`engine.Index`, plain Python) on the smallest size.

Part 1b, the semantic vectors (384 int8 per project, clustered like embeddings of many towns doing the same
thing): exact search over the process's rows (what a network under `ann.ANN_FROM` does; the baseline) against
the shared usearch snapshot (`lotse.synergy.ann`): snapshot build time and size, query latency, recall of the 40
nearest against the exact search, and how much of the process's memory is the mapped file (shared between the
app processes of one server) rather than its own.

Part 2 (`--app N`): the same query through the app's read path (`selectors.similar_to`, visibility filter,
pair decisions, reasons; SQLite, or DATABASE_URL if set: point it at an empty database) with N projects in
100 towns of one network, each with a description and a semantic vector, scored by the combined engine.

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
from datetime import datetime, timedelta
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


def rss_kinds() -> dict[str, float]:
    """Resident memory by kind (MB): RssAnon is the process's own, RssFile its mapped files (shared)."""
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("RssAnon:", "RssFile:")):
            out[line.split(":")[0]] = int(line.split()[1]) / 1024
    return out


def semantic_vectors(n: int, seed: int = 5) -> Any:
    """n int8 vectors in 2,000 clusters (projects about the same few thousand things), each with its own noise."""
    import numpy as np

    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((2000, 384)).astype(np.float32)
    out = np.empty((n, 384), dtype=np.int8)
    for start in range(0, n, 50_000):
        m = min(n, start + 50_000) - start
        x = centres[rng.integers(0, len(centres), m)] + 0.6 * rng.standard_normal((m, 384)).astype(np.float32)
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        out[start : start + m] = np.clip(np.rint(x * 127), -127, 127).astype(np.int8)
    return out


def bench_semantic(sizes: list[int], queries: int) -> None:
    for n in sizes:
        _semantic_size(n, queries)


def _semantic_size(n: int, queries: int) -> None:
    import numpy as np

    from lotse.synergy import ann

    vectors = semantic_vectors(n)
    norms = np.linalg.norm(vectors.astype(np.float32), axis=1)
    rng = np.random.default_rng(n)
    picks = rng.integers(0, n, queries)

    def exact(i: int, k: int = 40) -> list[int]:
        q = vectors[i].astype(np.float32)
        q /= np.linalg.norm(q)
        scores = np.empty(n, dtype=np.float32)
        for start in range(0, n, 16384):
            scores[start : start + 16384] = vectors[start : start + 16384].astype(np.float32) @ q
        scores /= np.maximum(norms, 1e-9)
        scores[i] = -2
        return [int(j) for j in np.argpartition(-scores, k)[:k]]

    with tempfile.TemporaryDirectory() as folder:
        t0 = time.perf_counter()
        path, _count = ann.write(((i, vectors[i].tobytes()) for i in range(n)), datetime.now(), folder=Path(folder))
        build = time.perf_counter() - t0
        size = path.stat().st_size / 2**20
        before = rss_kinds()
        loaded = ann.load(path)
        assert loaded is not None
        snapshot: ann.Snapshot = loaded

        def approximate(i: int, k: int = 40) -> list[int]:
            q = vectors[i].astype(np.float32)
            return [pk for pk, _s in snapshot.search(q / np.linalg.norm(q), k + 1) if pk != i][:k]

        e = timed(exact, picks.tolist())
        a = timed(approximate, picks.tolist())
        after = rss_kinds()
        sample = picks[:100]
        recall = float(np.mean([len(set(exact(i)) & set(approximate(i))) / 40 for i in sample]))
        print(
            f"{n:>9} Vektoren: exakt p50 {e[0]:6.1f} p95 {e[1]:6.1f} ms | Schnappschuss: Aufbau {build:6.1f} s, "
            f"{size:5.0f} MB, p50 {a[0]:5.2f} p95 {a[1]:5.2f} max {a[2]:5.2f} ms, Recall@40 {recall:.3f}, "
            f"exakt p95 / Schnappschuss p95: {e[1] / a[1]:.0f} | Prozess: eigener Speicher "
            f"+{after['RssAnon'] - before['RssAnon']:.0f} MB, gemeinsam genutzte Datei "
            f"+{after['RssFile'] - before['RssFile']:.0f} MB (Vektoren: {vectors.nbytes / 2**20:.0f} MB)",
            flush=True,
        )


def _make_network(pool: list[engine.Document], n: int, towns_count: int) -> tuple[list[Any], Any]:
    """The app's network: n projects in `towns_count` towns, with signatures, concepts and vectors."""
    from django.db import connection
    from django.utils import timezone

    from lotse.accounts.models import User
    from lotse.portfolio.models import Project
    from lotse.synergy import evidence
    from lotse.synergy.models import Signature
    from lotse.tenancy.models import Membership, Municipality, Network, Visibility

    t0 = time.perf_counter()
    net = Network.objects.create(name="Benchnetz", slug="benchnetz")
    towns = [Municipality.objects.create(name=f"Benchort {i}", slug=f"bench-{i}") for i in range(towns_count)]
    net.members.set(towns)
    user = User.objects.create_user(email="cdo@bench.example", password="bench-passwort-123")
    Membership.objects.create(user=user, municipality=towns[0], role="coordinator")
    rng = random.Random(3)
    docs = network(pool, n)
    raw = texts(POOL)
    vectors = semantic_vectors(n)
    steady = timezone.now() - timedelta(days=1)
    concepts: dict[int, dict[str, float]] = {}
    for start in range(0, n, 5000):
        chunk = range(start, min(n, start + 5000))
        chosen_at = [int(rng.randrange(POOL)) for _i in chunk]
        chosen = [raw[k] for k in chosen_at]
        for k in chosen_at:  # stored beside each signature, as services.refresh does
            if k not in concepts:
                title, description = raw[k]
                concepts[k] = evidence.concept_features(evidence.Project("x", title, description[:300]))
        projects = Project.objects.bulk_create(
            Project(
                municipality=towns[i % towns_count],
                key=f"S-{i:07d}",
                title=title,
                summary=description[:300],
                visibility=rng.choice([Visibility.NETWORK, Visibility.NETWORK, Visibility.INTERNAL]),
            )
            for i, (title, description) in zip(chunk, chosen, strict=True)
        )
        Signature.objects.bulk_create(
            Signature(
                project=p,
                version=p.version,
                features=docs[i].features,
                concepts=sorted(docs[i].concepts),
                digital=docs[i].digital,
                engine=engine.ENGINE_VERSION,
                vector=vectors[i].tobytes(),
                text_hash=f"bench-{i}",
                embedded_at=steady,
                evidence_concepts=concepts[k],
            )
            for i, p, k in zip(chunk, projects, chosen_at, strict=True)
        )
    # A network in its steady state: nothing changed in the last minutes (see index.sync for the minutes
    # after a bulk import).
    Project.objects.update(updated_at=steady)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"App ({connection.vendor}): {n} Projekte in {towns_count} Orten angelegt in {time.perf_counter() - t0:.1f} s"
    )
    return towns, user


def bench_app(
    pool: list[engine.Document],
    n: int,
    queries: int,
    towns_count: int = 100,
    profile: bool = False,
    keep: str = "",
) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        var_dir = keep or temporary
        made = bool(keep) and (Path(keep) / "made").exists()
        os.environ.setdefault("LOTSE_DEMO", "true")
        os.environ["LOTSE_VAR_DIR"] = var_dir
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from lotse.accounts.models import User
        from lotse.portfolio.models import Project
        from lotse.synergy import ann, selectors, services
        from lotse.synergy.index import NETWORK
        from lotse.tenancy.models import Municipality

        if made:  # --keep: the network of an earlier run
            towns = list(Municipality.objects.order_by("pk"))
            user = User.objects.get(email="cdo@bench.example")
        else:
            towns, user = _make_network(pool, n, towns_count)
            if keep:
                (Path(keep) / "made").touch()

        if n >= ann.ANN_FROM and not made:
            t0 = time.perf_counter()
            services.snapshot_vectors(force=True)
            print(f"  Vektor-Schnappschuss geschrieben in {time.perf_counter() - t0:.1f} s")
        before = rss_mb()
        t0 = time.perf_counter()
        NETWORK.sync()
        mode = "Schnappschuss" if NETWORK.snapshot is not None else "exakt im Prozess"
        print(
            f"  Index aus der Datenbank aufgebaut in {time.perf_counter() - t0:.1f} s (Vektoren: {mode}); "
            f"Prozess +{rss_mb() - before:.0f} MB"
        )
        mine = list(Project.objects.filter(municipality=towns[0]).values_list("pk", flat=True)[:queries])
        by_pk = Project.objects.in_bulk(mine)
        for pk in mine[:5]:  # the reference sample and the first analyses
            selectors.similar_with_state(by_pk[pk], user)
        if profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            for pk in mine:
                selectors.similar_with_state(by_pk[pk], user)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        s = timed(lambda pk: selectors.similar_with_state(by_pk[pk], user), mine)
        q = timed(lambda text: selectors.search(user, text), [t for t, _d in texts(queries, seed=99)])
        print(f"  Ähnliche Vorhaben (eigene Stadt und Netzwerk): p50 {s[0]:.1f} p95 {s[1]:.1f} max {s[2]:.1f} ms")
        print(f"  Resident memory of this process after the queries: {rss_mb():.0f} MB ({rss_kinds()})")
        print(f"  Netzwerksuche: p50 {q[0]:.1f} p95 {q[1]:.1f} max {q[2]:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--semantic", default="100000,1000000", help="sizes for the semantic vectors (Part 1b)")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--app", type=int, default=0, help="also measure the app's read path with this many projects")
    parser.add_argument("--towns", type=int, default=100, help="towns the app's projects are spread over")
    parser.add_argument("--profile", action="store_true", help="print a profile of the app's panel")
    parser.add_argument("--keep", default="", help="keep the app's network in this directory and reuse it")
    args = parser.parse_args()
    pool = pool_documents()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if sizes:
        bench_index(pool, sizes, args.queries)
    semantic = [int(s) for s in args.semantic.split(",") if s]
    if semantic:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.settings")
        bench_semantic(semantic, args.queries)
    if args.app:
        bench_app(pool, args.app, min(args.queries, 100), args.towns, args.profile, args.keep)


if __name__ == "__main__":
    main()
