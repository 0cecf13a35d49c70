"""A poll's responses as CSV (German Excel: `;`, UTF-8 with BOM) or Excel (answers and a summary sheet)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lotse.core.spreadsheets import csv_bytes, workbook_bytes
from lotse.participation import selectors
from lotse.participation.models import Answer, Poll, PollResponse, Question, QuestionKind


def _cell(question: Question, value: Any) -> Any:
    options = question.option_list()

    def option(i: Any) -> str:
        return options[int(i)] if 0 <= int(i) < len(options) else "?"

    if value is None:
        return ""
    if question.kind == QuestionKind.SINGLE:
        return option(value)
    if question.kind == QuestionKind.MULTIPLE:
        return "; ".join(option(i) for i in value)
    if question.kind == QuestionKind.RANKING:
        return "; ".join(f"{n}. {option(i)}" for n, i in enumerate(value, start=1))
    if question.kind == QuestionKind.SCALE:
        return int(value)
    return str(value)


def rows(poll: Poll) -> tuple[list[str], list[list[Any]]]:
    """One row per confirmed response, one column per question."""
    questions = list(poll.questions.all())
    header = [_("Nr."), _("Eingang")] + [q.text for q in questions]
    responses = PollResponse.objects.filter(poll=poll, confirmed=True).order_by("created_at", "pk")
    answers: dict[int, dict[int, Any]] = {}
    for response_id, question_id, value in Answer.objects.filter(response__in=responses).values_list(
        "response_id", "question_id", "value"
    ):
        answers.setdefault(response_id, {})[question_id] = value
    body = []
    for n, (pk, created) in enumerate(responses.values_list("pk", "created_at"), start=1):
        given = answers.get(pk, {})
        local = timezone.localtime(created)
        body.append([n, local.strftime("%d.%m.%Y %H:%M")] + [_cell(q, given.get(q.pk)) for q in questions])
    return header, body


def poll_download(poll: Poll, fmt: str) -> HttpResponse:
    header, body = rows(poll)
    name = slugify(poll.title)[:50] or "umfrage"
    if fmt == "csv":
        response = HttpResponse(csv_bytes([header, *body]), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt != "xlsx":
        raise Http404
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Antworten")[:31]
    sheet.append(header)
    for row in body:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "C2"
    summary = book.create_sheet(_("Auswertung")[:31])
    total, results = selectors.results(poll)
    summary.append([_("Antworten insgesamt"), total])
    for result in results:
        summary.append([])
        summary.append([result.question.text])
        summary[summary.max_row][0].font = Font(bold=True)
        if result.ranking:
            summary.append([_("Antwort"), _("durchschnittlicher Rang")])
            for label, average in result.ranking:
                summary.append([label, round(average, 2) if average else None])
        elif result.counts:
            summary.append([_("Antwort"), _("Nennungen")])
            for label, value in result.counts:
                summary.append([label, value])
            if result.mean is not None:
                summary.append([_("Mittelwert"), round(result.mean, 2)])
        else:
            summary.append([_("Freitextantworten"), len(result.texts)])
    response = HttpResponse(
        workbook_bytes(book), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
