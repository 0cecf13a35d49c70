"""OpenID Connect login (mozilla-django-oidc), e.g. with the municipality's Keycloak: "Mit Dienstkonto
anmelden" sends people to the provider; on return Lotse finds them by the provider's subject (or links an
existing account by e-mail), updates their name and applies their `groups` claim. Only active when
`OIDC_CLIENT_ID` is set."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from lotse.sso.groups import apply_groups

PREFIX = "oidc:"


class ProviderBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub") and claims.get("email"))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        User = get_user_model()
        found = User.objects.filter(directory_id=PREFIX + str(claims["sub"]))
        if found.exists():
            return found
        # An account invited before the provider was connected: linked by its e-mail, once.
        return User.objects.filter(email__iexact=str(claims["email"]).strip(), directory_id__isnull=True)

    def create_user(self, claims: dict[str, Any]) -> Any:
        user = get_user_model().objects.create_user(email=str(claims["email"]).strip().lower(), password=None)
        return self.update_user(user, claims)

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        user.directory_id = PREFIX + str(claims["sub"])
        user.first_name = str(claims.get("given_name") or user.first_name)[:150]
        user.last_name = str(claims.get("family_name") or user.last_name)[:150]
        user.save()
        groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
        apply_groups(user, [str(g).lstrip("/") for g in groups])  # Keycloak writes group paths: /lotse-cdo
        return user
