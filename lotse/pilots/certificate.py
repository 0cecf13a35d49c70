"""The programme certificate as a tagged PDF (PDF/UA-1), typeset by Typst from a template in this room.

Names and titles are handed to Typst as JSON data, not as markup, so no name can change the document."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typst
from django.utils.translation import gettext as _

from lotse.pilots.models import DigitalPilot, ModuleCompletion, Programme

TEMPLATE = Path(__file__).resolve().parent / "typst" / "certificate.typ"


def missing_modules(pilot: DigitalPilot, programme: Programme) -> list[str]:
    done = set(
        ModuleCompletion.objects.filter(pilot=pilot, module__programme=programme).values_list("module", flat=True)
    )
    return [str(m) for m in programme.modules.all() if m.pk not in done]


def render(pilot: DigitalPilot, programme: Programme) -> bytes:
    completions = {
        c.module_id: c
        for c in ModuleCompletion.objects.filter(pilot=pilot, module__programme=programme).select_related("module")
    }
    modules = list(programme.modules.all())
    finished = max((c.completed_on for c in completions.values()), default=date.today())
    data = {
        "title": _("Zertifikat %(programme)s: %(name)s") % {"programme": programme.name, "name": pilot},
        "provider": programme.provider or programme.name,
        "heading": _("Zertifikat"),
        "name": str(pilot),
        "town": pilot.municipality.name,
        "intro": _("hat das Qualifizierungsprogramm „%(programme)s“ mit allen Modulen abgeschlossen.")
        % {"programme": programme.name},
        "col_no": _("Nr."),
        "col_module": _("Modul"),
        "col_date": _("abgeschlossen am"),
        "modules": [
            {"no": str(m.position), "title": m.title, "date": completions[m.pk].completed_on.strftime("%d.%m.%Y")}
            for m in modules
            if m.pk in completions
        ],
        "place_date": _("Ausgestellt am %(date)s") % {"date": finished.strftime("%d.%m.%Y")},
    }
    return bytes(typst.compile(str(TEMPLATE), sys_inputs={"data": json.dumps(data)}, pdf_standards=["ua-1"]))
