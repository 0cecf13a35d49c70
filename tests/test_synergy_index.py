"""The network index: the numpy arrays give the reference engine's scores, and the live index of an app
process follows changes made anywhere, without a restart, within what each person may see."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.utils import timezone

from lotse.core.services import versioned_delete, versioned_update
from lotse.portfolio import services as portfolio
from lotse.portfolio.models import Project
from lotse.synergy import engine, index, matrix, selectors, services
from lotse.synergy.index import NetworkIndex
from lotse.synergy.matrix import ArrayIndex
from lotse.tenancy.models import Visibility

DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "synergy_dev.jsonl"
OWN = Path(__file__).resolve().parent / "data" / "synergy_own.jsonl"


@pytest.mark.parametrize("dense", [False, True], ids=["sparse", "dense-columns"])
@pytest.mark.parametrize("path", [DEV, OWN], ids=["dev", "own"])
def test_arrays_give_the_reference_scores(path: Path, dense: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if dense:  # frequent features are kept as dense columns in large networks: here in a small one too
        monkeypatch.setattr(matrix, "DENSE_FROM", 0)
        monkeypatch.setattr(matrix, "DENSE_SHARE", 0.03)
    if not path.exists():
        pytest.skip("../shared/data is not beside the project")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = [engine.analyse(str(i), r["title"], r.get("description", "")) for i, r in enumerate(records)]
    reference = engine.Index(docs)
    arrays = ArrayIndex((i, i % 3, 0, d.features, d.digital) for i, d in enumerate(docs))
    assert (len(arrays.dense) > 0) == dense
    for i, doc in enumerate(docs):
        expected = reference.similar(doc, top=5)
        scores = arrays.scores(arrays.vector(doc.features, doc.digital))
        scores[i] = 0
        got = arrays.top(scores, 5)
        assert [int(x) for x, _s in expected] == [x for x, _s in got], doc.id
        assert all(abs(a - b) < 1e-3 for (_x, a), (_y, b) in zip(expected, got, strict=True))
    # Rows are found by id, and a mask keeps a query to one group.
    assert arrays.row_of(7) is not None and arrays.row_of(10_000) is None
    scores = arrays.scores(arrays.vector(docs[0].features, docs[0].digital))
    assert all(pk % 3 == 1 for pk, _s in arrays.top(scores, 10, arrays.groups == 1))


def make(world: Any, town: Any, title: str, summary: str = "", visibility: str = Visibility.NETWORK) -> Project:
    return portfolio.project_save(
        None,
        user=world.users["admin"],
        municipality=town,
        data={"title": title, "summary": summary, "visibility": visibility},
    )


def ids(index: NetworkIndex, text: str) -> list[int]:
    doc = engine.analyse("q", text)
    index.sync()
    return [pk for pk, score in index.ranked(index.vector(doc.features, doc.digital), 5) if engine.is_match(score)]


def test_a_running_index_follows_changes_made_by_any_process(world: Any) -> None:
    first = make(world, world.a, "Hundesteuer online anmelden")
    process = NetworkIndex()  # another app server's copy, built before the changes below
    process.build()
    assert ids(process, "Hundesteuer digital") == [first.pk]
    created = make(world, world.b, "Hundesteueranmeldung im Portal")
    assert set(ids(process, "Hundesteuer digital")) == {first.pk, created.pk}, "a new project is found"
    versioned_update(
        first,
        user=world.users["admin"],
        expected_version=first.version,
        data={"title": "Digitales Parkleitsystem", "summary": "Freie Parkplätze per App"},
    )
    assert ids(process, "Hundesteuer digital") == [created.pk], "the old text is forgotten"
    assert ids(process, "Parkleitsystem online") == [first.pk], "the new text is found"
    # The search through the app says the same.
    found = selectors.search(world.users["admin"], "Parkleitsystem online")
    assert [s.project for s in found if s.match] == [first]


def test_the_overlay_is_folded_into_new_arrays(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index, "REBUILD_MINIMUM", 2)
    process = NetworkIndex()
    process.build()
    made = [make(world, world.a, f"Fundbüro online {i}") for i in range(3)]
    assert set(ids(process, "Fundsachen digital melden")) == {p.pk for p in made}
    assert process.overlay == {} and process.arrays is not None and process.arrays.n == 3, "rebuilt"


def test_lists_fill_up_with_what_the_person_may_see(world: Any) -> None:
    """Better matches in a town the person may not see must not crowd out the ones they may see."""
    mine = make(world, world.a, "Hundesteuer online", "Hunde an- und abmelden", Visibility.INTERNAL)
    for i in range(30):
        make(world, world.c, "Hundesteuer online", f"Hunde an- und abmelden {i}", Visibility.INTERNAL)
    partner = make(world, world.b, "Anmeldung der Hundesteuer im Portal")
    _own, others = selectors.similar_to(mine, world.users["coordinator_a"], limit=1)
    assert [s.project for s in others] == [partner]
    # Deleted projects stay in the arrays until the next rebuild, but nobody is shown them.
    versioned_delete(partner, user=world.users["admin"])
    _own, others = selectors.similar_to(mine, world.users["coordinator_a"], limit=1)
    assert others == []


def test_top_of_a_large_index_is_the_exact_top() -> None:
    """Large indexes sort only scores above a sampled bound; the result must be the exact top k."""
    rng = random.Random(5)
    vocabulary = [f"w:wort{i}" for i in range(3000)]
    rows = [(i, i % 50, 0, dict.fromkeys(rng.sample(vocabulary, 6), 1.0), i % 7 == 0) for i in range(20_000)]
    arrays = ArrayIndex(rows)
    for i in range(0, 20_000, 997):
        scores = arrays.scores(arrays.vector(rows[i][3], rows[i][4]))
        mask = arrays.groups != i % 50
        expected = sorted(
            ((int(arrays.ids[r]), float(scores[r])) for r in np.flatnonzero(scores * mask)),
            key=lambda t: (-t[1], t[0]),
        )[:20]
        got = arrays.top(scores, 20, mask)
        assert [pk for pk, _s in got] == [pk for pk, _s in expected]
        assert all(pk % 50 != i % 50 for pk, _s in got)


@pytest.fixture
def shared_snapshots(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A network counts as large from 30 vectors on; snapshots go to a directory of this test's own."""
    from lotse.synergy import ann

    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(ann, "ANN_FROM", 30)
    monkeypatch.setattr(index, "SNAPSHOT_CHECK", 0.0)
    return ann


