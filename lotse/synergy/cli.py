"""`lotse synergies --input FILE.jsonl --top K`: similar projects for every line of a JSON Lines file.

Runs without Django settings or a database, so it works on any exported list. Input lines:
`{"id": ..., "title": ..., "description": ...}` (kommune/municipality, tags, ozg_ids and leika_keys are used when
present). The engine is `evidence.py` with the embedder this environment configures (the bundled model by default;
`EMBEDDINGS_URL` for a shared server, `EMBEDDINGS_BACKEND=off` for lexical evidence only).
Output, one line per record, best first and never the record itself:
`{"id": ..., "similar": [{"id": ..., "score": 0.0-1.0, "match": true|false, "reason": [...]}, ...]}`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from lotse.synergy import embeddings
from lotse.synergy.evidence import run_batch


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lotse synergies", description="Ähnliche Vorhaben finden (JSON Lines).")
    parser.add_argument("--input", required=True, type=Path, help="JSON-Lines-Datei mit id, title, description")
    parser.add_argument("--top", type=int, default=10, help="höchstens so viele ähnliche Vorhaben je Zeile")
    parser.add_argument("--output", type=Path, help="Ausgabedatei (Standard: Standardausgabe)")
    args = parser.parse_args(argv)
    records = []
    try:
        with args.input.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    print(f"Zeile {number}: kein gültiges JSON ({error.msg}).", file=sys.stderr)
                    return 2
                if not isinstance(record, dict) or "id" not in record:
                    print(f"Zeile {number}: Es fehlt das Feld „id“.", file=sys.stderr)
                    return 2
                records.append(record)
    except OSError as error:
        print(f"Die Datei „{args.input}“ kann nicht gelesen werden: {error.strerror}.", file=sys.stderr)
        return 2
    ids = [str(r["id"]) for r in records]
    if len(ids) != len(set(ids)):
        print("Jede „id“ darf nur einmal vorkommen.", file=sys.stderr)
        return 2
    try:
        embedder = embeddings.configured()
    except embeddings.EmbeddingError as error:
        print(str(error), file=sys.stderr)
        return 2
    results = run_batch(records, top=max(1, args.top), embedder=embedder)
    if embedder is not None and embeddings.status(probe=False) != "ok":
        print("Hinweis: ohne semantisches Modell, nur lexikalische Ähnlichkeit.", file=sys.stderr)
    out = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    try:
        for result in results:
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
    finally:
        if args.output:
            out.close()
    return 0
