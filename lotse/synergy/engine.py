"""German-aware similarity of municipal projects. Plain Python, no Django: the app, the batch CLI and the
benchmarks share it.

A text becomes weighted features:
- word stems (Snowball German), with umlauts folded and stop words dropped;
- the parts of compounds, found against the thesaurus and the words seen in the corpus
  ("Hundesteueranmeldung" → hundesteuer, anmeldung);
- concepts from the municipal thesaurus ("Mietzuschuss" and "Wohngeld" are both *Wohngeld*), which carry most of
  the weight because they survive paraphrase;
- a marker whether the text describes a digital undertaking at all.
Two projects are compared by the cosine of their TF-IDF-weighted features. The score is in [0, 1]; `match` uses a
threshold calibrated on development data; the reason lists the shared concepts (or, failing those, stems).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

import snowballstemmer

from lotse.core import limits
from lotse.synergy.thesaurus import ABBREVIATIONS, CONCEPTS, DIGITAL, DIGITAL_TOPICAL, GENERIC, words

# Calibrated on development data so that precision and recall of `match` are balanced (see docs/synergy.md).
# Raise when analysis changes, so stored signatures are recomputed (synergy.Signature.engine).
ENGINE_VERSION = "3"
MATCH_THRESHOLD = 0.29
# Share of the score that comes from shared thesaurus concepts; the rest from shared word stems.
CONCEPT_SHARE = 0.5
CONCEPT_WEIGHT = 1.0
TITLE_CONCEPT_FACTOR = 3.0
PART_WEIGHT = 0.6
MIN_INFIX = 6
# A digital project and a non-digital one (a new fire engine vs. a fire-brigade app) share a topic, not work.
MIXED_PENALTY = 0.35

STOP_WORDS = frozenset(
    words(
        """
    aber alle allem allen aller alles als also am an ander andere anderen auch auf aus bei beim bereits
    bis bzw da dabei damit dann das dass dem den denen der deren des dessen die dies diese diesem diesen
    dieser dieses doch dort durch ein eine einem einen einer eines einzelnen er es etwa etwas fur gegen
    hat haben hier ihr ihre ihrem ihren ihrer im in inklusive ist ja je jede jedem jeden jeder jedes
    kann konnen mehr mit nach neue neuen neuer neues nicht noch nun nur ob oder ohne per pro sich sie
    sind so sowie statt uber um und uns unter vom von vor wann was weiter weitere welche wenn werden wie
    wieder wird wo zu zum zur zwischen zusatzlich sowie erfolgt erfolgen erhalt erhalten konnen soll
    sollen wurde wurden gibt geht damit daher dadurch stadt gemeinde kommune kommunen verwaltung burger
    burgerinnen einfuhrung projekt ziel ziele neu gemeinsam gemeinsame gemeinsamen moglich moglichkeit
    schaffen bereitstellen umsetzen umsetzung aufbau ausbau
    """
    )
) | frozenset(GENERIC)

_stemmer = snowballstemmer.stemmer("german")
_word = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# What is read of one text at most: the longest project (title twice, summary, description) and its tags. Texts
# saved before the limits existed, or coming from another instance, are cut here rather than slowing every query.
LONGEST_TEXT = 2 * limits.TITLE + limits.SUMMARY + limits.DESCRIPTION + 2_000


def _words_of(folded: str) -> list[str]:
    """The words of a folded text; longer "words" than any German one are not language and are left out, which
    keeps the compound analysis (quadratic in a word's length) bounded per word and so linear in the text."""
    return [w for w in _word.findall(folded) if len(w) <= limits.LONGEST_WORD]


def fold(text: str) -> str:
    """Lower case, umlauts and ß folded, other accents removed: "Bürgerbüro" → "burgerburo"."""
    text = text.lower().replace("ß", "ss").replace("ä", "a").replace("ö", "o").replace("ü", "u")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return str(_stemmer.stemWord(word))


def _expand(text: str) -> str:
    words = text.split()
    return " ".join(ABBREVIATIONS.get(w, w) + (" " + w if w in ABBREVIATIONS else "") for w in words)


@dataclass(frozen=True)
class Concept:
    label: str
    phrases: tuple[str, ...]  # multi-word terms, matched in the folded text
    words: frozenset[str]  # single-word terms, matched as whole words (stemmed)
    infixes: tuple[str, ...]  # single-word terms of MIN_INFIX+ letters, matched inside compounds


def _build_concepts() -> list[Concept]:
    result = []
    for label, terms in CONCEPTS.items():
        phrases, words, infixes = [], set(), []
        for term in terms:
            t = fold(term)
            if " " in t or "&" in t:
                phrases.append(t)
                continue
            words.add(stem(t))
            if "-" in t:
                words.add(stem(t.replace("-", "")))
            elif len(t) >= MIN_INFIX:
                infixes.append(t)
        result.append(Concept(label, tuple(phrases), frozenset(words), tuple(infixes)))
    return result


INFLECTIONS = ("", "e", "n", "en", "s", "es", "er", "ern")


def _compound_terms(words: Iterable[str], infixes: frozenset[str]) -> set[str]:
    """The infixes that are a part of some compound among `words`: its first part, or its head (the end,
    maybe inflected). A part leaves at least three letters for the rest of the compound.

    Looks up each possible first part and head of each word, instead of testing every term against every word."""
    found: set[str] = set()
    for word in set(words):
        n = len(word)
        if n < MIN_INFIX + 3 or n > limits.LONGEST_WORD:
            continue
        found.update(word[:j] for j in range(MIN_INFIX, n - 2) if word[:j] in infixes)
        for ending in INFLECTIONS:
            if not word.endswith(ending):
                continue
            end = n - len(ending)
            found.update(
                word[i:end] for i in range(max(1, 3 - len(ending)), end - MIN_INFIX + 1) if word[i:end] in infixes
            )
    return found


CONCEPT_LIST = _build_concepts()
INFIXES = frozenset(t for c in CONCEPT_LIST for t in c.infixes)
DIGITAL_STEMS = frozenset(stem(fold(w)) for w in DIGITAL if not w.endswith("-"))
# Parts that compounds are split into: every thesaurus word plus common municipal heads.
LEXICON = frozenset(
    {t for c in CONCEPT_LIST for t in c.infixes}
    | set(
        words(
            """
        antrag antrage anmeldung abmeldung ummeldung bescheid verfahren portal plattform verwaltung
        system management dienst dienste service karte karten ticket buchung vergabe steuer gebuhr
        register kataster ausweis schein zentrum amt stelle buro akte daten bericht planung kontrolle
        verkauf shop verzeichnis
        """
        )
    )
)


DIGITAL_PARTS = tuple(fold(w) for w in [*DIGITAL, *DIGITAL_TOPICAL] if len(w) >= 4 and not w.endswith("-"))
DIGITAL_WORDS = frozenset(fold(w) for w in DIGITAL_TOPICAL)


def _is_digital(piece: str, stemmed: str, raw: str) -> bool:
    if stemmed in DIGITAL_STEMS or piece in DIGITAL_WORDS or raw.startswith(("e-", "i-")):
        return True
    return any(piece.startswith(d) or piece.endswith(d) for d in DIGITAL_PARTS if len(piece) > len(d) + 2)


def split_compound(word: str, lexicon: frozenset[str] = LEXICON) -> list[str]:
    """Split a folded compound into known parts, allowing German linking letters (s, n, en, es, e).

    Returns [] when no full split into at least two parts exists, and for words longer than any German word
    (the search below recurses once per part)."""
    n = len(word)
    if n > limits.LONGEST_WORD:
        return []

    @cache
    def walk(i: int) -> tuple[str, ...] | None:
        if i == n:
            return ()
        for j in range(n, i + 2, -1):  # longest part first, parts of three letters or more
            if i == 0 and j == n:
                continue  # the word itself is not a split
            part = word[i:j]
            if part in lexicon:
                rest = walk(j)
                if rest is not None:
                    return (part, *rest)
                for link in ("s", "n", "en", "es", "e"):
                    if word.startswith(link, j):
                        rest = walk(j + len(link))
                        if rest is not None:
                            return (part, *rest)
        return None

    parts = walk(0)
    return list(parts) if parts and len(parts) > 1 else []


def _mentions(concept: Concept, stems: set[str], folded: str, in_compounds: set[str]) -> bool:
    if stems & concept.words or any(p in folded for p in concept.phrases):
        return True
    return any(infix in in_compounds for infix in concept.infixes)


@dataclass
class Document:
    id: str
    features: dict[str, float] = field(default_factory=dict)  # raw term frequencies, weighted
    concepts: set[str] = field(default_factory=set)
    digital: bool = False


def analyse(
    doc_id: str, title: str, text: str = "", extra: Iterable[str] = (), services: Iterable[str] = ()
) -> Document:
    """Features of one project. `extra`: tags and field names, treated like words of the text. `services`:
    labels of the OZG services the project implements ("OZG 10513"); two projects for the same service share
    what they are, so each label counts like a concept named in the title."""
    folded = fold(" ".join([title, title, text, *extra])[:LONGEST_TEXT])  # the title counts twice
    folded = _expand(folded.replace("/", " "))
    doc = Document(doc_id)
    counts: defaultdict[str, float] = defaultdict(float)
    words = _words_of(folded)
    for raw in words:
        pieces = [raw, *raw.split("-")] if "-" in raw else [raw]
        if len(pieces) > 1 and any(stem(p) in DIGITAL_STEMS for p in pieces[1:]):
            doc.digital = True
            pieces = pieces[1:]  # "Online-Dienst": the parts speak, the digital prefix only sets the marker
        for piece in pieces:
            if len(piece) < 2 or piece in STOP_WORDS or piece.isdigit():
                continue
            s = stem(piece)
            if _is_digital(piece, s, raw):
                doc.digital = True
                if s in DIGITAL_STEMS:
                    continue  # "online", "digital", "App" say how, not what: they set the marker only
            counts["w:" + s] += 1.0
            for part in split_compound(piece):
                counts["w:" + stem(part)] += PART_WEIGHT
    stems = {k[2:] for k in counts}
    title_folded = _expand(fold(title[: limits.TITLE * 2]).replace("/", " "))
    title_words = _words_of(title_folded)
    title_stems = {stem(p) for w in title_words for p in (w, *w.split("-"))}
    in_compounds = _compound_terms(words, INFIXES)
    title_compounds = _compound_terms(title_words, INFIXES)
    for concept in CONCEPT_LIST:
        if not _mentions(concept, stems, folded, in_compounds):
            continue
        doc.concepts.add(concept.label)
        # What the title names is what the project *is*; the description also names what it uses.
        in_title = _mentions(concept, title_stems, title_folded, title_compounds)
        counts["c:" + concept.label] += CONCEPT_WEIGHT * (TITLE_CONCEPT_FACTOR if in_title else 1.0)
    for label in services:
        doc.concepts.add(label)
        counts["c:" + label] += CONCEPT_WEIGHT * TITLE_CONCEPT_FACTOR
    doc.features = dict(counts)
    return doc


class Index:
    """TF-IDF vectors of a set of documents, and queries against them: the reference definition of the score.

    Plain Python and easy to read; `matrix.ArrayIndex` computes the same numbers over numpy arrays for a whole
    network, and the tests hold the two together. The benchmark uses this class as its baseline."""

    def __init__(self, documents: Iterable[Document]):
        self.docs: dict[str, Document] = {}
        self.df: Counter[str] = Counter()
        for d in documents:
            self.docs[d.id] = d
            self.df.update(d.features.keys())
        self.n = len(self.docs)
        self.vectors: dict[str, dict[str, float]] = {i: self.vector(d) for i, d in self.docs.items()}
        self.postings: dict[str, list[tuple[str, float]]] = {}
        for i, vec in self.vectors.items():
            for f, w in vec.items():
                self.postings.setdefault(f, []).append((i, w))

    def idf(self, feature: str) -> float:
        return math.log((1 + self.n) / (1 + self.df.get(feature, 0))) + 1.0

    def vector(self, doc: Document) -> dict[str, float]:
        """Concepts and words are normalised as two blocks and mixed by CONCEPT_SHARE, so that the dot product
        of two vectors is CONCEPT_SHARE × cos(concepts) + (1 − CONCEPT_SHARE) × cos(words)."""
        result: dict[str, float] = {}
        for prefix, share in (("c:", CONCEPT_SHARE), ("w:", 1 - CONCEPT_SHARE)):
            block = {
                f: ((1 + math.log(tf)) if tf >= 1 else tf) * self.idf(f)
                for f, tf in doc.features.items()
                if f.startswith(prefix)
            }
            norm = math.sqrt(sum(w * w for w in block.values())) or 1.0
            scale = math.sqrt(share) / norm
            result.update({f: w * scale for f, w in block.items()})
        return result

    def similar(self, doc: Document, top: int = 10, exclude: Iterable[str] = ()) -> list[tuple[str, float]]:
        vec = self.vectors.get(doc.id) or self.vector(doc)
        scores: dict[str, float] = {}
        for f, w in vec.items():
            for other, v in self.postings.get(f, ()):
                scores[other] = scores.get(other, 0.0) + w * v
        skip = {doc.id, *exclude}
        for other in scores:
            if self.docs.get(other) is not None and self.docs[other].digital != doc.digital:
                scores[other] *= MIXED_PENALTY
        best = sorted(((i, s) for i, s in scores.items() if i not in skip), key=lambda t: (-t[1], t[0]))
        return [(i, round(min(1.0, s), 4)) for i, s in best[:top]]


def reason(a: Document, b: Document) -> list[str]:
    """Why two projects look alike: shared concepts, or else the most telling shared words."""
    shared = sorted(a.concepts & b.concepts)
    if shared:
        return shared
    words = sorted(k[2:] for k in set(a.features) & set(b.features) if k.startswith("w:"))
    return words[:5]


def is_match(score: float, threshold: float = MATCH_THRESHOLD) -> bool:
    return score >= threshold


def run_batch(records: Iterable[Mapping[str, Any]], top: int = 10) -> list[dict[str, Any]]:
    """For each record (id, title, description, optional tags/fields), its most similar other records."""
    from lotse.synergy.matrix import ArrayIndex  # it builds on this module's constants

    docs = []
    for r in records:
        extra = [str(x) for key in ("tags", "fields") for x in (r.get(key) or [])]
        services = [f"OZG {x}" for x in (r.get("ozg_ids") or [])]
        title, description = str(r.get("title") or ""), str(r.get("description") or "")
        docs.append(analyse(str(r["id"]), title, description, extra, services))
    index = ArrayIndex((position, 0, 0, d.features, d.digital) for position, d in enumerate(docs))
    out = []
    for position, d in enumerate(docs):
        scores = index.scores(index.vector(d.features, d.digital))
        scores[position] = 0  # never the record itself
        similar = []
        for other, score in index.top(scores, top):
            similar.append(
                {"id": docs[other].id, "score": score, "match": is_match(score), "reason": reason(d, docs[other])}
            )
        out.append({"id": d.id, "similar": similar})
    return out
