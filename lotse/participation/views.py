"""Pages of the participation room. Public pages (campaigns, ideas, polls, confirmation links, "Was ist aus
meiner Idee geworden?") work without an account; triage, moderation, results and personal data are for the
coordination. Views check permissions and rate limits, then call selectors and services."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.core import ratelimit
from lotse.core.forms import id_param, posted_version
from lotse.core.services import EditConflict
from lotse.core.views import page_or_partial, render_history, require
from lotse.participation import exports, selectors, services
from lotse.participation.forms import (
    CampaignForm,
    CommentForm,
    EraseForm,
    IdeaForm,
    IdeaManageForm,
    LinkRequestForm,
    MergeForm,
    ParticipantSearchForm,
    PollForm,
    ProjectFromIdeasForm,
    QuestionForm,
    ReportForm,
    ResponseForm,
    SelfEraseForm,
    SupportForm,
)
from lotse.participation.models import (
    AbuseReport,
    Campaign,
    Comment,
    Idea,
    IdeaStatus,
    ModerationEntry,
    Participant,
    Poll,
    Publication,
    Question,
)
from lotse.portfolio.models import Project
from lotse.strategy.models import FieldOfAction
from lotse.synergy import selectors as synergy
from lotse.tenancy.access import get_for_user
from lotse.tenancy.http import TenantRequest
from lotse.tenancy.models import Municipality, OrgUnit
from lotse.tenancy.selectors import visible

IDEAS_PAGE = 20
SESSION_KEY = "lotse_participant"

# Attempts per client and hour on the public forms.
LIMITS = {"idea": 10, "comment": 20, "support": 60, "report": 10, "response": 10, "link": 5}


def _url(name: str, municipality: Municipality, **kwargs: Any) -> str:
    return reverse(f"participation:{name}", kwargs={"municipality": municipality.slug, **kwargs})


def _limited(request: HttpRequest, scope: str) -> HttpResponse | None:
    if ratelimit.hit(request, f"participation.{scope}", LIMITS[scope]):
        return None
    response = render(
        request,
        "participation/limited.html",
        {
            "message": _(
                "Von Ihrem Anschluss kamen gerade sehr viele Beiträge. Bitte versuchen Sie es in einer Stunde wieder."
            )
        },
        status=429,
    )
    response["Retry-After"] = "3600"
    return response


def _campaign(request: TenantRequest, pk: int) -> Campaign:
    return get_for_user(request, Campaign, municipality=request.municipality, pk=pk)


def _idea(request: TenantRequest, pk: int) -> Idea:
    ideas = Idea.objects.restrict(request.user).select_related(
        "campaign", "participant__user", "field", "org_unit", "merged_into"
    )
    return get_for_user(request, ideas, municipality=request.municipality, pk=pk)


def _poll(request: TenantRequest, pk: int) -> Poll:
    return get_for_user(request, Poll, municipality=request.municipality, pk=pk)


def _citizen(request: HttpRequest) -> bool:
    """People without an account take part with an e-mail address; everyone else with their account."""
    return not request.user.is_authenticated


def _remember(request: HttpRequest, participant: Participant | None) -> None:
    if participant is not None and participant.pk and not participant.user_id:
        known = dict(request.session.get(SESSION_KEY, {}))
        known[str(participant.municipality_id)] = participant.pk
        request.session[SESSION_KEY] = known


def _known(request: HttpRequest, municipality: Municipality) -> Participant | None:
    """The confirmed participant this browser proved to be (by a confirmation or personal link)."""
    pk = request.session.get(SESSION_KEY, {}).get(str(municipality.pk))
    if not pk:
        return None
    return Participant.objects.filter(
        pk=pk, municipality=municipality, erased_at__isnull=True, confirmed_at__isnull=False
    ).first()


def _participant(request: HttpRequest, municipality: Municipality, data: dict[str, Any]) -> tuple[Participant, bool]:
    """Who contributes, and whether they are already confirmed (account, or this browser's confirmed e-mail)."""
    if request.user.is_authenticated:
        return services.participant_for_user(municipality, request.user), True
    known = _known(request, municipality)
    email = selectors.canonical_email(data.get("email") or "")
    if known is not None and known.email == email:
        return known, True
    return services.participant_for_email(municipality, email), False


# --- overview and campaigns ----------------------------------------------------------------------------------


def index(request: TenantRequest) -> HttpResponse:
    municipality = request.municipality
    can_manage = request.user.has_perm("participation.manage_campaign", municipality)
    context: dict[str, Any] = {
        "municipality": municipality,
        "campaigns": selectors.campaigns(municipality, request.user),
        "polls": selectors.polls(municipality, request.user),
        "can_manage": can_manage,
    }
    if can_manage:
        context["pending"] = (
            Idea.objects.restrict(request.user, municipality).filter(publication=Publication.PENDING).count()
            + Comment.objects.filter(idea__municipality=municipality, publication=Publication.PENDING).count()
            + AbuseReport.objects.filter(municipality=municipality, outcome=AbuseReport.Outcome.OPEN).count()
        )
    return render(request, "participation/index.html", context)


def campaign_detail(request: TenantRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    campaign = _campaign(request, pk)
    sort = request.GET.get("sort", "new")
    status = request.GET.get("status", "")
    status = status if status in IdeaStatus.values else ""
    field = request.GET.get("field", "")
    field = field if id_param(field) is not None else ""
    q = request.GET.get("q", "").strip()[:100]
    ideas = selectors.idea_list(campaign, sort=sort, status=status, field=field, q=q)
    page = Paginator(ideas, IDEAS_PAGE).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in (("sort", sort), ("status", status), ("field", field), ("q", q)) if v)
    context = {
        "municipality": municipality,
        "campaign": campaign,
        "page": page,
        "query": query,
        "sort": sort,
        "status": status,
        "field": field,
        "q": q,
        "statuses": IdeaStatus.choices,
        "fields": list(campaign.fields.all()) or list(FieldOfAction.objects.restrict(request.user, municipality)),
        "total": selectors.public_ideas(campaign).count(),
        "can_manage": request.user.has_perm("participation.manage_campaign", campaign),
    }
    return page_or_partial(request, "participation/campaign.html", "participation/partials/idea_list.html", context)


def campaign_form(request: TenantRequest, pk: int | None = None) -> HttpResponse:
    municipality = request.municipality
    campaign = get_for_user(request, Campaign, municipality=municipality, pk=pk) if pk else None
    require(request, "participation.manage_campaign", campaign or municipality)
    form = CampaignForm(request.POST or None, instance=campaign, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.offering_save(
                Campaign,
                campaign,
                user=request.user,
                municipality=municipality,
                data=form.model_data(),
                m2m={"fields": form.cleaned_data["fields"]},
                expected_version=form.expected_version() if campaign else None,
            )
        except EditConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Die Beteiligung „%(title)s“ wurde gespeichert.") % {"title": saved})
            return redirect(_url("campaign", municipality, pk=saved.pk))
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "title": _("Beteiligung bearbeiten") if campaign else _("Neue Beteiligung"),
            "back_url": _url("campaign", municipality, pk=campaign.pk) if campaign else _url("index", municipality),
        },
    )


