"""Filling in a real form in Chromium as a new user would: only what the form marks as required, then submit."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

# Values a person would type, by input type; text fields get the caller's text.
_BY_TYPE = {"date": date.today().isoformat(), "number": "1", "email": "neu@example.org", "url": "https://example.org"}

_FILL_REQUIRED = """(text) => {
  const form = document.querySelector("main form[method=post]:not(.lang-switch)");
  if (!form) return "no form";
  const filled = [];
  const values = %s;
  for (const el of form.querySelectorAll("input[required], select[required], textarea[required]")) {
    if (el.type === "hidden" || el.disabled) continue;
    if ((el.type === "checkbox" || el.type === "radio") ? el.checked : el.value) continue;
    if (el.tagName === "SELECT") {
      const option = [...el.options].find(o => o.value);
      if (option) { el.value = option.value; }
    } else if (el.type === "checkbox" || el.type === "radio") {
      el.checked = true;
    } else {
      el.value = values[el.type] || (text + " " + (el.name || ""));
    }
    el.dispatchEvent(new Event("input", {bubbles: true}));
    el.dispatchEvent(new Event("change", {bubbles: true}));
    filled.push(el.name);
  }
  // A required group of checkboxes or radio buttons says so on its fieldset; choose its first option.
  for (const group of form.querySelectorAll("fieldset[data-required]")) {
    const boxes = group.querySelectorAll("input[type=radio], input[type=checkbox]");
    if (boxes.length && ![...boxes].some(r => r.checked)) { boxes[0].checked = true; filled.push(boxes[0].name); }
  }
  return filled;
}"""


def fill_required(page: Any, text: str = "Neu") -> list[str]:
    """Fill every field the page's main form marks as required (and nothing else); returns their names."""
    import json

    return page.evaluate(_FILL_REQUIRED % json.dumps(_BY_TYPE), text)


def submit(page: Any, name: str | re.Pattern[str] = "Speichern") -> None:
    """Press the form's submit button and wait for the next page."""
    with page.expect_navigation():
        page.locator("main form[method=post]").get_by_role("button", name=name).first.click()


def saved(page: Any) -> str:
    """The success message after saving; fails with the page's error summary when the save was refused."""
    summary = page.locator("[data-error-summary]")
    if summary.count():
        raise AssertionError(f"not saved at {page.url}: {summary.inner_text()}")
    return page.get_by_role("status").first.inner_text()
