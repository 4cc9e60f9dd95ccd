"""The map's merged event rows (store.merged_map, web.mapview): the merged list and GeoJSON
answer what merging the clusters now answers (``fftrack.views.merged_events``, as the
endpoints did before the rows were stored), whether the stored rows are current, stale
or missing, through every page, with filters."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from conftest_web import build_newcomer_db  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from fftrack.store import Query, Store, merged_map  # noqa: E402
from fftrack.store.schema import LATEST_VERSION  # noqa: E402
from fftrack.views import StoreReader  # noqa: E402
from fftrack.web import create_app, geojson  # noqa: E402
from fftrack.web.mapview import encode_cursor, refresh_merged, slim_row  # noqa: E402

FILTERS = [
    {},
    {"country": "IQ"},
    {"since": "2017-03", "until": "2017-09"},
    {"type": "Battles"},
    {"bbox": "36,33,44,37"},
    {"place": "Mosul"},
]


def _walk(client: TestClient, path: str, member: str, **params: str) -> list[dict]:
    out: list[dict] = []
    query = {**params, "merged": "true"}
    for _ in range(200):
        body = client.get(path, params=query).json()
        out.extend(body[member])
        if body["next"] is None:
            return out
        query = {**params, "merged": "true", "after": body["next"]}
    raise AssertionError("paging did not end")


def _merged_now(db: Path, filters: dict[str, str]) -> list[dict]:
    with StoreReader(db) as r:
        return r.merged_events(Query.parse(**filters))


def _check(db: Path, client: TestClient) -> None:
    for filters in FILTERS:
        rows = _merged_now(db, filters)
        slim = [slim_row(r) for r in rows]
        features = [f for f in (geojson.event_feature(r) for r in rows) if f is not None]
        whole = client.get("/api/events", params={**filters, "merged": "true"}).json()
        assert whole["items"] == slim[:100] and whole["total"] == len(rows), filters
        assert _walk(client, "/api/events", "items", limit="2", **filters) == slim, filters
        fc = client.get("/api/events.geojson", params={**filters, "merged": "true"}).json()
        assert fc["features"] == features and fc["total"] == len(rows), filters
        assert fc["unlocated"] == len(rows) - len(features)
        paged = _walk(client, "/api/events.geojson", "features", limit="3", **filters)
        assert paged == features, filters
        tl = client.get("/api/timeline", params={**filters, "merged": "true"}).json()
        assert {k: v for k, v in tl.items() if k not in ("query", "merged")} == (
            geojson.timeline(rows)
        ), filters


def _stale(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return merged_map.stale_count(conn)
    finally:
        conn.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return build_newcomer_db(tmp_path / "merged.db")


def test_merged_answers_are_merging_now(db: Path) -> None:
    """Stale rows (nothing stored yet), stored rows, and stored rows some of which a
    later change made stale: every page the same as merging now."""
    assert _stale(db) > 0
    with TestClient(create_app(db, cache_bytes=0)) as c:
        _check(db, c)  # every row merged when asked for
        with Store.open(db) as store:
            assert refresh_merged(store) > 0
        assert _stale(db) == 0
        _check(db, c)  # every row stored
        with Store.open(db) as store:  # two reports joined: their clusters are stale
            ids = [
                r[0]
                for r in store.conn.execute(
                    "SELECT id FROM events WHERE place_name = 'Raqqa' ORDER BY id"
                )
            ]
            store.set_cluster([(i, "cluster-raqqa") for i in ids])
        assert _stale(db) == len(ids) + 1
        _check(db, c)
        raqqa = [
            i
            for i in c.get("/api/events", params={"merged": "true", "place": "Raqqa"}).json()[
                "items"
            ]
        ]
        assert len(raqqa) == 1 and raqqa[0]["n_sources"] == len(ids)


def test_triggers_mark_what_changed(db: Path) -> None:
    with Store.open(db) as store:
        refresh_merged(store)
        conn = store.conn
        mosul = [r[0] for r in conn.execute("SELECT id FROM events WHERE cluster_id IS NOT NULL")]
        assert len(mosul) == 2
        # a member leaves its cluster: the cluster and the event's own key are stale
        store.set_cluster([(mosul[0], None)])
        stale = {r[0] for r in conn.execute("SELECT cluster_key FROM event_merged_stale")}
        assert stale == {"cluster-mosul", mosul[0]}
        refresh_merged(store)
        # a document deleted: its events' keys are stale, then their rows are gone
        conn.execute("DELETE FROM documents WHERE id = 'doc-mosul-2'")
        assert _stale(db) == 1
        refresh_merged(store)
        keys = {r[0] for r in conn.execute("SELECT cluster_key FROM event_merged")}
        expected = {r[0] for r in conn.execute("SELECT COALESCE(cluster_id, id) FROM events")}
        assert keys == expected


def test_migration_marks_every_cluster_stale(db: Path) -> None:
    """A store written before migration 9: every cluster's row is stale until refreshed."""
    conn = sqlite3.connect(db)
    for op in ("ai", "au", "ad"):
        conn.execute(f"DROP TRIGGER event_merged_{op}")
    conn.execute("DROP TABLE event_merged")
    conn.execute("DROP TABLE event_merged_stale")
    conn.execute("DELETE FROM schema_migrations WHERE version >= 9")
    conn.commit()
    n_keys = conn.execute("SELECT COUNT(DISTINCT COALESCE(cluster_id, id)) FROM events").fetchone()
    conn.close()
    with Store.open(db) as store:
        assert store.schema_version() == LATEST_VERSION
        assert _stale(db) == n_keys[0]
        assert refresh_merged(store) == n_keys[0]
    with TestClient(create_app(db, cache_bytes=0)) as c:
        _check(db, c)


