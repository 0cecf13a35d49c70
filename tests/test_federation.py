"""Open data and federation: the public feed (JSON, CSV, DCAT-AP.de) and pulling another instance's feed."""

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from lotse.portfolio.models import Project
from lotse.synergy import federation, selectors
from tests.portfolio_world import SECRET_PROJECT, build_portfolio


@pytest.fixture
def pw(world: Any) -> Any:
    return build_portfolio(world)


def test_feed_lists_only_public_projects_with_schema_and_ars(pw: Any, world: Any, client: Any) -> None:
    response = client.get(reverse("synergy:feed_json", kwargs={"municipality": "astadt"}))
    data = response.json()
    assert data["$schema"] == federation.SCHEMA and data["schema_version"] == "1.0"
    assert data["publisher"] == {
        "name": "Astadt",
        "slug": "astadt",
        "ars": "089990000011",
        "url": "http://testserver/m/astadt/",
    }
    assert [p["id"] for p in data["projects"]] == ["A-3"]
    assert data["projects"][0]["url"] == f"http://testserver/m/astadt/projects/{pw.public.pk}/"
    assert SECRET_PROJECT not in response.content.decode()
    csv = client.get(reverse("synergy:feed_csv", kwargs={"municipality": "astadt"})).content.decode("utf-8-sig")
    assert csv.splitlines()[0] == ";".join(federation.FEED_FIELDS) and "Öffentliches Leuchtturmprojekt" in csv
    dcat = client.get(reverse("synergy:feed_dcat", kwargs={"municipality": "astadt"})).json()
    assert dcat["@type"] == "dcat:Catalog"
    dataset = dcat["dcat:dataset"]
    assert dataset["dct:spatial"]["@id"].endswith("/regionalKey/089990000011")
    formats = [d["dct:format"]["@id"].rsplit("/", 1)[1] for d in dataset["dcat:distribution"]]
    assert formats == ["JSON", "JSON", "CSV"]  # schema 2.0 and 1.0
    schemas = [d.get("dct:conformsTo", {}).get("@id") for d in dataset["dcat:distribution"]]
    assert schemas == [federation.SCHEMA_V2, federation.SCHEMA, None]


def other_instance(tmp_path: Path, projects: list[dict[str, Any]], ars: str = "089990000099") -> Path:
    feed = {
        "$schema": federation.SCHEMA,
        "schema_version": "1.0",
        "publisher": {
            "name": "Zweitstadt",
            "slug": "zweitstadt",
            "ars": ars,
            "url": "https://lotse.zweitstadt.example/m/zweitstadt/",
        },
        "projects": projects,
    }
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed), encoding="utf-8")
    return path


DOG = {
    "id": "Z-1",
    "title": "Hundesteuer online anmelden",
    "summary": "Hundehalter melden Hunde im Portal an",
    "status": "implementation",
    "tags": ["OZG"],
    "url": "https://lotse.zweitstadt.example/m/zweitstadt/projects/7/",
}


def test_pull_creates_read_only_copies_that_join_the_synergy_search(
    pw: Any, world: Any, tmp_path: Path, client_for: Any
) -> None:
    path = other_instance(tmp_path, [DOG, {**DOG, "id": "Z-2", "title": "Geoportal", "summary": "Karten online"}])
    call_command("network_pull", str(path), stdout=__import__("io").StringIO())
    copy = Project.objects.get(key="Z-1")
    assert copy.municipality.name == "Zweitstadt" and copy.municipality.ars == "089990000099"
    assert copy.visibility == "public" and copy.source_url == DOG["url"] and copy.status == "implementation"
    client = client_for(world.users["coordinator_a"])
    page = client.get(
        reverse("portfolio:project", kwargs={"municipality": copy.municipality.slug, "pk": copy.pk})
    ).content.decode()
    assert "nur lesbar" in page and DOG["url"] in page
    admin = client_for(world.users["admin"])
    edit = reverse("portfolio:edit", kwargs={"municipality": copy.municipality.slug, "pk": copy.pk})
    assert admin.get(edit).status_code == 403, "copies change at their source, for admins too"
    client = client_for(world.users["coordinator_a"])
    mine = federation.Project.objects.create(
        municipality=world.a, key="A-9", title="Digitale Hundesteuer", summary="Hunde online anmelden"
    )
    _own, others = selectors.similar_to(mine, world.users["coordinator_a"])
    assert others[0].project == copy and others[0].match
    # Pulling again updates in place; a project the source withdrew disappears.
    path = other_instance(tmp_path, [{**DOG, "title": "Hundesteuer digital"}])
    town, count, removed = federation.pull(str(path))
    assert (count, removed) == (1, 1) and Project.objects.filter(municipality=town).count() == 1
    assert Project.objects.get(key="Z-1").title == "Hundesteuer digital"


