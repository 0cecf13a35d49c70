"""ASVS level 2 essentials, each proven: headers and CSP, lockout, password policy, the second factor, upload
checks, redacted logs, escaped user text, and the audit of logins and permission changes."""

import io
import logging
import zipfile
from typing import Any

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils.datastructures import MultiValueDict
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotse.core import uploads
from lotse.core.logging import RedactSecrets, redact
from lotse.portfolio.importer import ImportFileError, read_table
from lotse.reports.forms import DocumentForm
from tests.factories import PASSWORD


def login(client: Client, email: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post("/accounts/login/", {"username": email, "password": password}, **extra)


# ------------------------------------------------------------------ headers


def test_security_headers_and_a_csp_without_inline_code(world: Any, client_for: Any) -> None:
    response = Client().get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "http" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "no-store" not in Client().get("/municipalities/").get("Cache-Control", "")  # public page
    private = client_for(world.users["reader_a"]).get("/m/astadt/projects/")
    assert private["Cache-Control"] == "private, no-store"
    assert "Content-Security-Policy" in private


def test_production_settings_are_strict() -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("LOTSE_DEMO", "DEBUG", "SECRET_KEY")}
    code = (
        "import lotse.settings as s; print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SESSION_COOKIE_HTTPONLY, s.REQUIRE_SECOND_FACTOR, s.LOGGING['handlers']['console']['formatter'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env={**env, "SECRET_KEY": "k" * 50}, capture_output=True, text=True
    )
    assert out.stdout.split() == ["31536000", "True", "True", "True", "True", "json"], out.stderr


# ------------------------------------------------------------------ login


def test_lockout_after_five_wrong_passwords(world: Any) -> None:
    client = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(4):
        assert login(client, "reader_a@test.example", "falsch-falsch-1").status_code == 200
    locked = login(client, "reader_a@test.example", "falsch-falsch-1")
    assert locked.status_code == 429
    assert "Zu viele falsche Anmeldeversuche" in locked.content.decode() and "15 Minuten" in locked.content.decode()
    # even the right password is refused while locked; the person from another address is not affected
    assert login(client, "reader_a@test.example").status_code == 429
    assert login(Client(REMOTE_ADDR="10.0.0.2"), "reader_a@test.example").status_code == 302
    assert AccessFailureLog.objects.filter(username="reader_a@test.example").count() >= 5


def test_logins_are_audited_without_passwords(world: Any) -> None:
    client = Client(REMOTE_ADDR="10.0.0.3")
    assert login(client, "editor_a@test.example").status_code == 302
    entry = AccessLog.objects.get(username="editor_a@test.example")
    assert entry.ip_address == "10.0.0.3" and entry.attempt_time
    login(Client(), "editor_a@test.example", "geheim-geheim-99")
    failure = AccessFailureLog.objects.get(username="editor_a@test.example")
    assert "geheim-geheim-99" not in str(failure.__dict__)


def test_password_policy(world: Any, client_for: Any) -> None:
    client = client_for(world.users["reader_a"])
    for weak, message in [("kurz-12345", "mindestens 12 Zeichen"), ("password1234", "zu üblich")]:
        response = client.post(
            "/accounts/password/change/",
            {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak},
        )
        assert response.status_code == 200
        assert message in response.content.decode(), weak
    ok = "Lotse-ist-sicher-2026"
    response = client.post(
        "/accounts/password/change/", {"old_password": PASSWORD, "new_password1": ok, "new_password2": ok}
    )
    assert response.status_code == 302


# ------------------------------------------------------------------ second factor


def code(device: TOTPDevice) -> str:
    return str(TOTP(device.bin_key, device.step, device.t0, device.digits).token()).zfill(device.digits)


@override_settings(REQUIRE_SECOND_FACTOR=True)
def test_coordinators_must_set_up_and_then_use_a_second_factor(world: Any) -> None:
    client = Client()
    response = login(client, "coordinator_a@test.example")
    assert response.status_code == 302
    page = client.get("/m/astadt/projects/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/two-factor/setup/")
    setup = client.get(page["Location"])
    assert setup.status_code == 200 and setup.context["qr"].startswith("data:image/svg+xml")
    device = TOTPDevice.objects.get(user=world.users["coordinator_a"])
    wrong = client.post(page["Location"], {"otp_token": "000000" if code(device) != "000000" else "111111"})
    assert "Der Code stimmt nicht" in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    done = client.post(page["Location"], {"otp_token": code(device)})
    assert done.status_code == 302 and done["Location"] == "/m/astadt/projects/"
    assert client.get("/m/astadt/projects/").status_code == 200
    # the next login asks for the code before anything else
    client.post("/accounts/logout/")
    login(client, "coordinator_a@test.example")
    asked = client.get("/m/astadt/")
    assert asked.status_code == 302 and asked["Location"].startswith("/accounts/two-factor/?")
    assert client.get("/m/astadt/strategy/").status_code == 302
    device.refresh_from_db()
    device.last_t = -1  # the same code may not be used twice; a new time step in real life
    device.save()
    verified = client.post("/accounts/two-factor/?next=/m/astadt/strategy/", {"otp_token": code(device)})
    assert verified.status_code == 302 and verified["Location"] == "/m/astadt/strategy/"
    assert client.get("/m/astadt/strategy/").status_code == 200
    # and it cannot be switched off in that role
    client.post("/accounts/two-factor/remove/")
    assert TOTPDevice.objects.filter(user=world.users["coordinator_a"], confirmed=True).exists()


