"""A staff member creates an API token in the browser, a program uses it, the person revokes it; the API's
documentation is served by Lotse itself (the page guard fails the test on any request to another host)."""

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import build_world
from tests.e2e.conftest import login
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_create_use_and_revoke_an_api_token(page: Any) -> None:
    build_world()
    login(page, "reader_a@test.example", PASSWORD)
    page.goto("/account/api-tokens/")
    page.wait_for_load_state("networkidle")
    page.get_by_label("Bezeichnung").fill("Auswertung Controlling")
    page.get_by_label("Lesen", exact=True).check()
    page.get_by_label("Gültigkeit").select_option("30")
    page.get_by_role("button", name="Anlegen").click()
    token = page.locator("[data-token]").inner_text()
    assert token.startswith("lotse_")
    api = page.request.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert api.status == 200 and api.json()["scope"] == "read"
    page.goto("/account/api-tokens/")
    expect(page.locator("[data-token]")).to_have_count(0)  # shown once only
    page.get_by_role("button", name="„Auswertung Controlling“ widerrufen").click()
    expect(page.locator(".messages")).to_contain_text("widerrufen")
    assert page.request.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status == 401
    page.goto("/api/v1/docs")
    expect(page.get_by_text("Lotse API").first).to_be_visible()
