"""The similarity index for a whole network: `engine.Index`'s scores over numpy arrays.

`engine.Index` defines the score and stays the readable reference; this class computes the same numbers for
a million projects. Features become column numbers, and each column keeps the rows (documents) that have it
with their weights (a compressed sparse column layout). A query adds up only the columns it shares with the
documents, so its cost follows the length of those columns, not the size of the network.

Built once from (id, group, stamp, features, digital) rows; rows are sorted by id so lookups are a binary
search. It is immutable: the caller (`lotse.synergy.index`) masks changed rows and scores their new version
beside it until the next rebuild.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from lotse.synergy.engine import CONCEPT_SHARE, MIXED_PENALTY

Row = tuple[int, int, int, Mapping[str, float], bool]  # id, group (municipality), stamp, features, digital

# A feature that this share of all documents has is kept as one dense column: adding a dense column is several
# times faster than scattering a long list of rows, and at this share it takes little more memory.
DENSE_SHARE = 0.2
DENSE_FROM = 1000  # documents; below this everything stays sparse
SAMPLE = 64  # see ArrayIndex.top


@dataclass
class Vector:
    """A document weighted against the index: columns it shares with the index, and its own features."""

    columns: np.ndarray
    weights: np.ndarray
    features: dict[str, float]  # every weighted feature, also those the index does not know
    digital: bool


def _tf(tf: np.ndarray) -> np.ndarray:
    return np.where(tf >= 1, 1 + np.log(np.maximum(tf, 1e-9)), tf)


class ArrayIndex:
    def __init__(self, rows: Iterable[Row]):
        ids = array("q")
        groups = array("q")
        stamps = array("q")
        digital = array("b")
        lengths = array("q")
        columns = array("q")
        tfs = array("f")
        vocab: dict[str, int] = {}
        for doc_id, group, stamp, features, is_digital in rows:
            ids.append(doc_id)
            groups.append(group)
            stamps.append(stamp)
            digital.append(bool(is_digital))
            lengths.append(len(features))
            columns.extend(vocab.setdefault(f, len(vocab)) for f in features)
            tfs.extend(features.values())
        self.vocab = vocab
        self.n = len(ids)
        order = np.argsort(np.frombuffer(ids, dtype=np.int64), kind="stable")
        self.ids = np.frombuffer(ids, dtype=np.int64)[order]
        self.groups = np.frombuffer(groups, dtype=np.int64)[order].astype(np.int32)
        self.stamps = np.frombuffer(stamps, dtype=np.int64)[order]
        self.digital = np.frombuffer(digital, dtype=np.int8)[order].astype(bool)
        rank = np.empty(self.n, dtype=np.int64)
        rank[order] = np.arange(self.n)  # position of each input row after sorting by id

        lens = np.frombuffer(lengths, dtype=np.int64)
        cols = np.frombuffer(columns, dtype=np.int64)
        tf = np.frombuffer(tfs, dtype=np.float32).astype(np.float64)
        doc_of = np.repeat(rank, lens)
        self.df = np.bincount(cols, minlength=len(vocab)).astype(np.int64)
        self.idf = np.log((1 + self.n) / (1 + self.df)) + 1.0
        self.is_concept = np.fromiter((f.startswith("c:") for f in vocab), dtype=bool, count=len(vocab))
        weights = _tf(tf) * self.idf[cols]
        block = self.is_concept[cols].astype(np.int64)
        key = doc_of * 2 + block
        norms = np.sqrt(np.bincount(key, weights=weights * weights, minlength=2 * self.n))
        norms[norms == 0] = 1.0
        share = np.where(block == 1, math.sqrt(CONCEPT_SHARE), math.sqrt(1 - CONCEPT_SHARE))
        weights = weights * share / norms[key]
        dense = np.flatnonzero(self.df >= DENSE_SHARE * self.n) if self.n >= DENSE_FROM else np.array([], np.int64)
        self.slot = np.full(len(vocab), -1, dtype=np.int64)  # column → row of self.dense, or -1
        self.slot[dense] = np.arange(len(dense))
        self.dense = np.zeros((len(dense), self.n), dtype=np.float32)
        in_dense = self.slot[cols] >= 0
        self.dense[self.slot[cols[in_dense]], doc_of[in_dense]] = weights[in_dense]
        sparse = ~in_dense
        cols, doc_of, weights = cols[sparse], doc_of[sparse], weights[sparse]
        by_column = np.lexsort((doc_of, cols))  # by column, then by row
        self.rows = doc_of[by_column].astype(np.int32)
        self.values = weights[by_column].astype(np.float32)
        self.indptr = np.concatenate([[0], np.cumsum(np.bincount(cols, minlength=len(vocab)))]).astype(np.int64)

    @property
    def nbytes(self) -> int:
        arrays = (self.ids, self.groups, self.stamps, self.digital, self.df, self.idf, self.is_concept, self.slot)
        return sum(a.nbytes for a in (*arrays, self.rows, self.values, self.indptr, self.dense))

    def row_of(self, doc_id: int) -> int | None:
        i = int(np.searchsorted(self.ids, doc_id))
        return i if i < self.n and self.ids[i] == doc_id else None

    def vector(self, features: Mapping[str, float], digital: bool) -> Vector:
        """Weights as in `engine.Index.vector`, with this index's document frequencies."""
        empty_idf = math.log(1 + self.n) + 1.0  # a feature no document has
        weighted: dict[str, float] = {}
        for prefix, share in (("c:", CONCEPT_SHARE), ("w:", 1 - CONCEPT_SHARE)):
            block = {}
            for f, tf in features.items():
                if not f.startswith(prefix):
                    continue
                col = self.vocab.get(f)
                idf = self.idf[col] if col is not None else empty_idf
                block[f] = ((1 + math.log(tf)) if tf >= 1 else tf) * float(idf)
            norm = math.sqrt(sum(w * w for w in block.values())) or 1.0
            scale = math.sqrt(share) / norm
            weighted.update({f: w * scale for f, w in block.items()})
        known = [(self.vocab[f], w) for f, w in weighted.items() if f in self.vocab]
        return Vector(
            np.array([c for c, _w in known], dtype=np.int64),
            np.array([w for _c, w in known], dtype=np.float32),
            weighted,
            digital,
        )

    def scores(self, query: Vector) -> np.ndarray:
        """The score of every row against the query (0 where nothing is shared)."""
        result = np.zeros(self.n, dtype=np.float32)
        for col, weight in zip(query.columns.tolist(), query.weights.tolist(), strict=True):
            slot = self.slot[col]
            if slot >= 0:
                result += self.dense[slot] * np.float32(weight)
                continue
            start, end = self.indptr[col], self.indptr[col + 1]
            result[self.rows[start:end]] += self.values[start:end] * np.float32(weight)
        result[self.digital != query.digital] *= np.float32(MIXED_PENALTY)
        return result

    def top(self, scores: np.ndarray, k: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The k best (id, score) pairs with a score above zero, best first; ties by id."""
        if mask is not None:
            scores = scores * mask
        # The k-th best of every SAMPLE-th score is a lower bound for the k-th best of all: only scores above
        # it need sorting, about SAMPLE × k of them, instead of a million.
        floor = np.float32(0)
        if self.n > SAMPLE * k * 4:
            sample = scores[::SAMPLE]
            floor = max(floor, np.partition(sample, len(sample) - k)[len(sample) - k])
        candidates = np.flatnonzero(scores >= floor) if floor > 0 else np.flatnonzero(scores)
        if len(candidates) > k:
            best = np.argpartition(-scores[candidates], k - 1)[:k]
            threshold = scores[candidates[best]].min()
            candidates = candidates[scores[candidates] >= threshold]  # keep every tie at the edge
        ranked = sorted(candidates.tolist(), key=lambda r: (-float(scores[r]), int(self.ids[r])))[:k]
        return [(int(self.ids[r]), round(min(1.0, float(scores[r])), 4)) for r in ranked if scores[r] > 0]
