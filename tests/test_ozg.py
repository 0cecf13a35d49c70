"""OZG: catalogue import, statuses one by one and in bulk, permissions, dashboard, network comparison, processes."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from lotse.ozg import catalogue, selectors, services
from lotse.ozg.models import LeikaService, OzgProgress, OzgService, OzgStatus, Process
from lotse.portfolio import services as portfolio
from lotse.tenancy.models import Municipality
from tests.portfolio_world import build_portfolio

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
OZG_CSV = SHARED / "ozg_leistungen.csv"
LEIKA_CSV = SHARED / "leika_leistungen.csv"
needs_shared = pytest.mark.skipif(not OZG_CSV.exists(), reason="../shared/data is not beside the project")


@pytest.fixture
def pw(world: Any) -> Any:
    return build_portfolio(world)


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"ozg:{name}", kwargs={"municipality": "astadt", **kwargs})


@needs_shared
def test_the_full_catalogue_imports_and_a_reimport_keeps_every_status(
    world: Any, tmp_path: Path, client_for: Any
) -> None:
    call_command("ozg_import", str(OZG_CSV), "--leika", str(LEIKA_CSV), verbosity=0)
    body = client_for(world.users["reader_a"]).get(url("list") + "?topic=&page=2").content.decode()
    assert "557 Leistungen" in body and "Seite 2 von 6" in body and 'href="?topic=&amp;page=3"' in body
    assert OzgService.objects.count() == 557
    assert OzgService.objects.values("life_situation__topic").distinct().count() == 14
    assert LeikaService.objects.count() > 5000
    service = OzgService.objects.get(ozg_id="10000")
    status = services.status_save(
        None, user=world.users["coordinator_a"], municipality=world.a, service=service, data={"maturity": 3}
    )
    # A new edition renames a service: names change, statuses stay.
    text = OZG_CSV.read_text(encoding="utf-8").replace("10000,Elterngeld,", "10000,Elterngeld (neu),", 1)
    renamed = tmp_path / "ozg.csv"
    renamed.write_text(text, encoding="utf-8")
    call_command("ozg_import", str(renamed), verbosity=0)
    service.refresh_from_db()
    assert service.name == "Elterngeld (neu)" and OzgService.objects.count() == 557
    assert OzgStatus.objects.get(pk=status.pk).maturity == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("ozg_id;leistung\n1;x\n", "Es fehlen die Spalten lebenslage, themenfeld"),
        ("ozg_id,leistung,lebenslage,themenfeld\n1,x,,T\n", "Zeile 2: Die Spalte „lebenslage“ ist leer"),
        ("ozg_id,leistung,lebenslage,themenfeld\n1,x,L,T\n1,y,L,T\n", "Zeile 3: Die OZG-ID 1 steht schon in Zeile 2"),
        ("", "Die Datei ist leer"),
    ],
)
def test_a_bad_catalogue_is_explained_in_german_and_nothing_is_written(
    db: Any, tmp_path: Path, content: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    good = "ozg_id,leistung,lebenslage,themenfeld\n9,Gut,L,T\n"
    path = tmp_path / "ozg.csv"
    path.write_text(content + (good.split("\n", 1)[1] if content.startswith("ozg_id,") else ""), encoding="utf-8")
    with pytest.raises(CommandError, match="nichts importiert"):
        call_command("ozg_import", str(path))
    assert message in capsys.readouterr().err
    assert not OzgService.objects.exists(), "all or nothing"


def test_leika_rows_must_name_a_known_service(db: Any) -> None:
    ozg = (b"ozg_id,leistung,lebenslage,themenfeld\n1,Hund,Tiere,Ordnung\n", "ozg.csv")
    leika = (b"leika_key,leistung,ozg_id,leika_typ\nnicht im LeiKa,Hundesteuer,1,1\n123,Katze,2,1\n", "leika.csv")
    with pytest.raises(catalogue.CatalogueError) as error:
        catalogue.import_catalogue(ozg, leika)
    assert error.value.errors == ["leika.csv, Zeile 3: Die OZG-ID „2“ gibt es im Katalog nicht."]
    result = catalogue.import_catalogue(ozg, (leika[0].rsplit(b"123", 1)[0], "leika.csv"))
    assert (result.services_created, result.leika_created) == (1, 1)
    assert LeikaService.objects.get().key == "", "'nicht im LeiKa' is no key"


def test_bulk_edit_is_all_or_nothing_against_concurrent_changes(world: Any, pw: Any, client_for: Any) -> None:
    client = client_for(world.users["coordinator_a"])
    data = {"chosen": ["T-1", "T-2"], "v_T-1": str(pw.ozg_status.version), "v_T-2": "", "bulk-maturity": "4"}
    data |= {"bulk-solution_name": "Gemeinsames Portal", "bulk-solution_kind": "efa", "query": "q=Hund"}
    # Someone saved T-1 after the list was loaded: nothing is written, and the page says which one.
    services.status_save(
        pw.ozg_status,
        user=world.users["admin"],
        municipality=world.a,
        service=pw.ozg_status.service,
        data={"notes": "x"},
    )
    response = client.post(url("bulk"), data, follow=True)
    assert "Nichts gespeichert" in response.content.decode() and "Hundehaltung" in response.content.decode()
    assert not OzgStatus.objects.filter(service__ozg_id="T-2").exists()
    assert response.redirect_chain[-1][0].endswith("?q=Hund"), "back to the same filtered list"
    data["v_T-1"] = str(OzgStatus.objects.get(pk=pw.ozg_status.pk).version)
    response = client.post(url("bulk"), data, follow=True)
    assert "2 Leistungen wurden geändert" in response.content.decode()
    statuses = OzgStatus.objects.filter(municipality=world.a).order_by("service__ozg_id")
    assert [(s.maturity, s.solution_name, s.org_unit_id) for s in statuses] == [
        (4, "Gemeinsames Portal", world.unit_a2.pk),  # fields left empty are left alone
        (4, "Gemeinsames Portal", None),
    ]
    # Only coordinators edit in bulk.
    assert client_for(world.users["editor_a"]).post(url("bulk"), data).status_code == 403


def test_editors_change_the_statuses_of_their_units_only(world: Any, pw: Any, client_for: Any) -> None:
    editor = client_for(world.users["editor_a"])
    # T-1 belongs to the Bauamt: the editor (Bürgeramt) may read it but gets no form.
    page = editor.get(url("service", ozg_id="T-1")).content.decode()
    assert "Umsetzungsstand bearbeiten" not in page and editor.post(url("service", ozg_id="T-1"), {}).status_code == 403
    # A new status: the editor must name one of their units.
    form = {"maturity": "3", "solution_name": "Fundbüro online", "user_account": ""}
    response = editor.post(url("service", ozg_id="T-2"), {**form, "org_unit": world.unit_a2.pk})
    assert response.status_code == 200 and not OzgStatus.objects.filter(service__ozg_id="T-2").exists()
    response = editor.post(url("service", ozg_id="T-2"), {**form, "org_unit": world.unit_a1.pk})
    assert response.status_code == 302
    status = OzgStatus.objects.get(service__ozg_id="T-2")
    assert (status.maturity, status.org_unit, status.maturity_model) == (3, world.unit_a1, "ozg-2019")
    # A stale form is refused with the other person's change named.
    stale = {**form, "org_unit": world.unit_a1.pk, "version": status.version, "maturity": "4"}
    services.status_save(
        status, user=world.users["coordinator_a"], municipality=world.a, service=status.service, data={"notes": "neu"}
    )
    body = editor.post(url("service", ozg_id="T-2"), stale).content.decode()
    assert "inzwischen geändert" in body and OzgStatus.objects.get(pk=status.pk).maturity == 3


def test_dashboard_counts_relevant_services_and_keeps_progress_over_time(world: Any, pw: Any, client_for: Any) -> None:
    services.record_progress(world.a, day=date(2025, 1, 1))
    data = selectors.dashboard(world.a)
    assert (data.relevant, data.online, data.share) == (2, 0, 0)
    services.status_save(
        pw.ozg_status,
        user=world.users["coordinator_a"],
        municipality=world.a,
        service=pw.ozg_status.service,
        data={"maturity": 4},
    )
    data = selectors.dashboard(world.a)
    assert (data.relevant, data.online, data.share) == (2, 1, 50)
    assert {level.value: n for level, n in data.by_level} == {0: 1, 1: 0, 2: 0, 3: 0, 4: 1}
    assert [v for _d, v in data.over_time] == [0.0, 50.0]
    assert OzgProgress.objects.filter(municipality=world.a, topic__isnull=False).count() == 2
    # A district need not offer a service marked as one for towns only.
    OzgService.objects.filter(ozg_id="T-2").update(for_districts=False)
    district = Municipality.objects.create(name="Kreis", slug="kreis", kind=Municipality.Kind.DISTRICT)
    assert selectors.dashboard(district).relevant == 1
    body = client_for(world.users["reader_a"]).get(url("dashboard")).content.decode()
    assert "50 %" in body and 'href="/m/astadt/ozg/?maturity=4"' in body


def test_who_to_ask_shows_sharing_towns_of_the_network_only(world: Any, pw: Any, client_for: Any) -> None:
    dogs = pw.ozg_status.service
    for town, level, name in ((world.b, 4, "Hundesteuer B"), (world.c, 4, "Hundesteuer C")):
        services.status_save(
            None,
            user=world.users["admin"],
            municipality=town,
            service=dogs,
            data={"maturity": level, "solution_name": name, "solution_kind": "own"},
        )
    user = world.users["coordinator_a"]
    assert selectors.who_to_ask(user, world.a, dogs) == ([], 0), "B has not opted in"
    services.set_sharing(world.b, True)
    services.set_sharing(world.c, True)
    ask, total = selectors.who_to_ask(user, world.a, dogs)
    assert [s.solution_name for s in ask] == ["Hundesteuer B"] and total == 1, "C: no network"
    body = client_for(user).get(url("service", ozg_id="T-1")).content.decode()
    assert "Bdorf" in body and "Hundesteuer B" in body and "Hundesteuer C" not in body
    # The heat map: A itself and B, 1 of 2 services online in B's topic.
    heat, _page = selectors.heatmap(user, world.a)
    assert [t.name for t, _cells in heat.table] == ["Astadt", "Bdorf"]
    assert heat.table[1][1] == [(1, 2, 50, 3)]
    # A's own statuses stay hidden from B until A opts in, through the network page too.
    b_view = client_for(world.users["coordinator_b"]).get(reverse("ozg:network", kwargs={"municipality": "bdorf"}))
    assert "Astadt" not in b_view.content.decode()
    client_for(user).post(url("network"), {"share_in_network": "on"})
    b_view = client_for(world.users["coordinator_b"]).get(reverse("ozg:network", kwargs={"municipality": "bdorf"}))
    assert "Astadt" in b_view.content.decode()
    assert client_for(world.users["reader_a"]).post(url("network"), {}).status_code == 403


def test_process_ranking_weighs_volume_breaks_and_effort(world: Any, pw: Any, client_for: Any) -> None:
    def make(name: str, unit: Any, **values: Any) -> Process:
        return Process.objects.create(municipality=world.a, org_unit=unit, name=name, **values)

    make("Rechnungen", world.unit_a1, cases_per_year=40000, minutes_per_case=6, media_breaks=2, maturity=1, effort=3)
    make("Urlaub", world.unit_a1, cases_per_year=6000, minutes_per_case=5, media_breaks=1, maturity=0, effort=1)
    make("Schon digital", world.unit_a1, cases_per_year=90000, minutes_per_case=10, maturity=4, effort=1)
    ranking = selectors.process_ranking(world.a, world.unit_a1)
    # Rechnungen: 4000 h × 3/4 × 3 = 9000 / 3 = 3000; Urlaub: 500 h × 1 × 2 = 1000 / 1; digital: nothing left.
    assert [(r.process.name, r.value, r.score) for r in ranking] == [
        ("Rechnungen", 9000, 3000.0),
        ("Urlaub", 1000, 1000.0),
        ("Schon digital", 0, 0.0),
    ]
    body = client_for(world.users["reader_a"]).get(url("processes") + f"?unit={world.unit_a1.pk}").content.decode()
    body = body.replace("\u00ad", "")  # long names carry soft hyphens for narrow columns
    assert body.index("Rechnungen") < body.index("Urlaub") and "Bauanträge prüfen" not in body
    # Editors record processes of their own units only.
    editor = client_for(world.users["editor_a"])
    form = {"name": "Meldebescheinigung", "cases_per_year": "100", "minutes_per_case": "5", "channel": "paper"}
    form |= {"media_breaks": "1", "maturity": "0", "effort": "2"}
    assert editor.post(url("process_create"), {**form, "org_unit": world.unit_a2.pk}).status_code == 200
    assert editor.post(url("process_create"), {**form, "org_unit": world.unit_a1.pk}).status_code == 302
    assert editor.post(url("process_create"), {**form, "org_unit": world.unit_a1.pk, "effort": "9"}).status_code == 200
    assert Process.objects.filter(name="Meldebescheinigung").count() == 1


def test_ozg_links_feed_the_synergy_engine_and_the_open_data_feed(world: Any, pw: Any, client_for: Any) -> None:
    """Two projects with unrelated words become similar once both implement the same OZG service."""
    from lotse.synergy import selectors as synergy
    from lotse.synergy.federation import feed

    user = world.users["admin"]
    mine = portfolio.project_save(
        None,
        user=user,
        municipality=world.a,
        data={"title": "Bürgerservice Plattform Lindenstraße", "visibility": "public"},
    )
    theirs = portfolio.project_save(
        None, user=user, municipality=world.b, data={"title": "Tierhalter-Portal", "visibility": "network"}
    )
    _own, others = synergy.similar_to(mine, user)
    assert theirs not in [s.project for s in others if s.match]
    dogs = pw.ozg_status.service
    services.status_save(
        pw.ozg_status, user=user, municipality=world.a, service=dogs, data={}, m2m={"projects": [mine]}
    )
    services.status_save(
        None, user=user, municipality=world.b, service=dogs, data={"maturity": 4}, m2m={"projects": [theirs]}
    )
    _own, others = synergy.similar_to(mine, user)  # the running index notices the link without a restart
    match = [s for s in others if s.project == theirs]
    assert match and match[0].match and match[0].reason == ["gleiche Leistung: OZG T-1: Hundehaltung"]
    assert [p["ozg_ids"] for p in feed(world.a, "https://lotse.example")["projects"] if p["title"] == mine.title] == [
        ["T-1"]
    ]


def test_the_heat_map_pages_through_a_large_network_and_filters_by_district(
    world: Any, pw: Any, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lotse.tenancy.models import Network

    monkeypatch.setattr(selectors, "HEATMAP_PAGE", 2)
    kreis = Municipality.objects.create(name="Landkreis K", slug="kreis-k", kind=Municipality.Kind.DISTRICT)
    towns = [
        Municipality.objects.create(name=f"Ort {i}", slug=f"ort-{i}", district=kreis if i < 2 else None)
        for i in range(3)
    ]
    Network.objects.get(slug="verbund-ab").members.add(kreis, *towns)
    for town in [world.b, kreis, *towns]:
        services.set_sharing(town, True)
    user = world.users["coordinator_a"]
    first, page = selectors.heatmap(user, world.a)
    second, _page = selectors.heatmap(user, world.a, page=2)
    names = [t.name for t in first.municipalities] + [t.name for t in second.municipalities[1:]]
    assert first.municipalities[0] == world.a and second.municipalities[0] == world.a, "the own town heads each page"
    assert page.paginator.num_pages == 3 and len(set(names)) == len(names) == 5
    third, _page = selectors.heatmap(user, world.a, page=3)
    assert [t.name for t in third.municipalities] == ["Astadt", "Ort 2"]
    only_k, _page = selectors.heatmap(user, world.a, district=kreis, page=1)
    k_pages = [only_k, selectors.heatmap(user, world.a, district=kreis, page=2)[0]]
    assert {t.name for h in k_pages for t in h.municipalities} == {"Astadt", "Landkreis K", "Ort 0", "Ort 1"}
    body = client_for(user).get(url("network") + f"?district={kreis.pk}&page=2").content.decode()
    assert "Seite 2 von 2" in body and f"district={kreis.pk}&amp;page=1" in body
    # "Wen kann ich fragen?" names the own Landkreis first and says how many there are in all.
    world.a.district = kreis
    world.a.save()
    dogs = pw.ozg_status.service
    for town, level in ((towns[2], 4), (towns[0], 3)):
        services.status_save(None, user=world.users["admin"], municipality=town, service=dogs, data={"maturity": level})
    ask, total = selectors.who_to_ask(user, world.a, dogs, limit=1)
    assert [s.municipality.name for s in ask] == ["Ort 0"] and total == 2
