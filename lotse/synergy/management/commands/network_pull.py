"""`lotse network_pull URL_OR_FILE`: take in another Lotse instance's project feed (read-only copies)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.synergy import federation


class Command(BaseCommand):
    help = "Übernimmt den Projektfeed einer anderen Lotse-Instanz (Datei oder URL) als nur lesbare Kopien."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="URL (…/open-data/projects.json) oder Dateipfad")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            town, count, removed = federation.pull(options["source"])
        except federation.FeedError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"{count} Projekte von {town.name} übernommen, {removed} zurückgezogene entfernt.")
        )
