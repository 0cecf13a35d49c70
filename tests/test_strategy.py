"""The strategy room: set up a strategy from a template, goals, indicators with readings and a chart."""

from typing import Any

from django.urls import reverse

from lotse.strategy.models import FieldOfAction, Goal, Indicator, IndicatorReading, Strategy
from tests.portfolio_world import SECRET_VISION, build_portfolio


def s(name: str, **kw: Any) -> str:
    return reverse(f"strategy:{name}", kwargs={"municipality": "astadt", **kw})


def test_coordinator_sets_up_a_strategy_step_by_step(world: Any, client_for: Any) -> None:
    client = client_for(world.users["coordinator_a"])
    assert "Strategie anlegen" in client.get(s("overview")).content.decode()
    response = client.post(
        s("edit"),
        {
            "title": "Digitale Agenda Astadt",
            "vision": "Einfach digital.",
            "adopted_on": "2026-03-20",
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    assert str(Strategy.objects.get(municipality=world.a).adopted_on) == "2026-03-20"
    client.post(s("adopt_template"), {"template": "mittelstadt"})
    names = list(FieldOfAction.objects.filter(municipality=world.a).values_list("name", flat=True))
    assert names[0] == "Infrastruktur und Standortentwicklung" and len(names) == 5
    client.post(s("adopt_template"), {"template": "mittelstadt"})
    assert FieldOfAction.objects.filter(municipality=world.a).count() == 5, "adopting twice adds nothing"
    field = FieldOfAction.objects.get(municipality=world.a, name="Digitale Bürgerdienste")
    client.post(
        s("part_create", kind="goals"),
        {"field": field.pk, "title": "80 Leistungen online", "description": "", "position": 1, "version": ""},
    )
    goal = Goal.objects.get(title="80 Leistungen online")
    client.post(
        s("part_create", kind="indicators"),
        {
            "goal": goal.pk,
            "name": "Online-Leistungen",
            "unit": "Anzahl",
            "baseline": "12",
            "target": "80",
            "due_date": "2028-12-31",
        },
    )
    indicator = Indicator.objects.get(goal=goal)
    for day, value in (("2025-12-31", "30"), ("2026-06-30", "46")):
        client.post(
            s("part_create", kind="readings") + f"?indicator={indicator.pk}",
            {"measured_on": day, "value": value, "note": ""},
        )
    assert IndicatorReading.objects.filter(indicator=indicator).count() == 2
    # A second reading on the same day is refused in German.
    response = client.post(
        s("part_create", kind="readings") + f"?indicator={indicator.pk}",
        {"measured_on": "2026-06-30", "value": "1", "note": ""},
    )
    assert "existiert bereits" in response.content.decode() or "bereits" in response.content.decode()
    page = client.get(s("indicator", pk=indicator.pk)).content.decode()
    assert 'role="img"' in page and "<title" in page, "an accessible SVG chart"
    assert "30.06.2026" in page and "46" in page
    assert "50 %" in page  # (46 - 12) / (80 - 12)
    overview = client.get(s("overview")).content.decode()
    assert "80 Leistungen online" in overview and "Online-Leistungen" in overview
    # Published: anyone can read it, without edit links.
    public = client_for(None).get(s("overview")).content.decode()
    assert "Einfach digital." in public and "Bearbeiten" not in public


def test_internal_strategy_is_hidden_and_readers_cannot_edit(world: Any, client_for: Any) -> None:
    pw = build_portfolio(world)
    body = client_for(world.users["coordinator_b"]).get(s("overview")).content.decode()
    assert SECRET_VISION not in body and "nicht veröffentlicht" in body
    reader = client_for(world.users["reader_a"])
    assert SECRET_VISION in reader.get(s("overview")).content.decode()
    assert reader.get(s("edit")).status_code == 403
    assert reader.post(s("part_delete", kind="goals", pk=pw.goal.pk)).status_code == 403
    assert Goal.objects.filter(pk=pw.goal.pk).exists()


def test_a_field_with_goals_or_projects_cannot_be_deleted(world: Any, client_for: Any) -> None:
    pw = build_portfolio(world)
    client = client_for(world.users["coordinator_a"])
    response = client.post(s("part_delete", kind="fields", pk=pw.field.pk), {"version": pw.field.version})
    assert "wird noch verwendet" in response.content.decode()
    assert FieldOfAction.objects.filter(pk=pw.field.pk).exists()


def test_strategy_edit_conflict_keeps_the_input(world: Any, client_for: Any) -> None:
    pw = build_portfolio(world)
    url = s("part_edit", kind="goals", pk=pw.goal.pk)
    data = {"field": pw.field.pk, "description": "", "position": 1, "version": pw.goal.version}
    assert client_for(world.users["admin"]).post(url, data | {"title": "Erste"}).status_code == 302
    response = client_for(world.users["coordinator_a"]).post(url, data | {"title": "Zweite"})
    body = response.content.decode()
    assert "Ihre Änderungen wurden nicht gespeichert" in body and 'value="Zweite"' in body
    assert Goal.objects.get(pk=pw.goal.pk).title == "Erste"
