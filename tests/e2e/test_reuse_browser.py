"""Issue 20 in a real browser: a coordinator finds another town's project and adopts it as a draft; towns register
a solution, record their use of it and link an OZG status's free text to it."""

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect

from lotse.core.services import versioned_create
from lotse.ozg.models import OzgLifeSituation, OzgService, OzgStatus, OzgTopic
from lotse.portfolio import services
from lotse.portfolio.models import Project
from lotse.reuse.models import Adoption, InterestDeclaration, SolutionUse
from lotse.tenancy.models import Visibility
from tests.conftest import build_world
from tests.e2e.conftest import login
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_adopts_another_towns_project_and_the_origin_counts_it(page: Any) -> None:
    world = build_world()
    origin = services.project_save(
        None,
        user=world.users["admin"],
        municipality=world.a,
        data={
            "title": "Hundesteuer online",
            "summary": "Hunde im Portal an- und abmelden",
            "visibility": Visibility.NETWORK,
            "start_date": date(2025, 1, 1),
        },
        children={"milestones": [{"title": "Start im Portal", "due_date": date(2025, 6, 1), "done_on": None}]},
    )
    login(page, "coordinator_b@test.example", PASSWORD)
    page.goto(f"/m/astadt/projects/{origin.pk}/")
    panel = page.locator("#reuse")
    expect(panel).to_contain_text("Noch von keiner anderen Kommune nachgenutzt.")  # loaded by HTMX
    panel.get_by_role("link", name="Übernehmen Hundesteuer online").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("„Hundesteuer online“ (Astadt) übernehmen")
    page.get_by_label("Titel des neuen Projekts").fill("Hundesteuer digital in Bdorf")
    page.get_by_label("Geplanter Beginn").fill("2027-03-01")
    page.get_by_role("button", name="Als Entwurf übernehmen").click()
    expect(page.get_by_role("status")).to_contain_text("ist als Entwurf in Ihr Portfolio übernommen")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hundesteuer digital in Bdorf")
    expect(page.locator("#reuse")).to_contain_text("Übernommen von Hundesteuer online (Astadt)")
    adopted = Project.objects.get(title="Hundesteuer digital in Bdorf")
    assert adopted.municipality == world.b and Adoption.objects.get(project=adopted).origin == origin
    assert [m.due_date for m in adopted.milestones.all()] == [date(2027, 7, 30)]  # 789 days later, as the start
    page.goto(f"/m/astadt/projects/{origin.pk}/")
    expect(page.locator("#reuse")).to_contain_text("von 1 Kommune nachgenutzt")


PUBLICCODE = """\
publiccodeYmlVersion: "0.4"
name: Hundesteuer-Formular
url: https://git.bdorf.example/formulare/hundesteuer
description:
  de:
    shortDescription: Hunde online an- und abmelden, mit Steuerbescheid.
legal:
  license: eupl-1.2
  mainCopyrightOwner: Gemeinde Bdorf
"""


def test_towns_register_a_solution_record_their_use_and_link_an_ozg_status(page: Any, tmp_path: Any) -> None:
    world = build_world()
    situation = OzgLifeSituation.objects.create(topic=OzgTopic.objects.create(name="Recht"), name="Tiere")
    dogs = OzgService.objects.create(ozg_id="T-1", name="Hundehaltung", life_situation=situation)
    versioned_create(
        OzgStatus,
        user=world.users["admin"],
        data={"municipality": world.a, "service": dogs, "maturity": 3, "solution_name": "Hundesteuerformular"},
    )
    publiccode = tmp_path / "publiccode.yml"
    publiccode.write_text(PUBLICCODE)

    # Bdorf's coordinator registers its form from its publiccode.yml and records that Bdorf runs it.
    login(page, "coordinator_b@test.example", PASSWORD)
    page.goto("/")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Lösungen").click()
    page.get_by_role("link", name="Lösung eintragen").click()
    page.get_by_label("publiccode.yml einlesen").set_input_files(str(publiccode))
    page.get_by_label("Kostenmodell").select_option(label="kostenfrei")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hundesteuer-Formular")
    expect(page.locator("dl.facts")).to_contain_text("EUPL-1.2")
    page.get_by_role("link", name="Nutzung in Bdorf eintragen").click()
    page.get_by_label("Stand").select_option(label="im Betrieb")
    page.get_by_label("seit").fill("2025-05-15")
    page.get_by_label("Erfahrungen").fill("In zwei Wochen eingeführt, ohne Ausschreibung.")
    page.get_by_label("Sichtbarkeit").select_option(label="im Netzwerk")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Die Nutzung von „Hundesteuer-Formular“ ist gespeichert.")
    expect(page.locator("table")).to_contain_text("In zwei Wochen eingeführt")
    # ... and says what another town finds: licence and repository from the publiccode.yml, plus its specification.
    expect(page.locator("main")).to_contain_text("Nachnutzbarkeit: 2 von 8")
    page.get_by_role("link", name="Nachnutzungspaket").click()
    page.get_by_label("Leistungsbeschreibung").fill("https://bdorf.example/leistungsbeschreibung.pdf")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Das Nachnutzungspaket ist gespeichert.")
    expect(page.locator("main")).to_contain_text("Nachnutzbarkeit: 3 von 8")

    # Astadt's coordinator links the free text of its OZG status to that entry.
    page.context.clear_cookies()
    login(page, "coordinator_a@test.example", PASSWORD)
    page.goto("/m/astadt/ozg/T-1/")
    registry = page.locator("#registry")
    expect(registry).to_contain_text("„Hundesteuerformular“ ist noch mit keinem Eintrag")  # loaded by HTMX
    registry.get_by_label("Hundesteuer-Formular – Gemeinde Bdorf").check()
    registry.get_by_role("button", name="Mit dieser Lösung verknüpfen").click()
    expect(page.get_by_role("status")).to_contain_text("ist mit „Hundesteuer-Formular“ im Lösungsregister verknüpft")
    expect(page.locator("#registry")).to_contain_text("Im Lösungsregister: Hundesteuer-Formular")
    page.locator("#registry").get_by_role("link", name="Hundesteuer-Formular").click()
    users = page.locator("table")
    expect(users).to_contain_text("Astadt")
    expect(users).to_contain_text("Bdorf")
    use = SolutionUse.objects.get(municipality=world.a)
    assert use.status == "operating" and use.ozg_statuses.get().service == dogs


def test_a_coordinator_declares_interest_in_another_towns_project(page: Any) -> None:
    world = build_world()
    origin = services.project_save(
        None,
        user=world.users["admin"],
        municipality=world.a,
        data={"title": "Sensoren für Abfallbehälter", "visibility": Visibility.NETWORK},
    )
    login(page, "coordinator_b@test.example", PASSWORD)
    page.goto(f"/m/astadt/projects/{origin.pk}/")
    panel = page.locator("#reuse")
    panel.get_by_role("link", name="Interesse bekunden Sensoren für Abfallbehälter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Interesse an „Sensoren für Abfallbehälter“ (Astadt) bekunden"
    )
    page.get_by_label("Nachricht an die Kommune des Projekts").fill("Wir würden die Ausschreibung gern teilen.")
    page.get_by_role("button", name="Interesse bekunden").click()
    expect(page.get_by_role("status")).to_contain_text("Bdorf hat Interesse an „Sensoren für Abfallbehälter“ bekundet")
    expect(page.locator("#reuse")).to_contain_text("1 Kommune hat Interesse bekundet")
    expect(page.locator("#reuse")).to_contain_text("Wir würden die Ausschreibung gern teilen.")
    assert InterestDeclaration.objects.get().municipality == world.b
