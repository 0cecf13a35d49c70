"""`lotse api_schema` prints the OpenAPI document; `--check FILE` fails if FILE differs (CI keeps the snapshot)."""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

SNAPSHOT = Path(__file__).resolve().parents[4] / "docs" / "api" / "openapi.json"


def schema_text() -> str:
    from lotse.api.urls import api

    with translation.override("de"):
        return (
            json.dumps(api.get_openapi_schema(path_prefix="/api/v1"), indent=2, sort_keys=True, ensure_ascii=False)
            + "\n"
        )


class Command(BaseCommand):
    help = "Print the OpenAPI document of /api/v1/ (or compare it with the committed snapshot)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help=f"compare with {SNAPSHOT.name} instead of printing")
        parser.add_argument("--write", action="store_true", help=f"write {SNAPSHOT.name}")

    def handle(self, *args: Any, **options: Any) -> None:
        text = schema_text()
        if options["write"]:
            SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
            SNAPSHOT.write_text(text, encoding="utf-8")
        elif options["check"]:
            if not SNAPSHOT.exists() or SNAPSHOT.read_text(encoding="utf-8") != text:
                raise CommandError(
                    "Die OpenAPI-Beschreibung weicht vom Stand in docs/api/openapi.json ab. Wenn die Änderung "
                    "gewollt ist: `lotse api_schema --write` und die Datei mit einchecken."
                )
        else:
            sys.stdout.write(text)
