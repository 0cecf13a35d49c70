"""The portfolio's background work (django-tasks): checking and writing imports."""

from __future__ import annotations

from django_tasks import task

from lotse.portfolio import import_jobs
from lotse.portfolio.models import ImportJob


@task()
def check_import(job_id: int) -> None:
    job = ImportJob.objects.select_related("municipality").filter(pk=job_id).first()
    if job is not None:
        import_jobs.check(job)


@task()
def run_import(job_id: int) -> None:
    job = ImportJob.objects.select_related("municipality", "created_by").filter(pk=job_id).first()
    if job is not None:
        import_jobs.run(job)
