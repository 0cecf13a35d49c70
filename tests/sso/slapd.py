"""A real OpenLDAP server (Debian's slapd) for the tests: own config, own database, a free loopback port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import ldap3
import pytest

SLAPD = shutil.which("slapd") or "/usr/sbin/slapd"
BASE = "dc=musterstadt,dc=example"
ROOT_DN = f"cn=admin,{BASE}"
ROOT_PW = "slapd-root-geheim"
REQUIRED = os.environ.get("LOTSE_REQUIRE_BROWSER", "") not in ("", "0", "false")  # CI: services are required

CONFIG = """
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {tmp}/slapd.pid
database mdb
maxsize 10485760
suffix "{base}"
rootdn "{root}"
rootpw {rootpw}
directory {tmp}/db
access to attrs=userPassword by self write by anonymous auth by * none
access to * by users read by * none
"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Directory:
    def __init__(self, url: str) -> None:
        self.url = url
        self.conn = ldap3.Connection(ldap3.Server(url), ROOT_DN, ROOT_PW, auto_bind=True)

    def person(self, uid: str, password: str, mail: str, given: str, sn: str) -> str:
        dn = f"uid={uid},ou=people,{BASE}"
        self.conn.add(
            dn,
            ["inetOrgPerson"],
            {"uid": uid, "cn": f"{given} {sn}", "sn": sn, "givenName": given, "mail": mail, "userPassword": password},
        )
        assert self.conn.result["result"] == 0, self.conn.result
        return dn

    def group(self, cn: str, members: list[str]) -> None:
        dn = f"cn={cn},ou=groups,{BASE}"
        self.conn.delete(dn)
        if members:
            self.conn.add(dn, ["groupOfNames"], {"cn": cn, "member": members})
            assert self.conn.result["result"] == 0, self.conn.result


@contextmanager
def slapd() -> Iterator[Directory]:
    if not os.path.exists(SLAPD):
        if REQUIRED:
            pytest.fail("slapd not found (apt-get install slapd); the LDAP tests are required in CI")
        pytest.skip("slapd not found: LDAP tests skipped (apt-get install slapd)")
    tmp = Path(tempfile.mkdtemp(prefix="lotse-slapd-"))
    (tmp / "db").mkdir()
    (tmp / "slapd.conf").write_text(CONFIG.format(tmp=tmp, base=BASE, root=ROOT_DN, rootpw=ROOT_PW))
    port = _port()
    url = f"ldap://127.0.0.1:{port}"
    server = subprocess.Popen(
        [SLAPD, "-f", str(tmp / "slapd.conf"), "-h", url + "/", "-d", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if server.poll() is not None:
                    detail = server.stderr.read().decode()[-500:] if server.stderr else ""
                    raise RuntimeError(f"slapd did not start: {detail}") from None
                time.sleep(0.05)
        directory = Directory(url)
        directory.conn.add(BASE, ["dcObject", "organization"], {"dc": "musterstadt", "o": "Musterstadt"})
        for ou in ("people", "groups"):
            directory.conn.add(f"ou={ou},{BASE}", ["organizationalUnit"], {"ou": ou})
        yield directory
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
