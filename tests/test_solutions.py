"""The solution registry (issue 20, point 1): entries registered through the form (a publiccode.yml fills it in,
licences are SPDX), each town's use with its visibility, "Wer nutzt X?", "Was nutzen Kommunen wie wir für
Leistung Y?", the OZG statuses' free text turned into registry links, and merging two spellings of one solution."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lotse.core.services import versioned_create
from lotse.ozg import services as ozg
from lotse.ozg.models import OzgLifeSituation, OzgService, OzgStatus, OzgTopic
from lotse.portfolio import services as portfolio
from lotse.portfolio.models import Project, Status
from lotse.reuse import selectors, services
from lotse.reuse.models import Adoption, ReuseKit, Solution, SolutionKind, SolutionUse, UseStatus
from lotse.tenancy.models import Municipality, Visibility

pytestmark = pytest.mark.django_db

PUBLICCODE = """\
publiccodeYmlVersion: "0.4"
name: Gieß den Kiez
url: https://gitlab.opencode.de/example/giessdenkiez
landingURL: https://www.giessdenkiez.de
platforms: [web]
description:
  de:
    shortDescription: Bürgerinnen und Bürger gießen Stadtbäume und tragen es auf einer Karte ein.
    longDescription: >
      Eine Karte aller Straßenbäume mit ihrem Wasserbedarf; wer gießt, trägt es ein.
  en:
    shortDescription: Citizens water street trees.
legal:
  license: agpl-3.0-or-later
  mainCopyrightOwner: Technologiestiftung Berlin
maintenance:
  type: internal
  contacts:
    - name: Team CityLAB
      email: citylab@example.org
