"""Projects: saving with child rows and status transitions, conflicts, prioritisation, capacity, views."""

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from lotse.core.services import EditConflict
from lotse.portfolio import selectors, services
from lotse.portfolio.models import CriterionDirection, PriorityCriterion, Project, ProjectScore, StatusChange
from lotse.portfolio.priority import evaluate
from tests.portfolio_world import build_portfolio


@pytest.fixture
def pw(world: Any) -> Any:
    return build_portfolio(world)


def url(name: str, **kw: Any) -> str:
    return reverse(f"portfolio:{name}", kwargs={"municipality": "astadt", **kw})


def year(y: int, planned: int, fte: str = "1", pk: int | None = None) -> dict[str, Any]:
    return {
        "id": pk,
        "year": y,
        "budget_planned": Decimal(planned),
        "budget_approved": Decimal(0),
        "budget_spent": Decimal(0),
        "staff_fte": Decimal(fte),
    }


# ---------------------------------------------------------------- services


def test_new_project_gets_a_key_and_its_first_status_is_recorded(world: Any) -> None:
    user = world.users["coordinator_a"]
    p = services.project_save(None, user=user, municipality=world.a, data={"title": "E-Akte", "status": "planning"})
    assert p.key == f"P-{date.today().year}-001"
    second = services.project_save(None, user=user, municipality=world.a, data={"title": "Zwei"})
    assert second.key == f"P-{date.today().year}-002"
    change = StatusChange.objects.get(project=p)
    assert (change.from_status, change.to_status, change.changed_by) == ("", "planning", user)


def test_status_change_is_dated_and_keys_stay_unique(pw: Any, world: Any) -> None:
    user = world.users["coordinator_a"]
    p = services.project_save(
        pw.network,
        user=user,
        municipality=world.a,
        data={"status": "implementation"},
        expected_version=pw.network.version,
    )
    assert p.status_since == date.today()
    assert list(p.status_changes.values_list("from_status", "to_status"))[-1] == ("planning", "implementation")
    with pytest.raises(Exception, match="schon vergeben"):
        services.project_save(None, user=user, municipality=world.a, data={"key": "A-1", "title": "Doppelt"})
    # Another municipality may use the same key.
    services.project_save(
        None, user=world.users["coordinator_c"], municipality=world.c, data={"key": "A-1", "title": "Anderswo"}
    )


def test_child_rows_are_added_updated_and_removed(pw: Any, world: Any) -> None:
    user = world.users["coordinator_a"]
    p = pw.internal
    existing = p.years.get()
    services.project_save(
        p,
        user=user,
        municipality=world.a,
        data={},
        expected_version=p.version,
        children={
            "years": [year(2026, 5000, pk=existing.pk), year(2027, 7000)],
            "milestones": [{"title": "Start", "due_date": date(2026, 3, 1), "done_on": None}],
        },
    )
    assert list(p.years.values_list("year", "budget_planned")) == [(2026, Decimal(5000)), (2027, Decimal(7000))]
    assert p.years.get(year=2026).pk == existing.pk, "the existing row is updated, not replaced"
    p.refresh_from_db()
    services.project_save(
        p,
        user=user,
        municipality=world.a,
        data={},
        expected_version=p.version,
        children={"years": [year(2027, 7000, pk=p.years.get(year=2027).pk)], "milestones": []},
    )
    assert list(p.years.values_list("year", flat=True)) == [2027]
    assert not p.milestones.exists()
    assert p.years.model.history.filter(year=2026, history_type="-").get().history_user == user


def test_stale_save_changes_neither_the_project_nor_its_rows(pw: Any, world: Any) -> None:
    p = pw.internal
    seen = p.version
    services.project_save(
        p, user=world.users["admin"], municipality=world.a, data={"title": "Neu"}, expected_version=seen
    )
    stale = Project.objects.get(pk=p.pk)
    with pytest.raises(EditConflict) as info:
        services.project_save(
            stale,
            user=world.users["editor_a"],
            municipality=world.a,
            data={"title": "Alt"},
            expected_version=seen,
            children={"years": []},
        )
    assert any(c.new == "Neu" for c in info.value.changes)
    p.refresh_from_db()
    assert p.title == "Neu" and p.years.count() == 1


