"""Sign-in against a real OpenLDAP (slapd started by the test): accounts from the directory, groups → roles."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from lotse.accounts.models import User
from lotse.tenancy.models import Membership
from tests.sso.slapd import BASE, Directory, slapd

GROUPS = "lotse-cdo=astadt:coordinator; lotse-alle=astadt:reader; lotse-alle=bdorf:reader"
BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "lotse.sso.ldap.DirectoryBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]


@pytest.fixture(scope="module")
def directory() -> Iterator[Directory]:
    with slapd() as d:
        yield d


@pytest.fixture
def ldap_settings(settings: Any, directory: Directory) -> Any:
    settings.AUTHENTICATION_BACKENDS = BACKENDS
    settings.LDAP_AUTH_URL = [directory.url]
    settings.LDAP_AUTH_SEARCH_BASE = f"ou=people,{BASE}"
    settings.LDAP_GROUP_SEARCH_BASE = f"ou=groups,{BASE}"
    settings.SSO_GROUP_ROLES = GROUPS
    settings.SSO_ADMIN_GROUPS = "lotse-admins"
    return settings


def login(username: str, password: str) -> Any:
    return Client().post("/accounts/login/", {"username": username, "password": password})


def role(user: User, slug: str) -> str | None:
    m = Membership.objects.filter(user=user, municipality__slug=slug).first()
    return m.role if m else None


def test_directory_login_creates_the_account_and_applies_groups(
    world: Any, ldap_settings: Any, directory: Directory
) -> None:
    dn = directory.person("mmuster", "Verzeichnis-2026!", "Max.Muster@Astadt.example", "Max", "Muster")
    directory.group("lotse-alle", [dn])
    directory.group("lotse-cdo", [])
    response = login("mmuster", "Verzeichnis-2026!")
    assert response.status_code == 302, response.content[:500]
    user = User.objects.get(directory_id="mmuster")
    assert (user.email, user.first_name, user.last_name) == ("max.muster@astadt.example", "Max", "Muster")
    assert not user.has_usable_password()  # the password stays in the directory
    assert (role(user, "astadt"), role(user, "bdorf"), role(user, "cburg")) == ("reader", "reader", None)
    # promoted in the directory → coordinator at the next login; the membership's history says who
    directory.group("lotse-cdo", [dn])
    assert login("mmuster", "Verzeichnis-2026!").status_code == 302
    assert role(user, "astadt") == "coordinator" and role(user, "bdorf") == "reader"
    # out of every group → out of the managed municipalities
    directory.group("lotse-cdo", [])
    directory.group("lotse-alle", [])
    assert login("mmuster", "Verzeichnis-2026!").status_code == 302
    assert role(user, "astadt") is None and role(user, "bdorf") is None


def test_wrong_password_and_unknown_people_are_refused(world: Any, ldap_settings: Any, directory: Directory) -> None:
    directory.person("eve", "Richtig-2026!", "eve@astadt.example", "Eve", "Falsch")
    response = login("eve", "falsch")
    assert response.status_code == 200 and "stimmen nicht" in response.content.decode()
    assert login("niemand", "egal").status_code == 200
    assert not User.objects.filter(directory_id__in=["eve", "niemand"]).exists()


def test_an_invited_local_account_is_linked_not_duplicated(
    world: Any, ldap_settings: Any, directory: Directory
) -> None:
    local = world.users["reader_a"]
    directory.person("rleser", "Leser-Passwort-1", "reader_a@test.example", "Rita", "Leser")
    assert login("rleser", "Leser-Passwort-1").status_code == 302
    local.refresh_from_db()
    assert local.directory_id == "rleser" and local.first_name == "Rita"
    assert User.objects.filter(email="reader_a@test.example").count() == 1


def test_admin_group_makes_platform_admins(world: Any, ldap_settings: Any, directory: Directory) -> None:
    dn = directory.person("admin1", "Admin-Passwort-1", "admin1@astadt.example", "Ada", "Admin")
    directory.group("lotse-admins", [dn])
    assert login("admin1", "Admin-Passwort-1").status_code == 302
    assert User.objects.get(directory_id="admin1").is_platform_admin
    directory.group("lotse-admins", [])
    login("admin1", "Admin-Passwort-1")
    assert not User.objects.get(directory_id="admin1").is_platform_admin


def test_local_accounts_still_work_when_the_directory_is_down(world: Any, ldap_settings: Any) -> None:
    ldap_settings.LDAP_AUTH_URL = ["ldap://127.0.0.1:1"]  # nothing listens there
    assert login("editor_a@test.example", "test-passwort-123").status_code == 302
    assert login("mmuster", "Verzeichnis-2026!").status_code == 200
