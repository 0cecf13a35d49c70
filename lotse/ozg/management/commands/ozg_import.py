"""`lotse ozg_import FILE [--leika FILE]`: load or update the OZG catalogue (CSV or Excel)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.ozg.catalogue import CatalogueError, import_catalogue


class Command(BaseCommand):
    help = "Importiert den OZG-Katalog (ozg_id, leistung, lebenslage, themenfeld) und optional LeiKa-Leistungen."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="OZG-Leistungen als CSV oder Excel")
        parser.add_argument("--leika", help="LeiKa-Leistungen (leika_key, leistung, ozg_id, leika_typ)")

    def handle(self, *args: Any, **options: Any) -> None:
        def load(name: str) -> tuple[bytes, str]:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"Datei nicht gefunden: {name}")
            return path.read_bytes(), path.name

        ozg = load(options["file"])
        leika = load(options["leika"]) if options.get("leika") else None
        try:
            result = import_catalogue(ozg, leika)
        except CatalogueError as error:
            for line in error.errors:
                self.stderr.write(line)
            raise CommandError(f"{len(error.errors)} Fehler, nichts importiert.") from error
        self.stdout.write(
            f"OZG-Leistungen: {result.services_created} neu, {result.services_updated} geändert; "
            f"LeiKa-Leistungen: {result.leika_created} neu, {result.leika_updated} geändert."
        )
