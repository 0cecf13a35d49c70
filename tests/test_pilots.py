"""Digitallotsen: appointing makes a pilot an editor of their units; the directory shows the offices still without
one; a pilot's home page; the network's coverage; who may see what."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lotse.ozg.models import OzgStatus
from lotse.pilots import selectors, services
from lotse.pilots.models import DigitalPilot
from lotse.portfolio import services as portfolio
from lotse.tenancy.models import Membership, Municipality, OrgUnit, Role
from tests.factories import UserFactory


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"pilots:{name}", kwargs={"municipality": "astadt", **kwargs})


def reader(world: Any, email: str = "lotsin@test.example") -> Any:
    person = UserFactory.create(email=email, first_name="Lena", last_name="Lotsin")
    Membership.objects.create(user=person, municipality=world.a, role=Role.READER)
    return person


def appoint(world: Any, person: Any, units: list[Any]) -> DigitalPilot:
    return services.pilot_save(
        None, user=world.users["coordinator_a"], municipality=world.a, person=person, data={}, org_units=units
    )


def test_a_pilot_becomes_editor_of_their_units(world: Any) -> None:
    person = reader(world)
    project = portfolio.project_save(
        None,
        user=world.users["admin"],
        municipality=world.a,
        data={"title": "Bauakte digital", "lead_unit": world.unit_a2},
    )
    assert not person.has_perm("portfolio.change_project", project)
    appoint(world, person, [world.unit_a2])
    person = type(person).objects.get(pk=person.pk)  # fresh role caches
    membership = Membership.objects.get(user=person, municipality=world.a)
    assert membership.role == Role.EDITOR and list(membership.org_units.all()) == [world.unit_a2]
    assert person.has_perm("portfolio.change_project", project)
    # A coordinator stays coordinator; a partner or someone without access cannot be a pilot.
    appoint(world, world.users["coordinator_a"], [world.unit_a1])
    assert Membership.objects.get(user=world.users["coordinator_a"], municipality=world.a).role == Role.COORDINATOR
    for outsider in (world.users["partner_a"], world.users["outsider"]):
        with pytest.raises(ValidationError, match="Beschäftigte der Kommune"):
            appoint(world, outsider, [world.unit_a1])
    with pytest.raises(ValidationError, match="mindestens eine Einheit"):
        appoint(world, reader(world, "zweite@test.example"), [])


def test_the_directory_shows_offices_without_a_pilot(world: Any, client_for: Any) -> None:
    staff = OrgUnit.objects.create(municipality=world.a, name="Stabsstelle Digital", kind=OrgUnit.Kind.STAFF_UNIT)
    gaps = {c.unit.name for c in selectors.coverage(world.a) if not c.pilots}
    assert gaps == {"Bürgeramt A", "Bauamt A", "Stabsstelle Digital"}, "sections need no pilot of their own"
    pilot = appoint(world, reader(world), [world.unit_a1_sub])  # a pilot of the Bürgerbüro covers its Amt
    coverage = {c.unit.name: c.pilots for c in selectors.coverage(world.a)}
    assert coverage["Bürgeramt A"] == [pilot] and not coverage["Bauamt A"] and not coverage[staff.name]
    body = client_for(world.users["reader_a"]).get(url("directory")).content.decode()
    assert "2 Einheiten ohne Digitallotse" in body and "Lena Lotsin" in body


def test_a_pilots_home_shows_their_units_projects_and_ozg_services(world: Any, client_for: Any) -> None:
    from tests.portfolio_world import build_portfolio

    pw = build_portfolio(world)  # the Bauamt leads "Netzwerkprojekt Bauamt" and is responsible for an OZG status
    pilot = pw.pilot  # the Bauamt's pilot
    home = selectors.home(pilot)
    assert [p.title for p in home.projects] == ["Netzwerkprojekt Bauamt"]
    assert home.statuses == [OzgStatus.objects.get(pk=pw.ozg_status.pk)]
    body = client_for(world.users["reader_a"]).get(url("pilot", pk=pilot.pk)).content.decode()
    assert "Netzwerkprojekt Bauamt" in body and "Hundehaltung" in body


@pytest.mark.parametrize(
    ("key", "directory", "create", "coverage"),
    [
        ("coordinator_a", 200, 200, 200),
        ("editor_a", 200, 403, 200),
        ("reader_a", 200, 403, 200),
        ("partner_a", 403, 403, 403),
        ("coordinator_b", 403, 403, 200),  # B is in the network: it sees counts, not A's names
        ("coordinator_c", 403, 403, 403),
        ("anonymous", 302, 302, 302),
    ],
)
def test_who_sees_the_directory_and_the_coverage(
    world: Any, client_for: Any, key: str, directory: int, create: int, coverage: int
) -> None:
    pilot = appoint(world, reader(world), [world.unit_a1])
    client = client_for(world.users.get(key))
    assert client.get(url("directory")).status_code == directory
    assert client.get(url("create")).status_code == create
    assert client.get(url("pilot", pk=pilot.pk)).status_code == (200 if directory == 200 else 404)
    response = client.get(reverse("pilot_coverage", kwargs={"slug": "verbund-ab"}))
    assert response.status_code == coverage
    if coverage == 200:
        assert "Lena Lotsin" not in response.content.decode()


def test_network_coverage_by_district_and_towns_without_pilot(world: Any, client_for: Any) -> None:
    kreis = Municipality.objects.create(name="Landkreis K", slug="kreis-k", kind=Municipality.Kind.DISTRICT)
    world.b.district = kreis
    world.b.save()
    appoint(world, reader(world), [world.unit_a1])
    groups = selectors.network_coverage(world.a.networks.get())
    assert {k: [(t.municipality.name, t.pilots, t.covered, t.units) for t in v] for k, v in groups.items()} == {
        "Landkreis K": [("Bdorf", 0, 0, 1)],
        "–": [("Astadt", 1, 1, 2)],
    }
    assert selectors.without_pilot(groups) == [world.b]
    body = client_for(world.users["coordinator_b"]).get(reverse("pilot_coverage", kwargs={"slug": "verbund-ab"}))
    assert "1 Kommune ohne Digitallotse" in body.content.decode()


def test_the_form_appoints_and_refuses_a_stale_edit(world: Any, client_for: Any) -> None:
    person = reader(world)
    client = client_for(world.users["coordinator_a"])
    response = client.post(url("create"), {"person": person.pk, "org_units": [world.unit_a2.pk], "topics": "E-Akte"})
    pilot = DigitalPilot.objects.get()
    assert response.status_code == 302 and response["Location"] == url("pilot", pk=pilot.pk)
    data = {"person": person.pk, "org_units": [world.unit_a2.pk], "topics": "GIS", "version": pilot.version}
    services.pilot_save(
        pilot,
        user=world.users["admin"],
        municipality=world.a,
        person=person,
        data={"topics": "DMS"},
        org_units=[world.unit_a2],
    )
    body = client.post(url("edit", pk=pilot.pk), data).content.decode()
    assert "inzwischen geändert" in body and DigitalPilot.objects.get().topics == "DMS"
