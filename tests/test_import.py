"""The Excel/CSV round trip: template, preview with row errors, all-or-nothing, idempotent re-import, CLI."""

import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from lotse.portfolio import exporter, importer
from lotse.portfolio.importer import parse_date, parse_money
from lotse.portfolio.models import ImportJob, ImportState, Project
from tests.portfolio_world import build_portfolio

HEADER = (
    "Projektschlüssel;Titel;Kurzbeschreibung;Beschreibung;Federführende Organisationseinheit;Handlungsfeld;"
    "Status;Finanzierung;Budget geplant (EUR);Beginn;Ende;Projektleitung;Pflicht/Kür;Leuchtturm;Schlagworte"
)


@pytest.fixture
def pw(world: Any) -> Any:
    return build_portfolio(world)


def csv(*rows: str, encoding: str = "utf-8") -> bytes:
    return "\r\n".join([HEADER, *rows]).encode(encoding)


GOOD = [
    "AMT32-01;Hundesteuer online;Anmeldung digital;;Amt 32;Digitale Bürgerdienste;in Planung;finanziert;"
    "1.234,56 €;01.02.2026;31.12.2026;Frau Öztürk;Pflicht;nein;OZG, Steuern",
    "AMT32-02;Gewerbeanmeldung;;;Bürgeramt A;Digitale Verwaltung;Umsetzung;teilfinanziert;20000;2026-03-01;;;Kür;ja;",
]


def test_german_numbers_and_dates() -> None:
    assert parse_money("1.234,56 €") == Decimal("1234.56")
    assert parse_money("1.234") == Decimal("1234.00")
    assert parse_money("12,5") == Decimal("12.50")
    assert parse_money(1500.0) == Decimal("1500.00")
    assert parse_money("") is None
    with pytest.raises(ValueError, match="kein Betrag"):
        parse_money("zwölf")
    assert parse_date("31.12.2026") == date(2026, 12, 31)
    assert parse_date("2026-12-31") == date(2026, 12, 31)
    with pytest.raises(ValueError, match="kein Datum"):
        parse_date("31/12/2026")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_import_in_every_encoding_creates_projects(pw: Any, world: Any, encoding: str) -> None:
    result = importer.parse(csv(*GOOD, encoding=encoding), "liste.csv", world.a)
    assert result.ok, [str(e) for e in result.errors]
    assert (result.count_new, result.count_update) == (2, 0)
    importer.apply(result, user=world.users["coordinator_a"], municipality=world.a)
    p = Project.objects.get(municipality=world.a, key="AMT32-01")
    assert (p.title, p.lead_unit, p.field, p.status, p.funding) == (
        "Hundesteuer online",
        world.unit_a1,
        pw.field,
        "planning",
        "funded",
    )
    assert p.project_lead == "Frau Öztürk" and p.obligation == "mandatory" and not p.is_lighthouse
    assert list(p.years.values_list("year", "budget_planned")) == [(2026, Decimal("1234.56"))]
    assert sorted(t.name for t in p.tags.all()) == ["OZG", "Steuern"]
    q = Project.objects.get(municipality=world.a, key="AMT32-02")
    assert (q.status, q.funding, q.is_lighthouse, q.start_date) == ("implementation", "partial", True, date(2026, 3, 1))


