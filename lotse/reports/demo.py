"""Demo content of the reports room: last year's Fortschreibung of Musterstadt, so the comparison with today
shows new, finished and changed projects and a reworded goal."""

from __future__ import annotations

import copy
import io
from datetime import date
from typing import Any

from django.core.files.base import ContentFile

from lotse.reports import revisions
from lotse.reports.models import Revision
from lotse.tenancy.models import Municipality


def build_council_template(user: Any, municipality: Municipality) -> None:
    """The texts around the figures of Musterstadt's report, and a coat of arms for its cover."""
    from lotse.core.services import versioned_create
    from lotse.reports.models import CouncilReportTemplate

    versioned_create(
        CouncilReportTemplate,
        user=user,
        data={
            "municipality": municipality,
            "paper_number": f"{date.today().year}/145",
            "author_unit": "Stabsstelle Digitalisierung",
            "resolution": "Der Gemeinderat nimmt den Sachstandsbericht zur Kenntnis und beauftragt die Verwaltung, "
            "die Digitalisierungsstrategie im kommenden Jahr fortzuschreiben.",
        },
    )
    municipality.logo.save("musterstadt.png", ContentFile(_coat_of_arms()), save=True)


def _coat_of_arms() -> bytes:
    """A plain shield drawn for the demo (blue and gold, a tower), so the cover shows where a town's logo goes."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (240, 280), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    shield = [(10, 10), (230, 10), (230, 150), (120, 270), (10, 150)]
    draw.polygon(shield, fill=(11, 79, 138), outline=(8, 58, 102))
    draw.rectangle((90, 70, 150, 200), fill=(255, 209, 102))
    for x in (90, 110, 130):
        draw.rectangle((x, 50, x + 20, 70), fill=(255, 209, 102))
    draw.rectangle((110, 150, 130, 200), fill=(11, 79, 138))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def build(user: Any, municipality: Municipality) -> None:
    build_council_template(user, municipality)
    today = revisions.snapshot(municipality)
    last_year = copy.deepcopy(today)
    projects = last_year["projects"]
    # Three projects came later; two were still being planned; one was not yet finished.
    last_year["projects"] = [p for p in projects if p["key"] not in {p["key"] for p in projects[-3:]}]
    moved = 0
    for p in last_year["projects"]:
        if p["status"] == "implementation" and moved < 2:
            p["status"], moved = "planning", moved + 1
        elif p["status"] == "completed":
            p["status"] = "implementation"
            break
    if last_year["goals"]:
        last_year["goals"][0]["title"] += " (Entwurf)"
    Revision.objects.create(
        municipality=municipality,
        title=f"Fortschreibung {date.today().year - 1}",
        frozen_on=date(date.today().year - 1, 6, 30),
        decision=f"Gemeinderat, Drucksache {date.today().year - 1}/112",
        decided_on=date(date.today().year - 1, 7, 15),
        snapshot=last_year,
        created_by=user,
    )


def build_maturity(user: Any) -> None:
    """Two rounds of self-assessment for Musterstadt's Ämter, one for some units of its network neighbours (so
    the anonymised network comparison has enough towns)."""
    import random
    from datetime import timedelta

    from lotse.reports.models import MaturityAssessment
    from lotse.tenancy.models import OrgUnit

    rng = random.Random(5)
    today = date.today()
    rows = []
    musterstadt = Municipality.objects.get(slug="musterstadt")
    for unit in OrgUnit.objects.filter(municipality=musterstadt, kind=OrgUnit.Kind.OFFICE)[:12]:
        base = [rng.randint(1, 3) for _ in range(5)]
        for when, bump in ((today - timedelta(days=380), 0), (today - timedelta(days=20), 1)):
            values = [min(5, v + (bump if rng.random() < 0.7 else 0)) for v in base]
            rows.append(
                MaturityAssessment(
                    municipality=musterstadt,
                    org_unit=unit,
                    assessed_on=when,
                    created_by=user,
                    people=values[0],
                    processes=values[1],
                    it=values[2],
                    data=values[3],
                    services=values[4],
                )
            )
    for slug in ("lindenau", "bachfelden", "hohenberg", "landkreis-musterkreis"):
        town = Municipality.objects.filter(slug=slug).first()
        if town is None:
            continue
        for unit in OrgUnit.objects.filter(municipality=town)[:3]:
            v = [rng.randint(1, 4) for _ in range(5)]
            rows.append(
                MaturityAssessment(
                    municipality=town,
                    org_unit=unit,
                    assessed_on=today - timedelta(days=60),
                    people=v[0],
                    processes=v[1],
                    it=v[2],
                    data=v[3],
                    services=v[4],
                )
            )
    MaturityAssessment.objects.bulk_create(rows)


def build_wave(user: Any) -> None:
    """Staffel 1 of Musterstadt's status-quo survey with two Dezernate: one answered and taken into the
    portfolio, one still open."""
    from lotse.participation.models import Audience, Poll, Question
    from lotse.reports import waves
    from lotse.reports.models import SurveyWave
    from lotse.tenancy.models import OrgUnit

    musterstadt = Municipality.objects.get(slug="musterstadt")
    dezernate = list(
        OrgUnit.objects.filter(municipality=musterstadt, kind=OrgUnit.Kind.DIVISION).order_by("position", "name")[:2]
    )
    if len(dezernate) < 2:
        return
    poll = Poll.objects.create(
        municipality=musterstadt,
        title="Fragebogen Status-quo-Erhebung",
        audience=Audience.STAFF,
        starts_on=date(date.today().year, 1, 1),
        ends_on=date(date.today().year, 12, 31),
        published=False,
    )
    Question.objects.bulk_create(
        [
            Question(poll=poll, position=1, kind="text", text="Welche Prozesse sollten zuerst digital werden?"),
            Question(
                poll=poll, position=2, kind="scale", text="Wie gut ist die IT-Ausstattung?", scale_min=1, scale_max=5
            ),
            Question(poll=poll, position=3, kind="text", text="Welche Schulungen brauchen die Beschäftigten?"),
        ]
    )
    questions = list(poll.questions.all())
    wave = SurveyWave.objects.create(
        municipality=musterstadt,
        title="Staffel 1: Dezernate I und II",
        questionnaire=poll,
        deadline=date.today(),
        instructions="Bitte bis zur Frist ausfüllen; Fragen beantwortet die Stabsstelle Digitalisierung.",
    )
    wave.units.set(dezernate)
    submission = waves.submit(
        wave,
        dezernate[0],
        user=user,
        answers={
            str(questions[0].pk): "Posteingang und Aktenablage",
            str(questions[1].pk): 3,
            str(questions[2].pk): "E-Akte, Videokonferenzen",
        },
        rows=[
            {
                "title": "Digitaler Posteingang",
                "summary": "Scannen und Verteilen der Eingangspost",
                "status": "planning",
                "budget": "45000",
            },
            {
                "title": "Sitzungsdienst digital",
                "summary": "Einladungen und Protokolle elektronisch",
                "status": "idea",
                "budget": "0",
            },
        ],
    )
    waves.review(submission, user=user)
