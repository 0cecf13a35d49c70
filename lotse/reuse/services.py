"""Writes of the reuse room: adopting a project or a solution, the registry, the towns' uses of it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from lotse.core import limits
from lotse.core.mail import absolute_url, send_after_commit
from lotse.core.services import versioned_create, versioned_delete, versioned_update
from lotse.ozg.models import ONLINE_FROM, OzgSharing, OzgStatus
from lotse.ozg.models import SolutionKind as OzgSolutionKind
from lotse.portfolio import services as portfolio
from lotse.portfolio.models import Funding, Project, Status
from lotse.reuse.models import (
    Adoption,
    InterestDeclaration,
    ProviderKind,
    ReuseKit,
    Solution,
    SolutionKind,
    SolutionUse,
    UseStatus,
)
from lotse.tenancy.models import Membership, Municipality, OrgUnit, Role, Visibility


def _start_of(origin: Project) -> date | None:
    """Where the origin's schedule begins: its start, else its first milestone."""
    if origin.start_date:
        return origin.start_date
    first = origin.milestones.order_by("due_date").first()
    return first.due_date if first else None


@transaction.atomic
def adopt(
    *,
    user: Any,
    origin: Project,
    municipality: Municipality,
    title: str,
    start_date: date,
    lead_unit: OrgUnit | None = None,
) -> Project:
    """Start a project of `municipality` from `origin` (which the caller looked up as visible to `user`): a draft
    ("in Planung", internal, not financed) with the origin's description, tags, milestones shifted to the new
    start, and its yearly plan (planned budget and staff, moved by as many years) as a first estimate. Nothing of
    the origin's own town comes along: units, fields and goals of its strategy, partners, approved or spent money."""
    if not user.has_perm("portfolio.add_project", municipality):
        raise PermissionDenied
    begins = _start_of(origin)
    shift = (start_date - begins) if begins else timedelta(0)
    years = start_date.year - begins.year if begins else 0
    tags = portfolio.tags_from_text(municipality, ", ".join(t.name for t in origin.tags.all()))
    data: dict[str, Any] = {
        "title": title.strip() or origin.title,
        "summary": origin.summary,
        "description": origin.description,
        "status": Status.PLANNING,
        "funding": Funding.UNFUNDED,
        "visibility": Visibility.INTERNAL,
        "start_date": start_date,
        "end_date": origin.end_date + shift if origin.end_date else None,
        "obligation": origin.obligation,
        "obligation_basis": origin.obligation_basis,
        "lead_unit": lead_unit,
    }
    children: dict[str, list[dict[str, Any]]] = {
        "milestones": [
            {"title": m.title, "due_date": m.due_date + shift, "done_on": None} for m in origin.milestones.all()
        ],
        "years": [
            {
                "year": y.year + years,
                "budget_planned": y.budget_planned,
                "budget_approved": 0,
                "budget_spent": 0,
                "staff_fte": y.staff_fte,
            }
            for y in origin.years.all()
            if 2000 <= y.year + years <= 2100
        ],
    }
    project = portfolio.project_save(
        None, user=user, municipality=municipality, data=data, m2m={"tags": tags}, children=children
    )
    Adoption.objects.create(
        project=project,
        origin=origin,
        origin_title=origin.title,
        origin_municipality=origin.municipality.name,
        shifted_days=shift.days,
        adopted_by=user if user.is_authenticated else None,
    )
    return project


# --- the solution registry -------------------------------------------------------------------------------------


def normalised_licence(expression: str) -> str:
    """An SPDX licence expression in its canonical spelling ("eupl-1.2" → "EUPL-1.2"); a clear German error for
    anything the SPDX list does not know."""
    from license_expression import get_spdx_licensing

    expression = expression.strip()
    if not expression:
        return ""
    info = get_spdx_licensing().validate(expression)
    if info.errors or not info.normalized_expression:
        raise ValidationError(
            {
                "licence": _(
                    "„%(x)s“ ist keine SPDX-Lizenzangabe. Bitte die Kennung der SPDX-Liste verwenden, z. B. "
                    "EUPL-1.2, AGPL-3.0-or-later oder „MIT OR Apache-2.0“; bei proprietärer Software leer lassen."
                )
                % {"x": expression}
            }
        )
    return str(info.normalized_expression)


