"""`fftrack import acled` keeps reference events apart; `fftrack compare --with acled`
matches fftrack's events to them."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_export_formats import _doc, battle
from test_store_basic import make_extraction_a, make_extraction_b

from fftrack.cli import cli
from fftrack.export.reference import compare, family, parse_date, window
from fftrack.records import Quantity
from fftrack.store import Store
from fftrack.views import StoreReader

HEADER = (
    "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,actor2,"
    "iso,country,admin1,admin2,location,latitude,longitude,geo_precision,notes,fatalities"
)
ROWS = [
    # the Deir ez-Zor battle, a day later, 5 km away, ACLED's pre-2019 type: a match
    "SYR1001,10 September 2017,2017,1,Battle-No change of territory,,Islamic State,"
    "Military Forces of Syria,760,Syria,Deir ez-Zor,Deir ez-Zor,Deir ez-Zor,35.38,40.14,1,"
    '"IS attacked army positions.",14',
    # the same day and place, another type family: no match
    "SYR1002,2017-09-09,2017,1,Protests,Peaceful protest,Protesters,,760,Syria,,,Deir ez-Zor,"
    "35.336,40.141,1,A protest.,0",
    # a battle the same day 60 km away: no match
    "SYR1003,2017-09-09,2017,1,Battles,Armed clash,Islamic State,,760,Syria,,,Al Mayadin,"
    "35.02,40.45,1,Clashes.,2",
    "SYR1004,not a date,2017,1,Battles,Armed clash,,,760,Syria,,,X,35,40,1,,0",
]


def build_compare_store(tmp_path: Path) -> Path:
    """A store of three reports, one of them a battle at Deir ez-Zor on 2017-09-09."""
    path = tmp_path / "fftrack.db"
    c = battle(_doc("dz0001", "Islamic State fighters attacked Syrian army positions in "
                    "Deir ez-Zor, killing 12.", date(2017, 9, 9), "Wire A"), Quantity(12))  # fmt: skip
    with Store.open(path) as s:
        s.write([make_extraction_a(), make_extraction_b(), c])
    return path


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return build_compare_store(tmp_path)


def run(store: Path, *args: str) -> tuple[int, str]:
    res = CliRunner().invoke(cli, ["--db", str(store), *args])
    return res.exit_code, res.output


def test_acled_codes_and_windows() -> None:
    assert family("Remote violence") == family("Explosions/Remote violence") == "remote"
    assert family("Battle-Government regains territory") == family("Battles")
    assert parse_date("28 February 2018") == parse_date("2018-02-28") == date(2018, 2, 28)
    assert window(date(2018, 2, 28), 1) == (date(2018, 2, 27), date(2018, 3, 1))
    assert window(date(2018, 2, 14), 3) == (date(2018, 1, 31), date(2018, 3, 1))


def test_import_and_compare(store_path: Path, tmp_path: Path) -> None:
    ref = tmp_path / "acled.csv"
    ref.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    code, text = run(store_path, "import", "acled", str(ref))
    assert code == 1  # one bad line, reported with its line number; the rest imported
    assert "acled.csv:5: bad event_date 'not a date'" in text
    assert "imported 3 acled reference events" in text
    # reference events stay apart: the listings do not show them
    with StoreReader(store_path) as r:
        assert all(e.get("cluster_id") != "SYR1001" for e in r.merged_events())
        refs = list(r.iter_reference("acled"))
    assert {x["ref_id"] for x in refs} == {"SYR1001", "SYR1002", "SYR1003"}
    assert next(x for x in refs if x["ref_id"] == "SYR1001")["country"] == "SY"
    # importing again replaces, never duplicates
    run(store_path, "import", "acled", str(ref))
    with StoreReader(store_path) as r:
        assert len(list(r.iter_reference("acled"))) == 3

    out = tmp_path / "unmatched.csv"
    code, text = run(store_path, "compare", "--with", "acled", "--country", "SY",
                     "--since", "2017-09", "--until", "2017-09", "-o", str(out))  # fmt: skip
    assert code == 0, text
    assert "matched:            1" in text
    assert "only fftrack:       0" in text
    assert "only reference:     2" in text
    assert "median place error: 4.9 km over 1 matched pairs" in text
    assert "fftrack higher in 0, lower in 1" in text  # 12 against 14
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted((r["side"], r["id"]) for r in rows) == [
        ("reference", "SYR1002"),
        ("reference", "SYR1003"),
    ]
    code, text = run(store_path, "compare", "--with", "acled", "--json")
    s = json.loads(text)
    assert s["matched"] == 1 and s["reference_events"] == 3 and s["matcher"]


def test_own_export_round_trips(store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "ours.csv"
    assert run(store_path, "export", "--format", "acled", "-o", str(out))[0] == 0
    code, text = run(store_path, "import", "acled", str(out))
    # an event without a date has an empty event_date: not a reference event
    assert code == 1 and "bad event_date ''" in text, text
    with StoreReader(store_path) as r:
        merged = r.merged_events()
        refs = list(r.iter_reference("acled"))
    assert len(refs) == len([m for m in merged if m.get("date_start")])
    result = compare(merged, refs)
    located = [
        m for m in merged if m.get("date_start") and (m.get("place") or {}).get("lat") is not None
    ]
    assert len(result.pairs) == len(located)
    assert all(d == pytest.approx(0, abs=1e-6) for _, _, d in result.pairs)
    assert all(o.id == r.row["ref_id"][5:] for o, r, _ in result.pairs)  # XXXFF + our id


def test_usage_errors(store_path: Path, tmp_path: Path) -> None:
    code, text = run(store_path, "compare", "--with", "acled")
    assert code == 2 and "fftrack import acled" in text
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    code, text = run(store_path, "import", "acled", str(bad))
    assert code == 2 and "not an ACLED CSV" in text
    code, text = run(store_path, "import", "acled", str(tmp_path / "missing.csv"))
    assert code == 2 and "no such file" in text
