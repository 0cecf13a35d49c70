"""Pages of the Digitallotsen community, per network: the question-and-answer board (ask, answer, search,
follow, mark what helped, report, moderate) and the network's events."""

from __future__ import annotations

from datetime import UTC
from typing import Any

import icalendar
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.core.views import require
from lotse.pilots import selectors, services
from lotse.pilots.forms import AnswerForm, EventForm, QuestionForm, ReasonForm
from lotse.pilots.models import BoardAnswer, BoardQuestion, NetworkEvent
from lotse.tenancy.models import Network


def _network(slug: str) -> Network:
    return get_object_or_404(Network, slug=slug)


def _url(name: str, network: Network, **kwargs: Any) -> str:
    return reverse(f"community:{name}", kwargs={"slug": network.slug, **kwargs})


def _question(request: HttpRequest, network: Network, pk: int) -> BoardQuestion:
    question = get_object_or_404(BoardQuestion.objects.select_related("author", "network"), pk=pk, network=network)
    if question.hidden_reason and not request.user.has_perm("pilots.moderate_community", network):
        raise Http404
    return question


def board(request: HttpRequest, slug: str) -> HttpResponse:
    network = _network(slug)
    require(request, "pilots.view_community", network)
    q = request.GET.get("q", "").strip()[:100]
    open_only = request.GET.get("open") == "1"
    moderator = request.user.has_perm("pilots.moderate_community", network)
    page = Paginator(selectors.board(network, q=q, open_only=open_only, moderator=moderator), 20).get_page(
        request.GET.get("page")
    )
    upcoming, _past = selectors.events(network)
    query = "&".join(f"{k}={v}" for k, v in (("q", q), ("open", "1" if open_only else "")) if v)
    people = selectors.authors(item.author_id for item in page.object_list)
    for item in page.object_list:
        item.author_info = people.get(item.author_id or 0)
    context = {
        "network": network,
        "page": page,
        "query": query,
        "q": q,
        "open_only": open_only,
        "upcoming": upcoming[:3],
        "can_post": request.user.has_perm("pilots.post_community", network),
        "can_moderate": moderator,
    }
    return render(request, "pilots/board.html", context)


def ask(request: HttpRequest, slug: str) -> HttpResponse:
    network = _network(slug)
    require(request, "pilots.post_community", network)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        question = services.question_ask(user=request.user, network=network, **form.cleaned_data)
        messages.success(request, _("Ihre Frage ist im Forum. Sie bekommen eine E-Mail, sobald jemand antwortet."))
        return redirect(_url("question", network, pk=question.pk))
    return render(
        request,
        "components/form_page.html",
        {"form": form, "title": _("Frage stellen"), "back_url": _url("board", network)},
    )


