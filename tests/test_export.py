"""Exporters: json, jsonl, csv, geojson, kml over the rows the store reader returns."""

from __future__ import annotations

import csv
import html
import io
import json
from datetime import date
from pathlib import Path

import pytest
from defusedxml import ElementTree as DET
from test_store_basic import make_extraction_a, make_extraction_b, place

from fftrack.errors import UsageError
from fftrack.export import FORMATS, write_rows
from fftrack.records import Actor, Document, Event, Extraction, Movement, Span
from fftrack.store import Query, Store
from fftrack.views import StoreReader

KML_NS = "{http://www.opengis.net/kml/2.2}"
EVIL = 'Attack at "Raqqa" </name><script>alert(1)</script> & ]]> \x01\x0b=cmd|x'


def evil_extraction() -> Extraction:
    text = f"{EVIL} near Raqqa, fighters fled from Raqqa to Idlib."
    doc = Document(
        id="evil0001", text=text, title="<b>Title</b> & more", published=date(2018, 5, 1)
    )
    raqqa = place(doc, "Raqqa", 35.95, 39.01, "SY")
    idlib_span = Span(doc.id, text.index("Idlib"), text.index("Idlib") + 5, 0, len(text))
    from fftrack.records import Place

    idlib = Place("Idlib", idlib_span)  # unresolved
    s = Span(doc.id, 0, len(EVIL), 0, len(text))
    bad_actor = Actor(name=EVIL, span=s, normalized='=HYPERLINK("http://x")')
    ev = Event("Battles", "Armed clash", s, place=raqqa, actors=(bad_actor,))
    mv = Movement(
        span=Span(doc.id, text.index("fled"), text.index("fled") + 4, 0, len(text)),
        origin=raqqa,
        destination=idlib,
        manner="fled",
    )
    return Extraction(
        document=doc, places=(raqqa, idlib), actors=(bad_actor,), events=(ev,), movements=(mv,)
    )


@pytest.fixture
def reader(tmp_path: Path):
    path = tmp_path / "x.db"
    with Store.open(path) as s:
        s.write([make_extraction_a(), make_extraction_b(), evil_extraction()])
    with StoreReader(path) as r:
        yield r


def _out(rows, fmt, kind) -> str:
    buf = io.StringIO()
    write_rows(rows, fmt, buf, kind)
    return buf.getvalue()


def test_json_and_jsonl_round_trip(reader: StoreReader) -> None:
    rows = reader.events(Query())
    assert json.loads(_out(rows, "json", "events")) == rows
    lines = _out(rows, "jsonl", "event").splitlines()
    assert [json.loads(x) for x in lines] == rows
    assert json.loads(_out([], "json", "events")) == []
    assert _out([], "jsonl", "events") == ""


def test_csv_events_flattened(reader: StoreReader) -> None:
    rows = reader.events(Query())
    got = list(csv.DictReader(io.StringIO(_out(rows, "csv", "events"))))
    assert len(got) == len(rows)
    by_id = {r["id"]: r for r in got}
    w = by_id[make_extraction_a().events[0].id]
    assert w["place_name"] == "Westminster" and w["country"] == "GB"
    assert float(w["lat"]) == pytest.approx(51.4995) and float(w["lon"]) == pytest.approx(-0.1248)
    assert w["actor1"] == "an attacker" and w["actor2"] == ""
    assert w["fatalities"] == "4" and w["fatalities_qualifier"] == "exact"
    assert w["date"] == "2017-03-22" and w["event_type"] == "Violence against civilians"
    assert w["source_count"] == "1" and w["source_urls"] == "https://example.org/a"
    assert "killed four people" in w["source_sentence"]
    m = by_id[make_extraction_b().events[0].id]
    assert m["actor1"] == "Unidentified Armed Group" and m["actor2"] == "Military Forces of Iraq"
    assert m["fatalities_qualifier"] == "at_least"
    for r in got:
        for k in ("place", "actors", "fatalities_value"):
            assert k not in r


def test_csv_defuses_formulas(reader: StoreReader) -> None:
    rows = reader.events(Query(place="Raqqa"))
    text = _out(rows, "csv", "events")
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert row["actor1"].startswith("'=HYPERLINK")
    # negative numbers are numbers, not formulas
    rows = reader.events(Query(country="GB"))
    (row,) = list(csv.DictReader(io.StringIO(_out(rows, "csv", "events"))))
    assert row["lon"] == "-0.1248"


