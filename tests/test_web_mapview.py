"""The map's slim event rows (store.mapview, web.mapview): kept in step with the events,
paged by cursor, the same events and order as offset paging, slim (no sources)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from conftest_web import build_sample_db  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from fftrack.store import Store  # noqa: E402
from fftrack.web import create_app  # noqa: E402
from fftrack.web.mapview import decode_cursor, encode_cursor  # noqa: E402

SLIM_KEYS = {
    "id",
    "event_type",
    "sub_event_type",
    "date",
    "date_precision",
    "date_start",
    "date_end",
    "place",
    "country",
    "place_precision",
    "lat",
    "lon",
    "actors",
    "fatalities",
    "fatalities_qualifier",
    "confidence",
    "document_id",
    "cluster_id",
    "n_sources",
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_db(tmp_path_factory.mktemp("mapview") / "web.db")


@pytest.fixture(scope="module")
def client(db: Path):
    with TestClient(create_app(db, cache_bytes=0)) as c:
        yield c


def _map_ids(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM event_map ORDER BY ds, de, id")]
    finally:
        conn.close()


def _walk(client: TestClient, path: str, member: str, **params: str) -> list[dict]:
    """Every row of every page, following ``next``."""
    out: list[dict] = []
    query = dict(params)
    for _ in range(100):
        body = client.get(path, params=query).json()
        out.extend(body[member])
        if body["next"] is None:
            return out
        query = {**params, "after": body["next"]}
    raise AssertionError("paging did not end")


def test_list_rows_are_slim(client: TestClient) -> None:
    body = client.get("/api/events").json()
    assert body["total"] == 4 and body["returned"] == 4 and body["next"] is None
    for item in body["items"]:
        assert set(item) == SLIM_KEYS  # no sources, sentences or spans
    raqqa = next(i for i in body["items"] if i["place"] == "Raqqa")
    assert (raqqa["lat"], raqqa["lon"]) == (35.9528, 39.0079)
    assert raqqa["fatalities"] == 12 and raqqa["actors"] == ["Islamic State"]
    assert raqqa["n_sources"] == 1 and raqqa["document_id"] == "doc-raqqa"
    unlocated = [i for i in body["items"] if i["lat"] is None]
    assert len(unlocated) == 1 and unlocated[0]["lon"] is None


def test_cursor_pages_give_what_offset_pages_give(client: TestClient) -> None:
    by_offset = [
        client.get("/api/events", params={"limit": 1, "offset": k}).json()["items"][0]["id"]
        for k in range(4)
    ]
    by_cursor = [i["id"] for i in _walk(client, "/api/events", "items", limit="1")]
    assert by_cursor == by_offset and len(set(by_cursor)) == 4
    full = [i["id"] for i in client.get("/api/events").json()["items"]]
    assert full == by_offset
    # a page that ends on the last event says so; one row short of it, it does not
    assert client.get("/api/events", params={"limit": 4}).json()["next"] is None
    last_but_one = client.get("/api/events", params={"limit": 3}).json()
    assert last_but_one["returned"] == 3 and last_but_one["next"] is not None
    # a closed date range reads its rows from the dates' index: the same rows, in order
    ranged = client.get("/api/events", params={"since": "2017-07-01", "until": "2017-08-31"})
    got = [i["id"] for i in ranged.json()["items"]]
    every = client.get("/api/events").json()["items"]
    assert got == [
        i["id"]
        for i in every
        if i["date_start"] and i["date_start"] <= "2017-08-31" and i["date_end"] >= "2017-07-01"
    ]
    bbox = {"bbox": "30,30,50,40", "limit": 1}  # a box alone: counted from the box's index
    boxed = client.get("/api/events.geojson", params=bbox).json()
    assert (
        boxed["total"] == client.get("/api/events", params={"bbox": "30,30,50,40"}).json()["total"]
    )
    # filters apply to every page
    sy = [i["id"] for i in _walk(client, "/api/events", "items", limit="1", country="SY")]
    assert len(sy) == 2 and sy == [
        i["id"] for i in client.get("/api/events", params={"country": "SY"}).json()["items"]
    ]


def test_geojson_pages(client: TestClient) -> None:
    first = client.get("/api/events.geojson", params={"limit": 2}).json()
    assert first["total"] == 4 and first["unlocated"] == 1
    assert first["returned"] == 2 and first["next"] is not None
    features = _walk(client, "/api/events.geojson", "features", limit="2")
    assert len(features) == 3 and len({f["id"] for f in features}) == 3
    assert all(f["geometry"]["type"] == "Point" for f in features)
    assert all(set(f["properties"]) == SLIM_KEYS for f in features)
    whole = client.get("/api/events.geojson").json()
    assert [f["id"] for f in whole["features"]] == [f["id"] for f in features]
    assert whole["next"] is None and whole["limit"] == 250


def test_bad_cursor_is_422(client: TestClient) -> None:
    for bad in ("nope", "!!!", encode_cursor(("a", "b", "c"))[:-2] + "%%", "W10"):
        r = client.get("/api/events", params={"after": bad})
        assert r.status_code == 422 and "after" in r.json()["detail"], bad
    r = client.get("/api/events", params={"after": "x" * 600})
    assert r.status_code == 422
    cur = encode_cursor(("2017-06-05", "2017-06-05", "abc"))
    assert decode_cursor(cur) == ("2017-06-05", "2017-06-05", "abc")
    r = client.get("/api/events", params={"after": cur, "merged": "true"})
    assert r.status_code == 422 and "merged" in r.json()["detail"]
    r = client.get("/api/events", params={"after": encode_cursor(2), "merged": "false"})
    assert r.status_code == 422


def test_merged_pages(client: TestClient) -> None:
    by_page = _walk(client, "/api/events", "items", limit="1", merged="true")
    whole = client.get("/api/events", params={"merged": "true"}).json()
    assert [i["id"] for i in by_page] == [i["id"] for i in whole["items"]]
    assert len(by_page) == whole["total"] and whole["next"] is None
    assert all(set(i) == SLIM_KEYS for i in by_page)
    features = _walk(client, "/api/events.geojson", "features", limit="1", merged="true")
    assert len(features) == whole["total"] - 1  # one is unlocated


def test_event_map_follows_the_events(tmp_path: Path) -> None:
    db = build_sample_db(tmp_path / "s.db")
    conn = sqlite3.connect(db)
    events = sorted(r[0] for r in conn.execute("SELECT id FROM events"))
    conn.close()
    assert sorted(_map_ids(db)) == events
    with TestClient(create_app(db, cache_bytes=0)) as c:
        items = {i["place"]: i for i in c.get("/api/events").json()["items"]}
        # a cluster without a row of its own: its documents are counted from the events
        store = Store.open(db)
        try:
            store.set_cluster([(items["Raqqa"]["id"], "k1"), (items[None]["id"], "k1")])
        finally:
            store.close()
        again = {i["place"]: i for i in c.get("/api/events").json()["items"]}
        assert again["Raqqa"]["cluster_id"] == "k1" and again["Raqqa"]["n_sources"] == 2
        assert again["Mosul"]["n_sources"] == 1 and again["Mosul"]["cluster_id"] is None
        # a document deleted: its events leave the map
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("DELETE FROM documents WHERE id = 'doc-raqqa'")
        conn.commit()
        conn.close()
        body = c.get("/api/events").json()
        assert body["total"] == 3 and "Raqqa" not in {i["place"] for i in body["items"]}
    assert len(_map_ids(db)) == 3


def test_migration_fills_the_map_of_an_older_store(tmp_path: Path) -> None:
    """A store written before migration 8: its events are copied when it is opened."""
    db = build_sample_db(tmp_path / "old.db")
    conn = sqlite3.connect(db)
    for t in ("event_map", "event_merged"):
        for op in ("ai", "au", "ad"):
            conn.execute(f"DROP TRIGGER {t}_{op}")
    for t in ("event_map", "event_merged", "event_merged_stale"):
        conn.execute(f"DROP TABLE {t}")
    conn.execute("DELETE FROM schema_migrations WHERE version >= 8")
    conn.commit()
    conn.close()
    with TestClient(create_app(db, cache_bytes=0)) as c:  # the reader migrates it
        assert c.get("/api/events").json()["total"] == 4
        assert c.get("/api/events.geojson").json()["returned"] == 3
    assert len(_map_ids(db)) == 4


def test_timeline_counts_in_the_store(client: TestClient) -> None:
    tl = client.get("/api/timeline").json()
    assert sum(sum(v) for v in tl["counts"].values()) + tl["undated_or_coarse"] == 4
    sy = client.get("/api/timeline", params={"country": "SY"}).json()
    assert sum(sum(v) for v in sy["counts"].values()) + sy["undated_or_coarse"] == 2


@pytest.mark.parametrize(
    "filters",
    [{}, {"country": "IQ"}, {"since": "2017-03", "until": "2017-09"}, {"type": "Battles"}],
)
def test_merged_timeline_in_the_store_is_resolves(tmp_path_factory, filters: dict) -> None:
    """The merged timeline counted in SQL gives what merging the rows in Python gives."""
    from conftest_web import build_newcomer_db

    from fftrack.store import Query
    from fftrack.views import StoreReader
    from fftrack.web import geojson, mapview

    db = build_newcomer_db(tmp_path_factory.mktemp("tl") / "n.db")
    with StoreReader(db) as r:
        q = Query.parse(**filters)
        assert mapview.event_timeline(r, q, True) == geojson.timeline(r.merged_events(q))
        assert mapview.event_timeline(r, q) == geojson.timeline(r.events(q))
