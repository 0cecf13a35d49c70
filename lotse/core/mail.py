"""Links in e-mails and sending them: one place, so every message points to the server that sent it
(`LOTSE_BASE_URL`) and leaves only after the data it talks about is committed."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction


def absolute_url(path: str) -> str:
    """`/m/musterstadt/` → `https://lotse.musterstadt.de/m/musterstadt/` (the installation's own address)."""
    return settings.LOTSE_BASE_URL.rstrip("/") + path


def send_after_commit(subject: str, body: str, to: Sequence[str]) -> None:
    """Send once the surrounding transaction has committed: a rolled-back change sends nothing."""
    recipients = [a for a in to if a]
    if not recipients:
        return
    subject = " ".join(str(subject).split())  # a line break in a subject would make the message invalid
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
    )
