"""Tenancy: who the municipalities are, how they are organised, who works in them with which role.

Also the abstract bases every later room uses for its records: `TenantModel` (owned by one municipality)
and `ShareableModel` (plus a visibility: internal / network / public, and explicit shares with partners).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lotse.core import limits
from lotse.core.models import LimitedTextField, VersionedModel

_M = TypeVar("_M", bound=models.Model)


class RestrictedQuerySet(models.QuerySet[_M, _M]):
    """The permission-aware way to look records up (after NetBox's RestrictedQuerySet): `restrict(user)` keeps
    what the person may see, in the database, by the same rule the object permissions apply one by one
    (a generated test holds the two together). Views look tenant records up only through it."""

    def restrict(
        self, user: Any, municipality: Municipality | None = None, action: str = "view"
    ) -> RestrictedQuerySet[_M]:
        qs = self if municipality is None else self.filter(municipality=municipality)
        return qs.filter(self.model.restriction(user, action))  # type: ignore[attr-defined]


RestrictedManager = models.Manager.from_queryset(RestrictedQuerySet)


def staff_restriction(model: type[models.Model], user: Any, action: str, field: str = "municipality_id") -> Q:
    """The default restriction of a town's internal data: its staff see it, its coordinators manage it,
    the platform admin does both."""
    from lotse.tenancy.selectors import managed_municipality_ids, staff_municipality_ids

    if user is not None and user.is_authenticated and user.is_platform_admin:
        return Q()
    if action == "view":
        return Q(**{f"{field}__in": staff_municipality_ids(user)})
    if action == "manage":
        return Q(**{f"{field}__in": managed_municipality_ids(user)})
    raise ValueError(f"{model.__name__}: no restriction for {action!r}")


def validate_logo_size(file: Any) -> None:
    if file and getattr(file, "size", 0) > 1024 * 1024:
        raise ValidationError(_("Das Bild ist größer als 1 MB. Bitte verkleinern Sie es."))


ars_validator = RegexValidator(r"^\d{12}$", _("Der ARS besteht aus genau 12 Ziffern, z. B. 081160000000."))
ags_validator = RegexValidator(r"^\d{8}$", _("Der AGS besteht aus genau 8 Ziffern, z. B. 08116000."))


def ags_of(ars: str) -> str:
    """The 8-digit Amtlicher Gemeindeschlüssel inside a 12-digit ARS (Land, Bezirk, Kreis, then the Gemeinde;
    the four digits of the Gemeindeverband in between are not part of it)."""
    return ars[:5] + ars[9:12] if len(ars) == 12 else ""


class Municipality(VersionedModel):
    """A tenant: one local authority (Gemeinde, Stadt, Große Kreisstadt or Landkreis)."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Gemeinde")
        TOWN = "town", _("Stadt")
        MAJOR_DISTRICT_TOWN = "major_district_town", _("Große Kreisstadt")
        DISTRICT = "district", _("Landkreis")

    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Kurzname in Adressen"), max_length=80, unique=True)
    kind = models.CharField(_("Art"), max_length=32, choices=Kind.choices, default=Kind.TOWN)
    ars = models.CharField(
        _("Amtlicher Regionalschlüssel (ARS)"),
        max_length=12,
        blank=True,
        validators=[ars_validator],
        help_text=_("12 Ziffern, z. B. 081160000000"),
    )
    ags = models.CharField(
        _("Amtlicher Gemeindeschlüssel (AGS)"),
        max_length=8,
        blank=True,
        validators=[ags_validator],
        help_text=_("8 Ziffern, z. B. 08116000"),
    )
    inhabitants = models.PositiveIntegerField(_("Einwohnerzahl"), null=True, blank=True)
    district = models.ForeignKey(
        "self",
        verbose_name=_("Landkreis"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members_of_district",
        limit_choices_to={"kind": "district"},
    )
    logo = models.ImageField(
        _("Wappen oder Logo"),
        upload_to="logos/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg"]), validate_logo_size],
        help_text=_("PNG oder JPEG, höchstens 1 MB"),
    )
    website = models.URLField(_("Website"), blank=True)
    contact_email = models.EmailField(_("Kontakt-E-Mail"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Kommune")
        verbose_name_plural = _("Kommunen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["ars"], condition=~models.Q(ars=""), name="municipality_unique_ars")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.district_id and self.district_id == self.pk:
            raise ValidationError({"district": _("Eine Kommune kann nicht ihr eigener Landkreis sein.")})
        if self.ars and not self.ags:
            self.ags = ags_of(self.ars)
        if self.ars and self.ags and ags_of(self.ars) != self.ags:
            raise ValidationError({"ags": _("AGS und ARS passen nicht zusammen.")})


class Network(VersionedModel):
    """Municipalities that share projects, ideas and pilots with each other (e.g. a state programme)."""

    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Kurzname in Adressen"), max_length=80, unique=True)
    description = LimitedTextField(_("Beschreibung"), blank=True, max_length=limits.DESCRIPTION)
    members = models.ManyToManyField(
        Municipality, verbose_name=_("Mitgliedskommunen"), related_name="networks", blank=True
    )
    operators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Betreuung des Netzwerks"),
        blank=True,
        related_name="operated_networks",
        help_text=_("Nehmen Beitrittsanfragen an und pflegen das Netzwerk, z. B. die Geschäftsstelle eines Verbunds."),
    )

    history = HistoricalRecords(m2m_fields=[members, operators])

    class Meta:
        verbose_name = _("Netzwerk")
        verbose_name_plural = _("Netzwerke")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrgUnit(VersionedModel):
    """A unit of a municipality's administration, nested (Dezernat > Amt > Abteilung)."""

    class Kind(models.TextChoices):
        DIVISION = "division", _("Dezernat")
        OFFICE = "office", _("Amt")
        SECTION = "section", _("Abteilung")
        STAFF_UNIT = "staff_unit", _("Stabsstelle")
        ENTERPRISE = "enterprise", _("Eigenbetrieb")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="org_units"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("übergeordnete Einheit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.OFFICE)
    name = models.CharField(_("Name"), max_length=200)
    short_name = models.CharField(_("Kürzel"), max_length=30, blank=True, help_text=_("z. B. Amt 10 oder Dez. I"))
    position = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    history = HistoricalRecords()
    objects = RestrictedManager()

    @classmethod
    def restriction(cls, user: Any, action: str = "view") -> Q:
        return staff_restriction(cls, user, action)

    class Meta:
        verbose_name = _("Organisationseinheit")
        verbose_name_plural = _("Organisationseinheiten")
        ordering = ["position", "name"]
        indexes = [models.Index(fields=["municipality", "parent"])]

    def __str__(self) -> str:
        return f"{self.short_name} {self.name}".strip() if self.short_name else self.name

    def clean(self) -> None:
        if self.parent_id is None:
            if self.kind == self.Kind.SECTION:
                raise ValidationError({"parent": _("Eine Abteilung gehört zu einem Amt oder Dezernat.")})
            return
        parent = self.parent
        assert parent is not None
        if parent.municipality_id != self.municipality_id:
            raise ValidationError({"parent": _("Die übergeordnete Einheit gehört zu einer anderen Kommune.")})
        # Walk up from the parent: meeting ourselves would make the tree a loop.
        seen = set()
        node: OrgUnit | None = parent
        while node is not None and node.pk not in seen:
            if self.pk is not None and node.pk == self.pk:
                raise ValidationError({"parent": _("Eine Einheit kann nicht unter sich selbst hängen.")})
            seen.add(node.pk)
            node = node.parent


class Role(models.TextChoices):
    """A person's role in one municipality. Platform admins are superusers and need no membership."""

    COORDINATOR = "coordinator", _("Koordination (CDO / Stabsstelle)")
    EDITOR = "editor", _("Bearbeitung")
    READER = "reader", _("Lesezugriff")
    PARTNER = "partner", _("Externe Partner")


# Roles that see everything internal of their municipality.
STAFF_ROLES = frozenset({Role.COORDINATOR, Role.EDITOR, Role.READER})


class Membership(VersionedModel):
    """One person in one municipality with one role; editors edit the records of their org units."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices, default=Role.READER)
    org_units = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("Organisationseinheiten"),
        blank=True,
        related_name="memberships",
        help_text=_("Bearbeitende dürfen die Datensätze dieser Einheiten und ihrer Untereinheiten bearbeiten."),
    )

    history = HistoricalRecords(m2m_fields=[org_units])
    objects = RestrictedManager()

    @classmethod
    def restriction(cls, user: Any, action: str = "view") -> Q:
        return staff_restriction(cls, user, action)

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        ordering = ["municipality__name", "user__last_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "municipality"], name="membership_one_role_per_municipality")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.municipality} ({self.get_role_display()})"


class Visibility(models.TextChoices):
    INTERNAL = "internal", _("intern")
    NETWORK = "network", _("im Netzwerk")
    PUBLIC = "public", _("öffentlich")


class TenantModel(VersionedModel):
    """A record owned by one municipality."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="+"
    )

    objects = RestrictedManager()

    class Meta:
        abstract = True

    @classmethod
    def restriction(cls, user: Any, action: str = "view") -> Q:
        """Which records `user` may `action`, as a filter. Internal working data by default: the staff of
        the owning municipality see it, its coordinators manage it; rooms with public records override this."""
        return staff_restriction(cls, user, action)


class ShareableModel(TenantModel):
    """A record with a visibility; internal records can also be shared with named external partners."""

    visibility = models.CharField(
        _("Sichtbarkeit"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("freigegeben für Partner"),
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    @classmethod
    def restriction(cls, user: Any, action: str = "view") -> Q:
        from lotse.tenancy.selectors import visible_ids_q

        if action == "view":
            return visible_ids_q(cls, user)
        return super().restriction(user, action)


class JoinRequest(models.Model):
    """A municipality asks to join a network; the network's operators (or a platform admin) decide."""

    class State(models.TextChoices):
        PENDING = "pending", _("offen")
        ACCEPTED = "accepted", _("angenommen")
        DECLINED = "declined", _("abgelehnt")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="join_requests")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="join_requests")
    message = LimitedTextField(_("Nachricht an das Netzwerk"), blank=True, max_length=2000)
    state = models.CharField(_("Stand"), max_length=10, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("angefragt am"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Beitrittsanfrage")
        verbose_name_plural = _("Beitrittsanfragen")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "municipality"],
                condition=models.Q(state="pending"),
                name="one_pending_join_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} → {self.network}"


class Invitation(models.Model):
    """A role offered to a person by e-mail. Nobody becomes a member without accepting: the link proves the
    address, and an existing account joins only after its owner signs in and says yes."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("E-Mail-Adresse"))
    first_name = models.CharField(_("Vorname"), max_length=150, blank=True)
    last_name = models.CharField(_("Nachname"), max_length=150, blank=True)
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)
    org_units = models.ManyToManyField(OrgUnit, verbose_name=_("Organisationseinheiten"), blank=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)  # SHA-256 of the link's secret
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("eingeladen am"), auto_now_add=True)
    expires_at = models.DateTimeField(_("gültig bis"))
    accepted_at = models.DateTimeField(_("angenommen am"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.municipality} ({self.get_role_display()})"