@transaction.atomic
def solution_save(
    solution: Solution | None,
    *,
    user: Any,
    data: Mapping[str, Any],
    m2m: Mapping[str, Iterable[Any]] | None = None,
    registered_in: Municipality | None = None,
    expected_version: int | None = None,
) -> Solution:
    """Register a solution (anyone who works on a town's projects) or change an entry (its town's coordination)."""
    data = {**data}
    if "licence" in data:
        data["licence"] = normalised_licence(data["licence"] or "")
    if solution is None:
        if not user.has_perm("reuse.add_solution"):
            raise PermissionDenied
        extra = {"registered_in": registered_in, "registered_by": user if user.is_authenticated else None}
        return versioned_create(Solution, user=user, data={**data, **extra}, m2m=m2m)
    if not user.has_perm("reuse.change_solution", solution):
        raise PermissionDenied
    return versioned_update(
        solution,
        user=user,
        expected_version=solution.version if expected_version is None else expected_version,
        data=data,
        m2m=m2m,
    )


def _text(value: Any, length: int) -> str:
    return " ".join(str(value).split())[:length] if isinstance(value, str | int | float) else ""


def from_publiccode(text: str) -> dict[str, str]:
    """The registry fields a `publiccode.yml` (the standard description of public-sector software, as on openCoDE)
    fills in: name, descriptions (German first), licence, repository, website, maintainer and contact."""
    import yaml

    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = _(" (Zeile %(n)s)") % {"n": mark.line + 1} if mark is not None else ""
        raise ValidationError(_("Die publiccode.yml ist kein gültiges YAML%(where)s.") % {"where": where}) from error
    if not isinstance(doc, dict) or "publiccodeYmlVersion" not in doc:
        raise ValidationError(_("Das ist keine publiccode.yml: der Eintrag „publiccodeYmlVersion“ fehlt."))
    if not doc.get("name"):
        raise ValidationError(_("Die publiccode.yml nennt keinen Namen („name“)."))
    descriptions: dict[str, Any] = doc["description"] if isinstance(doc.get("description"), dict) else {}
    language = next((k for k in ("de", "deu", "de-DE", "en", "eng") if isinstance(descriptions.get(k), dict)), None)
    if language is None:
        language = next((k for k, v in descriptions.items() if isinstance(v, dict)), None)
    described: dict[str, Any] = descriptions.get(language, {}) if language else {}
    legal: dict[str, Any] = doc["legal"] if isinstance(doc.get("legal"), dict) else {}
    maintenance: dict[str, Any] = doc["maintenance"] if isinstance(doc.get("maintenance"), dict) else {}
    contractors = [c for c in maintenance.get("contractors") or [] if isinstance(c, dict)]
    contacts = [c for c in maintenance.get("contacts") or [] if isinstance(c, dict)]
    provider = _text(contractors[0].get("name", ""), 200) if contractors else ""
    provider = provider or _text(legal.get("mainCopyrightOwner") or legal.get("repoOwner") or "", 200)
    fields = {
        "name": _text(doc["name"], 200),
        "kind": SolutionKind.OPEN_SOURCE,
        "summary": _text(described.get("shortDescription", ""), 300),
        "description": str(described.get("longDescription") or "").strip()[: limits.LONG_TEXT],
        "licence": _text(legal.get("license", ""), 100),
        "repository_url": _text(doc.get("url", ""), 200),
        "website_url": _text(doc.get("landingURL", ""), 200),
        "provider": provider,
        "contact_name": _text(contacts[0].get("name", ""), 200) if contacts else "",
        "contact_email": _text(contacts[0].get("email", ""), 254) if contacts else "",
    }
    return {k: v for k, v in fields.items() if v}


# --- the towns' uses ---------------------------------------------------------------------------------------------


@transaction.atomic
def use_save(
    use: SolutionUse | None,
    *,
    user: Any,
    municipality: Municipality,
    solution: Solution,
    data: Mapping[str, Any],
    m2m: Mapping[str, Iterable[Any]] | None = None,
    expected_version: int | None = None,
) -> SolutionUse:
    """Record or change how `municipality` uses `solution`; its coordinators and editors keep it."""
    if not user.has_perm("reuse.record_use", municipality):
        raise PermissionDenied
    project = data.get("project")
    if project is not None and project.municipality_id != municipality.pk:
        raise ValidationError({"project": _("Bitte ein Projekt der eigenen Kommune wählen.")})
    for status in (m2m or {}).get("ozg_statuses", []):
        if status.municipality_id != municipality.pk:
            raise ValidationError({"ozg_statuses": _("Bitte nur Umsetzungsstände der eigenen Kommune wählen.")})
    if use is None:
        use = SolutionUse.objects.filter(municipality=municipality, solution=solution).first()
        if use is not None:  # recorded meanwhile (another tab, the OZG link): change that one
            expected_version = use.version
    if use is None:
        return versioned_create(
            SolutionUse, user=user, data={**data, "municipality": municipality, "solution": solution}, m2m=m2m
        )
    return versioned_update(
        use,
        user=user,
        expected_version=use.version if expected_version is None else expected_version,
        data=data,
        m2m=m2m,
    )


