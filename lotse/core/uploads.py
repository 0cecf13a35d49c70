"""Checks for uploaded files before anything opens them: the content must be what the name claims, and a zip
container (.xlsx, .docx, .odt, …) must not unpack into more than a sane size (zip bombs)."""

from __future__ import annotations

import io
import zipfile
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ENTRIES = 2_000
MAX_UNPACKED = 200 * 1024 * 1024  # all members together
MAX_RATIO = 200  # unpacked : packed, per member larger than 1 MB (real spreadsheets are 5–20)
ZIP_SUFFIXES = (".xlsx", ".docx", ".pptx", ".odt", ".ods", ".odp")


def check_zip(source: bytes | IO[bytes]) -> None:
    """Refuse a file that is not a zip container or that would unpack into too much."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ValidationError(
            _("Die Datei ist beschädigt oder hat nicht das angegebene Format."), code="broken"
        ) from error
    finally:
        if not isinstance(source, bytes):
            source.seek(0)
    if len(members) > MAX_ENTRIES:
        raise ValidationError(_("Die Datei enthält ungewöhnlich viele Teile und wird nicht geöffnet."))
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise ValidationError(_("Die Datei ist auffällig stark gepackt (Zip-Bombe?) und wird nicht geöffnet."))
    if total > MAX_UNPACKED:
        raise ValidationError(_("Die Datei wäre entpackt größer als 200 MB und wird nicht geöffnet."))


def check_document(file: IO[bytes], name: str) -> None:
    """A PDF starts like one; office formats are sane zip containers."""
    lower = name.lower()
    head = file.read(8)
    file.seek(0)
    if lower.endswith(".pdf"):
        if not head.startswith(b"%PDF-"):
            raise ValidationError(_("Die Datei ist keine PDF-Datei."))
    elif lower.endswith(ZIP_SUFFIXES):
        if not head.startswith(b"PK\x03\x04"):
            raise ValidationError(_("Die Datei ist beschädigt oder hat nicht das angegebene Format."))
        check_zip(file)
