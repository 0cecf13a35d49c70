"""Evidence that two projects are the same undertaking, and one calibrated score over it (issue 19).

Per pair of projects, three kinds of evidence, each a cosine and how far that cosine stands out among the
project's other candidates (a per-row z-score, made symmetric):

- `char`: character 3-5-grams (TF-IDF) of title (twice) and description: names and re-deployments
  ("Talomat", "Gieß den Kiez"), inflection and compounds without a dictionary;
- `concept`: the thesaurus concepts of `engine.analyse`, TF-IDF weighted: synonyms that share no letters
  (Mietzuschuss, Wohngeld);
- `service`: the OZG-Leistungen and LeiKa services the projects are linked to (a prior, see SERVICE_LOGIT);
- `semantic`: multilingual-e5-small passage vectors (`embeddings.py`), when this installation has them.

The municipality's own name is removed first: "Kitakarte Dresden" and "Freie Parkplätze Dresden" share a place,
not a purpose.

Stage 1, a logistic regression over these features, gives every pair a probability. Stage 2 asks whether the
two projects also agree about their neighbours (the cosine of their stage-1 profiles, each project counting as
its own neighbour, over the query's NEIGHBOURS best candidates): members of one cluster of re-deployments point
at each other, a look-alike that shares one word points elsewhere. A second logistic regression over
[stage-1 probability, agreement] gives the score in [0, 1]; `match` is score ≥ the threshold chosen by grouped
five-fold cross-validation over dev + civic pooled (`bench/synergy_quality.py --fit`, which writes `model.json`;
docs/synergy.md has the figures). The same `rank_one` ranks each row of a batch (`lotse synergies`) and is meant
to rank one project against a network.

Without vectors (the model cannot load, or the project's vector is still being computed) the `lexical` variant
of the model is used: same stages, fitted without the semantic features.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from lotse.synergy import embeddings

KINDS = ("char", "concept", "semantic")
NEIGHBOURS = 30
# Two projects linked to the same OZG-Leistung or LeiKa service are strong evidence, but neither shared set links
# services, so no weight can be fitted: this prior adds to the stage-1 logit per unit of service cosine and lifts
# a pair that shares its one service from "unrelated" (logit about -6) to a probable match on its own. Pair
# decisions of the network refit it (issue 19, point 4).
SERVICE_LOGIT = 9.0
STATS_SAMPLE = 2048
GRAM_MAX = 2048  # up to this many projects a corpus computes all its cosines at once and keeps them
# Below this many projects a row's cosines with the others say little about what an ordinary candidate scores;
# the app's small pools (a young network) use these lexical row statistics instead (median mean and standard
# deviation of a row's cosines in the two fitting sets, dev and civic, 2026-12-03) and no semantic evidence (its
# scale depends on the model).
MEASURED_FROM = 40
ROW_PRIOR = {"char": (0.0554, 0.0411), "concept": (0.0293, 0.1412)}
MODEL_PATH = Path(__file__).with_name("model.json")
SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")


@dataclass(frozen=True)
class Project:
    id: str
    title: str
    description: str = ""
    town: str = ""
    services: tuple[str, ...] = ()  # OZG-Leistungen and LeiKa keys, e.g. "OZG 10513"
    tags: tuple[str, ...] = ()
    # `concept_features` of this very text when stored beside it (the app keeps them in its index): not part of
    # the project's identity, and recomputed when absent.
    concepts: tuple[tuple[str, float], ...] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Project:
        """A line of `lotse synergies` input (id, title, description; kommune/municipality, ozg_ids, tags)."""
        services = tuple(f"OZG {s}" for s in record.get("ozg_ids") or ()) + tuple(
            f"LeiKa {s}" for s in record.get("leika_keys") or ()
        )
        return cls(
            id=str(record["id"]),
            title=str(record.get("title") or ""),
            description=str(record.get("description") or record.get("summary") or ""),
            town=str(record.get("kommune") or record.get("municipality") or ""),
            services=services,
            tags=tuple(str(t) for t in record.get("tags") or ()),
        )


# Words of a municipality's name that are not the name: "Weil der Stadt", "Neustadt an der Weinstraße", "Bad Urach"
NOT_THE_NAME = frozenset({"stadt", "gemeinde", "bad", "der", "die", "das", "den", "dem", "des", "und", "bei", "vor"})


@lru_cache(maxsize=4096)
def _town_pattern(town: str) -> re.Pattern[str] | None:
    """The municipality's name and its derived forms ("Potsdam", "Potsdamer"), compiled once per town (a pool
    holds projects of many towns, more than `re` keeps compiled)."""
    words = [w for w in re.findall(r"\w+", town) if len(w) >= 3 and w.lower() not in NOT_THE_NAME]
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(w.rstrip("e")) for w in words) + r")\w*", re.IGNORECASE)


def without_town(text: str, town: str) -> str:
    """Drop the municipality's name and its derived forms ("Potsdam", "Potsdamer")."""
    pattern = _town_pattern(town.strip())
    return text if pattern is None else pattern.sub(" ", text)


