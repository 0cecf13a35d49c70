"""Path parameters shared by the routes: bounded and patterned, so the schema says what is accepted."""

from ninja import Path

SLUG = Path(..., pattern=r"^[-a-zA-Z0-9_]+$", max_length=80, description="Kurzname der Kommune")
KEY = Path(..., pattern=r"^[^\x00/]+$", max_length=30, description="Projektschlüssel, z. B. P-2026-007")
