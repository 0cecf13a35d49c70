"""Views that belong to no room: health check, legal pages, and the shared history page."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lotse import __version__
from lotse.core.forms import ConfirmForm, id_param
from lotse.core.history import object_history
from lotse.core.services import EditConflict, restore_version


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database status for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except DatabaseError:
        database = "error"
    status = "ok" if database == "ok" else "error"
    return JsonResponse(
        {
            "status": status,
            "database": database,
            "database_vendor": connection.vendor,
            "version": __version__,
        },
        status=200 if status == "ok" else 503,
    )


_MIGRATED = False


def _migrations_applied() -> bool:
    """True once every migration is applied (checked until it is, then remembered by the process)."""
    global _MIGRATED
    if not _MIGRATED:
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        _MIGRATED = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _MIGRATED


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: the database answers, the cache keeps a value, the schema is current. 503 until then, so a
    load balancer sends no traffic to a server that is starting, migrating or cut off from its services."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
        checks["migrations"] = "ok" if _migrations_applied() else "pending"
    except DatabaseError:
        checks["database"] = "error"
    try:
        key = f"readyz:{uuid.uuid4().hex}"
        cache.set(key, "1", 10)
        checks["cache"] = "ok" if cache.get(key) == "1" else "error"
        cache.delete(key)
    except Exception:  # a cache backend raises its own errors (redis.ConnectionError, …)
        checks["cache"] = "error"
    ready = all(v == "ok" for v in checks.values()) and "migrations" in checks
    if checks.get("migrations") == "ok":
        # Reported, not a reason to take this server out of the balancer: pages still work without a worker.
        checks["queue"] = _queue_state()
    # Reported too, by the rooms that own them (settings.READYZ_REPORTS, so core imports no room).
    for name, report in settings.READYZ_REPORTS.items():
        checks[name] = import_string(report)()
    return JsonResponse({"status": "ok" if ready else "error", **checks}, status=200 if ready else 503)


def _queue_state() -> str:
    """ "stalled" when a task has been due for longer than TASKS_STALLED_AFTER_SECONDS: no worker takes it."""
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult, get_date_max

    if not isinstance(task_backends["default"], DatabaseBackend):
        return "ok"
    cutoff = timezone.now() - timedelta(seconds=settings.TASKS_STALLED_AFTER_SECONDS)
    due = Q(run_after__lte=cutoff) | Q(run_after=get_date_max(), enqueued_at__lte=cutoff)
    return "stalled" if DBTaskResult.objects.ready().filter(due).exists() else "ok"


@require_GET
def logo(request: HttpRequest, name: str) -> FileResponse:
    """A municipality's logo (public, like its name). Lotse serves it itself, so every installation, the demo
    included, serves exactly this folder of the uploads and nothing else (workshop material stays private)."""
    folder = (Path(settings.MEDIA_ROOT) / "logos").resolve()
    path = (folder / name).resolve()
    if path.parent != folder or not path.is_file() or path.suffix.lower() not in (".png", ".jpg", ".jpeg"):
        raise Http404
    response = FileResponse(path.open("rb"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


def render_history(
    request: HttpRequest,
    *,
    obj: Any,
    title: str,
    back_url: str,
    can_restore: bool,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """The *Verlauf* of one record; POST with `history_id` restores that version (caller checked the right)."""
    if request.method == "POST":
        if not can_restore:
            raise PermissionDenied
        try:
            history_id = id_param(request.POST.get("history_id"))
            if history_id is None:
                raise ValueError
            restore_version(obj, user=request.user, history_id=history_id)
        except (ValueError, obj.history.model.DoesNotExist):
            messages.error(request, _("Diese Version gibt es nicht."))
        except EditConflict as conflict:
            messages.error(request, str(conflict))
        except (ValidationError, IntegrityError):
            messages.error(
                request,
                _(
                    "Diese Version kann nicht wiederhergestellt werden, weil sie heute ungültig wäre "
                    "(z. B. ein Name, den inzwischen ein anderer Datensatz trägt)."
                ),
            )
        else:
            messages.success(request, _("Die frühere Version wurde wiederhergestellt."))
        return redirect(request.path)
    context = {
        "object": obj,
        "title": title,
        "back_url": back_url,
        "entries": object_history(obj),
        "can_restore": can_restore,
        **(extra or {}),
    }
    return render(request, "core/history.html", context)


def require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    """The one way a view refuses: PermissionDenied, answered by `permission_denied` below."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's handler403 for every refusal: visitors are asked to sign in, people signed in get the 403 page."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    return render(request, "403.html", status=403)


def save_versioned_form(
    request: HttpRequest, form: Any, *, instance: Any = None, extra: dict[str, Any] | None = None
) -> Any:
    """Validate a VersionedModelForm on POST and write it through core.services; None if not saved.

    A stale version is reported on the form with the other person's changes, keeping the user's input.
    """
    from lotse.core.services import versioned_create, versioned_update

    if request.method != "POST" or not form.is_valid():
        return None
    m2m = {
        f.name: form.cleaned_data[f.name] for f in form._meta.model._meta.many_to_many if f.name in form.cleaned_data
    }
    try:
        if instance is not None and instance.pk:
            return versioned_update(
                instance, user=request.user, expected_version=form.expected_version(), data=form.model_data(), m2m=m2m
            )
        return versioned_create(
            form._meta.model, user=request.user, data={**form.model_data(), **(extra or {})}, m2m=m2m
        )
    except EditConflict as conflict:
        form.show_conflict(conflict)
    except ValidationError as error:
        form.add_error(None, error)
    return None


def page_or_partial(request: HttpRequest, template: str, partial: str, context: dict[str, Any]) -> HttpResponse:
    """One URL serves the whole page, or only the part HTMX swaps in (filters, what-if sliders)."""
    is_htmx = bool(getattr(request, "htmx", False)) and not getattr(request.htmx, "boosted", False)  # type: ignore[attr-defined]
    response = render(request, partial if is_htmx else template, context)
    response["Vary"] = "HX-Request"
    return response


def confirm_delete(
    request: HttpRequest,
    obj: Any,
    *,
    delete: Any,
    back_url: str,
    done_url: str,
    usage: Any = None,
    usage_message: str = "",
) -> HttpResponse:
    """The shared "really delete?" page. `delete(expected_version)` does the write; a stale version or a
    record still in use is explained on the page instead of deleting."""
    form = ConfirmForm(request.POST or None, initial={"version": obj.version})
    error = None
    if request.method == "POST" and not usage and form.is_valid():
        try:
            delete(form.cleaned_data["version"])
        except ValidationError as exc:
            error = exc.messages[0]
        except EditConflict as conflict:
            error = str(conflict)
        else:
            messages.success(request, _("„%(name)s“ wurde gelöscht.") % {"name": obj})
            return redirect(done_url)
    return render(
        request,
        "components/confirm_delete.html",
        {
            "form": form,
            "object": obj,
            "error": error,
            "usage": usage,
            "usage_message": usage_message,
            "back_url": back_url,
        },
    )
