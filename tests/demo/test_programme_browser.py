"""The pilots issue's "done when" for the programme, in a real browser on the demo: a coordinator frees a seat
(the waiting list moves up), the academy records attendance, and a certificate comes out as a PDF."""

from typing import Any

from playwright.sync_api import expect


def test_operator_runs_a_seminar_from_registration_to_certificates(demo_page: Any, tmp_path: Any) -> None:
    page = demo_page("coordinator")
    page.goto("/networks/landesprogramm-digitallotsen/")
    page.get_by_role("link", name="Qualifizierungsprogramm").click()
    page.get_by_role("link", name="Grundlagenseminar Winter").click()
    expect(page.locator(".facts")).to_contain_text("8 von 8 Plätzen")
    waiting = page.locator("section", has=page.get_by_role("heading", name="Warteliste")).locator("li")
    expect(waiting).to_have_count(3)
    first_waiting = waiting.first.inner_text().split(" (")[0]
    page.locator("form.inline-form button").first.click()
    expect(page.get_by_role("status").last).to_contain_text(f"{first_waiting} rückt von der Warteliste nach.")
    expect(waiting).to_have_count(2)

    # The academy records who took part; everyone present completes all five modules.
    page = demo_page("academy")
    page.goto("/networks/landesprogramm-digitallotsen/programme/")
    page.get_by_role("link", name="Grundlagenseminar Winter").click()
    attendance = page.get_by_role("group", name="Teilnahme erfassen")
    boxes = attendance.get_by_role("checkbox")
    expect(boxes).to_have_count(8)
    for i in range(8):
        boxes.nth(i).check()
    attendance.get_by_role("button", name="Teilnahme speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Teilnahme gespeichert: 8 anwesend")

    page.get_by_role("link", name="Zum Programm Kommunaler Digitallotse").click()
    link = page.get_by_role("link", name=f"Zertifikat (PDF) {first_waiting}")
    with page.expect_download() as download:
        link.click()
    path = tmp_path / "zertifikat.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
