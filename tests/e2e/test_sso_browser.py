"""Single sign-on in a real browser against a real OpenID Connect provider that the test starts (as a
municipality's Keycloak would be): "Mit Dienstkonto anmelden", the provider's login, back in Lotse with the
role the groups claim gives."""

from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from lotse.accounts.models import User
from lotse.tenancy.models import Membership
from tests.conftest import build_world
from tests.sso.provider import oidc_provider, oidc_settings

pytestmark = pytest.mark.django_db(transaction=True)


def provider_login(page: Any, login: str) -> None:
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("egal")
    page.locator("button[type=submit]").click()
    page.locator("button[type=submit]").click()  # consent: "Continue"


def test_sign_in_with_the_municipalitys_identity_provider(page: Any, live_server: Any, settings: Any) -> None:
    build_world()
    with oidc_provider(f"{live_server.url}/oidc/callback/") as issuer:
        oidc_settings(settings, issuer)
        page.allowed_hosts.add(urlparse(issuer).netloc)
        # The test provider's own login page (oidc-provider's development pages, not Lotse) links a web font;
        # answered empty here so that the guard against third-party requests keeps watching Lotse's pages.
        page.route("https://fonts.googleapis.com/**", lambda route: route.fulfill(status=204, body=""))
        page.goto("/accounts/login/")
        page.get_by_role("link", name="Mit Dienstkonto anmelden").click()
        provider_login(page, "cdo")
        expect(page).to_have_url(f"{live_server.url}/m/astadt/")
        expect(page.get_by_text("Carla Dorn").first).to_be_visible()
        user = User.objects.get(email="carla.dorn@astadt.example")
        assert user.directory_id == "oidc:cdo" and not user.has_usable_password()
        assert Membership.objects.get(user=user).role == "coordinator"
        # a person without a Lotse group gets in, but sees no municipality's internals
        # (first the page's HTMX parts: an answer arriving after the cookies are cleared would set the session
        # cookie again, and the login page would then send the signed-in person on)
        page.wait_for_load_state("networkidle")
        page.context.clear_cookies()
        page.goto("/accounts/login/")
        page.get_by_role("link", name="Mit Dienstkonto anmelden").click()
        provider_login(page, "nobody")
        expect(page).to_have_url(f"{live_server.url}/")
        assert not Membership.objects.filter(user__email="no.body@astadt.example").exists()
