"""Groups → roles, the rules shared by LDAP and OIDC."""

from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.test import Client, override_settings

from lotse.sso.groups import apply_groups, group_map
from lotse.tenancy.models import Membership


@override_settings(SSO_GROUP_ROLES=" A = astadt:reader ;B=astadt:coordinator;broken;C=bdorf:chef; D=bdorf:editor")
def test_the_map_is_read_leniently() -> None:
    assert group_map() == {"a": [("astadt", "reader")], "b": [("astadt", "coordinator")], "d": [("bdorf", "editor")]}


@override_settings(SSO_GROUP_ROLES="a=astadt:reader;b=astadt:coordinator;x=nirgendwo:reader")
def test_the_highest_role_wins_and_unmanaged_towns_are_left_alone(world: Any) -> None:
    user = world.users["coordinator_b"]  # coordinator of bdorf, which the map does not manage
    apply_groups(user, ["A", "B"])
    assert Membership.objects.get(user=user, municipality=world.a).role == "coordinator"
    assert Membership.objects.get(user=user, municipality=world.b).role == "coordinator"
    apply_groups(user, ["a"])
    assert Membership.objects.get(user=user, municipality=world.a).role == "reader"
    apply_groups(user, [])
    assert not Membership.objects.filter(user=user, municipality=world.a).exists()
    assert Membership.objects.filter(user=user, municipality=world.b).exists()


@override_settings(SSO_GROUP_ROLES="a=astadt:reader")
def test_the_last_coordinator_is_kept(world: Any) -> None:
    apply_groups(world.users["coordinator_a"], [])
    assert Membership.objects.get(user=world.users["coordinator_a"], municipality=world.a).role == "coordinator"
    apply_groups(world.users["coordinator_a"], ["a"])  # demoted by the directory: also refused for the last one
    assert Membership.objects.get(user=world.users["coordinator_a"], municipality=world.a).role == "coordinator"


@override_settings(REQUIRE_SECOND_FACTOR=True, OIDC_PROVIDER_ENFORCES_MFA=True)
def test_a_provider_that_enforces_mfa_is_trusted_for_the_second_factor(world: Any) -> None:
    user = world.users["coordinator_a"]

    def session_for(backend: str) -> Client:
        client = Client()
        session = client.session
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        return client

    with override_settings(
        AUTHENTICATION_BACKENDS=["lotse.sso.oidc.ProviderBackend", "django.contrib.auth.backends.ModelBackend"]
    ):
        assert session_for("lotse.sso.oidc.ProviderBackend").get("/m/astadt/projects/").status_code == 200
        password = session_for("django.contrib.auth.backends.ModelBackend").get("/m/astadt/projects/")
        assert password.status_code == 302 and "/two-factor/" in password["Location"]
