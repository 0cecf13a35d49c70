"""Writes of the synergy room: keeping the index current (lexical signatures at once, semantic vectors in a
task), pair decisions, contact messages."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.core.mail import send
from lotse.ozg.models import OzgStatus
from lotse.portfolio.models import Project
from lotse.synergy import embeddings, engine, evidence, ranker
from lotse.synergy.models import ContactMessage, LearnedWeights, PairDecision, PairKind, Signature
from lotse.tenancy.models import Membership, Role

logger = logging.getLogger(__name__)


def ozg_labels(project_ids: Iterable[int]) -> dict[int, list[str]]:
    """The OZG services each project implements (linked in the OZG room's statuses), as engine labels."""
    links = OzgStatus.projects.through.objects.filter(project_id__in=list(project_ids)).values_list(
        "project_id", "ozgstatus__service__ozg_id", "ozgstatus__service__name"
    )
    labels: dict[int, list[str]] = {}
    for pk, ozg_id, name in links:
        labels.setdefault(pk, []).append(f"OZG {ozg_id}: {name}")
    return labels


def analyse_project(project: Project, labels: list[str] | None = None) -> engine.Document:
    extra = [t.name for t in project.tags.all()]
    if project.field_id:
        extra.append(project.field.name)  # type: ignore[union-attr]
    services = ozg_labels([project.pk]).get(project.pk, []) if labels is None else labels
    return analyse_texts(project.pk, project.title, project.summary, project.description, extra, services)


def analyse_texts(
    pk: int | None, title: str, summary: str, description: str, extra: list[str], services: list[str]
) -> engine.Document:
    """What the index reads of a project: title, summary and description, tags and field, OZG services."""
    return engine.analyse(str(pk), title, f"{summary} {description}", extra, sorted(services))


def refresh(project_ids: Iterable[int]) -> int:
    """(Re)compute the signatures of these projects from their current text; queue the vectors of new texts
    (returns how many)."""
    ids = list(project_ids)
    projects = Project.objects.filter(pk__in=ids).select_related("field", "municipality").prefetch_related("tags")
    labels = ozg_labels(ids)
    now = timezone.now()
    rows = []
    read: dict[int, evidence.Project] = {}
    for p in projects:
        try:
            doc = analyse_project(p, labels.get(p.pk, []))
            tags = [t.name for t in p.tags.all()]
            read[p.pk] = as_evidence(p.pk, p.title, p.summary, p.description, p.municipality.name, labels, tags)
            concepts = evidence.concept_features(read[p.pk])
        except Exception:  # one unreadable record must not take the index of every town with it
            logger.exception("Signatur von Projekt %s nicht berechenbar", p.pk)
            continue
        rows.append(
            Signature(
                project=p,
                version=p.version,
                features=doc.features,
                concepts=sorted(doc.concepts),
                digital=doc.digital,
                engine=engine.ENGINE_VERSION,
                computed_at=now,
                evidence_concepts=concepts,
            )
        )
    Signature.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["project"],
        update_fields=["version", "features", "concepts", "digital", "engine", "computed_at", "evidence_concepts"],
    )
    return queue_embedding({row.project_id: read[row.project_id] for row in rows})


def as_evidence(
    pk: int,
    title: str,
    summary: str,
    description: str,
    town: str,
    services: dict[int, list[str]],
    tags: Iterable[str],
    concepts: dict[str, float] | None = None,
) -> evidence.Project:
    """A project as the combined engine reads it (the one place that says how)."""
    return evidence.Project(
        id=str(pk),
        title=title,
        description=" ".join(t for t in (summary, description) if t),
        town=town,
        services=tuple(sorted(set(services.get(pk, [])))),
        tags=tuple(sorted(tags)),
        concepts=None if concepts is None else tuple(sorted(concepts.items())),
    )


def evidence_projects(project_ids: Iterable[int]) -> dict[int, evidence.Project]:
    """Projects as the combined engine reads them: title, summary and description, town, OZG services, tags;
    with the concept features stored in their signature when it is of the same version."""
    return evidence_rows(project_ids)[0]


