"""Audit trail and safe concurrent editing (optimistic locking)."""

import threading
from typing import Any

import pytest
from django.db import connection

from lotse.core.history import object_history
from lotse.core.services import EditConflict, restore_version, versioned_delete, versioned_update
from lotse.tenancy.models import OrgUnit
from tests.shareable.models import Note


def test_update_bumps_version_and_records_who_and_what(world: Any) -> None:
    unit = world.unit_a2
    coordinator = world.users["coordinator_a"]
    versioned_update(unit, user=coordinator, expected_version=1, data={"name": "Amt für Bauen"})
    unit.refresh_from_db()
    assert unit.version == 2
    latest = object_history(unit)[0]
    assert latest.user == str(coordinator)
    assert [(c.label, c.old, c.new) for c in latest.changes] == [("Name", "Bauamt A", "Amt für Bauen")]


def test_stale_save_is_refused_and_shows_the_other_change(world: Any) -> None:
    unit = world.unit_a2
    first = OrgUnit.objects.get(pk=unit.pk)
    second = OrgUnit.objects.get(pk=unit.pk)
    versioned_update(first, user=world.users["coordinator_a"], expected_version=1, data={"name": "Baurechtsamt"})
    with pytest.raises(EditConflict) as caught:
        versioned_update(second, user=world.users["admin"], expected_version=1, data={"short_name": "63"})
    conflict = caught.value
    assert conflict.editors == [str(world.users["coordinator_a"])]
    assert [(c.name, c.old, c.new) for c in conflict.changes] == [("name", "Bauamt A", "Baurechtsamt")]
    assert "Coordinator A" in str(conflict)
    unit.refresh_from_db()
    assert (unit.name, unit.short_name, unit.version) == ("Baurechtsamt", "Amt 63", 2)


def test_update_of_a_record_deleted_meanwhile_is_refused(world: Any) -> None:
    note = world.notes["a_public"]
    stale = Note.objects.get(pk=note.pk)
    versioned_delete(note, user=world.users["coordinator_a"])
    with pytest.raises(EditConflict, match="gelöscht"):
        versioned_update(stale, user=world.users["admin"], expected_version=1, data={"title": "x"})


def test_restore_brings_back_old_values_as_a_new_version(world: Any) -> None:
    unit = world.unit_a2
    user = world.users["coordinator_a"]
    versioned_update(unit, user=user, expected_version=1, data={"name": "Zwischenname"})
    versioned_update(unit, user=user, expected_version=2, data={"name": "Endname", "short_name": "X"})
    original = unit.history.get(version=1)
    restore_version(unit, user=user, history_id=original.history_id)
    unit.refresh_from_db()
    assert (unit.name, unit.short_name, unit.version) == ("Bauamt A", "Amt 63", 4)
    assert "Wiederhergestellt aus Version 1" in object_history(unit)[0].reason


def test_delete_is_kept_in_the_history(world: Any) -> None:
    note = world.notes["a_public"]
    pk = note.pk
    versioned_delete(note, user=world.users["coordinator_a"])
    record = Note.history.filter(id=pk).latest("history_date")
    assert record.history_type == "-"
    assert record.history_user == world.users["coordinator_a"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_editors_lose_no_update() -> None:
    """Eight editors save from the same version at once: exactly one wins, the others get a conflict."""
    from tests.conftest import build_world

    world = build_world()
    unit_pk = world.unit_a2.pk
    outcomes: list[str] = []
    barrier = threading.Barrier(8)

    def edit(i: int) -> None:
        unit = OrgUnit.objects.get(pk=unit_pk)
        barrier.wait()
        try:
            versioned_update(unit, user=None, expected_version=1, data={"name": f"Name {i}"})
            outcomes.append("saved")
        except EditConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict"] * 7 + ["saved"]
    unit = OrgUnit.objects.get(pk=unit_pk)
    assert unit.version == 2
    assert unit.history.filter(version=2).count() == 1


@pytest.mark.django_db
def test_an_expected_version_of_zero_is_a_stale_edit_not_none(world: Any) -> None:
    """The services take `expected_version=None` for "the current one"; 0 (a crafted form) must not pass as it."""
    from lotse.core.services import versioned_create
    from lotse.ozg import services as ozg
    from lotse.ozg.models import OzgLifeSituation, OzgService, OzgStatus, OzgTopic
    from lotse.tenancy import services as tenancy

    situation = OzgLifeSituation.objects.create(topic=OzgTopic.objects.create(name="Recht"), name="Tiere")
    service = OzgService.objects.create(ozg_id="T-1", name="Hundehaltung", life_situation=situation)
    admin = world.users["admin"]
    status = versioned_create(OzgStatus, user=admin, data={"municipality": world.a, "service": service})
    with pytest.raises(EditConflict):
        ozg.status_save(
            status, user=admin, municipality=world.a, service=service, data={"maturity": 2}, expected_version=0
        )
    network = world.a.networks.get()
    with pytest.raises(EditConflict):
        tenancy.network_save(network, user=admin, data={"name": "Neu"}, operators=[], expected_version=0)
