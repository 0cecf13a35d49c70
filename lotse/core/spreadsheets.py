"""Every CSV and Excel file Lotse writes goes out through here, so no cell can run as a formula when the file
is opened (CSV/formula injection): not a title, a key, a field name in a hidden list sheet, nor anything a
later export adds. Cells are neutralised on the way out instead of at each call site."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (shown as text)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    """UTF-8 with BOM and `;`, as German Excel opens it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell("" if v is None else v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def workbook_bytes(book: Any) -> bytes:
    """Save an openpyxl workbook after neutralising every text cell of every sheet, hidden ones too."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = safe_cell(cell.value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
