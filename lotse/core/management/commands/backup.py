"""`lotse backup [FILE]`: the database and the uploaded files in one .tar.gz (default: var/backups/)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lotse.core.backup import BackupError, create


class Command(BaseCommand):
    help = "Sichert Datenbank und hochgeladene Dateien in eine .tar.gz-Datei."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="Zieldatei (Standard: var/backups/lotse-DATUM.tar.gz)")

    def handle(self, *args: Any, **options: Any) -> None:
        default = Path(settings.VAR_DIR) / "backups" / f"lotse-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        target = Path(options["file"] or default)
        try:
            manifest = create(target)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Gesichert: {target} ({manifest['database']}, {manifest['files']} Dateien)")
