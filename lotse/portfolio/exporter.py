"""Write the project list as .xlsx (with drop-down lists, German number and date formats) or as ;-CSV.

The same columns as the importer reads, so an export can be edited and imported again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from lotse.core.spreadsheets import csv_bytes, workbook_bytes
from lotse.portfolio import columns as C
from lotse.portfolio.models import Funding, Obligation, Project, Status
from lotse.strategy.models import FieldOfAction
from lotse.tenancy.models import Municipality, OrgUnit, Visibility


def row_values(p: Project) -> dict[str, Any]:
    budget = getattr(p, "budget_total", None)
    if budget is None:
        budget = sum((y.budget_planned for y in p.years.all()), Decimal(0))
    return {
        C.KEY: p.key,
        C.TITLE: p.title,
        C.SUMMARY: p.summary,
        C.DESCRIPTION: p.description,
        C.LEAD_UNIT: str(p.lead_unit) if p.lead_unit else "",
        C.FIELD: p.field.name if p.field else "",
        C.STATUS: str(Status(p.status).label),
        C.FUNDING: str(Funding(p.funding).label),
        C.BUDGET: budget or Decimal(0),
        C.START: p.start_date,
        C.END: p.end_date,
        C.LEAD: p.project_lead,
        C.OBLIGATION: str(Obligation(p.obligation).label),
        C.LIGHTHOUSE: yes_no(p.is_lighthouse),
        C.TAGS: ", ".join(t.name for t in p.tags.all()),
        C.VISIBILITY: str(Visibility(p.visibility).label),
    }


def yes_no(value: bool) -> str:
    return ("yes" if value else "no") if C.english() else ("ja" if value else "nein")


def sheet_name() -> str:
    return "Projects" if C.english() else "Projekte"


def to_csv(projects: Iterable[Project]) -> bytes:
    """UTF-8 with BOM and `;`, as German Excel opens it; numbers as 1.234,56 and dates as 31.12.2026."""

    def cell(v: Any) -> Any:
        if isinstance(v, Decimal):
            return f"{v:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
        return v.strftime("%d.%m.%Y") if hasattr(v, "strftime") else v

    def row(p: Project) -> list[Any]:
        values = row_values(p)
        return [cell(values[c]) for c in C.COLUMNS]

    return csv_bytes([[C.header(c) for c in C.COLUMNS], *(row(p) for p in projects)])


def to_xlsx(projects: Iterable[Project], municipality: Municipality, *, template: bool = False) -> bytes:
    """A workbook with a "Projekte" sheet and a hidden "Listen" sheet feeding the drop-down lists, all in the
    current language. The empty template adds an example row (skipped on import) and an instructions sheet
    with the format of every column."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name()
    sheet.append([C.header(c) for c in C.COLUMNS])
    for cell, column in zip(sheet[1], C.COLUMNS, strict=True):
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="0B4F8A")
        if template:
            cell.comment = Comment(str(C.FORMATS.get(column, "")), "Lotse")
    count = 0
    if template:
        count += 1
        sheet.append(example_row(municipality))
        for cell in sheet[2]:
            cell.font = Font(italic=True, color="4A5563")
    for p in projects:
        count += 1
        values = row_values(p)
        sheet.append([values[c] for c in C.COLUMNS])
    for i, column in enumerate(C.COLUMNS, 1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = C.WIDTHS.get(column, 18)
        for cell in sheet[letter][1:]:
            if column == C.BUDGET:
                cell.number_format = '#,##0.00 "€"'
            elif column in (C.START, C.END):
                cell.number_format = "DD.MM.YYYY"
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(C.COLUMNS))}{max(2, count + 1)}"

    lists_name = "Lists" if C.english() else "Listen"
    lists = book.create_sheet(lists_name)
    lists.sheet_state = "hidden"
    options = {
        C.STATUS: [str(s.label) for s in Status],
        C.FUNDING: [str(f.label) for f in Funding],
        C.OBLIGATION: [str(o.label) for o in Obligation],
        C.LIGHTHOUSE: [yes_no(True), yes_no(False)],
        C.VISIBILITY: [str(v.label) for v in Visibility],
        C.FIELD: [f.name for f in FieldOfAction.objects.filter(municipality=municipality)],
        C.LEAD_UNIT: [str(u) for u in OrgUnit.objects.filter(municipality=municipality).order_by("name")],
    }
    last = max(1000, count + 500)
    for j, (column, choices) in enumerate(options.items(), 1):
        letter = get_column_letter(j)
        lists.cell(row=1, column=j, value=C.header(column))
        for k, value in enumerate(choices, 2):
            lists.cell(row=k, column=j, value=value)
        if not choices:
            continue
        target = get_column_letter(C.COLUMNS.index(column) + 1)
        check = DataValidation(
            type="list",
            formula1=f"={lists_name}!${letter}$2:${letter}${len(choices) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=str(_("Ungültiger Wert")),
            error=str(_("Bitte einen Wert aus der Liste wählen.")),
        )
        sheet.add_data_validation(check)
        check.add(f"{target}2:{target}{last}")
    if template:
        guide = book.create_sheet(str(_("Anleitung")))
        guide.append([str(_("Spalte")), str(_("Pflicht")), str(_("Erwartet")), str(_("Beispiel"))])
        for cell in guide[1]:
            cell.font = Font(bold=True)
        for column, value in zip(C.COLUMNS, example_row(municipality), strict=True):
            guide.append([C.header(column), yes_no(column in C.REQUIRED), str(C.FORMATS.get(column, "")), value])
        guide.append([])
        guide.append(
            [str(_("Die Beispielzeile (Schlüssel „%(key)s“) wird beim Import übersprungen.") % {"key": example_key()})]
        )
        for letter, width in zip("ABCD", (34, 8, 80, 40), strict=True):
            guide.column_dimensions[letter].width = width
    return workbook_bytes(book)


def example_key() -> str:
    return "EXAMPLE" if C.english() else "BEISPIEL"


def example_row(municipality: Municipality) -> list[Any]:
    """One filled-in row for the template, using the municipality's own first unit and field where it has them."""
    unit = OrgUnit.objects.filter(municipality=municipality).order_by("position", "name").first()
    field = FieldOfAction.objects.filter(municipality=municipality).order_by("position", "name").first()
    values = {
        C.KEY: example_key(),
        C.TITLE: str(_("Hundesteuer online anmelden")),
        C.SUMMARY: str(_("Bürgerinnen und Bürger melden Hunde im Serviceportal an und ab.")),
        C.DESCRIPTION: "",
        C.LEAD_UNIT: str(unit) if unit else "",
        C.FIELD: field.name if field else "",
        C.STATUS: str(Status.PLANNING.label),
        C.FUNDING: str(Funding.FUNDED.label),
        C.BUDGET: Decimal("25000"),
        C.START: date(date.today().year + 1, 3, 1),
        C.END: date(date.today().year + 1, 12, 31),
        C.LEAD: "",
        C.OBLIGATION: str(Obligation.MANDATORY.label),
        C.LIGHTHOUSE: yes_no(False),
        C.TAGS: str(_("OZG, Steuern")),
        C.VISIBILITY: str(Visibility.NETWORK.label),
    }
    return [values[c] for c in C.COLUMNS]