def test_pull_refuses_bad_feeds_and_locally_managed_towns(pw: Any, world: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"projects": []}', encoding="utf-8")
    with pytest.raises(CommandError, match="kein Lotse-Projektfeed"):
        call_command("network_pull", str(bad))
    with pytest.raises(CommandError, match="kann nicht gelesen werden"):
        call_command("network_pull", str(tmp_path / "missing.json"))
    with pytest.raises(CommandError, match="selbst gepflegt"):
        call_command("network_pull", str(other_instance(tmp_path, [DOG], ars=world.a.ars)))
    with pytest.raises(CommandError, match="unvollständig"):
        call_command("network_pull", str(other_instance(tmp_path, [DOG, {"id": "Z-3", "title": "ohne url"}])))
    assert not Project.objects.filter(key__startswith="Z-").exists(), "all or nothing"


# The EU authority tables and the political geocoding lists that the official validator fetches are not in
# ../shared (see its README). Membership of the exact IRIs Lotse writes is stated here, as those tables state it;
# every other rule of the shapes applies unchanged.
AUTHORITY = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix eu: <http://publications.europa.eu/resource/authority/> .
@prefix geo: <http://dcat-ap.de/def/politicalGeocoding/> .
<http://publications.europa.eu/resource/authority/file-type/JSON> skos:inScheme eu:file-type .
<http://publications.europa.eu/resource/authority/file-type/CSV> skos:inScheme eu:file-type .
<http://publications.europa.eu/resource/authority/data-theme/GOVE> skos:inScheme eu:data-theme .
<http://dcat-ap.de/def/politicalGeocoding/Level/municipality> skos:inScheme geo:Level .
<http://dcat-ap.de/def/politicalGeocoding/regionalKey/089990000011> skos:inScheme geo:regionalKey .
"""


@pytest.mark.parametrize("profile", ["v30_de_spec", "v20_de_spec_implr"])
def test_the_dcat_record_conforms_to_govdatas_shapes(world: Any, client: Any, settings: Any, profile: str) -> None:
    """DCAT-AP.de 3.0 (the specification) and 2.0 with the Konventionen (what a delivery to GovData needs)."""
    from tests import shacl

    settings.GOVDATA_CONTRIBUTOR_ID = "http://dcat-ap.de/def/contributors/datenBW"
    document = client.get(reverse("synergy:feed_dcat", kwargs={"municipality": "astadt"})).json()
    assert not shacl.violations(document, profile, extra=AUTHORITY)
    warnings = shacl.violations(document, profile, "Warning", extra=AUTHORITY)
    # 2.0 recommends a geometry for a dct:Location; Lotse names the place by its official Regionalschlüssel (the
    # shape says this warning may be ignored when another way of naming the place is used).
    assert [w for w in warnings if not w.startswith("dct:Location: SOLL eine der folgenden")] == []


def test_the_shapes_check_itself_reports_a_missing_description(world: Any, client: Any) -> None:
    """Guards the guard: the catalogue without its description breaks a MUST of both profiles."""
    from tests import shacl

    document = client.get(reverse("synergy:feed_dcat", kwargs={"municipality": "astadt"})).json()
    del document["dct:description"]
    assert any("description" in v for v in shacl.violations(document, "v30_de_spec", extra=AUTHORITY))


def test_feed_2_carries_the_solutions_used_and_the_origin_of_adopted_projects(
    pw: Any, world: Any, client: Any, tmp_path: Path
) -> None:
    """Schema 2.0 at projects.json (1.0 stays at projects.v1.json); a pull takes the solutions into the registry
    as the mirror's public uses and links an adopted copy to its origin here."""
    from lotse.reuse import services as reuse
    from lotse.reuse.models import Adoption, Solution, SolutionUse

    origin = pw.public  # Astadt's public project
    adopted = reuse.adopt(user=world.users["coordinator_a"], origin=origin, municipality=world.a, title="Zweites",
                          start_date=date(2027, 1, 1))  # fmt: skip
    Project.objects.filter(pk=adopted.pk).update(visibility="public")
    form = reuse.solution_save(
        None,
        user=world.users["coordinator_a"],
        registered_in=world.a,
        data={"name": "Formularserver", "kind": "open_source", "licence": "EUPL-1.2"},
    )
    reuse.use_save(None, user=world.users["coordinator_a"], municipality=world.a, solution=form,
                   data={"status": "operating", "visibility": "public", "since": date(2025, 1, 1)})  # fmt: skip
    hidden = reuse.solution_save(None, user=world.users["coordinator_a"], data={"name": "Intern", "kind": "product"})
    reuse.use_save(None, user=world.users["coordinator_a"], municipality=world.a, solution=hidden,
                   data={"status": "planned", "visibility": "network"})  # fmt: skip

    data = client.get(reverse("reuse:feed_json", kwargs={"municipality": "astadt"})).json()
    assert (data["$schema"], data["schema_version"]) == (federation.SCHEMA_V2, "2.0")
    assert [(s["name"], s["kind"], s["licence"], s["status"], s["since"]) for s in data["solutions"]] == [
        ("Formularserver", "open_source", "EUPL-1.2", "operating", "2025-01-01")
    ]
    by_id = {p["id"]: p for p in data["projects"]}
    assert by_id[adopted.key]["adopted_from"] == f"http://testserver/m/astadt/projects/{origin.pk}/"
    assert by_id[origin.key]["adopted_from"] is None
    v1 = client.get(reverse("synergy:feed_json", kwargs={"municipality": "astadt"})).json()
    assert v1["schema_version"] == "1.0" and "solutions" not in v1 and "adopted_from" not in v1["projects"][0]

    # Another instance publishes schema 2.0: Zweitstadt uses our Formularserver and adopted our public project.
    path = other_instance(tmp_path, [{**DOG, "adopted_from": f"http://127.0.0.1:8000/m/astadt/projects/{origin.pk}/"}])
    feed = json.loads(path.read_text())
    feed.update({"$schema": federation.SCHEMA_V2, "schema_version": "2.1", "solutions": [
        {"name": "formularserver", "kind": "open_source", "status": "introducing", "since": "2026-03-01"},
        {"name": "Zweitstadt-Portal", "kind": "nonsense", "licence": "not a licence", "status": "operating"},
    ]})  # fmt: skip
    path.write_text(json.dumps(feed), encoding="utf-8")
    out = __import__("io").StringIO()
    call_command("network_pull", str(path), stdout=out)
    assert "2 genutzte Lösungen" in out.getvalue()
    copy = Project.objects.get(key="Z-1")
    assert Adoption.objects.get(project=copy).origin == origin  # "von N Kommunen nachgenutzt" counts Zweitstadt
    uses = {
        (u.solution.name, u.status, u.visibility) for u in SolutionUse.objects.filter(municipality=copy.municipality)
    }
    assert uses == {("Formularserver", "introducing", "public"), ("Zweitstadt-Portal", "operating", "public")}
    portal = Solution.objects.get(name="Zweitstadt-Portal")
    assert (portal.kind, portal.licence, portal.listed) == ("product", "", True)
    # Pulled again without solutions and origin: both are withdrawn.
    feed["solutions"] = []
    feed["projects"][0].pop("adopted_from")
    path.write_text(json.dumps(feed), encoding="utf-8")
    call_command("network_pull", str(path), stdout=out)
    assert not SolutionUse.objects.filter(municipality=copy.municipality).exists()
    assert not Adoption.objects.filter(project=copy).exists()