def test_merged_cursors(db: Path) -> None:
    with Store.open(db) as store:
        refresh_merged(store)
    with TestClient(create_app(db, cache_bytes=0)) as c:
        first = c.get("/api/events", params={"merged": "true", "limit": 5}).json()
        by_key = c.get(
            "/api/events", params={"merged": "true", "limit": 5, "after": first["next"]}
        ).json()
        # the offset cursor an older server gave is still taken
        by_offset = c.get(
            "/api/events", params={"merged": "true", "limit": 5, "after": encode_cursor(5)}
        ).json()
        assert by_key["items"] == by_offset["items"] and len(by_key["items"]) == 5
        assert by_key["next"] == by_offset["next"]
        plain = c.get("/api/events", params={"merged": "true", "after": first["next"] + "x"})
        assert plain.status_code == 422


def test_undated_clusters_come_last(db: Path) -> None:
    """Clusters in order of their earliest date, those without one last (event_map's own
    ``ds`` column once shadowed the page's ``ds`` and put them first)."""
    rows = _merged_now(db, {})
    dates = [r["date_start"] for r in rows]
    assert dates[-1] is None and all(d is not None for d in dates[:-1])
    with TestClient(create_app(db, cache_bytes=0)) as c:
        items = c.get("/api/events", params={"merged": "true", "limit": 1000}).json()["items"]
    assert [i["id"] for i in items] == [r["id"] for r in rows]


def test_merged_pages_read_by_index(db: Path) -> None:
    """EXPLAIN QUERY PLAN: an unfiltered page is a range of event_merged_order, a filtered
    one a pass over the narrow event_map_merged (no wide row read to group)."""
    from fftrack.store.query import where_clause

    with Store.open(db) as store:
        refresh_merged(store)
        conn = store.conn
        plan = " / ".join(
            r[3]
            for r in conn.execute(
                "EXPLAIN QUERY PLAN SELECT ds, cluster_key, slim FROM event_merged INDEXED BY"
                f" {merged_map._ORDER} WHERE (ds, cluster_key) > (?, ?)"
                " ORDER BY ds, cluster_key LIMIT 10",
                ("2017", "x"),
            )
        )
        assert "SEARCH event_merged USING INDEX event_merged_order" in plan
        assert "TEMP B-TREE" not in plan
        where, params = where_clause("events", Query.parse(type="Battles"))
        plan = " / ".join(
            r[3]
            for r in conn.execute(
                "EXPLAIN QUERY PLAN SELECT COALESCE(MIN(date_start), '~'), cluster_key FROM"
                f" event_map INDEXED BY event_map_merged{where} GROUP BY cluster_key",
                params,
            )
        )
        assert "COVERING INDEX event_map_merged" in plan and "GROUP BY" not in plan


def test_event_detail_pages_its_sources(db: Path) -> None:
    """Issue 18: the detail of a large cluster comes a page of sources at a time."""
    with Store.open(db) as store:
        ids = [
            r[0]
            for r in store.conn.execute("SELECT id FROM events WHERE document_id LIKE 'doc-bulk-%'")
        ]
        store.set_cluster([(i, "cluster-bulk") for i in ids])
    with StoreReader(db) as r:
        every = r.merged_event("cluster-bulk", sources_limit=None)["sources"]
    assert len(every) == len(ids) == 60
    with TestClient(create_app(db, cache_bytes=0)) as c:
        got = []
        for offset in range(0, 60, 25):
            body = c.get(
                "/api/events/cluster-bulk",
                params={"sources_limit": 25, "sources_offset": offset},
            ).json()
            assert body["sources_total"] == 60 and body["sources_offset"] == offset
            assert len(body["members"]) == 60
            got.extend(body["sources"])
        assert got == every
        assert len(c.get("/api/events/cluster-bulk").json()["sources"]) == 60
        for bad in ({"sources_limit": 0}, {"sources_limit": "x"}, {"sources_offset": -1}):
            r = c.get("/api/events/cluster-bulk", params=bad)
            assert r.status_code == 422 and "sources_" in r.json()["detail"], bad


def test_cluster_named_as_one_of_its_events(db: Path) -> None:
    """A cluster id that is also a member's event id (a hand-set cluster) is still one
    stored row, the one merging now gives."""
    with Store.open(db) as store:
        ids = [
            r[0]
            for r in store.conn.execute(
                "SELECT id FROM events WHERE place_name = 'Aleppo' ORDER BY id DESC"
            )
        ]
        store.set_cluster([(i, ids[0]) for i in ids])
        refresh_merged(store)
    with TestClient(create_app(db, cache_bytes=0)) as c:
        _check(db, c)


def test_an_ingest_stores_the_merged_rows(tmp_path: Path) -> None:
    """run_ingest refreshes the merged rows after each batch: none is left stale."""
    import json

    from conftest_web import sample_extractions

    from fftrack.runner import run_ingest

    by_id = {x.document.id: x for x in sample_extractions()}
    inputs = tmp_path / "in.jsonl"
    inputs.write_text(
        "\n".join(json.dumps({"id": i, "text": x.document.text}) for i, x in by_id.items()),
        encoding="utf-8",
    )

    def extract(documents):
        return [(d, by_id[d.id], None) for d in documents]

    db = tmp_path / "ingested.db"
    stale_after_batch: list[int] = []
    with Store.open(db) as store:
        report = run_ingest(
            [inputs],
            store=store,
            extract=extract,
            batch_size=2,
            cluster=False,
            progress=lambda n: stale_after_batch.append(_stale(db)),
        )
    assert report.stored["events"] == 4 and _stale(db) == 0
    assert stale_after_batch == [0, 0, 0]
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM event_merged").fetchone()[0] == 4
    conn.close()
    with TestClient(create_app(db, cache_bytes=0)) as c:
        _check(db, c)
