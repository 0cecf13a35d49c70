"""`lotse export_projects FILE --municipality SLUG`: all projects as .xlsx or .csv (by the file's ending)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.portfolio import exporter, selectors
from lotse.portfolio.models import Project
from lotse.tenancy.models import Municipality


class Command(BaseCommand):
    help = "Exportiert alle Projekte einer Kommune als Excel (.xlsx) oder CSV (.csv)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--municipality", required=True, help="Kurzname (slug) der Kommune")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.filter(slug=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"Die Kommune „{options['municipality']}“ gibt es nicht.")
        path: Path = options["file"]
        projects = selectors.project_list(Project.objects.filter(municipality=municipality)).prefetch_related("years")
        if path.suffix.lower() == ".csv":
            path.write_bytes(exporter.to_csv(projects))
        elif path.suffix.lower() == ".xlsx":
            path.write_bytes(exporter.to_xlsx(projects, municipality))
        else:
            raise CommandError("Bitte eine Datei mit der Endung .xlsx oder .csv angeben.")
        self.stdout.write(f"{len(projects)} Projekte nach {path} geschrieben.")
