from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lotse.portfolio.services import send_report_reminders
from lotse.tenancy.models import Municipality


class Command(BaseCommand):
    help = "Erinnert per E-Mail an fällige Statusberichte (täglich oder wöchentlich per systemd-Timer/cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", help="nur diese Kommune (Kurzname); sonst alle")

    def handle(self, *args: Any, **options: Any) -> None:
        towns = Municipality.objects.all()
        if options["municipality"]:
            towns = towns.filter(slug=options["municipality"])
        total = sum(send_report_reminders(town) for town in towns)
        self.stdout.write(f"{total} Erinnerungen verschickt.")
