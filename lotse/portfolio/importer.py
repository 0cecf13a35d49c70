"""Read a department's project list (.xlsx or ;-separated CSV) and check every row before anything is written.

`parse()` never writes: it returns rows with the values understood and German errors (row, column, why).
`apply()` writes all rows in one transaction, or none if a single row is bad. Re-importing the same file
changes nothing: projects are matched by Projektschlüssel and only columns present in the file are applied.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field
from django.utils import translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from lotse.core.uploads import check_zip
from lotse.portfolio import columns as C
from lotse.portfolio.models import Funding, Obligation, Project, ProjectYear, Status, StatusChange
from lotse.portfolio.services import next_keys, project_save, tags_from_text
from lotse.strategy.models import FieldOfAction
from lotse.tenancy.models import Municipality, OrgUnit, Visibility

MAX_BYTES = 5 * 1024 * 1024
MAX_AMOUNT = Decimal(10) ** 12  # what a budget column holds (14 digits, two after the comma)
MAX_ROWS = 20_000  # a whole state-wide portfolio export stays importable; 10,000 rows take a few seconds


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, no header, missing required columns)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Zeile %(row)s, Spalte „%(column)s“: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportRow:
    number: int  # the row number as the spreadsheet shows it (header = 1)
    key: str
    values: dict[str, Any] = field(default_factory=dict)  # model field → value
    tags: str | None = None
    budget: Decimal | None = None
    errors: list[RowError] = field(default_factory=list)
    action: str = ""  # "new", "update", "unchanged"
    project: Project | None = None


@dataclass
class ImportResult:
    rows: list[ImportRow]
    headers: list[str]
    ignored_headers: list[str]

    @property
    def errors(self) -> list[RowError]:
        return [e for r in self.rows for e in r.errors]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action and not r.errors)

    @property
    def count_new(self) -> int:
        return self.count("new")

    @property
    def count_update(self) -> int:
        return self.count("update")

    @property
    def count_unchanged(self) -> int:
        return self.count("unchanged")

    def as_preview(self) -> dict[str, Any]:
        """What the preview page shows, as JSON the import job keeps until it is confirmed."""
        return {
            "ok": self.ok,
            "errors": [str(e) for e in self.errors],
            "count_new": self.count_new,
            "count_update": self.count_update,
            "count_unchanged": self.count_unchanged,
            "ignored_headers": self.ignored_headers,
            "rows": [
                {
                    "number": r.number,
                    "key": r.key,
                    "values": {"title": str(r.values.get("title", ""))},
                    "errors": [{"column": e.column, "message": e.message} for e in r.errors],
                    "action": r.action,
                }
                for r in self.rows
            ],
        }

    def seen_versions(self) -> dict[str, int]:
        return {r.key: r.project.version if r.project else 0 for r in self.rows}


# ---------------------------------------------------------------- reading files


def read_table(data: bytes, filename: str) -> list[list[Any]]:
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("Die Datei ist größer als 5 MB."))
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(data)
    if suffix in (".csv", ".txt"):
        return _read_csv(data)
    raise ImportFileError(_("Bitte eine Excel-Datei (.xlsx) oder eine CSV-Datei (.csv) hochladen."))


def _read_xlsx(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        check_zip(data)
    except ValidationError as error:
        broken = error.code == "broken"
        raise ImportFileError(
            _("Die Excel-Datei kann nicht gelesen werden.") if broken else error.messages[0]
        ) from error
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for broken files
        raise ImportFileError(_("Die Excel-Datei kann nicht gelesen werden.")) from error
    names = [n for n in ("Projekte", "Projects") if n in book.sheetnames]
    sheet = book[names[0]] if names else book.worksheets[0]
    rows = []
    for row in sheet.iter_rows(values_only=True):  # stop at the limit instead of reading 800,000 rows first
        rows.append(list(row))
        if len(rows) > MAX_ROWS + 1:
            break
    book.close()
    return rows


def _read_csv(data: bytes) -> list[list[Any]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise ImportFileError(_("Die Zeichenkodierung der CSV-Datei ist unbekannt (erwartet UTF-8 oder Windows-1252)."))
    first = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first else ("\t" if "\t" in first else ",")
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error as error:  # e.g. a cell longer than 131,072 characters, or a stray quote at the end
        raise ImportFileError(
            _(
                "Zeile %(row)s der CSV-Datei ist nicht lesbar: Eine Zelle ist zu lang (höchstens 131.072 Zeichen) "
                "oder ein Anführungszeichen wird nicht geschlossen."
            )
            % {"row": len(rows) + 1}
        ) from error
    return rows


# ---------------------------------------------------------------- understanding values


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    # The exporter writes a leading ' before text a spreadsheet would run as a formula; undo that.
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text


def parse_money(value: Any) -> Decimal | None:
    """`1.234,56 €`, `1234,56`, `1.234`, or a number cell; None when empty."""
    number = isinstance(value, int | float | Decimal) and not isinstance(value, bool)  # a number cell
    text = str(value) if number else _text(value).replace("€", "").replace("EUR", "").replace("\xa0", "")
    text = text.replace(" ", "")
    if not text:
        return None
    if not number and "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif not number and re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    try:
        amount = Decimal(text)
    except InvalidOperation as error:
        raise ValueError(_("„%(value)s“ ist kein Betrag (Beispiel: 1.234,56 €).") % {"value": value}) from error
    if not amount.is_finite():  # "NaN", "Infinity" are numbers to Python, not to a budget
        raise ValueError(_("„%(value)s“ ist kein Betrag (Beispiel: 1.234,56 €).") % {"value": value})
    if amount < 0:
        raise ValueError(_("Der Betrag darf nicht negativ sein."))
    if amount >= MAX_AMOUNT:
        raise ValueError(_("Der Betrag ist zu groß (höchstens 999.999.999.999,99 €)."))
    return amount.quantize(Decimal("0.01"))


def parse_date(value: Any) -> date | None:
    """`31.12.2026`, `2026-12-31` or a date cell; None when empty."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    for pattern in ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(_("„%(value)s“ ist kein Datum (Beispiel: 31.12.2026).") % {"value": text})


