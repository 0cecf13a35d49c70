"""Every create and edit form of Lotse, filled in and submitted in Chromium as a new user would: only what the
form marks as required. The Django test client does not send what a browser sends (a select always submits its
selected option, an untouched row of a formset still submits its defaults), so these run in the real browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.forms import fill_required, saved, submit


@pytest.fixture
def db_access(django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock():
        yield


def _edit_title(page: Any, url: str, field: str) -> str:
    """Open an edit form, change one letter of its title and save; returns the new title."""
    page.goto(url)
    box = page.locator(f"main form [name={field}]")
    value = box.input_value()
    changed = value[:-1] + ("x" if value[-1:] != "x" else "y")
    box.fill(changed)
    submit(page)
    saved(page)
    return changed


def test_a_project_is_saved_with_only_a_title_and_every_row_left_untouched(demo_page: Any, db_access: Any) -> None:
    from lotse.portfolio.models import Project

    page = demo_page("coordinator")
    page.goto("/m/musterstadt/projects/new/")
    assert fill_required(page, "Neues Vorhaben") == ["title"]
    submit(page)
    expect(page.get_by_role("status")).to_contain_text("wurde gespeichert")
    project = Project.objects.get(title="Neues Vorhaben title")
    # The untouched extra rows of budget years, funding, milestones and relations wrote nothing.
    assert not project.years.exists() and not project.milestones.exists()
    assert not project.funding_sources.exists() and not project.relations_out.exists()
    changed = _edit_title(page, f"/m/musterstadt/projects/{project.pk}/edit/", "title")
    project.refresh_from_db()
    assert project.title == changed and project.version == 2

    # An editor leads new projects in their own unit: the one required choice is offered and enough.
    editor = demo_page("editor")
    editor.goto("/m/musterstadt/projects/new/")
    assert set(fill_required(editor, "Vorhaben der Projektleitung")) == {"title", "lead_unit"}
    submit(editor)
    saved(editor)
    # An existing project with all its rows: changing one letter of the title keeps every row.
    full = Project.objects.filter(municipality__slug="musterstadt").exclude(milestones=None).first()
    assert full is not None
    rows = (full.years.count(), full.milestones.count(), full.relations_out.count(), full.funding_sources.count())
    _edit_title(page, f"/m/musterstadt/projects/{full.pk}/edit/", "title")
    rows_after = (full.years.count(), full.milestones.count(), full.relations_out.count(), full.funding_sources.count())
    assert rows_after == rows


def test_a_failed_save_says_so_at_the_top_and_links_to_each_field(demo_page: Any, db_access: Any) -> None:
    page = demo_page("coordinator")
    page.goto("/m/musterstadt/projects/new/")
    page.get_by_label("Titel").fill("Vorhaben mit halbem Meilenstein")
    page.locator("[name=milestones-0-title]").fill("Pilotbetrieb")  # the date is missing
    submit(page)
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Nicht gespeichert")
    assert summary.bounding_box()["y"] < 400  # at the top of the page, not below 3,000 px of fields
    link = summary.get_by_role("link", name=re.compile("Meilensteine, Zeile 1, geplant am"))
    link.click()
    expect(page.locator("[name=milestones-0-due_date]")).to_be_focused()
    # The person's input is kept.
    expect(page.locator("[name=milestones-0-title]")).to_have_value("Pilotbetrieb")


@pytest.mark.parametrize(
    ("role", "create", "model", "title_field"),
    [
        ("coordinator", "/m/musterstadt/strategy/goals/new/", "strategy.Goal", "title"),
        ("coordinator", "/m/musterstadt/strategy/indicators/new/", "strategy.Indicator", "name"),
        ("coordinator", "/m/musterstadt/participation/campaigns/new/", "participation.Campaign", "title"),
        ("coordinator", "/m/musterstadt/participation/polls/new/", "participation.Poll", "title"),
        ("coordinator", "/m/musterstadt/ozg/processes/new/", "ozg.Process", "name"),
        ("coordinator", "/m/musterstadt/waves/", "reports.SurveyWave", "title"),
        ("academy", "/networks/landesprogramm-digitallotsen/programme/seminars/new/", "pilots.Seminar", "title"),
    ],
)
def test_create_and_edit_with_only_what_is_required(
    demo_page: Any, db_access: Any, role: str, create: str, model: str, title_field: str
) -> None:
    from django.apps import apps

    model_class = apps.get_model(model)
    page = demo_page(role)
    page.goto(create)
    before = set(model_class.objects.values_list("pk", flat=True))
    filled = fill_required(page, "Aus dem Browser")
    assert title_field in filled
    submit(page, name=re.compile("Speichern|anlegen"))
    saved(page)
    (new_pk,) = set(model_class.objects.values_list("pk", flat=True)) - before
    record = model_class.objects.get(pk=new_pk)
    edit = _edit_url(model, record)
    changed = _edit_title(page, edit, title_field)
    record.refresh_from_db()
    assert getattr(record, title_field) == changed


def _edit_url(model: str, record: Any) -> str:
    slug = "musterstadt"
    return {
        "strategy.Goal": f"/m/{slug}/strategy/goals/{record.pk}/edit/",
        "strategy.Indicator": f"/m/{slug}/strategy/indicators/{record.pk}/edit/",
        "participation.Campaign": f"/m/{slug}/participation/campaigns/{record.pk}/edit/",
        "participation.Poll": f"/m/{slug}/participation/polls/{record.pk}/edit/",
        "ozg.Process": f"/m/{slug}/ozg/processes/{record.pk}/edit/",
        "reports.SurveyWave": f"/m/{slug}/waves/{record.pk}/edit/",
        "pilots.Seminar": f"/networks/landesprogramm-digitallotsen/programme/seminars/{record.pk}/edit/",
    }[model]


def test_an_idea_is_submitted_and_answered_with_only_what_is_required(demo_page: Any, db_access: Any) -> None:
    from lotse.participation.models import Campaign, Idea

    campaign = Campaign.objects.get(title="Digitales Musterstadt: Ihre Ideen")
    page = demo_page("editor")
    page.goto(f"/m/musterstadt/participation/campaigns/{campaign.pk}/submit/")
    fill_required(page, "Idee aus dem Browser")
    submit(page, name=re.compile("senden|Einreichen|Speichern", re.IGNORECASE))
    saved(page)
    idea = Idea.objects.filter(campaign=campaign).latest("pk")
    assert idea.title.startswith("Idee aus dem Browser")
    # The coordination answers it (the idea's edit form), changing only the status.
    coordinator = demo_page("coordinator")
    coordinator.goto(f"/m/musterstadt/participation/ideas/{idea.pk}/manage/")
    coordinator.get_by_role("combobox", name=re.compile("^Stand")).select_option("review")
    submit(coordinator)
    saved(coordinator)
    idea.refresh_from_db()
    assert idea.status == "review"


def test_a_pilot_is_appointed_and_changed(demo_page: Any, db_access: Any) -> None:
    from lotse.pilots.models import DigitalPilot

    page = demo_page("coordinator")
    page.goto("/m/musterstadt/pilots/new/")
    before = set(DigitalPilot.objects.values_list("pk", flat=True))
    fill_required(page)
    submit(page)
    saved(page)
    (pk,) = set(DigitalPilot.objects.values_list("pk", flat=True)) - before
    page.goto(f"/m/musterstadt/pilots/{pk}/edit/")
    submit(page)
    saved(page)


def test_an_ozg_status_is_recorded_and_changed(demo_page: Any, db_access: Any) -> None:
    from lotse.ozg.models import OzgService, OzgStatus

    service = (
        OzgService.objects.exclude(pk__in=OzgStatus.objects.filter(municipality__slug="musterstadt").values("service"))
        .order_by("ozg_id")
        .first()
    )
    assert service is not None
    page = demo_page("coordinator")
    page.goto(f"/m/musterstadt/ozg/{service.ozg_id}/")
    fill_required(page)
    submit(page)
    saved(page)
    status = OzgStatus.objects.get(service=service, municipality__slug="musterstadt")
    page.goto(f"/m/musterstadt/ozg/{service.ozg_id}/")
    page.get_by_label("Reifegrad").select_option("2")
    submit(page)
    saved(page)
    status.refresh_from_db()
    assert status.maturity == 2 and status.version == 2


def test_a_revision_is_frozen_and_its_decision_recorded(demo_page: Any, db_access: Any) -> None:
    from lotse.reports.models import Revision

    page = demo_page("coordinator")
    page.goto("/m/musterstadt/revisions/")
    before = set(Revision.objects.values_list("pk", flat=True))
    fill_required(page)
    submit(page, name="Einfrieren")
    saved(page)
    (pk,) = set(Revision.objects.values_list("pk", flat=True)) - before
    page.goto(f"/m/musterstadt/revisions/{pk}/edit/")
    page.get_by_label("Beschluss").fill("Gemeinderat, Drucksache 2026/101")
    submit(page)
    saved(page)
    assert Revision.objects.get(pk=pk).decision == "Gemeinderat, Drucksache 2026/101"


def test_the_council_reports_texts_are_saved_twice(demo_page: Any, db_access: Any) -> None:
    from lotse.reports.models import CouncilReportTemplate

    page = demo_page("coordinator")
    page.goto("/m/musterstadt/report/template/")
    fill_required(page)
    submit(page)
    saved(page)
    changed = _edit_title(page, "/m/musterstadt/report/template/", "title")
    assert CouncilReportTemplate.objects.get(municipality__slug="musterstadt").title == changed