def status_from_maturity(maturity: int) -> str:
    """What an OZG status says about the use of its solution: online (level 3 and up) is "im Betrieb"."""
    if maturity >= ONLINE_FROM:
        return UseStatus.OPERATING
    return UseStatus.INTRODUCING if maturity >= 1 else UseStatus.PLANNED


def solution_key(name: str, provider: str) -> tuple[str, str]:
    """Name and provider compared without case and spacing: how free texts and feeds find their registry entry."""
    return " ".join(name.casefold().split()), " ".join(provider.casefold().split())


def entries_by_key() -> dict[tuple[str, str], Solution]:
    return {solution_key(s.name, s.provider): s for s in Solution.objects.all()}


def _kind_from_ozg(kind: str, provider: str) -> str:
    if kind == OzgSolutionKind.EFA:
        return SolutionKind.EFA
    return SolutionKind.SERVICE if provider else SolutionKind.PROCESS


@transaction.atomic
def link_ozg_texts(*, user: Any = None, municipality: Municipality | None = None) -> tuple[int, int]:
    """Turn the free text of OZG statuses ("Online-Dienst", "Anbieter") into registry links: each status with a
    solution named and not yet linked joins its town's use of the registry entry of that name and provider (made
    when there is none, marked as taken from the OZG statuses). Returns (statuses linked, entries created).
    Run by `lotse solutions_link` (daily, and after the migration); entries that are the same solution under two
    spellings are proposed for merging by `merge_proposals`."""
    statuses = OzgStatus.objects.exclude(solution_name="").filter(solution_uses=None).select_related("service")
    if municipality is not None:
        statuses = statuses.filter(municipality=municipality)
    sharing = set(OzgSharing.objects.filter(share_in_network=True).values_list("municipality_id", flat=True))
    towns = {m.name.casefold(): m for m in Municipality.objects.all()}
    entries = entries_by_key()
    uses = {(u.municipality_id, u.solution_id): u for u in SolutionUse.objects.all()}
    linked = created = 0
    for status in statuses.order_by("pk").iterator():
        key = solution_key(status.solution_name, status.provider)
        solution = entries.get(key)
        if solution is None:
            provider_town = towns.get(key[1])
            solution = versioned_create(
                Solution,
                user=user,
                data={
                    "name": status.solution_name,
                    "provider": status.provider,
                    "kind": _kind_from_ozg(status.solution_kind, status.provider),
                    "provider_kind": ProviderKind.MUNICIPALITY if provider_town else "",
                    "provider_municipality": provider_town,
                    "website_url": status.solution_url,
                    "summary": FROM_OZG,
                    "registered_in": status.municipality,
                    "listed": status.municipality_id in sharing,  # an internal status names nothing to others
                },
            )
            entries[key] = solution
            created += 1
        solution.ozg_services.add(status.service)
        use = uses.get((status.municipality_id, solution.pk))
        if use is None:
            use = uses[(status.municipality_id, solution.pk)] = versioned_create(
                SolutionUse,
                user=user,
                data={
                    "municipality_id": status.municipality_id,
                    "solution": solution,
                    "status": status_from_maturity(status.maturity),
                    "visibility": Visibility.NETWORK if status.municipality_id in sharing else Visibility.INTERNAL,
                },
            )
        elif status.maturity >= ONLINE_FROM and use.status in (UseStatus.PLANNED, UseStatus.INTRODUCING):
            SolutionUse.objects.filter(pk=use.pk).update(status=UseStatus.OPERATING)
        use.ozg_statuses.add(status)
        linked += 1
    return linked, created


def _only_from_ozg(use: SolutionUse) -> bool:
    """A use that says nothing beyond the OZG statuses it was made from, and serves none any more."""
    return not (use.project_id or use.contact_id or use.experience or use.since or use.ozg_statuses.exists())


def _forget(use: SolutionUse, user: Any) -> None:
    """Delete a use; its entry too when that was made from OZG text and nobody else uses it."""
    solution = use.solution
    versioned_delete(use, user=user, expected_version=use.version)
    if solution.summary == FROM_OZG and not solution.uses.exists() and not solution.adoptions.exists():
        versioned_delete(solution, user=user, expected_version=solution.version)


FROM_OZG = "Aus den Angaben der OZG-Umsetzungsstände übernommen; bitte ergänzen."

