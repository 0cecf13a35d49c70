"""`lotse synergy_reindex`: recompute the similarity index of every project and queue every missing or outdated
semantic vector (the index also catches up on its own; this is for a new engine or model, or a large import).

The lexical signatures are computed here, batch by batch; the vectors by the task queue's workers, on as many
machines as run one. It can be stopped and run again at any time: what is current is skipped."""

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from lotse.synergy import services
from lotse.synergy.models import Signature

BAR = 30


def bar(done: int, total: int, started: float, unit: str) -> str:
    share = done / total if total else 1.0
    filled = round(share * BAR)
    rate = done / max(time.monotonic() - started, 1e-9)
    return f"[{'#' * filled}{'.' * (BAR - filled)}] {share:4.0%} {done}/{total} {unit}, {rate:.1f}/s"


class Command(BaseCommand):
    help = "Berechnet den Ähnlichkeitsindex aller Projekte neu und stellt fehlende Vektoren in die Warteschlange."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--wait",
            action="store_true",
            help="Warten, bis die Worker alle Vektoren berechnet haben, und den Fortschritt zeigen.",
        )
        parser.add_argument(
            "--patience",
            type=int,
            default=600,
            help="Sekunden ohne Fortschritt, nach denen --wait aufgibt (Standard 600).",
        )
        parser.add_argument(
            "--vectors",
            action="store_true",
            help="Nur fehlende oder veraltete Vektoren einreihen, ohne den Index neu zu berechnen (täglich).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started_at, started = timezone.now(), time.monotonic()
        tty = sys.stdout.isatty()

        def show(done: int, total: int, queued: int) -> None:
            line = bar(done, total, started, "Projekte") + f", {queued} Vektoren eingereiht"
            self.stdout.write(("\r" + line) if tty else line, ending="" if tty else "\n")
            self.stdout.flush()

        count, queued = services.sweep(progress=show) if options["vectors"] else services.rebuild(progress=show)
        if tty:
            self.stdout.write("")
        seconds = time.monotonic() - started
        done = "geprüft" if options["vectors"] else "neu berechnet"
        self.stdout.write(
            self.style.SUCCESS(
                f"Index für {count} Projekte {done} ({seconds:.1f} s, {count / max(seconds, 1e-9):.0f} "
                f"Projekte/s); {queued} Vektoren in der Warteschlange."
            )
        )
        if queued and options["wait"]:
            self.follow(queued, started_at, options["patience"], tty)
            if written := services.snapshot_vectors(force=True) if self.large() else 0:
                self.stdout.write(self.style.SUCCESS(f"Gemeinsamer Vektor-Schnappschuss mit {written} Vektoren."))

    @staticmethod
    def large() -> bool:
        from lotse.synergy import ann

        return Signature.objects.filter(vector__isnull=False).count() >= ann.ANN_FROM

    def follow(self, queued: int, since: Any, patience: int, tty: bool) -> None:
        """Show the workers' progress: vectors written since the start of this run."""
        started = last_change = time.monotonic()
        done = -1
        while True:
            now_done = min(queued, Signature.objects.filter(embedded_at__gte=since).count())
            if now_done != done:
                done, last_change = now_done, time.monotonic()
                line = bar(done, queued, started, "Vektoren")
                self.stdout.write(("\r" + line) if tty else line, ending="" if tty else "\n")
                self.stdout.flush()
            if done >= queued:
                break
            if time.monotonic() - last_change > patience:
                self.stdout.write("")
                self.stderr.write(
                    f"Seit {patience} s kein Fortschritt: läuft ein Worker (`lotse db_worker`)? "
                    "Ein neuer Aufruf macht dort weiter, wo dieser stehen geblieben ist."
                )
                sys.exit(1)
            time.sleep(2)
        if tty:
            self.stdout.write("")
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"{done} Vektoren berechnet ({seconds:.1f} s, {done / max(seconds, 1e-9):.1f}/s).")
        )
