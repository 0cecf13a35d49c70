"""Reads of the participation room: what each person may see of campaigns, ideas and polls; similar ideas (for
duplicates while typing), topics (for workshops), the triage lists and poll results."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from threading import Lock
from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from lotse.core.charts import Chart, bar_chart
from lotse.participation.models import (
    Answer,
    Audience,
    Campaign,
    Idea,
    Participant,
    Poll,
    PollResponse,
    Publication,
    Question,
    QuestionKind,
)
from lotse.synergy import engine
from lotse.tenancy.models import Municipality
from lotse.tenancy.rules import is_insider


def campaigns(municipality: Municipality, user: Any) -> QuerySet[Campaign]:
    return Campaign.objects.restrict(user, municipality)


def polls(municipality: Municipality, user: Any) -> QuerySet[Poll]:
    return Poll.objects.restrict(user, municipality)


def public_ideas(campaign: Campaign) -> QuerySet[Idea]:
    """The ideas anyone who sees the campaign sees: published, not merged into another."""
    return Idea.objects.filter(campaign=campaign, publication=Publication.PUBLISHED, merged_into__isnull=True)


SORTS = {"new": ("-created_at", "-pk"), "top": ("-supporters_count", "-created_at", "-pk"), "title": ("title", "pk")}


def idea_list(
    campaign: Campaign, *, sort: str = "new", status: str = "", field: str = "", q: str = ""
) -> QuerySet[Idea]:
    ideas = public_ideas(campaign).select_related("participant__user", "field")
    if status:
        ideas = ideas.filter(status=status)
    if field:
        ideas = ideas.filter(field_id=int(field))
    if q:
        ideas = ideas.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return ideas.order_by(*SORTS.get(sort, SORTS["new"]))


def triage_list(campaign: Campaign, *, status: str = "", publication: str = "", q: str = "") -> QuerySet[Idea]:
    """Every idea of a campaign for the Stabsstelle, including pending, hidden and merged ones."""
    ideas = Idea.objects.filter(campaign=campaign).exclude(publication=Publication.UNCONFIRMED)
    if status:
        ideas = ideas.filter(status=status)
    if publication:
        ideas = ideas.filter(publication=publication)
    if q:
        ideas = ideas.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return ideas.select_related("participant__user", "field", "org_unit", "merged_into").order_by("-created_at", "-pk")


# --- similar ideas -------------------------------------------------------------------------------------------


@dataclass
class _Cached:
    stamp: tuple[Any, ...]
    index: engine.Index
    ids: dict[str, int] = field(default_factory=dict)


_INDEXES: dict[tuple[int, bool], _Cached] = {}
_LOCK = Lock()
MAX_CACHED = 64


def _idea_index(municipality_id: int, staff: bool) -> engine.Index:
    """The engine's index over a municipality's published ideas (for outsiders only those of public campaigns),
    kept per process and rebuilt when an idea changes (the stamp is the newest change and the count)."""
    live = Idea.objects.filter(
        municipality_id=municipality_id, publication=Publication.PUBLISHED, merged_into__isnull=True
    )
    if not staff:
        live = live.filter(campaign__audience=Audience.PUBLIC)
    row = live.aggregate(last=Max("updated_at"), n=Count("pk"))
    stamp = (row["last"], row["n"])
    cached = _INDEXES.get((municipality_id, staff))
    if cached is not None and cached.stamp == stamp:
        return cached.index
    docs = [
        engine.Document(str(pk), sig.get("f", {}), set(concepts), bool(sig.get("d")))
        for pk, sig, concepts in live.values_list("pk", "signature", "concepts").iterator(chunk_size=2000)
    ]
    index = engine.Index(docs)
    with _LOCK:
        if len(_INDEXES) >= MAX_CACHED:
            _INDEXES.pop(next(iter(_INDEXES)))
        _INDEXES[(municipality_id, staff)] = _Cached(stamp, index)
    return index


@dataclass
class SimilarIdea:
    idea: Idea
    score: float
    reason: list[str]


MIN_SIMILAR = 0.15


def similar_ideas(
    municipality: Municipality, user: Any, title: str, text: str = "", exclude: int | None = None, limit: int = 5
) -> list[SimilarIdea]:
    """Published ideas of the municipality that resemble a text (while someone types, or on an idea's page):
    ideas of staff-only campaigns only for the municipality's staff."""
    if len(f"{title} {text}".strip()) < 4:
        return []
    index = _idea_index(municipality.pk, is_insider(user, municipality))
    query = engine.analyse("query", title, text)
    skip = [str(exclude)] if exclude else []
    ranked = [(int(i), s) for i, s in index.similar(query, top=limit, exclude=skip) if s >= MIN_SIMILAR]
    ideas = Idea.objects.select_related("campaign").in_bulk([i for i, _s in ranked])
    return [SimilarIdea(ideas[i], s, engine.reason(query, index.docs[str(i)])) for i, s in ranked if i in ideas]


def reset_cache() -> None:
    _INDEXES.clear()


# --- topics for workshops ------------------------------------------------------------------------------------


@dataclass
class Topic:
    label: str
    ideas: list[Idea]

    @property
    def supporters(self) -> int:
        return sum(i.supporters_count for i in self.ideas)


def topics(campaign: Campaign) -> list[Topic]:
    """Groups ideas by topic to prepare workshops: each idea joins the most widely shared of the municipal
    concepts it mentions (so groups are broad enough to discuss); ideas without one go by Handlungsfeld."""
    ideas = list(
        Idea.objects.filter(campaign=campaign, merged_into__isnull=True)
        .exclude(publication__in=[Publication.UNCONFIRMED, Publication.HIDDEN])
        .select_related("field")
        .order_by("-supporters_count", "pk")
    )
    frequency = Counter(c for i in ideas for c in i.concepts)
    groups: dict[str, list[Idea]] = {}
    for idea in ideas:
        if idea.concepts:
            label = max(idea.concepts, key=lambda c: (frequency[c], c))
        else:
            label = str(idea.field) if idea.field_id else ""
        groups.setdefault(label, []).append(idea)
    other = groups.pop("", [])
    result = sorted(
        (Topic(label, members) for label, members in groups.items()), key=lambda t: (-len(t.ideas), t.label)
    )
    if other:
        from django.utils.translation import gettext as _

        result.append(Topic(_("Weitere Ideen"), other))
    return result


# --- participants --------------------------------------------------------------------------------------------


def canonical_email(email: str) -> str:
    """One person, one address: lower case and without a sub-address ("a+1@x.de" is "a@x.de", delivered to
    the same mailbox), so supports and one-answer polls count people, not spellings."""
    local, at, domain = email.strip().lower().rpartition("@")
    if not at:
        return domain
    return f"{local.split('+', 1)[0] or local}@{domain}"


def participant_by_email(municipality: Municipality, email: str) -> Participant | None:
    email = canonical_email(email)
    if not email:
        return None
    return (
        Participant.objects.filter(municipality=municipality, erased_at__isnull=True)
        .filter(Q(email=email) | Q(user__email__iexact=email))
        .first()
    )


def contributions(participant: Participant) -> dict[str, Any]:
    return {
        "ideas": list(
            participant.ideas.select_related("campaign", "merged_into")
            .prefetch_related("projects")
            .order_by("-created_at")
        ),
        "comments": list(participant.comments.select_related("idea").order_by("-created_at")),
        "supports": list(participant.supports.filter(confirmed=True).select_related("idea")),
    }


# --- poll results --------------------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: Question
    answered: int
    chart: Chart | None = None
    mean: float | None = None
    texts: list[str] = field(default_factory=list)
    ranking: list[tuple[str, float]] = field(default_factory=list)
    counts: list[tuple[str, int]] = field(default_factory=list)  # per option or scale step


def results(poll: Poll) -> tuple[int, list[QuestionResult]]:
    """Counts per option (single, multiple), distribution and mean (scale), average rank (ranking; lower is
    better) and the free texts. Only confirmed responses count."""
    from django.utils.translation import gettext as _

    responses = PollResponse.objects.filter(poll=poll, confirmed=True)
    total = responses.count()
    values: dict[int, list[Any]] = {}
    for question_id, value in (
        Answer.objects.filter(response__in=responses).values_list("question_id", "value").iterator(chunk_size=5000)
    ):
        values.setdefault(question_id, []).append(value)
    out = []
    for q in poll.questions.all():
        given = values.get(q.pk, [])
        result = QuestionResult(q, len(given))
        options = q.option_list()
        if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            counts = Counter(i for v in given for i in (v if isinstance(v, list) else [v]))
            result.counts = [(o, counts.get(n, 0)) for n, o in enumerate(options)]
            result.chart = bar_chart(q.text, result.counts, value_header=_("Nennungen"))
        elif q.kind == QuestionKind.SCALE:
            counts = Counter(int(v) for v in given)
            steps = range(q.scale_min, q.scale_max + 1)
            result.counts = [(str(s), counts.get(s, 0)) for s in steps]
            result.chart = bar_chart(q.text, result.counts, value_header=_("Nennungen"))
            result.mean = sum(int(v) for v in given) / len(given) if given else None
        elif q.kind == QuestionKind.RANKING:
            ranks: dict[int, list[int]] = {}
            for order in given:
                for rank, option in enumerate(order, start=1):
                    ranks.setdefault(int(option), []).append(rank)
            averages = [
                (o, sum(ranks.get(n, [])) / len(ranks[n]) if ranks.get(n) else 0.0) for n, o in enumerate(options)
            ]
            averages.sort(key=lambda t: (t[1] or 99, t[0]))
            # The chart shows points (n options → n points for first place), so longer bars mean more preferred.
            n = len(options)
            result.chart = bar_chart(
                q.text, [(o, round(n + 1 - avg, 2) if avg else 0) for o, avg in averages], value_header=_("Punkte")
            )
            result.ranking = averages
        else:
            result.texts = [str(v) for v in given]
        out.append(result)
    return total, out


def running_public(limit: int = 12) -> tuple[list[Campaign], list[Poll]]:
    """Public calls for ideas and polls open today, in every municipality: the public start page shows them."""
    today = date.today()
    where = Q(published=True, audience=Audience.PUBLIC, starts_on__lte=today, ends_on__gte=today)
    return (
        list(Campaign.objects.filter(where).select_related("municipality").order_by("ends_on")[:limit]),
        list(Poll.objects.filter(where).select_related("municipality").order_by("ends_on")[:limit]),
    )
