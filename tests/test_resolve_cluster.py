"""resolve.cluster: blocking, scoring, incremental order-independent clustering, the
merged view, and user merge/split judgements. Records are built by hand (no model)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from fftrack.errors import NotFoundError, UsageError
from fftrack.records import (
    Actor,
    Document,
    Event,
    Extraction,
    Place,
    Quantity,
    Span,
    TimeRef,
    content_id,
)
from fftrack.resolve import cluster_new_events, merge, split
from fftrack.resolve.cluster import (
    ALGORITHM,
    Clusterer,
    Envelope,
    EventFeatures,
    choose,
    fatality_interval,
    score_pair,
)
from fftrack.store import Query, Store
from fftrack.views import merged_event, merged_events

TOWNS = {
    "Mosul": (36.335, 43.119, "IQ", 99072),
    "Kirkuk": (35.468, 44.392, "IQ", 94787),
    "Tikrit": (34.607, 43.678, "IQ", 89225),
    "Raqqa": (35.950, 39.010, "SY", 163915),
}


def report(
    doc_id: str,
    text: str,
    *,
    published: date,
    town: str | None,
    day: date | None,
    etype: str = "Explosions/Remote violence",
    sub: str | None = "Suicide bomb",
    killed: int | None = None,
    qualifier: str = "exact",
    actor: tuple[str, str | None] | None = ("ISIS", "Islamic State"),
    precision: str = "day",
    place_precision: int = 1,
) -> Extraction:
    doc = Document(
        id=doc_id,
        text=text,
        title=f"Report {doc_id}",
        published=published,
        source=f"outlet-{doc_id}",
    )
    span = Span(doc_id, 0, min(len(text), 20), 0, len(text))
    place = None
    if town is not None:
        lat, lon, cc, gid = TOWNS[town]
        i = text.find(town)
        pspan = Span(doc_id, max(i, 0), max(i, 0) + len(town), 0, len(text))
        place = Place(
            name=town,
            span=pspan,
            lat=lat,
            lon=lon,
            geonameid=gid,
            country=cc,
            feature="P.PPLA",
            precision=place_precision,
            resolved_name=town,
            confidence=0.9,
        )
    tref = None
    if day is not None:
        if precision == "month":
            end = (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            tref = TimeRef(day.replace(day=1), end, "month")
        else:
            tref = TimeRef(day, day, "day")
    actors: tuple[Actor, ...] = ()
    if actor is not None:
        actors = (
            Actor(
                actor[0], Span(doc_id, 0, 1, 0, len(text)), normalized=actor[1], kind="armed_group"
            ),
        )
    ev = Event(
        event_type=etype,
        sub_event_type=sub,
        span=span,
        date=tref,
        place=place,
        actors=actors,
        fatalities=Quantity(killed, qualifier) if killed is not None else None,
        confidence=0.7,
    )
    return Extraction(document=doc, events=(ev,))


D = date(2017, 6, 5)
P = date(2017, 6, 6)


def corpus() -> list[Extraction]:
    """Three reports of one Mosul bombing, one of a Kirkuk bombing the same day, one Mosul
    bombing two days later, one airstrike in Mosul the same day, and a second Raqqa event
    reported twice."""
    return [
        report(
            "a1",
            "A suicide bomber killed 20 people in Mosul on Monday.",
            published=P,
            town="Mosul",
            day=D,
            killed=20,
        ),
        report(
            "a2",
            "At least 23 were killed when a bomber blew himself up in Mosul.",
            published=P,
            town="Mosul",
            day=D,
            killed=23,
            qualifier="at_least",
        ),
        report(
            "a3",
            "Daesh bombing in Mosul kills 20.",
            published=P + timedelta(days=1),
            town="Mosul",
            day=D,
            killed=20,
            actor=("Daesh", "Islamic State"),
        ),
        report(
            "k1",
            "A suicide bomber killed 20 people in Kirkuk on Monday.",
            published=P,
            town="Kirkuk",
            day=D,
            killed=20,
        ),
        report(
            "m2",
            "A suicide bomber killed 7 in Mosul on Wednesday.",
            published=P + timedelta(days=2),
            town="Mosul",
            day=D + timedelta(days=2),
            killed=7,
        ),
        report(
            "as",
            "An air strike hit Mosul on Monday, killing 20.",
            published=P,
            town="Mosul",
            day=D,
            sub="Air/drone strike",
            killed=20,
            actor=("Coalition", None),
        ),
        report(
            "r1",
            "Clashes in Raqqa killed 12 fighters.",
            published=P,
            town="Raqqa",
            day=D,
            etype="Battles",
            sub="Armed clash",
            killed=12,
            actor=("SDF", "Syrian Democratic Forces"),
        ),
        report(
            "r2",
            "Fighting in Raqqa left about 12 dead.",
            published=P,
            town="Raqqa",
            day=D,
            etype="Battles",
            sub="Armed clash",
            killed=12,
            qualifier="about",
            actor=("SDF", "Syrian Democratic Forces"),
        ),
    ]


def ev_id(ex: Extraction) -> str:
    return ex.events[0].id


def clusters(store: Store) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for eid, cid in store.conn.execute("SELECT id, cluster_id FROM events"):
        assert cid is not None
        groups.setdefault(cid, set()).add(eid)
    return {frozenset(g) for g in groups.values()}


def expected(exs: list[Extraction]) -> set[frozenset[str]]:
    by = {e.document.id: ev_id(e) for e in exs}
    return {
        frozenset({by["a1"], by["a2"], by["a3"]}),
        frozenset({by["k1"]}),
        frozenset({by["m2"]}),
        frozenset({by["as"]}),
        frozenset({by["r1"], by["r2"]}),
    }


@pytest.fixture()
def store(tmp_path: Path):
    with Store.open(tmp_path / "s.db") as s:
        yield s


def test_clusters_duplicates_and_keeps_near_misses_apart(store: Store) -> None:
    exs = corpus()
    store.write(exs)
    n = cluster_new_events(store)
    assert n == 8
    assert clusters(store) == expected(exs)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_any_ingest_order_and_batching_gives_the_same_clusters(tmp_path: Path, seed: int) -> None:
    exs = corpus()
    rng = random.Random(seed)
    order = exs[:]
    rng.shuffle(order)
    with Store.open(tmp_path / f"o{seed}.db") as s:
        i = 0
        while i < len(order):
            k = rng.randint(1, 3)
            s.write(order[i : i + k])
            cluster_new_events(s)
            i += k
        got = clusters(s)
        ids = {r[0] for r in s.conn.execute("SELECT DISTINCT cluster_id FROM events")}
    with Store.open(tmp_path / "ref.db") as ref:
        ref.write(exs)
        cluster_new_events(ref)
        assert got == clusters(ref) == expected(exs)
        assert ids == {r[0] for r in ref.conn.execute("SELECT DISTINCT cluster_id FROM events")}


def test_reingest_changes_nothing(store: Store) -> None:
    exs = corpus()
    store.write(exs)
    cluster_new_events(store)
    before = clusters(store)
    edges = store.conn.execute("SELECT COUNT(*) FROM cluster_edges").fetchone()[0]
    store.write(exs)
    assert cluster_new_events(store) == 0
    assert cluster_new_events(store, [ev_id(e) for e in exs]) == 0
    assert clusters(store) == before
    assert store.conn.execute("SELECT COUNT(*) FROM cluster_edges").fetchone()[0] == edges


def test_edges_are_audited(store: Store) -> None:
    store.write(corpus())
    cluster_new_events(store)
    rows = store.conn.execute(
        "SELECT a, b, kind, score, algorithm, features, created_at FROM cluster_edges"
    ).fetchall()
    assert rows and all(r[0] < r[1] and r[2] == "auto" and r[3] >= 0.8 for r in rows)
    assert {r[4] for r in rows} == {ALGORITHM}
    assert all('"place"' in r[5] and r[6] for r in rows)


def test_month_precision_overlaps_its_whole_month(store: Store) -> None:
    exs = [
        report(
            "d1",
            "A suicide bomber killed 20 people in Mosul.",
            published=P,
            town="Mosul",
            day=D,
            killed=20,
        ),
        report(
            "mo",
            "In June a suicide bombing in Mosul killed 20.",
            published=date(2017, 7, 2),
            town="Mosul",
            day=date(2017, 6, 20),
            precision="month",
            killed=20,
        ),
        report(
            "ju",
            "In July a suicide bombing in Mosul killed 20.",
            published=date(2017, 8, 2),
            town="Mosul",
            day=date(2017, 7, 20),
            precision="month",
            killed=20,
        ),
    ]
    store.write(exs)
    cluster_new_events(store)
    got = clusters(store)
    assert frozenset({ev_id(exs[0]), ev_id(exs[1])}) in got
    assert frozenset({ev_id(exs[2])}) in got


def test_merged_view_one_row_per_cluster_with_disagreement(store: Store) -> None:
    exs = corpus()
    store.write(exs)
    cluster_new_events(store)
    rows = merged_events(store.conn, Query())
    assert len(rows) == 5
    mosul = next(r for r in rows if r["n_sources"] == 3)
    fr = mosul["fatalities_reported"]
    assert (fr["min"], fr["max"], fr["mode"]) == (20, 23, 20)
    assert sorted((s["document_id"], s["value"], s["qualifier"]) for s in fr["by_source"]) == [
        ("a1", 20, "exact"),
        ("a2", 23, "at_least"),
        ("a3", 20, "exact"),
    ]
    assert mosul["fatalities"] == {"value": 20, "qualifier": "exact"}
    assert mosul["first_report"] == "2017-06-06" and mosul["last_report"] == "2017-06-07"
    assert [s["document_id"] for s in mosul["sources"]][-1] == "a3"
    assert all(s["sentence"] and s["url"] is None and "title" in s for s in mosul["sources"])
    assert mosul["sources"][0]["fatalities"]["value"] in (20, 23)
    assert mosul["cluster_id"] and mosul["id"] in mosul["members"]
    assert mosul["date"] == "2017-06-05" and mosul["place"]["resolved_name"] == "Mosul"
    for key in ("event_type", "sub_event_type", "actors", "injured", "extractor", "confidence"):
        assert key in mosul
    # filters select clusters by any member; paging pages clusters
    assert [r["n_sources"] for r in merged_events(store.conn, Query(place="Raqqa"))] == [2]
    assert len(merged_events(store.conn, Query(limit=2))) == 2
    assert len(merged_events(store.conn, Query(limit=2, offset=4))) == 1


def test_merged_event_by_event_or_cluster_id(store: Store) -> None:
    exs = corpus()
    store.write(exs)
    cluster_new_events(store)
    one = merged_event(store.conn, ev_id(exs[1]))
    assert one["n_sources"] == 3 and one["edges"]
    assert merged_event(store.conn, one["cluster_id"])["members"] == one["members"]
    with pytest.raises(NotFoundError):
        merged_event(store.conn, "nope")


def test_unclustered_events_are_their_own_rows(store: Store) -> None:
    store.write(corpus())
    rows = merged_events(store.conn)
    assert len(rows) == 8 and all(r["cluster_id"] is None and r["n_sources"] == 1 for r in rows)


def test_split_and_merge_are_respected_by_later_runs(store: Store) -> None:
    exs = corpus()
    by = {e.document.id: ev_id(e) for e in exs}
    store.write(exs[:3])
    cluster_new_events(store)
    new_cid = split(store, by["a3"])
    assert new_cid == content_id("cluster", by["a3"])
    got = clusters(store)
    assert frozenset({by["a3"]}) in got and frozenset({by["a1"], by["a2"]}) in got
    # a later report linking to both does not undo the split
    store.write(
        [
            report(
                "a4",
                "Suicide bombing in Mosul: 20 dead.",
                published=P,
                town="Mosul",
                day=D,
                killed=20,
            )
        ]
    )
    a4 = next(r[0] for r in store.conn.execute("SELECT id FROM events WHERE document_id = 'a4'"))
    cluster_new_events(store)
    got = clusters(store)
    assert not any(by["a3"] in g and by["a1"] in g for g in got)
    assert any(a4 in g and len(g) >= 2 for g in got)
    # the user merges the Kirkuk report into the Mosul cluster; a re-run keeps it
    store.write([exs[3]])
    cluster_new_events(store)
    cid = merge(store, by["k1"], by["a1"])
    assert any(by["k1"] in g and by["a1"] in g for g in clusters(store))
    Clusterer(store).recluster_all()
    assert any(by["k1"] in g and by["a1"] in g for g in clusters(store))
    assert not any(by["a3"] in g and by["a1"] in g for g in clusters(store))
    assert cid
    # merging back what was split lifts the split
    merge(store, by["a3"], by["a1"])
    assert any(by["a3"] in g and by["a1"] in g for g in clusters(store))
    with pytest.raises(UsageError):
        split(store, cid if cid not in by.values() else "x")
    with pytest.raises(NotFoundError):
        merge(store, "nope", by["a1"])


def _feat(i: str, **kw: object) -> EventFeatures:
    base: dict[str, object] = dict(
        id=i,
        document_id="d" + i,
        event_type="Battles",
        sub_event_type="Armed clash",
        d0=100,
        d1=100,
        date_precision="day",
        lat=36.3,
        lon=43.1,
        place_precision=1,
        geonameid=1,
        country="IQ",
        place_key="mosul",
        actors=frozenset({"islamic state"}),
        fatalities=(10.0, 10.0),
        confidence=0.5,
    )
    base.update(kw)
    return EventFeatures(**base)  # type: ignore[arg-type]


def test_score_is_symmetric_and_vetoes() -> None:
    a, b = _feat("a"), _feat("b", fatalities=(12.0, 12.0))
    assert score_pair(a, b) == score_pair(b, a)
    assert score_pair(a, b)[0] >= 0.8
    assert score_pair(a, _feat("c", event_type="Protests"))[0] == 0.0
    assert score_pair(a, _feat("c", d0=103, d1=103))[0] == 0.0
    assert score_pair(a, _feat("c", geonameid=2, lat=35.4, lon=44.4))[0] == 0.0
    assert score_pair(a, _feat("c", country="SY"))[0] == 0.0
    assert score_pair(a, _feat("c", sub_event_type="Government regains territory"))[0] >= 0.8
    assert score_pair(a, _feat("c", sub_event_type="Headquarters or base established"))[0] < 0.8
    assert score_pair(a, _feat("c", date_precision="year", d0=0, d1=365))[0] == 0.0


def test_fatality_intervals() -> None:
    assert fatality_interval({"value": 800, "qualifier": "more_than"})[0] == 801
    assert fatality_interval({"value": 10, "qualifier": "about"}) == (8.0, 12.0)
    assert fatality_interval({"value": 3, "upper": 5, "qualifier": "at_least"}) == (3.0, 5.0)
    assert fatality_interval(None) is None


def test_choose_refuses_clusters_a_user_split_off() -> None:
    f = _feat("f")
    a, b = _feat("a"), _feat("b", fatalities=(12.0, 12.0))
    scored = [("ca", a, 0.95, {}), ("cb", b, 0.85, {})]
    envs = {"ca": Envelope.of(a), "cb": Envelope.of(b)}
    link = choose(f, scored, envs, set())
    assert link is not None and (link.cluster_id, link.member) == ("ca", "a")
    link = choose(f, scored, envs, {"ca"})
    assert link is not None and link.cluster_id == "cb"
    assert choose(f, scored, envs, {"ca", "cb"}) is None


def test_event_without_place_takes_its_sentence_place(store: Store) -> None:
    a = report(
        "p1",
        "A suicide bomber killed 20 people in Mosul on Monday.",
        published=P,
        town="Mosul",
        day=D,
        killed=20,
    )
    text = "A suicide bomber killed 20 people in Mosul on Monday, officials said."
    b = report("p2", text, published=P, town=None, day=D, killed=20)
    i = text.index("Mosul")
    lat, lon, cc, gid = TOWNS["Mosul"]
    mosul = Place(
        "Mosul",
        Span("p2", i, i + 5, 0, len(text)),
        lat=lat,
        lon=lon,
        geonameid=gid,
        country=cc,
        precision=1,
        resolved_name="Mosul",
    )
    b = Extraction(document=b.document, places=(mosul,), events=b.events)
    store.write([a, b])
    cluster_new_events(store)
    assert len(clusters(store)) == 1


def test_compatible_sub_types_merge() -> None:
    a = _feat("a", event_type="Explosions/Remote violence", sub_event_type="Suicide bomb")
    b = _feat(
        "b", event_type="Explosions/Remote violence", sub_event_type="Remote explosive/landmine/IED"
    )
    c = _feat("c", event_type="Explosions/Remote violence", sub_event_type="Air/drone strike")
    assert score_pair(a, b)[0] >= 0.8 and score_pair(a, c)[0] < 0.8


def test_merged_view_through_a_read_only_reader(tmp_path: Path) -> None:
    from fftrack.store import StoreReader

    with Store.open(tmp_path / "r.db") as s:
        s.write(corpus())
        cluster_new_events(s)
    with StoreReader(tmp_path / "r.db") as reader:
        rows = merged_events(reader, Query())
        assert len(rows) == 5
        one = merged_event(reader, rows[0]["cluster_id"])
        assert one["members"] == rows[0]["members"]
