"""Every strategy and portfolio page for every role: status, no foreign hosts, no leak of A's internal data."""

from typing import Any

import pytest

from lotse.portfolio import services
from tests.portfolio_world import (
    EVERYONE,
    SECRET_IDEA,
    SECRET_PILOT,
    SECRET_PROJECT,
    SECRET_SOLUTION,
    SECRET_VISION,
    build_portfolio,
    expected,
    room_pages,
)
from tests.test_views import _Refs


@pytest.fixture
def pw(world: Any) -> Any:
    return build_portfolio(world)


@pytest.mark.parametrize("key", sorted(EVERYONE))
def test_every_room_page_answers_as_the_role_allows(world: Any, pw: Any, client_for: Any, key: str) -> None:
    client = client_for(world.users[key])
    for path, allowed, otherwise in room_pages(world, pw):
        response = client.get(path)
        assert response.status_code == expected(key, allowed, otherwise, path), (path, key)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            refs = _Refs()
            refs.feed(response.content.decode())
            assert all("//" not in ref.split("?")[0][:8] for ref in refs.resources), path


@pytest.mark.parametrize("key", sorted(EVERYONE))
def test_every_room_page_refuses_a_post_as_it_refuses_the_page(world: Any, pw: Any, client_for: Any, key: str) -> None:
    """POST is refused with the same answer as GET wherever the role may not open the page (an action must
    never be open where its page is closed), and the refused POST changes nothing."""
    client = client_for(world.users[key])
    before = _changes()
    for path, allowed, otherwise in room_pages(world, pw):
        refusal = expected(key, allowed, otherwise, path)
        if refusal == 200:
            continue
        response = client.post(path, {"title": "Übernommen?", "version": "1", "action": "delete"})
        assert response.status_code in (refusal, 405), (path, key, response.status_code)
    assert _changes() == before, key


def _changes() -> int:
    """Every write of a versioned record leaves a history row."""
    from django.apps import apps

    return sum(m._default_manager.count() for m in apps.get_models() if m.__name__.startswith("Historical"))


def test_other_towns_and_partners_never_see_internal_strategy_or_projects(world: Any, pw: Any, client_for: Any) -> None:
    pw.internal.goals.add(pw.goal)
    pw.public.goals.add(pw.goal)
    pw.internal.tags.set(services.tags_from_text(world.a, "Verschlusssache"))
    # The internal project's unit, the internal strategy's goal and the internal project's tag are internal too.
    secrets = [
        SECRET_PROJECT,
        SECRET_VISION,
        "A-1",
        "Bürgerbüro A",
        "Alles online",
        "Verschlusssache",
        SECRET_SOLUTION,
        SECRET_PILOT,
        SECRET_IDEA,
        "Wartende Idee",
    ]
    for key in ("coordinator_b", "outsider", "anonymous", "partner_a"):
        client = client_for(world.users[key])
        for path, _allowed, _otherwise in room_pages(world, pw):
            body = client.get(path).content.decode("utf-8", "replace")
            for secret in secrets:
                assert secret not in body, (key, path, secret)
    # The network project is visible to B, the public one to everyone: the filter is not just "hide all".
    body = client_for(world.users["coordinator_b"]).get("/m/astadt/projects/").content.decode()
    assert "Netzwerkprojekt Bauamt" in body and "Öffentliches Leuchtturmprojekt" in body
    body = client_for(None).get("/m/astadt/projects/").content.decode()
    assert "Netzwerkprojekt Bauamt" not in body and "Öffentliches Leuchtturmprojekt" in body


def test_a_partner_sees_an_internal_project_once_it_is_shared(world: Any, pw: Any, client_for: Any) -> None:
    pw.internal.shared_with.add(world.users["partner_a"])
    client = client_for(world.users["partner_a"])
    assert client.get(f"/m/astadt/projects/{pw.internal.pk}/").status_code == 200
    assert SECRET_PROJECT in client.get("/m/astadt/projects/").content.decode()
    # ...but still not the internal deliberation.
    assert client.get("/m/astadt/projects/priorities/").status_code == 403
