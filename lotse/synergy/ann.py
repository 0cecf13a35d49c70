"""A shared approximate index of the semantic vectors, for networks where exact search costs too much.

Exact search over int8 rows takes about a tenth of a second per query at a million projects, and each app
process would hold its own 384 MB copy. From `ANN_FROM` vectors on, a task worker writes a snapshot of all
vectors as a usearch HNSW index (int8, cosine) into a file under VAR_DIR/synergy/; every app process maps the
newest file read-only (usearch's view), so the operating system keeps one copy of its pages for all processes of
a server, and a query takes well under a millisecond. Vectors computed after the snapshot was taken are held by
each process and searched exactly beside it (`index.NetworkIndex`); the next snapshot takes them in.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings

from lotse.synergy import embeddings

logger = logging.getLogger(__name__)

ANN_FROM = 20_000  # vectors; below this, exact search is fast (a few milliseconds) and exact
KEEP = 2  # snapshots kept on disk: a process may still map the one before the newest
# HNSW parameters: graph degree, and the breadth of the search (recall against speed; docs/benchmarks.md).
CONNECTIVITY, EXPANSION_SEARCH = 16, 128
PREFIX, SUFFIX = "vectors-", ".usearch"


def available() -> bool:
    try:
        import usearch.index  # noqa: F401
    except ImportError:  # another platform without a wheel: exact search only
        return False
    return True


def directory() -> Path:
    return Path(settings.VAR_DIR) / "synergy"


@dataclass
class Snapshot:
    path: Path
    through: datetime  # every vector embedded up to this moment is in it
    count: int
    index: Any

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The k nearest projects by cosine (approximate), best first."""
        if not self.count or k <= 0:
            return []
        found = self.index.search(np.asarray(query, dtype=np.float32), min(k, self.count))
        return [(int(pk), 1.0 - float(d)) for pk, d in zip(found.keys, found.distances, strict=True)]

    def vectors(self, pks: Iterable[int]) -> list[np.ndarray | None]:
        keys = np.fromiter(pks, dtype=np.uint64)
        if not len(keys):
            return []
        return list(self.index.get(keys, dtype=np.int8))


def newest() -> Path | None:
    if not available():
        return None
    files = sorted(directory().glob(f"{PREFIX}*{SUFFIX}"))
    return files[-1] if files else None


def load(path: Path) -> Snapshot | None:
    """Map a snapshot read-only; None if it cannot be read (then exact search goes on)."""
    from usearch.index import Index

    try:
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        index = Index.restore(str(path), view=True)
    except (OSError, ValueError, RuntimeError):
        logger.exception("Vektor-Schnappschuss %s nicht lesbar", path)
        return None
    if index is None:
        return None
    index.expansion_search = EXPANSION_SEARCH  # type: ignore[misc]  # settable, not kept in the file
    return Snapshot(path, datetime.fromisoformat(meta["through"]), int(meta["count"]), index)


def write(
    rows: Iterable[tuple[int, bytes]], through: datetime, batch: int = 10_000, folder: Path | None = None
) -> tuple[Path, int]:
    """Write a snapshot of (project id, int8 vector) rows taken at `through`; returns its path and how many
    vectors it holds. Written beside the others and renamed into place, so a process never maps half a file."""
    from usearch.index import Index

    index = Index(ndim=embeddings.DIMENSIONS, metric="cos", dtype="i8", connectivity=CONNECTIVITY)
    keys: list[int] = []
    values: list[bytes] = []

    def flush() -> None:
        if keys:
            matrix = np.frombuffer(b"".join(values), dtype=np.int8).reshape(len(keys), embeddings.DIMENSIONS)
            index.add(np.array(keys, dtype=np.uint64), matrix)
            keys.clear()
            values.clear()

    for pk, value in rows:
        if len(value) == embeddings.DIMENSIONS:
            keys.append(pk)
            values.append(bytes(value))
        if len(keys) >= batch:
            flush()
    flush()
    folder = folder or directory()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{PREFIX}{datetime.now(tz=UTC):%Y%m%dT%H%M%S%f}"
    temporary = folder / f".{name}{SUFFIX}"
    index.save(str(temporary))
    meta = {"through": through.isoformat(), "count": len(index)}
    (folder / f"{name}.json").write_text(json.dumps(meta), encoding="utf-8")
    target = folder / f"{name}{SUFFIX}"
    os.replace(temporary, target)
    for old in sorted(folder.glob(f"{PREFIX}*{SUFFIX}"))[:-KEEP]:
        old.unlink(missing_ok=True)  # a process that still maps it keeps its pages until it moves on
        old.with_suffix(".json").unlink(missing_ok=True)
    return target, len(index)
