"""The qualification programme: seats and waiting list, attendance and completed modules, the certificate as a
tagged PDF, and who may do what."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from lotse.pilots import selectors, services
from lotse.pilots.models import DigitalPilot, ModuleCompletion, Programme, Registration, Seminar, TrainingModule
from lotse.tenancy.models import Membership, Role
from tests.factories import UserFactory
from tests.pdf import structure_problems


@pytest.fixture
def prog(world: Any) -> dict[str, Any]:
    """A programme of A and B's network with two modules, a seminar of two seats, and pilots in A and B."""
    operator = UserFactory.create(email="akademie@test.example")
    programme = Programme.objects.create(network=world.a.networks.get(), name="Digitallotsen BW", provider="Akademie")
    programme.operators.add(operator)
    modules = [TrainingModule.objects.create(programme=programme, position=i, title=f"Modul {i}") for i in (1, 2)]
    seminar = Seminar.objects.create(
        programme=programme,
        title="Seminar",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 3, 2),
        place="Ulm",
        capacity=2,
    )
    seminar.modules.set(modules)

    def pilot(town: Any, name: str) -> DigitalPilot:
        person = UserFactory.create(email=f"{name.lower()}@test.example", first_name=name, last_name="Lotse #1 ]")
        Membership.objects.create(user=person, municipality=town, role=Role.READER)
        unit = world.unit_a1 if town == world.a else world.unit_b
        return services.pilot_save(
            None, user=world.users["admin"], municipality=town, person=person, data={}, org_units=[unit]
        )

    pilots = [pilot(world.a, n) for n in ("Anna", "Ben", "Cem")] + [pilot(world.b, "Dora")]
    return {"programme": programme, "operator": operator, "modules": modules, "seminar": seminar, "pilots": pilots}


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"programme:{name}", kwargs={"slug": "verbund-ab", **kwargs})


def test_seats_then_waiting_list_and_a_freed_seat_moves_the_first_up(world: Any, prog: Any) -> None:
    seminar, (anna, ben, cem, dora) = prog["seminar"], prog["pilots"]
    states = [services.register(user=prog["operator"], seminar=seminar, pilot=p).state for p in (anna, ben, cem, dora)]
    assert states == ["confirmed", "confirmed", "waiting", "waiting"]
    with pytest.raises(Exception, match="bereits angemeldet"):
        services.register(user=prog["operator"], seminar=seminar, pilot=anna)
    first = Registration.objects.get(pilot=anna)
    moved = services.cancel(user=prog["operator"], registration=first)
    assert moved is not None and moved.pilot == cem and moved.state == "confirmed"
    assert mail.outbox[-1].to == [cem.person.email] and "Platz" in mail.outbox[-1].subject
    # Cancelling from the waiting list frees nothing; registering again queues at the end.
    assert services.cancel(user=prog["operator"], registration=Registration.objects.get(pilot=dora)) is None
    assert services.register(user=prog["operator"], seminar=seminar, pilot=anna).state == "waiting"
    assert [r.pilot for r in seminar.registrations.filter(state="waiting")] == [anna]


def test_attendance_completes_modules_and_the_certificate_is_a_tagged_pdf(
    world: Any, prog: Any, client_for: Any
) -> None:
    seminar, (anna, ben, _cem, _dora) = prog["seminar"], prog["pilots"]
    for p in (anna, ben):
        services.register(user=prog["operator"], seminar=seminar, pilot=p)
    client = client_for(world.users["coordinator_a"])
    response = client.get(url("certificate", pilot=anna.pk), follow=True)
    assert "Noch kein Zertifikat: es fehlen 1. Modul 1, 2. Modul 2." in response.content.decode()
    operator = client_for(prog["operator"])
    present = Registration.objects.get(pilot=anna).pk
    assert operator.post(url("attendance", pk=seminar.pk), {"attended": [present]}).status_code == 302
    assert ModuleCompletion.objects.filter(pilot=anna).count() == 2 and not ModuleCompletion.objects.filter(pilot=ben)
    assert Registration.objects.get(pilot=ben).attended is False
    pdf = client_for(world.users["coordinator_a"]).get(url("certificate", pilot=anna.pk))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert b"/StructTreeRoot" in pdf.content and b"pdfuaid" in pdf.content, "tagged, PDF/UA-1"
    assert structure_problems(pdf.content) == []
    assert selectors.trained_over_time(world.a.networks.get()) == [(date(2026, 3, 2), 1)]
    page = client_for(world.users["coordinator_b"]).get(reverse("pilot_coverage", kwargs={"slug": "verbund-ab"}))
    assert "1 Digitallotse hat alle Module abgeschlossen" in page.content.decode()


def test_who_may_run_register_and_see(world: Any, prog: Any, client_for: Any) -> None:
    seminar, (anna, _ben, _cem, dora) = prog["seminar"], prog["pilots"]
    # The academy runs the programme without any role in a municipality.
    operator = client_for(prog["operator"])
    assert operator.get(url("seminar_create")).status_code == 200
    assert operator.get(reverse("pilot_coverage", kwargs={"slug": "verbund-ab"})).status_code == 200
    # A's coordinator registers A's pilots, not B's, and cannot run the programme.
    coordinator = client_for(world.users["coordinator_a"])
    assert coordinator.get(url("seminar_create")).status_code == 403
    body = coordinator.post(url("seminar", pk=seminar.pk), {"pilot": dora.pk}).content.decode()
    assert "Digitallotse: Bitte eine gültige Auswahl treffen." in body
    assert coordinator.post(url("seminar", pk=seminar.pk), {"pilot": anna.pk}).status_code == 302
    # B's coordinator sees only B's registrations and cannot cancel A's.
    page = client_for(world.users["coordinator_b"]).get(url("seminar", pk=seminar.pk)).content.decode()
    assert "Anna" not in page
    registration = Registration.objects.get(pilot=anna)
    assert client_for(world.users["coordinator_b"]).post(url("cancel", pk=registration.pk)).status_code == 403
    # A pilot registers themselves; a town outside the network sees nothing.
    assert client_for(dora.person).post(url("seminar", pk=seminar.pk), {"pilot": dora.pk}).status_code == 302
    for key in ("coordinator_c", "outsider"):
        assert client_for(world.users[key]).get(url("overview")).status_code == 403
    assert client_for(None).get(url("overview")).status_code == 302


def test_operator_creates_modules_and_seminars_with_german_errors(world: Any, prog: Any, client_for: Any) -> None:
    operator = client_for(prog["operator"])
    assert operator.post(url("module_create"), {"position": 3, "title": "Modul 3"}).status_code == 302
    data = {"title": "Herbst", "starts_on": "2026-10-02", "ends_on": "2026-10-01", "place": "Freiburg", "capacity": 0}
    body = operator.post(url("seminar_create"), {**data, "modules": [prog["modules"][0].pk]}).content.decode()
    assert "Das Ende liegt vor dem Beginn." in body and "mindestens einen Platz" in body
    data |= {"ends_on": "2026-10-03", "capacity": 10}
    assert operator.post(url("seminar_create"), {**data, "modules": [prog["modules"][0].pk]}).status_code == 302
    assert Seminar.objects.filter(title="Herbst", capacity=10).exists()