@override_settings(REQUIRE_SECOND_FACTOR=True)
def test_readers_are_not_forced_but_may_opt_in(world: Any) -> None:
    client = Client()
    login(client, "reader_a@test.example")
    assert client.get("/m/astadt/projects/").status_code == 200
    client.get("/accounts/two-factor/setup/")
    device = TOTPDevice.objects.get(user=world.users["reader_a"])
    client.post("/accounts/two-factor/setup/", {"otp_token": code(device)})
    client.post("/accounts/logout/")
    login(client, "reader_a@test.example")
    assert client.get("/m/astadt/projects/")["Location"].startswith("/accounts/two-factor/")


@override_settings(REQUIRE_SECOND_FACTOR=True)
def test_api_tokens_are_not_sent_to_the_second_factor(world: Any) -> None:
    from lotse.api.services import token_create

    _token, raw = token_create(user=world.users["coordinator_a"], name="x")
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


# ------------------------------------------------------------------ uploads


def xlsx_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))  # 60 MB of zeros, packs to ~60 KB
    return buffer.getvalue()


def test_zip_bombs_and_fake_files_are_refused() -> None:
    bomb = xlsx_bomb()
    assert len(bomb) < 1024 * 1024
    with pytest.raises(ImportFileError, match="Zip-Bombe"):
        read_table(bomb, "projekte.xlsx")
    with pytest.raises(ImportFileError, match="kann nicht gelesen werden"):
        read_table(b"<html>kein Excel</html>", "projekte.xlsx")
    with pytest.raises(ValidationError):
        uploads.check_zip(b"PK\x03\x04 kaputt")
    fake_pdf = DocumentForm(
        {"title": "Protokoll"}, MultiValueDict({"file": [SimpleUploadedFile("protokoll.pdf", b"<script>")]})
    )
    assert not fake_pdf.is_valid() and "keine PDF-Datei" in str(fake_pdf.errors)
    bomb_docx = DocumentForm({"title": "Folien"}, MultiValueDict({"file": [SimpleUploadedFile("folien.docx", bomb)]}))
    assert not bomb_docx.is_valid() and "Zip-Bombe" in str(bomb_docx.errors)
    real_pdf = DocumentForm(
        {"title": "Protokoll"}, MultiValueDict({"file": [SimpleUploadedFile("p.pdf", b"%PDF-1.7\n%%EOF")]})
    )
    assert real_pdf.is_valid(), real_pdf.errors


def test_the_portfolio_template_itself_passes_the_zip_check(world: Any, client_for: Any) -> None:
    template = client_for(world.users["coordinator_a"]).get("/m/astadt/projects/template.xlsx")
    assert template.status_code == 200
    uploads.check_zip(b"".join(template.streaming_content) if template.streaming else template.content)


# ------------------------------------------------------------------ logs


def test_logs_never_carry_tokens_passwords_or_signed_links(world: Any) -> None:
    assert redact("Authorization: Bearer lotse_abcdefghijkl123") == "Authorization: Bearer ***"
    assert "geheim" not in redact("password=geheim&next=/")
    assert redact("Not Found: /m/astadt/participation/confirm/eyJ1Ijo.xyz:abc/") == (
        "Not Found: /m/astadt/participation/confirm/***"
    )
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecrets())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        Client().get("/m/astadt/participation/confirm/geheimer-link-123/")
        Client().get("/accounts/password/reset/MQ/geheimes-token-456/x/")
        Client().get("/api/v1/me", HTTP_AUTHORIZATION="Bearer lotse_geheimes_token_789")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "Not Found" in text or "Unauthorized" in text
    for secret in ("geheimer-link-123", "geheimes-token-456", "lotse_geheimes_token_789"):
        assert secret not in text


# ------------------------------------------------------------------ user content and permission changes


def test_user_text_is_escaped_everywhere(world: Any, client_for: Any) -> None:
    from lotse.portfolio import services

    project = services.project_save(
        None,
        user=world.users["coordinator_a"],
        municipality=world.a,
        data={"title": "<script>alert(1)</script>", "description": '<img src=x onerror="alert(2)">'},
    )
    page = client_for(world.users["reader_a"]).get(f"/m/astadt/projects/{project.pk}/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert "<img src=x" not in page


def test_permission_changes_are_audited(world: Any, client_for: Any) -> None:
    admin = world.users["admin"]
    reader = world.users["reader_a"]
    client = client_for(admin)
    response = client.post(
        f"/admin/accounts/user/{reader.pk}/change/",
        {
            "email": reader.email,
            "first_name": reader.first_name,
            "last_name": reader.last_name,
            "is_active": "on",
            "is_superuser": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "title": "",
            "phone": "",
        },
    )
    reader.refresh_from_db()
    assert reader.is_superuser, response.content[:2000]
    latest = reader.history.first()
    assert latest.is_superuser and latest.history_user == admin
    assert "password" not in {f.name for f in latest._meta.fields}


def test_workshop_material_is_served_only_after_the_permission_check(
    world: Any, client_for: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    coordinator = client_for(world.users["coordinator_a"])
    upload = SimpleUploadedFile("handreichung.pdf", b"%PDF-1.7\nintern\n%%EOF")
    response = coordinator.post(
        "/m/astadt/waves/", {"action": "document", "material-title": "Handreichung", "material-file": upload}
    )
    assert response.status_code == 302
    from lotse.reports.models import WaveDocument

    document = WaveDocument.objects.get(title="Handreichung")
    assert document.file.name.startswith("private/")
    url = f"/m/astadt/waves/material/{document.pk}/"
    assert url in coordinator.get("/m/astadt/waves/").content.decode()
    reader = client_for(world.users["reader_a"]).get(url)
    assert reader.status_code == 200 and b"intern" in b"".join(reader.streaming_content)
    assert reader["Content-Disposition"].startswith("attachment")
    assert client_for(world.users["outsider"]).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302
