"""Pages of the tenancy room: start page, municipality overview and settings, org chart, members, networks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lotse.core.services import EditConflict
from lotse.core.views import confirm_delete, render_history, require
from lotse.tenancy import selectors, services
from lotse.tenancy.access import get_for_user
from lotse.tenancy.forms import (
    AccountFromInvitationForm,
    JoinRequestForm,
    MembershipAddForm,
    MembershipForm,
    MunicipalityCreateForm,
    MunicipalityForm,
    NetworkForm,
    OrgUnitForm,
    OrgUnitListForm,
)
from lotse.tenancy.http import TenantRequest
from lotse.tenancy.models import Invitation, JoinRequest, Membership, Municipality, Network, OrgUnit


def municipality_list(request: HttpRequest) -> HttpResponse:
    """Every municipality of the installation (a state network has more than a thousand): searchable, paged."""
    query = request.GET.get("q", "").strip()[:100]
    towns = selectors.municipality_list(user=request.user)
    if query:
        towns = towns.filter(Q(name__icontains=query) | Q(ars__startswith=query) | Q(ags__startswith=query))
    page = Paginator(towns, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "tenancy/municipality_list.html",
        {
            "municipalities": page.object_list,
            "page": page,
            "q": query,
            "query": urlencode({"q": query}) if query else "",
            "can_add": request.user.has_perm("tenancy.add_municipality"),
        },
    )


def municipality_create(request: HttpRequest) -> HttpResponse:
    """The platform admin creates a town and invites its first coordinator, in the app."""
    require(request, "tenancy.add_municipality")
    form = MunicipalityCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            municipality = services.municipality_create(
                user=request.user,
                data=form.model_data(),
                networks=form.cleaned_data["networks"],
                coordinator=form.coordinator(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            coordinator = form.coordinator()["email"]
            if coordinator:
                message = _("%(m)s ist angelegt. Die Einladung an %(email)s ist verschickt.") % {
                    "m": municipality,
                    "email": coordinator,
                }
            else:
                message = _("%(m)s ist angelegt.") % {"m": municipality}
            messages.success(request, message)
            return redirect("tenancy:municipality", municipality=municipality.slug)
    return render(
        request,
        "tenancy/municipality_create.html",
        {"form": form, "back_url": reverse("tenancy:municipality_list")},
    )


def municipality_home(request: TenantRequest) -> HttpResponse:
    municipality: Municipality = request.municipality
    insider = request.user.has_perm("tenancy.view_municipality_internal", municipality)
    context = {
        "municipality": municipality,
        "networks": selectors.networks_of(municipality),
        "insider": insider,
    }
    if insider:
        context["unit_count"] = OrgUnit.objects.restrict(request.user, municipality).count()
        context["member_count"] = Membership.objects.restrict(request.user, municipality).count()
    return render(request, "tenancy/municipality_home.html", context)


def municipality_edit(request: TenantRequest) -> HttpResponse:
    municipality: Municipality = request.municipality
    require(request, "tenancy.change_municipality", municipality)
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


def municipality_history(request: TenantRequest) -> HttpResponse:
    municipality: Municipality = request.municipality
    require(request, "tenancy.view_history", municipality)
    return render_history(
        request,
        obj=municipality,
        title=_("Verlauf: %(name)s") % {"name": municipality},
        back_url=reverse("tenancy:municipality", kwargs={"municipality": municipality.slug}),
        can_restore=request.user.has_perm("tenancy.restore_version", municipality),
    )


def org_unit_list(request: TenantRequest) -> HttpResponse:
    municipality: Municipality = request.municipality
    require(request, "tenancy.view_orgunit", municipality)
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


def _unit(request: TenantRequest, pk: int) -> OrgUnit:
    return get_for_user(request, OrgUnit, municipality=request.municipality, pk=pk)


def org_unit_form(request: TenantRequest, pk: int | None = None) -> HttpResponse:
    municipality: Municipality = request.municipality
    unit = _unit(request, pk) if pk else None
    perm = "tenancy.change_orgunit" if unit else "tenancy.add_orgunit"
    require(request, perm, unit or municipality)
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


def org_unit_import(request: TenantRequest) -> HttpResponse:
    """The organisation chart pasted as an indented list (or uploaded), checked line by line, all or nothing."""
    municipality: Municipality = request.municipality
    require(request, "tenancy.add_orgunit", municipality)
    form = OrgUnitListForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            created, kept = services.org_units_from_list(
                user=request.user, municipality=municipality, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("text", message)
        else:
            messages.success(
                request,
                ngettext("%(n)s Einheit angelegt", "%(n)s Einheiten angelegt", created) % {"n": created}
                + (ngettext(", %(k)s war schon da.", ", %(k)s waren schon da.", kept) % {"k": kept} if kept else "."),
            )
            return redirect("tenancy:org_units", municipality=municipality.slug)
    return render(
        request, "tenancy/org_unit_import.html", {"form": form, "municipality": municipality, "multipart": True}
    )


def org_unit_delete(request: TenantRequest, pk: int) -> HttpResponse:
    municipality: Municipality = request.municipality
    unit = _unit(request, pk)
    require(request, "tenancy.delete_orgunit", unit)
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


def org_unit_history(request: TenantRequest, pk: int) -> HttpResponse:
    municipality: Municipality = request.municipality
    unit = _unit(request, pk)
    require(request, "tenancy.view_history", unit)
    return render_history(
        request,
        obj=unit,
        title=_("Verlauf: %(name)s") % {"name": unit},
        back_url=reverse("tenancy:org_units", kwargs={"municipality": municipality.slug}),
        can_restore=request.user.has_perm("tenancy.restore_version", unit),
    )


def member_list(request: TenantRequest) -> HttpResponse:
    municipality: Municipality = request.municipality
    require(request, "tenancy.view_membership", municipality)
    can_manage = request.user.has_perm("tenancy.manage_membership", municipality)
    return render(
        request,
        "tenancy/member_list.html",
        {
            "municipality": municipality,
            "memberships": selectors.member_list(municipality=municipality),
            "invitations": selectors.open_invitations(municipality) if can_manage else [],
            "can_manage": can_manage,
        },
    )


def member_add(request: TenantRequest) -> HttpResponse:
    municipality: Municipality = request.municipality
    require(request, "tenancy.manage_membership", municipality)
    form = MembershipAddForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(user=request.user, municipality=municipality, **form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Die Einladung an %(email)s als %(role)s ist verschickt. "
                    "Sobald sie angenommen ist, steht die Person in der Liste."
                )
                % {"email": invitation.email, "role": invitation.get_role_display()},
            )
            return redirect("tenancy:members", municipality=municipality.slug)
    return render(request, "tenancy/member_add.html", {"form": form, "municipality": municipality})


@require_POST
def invitation_withdraw(request: TenantRequest, pk: int) -> HttpResponse:
    municipality: Municipality = request.municipality
    require(request, "tenancy.manage_membership", municipality)
    invitation = get_object_or_404(Invitation, pk=pk, municipality=municipality, accepted_at__isnull=True)
    services.invitation_withdraw(invitation, user=request.user)
    messages.success(request, _("Die Einladung an %(email)s ist zurückgezogen.") % {"email": invitation.email})
    return redirect("tenancy:members", municipality=municipality.slug)


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link of an invitation: a new person sets up an account; an existing one signs in and accepts."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "tenancy/invitation_invalid.html", status=404)
    has_account = get_user_model().objects.filter(email__iexact=invitation.email).exists()
    form = None
    error = None
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                services.invitation_accept(invitation, user=request.user)
            except ValidationError as exc:
                error = exc.messages[0]
            else:
                messages.success(
                    request,
                    _("Willkommen in %(m)s! Ihre Rolle: %(role)s.")
                    % {"m": invitation.municipality, "role": invitation.get_role_display()},
                )
                return redirect("tenancy:municipality", municipality=invitation.municipality.slug)
    elif not has_account:
        form = AccountFromInvitationForm(
            request.POST or None,
            email=invitation.email,
            initial={"first_name": invitation.first_name, "last_name": invitation.last_name},
        )
        if request.method == "POST" and form.is_valid():
            try:
                person = services.account_from_invitation(
                    invitation,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    password=form.cleaned_data["password1"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                login(request, person, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    _("Willkommen in %(m)s! Ihr Konto ist eingerichtet.") % {"m": invitation.municipality},
                )
                return redirect("tenancy:municipality", municipality=invitation.municipality.slug)
    return render(
        request,
        "tenancy/invitation.html",
        {"invitation": invitation, "form": form, "has_account": has_account, "error": error},
    )


def _membership(request: TenantRequest, pk: int) -> Membership:
    return get_for_user(
        request, Membership.objects.select_related("user", "municipality"), municipality=request.municipality, pk=pk
    )


def member_edit(request: TenantRequest, pk: int) -> HttpResponse:
    municipality: Municipality = request.municipality
    membership = _membership(request, pk)
    require(request, "tenancy.manage_membership", municipality)
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
def member_remove(request: TenantRequest, pk: int) -> HttpResponse:
    municipality: Municipality = request.municipality
    membership = _membership(request, pk)
    require(request, "tenancy.manage_membership", municipality)
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


def member_history(request: TenantRequest, pk: int) -> HttpResponse:
    municipality: Municipality = request.municipality
    membership = _membership(request, pk)
    require(request, "tenancy.view_history", membership)
    return render_history(
        request,
        obj=membership,
        title=_("Verlauf: %(name)s") % {"name": membership.user},
        back_url=reverse("tenancy:members", kwargs={"municipality": municipality.slug}),
        can_restore=False,  # roles are changed on purpose, through the form with its safeguards
    )


def network_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "tenancy/network_list.html",
        {
            "networks": selectors.network_list(user=request.user),
            "can_add": request.user.has_perm("tenancy.add_network"),
        },
    )


def network_detail(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    can_manage = request.user.has_perm("tenancy.change_network", network)
    askable = selectors.municipalities_that_may_ask(request.user, network)
    members = network.members.select_related("district").order_by("name")
    page = Paginator(members, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "tenancy/network_detail.html",
        {
            "network": network,
            "members": page.object_list,
            "page": page,
            "can_manage": can_manage,
            "requests": selectors.open_join_requests(network) if can_manage else [],
            "join_form": JoinRequestForm(municipalities=askable) if askable.exists() else None,
            "pending_mine": selectors.my_pending_requests(request.user, network),
        },
    )


def network_form(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug) if slug else None
    require(request, "tenancy.change_network" if network else "tenancy.add_network", network)
    form = NetworkForm(request.POST or None, instance=network)
    if request.method == "POST" and form.is_valid():
        try:
            network = services.network_save(
                network,
                user=request.user,
                data=form.model_data(),
                operators=form.cleaned_data["operator_emails"],
                expected_version=form.expected_version() if network else None,
            )
        except EditConflict as conflict:
            form.show_conflict(conflict)
        else:
            messages.success(request, _("„%(n)s“ wurde gespeichert.") % {"n": network})
            return redirect("tenancy:network_detail", slug=network.slug)
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "title": _("Netzwerk bearbeiten") if network else _("Netzwerk anlegen"),
            "back_url": reverse("tenancy:network_detail", kwargs={"slug": network.slug})
            if network
            else reverse("tenancy:network_list"),
        },
    )


@require_POST
def network_join(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    askable = selectors.municipalities_that_may_ask(request.user, network)
    form = JoinRequestForm(request.POST, municipalities=askable)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie die Kommune, die beitreten möchte."))
        return redirect("tenancy:network_detail", slug=network.slug)
    try:
        services.join_request(
            user=request.user,
            network=network,
            municipality=form.cleaned_data["municipality"],
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("Ihre Anfrage ist beim Netzwerk. Sie erhalten eine E-Mail, sobald entschieden ist.")
        )
    return redirect("tenancy:network_detail", slug=network.slug)


@require_POST
def join_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    require(request, "tenancy.change_network", network)
    join = get_object_or_404(JoinRequest, pk=pk, network=network)
    accept = request.POST.get("decision") == "accept"
    try:
        services.join_decide(join, user=request.user, accept=accept)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        text = _("%(m)s gehört jetzt zu %(n)s.") if accept else _("Die Anfrage von %(m)s ist abgelehnt.")
        messages.success(request, text % {"m": join.municipality, "n": network})
    return redirect("tenancy:network_detail", slug=network.slug)


@login_required
def switch(request: HttpRequest) -> HttpResponse:
    """Shows the municipalities the person works in; choosing one opens it."""
    return render(request, "tenancy/switch.html")