def test_scores_are_guarded_by_the_project_version(pw: Any, world: Any) -> None:
    c = pw.criteria[0]
    p = pw.public
    services.scores_save(
        p, user=world.users["coordinator_a"], expected_version=p.version, rows={c.pk: (5, "sehr hoher Nutzen")}
    )
    assert ProjectScore.objects.get(project=p, criterion=c).justification == "sehr hoher Nutzen"
    with pytest.raises(EditConflict):
        services.scores_save(p, user=world.users["editor_a"], expected_version=p.version - 1, rows={c.pk: (1, "")})
    services.scores_save(
        Project.objects.get(pk=p.pk),
        user=world.users["coordinator_a"],
        expected_version=p.version + 0,
        rows={c.pk: (None, "")},
    )
    assert not ProjectScore.objects.filter(project=p).exists()


# ---------------------------------------------------------------- prioritisation


def crit(pk: int, direction: str, weight: int) -> PriorityCriterion:
    return PriorityCriterion(pk=pk, name=f"K{pk}", direction=direction, weight=weight)


def score(criterion: PriorityCriterion, value: int) -> ProjectScore:
    return ProjectScore(criterion=criterion, score=value, justification=f"weil {value}")


def test_priority_weighs_benefits_up_and_costs_down() -> None:
    benefit, cost = crit(1, CriterionDirection.BENEFIT, 3), crit(2, CriterionDirection.COST, 1)
    p = Project(key="X", title="X")
    best = evaluate(p, [benefit, cost], {1: score(benefit, 5), 2: score(cost, 1)})
    assert best.priority == 100.0 and best.complete
    worst = evaluate(p, [benefit, cost], {1: score(benefit, 1), 2: score(cost, 5)})
    assert worst.priority == 0.0
    mixed = evaluate(p, [benefit, cost], {1: score(benefit, 4), 2: score(cost, 3)})
    # (3 × 0.75 + 1 × 0.5) / 4 = 0.6875
    assert mixed.priority == 68.8
    assert [part.points for part in mixed.parts] == [56.2, 12.5]
    assert (mixed.value, mixed.effort) == (0.75, 0.5)
    # What-if: benefit weighs nothing, so only the cost criterion counts.
    assert evaluate(p, [benefit, cost], {1: score(benefit, 4), 2: score(cost, 3)}, {1: 0}).priority == 50.0
    partial = evaluate(p, [benefit, cost], {1: score(benefit, 5)})
    assert partial.priority == 100.0 and not partial.complete
    assert evaluate(p, [benefit, cost], {}).priority is None


def test_ranking_shares_ties_ranks_over_all_and_puts_unscored_last(pw: Any, world: Any) -> None:
    twin = services.project_save(
        None, user=world.users["admin"], municipality=world.a, data={"key": "A-0", "title": "Zwilling"}
    )
    for c in pw.criteria:
        ProjectScore.objects.create(project=twin, criterion=c, score=4 if c.direction == "benefit" else 2)
    everything = Project.objects.filter(municipality=world.a)
    _criteria, ranked, total = selectors.ranking(everything, world.a)
    assert [(r.project.key, r.rank) for r in ranked] == [("A-0", 1), ("A-1", 1), ("A-2", 3), ("A-3", None)]
    assert total == 4
    # Only the first ones are explained, but their rank is among all.
    _criteria, top, total = selectors.ranking(everything.exclude(key="A-0"), world.a, limit=1)
    assert [(r.project.key, r.rank, r.priority) for r in top] == [("A-1", 1, 75.0)] and total == 3