def evidence_rows(project_ids: Iterable[int]) -> tuple[dict[int, evidence.Project], dict[int, int]]:
    """`evidence_projects`, and each project's municipality id; read as plain rows (the lists ask for some fifty
    projects per request, and model instances would cost more than the queries)."""
    ids = list(project_ids)
    services = ozg_labels(ids)
    tags: dict[int, list[str]] = {}
    for pk, name in Project.tags.through.objects.filter(project_id__in=ids).values_list("project_id", "tag__name"):
        tags.setdefault(pk, []).append(name)
    rows = Project.objects.filter(pk__in=ids).values_list(
        "pk", "title", "summary", "description", "municipality__name", "municipality_id", "version",
        "signature__version", "signature__engine", "signature__evidence_concepts",
    )  # fmt: skip
    projects, towns = {}, {}
    for pk, title, summary, description, town, town_id, version, computed_for, engine_version, stored in rows:
        current = computed_for == version and engine_version == engine.ENGINE_VERSION
        concepts = stored if current and stored is not None else None
        projects[pk] = as_evidence(pk, title, summary, description, town, services, tags.get(pk, []), concepts)
        towns[pk] = town_id
    return projects, towns


def embedder() -> embeddings.Embedder | None:
    """The configured model, or None (none configured, or a configuration error: logged, lexical only)."""
    try:
        return embeddings.configured()
    except embeddings.EmbeddingError as error:
        logger.warning("%s", error)
        return None


def text_hash(model: embeddings.Embedder, project: evidence.Project) -> str:
    text = f"{model.name}\0{evidence.semantic_text(project)}"
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def quantised(vector: np.ndarray) -> bytes:
    return np.clip(np.rint(vector * 127), -127, 127).astype(np.int8).tobytes()


def stale_vectors(projects: Iterable[int] | dict[int, evidence.Project]) -> dict[int, str]:
    """Those of the projects (ids, or the projects already read) whose vector is missing or was computed from
    another text or model, each with the hash of its current text."""
    model = embedder()
    if model is None:
        return {}
    read = projects if isinstance(projects, dict) else evidence_projects(projects)
    known = dict(
        Signature.objects.filter(project__in=list(read), vector__isnull=False).values_list("project_id", "text_hash")
    )
    hashes = {pk: text_hash(model, p) for pk, p in read.items()}
    return {pk: h for pk, h in hashes.items() if known.get(pk) != h}


def queue_embedding(project_ids: Iterable[int] | dict[int, evidence.Project]) -> int:
    """Queue the vectors of changed texts; never computed inside a request (a passage costs ~0.2 s). Returns
    how many were queued. A text whose vector is current is skipped, so a reindex that stopped half-way goes on
    where it stopped. The projects that share a text go into one task, so each text is embedded once however
    many projects repeat it (generated networks and imports of one template do)."""
    stale = stale_vectors(project_ids)
    _enqueue_by_text(stale)
    return len(stale)


def _enqueue_by_text(stale: dict[int, str]) -> None:
    """Tasks of EMBED_BATCH distinct texts, each with the projects that repeat them (EMBED_PROJECTS at most);
    `stale`: project id -> hash of its text."""
    from lotse.synergy.tasks import embed_projects

    by_text: dict[str, list[int]] = {}
    for pk, digest in stale.items():
        by_text.setdefault(digest, []).append(pk)
    batch: list[int] = []
    texts = 0
    for pks in by_text.values():
        for start in range(0, len(pks), EMBED_PROJECTS):  # a text repeated thousands of times: several tasks
            batch += pks[start : start + EMBED_PROJECTS]
            texts += 1
            if texts >= EMBED_BATCH or len(batch) >= EMBED_PROJECTS:
                embed_projects.enqueue(batch)
                batch, texts = [], 0
    if batch:
        embed_projects.enqueue(batch)


EMBED_BATCH = 64  # distinct texts per task
EMBED_PROJECTS = 2000  # projects per task at most (repeats of a text take its vector without the model)


def embed(project_ids: Iterable[int]) -> int:
    """Compute and store the semantic vectors of these projects (the task's work); returns how many were new
    inferences. A text seen before (same hash) takes that vector. When the model fails, nothing is stored and the
    failure is kept for /readyz; `lotse synergy_reindex` fills the gaps later."""
    model = embedder()
    if model is None:
        return 0
    projects = evidence_projects(project_ids)
    hashes = {pk: text_hash(model, p) for pk, p in projects.items()}
    known = dict(
        Signature.objects.filter(text_hash__in=set(hashes.values()), vector__isnull=False)
        .values_list("text_hash", "vector")
        .order_by()
    )
    todo = {hashes[pk]: pk for pk in projects if hashes[pk] not in known}  # one project per text
    fresh: dict[str, bytes] = {}
    if todo:
        vectors = embeddings.embed_or_none(model, [evidence.semantic_text(projects[pk]) for pk in todo.values()])
        if vectors is None:
            return 0
        fresh = {digest: quantised(v) for digest, v in zip(todo, vectors, strict=True)}
    now = timezone.now()
    rows = list(Signature.objects.filter(project_id__in=list(projects)))
    for row in rows:
        value = fresh.get(hashes[row.project_id]) or known[hashes[row.project_id]]
        assert value is not None  # `known` holds only stored vectors
        row.vector, row.text_hash, row.embedded_at = bytes(value), hashes[row.project_id], now
    Signature.objects.bulk_update(rows, ["vector", "text_hash", "embedded_at"])
    return len(fresh)


