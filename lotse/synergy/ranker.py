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
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from lotse.synergy import evidence

REFERENCE = 60  # projects of the network every corpus is measured against
REFERENCE_SECONDS = 3600  # how long a process keeps its reference sample
MODEL_SECONDS = 60  # how long a process keeps the network's learned weights before it looks for newer ones
ANALYSED_CACHE = 20_000  # projects whose analysed texts (concepts, n-grams: ~10 kB each) a process keeps

_lock = threading.Lock()
# keyed by what the analysis reads (the texts themselves: hashing them is cheaper than digesting them)
_analysed: OrderedDict[tuple[object, ...], tuple[dict[str, float], tuple[np.ndarray, np.ndarray]]] = OrderedDict()
_reference: dict[str, tuple[float, list[tuple[evidence.Project, np.ndarray | None]]]] = {}  # key -> (at, sample)
_model: list[tuple[float, evidence.Model]] = []  # (at, the model in use)


@dataclass
class Scored:
    index: int  # position in the projects given to `rank`
    score: float
    match: bool


def analysed(project: evidence.Project) -> tuple[dict[str, float], tuple[np.ndarray, np.ndarray]]:
    """`evidence.concept_features` and `evidence.project_grams`, kept per text: analysing the texts is most of
    the cost of a pool (a few milliseconds per project), and the same candidates and reference projects come back
    in request after request."""
    key = (project.id, project.title, project.description, project.town, project.services, project.tags)
    with _lock:
        if key in _analysed:
            _analysed.move_to_end(key)
            return _analysed[key]
    concepts = dict(project.concepts) if project.concepts is not None else evidence.concept_features(project)
    result = (concepts, evidence.project_grams(project))
    with _lock:
        _analysed[key] = result
        while len(_analysed) > ANALYSED_CACHE:
            _analysed.popitem(last=False)
    return result


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
        _analysed.clear()
        _model.clear()


def forget_model() -> None:
    """A new fit in this process is used at once (other processes take it within MODEL_SECONDS)."""
    with _lock:
        _model.clear()


def model(load: Callable[[], evidence.Model | None]) -> evidence.Model:
    """The model in use: the network's learned weights (`load()`, None while there are none), else the shipped
    model; kept for MODEL_SECONDS, so a new fit reaches every process within a minute."""
    now = time.monotonic()
    with _lock:
        if _model and now - _model[0][0] < MODEL_SECONDS:
            return _model[0][1]
    chosen = load() or evidence.shipped_model()
    with _lock:
        _model[:] = [(now, chosen)]
    return chosen


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

    def score(self, i: int, j: int) -> float:
        """The final score of one pair, in this pool's context (what the lists would show)."""
        n = len(self.corpus)
        p_row = evidence.stage1(self.corpus, self.variant, np.array([i]), np.arange(n))[0]
        return float(evidence.score_targets(self.corpus, self.variant, i, p_row, np.array([j]))[0])

    def reason(self, i: int, j: int) -> list[str]:
        return evidence.reason(self.corpus, i, j)


def pool(
    projects: Sequence[evidence.Project],
    vectors: Sequence[np.ndarray | None],
    sample: Sequence[tuple[evidence.Project, np.ndarray | None]] = (),
    using: evidence.Model | None = None,
) -> Pool:
    """The corpus of `projects` (with their int8 vectors, or None) and the reference `sample`, scored with
    `using` (default: the shipped model)."""
    given = {p.id for p in projects}
    semantic = all(v is not None for v in vectors) and bool(projects)
    extra = [(p, v) for p, v in sample if p.id not in given and (v is not None or not semantic)]
    everything = [*projects, *(p for p, _v in extra)]
    matrix = None
    if semantic:
        rows = [*vectors, *(v for _p, v in extra)]
        matrix = np.stack([np.asarray(v, dtype=np.float32) for v in rows])
        matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
    features = [analysed(p) for p in everything]
    corpus = evidence.Corpus(
        everything,
        matrix,
        concepts=[c for c, _g in features],
        grams=[g for _c, g in features],
        prior_below=evidence.MEASURED_FROM,
    )
    return Pool(corpus, (using or evidence.shipped_model()).variant("semantic" in corpus.kinds), len(projects))


def model_version(using: evidence.Model | None = None) -> str:
    """Changes with the weights (shipped or learned): cached groupings of another model are never shown."""
    chosen = using or evidence.shipped_model()
    text = repr(
        sorted((k, v.threshold, v.stage1.coef, v.stage1.intercept, v.correction) for k, v in chosen.variants.items())
    )
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()