def _labels(member: Any) -> set[str]:
    """A choice as people write it, in German and in English ("in Umsetzung", "Umsetzung", "implementation")."""
    names = {str(member.value)}
    for language in ("de", "en"):
        with translation.override(language):
            label = str(member.label).lower()
        names |= {label, label.removeprefix("in ")}
    return names


def _choice(value: Any, choices: type, column: str) -> str | None:
    text = _text(value).lower()
    if not text:
        return None
    for member in choices:  # type: ignore[attr-defined]
        if text in _labels(member):
            return str(member.value)
    if choices is Obligation and text in ("kuer", "freiwillig", "voluntary"):
        return str(Obligation.VOLUNTARY)
    if choices is Obligation and text in ("pflichtaufgabe", "gesetzlich", "mandatory"):
        return str(Obligation.MANDATORY)
    allowed = ", ".join(str(m.label) for m in choices)  # type: ignore[attr-defined]
    raise ValueError(_("„%(value)s“ ist nicht zulässig. Erlaubt: %(allowed)s.") % {"value": value, "allowed": allowed})


def _yes_no(value: Any) -> bool | None:
    text = _text(value).lower()
    if text in C.YES:
        return True
    if text in C.NO:
        return False
    raise ValueError(_("Bitte „ja“ oder „nein“ angeben."))


class Lookup:
    """Org units and fields of one municipality, matched the way people write them."""

    def __init__(self, municipality: Municipality):
        self.units: dict[str, OrgUnit] = {}
        for unit in OrgUnit.objects.filter(municipality=municipality):
            for name in (unit.name, unit.short_name, str(unit)):
                if name:
                    self.units.setdefault(name.strip().lower(), unit)
        self.fields = {f.name.strip().lower(): f for f in FieldOfAction.objects.filter(municipality=municipality)}

    def unit(self, value: Any) -> OrgUnit | None:
        text = _text(value)
        if not text:
            return None
        if text.lower() not in self.units:
            raise ValueError(
                _("Die Organisationseinheit „%(value)s“ gibt es in dieser Kommune nicht.") % {"value": text}
            )
        return self.units[text.lower()]

    def field(self, value: Any) -> FieldOfAction | None:
        text = _text(value)
        if not text:
            return None
        if text.lower() not in self.fields:
            raise ValueError(_("Das Handlungsfeld „%(value)s“ gibt es in dieser Kommune nicht.") % {"value": text})
        return self.fields[text.lower()]


