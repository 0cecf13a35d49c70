"""The task queue for real: django-tasks' database backend and its `db_worker`, and a real SMTP server (aiosmtpd)
that first is not there and then recovers. No e-mail is lost and no request waits for the mail server."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lotse.core import mail
from lotse.core.tasks import RETRY_MINUTES

# The worker commits and closes its connections as in production, so these tests use real transactions.
pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class Inbox:
    """What the SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[int, Inbox, Any]]:
    """A port with nothing listening (the outage) and a way to start the server on it (the recovery)."""
    port, inbox = _free_port(), Inbox()
    started: list[Controller] = []

    def recover() -> None:
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        started.append(controller)

    with override_settings(
        TASKS=DATABASE_QUEUE,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
        EMAIL_TIMEOUT=5,
    ):
        yield port, inbox, recover
    for controller in started:
        controller.stop()


def _work() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0)


def test_a_mail_server_outage_loses_no_message_and_delays_no_request(
    world: Any, client_for: Any, smtp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _port, inbox, recover = smtp
    from lotse.portfolio import services as portfolio

    theirs = portfolio.project_save(
        None,
        user=world.users["coordinator_b"],
        municipality=world.b,
        data={"title": "Hundesteuer digital", "visibility": "network"},
    )
    client = client_for(world.users["coordinator_a"])
    url = reverse("synergy:contact", kwargs={"municipality": "bdorf", "pk": theirs.pk})
    # The request only queues the message: it answers while the mail server is down.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"text": "Wollen wir gemeinsam beschaffen?"})
    assert response.status_code == 302
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "lotse.core.tasks.deliver" and queued.status == "READY"

    _work()  # the server refuses: the message waits for its next try, nothing is lost
    assert inbox.messages == []
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1  # the first try ended cleanly
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.run_after > timezone.now() + timedelta(minutes=RETRY_MINUTES[0]) - timedelta(seconds=30)
    _work()  # not due yet: nobody hammers a server that is down
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    recover()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # the minute has passed
    _work()
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message.rcpt_tos == ["coordinator_b@test.example"]
    assert "Wollen wir gemeinsam beschaffen?" in message.content.decode("utf-8", "replace")
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_a_message_that_never_gets_through_is_kept_as_failed(smtp: Any) -> None:
    mail.send("Betreff", "Text", ["a@test.example"])
    for _attempt in range(len(RETRY_MINUTES) + 1):
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        _work()
    failed = DBTaskResult.objects.get(status="FAILED")  # visible to the operator, with its arguments
    assert failed.args_kwargs["args"] == ["Betreff", "Text", ["a@test.example"]]
    assert failed.args_kwargs["kwargs"] == {"attempt": len(RETRY_MINUTES) + 1}
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_readyz_reports_a_stalled_queue(client: Any, smtp: Any) -> None:
    assert client.get("/readyz").json()["queue"] == "ok"
    mail.send("Betreff", "Text", ["a@test.example"])
    assert client.get("/readyz").json()["queue"] == "ok"  # just queued
    an_hour_ago = timezone.now() - timedelta(hours=1)
    DBTaskResult.objects.update(enqueued_at=an_hour_ago, run_after=an_hour_ago)  # due, and no worker took it
    body = client.get("/readyz")
    assert body.status_code == 200 and body.json()["queue"] == "stalled"  # pages still work: reported only


def test_an_import_is_checked_and_written_by_the_worker_not_the_request(world: Any, client_for: Any) -> None:
    import io

    from lotse.portfolio.models import ImportJob, ImportState, Project

    client = client_for(world.users["coordinator_a"])
    upload = io.BytesIO("Projektschlüssel;Titel;Status\r\n;Hundesteuer online;in Planung\r\n".encode("cp1252"))
    upload.name = "amt32.csv"
    with override_settings(TASKS=DATABASE_QUEUE):
        page = client.post(
            reverse("portfolio:import", kwargs={"municipality": "astadt"}), {"file": upload}, follow=True
        )
        job = ImportJob.objects.get()
        assert job.state == ImportState.CHECKING, "the request only keeps the file"
        assert 'hx-trigger="every 2s"' in page.content.decode()
        _work()
        job.refresh_from_db()
        assert job.state == ImportState.CHECKED and job.preview["count_new"] == 1
        url = reverse("portfolio:import_job", kwargs={"municipality": "astadt", "pk": job.pk})
        assert "Bereit: 1 neu" in client.get(url).content.decode()
        client.post(url)
        assert ImportJob.objects.get().state == ImportState.IMPORTING and not Project.objects.exists()
        _work()
    job.refresh_from_db()
    assert job.state == ImportState.DONE and job.outcome == {"new": 1, "update": 0, "unchanged": 0}
    assert Project.objects.get().title == "Hundesteuer online"


def test_reindex_queues_the_vectors_for_the_workers_and_goes_on_where_it_stopped(world: Any) -> None:
    """`lotse synergy_reindex` computes the lexical index itself and leaves the model work to the workers; run
    again after a stop, it queues only what is still missing, and `--wait` follows the workers to the end."""
    from io import StringIO

    from lotse.portfolio import services as portfolio
    from lotse.synergy.models import Signature

    for i, title in enumerate(["Hundesteuer digital", "Parkleitsystem", "E-Akte", "Ratsinformationssystem"]):
        portfolio.project_save(None, user=world.users["admin"], municipality=world.a, data={"title": f"{title} {i}"})
    with override_settings(TASKS=DATABASE_QUEUE):
        out = StringIO()
        call_command("synergy_reindex", stdout=out)
        assert (
            "Index für 4 Projekte neu berechnet" in out.getvalue()
            and "4 Vektoren in der Warteschlange" in out.getvalue()
        )
        assert "[" in out.getvalue() and "Projekte/s" in out.getvalue(), "a progress bar with its throughput"
        assert not Signature.objects.filter(vector__isnull=False).exists(), "no model work in the command"
        assert DBTaskResult.objects.filter(task_path="lotse.synergy.tasks.embed_projects", status="READY").count() == 1
        _work()
        assert Signature.objects.filter(vector__isnull=False).count() == 4
        # A changed text and a lost vector: only those two are queued again.
        Signature.objects.filter(pk=Signature.objects.order_by("pk")[0].pk).update(vector=None)
        Signature.objects.filter(pk=Signature.objects.order_by("pk")[1].pk).update(text_hash="other")
        out = StringIO()
        call_command("synergy_reindex", stdout=out)
        assert "2 Vektoren in der Warteschlange" in out.getvalue()
    out = StringIO()
    Signature.objects.update(vector=None)
    call_command("synergy_reindex", "--wait", stdout=out)  # the test settings' queue runs each task at once
    assert "4/4 Vektoren" in out.getvalue() and "4 Vektoren berechnet" in out.getvalue()
    # The daily sweep queues a lost vector without recomputing the index.
    Signature.objects.filter(pk=Signature.objects.order_by("pk")[2].pk).update(vector=None)
    computed = set(Signature.objects.values_list("computed_at", flat=True))
    out = StringIO()
    call_command("synergy_reindex", "--vectors", stdout=out)
    assert "Index für 4 Projekte geprüft" in out.getvalue() and "1 Vektoren in der Warteschlange" in out.getvalue()
    assert set(Signature.objects.values_list("computed_at", flat=True)) == computed, "signatures left as they were"
    assert Signature.objects.filter(vector__isnull=False).count() == 4
