"""Reads of the synergy room: similar projects, the network search and clusters, always within what the
person may see. Scores come from the process's network index (`index.NETWORK`), which catches up with
changed projects before every query."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from lotse.portfolio.models import Project, Status
from lotse.synergy import engine, services
from lotse.synergy.index import NETWORK
from lotse.synergy.matrix import Vector
from lotse.synergy.models import PairDecision, PairKind, Signature
from lotse.tenancy.selectors import visible

# Below this a neighbour shares a word or two, not a purpose: not worth anyone's attention.
MIN_SHOWN = 0.1
# How many candidates at most are checked against the person's visibility for one list.
MAX_ASKED = 5000


@dataclass
class Similar:
    project: Project
    score: float
    match: bool
    reason: list[str]
    decision: str = ""


def candidates(user: Any) -> QuerySet[Project]:
    """Every project the user may see, in every municipality; rejected ones are no model for anyone."""
    return visible(Project.objects.exclude(status=Status.REJECTED), user)


def documents(pks: Iterable[int]) -> dict[int, engine.Document]:
    rows = Signature.objects.filter(project__in=list(pks)).values_list("project_id", "features", "concepts", "digital")
    return {pk: engine.Document(str(pk), features, set(concepts), digital) for pk, features, concepts, digital in rows}


def _decisions(project: Project) -> dict[int, str]:
    rows = PairDecision.objects.filter(first=project) | PairDecision.objects.filter(second=project)
    return {(d.second_id if d.first_id == project.pk else d.first_id): d.kind for d in rows}


def _pick(
    user: Any, query: Vector, limit: int, decided: dict[int, str], *lists: dict[str, int | None]
) -> list[list[tuple[int, float]]]:
    """The best `limit` projects the user may see, for each of `lists` (index filters: group, other_than,
    exclude). The index knows the whole network; the database decides what this person may see (one query for
    all lists), and the index is asked for more until each list has enough or nothing more is left."""
    wanted = limit * 4 + len(decided)
    while True:
        ranked = [NETWORK.ranked(query, wanted, **where) for where in lists]
        shown = [
            [(i, s) for i, s in r if decided.get(i) != PairKind.UNRELATED and (s >= MIN_SHOWN or i in decided)]
            for r in ranked
        ]
        ids = {i for lst in shown for i, _s in lst}
        allowed = set(candidates(user).filter(pk__in=ids).values_list("pk", flat=True))
        result = [[(i, s) for i, s in lst if i in allowed][:limit] for lst in shown]
        short = [
            len(res) < limit and len(r) >= wanted and r[-1][1] >= MIN_SHOWN
            for res, r in zip(result, ranked, strict=True)
        ]
        if not any(short) or wanted >= MAX_ASKED:
            return result
        wanted *= 8


def similar_to(project: Project, user: Any, limit: int = 5) -> tuple[list[Similar], list[Similar]]:
    """The most similar projects in the same municipality and in other municipalities."""
    NETWORK.sync()
    features, digital = NETWORK.features_of(project.pk) or _analysed(project)
    query = NETWORK.vector(features, digital)
    decided = _decisions(project)
    town = project.municipality_id
    own, others = _pick(
        user, query, limit, decided, {"exclude": project.pk, "group": town}, {"exclude": project.pk, "other_than": town}
    )
    docs = documents([project.pk] + [i for i, _s in own + others])
    me = docs.get(project.pk) or engine.Document(str(project.pk), features, set(), digital)
    projects = Project.objects.select_related("municipality").in_bulk([i for i, _s in own + others])
    result = []
    for ranked in (own, others):
        items = [
            Similar(projects[pk], score, engine.is_match(score), engine.reason(me, docs[pk]), decided.get(pk, ""))
            for pk, score in ranked
            if pk in projects and pk in docs
        ]
        items.sort(key=lambda s: (not s.decision, -s.score))  # people's decisions outrank the engine
        result.append(items)
    return result[0], result[1]


def _analysed(project: Project) -> tuple[dict[str, float], bool]:
    doc = services.analyse_project(project)
    return doc.features, doc.digital


def search(user: Any, text: str, limit: int = 20, group: int | None = None) -> list[Similar]:
    """ "Wer macht das schon?": projects anywhere in the network (or in one municipality, `group`) that match
    a description."""
    NETWORK.sync()
    query_doc = engine.analyse("query", text, "")
    where: dict[str, int | None] = {"group": group} if group is not None else {}
    (ranked,) = _pick(user, NETWORK.vector(query_doc.features, query_doc.digital), limit, {}, where)
    docs = documents(i for i, _s in ranked)
    projects = Project.objects.select_related("municipality", "field").in_bulk([i for i, _s in ranked])
    return [
        Similar(projects[i], s, engine.is_match(s), engine.reason(query_doc, docs[i]))
        for i, s in ranked
        if i in projects and i in docs
    ]


@dataclass
class Cluster:
    label: str
    projects: list[Project]

    @property
    def municipalities(self) -> list[str]:
        return sorted({p.municipality.name for p in self.projects})


def clusters(user: Any, minimum: int = 2) -> list[Cluster]:
    """Groups of matching projects across municipalities: candidates for joint procurement or reuse.

    One index query per visible project: fine for a network of a few thousand projects; a state-wide network
    needs this precomputed (the scale issue)."""
    NETWORK.sync()
    town = dict(candidates(user).values_list("pk", "municipality_id"))
    docs = documents(town)
    parent = {pk: pk for pk in docs}

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pk, doc in docs.items():
        query = NETWORK.vector(doc.features, doc.digital)
        for other, score in NETWORK.ranked(query, 10, exclude=pk, other_than=town[pk]):
            if other in docs and engine.is_match(score):
                parent[root(other)] = root(pk)
    groups: dict[int, list[int]] = {}
    for pk in docs:
        groups.setdefault(root(pk), []).append(pk)
    projects = Project.objects.select_related("municipality").in_bulk([pk for g in groups.values() for pk in g])
    result = []
    for members in groups.values():
        if len({town[pk] for pk in members}) < minimum:
            continue
        concepts = Counter(c for pk in members for c in docs[pk].concepts)
        label = concepts.most_common(1)[0][0] if concepts else projects[members[0]].title
        result.append(Cluster(label, sorted((projects[pk] for pk in members), key=lambda p: p.municipality.name)))
    return sorted(result, key=lambda c: (-len(c.municipalities), c.label))
