"""resolve.cluster (v3 and on) at scale: clusters are events (no chaining), the work per new report
is its block candidates only, only deciding edges are stored, old stores upgrade, and a
large cluster's sources are paged. Records are built by hand (no model)."""

from __future__ import annotations

import math
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from fftrack import cli as cli_module
from fftrack.records import Actor, Document, Event, Extraction, Place, Quantity, Span, TimeRef
from fftrack.resolve import cluster_new_events, split
from fftrack.resolve.cluster import (
    ALGORITHM,
    DAY_SPAN_DAYS,
    MAX_SPREAD_KM,
    TOWN_SPREAD_KM,
    Envelope,
    haversine_km,
)
from fftrack.store import Query, Store
from fftrack.store import clusters as sql
from fftrack.store.migrations import migrate
from fftrack.store.schema import LATEST_VERSION
from fftrack.store.writer import Store as Writer
from fftrack.views import StoreReader, merged_event, merged_events

D = date(2018, 3, 1)


def report(
    doc_id: str,
    lat: float,
    lon: float,
    day: date,
    *,
    town: str = "Town",
    killed: int = 10,
    sub: str = "Shelling/artillery/missile attack",
    precision: int = 1,
) -> Extraction:
    text = f"Shelling hit {town} on {day.isoformat()}, killing {killed} people."
    doc = Document(id=doc_id, text=text, published=day + timedelta(days=1), source=doc_id)
    i = text.index(town)
    place = Place(
        town,
        Span(doc_id, i, i + len(town), 0, len(text)),
        lat=lat,
        lon=lon,
        geonameid=abs(round(lat * 1000)) * 1000 + abs(round(lon * 1000)) % 1000,
        country="SY",
        precision=precision,
        resolved_name=town,
        admin1="Idlib",
        confidence=0.9,
    )
    ev = Event(
        "Explosions/Remote violence",
        sub,
        Span(doc_id, 0, 8, 0, len(text)),
        TimeRef(day, day, "day"),
        place,
        (Actor("SAA", Span(doc_id, 0, 1, 0, len(text)), normalized="Syrian Army"),),
        Quantity(killed),
        confidence=0.7,
    )
    return Extraction(document=doc, events=(ev,))


def members(store: Store) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for eid, cid in store.conn.execute("SELECT id, cluster_id FROM events ORDER BY id"):
        out.setdefault(cid, []).append(eid)
    return out


def shape(store: Store, ids: list[str]) -> tuple[float, int]:
    """Max distance (km) and date span (days) between members."""
    marks = ",".join("?" * len(ids))
    rows = store.conn.execute(
        f"SELECT lat, lon, date_start FROM events WHERE id IN ({marks})", ids
    ).fetchall()
    km = max(
        (haversine_km(a[0], a[1], b[0], b[1]) for a in rows for b in rows),
        default=0.0,
    )
    days = [date.fromisoformat(r[2]) for r in rows]
    return km, (max(days) - min(days)).days


@pytest.fixture()
def store(tmp_path: Path):
    with Store.open(tmp_path / "s.db") as s:
        yield s


def test_a_chain_of_near_misses_in_space_never_merges(store: Store) -> None:
    # 12 towns 8 km apart on a line, shelled the same day: each scores a match with its
    # neighbours, so the connected component of matches is the whole 90 km line
    step = 8.0 / 111.0
    store.write([report(f"t{k:02d}", 35.0 + k * step, 36.6, D, town=f"T{k}") for k in range(12)])
    cluster_new_events(store)
    groups = members(store)
    assert len(groups) > 1
    for ids in groups.values():
        km, _ = shape(store, ids)
        assert km <= TOWN_SPREAD_KM + 0.01


def test_a_chain_of_near_misses_in_time_never_merges(store: Store) -> None:
    # the same town shelled every day for two weeks, the same toll each time
    store.write([report(f"d{k:02d}", 35.9, 36.6, D + timedelta(days=k)) for k in range(14)])
    cluster_new_events(store)
    groups = members(store)
    assert len(groups) >= 14 // (DAY_SPAN_DAYS + 1)
    for ids in groups.values():
        assert shape(store, ids)[1] <= DAY_SPAN_DAYS


def test_envelope_refuses_what_would_stretch_the_cluster() -> None:
    env = Envelope("violence", "SY", 35.0, 35.05, 36.6, 36.6, 6269, 6269, None, None, 10.0, 2)
    assert env.spread_km() == pytest.approx(5.56, abs=0.1)
    wide = Envelope("violence", "SY", 35.0, 35.4, 36.6, 36.6, 6269, 6269, None, None, 50.0, 7)
    assert wide.merged(env) is not None
    far = Envelope("violence", "SY", 35.6, 35.6, 36.6, 36.6, 6269, 6269, None, None, 10.0, 2)
    assert env.merged(far) is None  # 67 km: two events
    later = Envelope("violence", "SY", 35.0, 35.0, 36.6, 36.6, 6275, 6275, None, None, 10.0, 2)
    assert env.merged(later) is None  # six days apart
    assert env.merged(Envelope("demonstrations")) is None


