"""The council report (Sachstandsbericht Digitalisierung) for one year: a tagged PDF (PDF/UA-1) typeset by
Typst, and an Excel annex. Figures come from the rooms' selectors; the municipality's own texts from its
`CouncilReportTemplate`. Everything reaches Typst as JSON data, never as markup; charts as SVG with alt text."""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import typst
from django.conf import settings
from django.db.models import Count, F, Q, Sum
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lotse.core.charts import bar_chart, line_chart
from lotse.ozg import selectors as ozg
from lotse.pilots import selectors as pilots
from lotse.portfolio.models import Funding, Project, ProjectYear, Status, StatusChange
from lotse.reports.models import CouncilReportTemplate
from lotse.strategy import selectors as strategy
from lotse.tenancy.models import Municipality

TEMPLATE = Path(__file__).resolve().parent / "typst" / "council.typ"
MAX_CHARTS = 8


def template_of(municipality: Municipality) -> CouncilReportTemplate:
    found = CouncilReportTemplate.objects.filter(municipality=municipality).first()
    return found or CouncilReportTemplate(municipality=municipality)


def _money(value: Decimal | float | int | None) -> str:
    return formats.number_format(value or 0, decimal_pos=0, use_l10n=True, force_grouping=True) + " €"


@dataclass
class Change:
    key: str
    title: str
    what: str


def changes(municipality: Municipality, year: int) -> list[Change]:
    """New projects, status changes and finished ones in the year (the changes since last year's report)."""
    rows = []
    # A project is new in the year its first status entry is dated (when it entered the portfolio), not when its
    # row was written: an imported list of older projects is not "new this year".
    new = (
        StatusChange.objects.filter(project__municipality=municipality, from_status="", changed_on__year=year)
        .select_related("project")
        .order_by("project__key")
    )
    rows += [Change(c.project.key, c.project.title, _("neu aufgenommen")) for c in new]
    moves = (
        StatusChange.objects.filter(project__municipality=municipality, changed_on__year=year)
        .exclude(from_status="")
        .select_related("project")
        .order_by("changed_on", "pk")
    )
    labels = dict(Status.choices)
    for m in moves:
        what = _("%(date)s: von „%(old)s“ nach „%(new)s“") % {
            "date": m.changed_on.strftime("%d.%m.%Y"),
            "old": labels.get(m.from_status, m.from_status),
            "new": labels.get(m.to_status, m.to_status),
        }
        rows.append(Change(m.project.key, m.project.title, what))
    return rows


