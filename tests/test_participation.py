"""Participation: a citizen's idea from submission to "aufgenommen" with its project, the spam guard, support
and comments, moderation, triage (topics, merge, idea → project), polls with results and exports, and the GDPR
functions (export, erasure, erasure after the retention period)."""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlparse

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from lotse.core.services import EditConflict
from lotse.participation import selectors, services
from lotse.participation.models import (
    AbuseReport,
    Audience,
    Campaign,
    Comment,
    Idea,
    IdeaStatus,
    Moderation,
    ModerationEntry,
    Participant,
    Poll,
    PollResponse,
    Publication,
    Question,
    QuestionKind,
)
from lotse.portfolio import services as portfolio
from lotse.portfolio.models import Project
from lotse.strategy.models import FieldOfAction


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"participation:{name}", kwargs={"municipality": "astadt", **kwargs})


def links(message: Any) -> list[str]:
    return [urlparse(u).path for u in re.findall(r"https?://\S+", message.body)]


def make_campaign(world: Any, **kw: Any) -> Campaign:
    today = date.today()
    data = {
        "municipality": world.a,
        "title": "Ideen für Astadt",
        "audience": Audience.PUBLIC,
        "starts_on": today - timedelta(days=5),
        "ends_on": today + timedelta(days=30),
        "moderation": Moderation.BEFORE,
        "published": True,
        **kw,
    }
    return Campaign.objects.create(**data)


@pytest.fixture
def campaign(world: Any) -> Campaign:
    return make_campaign(world)


def staff_idea(world: Any, campaign: Campaign, title: str, key: str = "editor_a", text: str = "") -> Idea:
    participant = services.participant_for_user(world.a, world.users[key])
    return services.idea_submit(
        campaign, participant=participant, confirmed=True, title=title, description=text or title + " bitte."
    )


def submit_as_citizen(client: Any, campaign: Campaign, **data: Any) -> Any:
    form = {
        "title": "Hundesteuer online anmelden",
        "description": "Ich möchte meinen Hund online anmelden und die Steuer gleich bezahlen.",
        "email": "Erika.M@Example.org",
        "name": "Erika M.",
        "consent": "on",
        "started": client.get(url("submit", pk=campaign.pk)).context["form"]["started"].value(),
        **data,
    }
    return client.post(url("submit", pk=campaign.pk), form)


