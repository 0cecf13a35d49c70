"""The Digitallotsen community: a pilot asks on the network's board, a pilot from another town answers, followers
are notified; search, moderation by the network's operators, reports, and the network's events."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lotse.pilots import selectors, services
from lotse.pilots.models import BoardAnswer, BoardQuestion, NetworkEvent, Programme
from lotse.tenancy.models import Membership, Network, Role
from tests.factories import UserFactory


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"community:{name}", kwargs={"slug": "verbund-ab", **kwargs})


@pytest.fixture
def network(world: Any) -> Network:
    return Network.objects.get(slug="verbund-ab")


@pytest.fixture
def operator(network: Network) -> Any:
    person = UserFactory.create(email="akademie@test.example")
    Programme.objects.create(network=network, name="Programm").operators.add(person)
    return person


def login(client: Any, user: Any) -> Any:
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def test_a_pilot_asks_and_a_pilot_from_another_town_answers(
    world: Any, network: Network, client: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    asker, answerer = world.users["editor_a"], world.users["coordinator_b"]
    response = login(client, asker).post(
        url("ask"), {"title": "Hundesteuer online?", "body": "Welches Portal nutzt ihr?", "topics": "OZG"}
    )
    question = BoardQuestion.objects.get()
    assert response["Location"] == url("question", pk=question.pk)
    follower = world.users["reader_a"]
    login(client, follower).post(url("follow", pk=question.pk), {"on": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        login(client, answerer).post(url("question", pk=question.pk), {"body": "Wir nutzen service-bw mit ePayBL."})
    question.refresh_from_db()
    assert question.answers_count == 1
    assert sorted(m.to[0] for m in mailoutbox) == ["editor_a@test.example", "reader_a@test.example"]
    assert "Bdorf" in mailoutbox[0].body and "service-bw" in mailoutbox[0].body
    assert url("question", pk=question.pk) in mailoutbox[0].body
    page = login(client, asker).get(url("question", pk=question.pk)).content.decode()
    assert "Wir nutzen service-bw" in page and "Bdorf" in page
    answer = BoardAnswer.objects.get()
    # Only the asker marks what helped; its author hears of it.
    login(client, follower).post(url("accept", pk=answer.pk))
    question.refresh_from_db()
    assert question.accepted is None
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        login(client, asker).post(url("accept", pk=answer.pk))
    question.refresh_from_db()
    assert question.accepted == answer and [m.to for m in mailoutbox] == [["coordinator_b@test.example"]]
    # The answerer now follows too; unfollowing stops the mails.
    login(client, follower).post(url("follow", pk=question.pk), {"on": "0"})
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_post(user=asker, question=question, body="Danke!")
    assert [m.to for m in mailoutbox] == [["coordinator_b@test.example"]]


def test_the_board_is_searchable(world: Any, network: Network) -> None:
    first = services.question_ask(user=world.users["editor_a"], network=network, title="E-Akte Altbestand", body="x")
    second = services.question_ask(user=world.users["coordinator_b"], network=network, title="Kita-Tablets", body="y")
    services.answer_post(user=world.users["reader_a"], question=second, body="Mit MDM und Datenschutz-Checkliste")
    assert list(selectors.board(network, q="altbestand")) == [first]
    assert list(selectors.board(network, q="Checkliste")) == [second]  # found by its answer
    assert list(selectors.board(network, open_only=True)) == [first]


def test_operators_moderate_and_members_report(
    world: Any, network: Network, operator: Any, client: Any, mailoutbox: list[Any]
) -> None:
    question = services.question_ask(user=world.users["editor_a"], network=network, title="Frage", body="x")
    answer = services.answer_post(
        user=world.users["coordinator_b"], question=question, body="Werbung für XY", notify=False
    )
    login(client, world.users["reader_a"]).post(url("report", kind="answer", pk=answer.pk), {"reason": "Werbung"})
    assert [m.to for m in mailoutbox] == [["akademie@test.example"]] and "Werbung" in mailoutbox[0].body
    # Members can't hide; operators can, with a reason.
    assert (
        login(client, world.users["coordinator_a"])
        .post(url("hide", kind="answer", pk=answer.pk), {"reason": "x"})
        .status_code
        == 403
    )
    login(client, operator).post(url("hide", kind="answer", pk=answer.pk), {"reason": "Werbung"})
    answer.refresh_from_db()
    question.refresh_from_db()
    assert answer.hidden_reason == "Werbung" and question.answers_count == 0
    assert (
        "Werbung für XY"
        not in login(client, world.users["reader_a"]).get(url("question", pk=question.pk)).content.decode()
    )
    assert "Werbung für XY" in login(client, operator).get(url("question", pk=question.pk)).content.decode()
    with pytest.raises(ValidationError):
        services.board_hide(question, user=operator, reason=" ")
    services.board_hide(question, user=operator, reason="doppelt")
    assert login(client, world.users["reader_a"]).get(url("question", pk=question.pk)).status_code == 404
    assert question not in selectors.board(network)
    with pytest.raises(ValidationError):
        services.answer_post(user=world.users["reader_a"], question=question, body="noch was")


def test_only_the_networks_members_take_part(world: Any, network: Network, client: Any) -> None:
    question = services.question_ask(
        user=world.users["editor_a"], network=network, title="Intern im Netzwerk", body="x"
    )
    for key in ("coordinator_c", "outsider", "partner_a"):
        c = login(client, world.users[key])
        assert c.get(url("board")).status_code == 403, key
        assert c.get(url("question", pk=question.pk)).status_code == 403, key
        assert c.post(url("question", pk=question.pk), {"body": "hallo"}).status_code == 403, key
    assert login(client, None).get(url("board")).status_code == 302
    assert not BoardAnswer.objects.exists()
    # A member of the network whose membership has only the partner role is not a member's staff either.
    partner = UserFactory.create(email="p2@test.example")
    Membership.objects.create(user=partner, municipality=world.b, role=Role.PARTNER)
    assert login(client, partner).get(url("board")).status_code == 403


def test_operators_plan_events_that_go_into_calendars(world: Any, network: Network, operator: Any, client: Any) -> None:
    c = login(client, operator)
    start = (timezone.localtime() + timedelta(days=7)).replace(hour=16, minute=0, second=0, microsecond=0)
    data = {
        "title": "Online-Stammtisch",
        "description": "Thema: E-Rechnung, XRechnung; Fragen willkommen",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "online",
        "online_url": "https://konferenz.example/stammtisch",
    }
    assert "Das Ende liegt vor dem Beginn" in c.post(url("event_create"), data).content.decode()
    c.post(url("event_create"), {**data, "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")})
    event = NetworkEvent.objects.get()
    member = login(client, world.users["reader_a"])
    assert "Online-Stammtisch" in member.get(url("events")).content.decode()
    assert "Online-Stammtisch" in member.get(url("board")).content.decode()  # the next events show on the board
    ics = member.get(url("event_ics", pk=event.pk))
    text = ics.content.decode()
    assert ics["Content-Type"].startswith("text/calendar")
    assert "SUMMARY:Online-Stammtisch" in text and "XRechnung\\; Fragen" in text
    assert f"DTSTART:{start.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}" in text
    assert member.get(url("event_create")).status_code == 403