def test_duplicates_still_merge_and_only_deciding_edges_are_kept(store: Store) -> None:
    # five reports of one shelling, ten other shellings elsewhere the same week
    exs = [report(f"s{k}", 35.9, 36.6, D, town="Saraqib", killed=10 + k % 2) for k in range(5)]
    exs += [
        report(f"o{k}", 33.0 + k * 0.5, 38.0, D + timedelta(days=k % 5), town=f"O{k}")
        for k in range(10)
    ]
    store.write(exs)
    cluster_new_events(store)
    groups = members(store)
    sizes = sorted(len(g) for g in groups.values())
    assert sizes == [1] * 10 + [5]
    edges = store.conn.execute(
        "SELECT kind, algorithm, score, features FROM cluster_edges"
    ).fetchall()
    # one edge per report that joined a cluster, none for pairs that decided nothing
    assert len(edges) == 4
    assert all(e[0] == "auto" and e[1] == ALGORITHM and e[2] >= 0.8 for e in edges)
    assert all('"cluster_spread_km"' in e[3] and '"place"' in e[3] for e in edges)


def test_new_report_reads_only_its_candidates(store: Store, monkeypatch) -> None:
    # a store covering 200 days; a new report reads the events of its own block only
    store.write(
        [
            report(
                f"f{k:03d}",
                34.0 + (k % 10) * 0.3,
                37.0 + (k // 10 % 4) * 0.3,
                D + timedelta(days=k),
            )
            for k in range(200)
        ]
    )
    cluster_new_events(store)
    loaded: list[str] = []
    real = sql.load_events

    def counting(conn: sqlite3.Connection, ids):  # type: ignore[no-untyped-def]
        loaded.extend(ids)
        return real(conn, ids)

    monkeypatch.setattr(sql, "load_events", counting)
    new = report("new", 34.0, 37.0, D + timedelta(days=100))
    store.write([new])
    cluster_new_events(store, [new.events[0].id])
    assert 1 <= len(set(loaded)) <= 5


def test_split_keeps_a_report_out_and_renames_nothing_else(store: Store) -> None:
    exs = [report(f"s{k}", 35.9, 36.6, D, town="Saraqib") for k in range(3)]
    store.write(exs)
    cluster_new_events(store)
    ids = sorted(e.events[0].id for e in exs)
    split(store, ids[0])
    groups = {frozenset(g) for g in members(store).values()}
    assert frozenset({ids[0]}) in groups and frozenset(ids[1:]) in groups
    # a later duplicate joins the rest, never the report the user split off
    late = report("s9", 35.9, 36.6, D, town="Saraqib")
    store.write([late])
    cluster_new_events(store)
    groups = {frozenset(g) for g in members(store).values()}
    assert frozenset({ids[0]}) in groups
    assert frozenset([*ids[1:], late.events[0].id]) in groups


def test_old_store_upgrades_and_the_next_run_reclusters(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(str(path), isolation_level=None)
    migrate(conn, target=5)
    exs = [report(f"s{k}", 35.9, 36.6, D, town="Saraqib") for k in range(3)]
    Writer(conn, path).write(exs)
    ids = sorted(e.events[0].id for e in exs)
    # what v1 left: one connected component, an auto edge per pair, a user's split
    conn.execute(
        "INSERT INTO event_clusters VALUES ('c-old', ?, 3, 3, '2018-03-01', '2018-03-01',"
        " 'resolve.cluster.v1', 'then')",
        (ids[0],),
    )
    conn.execute("UPDATE events SET cluster_id = 'c-old'")
    for a, b, kind in (
        (ids[0], ids[1], "auto"),
        (ids[1], ids[2], "auto"),
        (ids[0], ids[2], "user_split"),
    ):
        conn.execute(
            "INSERT INTO cluster_edges VALUES (?, ?, ?, 0.9, 'x', NULL, 'then')", (a, b, kind)
        )
    conn.close()
    with Store.open(path) as s:
        assert s.schema_version() == LATEST_VERSION
        kinds = [r[0] for r in s.conn.execute("SELECT kind FROM cluster_edges")]
        assert kinds == ["user_split"]
        assert (
            s.conn.execute("SELECT COUNT(*) FROM events WHERE cluster_id IS NULL").fetchone()[0]
            == 3
        )
        assert cluster_new_events(s) == 3
        groups = {frozenset(g) for g in members(s).values()}
        # the user's split survives the upgrade
        assert not any(ids[0] in g and ids[2] in g for g in groups)
        algos = {r[0] for r in s.conn.execute("SELECT algorithm FROM event_clusters")}
        assert algos == {ALGORITHM}


def test_show_and_merged_rows_page_a_large_cluster(tmp_path: Path) -> None:
    path = tmp_path / "big.db"
    with Store.open(path) as s:
        s.write([report(f"s{k:02d}", 35.9, 36.6, D, town="Saraqib") for k in range(12)])
        cluster_new_events(s)
        assert len(members(s)) == 1
        cid = next(iter(members(s)))
        full = merged_event(s.conn, cid, sources_limit=None)
        assert len(full["sources"]) == 12 and full["sources_total"] == 12
        page = merged_event(s.conn, full["cluster_id"], sources_limit=5, sources_offset=10)
        assert [x["event_id"] for x in page["sources"]] == [
            x["event_id"] for x in full["sources"][10:]
        ]
        assert page["sources_total"] == 12 and page["n_sources"] == 12
        assert (
            len(page["members"]) == 12
            and page["fatalities_reported"] == full["fatalities_reported"]
        )
        assert all(e["a"] in page["members"] for e in page["edges"])
        rows = merged_events(s.conn, Query(), sources_limit=3)
        assert len(rows) == 1 and len(rows[0]["sources"]) == 3
    with StoreReader(path) as r:
        assert r.merged_count() == 1 == len(r.merged_events())
        assert r.merged_event(full["cluster_id"], sources_limit=4)["sources_total"] == 12
    out = CliRunner().invoke(
        cli_module.cli,
        ["show", full["cluster_id"], "--db", str(path), "--sources", "4", "--sources-offset", "4"],
        catch_exceptions=False,
    )
    assert out.exit_code == 0, out.output
    assert "sources (5-8 of 12" in out.output


def test_cluster_spread_is_at_most_the_cap_on_a_dense_front(store: Store) -> None:
    # 36 towns 8-9 km apart shelled over a week, three reports each; some by district
    exs = []
    for k in range(36):
        lat, lon = 35.0 + (k % 6) * 0.08, 40.0 + (k // 6) * 0.09
        day = D + timedelta(days=k % 7)
        for r in range(3):
            prec = 2 if r == 2 and k % 4 == 0 else 1
            exs.append(report(f"n{k:02d}{r}", lat, lon, day, town=f"N{k}", precision=prec))
    store.write(exs)
    cluster_new_events(store)
    for ids in members(store).values():
        km, days = shape(store, ids)
        assert km <= MAX_SPREAD_KM and days <= 7
        assert math.isfinite(km)


def test_a_province_named_alone_joins_only_near_the_events_places(store: Store) -> None:
    town = [report(f"t{k}", 35.9, 36.6, D, town="Saraqib") for k in range(2)]
    # the province's centroid 25 km away: the same event; 120 km away: not provable
    near = report("pn", 35.9 + 25 / 111, 36.6, D, town="Idlib", precision=3)
    far = report("pf", 35.9 + 120 / 111, 36.6, D, town="Idlib", precision=3)
    store.write(town)
    cluster_new_events(store)
    store.write([near, far])
    cluster_new_events(store)
    groups = {frozenset(g) for g in members(store).values()}
    ids = {e.document.id: e.events[0].id for e in [*town, near, far]}
    assert frozenset({ids["t0"], ids["t1"], ids["pn"]}) in groups
    assert frozenset({ids["pf"]}) in groups


def test_partners_of_a_batch_are_each_event_s_partners(store: Store) -> None:
    """The clusterer reads the user's judgements about a batch of new events in one go:
    the same partners, per event and kind, as one read per event gives."""
    exs = [report(f"p{k}", 35.9, 36.6, D, town="Saraqib") for k in range(4)]
    store.write(exs)
    ids = sorted(e.events[0].id for e in exs)
    repo = store.clusters()
    with repo.transaction():
        repo.add_edges(
            [
                (ids[0], ids[1], "user_split", None, "user", None),
                (ids[2], ids[0], "user_split", None, "user", None),
                (ids[1], ids[3], "user_merge", 1.0, "user", None),
                (ids[0], ids[3], "auto", 0.9, "x", None),
            ],
            "now",
        )
    for kind in ("user_split", "user_merge", "auto"):
        expected = {e: repo.partners(e, kind) for e in ids if repo.partners(e, kind)}
        assert repo.partners_of([*ids, ids[0], "none"], kind) == expected
        assert sql.partners_of(store.conn, ids[:1], kind) == {
            k: v for k, v in expected.items() if k == ids[0]
        }
    assert repo.partners_of(ids, "user_split")[ids[0]] == sorted([ids[1], ids[2]])
