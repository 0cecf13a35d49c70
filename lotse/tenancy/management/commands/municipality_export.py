"""`lotse municipality_export SLUG FILE.zip`: every record, the audit trail, the members and the files of one
municipality."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.tenancy.models import Municipality
from lotse.tenancy.portability import export


class Command(BaseCommand):
    help = "Exportiert alle Daten einer Kommune als ZIP (JSON und Dateien)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.filter(slug=options["slug"]).first()
        if municipality is None:
            raise CommandError(f"Eine Kommune mit dem Kurznamen „{options['slug']}“ gibt es nicht.")
        data = export(municipality)
        Path(options["file"]).write_bytes(data)
        self.stdout.write(f"Exportiert: {municipality.name} → {options['file']} ({len(data) // 1024} KB)")
