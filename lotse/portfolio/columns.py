"""The spreadsheet columns of the Excel/CSV round trip, shared by the importer, the exporter and the template."""

from __future__ import annotations

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

# In this order in the template and the export. The headers are German on purpose: they are the
# departments' file format, independent of the interface language.
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
REQUIRED = [KEY, TITLE]
WIDTHS = {TITLE: 40, SUMMARY: 50, DESCRIPTION: 60, LEAD_UNIT: 36, FIELD: 34, TAGS: 30}
YES = {"ja", "j", "x", "1", "wahr", "true", "yes", "y"}
NO = {"nein", "n", "0", "falsch", "false", "no", ""}