def test_csv_movements_and_figures(reader: StoreReader) -> None:
    mv = list(csv.DictReader(io.StringIO(_out(reader.movements(Query()), "csv", "movements"))))
    a = next(r for r in mv if r["manner"] == "fled" and r["actor"])
    assert a["origin_name"] == "Raqqa" and a["destination_name"] == "al-Mayadin"
    assert a["origin_country"] == "SY" and a["actor_normalized"] == "Islamic State"
    assert float(a["destination_lon"]) == pytest.approx(40.45)
    fig = list(csv.DictReader(io.StringIO(_out(reader.figures(Query()), "csv", "figures"))))
    assert (
        fig[0]["value"] == "800" and fig[0]["qualifier"] == "more_than" and fig[0]["origin"] == "GB"
    )
    pl = list(csv.DictReader(io.StringIO(_out(reader.places(Query()), "csv", "places"))))
    assert {"name", "lat", "lon", "country", "geonameid"} <= set(pl[0])


def test_geojson(reader: StoreReader) -> None:
    fc = json.loads(_out(reader.events(Query()), "geojson", "events"))
    assert fc["type"] == "FeatureCollection"
    # the undated event of report B has no place: left out and counted
    assert fc["fftrack"]["unlocated"] == 1
    pts = {f["properties"]["place"]["name"]: f["geometry"] for f in fc["features"]}
    assert pts["Westminster"] == {"type": "Point", "coordinates": [-0.1248, 51.4995]}
    assert all(f["id"] == f["properties"]["id"] for f in fc["features"])
    mv = json.loads(_out(reader.movements(Query()), "geojson", "movements"))
    geoms = sorted(f["geometry"]["type"] for f in mv["features"])
    # Raqqa -> al-Mayadin both resolved: a line; Raqqa -> Idlib (unresolved): a point at Raqqa
    assert geoms == ["LineString", "Point"]
    line = next(f for f in mv["features"] if f["geometry"]["type"] == "LineString")
    assert line["geometry"]["coordinates"] == [[39.01, 35.95], [40.45, 35.02]]
    point = next(f for f in mv["features"] if f["geometry"]["type"] == "Point")
    assert point["geometry"]["coordinates"] == [39.01, 35.95]
    places = json.loads(_out(reader.places(Query()), "geojson", "places"))
    assert len(places["features"]) == len(reader.places(Query())) - 1  # Idlib unresolved
    with pytest.raises(UsageError):
        _out(reader.figures(Query()), "geojson", "figures")


def test_kml_is_well_formed_and_escaped(reader: StoreReader) -> None:
    for kind in ("events", "movements", "places"):
        text = _out(reader.select(kind, Query()), "kml", kind)
        root = DET.fromstring(text.encode("utf-8"))
        assert root.tag == f"{KML_NS}kml"
        assert "<script>" not in text
    text = _out(reader.events(Query(place="raqqa")), "kml", "events")
    root = DET.fromstring(text.encode("utf-8"))
    (pm,) = root.iter(f"{KML_NS}Placemark")
    assert pm.get("id", "").startswith("events-")
    desc = pm.find(f"{KML_NS}description").text
    # the hostile sentence survives as text (HTML-escaped: viewers render a description
    # as HTML), minus characters XML cannot carry
    assert "<script>" not in desc and "\x01" not in desc
    assert "</name><script>alert(1)</script> & ]]>" in html.unescape(desc)
    data = {d.get("name"): d.find(f"{KML_NS}value").text for d in pm.iter(f"{KML_NS}Data")}
    assert data["actor1"].startswith("'=HYPERLINK") or data["actor1"].startswith("=HYPERLINK")
    coords = pm.find(f"{KML_NS}Point/{KML_NS}coordinates").text
    assert coords == "39.01,35.95"
    mtext = _out(reader.movements(Query(place="al-mayadin")), "kml", "movements")
    mroot = DET.fromstring(mtext.encode("utf-8"))
    assert (
        mroot.find(f".//{KML_NS}LineString/{KML_NS}coordinates").text == "39.01,35.95 40.45,35.02"
    )


def test_bad_format_or_kind() -> None:
    with pytest.raises(UsageError):
        _out([], "xlsx", "events")
    with pytest.raises(UsageError):
        _out([], "json", "gadgets")
    with pytest.raises(UsageError):
        _out([], "kml", "actors")
    assert set(FORMATS) == {"json", "jsonl", "csv", "geojson", "kml"}


def test_flows_export(reader: StoreReader) -> None:
    flows = reader.flows(Query())
    fc = json.loads(_out(flows, "geojson", "flows"))
    assert {f["geometry"]["type"] for f in fc["features"]} == {"LineString", "Point"}
    rows = list(csv.DictReader(io.StringIO(_out(flows, "csv", "flows"))))
    assert {r["origin_name"] for r in rows} == {"Raqqa"}
    assert {r["destination_name"] for r in rows} == {"al-Mayadin", "Idlib"}
    DET.fromstring(_out(flows, "kml", "flows").encode("utf-8"))
