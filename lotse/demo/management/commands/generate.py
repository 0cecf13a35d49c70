"""`lotse generate`: synthetic data for load and scale tests, deterministic per preset and seed."""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.demo.generate import NETWORK_SLUG, PASSWORD, PRESETS, Generator, measured_town
from lotse.tenancy.models import Municipality


class Command(BaseCommand):
    help = (
        "Erzeugt synthetische Daten (Kommunen, Ämter, Personen, Projekte, Ideen, OZG-Stände, Digitallotsen) "
        "für Last- und Skalierungstests. Voreinstellung „state“: Baden-Württemberg mit 1.136 Kommunen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--preset", choices=sorted(PRESETS), default="state")
        parser.add_argument("--seed", type=int, default=1, help="gleicher Wert, gleiche Daten")
        parser.add_argument(
            "--catalogue", type=Path, help="OZG-Katalog als CSV (sonst ein erzeugter Katalog mit 557 Leistungen)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Municipality.objects.exists():
            raise CommandError(
                "Die Datenbank enthält schon Kommunen. Synthetische Daten werden nur in eine leere Datenbank "
                "erzeugt, damit sie nie mit echten Daten vermischt werden."
            )
        preset = PRESETS[options["preset"]]
        self.stdout.write(f"Erzeuge „{options['preset']}“ (Seed {options['seed']}) …")
        started = time.monotonic()
        counts = Generator(preset, options["seed"], log=self.stdout.write).run(options["catalogue"])
        self.stdout.write(self.style.SUCCESS(f"Fertig in {time.monotonic() - started:.0f} s:"))
        for name, n in counts.items():
            self.stdout.write(f"  {name:<22}{n:>10,}".replace(",", "."))
        town = measured_town()
        self.stdout.write(
            f"\nAnmelden als Koordination der größten Stadt ({town.name}): cdo@{town.slug}.example, "
            f"Passwort {PASSWORD}\nNetzwerk: /networks/{NETWORK_SLUG}/ — jede Kommune hat cdo@<kurzname>.example."
        )