"""


@pytest.fixture
def dog_tax(db: Any) -> OzgService:
    situation = OzgLifeSituation.objects.create(topic=OzgTopic.objects.create(name="Recht"), name="Tiere")
    return OzgService.objects.create(ozg_id="T-1", name="Hundehaltung", life_situation=situation)


def status_of(world: Any, town: Municipality, service: OzgService, name: str, provider: str, level: int) -> OzgStatus:
    return versioned_create(
        OzgStatus,
        user=world.users["admin"],
        data={"municipality": town, "service": service, "maturity": level, "solution_name": name, "provider": provider},
    )


def entry(world: Any, name: str = "Hundesteuer online", **data: Any) -> Solution:
    return services.solution_save(
        None, user=world.users["coordinator_a"], registered_in=world.a, data={"name": name, "kind": "service", **data}
    )


def test_a_solution_is_registered_through_the_form_with_its_publiccode_yml(world: Any, client_for: Any) -> None:
    client = client_for(world.users["editor_a"])
    page = client.get(reverse("reuse:solution_new"))
    assert page.status_code == 200 and b"publiccode.yml" in page.content
    upload = SimpleUploadedFile("publiccode.yml", PUBLICCODE.encode(), content_type="text/yaml")
    response = client.post(
        reverse("reuse:solution_new"),
        {"name": "", "kind": "", "cost_model": "free", "listed": "on", "publiccode_file": upload},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    solution = Solution.objects.get()
    assert solution.name == "Gieß den Kiez"
    assert solution.kind == SolutionKind.OPEN_SOURCE
    assert solution.licence == "AGPL-3.0-or-later"  # the SPDX spelling
    assert solution.repository_url == "https://gitlab.opencode.de/example/giessdenkiez"
    assert solution.provider == "Technologiestiftung Berlin"
    assert solution.contact_email == "citylab@example.org"
    assert solution.summary.startswith("Bürgerinnen und Bürger gießen")
    assert "publiccodeYmlVersion" in solution.publiccode
    assert solution.registered_in == world.a  # the editor's town may change it through its coordination
    assert response["Location"] == reverse("reuse:solution", kwargs={"pk": solution.pk})


def test_a_wrong_licence_or_a_broken_publiccode_yml_is_explained_and_nothing_is_saved(
    world: Any, client_for: Any
) -> None:
    client = client_for(world.users["coordinator_a"])
    response = client.post(
        reverse("reuse:solution_new"), {"name": "Formularserver", "kind": "open_source", "licence": "GPL 3"}
    )
    assert response.status_code == 200
    assert "keine SPDX-Lizenzangabe" in response.content.decode()
    broken = SimpleUploadedFile("publiccode.yml", b"name: [unclosed", content_type="text/yaml")
    response = client.post(reverse("reuse:solution_new"), {"name": "X", "kind": "product", "publiccode_file": broken})
    assert "kein gültiges YAML" in response.content.decode()
    other = SimpleUploadedFile("publiccode.yml", b"name: Something\n", content_type="text/yaml")
    response = client.post(reverse("reuse:solution_new"), {"name": "X", "kind": "product", "publiccode_file": other})
    assert "publiccodeYmlVersion" in response.content.decode()
    assert not Solution.objects.exists()


def test_who_may_register_and_change_an_entry(world: Any, client_for: Any) -> None:
    solution = entry(world)
    assert world.users["reader_a"].has_perm("reuse.add_solution") is False
    with pytest.raises(PermissionDenied):
        services.solution_save(None, user=world.users["reader_a"], data={"name": "X", "kind": "product"})
    with pytest.raises(PermissionDenied):  # Bdorf's coordination does not change Astadt's entry
        services.solution_save(solution, user=world.users["coordinator_b"], data={"summary": "x"})
    assert (
        client_for(world.users["coordinator_b"]).get(reverse("reuse:solution_edit", args=[solution.pk])).status_code
        == 403
    )
    assert (
        client_for(world.users["editor_a"]).get(reverse("reuse:solution_edit", args=[solution.pk])).status_code == 403
    )
    client = client_for(world.users["coordinator_a"])
    form = client.get(reverse("reuse:solution_edit", args=[solution.pk]))
    assert form.status_code == 200
    data = {"name": "Hundesteuer online", "kind": "service", "provider": "Regio IT", "version": solution.version,
            "listed": "on"}  # fmt: skip
    assert client.post(reverse("reuse:solution_edit", args=[solution.pk]), data).status_code == 302
    stale = client.post(reverse("reuse:solution_edit", args=[solution.pk]), {**data, "provider": "Komm.ONE"})
    assert stale.status_code == 200 and "inzwischen" in stale.content.decode()  # a concurrent edit is not overwritten
    assert Solution.objects.get().provider == "Regio IT"


def test_a_town_records_its_use_and_others_see_it_as_its_visibility_allows(
    world: Any, client_for: Any, dog_tax: OzgService
) -> None:
    solution = entry(world)
    status = status_of(world, world.a, dog_tax, "Hundesteuer online", "Regio IT", 4)
    project = portfolio.project_save(
        None, user=world.users["coordinator_a"], municipality=world.a, data={"title": "Hundesteuer digital"}
    )
    client = client_for(world.users["editor_a"])
    url = reverse("reuse:use", kwargs={"municipality": "astadt", "pk": solution.pk})
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"status": "operating", "since": "2025-04-01", "project": project.pk, "contact": world.users["editor_a"].pk,
         "ozg_statuses": [status.pk], "experience": "In zwei Wochen angebunden.", "visibility": "network"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    use = SolutionUse.objects.get()
    assert (use.municipality, use.status, list(use.ozg_statuses.all())) == (world.a, UseStatus.OPERATING, [status])

    page = reverse("reuse:solution", args=[solution.pk])
    seen_by_b = client_for(world.users["coordinator_b"]).get(page).content.decode()
    assert "Astadt" in seen_by_b and "In zwei Wochen angebunden." in seen_by_b  # a network peer
    assert "Hundesteuer digital" not in seen_by_b  # the project is internal
    seen_by_c = client_for(world.users["coordinator_c"]).get(page).content.decode()
    assert "In zwei Wochen angebunden." not in seen_by_c
    listed = {s.pk: s.users for s in selectors.solutions(world.users["coordinator_c"])}  # type: ignore[attr-defined]
    assert listed == {solution.pk: 0}  # the entry is listed, the use is not counted for outsiders
    counted = {s.pk: s.users for s in selectors.solutions(world.users["coordinator_b"])}  # type: ignore[attr-defined]
    assert counted == {solution.pk: 1}

    with pytest.raises(PermissionDenied):
        services.use_save(None, user=world.users["reader_a"], municipality=world.a, solution=solution, data={})
    other = portfolio.project_save(None, user=world.users["coordinator_b"], municipality=world.b, data={"title": "B"})
    with pytest.raises(ValidationError):  # the project must be the town's own
        services.use_save(use, user=world.users["coordinator_a"], municipality=world.a, solution=solution,
                          data={"project": other})  # fmt: skip


def test_the_free_text_of_ozg_statuses_becomes_registry_links(world: Any, dog_tax: OzgService) -> None:
    ozg.set_sharing(world.a, True)
    status_of(world, world.a, dog_tax, "Hundesteuer online", "Regio IT", 4)
    status_of(world, world.b, dog_tax, "  hundesteuer ONLINE ", "regio it", 2)  # the same, spelled otherwise
    secret = status_of(world, world.c, dog_tax, "Geheimportal Hundesteuer C", "", 1)  # Cburg shares nothing
    assert services.link_ozg_texts() == (3, 2)
    assert services.link_ozg_texts() == (0, 0)  # linked once
    shared = Solution.objects.get(name="Hundesteuer online")
    assert {(u.municipality.slug, u.status, u.visibility) for u in shared.uses.all()} == {
        ("astadt", UseStatus.OPERATING, Visibility.NETWORK),
        ("bdorf", UseStatus.INTRODUCING, Visibility.INTERNAL),
    }
    assert list(shared.ozg_services.all()) == [dog_tax]
    hidden = Solution.objects.get(name="Geheimportal Hundesteuer C")
    assert hidden.listed is False and list(hidden.uses.get().ozg_statuses.all()) == [secret]
    # An internal status names nothing to others: the entry is Cburg's own until it is listed.
    assert hidden not in Solution.objects.restrict(world.users["coordinator_a"])
    assert hidden not in Solution.objects.restrict(None)
    assert hidden in Solution.objects.restrict(world.users["coordinator_c"])
    assert selectors.use_of_status(secret, world.users["coordinator_a"]) is None


def test_the_migration_takes_the_existing_free_texts_along(world: Any, dog_tax: OzgService) -> None:
    status_of(world, world.a, dog_tax, "Hundesteuer online", "Bdorf", 3)
    status_of(world, world.b, dog_tax, "Hundesteuer Online", "BDORF", 1)
    migration = importlib.import_module("lotse.reuse.migrations.0003_solutions_from_ozg_texts")
    migration.forwards(apps, None)
    solution = Solution.objects.get()
    assert solution.provider_municipality == world.b and solution.provider_kind == "municipality"
    assert sorted(solution.uses.values_list("status", flat=True)) == ["introducing", "operating"]
    assert services.link_ozg_texts() == (0, 0)  # the service finds nothing left to link


def test_two_spellings_of_one_solution_are_proposed_and_merged(world: Any, dog_tax: OzgService) -> None:
    ozg.set_sharing(world.a, True)
    ozg.set_sharing(world.b, True)
    status_of(world, world.a, dog_tax, "Online-Ummeldung", "Komm.ONE", 4)
    status_of(world, world.b, dog_tax, "Online Ummeldung", "KommONE", 1)
    status_of(world, world.b, dog_tax.__class__.objects.create(ozg_id="T-2", name="Wohngeld",
              life_situation=dog_tax.life_situation), "Wohngeld-Digital", "Land", 3)  # fmt: skip
    services.link_ozg_texts()
    proposals = services.merge_proposals()
    assert [(a.name, b.name) for a, b, _s in proposals] == [("Online-Ummeldung", "Online Ummeldung")]
    keep, drop, _score = proposals[0]
    with pytest.raises(PermissionDenied):
        services.merge(user=world.users["coordinator_b"], keep=keep, drop=drop)
    services.merge(user=world.users["admin"], keep=keep, drop=drop)
    assert not Solution.objects.filter(pk=drop.pk).exists()
    assert set(keep.uses.values_list("municipality__slug", flat=True)) == {"astadt", "bdorf"}
    assert services.merge_proposals() == []


def test_what_towns_like_us_use_for_a_service(world: Any, dog_tax: OzgService) -> None:
    Municipality.objects.filter(pk=world.a.pk).update(inhabitants=20_000, kind="town")
    Municipality.objects.filter(pk=world.b.pk).update(inhabitants=30_000, kind="town")
    world.a.refresh_from_db()
    ozg.set_sharing(world.b, True)
    status_of(world, world.b, dog_tax, "Hundesteuer online", "Regio IT", 4)
    services.link_ozg_texts()
    other = entry(world, "Formularserver", kind="open_source")
    other.ozg_services.add(dog_tax)
    result = selectors.for_service(world.users["coordinator_a"], dog_tax, world.a)
    assert [(s.name, towns, like) for s, towns, like in result.rows] == [
        ("Hundesteuer online", 1, 1),
        ("Formularserver", 0, 0),
    ]
    Municipality.objects.filter(pk=world.b.pk).update(inhabitants=90_000)  # no longer "like us"
    result = selectors.for_service(world.users["coordinator_a"], dog_tax, world.a)
    assert next((s.name, towns, like) for s, towns, like in result.rows) == ("Hundesteuer online", 1, 0)


def test_an_ozg_status_is_linked_to_an_entry_and_its_free_text_follows(
    world: Any, client_for: Any, dog_tax: OzgService
) -> None:
    solution = entry(world, "Hundesteuer online", provider="Regio IT")
    status = status_of(world, world.a, dog_tax, "Hundesteuer-Portal", "", 3)
    status_of(world, world.c, dog_tax, "Hundesteuer-Portal Cburg", "", 2)  # Cburg shares nothing: unlisted
    services.link_ozg_texts(municipality=world.c)
    hidden = Solution.objects.get(name="Hundesteuer-Portal Cburg")
    client = client_for(world.users["coordinator_a"])
    url = reverse("reuse:status_link", kwargs={"municipality": "astadt", "pk": status.pk})
    page = client.get(url).content.decode()
    assert f'value="{solution.pk}"' in page  # proposed by its similarity
    assert f'value="{hidden.pk}"' not in page and "Cburg" not in page  # another town's internal text is not
    response = client.post(url, {"solution": solution.pk})
    assert response.status_code == 302
    status.refresh_from_db()
    assert (status.solution_name, status.provider) == ("Hundesteuer online", "Regio IT")
    use = SolutionUse.objects.get(municipality=world.a)
    assert (use.solution, use.status, list(use.ozg_statuses.all())) == (solution, UseStatus.OPERATING, [status])
    assert client_for(world.users["reader_a"]).post(url, {"solution": solution.pk}).status_code == 403


def test_a_solution_is_adopted_as_a_draft_project(world: Any, client_for: Any) -> None:
    solution = entry(world, "Formularserver", kind="open_source", licence="EUPL-1.2", summary="Formulare bauen")
    client = client_for(world.users["coordinator_b"])
    url = reverse("reuse:adopt_solution", kwargs={"municipality": "bdorf", "pk": solution.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Formularserver einführen", "start_date": "2027-01-01"})
    assert response.status_code == 302
    project = Project.objects.get(municipality=world.b)
    assert (project.status, project.visibility) == (Status.PLANNING, Visibility.INTERNAL)
    assert "Lizenz: EUPL-1.2" in project.description
    assert Adoption.objects.get(project=project).origin_solution == solution
    use = SolutionUse.objects.get(municipality=world.b)
    assert (use.status, use.project) == (UseStatus.PLANNED, project)
    assert selectors.solution_page(solution, world.users["coordinator_a"], world.a).adopted_by_towns == 1
    panel = client.get(reverse("reuse:panel", kwargs={"municipality": "bdorf", "pk": project.pk}))
    assert "der Lösung" in panel.content.decode() and "Formularserver" in panel.content.decode()
    assert (
        client_for(world.users["reader_a"])
        .get(reverse("reuse:adopt_solution", kwargs={"municipality": "astadt", "pk": solution.pk}))
        .status_code
        == 403
    )


def test_the_registry_pages_answer_for_visitors_and_members(world: Any, client_for: Any, dog_tax: OzgService) -> None:
    solution = entry(world)
    for user in (None, world.users["reader_a"], world.users["partner_a"]):
        client = client_for(user)
        assert client.get(reverse("reuse:solutions")).status_code == 200
        assert client.get(reverse("reuse:solution", args=[solution.pk])).status_code == 200
        assert client.get(reverse("reuse:for_service", args=[dog_tax.ozg_id])).status_code == 200
    assert client_for(None).get(reverse("reuse:merge")).status_code == 302  # to the login
    assert client_for(world.users["coordinator_a"]).get(reverse("reuse:merge")).status_code == 403
    assert client_for(world.users["admin"]).get(reverse("reuse:merge")).status_code == 200
    link = reverse("reuse:solution", args=[solution.pk])
    assert link in client_for(None).get(reverse("reuse:solutions"), {"q": "hundesteuer"}).content.decode()
    assert link not in client_for(None).get(reverse("reuse:solutions"), {"q": "kita"}).content.decode()
    own = client_for(world.users["reader_a"]).get(reverse("reuse:own", kwargs={"municipality": "astadt"}))
    assert own.status_code == 200
    assert (
        client_for(world.users["coordinator_b"])
        .get(reverse("reuse:own", kwargs={"municipality": "astadt"}))
        .status_code
        == 403
    )


def test_the_reuse_kit_says_what_another_town_needs_and_where_it_is(world: Any, client_for: Any) -> None:
    solution = entry(world, "Formularserver", kind="open_source", licence="EUPL-1.2", contact_email="a@astadt.example")
    readiness = selectors.readiness(None, solution=solution)
    assert (readiness.done, readiness.total, readiness.level) == (2, 8, "started")  # licence and contact
    url = reverse("reuse:solution_kit", args=[solution.pk])
    assert url in client_for(None).get(reverse("reuse:solution", args=[solution.pk])).content.decode()
    assert "Nachnutzbarkeit: 2 von 8" in client_for(None).get(url).content.decode()
    assert client_for(world.users["coordinator_b"]).post(url, {"dpia_url": "https://x.example"}).status_code == 403
    client = client_for(world.users["coordinator_a"])
    data = {
        "repository_url": "https://git.astadt.example/formulare",
        "specification_url": "https://astadt.example/lb.pdf",
        "dpia_url": "https://astadt.example/dsfa.pdf",
        "operations_url": "astadt.example/betrieb",  # the scheme is added
    }
    assert client.post(url, data).status_code == 302
    kit = ReuseKit.objects.get(solution=solution)
    assert kit.operations_url == "https://astadt.example/betrieb"
    assert selectors.readiness(kit, solution=solution).level == "partly"
    stale = client.post(url, {**data, "version": 0, "training_url": "https://astadt.example/kurs"})
    assert stale.status_code == 200  # a concurrent edit is not overwritten
    wrong = client.post(url, {**data, "version": kit.version, "licence": "GPL 3"})
    assert "keine SPDX-Lizenzangabe" in wrong.content.decode()

    project = portfolio.project_save(
        None,
        user=world.users["coordinator_a"],
        municipality=world.a,
        data={"title": "Leuchtturm", "visibility": "public"},
    )
    kit_url = reverse("reuse:project_kit", kwargs={"municipality": "astadt", "pk": project.pk})
    panel = client_for(None).get(reverse("reuse:panel", kwargs={"municipality": "astadt", "pk": project.pk}))
    assert kit_url in panel.content.decode() and "Nachnutzbarkeit: 0 von 8" in panel.content.decode()
    assert client_for(world.users["reader_a"]).post(kit_url, {"licence": "MIT"}).status_code == 403
    full = {f"{k}_url": f"https://astadt.example/{k}" for k in ("repository", "specification", "dpia", "operations",
                                                                 "training", "contract")}  # fmt: skip
    response = client_for(world.users["coordinator_a"]).post(
        kit_url, {**full, "licence": "mit", "contact_email": "digital@astadt.example"}
    )
    assert response.status_code == 302
    kit = ReuseKit.objects.get(project=project)
    assert kit.licence == "MIT" and selectors.readiness(kit, project=project).level == "ready"