# Column → (model field, converter). Converters raise ValueError with a German message.
def _converters(lookup: Lookup) -> dict[str, tuple[str, Any]]:
    return {
        C.TITLE: ("title", _text),
        C.SUMMARY: ("summary", _text),
        C.DESCRIPTION: ("description", _text),
        C.LEAD_UNIT: ("lead_unit", lookup.unit),
        C.FIELD: ("field", lookup.field),
        C.STATUS: ("status", lambda v: _choice(v, Status, C.STATUS) or Status.IDEA),
        C.FUNDING: ("funding", lambda v: _choice(v, Funding, C.FUNDING) or Funding.UNFUNDED),
        C.START: ("start_date", parse_date),
        C.END: ("end_date", parse_date),
        C.LEAD: ("project_lead", _text),
        C.OBLIGATION: ("obligation", lambda v: _choice(v, Obligation, C.OBLIGATION) or Obligation.VOLUNTARY),
        C.LIGHTHOUSE: ("is_lighthouse", _yes_no),
        C.VISIBILITY: ("visibility", lambda v: _choice(v, Visibility, C.VISIBILITY) or Visibility.INTERNAL),
    }


# The model's own bounds (lotse.core.limits), so a file cannot bring in what the form refuses.
LIMITS = {
    name: cast("Field[Any, Any]", Project._meta.get_field(name)).max_length
    for name in ("title", "summary", "description", "project_lead")
}


def parse(
    data: bytes, filename: str, municipality: Municipality, progress: Callable[[int, int], None] | None = None
) -> ImportResult:
    """Check every row against the municipality's data; `progress(done, total)` hears of it every 500 rows."""
    table = read_table(data, filename)
    while table and not any(_text(c) for c in table[0]):
        table.pop(0)
    if not table:
        raise ImportFileError(_("Die Datei ist leer."))
    written = [_text(h) for h in table[0]]
    # Headers in German or English; inside, every column goes by its German name.
    headers = [C.canonical(h) or h for h in written]
    missing = [C.header(h) for h in C.REQUIRED if h not in headers]
    if missing:
        raise ImportFileError(
            _("Es fehlen Pflichtspalten: %(missing)s. Bitte die Vorlage verwenden.") % {"missing": ", ".join(missing)}
        )
    known = set(C.COLUMNS)
    ignored = [w for w, h in zip(written, headers, strict=True) if w and h not in known]
    body = table[1:]
    if len(body) > MAX_ROWS:
        raise ImportFileError(_("Höchstens %(n)s Zeilen je Import.") % {"n": MAX_ROWS})
    lookup = Lookup(municipality)
    converters = _converters(lookup)
    existing = {p.key: p for p in Project.objects.filter(municipality=municipality).prefetch_related("tags", "years")}
    seen: dict[str, int] = {}
    rows: list[ImportRow] = []
    for offset, raw in enumerate(body, start=2):
        if progress is not None and offset % 500 == 0:
            progress(offset - 1, len(body))
        cells = {h: raw[i] if i < len(raw) else None for i, h in enumerate(headers) if h in known}
        if not any(_text(v) for v in cells.values()):
            continue  # blank lines are not errors
        row = ImportRow(number=offset, key=_text(cells.get(C.KEY)))
        if row.key.lower() in C.EXAMPLE_KEYS:
            continue  # the template's example row
        if not row.key:
            pass  # a new project: Lotse assigns its key when it is saved
        elif len(row.key) > 40:
            row.errors.append(RowError(offset, C.header(C.KEY), _("Höchstens 40 Zeichen.")))
        elif row.key in seen:
            row.errors.append(
                RowError(
                    offset, C.header(C.KEY), _("Der Schlüssel steht schon in Zeile %(row)s.") % {"row": seen[row.key]}
                )
            )
        else:
            seen[row.key] = offset
        for column, value in cells.items():
            if column not in converters:
                continue
            name, convert = converters[column]
            try:
                row.values[name] = convert(value)
            except ValueError as error:
                row.errors.append(RowError(offset, C.header(column), str(error)))
                continue
            limit = LIMITS.get(name)
            if limit and len(row.values[name]) > limit:
                row.errors.append(RowError(offset, C.header(column), _("Höchstens %(n)s Zeichen.") % {"n": limit}))
        if C.TITLE in cells and not row.values.get("title"):
            row.errors.append(RowError(offset, C.header(C.TITLE), _("Der Titel fehlt.")))
        start, end = row.values.get("start_date"), row.values.get("end_date")
        if start and end and end < start:
            row.errors.append(RowError(offset, C.header(C.END), _("Das Ende liegt vor dem Beginn.")))
        if C.TAGS in cells:
            row.tags = _text(cells[C.TAGS])
        if C.BUDGET in cells:
            try:
                row.budget = parse_money(cells[C.BUDGET])
            except ValueError as error:
                row.errors.append(RowError(offset, C.header(C.BUDGET), str(error)))
        row.project = existing.get(row.key)
        _plan(row)
        rows.append(row)
    return ImportResult(rows=rows, headers=headers, ignored_headers=ignored)


