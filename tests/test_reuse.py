"""Adopting another town's project (issue 20, point 2): a draft in the own portfolio, linked to its origin, with its
description, milestones shifted to the own start and its yearly plan as a first estimate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lotse.portfolio import services as portfolio
from lotse.portfolio.models import Project, Status
from lotse.reuse import selectors, services
from lotse.reuse.models import Adoption, InterestDeclaration
from lotse.tenancy.models import Visibility

pytestmark = pytest.mark.django_db


def origin_of(world: Any, visibility: str = Visibility.NETWORK) -> Project:
    """Astadt's dog-tax project: network-visible, with tags, two milestones and two planned years."""
    return portfolio.project_save(
        None,
        user=world.users["admin"],
        municipality=world.a,
        data={
            "title": "Hundesteuer online",
            "summary": "Hunde im Portal an- und abmelden",
            "description": "Anmeldung, Abmeldung und Steuermarke online, mit Bezahlung.",
            "status": Status.IMPLEMENTATION,
            "visibility": visibility,
            "start_date": date(2025, 1, 1),
            "end_date": date(2025, 12, 31),
            "lead_unit": world.unit_a1,
            "project_lead": "Frau Muster",
        },
        m2m={"tags": portfolio.tags_from_text(world.a, "OZG, Steuern")},
        children={
            "milestones": [
                {"title": "Formular fertig", "due_date": date(2025, 3, 1), "done_on": date(2025, 3, 5)},
                {"title": "Start im Portal", "due_date": date(2025, 9, 1), "done_on": None},
            ],
            "years": [
                {"year": 2025, "budget_planned": Decimal("12000"), "budget_approved": Decimal("10000"),
                 "budget_spent": Decimal("9000"), "staff_fte": Decimal("0.5")},
                {"year": 2026, "budget_planned": Decimal("3000"), "budget_approved": 0, "budget_spent": 0,
                 "staff_fte": Decimal("0.1")},
            ],
        },
    )  # fmt: skip


def test_an_adopted_project_starts_from_its_origin_and_points_back(world: Any) -> None:
    origin = origin_of(world)
    user = world.users["coordinator_b"]
    project = services.adopt(
        user=user, origin=origin, municipality=world.b, title="Hundesteuer digital", start_date=date(2027, 2, 1)
    )
    assert project.municipality == world.b and project.title == "Hundesteuer digital"
    assert (project.status, project.visibility) == (Status.PLANNING, Visibility.INTERNAL)
    assert project.description == origin.description and project.lead_unit is None and project.project_lead == ""
    assert project.start_date == date(2027, 2, 1) and project.end_date == date(2028, 1, 31)  # shifted by 761 days
    assert sorted(t.name for t in project.tags.all()) == ["OZG", "Steuern"]
    assert {t.municipality_id for t in project.tags.all()} == {world.b.pk}, "tags of the own town"
    assert [(m.title, m.due_date, m.done_on) for m in project.milestones.all()] == [
        ("Formular fertig", date(2027, 4, 1), None),  # the same distance from the start as in the origin
        ("Start im Portal", date(2027, 10, 2), None),
    ]
    assert [(y.year, y.budget_planned, y.budget_approved, y.staff_fte) for y in project.years.all()] == [
        (2027, Decimal("12000"), 0, Decimal("0.5")),
        (2028, Decimal("3000"), 0, Decimal("0.1")),
    ]
    adoption = Adoption.objects.get(project=project)
    assert (adoption.origin, adoption.shifted_days, adoption.adopted_by) == (origin, 761, user)
    # The origin shows who adopted it; the adopting draft is internal, so Astadt sees the count, not the draft.
    seen_by_a = selectors.reuse_of(origin, world.users["coordinator_a"])
    assert seen_by_a.adopted_by_towns == 1 and seen_by_a.adopters == []
    assert selectors.reuse_of(origin, user).adopters == [project]
    mine = selectors.reuse_of(project, user)
    assert mine.adoption == adoption and mine.origin == origin
    # The origin deleted: the link still says what was adopted.
    origin.delete()
    kept = selectors.reuse_of(project, user)
    assert kept.origin is None and kept.adoption is not None and kept.adoption.origin_title == "Hundesteuer online"


