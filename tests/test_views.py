"""Pages as each role sees them: status codes, the tenant wall, forms, conflicts, history, language."""

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.urls import reverse

from lotse.tenancy.models import Membership, OrgUnit
from tests.factories import PASSWORD
from tests.pages import page_urls
from tests.test_permissions import ALL_USERS

MANAGE = ["coordinator_a", "admin"]
INSIDERS = ["coordinator_a", "editor_a", "reader_a", "admin"]
LOGGED_IN_ONLY = {"/accounts/profile/", "/accounts/password/change/", "/switch/", "/account/api-tokens/"}


def expected_status(path: str, key: str) -> int:
    """200 where the role may be, a login redirect for anonymous visitors, 403 for everyone else."""
    public = not path.startswith("/m/astadt/") or path == "/m/astadt/"
    if path == "/" and key.endswith(("_a", "_b")):
        return 302  # members go straight to their municipality
    if path in LOGGED_IN_ONLY:
        return 302 if key == "anonymous" else 200
    if path == "/accounts/login/" and key != "anonymous":
        return 302  # already logged in
    if public:
        return 200
    allowed = MANAGE if any(s in path for s in ("/settings/", "/new/", "/edit/", "/delete/")) else INSIDERS
    if path.startswith("/m/astadt/settings/history/"):
        allowed = INSIDERS
    if key in allowed:
        return 200
    if re.search(r"/\d+/", path) and key not in INSIDERS:
        return 404  # a record of A's working data does not exist for those who may not see it
    return 302 if key == "anonymous" else 403


USERS = [key for key in ALL_USERS if key != "coordinator_c"]


@pytest.mark.parametrize("key", USERS)
def test_every_page_answers_as_the_role_allows(world: Any, client_for: Any, key: str) -> None:
    client = client_for(world.users[key])
    for path in page_urls(world):
        response = client.get(path)
        assert response.status_code == expected_status(path, key), (path, key)


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.resources: list[str] = []
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for attr in ("src", "srcset", "action", "poster", "data"):
            if attr in a:
                self.resources.append(a[attr])
        if tag == "link" and "href" in a:
            self.resources.append(a["href"])
        if tag == "a" and "href" in a:
            self.links.append((a["href"], a.get("rel", "")))


@pytest.mark.parametrize("key", USERS)
def test_no_page_loads_anything_from_another_host(world: Any, client_for: Any, key: str) -> None:
    """Scripts, styles, fonts, images and form targets all come from Lotse itself (GDPR)."""
    client = client_for(world.users[key])
    world.a.website = "https://www.astadt.example"
    world.a.save()
    for path in page_urls(world):
        response = client.get(path)
        if response.status_code != 200:
            continue
        html = response.content.decode()
        refs = _Refs()
        refs.feed(html)
        for ref in refs.resources:
            assert not urlparse(ref).netloc, (path, ref)
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", html), path
        assert "@import" not in html
        for href, rel in refs.links:
            # Only the municipality's own website, entered by its coordinator, may be linked, and never with a referrer.
            if urlparse(href).netloc:
                assert href == world.a.website and "noopener" in rel, (path, href)


def test_other_towns_never_see_internal_data(world: Any, client_for: Any) -> None:
    """A coordinator of B (in A's network) and an outsider crawl every page: nothing internal of A appears."""
    Membership.objects.filter(user=world.users["coordinator_b"]).update(role="coordinator")
    secrets = [world.users["reader_a"].email, world.users["editor_a"].email, "Bürgerbüro A", "Bauamt A"]
    for key in ("coordinator_b", "coordinator_c", "outsider", "anonymous", "partner_a"):
        client = client_for(world.users[key])
        for path in page_urls(world):
            body = client.get(path).content.decode()
            for secret in secrets:
                assert secret not in body, (key, path, secret)


