"""Reads of the synergy room: similar projects, the network search and clusters, always within what the
person may see. The index is refreshed on the fly for projects changed since their signature was computed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from lotse.portfolio.models import Project, Status
from lotse.synergy import engine, services
from lotse.synergy.models import PairDecision, PairKind, Signature
from lotse.tenancy.selectors import visible

# Below this a neighbour shares a word or two, not a purpose: not worth anyone's attention.
MIN_SHOWN = 0.1


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


def documents(qs: QuerySet[Project]) -> dict[int, engine.Document]:
    versions = dict(qs.values_list("pk", "version"))
    current = {s.project_id: s for s in Signature.objects.filter(project__in=list(versions))}
    stale = [
        pk
        for pk, v in versions.items()
        if pk not in current or current[pk].version != v or current[pk].engine != engine.ENGINE_VERSION
    ]
    if stale:
        services.refresh(stale)  # derived data only: the index catches up with edits here
        current.update({s.project_id: s for s in Signature.objects.filter(project__in=stale)})
    return {
        pk: engine.Document(str(pk), dict(s.features), set(s.concepts), s.digital)
        for pk, s in current.items()
        if pk in versions
    }


def _decisions(project: Project) -> dict[int, str]:
    rows = PairDecision.objects.filter(first=project) | PairDecision.objects.filter(second=project)
    return {(d.second_id if d.first_id == project.pk else d.first_id): d.kind for d in rows}


def similar_to(project: Project, user: Any, limit: int = 5) -> tuple[list[Similar], list[Similar]]:
    """The most similar projects in the same municipality and in other municipalities."""
    pool = Project.objects.filter(Q(pk__in=candidates(user).values("pk")) | Q(pk=project.pk))
    docs = documents(pool)
    index = engine.Index(docs.values())
    me = docs.get(project.pk) or services.analyse_project(project)
    decided = _decisions(project)
    ranked = [(int(i), s) for i, s in index.similar(me, top=limit * 8 + len(decided))]
    ranked = [(i, s) for i, s in ranked if decided.get(i) != PairKind.UNRELATED and (s >= MIN_SHOWN or i in decided)]
    projects = Project.objects.select_related("municipality").in_bulk([i for i, _s in ranked])
    own: list[Similar] = []
    others: list[Similar] = []
    for pk, score in ranked:
        other = projects[pk]
        item = Similar(other, score, engine.is_match(score), engine.reason(me, docs[pk]), decided.get(pk, ""))
        target = own if other.municipality_id == project.municipality_id else others
        if len(target) < limit:
            target.append(item)
    # Confirmed pairs first: people's decisions outrank the engine.
    for lst in (own, others):
        lst.sort(key=lambda s: (not s.decision, -s.score))
    return own, others


def search(user: Any, text: str, limit: int = 20) -> list[Similar]:
    """ "Wer macht das schon?": projects anywhere in the network that match a description."""
    docs = documents(candidates(user))
    index = engine.Index(docs.values())
    query = engine.analyse("query", text, "")
    ranked = [(int(i), s) for i, s in index.similar(query, top=limit) if s >= MIN_SHOWN]
    projects = Project.objects.select_related("municipality", "field").in_bulk([i for i, _s in ranked])
    return [Similar(projects[i], s, engine.is_match(s), engine.reason(query, docs[i])) for i, s in ranked]


@dataclass
class Cluster:
    label: str
    projects: list[Project]

    @property
    def municipalities(self) -> list[str]:
        return sorted({p.municipality.name for p in self.projects})


def clusters(user: Any, minimum: int = 2) -> list[Cluster]:
    """Groups of matching projects across municipalities: candidates for joint procurement or reuse."""
    qs = candidates(user)
    docs = documents(qs)
    index = engine.Index(docs.values())
    town = dict(qs.values_list("pk", "municipality_id"))
    parent = {pk: pk for pk in docs}

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pk, doc in docs.items():
        for other, score in index.similar(doc, top=5):
            o = int(other)
            if engine.is_match(score) and town[o] != town[pk]:
                parent[root(o)] = root(pk)
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
