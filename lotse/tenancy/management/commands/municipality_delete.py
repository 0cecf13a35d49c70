"""`lotse municipality_delete SLUG`: delete a municipality with all its data (asks for the slug again)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.tenancy.models import Municipality
from lotse.tenancy.portability import delete


class Command(BaseCommand):
    help = "Löscht eine Kommune mit allen Daten, ihrem Verlauf und ihren Dateien. Vorher exportieren!"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--confirm", default="", help="der Kurzname noch einmal, statt der Rückfrage")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.filter(slug=options["slug"]).first()
        if municipality is None:
            raise CommandError(f"Eine Kommune mit dem Kurznamen „{options['slug']}“ gibt es nicht.")
        confirm = options["confirm"] or input(f"Zum Löschen von {municipality.name} den Kurznamen eingeben: ")
        if confirm.strip() != municipality.slug:
            raise CommandError("Abgebrochen, nichts gelöscht.")
        counts = delete(municipality)
        self.stdout.write(f"Gelöscht: {municipality.name} ({sum(counts.values())} Datensätze)")