def test_a_citizen_follows_their_idea_from_submission_to_the_project(
    world: Any, campaign: Campaign, client: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    response = submit_as_citizen(client, campaign)
    assert response.status_code == 200 and "Bitte bestätigen" in response.content.decode()
    idea = Idea.objects.get()
    assert idea.publication == Publication.UNCONFIRMED and idea.participant is not None
    assert idea.participant.email == "erika.m@example.org"
    # Unconfirmed ideas are nowhere to be seen, not even by direct address.
    assert client.get(url("idea", pk=idea.pk)).status_code == 404
    (mail,) = mailoutbox
    assert mail.to == ["erika.m@example.org"]
    confirm_path = links(mail)[0]
    # A mail scanner opening the link confirms nothing; the button does.
    assert client.get(confirm_path).status_code == 200
    idea.refresh_from_db()
    assert idea.publication == Publication.UNCONFIRMED
    response = client.post(confirm_path)
    mine_path = response["Location"]
    idea.refresh_from_db()
    assert idea.publication == Publication.PENDING  # moderated before publishing
    assert client.get(url("idea", pk=idea.pk)).status_code == 404
    body = client.get(mine_path).content.decode()
    assert "Hundesteuer online anmelden" in body and "wartet auf Moderation" in body

    coordinator = world.users["coordinator_a"]
    services.moderate(idea, user=coordinator, publish=True)
    assert "Hundesteuer online anmelden" in client.get(url("campaign", pk=campaign.pk)).content.decode()

    project = portfolio.project_save(
        None, user=coordinator, municipality=world.a, data={"title": "Hundesteuer digital", "visibility": "public"}
    )
    staff = client_for_user(client, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            url("manage", pk=idea.pk),
            {
                "version": idea.version,
                "status": IdeaStatus.ADOPTED,
                "feedback": "Wir setzen das 2027 um.",
                "projects": [project.pk],
            },
        )
    assert response.status_code == 302
    news = mailoutbox[-1]
    assert news.to == ["erika.m@example.org"] and "aufgenommen" in news.subject
    assert "Wir setzen das 2027 um." in news.body and "Hundesteuer digital" in news.body
    project_path = reverse("portfolio:project", kwargs={"municipality": "astadt", "pk": project.pk})
    assert project_path in links(news)
    # The link in every e-mail leads to "Was ist aus meiner Idee geworden?"
    citizen = client_for_user(client, None)
    body = citizen.get(links(news)[-1]).content.decode()
    assert "aufgenommen" in body and "Hundesteuer digital" in body
    # Both ways: the idea names the project, the project page lists the idea.
    body = citizen.get(url("idea", pk=idea.pk)).content.decode()
    assert project_path in body
    panel = citizen.get(url("project_ideas", pk=project.pk)).content.decode()
    assert "Hundesteuer online anmelden" in panel


def client_for_user(client: Any, user: Any) -> Any:
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def test_an_internal_project_is_not_named_to_the_public(
    world: Any, campaign: Campaign, client: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    idea = staff_idea(world, campaign, "Sitzungen streamen")
    services.moderate(idea, user=world.users["coordinator_a"], publish=True)
    secret = portfolio.project_save(
        None, user=world.users["coordinator_a"], municipality=world.a, data={"title": "Geheime Streaming-Planung"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_update(
            idea,
            user=world.users["coordinator_a"],
            expected_version=idea.version,
            data={"status": IdeaStatus.ADOPTED},
            projects=[secret],
        )
    body = client.get(url("idea", pk=idea.pk)).content.decode()
    assert "Geheime Streaming-Planung" not in body and "intern geplant" in body
    assert "Geheime Streaming-Planung" not in mailoutbox[-1].body


def test_the_spam_guard_rejects_bots_without_losing_people(world: Any, campaign: Campaign, client: Any) -> None:
    response = submit_as_citizen(client, campaign, website="http://spam.example")
    assert response.status_code == 200 and "nicht angenommen" in response.content.decode()
    response = submit_as_citizen(client, campaign, started="forged")
    assert "abgelaufen" in response.content.decode()
    with override_settings(PARTICIPATION_MIN_SECONDS=3):
        response = submit_as_citizen(client, campaign)
        body = response.content.decode()
        assert "sehr schnell" in body and "Hundesteuer online anmelden" in body  # the input is kept
    response = submit_as_citizen(client, campaign, consent="")
    assert "Bitte stimmen Sie der Verarbeitung zu" in response.content.decode()
    assert not Idea.objects.exists()


def test_public_forms_are_rate_limited(world: Any, campaign: Campaign, client: Any) -> None:
    statuses = [submit_as_citizen(client, campaign, email=f"p{n}@example.org").status_code for n in range(11)]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429
    assert Idea.objects.count() == 10


def test_support_once_per_person_and_citizens_confirm_by_mail(
    world: Any, campaign: Campaign, client: Any, mailoutbox: list[Any]
) -> None:
    idea = staff_idea(world, campaign, "Terminbuchung")
    services.moderate(idea, user=world.users["coordinator_a"], publish=True)
    staff = client_for_user(client, world.users["reader_a"])
    for _ in range(2):
        staff.post(url("support", pk=idea.pk), {"consent": "on", "started": ""})
    idea.refresh_from_db()
    assert idea.supporters_count == 1
    citizen = client_for_user(client, None)
    started = citizen.get(url("idea", pk=idea.pk)).context["support_form"]["started"].value()
    citizen.post(url("support", pk=idea.pk), {"email": "fan@example.org", "consent": "on", "started": started})
    idea.refresh_from_db()
    assert idea.supporters_count == 1  # counted only once confirmed
    citizen.post(links(mailoutbox[-1])[0])
    idea.refresh_from_db()
    assert idea.supporters_count == 2
    # Now this browser is known: a second support changes nothing and needs no new e-mail.
    citizen.post(url("support", pk=idea.pk), {"consent": "on", "started": started})
    idea.refresh_from_db()
    assert idea.supporters_count == 2 and len(mailoutbox) == 1


def test_comments_reports_and_moderation_are_logged(world: Any, client: Any) -> None:
    campaign = make_campaign(world, moderation=Moderation.AFTER)
    idea = staff_idea(world, campaign, "Baustellenkarte")
    assert idea.publication == Publication.PUBLISHED  # moderated after publishing
    staff = client_for_user(client, world.users["editor_a"])
    staff.post(url("comment", pk=idea.pk), {"c-text": "Unsinn, ihr Idioten", "c-consent": "on", "c-started": ""})
    comment = Comment.objects.get()
    assert comment.publication == Publication.PUBLISHED
    anonymous = client_for_user(client, None)
    form = anonymous.get(url("report", pk=idea.pk) + f"?comment={comment.pk}").context["form"]
    anonymous.post(
        url("report", pk=idea.pk) + f"?comment={comment.pk}",
        {"reason": "beleidigend", "started": form["started"].value()},
    )
    report = AbuseReport.objects.get()
    assert report.comment == comment and report.outcome == AbuseReport.Outcome.OPEN
    coordinator = client_for_user(client, world.users["coordinator_a"])
    assert "beleidigend" in coordinator.get(url("moderation")).content.decode()
    coordinator.post(url("moderate", kind="comment", pk=comment.pk), {"action": "hide", "reason": "Beleidigung"})
    report.refresh_from_db()
    comment.refresh_from_db()
    assert comment.publication == Publication.HIDDEN and report.outcome == AbuseReport.Outcome.HIDDEN
    assert "Unsinn" not in client_for_user(client, None).get(url("idea", pk=idea.pk)).content.decode()
    entry = ModerationEntry.objects.get(action=ModerationEntry.Action.HIDDEN)
    assert entry.reason == "Beleidigung" and entry.actor == world.users["coordinator_a"]
    assert "Beleidigung" in client_for_user(client, world.users["coordinator_a"]).get(url("log")).content.decode()
    # Hiding without a reason is refused.
    with pytest.raises(ValidationError):
        services.moderate(idea, user=world.users["coordinator_a"], publish=False)


def test_merging_moves_supports_once_and_tells_the_author(
    world: Any, campaign: Campaign, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    first = staff_idea(world, campaign, "Hundesteuer online", key="editor_a")
    second = staff_idea(world, campaign, "Hundeanmeldung digital", key="reader_a")
    for idea in (first, second):
        services.moderate(idea, user=world.users["coordinator_a"], publish=True)
    both = services.participant_for_user(world.a, world.users["coordinator_b"])
    only_second = services.participant_for_email(world.a, "x@example.org")
    services.support_add(first, participant=both, confirmed=True)
    services.support_add(second, participant=both, confirmed=True)
    services.support_add(second, participant=only_second, confirmed=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.merge(second, into=first, user=world.users["coordinator_a"], reason="gleich")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.supporters_count == 2 and second.merged_into == first
    assert second not in selectors.public_ideas(campaign)
    assert mailoutbox[-1].to == ["reader_a@test.example"] and "zusammengeführt" in mailoutbox[-1].subject
    # Later news about the first idea reach the merged idea's author too.
    project = portfolio.project_save(
        None, user=world.users["coordinator_a"], municipality=world.a, data={"title": "Hund"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_update(
            first,
            user=world.users["coordinator_a"],
            expected_version=first.version,
            data={"status": IdeaStatus.ADOPTED},
            projects=[project],
        )
    assert {m.to[0] for m in mailoutbox[-2:]} == {"editor_a@test.example", "reader_a@test.example"}
    second.refresh_from_db()
    assert second.status == IdeaStatus.ADOPTED
    with pytest.raises(ValidationError):
        services.merge(first, into=first, user=world.users["coordinator_a"])


def test_ideas_become_one_project_linked_both_ways(world: Any, campaign: Campaign, client: Any) -> None:
    a = staff_idea(world, campaign, "Mängelmelder")
    b = staff_idea(world, campaign, "Schlaglöcher per App melden")
    coordinator = client_for_user(client, world.users["coordinator_a"])
    form = coordinator.get(url("to_project", pk=campaign.pk) + f"?ideas={a.pk}&ideas={b.pk}").context["form"]
    assert form.initial["title"] in ("Mängelmelder", "Schlaglöcher per App melden")
    response = coordinator.post(
        url("to_project", pk=campaign.pk),
        {
            "ideas": [a.pk, b.pk],
            "title": "Mängelmelder-App",
            "status": "planning",
            "visibility": "public",
            "feedback": "Kommt!",
        },
    )
    project = Project.objects.get(title="Mängelmelder-App")
    assert response["Location"] == reverse("portfolio:project", kwargs={"municipality": "astadt", "pk": project.pk})
    for idea in (a, b):
        idea.refresh_from_db()
        assert idea.status == IdeaStatus.ADOPTED and idea.feedback == "Kommt!"
        assert list(idea.projects.all()) == [project]
    assert set(project.ideas.all()) == {a, b}
    assert ModerationEntry.objects.filter(action=ModerationEntry.Action.PROJECT).exists()
    # Editors may not turn ideas into projects: triage belongs to the coordination.
    editor = client_for_user(client, world.users["editor_a"])
    assert editor.get(url("to_project", pk=campaign.pk)).status_code == 403


def test_the_answer_needs_a_reason_or_a_project_and_stale_edits_are_refused(world: Any, campaign: Campaign) -> None:
    idea = staff_idea(world, campaign, "Drohnen")
    user = world.users["coordinator_a"]
    with pytest.raises(ValidationError, match="begründen"):
        services.idea_update(idea, user=user, expected_version=idea.version, data={"status": IdeaStatus.REJECTED})
    with pytest.raises(ValidationError, match="Projekt"):
        services.idea_update(idea, user=user, expected_version=idea.version, data={"status": IdeaStatus.ADOPTED})
    services.idea_update(idea, user=user, expected_version=1, data={"status": IdeaStatus.REVIEW})
    with pytest.raises(EditConflict):
        services.idea_update(idea, user=user, expected_version=1, data={"status": IdeaStatus.RECEIVED})


def test_who_sees_which_campaign(world: Any, client: Any) -> None:
    public = make_campaign(world, title="Öffentlich")
    staff = make_campaign(world, title="Nur intern", audience=Audience.STAFF, moderation=Moderation.AFTER)
    draft = make_campaign(world, title="Entwurf", published=False)
    idea = staff_idea(world, staff, "Interne Idee Geheimsache")
    expectations = {
        None: {public},
        world.users["coordinator_b"]: {public},
        world.users["partner_a"]: {public},
        world.users["reader_a"]: {public, staff},
        world.users["coordinator_a"]: {public, staff, draft},
    }
    for user, visible_ones in expectations.items():
        c = client_for_user(client, user)
        for campaign in (public, staff, draft):
            status = c.get(url("campaign", pk=campaign.pk)).status_code
            assert status == (200 if campaign in visible_ones else 404), (user, campaign)
        assert (c.get(url("idea", pk=idea.pk)).status_code == 200) == (staff in visible_ones), user
        index = c.get(url("index")).content.decode()
        assert ("Nur intern" in index) == (staff in visible_ones)


def test_closed_campaigns_take_no_more_ideas(world: Any) -> None:
    closed = make_campaign(world, starts_on=date.today() - timedelta(days=30), ends_on=date.today() - timedelta(days=1))
    participant = services.participant_for_user(world.a, world.users["editor_a"])
    with pytest.raises(ValidationError, match="nicht geöffnet"):
        services.idea_submit(closed, participant=participant, confirmed=True, title="Zu spät", description="x")


def test_typing_suggests_similar_ideas_and_projects(world: Any, campaign: Campaign, client: Any) -> None:
    idea = staff_idea(
        world, campaign, "Hundesteuer online bezahlen", text="Die Hundesteuer online anmelden und bezahlen."
    )
    services.moderate(idea, user=world.users["coordinator_a"], publish=True)
    staff_idea(world, campaign, "Mehr Bänke im Park")  # pending, unrelated
    portfolio.project_save(
        None,
        user=world.users["coordinator_a"],
        municipality=world.a,
        data={"title": "Hundesteuer digital", "summary": "Online-Antrag Hundesteuer", "visibility": "public"},
    )
    body = client.get(
        url("suggest", pk=campaign.pk) + "?title=Hund+anmelden+online&description=Hundesteuer"
    ).content.decode()
    assert "Hundesteuer online bezahlen" in body and "Hundesteuer digital" in body and "Bänke" not in body
    empty = client.get(url("suggest", pk=campaign.pk) + "?title=Spielplatz+Rutsche").content.decode()
    assert "Keine ähnlichen" in empty


def test_topics_group_ideas_for_workshops(world: Any, campaign: Campaign) -> None:
    for title in ("Hundesteuer online", "Hundeanmeldung digital", "E-Akte im Bauamt", "Elektronische Akte einführen"):
        staff_idea(world, campaign, title)
    staff_idea(world, campaign, "Mehr Grün")
    groups = {t.label: {i.title for i in t.ideas} for t in selectors.topics(campaign)}
    dogs = next(v for v in groups.values() if "Hundesteuer online" in v)
    files = next(v for v in groups.values() if "E-Akte im Bauamt" in v)
    assert dogs == {"Hundesteuer online", "Hundeanmeldung digital"}
    assert files == {"E-Akte im Bauamt", "Elektronische Akte einführen"}
    assert "Mehr Grün" in groups["Weitere Ideen"]


def test_the_participant_exports_and_erases_their_data(
    world: Any, campaign: Campaign, client: Any, mailoutbox: list[Any]
) -> None:
    submit_as_citizen(client, campaign)
    mine = client.post(links(mailoutbox[-1])[0])["Location"]
    data = json.loads(client.post(mine, {"action": "export"}).content)
    assert data["e_mail"] == "erika.m@example.org" and data["name"] == "Erika M."
    assert data["ideen"][0]["titel"] == "Hundesteuer online anmelden"
    client.post(mine, {"action": "erase", "confirm": "on"})
    participant = Participant.objects.get()
    assert participant.email == "" and participant.name == "" and participant.erased_at is not None
    idea = Idea.objects.get()
    assert idea.participant == participant  # the contribution stays, anonymous
    assert client.get(mine).status_code == 404  # every earlier link stops working
    assert ModerationEntry.objects.filter(action=ModerationEntry.Action.ERASED).exists()


def test_the_coordination_answers_gdpr_requests(world: Any, campaign: Campaign, client: Any) -> None:
    participant = services.participant_for_email(world.a, "anfrage@example.org")
    services.idea_submit(campaign, participant=participant, confirmed=True, title="Radwege", description="Mehr Radwege")
    coordinator = client_for_user(client, world.users["coordinator_a"])
    page = coordinator.get(url("privacy") + "?email=ANFRAGE@example.org")
    assert page.context["participant"] == participant
    exported = json.loads(coordinator.post(url("participant_action", pk=participant.pk), {"action": "export"}).content)
    assert exported["ideen"][0]["titel"] == "Radwege"
    coordinator.post(
        url("participant_action", pk=participant.pk), {"action": "erase", "confirm": "on", "reason": "Antrag"}
    )
    participant.refresh_from_db()
    assert participant.email == "" and participant.erased_at
    actions = set(ModerationEntry.objects.values_list("action", flat=True))
    assert {ModerationEntry.Action.EXPORTED, ModerationEntry.Action.ERASED} <= actions
    # Readers and other towns never reach personal data.
    for key in ("reader_a", "editor_a", "coordinator_b"):
        assert client_for_user(client, world.users[key]).get(url("privacy")).status_code == 403


def test_personal_data_is_erased_after_the_retention_period(world: Any) -> None:
    old = make_campaign(world, starts_on=date(2024, 1, 1), ends_on=date(2024, 3, 31), retention_months=6)
    current = make_campaign(world)
    gone = services.participant_for_email(world.a, "alt@example.org")
    stays = services.participant_for_email(world.a, "neu@example.org")
    Idea.objects.create(
        municipality=world.a, campaign=old, participant=gone, title="a", description="a", publication="published"
    )
    Idea.objects.create(
        municipality=world.a, campaign=old, participant=stays, title="b", description="b", publication="published"
    )
    Idea.objects.create(
        municipality=world.a, campaign=current, participant=stays, title="c", description="c", publication="published"
    )
    out = io.StringIO()
    call_command("participation_erase", stdout=out)
    gone.refresh_from_db()
    stays.refresh_from_db()
    assert gone.email == "" and gone.name == "" and gone.erased_at
    assert stays.email == "neu@example.org"  # still taking part in a running campaign
    assert "1 Beteiligten" in out.getvalue()
    assert ModerationEntry.objects.filter(action=ModerationEntry.Action.EXPIRED).count() == 1
    assert Idea.objects.count() == 3


def test_unconfirmed_contributions_are_dropped_after_a_week(world: Any, campaign: Campaign) -> None:
    participant = services.participant_for_email(world.a, "nie@example.org")
    idea = services.idea_submit(campaign, participant=participant, confirmed=False, title="x", description="y")
    services.erase_expired()
    assert Idea.objects.filter(pk=idea.pk).exists()
    Idea.objects.filter(pk=idea.pk).update(created_at=idea.created_at - timedelta(days=8))
    Participant.objects.filter(pk=participant.pk).update(created_at=idea.created_at - timedelta(days=8))
    services.erase_expired()
    assert not Idea.objects.filter(pk=idea.pk).exists()
    participant.refresh_from_db()
    assert participant.email == ""


def test_the_idea_panel_on_a_pilots_home_page(world: Any, campaign: Campaign, client: Any) -> None:
    idea = staff_idea(world, campaign, "Bauamt digital")
    Idea.objects.filter(pk=idea.pk).update(org_unit=world.unit_a2)
    reader = client_for_user(client, world.users["reader_a"])
    panel = url("unit_ideas") + f"?unit={world.unit_a2.pk}"
    assert "Bauamt digital" not in reader.get(panel).content.decode(), "waiting for moderation"
    services.moderate(idea, user=world.users["coordinator_a"], publish=True)
    body = reader.get(panel).content.decode()
    assert "Bauamt digital" in body
    assert "Bauamt digital" not in reader.get(url("unit_ideas") + f"?unit={world.unit_a1.pk}").content.decode()
    assert client_for_user(client, None).get(url("unit_ideas")).status_code == 302


# --- polls ---------------------------------------------------------------------------------------------------


def make_poll(world: Any, **kw: Any) -> Poll:
    today = date.today()
    poll = Poll.objects.create(
        municipality=world.a,
        title="Bürgerumfrage",
        audience=Audience.PUBLIC,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=10),
        published=True,
        **kw,
    )
    return poll


def test_a_coordinator_builds_a_questionnaire(world: Any, client: Any) -> None:
    poll = make_poll(world)
    coordinator = client_for_user(client, world.users["coordinator_a"])
    response = coordinator.post(
        url("questions", pk=poll.pk), {"kind": "single", "text": "Wie oft?", "options": "nur eine"}
    )
    assert "mindestens zwei Antwortmöglichkeiten" in response.content.decode()
    for data in (
        {"kind": "single", "text": "Wie oft?", "options": "nie\nselten\noft", "required": "on"},
        {"kind": "ranking", "text": "Was zuerst?", "options": "A\nB\nC"},
        {"kind": "scale", "text": "Zufrieden?", "scale_min": 1, "scale_max": 5},
    ):
        coordinator.post(url("questions", pk=poll.pk), {"scale_min": 1, "scale_max": 5, **data})
    assert [q.text for q in poll.questions.all()] == ["Wie oft?", "Was zuerst?", "Zufrieden?"]
    last = poll.questions.last()
    assert last is not None
    coordinator.post(url("question_edit", pk=last.pk), {"action": "up"})
    assert [q.text for q in poll.questions.all()] == ["Wie oft?", "Zufrieden?", "Was zuerst?"]
    coordinator.post(url("question_edit", pk=last.pk), {"action": "delete"})
    assert poll.questions.count() == 2
    assert client_for_user(client, world.users["editor_a"]).get(url("questions", pk=poll.pk)).status_code == 403


def answer(client: Any, poll: Poll, values: dict[str, Any]) -> Any:
    started = client.get(url("poll", pk=poll.pk)).context["form"]["started"].value()
    return client.post(url("poll", pk=poll.pk), {"consent": "on", "started": started, **values})


def test_citizens_answer_anonymously_and_staff_export_the_results(world: Any, client: Any) -> None:
    poll = make_poll(world)
    single = Question.objects.create(
        poll=poll, position=1, kind=QuestionKind.SINGLE, text="Wie oft?", options="nie\noft", required=True
    )
    many = Question.objects.create(
        poll=poll, position=2, kind=QuestionKind.MULTIPLE, text="Was online?", options="Pass\nHund\nKita"
    )
    scale = Question.objects.create(poll=poll, position=3, kind=QuestionKind.SCALE, text="Zufrieden?")
    rank = Question.objects.create(
        poll=poll, position=4, kind=QuestionKind.RANKING, text="Wichtig?", options="Zeit\nOrt\nSprache"
    )
    text = Question.objects.create(poll=poll, position=5, kind=QuestionKind.TEXT, text="Was noch?")
    response = answer(client, poll, {f"q{many.pk}": ["1"]})
    assert "Dieses Feld ist zwingend erforderlich" in response.content.decode()  # the required question
    response = answer(client, poll, {f"q{single.pk}": "0", f"q{rank.pk}_0": "1", f"q{rank.pk}_1": "1"})
    assert "nur einmal vergeben" in response.content.decode()
    assert not PollResponse.objects.exists()
    answer(
        client,
        poll,
        {
            f"q{single.pk}": "1",
            f"q{many.pk}": ["1", "2"],
            f"q{scale.pk}": "4",
            f"q{rank.pk}_0": "2",
            f"q{rank.pk}_1": "3",
            f"q{rank.pk}_2": "1",
            f"q{text.pk}": "=HYPERLINK()",
        },
    )
    answer(client, poll, {f"q{single.pk}": "1", f"q{many.pk}": ["1"], f"q{scale.pk}": "2"})
    assert PollResponse.objects.filter(participant__isnull=True).count() == 2
    total, results = selectors.results(poll)
    assert total == 2
    by = {r.question.pk: r for r in results}
    single_chart, many_chart = by[single.pk].chart, by[many.pk].chart
    assert single_chart is not None and many_chart is not None
    assert single_chart.rows == [["nie", "0"], ["oft", "2"]]
    assert many_chart.rows == [["Pass", "0"], ["Hund", "2"], ["Kita", "1"]]
    assert by[scale.pk].mean == 3
    assert by[rank.pk].ranking[0] == ("Sprache", 1.0)
    assert by[text.pk].texts == ["=HYPERLINK()"]
    coordinator = client_for_user(client, world.users["coordinator_a"])
    assert "Hund" in coordinator.get(url("results", pk=poll.pk)).content.decode()
    csv_text = coordinator.get(url("export", pk=poll.pk, fmt="csv")).content.decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("Nr.;Eingang;Wie oft?;Was online?") and len(lines) == 3
    assert lines[1].endswith(';oft;"Hund; Kita";4;"1. Sprache; 2. Zeit; 3. Ort";\'=HYPERLINK()')
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(coordinator.get(url("export", pk=poll.pk, fmt="xlsx")).content))
    assert book.sheetnames == ["Antworten", "Auswertung"]
    assert book["Antworten"].max_row == 3
    assert client_for_user(client, None).get(url("results", pk=poll.pk)).status_code == 302
    assert (
        client_for_user(client, world.users["coordinator_b"]).get(url("export", pk=poll.pk, fmt="csv")).status_code
        == 403
    )


def test_one_response_per_person(world: Any, client: Any, mailoutbox: list[Any]) -> None:
    poll = make_poll(world, one_per_person=True)
    q = Question.objects.create(poll=poll, position=1, kind=QuestionKind.SCALE, text="Zufrieden?")
    staff = client_for_user(client, world.users["reader_a"])
    answer(staff, poll, {f"q{q.pk}": "3"})
    again = answer(staff, poll, {f"q{q.pk}": "5"})
    assert "schon teilgenommen" in again.content.decode()
    citizen = client_for_user(client, None)
    response = answer(citizen, poll, {f"q{q.pk}": "4", "email": "eine@example.org"})
    assert "Bitte bestätigen" in response.content.decode()
    assert selectors.results(poll)[0] == 1  # unconfirmed: not counted yet
    citizen.post(links(mailoutbox[-1])[0])
    assert selectors.results(poll)[0] == 2
    # A second answer with the same address (or a sub-address of it) waits for its confirmation, like any
    # other: the page tells nothing about the first. Confirmed from the mailbox, it is refused.
    again = answer(citizen, poll, {f"q{q.pk}": "1", "email": "EINE+zwei@example.org"})
    assert "Bitte bestätigen" in again.content.decode()
    refused = client_for_user(client, None).post(links(mailoutbox[-1])[0], follow=True)
    assert "schon teilgenommen" in refused.content.decode()
    assert selectors.results(poll)[0] == 2
    # Anonymous: the address is not stored anywhere, only a keyed hash.
    assert not Participant.objects.filter(email="eine@example.org").exists()
    assert all("eine" not in r.respondent_key for r in PollResponse.objects.all())


def test_closed_polls_take_no_answers(world: Any, client: Any) -> None:
    poll = make_poll(world)
    q = Question.objects.create(poll=poll, position=1, kind=QuestionKind.SCALE, text="Zufrieden?")
    Poll.objects.filter(pk=poll.pk).update(ends_on=date.today() - timedelta(days=1))
    answer(client, poll, {f"q{q.pk}": "3"})
    assert not PollResponse.objects.exists()


def test_campaign_form_and_demo_consent(world: Any, client: Any) -> None:
    field = FieldOfAction.objects.create(municipality=world.a, name="Bürgerdienste")
    coordinator = client_for_user(client, world.users["coordinator_a"])
    today = date.today()
    response = coordinator.post(
        url("campaign_create"),
        {
            "title": "Neue Aktion",
            "audience": "public",
            "starts_on": today.isoformat(),
            "ends_on": (today - timedelta(days=1)).isoformat(),
            "fields": [field.pk],
            "moderation": "before",
            "consent_text": "Ich willige ein.",
            "retention_months": 12,
        },
    )
    assert "Das Ende liegt vor dem Beginn" in response.content.decode()
    response = coordinator.post(
        url("campaign_create"),
        {
            "title": "Neue Aktion",
            "audience": "public",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=3)).isoformat(),
            "fields": [field.pk],
            "moderation": "before",
            "published": "on",
            "consent_text": "Ich willige ein.",
            "retention_months": 12,
        },
    )
    campaign = Campaign.objects.get(title="Neue Aktion")
    assert list(campaign.fields.all()) == [field] and campaign.is_open()
    form = client_for_user(client, None).get(url("submit", pk=campaign.pk)).context["form"]
    assert form.fields["consent"].label == "Ich willige ein."
    assert list(form.fields["field"].queryset) == [field]
