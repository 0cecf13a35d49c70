"""The network index of one app process: every project's signature in a `matrix.ArrayIndex`, kept current.

Built on first use from the `Signature` table (signatures missing or computed from an older project version
or engine are recomputed first). Before each query, `sync()` asks the database which projects changed in the
last minutes (an indexed range on `Project.updated_at`, a handful of rows) and compares them with what the
index holds; changed projects get a fresh signature, their old row is masked and the new version is scored
beside the arrays. When that overlay grows past `REBUILD_SHARE` of the index, the arrays are rebuilt, so that
document frequencies follow the network too.

Every app process keeps its own copy and syncs against the one database, so several app servers need no
coordination. Deleted and hidden projects may linger in the arrays until the next rebuild; readers always
filter results through the database's visibility rules, which drops them.

Beside the lexical arrays it holds the semantic vectors. They arrive from the task queue after a project was
saved; `sync()` picks up those embedded since the last look (an indexed range on `Signature.embedded_at`). A
network of under `ann.ANN_FROM` vectors keeps them in the process (int8, one row per project, zero where none is
computed yet; 384 bytes per project) and searches them exactly. A larger one maps the newest shared snapshot
(`ann.py`: a usearch HNSW index in a file that all processes of a server share) and keeps only the vectors
computed since (`fresh`), searched exactly beside it; when they pile up, it asks a task worker for a new
snapshot.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.db.models import F, Q
from django.utils import timezone

from lotse.portfolio.models import Project
from lotse.synergy import ann, embeddings, engine, services
from lotse.synergy.matrix import ArrayIndex, Vector
from lotse.synergy.models import Signature

# Changes are looked for this far back: it covers transactions that commit late and app servers whose clocks
# differ a little. Looking at a project twice costs nothing; missing one would leave it stale.
MARGIN = timedelta(minutes=5)
# Every query scores the overlay in Python, so it stays small: a million-project network rebuilds after 2,000
# changes (about 20 s, see docs/benchmarks.md), a small one after 500.
REBUILD_SHARE = 0.002
REBUILD_MINIMUM = 500
BATCH = 5000
SEMANTIC_BLOCK = 16384
SNAPSHOT_CHECK = 60.0  # seconds between looks for a newer vector snapshot
SNAPSHOT_RETRY = 600.0  # seconds before a process asks for a new snapshot again
FRESH_MAX = 2000  # vectors computed since the snapshot, searched exactly, before a new one is asked for
TOWN_VECTORS = 50_000  # vectors of towns' own lists kept per process from the snapshot (int8: about 20 MB)


def stamp(moment: datetime) -> int:
    return int(moment.timestamp() * 1_000_000)


@dataclass
class Entry:
    """A project changed since the arrays were built, scored on its own."""

    group: int
    stamp: int
    features: dict[str, float]
    digital: bool
    weights: dict[str, float]  # weighted once against the arrays' document frequencies, not on every query
    vector: np.ndarray | None = None  # int8, when computed


def unpacked(value: bytes | memoryview | None) -> np.ndarray | None:
    if value is None:
        return None
    vector = np.frombuffer(bytes(value), dtype=np.int8)
    return vector if vector.shape == (embeddings.DIMENSIONS,) else None


def cosine(vector: np.ndarray, unit: np.ndarray) -> float:
    """The cosine of an int8 vector with a unit query vector."""
    v = np.asarray(vector, dtype=np.float32)
    return float(v @ unit / max(float(np.linalg.norm(v)), 1e-9))


class NetworkIndex:
    def __init__(self) -> None:
        self.arrays: ArrayIndex | None = None
        self.alive: np.ndarray | None = None  # False for rows replaced by an overlay entry
        self.overlay: dict[int, Entry] = {}
        self.semantic: np.ndarray | None = None  # (rows, DIMENSIONS) int8, aligned with the arrays (exact mode)
        self.vectors = 0  # how many rows of `semantic` hold a vector (exact mode)
        self.norms: np.ndarray | None = None  # the length of each row of `semantic`
        self.snapshot: ann.Snapshot | None = None  # the shared snapshot (a large network)
        self.fresh: dict[int, tuple[np.ndarray, datetime]] = {}  # vectors computed after the snapshot
        self.taken: dict[int, datetime] = {}  # vectors taken in within the margin: pk -> embedded_at
        self.last_scores: tuple[weakref.ref[Vector], ArrayIndex, np.ndarray] | None = None  # `ranked`'s last query
        self.looked_at = 0.0  # time.monotonic() of the last look for a newer snapshot
        self.asked_at = -SNAPSHOT_RETRY  # ... and of the last request for a new one
        self.checked_at: datetime | None = None
        # per town, its snapshot vectors as one matrix (the own-town list reads them on every query)
        self.towns: OrderedDict[tuple[object, ...], tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = (
            OrderedDict()
        )
        self.lock = threading.RLock()

    def reset(self) -> None:
        with self.lock:
            self.arrays, self.alive, self.overlay, self.checked_at = None, None, {}, None
            self.semantic, self.vectors, self.snapshot, self.fresh, self.norms = None, 0, None, {}, None
            self.taken = {}
            self.towns = OrderedDict()
            self.looked_at, self.asked_at = 0.0, -SNAPSHOT_RETRY

    # --- keeping current

    def _rows(self) -> Iterable[tuple[int, int, int, dict[str, float], bool]]:
        qs = Signature.objects.filter(engine=engine.ENGINE_VERSION, version=F("project__version")).values_list(
            "project_id", "project__municipality_id", "project__updated_at", "features", "digital"
        )
        for pk, group, updated_at, features, digital in qs.order_by().iterator(chunk_size=BATCH):
            yield pk, group, stamp(updated_at), features, digital

    def build(self) -> None:
        """Bring every signature up to date, then lay all of them out as arrays. The texts are analysed before
        the lock is taken, so queries go on against the current arrays meanwhile."""
        started = timezone.now()
        outdated = Project.objects.filter(
            Q(signature__isnull=True)
            | ~Q(signature__version=F("version"))
            | ~Q(signature__engine=engine.ENGINE_VERSION)
            | Q(signature__computed_at__lt=F("updated_at"))
        ).values_list("pk", flat=True)
        ids = list(outdated)
        for start in range(0, len(ids), BATCH):
            services.refresh(ids[start : start + BATCH])
        arrays = ArrayIndex(self._rows())
        path = ann.newest() if arrays.n >= ann.ANN_FROM else None
        snapshot = ann.load(path) if path else None
        semantic: np.ndarray | None = None
        fresh: dict[int, tuple[np.ndarray, datetime]] = {}
        vectors = 0
        norms: np.ndarray | None = None
        if snapshot is not None:  # only what came after the snapshot is held here
            fresh = self._after(snapshot)
        else:
            semantic = np.zeros((arrays.n, embeddings.DIMENSIONS), dtype=np.int8)
            rows = Signature.objects.filter(vector__isnull=False).values_list("project_id", "vector").order_by()
            for pk, value in rows.iterator(chunk_size=BATCH):
                row, vector = arrays.row_of(pk), unpacked(value)
                if row is not None and vector is not None:
                    semantic[row] = vector
                    vectors += 1
            norms = np.linalg.norm(semantic.astype(np.float32), axis=1) if arrays.n else np.zeros(0, np.float32)
        with self.lock:
            self.arrays = arrays
            self.semantic, self.vectors, self.snapshot, self.fresh = semantic, vectors, snapshot, fresh
            self.norms = norms
            self.taken = {}
            self.alive = np.ones(self.arrays.n, dtype=bool)
            self.overlay = {}
            self.checked_at = started
            self.looked_at = time.monotonic()

    def _changed(self, recent: list[tuple[int, int, datetime]]) -> dict[int, tuple[int, int]]:
        """Those of (pk, group, updated_at) whose change stamp differs from the one indexed (or are new)."""
        assert self.arrays is not None
        if not recent:
            return {}
        pks = np.array([pk for pk, _g, _at in recent], dtype=np.int64)
        stamps = np.array([stamp(at) for _pk, _g, at in recent], dtype=np.int64)
        position = np.minimum(np.searchsorted(self.arrays.ids, pks), max(self.arrays.n - 1, 0))
        known = np.full(len(pks), -1, dtype=np.int64)
        if self.arrays.n:
            found = self.arrays.ids[position] == pks
            known[found] = self.arrays.stamps[position[found]]
        if self.overlay:
            for i, pk in enumerate(pks.tolist()):
                if pk in self.overlay:
                    known[i] = self.overlay[pk].stamp
        return {pk: (group, int(stamps[i])) for i, (pk, group, _at) in enumerate(recent) if known[i] != stamps[i]}

    def sync(self) -> None:
        """Catch up with projects created or changed since the last look (in any app process).

        A project changed within the last MARGIN is looked at again on every sync (about a microsecond each),
        so for some minutes after a bulk import of many thousand projects, queries are that much slower."""
        with self.lock:
            if self.arrays is None or self.checked_at is None:
                self.build()
                self._keep_snapshot()
                return
            now = timezone.now()
            recent = Project.objects.filter(updated_at__gte=self.checked_at - MARGIN).values_list(
                "pk", "municipality_id", "updated_at"
            )
            changed = self._changed(list(recent))
            since = self.checked_at - MARGIN
        signatures: list[tuple[int, dict[str, float], bool, Any]] = []
        if changed:
            # Texts are analysed without the lock: other requests keep querying the arrays meanwhile.
            services.refresh(changed)
            signatures = list(
                Signature.objects.filter(project__in=list(changed)).values_list(
                    "project_id", "features", "digital", "vector"
                )
            )
        # Vectors computed since the last look: their stamps first (small), the vectors only of those not yet
        # taken (during a large reindex, thousands arrive within the margin, and every query would read them all).
        stamps = (
            Signature.objects.filter(embedded_at__gte=since)
            .exclude(project__in=list(changed))
            .values_list("project_id", "embedded_at")
        )
        new = [pk for pk, at in stamps if self.taken.get(pk) != at]
        embedded = list(Signature.objects.filter(project__in=new).values_list("project_id", "vector", "embedded_at"))
        with self.lock:
            if self.arrays is None:
                return  # reset meanwhile; the next sync builds afresh
            for pk, features, digital, value in signatures:
                group, when = changed[pk]
                known = self.overlay.get(pk)
                if known is not None and known.stamp >= when:
                    continue  # another request got here first
                weights = self.arrays.vector(features, digital).features
                self.overlay[pk] = Entry(group, when, features, digital, weights, unpacked(value))
                row = self.arrays.row_of(pk)
                if row is not None:
                    self.alive[row] = False  # type: ignore[index]
            self.taken = {pk: at for pk, at in self.taken.items() if at >= since}
            for pk, value, at in embedded:
                vector = unpacked(value)
                if vector is None or at is None:
                    continue
                self.taken[pk] = at
                if pk in self.overlay:
                    self.overlay[pk].vector = vector
                elif self.snapshot is not None:
                    if at > self.snapshot.through:
                        self.fresh[pk] = (vector, at)
                elif (row := self.arrays.row_of(pk)) is not None and self.semantic is not None:
                    if not self.semantic[row].any():
                        self.vectors += 1
                    self.semantic[row] = vector
                    if self.norms is not None:
                        self.norms[row] = np.linalg.norm(vector.astype(np.float32))
            self.checked_at = max(self.checked_at or now, now)
            grown = len(self.overlay) > max(REBUILD_MINIMUM, REBUILD_SHARE * self.arrays.n)
        if grown:
            self.build()
        self._keep_snapshot()

    @staticmethod
    def _after(snapshot: ann.Snapshot) -> dict[int, tuple[np.ndarray, datetime]]:
        """The vectors computed after the snapshot was taken (what a process holds beside it)."""
        later = Signature.objects.filter(vector__isnull=False, embedded_at__gt=snapshot.through)
        fresh = {}
        for pk, value, at in later.values_list("project_id", "vector", "embedded_at").order_by().iterator():
            if (vector := unpacked(value)) is not None and at is not None:
                fresh[pk] = (vector, at)
        return fresh

    def _keep_snapshot(self) -> None:
        """Map a newer shared snapshot when one was written, and ask a task worker for one when the network has
        grown past `ann.ANN_FROM` vectors or many vectors came after the snapshot."""
        now = time.monotonic()
        if now - self.looked_at < SNAPSHOT_CHECK or self.arrays is None or self.arrays.n < ann.ANN_FROM:
            return
        self.looked_at = now
        path = ann.newest()
        if path is not None and (self.snapshot is None or path != self.snapshot.path):
            snapshot = ann.load(path)
            if snapshot is not None:
                # From exact search to the snapshot the process gives up its own copy and reads what came after
                # it; from one snapshot to the next it keeps what the new one does not hold.
                fresh = self._after(snapshot) if self.snapshot is None else None
                with self.lock:
                    if fresh is not None:
                        self.semantic, self.norms, self.vectors = None, None, 0
                    else:
                        fresh = {pk: (v, at) for pk, (v, at) in self.fresh.items() if at > snapshot.through}
                    self.snapshot, self.fresh = snapshot, fresh
                    self.taken = {}  # the next sync looks at the margin's vectors again, now against the snapshot
        wanted = len(self.fresh) > FRESH_MAX if self.snapshot is not None else self.vectors >= ann.ANN_FROM
        if wanted and ann.available() and now - self.asked_at >= SNAPSHOT_RETRY:
            from lotse.synergy.tasks import snapshot_vectors

            self.asked_at = now
            snapshot_vectors.enqueue()

    # --- queries

    def features_of(self, pk: int) -> tuple[dict[str, float], bool] | None:
        if pk in self.overlay:
            return self.overlay[pk].features, self.overlay[pk].digital
        row = Signature.objects.filter(project_id=pk).values_list("features", "digital").first()
        return (row[0], row[1]) if row else None

    def size(self) -> int:
        """About how many projects the index holds (replaced rows count twice): cheap, for decisions by scale."""
        with self.lock:
            return (0 if self.arrays is None else self.arrays.n) + len(self.overlay)

    def ids(self) -> np.ndarray:
        """The ids of every live project the index holds (arrays and overlay), ascending."""
        with self.lock:
            held = [] if self.arrays is None or self.alive is None else [self.arrays.ids[self.alive]]
            overlay = np.fromiter(self.overlay, dtype=np.int64, count=len(self.overlay))
            return np.unique(np.concatenate([*held, overlay]).astype(np.int64))

    def vector_of(self, pk: int) -> np.ndarray | None:
        """The project's semantic vector (int8) as the index holds it, or None."""
        with self.lock:
            if pk in self.overlay:
                return self.overlay[pk].vector
            if self.snapshot is not None:
                if pk in self.fresh:
                    return self.fresh[pk][0].copy()
                if self.arrays is None or self.arrays.row_of(pk) is None:
                    return None
                (stored,) = self.snapshot.vectors([pk])
                return None if stored is None else np.asarray(stored, dtype=np.int8)
            if self.arrays is None or self.semantic is None or (row := self.arrays.row_of(pk)) is None:
                return None
            vector = self.semantic[row]
            return vector.copy() if vector.any() else None

    def vectors_of(self, pks: list[int]) -> list[np.ndarray | None]:
        """`vector_of` for several projects (one read of the snapshot for all of them)."""
        with self.lock:
            snapshot, arrays = self.snapshot, self.arrays
            if snapshot is None or arrays is None:
                return [self.vector_of(pk) for pk in pks]
            out: dict[int, np.ndarray | None] = {}
            ask = []
            for pk in pks:
                if pk in self.overlay:
                    out[pk] = self.overlay[pk].vector
                elif pk in self.fresh:
                    out[pk] = self.fresh[pk][0].copy()
                elif arrays.row_of(pk) is None:
                    out[pk] = None
                else:
                    ask.append(pk)
            for pk, stored in zip(ask, snapshot.vectors(ask), strict=True):
                out[pk] = None if stored is None else np.asarray(stored, dtype=np.int8)
            return [out[pk] for pk in pks]

    def semantic_ranked(
        self,
        query: np.ndarray,
        k: int,
        *,
        exclude: int | None = None,
        group: int | None = None,
        other_than: int | None = None,
    ) -> list[tuple[int, float]]:
        """The k projects whose vectors are closest to `query` (int8 or float), with the same filters as
        `ranked`. Exact search over the int8 rows, in blocks so that the float copy stays small."""
        q = np.asarray(query, dtype=np.float32)
        q = q / max(float(np.linalg.norm(q)), 1e-9)
        if self.snapshot is not None:
            return self._snapshot_ranked(q, k, exclude=exclude, group=group, other_than=other_than)
        with self.lock:
            assert self.arrays is not None and self.alive is not None and self.semantic is not None
            arrays, semantic, norms = self.arrays, self.semantic, self.norms
            assert norms is not None
            mask = self.alive & (norms > 0)  # rows with a vector
            if group is not None:
                mask = mask & (arrays.groups == group)
            if other_than is not None:
                mask = mask & (arrays.groups != other_than)
            if exclude is not None and (row := arrays.row_of(exclude)) is not None:
                mask[row] = False
            pool = np.flatnonzero(mask)  # only these are scored (one town's list: a few hundred rows)
            scores = np.empty(len(pool), dtype=np.float32)
            for start in range(0, len(pool), SEMANTIC_BLOCK):
                rows = pool[start : start + SEMANTIC_BLOCK]
                scores[start : start + SEMANTIC_BLOCK] = semantic[rows].astype(np.float32) @ q / norms[rows]
            best = []
            if len(pool):
                if len(pool) > k:  # the k best without sorting the whole network
                    top = np.argpartition(-scores, k - 1)[:k]
                    pool, scores = pool[top], scores[top]
                best = [(int(arrays.ids[r]), float(score)) for r, score in zip(pool, scores, strict=True)]
            for pk, entry in self.overlay.items():
                if entry.vector is None or pk == exclude or (group is not None and entry.group != group):
                    continue
                if other_than is not None and entry.group == other_than:
                    continue
                best.append((pk, cosine(entry.vector, q)))
            best.sort(key=lambda t: (-t[1], t[0]))
            return best[:k]

    def _snapshot_ranked(
        self, q: np.ndarray, k: int, *, exclude: int | None, group: int | None, other_than: int | None
    ) -> list[tuple[int, float]]:
        """`semantic_ranked` over the shared snapshot (approximate), the fresh vectors and the overlay (exact).
        One town's projects (`group`) are few: their vectors are read from the snapshot and compared exactly."""
        with self.lock:
            arrays, alive, snapshot = self.arrays, self.alive, self.snapshot
            assert arrays is not None and alive is not None and snapshot is not None
            fresh = {pk: v for pk, (v, _at) in self.fresh.items() if pk not in self.overlay}
            overlay = [(pk, e.group, e.vector) for pk, e in self.overlay.items() if e.vector is not None]

        def keep(pk: int, town: int) -> bool:
            return pk != exclude and (group is None or town == group) and (other_than is None or town != other_than)

        best: dict[int, float] = {}
        if group is not None:
            pks, rows, matrix, norms = self._town_vectors(snapshot, arrays, group)
            usable = alive[rows] & (arrays.groups[rows] == group) & (pks != (exclude or -1))
            if fresh:
                usable &= ~np.isin(pks, np.fromiter(fresh, dtype=np.int64, count=len(fresh)))
            if usable.any():
                pks, matrix, norms = pks[usable], matrix[usable], norms[usable]
                scores = (matrix @ q) / norms
                if len(scores) > k:
                    top = np.argpartition(-scores, k - 1)[:k]
                    pks, scores = pks[top], scores[top]
                best.update(zip(pks.tolist(), scores.tolist(), strict=True))
        else:
            wanted = k + 16
            while True:
                found = snapshot.search(q, wanted)
                for pk, score in found:
                    row = arrays.row_of(pk)
                    if row is None or not alive[row] or pk in fresh or not keep(pk, int(arrays.groups[row])):
                        continue
                    best[pk] = score
                if len(best) >= k or len(found) < wanted or wanted >= snapshot.count:
                    break
                wanted *= 4
        for pk, vector in fresh.items():
            row = arrays.row_of(pk)
            if row is not None and alive[row] and keep(pk, int(arrays.groups[row])):
                best[pk] = cosine(vector, q)
        for pk, town, vector in overlay:
            if keep(pk, town):
                best[pk] = cosine(vector, q)
        return sorted(best.items(), key=lambda t: (-t[1], t[0]))[:k]

    def _town_vectors(
        self, snapshot: ann.Snapshot, arrays: ArrayIndex, group: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """A town's vectors in the snapshot as one matrix (pks, rows, int8 matrix, lengths), kept per snapshot
        and index: the snapshot never changes, and what changed since is filtered out by the caller."""
        key = (snapshot.path, id(arrays), len(arrays.ids), group)
        with self.lock:
            if key in self.towns:
                self.towns.move_to_end(key)
                return self.towns[key]
        rows = np.flatnonzero(arrays.groups == group)
        pks = arrays.ids[rows].astype(np.int64)
        vectors = snapshot.vectors(pks.tolist())
        present = np.array([v is not None for v in vectors], dtype=bool)
        pks, rows = pks[present], rows[present]
        matrix = (
            np.stack([v for v in vectors if v is not None]).astype(np.int8)
            if present.any()
            else np.zeros((0, embeddings.DIMENSIONS), dtype=np.int8)
        )
        norms = np.maximum(np.linalg.norm(matrix.astype(np.float32), axis=1), 1e-9)
        entry = (pks, rows, matrix, norms)
        with self.lock:
            self.towns[key] = entry
            while sum(len(e[0]) for e in self.towns.values()) > TOWN_VECTORS and len(self.towns) > 1:
                self.towns.popitem(last=False)
        return entry

    def vector(self, features: dict[str, float], digital: bool) -> Vector:
        assert self.arrays is not None
        return self.arrays.vector(features, digital)

    def ranked(
        self,
        query: Vector,
        k: int,
        *,
        exclude: int | None = None,
        group: int | None = None,
        other_than: int | None = None,
    ) -> list[tuple[int, float]]:
        """The k best (project id, score) pairs, optionally only in `group` or only outside `other_than`."""
        with self.lock:
            assert self.arrays is not None and self.alive is not None
            arrays = self.arrays
            memo = self.last_scores
            if memo is not None and memo[0]() is query and memo[1] is arrays:
                scores = memo[2].copy()  # the same query for another list (own town, then the others)
            else:
                scores = arrays.scores(query)
                self.last_scores = (weakref.ref(query), arrays, scores.copy())
            mask = self.alive
            if group is not None:
                mask = mask & (arrays.groups == group)
            if other_than is not None:
                mask = mask & (arrays.groups != other_than)
            if exclude is not None and (row := arrays.row_of(exclude)) is not None:
                scores[row] = 0
            best = arrays.top(scores, k, mask)
            for pk, entry in self.overlay.items():
                if pk == exclude or (group is not None and entry.group != group):
                    continue
                if other_than is not None and entry.group == other_than:
                    continue
                score = self._score(query, entry)
                if score > 0:
                    best.append((pk, round(min(1.0, score), 4)))
            best.sort(key=lambda t: (-t[1], t[0]))
            return best[:k]

    def _score(self, query: Vector, entry: Entry) -> float:
        score = sum(w * entry.weights.get(f, 0.0) for f, w in query.features.items())
        return score * (engine.MIXED_PENALTY if entry.digital != query.digital else 1.0)


NETWORK = NetworkIndex()
