"""The spreadsheet columns of the Excel/CSV round trip, shared by the importer, the exporter and the template.

A file speaks one language: headers and values are German or English, as the person who exported it worked.
The importer understands both, so a list exported in the English interface imports in the German one and the
other way round. Inside Lotse a column is named by its German header (the constants below).
"""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

KEY = "Projektschlüssel"
TITLE = "Titel"
SUMMARY = "Kurzbeschreibung"
DESCRIPTION = "Beschreibung"
LEAD_UNIT = "Federführende Organisationseinheit"
FIELD = "Handlungsfeld"
STATUS = "Status"
FUNDING = "Finanzierung"
BUDGET = "Budget geplant (EUR)"
START = "Beginn"
END = "Ende"
LEAD = "Projektleitung"
OBLIGATION = "Pflicht/Kür"
LIGHTHOUSE = "Leuchtturm"
TAGS = "Schlagworte"
VISIBILITY = "Sichtbarkeit"
STAFF = "Personalbedarf (VZÄ)"

# In this order in the template and the export.
COLUMNS = [
    KEY,
    TITLE,
    SUMMARY,
    DESCRIPTION,
    LEAD_UNIT,
    FIELD,
    STATUS,
    FUNDING,
    BUDGET,
    START,
    END,
    LEAD,
    OBLIGATION,
    LIGHTHOUSE,
    TAGS,
    VISIBILITY,
]
ENGLISH = {
    KEY: "Project key",
    TITLE: "Title",
    SUMMARY: "Summary",
    DESCRIPTION: "Description",
    LEAD_UNIT: "Lead unit",
    FIELD: "Field of action",
    STATUS: "Status",
    FUNDING: "Funding",
    BUDGET: "Planned budget (EUR)",
    START: "Start",
    END: "End",
    LEAD: "Project lead",
    OBLIGATION: "Mandatory/voluntary",
    LIGHTHOUSE: "Lighthouse",
    TAGS: "Tags",
    VISIBILITY: "Visibility",
    STAFF: "Staff need (FTE)",
}
REQUIRED = [TITLE]  # a row without Projektschlüssel is a new project; Lotse assigns its key
WIDTHS = {TITLE: 40, SUMMARY: 50, DESCRIPTION: 60, LEAD_UNIT: 36, FIELD: 34, TAGS: 30}
YES = {"ja", "j", "x", "1", "wahr", "true", "yes", "y"}
NO = {"nein", "n", "0", "falsch", "false", "no", ""}
# The template's example row carries this key; the importer skips it, so a template sent back unchanged imports
# nothing by accident.
EXAMPLE_KEYS = {"beispiel", "example"}

# What each column expects, for the template's instructions sheet (and the header comments).
FORMATS = {
    KEY: _("Leer lassen für ein neues Projekt (Lotse vergibt den Schlüssel); vorhandene Schlüssel ändern das Projekt."),
    TITLE: _("Pflicht. Höchstens 200 Zeichen."),
    SUMMARY: _("Höchstens 500 Zeichen."),
    DESCRIPTION: _("Beliebig lang."),
    LEAD_UNIT: _("Name oder Kürzel einer Organisationseinheit der Kommune (Auswahlliste)."),
    FIELD: _("Name eines Handlungsfelds der Strategie (Auswahlliste)."),
    STATUS: _("Idee, in Planung, in Umsetzung, in Betrieb, abgeschlossen, Zukunftsprojekt oder verworfen."),
    FUNDING: _("finanziert, teilfinanziert oder nicht finanziert."),
    BUDGET: _("Betrag in Euro, z. B. 25.000 oder 25000,50."),
    START: _("Datum, z. B. 01.03.2027."),
    END: _("Datum, z. B. 31.12.2028; nicht vor dem Beginn."),
    LEAD: _("Name der Projektleitung."),
    OBLIGATION: _("Pflicht (gesetzliche Aufgabe, z. B. OZG) oder Kür."),
    LIGHTHOUSE: _("ja oder nein."),
    TAGS: _("Durch Komma getrennt, z. B. E-Akte, Bürgerservice."),
    VISIBILITY: _("intern, im Netzwerk oder öffentlich."),
}


def english() -> bool:
    return (get_language() or "de").startswith("en")


def header(column: str) -> str:
    """The column's header in the current language."""
    return ENGLISH[column] if english() else column


def canonical(text: str) -> str | None:
    """The column a header names, in either language (spaces and case do not matter)."""
    wanted = " ".join(str(text).split()).lower()
    for column in [*COLUMNS, STAFF]:
        if wanted in (column.lower(), ENGLISH[column].lower()):
            return column
    return None
