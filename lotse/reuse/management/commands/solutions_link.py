from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.reuse import services
from lotse.tenancy.models import Municipality


class Command(BaseCommand):
    help = (
        "Verknüpft die Freitexte der OZG-Umsetzungsstände (Online-Dienst, Anbieter) mit dem Lösungsregister "
        "(täglich per systemd-Timer/cron) und nennt mit --proposals Einträge, die wohl dieselbe Lösung sind."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", help="nur diese Kommune (Kurzname); sonst alle")
        parser.add_argument("--proposals", action="store_true", help="mögliche Dubletten im Register ausgeben")

    def handle(self, *args: Any, **options: Any) -> None:
        town = None
        if options["municipality"]:
            town = Municipality.objects.filter(slug=options["municipality"]).first()
            if town is None:
                raise CommandError(f"Keine Kommune mit dem Kurznamen „{options['municipality']}“.")
        linked, created = services.link_ozg_texts(municipality=town)
        self.stdout.write(f"{linked} Umsetzungsstände verknüpft, {created} Lösungen neu im Register.")
        if options["proposals"]:
            proposals = services.merge_proposals()
            for a, b, score in proposals:
                self.stdout.write(f"{score:.2f}  #{a.pk} {a} | #{b.pk} {b}")
            self.stdout.write(f"{len(proposals)} mögliche Dubletten (zusammenführen unter /solutions/merge/).")
