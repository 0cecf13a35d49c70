"""The pilots issue's first "done when" in a real browser: a coordinator sees which Ämter still lack a pilot and
appoints one."""

import re
from typing import Any

from playwright.sync_api import expect


def test_coordinator_sees_offices_without_a_pilot_and_appoints_one(demo_page: Any) -> None:
    page = demo_page("coordinator")
    page.goto("/m/musterstadt/")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Digitallotsen").click()
    gaps = page.get_by_role("heading", name=re.compile(r"\d+ Einheiten? ohne Digitallotse"))
    expect(gaps).to_be_visible()
    before = int(gaps.inner_text().split()[0])  # 2 in the demo as loaded; other tests may appoint pilots too
    expect(page.locator("ul.gaps")).to_contain_text("Amt 14 Rechnungsprüfungsamt")

    page.get_by_role("link", name="Digitallotsen benennen").click()
    page.get_by_label("Person").select_option(label="Elif Yılmaz (gemeinderat@musterstadt.example)")
    page.get_by_label("betreute Einheiten").select_option(label="Amt 14 Rechnungsprüfungsamt", force=True)
    page.get_by_label("Themen").fill("Prüfsoftware, E-Rechnung")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Elif Yılmaz ist Digitallotse/Digitallotsin.")
    page.get_by_role("link", name="Zum Verzeichnis der Digitallotsen").click()
    after = before - 1
    expect(
        page.get_by_role("heading", name=f"{after} {'Einheit' if after == 1 else 'Einheiten'} ohne Digitallotse")
    ).to_be_visible()
    expect(page.locator("ul.gaps")).not_to_contain_text("Amt 14")


def test_a_pilot_asks_and_a_pilot_from_another_town_answers(demo_page: Any) -> None:
    import re

    from django.core import mail

    mail.outbox.clear()
    page = demo_page("pilot")
    page.goto("/networks/landesprogramm-digitallotsen/")
    page.get_by_role("link", name="Forum der Digitallotsen").click()
    expect(page.get_by_role("link", name="Hundesteuer online: welches Portal nutzt ihr?")).to_be_visible()
    page.get_by_role("link", name="Frage stellen").click()
    page.get_by_label("Ihre Frage in einem Satz").fill("Wie rechnet ihr Sondernutzungen online ab?")
    page.get_by_label("Worum geht es genau?").fill(
        "Wir suchen ein Verfahren für Sondernutzungserlaubnisse mit Bezahlung."
    )
    page.get_by_label("Themen").fill("OZG, E-Payment")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Ihre Frage ist im Forum")
    question_url = page.url

    # A pilot from Hohenberg finds it by searching and answers.
    other = demo_page("digitallotsin@hohenberg.example")
    other.goto("/networks/landesprogramm-digitallotsen/community/")
    other.get_by_label("Suche in Fragen und Antworten").fill("Sondernutzung")
    other.get_by_role("button", name="Suchen").click()
    other.get_by_role("link", name="Wie rechnet ihr Sondernutzungen online ab?").click()
    other.get_by_label("Ihre Antwort").fill(
        "Wir nutzen den Antrag aus dem Landesportal mit ePayBL. Ich schicke euch die Unterlagen."
    )
    other.get_by_role("button", name="Antwort absenden").click()
    expect(other.locator("#answers")).to_contain_text("Hanna Roth, Hohenberg · Digitallotse")
    other.context.close()

    # Greta hears of it by e-mail and marks the answer as helpful.
    (news,) = [m for m in mail.outbox if "Sondernutzungen" in m.subject]
    assert news.to == ["greta.neumann@musterstadt.example"] and "Hanna Roth (Hohenberg)" in news.body
    page.goto(question_url)
    page.get_by_role("button", name="Diese Antwort hat geholfen").click()
    expect(page.get_by_role("status")).to_contain_text("Als hilfreich markiert.")
    expect(page.locator("#answers")).to_contain_text("hat geholfen")
    page.get_by_role("link", name="Zum Forum").click()
    item = page.get_by_role("listitem").filter(has_text="Wie rechnet ihr Sondernutzungen online ab?")
    expect(item).to_contain_text(re.compile("1 Antwort.*gelöst"))
