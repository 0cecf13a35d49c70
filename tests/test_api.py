"""REST API v1: tokens and scopes, visibility and permissions as on the pages, version checks, errors in German."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from lotse.api import services as tokens
from lotse.api.models import ApiToken, Scope
from lotse.ozg.models import OzgStatus
from lotse.portfolio import services as portfolio
from lotse.portfolio.models import Project
from lotse.reuse import services as reuse
from lotse.strategy.models import IndicatorReading
from tests.portfolio_world import SECRET_IDEA, SECRET_PROJECT, build_portfolio

API = "/api/v1"


@pytest.fixture
def pw(world: Any) -> Any:
    return build_portfolio(world)


@pytest.fixture
def call(pw: Any, world: Any) -> Any:
    """call(user_key, method, path, json=None, scope="write") → response, with a fresh token for that user."""
    client = Client()

    def do(who: str, method: str, path: str, json: Any = None, scope: str = Scope.WRITE) -> Any:
        _token, raw = tokens.token_create(user=world.users[who], name="Test", scope=scope)
        kwargs: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        if json is not None:
            kwargs.update(data=json, content_type="application/json")
        return getattr(client, method)(API + path, **kwargs)

    return do


def keys(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {p["key"] for p in response.json()["items"]}


def test_without_a_valid_token_the_api_answers_401_in_german(pw: Any, world: Any) -> None:
    client = Client()
    response = client.get(f"{API}/municipalities/astadt/projects")
    assert response.status_code == 401
    assert "Anmeldung erforderlich" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")
    token, raw = tokens.token_create(user=world.users["reader_a"], name="x")
    assert client.get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    assert client.get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer {raw}x").status_code == 401
    tokens.token_revoke(token)
    assert client.get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    _old, expired = tokens.token_create(user=world.users["reader_a"], name="alt")
    ApiToken.objects.filter(name="alt").update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer {expired}").status_code == 401


def test_only_a_digest_of_the_token_is_stored(world: Any) -> None:
    token, raw = tokens.token_create(user=world.users["reader_a"], name="x")
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert raw not in str(stored)
    assert stored["digest"] == tokens.digest(raw)
    assert raw.startswith(stored["prefix"])


def test_each_person_sees_the_projects_they_see_on_the_pages(call: Any) -> None:
    path = "/municipalities/astadt/projects"
    assert keys(call("reader_a", "get", path)) == {"A-1", "A-2", "A-3"}
    assert keys(call("coordinator_b", "get", path)) == {"A-2", "A-3"}  # network partner
    assert keys(call("outsider", "get", path)) == {"A-3"}
    assert call("outsider", "get", path + "/A-1").status_code == 404
    detail = call("reader_a", "get", path + "/A-1").json()
    assert detail["title"] == SECRET_PROJECT
    assert detail["ozg_ids"] == ["T-1"]
    assert detail["url"].startswith("/m/astadt/projects/")


def test_filters_and_pages(call: Any) -> None:
    path = "/municipalities/astadt/projects"
    assert keys(call("reader_a", "get", path + "?status=implementation")) == {"A-1"}
    assert keys(call("reader_a", "get", path + "?status=planning&status=idea")) == {"A-2", "A-3"}
    assert keys(call("reader_a", "get", path + "?q=Leuchtturm")) == {"A-3"}
    page = call("reader_a", "get", path + "?limit=2&offset=1").json()
    assert page["count"] == 3
    assert [p["key"] for p in page["items"]] == ["A-2", "A-3"]
    bad = call("reader_a", "get", path + "?status=erfunden&limit=0")
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} >= {"limit"}


def test_a_read_token_cannot_write(call: Any) -> None:
    response = call("coordinator_a", "post", "/municipalities/astadt/projects", {"title": "Neu"}, scope=Scope.READ)
    assert response.status_code == 403
    assert "nur lesen" in response.json()["detail"]
    assert not Project.objects.filter(title="Neu").exists()


def test_create_project_within_the_callers_rights(call: Any, pw: Any, world: Any) -> None:
    path = "/municipalities/astadt/projects"
    created = call(
        "coordinator_a", "post", path, {"title": "Digitale Hundesteuer", "status": "planning", "tags": ["Steuern"]}
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["key"].startswith("P-") and body["tags"] == ["Steuern"] and body["version"] == 1
    project = Project.objects.get(key=body["key"])
    assert project.history.first().history_user == world.users["coordinator_a"]
    # an editor may create projects only for their own units
    other = call("editor_a", "post", path, {"title": "Fremd", "lead_unit_id": world.unit_a2.pk})
    assert other.status_code == 403
    own = call("editor_a", "post", path, {"title": "Eigen", "lead_unit_id": world.unit_a1.pk})
    assert own.status_code == 201
    assert call("reader_a", "post", path, {"title": "Leser"}).status_code == 403
    assert call("coordinator_b", "post", path, {"title": "Nachbar"}).status_code == 403
    # references must belong to the municipality; errors name the field, in German
    wrong = call("coordinator_b", "post", "/municipalities/bdorf/projects", {"title": "X", "field_id": pw.field.pk})
    assert wrong.status_code == 422
    assert wrong.json()["errors"] == [{"field": "field_id", "message": "Gibt es in dieser Kommune nicht."}]
    dates = call("coordinator_a", "post", path, {"title": "Y", "start_date": "2027-01-01", "end_date": "2026-01-01"})
    assert dates.status_code == 422
    assert not Project.objects.filter(title__in=["Fremd", "Leser", "Nachbar", "X", "Y"]).exists()


def test_changes_are_version_checked(call: Any, pw: Any) -> None:
    path = "/municipalities/astadt/projects/A-3"
    version = pw.public.version
    first = call("coordinator_a", "patch", path, {"version": version, "status": "planning"})
    assert first.status_code == 200, first.content
    assert first.json()["version"] == version + 1
    stale = call("coordinator_a", "patch", path, {"version": version, "title": "Überschrieben?"})
    assert stale.status_code == 409
    assert {"field": "status", "message": "Idee → in Planung"} in stale.json()["errors"]
    pw.public.refresh_from_db()
    assert pw.public.title != "Überschrieben?" and pw.public.status == "planning"
    assert call("coordinator_a", "patch", path, {"version": version + 1, "title": " "}).status_code == 422
    assert call("editor_a", "patch", path, {"version": version + 1, "title": "Nein"}).status_code == 403


def test_goals_and_readings(call: Any, pw: Any) -> None:
    goals = call("reader_a", "get", "/municipalities/astadt/goals").json()
    assert goals["count"] == 1
    indicator = goals["items"][0]["indicators"][0]
    assert indicator["readings"] == [{"measured_on": "2025-12-31", "value": "60.00", "note": ""}]
    assert call("outsider", "get", "/municipalities/astadt/goals").status_code == 403
    path = f"/municipalities/astadt/indicators/{pw.indicator.pk}/readings"
    added = call("coordinator_a", "post", path, {"measured_on": "2026-06-30", "value": "75.5"})
    assert added.status_code == 201, added.content
    assert [r["value"] for r in added.json()["readings"]] == ["60.00", "75.50"]
    twice = call("coordinator_a", "post", path, {"measured_on": "2026-06-30", "value": "80"})
    assert twice.status_code == 422
    assert call("reader_a", "post", path, {"measured_on": "2026-07-01", "value": "1"}).status_code == 403
    assert (
        call(
            "coordinator_b",
            "post",
            f"/municipalities/bdorf/indicators/{pw.indicator.pk}/readings",
            {"measured_on": "2026-07-01", "value": "1"},
        ).status_code
        == 404
    )
    assert IndicatorReading.objects.filter(indicator=pw.indicator).count() == 2


def test_ideas_never_carry_personal_data_and_follow_the_campaigns_audience(call: Any, pw: Any) -> None:
    path = "/municipalities/astadt/ideas"
    public = call("outsider", "get", path).json()
    assert [i["title"] for i in public["items"]] == ["Öffentliche Idee"]
    assert public["items"][0]["project_keys"] == []  # the internal project is not named to outsiders
    staff = {i["title"] for i in call("reader_a", "get", path).json()["items"]}
    assert staff == {"Öffentliche Idee", SECRET_IDEA}
    everything = call("coordinator_a", "get", path)
    assert {i["title"] for i in everything.json()["items"]} == {"Öffentliche Idee", SECRET_IDEA, "Wartende Idee"}
    assert "buerger@test.example" not in everything.content.decode()
    assert "Bürger A" not in everything.content.decode()


def test_the_stabsstelle_answers_an_idea(call: Any, pw: Any) -> None:
    idea = pw.participation.pending
    path = f"/municipalities/astadt/ideas/{idea.pk}"
    rejected = call("coordinator_a", "patch", path, {"version": idea.version, "status": "rejected"})
    assert rejected.status_code == 422
    assert rejected.json()["errors"][0]["field"] == "feedback"
    ok = call("coordinator_a", "patch", path, {"version": idea.version, "status": "adopted", "project_keys": ["A-3"]})
    assert ok.status_code == 200, ok.content
    assert ok.json()["status"] == "adopted" and ok.json()["project_keys"] == ["A-3"]
    assert call("reader_a", "patch", path, {"version": idea.version + 1, "status": "review"}).status_code in (403, 404)


def test_ozg_statuses(call: Any, pw: Any) -> None:
    rows = call("reader_a", "get", "/municipalities/astadt/ozg").json()
    assert [(r["ozg_id"], r["maturity"]) for r in rows["items"]] == [("T-1", 2), ("T-2", 0)]
    assert call("outsider", "get", "/municipalities/astadt/ozg").status_code == 403
    new = call("coordinator_a", "put", "/municipalities/astadt/ozg/T-2", {"maturity": 3, "solution_name": "Fundbüro"})
    assert new.status_code == 200, new.content
    assert new.json()["maturity"] == 3 and new.json()["version"] == 1
    blind = call("coordinator_a", "put", "/municipalities/astadt/ozg/T-1", {"maturity": 4})
    assert blind.status_code == 409
    stale = call("coordinator_a", "put", "/municipalities/astadt/ozg/T-1", {"maturity": 4, "version": 99})
    assert stale.status_code == 409
    ok = call(
        "coordinator_a", "put", "/municipalities/astadt/ozg/T-1", {"maturity": 4, "version": pw.ozg_status.version}
    )
    assert ok.status_code == 200
    assert OzgStatus.objects.get(pk=pw.ozg_status.pk).maturity == 4
    # the editor's unit is the Bürgeramt; this status belongs to the Bauamt
    assert call("editor_a", "put", "/municipalities/astadt/ozg/T-1", {"maturity": 1, "version": 2}).status_code == 403
    assert call("coordinator_a", "put", "/municipalities/astadt/ozg/NOPE", {"maturity": 1}).status_code == 404


def test_pilots_are_internal(call: Any, pw: Any) -> None:
    pilots = call("reader_a", "get", "/municipalities/astadt/pilots").json()
    assert pilots["count"] == 1 and pilots["items"][0]["email"] == "lotsin@test.example"
    assert call("outsider", "get", "/municipalities/astadt/pilots").status_code == 403


def test_me_and_municipalities(call: Any) -> None:
    me = call("editor_a", "get", "/me", scope=Scope.READ).json()
    assert me == {
        "email": "editor_a@test.example",
        "name": me["name"],
        "scope": "read",
        "memberships": {"astadt": "editor"},
    }
    towns = call("editor_a", "get", "/municipalities").json()
    assert {(t["slug"], t["role"]) for t in towns["items"]} == {("astadt", "editor"), ("bdorf", None), ("cburg", None)}


@override_settings(API_RATE="3/m")
def test_rate_limit_per_token(pw: Any, world: Any) -> None:
    _token, raw = tokens.token_create(user=world.users["reader_a"], name="x")
    client = Client()
    codes = [client.get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert "Zu viele Anfragen" in limited.json()["detail"] and int(limited["Retry-After"]) > 0
    _other, raw2 = tokens.token_create(user=world.users["reader_a"], name="y")
    assert client.get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer {raw2}").status_code == 200


def test_token_page_shows_a_new_token_once_and_revokes(client_for: Any, world: Any) -> None:
    client = client_for(world.users["reader_a"])
    page = client.post("/account/api-tokens/", {"name": "Auswertung", "scope": "read", "valid_days": "30"})
    assert page.status_code == 200
    raw = page.context["created"]
    assert raw in page.content.decode()
    token = ApiToken.objects.get(user=world.users["reader_a"])
    assert token.expires_at is not None
    assert abs(token.expires_at - timezone.now() - timedelta(days=30)) < timedelta(minutes=1)
    again = client.get("/account/api-tokens/")
    assert raw not in again.content.decode() and token.prefix in again.content.decode()
    assert Client().get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    other = client_for(world.users["editor_a"])
    assert other.post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 404
    client = client_for(world.users["reader_a"])
    client.post(f"/account/api-tokens/{token.pk}/revoke/")
    assert Client().get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_openapi_document_matches_the_committed_snapshot(db: Any) -> None:
    """If this fails, the API changed: run `lotse api_schema --write` and commit docs/api/openapi.json."""
    call_command("api_schema", "--check")
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200 and response.json()["info"]["title"] == "Lotse API"


def test_goals_and_indicators_are_written_by_the_coordination(call: Any, pw: Any, world: Any) -> None:
    path = "/municipalities/astadt/goals"
    created = call("coordinator_a", "post", path, {"field_id": pw.field2.pk, "title": "Papierlose Verwaltung"})
    assert created.status_code == 201, created.content
    goal = created.json()
    assert (goal["field"], goal["version"], goal["indicators"]) == ("Digitale Verwaltung", 1, [])
    assert call("reader_a", "post", path, {"field_id": pw.field.pk, "title": "X"}).status_code == 403
    foreign = call("coordinator_b", "post", "/municipalities/bdorf/goals", {"field_id": pw.field.pk, "title": "X"})
    assert foreign.status_code == 422 and foreign.json()["errors"][0]["field"] == "field_id"
    changed = call("coordinator_a", "patch", f"{path}/{goal['id']}", {"version": 1, "title": "Ohne Papier"})
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = call("coordinator_a", "patch", f"{path}/{goal['id']}", {"version": 1, "title": "Alt"})
    assert stale.status_code == 409
    indicator = call(
        "coordinator_a",
        "post",
        f"{path}/{goal['id']}/indicators",
        {"name": "E-Akte-Quote", "unit": "%", "baseline": "5", "target": "90", "due_date": "2028-12-31"},
    )
    assert indicator.status_code == 201, indicator.content
    ind = indicator.json()
    assert (ind["baseline"], ind["target"], ind["version"]) == ("5.00", "90.00", 1)
    updated = call(
        "coordinator_a", "patch", f"/municipalities/astadt/indicators/{ind['id']}", {"version": 1, "target": "95"}
    )
    assert updated.status_code == 200 and updated.json()["target"] == "95.00"
    assert (
        call("editor_a", "patch", f"/municipalities/astadt/indicators/{ind['id']}", {"version": 2}).status_code == 403
    )


def test_pilots_are_appointed_by_the_coordination(call: Any, pw: Any, world: Any) -> None:
    path = "/municipalities/astadt/pilots"
    body = {"email": "editor_a@test.example", "org_unit_ids": [world.unit_a1.pk], "topics": "E-Akte"}
    assert call("reader_a", "post", path, body).status_code == 403
    appointed = call("coordinator_a", "post", path, body)
    assert appointed.status_code == 201, appointed.content
    pilot = appointed.json()
    assert pilot["org_unit_ids"] == [world.unit_a1.pk] and pilot["topics"] == "E-Akte"
    assert call("coordinator_a", "post", path, body).status_code == 422  # already a pilot here
    outsider = call("coordinator_a", "post", path, {**body, "email": "outsider@test.example"})
    assert outsider.status_code == 422 and "Beschäftigte" in outsider.json()["errors"][0]["message"]
    wrong_unit = call(
        "coordinator_a", "post", path, {**body, "email": "reader_a@test.example", "org_unit_ids": [world.unit_b.pk]}
    )
    assert wrong_unit.status_code == 422
    changed = call("coordinator_a", "patch", f"{path}/{pilot['id']}", {"version": pilot["version"], "phone": "0731 1"})
    assert changed.status_code == 200 and changed.json()["phone"] == "0731 1" and changed.json()["topics"] == "E-Akte"
    assert call("coordinator_a", "patch", f"{path}/{pilot['id']}", {"version": pilot["version"]}).status_code == 409


def test_the_solution_registry_uses_and_adoptions(call: Any, pw: Any, world: Any) -> None:
    """Issue 20: the registry is read with any token; entries come from those who work on projects; a town's use
    follows its visibility and is version-checked; adoptions carry the origin and the estimated saving."""
    new = call(
        "editor_a", "post", "/solutions", {"name": "Formularserver", "kind": "open_source", "licence": "eupl-1.2",
                                            "ozg_ids": ["T-1"]},
    )  # fmt: skip
    assert new.status_code == 201, new.content
    assert (new.json()["licence"], new.json()["ozg_ids"]) == ("EUPL-1.2", ["T-1"])
    solution = new.json()["id"]
    assert call("reader_a", "post", "/solutions", {"name": "X", "kind": "product"}).status_code == 403
    wrong = call("editor_a", "post", "/solutions", {"name": "X", "kind": "product", "licence": "GPL 3"})
    assert wrong.status_code == 422 and "SPDX" in wrong.json()["errors"][0]["message"]
    unknown = call("editor_a", "post", "/solutions", {"name": "X", "kind": "product", "ozg_ids": ["NOPE"]})
    assert unknown.status_code == 422

    use = call("coordinator_a", "put", f"/municipalities/astadt/solutions/{solution}/use",
               {"status": "operating", "experience": "Läuft.", "visibility": "network"})  # fmt: skip
    assert use.status_code == 200, use.content
    assert (use.json()["status"], use.json()["version"]) == ("operating", 1)
    blind = call("coordinator_a", "put", f"/municipalities/astadt/solutions/{solution}/use", {"status": "replaced"})
    assert blind.status_code == 409
    assert (
        call("reader_a", "put", f"/municipalities/astadt/solutions/{solution}/use", {"status": "planned"}).status_code
        == 403
    )
    seen = call("coordinator_b", "get", f"/solutions/{solution}").json()
    assert [u["municipality"] for u in seen["uses"]] == ["astadt"] and seen["users"] == 1
    assert call("coordinator_c", "get", f"/solutions/{solution}").json()["uses"] == []  # outside the network
    listing = call("coordinator_c", "get", "/solutions?q=formular").json()
    assert [(x["name"], x["users"]) for x in listing["items"]] == [("Formularserver", 0)]
    assert call("reader_a", "get", "/solutions?ozg_id=T-1").json()["count"] == 1
    assert call("reader_a", "get", "/solutions?ozg_id=T-2").json()["count"] == 0

    assert call("coordinator_a", "get", "/municipalities/astadt/adoptions").json() == {"count": 0, "items": []}
    origin = portfolio.project_save(
        None, user=world.users["coordinator_a"], municipality=world.a,
        data={"title": "Hundesteuer", "visibility": "network", "start_date": date(2025, 1, 1)},
        children={"years": [{"year": 2025, "budget_planned": 5000, "budget_approved": 0, "budget_spent": 4000,
                             "staff_fte": Decimal("0.5")}]},
    )  # fmt: skip
    reuse.adopt(user=world.users["coordinator_b"], origin=origin, municipality=world.b, title="Hunde B",
                start_date=date(2026, 1, 1))  # fmt: skip
    adopted = call("coordinator_b", "get", "/municipalities/bdorf/adoptions").json()["items"]
    assert [(a["project_title"], a["origin_title"], a["origin_municipality"]) for a in adopted] == [
        ("Hunde B", "Hundesteuer", "Astadt")
    ]
    assert adopted[0]["origin_url"].endswith(f"/m/astadt/projects/{origin.pk}/")
    assert (Decimal(adopted[0]["saved_staff_fte"]), Decimal(adopted[0]["saved_budget"])) == (0, 0)  # plan as origin
    assert call("coordinator_c", "get", "/municipalities/bdorf/adoptions").json()["count"] == 0  # an internal draft


def test_declaring_interest_in_another_towns_project(
    call: Any, pw: Any, world: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    public = pw.public  # Astadt's public project
    body = {"project_municipality": "astadt", "project_key": public.key, "note": "Wir machen mit."}
    with django_capture_on_commit_callbacks(execute=True):
        made = call("coordinator_b", "post", "/municipalities/bdorf/interests", body)
    assert made.status_code == 201, made.content
    assert (made.json()["municipality"], made.json()["project_key"]) == ("bdorf", public.key)
    assert len(mailoutbox) == 1 and "Bdorf bekundet Interesse" in mailoutbox[0].body
    assert call("coordinator_b", "post", "/municipalities/bdorf/interests", body, scope="read").status_code == 403
    assert call("coordinator_c", "post", "/municipalities/bdorf/interests", body).status_code == 403  # not Cburg's
    own = {**body, "project_municipality": "bdorf"}
    assert call("coordinator_b", "post", "/municipalities/bdorf/interests", own).status_code == 404
    secret = {**body, "project_key": pw.internal.key}  # an internal project of Astadt: Bdorf cannot see it
    assert call("coordinator_b", "post", "/municipalities/bdorf/interests", secret).status_code == 404
    assert call("coordinator_a", "post", "/municipalities/astadt/interests", body).status_code == 422  # its own
    listed = call("reader_a", "get", "/municipalities/astadt/interests").json()
    assert [(i["municipality"], i["note"]) for i in listed["items"]] == [("bdorf", "Wir machen mit.")]
    assert call("coordinator_c", "get", "/municipalities/astadt/interests").json()["count"] == 0