def _network(world: Any, count: int = 45) -> list[Project]:
    towns = [world.a, world.b, world.c]
    words = ["Hundesteuer", "Kita", "Parken", "Friedhof", "Wahlen", "Schule", "Baum", "Wasser", "Sport", "Müll"]
    return [
        portfolio.project_save(
            None,
            user=world.users["admin"],
            municipality=towns[i % 3],
            data={"title": f"{words[i % 10]} digital {i}", "summary": f"{words[(i * 7) % 10]} im Portal, Teil {i}"},
        )
        for i in range(count)
    ]


def test_a_large_network_searches_a_shared_snapshot_and_keeps_only_newer_vectors(
    world: Any, shared_snapshots: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lotse.synergy.index import NETWORK
    from lotse.synergy.models import Signature

    projects = _network(world)
    NETWORK.sync()  # vectors computed (immediate task backend); 45 vectors: the index asks for a snapshot
    assert shared_snapshots.newest() is not None, "the task wrote the shared snapshot"
    exact = NetworkIndex()
    with monkeypatch.context() as small:  # the same network searched exactly, for comparison
        small.setattr(shared_snapshots, "ANN_FROM", 10**9)
        exact.sync()
    NETWORK.sync()  # the running process switches to it at its next look
    assert NETWORK.snapshot is not None and NETWORK.semantic is None, "the process maps it instead of a copy"
    started = NetworkIndex()
    started.sync()
    assert started.snapshot is not None and started.semantic is None, "a process started now maps it at once"
    assert exact.snapshot is None and exact.semantic is not None
    for project in projects[:10]:
        query = exact.vector_of(project.pk)
        held = NETWORK.vector_of(project.pk)
        assert query is not None and held is not None and np.array_equal(held, query)
        for where in ({}, {"other_than": project.municipality_id}, {"group": project.municipality_id}):
            mine = NETWORK.semantic_ranked(query, 5, exclude=project.pk, **where)
            theirs = exact.semantic_ranked(query, 5, exclude=project.pk, **where)
            # As good as the exact search (int8 rounding of the query aside): the same scores, the same pks
            # wherever the scores differ by more than that rounding.
            assert len(mine) == len(theirs) == 5
            for (pk, score), (_pk, best) in zip(mine, theirs, strict=True):
                assert score == pytest.approx(best, abs=0.01), (where, mine, theirs)
                other = exact.vector_of(pk)
                assert other is not None and index.cosine(other, query / np.linalg.norm(query)) == pytest.approx(
                    score, abs=0.01
                )
            assert [pk for pk, s in mine if s > theirs[-1][1] + 0.01] == [
                pk for pk, s in theirs if s > theirs[-1][1] + 0.01
            ]
    # A vector computed after the snapshot is held beside it, and the snapshot's old one no longer counts.
    moved, target = projects[0], projects[1]
    Signature.objects.filter(project=moved).update(
        vector=Signature.objects.get(project=target).vector, embedded_at=timezone.now()
    )
    NETWORK.sync()
    assert moved.pk in NETWORK.fresh
    wanted = NETWORK.vector_of(target.pk)
    assert wanted is not None
    found = NETWORK.semantic_ranked(wanted, 2, exclude=target.pk)
    assert found[0][0] == moved.pk and found[0][1] == pytest.approx(1.0, abs=0.02)
    # ... also in its own town's list, which reads that town's vectors from the snapshot (kept as one matrix)
    in_town = NETWORK.semantic_ranked(wanted, 3, exclude=target.pk, group=moved.municipality_id)
    assert in_town[0][0] == moved.pk and in_town[0][1] == pytest.approx(1.0, abs=0.02)
    # A newer snapshot is mapped at the next look and takes the fresh vector in.
    services.snapshot_vectors(force=True)
    NETWORK.sync()
    assert NETWORK.snapshot is not None and NETWORK.fresh == {}
    assert NETWORK.semantic_ranked(wanted, 2, exclude=target.pk)[0][0] == moved.pk
