"""The combined engine (`evidence.py`: character n-grams, thesaurus concepts, semantic vectors, OZG services in
one calibrated score) for the app's lists: the project page's panel, "Wer macht das schon?" and the clusters.

The network index (`index.NETWORK`) finds candidates fast, lexically and by vector; this module scores them
with the shipped model over a small corpus: the query, its candidates and a fixed reference sample of the
network. The reference gives each cosine its scale (the row statistics the model was fitted with, and document
frequencies), as the whole set did when the model was fitted on sets of about ninety projects.

Semantic evidence is used where the query and every candidate have a vector; otherwise the lexical variant
scores them (and the panel says that semantic matches follow once the task queue has computed the vectors)."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from lotse.synergy import evidence

REFERENCE = 60  # projects of the network every corpus is measured against
REFERENCE_SECONDS = 3600  # how long a process keeps its reference sample
CONCEPT_CACHE = 50_000  # projects whose concept features a process keeps

_lock = threading.Lock()
_concepts: OrderedDict[str, dict[str, float]] = OrderedDict()
_reference: dict[str, tuple[float, list[tuple[evidence.Project, np.ndarray | None]]]] = {}  # key -> (at, sample)


@dataclass
class Scored:
    index: int  # position in the projects given to `rank`
    score: float
    match: bool


def concepts_of(project: evidence.Project) -> dict[str, float]:
    """`evidence.concept_features`, kept per text: the analysis costs a few milliseconds per project."""
    key = hashlib.blake2b(repr(project).encode("utf-8"), digest_size=16).hexdigest()
    with _lock:
        if key in _concepts:
            _concepts.move_to_end(key)
            return _concepts[key]
    features = evidence.concept_features(project)
    with _lock:
        _concepts[key] = features
        while len(_concepts) > CONCEPT_CACHE:
            _concepts.popitem(last=False)
    return features


Sample = list[tuple[evidence.Project, np.ndarray | None]]


def reference(load: Callable[[], Sample], key: str = "network") -> Sample:
    """The process's reference sample, loaded with `load()` and kept for REFERENCE_SECONDS."""
    now = time.monotonic()
    with _lock:
        kept = _reference.get(key)
        if kept and now - kept[0] < REFERENCE_SECONDS:
            return kept[1]
    sample = load()
    with _lock:
        _reference[key] = (now, sample)
    return sample


def forget() -> None:
    with _lock:
        _reference.clear()
        _concepts.clear()


@dataclass
class Pool:
    """A corpus of the projects to rank, after them the reference projects (never ranked themselves)."""

    corpus: evidence.Corpus
    variant: evidence.Variant
    size: int  # the first `size` projects of the corpus are the ones given

    @property
    def semantic(self) -> bool:
        return "semantic" in self.variant.kinds

    def ranked(self, i: int, among: Sequence[int] | None = None) -> list[Scored]:
        """Project i's scores with the given projects (all of them, or `among`), best first."""
        n = len(self.corpus)
        if among is None:
            cols = np.arange(n)
        else:  # only these and the reference: a seed of the clusters needs no score with every other seed
            cols = np.unique(np.concatenate([np.asarray(among, dtype=int), np.arange(self.size, n), [i]]))
        p_row = np.full(n, -1.0)
        p_row[cols] = evidence.stage1(self.corpus, self.variant, np.array([i]), cols)[0]
        targets = np.array(sorted(set(range(self.size) if among is None else among) - {i}), dtype=int)
        final = evidence.score_targets(self.corpus, self.variant, i, p_row, targets)
        threshold = self.variant.threshold
        order = np.lexsort((targets, -final))
        return [Scored(int(targets[o]), float(final[o]), bool(final[o] >= threshold)) for o in order]

    def reason(self, i: int, j: int) -> list[str]:
        return evidence.reason(self.corpus, i, j)


def pool(
    projects: Sequence[evidence.Project],
    vectors: Sequence[np.ndarray | None],
    sample: Sequence[tuple[evidence.Project, np.ndarray | None]] = (),
) -> Pool:
    """The corpus of `projects` (with their int8 vectors, or None) and the reference `sample`."""
    given = {p.id for p in projects}
    semantic = all(v is not None for v in vectors) and bool(projects)
    extra = [(p, v) for p, v in sample if p.id not in given and (v is not None or not semantic)]
    everything = [*projects, *(p for p, _v in extra)]
    matrix = None
    if semantic:
        rows = [*vectors, *(v for _p, v in extra)]
        matrix = np.stack([np.asarray(v, dtype=np.float32) for v in rows])
        matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
    corpus = evidence.Corpus(
        everything, matrix, concepts=[concepts_of(p) for p in everything], prior_below=evidence.MEASURED_FROM
    )
    return Pool(corpus, evidence.shipped_model().variant("semantic" in corpus.kinds), len(projects))


def model_version() -> str:
    """Changes with the shipped weights: cached groupings of an older model are never shown."""
    model = evidence.shipped_model()
    text = repr(sorted((k, v.to_json()["threshold"], v.stage1.coef) for k, v in model.variants.items()))
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


def vectors_of(mapping: Mapping[int, np.ndarray | None], ids: Sequence[int]) -> list[np.ndarray | None]:
    return [mapping.get(i) for i in ids]
