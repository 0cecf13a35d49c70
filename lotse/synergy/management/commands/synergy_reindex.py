"""`lotse synergy_reindex`: recompute the similarity index of every project (it also catches up on its own)."""

from typing import Any

from django.core.management.base import BaseCommand

from lotse.synergy import services


class Command(BaseCommand):
    help = "Berechnet den Ähnlichkeitsindex aller Projekte neu."

    def handle(self, *args: Any, **options: Any) -> None:
        count = services.rebuild()
        self.stdout.write(self.style.SUCCESS(f"Index für {count} Projekte neu berechnet."))
