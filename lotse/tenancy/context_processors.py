from typing import Any

from django.http import HttpRequest

from lotse.tenancy.selectors import municipalities_for_switcher


def tenancy(request: HttpRequest) -> dict[str, Any]:
    """The current municipality, what the user may do there, and the switcher's entries, for the header."""
    user = getattr(request, "user", None)
    municipality = getattr(request, "municipality", None)
    perms = {"internal": False, "manage": False}
    if user is not None and municipality is not None:
        perms = {
            "internal": user.has_perm("tenancy.view_municipality_internal", municipality),
            "manage": user.has_perm("tenancy.change_municipality", municipality),
        }
    match = getattr(request, "resolver_match", None)
    return {
        "reports_section": bool(match and match.namespace == "reports" and match.url_name != "start"),
        "current_municipality": municipality,
        "current_role": getattr(request, "role", None),
        "tenant_perms": perms,
        "my_municipalities": municipalities_for_switcher(user) if user is not None else [],
    }
