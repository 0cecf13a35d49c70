"""The status-quo survey in waves (*Staffeln*): units answer a questionnaire and list their digital projects;
the coordination tracks completion, reminds, and reviews the answers into portfolio records; each unit's results
form its live Digitalisierungskonzept page."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lotse.core.mail import send
from lotse.portfolio import services as portfolio
from lotse.portfolio.models import Project, Status
from lotse.reports.models import SurveyWave, WaveDocument, WaveSubmission
from lotse.tenancy.models import Membership, Municipality, OrgUnit, Role
from lotse.tenancy.selectors import descendant_ids


@dataclass
class Progress:
    unit: OrgUnit
    submission: WaveSubmission | None

    @property
    def state(self) -> str:
        if self.submission is None or self.submission.submitted_at is None:
            return "open"
        return "reviewed" if self.submission.reviewed_at else "submitted"


def progress(wave: SurveyWave) -> list[Progress]:
    submissions = {s.org_unit_id: s for s in wave.submissions.all()}
    return [Progress(u, submissions.get(u.pk)) for u in wave.units.order_by("position", "name")]


def clean_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The project rows a unit entered: empty rows dropped, budget as a number, status one of the portfolio's."""
    result = []
    for n, row in enumerate(rows, start=1):
        title = str(row.get("title") or "").strip()
        if not title:
            continue
        status = row.get("status") or Status.PLANNING
        if status not in Status.values:
            raise ValidationError(_("Zeile %(n)s: unbekannter Status.") % {"n": n})
        raw = str(row.get("budget") or "0").replace(".", "").replace(",", ".").replace("€", "").strip() or "0"
        try:
            budget = Decimal(raw)
        except InvalidOperation as error:
            raise ValidationError(_("Zeile %(n)s: Das Budget ist keine Zahl.") % {"n": n}) from error
        result.append(
            {
                "title": title[:200],
                "summary": str(row.get("summary") or "")[:500],
                "status": status,
                "budget": str(budget),
            }
        )
    return result


@transaction.atomic
def submit(
    wave: SurveyWave, unit: OrgUnit, *, user: Any, answers: dict[str, Any], rows: list[dict[str, Any]]
) -> WaveSubmission:
    if not wave.units.filter(pk=unit.pk).exists():
        raise ValidationError(_("Diese Einheit ist an der Staffel nicht beteiligt."))
    submission, _created = WaveSubmission.objects.select_for_update().get_or_create(wave=wave, org_unit=unit)
    if submission.reviewed_at:
        raise ValidationError(_("Die Rückmeldung ist schon übernommen und kann nicht mehr geändert werden."))
    submission.answers = answers
    submission.projects = clean_rows(rows)
    submission.submitted_at = timezone.now()
    submission.submitted_by = user
    submission.save()
    return submission


@transaction.atomic
def review(submission: WaveSubmission, *, user: Any) -> list[Project]:
    """Take a unit's project list into the portfolio: a project of the unit with the same title is updated,
    others are created with the unit as lead. All rows or none."""
    if submission.submitted_at is None:
        raise ValidationError(_("Die Einheit hat noch nicht geantwortet."))
    if submission.reviewed_at:
        raise ValidationError(_("Diese Rückmeldung ist schon übernommen."))
    unit = submission.org_unit
    municipality = unit.municipality
    existing = {p.title.casefold(): p for p in Project.objects.filter(municipality=municipality, lead_unit=unit)}
    year = timezone.localdate().year
    saved = []
    for row in submission.projects:
        data = {"title": row["title"], "summary": row["summary"], "status": row["status"], "lead_unit": unit}
        children = {
            "years": [
                {
                    "year": year,
                    "budget_planned": Decimal(row["budget"]),
                    "budget_approved": 0,
                    "budget_spent": 0,
                    "staff_fte": 0,
                }
            ]
        }
        project = existing.get(row["title"].casefold())
        saved.append(
            portfolio.project_save(
                project,
                user=user,
                municipality=municipality,
                data=data,
                children=children if project is None else None,
                expected_version=project.version if project else None,
            )
        )
    submission.reviewed_at = timezone.now()
    submission.reviewed_by = user
    submission.save(update_fields=["reviewed_at", "reviewed_by"])
    return saved


