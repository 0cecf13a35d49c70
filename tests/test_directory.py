"""`lotse municipalities_import`: the Destatis directory GV100AD into Lotse. The file here is written for the tests
in the documented fixed-width format (positions as in the Destatis record description); the towns are made up."""

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from lotse.tenancy.models import Municipality
from tests.factories import NetworkFactory


def record(satzart: str, code: str, name: str, *, association: str = "", kind: str = "", people: int = 0) -> str:
    """One line of GV100AD: Satzart, Gebietsstand, Regionalschlüssel, Gemeindeverband, Name, Sitz, Kennzeichen,
    Fläche, Einwohner (total and male), Postleitzahl."""
    line = [" "] * 220

    def put(start: int, text: str) -> None:
        line[start : start + len(text)] = list(text)

    put(0, satzart)
    put(2, "20261231")
    put(10, code)
    put(18, association)
    put(22, name[:50])
    put(122, kind)
    if satzart == "60":
        put(128, f"{1234:11d}")
        put(139, f"{people:11d}")
        put(150, f"{people // 2:11d}")
        put(165, "70000")
    return "".join(line).rstrip()


def directory_file(tmp_path: Path, *, people: int = 61850, extra: str = "") -> Path:
    lines = [
        record("10", "08", "Baden-Württemberg"),
        record("20", "081", "Stuttgart"),
        record("40", "08111", "Stuttgart, Landeshauptstadt", kind="42"),  # a Stadtkreis: a town of its own
        record("40", "08199", "Musterkreis", kind="44"),
        record("50", "08199", "Verwaltungsgemeinschaft Muster", association="5001", kind="54"),
        record("60", "08111000", "Stuttgart, Landeshauptstadt", association="0000", kind="62", people=630000),
        record("60", "08199001", "Musterstadt, Große Kreisstadt", association="0001", kind="67", people=people),
        record("60", "08199002", "Lindenau, Stadt", association="5001", kind="63", people=12000),
        record("60", "08199003", "Kleinweiler", association="5001", kind="64", people=900),
        record("60", "08199099", "Gemeindefreies Gebiet Forst", association="0099", kind="66"),
        record("40", "09162", "München, Landeshauptstadt", kind="41"),
        record("60", "09162000", "München, Landeshauptstadt", association="0000", kind="61", people=1500000),
    ]
    path = tmp_path / "GV100AD_311226.txt"
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def test_a_state_is_loaded_with_districts_keys_and_inhabitants(db: Any, tmp_path: Path) -> None:
    network = NetworkFactory.create(slug="land-bw")
    out = StringIO()
    call_command(
        "municipalities_import", str(directory_file(tmp_path)), "--land", "08", "--network", "land-bw", stdout=out
    )
    assert "1 Landkreise und 4 Gemeinden: 5 neu" in out.getvalue()
    kreis = Municipality.objects.get(ars="081990000000")
    assert (kreis.name, kreis.kind, kreis.ags) == ("Landkreis Musterkreis", "district", "08199000")
    town = Municipality.objects.get(ags="08199001")
    assert (town.name, town.kind, town.ars, town.inhabitants) == (
        "Musterstadt",
        "major_district_town",
        "081990001001",
        61850,
    )
    assert town.district == kreis and town.slug == "musterstadt"
    assert Municipality.objects.get(ags="08199002").ars == "081995001002"  # the Gemeindeverband is part of the ARS
    stuttgart = Municipality.objects.get(ags="08111000")
    assert stuttgart.kind == "town" and stuttgart.district is None  # a Stadtkreis belongs to no Landkreis
    assert not Municipality.objects.filter(ags="09162000").exists()  # another state
    assert not Municipality.objects.filter(name__startswith="Gemeindefrei").exists()
    assert set(network.members.values_list("ags", flat=True)) == {
        "08199000",
        "08111000",
        "08199001",
        "08199002",
        "08199003",
    }


def test_a_second_import_updates_and_never_duplicates(db: Any, tmp_path: Path) -> None:
    call_command("municipalities_import", str(directory_file(tmp_path)), "--land", "08", stdout=StringIO())
    town = Municipality.objects.get(ags="08199001")
    town.name = "Große Kreisstadt Musterstadt"  # the town's own choice of name stays
    town.save()
    out = StringIO()
    call_command("municipalities_import", str(directory_file(tmp_path, people=62010)), "--land", "08", stdout=out)
    assert "0 neu, 1 aktualisiert, 4 unverändert" in out.getvalue()
    town.refresh_from_db()
    assert (town.inhabitants, town.name) == (62010, "Große Kreisstadt Musterstadt")
    assert Municipality.objects.count() == 5


def test_a_broken_file_imports_nothing_and_says_where(db: Any, tmp_path: Path) -> None:
    path = directory_file(
        tmp_path, extra="99xxxx\n" + record("60", "08199004", "Kaputt", association="0001", kind="64")[:140] + "\n"
    )
    err = StringIO()
    with pytest.raises(CommandError, match="Fehler in der Datei, nichts importiert"):
        call_command("municipalities_import", str(path), stdout=StringIO(), stderr=err)
    assert "Zeile 13: unbekannte Satzart „99“." in err.getvalue()
    assert "Zeile 14: nicht lesbar" in err.getvalue()
    assert not Municipality.objects.exists()
    with pytest.raises(CommandError, match="zwei Ziffern"):
        call_command("municipalities_import", str(path), "--land", "BW")