# Two registry entries whose name and provider are at least this similar (cosine of character n-gram TF-IDF, the
# synergy engine's lexical evidence) are proposed as one solution.
SAME_SOLUTION = 0.6


def merge_proposals(limit: int = 50) -> list[tuple[Solution, Solution, float]]:
    """Pairs of registry entries that are probably the same solution under two spellings, most similar first:
    the synergy engine's character n-grams over name and provider."""
    from lotse.reuse.selectors import name_space

    entries = list(Solution.objects.order_by("pk"))
    if len(entries) < 2:
        return []
    matrix = name_space(entries).matrix.tocsr()
    pairs = []
    for start in range(0, len(entries), MERGE_BLOCK):  # a state's registry: blocks of rows, never all × all dense
        block = (matrix[start : start + MERGE_BLOCK] @ matrix.T).toarray()
        rows, cols = np.nonzero(block >= SAME_SOLUTION)
        for i, j in zip(rows + start, cols, strict=True):
            if i < j:
                pairs.append((entries[i], entries[j], float(block[i - start, j])))
    pairs.sort(key=lambda pair: -pair[2])
    return pairs[:limit]


MERGE_BLOCK = 512


USE_ORDER: list[str] = [UseStatus.INTERESTED, UseStatus.PLANNED, UseStatus.INTRODUCING, UseStatus.OPERATING]


@transaction.atomic
def merge(*, user: Any, keep: Solution, drop: Solution) -> Solution:
    """Make `drop` part of `keep`: its uses (a town that had both keeps the further one, with both's OZG
    statuses), services and adoptions move over, then `drop` is deleted. The registry's coordination decides."""
    if not (user.has_perm("reuse.change_solution", keep) and user.has_perm("reuse.change_solution", drop)):
        raise PermissionDenied
    if keep.pk == drop.pk:
        raise ValidationError(_("Eine Lösung kann nicht mit sich selbst zusammengeführt werden."))
    kept = {u.municipality_id: u for u in SolutionUse.objects.filter(solution=keep)}
    for use in SolutionUse.objects.filter(solution=drop):
        other = kept.get(use.municipality_id)
        if other is None:
            SolutionUse.objects.filter(pk=use.pk).update(solution=keep)
            continue
        other.ozg_statuses.add(*use.ozg_statuses.all())
        further = max(other.status, use.status, key=lambda s: USE_ORDER.index(s) if s in USE_ORDER else -1)
        if further != other.status:
            SolutionUse.objects.filter(pk=other.pk).update(status=further)
        use.delete()
    keep.ozg_services.add(*drop.ozg_services.all())
    keep.leika_services.add(*drop.leika_services.all())
    Adoption.objects.filter(origin_solution=drop).update(origin_solution=keep)
    drop.delete()
    return keep


@transaction.atomic
def adopt_solution(
    *,
    user: Any,
    solution: Solution,
    municipality: Municipality,
    title: str,
    start_date: date,
    lead_unit: OrgUnit | None = None,
) -> Project:
    """Start the introduction of a registry solution as a draft project of `municipality`, linked to the solution;
    the town's use of it becomes "plant" with that project (unless it is already further)."""
    if not user.has_perm("portfolio.add_project", municipality):
        raise PermissionDenied
    facts = [
        f"{SolutionKind(solution.kind).label}: {solution.name}",
        *([_("Anbieter: %(p)s") % {"p": solution.provider}] if solution.provider else []),
        *([_("Lizenz: %(l)s") % {"l": solution.licence}] if solution.licence else []),
        *([_("Code: %(u)s") % {"u": solution.repository_url}] if solution.repository_url else []),
    ]
    data: dict[str, Any] = {
        "title": title.strip() or solution.name,
        "summary": solution.summary[:300] if solution.summary != FROM_OZG else "",
        "description": "\n\n".join(t for t in (solution.description, "\n".join(facts)) if t)[: limits.LONG_TEXT],
        "status": Status.PLANNING,
        "funding": Funding.UNFUNDED,
        "visibility": Visibility.INTERNAL,
        "start_date": start_date,
        "lead_unit": lead_unit,
    }
    project = portfolio.project_save(None, user=user, municipality=municipality, data=data)
    Adoption.objects.create(
        project=project,
        origin_solution=solution,
        origin_title=solution.name,
        origin_municipality=solution.provider,
        adopted_by=user if user.is_authenticated else None,
    )
    use = SolutionUse.objects.filter(municipality=municipality, solution=solution).first()
    if use is None:
        versioned_create(
            SolutionUse,
            user=user,
            data={"municipality": municipality, "solution": solution, "status": UseStatus.PLANNED, "project": project},
        )
    elif use.project_id is None:
        versioned_update(use, user=user, expected_version=use.version, data={"project": project})
    return project


