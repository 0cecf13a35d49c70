"""Links in e-mails and sending them: one place, so every message points to the server that sent it
(`LOTSE_BASE_URL`), leaves only after the data it talks about is committed, and is sent by a worker of the
task queue (`core.tasks.deliver`), never inside the request."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db import transaction


def absolute_url(path: str) -> str:
    """`/m/musterstadt/` → `https://lotse.musterstadt.de/m/musterstadt/` (the installation's own address)."""
    return settings.LOTSE_BASE_URL.rstrip("/") + path


def one_line(subject: str) -> str:
    """A subject on one line: a title with a line break in it would make the header invalid (and the
    sending fail for every later message about it)."""
    return " ".join(str(subject).split())


def send(subject: str, body: str, to: Sequence[str]) -> None:
    """Every e-mail Lotse sends goes through here (a test holds the code to that): queued for a worker."""
    from lotse.core.tasks import deliver

    recipients = [a for a in to if a]
    if recipients:
        deliver.enqueue(one_line(subject), str(body), recipients)


def send_after_commit(subject: str, body: str, to: Sequence[str]) -> None:
    """Send once the surrounding transaction has committed: a rolled-back change sends nothing."""
    recipients = [a for a in to if a]
    if recipients:
        transaction.on_commit(lambda: send(subject, body, recipients))