def mentions_town(text: str, town: str) -> bool:
    pattern = _town_pattern(town.strip())
    return pattern is not None and pattern.search(text) is not None


def clean(project: Project) -> tuple[str, str]:
    return without_town(project.title, project.town), without_town(project.description, project.town)


def semantic_text(project: Project) -> str:
    """What the model reads: title and description without the town, cut where e5 stops reading anyway."""
    title, body = clean(project)
    return f"{title}. {body}"[:2000]


# --- the model -----------------------------------------------------------------------------------------------


@dataclass
class Stage:
    coef: list[float]
    intercept: float

    def __call__(self, x: np.ndarray, offset: np.ndarray | float = 0.0) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(x @ np.asarray(self.coef) + self.intercept + offset)))


@dataclass
class Variant:
    kinds: tuple[str, ...]
    stage1: Stage
    stage2: Stage
    threshold: float
    cv: dict[str, Any] = field(default_factory=dict)
    # Learned from the network's pair decisions (`learn`): added to the final score's logit per pair feature
    # (`pair_features`: each kind's cosine and z-score, the service cosine) and as a constant; None = shipped.
    correction: list[float] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kinds": list(self.kinds),
            "stage1": {"coef": self.stage1.coef, "intercept": self.stage1.intercept},
            "stage2": {"coef": self.stage2.coef, "intercept": self.stage2.intercept},
            "threshold": self.threshold,
            "cv": self.cv,
            **({"correction": self.correction} if self.correction is not None else {}),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Variant:
        return cls(
            kinds=tuple(data["kinds"]),
            stage1=Stage(list(data["stage1"]["coef"]), float(data["stage1"]["intercept"])),
            stage2=Stage(list(data["stage2"]["coef"]), float(data["stage2"]["intercept"])),
            threshold=float(data["threshold"]),
            cv=dict(data.get("cv") or {}),
            correction=[float(v) for v in data["correction"]] if data.get("correction") else None,
        )


@dataclass
class Model:
    variants: dict[str, Variant]  # "semantic" (all three kinds) and "lexical" (char + concept)
    about: dict[str, Any] = field(default_factory=dict)

    def variant(self, semantic: bool) -> Variant:
        return self.variants["semantic" if semantic and "semantic" in self.variants else "lexical"]

    def save(self, path: Path = MODEL_PATH) -> None:
        data = {"about": self.about, "variants": {k: v.to_json() for k, v in self.variants.items()}}
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


@cache
def shipped_model() -> Model:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    return Model({k: Variant.from_json(v) for k, v in data["variants"].items()}, data.get("about", {}))


# --- vectors of a corpus -------------------------------------------------------------------------------------


def _char_vectorizer() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=True, dtype=np.float32)


def char_document(project: Project) -> str:
    title, body = clean(project)
    return f"{title} {title} {body} {' '.join(project.tags)}"


@cache
def _char_analyzer() -> Any:
    return _char_vectorizer().build_analyzer()


def _gram_ids(grams: Iterable[str]) -> np.ndarray:
    """Stable 63-bit ids of character n-grams (CRC-32 and Adler-32 of the UTF-8 bytes side by side: the same in
    every process and run, and for the few hundred thousand n-grams of a corpus without a collision in practice)."""
    crc, adler = zlib.crc32, zlib.adler32
    return np.array([(crc(b := g.encode("utf-8")) << 31) ^ adler(b) for g in grams], dtype=np.int64)


