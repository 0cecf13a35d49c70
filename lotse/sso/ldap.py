"""LDAP / Active Directory login (django-python3-ldap, pure Python): people sign in with their directory user
name and password in Lotse's login form; Lotse creates or updates their account from the directory (e-mail,
name) and applies their groups (`groups.apply_groups`). Only active when `LDAP_URL` is set."""

from __future__ import annotations

from typing import Any

import ldap3
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django_python3_ldap import ldap
from django_python3_ldap.auth import LDAPBackend
from ldap3.utils.conv import escape_filter_chars

from lotse.sso.groups import apply_groups


class DirectoryBackend(LDAPBackend):
    """Django's login form sends `username`; the directory is asked for that user name (uid/sAMAccountName)."""

    def authenticate(
        self,
        request: HttpRequest | None = None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if not username or not password or "@" in username:  # e-mail addresses are Lotse's own accounts
            return None
        return ldap.authenticate(directory_id=username.strip(), password=password)


def clean_user_data(fields: dict[str, Any]) -> dict[str, Any]:
    """Normalise the e-mail; a person who already has a Lotse account with that e-mail (invited before the
    directory was connected) is linked to their directory id, so they keep their account and history."""
    fields["email"] = str(fields.get("email") or "").strip().lower()
    if fields["email"] and fields.get("directory_id"):
        User = get_user_model()
        User.objects.filter(email__iexact=fields["email"], directory_id__isnull=True).update(
            directory_id=fields["directory_id"]
        )
    return fields


def sync_groups(user: Any, attributes: dict[str, Any], *, connection: Any, dn: str) -> None:
    """After every directory login: the groups the person is a member of (by `member` or `uniqueMember`)
    decide their roles."""
    search = f"(|(member={escape_filter_chars(dn)})(uniqueMember={escape_filter_chars(dn)}))"
    connection.search(
        search_base=settings.LDAP_GROUP_SEARCH_BASE,
        search_filter=search,
        search_scope=ldap3.SUBTREE,
        attributes=["cn"],
    )
    groups = []
    for entry in connection.response or []:
        cn = (entry.get("attributes") or {}).get("cn")
        if cn:
            groups.append(cn[0] if isinstance(cn, list | tuple) else cn)
    apply_groups(user, groups)
