from typing import Any

from django.conf import settings
from django.http import HttpRequest


def sso(request: HttpRequest) -> dict[str, Any]:
    """Whether the login page offers "Mit Dienstkonto anmelden" (OIDC) and directory user names (LDAP)."""
    return {"sso_oidc": bool(settings.OIDC_RP_CLIENT_ID), "sso_ldap": bool(settings.LDAP_AUTH_URL)}