def test_only_people_who_may_start_projects_adopt(world: Any) -> None:
    origin = origin_of(world)
    for key in ("reader_a", "partner_a", "outsider"):
        with pytest.raises(PermissionDenied):
            services.adopt(
                user=world.users[key], origin=origin, municipality=world.a, title="x", start_date=date(2027, 1, 1)
            )
    assert selectors.adopting_towns(world.users["reader_a"]) == []
    assert selectors.adopting_towns(world.users["coordinator_b"]) == [world.b]
    assert not Adoption.objects.exists()


def test_the_form_adopts_what_one_may_see_and_refuses_the_rest(world: Any, client_for: Any) -> None:
    origin = origin_of(world)
    client = client_for(world.users["coordinator_b"])
    # "Übernehmen" leads straight to the form of the one town the coordinator may start projects in
    response = client.get(reverse("reuse:choose", kwargs={"pk": origin.pk}))
    adopt_url = reverse("reuse:adopt", kwargs={"municipality": "bdorf", "pk": origin.pk})
    assert response.status_code == 302 and response["Location"] == adopt_url
    page = client.get(adopt_url).content.decode()
    assert "Hundesteuer online" in page and "Als Entwurf übernehmen" in page
    # Bad input: a German message, nothing created
    response = client.post(adopt_url, {"title": "Hundesteuer", "start_date": ""})
    assert response.status_code == 200 and "Bitte den geplanten Beginn angeben." in response.content.decode()
    response = client.post(adopt_url, {"title": "Hundesteuer", "start_date": "1850-01-01"})
    assert "Bitte ein Datum zwischen 2000 und 2100 angeben." in response.content.decode()
    assert not Adoption.objects.exists()
    response = client.post(adopt_url, {"title": "Hundesteuer Bdorf", "start_date": "2027-02-01"}, follow=True)
    project = Project.objects.get(municipality=world.b, title="Hundesteuer Bdorf")
    assert response.redirect_chain[-1][0] == reverse(
        "portfolio:project", kwargs={"municipality": "bdorf", "pk": project.pk}
    )
    assert "ist als Entwurf in Ihr Portfolio übernommen" in response.content.decode()
    panel = client.get(reverse("reuse:panel", kwargs={"municipality": "bdorf", "pk": project.pk})).content.decode()
    assert "Übernommen von" in panel and "Hundesteuer online" in panel
    panel = client.get(reverse("reuse:panel", kwargs={"municipality": "astadt", "pk": origin.pk})).content.decode()
    assert "von 1 Kommune nachgenutzt" in panel and "Hundesteuer Bdorf" in panel
    # What one may not see does not exist; a reader may look but not adopt
    hidden = origin_of(world, Visibility.INTERNAL)
    assert client.get(reverse("reuse:adopt", kwargs={"municipality": "bdorf", "pk": hidden.pk})).status_code == 404
    reader = client_for(world.users["reader_a"])
    assert reader.get(reverse("reuse:choose", kwargs={"pk": origin.pk})).status_code == 403
    assert reader.post(reverse("reuse:adopt", kwargs={"municipality": "astadt", "pk": origin.pk}), {
        "title": "x", "start_date": "2027-01-01"}).status_code == 403  # fmt: skip
    assert (
        "Übernehmen"
        not in reader.get(reverse("reuse:panel", kwargs={"municipality": "astadt", "pk": origin.pk})).content.decode()
    )
    # the coordinator of another town may not adopt into Bdorf
    other = client_for(world.users["coordinator_c"])
    assert other.post(adopt_url, {"title": "x", "start_date": "2027-01-01"}).status_code == 403
    assert Adoption.objects.count() == 1


