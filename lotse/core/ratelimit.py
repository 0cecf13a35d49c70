"""Rate limits for public forms, counted in the cache (local memory by default, Redis when shared).

The client's address is only ever used as a keyed hash, so no IP address is stored anywhere, not even in the
cache. Behind a proxy (`BEHIND_PROXY`), the last address the proxy added is the client's.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse


def client_key(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            address = forwarded.split(",")[-1].strip()
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def hit(request: HttpRequest, scope: str, limit: int, window: int = 3600) -> bool:
    """Count one attempt for `scope` from this client; False once more than `limit` fall into `window` seconds."""
    if not getattr(settings, "RATELIMIT_ENABLED", True):
        return True
    key = f"rl:{scope}:{client_key(request)}"
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return True
    return count <= limit


def refused(request: HttpRequest, scope: str, limit: int, window: int = 3600) -> HttpResponse | None:
    """Count one attempt; once over the limit, the German 429 page (with Retry-After) instead of the action."""
    if hit(request, scope, limit, window):
        return None
    from django.shortcuts import render
    from django.utils.translation import gettext as _

    message = _("Von Ihrem Anschluss kamen gerade sehr viele Anfragen. Bitte versuchen Sie es später wieder.")
    response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(window)
    return response