def test_every_bad_row_is_reported_and_nothing_is_written(pw: Any, world: Any) -> None:
    bad = csv(
        GOOD[0],
        "AMT32-01;Doppelt;;;;;;;;;;;;;",
        ";Ohne Schlüssel;;;;;;;;;;;;;",
        "X-3;;;;Amt 99;Kein Feld;fertig;vielleicht;viel;32.13.2026;;;;kann sein;",
        "X-4;Rückwärts;;;;;;;;01.01.2027;01.01.2026;;;;",
    )
    result = importer.parse(bad, "liste.csv", world.a)
    messages = [str(e) for e in result.errors]
    assert "Zeile 3, Spalte „Projektschlüssel“: Der Schlüssel steht schon in Zeile 2." in messages
    assert not any(m.startswith("Zeile 4,") for m in messages)  # no key: a new project, Lotse assigns one
    row5 = [m for m in messages if m.startswith("Zeile 5,")]
    for column in (
        "Titel",
        "Federführende Organisationseinheit",
        "Handlungsfeld",
        "Status",
        "Finanzierung",
        "Budget geplant (EUR)",
        "Beginn",
        "Leuchtturm",
    ):
        assert any(f"„{column}“" in m for m in row5), column
    assert any("Erlaubt: Idee, in Planung" in m for m in row5)
    assert "Zeile 6, Spalte „Ende“: Das Ende liegt vor dem Beginn." in messages
    with pytest.raises(ValueError):
        importer.apply(result, user=None, municipality=world.a)
    assert not Project.objects.filter(key__startswith="AMT32").exists()


def test_missing_required_columns_and_wrong_files_are_explained(world: Any) -> None:
    with pytest.raises(importer.ImportFileError, match="Es fehlen Pflichtspalten: Titel"):
        importer.parse(b"Projektschl\xc3\xbcssel;Status\r\nA;Idee", "x.csv", world.a)
    with pytest.raises(importer.ImportFileError, match=r"\.xlsx"):
        importer.parse(b"%PDF", "x.pdf", world.a)
    with pytest.raises(importer.ImportFileError, match="kann nicht gelesen werden"):
        importer.parse(b"not a zip", "x.xlsx", world.a)


def test_export_then_reimport_changes_nothing_and_edits_update_in_place(pw: Any, world: Any) -> None:
    projects = Project.objects.filter(municipality=world.a).order_by("key")
    data = exporter.to_xlsx(projects, world.a)
    result = importer.parse(data, "export.xlsx", world.a)
    assert result.ok, [str(e) for e in result.errors]
    assert result.count_unchanged == 3 and result.count_new == result.count_update == 0
    versions = dict(projects.values_list("key", "version"))
    importer.apply(result, user=world.users["coordinator_a"], municipality=world.a)
    assert dict(projects.values_list("key", "version")) == versions, "an unchanged re-import writes nothing"

    book = load_workbook(io.BytesIO(data))
    sheet = book["Projekte"]
    sheet["B2"] = "Geheimprojekt umbenannt"
    sheet["I2"] = 250000
    out = io.BytesIO()
    book.save(out)
    result = importer.parse(out.getvalue(), "export.xlsx", world.a)
    assert result.count_update == 1
    importer.apply(result, user=world.users["coordinator_a"], municipality=world.a)
    assert Project.objects.filter(municipality=world.a).count() == 3
    p = Project.objects.get(key="A-1")
    assert p.title == "Geheimprojekt umbenannt"
    assert list(p.years.values_list("budget_planned", flat=True)) == [Decimal(250000)]
    assert p.history.first().history_user == world.users["coordinator_a"]


def test_csv_export_is_german_and_formula_safe(pw: Any, world: Any) -> None:
    Project.objects.filter(pk=pw.public.pk).update(title='=HYPERLINK("http://evil")')
    text = exporter.to_csv(Project.objects.filter(municipality=world.a).order_by("key")).decode("utf-8-sig")
    line = next(line for line in text.splitlines() if line.startswith("A-1;"))
    assert ";100.000,00;" in line and ";01.01.2026;30.06.2027;" in line
    assert "'=HYPERLINK" in text
    # ...and the import takes the apostrophe off again.
    result = importer.parse(text.encode("utf-8"), "x.csv", world.a)
    assert result.ok and result.count_unchanged == 3, [str(e) for e in result.errors]