def test_influence_counts_goals_and_dependent_projects(pw: Any, world: Any) -> None:
    user = world.users["coordinator_a"]
    pw.internal.goals.add(pw.goal)
    services._sync_children(pw.network, "relations_out", [{"kind": "depends_on", "target": pw.internal}], user)
    services._sync_children(pw.public, "relations_out", [{"kind": "duplicate_of", "target": pw.internal}], user)
    impact = selectors.influence(Project.objects.filter(municipality=world.a))
    assert impact[pw.internal.pk] == 2  # one goal, one project depending on it; the duplicate does not count
    assert impact[pw.network.pk] == 0


def test_capacity_warns_where_demand_exceeds_what_is_available(pw: Any, world: Any) -> None:
    rows = {r.year: r for r in selectors.capacity(world.a)}
    # internal (in Umsetzung, 2 VZÄ) + network (in Planung, 2 VZÄ) need 4 VZÄ; 3 are available. Ideas don't count.
    row = rows[2026]
    assert (row.staff_demand, row.staff_available, row.staff_over) == (Decimal(4), Decimal(3), True)
    assert (row.budget_demand, row.budget_over) == (Decimal(200000), False)
    services.capacity_save(
        user=world.users["coordinator_a"], municipality=world.a, year=2026, staff_fte=Decimal(4), budget=Decimal(1)
    )
    row = {r.year: r for r in selectors.capacity(world.a)}[2026]
    assert not row.staff_over and row.budget_over


# ---------------------------------------------------------------- views