def remind(wave: SurveyWave) -> int:
    """E-mail the editors and pilots of every unit that has not answered yet; returns the number of e-mails."""
    from lotse.pilots.models import DigitalPilot

    open_units = [p.unit for p in progress(wave) if p.state == "open"]
    base = settings.LOTSE_BASE_URL.rstrip("/")
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for unit in open_units:
            emails = set(
                Membership.objects.filter(municipality=wave.municipality, role=Role.EDITOR, org_units=unit).values_list(
                    "user__email", flat=True
                )
            )
            emails |= set(DigitalPilot.objects.filter(org_units=unit).values_list("person__email", flat=True))
            path = reverse(
                "reports:wave_unit", kwargs={"municipality": wave.municipality.slug, "pk": wave.pk, "unit": unit.pk}
            )
            body = _(
                "Guten Tag,\n\nfür die Status-quo-Erhebung „%(wave)s“ fehlt noch die Rückmeldung von %(unit)s "
                "(bis %(deadline)s):\n\n%(link)s\n\nDanke!"
            ) % {"wave": wave.title, "unit": unit, "deadline": wave.deadline.strftime("%d.%m.%Y"), "link": base + path}
            for email in sorted(e for e in emails if e):
                send(_("Status-quo-Erhebung: Ihre Rückmeldung fehlt noch"), body, [email])
                sent += 1
    return sent


def add_document(municipality: Municipality, *, user: Any, title: str, file: Any) -> WaveDocument:
    """A new version of a workshop document (the first upload under a title is version 1)."""
    last = WaveDocument.objects.filter(municipality=municipality, title=title).aggregate(n=Max("number"))["n"] or 0
    return WaveDocument.objects.create(
        municipality=municipality, title=title, number=last + 1, file=file, uploaded_by=user
    )


def concept(unit: OrgUnit) -> dict[str, Any]:
    """A unit's live Digitalisierungskonzept: its latest answers, its projects as they are now in the portfolio,
    its latest maturity self-assessment, its pilots and the ideas routed to it."""
    from django.db.models import Q

    from lotse.participation.models import Idea, Publication
    from lotse.pilots.models import DigitalPilot
    from lotse.reports.models import MaturityAssessment

    units = descendant_ids({unit.pk}, unit.municipality_id)
    submission = (
        WaveSubmission.objects.filter(org_unit=unit, submitted_at__isnull=False)
        .select_related("wave__questionnaire")
        .order_by("-submitted_at")
        .first()
    )
    answers = []
    if submission is not None and submission.wave.questionnaire is not None:
        for q in submission.wave.questionnaire.questions.all():
            value = submission.answers.get(str(q.pk))
            if value in (None, "", []):
                continue
            options = q.option_list()
            if isinstance(value, list):
                shown = ", ".join(options[int(i)] for i in value if 0 <= int(i) < len(options))
            elif q.kind in ("single",) and str(value).isdigit():
                shown = options[int(value)] if int(value) < len(options) else str(value)
            else:
                shown = str(value)
            answers.append((q.text, shown))
    return {
        "submission": submission,
        "answers": answers,
        "projects": list(
            Project.objects.filter(
                Q(lead_unit__in=units) | Q(involved_units__in=units), municipality=unit.municipality_id
            )
            .distinct()
            .order_by("status", "title")
        ),
        "maturity": MaturityAssessment.objects.filter(org_unit=unit).first(),
        "pilots": list(DigitalPilot.objects.filter(org_units__in=units).select_related("person").distinct()),
        "ideas": list(
            Idea.objects.filter(org_unit__in=units, merged_into__isnull=True)
            .exclude(publication__in=[Publication.UNCONFIRMED, Publication.HIDDEN])
            .order_by("-created_at")[:20]
        ),
    }


def rows_from_excel(data: bytes, filename: str, municipality: Municipality) -> list[dict[str, Any]]:
    """The project rows from the portfolio's Excel template (or CSV), checked row by row by the portfolio's
    importer; any error stops the whole file, with every error listed in German."""
    from lotse.portfolio import importer

    try:
        result = importer.parse(data, filename, municipality)
    except importer.ImportFileError as error:
        raise ValidationError(str(error)) from error
    errors = [str(e) for e in result.errors]
    errors += [
        _("Zeile %(row)s: Der Titel fehlt.") % {"row": row.number} for row in result.rows if not row.values.get("title")
    ]
    if errors:
        raise ValidationError(errors)
    return [
        {
            "title": row.values.get("title", ""),
            "summary": row.values.get("summary", ""),
            "status": row.values.get("status") or Status.PLANNING,
            "budget": str(row.budget or 0),
        }
        for row in result.rows
    ]
