"""Backups of the whole instance: the database with the engine's own tool (SQLite's online backup, pg_dump) and
the uploaded files, in one .tar.gz with a manifest. Restoring puts both back as they were; the database engine
of the backup and the target must match (moving between engines goes through `dumpdata`/`loaddata`)."""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from lotse import __version__

FORMAT = 1


class BackupError(Exception):
    pass


def _pg_env(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["--host", str(db.get("HOST") or "localhost"), "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    return args, env


def _run(cmd: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{cmd[0]} ist fehlgeschlagen: {result.stderr.strip()[:500]}")


def create(target: Path) -> dict[str, Any]:
    """Write a backup archive to `target` and return its manifest."""
    db = connection.settings_dict
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / ("database.sqlite3" if connection.vendor == "sqlite" else "database.pgdump")
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(dump) as copy:
                connection.connection.backup(copy)  # consistent even while others write (WAL)
            copy.close()
        elif connection.vendor == "postgresql":
            args, env = _pg_env(db)
            _run(["pg_dump", "--format=custom", "--no-owner", *args, "--file", str(dump), str(db["NAME"])], env)
        else:  # pragma: no cover
            raise BackupError(f"Datenbank {connection.vendor} wird nicht unterstützt.")
        manifest = {
            "format": FORMAT,
            "lotse": __version__,
            "created": timezone.now().isoformat(),
            "database": connection.vendor,
            "migrations": MigrationRecorder(connection).migration_qs.count(),
            "files": sum(1 for p in media.rglob("*") if p.is_file()) if media.exists() else 0,
        }
        target.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(target, "w:gz") as tar:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=dump.name)
            if media.exists():
                tar.add(media, arcname="media")
    return manifest


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = tar.getmembers()
    for m in members:
        if m.name.startswith("/") or ".." in Path(m.name).parts or not (m.isfile() or m.isdir()):
            raise BackupError(f"Unzulässiger Eintrag im Archiv: {m.name}")
    return members


def read_manifest(source: Path) -> dict[str, Any]:
    with tarfile.open(source, "r:gz") as tar:
        member = tar.extractfile("manifest.json")
        if member is None:
            raise BackupError("Das Archiv enthält kein manifest.json – ist es eine Lotse-Sicherung?")
        manifest: dict[str, Any] = json.load(member)
    return manifest


def restore(source: Path) -> dict[str, Any]:
    """Replace the database and the uploaded files with the backup's. Destructive: callers ask first."""
    manifest = read_manifest(source)
    if manifest.get("format") != FORMAT:
        raise BackupError("Unbekanntes Sicherungsformat.")
    if manifest["database"] != connection.vendor:
        raise BackupError(
            f"Die Sicherung stammt aus {manifest['database']}, diese Installation nutzt {connection.vendor}."
        )
    db = connection.settings_dict
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(source, "r:gz") as tar:
        tar.extractall(tmp, members=_safe_members(tar), filter="data")
        for conn in connections.all():
            conn.close()
        if connection.vendor == "sqlite":
            with sqlite3.connect(Path(tmp) / "database.sqlite3") as backup, sqlite3.connect(db["NAME"]) as live:
                backup.backup(live)
            backup.close()
            live.close()
        else:
            args, env = _pg_env(db)
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    *args,
                    "--dbname",
                    str(db["NAME"]),
                    str(Path(tmp) / "database.pgdump"),
                ],
                env,
            )
        if media.exists():
            shutil.rmtree(media)
        if (Path(tmp) / "media").exists():
            shutil.copytree(Path(tmp) / "media", media)
    return manifest
