"""Every string is translatable and the English catalogue is complete (msgids are German, the primary UI)."""

import re
import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "lotse" / "locale"


def test_english_catalogue_is_complete() -> None:
    po = (LOCALE / "en" / "LC_MESSAGES" / "django.po").read_text()
    entries = po.split("\n\n")[1:]
    assert len(entries) > 100
    for entry in entries:
        assert "#, fuzzy" not in entry, entry
        # An empty msgstr line not followed by a continuation line ("...") is a missing translation.
        assert not re.search(r'^msgstr(\[\d\])? ""\n(?!")', entry + "\n", re.M), entry


def test_compiled_catalogue_matches_the_source(tmp_path: Path) -> None:
    po = LOCALE / "en" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    try:
        subprocess.run(["msgfmt", "-o", str(tmp_path / "django.mo"), str(po)], check=True)
    except FileNotFoundError:
        pytest.skip("msgfmt (Debian package gettext) is not installed")
    assert (tmp_path / "django.mo").read_bytes() == mo.read_bytes(), "run `make messages`"
