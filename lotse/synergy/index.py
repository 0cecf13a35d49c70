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

Beside the lexical arrays it holds the semantic vectors (int8, one row per project, zero where none is computed
yet). They arrive from the task queue after a project was saved; `sync()` picks up those embedded since the last
look (an indexed range on `Signature.embedded_at`) and writes them in place. Each process holds its own copy
(384 bytes per project: 38 MB at 100,000).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.db.models import F, Q
from django.utils import timezone

from lotse.portfolio.models import Project
from lotse.synergy import embeddings, engine, services
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


class NetworkIndex:
    def __init__(self) -> None:
        self.arrays: ArrayIndex | None = None
        self.alive: np.ndarray | None = None  # False for rows replaced by an overlay entry
        self.overlay: dict[int, Entry] = {}
        self.semantic: np.ndarray | None = None  # (rows, DIMENSIONS) int8, aligned with the arrays
        self.checked_at: datetime | None = None
        self.lock = threading.RLock()

    def reset(self) -> None:
        with self.lock:
            self.arrays, self.alive, self.overlay, self.checked_at = None, None, {}, None
            self.semantic = None

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
        semantic = np.zeros((arrays.n, embeddings.DIMENSIONS), dtype=np.int8)
        rows = Signature.objects.filter(vector__isnull=False).values_list("project_id", "vector").order_by()
        for pk, value in rows.iterator(chunk_size=BATCH):
            row, vector = arrays.row_of(pk), unpacked(value)
            if row is not None and vector is not None:
                semantic[row] = vector
        with self.lock:
            self.arrays = arrays
            self.semantic = semantic
            self.alive = np.ones(self.arrays.n, dtype=bool)
            self.overlay = {}
            self.checked_at = started

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
        embedded = list(
            Signature.objects.filter(embedded_at__gte=since)
            .exclude(project__in=list(changed))
            .values_list("project_id", "vector")
        )
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
            for pk, value in embedded:
                vector = unpacked(value)
                if vector is None:
                    continue
                if pk in self.overlay:
                    self.overlay[pk].vector = vector
                elif (row := self.arrays.row_of(pk)) is not None and self.semantic is not None:
                    self.semantic[row] = vector
            self.checked_at = max(self.checked_at or now, now)
            grown = len(self.overlay) > max(REBUILD_MINIMUM, REBUILD_SHARE * self.arrays.n)
        if grown:
            self.build()

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
            if self.arrays is None or self.semantic is None or (row := self.arrays.row_of(pk)) is None:
                return None
            vector = self.semantic[row]
            return vector.copy() if vector.any() else None

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
        with self.lock:
            assert self.arrays is not None and self.alive is not None and self.semantic is not None
            arrays, semantic = self.arrays, self.semantic
            scores = np.empty(arrays.n, dtype=np.float32)
            for start in range(0, arrays.n, SEMANTIC_BLOCK):
                block = semantic[start : start + SEMANTIC_BLOCK].astype(np.float32)
                scores[start : start + SEMANTIC_BLOCK] = block @ q / 127.0
            mask = self.alive & semantic.any(axis=1)
            if group is not None:
                mask = mask & (arrays.groups == group)
            if other_than is not None:
                mask = mask & (arrays.groups != other_than)
            if exclude is not None and (row := arrays.row_of(exclude)) is not None:
                mask[row] = False
            pool = np.flatnonzero(mask)
            best = []
            if len(pool):
                if len(pool) > k:  # the k best without sorting the whole network
                    pool = pool[np.argpartition(-scores[pool], k - 1)[:k]]
                best = [(int(arrays.ids[r]), float(scores[r])) for r in pool]
            for pk, entry in self.overlay.items():
                if entry.vector is None or pk == exclude or (group is not None and entry.group != group):
                    continue
                if other_than is not None and entry.group == other_than:
                    continue
                best.append((pk, float(entry.vector.astype(np.float32) @ q / 127.0)))
            best.sort(key=lambda t: (-t[1], t[0]))
            return best[:k]

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
            scores = arrays.scores(query)
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
