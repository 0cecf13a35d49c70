"""Importing a project list through the task queue: the upload is kept on disk, a task checks every row, the
coordinator reads the preview, confirms, and a second task writes everything or nothing. The request only
stores the file and reads the job's state, so a 20,000-row workbook never holds a web worker."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.core.services import EditConflict
from lotse.portfolio import importer, services
from lotse.portfolio.models import ImportJob, ImportState
from lotse.tenancy.models import Municipality

UNEXPECTED = _("Ein unerwarteter Fehler ist aufgetreten; es wurde nichts gespeichert. Der Betrieb ist informiert.")


def upload_dir() -> Path:
    """Uploads wait here until their job ends; anything older than a day (an abandoned preview) is removed."""
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - 86400
    for old in path.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    return path


def _path(job: ImportJob) -> Path:
    return upload_dir() / Path(job.stored_name).name


def start(*, user: Any, municipality: Municipality, data: bytes, filename: str) -> ImportJob:
    """Keep the file and queue its check; the coordination imports, nobody else."""
    from lotse.portfolio.tasks import check_import

    if not user.has_perm("portfolio.import_projects", municipality):
        raise PermissionDenied
    stored = f"{uuid.uuid4().hex}{Path(filename).suffix.lower()[:10]}"
    (upload_dir() / stored).write_bytes(data)
    job = ImportJob.objects.create(
        municipality=municipality, created_by=user, filename=Path(filename).name[:200], stored_name=stored
    )
    check_import.enqueue(job.pk)  # with the database queue, the task row commits like the job's
    return job


def confirm(job: ImportJob, *, user: Any) -> None:
    """The coordinator who uploaded the file confirms the preview: queue the writing."""
    from lotse.portfolio.tasks import run_import

    if job.created_by_id != user.pk or not user.has_perm("portfolio.import_projects", job.municipality):
        raise PermissionDenied
    claimed = ImportJob.objects.filter(pk=job.pk, state=ImportState.CHECKED).update(state=ImportState.IMPORTING)
    if not claimed:
        raise ValidationError(_("Dieser Import ist schon ausgeführt oder abgebrochen."))
    run_import.enqueue(job.pk)


def _finish(job: ImportJob, state: str, **fields: Any) -> None:
    ImportJob.objects.filter(pk=job.pk).update(state=state, finished_at=timezone.now(), **fields)
    if state != ImportState.CHECKED:
        _path(job).unlink(missing_ok=True)


def check(job: ImportJob) -> None:
    """Parse and check every row; the preview (or the reason the file cannot be read) goes onto the job."""
    path = _path(job)
    if not path.exists():
        _finish(job, ImportState.FAILED, message=_("Die Datei ist nicht mehr da. Bitte erneut hochladen."))
        return

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(checked_rows=done, total_rows=total)

    try:
        result = importer.parse(path.read_bytes(), job.filename, job.municipality, progress=progress)
    except importer.ImportFileError as error:
        _finish(job, ImportState.FAILED, message=str(error))
        return
    except Exception:
        _finish(job, ImportState.FAILED, message=UNEXPECTED)
        raise  # the queue keeps the traceback for the operator
    preview = {**result.as_preview(), "versions": result.seen_versions()}
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportState.CHECKED, preview=preview, total_rows=len(result.rows), checked_rows=len(result.rows)
    )


def run(job: ImportJob) -> None:
    """Write every row or nothing, as the preview promised: the file is read again, and a project somebody
    changed since the preview stops the whole import."""
    path = _path(job)
    try:
        if not path.exists():
            raise importer.ImportFileError(_("Die Datei ist nicht mehr da."))
        with transaction.atomic():
            result = importer.parse(path.read_bytes(), job.filename, job.municipality)
            services.check_versions(job.municipality, job.preview.get("versions", {}))
            if not result.ok:
                raise importer.ImportFileError(_("Die Datei enthält Fehler; es wurde nichts gespeichert."))
            done = importer.apply(result, user=job.created_by, municipality=job.municipality)
    except (importer.ImportFileError, EditConflict) as error:
        _finish(job, ImportState.FAILED, message=str(error))
    except ValidationError as error:
        _finish(job, ImportState.FAILED, message="; ".join(error.messages))
    except Exception:
        _finish(job, ImportState.FAILED, message=UNEXPECTED)
        raise
    else:
        _finish(job, ImportState.DONE, outcome=done)