@transaction.atomic
def link_status(*, user: Any, status: OzgStatus, solution: Solution) -> SolutionUse:
    """Link one OZG status to a registry entry (its town's use of it, made when missing); the status's free text
    takes the entry's name and provider, so both say the same."""
    from lotse.ozg import services as ozg

    municipality = status.municipality
    if not user.has_perm("reuse.record_use", municipality):
        raise PermissionDenied
    for old in SolutionUse.objects.filter(ozg_statuses=status).exclude(solution=solution):
        old.ozg_statuses.remove(status)
        if _only_from_ozg(old):  # the use existed only because of this status's text
            _forget(old, user)
    use = SolutionUse.objects.filter(municipality=municipality, solution=solution).first()
    if use is None:
        sharing = OzgSharing.objects.filter(municipality=municipality, share_in_network=True).exists()
        use = versioned_create(
            SolutionUse,
            user=user,
            data={
                "municipality": municipality,
                "solution": solution,
                "status": status_from_maturity(status.maturity),
                "visibility": Visibility.NETWORK if sharing else Visibility.INTERNAL,
            },
        )
    use.ozg_statuses.add(status)
    solution.ozg_services.add(status.service)
    if (status.solution_name, status.provider) != (solution.name, solution.provider):
        ozg.status_save(
            status,
            user=user,
            municipality=municipality,
            service=status.service,
            data={"solution_name": solution.name[:200], "provider": solution.provider[:200]},
        )
    return use


@transaction.atomic
def declare_interest(*, user: Any, project: Project, municipality: Municipality, note: str) -> InterestDeclaration:
    """`municipality` declares interest in another town's `project` (which the caller looked up as visible to
    `user`); the project's coordinators and its author hear of it by e-mail, through the queue."""
    if not user.has_perm("reuse.declare_interest", municipality):
        raise PermissionDenied
    if project.municipality_id == municipality.pk:
        raise ValidationError(_("Interesse bekundet man am Projekt einer anderen Kommune."))
    if project.source_url:
        raise ValidationError(_("Das Projekt wird in einer anderen Lotse-Instanz gepflegt: bitte dort melden."))
    declaration, created = InterestDeclaration.objects.get_or_create(
        municipality=municipality, project=project, defaults={"note": note.strip(), "declared_by": user}
    )
    if not created:
        return declaration
    declaration.full_clean()
    coordinators = Membership.objects.filter(
        municipality_id=project.municipality_id, role=Role.COORDINATOR
    ).values_list("user__email", flat=True)
    recipients = sorted({*coordinators, *([project.created_by.email] if project.created_by else [])})
    if recipients:
        url = absolute_url(
            reverse("portfolio:project", kwargs={"municipality": project.municipality.slug, "pk": project.pk})
        )
        body = _(
            "%(town)s bekundet Interesse an Ihrem Projekt „%(title)s“: %(name)s (%(email)s) möchte es nachnutzen oder "
            "gemeinsam umsetzen."
        ) % {"town": municipality.name, "title": project.title, "name": user.get_full_name() or user.email,
             "email": user.email}  # fmt: skip
        if declaration.note:
            body += "\n\n" + declaration.note
        body += "\n\n" + _("Das Projekt in Lotse: %(url)s") % {"url": url}
        send_after_commit(_("Lotse: Interesse an „%(title)s“") % {"title": project.title}, body, recipients)
    return declaration


def withdraw_interest(*, user: Any, declaration: InterestDeclaration) -> None:
    if not user.has_perm("reuse.declare_interest", declaration.municipality):
        raise PermissionDenied
    declaration.delete()


@transaction.atomic
def kit_save(
    *,
    user: Any,
    project: Project | None = None,
    solution: Solution | None = None,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> ReuseKit:
    """Record what a project (its editors) or a solution (its entry's coordination) offers for reuse."""
    allowed = (
        user.has_perm("portfolio.change_project", project)
        if project is not None
        else user.has_perm("reuse.change_solution", solution)
    )
    if not allowed or (project is None) == (solution is None):
        raise PermissionDenied
    data = {**data, "licence": normalised_licence(data.get("licence", "") or "")}
    kit = ReuseKit.objects.filter(project=project, solution=solution).first()
    if kit is None:
        return versioned_create(ReuseKit, user=user, data={**data, "project": project, "solution": solution})
    return versioned_update(
        kit, user=user, expected_version=kit.version if expected_version is None else expected_version, data=data
    )
