"""``fftrack export``: each format opened by the library its users read it with.

pandas reads the ACLED CSV, pyogrio (GDAL) the GeoJSON and the KML, pyarrow the Parquet
files, followthemoney validates the entities.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_store_basic import make_extraction_a, make_extraction_b

from fftrack.cli import cli
from fftrack.export.acled import ACLED_COLUMNS, COLUMNS
from fftrack.records import (
    Actor,
    Document,
    Event,
    Extraction,
    Movement,
    Place,
    Quantity,
    Span,
    TimeRef,
)
from fftrack.store import Store

TEXT_C = "Islamic State fighters attacked Syrian army positions in Deir ez-Zor, killing 12."
TEXT_D = "IS militants and government troops clashed in Deir ez-Zor; at least 15 were killed."


def _doc(id_: str, text: str, published: date, source: str) -> Document:
    return Document(
        id=id_, text=text, title=f"Report {id_}", url=f"https://example.org/{id_}",
        published=published, source=source,
    )  # fmt: skip


def _span(doc: Document, needle: str) -> Span:
    i = doc.text.index(needle)
    return Span(doc.id, i, i + len(needle), 0, len(doc.text))


def battle(doc: Document, killed: Quantity) -> Extraction:
    """One battle between IS and the Syrian army in Deir ez-Zor, reported by ``doc``."""
    place = Place(
        "Deir ez-Zor", _span(doc, "Deir ez-Zor"), lat=35.336, lon=40.141, country="SY",
        feature="P.PPLA", precision=1, resolved_name="Deir ez-Zor", admin1="Deir ez-Zor",
        confidence=0.9,
    )  # fmt: skip
    first = doc.text.split()[0]
    is_ = Actor(first, _span(doc, first), normalized="Islamic State", kind="armed_group")
    army_name = "Syrian army" if "Syrian army" in doc.text else "government troops"
    army = Actor(
        army_name, _span(doc, army_name), normalized="Military Forces of Syria",
        kind="state_forces", country="SY",
    )  # fmt: skip
    ev = Event(
        "Battles", "Armed clash", _span(doc, "Deir ez-Zor"),
        date=TimeRef(date(2017, 9, 9), date(2017, 9, 9), "day"), place=place,
        actors=(is_, army), fatalities=killed, confidence=0.8,
    )  # fmt: skip
    return Extraction(document=doc, places=(place,), actors=(is_, army), events=(ev,))


def one_ended_movement() -> Extraction:
    text = "Families fled to Idlib in June 2018."
    doc = _doc("mv0001", text, date(2018, 6, 30), "Idlib Monitor")
    idlib = Place(
        "Idlib", _span(doc, "Idlib"), lat=35.93, lon=36.63, country="SY", precision=1,
        resolved_name="Idlib",
    )  # fmt: skip
    mv = Movement(
        span=_span(doc, "fled to Idlib"), destination=idlib, manner="fled",
        date=TimeRef(date(2018, 6, 1), date(2018, 6, 30), "month"),
    )  # fmt: skip
    return Extraction(document=doc, places=(idlib,), movements=(mv,))


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "fftrack.db"
    c = battle(_doc("dz0001", TEXT_C, date(2017, 9, 9), "Wire A"), Quantity(12))
    d = battle(_doc("dz0002", TEXT_D, date(2017, 9, 10), "Wire B"), Quantity(15, "at_least"))
    with Store.open(path) as s:
        s.write([make_extraction_a(), make_extraction_b(), c, d, one_ended_movement()])
        # the two reports of the Deir ez-Zor battle are one event
        s.set_cluster([(c.events[0].id, "cl-deir"), (d.events[0].id, "cl-deir")])
    return path


def run(store: Path, *args: str) -> tuple[int, str]:
    res = CliRunner().invoke(cli, ["--db", str(store), *args])
    return res.exit_code, res.output


def export(store: Path, tmp: Path, fmt: str, *args: str, name: str | None = None) -> Path:
    out = tmp / (name or f"out.{fmt}")
    code, text = run(store, "export", "--format", fmt, "-o", str(out), *args)
    assert code == 0, text
    return out


def test_acled_csv_read_by_pandas(store_path: Path, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    df = pd.read_csv(export(store_path, tmp_path, "acled"), keep_default_na=False)
    assert list(df.columns) == list(COLUMNS)
    assert list(df.columns[: len(ACLED_COLUMNS)]) == list(ACLED_COLUMNS)
    deir = df[df["fftrack_id"] == "cl-deir"]
    assert len(deir) == 1  # two reports, one merged event
    r = deir.iloc[0]
    assert r["event_id_cnty"] == "SYRFFcl-deir"
    assert r["event_date"] == "2017-09-09" and int(r["year"]) == 2017
    assert int(r["time_precision"]) == 1  # the day is known
    assert r["disorder_type"] == "Political violence"
    assert (r["event_type"], r["sub_event_type"]) == ("Battles", "Armed clash")
    assert (r["actor1"], r["actor2"]) == ("Islamic State", "Military Forces of Syria")
    assert (int(r["inter1"]), int(r["inter2"]), int(r["interaction"])) == (2, 1, 12)
    assert int(r["iso"]) == 760 and r["country"] == "Syria"
    assert r["location"] == "Deir ez-Zor" and int(r["geo_precision"]) == 1
    assert float(r["latitude"]) == pytest.approx(35.336)
    assert r["source"] == "Wire A; Wire B"
    assert TEXT_C in r["notes"] and TEXT_D in r["notes"]  # notes: the source sentences
    assert int(r["sources_count"]) == 2
    assert (int(r["fatalities_min"]), int(r["fatalities_max"])) == (12, 15)
    assert int(r["fatalities"]) in (12, 15)
    # Westminster: one actor (a person): no inter code, a day, a town
    w = df[df["location"] == "Westminster"].iloc[0]
    assert w["inter1"] == "" and w["interaction"] == ""
    assert int(w["fatalities"]) == 4 and int(w["iso"]) == 826
    # an event with no figure: ACLED codes 0 fatalities, our range is empty
    nofig = df[df["fatalities_max"] == ""]
    assert (nofig["fatalities"] == 0).all()


def test_acled_filters_as_events(store_path: Path, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    out = export(store_path, tmp_path, "acled", "--country", "SY", "--since", "2017-09")
    df = pd.read_csv(out)
    assert list(df["fftrack_id"]) == ["cl-deir"]


def test_geojson_read_by_gdal(store_path: Path, tmp_path: Path) -> None:
    pyogrio = pytest.importorskip("pyogrio")
    out = export(store_path, tmp_path, "geojson", "--kind", "all")
    fc = json.loads(out.read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection"
    kinds = [(f["properties"]["record_kind"], f["geometry"]["type"]) for f in fc["features"]]
    assert ("events", "Point") in kinds and ("movements", "LineString") in kinds
    one_end = [f for f in fc["features"] if f["properties"].get("role")]
    assert [f["properties"]["role"] for f in one_end] == ["destination"]
    assert one_end[0]["geometry"] == {"type": "Point", "coordinates": [36.63, 35.93]}
    # RFC 7946: longitude first, WGS 84
    df = pyogrio.read_dataframe(out)
    assert len(df) == len(fc["features"])
    assert set(df.geometry.geom_type) == {"Point", "LineString"}
    deir = df[df["cluster_id"] == "cl-deir"]
    assert len(deir) == 1
    assert deir.geometry.iloc[0].x == pytest.approx(40.141)


def test_kml_read_by_gdal_with_times(store_path: Path, tmp_path: Path) -> None:
    pyogrio = pytest.importorskip("pyogrio")
    out = export(store_path, tmp_path, "kml", "--kind", "all")
    text = out.read_text(encoding="utf-8")
    assert "<TimeStamp><when>2017-09-09</when></TimeStamp>" in text  # a day
    assert "<TimeSpan><begin>2018-06-01</begin><end>2018-06-30</end></TimeSpan>" in text
    layers = pyogrio.list_layers(out)
    assert len(layers) >= 1
    df = pyogrio.read_dataframe(out, layer=layers[0][0])
    assert len(df) == text.count("<Placemark")
    assert any("Deir ez-Zor" in str(n) for n in df["Name"])
    drivers = pyogrio.list_drivers()
    if "LIBKML" in drivers:  # libkml reads the times as fields
        lk = pyogrio.read_dataframe(out, layer=layers[0][0], driver="LIBKML")
        assert {"timestamp", "begin", "end"} <= set(lk.columns)
        assert lk["timestamp"].notna().any() and lk["begin"].notna().any()


def test_parquet_read_by_pyarrow_with_documented_schema(store_path: Path, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    from fftrack.export.parquet import EXPORT_VERSION, schema, tables

    folder = tmp_path / "pq"
    code, text = run(store_path, "export", "--format", "parquet", "-o", str(folder))
    assert code == 0, text
    assert sorted(p.stem for p in folder.glob("*.parquet")) == sorted(tables())
    assert not list(folder.glob(".*"))  # no temporary files left
    for table in tables():
        t = pq.read_table(folder / f"{table}.parquet")
        assert t.schema.equals(schema(table), check_metadata=False), table
        assert t.schema.metadata[b"fftrack.export"] == EXPORT_VERSION.encode()
    events = pq.read_table(folder / "events.parquet").to_pylist()
    assert len(events) == 5  # per report: one of A, two of B, two of Deir ez-Zor
    deir = [e for e in events if e["cluster_id"] == "cl-deir"]
    assert len(deir) == 2 and deir[0]["date_start"] == date(2017, 9, 9)
    assert json.loads(deir[0]["data"])["event_type"] == "Battles"
    merged = pq.read_table(folder / "merged_events.parquet").to_pylist()
    m = next(r for r in merged if r["fftrack_id"] == "cl-deir")
    assert m["sources_count"] == 2 and len(m["members"]) == 2
    assert len(json.loads(m["sources"])) == 2
    docs = pq.read_table(folder / "documents.parquet")
    assert docs.num_rows == 5


def test_parquet_refuses_filters_and_a_file(store_path: Path, tmp_path: Path) -> None:
    code, text = run(store_path, "export", "--format", "parquet", "-o", str(tmp_path / "p"),
                     "--country", "SY")  # fmt: skip
    assert code == 2 and "every table whole" in text
    f = tmp_path / "file.txt"
    f.write_text("x")
    code, text = run(store_path, "export", "--format", "parquet", "-o", str(f))
    assert code == 2 and "not a folder" in text


def test_ftm_entities_validate(store_path: Path, tmp_path: Path) -> None:
    pytest.importorskip("followthemoney")
    from followthemoney import model

    out = export(store_path, tmp_path, "ftm")
    entities = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    ids = [e["id"] for e in entities]
    assert len(ids) == len(set(ids))  # each entity once
    by_id = {e["id"]: e for e in entities}
    for e in entities:
        schema = model.get(e["schema"])
        assert schema is not None
        assert schema.validate(e) is None, e
        proxy = model.get_proxy(e, cleaned=False)
        # every reference points at an entity of the export, of the range's schema
        for prop, value in proxy.itervalues():
            if prop.type.name == "entity":
                assert value in by_id, (prop.name, value)
                assert model.get(by_id[value]["schema"]).is_a(prop.range)
    schemata = {e["schema"] for e in entities}
    assert {"Event", "Article", "Organization", "Mention", "Documentation"} <= schemata
    assert "Person" not in schemata  # a person is only ever a mention
    deir = next(
        e for e in entities if e["schema"] == "Event" and e["properties"]["recordId"] == ["cl-deir"]
    )
    assert len(deir["properties"]["involved"]) == 2
    docs = [
        e for e in entities
        if e["schema"] == "Documentation" and e["properties"]["entity"] == [deir["id"]]
    ]  # fmt: skip
    assert len(docs) == 2  # the event's two source reports
    people = [
        e for e in entities
        if e["schema"] == "Mention" and e["properties"]["detectedSchema"] == ["Person"]
    ]  # fmt: skip
    assert people and all("resolved" not in p["properties"] for p in people)
    # followthemoney's own `ftm validate` re-parses every entity and keeps each one
    from followthemoney.cli.cli import cli as ftm_cli

    checked = tmp_path / "checked.ftm"
    res = CliRunner().invoke(ftm_cli, ["validate", "-i", str(out), "-o", str(checked)])
    assert res.exit_code == 0, res.output
    assert len(checked.read_text(encoding="utf-8").splitlines()) == len(entities)
    # the same export twice gives the same ids
    again = export(store_path, tmp_path, "ftm", name="again.ftm")
    assert [json.loads(x)["id"] for x in again.read_text().splitlines()] == ids


def test_jsonl_full_provenance(store_path: Path, tmp_path: Path) -> None:
    out = export(store_path, tmp_path, "jsonl", "--kind", "all")
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    kinds = {r["record_kind"] for r in rows}
    assert kinds == {"event", "movement", "figure"}
    deir = next(r for r in rows if r.get("cluster_id") == "cl-deir")
    assert {s["document_id"] for s in deir["sources"]} == {"dz0001", "dz0002"}
    for src in deir["sources"]:
        assert src["sentence"] and src["url"] and src["published"] and src["start"] is not None
    assert deir["extractor"] and deir["ingested_at"]


def test_missing_library_is_one_line_exit_2(
    store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins

    real = builtins.__import__

    def no_optional(name: str, *args, **kw):  # type: ignore[no-untyped-def]
        if name.split(".")[0] in ("pyarrow", "followthemoney"):
            raise ImportError(f"No module named {name!r}")
        return real(name, *args, **kw)

    monkeypatch.setattr(builtins, "__import__", no_optional)
    for fmt, extra in (("parquet", "fftrack[parquet]"), ("ftm", "fftrack[ftm]")):
        out = tmp_path / f"x.{fmt}"
        code, text = run(store_path, "export", "--format", fmt, "-o", str(out))
        assert code == 2, text
        assert extra in text and "Traceback" not in text
        assert len(text.strip().splitlines()) == 1
        assert not out.exists()


def test_export_usage_errors(store_path: Path, tmp_path: Path) -> None:
    code, text = run(store_path, "export", "--format", "acled", "--kind", "movements")
    assert code == 2 and "events only" in text
    code, text = run(store_path, "export", "--format", "acled", "--since", "2017-13")
    assert code == 2 and "bad date" in text
    code, text = run(store_path, "export", "--format", "kml", "-o", str(tmp_path / "no" / "x"))
    assert code == 2 and "cannot write" in text