def report_data(municipality: Municipality, year: int) -> dict[str, Any]:
    """Every text and figure of the report, as plain data."""
    template = template_of(municipality)
    projects = Project.objects.filter(municipality=municipality)
    status_labels = dict(Status.choices)
    counts = dict(projects.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    money = ProjectYear.objects.filter(project__municipality=municipality, year=year).aggregate(
        planned=Sum("budget_planned"), approved=Sum("budget_approved"), spent=Sum("budget_spent")
    )
    budget_of = dict(
        ProjectYear.objects.filter(project__municipality=municipality, year=year)
        .values("project")
        .annotate(total=Sum("budget_planned"))
        .values_list("project", "total")
    )
    ozg_board = ozg.dashboard(municipality)
    coverage = pilots.coverage(municipality)
    fields = []
    tree = strategy.strategy_tree(municipality)
    for field, goals in tree:
        field_projects = projects.filter(Q(field=field) | Q(further_fields=field)).distinct()
        fields.append(
            {
                "name": field.name,
                "projects": field_projects.count(),
                "active": field_projects.filter(status__in=[Status.PLANNING, Status.IMPLEMENTATION]).count(),
                "done": field_projects.filter(status__in=[Status.OPERATION, Status.COMPLETED]).count(),
                "goals": [
                    {
                        "title": goal.title,
                        "indicators": [
                            {
                                "name": s.indicator.name,
                                "latest": _num(s.latest.value if s.latest else None, s.indicator.unit),
                                "target": _num(s.indicator.target, s.indicator.unit),
                                "progress": f"{s.progress} %" if s.progress is not None else "–",
                            }
                            for s in items
                        ],
                    }
                    for goal, items in goals
                ],
            }
        )
    charts: list[dict[str, str]] = []
    if template.show_indicators:
        for _field, goals in tree:
            for _goal, items in goals:
                for s in items:
                    readings = list(s.indicator.readings.all())
                    if len(readings) < 2 or len(charts) >= MAX_CHARTS:
                        continue
                    chart = line_chart(
                        s.indicator.name,
                        [(r.measured_on, float(r.value)) for r in readings],
                        baseline=float(s.indicator.baseline) if s.indicator.baseline is not None else None,
                        target=float(s.indicator.target),
                        unit=f" {s.indicator.unit}" if s.indicator.unit else "",
                    )
                    charts.append({"title": s.indicator.name, "svg": str(chart.svg), "alt": _alt(chart)})
    status_chart = bar_chart(
        _("Projekte nach Status"), [(str(label), counts.get(value, 0)) for value, label in Status.choices]
    )
    groups: dict[str, dict[str, Any]] = {}
    ordered = projects.select_related("lead_unit", "field").order_by(
        F("field__position").asc(nulls_last=True), "field__name", "key"
    )
    for p in ordered:
        name = p.field.name if p.field else _("Ohne Handlungsfeld")
        group = groups.setdefault(name, {"name": name, "rows": [], "sum": Decimal(0)})
        group["rows"].append(
            {
                "key": p.key,
                "title": p.title,
                "status": status_labels.get(p.status, p.status),
                "funding": str(Funding(p.funding).label) if p.funding else "–",
                "unit": str(p.lead_unit) if p.lead_unit else "–",
                "budget": _money(budget_of.get(p.pk)) if p.pk in budget_of else "–",
            }
        )
        group["sum"] += budget_of.get(p.pk) or 0
    project_groups = [
        {
            "name": g["name"],
            "rows": g["rows"],
            "total": ngettext("Summe %(field)s (%(n)s Projekt)", "Summe %(field)s (%(n)s Projekte)", len(g["rows"]))
            % {"field": g["name"], "n": len(g["rows"])},
            "budget": _money(g["sum"]),
        }
        for g in groups.values()
    ]
    strategy_obj = strategy.strategy_of(municipality)
    since = _since_revision(municipality)
    return {
        "since": since,
        "lang": (translation.get_language() or "de")[:2],
        "title": f"{template.title} {year}: {municipality.name}",
        "heading": template.title,
        "town": municipality.name,
        "year": str(year),
        "logo": "",
        "logo_alt": _("Wappen von %(town)s") % {"town": municipality.name},
        "paper": _("Drucksache %(n)s") % {"n": template.paper_number} if template.paper_number else "",
        "author": _("Verfasst von: %(who)s") % {"who": template.author_unit} if template.author_unit else "",
        "resolution": template.resolution,
        "addressee": _("Vorlage an: %(who)s") % {"who": template.addressee} if template.addressee else "",
        "issued": _("Stand: %(date)s") % {"date": date.today().strftime("%d.%m.%Y")},
        "strategy": strategy_obj.title if strategy_obj else "",
        "preface": template.preface,
        "closing": template.closing,
        "labels": {
            "summary": _("Zusammenfassung"),
            "fields": _("Fortschritt je Handlungsfeld"),
            "projects": _("Projekte"),
            "indicators": _("Kennzahlen"),
            "changes": _("Änderungen im Berichtsjahr"),
            "closing": _("Ausblick"),
            "resolution": _("Beschlussvorschlag"),
            "figure": _("Kennzahl"),
            "value": _("Wert"),
            "total": _("Summe aller Projekte"),
            "key": _("Schlüssel"),
            "title": _("Projekt"),
            "status": _("Status"),
            "funding": _("Finanzierung"),
            "unit": _("Federführung"),
            "budget": _("Budget %(year)s") % {"year": year},
            "indicator": _("Kennzahl"),
            "latest": _("aktuell"),
            "target": _("Ziel"),
            "progress": _("Fortschritt"),
            "what": _("Änderung"),
            "no_changes": _("Keine Änderungen im Berichtsjahr."),
            "of_projects": _(
                "%(n)s Projekte, davon %(a)s in Planung oder Umsetzung und %(d)s in Betrieb oder abgeschlossen"
            ),
        },
        "summary": [
            [_("Projekte insgesamt"), str(sum(counts.values()))],
            *[[label, str(counts.get(value, 0))] for value, label in Status.choices],
            [_("Budget %(year)s geplant") % {"year": year}, _money(money["planned"])],
            [_("Budget %(year)s bewilligt") % {"year": year}, _money(money["approved"])],
            [_("Budget %(year)s ausgegeben") % {"year": year}, _money(money["spent"])],
            [_("OZG-Leistungen online"), f"{ozg_board.online} / {ozg_board.relevant} ({ozg_board.share} %)"],
            [
                _("Einheiten mit Digitallotse"),
                f"{sum(1 for c in coverage if c.pilots)} / {len(coverage)}",
            ],
        ],
        "status_chart": {"svg": str(status_chart.svg), "alt": _alt(status_chart), "title": status_chart.title},
        "fields": fields,
        "show_projects": template.show_projects,
        "project_groups": project_groups,
        "projects_budget": _money(sum(budget_of.values(), Decimal(0))),
        "charts": charts,
        "show_changes": template.show_changes,
        "changes": [{"key": c.key, "title": c.title, "what": c.what} for c in changes(municipality, year)]
        if template.show_changes
        else [],
    }


def _since_revision(municipality: Municipality) -> dict[str, Any] | None:
    """What changed since the last frozen revision (the last Fortschreibung), if there is one."""
    from lotse.reports import revisions
    from lotse.reports.models import Revision

    last = Revision.objects.filter(municipality=municipality).order_by("-frozen_on", "-pk").first()
    if last is None:
        return None
    c = revisions.compare(last.snapshot, revisions.snapshot(municipality))
    rows = [[p["key"], p["title"], _("neu")] for p in c.new]
    rows += [[p["key"], p["title"], _("abgeschlossen")] for p in c.finished]
    rows += [[p["key"], p["title"], _("gestrichen")] for p in c.dropped]
    rows += [[ch.key, ch.title, "; ".join(f"{w}: {a} → {b}" for w, a, b in ch.changes)] for ch in c.changed]
    rows += [["", g["title"], _("neues Ziel")] for g in c.goals_new]
    rows += [["", g["title"], _("Ziel entfallen")] for g in c.goals_removed]
    rows += [
        ["", after, _("Ziel geändert (vorher: %(before)s)") % {"before": before}] for before, after in c.goals_changed
    ]
    return {
        "heading": _("Änderungen seit „%(title)s“ (Stand %(date)s)")
        % {"title": last.title, "date": last.frozen_on.strftime("%d.%m.%Y")},
        "rows": rows,
    }


def _num(value: Any, unit: str) -> str:
    if value is None:
        return "–"
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)  # 8, not 8,00
    text = formats.number_format(value, decimal_pos=None, use_l10n=True, force_grouping=True)
    return f"{text} {unit}".strip()


