from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from lotse.tenancy import services
from lotse.tenancy.models import Membership, OrgUnit, Role


def test_org_unit_cannot_hang_below_itself_or_another_town(world: Any) -> None:
    user = world.users["coordinator_a"]
    with pytest.raises(ValidationError):
        services.org_unit_update(world.unit_a1, user=user, expected_version=1, data={"parent": world.unit_a1_sub})
    with pytest.raises(ValidationError):
        services.org_unit_create(user=user, municipality=world.a, data={"name": "X", "parent": world.unit_b})
    with pytest.raises(ValidationError):
        services.org_unit_create(
            user=user, municipality=world.a, data={"name": "Abteilung ohne Amt", "kind": OrgUnit.Kind.SECTION}
        )


def test_unit_in_use_cannot_be_deleted(world: Any) -> None:
    with pytest.raises(ValidationError, match="Untereinheiten"):
        services.org_unit_delete(world.unit_a1, user=world.users["coordinator_a"])
    services.org_unit_delete(world.unit_a2, user=world.users["coordinator_a"])
    assert not OrgUnit.objects.filter(pk=world.unit_a2.pk).exists()


def test_adding_a_new_person_invites_them(world: Any) -> None:
    request = RequestFactory().post("/")
    membership = services.membership_add(
        user=world.users["coordinator_a"],
        municipality=world.a,
        email="Neu@Test.Example",
        role=Role.EDITOR,
        first_name="Nora",
        last_name="Neu",
        org_units=[world.unit_a2],
        request=request,
    )
    assert membership.user.email == "neu@test.example"
    assert not membership.user.has_usable_password()
    assert list(membership.org_units.all()) == [world.unit_a2]
    assert len(mail.outbox) == 1
    assert "Einladung" in mail.outbox[0].subject
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_existing_person_gets_second_municipality_and_no_duplicate(world: Any) -> None:
    person = world.users["coordinator_b"]
    services.membership_add(user=world.users["admin"], municipality=world.a, email=person.email, role="reader")
    assert set(Membership.objects.filter(user=person).values_list("municipality__slug", flat=True)) == {
        "astadt",
        "bdorf",
    }
    with pytest.raises(ValidationError, match="bereits"):
        services.membership_add(user=world.users["admin"], municipality=world.a, email=person.email, role="reader")
    with pytest.raises(ValidationError, match="anderen Kommune"):
        services.membership_add(
            user=world.users["admin"],
            municipality=world.c,
            email="x@test.example",
            role="editor",
            org_units=[world.unit_a1],
        )


def test_last_coordinator_cannot_be_removed_or_demoted(world: Any) -> None:
    membership = Membership.objects.get(user=world.users["coordinator_a"])
    with pytest.raises(ValidationError, match="mindestens eine"):
        services.membership_update(
            membership, user=world.users["admin"], expected_version=1, role="reader", org_units=[]
        )
    with pytest.raises(ValidationError, match="mindestens eine"):
        services.membership_remove(membership, user=world.users["admin"])


def test_role_change_takes_effect_at_once(world: Any) -> None:
    reader = world.users["reader_a"]
    assert not reader.has_perm("tenancy.change_orgunit", world.a)
    membership = Membership.objects.get(user=reader)
    services.membership_update(
        membership, user=world.users["coordinator_a"], expected_version=1, role=Role.COORDINATOR, org_units=[]
    )
    next_request_user = type(reader).objects.get(pk=reader.pk)
    assert next_request_user.has_perm("tenancy.change_orgunit", world.a)
