"""Status reporting (traffic lights at a cadence, the overdue list, reminders) and the dashboard, whose every figure
leads to the list behind it."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from lotse.portfolio import selectors, services
from lotse.portfolio.models import Milestone, Project, StatusReport
from tests.pdf import structure_problems, tag_counts
from tests.portfolio_world import build_portfolio


@pytest.fixture
def pw(world: Any) -> Any:
    return build_portfolio(world)


def url(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"municipality": "astadt", **kwargs})


def login(client: Any, user: Any) -> Any:
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def make_stale(project: Project, days: int = 200) -> None:
    Project.objects.filter(pk=project.pk).update(status_since=date.today() - timedelta(days=days))


REPORT = {"schedule": "yellow", "budget": "green", "scope": "red", "summary": "Pilot läuft.", "next_steps": "Rollout"}


def test_editors_report_status_and_everyone_inside_sees_the_history(world: Any, pw: Any, client: Any) -> None:
    # The internal project is led by the editor's Bürgerbüro (a section of their Bürgeramt).
    editor = login(client, world.users["editor_a"])
    page = url("portfolio:status_report", pk=pw.internal.pk)
    response = editor.post(page, {"reported_on": date.today().isoformat(), **REPORT})
    assert response.status_code == 302
    report = StatusReport.objects.get()
    assert report.author == world.users["editor_a"] and report.scope == "red"
    body = login(client, world.users["reader_a"]).get(page).content.decode()
    assert "Pilot läuft." in body and "rot: kritisch" in body and "<svg" in body
    assert login(client, world.users["reader_a"]).post(page, {"reported_on": "2026-01-01", **REPORT}).status_code == 403
    assert login(client, world.users["coordinator_b"]).get(page).status_code == 404
    assert login(client, None).get(url("portfolio:status_report", pk=pw.public.pk)).status_code == 302
    detail = login(client, world.users["coordinator_a"]).get(url("portfolio:project", pk=pw.internal.pk)).content
    assert "gelb: gefährdet" in detail.decode()
    # A report needs its lights and a summary.
    response = editor.post(page, {"reported_on": date.today().isoformat(), "schedule": "green"})
    assert StatusReport.objects.count() == 1


def test_projects_owing_a_report_are_listed_filtered_and_reminded(
    world: Any, pw: Any, client: Any, mailoutbox: list[Any]
) -> None:
    make_stale(pw.internal)  # in implementation for 200 days, never reported
    make_stale(pw.network)  # in planning, but reported recently
    services.status_report_add(
        pw.network, user=world.users["coordinator_a"], data={"reported_on": date.today(), **REPORT}
    )
    every = selectors.report_every_days(world.a.pk)
    assert every == 90
    rows = selectors.overdue_reports(Project.objects.filter(municipality=world.a), every)
    assert [r.project for r in rows] == [pw.internal] and rows[0].days == 110
    coordinator = login(client, world.users["coordinator_a"])
    listed = coordinator.get(url("portfolio:list") + "?stale=on").context["page"].object_list
    assert [p.pk for p in listed] == [pw.internal.pk]
    assert "A-1" in coordinator.get(url("portfolio:reports_overdue")).content.decode()
    # Reminders: the editor of the lead unit (the Bürgerbüro is part of their Bürgeramt) and the creator.
    coordinator.post(url("portfolio:reports_overdue"), {"action": "remind"})
    assert sorted(m.to[0] for m in mailoutbox) == ["coordinator_a@test.example", "editor_a@test.example"]
    assert url("portfolio:status_report", pk=pw.internal.pk) in mailoutbox[0].body
    # A longer cadence: nothing is owed any more; the command then sends nothing.
    coordinator.post(url("portfolio:reports_overdue"), {"action": "cadence", "every_days": 365})
    assert selectors.report_every_days(world.a.pk) == 365
    out = io.StringIO()
    call_command("status_reminders", municipality="astadt", stdout=out)
    assert "0 Erinnerungen" in out.getvalue()
    assert (
        login(client, world.users["editor_a"]).post(url("portfolio:reports_overdue"), {"action": "remind"}).status_code
        == 403
    )


def test_the_list_filters_overdue_milestones_and_budget_years(world: Any, pw: Any, client: Any) -> None:
    Milestone.objects.create(project=pw.internal, title="Abnahme", due_date=date.today() - timedelta(days=3))
    Milestone.objects.create(project=pw.network, title="Start", due_date=date.today() + timedelta(days=3))
    coordinator = login(client, world.users["coordinator_a"])
    overdue = coordinator.get(url("portfolio:list") + "?overdue=on").context["page"].object_list
    assert [p.pk for p in overdue] == [pw.internal.pk]
    services.project_save(
        pw.public,
        user=world.users["coordinator_a"],
        municipality=world.a,
        data={},
        children={
            "years": [{"year": 2029, "budget_planned": 5, "budget_approved": 0, "budget_spent": 0, "staff_fte": 0}]
        },
    )
    in_2029 = coordinator.get(url("portfolio:list") + "?year=2029").context["page"].object_list
    assert [p.pk for p in in_2029] == [pw.public.pk]


def test_every_dashboard_figure_leads_to_the_list_behind_it(world: Any, pw: Any, client: Any) -> None:
    Milestone.objects.create(project=pw.network, title="Abnahme", due_date=date.today() - timedelta(days=3))
    make_stale(pw.internal)
    coordinator = login(client, world.users["coordinator_a"])
    response = coordinator.get(url("reports:dashboard"))
    d = response.context["d"]
    assert d.total == 3  # A's three projects
    body = response.content.decode()
    for figure in [*d.by_status, *d.by_funding, *d.by_field]:
        assert figure.url in body.replace("&amp;", "&")
        listed = coordinator.get(figure.url).context["total"]
        assert listed == figure.value, (figure.label, figure.url)
    for row in d.budget:
        assert coordinator.get(row["url"]).context["total"] == 3
    assert d.overdue_count == 1 and coordinator.get(d.overdue_url).context["total"] == 1
    assert d.stale_count == 1 and coordinator.get(d.stale_url).context["total"] == 1
    assert [m.title for m in d.overdue_milestones] == ["Abnahme"]
    assert d.indicators and d.indicators[0].indicator == pw.indicator
    assert d.pilots_units >= 1 and d.ideas[0].value >= 0
    assert "OZG-Leistungen" in body
    # The municipality's home page loads it for staff; nobody else reaches it.
    assert (
        reverse("reports:dashboard", kwargs={"municipality": "astadt"})
        in coordinator.get("/m/astadt/").content.decode()
    )
    assert login(client, world.users["coordinator_b"]).get(url("reports:dashboard")).status_code == 403
    assert login(client, None).get(url("reports:dashboard")).status_code == 302


def test_the_council_report_is_a_tagged_pdf_with_an_excel_annex(
    world: Any, pw: Any, client: Any, tmp_path: Any
) -> None:
    from openpyxl import load_workbook

    from lotse.reports import council

    services.project_set_status(
        pw.network, user=world.users["coordinator_a"], expected_version=pw.network.version, status="implementation"
    )
    data = council.report_data(world.a, date.today().year)
    assert data["title"].endswith(f"{date.today().year}: Astadt")
    assert ["in Umsetzung", "2"] in data["summary"]
    assert any(c["key"] == "A-2" and "in Umsetzung" in c["what"] for c in data["changes"])
    assert {p["key"] for g in data["project_groups"] for p in g["rows"]} == {"A-1", "A-2", "A-3"}
    assert data["fields"][0]["name"] == "Digitale Bürgerdienste"
    coordinator = login(client, world.users["coordinator_a"])
    pdf = coordinator.get(url("reports:council_file", year=date.today().year, fmt="pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    # Typst refuses to write PDF/UA-1 with untagged content or images without alt text; the structure check
    # adds what Typst does not enforce: a language, and header cells in every table (the key figures too).
    assert b"/StructTreeRoot" in pdf.content and b"pdfuaid" in pdf.content
    assert structure_problems(pdf.content) == []
    assert tag_counts(pdf.content)["/Table"] >= 3
    annex = coordinator.get(url("reports:council_file", year=date.today().year, fmt="xlsx"))
    book = load_workbook(io.BytesIO(annex.content))
    assert book.sheetnames[0] == "Projekte" and "Kennzahlen" in book.sheetnames
    # The CLI writes the same.
    out = tmp_path / "bericht.pdf"
    call_command("report", municipality="astadt", period=2026, out=str(out), stdout=io.StringIO())
    assert out.read_bytes().startswith(b"%PDF") and structure_problems(out.read_bytes()) == []
    with pytest.raises(Exception, match="gibt es nicht"):
        call_command("report", municipality="nirgendwo", period=2026, out=str(out))


def test_coordinators_edit_the_reports_texts(world: Any, pw: Any, client: Any) -> None:
    from lotse.reports import council

    coordinator = login(client, world.users["coordinator_a"])
    response = coordinator.post(
        url("reports:council_template"),
        {
            "title": "Bericht zur Digitalisierung",
            "addressee": "Verwaltungsausschuss",
            "preface": "Sehr geehrte Damen und Herren,",
            "paper_number": "2026/145",
            "author_unit": "Stabsstelle Digitalisierung",
            "resolution": "Der Gemeinderat nimmt den Bericht zur Kenntnis.",
            "closing": "Im nächsten Jahr folgen die Online-Dienste.",
            "show_projects": "on",
            "show_indicators": "on",
        },
    )
    assert response.status_code == 302
    data = council.report_data(world.a, 2026)
    assert data["heading"] == "Bericht zur Digitalisierung" and data["resolution"].startswith("Der Gemeinderat")
    assert data["paper"] == "Drucksache 2026/145" and data["author"] == "Verfasst von: Stabsstelle Digitalisierung"
    assert data["show_changes"] is False and data["changes"] == []
    assert login(client, world.users["editor_a"]).get(url("reports:council_template")).status_code == 403


def test_a_revision_is_frozen_and_compared_with_today_and_in_the_report(world: Any, pw: Any, client: Any) -> None:
    from lotse.core.services import versioned_update
    from lotse.reports import council
    from lotse.reports.models import Revision

    coordinator = login(client, world.users["coordinator_a"])
    response = coordinator.post(
        url("reports:revisions"),
        {
            "title": "Fortschreibung 2026",
            "frozen_on": "2026-06-30",
            "decision": "GR 2026/45",
            "decided_on": "2026-07-15",
        },
    )
    assert response.status_code == 302
    revision = Revision.objects.get()
    assert {p["key"] for p in revision.snapshot["projects"]} == {"A-1", "A-2", "A-3"}
    assert (
        login(client, world.users["editor_a"])
        .post(url("reports:revisions"), {"title": "x", "frozen_on": "2026-01-01"})
        .status_code
        == 403
    )
    # A year of work: one new project, one finished, one dropped, a funding change, a reworded goal.
    services.project_save(
        None, user=world.users["coordinator_a"], municipality=world.a, data={"key": "A-9", "title": "Neu"}
    )
    services.project_set_status(
        pw.internal, user=world.users["coordinator_a"], expected_version=pw.internal.version, status="operation"
    )
    pw.public.delete()
    pw.network.refresh_from_db()
    services.project_save(
        pw.network, user=world.users["coordinator_a"], municipality=world.a, data={"funding": "funded"}
    )
    versioned_update(
        pw.goal, user=world.users["coordinator_a"], expected_version=pw.goal.version, data={"title": "Alles digital"}
    )
    page = login(client, world.users["reader_a"]).get(url("reports:compare") + f"?a={revision.pk}&b=today")
    c = page.context["comparison"]
    assert [p["key"] for p in c.new] == ["A-9"]
    assert [p["key"] for p in c.finished] == ["A-1"]
    assert [p["key"] for p in c.dropped] == ["A-3"]
    changed = {ch.key: ch.changes for ch in c.changed}
    assert ("Finanzierung", "nicht finanziert", "finanziert") in changed["A-2"]
    assert c.goals_changed and c.goals_changed[0][1] == "Alles digital"
    body = page.content.decode()
    assert "A-9 Neu" in body and "Alles digital" in body
    since = council.report_data(world.a, 2026)["since"]
    assert since["heading"].startswith("Änderungen seit „Fortschreibung 2026“")
    assert ["A-9", "Neu", "neu"] in since["rows"]
    assert coordinator.get(url("reports:council_file", year=2026, fmt="pdf")).content.startswith(b"%PDF")
    # The frozen version does not move when the records change.
    revision.refresh_from_db()
    assert "A-3" in {p["key"] for p in revision.snapshot["projects"]}


def test_an_update_without_a_key_keeps_the_projects_key(world: Any, pw: Any) -> None:
    services.project_save(
        pw.network, user=world.users["coordinator_a"], municipality=world.a, data={"funding": "funded"}
    )
    pw.network.refresh_from_db()
    assert pw.network.key == "A-2" and pw.network.funding == "funded"


def test_units_assess_their_maturity_and_compare_anonymously(world: Any, pw: Any, client: Any) -> None:
    from lotse.reports import maturity
    from lotse.reports.models import MaturityAssessment
    from lotse.tenancy.models import Network
    from tests.factories import MunicipalityFactory, OrgUnitFactory

    scores = {"people": "2", "processes": "3", "it": "4", "data": "1", "services": "2"}
    editor = login(client, world.users["editor_a"])
    page = url("reports:maturity_unit", pk=world.unit_a1.pk)
    assert editor.post(page, {"assessed_on": "2025-06-01", **scores}).status_code == 302
    assert editor.post(page, {"assessed_on": "2026-06-01", **{**scores, "data": "3"}}).status_code == 302
    # Not the editor's unit; readers look but don't assess.
    assert (
        editor.post(
            url("reports:maturity_unit", pk=world.unit_a2.pk), {"assessed_on": "2026-06-01", **scores}
        ).status_code
        == 403
    )
    assert login(client, world.users["reader_a"]).post(page, {"assessed_on": "2026-06-01", **scores}).status_code == 403
    body = login(client, world.users["reader_a"]).get(page).content.decode()
    assert "01.06.2025" in body and "01.06.2026" in body and "<svg" in body
    assert maturity.municipality_average(world.a) == [2, 3, 4, 3, 2]  # the latest per unit
    # The network comparison appears only with at least three other towns, and never names them.
    network = Network.objects.get(slug="verbund-ab")
    assert maturity.network_average(world.a) is None
    for n, values in enumerate([(1, 1, 1, 1, 1), (3, 3, 3, 3, 3), (5, 5, 5, 5, 5)]):
        town = world.b if n == 0 else MunicipalityFactory.create(name=f"Geheimdorf {n}", slug=f"geheimdorf-{n}")
        network.members.add(town)
        unit = OrgUnitFactory.create(municipality=town, name=f"Amt {n}")
        MaturityAssessment.objects.create(
            municipality=town,
            org_unit=unit,
            assessed_on=date(2026, 5, 1),
            people=values[0],
            processes=values[1],
            it=values[2],
            data=values[3],
            services=values[4],
        )
    comparison = maturity.network_average(world.a)
    assert comparison is not None and comparison.municipalities == 3 and comparison.values == [3, 3, 3, 3, 3]
    overview = login(client, world.users["coordinator_a"]).get(url("reports:maturity")).content.decode()
    assert "Durchschnitt von 3 Kommunen" in overview and "Geheimdorf" not in overview and "Bdorf" not in overview


def test_a_survey_wave_from_questionnaire_to_portfolio_records(
    world: Any, pw: Any, client: Any, mailoutbox: list[Any], settings: Any, tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lotse.participation.models import Poll, Question
    from lotse.reports.models import SurveyWave, WaveDocument

    settings.MEDIA_ROOT = str(tmp_path)
    poll = Poll.objects.create(
        municipality=world.a,
        title="Fragebogen Status quo",
        audience="staff",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    need = Question.objects.create(poll=poll, position=1, kind="text", text="Was brauchen Sie?")
    skill = Question.objects.create(poll=poll, position=2, kind="scale", text="Wie sicher sind Sie digital?")
    coordinator = login(client, world.users["coordinator_a"])
    response = coordinator.post(
        url("reports:waves"),
        {
            "action": "wave",
            "title": "Staffel 1",
            "questionnaire": poll.pk,
            "deadline": "2026-12-31",
            "units": [world.unit_a1.pk, world.unit_a2.pk],
        },
    )
    wave = SurveyWave.objects.get(title="Staffel 1")
    assert response["Location"] == url("reports:wave", pk=wave.pk)
    # The Bürgeramt's editor answers for it (not for the Bauamt).
    editor = login(client, world.users["editor_a"])
    form = {
        f"a-q{need.pk}": "Schulungen zur E-Akte",
        f"a-q{skill.pk}": "3",
        "p-TOTAL_FORMS": "3",
        "p-INITIAL_FORMS": "0",
        "p-0-title": "Online-Terminbuchung",
        "p-0-summary": "Termine im Bürgerbüro",
        "p-0-status": "planning",
        "p-0-budget": "12.000",
        "p-1-title": "E-Akte Bürgeramt",
        "p-1-status": "implementation",
        "p-1-budget": "",
        "p-2-title": "",
        "p-2-status": "planning",
        "p-2-budget": "",
    }
    assert editor.post(url("reports:wave_unit", pk=wave.pk, unit=world.unit_a1.pk), form).status_code == 302
    assert editor.post(url("reports:wave_unit", pk=wave.pk, unit=world.unit_a2.pk), form).status_code == 403
    page = login(client, world.users["coordinator_a"]).get(url("reports:wave", pk=wave.pk)).content.decode()
    assert "eingegangen am" in page and "offen" in page
    # Reminders reach the Bauamt's pilot, who is its editor.
    coordinator = login(client, world.users["coordinator_a"])
    coordinator.post(url("reports:wave", pk=wave.pk), {"action": "remind"})
    assert [m.to for m in mailoutbox] == [["lotsin@test.example"]]
    assert url("reports:wave_unit", pk=wave.pk, unit=world.unit_a2.pk) in mailoutbox[0].body
    # Review: the rows become projects led by the unit; the answer can't change afterwards.
    submission = wave.submissions.get()
    login(client, world.users["coordinator_a"]).post(url("reports:wave", pk=wave.pk), {"submission": submission.pk})
    created = Project.objects.filter(lead_unit=world.unit_a1).order_by("title")
    assert [(p.title, p.status) for p in created] == [
        ("E-Akte Bürgeramt", "implementation"),
        ("Online-Terminbuchung", "planning"),
    ]
    assert created[1].years.get().budget_planned == 12000
    assert (
        login(client, world.users["editor_a"])
        .post(url("reports:wave_unit", pk=wave.pk, unit=world.unit_a1.pk), form)
        .status_code
        == 200
    )
    assert Project.objects.filter(lead_unit=world.unit_a1).count() == 2
    # The unit's live concept page shows its answers and projects.
    concept = login(client, world.users["reader_a"]).get(url("reports:concept", unit=world.unit_a1.pk)).content.decode()
    assert "Schulungen zur E-Akte" in concept and "Online-Terminbuchung" in concept
    # Workshop material is versioned.
    coordinator = login(client, world.users["coordinator_a"])
    for _n in range(2):
        coordinator.post(
            url("reports:waves"),
            {
                "action": "document",
                "material-title": "Handreichung",
                "material-file": SimpleUploadedFile("h.pdf", b"%PDF-1.4"),
            },
        )
    assert list(WaveDocument.objects.values_list("number", flat=True).order_by("number")) == [1, 2]
    response = coordinator.post(
        url("reports:waves"),
        {"action": "document", "material-title": "X", "material-file": SimpleUploadedFile("x.exe", b"MZ")},
    )
    assert "Bitte eine Datei im Format" in response.content.decode()


def test_a_unit_can_answer_with_the_portfolios_excel_template(world: Any, pw: Any, client: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lotse.portfolio import columns as C
    from lotse.reports.models import SurveyWave

    wave = SurveyWave.objects.create(municipality=world.a, title="Staffel Excel", deadline=date(2026, 12, 31))
    wave.units.set([world.unit_a1])
    page = url("reports:wave_unit", pk=wave.pk, unit=world.unit_a1.pk)
    editor = login(client, world.users["editor_a"])
    header = ";".join([C.KEY, C.TITLE, C.STATUS])
    bad = f"{header}\r\nX-1;;in Planung\r\n".encode()
    response = editor.post(page, {"action": "excel", "file": SimpleUploadedFile("v.csv", bad)})
    assert "Zeile 2" in response.content.decode()
    assert not wave.submissions.exists()
    good = f"{header}\r\nX-1;Digitale Poststelle;in Planung\r\nX-2;Aktenplan;Idee\r\n".encode()
    editor.post(page, {"action": "excel", "file": SimpleUploadedFile("v.csv", good)})
    assert [r["title"] for r in wave.submissions.get().projects] == ["Digitale Poststelle", "Aktenplan"]


def test_the_structure_check_itself_finds_a_table_without_header_cells(tmp_path: Any) -> None:
    """Guards the guard of tests/pdf.py: a tagged PDF whose table has no header row is reported."""
    import typst

    from tests.pdf import structure_problems

    source = tmp_path / "x.typ"
    source.write_text('#set document(title: "x")\n#set text(lang: "de")\n= Titel\n#table(columns: 2, [a], [b])\n')
    data = bytes(typst.compile(str(source), pdf_standards=["ua-1"]))
    assert structure_problems(data) == ["table 1 has no header cell (/TH)"]


def test_the_report_names_what_changed_in_its_year_and_groups_projects_by_field(world: Any, pw: Any) -> None:
    from lotse.portfolio.models import StatusChange
    from lotse.reports import council

    # A project that entered the portfolio years ago is not "new" this year, whenever its row was written.
    StatusChange.objects.filter(project=pw.public, from_status="").update(changed_on=date(2023, 5, 1))
    this_year = council.report_data(world.a, date.today().year)
    new = {c["key"] for c in this_year["changes"] if c["what"] == "neu aufgenommen"}
    assert pw.public.key not in new and new
    assert pw.public.key in {c["key"] for c in council.report_data(world.a, 2023)["changes"]}
    groups = this_year["project_groups"]
    assert [g["name"] for g in groups] == sorted({g["name"] for g in groups}, key=[g["name"] for g in groups].index)
    assert all(g["total"].startswith("Summe ") for g in groups)
    english = council.render_pdf(world.a, date.today().year, "en")
    assert structure_problems(english) == []
    import pikepdf

    with pikepdf.open(io.BytesIO(english)) as pdf:
        assert str(pdf.Root.Lang) == "en"
