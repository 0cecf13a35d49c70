"""The synergy room's background work (django-tasks): semantic vectors of project texts, and the network's
weights refitted on pair decisions."""

from __future__ import annotations

from django_tasks import task

from lotse.synergy import services


@task()
def embed_projects(project_ids: list[int]) -> int:
    return services.embed(project_ids)


@task()
def learn_from_decisions() -> int:
    """How many decisions the weights in use were fitted on (0: the shipped model)."""
    fitted = services.learn()
    return fitted.decisions if fitted else 0


@task()
def snapshot_vectors() -> int:
    """Write a new shared snapshot of every semantic vector (`ann.py`); returns how many it holds."""
    return services.snapshot_vectors()
