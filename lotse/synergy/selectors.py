"""Reads of the synergy room: similar projects, the network search and clusters, always within what the
person may see. Candidates come from the process's network index (`index.NETWORK`: lexical, and by semantic
vector), which catches up with changed projects before every query; the combined engine (`ranker`) scores them."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Max, QuerySet, Sum

from lotse.portfolio.models import Project, Status
from lotse.synergy import engine, evidence, ranker, services
from lotse.synergy.index import NETWORK
from lotse.synergy.matrix import Vector
from lotse.synergy.models import LearnedWeights, PairDecision, PairKind, Signature
from lotse.tenancy.selectors import staff_municipality_ids, visibility_key, visible

# Below this a neighbour shares a word or two, not a purpose: not worth anyone's attention (the index's lexical
# score, for candidates; the combined engine's probability, for what is shown).
MIN_SHOWN = 0.1
MIN_SCORE = 0.05
# Candidates per list and per kind of evidence (lexical, semantic) that the combined engine scores.
CANDIDATES = 12
# How many candidates at most are checked against the person's visibility for one list.
MAX_ASKED = 5000


@dataclass
class Similar:
    project: Project
    score: float
    match: bool
    reason: list[str]
    decision: str = ""


def reference_sample() -> ranker.Sample:
    """Evenly spread projects of the whole network: the scale every score is measured on (never shown). A large
    network keeps its sample for an hour; a young one takes a new one as it grows."""

    def chosen() -> list[int]:
        ids = NETWORK.ids()
        step = max(1, len(ids) // ranker.REFERENCE)
        return [int(pk) for pk in ids[::step][: ranker.REFERENCE]]

    def load(ids: list[int]) -> ranker.Sample:
        projects = services.evidence_projects(ids)
        return [(projects[pk], v) for pk, v in zip(ids, NETWORK.vectors_of(ids), strict=True) if pk in projects]

    if NETWORK.size() >= 10 * ranker.REFERENCE:  # the ids of a large network are read only once an hour
        return ranker.reference(lambda: load(chosen()), key="network")
    young = chosen()
    return ranker.reference(lambda: load(young), key=f"young:{hash(tuple(young))}")


def current_model() -> evidence.Model:
    """The network's weights learned from its pair decisions (`services.learn`), else the shipped model."""

    def load() -> evidence.Model | None:
        row = learned()
        shipped = evidence.shipped_model()
        if row is None or row.base != ranker.model_version(shipped):  # fitted on an older release's weights
            return None
        variants = {**shipped.variants, **{k: evidence.Variant.from_json(v) for k, v in row.variants.items()}}
        return evidence.Model(
            variants, {**shipped.about, "learned_from": row.decisions, "fitted_at": str(row.fitted_at)}
        )

    return ranker.model(load)


def learned() -> LearnedWeights | None:
    """The learned weights in use, for the network page ("angepasst an 48 Einschätzungen")."""
    return LearnedWeights.objects.order_by("-fitted_at", "-pk").first()


def candidates(user: Any) -> QuerySet[Project]:
    """Every project the user may see, in every municipality; rejected ones are no model for anyone."""
    return visible(Project.objects.exclude(status=Status.REJECTED), user)


def documents(pks: Iterable[int]) -> dict[int, engine.Document]:
    rows = Signature.objects.filter(project__in=list(pks)).values_list("project_id", "features", "concepts", "digital")
    return {pk: engine.Document(str(pk), features, set(concepts), digital) for pk, features, concepts, digital in rows}


def _decisions(project: Project) -> dict[int, str]:
    rows = PairDecision.objects.filter(first=project) | PairDecision.objects.filter(second=project)
    return {(d.second_id if d.first_id == project.pk else d.first_id): d.kind for d in rows}


Search = tuple[Callable[[int], list[tuple[int, float]]], float]  # (k -> the index's k best, the floor)


def _lexical(query: Vector, where: dict[str, int | None]) -> Search:
    return (lambda k: NETWORK.ranked(query, k, **where)), MIN_SHOWN


