"""A poll's responses as CSV (German Excel: `;`, UTF-8 with BOM) or Excel (answers and a summary sheet)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lotse.participation import selectors
from lotse.participation.models import Answer, Poll, PollResponse, Question, QuestionKind
from lotse.portfolio.exporter import safe_cell


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
        body.append([n, local.strftime("%d.%m.%Y %H:%M")] + [safe_cell(_cell(q, given.get(q.pk))) for q in questions])
    return header, body


def poll_download(poll: Poll, fmt: str) -> HttpResponse:
    header, body = rows(poll)
    name = slugify(poll.title)[:50] or "umfrage"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(body)
        response = HttpResponse(("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
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
        summary.append([safe_cell(result.question.text)])
        summary[summary.max_row][0].font = Font(bold=True)
        if result.ranking:
            summary.append([_("Antwort"), _("durchschnittlicher Rang")])
            for label, average in result.ranking:
                summary.append([safe_cell(label), round(average, 2) if average else None])
        elif result.counts:
            summary.append([_("Antwort"), _("Nennungen")])
            for label, value in result.counts:
                summary.append([safe_cell(label), value])
            if result.mean is not None:
                summary.append([_("Mittelwert"), round(result.mean, 2)])
        else:
            summary.append([_("Freitextantworten"), len(result.texts)])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
