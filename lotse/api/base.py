"""The API object: token authentication, rate limits, German error bodies, and helpers every route uses."""

from __future__ import annotations

import hashlib
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from lotse.api.models import ApiToken
from lotse.api.schemas import ErrorOut, PageParams
from lotse.api.services import token_for
from lotse.core.ratelimit import client_key
from lotse.core.services import EditConflict
from lotse.tenancy.models import Municipality


class TokenAuth(HttpBearer):
    """`Authorization: Bearer lotse_…`: the token's person becomes `request.user`, so every rule applies."""

    openapi_description = "Persönlicher API-Zugang (unter „Mein Profil → API-Zugänge“ anzulegen)"

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = token_for(token)
        if found is not None:
            request.user = found.user
        return found


class TokenThrottle(SimpleRateThrottle):
    """Per token (or, before authentication, per client as a keyed hash); counted in the shared cache."""

    scope = "api"

    def allow_request(self, request: HttpRequest) -> bool:
        self.num_requests, self.duration = self.parse_rate(settings.API_RATE)  # read per request: tests change it
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str:
        auth = getattr(request, "auth", None)
        ident = f"t{auth.pk}" if isinstance(auth, ApiToken) else client_key(request)
        return self.cache_format % {"scope": self.scope, "ident": hashlib.sha256(ident.encode()).hexdigest()[:32]}


api = NinjaAPI(
    title="Lotse API",
    version="1",
    description=(
        "Projekte, Ziele und Kennzahlen, Ideen, OZG-Umsetzungsstände und Digitallotsen einer Kommune – "
        "lesen und schreiben im Rahmen der eigenen Rechte. Anmeldung mit einem persönlichen API-Zugang."
    ),
    auth=TokenAuth(),
    throttle=[TokenThrottle(settings.API_RATE)],
    urls_namespace="api-v1",
    docs_url="/docs",
)

ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**ERRORS, 400: ErrorOut, 409: ErrorOut}


def _error(request: HttpRequest, status: int, detail: str, errors: list[dict[str, str]] | None = None) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    response = _error(request, 401, _("Anmeldung erforderlich: ein gültiger API-Zugang (Authorization: Bearer …)."))
    response["WWW-Authenticate"] = 'Bearer realm="lotse"'
    return response


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    response = _error(request, 429, _("Zu viele Anfragen. Bitte warten Sie einen Moment."))
    if exc.wait:
        response["Retry-After"] = str(int(exc.wait))
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # ninja's only 400: a body that is not JSON
        return _error(request, 400, _("Der Inhalt der Anfrage ist kein gültiges JSON."))
    return _error(request, exc.status_code, exc.message)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, _("Nicht gefunden."))


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 403, str(exc) or _("Dafür fehlen Ihnen die Rechte."))


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {
            "field": ".".join(str(p) for p in e.get("loc", ()) if p not in ("body", "query", "path", "payload")),
            "message": str(e.get("msg", "")),
        }
        for e in exc.errors
    ]
    return _error(request, 422, _("Die Anfrage ist ungültig."), errors)


@api.exception_handler(DjangoValidationError)
def _invalid_record(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [{"field": f, "message": m} for f, msgs in exc.message_dict.items() for m in msgs]
    else:
        errors = [{"field": "", "message": m} for m in exc.messages]
    return _error(request, 422, _("Die Angaben sind ungültig."), errors)


@api.exception_handler(EditConflict)
def _conflict(request: HttpRequest, exc: EditConflict) -> HttpResponse:
    errors = [{"field": c.name, "message": f"{c.old} → {c.new}"} for c in exc.changes]
    return _error(request, 409, str(exc), errors)


def municipality(slug: str) -> Municipality:
    return get_object_or_404(Municipality, slug=slug)


def need(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(_("Dafür fehlen Ihnen die Rechte."))


def need_write(request: HttpRequest) -> None:
    token = getattr(request, "auth", None)
    if not isinstance(token, ApiToken) or not token.can_write:
        raise PermissionDenied(_("Dieser API-Zugang darf nur lesen."))


class Pageable(Protocol):
    """What `page()` needs: a count and slices (a queryset, or a selector's lazy list such as OZG rows)."""

    def count(self) -> int: ...
    def __getitem__(self, index: slice) -> Any: ...


def page(qs: QuerySet[Any] | list[Any] | Pageable, params: PageParams) -> tuple[int, list[Any]]:
    count = len(qs) if isinstance(qs, list) else qs.count()
    return count, list(qs[params.offset : params.offset + params.limit])
