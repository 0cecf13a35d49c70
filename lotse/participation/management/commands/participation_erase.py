from typing import Any

from django.core.management.base import BaseCommand

from lotse.participation.services import erase_expired


class Command(BaseCommand):
    help = (
        "Löscht Namen und E-Mail-Adressen von Beteiligten, deren Beteiligungen und Umfragen länger als die "
        "Aufbewahrungsfrist beendet sind, und nie bestätigte Beiträge. Täglich ausführen (systemd-Timer/cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = erase_expired()
        self.stdout.write(f"Personendaten von {count} Beteiligten gelöscht.")