def test_list_filters_count_and_share_their_url(pw: Any, world: Any, client_for: Any) -> None:
    client = client_for(world.users["reader_a"])

    def titles(query: str) -> list[str]:
        response = client.get(url("list") + query)
        return [p.title for p in response.context["page"].object_list]

    assert len(titles("")) == 3
    assert titles("?status=planning") == ["Netzwerkprojekt Bauamt"]
    assert titles(f"?field={pw.field.pk}&sort=title") == ["Geheimprojekt Bürgerbüro", "Öffentliches Leuchtturmprojekt"]
    assert titles(f"?unit={world.unit_a1.pk}") == ["Geheimprojekt Bürgerbüro"], "a unit includes its sub-units"
    assert titles("?lighthouse=on") == ["Öffentliches Leuchtturmprojekt"]
    assert titles("?q=bauamt") == ["Netzwerkprojekt Bauamt"]
    assert titles("?funding=funded") == []
    pw.internal.goals.add(pw.goal)
    assert titles(f"?goal={pw.goal.pk}") == ["Geheimprojekt Bürgerbüro"]
    response = client.get(url("list") + "?status=planning&status=implementation")
    assert response.context["counts"]["status"] == {"planning": 1, "implementation": 1}
    assert "2 Projekte" in response.content.decode()
    # HTMX asks for the results only; the export links carry the same filters.
    partial = client.get(url("list") + "?status=planning", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and "Netzwerkprojekt Bauamt" in partial
    assert "export.xlsx?status=planning" in partial


def test_export_contains_exactly_the_filtered_list(pw: Any, world: Any, client_for: Any) -> None:
    from openpyxl import load_workbook

    client = client_for(world.users["coordinator_a"])
    response = client.get(url("export", fmt="xlsx") + f"?field={pw.field.pk}&sort=title")
    assert response["Content-Disposition"].startswith('attachment; filename="projekte-astadt-')
    sheet = load_workbook(io.BytesIO(response.content))["Projekte"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Projektschlüssel", "Titel")
    assert [r[1] for r in rows[1:]] == ["Geheimprojekt Bürgerbüro", "Öffentliches Leuchtturmprojekt"]
    assert sheet.data_validations.dataValidation, "drop-down lists for status, funding, ..."
    csv = client_for(None).get(url("export", fmt="csv")).content.decode("utf-8-sig")
    assert "Öffentliches Leuchtturmprojekt" in csv and "Geheimprojekt" not in csv
    assert csv.splitlines()[0].startswith("Projektschlüssel;Titel;")


def test_board_moves_a_card_and_refuses_a_stale_move(pw: Any, world: Any, client_for: Any) -> None:
    client = client_for(world.users["editor_a"])
    p = pw.internal
    response = client.post(url("move", pk=p.pk), {"status": "operation", "version": p.version})
    assert response.status_code == 302 and response["Location"].endswith(f"#project-{p.pk}")
    p.refresh_from_db()
    assert p.status == "operation"
    response = client.post(url("move", pk=p.pk), {"status": "completed", "version": p.version - 1}, follow=True)
    assert "Ihre Änderungen wurden nicht gespeichert" in response.content.decode()
    p.refresh_from_db()
    assert p.status == "operation"
    # The editor of Amt 32 may not move the Bauamt's project; a reader may move nothing.
    assert client.post(url("move", pk=pw.network.pk), {"status": "idea", "version": 1}).status_code == 403
    reader = client_for(world.users["reader_a"])
    assert reader.post(url("move", pk=p.pk), {"status": "idea", "version": p.version}).status_code == 403
    board = client_for(world.users["editor_a"]).get(url("board")).content.decode()
    assert f'id="project-{p.pk}" draggable="true"' in board
    assert f'id="project-{pw.network.pk}" draggable' not in board


def test_what_if_changes_the_ranking_without_saving(pw: Any, world: Any, client_for: Any) -> None:
    client = client_for(world.users["coordinator_a"])
    ranked = client.get(url("priorities")).context["ranked"]
    assert [r.project.key for r in ranked][:2] == ["A-1", "A-2"]
    # Only the cost criteria count: A-2 (costs scored 4) falls further behind, weights in the database stay.
    query = "&".join(f"w{c.pk}={0 if c.direction == 'benefit' else 10}" for c in pw.criteria)
    response = client.get(url("priorities") + "?" + query, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "nicht gespeichert" in body and "<html" not in body
    assert [r.priority for r in response.context["ranked"]][:2] == [75.0, 25.0]
    assert PriorityCriterion.objects.get(pk=pw.criteria[0].pk).weight == 9
    # Filters narrow the ranking, and the what-if form carries them along.
    filtered = client.get(url("priorities") + "?status=planning&" + query)
    assert [r.project.key for r in filtered.context["ranked"]] == ["A-2"]
    assert '<input type="hidden" name="status" value="planning">' in filtered.content.decode()
    # Saving the what-if weights is a separate, explicit step for coordinators.
    data = {"action": "weights"} | {f"w{c.pk}": 0 if c.direction == "benefit" else 10 for c in pw.criteria}
    data |= {f"v{c.pk}": c.version for c in pw.criteria}
    assert client.post(url("criteria"), data).status_code == 302
    assert PriorityCriterion.objects.get(pk=pw.criteria[0].pk).weight == 0
    # A stale version refuses the whole change.
    response = client.post(url("criteria"), data | {f"w{pw.criteria[0].pk}": 3})
    assert "nicht gespeichert" in response.content.decode()
    assert PriorityCriterion.objects.get(pk=pw.criteria[0].pk).weight == 0


def test_project_page_shows_priority_breakdown_and_rank(pw: Any, world: Any, client_for: Any) -> None:
    body = client_for(world.users["reader_a"]).get(url("project", pk=pw.internal.pk)).content.decode()
    assert "Rang 1 von 2" in body
    assert "Nutzen für Bürger und Unternehmen" in body and "Priorität 75,0 von 100" in body
    public = client_for(None).get(url("project", pk=pw.public.pk)).content.decode()
    assert "Priorisierung" not in public.split("<main", 1)[1], "scores stay internal"


def test_coordinator_creates_a_project_with_rows_in_the_form(pw: Any, world: Any, client_for: Any) -> None:
    client = client_for(world.users["coordinator_a"])
    data = {
        "key": "",
        "title": "Digitale Hundesteuer",
        "summary": "",
        "description": "",
        "lead_unit": world.unit_a1.pk,
        "field": pw.field.pk,
        "goals": [pw.goal.pk],
        "status": "planning",
        "funding": "partial",
        "start_date": "2026-02-01",
        "end_date": "2026-11-30",
        "project_lead": "",
        "internal_partners": "",
        "external_partners": "Komm.ONE",
        "obligation": "mandatory",
        "obligation_basis": "OZG",
        "visibility": "network",
        "tag_text": "OZG, Steuern",
        "years-TOTAL_FORMS": 2,
        "years-INITIAL_FORMS": 0,
        "years-0-year": 2026,
        "years-0-budget_planned": "15000",
        "years-0-budget_approved": "0",
        "years-0-budget_spent": "0",
        "years-0-staff_fte": "0.5",
        "years-1-year": "",
        "years-1-budget_planned": "0",
        "years-1-budget_approved": "0",
        "years-1-budget_spent": "0",
        "years-1-staff_fte": "0",
        "funding_sources-TOTAL_FORMS": 1,
        "funding_sources-INITIAL_FORMS": 0,
        "funding_sources-0-name": "",
        "funding_sources-0-amount": "0",
        "milestones-TOTAL_FORMS": 1,
        "milestones-INITIAL_FORMS": 0,
        "relations_out-TOTAL_FORMS": 1,
        "relations_out-INITIAL_FORMS": 0,
        "relations_out-0-kind": "depends_on",
        "relations_out-0-target": pw.network.pk,
    }
    response = client.post(url("create"), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    p = Project.objects.get(title="Digitale Hundesteuer")
    assert p.key.startswith("P-") and p.obligation == "mandatory"
    assert sorted(t.name for t in p.tags.all()) == ["OZG", "Steuern"]
    assert list(p.years.values_list("year", "staff_fte")) == [(2026, Decimal("0.50"))]
    assert p.relations_out.get().target == pw.network
    # End before start is refused in German, nothing saved.
    response = client.post(url("create"), data | {"title": "Kaputt", "end_date": "2025-01-01"})
    assert "Das Ende liegt vor dem Beginn." in response.content.decode()
    assert not Project.objects.filter(title="Kaputt").exists()
    # The same year twice is refused.
    response = client.post(url("create"), data | {"title": "Doppeljahr", "years-1-year": "2026"})
    assert "Jedes Jahr darf nur einmal vorkommen." in response.content.decode()


def test_an_editor_creates_projects_only_for_their_own_units(pw: Any, world: Any, client_for: Any) -> None:
    client = client_for(world.users["editor_a"])
    form = client.get(url("create")).context["form"]
    assert {pk for pk, _label in form.fields["lead_unit"].choices if pk} == {world.unit_a1.pk, world.unit_a1_sub.pk}
    data = {
        "title": "Fremdes Projekt",
        "status": "idea",
        "funding": "unfunded",
        "obligation": "voluntary",
        "visibility": "internal",
        "lead_unit": world.unit_a2.pk,
    }
    for name in ("years", "funding_sources", "milestones", "relations_out"):
        data |= {f"{name}-TOTAL_FORMS": 0, f"{name}-INITIAL_FORMS": 0}
    response = client.post(url("create"), data)
    assert response.status_code == 200 and not Project.objects.filter(title="Fremdes Projekt").exists()
    response = client.post(url("create"), data | {"lead_unit": world.unit_a1_sub.pk})
    assert response.status_code == 302
    project = Project.objects.get(title="Fremdes Projekt")
    assert client.get(url("edit", pk=project.pk)).status_code == 200, "the editor can go on editing it"


def test_board_queries_do_not_grow_with_the_cards_an_editor_sees(pw: Any, world: Any, client_for: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.users["editor_a"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("board")).status_code == 200
        return len(ctx.captured_queries)

    queries()  # the first request warms per-process caches
    before = queries()
    for i in range(5):
        services.project_save(
            None,
            user=world.users["admin"],
            municipality=world.a,
            data={"title": f"Mehr {i}", "lead_unit": world.unit_a2},
        )
    assert queries() == before