def question(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = _network(slug)
    require(request, "pilots.view_community", network)
    item = _question(request, network, pk)
    moderator = request.user.has_perm("pilots.moderate_community", network)
    can_post = request.user.has_perm("pilots.post_community", network)
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        if not can_post:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.answer_post(user=request.user, question=item, body=form.cleaned_data["body"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Danke für Ihre Antwort! Wer der Frage folgt, bekommt eine E-Mail."))
                return redirect(_url("question", network, pk=item.pk) + "#answers")
    answers = list(item.answers.select_related("author"))
    if not moderator:
        answers = [a for a in answers if not a.hidden_reason]
    people = selectors.authors([item.author_id, *(a.author_id for a in answers)])
    item.author_info = people.get(item.author_id or 0)  # type: ignore[attr-defined]
    for answer in answers:
        answer.author_info = people.get(answer.author_id or 0)  # type: ignore[attr-defined]
    context = {
        "network": network,
        "question": item,
        "answers": answers,
        "form": form,
        "following": request.user.is_authenticated and item.followers.filter(pk=request.user.pk).exists(),
        "is_asker": request.user.is_authenticated and item.author_id == request.user.pk,
        "can_post": can_post,
        "can_moderate": moderator,
        "reason_form": ReasonForm(),
    }
    return render(request, "pilots/question.html", context)


@require_POST
def follow(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = _network(slug)
    require(request, "pilots.post_community", network)
    item = _question(request, network, pk)
    on = request.POST.get("on") == "1"
    services.follow(user=request.user, question=item, on=on)
    messages.success(request, _("Sie folgen dieser Frage.") if on else _("Sie folgen dieser Frage nicht mehr."))
    return redirect(_url("question", network, pk=item.pk))


@require_POST
def accept(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = _network(slug)
    answer = get_object_or_404(BoardAnswer.objects.select_related("question"), pk=pk, question__network=network)
    require(request, "pilots.post_community", network)
    try:
        services.answer_accept(user=request.user, answer=answer)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Als hilfreich markiert."))
    return redirect(_url("question", network, pk=answer.question_id) + f"#answer-{answer.pk}")


def _post(network: Network, kind: str, pk: int) -> BoardQuestion | BoardAnswer:
    if kind == "question":
        return get_object_or_404(BoardQuestion, pk=pk, network=network)
    if kind == "answer":
        return get_object_or_404(BoardAnswer.objects.select_related("question"), pk=pk, question__network=network)
    raise Http404


@require_POST
def hide(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    network = _network(slug)
    require(request, "pilots.moderate_community", network)
    record = _post(network, kind, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        services.board_hide(record, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Der Beitrag ist ausgeblendet."))
    else:
        messages.error(request, _("Bitte begründen Sie, warum der Beitrag ausgeblendet wird."))
    question_id = record.pk if isinstance(record, BoardQuestion) else record.question_id
    return redirect(_url("question", network, pk=question_id))


def report(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    network = _network(slug)
    require(request, "pilots.post_community", network)
    record = _post(network, kind, pk)
    question_id = record.pk if isinstance(record, BoardQuestion) else record.question_id
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        operators = get_user_model().objects.filter(programmes__network=network)
        services.board_report(record, user=request.user, reason=form.cleaned_data["reason"], operators=operators)
        messages.success(request, _("Danke für den Hinweis. Die Moderation des Netzwerks prüft ihn."))
        return redirect(_url("question", network, pk=question_id))
    return render(
        request,
        "components/form_page.html",
        {"form": form, "title": _("Beitrag melden"), "back_url": _url("question", network, pk=question_id)},
    )


def events(request: HttpRequest, slug: str) -> HttpResponse:
    network = _network(slug)
    require(request, "pilots.view_community", network)
    upcoming, past = selectors.events(network)
    context = {
        "network": network,
        "upcoming": upcoming,
        "past": past,
        "can_manage": request.user.has_perm("pilots.moderate_community", network),
    }
    return render(request, "pilots/events.html", context)


def event_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    network = _network(slug)
    require(request, "pilots.moderate_community", network)
    event = get_object_or_404(NetworkEvent, pk=pk, network=network) if pk else None
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_save(event, user=request.user, network=network, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Der Termin wurde gespeichert."))
            return redirect(_url("events", network))
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "title": _("Termin bearbeiten") if event else _("Neuer Termin"),
            "back_url": _url("events", network),
        },
    )


def event_ics(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The event for a calendar (iCalendar, RFC 5545), so pilots can add it to Outlook or Thunderbird."""
    network = _network(slug)
    require(request, "pilots.view_community", network)
    event = get_object_or_404(NetworkEvent, pk=pk, network=network)

    location = ", ".join(x for x in (event.place, event.online_url) if x)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Lotse//Netzwerktermine//DE")
    calendar.add("version", "2.0")
    entry = icalendar.Event()
    entry.add("uid", f"lotse-event-{event.pk}@{request.get_host()}")
    entry.add("dtstamp", timezone.now().astimezone(UTC))
    entry.add("dtstart", event.starts_at.astimezone(UTC))
    entry.add("dtend", event.ends_at.astimezone(UTC))
    entry.add("summary", event.title)
    entry.add("description", event.description)
    entry.add("location", location)
    calendar.add_component(entry)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="termin-{event.pk}.ics"'
    return response
