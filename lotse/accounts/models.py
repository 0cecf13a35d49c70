"""People who log in. Roles are not stored here: they live per municipality in tenancy.Membership."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person with a login. Signs in with the e-mail address; a platform admin is a superuser."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    title = models.CharField(_("Funktion"), max_length=200, blank=True, help_text=_("z. B. Chief Digital Officer"))
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    # The person's user name in the municipality's directory (LDAP uid / AD sAMAccountName) or the subject of
    # the OIDC provider, once they signed in that way.
    directory_id = models.CharField(
        _("Kennung im Verzeichnisdienst"), max_length=255, null=True, blank=True, unique=True, editable=False
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()  # type: ignore[assignment,misc]
    # Who made whom a platform admin, deactivated or renamed an account: the audit of permission changes
    # (roles in municipalities are memberships, audited in the tenancy room).
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_platform_admin(self) -> bool:
        return self.is_active and self.is_superuser