def test_an_editor_adopts_into_one_of_their_own_units(world: Any, client_for: Any) -> None:
    origin = portfolio.project_save(
        None,
        user=world.users["admin"],
        municipality=world.b,
        data={"title": "Digitale Bauakte", "visibility": Visibility.NETWORK},
    )
    client = client_for(world.users["editor_a"])
    url = reverse("reuse:adopt", kwargs={"municipality": "astadt", "pk": origin.pk})
    response = client.post(
        url, {"title": "Digitale Bauakte", "start_date": "2027-01-01", "lead_unit": world.unit_a2.pk}
    )
    assert response.status_code == 200 and not Adoption.objects.exists()  # Bauamt A is not one of theirs
    client.post(url, {"title": "Digitale Bauakte", "start_date": "2027-01-01", "lead_unit": world.unit_a1.pk})
    adopted = Adoption.objects.get().project
    assert adopted.lead_unit == world.unit_a1 and adopted.municipality == world.a
    assert adopted.milestones.count() == 0 and adopted.start_date == date(2027, 1, 1)


def test_what_reuse_saves_is_the_origins_years_against_the_own_plan(world: Any, client_for: Any) -> None:
    origin = origin_of(world)
    user = world.users["coordinator_b"]
    project = services.adopt(user=user, origin=origin, municipality=world.b, title="Hunde", start_date=date(2027, 2, 1))
    adoption = Adoption.objects.get(project=project)
    assert selectors.savings_of(adoption) == []  # the plan starts as the origin's: nothing saved yet
    plan = project.years.get(year=2027)
    portfolio.project_save(
        project,
        user=user,
        municipality=world.b,
        data={},  # Bdorf needs less in 2027 and nothing in 2028: the origin's form and process are there
        children={"years": [{"id": plan.pk, "year": 2027, "budget_planned": Decimal("2000"), "budget_approved": 0,
                             "budget_spent": 0, "staff_fte": Decimal("0.2")}]},
    )  # fmt: skip
    expected = [
        selectors.Saving(2027, Decimal("0.3"), Decimal("7000")),  # 0.5 - 0.2 VZÄ; 9,000 spent - 2,000 planned
        selectors.Saving(2028, Decimal("0.1"), Decimal("3000")),  # the origin's plan for its second year
    ]
    assert selectors.savings_of(adoption) == expected
    assert selectors.savings_by_year(world.b) == expected
    assert selectors.savings_by_year(world.a) == []
    total = selectors.network_savings()
    assert (total.adoptions, total.towns, total.staff, total.money) == (1, 1, Decimal("0.4"), Decimal("10000"))

    client = client_for(user)
    panel = client.get(reverse("reuse:panel", kwargs={"municipality": "bdorf", "pk": project.pk})).content.decode()
    assert "Nachnutzung spart geschätzt 0,40 VZÄ und 10.000 €" in panel, panel[panel.find("reuse-panel") :][:1500]
    assert "2027: 0,30 VZÄ, 7.000 €" in panel
    credit = client.get(reverse("reuse:capacity_credit", kwargs={"municipality": "bdorf"})).content.decode()
    assert "Nachnutzung spart 2027 0,30 VZÄ und 7.000 €" in credit
    assert "Nachnutzung spart 2028 0,10 VZÄ und 3.000 €" in credit
    capacity = client.get(reverse("portfolio:capacity", kwargs={"municipality": "bdorf"})).content.decode()
    assert reverse("reuse:capacity_credit", kwargs={"municipality": "bdorf"}) in capacity
    assert (
        client_for(world.users["coordinator_c"])
        .get(reverse("reuse:capacity_credit", kwargs={"municipality": "bdorf"}))
        .status_code
        == 403
    )
    registry = client_for(None).get(reverse("reuse:solutions")).content.decode()
    assert "1 Übernahme, geschätzt 0,40 VZÄ und 10.000 € gespart (übernehmende Kommunen: 1)" in registry

    # The estimate reads the origin's years: once the origin is internal, Bdorf's page no longer shows it.
    Project.objects.filter(pk=origin.pk).update(visibility=Visibility.INTERNAL)
    panel = client.get(reverse("reuse:panel", kwargs={"municipality": "bdorf", "pk": project.pk})).content.decode()
    assert "Nachnutzung spart" not in panel