SNAPSHOT_FRESH_SECONDS = 300  # a snapshot this young is not written again (many processes may ask at once)


def snapshot_vectors(force: bool = False) -> int:
    """Write the shared vector snapshot for the network index (`ann.write`): every stored vector, as of the
    newest `embedded_at` read first (what comes later, every process holds beside it). Returns its size, or 0
    when a snapshot younger than SNAPSHOT_FRESH_SECONDS exists or usearch is unavailable."""
    from django.db.models import Max

    from lotse.synergy import ann

    if not ann.available():
        return 0
    newest = ann.newest()
    if newest is not None and not force:
        age = timezone.now().timestamp() - newest.stat().st_mtime
        if age < SNAPSHOT_FRESH_SECONDS:
            return 0
    through = Signature.objects.aggregate(at=Max("embedded_at"))["at"] or timezone.now()
    rows = (
        Signature.objects.filter(vector__isnull=False, embedded_at__lte=through)
        .values_list("project_id", "vector")
        .order_by()
        .iterator(chunk_size=5000)
    )
    _path, count = ann.write(((pk, bytes(v)) for pk, v in rows if v is not None), through)
    return count


def rebuild(batch: int = 2000, progress: Callable[[int, int, int], None] | None = None) -> tuple[int, int]:
    """Recompute every signature and queue every missing or outdated vector (`lotse synergy_reindex`).
    Returns (projects, vectors queued); `progress(done, total, queued)` after each batch."""
    count, queued = _in_batches(refresh, batch, progress)
    Signature.objects.exclude(project__in=Project.objects.values("pk")).delete()
    return count, queued


def sweep(batch: int = 2000, progress: Callable[[int, int, int], None] | None = None) -> tuple[int, int]:
    """Queue every missing or outdated vector without recomputing the signatures (`synergy_reindex --vectors`,
    daily: a vector lost to a model outage is computed the next day). Returns (projects, vectors queued). The
    network is read `batch` projects at a time and queued at the end, grouped by text over all of it."""
    stale: dict[int, str] = {}

    def collect(ids: list[int]) -> int:
        found = stale_vectors(ids)
        stale.update(found)
        return len(found)

    counted = _in_batches(collect, batch, progress)
    _enqueue_by_text(stale)
    return counted


def _in_batches(
    step: Callable[[list[int]], int], batch: int, progress: Callable[[int, int, int], None] | None
) -> tuple[int, int]:
    """`step` over every project id, `batch` at a time; returns (projects, the sum of what `step` returned)."""
    ids = list(Project.objects.values_list("pk", flat=True).order_by("pk"))
    queued = 0
    for start in range(0, len(ids), batch):
        queued += step(ids[start : start + batch])
        if progress:
            progress(min(start + batch, len(ids)), len(ids), queued)
    return len(ids), queued


def decide(*, user: Any, project: Project, other: Project, kind: str) -> PairDecision:
    """Record a person's judgement of a pair; the network's weights are refitted on all decisions in a task."""
    from lotse.synergy.tasks import learn_from_decisions

    first, second = sorted((project.pk, other.pk))
    decision, _created = PairDecision.objects.update_or_create(
        first_id=first, second_id=second, defaults={"kind": kind, "decided_by": user}
    )
    transaction.on_commit(lambda: learn_from_decisions.enqueue())
    return decision


LEARN_MAX = 5000  # the newest decisions a fit reads


