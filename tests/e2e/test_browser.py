"""Main flows in a real browser, and an axe accessibility check of every page for every role."""

import re
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from lotse.tenancy.models import Membership
from tests.conftest import build_world
from tests.e2e.conftest import login
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def serious(results: Any) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_login_navigate_and_switch_language(page: Any) -> None:
    world = build_world()
    Membership.objects.create(user=world.users["coordinator_a"], municipality=world.c, role="reader")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Digitalisierung kommunal"))
    login(page, "coordinator_a@test.example", "falsch")
    expect(page.get_by_role("alert")).to_contain_text("E-Mail-Adresse oder Passwort stimmen nicht")
    login(page, "coordinator_a@test.example", PASSWORD)
    # Two municipalities and none visited yet: the start page lists them.
    mine = page.get_by_role("region", name="Ihre Kommunen")
    mine.get_by_role("link", name="Astadt").click()
    expect(page).to_have_url(re.compile(r"/m/astadt/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Astadt")
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    nav.get_by_role("link", name="Organisation").click()
    expect(page.get_by_role("rowheader", name="Amt 32 Bürgeramt A")).to_be_visible()
    nav.get_by_role("link", name="Mitglieder").click()
    expect(page.get_by_role("cell", name="reader_a@test.example")).to_be_visible()
    page.get_by_text("Kommune wechseln").click()
    page.get_by_role("link", name="Cburg").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cburg")
    expect(nav).not_to_contain_text("Einstellungen")  # a reader there, not the coordinator
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/m/cburg/$"))  # the start page returns to the municipality visited last
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Members")).to_be_visible()
    page.get_by_role("button", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")


def test_keyboard_user_reaches_content_and_menus(page: Any) -> None:
    build_world()
    login(page, "coordinator_a@test.example", PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Zum Inhalt springen")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    account = page.locator("details[data-menu] summary").last
    account.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Mein Profil")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("link", name="Mein Profil")).to_be_hidden()


def test_coordinator_adds_org_unit_and_sees_conflict(page: Any, browser: Any, live_server: Any) -> None:
    world = build_world()
    login(page, "coordinator_a@test.example", PASSWORD)
    page.goto("/m/astadt/org-units/new/")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()  # the error summary gets focus
    page.get_by_label("Name").fill("Amt für Digitales")
    page.get_by_label("Kürzel").fill("Amt 12")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_contain_text("„Amt 12 Amt für Digitales“ wurde gespeichert.")

    # Two people open the same unit; the later save is refused and shows the first person's change.
    other = browser.new_context(base_url=live_server.url, locale="de-DE").new_page()
    login(other, "admin@test.example", PASSWORD)
    edit = f"/m/astadt/org-units/{world.unit_a2.pk}/edit/"
    page.goto(edit)
    other.goto(edit)
    other.get_by_label("Name").fill("Baurechtsamt")
    other.get_by_role("button", name="Speichern").click()
    expect(other.get_by_role("status")).to_contain_text("wurde gespeichert")
    page.get_by_label("Name").fill("Amt für Bauen")
    page.get_by_role("button", name="Speichern").click()
    alert = page.locator("[data-error-summary]")
    expect(alert).to_contain_text("Ihre Änderungen wurden nicht gespeichert")
    expect(alert).to_contain_text("Baurechtsamt")
    other.context.close()


def test_error_pages_and_forms_with_errors_pass_axe(page: Any) -> None:
    build_world()
    login(page, "reader_a@test.example", PASSWORD)
    axe = Axe()
    page.goto("/m/astadt/settings/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kein Zugriff")
    assert not serious(axe.run(page))
    page.goto("/m/gibt-es-nicht/")
    assert not serious(axe.run(page))
    page.goto("/accounts/password/change/")
    page.get_by_role("button", name="Passwort ändern").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    assert not serious(axe.run(page))


def test_axe_check_itself_catches_a_violation(page: Any) -> None:
    """Guards the guard: an image without alt text and an unlabeled input must be reported."""
    page.set_content('<html lang="de"><body><main><img src="data:,"><input type="text"></main></body></html>')
    assert serious(Axe().run(page))


def test_csp_check_itself_catches_inline_code(browser: Any, live_server: Any) -> None:
    """Guards the guard of tests/e2e/conftest.py: Lotse's own CSP header blocks an injected inline script, and
    Chromium says so on the console, which the page fixture turns into a failure."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text))

    def inject(route: Any) -> None:
        response = route.fetch()
        body = response.text().replace("</body>", "<script>document.title = 'eingeschleust'</script></body>")
        route.fulfill(response=response, body=body)

    page.route("**/accessibility/", inject)
    page.goto("/accessibility/")
    page.wait_for_timeout(300)
    context.close()
    assert any("Content Security Policy" in m for m in messages), messages
