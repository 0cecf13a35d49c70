from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.reports import council
from lotse.tenancy.models import Municipality


class Command(BaseCommand):
    help = "Erzeugt den Sachstandsbericht Digitalisierung eines Jahres als PDF/UA (.pdf) oder die Excel-Anlage (.xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", required=True, help="Kurzname der Kommune, z. B. musterstadt")
        parser.add_argument("--period", required=True, type=int, help="Berichtsjahr, z. B. 2026")
        parser.add_argument("--out", required=True, help="Zieldatei: .pdf für den Bericht, .xlsx für die Anlage")
        parser.add_argument("--lang", default="de", choices=["de", "en"], help="Sprache des Berichts (Standard: de)")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.filter(slug=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"Die Kommune „{options['municipality']}“ gibt es nicht.")
        out = Path(options["out"])
        if out.suffix.lower() == ".pdf":
            content = council.render_pdf(municipality, options["period"], options["lang"])
        elif out.suffix.lower() == ".xlsx":
            content = council.render_xlsx(municipality, options["period"], options["lang"])
        else:
            raise CommandError("Die Zieldatei endet auf .pdf (Bericht) oder .xlsx (Anlage).")
        out.write_bytes(content)
        self.stdout.write(f"{out} geschrieben ({len(content) // 1024} KB).")