WORD_CACHE = 100_000  # words whose n-gram ids a process keeps (about 25 MB)
_word_grams: dict[str, np.ndarray] = {}


def _grams_of_word(word: str) -> np.ndarray:
    ids = _word_grams.get(word)
    if ids is None:
        if len(_word_grams) >= WORD_CACHE:
            _word_grams.clear()
        ids = _word_grams[word] = _gram_ids(_char_analyzer()(word))
    return ids


def char_grams(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The character 3-5-grams of a text as (sorted ids, counts): what the char vectorizer's analysis yields.
    Its n-grams never cross a word (char_wb), so they are taken word by word, and each word is analysed once per
    process: municipal texts use the same few thousand words."""
    words = text.lower().split()
    if not words:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    ids, counts = np.unique(np.concatenate([_grams_of_word(w) for w in words]), return_counts=True)
    return ids, counts.astype(np.float32)


def project_grams(project: Project) -> tuple[np.ndarray, np.ndarray]:
    return char_grams(char_document(project))


def tfidf(counts: sparse.csr_matrix, idf: np.ndarray | None = None) -> tuple[sparse.csr_matrix, np.ndarray]:
    """TF-IDF as sklearn's TfidfTransformer(sublinear_tf=True) computes it (smooth idf, rows L2-normalised), with
    the idf of `counts` itself unless given; written out because its input checks cost more than the arithmetic
    on the app's small corpora."""
    if idf is None:
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        idf = (np.log((counts.shape[0] + 1) / (df + 1.0)) + 1.0).astype(np.float32)
    x = counts.astype(np.float32, copy=True)
    np.log(x.data, out=x.data)
    x.data += 1.0
    x.data *= idf[x.indices]
    return l2_rows(x), idf


def l2_rows(x: sparse.csr_matrix) -> sparse.csr_matrix:
    """Rows scaled to unit length in place (empty rows stay empty), as sklearn's `normalize`."""
    per_row = np.diff(x.indptr)
    row_of = np.repeat(np.arange(x.shape[0]), per_row)
    lengths = np.sqrt(np.bincount(row_of, weights=x.data.astype(np.float64) ** 2, minlength=x.shape[0]))
    lengths[lengths == 0] = 1.0
    x.data /= lengths[row_of].astype(x.data.dtype)
    return x


def dict_matrix(rows: Sequence[Mapping[str, float]]) -> sparse.csr_matrix:
    """Feature dicts as a sparse matrix (columns: the sorted feature names), as sklearn's DictVectorizer."""
    names = sorted({k for row in rows for k in row})
    column = {k: i for i, k in enumerate(names)}
    indptr = np.cumsum([0, *(len(row) for row in rows)])
    indices = np.fromiter((column[k] for row in rows for k in row), dtype=np.int64, count=int(indptr[-1]))
    data = np.fromiter((v for row in rows for v in row.values()), dtype=np.float32, count=int(indptr[-1]))
    matrix = sparse.csr_matrix((data, indices, indptr), shape=(len(rows), len(names)))
    matrix.sort_indices()
    return matrix


class CharSpace:
    """TF-IDF of character n-grams over a corpus, as sklearn's TfidfVectorizer(char_wb, 3-5, sublinear_tf) computes
    it, but from n-grams analysed beforehand (`char_grams`)."""

    def __init__(self, documents: Sequence[tuple[np.ndarray, np.ndarray]]):
        ids, counts, rows = self._flat(documents)
        self.vocabulary, columns = np.unique(ids, return_inverse=True)
        matrix = sparse.csr_matrix((counts, (rows, columns)), shape=(len(documents), len(self.vocabulary)))
        self.matrix, self.idf = tfidf(matrix)

    @staticmethod
    def _flat(documents: Sequence[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """All documents' n-gram ids and counts in one array each, with the document each belongs to."""
        if not documents:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
        lengths = np.array([len(i) for i, _c in documents])
        rows = np.repeat(np.arange(len(documents)), lengths)
        return np.concatenate([i for i, _c in documents]), np.concatenate([c for _i, c in documents]), rows

    def _counts(self, documents: Sequence[tuple[np.ndarray, np.ndarray]]) -> sparse.csr_matrix:
        ids, counts, rows = self._flat(documents)
        position = np.minimum(np.searchsorted(self.vocabulary, ids), max(len(self.vocabulary) - 1, 0))
        known = self.vocabulary[position] == ids if len(self.vocabulary) else np.zeros(len(ids), dtype=bool)
        return sparse.csr_matrix(
            (counts[known], (rows[known], position[known])), shape=(len(documents), len(self.vocabulary))
        )

    def transform(self, texts: Sequence[str]) -> Any:
        """Further texts in this corpus's space (n-grams it does not know are left out, as sklearn does)."""
        return tfidf(self._counts([char_grams(t) for t in texts]), self.idf)[0]


def concept_features(project: Project) -> dict[str, float]:
    from lotse.synergy.engine import analyse

    title, body = clean(project)
    doc = analyse(project.id, title, body, extra=project.tags)
    return {k: max(1.0, v) for k, v in doc.features.items() if k.startswith("c:")}


class Corpus:
    """The vectors of a set of projects, the row statistics of each cosine, and queries against them."""

    def __init__(
        self,
        projects: Sequence[Project],
        semantic: np.ndarray | None = None,
        *,
        seed: int = 0,
        concepts: Sequence[Mapping[str, float]] | None = None,
        grams: Sequence[tuple[np.ndarray, np.ndarray]] | None = None,
        prior_below: int = 0,
    ):
        """`concepts`, `grams`: each project's `concept_features` and `project_grams`, when the caller keeps them
        (the app caches both: analysing the texts is most of the cost of a small corpus).
        `prior_below`: a corpus smaller than this uses ROW_PRIOR and no semantic evidence (the app passes
        MEASURED_FROM; a batch such as `lotse synergies` is measured on itself)."""
        self.projects = list(projects)
        self._gram: dict[str, np.ndarray] = {}
        self.position = {p.id: i for i, p in enumerate(self.projects)}
        self.char_model = CharSpace(grams or [project_grams(p) for p in projects])
        self.vectors: dict[str, Any] = {"char": self.char_model.matrix}
        self.vectors["concept"] = tfidf(dict_matrix(concepts or [concept_features(p) for p in projects]))[0]
        services = dict_matrix([dict.fromkeys(p.services, 1.0) for p in projects])
        self.vectors["service"] = l2_rows(services)
        self.has_services = services.shape[1] > 0
        if semantic is not None:
            self.vectors["semantic"] = np.asarray(semantic, dtype=np.float32)
        self.kinds = tuple(k for k in KINDS if k in self.vectors)
        n = len(self.projects)
        rng = np.random.default_rng(seed)
        sample = np.arange(n) if n <= STATS_SAMPLE else np.sort(rng.choice(n, STATS_SAMPLE, replace=False))
        if n < prior_below:
            self.kinds = tuple(k for k in self.kinds if k in ROW_PRIOR)
            self.stats = {k: np.tile(np.array(ROW_PRIOR[k], dtype=np.float32), (n, 1)) for k in self.kinds}
        else:
            self.stats = {k: self._row_stats(k, sample) for k in self.kinds}

    def __len__(self) -> int:
        return len(self.projects)

    def cosines(self, kind: str, rows: np.ndarray, cols: np.ndarray | None = None) -> np.ndarray:
        if len(self.projects) <= GRAM_MAX:  # a small corpus (the app's pools, a batch): every cosine once
            if kind not in self._gram:
                self._gram[kind] = self._product(kind, np.arange(len(self.projects)), None)
            full = self._gram[kind]
            return full[rows] if cols is None else full[np.ix_(np.asarray(rows), np.asarray(cols))]
        return self._product(kind, rows, cols)

    def _product(self, kind: str, rows: np.ndarray, cols: np.ndarray | None) -> np.ndarray:
        a = self.vectors[kind][rows]
        b = self.vectors[kind] if cols is None else self.vectors[kind][cols]
        product = a @ b.T
        return np.asarray(product.todense() if sparse.issparse(product) else product, dtype=np.float32)

    def _row_stats(self, kind: str, sample: np.ndarray) -> np.ndarray:
        """Mean and standard deviation of each project's cosines with the others (over a fixed sample of the
        others when the corpus is large): what an ordinary candidate scores for this project."""
        n = len(self.projects)
        out = np.zeros((n, 2), dtype=np.float32)
        for start in range(0, n, 1024):
            rows = np.arange(start, min(n, start + 1024))
            c = self.cosines(kind, rows, sample).astype(np.float64)
            if c.shape[1] <= 1:
                out[rows] = (0.0, 1.0)
                continue
            others = rows[:, None] != sample[None, :]  # a project's cosine with itself does not count
            with np.errstate(invalid="ignore", divide="ignore"):
                count = others.sum(axis=1)
                mean = np.where(others, c, 0.0).sum(axis=1) / count
                spread = np.where(others, (c - mean[:, None]) ** 2, 0.0).sum(axis=1) / count
            out[rows, 0] = mean
            out[rows, 1] = np.sqrt(spread)
        out[:, 1] = np.maximum(np.nan_to_num(out[:, 1], nan=1.0), 1e-3)
        out[:, 0] = np.nan_to_num(out[:, 0])
        return out

    def features(self, kinds: Sequence[str], rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Stage-1 features of every (row, col) pair: for each kind its cosine and symmetric z-score."""
        parts = []
        for kind in kinds:
            c = self.cosines(kind, rows, cols)
            s_r, s_c = self.stats[kind][rows], self.stats[kind][cols]
            z = ((c - s_r[:, :1]) / s_r[:, 1:] + (c - s_c[:, 0][None, :]) / s_c[:, 1][None, :]) / 2
            parts += [c, z]
        return np.stack(parts, axis=-1)


def stage1(corpus: Corpus, variant: Variant, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    offset = SERVICE_LOGIT * corpus.cosines("service", rows, cols) if corpus.has_services else 0.0
    p = variant.stage1(corpus.features(variant.kinds, rows, cols), offset)
    p[rows[:, None] == cols[None, :]] = 0.0
    return p


def agreement(corpus: Corpus, variant: Variant, i: int, candidates: np.ndarray) -> np.ndarray:
    """For project i and its best candidates, how alike their stage-1 profiles over that neighbourhood are."""
    local = np.concatenate([[i], candidates])
    p = stage1(corpus, variant, local, local)
    # A project agrees with itself: two towns alone with the same project align fully, and in a cluster of three
    # two mates still do. (With a zero here an isolated pair would look like disagreement.)
    np.fill_diagonal(p, 1.0)
    norms = np.linalg.norm(p, axis=1, keepdims=True)
    profiles = p / np.maximum(norms, 1e-9)
    return (profiles @ profiles[0])[1:]


def rank_one(corpus: Corpus, variant: Variant, i: int, p_row: np.ndarray, top: int) -> list[tuple[int, float]]:
    """The `top` best candidates of project i by the final score, given its stage-1 row."""
    p_row = p_row.copy()
    p_row[i] = -1.0
    k = min(max(NEIGHBOURS, top), len(p_row) - 1)
    if k <= 0:
        return []
    candidates = np.argpartition(-p_row, k - 1)[:k]
    candidates = candidates[candidates != i]
    agree = agreement(corpus, variant, i, candidates)
    final = corrected(corpus, variant, i, candidates, variant.stage2(np.stack([p_row[candidates], agree], axis=-1)))
    order = np.lexsort((candidates, -final))[:top]
    return [(int(candidates[o]), float(final[o])) for o in order]


def score_targets(corpus: Corpus, variant: Variant, i: int, p_row: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Final scores of project i with `targets` (other indices), each of them scored even when more than
    NEIGHBOURS other projects of the corpus (the app's reference sample) stand closer: the neighbourhood for the
    agreement is i's best NEIGHBOURS and the targets."""
    p_row = p_row.copy()
    p_row[i] = -1.0
    targets = np.asarray(targets, dtype=int)
    if not len(targets):
        return np.zeros(0)
    k = min(NEIGHBOURS, len(p_row) - 1)
    near = np.argpartition(-p_row, k - 1)[:k] if k > 0 else np.zeros(0, dtype=int)
    local = np.unique(np.concatenate([near, targets]))
    local = local[local != i]
    agree = agreement(corpus, variant, i, local)
    final = variant.stage2(np.stack([p_row[targets], agree[np.searchsorted(local, targets)]], axis=-1))
    return corrected(corpus, variant, i, targets, final)


def corrected(corpus: Corpus, variant: Variant, i: int, others: np.ndarray, final: np.ndarray) -> np.ndarray:
    """The final scores of i with `others`, with the network's learned correction (if any) applied."""
    if variant.correction is None or not len(others):
        return final
    x = pair_features(corpus, variant, [(i, int(j)) for j in others])
    weights = np.asarray(variant.correction)
    return _sigmoid(_logit(final) + x @ weights[:-1] + weights[-1])


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def rank_all(corpus: Corpus, variant: Variant, top: int = 10) -> list[list[tuple[int, float]]]:
    """Every project's `top` best other projects, best first (blockwise: memory stays O(block × n))."""
    n = len(corpus)
    out: list[list[tuple[int, float]]] = []
    cols = np.arange(n)
    for start in range(0, n, 256):
        rows = np.arange(start, min(n, start + 256))
        p = stage1(corpus, variant, rows, cols)
        for r, i in enumerate(rows):
            out.append(rank_one(corpus, variant, int(i), p[r], top))
    return out


# --- reasons ------------------------------------------------------------------------------------------------


WORD = re.compile(r"[A-Za-zÄÖÜäöüß][\w-]{3,}")


@lru_cache(maxsize=4096)  # the query project's words are asked for once per reason shown
def _words(text: str) -> dict[str, str]:
    """Stem -> the word as written (read only: the dict is shared by the cache)."""
    from lotse.synergy.engine import STOP_WORDS, fold, stem

    out: dict[str, str] = {}
    for word in WORD.findall(text):
        folded = fold(word)
        if folded in STOP_WORDS or folded in {"online", "digital", "digitale", "digitaler", "digitales"}:
            continue
        out.setdefault(stem(folded), word)
    return out


def _sentences(title: str, body: str) -> list[str]:
    return [s.strip() for s in [title, *SENTENCE.split(body)] if len(s.strip()) >= 12]


def _best_sentences(corpus: Corpus, a: Project, b: Project) -> list[str]:
    """The sentence of each text that matches the other best (compared without the towns, shown as written)."""
    sa, sb = _sentences(a.title, a.description), _sentences(b.title, b.description)
    if not sa or not sb:
        return []
    va = corpus.char_model.transform([without_town(s, a.town) for s in sa])
    vb = corpus.char_model.transform([without_town(s, b.town) for s in sb])
    sims = np.asarray((va @ vb.T).todense())
    x, y = np.unravel_index(int(np.argmax(sims)), sims.shape)
    return [f"„{_cut(sa[x])}“", f"„{_cut(sb[y])}“"]


def reason(corpus: Corpus, i: int, j: int) -> list[str]:
    """Why two projects look alike, honestly: the shared OZG service, else the shared words, else that they are
    described alike, with the two sentences that match best."""
    a, b = corpus.projects[i], corpus.projects[j]
    services = sorted(set(a.services) & set(b.services))
    if services:
        return [f"gleiche Leistung: {s}" for s in services]
    (ta, da), (tb, db) = clean(a), clean(b)
    wa, wb = _words(f"{ta} {da}"), _words(f"{tb} {db}")
    title_words = set(_words(ta)) | set(_words(tb))
    shared = sorted(set(wa) & set(wb), key=lambda s: (s not in title_words, -len(s), s))
    if len(shared) >= 2 or (shared and shared[0] in title_words):
        return ["gemeinsame Begriffe: " + ", ".join(wa[s] for s in shared[:4])]
    return ["ähnlich beschrieben", *_best_sentences(corpus, a, b)]


def _cut(text: str, length: int = 140) -> str:
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + " …"


# --- batch ------------------------------------------------------------------------------------------------------


def build(projects: Sequence[Project], embedder: embeddings.Embedder | None = None) -> Corpus:
    vectors = embeddings.embed_or_none(embedder, [semantic_text(p) for p in projects]) if projects else None
    return Corpus(projects, vectors)


def run_batch(
    records: Iterable[Mapping[str, Any]],
    top: int = 10,
    embedder: embeddings.Embedder | None = None,
    model: Model | None = None,
) -> list[dict[str, Any]]:
    """`lotse synergies`: for each record its most similar other records, with score, match and reason."""
    projects = [Project.from_record(r) for r in records]
    if not projects:
        return []
    corpus = build(projects, embedder)
    variant = (model or shipped_model()).variant("semantic" in corpus.kinds)
    results = []
    for i, ranked in enumerate(rank_all(corpus, variant, top)):
        similar = [
            {
                "id": projects[j].id,
                "score": round(score, 4),
                "match": bool(score >= variant.threshold),
                "reason": reason(corpus, i, j) if score >= variant.threshold else [],
            }
            for j, score in ranked
        ]
        results.append({"id": projects[i].id, "similar": similar})
    return results


# --- fitting ------------------------------------------------------------------------------------------------


def labels_from_clusters(clusters: Sequence[str | None]) -> np.ndarray:
    """Pair labels of a gold set: 1 where two records share a cluster, 0 elsewhere (None is its own cluster)."""
    c = np.array([x if x else f"\0{i}" for i, x in enumerate(clusters)], dtype=object)
    return (c[:, None] == c[None, :]).astype(int)


def _logistic(x: np.ndarray, y: np.ndarray) -> Stage:
    from sklearn.linear_model import LogisticRegression

    fitted = LogisticRegression(max_iter=5000).fit(x, y)
    return Stage([float(v) for v in fitted.coef_[0]], float(fitted.intercept_[0]))


def fit_variant(
    sets: Sequence[tuple[Corpus, np.ndarray, np.ndarray]], kinds: tuple[str, ...], threshold: float = 0.5
) -> Variant:
    """Fit both stages. Each set: its corpus, pair labels (n × n; -1 = unknown) and the rows that may train
    (the others still serve as candidates and neighbours, as in a real query)."""
    x1, y1 = [], []
    for corpus, labels, train in sets:
        rows = np.flatnonzero(train)
        f = corpus.features(kinds, rows, rows)
        known = (labels[np.ix_(rows, rows)] >= 0) & ~np.eye(len(rows), dtype=bool)
        x1.append(f[known])
        y1.append(labels[np.ix_(rows, rows)][known])
    first = _logistic(np.concatenate(x1), np.concatenate(y1))
    provisional = Variant(kinds, first, Stage([1.0, 0.0], 0.0), threshold)
    x2, y2 = [], []
    for corpus, labels, train in sets:
        rows = np.flatnonzero(train)
        p = stage1(corpus, provisional, rows, rows)
        for r, i in enumerate(rows):
            ranked = np.argsort(-p[r])[: min(NEIGHBOURS, len(rows) - 1)]
            ranked = ranked[rows[ranked] != i]
            if not len(ranked):
                continue
            cand = rows[ranked]
            agree = agreement(corpus, provisional, int(i), cand)
            keep = labels[i, cand] >= 0
            x2.append(np.stack([p[r, ranked], agree], axis=-1)[keep])
            y2.append(labels[i, cand][keep])
    second = _logistic(np.concatenate(x2), np.concatenate(y2))
    return Variant(kinds, first, second, threshold)


# --- learning from people's decisions (issue 19, point 4) ----------------------------------------------------

LEARN_FROM = 20  # decisions, at least LEARN_EACH of each side, before the network's model departs from the shipped
LEARN_EACH = 5
LEARN_PENALTY = 1.0  # L2 pull towards no correction: a handful of decisions nudge, dozens decide


def pair_features(corpus: Corpus, variant: Variant, pairs: Sequence[tuple[int, int]]) -> np.ndarray:
    """Per pair (rows of the corpus): each kind's cosine and symmetric z-score, then the service cosine."""
    if not pairs:
        return np.zeros((0, len(variant.kinds) * 2 + 1))
    rows, cols = (np.array(v, dtype=int) for v in zip(*pairs, strict=True))

    def paired(kind: str) -> np.ndarray:  # the cosine of each pair, not of every row with every column
        a, b = corpus.vectors[kind][rows], corpus.vectors[kind][cols]
        product = a.multiply(b) if sparse.issparse(a) else a * b
        return np.asarray(product.sum(axis=1), dtype=np.float64).ravel()

    out = []
    for kind in variant.kinds:
        c = paired(kind)
        s_r, s_c = corpus.stats[kind][rows], corpus.stats[kind][cols]
        out += [c, ((c - s_r[:, 0]) / s_r[:, 1] + (c - s_c[:, 0]) / s_c[:, 1]) / 2]
    out.append(paired("service") if corpus.has_services else np.zeros(len(pairs)))
    return np.stack(out, axis=-1).astype(np.float64)


def learn(variant: Variant, x: np.ndarray, final: np.ndarray, y: np.ndarray, penalty: float = LEARN_PENALTY) -> Variant:
    """The variant with a correction of its final score learned from people's decisions: a logistic regression
    of the decision on the pair's evidence (`pair_features`), with the shipped score's logit as offset and an L2
    pull towards no correction, so that a few decisions move little and many decide. y: 1 = the same or a related
    project (Duplikat, Nachnutzung, Kooperation), 0 = kein Bezug; `final`: the shipped final scores of the pairs.
    The threshold stays: `match` still means a probable match, now in the network's own judgement."""
    design = np.hstack([x, np.ones((len(x), 1))])
    offset = _logit(final)
    w = np.zeros(design.shape[1])
    for _ in range(50):  # Newton's method on a convex problem of a few parameters
        p = _sigmoid(offset + design @ w)
        gradient = design.T @ (p - y) + penalty * w
        hessian = (design * (p * (1 - p))[:, None]).T @ design + penalty * np.eye(len(w))
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return Variant(variant.kinds, variant.stage1, variant.stage2, variant.threshold, variant.cv, [float(v) for v in w])


def cross_validate(
    sets: Sequence[tuple[Corpus, np.ndarray, list[str]]], kinds: tuple[str, ...], folds: int = 5, seed: int = 0
) -> tuple[float, list[np.ndarray]]:
    """Grouped k-fold over all sets pooled (a cluster never straddles training and test): out-of-fold final
    scores for every record's candidates, and the threshold that maximises their mean match-F1 over the sets.

    Each set: corpus, pair labels, group per record (its cluster, or its own id)."""
    groups = sorted({f"{s}:{g}" for s, (_, _, gs) in enumerate(sets) for g in gs})
    order = np.random.default_rng(seed).permutation(len(groups))
    fold_of = {g: int(order[k]) % folds for k, g in enumerate(groups)}
    fold = [np.array([fold_of[f"{s}:{g}"] for g in gs]) for s, (_, _, gs) in enumerate(sets)]
    scores = [np.zeros((len(c), len(c)), dtype=np.float32) for c, _, _ in sets]
    for k in range(folds):
        variant = fit_variant([(c, y, fold[s] != k) for s, (c, y, _) in enumerate(sets)], kinds)
        for s, (corpus, _, _) in enumerate(sets):
            rows = np.flatnonzero(fold[s] == k)
            if not len(rows):
                continue
            p = stage1(corpus, variant, rows, np.arange(len(corpus)))
            for r, i in enumerate(rows):
                for j, score in rank_one(corpus, variant, int(i), p[r], 10):
                    scores[s][i, j] = score
    return balanced_threshold(scores, [y for _, y, _ in sets]), scores


def balanced_threshold(scores: Sequence[np.ndarray], labels: Sequence[np.ndarray]) -> float:
    """The threshold that maximises the mean of the sets' match-F1: fictional and real text count alike, however
    many pairs each has (pooled F1 would let the larger set decide)."""
    grid = np.round(np.arange(0.05, 0.951, 0.005), 3)
    f1 = np.zeros(len(grid))
    for m, y in zip(scores, labels, strict=True):
        off = ~np.eye(len(m), dtype=bool)
        x, t = m[off][None, :], y[off][None, :].astype(bool)
        flagged = x >= grid[:, None]
        tp = (flagged & t).sum(axis=1)
        precision = tp / np.maximum(flagged.sum(axis=1), 1)
        recall = tp / max(1, int(t.sum()))
        f1 += 2 * precision * recall / np.maximum(precision + recall, 1e-9) / len(scores)
    return float(grid[int(np.argmax(f1))])
