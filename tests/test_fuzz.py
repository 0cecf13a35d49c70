"""Property-based fuzzing (hypothesis): imports and forms get arbitrary input and must answer with clear German
errors, never a server error, and leave nothing half-written. Derandomised in CI (reproducible);
LOTSE_FUZZ_RANDOM=1 and LOTSE_FUZZ_EXAMPLES=N for longer, fresh runs (`make fuzz`)."""

import csv
import io
import os
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from lotse.portfolio import importer
from lotse.portfolio.importer import ImportFileError
from tests.portfolio_world import build_portfolio
from tests.test_import import HEADER

EXAMPLES = int(os.environ.get("LOTSE_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=not os.environ.get("LOTSE_FUZZ_RANDOM"),
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
GERMAN = re.compile(r"[äöüÄÖÜß]|\b(die|der|das|ist|nicht|bitte|Zeile|Spalte|Datei|keine?)\b", re.IGNORECASE)

# Cell values as people type them, and as attackers do.
CELL = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "in Planung", "Umsetzung", "finanziert", "Amt 32", "ja", "nein", "=1+1", "@SUM(A1)", "\x00"]),
    st.integers(-(10**15), 10**15).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(lambda d: d.strftime("%d.%m.%Y")),
    st.text(alphabet="0123456789.,€ -", max_size=20),
)
COLUMNS = HEADER.split(";")


def row_count() -> int:
    return sum(m._default_manager.count() for m in apps.get_models() if m._meta.app_label != "sessions")


def as_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


def as_xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", str(c)) for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def pw(world: Any) -> Any:
    return build_portfolio(world)


def test_fuzzed_imports_are_explained_and_all_or_nothing(pw: Any, world: Any) -> None:
    @FUZZ
    @given(
        rows=st.lists(st.lists(CELL, min_size=0, max_size=len(COLUMNS) + 2), min_size=1, max_size=6),
        excel=st.booleans(),
    )
    def run(rows: list[list[str]], excel: bool) -> None:
        before = row_count()
        try:
            data = as_xlsx(rows) if excel else as_csv(rows)
        except UnicodeEncodeError:
            return  # lone surrogates cannot be written to a file at all
        try:
            result = importer.parse(data, "fuzz.xlsx" if excel else "fuzz.csv", world.a)
        except ImportFileError as error:
            assert GERMAN.search(str(error)), str(error)
            assert row_count() == before
            return
        assert row_count() == before  # parsing never writes
        if not result.ok:
            for row_error in result.errors:
                assert GERMAN.search(str(row_error)), str(row_error)
            with pytest.raises(ValueError):
                importer.apply(result, user=world.users["coordinator_a"], municipality=world.a)
            assert row_count() == before
        else:
            try:
                importer.apply(result, user=world.users["coordinator_a"], municipality=world.a)
            except Exception:  # a row the parser accepted but the database refused: all rolled back
                assert row_count() == before
                raise

    run()


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".xlsx", ".csv", ".txt", ".pdf", ""]))
def test_random_bytes_as_import_files(data: bytes, suffix: str) -> None:
    try:
        importer.read_table(data, f"datei{suffix}")
    except ImportFileError as error:
        assert GERMAN.search(str(error)), str(error)


class _Fields(HTMLParser):
    """The names (and choices) of the fields of the page's main form."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self._select: str | None = None
        self._in_form = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._in_form += 1
        if not self._in_form or (not a.get("name") and tag != "option"):
            return
        if tag in ("input", "textarea") and a.get("type") not in ("submit", "hidden", "file"):
            self.fields.setdefault(a["name"], [])
            if a.get("type") in ("checkbox", "radio") and a.get("value"):
                self.fields[a["name"]].append(a["value"])
        elif tag == "select":
            self._select = a["name"]
            self.fields.setdefault(a["name"], [])
        elif tag == "option" and self._select:
            self.fields[self._select].append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "form" and self._in_form:
            self._in_form -= 1


def hidden_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


VALUE = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", "0", "-1", "99999999999999999999", "31.02.2026", "2026-13-01", "\x00", "<script>x</script>"]),
    st.integers().map(str),
    st.dates().map(str),
)

FORMS = [
    ("coordinator_a", "/m/astadt/projects/new/"),
    ("coordinator_a", "/m/astadt/strategy/goals/new/"),
    ("coordinator_a", "/m/astadt/strategy/indicators/new/"),
    ("coordinator_a", "/m/astadt/org-units/new/"),
    ("coordinator_a", "/m/astadt/participation/campaigns/new/"),
    ("editor_a", "/m/astadt/ozg/processes/new/"),
    ("reader_a", "/account/api-tokens/"),
    ("reader_a", "/accounts/profile/"),
]


@pytest.mark.parametrize(("who", "path"), FORMS)
def test_fuzzed_forms_answer_with_errors_not_crashes(pw: Any, world: Any, who: str, path: str) -> None:
    client = Client()
    client.force_login(world.users[who])
    page = client.get(path)
    assert page.status_code == 200, path
    html = page.content.decode()
    parser = _Fields()
    parser.feed(html)
    assert parser.fields, f"no form fields found on {path}"
    fixed = hidden_fields(html)

    @FUZZ
    @given(st.data())
    def run(data: Any) -> None:
        post = dict(fixed)
        for name, choices in parser.fields.items():
            strategy = st.one_of(st.sampled_from(choices), VALUE) if choices else VALUE
            if data.draw(st.booleans()):
                post[name] = data.draw(strategy)
        before = row_count()
        response = client.post(path, post)
        assert response.status_code in (200, 302), (path, response.status_code)
        if "data-error-summary" in response.content.decode():
            assert row_count() == before, "a form with errors wrote something"
            assert GERMAN.search(response.content.decode().split("data-error-summary", 1)[1][:2000])

    run()