def learn(force: bool = False) -> LearnedWeights | None:
    """Learn a correction of the engine's score from the network's pair decisions (issue 19, point 4):
    Duplikat, Nachnutzung and Kooperation say "related", kein Bezug says "not". Below `evidence.LEARN_FROM`
    decisions (or too few of one side) the shipped model stays. Each pair's evidence and score are measured in
    one corpus of the decided projects and a reference sample of the network, as the app's lists measure them.
    Skips the work when the newest fit has read the newest decision and none was withdrawn since (a burst of
    decisions queues many tasks; one fits)."""
    newest = PairDecision.objects.order_by("-decided_at").values_list("decided_at", flat=True).first()
    count = min(PairDecision.objects.count(), LEARN_MAX)
    latest = LearnedWeights.objects.order_by("-fitted_at", "-pk").first()
    shipped = evidence.shipped_model()
    if (
        not force
        and latest is not None
        and latest.base == ranker.model_version(shipped)
        and latest.decisions == count
        and latest.through is not None
        and newest is not None
        and latest.through >= newest
    ):
        return latest
    rows = list(
        PairDecision.objects.order_by("-decided_at", "-pk").values_list("first_id", "second_id", "kind")[:LEARN_MAX]
    )
    related = sum(kind != PairKind.UNRELATED for _a, _b, kind in rows)
    if len(rows) < evidence.LEARN_FROM or min(related, len(rows) - related) < evidence.LEARN_EACH:
        LearnedWeights.objects.all().delete()  # too few, or decisions were withdrawn: the shipped model again
        ranker.forget_model()
        return None
    ids = list(Project.objects.values_list("pk", flat=True).order_by("pk"))
    step = max(1, len(ids) // ranker.REFERENCE)
    decided = sorted({pk for a, b, _k in rows for pk in (a, b)})
    taken = set(decided)
    sample = [pk for pk in ids[::step][: ranker.REFERENCE] if pk not in taken]
    projects = evidence_projects([*decided, *sample])
    stored = Signature.objects.filter(project__in=list(projects), vector__isnull=False).values_list(
        "project_id", "vector"
    )
    vectors = {pk: np.frombuffer(bytes(v), dtype=np.int8) for pk, v in stored if v is not None}
    variants: dict[str, Any] = {}
    for name in ("lexical", "semantic"):
        semantic = name == "semantic"
        pairs = [(a, b, k) for a, b, k in rows if a in projects and b in projects]
        if semantic:
            pairs = [(a, b, k) for a, b, k in pairs if a in vectors and b in vectors]
        y = np.array([k != PairKind.UNRELATED for _a, _b, k in pairs], dtype=np.float64)
        if len(pairs) < evidence.LEARN_FROM or min(y.sum(), len(y) - y.sum()) < evidence.LEARN_EACH:
            continue
        members = sorted({pk for a, b, _k in pairs for pk in (a, b)})
        pool = ranker.pool(
            [projects[pk] for pk in members],
            [vectors.get(pk) if semantic else None for pk in members],
            [(projects[pk], vectors.get(pk) if semantic else None) for pk in sample if pk in projects],
            shipped,
        )
        if pool.semantic != semantic:  # too young a network for semantic evidence
            continue
        position = {pk: i for i, pk in enumerate(members)}
        indices = [(position[a], position[b]) for a, b, _k in pairs]
        x = evidence.pair_features(pool.corpus, pool.variant, indices)
        final = np.array([pool.score(i, j) for i, j in indices])
        variants[name] = evidence.learn(pool.variant, x, final, y).to_json()
    if not variants:
        return latest
    fitted = LearnedWeights.objects.create(
        variants=variants, decisions=len(rows), related=related, base=ranker.model_version(shipped), through=newest
    )
    LearnedWeights.objects.exclude(pk=fitted.pk).delete()
    ranker.forget_model()
    return fitted


@transaction.atomic
def contact(*, user: Any, project: Project, about: Project | None, text: str) -> ContactMessage:
    """E-mail the coordinators of the project's municipality (and whoever created it); keep the message."""
    coordinators = Membership.objects.filter(
        municipality_id=project.municipality_id, role=Role.COORDINATOR
    ).values_list("user__email", flat=True)
    recipients = sorted({*coordinators, *([project.created_by.email] if project.created_by else [])})
    message = ContactMessage.objects.create(project=project, about=about, sender=user, text=text, recipients=recipients)
    subject = _("Lotse: Anfrage zu Ihrem Projekt „%(title)s“") % {"title": project.title}
    intro = _("%(name)s (%(email)s) schreibt Ihnen über Lotse zu Ihrem Projekt „%(title)s“") % {
        "name": user.get_full_name() or user.email,
        "email": user.email,
        "title": project.title,
    }
    if about is not None:
        intro += _(" – wegen des eigenen Projekts „%(title)s“ (%(town)s)") % {
            "title": about.title,
            "town": about.municipality.name,
        }
    send(
        subject, f"{intro}:\n\n{text}\n\n" + _("Antworten Sie direkt an %(email)s.") % {"email": user.email}, recipients
    )
    return message
