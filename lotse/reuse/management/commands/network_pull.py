"""`lotse network_pull URL_OR_FILE`: take in another Lotse instance's feed (read-only copies of its projects and,
from schema 2.0, its solutions and the origins of its adopted projects)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.reuse import federation
from lotse.synergy.federation import FeedError


class Command(BaseCommand):
    help = "Übernimmt den Projektfeed einer anderen Lotse-Instanz (Datei oder URL) als nur lesbare Kopien."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="URL (…/open-data/projects.json) oder Dateipfad")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            town, count, removed, solutions = federation.pull(options["source"])
        except FeedError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{count} Projekte von {town.name} übernommen, {removed} zurückgezogene entfernt, "
                f"{solutions} genutzte Lösungen."
            )
        )
