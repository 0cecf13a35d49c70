"""`lotse import_projects FILE --municipality SLUG [--dry-run]`: the Excel/CSV import from the command line."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.portfolio import importer
from lotse.tenancy.models import Municipality


class Command(BaseCommand):
    help = "Importiert eine Projektliste (.xlsx oder .csv). Bei einem Fehler wird nichts gespeichert."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--municipality", required=True, help="Kurzname (slug) der Kommune")
        parser.add_argument("--dry-run", action="store_true", help="Nur prüfen, nichts speichern.")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.filter(slug=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"Die Kommune „{options['municipality']}“ gibt es nicht.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Die Datei „{path}“ gibt es nicht.")
        try:
            result = importer.parse(path.read_bytes(), path.name, municipality)
        except importer.ImportFileError as error:
            raise CommandError(str(error)) from error
        if result.errors:
            for row_error in result.errors:
                self.stderr.write(str(row_error))
            raise CommandError(f"{len(result.errors)} Fehler in {path.name}. Es wurde nichts gespeichert.")
        summary = f"{result.count_new} neu, {result.count_update} aktualisiert, {result.count_unchanged} unverändert"
        if options["dry_run"]:
            self.stdout.write(f"Prüfung ohne Fehler ({summary}). Nichts gespeichert (--dry-run).")
            return
        importer.apply(result, user=None, municipality=municipality)
        self.stdout.write(self.style.SUCCESS(f"Import abgeschlossen: {summary}."))
