"""Pages of the qualification programme, run at network level: modules and seminars, registration with a
waiting list, attendance, completion per module and the certificate."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.core.forms import id_param
from lotse.core.views import require
from lotse.pilots import certificate, selectors, services
from lotse.pilots.forms import ModuleForm, ProgrammeForm, RegisterForm, SeminarForm
from lotse.pilots.models import Programme, Registration, Seminar, TrainingModule
from lotse.tenancy.models import Network


def _programme(slug: str) -> Programme:
    return get_object_or_404(Programme.objects.select_related("network"), network__slug=slug)


def _url(name: str, programme: Programme, **kwargs: object) -> str:
    return reverse(f"programme:{name}", kwargs={"slug": programme.network.slug, **kwargs})


def overview(request: HttpRequest, slug: str) -> HttpResponse:
    programme = Programme.objects.select_related("network").filter(network__slug=slug).first()
    if programme is None:
        return _no_programme(request, slug)
    require(request, "pilots.view_programme", programme)
    modules = list(programme.modules.all())
    mine = selectors.registrable_pilots(request.user, programme)
    context = {
        "programme": programme,
        "modules": modules,
        "seminars": selectors.seminars(programme),
        "progress": [
            (p, [p.done.get(m.pk) for m in modules], p.complete(modules)) for p in selectors.progress(mine, programme)
        ],
        "can_manage": request.user.has_perm("pilots.manage_programme", programme),
    }
    return render(request, "pilots/programme.html", context)


def _no_programme(request: HttpRequest, slug: str) -> HttpResponse:
    """A network without a programme yet: its operators (or the platform) set one up here, no admin screen."""
    network = get_object_or_404(Network, slug=slug)
    require(request, "pilots.view_programme", network)
    can_setup = request.user.has_perm("pilots.setup_programme", network)
    form = ProgrammeForm(request.POST or None) if can_setup else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            programme = services.programme_create(
                user=request.user,
                network=network,
                data={k: form.cleaned_data[k] for k in ("name", "provider")},
                operators=form.cleaned_data["operator_emails"],
            )
            messages.success(request, _("„%(p)s“ ist eingerichtet. Legen Sie nun die Module an.") % {"p": programme})
            return redirect(_url("overview", programme))
    return render(request, "pilots/programme_missing.html", {"network": network, "form": form})


def seminar_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = _programme(slug)
    require(request, "pilots.view_programme", programme)
    seminar = get_object_or_404(Seminar.objects.prefetch_related("modules"), pk=pk, programme=programme)
    mine = selectors.registrable_pilots(request.user, programme)
    can_manage = request.user.has_perm("pilots.manage_programme", programme)
    # Offered for registration: own pilots who are neither registered here nor certified already.
    certified = selectors.certified(mine, programme)
    open_to = mine.exclude(pk__in=[p.pk for p in certified]).exclude(
        registrations__seminar=seminar,
        registrations__state__in=[Registration.State.CONFIRMED, Registration.State.WAITING],
    )
    form = RegisterForm(request.POST or None, pilots=open_to)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register(user=request.user, seminar=seminar, pilot=form.cleaned_data["pilot"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if registration.state == Registration.State.CONFIRMED:
                messages.success(request, _("%(name)s ist angemeldet.") % {"name": registration.pilot})
            else:
                messages.warning(
                    request,
                    _("Das Seminar ist voll: %(name)s steht auf der Warteliste.") % {"name": registration.pilot},
                )
            return redirect(request.path)
    registrations = seminar.registrations.exclude(state=Registration.State.CANCELLED).select_related(
        "pilot__person", "pilot__municipality"
    )
    if not can_manage:
        registrations = registrations.filter(pilot__in=mine)
    context = {
        "programme": programme,
        "seminar": seminar,
        "form": form if open_to.exists() else None,
        "certified": certified if not can_manage else [],
        "confirmed": [r for r in registrations if r.state == Registration.State.CONFIRMED],
        "waiting": [r for r in registrations if r.state == Registration.State.WAITING],
        "taken": seminar.registrations.filter(state=Registration.State.CONFIRMED).count(),
        "can_manage": can_manage,
        "mine": set(mine.values_list("pk", flat=True)),
    }
    return render(request, "pilots/seminar.html", context)


@require_POST
def cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = _programme(slug)
    registration = get_object_or_404(Registration, pk=pk, seminar__programme=programme)
    allowed = selectors.registrable_pilots(request.user, programme).filter(pk=registration.pilot_id).exists()
    if not allowed:
        require(request, "pilots.manage_programme", programme)
        return redirect("/")
    moved_up = services.cancel(user=request.user, registration=registration)
    messages.success(request, _("%(name)s ist abgemeldet.") % {"name": registration.pilot})
    if moved_up is not None:
        messages.info(request, _("%(name)s rückt von der Warteliste nach.") % {"name": moved_up.pilot})
    return redirect(_url("seminar", programme, pk=registration.seminar_id))


@require_POST
def attendance(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = _programme(slug)
    require(request, "pilots.manage_programme", programme)
    seminar = get_object_or_404(Seminar, pk=pk, programme=programme)
    present = [i for v in request.POST.getlist("attended") if (i := id_param(v)) is not None]
    count = services.record_attendance(user=request.user, seminar=seminar, attended=present)
    messages.success(
        request, _("Teilnahme gespeichert: %(n)d anwesend, ihre Module sind abgeschlossen.") % {"n": count}
    )
    return redirect(_url("seminar", programme, pk=seminar.pk))


def module_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    programme = _programme(slug)
    require(request, "pilots.manage_programme", programme)
    module = (
        get_object_or_404(TrainingModule, pk=pk, programme=programme) if pk else TrainingModule(programme=programme)
    )
    form = ModuleForm(request.POST or None, instance=module)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("„%(name)s“ wurde gespeichert.") % {"name": form.instance.title})
        return redirect(_url("overview", programme))
    title = _("Modul bearbeiten") if pk else _("Modul anlegen")
    return render(
        request, "components/form_page.html", {"form": form, "title": title, "back_url": _url("overview", programme)}
    )


def seminar_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    programme = _programme(slug)
    require(request, "pilots.manage_programme", programme)
    seminar = get_object_or_404(Seminar, pk=pk, programme=programme) if pk else None
    form = SeminarForm(request.POST or None, instance=seminar, programme=programme)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("„%(name)s“ wurde gespeichert.") % {"name": saved.title})
        return redirect(_url("seminar", programme, pk=saved.pk))
    title = _("Seminar bearbeiten") if pk else _("Seminar anlegen")
    return render(
        request, "components/form_page.html", {"form": form, "title": title, "back_url": _url("overview", programme)}
    )


def certificate_pdf(request: HttpRequest, slug: str, pilot: int) -> HttpResponse:
    programme = _programme(slug)
    require(request, "pilots.view_programme", programme)
    # The pilots this person may register (their town's, or all for the programme's operators), nobody else's.
    person = get_object_or_404(
        selectors.registrable_pilots(request.user, programme).select_related("person", "municipality"), pk=pilot
    )
    if missing := certificate.missing_modules(person, programme):
        messages.error(request, _("Noch kein Zertifikat: es fehlen %(modules)s.") % {"modules": ", ".join(missing)})
        return redirect(_url("overview", programme))
    response = HttpResponse(certificate.render(person, programme), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="zertifikat-{person.pk}.pdf"'
    return response
