"""Starts the test OIDC provider (tests/sso/oidc/provider.mjs, panva/oidc-provider from npm)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.sso.slapd import REQUIRED, _port

HERE = Path(__file__).resolve().parent / "oidc"


@contextmanager
def oidc_provider(redirect_uri: str) -> Iterator[str]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        if REQUIRED:
            pytest.fail("node and npm are needed for the OIDC tests in CI")
        pytest.skip("node/npm not found: OIDC tests skipped")
    if not (HERE / "node_modules" / "oidc-provider").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=HERE, check=True)
    port = _port()
    server = subprocess.Popen(
        [node, "provider.mjs", str(port), redirect_uri],
        cwd=HERE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NODE_ENV": "test"},
    )
    try:
        line = server.stdout.readline().decode() if server.stdout else ""
        if not line.startswith("ready"):
            raise RuntimeError(f"the OIDC provider did not start: {line!r}")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def oidc_settings(settings: object, issuer: str) -> None:
    """Point Lotse at the provider, as an operator would with the OIDC_* variables."""
    settings.AUTHENTICATION_BACKENDS = [  # type: ignore[attr-defined]
        "axes.backends.AxesStandaloneBackend",
        "lotse.sso.oidc.ProviderBackend",
        "rules.permissions.ObjectPermissionBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    values = {
        "OIDC_RP_CLIENT_ID": "lotse",
        "OIDC_RP_CLIENT_SECRET": "lotse-test-secret",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{issuer}/auth",
        "OIDC_OP_TOKEN_ENDPOINT": f"{issuer}/token",
        "OIDC_OP_USER_ENDPOINT": f"{issuer}/me",
        "OIDC_OP_JWKS_ENDPOINT": f"{issuer}/jwks",
        "SSO_GROUP_ROLES": "lotse-cdo=astadt:coordinator; lotse-alle=astadt:reader",
    }
    for key, value in values.items():
        setattr(settings, key, value)