def test_template_has_headers_drop_downs_an_example_and_instructions(pw: Any, world: Any, client_for: Any) -> None:
    response = client_for(world.users["editor_a"]).get(reverse("portfolio:template", kwargs={"municipality": "astadt"}))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Projekte"]
    headers = [c.value for c in sheet[1]]
    assert headers[:15] == HEADER.split(";")
    assert sheet["A2"].value == "BEISPIEL" and sheet["B2"].value  # an example row ...
    assert "Lotse vergibt den Schlüssel" in sheet["A1"].comment.text  # ... and each column's format
    guide = [[c.value for c in row] for row in book["Anleitung"].iter_rows()]
    assert guide[0] == ["Spalte", "Pflicht", "Erwartet", "Beispiel"]
    assert guide[2][:2] == ["Titel", "ja"] and "01.03." in str(next(r for r in guide if r[0] == "Beginn")[2])
    # Sent back unchanged, the template imports nothing: the example row is skipped.
    result = importer.parse(response.content, "vorlage.xlsx", world.a)
    assert result.rows == [] and not result.ok
    lists = {str(dv.sqref).split(":")[0][0]: dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert lists["G"].startswith("Listen!") or lists["G"].startswith("=Listen!")  # Status
    assert book["Listen"].sheet_state == "hidden"
    assert [c.value for c in book["Listen"]["A"]][1:] == [
        "Idee",
        "in Planung",
        "in Umsetzung",
        "in Betrieb",
        "abgeschlossen",
        "Zukunftsprojekt",
        "verworfen",
    ]
    assert "Digitale Bürgerdienste" in [c.value for c in book["Listen"]["F"]]


def _upload(client: Any, *lines: str, name: str = "amt32.csv") -> Any:
    upload = io.BytesIO(csv(*lines))
    upload.name = name
    return client.post(reverse("portfolio:import", kwargs={"municipality": "astadt"}), {"file": upload}, follow=True)


def test_import_runs_as_tasks_preview_then_commit(pw: Any, world: Any, client_for: Any) -> None:
    """The request keeps the file and queues its check; the job's page shows the preview; confirming queues
    the writing. Only the person who uploaded the file confirms it, and only once."""
    client = client_for(world.users["coordinator_a"])
    preview = _upload(client, *GOOD)
    body = preview.content.decode()
    assert "Bereit: 2 neu, 0 Aktualisierungen, 0 unverändert." in body
    assert not Project.objects.filter(key="AMT32-01").exists(), "the preview writes nothing"
    job = ImportJob.objects.exclude(pk=pw.import_job.pk).get()
    assert job.state == ImportState.CHECKED and job.total_rows == 2
    assert preview.redirect_chain[-1][0] == reverse(
        "portfolio:import_job", kwargs={"municipality": "astadt", "pk": job.pk}
    )
    url = preview.redirect_chain[-1][0]
    assert client_for(world.users["admin"]).post(url).status_code == 403  # someone else's upload
    assert client_for(world.users["coordinator_b"]).get(url).status_code == 403  # another town's coordinator
    assert not Project.objects.filter(key="AMT32-01").exists()
    client = client_for(world.users["coordinator_a"])
    done = client.post(url, follow=True)
    assert "Import abgeschlossen: 2 neu, 0 aktualisiert, 0 unverändert." in done.content.decode()
    assert Project.objects.filter(key__startswith="AMT32").count() == 2
    again = client.post(url, follow=True)
    assert "schon ausgeführt" in again.content.decode()
    assert Project.objects.filter(key__startswith="AMT32").count() == 2
    assert not any((Path(settings.VAR_DIR) / "imports").glob(job.stored_name)), "the upload is gone with the job"


def test_the_job_page_polls_while_a_task_works_and_stops_when_it_is_done(pw: Any, world: Any, client_for: Any) -> None:
    client = client_for(world.users["coordinator_a"])
    job = ImportJob.objects.create(
        municipality=world.a, created_by=world.users["coordinator_a"], filename="x.csv", stored_name="x.csv"
    )
    url = reverse("portfolio:import_job", kwargs={"municipality": "astadt", "pk": job.pk})
    waiting = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in waiting and "Die Datei wird geprüft" in waiting
    ImportJob.objects.filter(pk=job.pk).update(checked_rows=500, total_rows=1200)
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "500 von 1200 Zeilen" in partial and "<html" not in partial
    ImportJob.objects.filter(pk=job.pk).update(state=ImportState.FAILED, message="Kaputt.")
    failed = client.get(url).content.decode()
    assert "hx-trigger" not in failed and "Nichts importiert" in failed and "Kaputt." in failed


def test_import_refuses_a_project_changed_after_the_preview(pw: Any, world: Any, client_for: Any) -> None:
    client = client_for(world.users["coordinator_a"])
    preview = _upload(client, "A-1;Umbenannt;;;;;;;;;;;;;", name="a.csv")
    Project.objects.filter(pk=pw.internal.pk).update(version=99)
    response = client.post(preview.redirect_chain[-1][0], follow=True)
    assert "Nichts importiert" in response.content.decode()
    assert Project.objects.get(pk=pw.internal.pk).title != "Umbenannt"
    assert ImportJob.objects.exclude(pk=pw.import_job.pk).get().state == ImportState.FAILED


def test_bad_upload_shows_row_errors_and_no_commit_button(pw: Any, world: Any, client_for: Any) -> None:
    client = client_for(world.users["coordinator_a"])
    body = _upload(client, GOOD[0], "X;;;;;;;;;;;;;;", name="a.csv").content.decode()
    assert "Die Datei enthält 1 Fehler. Es wurde nichts gespeichert." in body
    assert "Der Titel fehlt." in body and "Import ausführen" not in body


def test_an_unreadable_file_ends_its_job_with_the_reason(pw: Any, world: Any, client_for: Any) -> None:
    client = client_for(world.users["coordinator_a"])
    upload = io.BytesIO(b"Irgendwas;Anderes\r\nA;B")
    upload.name = "a.csv"
    body = client.post(
        reverse("portfolio:import", kwargs={"municipality": "astadt"}), {"file": upload}, follow=True
    ).content.decode()
    assert "Nichts importiert" in body and "Pflichtspalten" in body


def test_cli_import_dry_run_errors_and_export(pw: Any, world: Any, tmp_path: Path, capsys: Any) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes(csv(*GOOD, encoding="cp1252"))
    call_command("import_projects", str(good), municipality="astadt", dry_run=True)
    assert "Nichts gespeichert (--dry-run)" in capsys.readouterr().out
    assert not Project.objects.filter(key__startswith="AMT32").exists()
    call_command("import_projects", str(good), municipality="astadt")
    assert Project.objects.filter(key__startswith="AMT32").count() == 2
    call_command("import_projects", str(good), municipality="astadt")
    assert "0 neu, 0 aktualisiert, 2 unverändert" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv("Y-1;;;;;;;;;;;;;;", "Y-2;Gut;;;;;Idee;;;;;;;;"))
    with pytest.raises(CommandError, match="1 Fehler"):
        call_command("import_projects", str(bad), municipality="astadt")
    assert "Zeile 2, Spalte „Titel“: Der Titel fehlt." in capsys.readouterr().err
    assert not Project.objects.filter(key="Y-2").exists()
    out = tmp_path / "alle.xlsx"
    call_command("export_projects", str(out), municipality="astadt")
    rows = list(load_workbook(out)["Projekte"].iter_rows(values_only=True))
    assert len(rows) == 1 + 5


