"""Pages of the tenancy room: start page, municipality overview and settings, org chart, members, networks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.core.services import EditConflict
from lotse.core.views import confirm_delete, deny, render_history
from lotse.tenancy import selectors, services
from lotse.tenancy.forms import MembershipAddForm, MembershipForm, MunicipalityForm, OrgUnitForm
from lotse.tenancy.middleware import SESSION_KEY
from lotse.tenancy.models import Membership, Municipality, Network, OrgUnit


def home(request: HttpRequest) -> HttpResponse:
    """Members go to the municipality they worked in last; everyone else sees the public start page."""
    if request.user.is_authenticated:
        mine = selectors.municipalities_for_switcher(request.user)
        last = request.session.get(SESSION_KEY)
        slugs = [m.slug for m, _role in mine]
        if last in slugs:
            return redirect("tenancy:municipality", municipality=last)
        if len(mine) == 1:
            return redirect("tenancy:municipality", municipality=slugs[0])
    return render(request, "tenancy/home.html", {"municipalities": selectors.municipality_list(user=request.user)})


def municipality_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "tenancy/municipality_list.html",
        {"municipalities": selectors.municipality_list(user=request.user)},
    )


def municipality_home(request: HttpRequest) -> HttpResponse:
    municipality: Municipality = request.municipality  # type: ignore[attr-defined]
    insider = request.user.has_perm("tenancy.view_municipality_internal", municipality)
    context = {
        "municipality": municipality,
        "networks": selectors.networks_of(municipality),
        "insider": insider,
    }
    if insider:
        context["unit_count"] = OrgUnit.objects.filter(municipality=municipality).count()
        context["member_count"] = Membership.objects.filter(municipality=municipality).count()
    return render(request, "tenancy/municipality_home.html", context)


def municipality_edit(request: HttpRequest) -> HttpResponse:
    municipality: Municipality = request.municipality  # type: ignore[attr-defined]
    if denied := deny(request, "tenancy.change_municipality", municipality):
        return denied
    form = MunicipalityForm(request.POST or None, request.FILES or None, instance=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            services.municipality_update(
                municipality,
                user=request.user,
                expected_version=form.expected_version(),
                data=form.model_data(),
            )
        except EditConflict as conflict:
            form.show_conflict(conflict)
        else:
            messages.success(request, _("Die Angaben zur Kommune wurden gespeichert."))
            return redirect("tenancy:municipality", municipality=municipality.slug)
    return render(
        request, "tenancy/municipality_form.html", {"form": form, "municipality": municipality, "multipart": True}
    )


def municipality_history(request: HttpRequest) -> HttpResponse:
    municipality: Municipality = request.municipality  # type: ignore[attr-defined]
    if denied := deny(request, "tenancy.view_history", municipality):
        return denied
    return render_history(
        request,
        obj=municipality,
        title=_("Verlauf: %(name)s") % {"name": municipality},
        back_url=reverse("tenancy:municipality", kwargs={"municipality": municipality.slug}),
        can_restore=request.user.has_perm("tenancy.restore_version", municipality),
    )


def org_unit_list(request: HttpRequest) -> HttpResponse:
    municipality: Municipality = request.municipality  # type: ignore[attr-defined]
    if denied := deny(request, "tenancy.view_orgunit", municipality):
        return denied
    tree = selectors.flatten(selectors.org_unit_tree(municipality))
    return render(
        request,
        "tenancy/org_unit_list.html",
        {
            "municipality": municipality,
            "nodes": tree,
            "can_manage": request.user.has_perm("tenancy.change_orgunit", municipality),
        },
    )


def _unit(request: HttpRequest, pk: int) -> OrgUnit:
    return get_object_or_404(OrgUnit, pk=pk, municipality=request.municipality)  # type: ignore[attr-defined]


def org_unit_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    municipality: Municipality = request.municipality  # type: ignore[attr-defined]
    unit = _unit(request, pk) if pk else None
    perm = "tenancy.change_orgunit" if unit else "tenancy.add_orgunit"
    if denied := deny(request, perm, unit or municipality):
        return denied
    initial = {"parent": request.GET.get("parent")} if not unit else None
    form = OrgUnitForm(request.POST or None, instance=unit, municipality=municipality, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if unit:
                services.org_unit_update(
                    unit, user=request.user, expected_version=form.expected_version(), data=form.model_data()
                )
            else:
                unit = services.org_unit_create(user=request.user, municipality=municipality, data=form.model_data())
        except EditConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("„%(unit)s“ wurde gespeichert.") % {"unit": unit})
            return redirect("tenancy:org_units", municipality=municipality.slug)
    return render(request, "tenancy/org_unit_form.html", {"form": form, "unit": unit, "municipality": municipality})


def org_unit_delete(request: HttpRequest, pk: int) -> HttpResponse:
    municipality: Municipality = request.municipality  # type: ignore[attr-defined]
    unit = _unit(request, pk)
    if denied := deny(request, "tenancy.delete_orgunit", unit):
        return denied
    back = reverse("tenancy:org_units", kwargs={"municipality": municipality.slug})
    return confirm_delete(
        request,
        unit,
        delete=lambda version: services.org_unit_delete(unit, user=request.user, expected_version=version),
        back_url=back,
        done_url=back,
        usage=selectors.org_unit_usage(unit),
        usage_message=_(
            "Diese Einheit wird noch verwendet (Untereinheiten oder zugeordnete Personen). "
            "Ordnen Sie diese zuerst einer anderen Einheit zu."
        ),
    )


def org_unit_history(request: HttpRequest, pk: int) -> HttpResponse:
    municipality: Municipality = request.municipality  # type: ignore[attr-defined]
    unit = _unit(request, pk)
    if denied := deny(request, "tenancy.view_history", unit):
        return denied
    return render_history(
        request,
        obj=unit,
        title=_("Verlauf: %(name)s") % {"name": unit},
        back_url=reverse("tenancy:org_units", kwargs={"municipality": municipality.slug}),
        can_restore=request.user.has_perm("tenancy.restore_version", unit),
    )


def member_list(request: HttpRequest) -> HttpResponse:
    municipality: Municipality = request.municipality  # type: ignore[attr-defined]
    if denied := deny(request, "tenancy.view_membership", municipality):
        return denied
    return render(
        request,
        "tenancy/member_list.html",
        {
            "municipality": municipality,
            "memberships": selectors.member_list(municipality=municipality),
            "can_manage": request.user.has_perm("tenancy.manage_membership", municipality),
        },
    )


def member_add(request: HttpRequest) -> HttpResponse:
    municipality: Municipality = request.municipality  # type: ignore[attr-defined]
    if denied := deny(request, "tenancy.manage_membership", municipality):
        return denied
    form = MembershipAddForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_add(
                user=request.user, municipality=municipality, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(person)s wurde als %(role)s hinzugefügt.")
                % {"person": membership.user, "role": membership.get_role_display()},
            )
            return redirect("tenancy:members", municipality=municipality.slug)
    return render(request, "tenancy/member_add.html", {"form": form, "municipality": municipality})


def _membership(request: HttpRequest, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "municipality"),
        pk=pk,
        municipality=request.municipality,  # type: ignore[attr-defined]
    )


def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    municipality: Municipality = request.municipality  # type: ignore[attr-defined]
    membership = _membership(request, pk)
    if denied := deny(request, "tenancy.manage_membership", municipality):
        return denied
    form = MembershipForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                membership,
                user=request.user,
                expected_version=form.expected_version(),
                role=form.cleaned_data["role"],
                org_units=form.cleaned_data["org_units"],
            )
        except EditConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Die Rolle von %(person)s wurde gespeichert.") % {"person": membership.user})
            return redirect("tenancy:members", municipality=municipality.slug)
    return render(
        request,
        "tenancy/member_form.html",
        {"form": form, "membership": membership, "municipality": municipality},
    )


@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    municipality: Municipality = request.municipality  # type: ignore[attr-defined]
    membership = _membership(request, pk)
    if denied := deny(request, "tenancy.manage_membership", municipality):
        return denied
    try:
        services.membership_remove(membership, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("%(person)s gehört nicht mehr zu %(m)s.") % {"person": membership.user, "m": municipality},
        )
    return redirect("tenancy:members", municipality=municipality.slug)


def member_history(request: HttpRequest, pk: int) -> HttpResponse:
    municipality: Municipality = request.municipality  # type: ignore[attr-defined]
    membership = _membership(request, pk)
    if denied := deny(request, "tenancy.view_history", membership):
        return denied
    return render_history(
        request,
        obj=membership,
        title=_("Verlauf: %(name)s") % {"name": membership.user},
        back_url=reverse("tenancy:members", kwargs={"municipality": municipality.slug}),
        can_restore=False,  # roles are changed on purpose, through the form with its safeguards
    )


def network_list(request: HttpRequest) -> HttpResponse:
    return render(request, "tenancy/network_list.html", {"networks": selectors.network_list(user=request.user)})


def network_detail(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    return render(
        request,
        "tenancy/network_detail.html",
        {"network": network, "members": network.members.select_related("district").order_by("name")},
    )


@login_required
def switch(request: HttpRequest) -> HttpResponse:
    """Shows the municipalities the person works in; choosing one opens it."""
    return render(request, "tenancy/switch.html")