def test_coordinator_edits_org_unit_and_history_shows_it(world: Any, client_for: Any) -> None:
    client = client_for(world.users["coordinator_a"])
    url = reverse("tenancy:org_unit_edit", kwargs={"municipality": "astadt", "pk": world.unit_a2.pk})
    response = client.post(
        url,
        {
            "name": "Amt für Bauen",
            "short_name": "Amt 63",
            "kind": "office",
            "parent": "",
            "position": 0,
            "version": 1,
        },
    )
    assert response.status_code == 302
    history = client.get(
        reverse("tenancy:org_unit_history", kwargs={"municipality": "astadt", "pk": world.unit_a2.pk})
    ).content.decode()
    assert "Amt für Bauen" in history and "Bauamt A" in history and "Coordinator A" in history


def test_second_editor_gets_a_conflict_with_the_other_change(world: Any, client_for: Any) -> None:
    url = reverse("tenancy:org_unit_edit", kwargs={"municipality": "astadt", "pk": world.unit_a2.pk})
    data = {"short_name": "Amt 63", "kind": "office", "parent": "", "position": 0, "version": 1}
    client_for(world.users["admin"]).post(url, {**data, "name": "Erste Änderung"})
    client = client_for(world.users["coordinator_a"])
    response = client.post(url, {**data, "name": "Zweite Änderung"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ihre Änderungen wurden nicht gespeichert" in html
    assert "Erste Änderung" in html  # what the other person saved
    assert 'value="Zweite Änderung"' in html  # the user's own input is kept
    assert OrgUnit.objects.get(pk=world.unit_a2.pk).name == "Erste Änderung"
    # Saving again after seeing the conflict is a deliberate decision and goes through.
    response = client.post(url, {**data, "name": "Zweite Änderung", "version": 2})
    assert response.status_code == 302
    assert OrgUnit.objects.get(pk=world.unit_a2.pk).name == "Zweite Änderung"


def test_coordinator_restores_an_earlier_version(world: Any, client_for: Any) -> None:
    client = client_for(world.users["coordinator_a"])
    edit = reverse("tenancy:municipality_edit", kwargs={"municipality": "astadt"})
    client.post(
        edit,
        {
            "name": "Astadt an der See",
            "kind": "town",
            "ars": "089990000011",
            "inhabitants": 20000,
            "version": 1,
        },
    )
    world.a.refresh_from_db()
    assert world.a.name == "Astadt an der See"
    first = world.a.history.get(version=1)
    history_url = reverse("tenancy:municipality_history", kwargs={"municipality": "astadt"})
    assert client_for(world.users["reader_a"]).post(history_url, {"history_id": first.history_id}).status_code == 403
    client = client_for(world.users["coordinator_a"])
    client.post(history_url, {"history_id": first.history_id})
    world.a.refresh_from_db()
    assert (world.a.name, world.a.version) == ("Astadt", 3)


def test_form_errors_are_german_and_summarised(world: Any, client_for: Any) -> None:
    client = client_for(world.users["coordinator_a"])
    url = reverse("tenancy:municipality_edit", kwargs={"municipality": "astadt"})
    html = client.post(url, {"name": "", "kind": "town", "ars": "12", "version": 1}).content.decode()
    assert "data-error-summary" in html
    assert "Bitte prüfen Sie Ihre Eingaben" in html
    assert "Dieses Feld ist zwingend erforderlich." in html
    assert "genau 12 Ziffern" in html
    assert 'aria-invalid="true"' in html and 'href="#id_ars"' in html


def test_coordinator_invites_a_person_who_accepts_through_the_link(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(world.users["coordinator_a"])
    url = reverse("tenancy:member_add", kwargs={"municipality": "astadt"})
    form = {"email": "neu@astadt.example", "first_name": "Nina", "last_name": "Neu", "role": "editor"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**form, "org_units": [world.unit_a2.pk]})
    assert response.status_code == 302
    assert not Membership.objects.filter(user__email="neu@astadt.example").exists()  # not before accepting
    assert mail.outbox and mail.outbox[0].to == ["neu@astadt.example"]
    # The same answer for an address that already has an account: nothing tells whether it exists.
    with django_capture_on_commit_callbacks(execute=True):
        existing = client.post(url, {**form, "email": "outsider@test.example"}, follow=True)
    assert "Die Einladung an outsider@test.example als Bearbeitung ist verschickt" in existing.content.decode()
    assert not Membership.objects.filter(user__email="outsider@test.example").exists()
    # The invited person opens the link, sets a password and is in.
    found = re.search(r"http://[^/]+(/invitations/[^/\s]+/)", str(mail.outbox[0].body))
    assert found
    link = found.group(1)
    stranger = client_for(None)
    page = stranger.get(link)
    assert "Konto anlegen" in page.content.decode()
    done = stranger.post(
        link,
        {"first_name": "Nina", "last_name": "Neu", "password1": "sicher-genug-2026", "password2": "sicher-genug-2026"},
    )
    assert done.status_code == 302 and done["Location"] == "/m/astadt/"
    assert Membership.objects.get(user__email="neu@astadt.example").role == "editor"
    assert stranger.get(link).status_code == 404  # used
    # An org unit of another town cannot be smuggled in.
    client = client_for(world.users["coordinator_a"])
    response = client.post(url, {"email": "x@astadt.example", "role": "editor", "org_units": [world.unit_b.pk]})
    assert response.status_code == 200


def test_records_of_another_town_are_not_found_through_my_town(world: Any, client_for: Any) -> None:
    client = client_for(world.users["coordinator_a"])
    url = reverse("tenancy:org_unit_edit", kwargs={"municipality": "astadt", "pk": world.unit_b.pk})
    assert client.get(url).status_code == 404
    member_b = world.users["coordinator_b"].memberships.get()
    assert (
        client.post(reverse("tenancy:member_remove", kwargs={"municipality": "astadt", "pk": member_b.pk})).status_code
        == 404
    )


def test_login_with_email_and_language_switch(world: Any, client: Any) -> None:
    response = client.post(reverse("accounts:login"), {"username": "coordinator_a@test.example", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/", follow=True).request["PATH_INFO"] == "/m/astadt/"
    assert "Übersicht" in client.get("/m/astadt/").content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/m/astadt/"})
    html = client.get("/m/astadt/").content.decode()
    assert '<html lang="en">' in html and "Overview" in html


def test_wrong_password_gets_a_german_message(world: Any, client: Any) -> None:
    html = client.post(
        reverse("accounts:login"), {"username": "coordinator_a@test.example", "password": "falsch"}
    ).content.decode()
    assert "E-Mail-Adresse oder Passwort stimmen nicht" in html


def test_password_reset_sends_a_link(world: Any, client: Any) -> None:
    client.post(reverse("accounts:password_reset"), {"email": "reader_a@test.example"})
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_healthz_reports_the_database(client: Any, db: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok" and response.json()["database"] == "ok"


def test_coordinator_uploads_a_logo_and_bad_files_are_refused(
    world: Any, client_for: Any, settings: Any, tmp_path: Any
) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = str(tmp_path)
    client = client_for(world.users["coordinator_a"])
    url = reverse("tenancy:municipality_edit", kwargs={"municipality": "astadt"})
    data = {"name": "Astadt", "kind": "town", "ars": "089990000011", "inhabitants": 20000}
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "navy").save(buffer, format="PNG")
    png = SimpleUploadedFile("wappen.png", buffer.getvalue(), content_type="image/png")
    assert client.post(url, {**data, "version": 1, "logo": png}).status_code == 302
    world.a.refresh_from_db()
    assert world.a.logo.name.startswith("logos/wappen")
    fake = SimpleUploadedFile("wappen.png", b"not an image", content_type="image/png")
    html = client.post(url, {**data, "version": 2, "logo": fake}).content.decode()
    assert "Bitte ein gültiges Bild hochladen" in html
    huge = SimpleUploadedFile("gross.png", buffer.getvalue() + b"\0" * (1024 * 1024), content_type="image/png")
    html = client.post(url, {**data, "version": 2, "logo": huge}).content.decode()
    assert "größer als 1 MB" in html
