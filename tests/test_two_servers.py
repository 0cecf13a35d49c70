"""Beyond one machine: two app servers (gunicorn) behind nginx, on one PostgreSQL, sharing Redis.

A person signs in through nginx; requests alternate between both servers and stay signed in (sessions live
in the shared database); a change made through one server is what the other shows at once (nothing is kept
per process); a limit counted in the shared cache (the API's rate limit) holds across both servers. nginx
is run by the test with its own configuration (`docs/deploy.md` shows the production one).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import redis
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from bench.load import free_port, gunicorn
from lotse.api.services import token_create
from lotse.portfolio.models import Project
from tests.conftest import build_world
from tests.factories import PASSWORD
from tests.portfolio_world import build_portfolio
from tests.test_load import database_url

REQUIRED = os.environ.get("LOTSE_REQUIRE_BROWSER", "") not in ("", "0", "false")  # CI: services are required
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
REDIS_URL = "redis://127.0.0.1:6379/7"


def redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


CONFIG = """
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream lotse {{
        server 127.0.0.1:{one};
        server 127.0.0.1:{two};
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://lotse;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


@contextmanager
def nginx(one: int, two: int) -> Iterator[str]:
    """nginx on a free port, balancing round-robin over the two upstream ports; yields host:port."""
    assert NGINX, "nginx is not installed (Debian: apt-get install nginx)"
    folder = Path(tempfile.mkdtemp(prefix="lotse-nginx-"))
    folder.chmod(0o777)  # nginx's workers may run as another user than the master
    port = free_port()
    (folder / "nginx.conf").write_text(CONFIG.format(dir=folder, one=one, two=two, port=port))
    process = subprocess.Popen([NGINX, "-c", str(folder / "nginx.conf"), "-p", str(folder)])
    try:
        for _ in range(50):
            try:
                requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_two_app_servers_behind_nginx_share_sessions_edits_and_cache() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("two app servers share one PostgreSQL: runs in the suite's PostgreSQL pass")
    if not NGINX or not redis_up():
        if REQUIRED:
            pytest.fail("nginx and Redis are required in CI")
        pytest.skip("needs nginx and Redis on 127.0.0.1:6379")
    redis.Redis.from_url(REDIS_URL).flushdb()
    world = build_world()
    pw = build_portfolio(world)
    project = pw.internal
    version = project.version
    # The servers run the production settings: store the password with their hasher, not the suite's fast one.
    coordinator = world.users["coordinator_a"]
    coordinator.password = PBKDF2PasswordHasher().encode(PASSWORD, "zweiserver")
    coordinator.save(update_fields=["password"])
    _t, token = token_create(user=world.users["coordinator_a"], name="zwei Server", scope="read")
    env = {
        "LOTSE_DEMO": "true",
        "LOTSE_VAR_DIR": tempfile.mkdtemp(),
        "DATABASE_URL": database_url(),
        "CACHE_URL": REDIS_URL,
        "API_RATE": "6/h",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    connection.close()
    ports = free_port(), free_port()
    with ExitStack() as stack:
        servers = [stack.enter_context(gunicorn(env, workers=1, threads=2, port=p)) for p in ports]
        proxy = stack.enter_context(nginx(*ports))
        base = f"http://{proxy}"
        browser = requests.Session()

        # Sign in through nginx.
        form = browser.get(f"{base}/accounts/login/")
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        assert csrf, form.text[:500]
        signed_in = browser.post(
            f"{base}/accounts/login/",
            data={"username": "coordinator_a@test.example", "password": PASSWORD, "csrfmiddlewaretoken": csrf[1]},
            headers={"Referer": f"{base}/accounts/login/"},
            allow_redirects=False,
        )
        assert signed_in.status_code == 302, re.sub(r"\s+", " ", signed_in.text.split("<main")[1])[:1500]

        # The session holds on both servers: nginx alternates, every page is the signed-in one.
        seen = set()
        for _ in range(6):
            page = browser.get(f"{base}/m/astadt/projects/", allow_redirects=False)
            assert page.status_code == 200 and project.title in page.text
            seen.add(page.headers["X-Upstream"])
        assert seen == {f"127.0.0.1:{p}" for p in ports}

        # An edit through one server is what the other shows at once.
        board = browser.get(f"{base}/m/astadt/projects/board/")
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', board.text)
        assert csrf
        moved = browser.post(
            f"{base}/m/astadt/projects/{project.pk}/move/",
            data={"status": "completed", "version": project.version, "csrfmiddlewaretoken": csrf[1]},
            headers={"Referer": f"{base}/m/astadt/projects/board/"},
            allow_redirects=False,
        )
        assert moved.status_code == 302
        project.refresh_from_db()
        assert project.status == "completed"
        for server in servers:  # straight to each app server, past nginx, with the same session cookie
            detail = browser.get(f"http://{server}/m/astadt/projects/{project.pk}/")
            assert detail.status_code == 200 and "abgeschlossen" in detail.text

        # The API's limit (6 per hour) is counted in the shared cache: the seventh call is refused, whichever
        # server gets it (with a cache per process each server would allow six).
        answers = [
            requests.get(f"{base}/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)
            for _ in range(7)
        ]
        assert [a.status_code for a in answers] == [200] * 6 + [429]
        assert len({a.headers["X-Upstream"] for a in answers}) == 2
    assert Project.objects.get(pk=project.pk).version == version + 1
