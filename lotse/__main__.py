"""The `lotse` command: Django's manage.py, installed as a console script."""

import os
import sys


def main() -> None:
    if sys.argv[1:2] == ["synergies"]:
        # The batch similarity search needs neither settings nor a database.
        from lotse.synergy.cli import main as synergies

        sys.exit(synergies(sys.argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