def _semantic(vector: np.ndarray, where: dict[str, int | None]) -> Search:
    """By semantic vector (no floor: the combined engine decides what is shown)."""
    return (lambda k: NETWORK.semantic_ranked(vector, k, **where)), -1.0


def _pick(user: Any, limit: int, decided: dict[int, str], searches: list[Search]) -> list[list[tuple[int, float]]]:
    """The best `limit` projects the user may see for each search (lexical or semantic, with index filters:
    group, other_than, exclude). The index knows the whole network; the database decides what this person may
    see (one query for all searches), and the index is asked for more until each has enough or nothing more is
    left."""
    wanted = limit * 4 + len(decided)
    while True:
        ranked = [rank(wanted) for rank, _floor in searches]
        shown = [
            [(i, s) for i, s in r if decided.get(i) != PairKind.UNRELATED and (s >= floor or i in decided)]
            for r, (_rank, floor) in zip(ranked, searches, strict=True)
        ]
        ids = {i for lst in shown for i, _s in lst}
        allowed = set(candidates(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
        result = [[(i, s) for i, s in lst if i in allowed][:limit] for lst in shown]
        short = [
            len(res) < limit and len(r) >= wanted and r[-1][1] >= floor
            for res, r, (_rank, floor) in zip(result, ranked, searches, strict=True)
        ]
        if not any(short) or wanted >= MAX_ASKED:
            return result
        wanted *= 8


def similar_to(project: Project, user: Any, limit: int = 5) -> tuple[list[Similar], list[Similar]]:
    """The most similar projects in the same municipality and in other municipalities."""
    return similar_with_state(project, user, limit)[:2]


def similar_with_state(project: Project, user: Any, limit: int = 5) -> tuple[list[Similar], list[Similar], bool]:
    """`similar_to`, and whether every project compared had its semantic vector (False while the task queue has
    not yet computed them: the lists then rest on lexical evidence). A young network (a pool under
    `evidence.MEASURED_FROM` projects) is scored lexically even with every vector there."""
    NETWORK.sync()
    features, digital = NETWORK.features_of(project.pk) or _analysed(project)
    query = NETWORK.vector(features, digital)
    decided = _decisions(project)
    town = project.municipality_id
    lists: tuple[dict[str, int | None], dict[str, int | None]] = (
        {"exclude": project.pk, "group": town},
        {"exclude": project.pk, "other_than": town},
    )
    searches = [_lexical(query, where) for where in lists]
    mine = NETWORK.vector_of(project.pk)
    if mine is not None:
        searches += [_semantic(mine, where) for where in lists]
    found = _pick(user, CANDIDATES, decided, searches)
    kept = [pk for pk, kind in decided.items() if kind != PairKind.UNRELATED]  # "kein Bezug" is never suggested
    allowed = set(candidates(user).filter(pk__in=kept).values_list("pk", flat=True)) if kept else set()
    ids = list(dict.fromkeys([project.pk, *(i for lst in found for i, _s in lst), *sorted(allowed)]))
    scored, embedded, reason, towns = _score(ids, decided)
    # People's decisions outrank the engine; only what is shown is loaded and given its reason.
    order = sorted(
        (pk for pk in scored if decided.get(pk) != PairKind.UNRELATED),
        key=lambda pk: (pk not in decided, -scored[pk][0], pk),
    )
    chosen = [[pk for pk in order if towns[pk] == town][:limit], [pk for pk in order if towns[pk] != town][:limit]]
    projects = Project.objects.select_related("municipality").in_bulk([pk for lst in chosen for pk in lst])
    own, others = (
        [Similar(projects[pk], *scored[pk], reason(pk), decided.get(pk, "")) for pk in lst if pk in projects]
        for lst in chosen
    )
    return own, others, embedded


def _score(
    ids: list[int], decided: dict[int, str]
) -> tuple[dict[int, tuple[float, bool]], bool, Callable[[int], list[str]], dict[int, int]]:
    """The combined engine's scores of ids[0] with the others (those worth showing, and every decided one),
    whether every one of them had its semantic vector (not yet, while the task queue computes them), the
    reason of any of them, and each one's municipality."""
    projects, towns = services.evidence_rows(ids)
    ids = [pk for pk in ids if pk in projects]
    if not ids:
        return {}, False, lambda _pk: [], {}
    vectors = NETWORK.vectors_of(ids)
    pool = ranker.pool([projects[pk] for pk in ids], vectors, reference_sample(), current_model())
    result = {}
    for item in pool.ranked(0):
        pk = ids[item.index]
        if item.score >= MIN_SCORE or pk in decided:
            result[pk] = (round(item.score, 4), item.match)
    position = {pk: i for i, pk in enumerate(ids)}
    return result, all(v is not None for v in vectors), lambda pk: pool.reason(0, position[pk]), towns


def _analysed(project: Project) -> tuple[dict[str, float], bool]:
    doc = services.analyse_project(project)
    return doc.features, doc.digital


def search(user: Any, text: str, limit: int = 20, group: int | None = None) -> list[Similar]:
    """ "Wer macht das schon?": projects anywhere in the network (or in one municipality, `group`) that match
    a description. A typed description has no vector (embedding it would be model work inside the request), so
    the lexical variant of the combined engine scores the candidates."""
    NETWORK.sync()
    query_doc = engine.analyse("query", text, "")
    where: dict[str, int | None] = {"group": group} if group is not None else {}
    lexical = NETWORK.vector(query_doc.features, query_doc.digital)
    (ranked,) = _pick(user, max(limit, CANDIDATES), {}, [_lexical(lexical, where)])
    ids = [i for i, _s in ranked]
    projects = services.evidence_projects(ids)
    ids = [pk for pk in ids if pk in projects]
    if not ids:
        return []
    query = evidence.Project(id="query", title=text)
    vectors: list[np.ndarray | None] = [None] * (len(ids) + 1)
    pool = ranker.pool([query, *(projects[pk] for pk in ids)], vectors, reference_sample(), current_model())
    shown = [item for item in pool.ranked(0) if item.score >= MIN_SCORE][:limit]
    rows = Project.objects.select_related("municipality", "field").in_bulk([ids[item.index - 1] for item in shown])
    return [
        Similar(rows[pk], round(item.score, 4), item.match, pool.reason(0, item.index))
        for item in shown
        if (pk := ids[item.index - 1]) in rows
    ]


@dataclass
class Cluster:
    label: str
    projects: list[Project]

    @property
    def municipalities(self) -> list[str]:
        return sorted({p.municipality.name for p in self.projects})


@dataclass
class ClusterView:
    clusters: Clusters
    scoped: bool  # only the groups that include the viewer's own municipalities' projects


# Above this many visible projects, the overview starts from the viewer's own projects: one index query per
# starting project (about 2 ms at 100,000 projects), so a whole state network (65,000 visible projects for a
# town in the generated state) would take minutes; a town's own portfolio takes well under a second.
CLUSTER_ALL_LIMIT = 3000
CLUSTER_CACHE_SECONDS = 24 * 3600  # only for memory: entries of outdated states are never read again


def clusters(user: Any, minimum: int = 2) -> ClusterView:
    """Groups of matching projects across municipalities: candidates for joint procurement or reuse.

    Projects are linked when the index finds them to match (top ten in other municipalities); a group is the
    connected set. In a large network only groups that include the viewer's own projects are built.

    The grouping (ids and labels) is cached, keyed by everything it depends on: what the person may see (their
    roles and their networks' members) and the state of all projects (the latest change, their number and the
    sum of their edit versions: every edit, status or visibility change, OZG link and deletion moves one of
    them). So a change anywhere is a new key: a cached grouping is never shown after a change. Titles, towns
    and statuses are read fresh for every page."""
    NETWORK.sync()
    state = Project.objects.aggregate(last=Max("updated_at"), count=Count("pk"), edits=Sum("version"))
    state["embedded"] = Signature.objects.aggregate(last=Max("embedded_at"))["last"]  # vectors arrive later
    key = repr(
        (
            engine.ENGINE_VERSION,
            ranker.model_version(current_model()),
            minimum,
            CLUSTER_ALL_LIMIT,
            visibility_key(user),
            sorted(state.items()),
        )
    )
    key = "synergy:clusters:" + hashlib.sha256(key.encode()).hexdigest()
    grouped = cache.get(key)
    if grouped is None:
        grouped = _group(user, minimum)
        cache.set(key, grouped, CLUSTER_CACHE_SECONDS)
    scoped, groups = grouped
    return ClusterView(Clusters(sorted(groups, key=lambda g: (-g[2], g[0], g[1]))), scoped)


class Clusters:
    """The sorted groups; projects are loaded only for the slice shown (a big city has over a thousand)."""

    def __init__(self, groups: list[tuple[str, list[int], int]]) -> None:
        self.groups = groups  # (label, project ids, number of municipalities)

    def __len__(self) -> int:
        return len(self.groups)

    def count(self) -> int:
        return len(self.groups)

    def __iter__(self) -> Iterator[Cluster]:
        return iter(self[:])

    def __getitem__(self, index: slice) -> list[Cluster]:
        chosen = self.groups[index]
        projects = Project.objects.select_related("municipality").in_bulk([pk for _l, g, _t in chosen for pk in g])
        result = []
        for label, members, _towns in chosen:
            shown = sorted(
                (projects[pk] for pk in members if pk in projects), key=lambda p: (p.municipality.name, p.pk)
            )
            result.append(Cluster(label or (shown[0].title if shown else ""), shown))
        return result


def _group(user: Any, minimum: int) -> tuple[bool, list[tuple[str, list[int], int]]]:
    """(scoped, [(label, project ids, number of municipalities)]) — the expensive part of `clusters`: one index
    query per start project."""
    town = dict(candidates(user).values_list("pk", "municipality_id"))
    scoped = len(town) > CLUSTER_ALL_LIMIT
    own = staff_municipality_ids(user)
    seeds = documents([pk for pk, t in town.items() if t in own] if scoped else town)
    parent = {pk: pk for pk in seeds}

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    # Candidates of each seed in other municipalities, lexical and by vector; the combined engine decides which
    # of them match, in one corpus of all seeds and candidates.
    neighbours: dict[int, list[int]] = {}
    for pk, doc in seeds.items():
        found = NETWORK.ranked(NETWORK.vector(doc.features, doc.digital), 10, exclude=pk, other_than=town[pk])
        if (vector := NETWORK.vector_of(pk)) is not None:
            found += NETWORK.semantic_ranked(vector, 10, exclude=pk, other_than=town[pk])
        neighbours[pk] = list(dict.fromkeys(o for o, _s in found if o in town))
    ids = list(dict.fromkeys([*seeds, *(o for lst in neighbours.values() for o in lst)]))
    projects = services.evidence_projects(ids)
    ids = [pk for pk in ids if pk in projects]
    if ids:
        position = {pk: i for i, pk in enumerate(ids)}
        vectors = NETWORK.vectors_of(ids)
        pool = ranker.pool([projects[pk] for pk in ids], vectors, reference_sample(), current_model())
        for pk, others in neighbours.items():
            among = [position[o] for o in others if o in position]
            if pk not in position or not among:
                continue
            for item in pool.ranked(position[pk], among):
                if item.match:
                    other = ids[item.index]
                    parent.setdefault(other, other)
                    parent[root(other)] = root(pk)
    docs = seeds | documents(pk for pk in parent if pk not in seeds)
    groups: dict[int, list[int]] = {}
    for pk in parent:
        groups.setdefault(root(pk), []).append(pk)
    result = []
    for members in groups.values():
        towns = len({town[pk] for pk in members})
        if towns < minimum:
            continue
        concepts = Counter(c for pk in members if pk in docs for c in docs[pk].concepts)
        # The most frequent concept; ties go to the alphabetically first, never to a set's (hash-seeded) order.
        label = min(concepts.items(), key=lambda kv: (-kv[1], kv[0]))[0] if concepts else ""
        result.append((label, sorted(members), towns))
    return scoped, result
