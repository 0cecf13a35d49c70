"""The structure of a tagged PDF (PDF/UA), read with pikepdf: what a screen reader needs from every PDF Lotse
writes. veraPDF is not in these registries; these are the checks of its PDF/UA-1 profile that fail in practice."""

from __future__ import annotations

import io
from typing import Any

import pikepdf


def _walk(node: Any, found: dict[str, list[Any]]) -> None:
    if isinstance(node, pikepdf.Array):
        for child in node:
            _walk(child, found)
        return
    if not isinstance(node, pikepdf.Dictionary):
        return
    kind = node.get("/S")
    if kind is not None:
        found.setdefault(str(kind), []).append(node)
    kids = node.get("/K")
    if kids is not None:
        _walk(kids, found)


def _has(node: Any, kind: str) -> bool:
    found: dict[str, list[Any]] = {}
    _walk(node.get("/K"), found)
    return bool(found.get(kind))


def structure_problems(data: bytes) -> list[str]:
    """Empty when the PDF has a language, is marked as tagged, has a structure tree, every table has header cells
    and every figure a text alternative."""
    problems = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        if not str(root.get("/Lang", "")):
            problems.append("no /Lang in the catalogue")
        if not bool(root.get("/MarkInfo", pikepdf.Dictionary()).get("/Marked", False)):
            problems.append("not marked as tagged (/MarkInfo /Marked)")
        tree = root.get("/StructTreeRoot")
        if tree is None:
            return [*problems, "no structure tree"]
        found: dict[str, list[Any]] = {}
        _walk(tree.get("/K"), found)
        for n, table in enumerate(found.get("/Table", []), 1):
            if not _has(table, "/TH"):
                problems.append(f"table {n} has no header cell (/TH)")
        for n, figure in enumerate(found.get("/Figure", []), 1):
            if not str(figure.get("/Alt", "")).strip():
                problems.append(f"figure {n} has no /Alt text")
        if not found.get("/H1") and not found.get("/H") and not any(k.startswith("/H") for k in found):
            problems.append("no headings")
    return problems


def tag_counts(data: bytes) -> dict[str, int]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        found: dict[str, list[Any]] = {}
        _walk(pdf.Root.StructTreeRoot.get("/K"), found)
        return {k: len(v) for k, v in found.items()}
