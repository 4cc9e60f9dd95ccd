"""Store: writing, idempotence, filters, records, stats, errors.

Extractions are built by hand from records.py (no language model needed). Other
test_store_*/test_export modules import ``make_extraction`` from here.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from fftrack.errors import NotFoundError, StoreError, UsageError
from fftrack.records import (
    Actor,
    Document,
    Event,
    Extraction,
    Figure,
    Movement,
    Place,
    Quantity,
    Span,
    TimeRef,
    content_id,
)
from fftrack.store import Query, Store, WriteStats
from fftrack.views import StoreReader

TEXT_A = (
    "On 22 March 2017 an attacker killed four people near Westminster in London. "
    "More than 800 fighters from Britain travelled to Syria. "
    "Islamic State fighters fled from Raqqa to al-Mayadin in October."
)
TEXT_B = (
    "In June 2017 militants attacked a checkpoint in Mosul, killing 3 soldiers & <one> civilian."
)


def _span(doc: Document, needle: str, sentence_of: str | None = None) -> Span:
    start = doc.text.index(needle)
    end = start + len(needle)
    sent = sentence_of or needle
    s0 = doc.text.index(sent)
    return Span(doc.id, start, end, s0, s0 + len(sent))


def _sentence(doc: Document, needle: str) -> str:
    i = doc.text.index(needle)
    s0 = doc.text.rfind(". ", 0, i)
    s0 = 0 if s0 < 0 else s0 + 2
    s1 = doc.text.find(".", i)
    return doc.text[s0 : (s1 + 1 if s1 >= 0 else len(doc.text))]


def place(
    doc: Document, name: str, lat: float, lon: float, cc: str, resolved: str | None = None
) -> Place:
    return Place(
        name=name,
        span=_span(doc, name, _sentence(doc, name)),
        lat=lat,
        lon=lon,
        geonameid=abs(hash(name)) % 100000,
        country=cc,
        feature="P.PPL",
        precision=1,
        resolved_name=resolved or name,
        score=0.9,
        confidence=0.8,
    )


def actor(
    doc: Document,
    name: str,
    normalized: str | None = None,
    kind: str = "armed_group",
    cc: str | None = None,
) -> Actor:
    return Actor(
        name=name,
        span=_span(doc, name, _sentence(doc, name)),
        normalized=normalized,
        kind=kind,
        country=cc,
    )


def make_doc_a(published: date | None = date(2017, 10, 1)) -> Document:
    return Document(
        id=content_id("doc", TEXT_A),
        text=TEXT_A,
        title="Report A",
        url="https://example.org/a",
        published=published,
        source="Example Times",
    )


def make_extraction_a() -> Extraction:
    doc = make_doc_a()
    westminster = place(doc, "Westminster", 51.4995, -0.1248, "GB")
    raqqa = place(doc, "Raqqa", 35.95, 39.01, "SY", "Ar Raqqah")
    mayadin = place(doc, "al-Mayadin", 35.02, 40.45, "SY", "Al Mayadin")
    syria = Place(
        name="Syria",
        span=_span(doc, "Syria", _sentence(doc, "Syria")),
        lat=35.0,
        lon=38.0,
        country="SY",
        feature="A.PCLI",
        precision=4,
        resolved_name="Syria",
    )
    is_actor = actor(doc, "Islamic State fighters", "Islamic State")
    attacker = actor(doc, "an attacker", None, "person")
    ev = Event(
        event_type="Violence against civilians",
        sub_event_type="Attack",
        span=_span(doc, "killed four people", _sentence(doc, "killed four people")),
        date=TimeRef(date(2017, 3, 22), date(2017, 3, 22), "day", "22 March 2017"),
        place=westminster,
        actors=(attacker,),
        fatalities=Quantity(4, "exact", text="four"),
        trigger="killed",
        confidence=0.7,
    )
    mv = Movement(
        span=_span(doc, "fled from Raqqa to al-Mayadin", _sentence(doc, "fled from Raqqa")),
        actor=is_actor,
        origin=raqqa,
        destination=mayadin,
        manner="fled",
        date=TimeRef(date(2017, 10, 1), date(2017, 10, 31), "month", "in October"),
        confidence=0.6,
    )
    fig = Figure(
        subject="fighters from Britain",
        value=Quantity(800, "more_than", text="More than 800"),
        span=_span(doc, "More than 800 fighters from Britain", _sentence(doc, "More than 800")),
        category="fighters",
        origin="GB",
        destination="Syria",
        group="Islamic State",
    )
    return Extraction(
        document=doc,
        places=(westminster, syria, raqqa, mayadin),
        actors=(attacker, is_actor),
        events=(ev,),
        movements=(mv,),
        figures=(fig,),
    )


def make_extraction_b(published: date | None = date(2017, 7, 2)) -> Extraction:
    doc = Document(
        id=content_id("doc", TEXT_B),
        text=TEXT_B,
        title="Report <B> & co",
        url="https://example.org/b?x=1&y=2",
        published=published,
        source="Other Wire",
    )
    mosul = place(doc, "Mosul", 36.34, 43.13, "IQ")
    militants = actor(doc, "militants", "Unidentified Armed Group")
    soldiers = actor(doc, "soldiers", "Military Forces of Iraq", "state_forces", "IQ")
    ev = Event(
        event_type="Battles",
        sub_event_type="Armed clash",
        span=_span(doc, "attacked a checkpoint", TEXT_B),
        date=TimeRef(date(2017, 6, 1), date(2017, 6, 30), "month", "June 2017"),
        place=mosul,
        actors=(militants, soldiers),
        fatalities=Quantity(4, "at_least"),
        confidence=0.5,
    )
    undated = Event(
        event_type="Violence against civilians",
        sub_event_type=None,
        span=_span(doc, "civilian", TEXT_B),
        place=None,
        actors=(),
    )
    return Extraction(
        document=doc, places=(mosul,), actors=(militants, soldiers), events=(ev, undated)
    )


def make_extraction(n: int) -> Extraction:
    """A small distinct extraction number ``n`` (for bulk and concurrency tests)."""
    text = f"Report {n}: fighters clashed with troops near Raqqa, killing {n} people."
    doc = Document(
        id=content_id("bulk", n), text=text, published=date(2018, 1 + n % 12, 1 + n % 28)
    )
    raqqa = place(doc, "Raqqa", 35.95, 39.01, "SY")
    ev = Event(
        event_type="Battles",
        sub_event_type="Armed clash",
        span=_span(doc, "clashed", text),
        place=raqqa,
        fatalities=Quantity(n),
    )
    return Extraction(document=doc, places=(raqqa,), events=(ev,))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "fftrack.db"
    with Store.open(path) as store:
        store.write([make_extraction_a(), make_extraction_b()])
    return path


def test_write_counts_and_idempotence(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with Store.open(path) as store:
        ws = store.write([make_extraction_a(), make_extraction_b()])
        assert ws == WriteStats(documents=2, places=5, actors=4, events=3, movements=1, figures=1)
        assert ws.records == 14
        again = store.write([make_extraction_a(), make_extraction_b()])
        assert again == WriteStats()
        assert store.known_documents([make_doc_a().id, "nope"]) == {make_doc_a().id}
    # and after reopening
    with Store.open(path) as store:
        assert store.write([make_extraction_a()]).records == 0
    with StoreReader(path) as r:
        st = r.stats()
    assert st["documents"] == 2 and st["events"] == 3 and st["places"] == 5


def test_same_extraction_twice_in_one_batch(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        ws = store.write([make_extraction_a(), make_extraction_a()])
    assert ws.documents == 1 and ws.events == 1


def test_row_shape_and_sources(db: Path) -> None:
    with StoreReader(db) as r:
        events = r.events(Query())
    ex = make_extraction_a()
    ev = next(e for e in events if e["id"] == ex.events[0].id)
    expected = ex.events[0].to_dict()
    for k, v in expected.items():
        assert ev[k] == v, k
    assert ev["document_id"] == ex.document.id
    (src,) = ev["sources"]
    assert src["document_id"] == ex.document.id
    assert src["title"] == "Report A" and src["url"] == "https://example.org/a"
    assert src["published"] == "2017-10-01" and src["source"] == "Example Times"
    sent = src["sentence"]
    assert sent == "On 22 March 2017 an attacker killed four people near Westminster in London."
    assert sent[src["start"] - src["sentence_start"] : src["end"] - src["sentence_start"]] == (
        "killed four people"
    )


def test_order_by_date_then_id_and_paging(db: Path) -> None:
    with StoreReader(db) as r:
        events = r.events(Query())
        assert [e["date_start"] or "" for e in events][:2] == ["2017-03-22", "2017-06-01"]
        # the undated event falls back to the publication date for filtering and order
        assert events[-1]["date"] is None
        page = r.events(Query(limit=1, offset=1))
        assert [e["id"] for e in page] == [events[1]["id"]]
        assert r.count("event", Query(limit=1)) == 3
        assert r.events(Query(limit=0)) == []


def test_date_filters(db: Path) -> None:
    with StoreReader(db) as r:
        assert len(r.events(Query(since=date(2017, 6, 15), until=date(2017, 6, 20)))) == 1
        # undated event, published 2017-07-02: no date filter keeps it unless include_undated
        assert r.events(Query(since=date(2017, 7, 1))) == []
        got = r.events(Query(since=date(2017, 7, 1), include_undated=True))
        assert [e["date"] for e in got] == [None]
        assert r.events(Query(until=date(2017, 3, 21))) == []
        mv = r.movements(Query(since=date(2017, 10, 31)))
        assert len(mv) == 1
        assert r.movements(Query(since=date(2017, 11, 1))) == []


def test_country_place_type_actor_bbox(db: Path) -> None:
    with StoreReader(db) as r:
        assert [e["place"]["name"] for e in r.events(Query(country="GB"))] == ["Westminster"]
        assert len(r.events(Query(country="iq".upper()))) == 1
        assert len(r.events(Query(place="mosul"))) == 1
        assert len(r.events(Query(type="Armed clash"))) == 1
        assert len(r.events(Query(type="violence against civilians"))) == 2
        assert len(r.events(Query(actor="iraq"))) == 1
        assert len(r.events(Query(actor="attack"))) == 1
        assert r.events(Query(actor="nobody")) == []
        # W,S,E,N around Iraq/Syria
        assert [e["place"]["name"] for e in r.events(Query(bbox=(35, 30, 50, 40)))] == ["Mosul"]
        # movements: either end, names as written or resolved, manner, country of either end
        assert len(r.movements(Query(place="Ar Raqqah"))) == 1
        assert len(r.movements(Query(place="AL-MAYADIN"))) == 1
        assert len(r.movements(Query(country="SY", type="fled", actor="islamic"))) == 1
        assert len(r.movements(Query(bbox=(40, 34, 41, 36)))) == 1
        assert r.movements(Query(bbox=(-10, 50, 2, 60))) == []
        # figures: origin country, category, destination as place, group as actor
        assert len(r.figures(Query(country="GB", type="fighters", place="syria"))) == 1
        assert len(r.figures(Query(actor="islamic state"))) == 1
        assert r.figures(Query(country="FR")) == []
        # places and actors
        assert {p["name"] for p in r.places(Query(country="SY"))} == {
            "Syria",
            "Raqqa",
            "al-Mayadin",
        }
        assert {p["name"] for p in r.places(Query(type="A"))} == {"Syria"}
        assert {p["name"] for p in r.places(Query(type="p.ppl", bbox=(-1, 50, 1, 52)))} == {
            "Westminster"
        }
        assert {a["name"] for a in r.actors(Query(type="state_forces"))} == {"soldiers"}
        assert {a["name"] for a in r.actors(Query(actor="islamic"))} == {"Islamic State fighters"}
        assert r.count("places", Query()) == 5


def test_bbox_across_antimeridian(tmp_path: Path) -> None:
    doc = Document(id="d1", text="Fighting in Suva and Apia.", published=date(2019, 1, 1))
    suva = place(doc, "Suva", -18.14, 178.44, "FJ")
    apia = place(doc, "Apia", -13.83, -171.76, "WS")
    with Store.open(tmp_path / "s.db") as s:
        s.write([Extraction(document=doc, places=(suva, apia))])
    with StoreReader(tmp_path / "s.db") as r:
        assert {p["name"] for p in r.places(Query(bbox=(170, -20, -170, -10)))} == {"Suva", "Apia"}
        assert {p["name"] for p in r.places(Query(bbox=(170, -20, 180, -10)))} == {"Suva"}


def test_filters_that_do_not_apply(db: Path) -> None:
    with StoreReader(db) as r:
        with pytest.raises(UsageError):
            r.figures(Query(bbox=(0, 0, 1, 1)))
        with pytest.raises(UsageError):
            r.actors(Query(place="Raqqa"))
        with pytest.raises(UsageError):
            r.places(Query(actor="x"))
        with pytest.raises(UsageError):
            r.select("nonsense")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"since": date(2018, 1, 1), "until": date(2017, 1, 1)},
        {"country": "GBR"},
        {"country": "1A"},
        {"bbox": (0, 10, 1, 5)},
        {"bbox": (0, 0, 200, 1)},
        {"bbox": (0, 0, 1)},
        {"limit": -1},
        {"offset": -2},
        {"place": "  "},
        {"actor": "a\x1fb"},
        {"since": "2017-01-01"},
    ],
)
def test_query_validate_rejects(kwargs: dict) -> None:
    with pytest.raises(UsageError):
        Query(**kwargs).validate()


def test_query_parse() -> None:
    q = Query.parse(since="2017-06", until="2017", country="gb", bbox="-1, 50, 1, 52", limit="5")
    assert q.since == date(2017, 6, 1) and q.until == date(2017, 12, 31)
    assert q.country == "GB" and q.bbox == (-1.0, 50.0, 1.0, 52.0) and q.limit == 5
    assert Query.parse(until="2016-02").until == date(2016, 2, 29)
    assert Query.parse(place="", type=None) == Query()
    for bad in ({"since": "June"}, {"since": "2017-13"}, {"bbox": "1,2,3"}, {"limit": "x"}):
        with pytest.raises(UsageError):
            Query.parse(**bad)


def test_record_and_document(db: Path) -> None:
    ex = make_extraction_a()
    with StoreReader(db) as r:
        rec = r.record(ex.figures[0].id)
        assert rec["kind"] == "figure" and rec["value"] == 800 and rec["qualifier"] == "more_than"
        assert (
            rec["sources"][0]["sentence"]
            == "More than 800 fighters from Britain travelled to Syria."
        )
        assert r.record(ex.movements[0].id)["kind"] == "movement"
        assert r.record(ex.places[0].id)["kind"] == "place"
        act = r.record(ex.actors[1].id)
        assert act["kind"] == act["record_kind"] == "actor"
        assert act["actor_kind"] == "armed_group" and act["normalized"] == "Islamic State"
        with pytest.raises(NotFoundError):
            r.record("0000000000000000")
        doc = r.document(ex.document.id)
        assert doc["text"] == TEXT_A and doc["published"] == "2017-10-01"
        assert doc["ingested_at"]
        assert doc["counts"] == {
            "events": 1,
            "movements": 1,
            "figures": 1,
            "actors": 2,
            "places": 4,
        }
        assert doc["records_meta"]["extractors"]["geo.resolve.v9"] == 4
        with pytest.raises(NotFoundError):
            r.document("nope")
        assert [d["id"] for d in r.documents()] == [make_extraction_b().document.id, ex.document.id]


def test_stats(db: Path) -> None:
    with StoreReader(db) as r:
        st = r.stats()
    assert st["documents"] == 2
    assert (st["events"], st["movements"], st["figures"], st["actors"], st["places"]) == (
        3,
        1,
        1,
        4,
        5,
    )
    assert st["events_by_type"] == {"Violence against civilians": 2, "Battles": 1}
    assert st["events_by_country"] == {"GB": 1, "IQ": 1, "unknown": 1}
    # the undated event counts in its publication month
    assert st["events_by_month"] == {"2017-03": 1, "2017-06": 1, "2017-07": 1}


def test_failures_log(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as s:
        s.record_failures([("a.html", None, "not HTML"), ("b.jsonl", 3, "bad JSON")])
        s.record_failures([])
    with StoreReader(tmp_path / "s.db") as r:
        f = r.failures()
        assert [(x["source"], x["line"], x["reason"]) for x in f] == [
            ("b.jsonl", 3, "bad JSON"),
            ("a.html", None, "not HTML"),
        ]
        assert r.stats()["failures"] == 2


def test_cluster_sources(db: Path) -> None:
    a, b = make_extraction_a().events[0].id, make_extraction_b().events[0].id
    with Store.open(db) as s:
        assert s.set_cluster([(a, "c1"), (b, "c1")]) == 2
    with StoreReader(db) as r:
        rec = r.record(a)
        assert rec["cluster_id"] == "c1"
        assert [x["document_id"] for x in rec["sources"]] == [
            make_extraction_a().document.id,
            make_extraction_b().document.id,
        ]
        by_cluster = r.record("c1")
        assert by_cluster["id"] == min(a, b) and len(by_cluster["sources"]) == 2


def test_open_errors(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_text("hello, I am not a database\n" * 10)
    with pytest.raises(StoreError, match="not an fftrack store"):
        Store.open(junk)
    with pytest.raises(StoreError, match="not an fftrack store"):
        StoreReader(junk)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not an fftrack store"):
        Store.open(other)
    with pytest.raises(StoreError, match="no store"):
        StoreReader(tmp_path / "missing.db")
    with pytest.raises(StoreError):
        Store.open(tmp_path / "no" / "such" / "dir.db")
    with pytest.raises(StoreError):
        Store.open(tmp_path)
    for e in (StoreError("x"),):
        assert "\n" not in str(e)


def test_reader_is_read_only(db: Path) -> None:
    with StoreReader(db) as r:
        with pytest.raises(sqlite3.OperationalError):
            r._conn.execute("DELETE FROM documents")  # type: ignore[union-attr]


def test_write_rolls_back_whole_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import fftrack.store.writer as writer

    path = tmp_path / "s.db"
    good = make_extraction_a()
    b = make_extraction_b()
    # a record the database refuses (NOT NULL name): the whole batch is rolled back
    bad_place = Place(name=None, span=b.places[0].span)  # type: ignore[arg-type]
    bad = Extraction(document=b.document, places=(bad_place,))
    with Store.open(path) as s:
        with pytest.raises(StoreError, match="cannot write"):
            s.write([good, bad])
        assert s.known_documents([good.document.id, b.document.id]) == set()
        # a crash in Python mid-batch: same
        real = writer._figure_row

        def boom(*a: object) -> dict:
            raise RuntimeError("killed mid-batch")

        monkeypatch.setattr(writer, "_figure_row", boom)
        with pytest.raises(RuntimeError):
            s.write([b, good])
        assert s.known_documents([good.document.id, b.document.id]) == set()
        monkeypatch.setattr(writer, "_figure_row", real)
        assert s.write([good]).documents == 1


def test_flows(tmp_path: Path) -> None:
    a = make_extraction_a()
    mv = a.movements[0]
    doc2 = Document(
        id="d2", text="Foreign fighters fled Raqqa for al-Mayadin.", published=date(2017, 9, 1)
    )
    mv2 = Movement(
        span=Span("d2", 17, 21, 0, len(doc2.text)),
        actor=Actor("Foreign fighters", Span("d2", 0, 16, 0, len(doc2.text))),
        origin=place(doc2, "Raqqa", 35.95, 39.01, "SY", "Ar Raqqah"),
        destination=place(doc2, "al-Mayadin", 35.02, 40.45, "SY", "Al Mayadin"),
        manner="fled",
        date=TimeRef(date(2017, 9, 1), date(2017, 9, 1), "day"),
    )
    # same geonameids (hash of name) as report A's places
    path = tmp_path / "f.db"
    with Store.open(path) as s:
        s.write([a, Extraction(document=doc2, movements=(mv2,))])
    with StoreReader(path) as r:
        flows = r.flows(Query())
        assert len(flows) == 1
        f = flows[0]
        assert f["reports"] == 2
        assert f["first_date"] == "2017-09-01" and f["last_date"] == "2017-10-31"
        assert f["manners"] == {"fled": 2}
        assert sorted(f["movement_ids"]) == sorted([mv.id, mv2.id])
        assert f["origin"]["name"] == "Raqqa" and f["destination"]["lat"] == 35.02
        assert r.flows(Query(limit=0)) == []
        assert r.flows(Query(since=date(2017, 10, 5)))[0]["reports"] == 1


def test_unusual_text_round_trips(tmp_path: Path) -> None:
    # NUL, astral characters, Arabic, and a lone surrogate (from a sloppy JSON source)
    text = "Intro\x00 😀 text. قصف في دير الزور أمس. Shelling hit Deir ez-Zor \ud800 today."
    doc = Document(id="u1", text=text, title="t\ud800", published=date(2017, 10, 2))
    dz = place(doc, "دير الزور", 35.33, 40.14, "SY", "Deir ez-Zor")
    dz2 = place(doc, "Deir ez-Zor", 35.33, 40.14, "SY")
    ev = Event(
        "Explosions/Remote violence", "Shelling/artillery/missile attack", dz2.span, place=dz2
    )
    with Store.open(tmp_path / "u.db") as s:
        assert s.write([Extraction(document=doc, places=(dz, dz2), events=(ev,))]).events == 1
    with StoreReader(tmp_path / "u.db") as r:
        arabic = r.places(Query(place="دير الزور"))
        assert len(arabic) == 1
        src = arabic[0]["sources"][0]
        assert src["sentence"] == "قصف في دير الزور أمس."
        assert src["sentence"][src["start"] - src["sentence_start"] :][:9] == "دير الزور"
        (e,) = r.events(Query(place="deir ez-zor"))
        assert e["sources"][0]["sentence"] == "Shelling hit Deir ez-Zor \ufffd today."
        stored = r.document("u1")
        assert stored["text"] == text.replace("\ud800", "\ufffd") and len(stored["text"]) == len(
            text
        )
        assert stored["title"] == "t\ufffd"


def test_documents_and_failures_are_typed_rows(tmp_path: Path) -> None:
    """The read side's rows are typed records, still read by column name as before."""
    from fftrack.readmodel import DocumentRow, FailureRow

    with Store.open(tmp_path / "s.db") as s:
        s.write([make_extraction_b()])
        s.record_failures([("b.jsonl", 3, "bad JSON")])
    with StoreReader(tmp_path / "s.db") as r:
        (d,) = r.documents()
        (f,) = r.failures()
    assert isinstance(d, DocumentRow) and isinstance(f, FailureRow)
    assert d.id == d["id"] == make_extraction_b().document.id
    assert list(d.to_dict()) == [
        "id",
        "title",
        "url",
        "published",
        "source",
        "language",
        "origin",
        "ingested_at",
    ]
    assert (f.source, f.line, f.reason) == ("b.jsonl", 3, "bad JSON") and f.recorded_at
    with pytest.raises(KeyError):
        d["text"]


def test_a_writer_keeps_a_page_cache_for_bulk_loads(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from fftrack.store import Store
    from fftrack.store.migrations import WRITER_CACHE_KIB

    with Store.open(tmp_path / "s.db") as store:
        assert store.conn.execute("PRAGMA cache_size").fetchone()[0] == -WRITER_CACHE_KIB
