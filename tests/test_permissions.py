"""The role × action × tenant matrix of docs/permissions.md, tested exhaustively."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from lotse.tenancy.selectors import visible
from tests.shareable.models import Note

ALL_USERS = [
    "anonymous",
    "admin",
    "coordinator_a",
    "editor_a",
    "reader_a",
    "partner_a",
    "coordinator_b",
    "coordinator_c",
    "outsider",
]


def as_user(world: Any, key: str) -> Any:
    return world.users[key] or AnonymousUser()


# Which notes each user may see (docs/permissions.md, "Sichtbarkeit").
VISIBLE = {
    "anonymous": {"a_public"},
    "outsider": {"a_public"},
    "admin": {
        "a_internal_unit1",
        "a_internal_unit2",
        "a_network",
        "a_public",
        "a_shared",
        "b_internal",
        "c_network",
    },
    "coordinator_a": {"a_internal_unit1", "a_internal_unit2", "a_network", "a_public", "a_shared"},
    "editor_a": {"a_internal_unit1", "a_internal_unit2", "a_network", "a_public", "a_shared"},
    "reader_a": {"a_internal_unit1", "a_internal_unit2", "a_network", "a_public", "a_shared"},
    "partner_a": {"a_public", "a_shared"},
    "coordinator_b": {"a_network", "a_public", "b_internal"},
    "coordinator_c": {"a_public", "c_network"},
}

# Which notes each user may change.
CHANGEABLE = {
    "anonymous": set(),
    "outsider": set(),
    "admin": set(VISIBLE["admin"]),
    "coordinator_a": set(VISIBLE["coordinator_a"]),
    "editor_a": {"a_internal_unit1"},  # in a unit below their own; not the Bauamt's
    "reader_a": set(),
    "partner_a": set(),
    "coordinator_b": {"b_internal"},
    "coordinator_c": {"c_network"},
}


@pytest.mark.parametrize("key", ALL_USERS)
def test_selector_scopes_by_tenant_and_visibility(world: Any, key: str) -> None:
    titles = {n.title for n in visible(Note.objects.all(), as_user(world, key))}
    assert titles == {world.notes[k].title for k in VISIBLE[key]}


@pytest.mark.parametrize("key", ALL_USERS)
def test_object_rule_agrees_with_selector(world: Any, key: str) -> None:
    user = as_user(world, key)
    for name, note in world.notes.items():
        assert user.has_perm("shareable.view_note", note) == (name in VISIBLE[key]), name


@pytest.mark.parametrize("key", ALL_USERS)
def test_change_and_delete_rights(world: Any, key: str) -> None:
    user = as_user(world, key)
    for name, note in world.notes.items():
        assert user.has_perm("shareable.change_note", note) == (name in CHANGEABLE[key]), name
        coordinators = {"admin"} | ({"coordinator_a"} if name.startswith("a_") else set())
        coordinators |= {"coordinator_b"} if name.startswith("b_") else set()
        coordinators |= {"coordinator_c"} if name.startswith("c_") else set()
        assert user.has_perm("shareable.delete_note", note) == (key in coordinators), name


# Municipality-level permissions in municipality A: who holds them.
MATRIX_A = {
    "tenancy.view_municipality_internal": {"admin", "coordinator_a", "editor_a", "reader_a"},
    "tenancy.change_municipality": {"admin", "coordinator_a"},
    "tenancy.view_orgunit": {"admin", "coordinator_a", "editor_a", "reader_a"},
    "tenancy.add_orgunit": {"admin", "coordinator_a"},
    "tenancy.change_orgunit": {"admin", "coordinator_a"},
    "tenancy.delete_orgunit": {"admin", "coordinator_a"},
    "tenancy.view_membership": {"admin", "coordinator_a", "editor_a", "reader_a"},
    "tenancy.manage_membership": {"admin", "coordinator_a"},
    "tenancy.view_history": {"admin", "coordinator_a", "editor_a", "reader_a"},
    "tenancy.restore_version": {"admin", "coordinator_a"},
    "shareable.add_note": {"admin", "coordinator_a", "editor_a"},
}


@pytest.mark.parametrize("perm", sorted(MATRIX_A))
@pytest.mark.parametrize("key", ALL_USERS)
def test_municipality_matrix(world: Any, perm: str, key: str) -> None:
    assert as_user(world, key).has_perm(perm, world.a) == (key in MATRIX_A[perm])


def test_editor_rights_follow_the_unit_tree(world: Any) -> None:
    editor = world.users["editor_a"]
    below = Note.objects.create(municipality=world.a, title="x", org_unit=world.unit_a1_sub)
    own = Note.objects.create(municipality=world.a, title="y", org_unit=world.unit_a1)
    elsewhere = Note.objects.create(municipality=world.a, title="z", org_unit=world.unit_a2)
    no_unit = Note.objects.create(municipality=world.a, title="w")
    assert editor.has_perm("shareable.change_note", below)
    assert editor.has_perm("shareable.change_note", own)
    assert not editor.has_perm("shareable.change_note", elsewhere)
    assert not editor.has_perm("shareable.change_note", no_unit)
