"""`lotse demo`: load the demo (Musterstadt and its network) into an empty database and print the logins."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from lotse.tenancy import demo as tenancy_demo
from lotse.tenancy.models import Municipality


def build_rooms() -> list[tenancy_demo.DemoLogin]:
    """Each room adds its demo on top of the municipalities: Musterstadt in full, the others smaller."""
    from lotse.accounts.models import User
    from lotse.ozg import demo as ozg_demo
    from lotse.participation import demo as participation_demo
    from lotse.pilots import demo as pilots_demo
    from lotse.portfolio import demo as portfolio_demo
    from lotse.reports import demo as reports_demo
    from lotse.reuse import demo as reuse_demo
    from lotse.strategy import demo as strategy_demo

    cdo = User.objects.get(email="cdo@musterstadt.example")
    musterstadt = Municipality.objects.get(slug="musterstadt")
    fields = strategy_demo.build_full(cdo, musterstadt)
    portfolio_demo.build_full(cdo, musterstadt, fields)
    neighbours = {}
    for slug in ("lindenau", "bachfelden", "hohenberg"):
        town = Municipality.objects.get(slug=slug)
        user = User.objects.get(email=f"cdo@{slug}.example")
        portfolio_demo.build_small(user, town, strategy_demo.build_small(user, town))
        neighbours[slug] = (user, town)
    ozg_demo.build(cdo, musterstadt, neighbours)
    reuse_demo.build(cdo, musterstadt, neighbours)
    pilots_demo.build(cdo, musterstadt, neighbours["lindenau"])
    participation_demo.build(cdo, musterstadt)
    reports_demo.build(cdo, musterstadt)
    reports_demo.build_maturity(cdo)
    reports_demo.build_wave(cdo)
    admin = User.objects.get(email="admin@lotse.example")
    return [pilots_demo.build_programme(admin), *pilots_demo.build_community(admin)]


class Command(BaseCommand):
    help = "Lädt die Demodaten (Musterstadt und Nachbarkommunen) und zeigt die Demo-Zugänge."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Nichts tun, wenn schon Daten da sind.")

    def handle(self, *args: Any, **options: Any) -> None:
        if Municipality.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Demodaten sind bereits geladen.")
                self.print_logins(None)
                return
            raise CommandError(
                "Die Datenbank enthält schon Kommunen. Die Demo wird nur in eine leere Datenbank geladen "
                "(z. B. nach `make clean`)."
            )
        with transaction.atomic():
            logins = tenancy_demo.build()
            logins += build_rooms()
        self.stdout.write(self.style.SUCCESS("Demodaten geladen."))
        self.print_logins(logins)

    def print_logins(self, logins: list[tenancy_demo.DemoLogin] | None) -> None:
        from lotse.accounts.models import User

        self.stdout.write(f"\nDemo-Zugänge (Passwort für alle: {tenancy_demo.DEMO_PASSWORD}):")
        if logins is None:
            from lotse.tenancy.models import Membership

            logins = [
                tenancy_demo.DemoLogin(u.email, "Plattform-Administration", "alle", str(u))
                for u in User.objects.filter(is_superuser=True, email__endswith=".example")
            ]
            logins += [
                tenancy_demo.DemoLogin(m.user.email, m.get_role_display(), m.municipality.name, str(m.user))
                for m in Membership.objects.filter(user__email__endswith=".example").select_related(
                    "user", "municipality"
                )
            ]
        for login in logins:
            self.stdout.write(f"  {login.email:<40} {login.role:<34} {login.municipality}")
