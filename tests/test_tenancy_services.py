import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from lotse.tenancy import services
from lotse.tenancy.models import Invitation, Membership, OrgUnit, Role


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


def _token(message: Any) -> str:
    found = re.search(r"/invitations/([^/\s]+)/", str(message.body))
    assert found
    return found.group(1)


def test_a_new_person_joins_only_by_accepting_the_invitation(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            user=world.users["coordinator_a"],
            municipality=world.a,
            email="Neu@Test.Example",
            role=Role.EDITOR,
            first_name="Nora",
            last_name="Neu",
            org_units=[world.unit_a2],
        )
    assert invitation.email == "neu@test.example"
    assert not Membership.objects.filter(user__email="neu@test.example").exists()
    (message,) = mail.outbox
    assert "Einladung" in message.subject and message.to == ["neu@test.example"]
    assert message.body.count("http://127.0.0.1:8000/invitations/") == 1  # LOTSE_BASE_URL, not a guessed host
    found = services.invitation_for_token(_token(message))
    assert found == invitation
    person = services.account_from_invitation(found, first_name="Nora", last_name="Neu", password="lang-genug-2026")
    membership = Membership.objects.get(user=person, municipality=world.a)
    assert membership.role == Role.EDITOR and list(membership.org_units.all()) == [world.unit_a2]
    assert services.invitation_for_token(_token(message)) is None  # used once


def test_an_existing_account_is_never_added_without_its_consent(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    person = world.users["coordinator_b"]
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            user=world.users["coordinator_a"], municipality=world.a, email=person.email, role="reader"
        )
    assert not Membership.objects.filter(user=person, municipality=world.a).exists()
    # Somebody else who got hold of the link cannot take the role.
    with pytest.raises(ValidationError, match="gilt für"):
        services.invitation_accept(invitation, user=world.users["reader_a"])
    services.invitation_accept(invitation, user=person)
    assert set(Membership.objects.filter(user=person).values_list("municipality__slug", flat=True)) == {
        "astadt",
        "bdorf",
    }
    with pytest.raises(ValidationError, match="bereits"):
        services.invitation_create(user=world.users["admin"], municipality=world.a, email=person.email, role="reader")
    with pytest.raises(ValidationError, match="anderen Kommune"):
        services.invitation_create(
            user=world.users["admin"],
            municipality=world.c,
            email="x@test.example",
            role="editor",
            org_units=[world.unit_a1],
        )


def test_an_expired_invitation_is_not_found(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            user=world.users["coordinator_a"], municipality=world.a, email="spaet@test.example", role="reader"
        )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert services.invitation_for_token(_token(mail.outbox[0])) is None


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
