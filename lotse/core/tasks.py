"""Background work that must not happen inside a request, on the task queue (django-tasks, database backend).

E-mail first: a message is a row in the queue that commits with the change it reports, and a worker sends it.
When the mail server refuses, the message waits and is tried again later, so an outage loses nothing and
delays no request."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger("lotse.mail")

# Minutes until the next try after a refusal: a mail server that is down for a day loses no message.
RETRY_MINUTES = (1, 5, 15, 60, 240, 720)


@task()
def deliver(subject: str, body: str, recipients: list[str], attempt: int = 1) -> int:
    """Send one message; on a refusal, queue the next try (the worker of any machine may take it)."""
    try:
        return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        if attempt > len(RETRY_MINUTES) or not deliver.get_backend().supports_defer:
            logger.error("mail to %d recipient(s) given up after %d attempts: %s", len(recipients), attempt, error)
            raise
        wait = RETRY_MINUTES[attempt - 1]
        deliver.using(run_after=timezone.now() + timedelta(minutes=wait)).enqueue(
            subject, body, recipients, attempt=attempt + 1
        )
        logger.warning("mail server refused (%s); next try in %d min (attempt %d)", error, wait, attempt + 1)
        return 0