def test_a_town_declares_interest_and_the_projects_town_hears_of_it(
    world: Any, client_for: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    origin = origin_of(world)
    client = client_for(world.users["coordinator_b"])
    panel = client.get(reverse("reuse:panel", kwargs={"municipality": "astadt", "pk": origin.pk})).content.decode()
    url = reverse("reuse:interest", kwargs={"municipality": "bdorf", "pk": origin.pk})
    assert url in panel  # "Interesse bekunden" for Bdorf
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"note": "Wir planen 2027 dasselbe und würden gern mitmachen."})
    assert response.status_code == 302
    declaration = InterestDeclaration.objects.get()
    assert (declaration.municipality, declaration.project, declaration.declared_by) == (
        world.b,
        origin,
        world.users["coordinator_b"],
    )
    assert [m.to for m in mailoutbox] == [["admin@test.example", "coordinator_a@test.example"]]
    assert "Bdorf bekundet Interesse" in mailoutbox[0].body and "mitmachen" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"note": "noch einmal"}).status_code == 302
    assert InterestDeclaration.objects.count() == 1 and len(mailoutbox) == 1  # once per town

    owner = (
        client_for(world.users["reader_a"])
        .get(reverse("reuse:panel", kwargs={"municipality": "astadt", "pk": origin.pk}))
        .content.decode()
    )
    assert "1 Kommune hat Interesse bekundet" in owner and "würden gern mitmachen" in owner
    assert reverse("reuse:interest", kwargs={"municipality": "astadt", "pk": origin.pk}) not in owner  # not its own
    outside = client_for(world.users["coordinator_c"])
    Project.objects.filter(pk=origin.pk).update(visibility=Visibility.PUBLIC)
    seen = outside.get(reverse("reuse:panel", kwargs={"municipality": "astadt", "pk": origin.pk})).content.decode()
    assert "1 Kommune hat Interesse bekundet." in seen and "mitmachen" not in seen  # the count, not the message

    with pytest.raises(PermissionDenied):
        services.declare_interest(user=world.users["reader_a"], project=origin, municipality=world.a, note="")
    with pytest.raises(ValidationError):
        services.declare_interest(user=world.users["coordinator_a"], project=origin, municipality=world.a, note="")
    assert client_for(world.users["coordinator_c"]).post(url, {}).status_code == 403  # not Cburg's to declare for Bdorf
    assert client_for(world.users["coordinator_b"]).post(url, {"withdraw": "1"}).status_code == 302
    assert not InterestDeclaration.objects.exists()


def test_the_pair_decision_cooperation_leads_to_declaring_interest(world: Any, client_for: Any) -> None:
    origin = origin_of(world)
    mine = portfolio.project_save(
        None,
        user=world.users["coordinator_b"],
        municipality=world.b,
        data={"title": "Hundesteuer online", "summary": "Hunde im Portal an- und abmelden", "visibility": "network"},
    )
    client = client_for(world.users["coordinator_b"])
    decide = reverse("synergy:decide", kwargs={"municipality": "bdorf", "pk": mine.pk, "other": origin.pk})
    response = client.post(decide, {"kind": "cooperation"})
    assert response.status_code == 302
    assert response["Location"] == reverse("reuse:interest", kwargs={"municipality": "bdorf", "pk": origin.pk})
    other = client.post(decide, {"kind": "unrelated"})
    assert other["Location"].endswith("#similar")  # the other decisions stay on the project page
    clusters = client.get(reverse("synergy:clusters")).content.decode()  # the two form a group of the network
    assert reverse("reuse:interest", kwargs={"municipality": "bdorf", "pk": origin.pk}) in clusters
    assert reverse("reuse:interest", kwargs={"municipality": "bdorf", "pk": mine.pk}) not in clusters  # its own