def test_cli_exits_non_zero_on_errors(db: Any, tmp_path: Path) -> None:
    """The console script itself, in a new process: bad input gives a German message and a non-zero exit code."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    db_settings = settings.DATABASES["default"]
    if db_settings["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{db_settings['NAME']}"
    else:
        url = f"postgres://{db_settings['USER']}@{db_settings['HOST']}:{db_settings['PORT']}/{db_settings['NAME']}"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv("Y-1;;;;;;;;;;;;;;"))
    env = {**os.environ, "LOTSE_DEMO": "true", "DATABASE_URL": url, "LOTSE_VAR_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    proc = subprocess.run(
        [sys.executable, "-m", "lotse", "import_projects", str(bad), "--municipality", "nirgendwo"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode != 0
    assert "Die Kommune „nirgendwo“ gibt es nicht." in proc.stderr


def test_new_rows_written_in_bulk_carry_the_same_audit_trail_as_single_saves(pw: Any, world: Any) -> None:
    """Rows without tags are inserted in bulk (a 10,000-row file in seconds); they must not lose the audit
    trail, the budget year or the first status entry that `project_save` writes for a single project."""
    header = "Projektschlüssel;Titel;Federführende Organisationseinheit;Status;Budget geplant (EUR);Beginn"
    rows = [f"BULK-{i};Vorhaben {i};Amt 32;in Planung;{1000 + i};01.02.2026" for i in range(30)]
    result = importer.parse("\r\n".join([header, *rows]).encode(), "liste.csv", world.a)
    assert result.ok and result.count_new == 30
    user = world.users["coordinator_a"]
    assert importer.apply(result, user=user, municipality=world.a) == {"new": 30, "update": 0, "unchanged": 0}
    p = Project.objects.get(municipality=world.a, key="BULK-7")
    assert (p.title, p.lead_unit, p.status, p.created_by, p.version) == (
        "Vorhaben 7",
        world.unit_a1,
        "planning",
        user,
        1,
    )
    assert p.status_since == date.today()
    assert list(p.years.values_list("year", "budget_planned")) == [(2026, Decimal("1007"))]
    history = p.history.get()
    assert (history.history_type, history.history_user, history.title) == ("+", user, "Vorhaben 7")
    assert p.years.get().history.get().history_user == user
    assert list(p.status_changes.values_list("from_status", "to_status", "changed_by")) == [("", "planning", user.pk)]
    # a second import of the same file changes nothing
    again = importer.parse("\r\n".join([header, *rows]).encode(), "liste.csv", world.a)
    assert (again.count_new, again.count_unchanged) == (0, 30)


def test_a_row_without_key_becomes_a_new_project_with_an_assigned_key(pw: Any, world: Any) -> None:
    result = importer.parse(csv(";Ohne Schlüssel;;;;;;;;;;;;;", ";Auch ohne;;;;;;;;;;;;;"), "liste.csv", world.a)
    assert result.ok, [str(e) for e in result.errors]
    importer.apply(result, user=world.users["coordinator_a"], municipality=world.a)
    keys = sorted(Project.objects.filter(title__in=["Ohne Schlüssel", "Auch ohne"]).values_list("key", flat=True))
    year = date.today().year
    assert keys == [f"P-{year}-001", f"P-{year}-002"]


@pytest.mark.parametrize(("exported_in", "imported_in"), [("en", "de"), ("de", "en")])
def test_an_export_in_one_language_reimports_in_the_other(
    pw: Any, world: Any, exported_in: str, imported_in: str
) -> None:
    from django.utils import translation

    projects = Project.objects.filter(municipality=world.a).order_by("key")
    for fmt in ("xlsx", "csv"):
        with translation.override(exported_in):
            data = exporter.to_xlsx(projects, world.a) if fmt == "xlsx" else exporter.to_csv(projects)
        text = data.decode("utf-8-sig") if fmt == "csv" else ""
        if exported_in == "en" and fmt == "csv":
            header = text.splitlines()[0]
            assert header.startswith("Project key;Title;") and "in Umsetzung" not in text and "Projekt" not in header
        with translation.override(imported_in):
            result = importer.parse(data, f"export.{fmt}", world.a)
        assert result.ok, (fmt, [str(e) for e in result.errors][:5])
        assert result.count_unchanged == 3 and result.count_new == result.count_update == 0
