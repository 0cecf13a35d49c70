"""Twenty people edit one project at the same moment, through the API: every change arrives, none overwrites
another. Each editor reads, changes, and on a conflict (409) reads again and re-applies its change, as the
edit form asks people to do."""

import threading

import pytest
from django.db import connection
from django.test import Client

from lotse.api.services import token_create
from lotse.portfolio.models import Project
from tests.conftest import build_world
from tests.portfolio_world import build_portfolio

EDITORS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_editors_lose_no_update() -> None:
    world = build_world()
    pw = build_portfolio(world)
    path = f"/api/v1/municipalities/astadt/projects/{pw.public.key}"
    raw = [token_create(user=world.users["coordinator_a"], name=f"E{i}", scope="write")[1] for i in range(EDITORS)]
    barrier = threading.Barrier(EDITORS)
    conflicts: list[int] = []
    failures: list[str] = []

    def edit(i: int) -> None:
        client = Client(HTTP_AUTHORIZATION=f"Bearer {raw[i]}")
        try:
            barrier.wait()
            for _attempt in range(200):
                current = client.get(path).json()
                body = {"version": current["version"], "tags": [*current["tags"], f"Beitrag {i:02d}"]}
                response = client.patch(path, body, content_type="application/json")
                if response.status_code == 200:
                    return
                if response.status_code != 409:
                    failures.append(f"{i}: {response.status_code} {response.content[:200]!r}")
                    return
                conflicts.append(i)
            failures.append(f"{i}: gave up")
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(i,)) for i in range(EDITORS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures
    project = Project.objects.get(pk=pw.public.pk)
    assert sorted(t.name for t in project.tags.all()) == [f"Beitrag {i:02d}" for i in range(EDITORS)]
    assert project.version == pw.public.version + EDITORS
    versions = project.history.filter(version__gt=pw.public.version).values_list("version", flat=True)
    assert sorted(set(versions)) == list(range(pw.public.version + 1, pw.public.version + EDITORS + 1))
    assert conflicts, "the editors really did collide"
