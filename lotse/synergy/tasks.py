"""The synergy room's background work (django-tasks): semantic vectors of project texts."""

from __future__ import annotations

from django_tasks import task

from lotse.synergy import services


@task()
def embed_projects(project_ids: list[int]) -> int:
    return services.embed(project_ids)