def campaign_history(request: TenantRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    campaign = get_for_user(request, Campaign, municipality=municipality, pk=pk)
    require(request, "participation.manage_campaign", campaign)
    return render_history(
        request,
        obj=campaign,
        title=_("Verlauf: %(title)s") % {"title": campaign},
        back_url=_url("campaign", municipality, pk=campaign.pk),
        can_restore=True,
    )


# --- submitting ----------------------------------------------------------------------------------------------


def idea_submit(request: TenantRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    campaign = _campaign(request, pk)
    if not campaign.is_open():
        messages.error(
            request,
            _("Diese Beteiligung ist nicht geöffnet. Ideen können nur während der Laufzeit eingereicht werden."),
        )
        return redirect(_url("campaign", municipality, pk=campaign.pk))
    citizen = _citizen(request)
    form = IdeaForm(request.POST or None, campaign=campaign, citizen=citizen, guard=not request.user.is_authenticated)
    if request.method == "POST":
        if limited := _limited(request, "idea"):
            return limited
        if form.is_valid():
            participant, confirmed = _participant(request, municipality, form.cleaned_data)
            try:
                idea = services.idea_submit(
                    campaign,
                    participant=participant,
                    confirmed=confirmed,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                    field=form.cleaned_data["field"],
                    author_name=form.cleaned_data.get("name") or "",
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return _after_submit(
                    request, municipality, idea.publication, _url("idea", municipality, pk=idea.pk), participant
                )
    return render(
        request, "participation/idea_form.html", {"municipality": municipality, "campaign": campaign, "form": form}
    )


def _after_submit(
    request: HttpRequest, municipality: Municipality, publication: str, url: str, participant: Participant
) -> HttpResponse:
    if publication == Publication.UNCONFIRMED:
        return render(
            request, "participation/check_mail.html", {"municipality": municipality, "email": participant.email}
        )
    if publication == Publication.PENDING:
        messages.success(request, _("Danke! Ihr Beitrag wird geprüft und dann veröffentlicht."))
        return redirect(_mine_url(request, municipality, participant))
    messages.success(request, _("Danke! Ihr Beitrag ist veröffentlicht."))
    return redirect(url)


def _mine_url(request: HttpRequest, municipality: Municipality, participant: Participant) -> str:
    if participant.user_id:
        return _url("mine", municipality)
    return services.participant_link(participant)


def suggest(request: TenantRequest, pk: int) -> HttpResponse:
    """While someone types: similar ideas of this municipality and similar projects they may see (HTMX)."""
    municipality = request.municipality
    campaign = _campaign(request, pk)
    title = request.GET.get("title", "")[:200]
    text = request.GET.get("description", "")[:2000]
    ideas = selectors.similar_ideas(municipality, request.user, title, text, limit=4)
    projects = []
    if len(f"{title} {text}".strip()) >= 4:
        projects = [
            s
            for s in synergy.search(request.user, f"{title} {title} {text}", limit=3, group=municipality.pk)
            if s.score >= selectors.MIN_SIMILAR
        ]
    return _panel(
        request,
        "participation/partials/suggestions.html",
        _("Ähnliche Ideen und Projekte"),
        {"municipality": municipality, "campaign": campaign, "ideas": ideas, "projects": projects},
    )


def _panel(request: HttpRequest, partial: str, title: str, context: dict[str, Any]) -> HttpResponse:
    """A part of another page, loaded by HTMX; opened directly (no JavaScript), a page of its own."""
    return page_or_partial(
        request, "participation/panel_page.html", partial, {**context, "panel": partial, "panel_title": title}
    )


# --- an idea and what people do with it ----------------------------------------------------------------------


def idea_detail(request: TenantRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    idea = _idea(request, pk)
    if idea.merged_into_id and not request.user.has_perm("participation.moderate", idea):
        messages.info(request, _("Diese Idee wurde mit einer sehr ähnlichen zusammengeführt."))
    citizen = _citizen(request)
    known = _known(request, municipality) if citizen else None
    can_moderate = request.user.has_perm("participation.moderate", idea)
    comments = idea.comments.select_related("participant__user")
    if not can_moderate:
        comments = comments.filter(publication=Publication.PUBLISHED)
    else:
        comments = comments.exclude(publication=Publication.UNCONFIRMED)
    linked = list(idea.projects.all())
    shown = list(visible(idea.projects.all(), request.user))
    supported = False
    if request.user.is_authenticated:
        supported = idea.supports.filter(participant__user=request.user).exists()
    elif known is not None:
        supported = idea.supports.filter(participant=known).exists()
    context = {
        "municipality": municipality,
        "idea": idea,
        "campaign": idea.campaign,
        "comments": comments,
        "projects": shown,
        "unlisted_projects": len(linked) - len(shown),
        "similar": selectors.similar_ideas(
            municipality, request.user, idea.title, idea.description, exclude=idea.pk, limit=4
        ),
        "supported": supported,
        "open": idea.campaign.is_open() and idea.is_public and not idea.merged_into_id,
        "citizen_unknown": citizen and known is None,
        "support_form": SupportForm(campaign=idea.campaign, citizen=citizen and known is None),
        "comment_form": CommentForm(campaign=idea.campaign, citizen=citizen and known is None, prefix="c"),
        "can_moderate": can_moderate,
    }
    return render(request, "participation/idea.html", context)


@require_POST
def idea_support(request: TenantRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    idea = _idea(request, pk)
    if not idea.is_public or idea.merged_into_id:
        raise Http404
    if limited := _limited(request, "support"):
        return limited
    citizen = _citizen(request) and _known(request, municipality) is None
    form = SupportForm(request.POST, campaign=idea.campaign, citizen=citizen, guard=not request.user.is_authenticated)
    if not form.is_valid():
        return render(
            request,
            "participation/contribute_error.html",
            {"municipality": municipality, "idea": idea, "form": form, "title": _("Idee unterstützen")},
            status=400,
        )
    data = dict(form.cleaned_data)
    if not citizen and not request.user.is_authenticated:
        data["email"] = _known(request, municipality).email  # type: ignore[union-attr]
    participant, confirmed = _participant(request, municipality, data)
    try:
        support = services.support_add(idea, participant=participant, confirmed=confirmed)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(_url("idea", municipality, pk=idea.pk))
    if not support.confirmed:
        return render(
            request, "participation/check_mail.html", {"municipality": municipality, "email": participant.email}
        )
    messages.success(request, _("Danke für Ihre Unterstützung!"))
    return redirect(_url("idea", municipality, pk=idea.pk))


@require_POST
def idea_comment(request: TenantRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    idea = _idea(request, pk)
    if not idea.is_public or idea.merged_into_id:
        raise Http404
    if limited := _limited(request, "comment"):
        return limited
    known = _known(request, municipality) if _citizen(request) else None
    citizen = _citizen(request) and known is None
    form = CommentForm(
        request.POST, campaign=idea.campaign, citizen=citizen, prefix="c", guard=not request.user.is_authenticated
    )
    if not form.is_valid():
        return render(
            request,
            "participation/contribute_error.html",
            {"municipality": municipality, "idea": idea, "form": form, "title": _("Kommentieren")},
            status=400,
        )
    data = dict(form.cleaned_data)
    if known is not None:
        data["email"] = known.email
    participant, confirmed = _participant(request, municipality, data)
    try:
        comment = services.comment_add(
            idea,
            participant=participant,
            confirmed=confirmed,
            text=form.cleaned_data["text"],
            author_name=form.cleaned_data.get("name") or "",
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(_url("idea", municipality, pk=idea.pk))
    return _after_submit(
        request, municipality, comment.publication, _url("idea", municipality, pk=idea.pk) + "#comments", participant
    )


def idea_report(request: TenantRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    idea = _idea(request, pk)
    comment = None
    if (comment_id := id_param(request.GET.get("comment"))) is not None:
        comment = get_object_or_404(Comment, pk=comment_id, idea=idea, publication=Publication.PUBLISHED)
    form = ReportForm(request.POST or None, guard=not request.user.is_authenticated)
    if request.method == "POST":
        if limited := _limited(request, "report"):
            return limited
        if form.is_valid():
            services.report_add(
                municipality, idea=None if comment else idea, comment=comment, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Danke für Ihren Hinweis. Die Moderation prüft ihn."))
            return redirect(_url("idea", municipality, pk=idea.pk))
    return render(
        request,
        "participation/report.html",
        {"municipality": municipality, "idea": idea, "comment": comment, "form": form},
    )


# --- confirmation links and "Was ist aus meiner Idee geworden?" ----------------------------------------------


def confirm(request: TenantRequest, token: str) -> HttpResponse:
    """A link from an e-mail. GET only shows a button: mail scanners that open links must not confirm."""
    municipality = request.municipality
    error = None
    try:
        kind, _pk = services.read_confirm_token(token)
    except ValidationError as exc:
        return render(
            request, "participation/confirm.html", {"municipality": municipality, "error": exc.messages[0]}, status=400
        )
    if request.method == "POST":
        try:
            kind, record = services.confirm(municipality, token)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            participant = getattr(record, "participant", None)
            _remember(request, participant)
            if kind == "response_refused":
                messages.info(request, services.ALREADY_ANSWERED)
                return redirect(_url("poll_thanks", municipality, pk=record.poll_id))
            if kind == "response":
                messages.success(request, _("Danke! Ihre Antwort ist bestätigt und wird ausgewertet."))
                return redirect(_url("poll_thanks", municipality, pk=record.poll_id))
            messages.success(request, _("Danke! Ihre E-Mail-Adresse ist bestätigt."))
            if participant is not None:
                return redirect(services.participant_link(participant))
            return redirect(_url("index", municipality))
    return render(request, "participation/confirm.html", {"municipality": municipality, "kind": kind, "error": error})


def mine(request: TenantRequest) -> HttpResponse:
    municipality = request.municipality
    if not request.user.is_authenticated:
        return redirect(_url("mine_link", municipality))
    participant = Participant.objects.filter(municipality=municipality, user=request.user).first()
    return _mine_page(request, municipality, participant, token="")


def mine_token(request: TenantRequest, token: str) -> HttpResponse:
    municipality = request.municipality
    try:
        participant = services.participant_from_link(token, municipality)
    except ValidationError as error:
        return render(
            request, "participation/mine.html", {"municipality": municipality, "error": error.messages[0]}, status=404
        )
    _remember(request, participant)
    if request.method == "POST":
        if request.POST.get("action") == "export":
            return _json_download(services.export_participant(participant), f"meine-daten-{municipality.slug}.json")
        form = SelfEraseForm(request.POST)
        if form.is_valid():
            services.erase_participant(participant, reason=_("auf eigenen Wunsch"))
            request.session.pop(SESSION_KEY, None)
            messages.success(
                request, _("Ihre Personendaten wurden gelöscht. Ihre veröffentlichten Beiträge bleiben anonym stehen.")
            )
            return redirect(_url("index", municipality))
    return _mine_page(request, municipality, participant, token=token)


def _mine_page(
    request: HttpRequest, municipality: Municipality, participant: Participant | None, token: str
) -> HttpResponse:
    context = {
        "municipality": municipality,
        "participant": participant,
        "token": token,
        "erase_form": SelfEraseForm(),
        **(selectors.contributions(participant) if participant else {"ideas": [], "comments": [], "supports": []}),
    }
    return render(request, "participation/mine.html", context)


def mine_link(request: TenantRequest) -> HttpResponse:
    """A lost link: we send it again, and say the same whether or not the address is known (no enumeration)."""
    municipality = request.municipality
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST":
        if limited := _limited(request, "link"):
            return limited
        if form.is_valid():
            participant = Participant.objects.filter(
                municipality=municipality,
                email=selectors.canonical_email(form.cleaned_data["email"]),
                erased_at__isnull=True,
            ).first()
            if participant is not None and participant.confirmed_at:
                services.send_link(participant)
            messages.success(request, _("Wenn wir Beiträge zu dieser Adresse haben, ist der Link jetzt unterwegs."))
            return redirect(_url("index", municipality))
    return render(request, "participation/mine_link.html", {"municipality": municipality, "form": form})


def _json_download(data: dict[str, Any], filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- the Stabsstelle: managing ideas -------------------------------------------------------------------------


def idea_manage(request: TenantRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    idea = _idea(request, pk)
    require(request, "participation.moderate", idea)
    form = IdeaManageForm(request.POST or None, instance=idea, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            services.idea_update(
                idea,
                user=request.user,
                expected_version=form.expected_version(),
                data={k: form.cleaned_data[k] for k in ("status", "feedback", "field", "org_unit")},
                projects=form.cleaned_data["projects"],
            )
        except EditConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Gespeichert. Die Einreichenden werden per E-Mail informiert, wenn sich der Stand geändert hat."),
            )
            return redirect(_url("idea", municipality, pk=idea.pk))
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "title": _("Rückmeldung zu „%(title)s“") % {"title": idea.title},
            "back_url": _url("idea", municipality, pk=idea.pk),
        },
    )


def idea_merge(request: TenantRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    idea = _idea(request, pk)
    require(request, "participation.moderate", idea)
    form = MergeForm(request.POST or None, idea=idea)
    if request.method == "POST" and form.is_valid():
        try:
            services.merge(idea, into=form.cleaned_data["into"], user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Die Ideen wurden zusammengeführt."))
            return redirect(_url("idea", municipality, pk=form.cleaned_data["into"].pk))
    similar = selectors.similar_ideas(
        municipality, request.user, idea.title, idea.description, exclude=idea.pk, limit=5
    )
    return render(
        request,
        "participation/merge.html",
        {"municipality": municipality, "idea": idea, "form": form, "similar": similar},
    )


@require_POST
def moderate(request: TenantRequest, kind: str, pk: int) -> HttpResponse:
    municipality = request.municipality
    record: Idea | Comment
    if kind == "idea":
        record = get_for_user(request, Idea, municipality=municipality, pk=pk)
    else:
        record = get_object_or_404(Comment.objects.select_related("idea"), pk=pk, idea__municipality=municipality)
    require(request, "participation.moderate", municipality)
    action = request.POST.get("action")
    if action == "dismiss":
        report = get_object_or_404(AbuseReport, pk=request.POST.get("report", 0), municipality=municipality)
        services.report_dismiss(report, user=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("Die Meldung wurde zurückgewiesen; der Beitrag bleibt sichtbar."))
    else:
        try:
            services.moderate(
                record, user=request.user, publish=action == "publish", reason=request.POST.get("reason", "").strip()
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Veröffentlicht.") if action == "publish" else _("Ausgeblendet."))
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/") and not back.startswith("//") else _url("moderation", municipality))


def idea_history(request: TenantRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    idea = _idea(request, pk)
    require(request, "participation.moderate", idea)
    return render_history(
        request,
        obj=idea,
        title=_("Verlauf: %(title)s") % {"title": idea},
        back_url=_url("idea", municipality, pk=idea.pk),
        can_restore=False,
    )


def triage(request: TenantRequest, pk: int) -> HttpResponse:
    """The Stabsstelle's working list: every idea with its state; as a table, a board by status, or by topic."""
    municipality = request.municipality
    campaign = get_for_user(request, Campaign, municipality=municipality, pk=pk)
    require(request, "participation.moderate", campaign)
    view = request.GET.get("view", "list")
    status = request.GET.get("status", "")
    status = status if status in IdeaStatus.values else ""
    publication = request.GET.get("publication", "")
    publication = publication if publication in Publication.values else ""
    q = request.GET.get("q", "").strip()[:100]
    context: dict[str, Any] = {
        "municipality": municipality,
        "campaign": campaign,
        "view": view,
        "status": status,
        "publication": publication,
        "q": q,
        "statuses": IdeaStatus.choices,
        "publications": [c for c in Publication.choices if c[0] != Publication.UNCONFIRMED],
    }
    ideas = selectors.triage_list(campaign, status=status, publication=publication, q=q)
    if view == "board":
        shown = list(ideas.filter(merged_into__isnull=True)[:1000])
        context["columns"] = [
            (value, label, [i for i in shown if i.status == value]) for value, label in IdeaStatus.choices
        ]
    elif view == "topics":
        context["topics"] = selectors.topics(campaign)
    else:
        context["page"] = Paginator(ideas, 50).get_page(request.GET.get("page"))
        context["query"] = "&".join(
            f"{k}={v}" for k, v in (("status", status), ("publication", publication), ("q", q)) if v
        )
    return render(request, "participation/triage.html", context)


@require_POST
def triage_status(request: TenantRequest, pk: int) -> HttpResponse:
    """The board's move, for keyboard and mouse alike: a new status for one idea, with the version seen."""
    municipality = request.municipality
    idea = get_for_user(request, Idea, municipality=municipality, pk=pk)
    require(request, "participation.moderate", idea)
    status = request.POST.get("status", "")
    try:
        version = posted_version(request.POST)
        if status not in IdeaStatus.values:
            raise ValidationError(_("Diesen Stand gibt es nicht."))
        services.idea_update(idea, user=request.user, expected_version=version, data={"status": status})
    except (EditConflict, ValidationError, ValueError) as error:
        text = error.messages[0] if isinstance(error, ValidationError) else str(error)
        messages.error(request, _("„%(title)s“: %(error)s") % {"title": idea.title, "error": text})
    else:
        messages.success(
            request,
            _("„%(title)s“ ist jetzt „%(status)s“.") % {"title": idea.title, "status": idea.get_status_display()},
        )
    return redirect(_url("triage", municipality, pk=idea.campaign_id) + "?view=board")


def to_project(request: TenantRequest, pk: int) -> HttpResponse:
    """One or several ideas become a project; the ideas are "aufgenommen" and linked to it, both ways."""
    municipality = request.municipality
    campaign = get_for_user(request, Campaign, municipality=municipality, pk=pk)
    require(request, "participation.moderate", campaign)
    if not request.user.has_perm("portfolio.add_project", municipality):
        raise PermissionDenied
    initial: dict[str, Any] = {}
    chosen = [n for i in request.GET.getlist("ideas") if (n := id_param(i)) is not None]
    if chosen:
        first = (
            Idea.objects.restrict(request.user, municipality)
            .filter(pk__in=chosen, campaign=campaign)
            .order_by("-supporters_count", "pk")
            .first()
        )
        if first is not None:
            initial = {
                "ideas": chosen,
                "title": first.title,
                "description": "\n\n".join(
                    f"{i.title}: {i.description}"
                    for i in Idea.objects.restrict(request.user, municipality).filter(pk__in=chosen, campaign=campaign)
                ),
                "field": first.field_id,
                "lead_unit": first.org_unit_id,
                "feedback": _("Ihre Idee ist in ein Projekt der Verwaltung eingeflossen."),
            }
    form = ProjectFromIdeasForm(request.POST or None, campaign=campaign, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {
            k: form.cleaned_data[k]
            for k in ("title", "summary", "description", "field", "lead_unit", "status", "visibility")
        }
        try:
            project = services.ideas_to_project(
                list(form.cleaned_data["ideas"]),
                user=request.user,
                municipality=municipality,
                data=data,
                feedback=form.cleaned_data["feedback"],
            )
        except (ValidationError, EditConflict) as error:
            form.add_error(None, error.messages[0] if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(
                request,
                _("Das Projekt „%(title)s“ ist angelegt; die Einreichenden werden informiert.")
                % {"title": project.title},
            )
            return redirect(reverse("portfolio:project", kwargs={"municipality": municipality.slug, "pk": project.pk}))
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "title": _("Aus Ideen ein Projekt machen"),
            "back_url": _url("triage", municipality, pk=campaign.pk),
        },
    )


def moderation(request: TenantRequest) -> HttpResponse:
    municipality = request.municipality
    require(request, "participation.moderate", municipality)
    context = {
        "municipality": municipality,
        "ideas": Idea.objects.restrict(request.user, municipality)
        .filter(publication=Publication.PENDING)
        .select_related("campaign", "participant__user"),
        "comments": Comment.objects.filter(
            idea__municipality=municipality, publication=Publication.PENDING
        ).select_related("idea", "participant__user"),
        "reports": AbuseReport.objects.filter(
            municipality=municipality, outcome=AbuseReport.Outcome.OPEN
        ).select_related("idea", "comment__idea"),
    }
    return render(request, "participation/moderation.html", context)


def moderation_log(request: TenantRequest) -> HttpResponse:
    municipality = request.municipality
    require(request, "participation.moderate", municipality)
    entries = ModerationEntry.objects.filter(municipality=municipality).select_related("actor")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "participation/log.html", {"municipality": municipality, "page": page})


def privacy(request: TenantRequest) -> HttpResponse:
    """GDPR requests: find one person's data by e-mail, export it, erase it."""
    municipality = request.municipality
    require(request, "participation.view_personal_data", municipality)
    form = ParticipantSearchForm(request.GET or None)
    participant = None
    if form.is_valid():
        participant = selectors.participant_by_email(municipality, form.cleaned_data["email"])
    context = {
        "municipality": municipality,
        "form": form,
        "searched": form.is_valid(),
        "participant": participant,
        "erase_form": EraseForm(),
        **(selectors.contributions(participant) if participant else {}),
    }
    return render(request, "participation/privacy.html", context)


@require_POST
def participant_action(request: TenantRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    require(request, "participation.view_personal_data", municipality)
    participant = get_object_or_404(Participant, pk=pk, municipality=municipality, erased_at__isnull=True)
    if request.POST.get("action") == "export":
        data = services.export_participant(participant, user=request.user)
        return _json_download(data, f"personendaten-{participant.pk}.json")
    form = EraseForm(request.POST)
    if form.is_valid():
        services.erase_participant(participant, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Die Personendaten wurden gelöscht; die Beiträge bleiben anonym."))
    else:
        messages.error(request, _("Bitte bestätigen Sie die Löschung."))
    return redirect(_url("privacy", municipality))


# --- panels other rooms show ---------------------------------------------------------------------------------


def project_ideas(request: TenantRequest, pk: int) -> HttpResponse:
    """ "Aus Ideen entstanden" on a project's page (loaded by HTMX)."""
    municipality = request.municipality
    project = get_for_user(request, Project, municipality=municipality, pk=pk)
    ideas = [i for i in project.ideas.select_related("campaign") if request.user.has_perm("participation.view_idea", i)]
    return _panel(
        request,
        "participation/partials/project_ideas.html",
        _("Ideen zu „%(title)s“") % {"title": project.title},
        {"municipality": municipality, "project": project, "ideas": ideas},
    )


def unit_ideas(request: TenantRequest) -> HttpResponse:
    """Ideas routed to some org units (a pilot's home page loads this)."""
    municipality = request.municipality
    require(request, "participation.view_unit_ideas", municipality)
    ids = [n for i in request.GET.getlist("unit") if (n := id_param(i)) is not None]
    units = OrgUnit.objects.restrict(request.user, municipality).filter(pk__in=ids)
    ideas = (
        Idea.objects.restrict(request.user, municipality)
        .filter(org_unit__in=units, merged_into__isnull=True)
        .select_related("campaign", "org_unit")
        .order_by("-created_at")[:50]
    )
    return _panel(
        request,
        "participation/partials/unit_ideas.html",
        _("Ideen für die Einheiten"),
        {"municipality": municipality, "ideas": ideas},
    )


# --- polls ---------------------------------------------------------------------------------------------------


def poll_form(request: TenantRequest, pk: int | None = None) -> HttpResponse:
    municipality = request.municipality
    poll = get_for_user(request, Poll, municipality=municipality, pk=pk) if pk else None
    require(request, "participation.manage_poll", poll or municipality)
    form = PollForm(request.POST or None, instance=poll, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.offering_save(
                Poll,
                poll,
                user=request.user,
                municipality=municipality,
                data=form.model_data(),
                expected_version=form.expected_version() if poll else None,
            )
        except EditConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Die Umfrage „%(title)s“ wurde gespeichert.") % {"title": saved})
            return redirect(_url("questions", municipality, pk=saved.pk))
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "title": _("Umfrage bearbeiten") if poll else _("Neue Umfrage"),
            "back_url": _url("index", municipality),
        },
    )


def poll_detail(request: TenantRequest, pk: int) -> HttpResponse:
    """The questionnaire itself."""
    municipality = request.municipality
    poll = _poll(request, pk)
    citizen = _citizen(request)
    form = ResponseForm(request.POST or None, poll=poll, citizen=citizen, guard=not request.user.is_authenticated)
    if request.method == "POST":
        if not poll.is_open():
            messages.error(request, _("Diese Umfrage ist nicht geöffnet."))
            return redirect(_url("poll", municipality, pk=poll.pk))
        if limited := _limited(request, "response"):
            return limited
        if form.is_valid():
            participant = None
            email = form.cleaned_data.get("email", "")
            if not poll.anonymous:
                if request.user.is_authenticated:
                    participant = services.participant_for_user(municipality, request.user)
                elif email:
                    participant = services.participant_for_email(municipality, email)
            try:
                response = services.response_submit(
                    poll, answers=form.answers(), user=request.user, email=email, participant=participant
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if not response.confirmed:
                    return render(
                        request, "participation/check_mail.html", {"municipality": municipality, "email": email}
                    )
                return redirect(_url("poll_thanks", municipality, pk=poll.pk))
    return render(
        request,
        "participation/poll.html",
        {
            "municipality": municipality,
            "poll": poll,
            "form": form,
            "can_manage": request.user.has_perm("participation.manage_poll", poll),
            "can_see_results": request.user.has_perm("participation.view_results", poll),
        },
    )


def poll_thanks(request: TenantRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    poll = _poll(request, pk)
    return render(request, "participation/poll_thanks.html", {"municipality": municipality, "poll": poll})


def questions(request: TenantRequest, pk: int) -> HttpResponse:
    """The questionnaire builder: the questions in order, and a form for the next one."""
    municipality = request.municipality
    poll = get_for_user(request, Poll, municipality=municipality, pk=pk)
    require(request, "participation.manage_poll", poll)
    form = QuestionForm(request.POST or None, initial={"kind": "single"})
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(poll, None, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Die Frage wurde hinzugefügt."))
            return redirect(_url("questions", municipality, pk=poll.pk))
    return render(
        request,
        "participation/questions.html",
        {
            "municipality": municipality,
            "poll": poll,
            "questions": poll.questions.all(),
            "form": form,
            "answered": poll.responses.exists(),
        },
    )


def question_edit(request: TenantRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    question = get_object_or_404(Question.objects.select_related("poll"), pk=pk, poll__municipality=municipality)
    require(request, "participation.manage_poll", question.poll)
    back = _url("questions", municipality, pk=question.poll_id)
    if request.method == "POST" and request.POST.get("action") in ("up", "down", "delete"):
        action = request.POST["action"]
        try:
            if action == "delete":
                services.question_delete(question)
                messages.success(request, _("Die Frage wurde gelöscht."))
            else:
                services.question_move(question, up=action == "up")
        except ValidationError as error:
            messages.error(request, error.messages[0])
        return redirect(back)
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(question.poll, Question.objects.get(pk=question.pk), data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Die Frage wurde gespeichert."))
            return redirect(back)
    return render(
        request, "components/form_page.html", {"form": form, "title": _("Frage bearbeiten"), "back_url": back}
    )


def poll_results(request: TenantRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    poll = get_for_user(request, Poll, municipality=municipality, pk=pk)
    require(request, "participation.view_results", poll)
    total, rows = selectors.results(poll)
    return render(
        request,
        "participation/results.html",
        {
            "municipality": municipality,
            "poll": poll,
            "total": total,
            "results": rows,
            "can_manage": request.user.has_perm("participation.manage_poll", poll),
        },
    )


def poll_export(request: TenantRequest, pk: int, fmt: str) -> HttpResponse:
    municipality = request.municipality
    poll = get_for_user(request, Poll, municipality=municipality, pk=pk)
    require(request, "participation.view_results", poll)
    return exports.poll_download(poll, fmt)
