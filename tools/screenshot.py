"""Take the README screenshot from a running demo: `python tools/screenshot.py http://127.0.0.1:8000 out.png`."""

import sys

from playwright.sync_api import sync_playwright

base, out = sys.argv[1], sys.argv[2]
with sync_playwright() as p:
    browser = p.chromium.launch(
        executable_path="/usr/bin/chromium",
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    )
    page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="de-DE", base_url=base)
    page.goto("/accounts/login/")
    page.get_by_label("E-Mail-Adresse").fill("cdo@musterstadt.example")
    page.get_by_label("Passwort").fill("lotse-demo-2026")
    page.get_by_role("button", name="Anmelden").last.click()
    page.wait_for_load_state()
    page.goto("/m/musterstadt/projects/priorities/")
    page.screenshot(path=out)
    browser.close()