def _alt(chart: Any) -> str:
    """The chart's alt text: its title and every value, as the SVG's description says."""
    return f"{chart.title}: " + "; ".join(" ".join(str(c) for c in row) for row in chart.rows)[:1500]


def render_pdf(municipality: Municipality, year: int, language: str | None = None) -> bytes:
    """The report in the language asked for (German unless said otherwise), with the town's logo on the cover."""
    with translation.override(language or settings.LANGUAGE_CODE):
        data = report_data(municipality, year)
    with tempfile.TemporaryDirectory() as root:
        # Typst reads files only below its root: the template and the logo go there together.
        shutil.copy(TEMPLATE, Path(root) / TEMPLATE.name)
        if municipality.logo:
            suffix = Path(municipality.logo.name).suffix.lower() or ".png"
            with municipality.logo.open("rb") as source:
                (Path(root) / f"logo{suffix}").write_bytes(source.read())
            data["logo"] = f"logo{suffix}"
        return bytes(
            typst.compile(
                str(Path(root) / TEMPLATE.name),
                root=root,
                sys_inputs={"data": json.dumps(data, default=str)},
                pdf_standards=["ua-1"],
            )
        )


def render_xlsx(municipality: Municipality, year: int, language: str | None = None) -> bytes:
    """The annex: every project (the portfolio's export format) and the indicators with their readings."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return _xlsx(municipality, year)


def _xlsx(municipality: Municipality, year: int) -> bytes:
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    from lotse.core.spreadsheets import workbook_bytes
    from lotse.portfolio import exporter

    book = load_workbook(io.BytesIO(exporter.to_xlsx(Project.objects.filter(municipality=municipality), municipality)))
    sheet = book.create_sheet(_("Kennzahlen"))
    sheet.append(
        [
            _("Handlungsfeld"),
            _("Ziel"),
            _("Kennzahl"),
            _("Einheit"),
            _("Ausgangswert"),
            _("Zielwert"),
            _("Stand vom"),
            _("Wert"),
        ]
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for field, goals in strategy.strategy_tree(municipality):
        for goal, items in goals:
            for s in items:
                readings: list[Any] = list(s.indicator.readings.all()) or [None]
                for r in readings:
                    sheet.append(
                        [
                            field.name,
                            goal.title,
                            s.indicator.name,
                            s.indicator.unit,
                            float(s.indicator.baseline) if s.indicator.baseline is not None else None,
                            float(s.indicator.target),
                            r.measured_on if r else None,
                            float(r.value) if r else None,
                        ]
                    )
    changes_sheet = book.create_sheet(_("Änderungen %(year)s") % {"year": year})
    changes_sheet.append([_("Schlüssel"), _("Projekt"), _("Änderung")])
    for c in changes(municipality, year):
        changes_sheet.append([c.key, c.title, c.what])
    return workbook_bytes(book)
