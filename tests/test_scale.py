"""Scale: `lotse generate` is deterministic and complete; key pages' query counts do not grow with the data;
the OZG list filters and pages in SQL."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lotse.accounts.models import User
from lotse.demo import generate
from lotse.ozg.models import OzgService, OzgStatus
from lotse.participation.models import Campaign, Idea
from lotse.pilots.models import DigitalPilot
from lotse.portfolio.models import Project
from lotse.synergy import evidence
from lotse.synergy import services as synergy_services
from lotse.synergy.models import Signature
from lotse.tenancy import selectors
from lotse.tenancy.models import Membership, Municipality, Network, OrgUnit
from tests.portfolio_world import build_portfolio

pytestmark = pytest.mark.django_db


def tiny(seed: int = 1) -> str:
    out = StringIO()
    call_command("generate", preset="tiny", seed=seed, stdout=out)
    return out.getvalue()


def test_generate_builds_every_room_of_a_network_and_prints_a_login() -> None:
    output = tiny()
    preset = generate.PRESETS["tiny"]
    assert Municipality.objects.count() == preset.districts + preset.municipalities
    assert Municipality.objects.filter(kind="district").count() == preset.districts
    assert Network.objects.get(slug=generate.NETWORK_SLUG).members.count() == Municipality.objects.count()
    assert Project.objects.count() == preset.projects
    assert Idea.objects.count() == preset.ideas
    assert Signature.objects.count() == preset.projects  # every project is in the synergy index
    assert OzgStatus.objects.count() == OzgService.objects.count() * Municipality.objects.count() == 557 * 6
    assert DigitalPilot.objects.count() >= Municipality.objects.count()
    assert Campaign.objects.filter(published=True).count() == Municipality.objects.count()
    big = generate.measured_town()
    assert Project.objects.filter(municipality=big).count() == preset.big_projects
    # each signature is what the synergy room computes for the project (shared texts, analysed once)
    for project in Project.objects.filter(municipality=big).select_related("field", "signature")[:20]:
        assert project.signature.features == synergy_services.analyse_project(project, labels=[]).features
    # ... with the combined engine's concept features of its text, as a refresh stores them, and its vector from
    # the task queue (each distinct text embedded once)
    sample = list(Project.objects.filter(municipality=big).values_list("pk", flat=True)[:20])
    read = synergy_services.evidence_projects(sample)
    for project in Project.objects.filter(pk__in=sample).select_related("signature"):
        plain = evidence.Project(read[project.pk].id, read[project.pk].title, read[project.pk].description, big.name)
        assert project.signature.evidence_concepts == evidence.concept_features(plain)
    assert not Signature.objects.filter(vector__isnull=True).exists()
    assert "Vektoren für 160 Projekte in der Warteschlange" in output
    assert OrgUnit.objects.filter(municipality=big).count() == 12
    # every town has a coordinator who can sign in with the printed password
    assert Membership.objects.filter(role="coordinator").values("municipality").distinct().count() == 6
    cdo = User.objects.get(email=f"cdo@{big.slug}.example")
    assert cdo.check_password(generate.PASSWORD) and f"cdo@{big.slug}.example" in output
    client = Client()
    response = client.post("/accounts/login/", {"username": cdo.email, "password": generate.PASSWORD})
    assert response.status_code == 302
    assert client.get(f"/m/{big.slug}/projects/").status_code == 200


def test_generate_is_deterministic_and_refuses_a_database_with_data() -> None:
    def run(seed: int) -> dict[str, object]:
        with transaction.atomic():  # rolled back: the next run starts from an empty database again
            tiny(seed)
            result = dict(generate.fingerprint())
            with pytest.raises(CommandError, match="schon Kommunen"):
                tiny(seed)
            transaction.set_rollback(True)
        return result

    first = run(5)
    assert Municipality.objects.count() == 0
    assert run(5) == first
    assert run(6)["projects"] != first["projects"]


def queries(client: Client, path: str) -> int:
    client.get(path)  # per-process caches are filled by the first request
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(ctx.captured_queries)


def test_query_counts_of_the_key_pages_do_not_depend_on_how_much_a_town_holds() -> None:
    tiny()
    sizes = dict(Project.objects.order_by().values_list("municipality").annotate(n=Count("pk")))
    towns = Municipality.objects.exclude(kind="district")
    small = min(towns, key=lambda m: sizes.get(m.pk, 0))
    big = generate.measured_town()
    assert sizes[big.pk] >= 3 * sizes.get(small.pk, 0)  # the comparison means something

    def counts(town: Municipality) -> dict[str, int]:
        client = Client()
        client.force_login(User.objects.get(email=f"cdo@{town.slug}.example"))
        project = Project.objects.filter(municipality=town).order_by("key").first()
        campaign = Campaign.objects.get(municipality=town)
        assert project is not None
        paths = [
            f"/m/{town.slug}/projects/",
            f"/m/{town.slug}/projects/{project.pk}/",
            f"/m/{town.slug}/synergy/projects/{project.pk}/",
            f"/m/{town.slug}/dashboard/",
            f"/m/{town.slug}/ozg/dashboard/",
            f"/m/{town.slug}/ozg/",
            f"/m/{town.slug}/participation/campaigns/{campaign.pk}/",
            "/synergies/search/?q=Hundesteuer+online",
        ]
        return {path.replace(town.slug, "X").split("/")[3]: queries(client, path) for path in paths}

    assert counts(big) == counts(small)


def test_the_ozg_list_filters_and_pages_in_the_database() -> None:
    tiny()
    town = generate.measured_town()
    client = Client()
    client.force_login(User.objects.get(email=f"cdo@{town.slug}.example"))
    statuses = OzgStatus.objects.filter(municipality=town)
    # services without any status count as level 0
    statuses.filter(service__ozg_id__in=["10000", "10001"]).delete()
    zero = statuses.filter(maturity=0).count() + 2
    body = client.get(f"/m/{town.slug}/ozg/?maturity=0").content.decode()
    assert f"{zero} Leistungen" in body and ">10000<" in body
    three = statuses.filter(maturity=3).count()
    body = client.get(f"/m/{town.slug}/ozg/?maturity=3&page=2").content.decode()
    assert f"{three} Leistungen" in body and f"Seite 2 von {(three + 99) // 100}" in body
    unit = OrgUnit.objects.filter(municipality=town).first()
    assert unit is not None
    statuses.filter(maturity=4).update(org_unit=unit)
    body = client.get(f"/m/{town.slug}/ozg/?unit={unit.pk}").content.decode()
    assert f"{statuses.filter(maturity=4).count()} Leistungen" in body
    # the API uses the same selector
    from lotse.api.services import token_create

    _t, raw = token_create(user=User.objects.get(email=f"cdo@{town.slug}.example"), name="t", scope="read")
    data = client.get(
        f"/api/v1/municipalities/{town.slug}/ozg?maturity=0&limit=5", HTTP_AUTHORIZATION=f"Bearer {raw}"
    ).json()
    assert data["count"] == zero and len(data["items"]) == 5 and data["items"][0]["maturity"] == 0


def test_large_networks_filter_by_subquery_with_the_same_result(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above PEERS_AS_LIST network peers, visibility uses a subquery instead of literal ids: same records."""

    build_portfolio(world)

    def seen() -> dict[str, set[int]]:
        result = {}
        for key, user in world.users.items():
            fresh = User.objects.get(pk=user.pk) if user else None  # no per-request caches carried over
            result[key] = set(selectors.visible(Project.objects.all(), fresh).values_list("pk", flat=True))
        return result

    as_list = seen()
    monkeypatch.setattr(selectors, "PEERS_AS_LIST", 0)
    assert seen() == as_list
    assert as_list["coordinator_b"] - set(
        Project.objects.filter(municipality__slug="bdorf").values_list("pk", flat=True)
    )


def test_the_scale_benchmark_runs_end_to_end_on_a_small_preset(tmp_path: Any) -> None:
    """Keeps `make bench-scale` from rotting as the pages change: the same script on the tiny preset, in a
    throw-away SQLite database (the PostgreSQL pass skips it: the script would need an empty database)."""
    if connection.vendor != "sqlite":
        pytest.skip("runs in the SQLite pass")
    root = Path(__file__).resolve().parent.parent
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    done = subprocess.run(
        [
            sys.executable,
            str(root / "bench" / "scale.py"),
            *["--preset", "tiny", "--seconds", "0.5", "--import-rows", "200"],
        ],
        env={**env, "TMPDIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
        cwd=root,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    table = done.stdout.split("| page |", 1)[1]
    pages = ["portfolio list", "project page", "dashboard", "OZG dashboard", "network search", "API project list"]
    for page in [*pages, "public campaign page"]:
        assert f"| {page} |" in table
    assert "ERRORS" not in table and "⚠" not in table  # every answer 200, no query count grew
    assert "worker memory after the run: " in done.stdout and "Excel import of 200 rows" in done.stdout
