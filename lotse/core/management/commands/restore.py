"""`lotse restore FILE --yes`: replace database and uploaded files with a backup's (stop the app servers first)."""

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.core.backup import BackupError, read_manifest, restore


class Command(BaseCommand):
    help = "Stellt eine Sicherung wieder her. Ersetzt alle Daten dieser Installation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="ohne Rückfrage")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["file"])
        if not source.exists():
            raise CommandError(f"Die Datei {source} gibt es nicht.")
        try:
            manifest = read_manifest(source)
        except Exception as error:
            raise CommandError(f"{source} ist keine lesbare Lotse-Sicherung: {error}") from error
        if not options["yes"]:
            answer = input(
                f"Sicherung vom {manifest['created']} einspielen und ALLE aktuellen Daten ersetzen? [ja/nein] "
            )
            if answer.strip().lower() not in ("ja", "j", "yes", "y"):
                raise CommandError("Abgebrochen, nichts geändert.")
        try:
            restore(source)
        except BackupError as error:
            raise CommandError(str(error)) from error
        call_command("migrate", "--no-input", verbosity=0)  # a backup of an older release is brought up to date
        self.stdout.write(f"Wiederhergestellt: Stand {manifest['created']}")
