"""`lotse municipalities_import GV100AD.txt [--land 08] [--network SLUG]`: a whole state's Landkreise and Gemeinden
from the official Destatis directory, with ARS, AGS and inhabitants; a second run updates, never duplicates."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.tenancy import directory
from lotse.tenancy.models import Network


class Command(BaseCommand):
    help = "Lädt Landkreise und Gemeinden aus dem Gemeindeverzeichnis GV100AD von Destatis (z. B. nur --land 08)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="die Datei GV100AD_TTMMJJ.txt aus dem ZIP von Destatis")
        parser.add_argument("--land", default="", help="zweistelliger Länderschlüssel, z. B. 08 für Baden-Württemberg")
        parser.add_argument("--network", default="", help="Kurzname eines Netzwerks, dem alle beitreten")
        parser.add_argument("--dry-run", action="store_true", help="nur prüfen, nichts speichern")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Datei nicht gefunden: {path}")
        land = options["land"].strip()
        if land and (len(land) != 2 or not land.isdigit()):
            raise CommandError("Der Länderschlüssel hat zwei Ziffern, z. B. 08.")
        network = None
        if options["network"]:
            network = Network.objects.filter(slug=options["network"]).first()
            if network is None:
                raise CommandError(f"Ein Netzwerk „{options['network']}“ gibt es nicht.")
        entries, errors = directory.read(directory.decode(path.read_bytes()), land)
        if errors:
            for line in errors[:50]:
                self.stderr.write(line)
            raise CommandError(f"{len(errors)} Fehler in der Datei, nichts importiert.")
        if not entries:
            raise CommandError(
                "Die Datei enthält keine Landkreise oder Gemeinden" + (f" des Landes {land}." if land else ".")
            )
        if options["dry_run"]:
            districts = sum(1 for e in entries if e.kind == "district")
            self.stdout.write(f"Geprüft: {districts} Landkreise, {len(entries) - districts} Gemeinden, keine Fehler.")
            return
        try:
            result = directory.load(entries, network=network)
        except ValidationError as error:
            for line in error.messages[:50]:
                self.stderr.write(line)
            raise CommandError("Nichts importiert.") from error
        self.stdout.write(
            f"{result.districts} Landkreise und {result.municipalities} Gemeinden: "
            f"{result.created} neu, {result.updated} aktualisiert, {result.unchanged} unverändert."
        )
