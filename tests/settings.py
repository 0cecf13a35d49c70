"""Test settings: the one settings module, plus a test-only app that exercises ShareableModel."""

import os
from pathlib import Path

os.environ.setdefault("LOTSE_DEMO", "true")
# Per checkout, so two clones testing at once never share a database file.
# The app's semantic vectors come from the deterministic stand-in (fast); the real model runs end to end in
# tests/test_synergy.py (the CLI) and in tests/test_synergy_app.py::test_the_real_model_end_to_end_in_the_app.
os.environ.setdefault("EMBEDDINGS_BACKEND", "stand-in")
os.environ.setdefault("LOTSE_VAR_DIR", str(Path(__file__).resolve().parent.parent / "var" / "test"))

from lotse.settings import *  # noqa: F403
from lotse.settings import INSTALLED_APPS, STORAGES

DEBUG = False
INSTALLED_APPS = [*INSTALLED_APPS, "tests.shareable"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; real hashing is Django's job
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run where they are enqueued, so a test sees their effect at once; tests/test_tasks.py runs the real
# database queue and worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not shared-cache memory: concurrency tests need SQLite's real locking and busy timeout.
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(os.environ["LOTSE_VAR_DIR"], "test.sqlite3")}  # noqa: F405

# The spam guard's minimum fill time would reject every test client post; one test sets it back on.
PARTICIPATION_MIN_SECONDS = 0
