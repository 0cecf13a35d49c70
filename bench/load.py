"""Load: many people using Lotse at once through a real production server (gunicorn) on loopback.

    python bench/load.py [--users 100] [--seconds 120]     # demo data in a throw-away database

Each simulated person has a session of their own and, in turn with a short think time (0.2–1 s), opens the
pages a municipal user opens (home, project list, a project, strategy, OZG, participation, dashboard), asks the
API and now and then changes a project through it (a 409 conflict is an answer, not an error). Any other 4xx,
every 5xx and every failed connection count as errors. `tests/test_load.py` runs the same with the suite's
data and requires zero errors.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def gunicorn(
    env: dict[str, str],
    workers: int = 2,
    threads: int = 8,
    extra: tuple[str, ...] = (),
    port: int = 0,
    worker_class: str = "gthread",
) -> Iterator[str]:
    """A production server for Lotse with `env` on a free loopback port; yields its base URL."""
    port = port or free_port()
    static = tempfile.mkdtemp(prefix="lotse-static-")
    full = {**os.environ, **env, "STATIC_ROOT": static, "ALLOWED_HOSTS": "127.0.0.1", "DEBUG": "false"}
    full["DJANGO_SETTINGS_MODULE"] = "lotse.settings"  # not the test settings of a calling pytest
    full.setdefault("LOG_LEVEL", "ERROR")  # a 409 is logged as a warning; the run counts answers itself
    lotse = str(Path(sys.executable).parent / "lotse")
    subprocess.run([lotse, "collectstatic", "--no-input", "-v0"], env=full, check=True)  # noqa: S603
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "lotse.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            worker_class,
            "--log-level",
            "warning",
            *extra,
        ],
        env=full,
        cwd=ROOT,
    )
    try:
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start")
        yield f"127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)


@dataclass
class Person:
    session: str  # the sessionid cookie
    token: str  # an API token with write scope
    pages: list[str]
    project_api: str  # the API path of a project this person may change


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    conflicts: int = 0
    writes: int = 0

    def summary(self, seconds: float) -> str:
        lat = sorted(self.latencies) or [0.0]
        p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000  # noqa: E731
        return (
            f"{len(lat)} requests in {seconds:.0f} s ({len(lat) / seconds:.1f}/s), p50 {p(0.5):.0f} ms, "
            f"p95 {p(0.95):.0f} ms, max {lat[-1] * 1000:.0f} ms, {self.writes} writes "
            f"({self.conflicts} conflicts answered 409), {len(self.errors)} errors"
        )


def run(host: str, people: list[Person], seconds: float) -> Result:
    result = Result()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def one(person: Person, rnd: random.Random) -> None:
        conn = http.client.HTTPConnection(host, timeout=30)
        cookie = {"Cookie": f"sessionid={person.session}"}
        auth = {"Authorization": f"Bearer {person.token}"}
        while time.monotonic() < deadline:
            time.sleep(rnd.uniform(0.2, 1.0))
            roll = rnd.random()
            try:
                start = time.perf_counter()
                if roll < 0.05:  # change a project through the API, with the version just read
                    conn.request("GET", person.project_api, headers=auth)
                    current = json.loads(conn.getresponse().read())
                    body = json.dumps({"version": current["version"], "project_lead": f"Last {rnd.randint(1, 999)}"})
                    conn.request(
                        "PATCH", person.project_api, body=body, headers={**auth, "Content-Type": "application/json"}
                    )
                    kind = "write"
                elif roll < 0.15:
                    conn.request("GET", person.project_api.rsplit("/", 1)[0] + "?limit=20", headers=auth)
                    kind = "api"
                else:
                    conn.request("GET", rnd.choice(person.pages), headers=cookie)
                    kind = "page"
                response = conn.getresponse()
                response.read()
                elapsed = time.perf_counter() - start
                with lock:
                    result.latencies.append(elapsed)
                    if kind == "write":
                        result.writes += 1
                        result.conflicts += response.status == 409
                    if response.status >= 500 or (response.status >= 400 and response.status != 409):
                        result.errors.append(f"{response.status} {kind}")
            except (OSError, http.client.HTTPException, ValueError, KeyError) as error:
                with lock:
                    result.errors.append(f"{type(error).__name__}: {error}")
                conn.close()
                conn = http.client.HTTPConnection(host, timeout=30)
        conn.close()

    threads = [threading.Thread(target=one, args=(p, random.Random(i))) for i, p in enumerate(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return result


def session_for(user: object) -> str:
    """A signed-in session for `user`, written straight to the session store (no login round trip)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)  # type: ignore[attr-defined]
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()  # type: ignore[attr-defined]
    session.create()
    return session.session_key or ""


def make_people(count: int, municipality_slug: str, pages: list[str], project_keys: list[str]) -> list[Person]:
    """Members of the municipality with a session and a write token each (inside a configured Django)."""
    from lotse.accounts.models import User
    from lotse.api.services import token_create
    from lotse.tenancy.models import Membership, Municipality, Role

    town = Municipality.objects.get(slug=municipality_slug)
    people = []
    for i in range(count):
        user = User.objects.create_user(email=f"last{i}@{municipality_slug}.example", password=None)
        Membership.objects.create(user=user, municipality=town, role=Role.COORDINATOR if i % 10 == 0 else Role.READER)
        session_key = session_for(user)
        if i % 10 == 0:
            coordinator = user  # every tenth person is one; the others write with the last coordinator's rights
        writer = coordinator
        _t, raw = token_create(user=writer, name="Last", scope="write")
        key = project_keys[i % len(project_keys)]
        people.append(Person(session_key, raw, pages, f"/api/v1/municipalities/{municipality_slug}/projects/{key}"))
    return people


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=120)
    args = parser.parse_args()
    var = tempfile.mkdtemp(prefix="lotse-load-")
    env = {
        "LOTSE_DEMO": "true",
        "LOTSE_VAR_DIR": var,
        "DJANGO_SETTINGS_MODULE": "lotse.settings",
        "EMAIL_URL": "dummymail://",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from lotse.portfolio.models import Project

    call_command("migrate", verbosity=0)
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    keys = list(Project.objects.filter(municipality__slug="musterstadt").values_list("key", flat=True)[:20])
    first = Project.objects.filter(municipality__slug="musterstadt").order_by("pk").first()
    pages = [
        "/m/musterstadt/",
        "/m/musterstadt/projects/",
        f"/m/musterstadt/projects/{first.pk if first else 1}/",
        "/m/musterstadt/strategy/",
        "/m/musterstadt/ozg/",
        "/m/musterstadt/participation/",
        "/m/musterstadt/dashboard/",
        "/municipalities/",
    ]
    people = make_people(args.users, "musterstadt", pages, keys)
    db_env = {"DATABASE_URL": os.environ["DATABASE_URL"]} if os.environ.get("DATABASE_URL") else {}
    with gunicorn({**env, **db_env}) as host:
        started = time.monotonic()
        result = run(host, people, args.seconds)
        print(result.summary(time.monotonic() - started))
        for error in result.errors[:10]:
            print("  error:", error)
    print("database:", "PostgreSQL" if db_env else "SQLite", "| users:", args.users)
    sys.exit(1 if result.errors else 0)


if __name__ == "__main__":
    main()