def _budget_rows(project: Project | None, row: ImportRow) -> list[dict[str, Any]] | None:
    """Year rows after applying the sheet's total planned budget, or None if nothing changes."""
    if row.budget is None and project is None:
        return None
    years = list(project.years.all()) if project else []
    current = sum((y.budget_planned for y in years), Decimal(0))
    target = row.budget or Decimal(0)
    if project is not None and current == target:
        return None
    if len(years) > 1:
        row.errors.append(
            RowError(
                row.number,
                C.header(C.BUDGET),
                _(
                    "Das Budget ist in Lotse auf mehrere Jahre verteilt; "
                    "bitte dort ändern oder den bisherigen Wert lassen."
                ),
            )
        )
        return None
    as_dicts = [
        {f: getattr(y, f) for f in ("year", "budget_planned", "budget_approved", "budget_spent", "staff_fte")}
        | {"id": y.pk}
        for y in years
    ]
    if as_dicts:
        as_dicts[0]["budget_planned"] = target
        return as_dicts
    if not target:
        return None
    start = row.values.get("start_date") or (project.start_date if project else None)
    year = start.year if start else date.today().year
    return [{"year": year, "budget_planned": target, "budget_approved": 0, "budget_spent": 0, "staff_fte": 0}]


def _plan(row: ImportRow) -> None:
    """Decide new / update / unchanged, so the preview can say what will happen."""
    project = row.project
    row.values.pop("_years", None)
    years = _budget_rows(project, row)
    if years is not None:
        row.values["_years"] = years
    if project is None:
        row.action = "new"
        return
    changed = any(getattr(project, k) != v for k, v in row.values.items() if not k.startswith("_"))
    if row.tags is not None:
        changed |= sorted(t.name for t in project.tags.all()) != sorted(
            {t.strip() for t in row.tags.replace(";", ",").split(",") if t.strip()}
        )
    changed |= years is not None
    row.action = "update" if changed else "unchanged"


@transaction.atomic
def apply(result: ImportResult, *, user: Any, municipality: Municipality) -> dict[str, int]:
    """Write every row, or nothing: any error or failing save rolls the whole import back."""
    if not result.ok:
        raise ValueError("refusing to import a file with errors")
    done = {"new": 0, "update": 0, "unchanged": 0}
    plain_new = [r for r in result.rows if r.action == "new" and r.tags is None]
    _create_in_bulk(plain_new, user=user, municipality=municipality)
    done["new"] += len(plain_new)
    for row in result.rows:
        if row.action == "unchanged":
            done["unchanged"] += 1
            continue
        if row.action == "new" and row.tags is None:
            continue  # written in bulk above
        done[row.action] += 1
        values = dict(row.values)
        years = values.pop("_years", None)
        m2m = {"tags": tags_from_text(municipality, row.tags)} if row.tags is not None else None
        project_save(
            Project.objects.get(pk=row.project.pk) if row.project else None,
            user=user,
            municipality=municipality,
            data={**values, "key": row.key},
            m2m=m2m,
            children={"years": years} if years is not None else None,
        )
    return done


def _create_in_bulk(rows: list[ImportRow], *, user: Any, municipality: Municipality) -> None:
    """New projects without tags, one insert per table instead of some twenty queries per row: the same
    records, audit rows (who, when) and first status entry as `project_save` writes one by one. Keys, units
    and fields were checked by `parse`; lengths and choices are checked here, as `full_clean` would."""
    if not rows:
        return
    today = date.today()
    who = user if user is not None and user.is_authenticated else None
    fresh = iter(next_keys(municipality, sum(1 for r in rows if not r.key)))
    projects = []
    for row in rows:
        values = {k: v for k, v in row.values.items() if not k.startswith("_")}
        values.setdefault("status_since", today)
        project = Project(**values, key=row.key or next(fresh), municipality=municipality, created_by=who)
        project.clean_fields(exclude=["municipality", "created_by", "lead_unit", "field"])
        projects.append(project)
    created = bulk_create_with_history(projects, Project, batch_size=1000, default_user=who)  # with their ids
    years = [
        ProjectYear(project=p, **{k: v for k, v in y.items() if k != "id"})
        for p, row in zip(created, rows, strict=True)
        for y in row.values.get("_years") or []
    ]
    for year in years:
        year.clean_fields(exclude=["project"])  # as full_clean would: e.g. an amount beyond the column
    bulk_create_with_history(years, ProjectYear, batch_size=1000, default_user=who)
    StatusChange.objects.bulk_create(
        (
            StatusChange(project=p, from_status="", to_status=p.status, changed_on=today, changed_by=who)
            for p in created
        ),
        batch_size=1000,
    )
