"""The HTTP API over a hand-made store: counts per filter, GeoJSON, records, 422s, headers."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("fftrack.store")

from conftest_web import XSS_IMG, XSS_SCRIPT, build_newcomer_db, build_sample_db  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from fftrack.config import load_config  # noqa: E402
from fftrack.errors import ConfigError, StoreError  # noqa: E402
from fftrack.web import create_app  # noqa: E402


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_db(tmp_path_factory.mktemp("web") / "web.db")


@pytest.fixture(scope="module")
def client(db: Path):
    with TestClient(create_app(db)) as c:
        yield c


def test_missing_store_fails_fast(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        create_app(tmp_path / "nope.db")


@pytest.mark.parametrize(
    ("path", "params", "total"),
    [
        ("/api/events", {}, 4),
        ("/api/events", {"country": "SY"}, 2),
        ("/api/events", {"country": "iq"}, 1),
        ("/api/events", {"type": "Battles"}, 2),
        ("/api/events", {"since": "2017-07-01"}, 3),
        ("/api/events", {"until": "2017-07"}, 2),
        ("/api/events", {"since": "2017-07-01", "until": "2017-08-31"}, 2),
        ("/api/events", {"since": "2017"}, 4),
        ("/api/events", {"place": "raqqa"}, 1),
        ("/api/events", {"actor": "islamic state"}, 1),
        ("/api/events", {"bbox": "36,35,40,37"}, 2),
        ("/api/events", {"bbox": "42,35,45,37"}, 1),
        ("/api/movements", {}, 3),
        ("/api/movements", {"country": "GB"}, 1),
        ("/api/movements", {"place": "Istanbul"}, 2),
        ("/api/movements", {"since": "2017-09-01"}, 2),
        ("/api/figures", {}, 2),
        ("/api/figures", {"country": "GB"}, 1),
        ("/api/actors", {}, 4),
        ("/api/places", {"country": "TR"}, 3),
    ],
)
def test_filters_count(client: TestClient, path: str, params: dict, total: int) -> None:
    r = client.get(path, params=params)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == total
    assert len(body["items"]) == min(total, body["limit"])


def test_limit_offset_pages(client: TestClient) -> None:
    first = client.get("/api/events", params={"limit": 2}).json()
    second = client.get("/api/events", params={"limit": 2, "offset": 2}).json()
    assert first["total"] == second["total"] == 4
    ids = [e["id"] for e in first["items"] + second["items"]]
    assert len(set(ids)) == 4


@pytest.mark.parametrize(
    ("path", "params", "word"),
    [
        ("/api/events", {"since": "2017-13-01"}, "since"),
        ("/api/events", {"since": "yesterday"}, "since"),
        ("/api/events", {"until": "2017-02-30"}, "until"),
        ("/api/events", {"since": "2018-01-01", "until": "2017-01-01"}, "after"),
        ("/api/events", {"bbox": "1,2,3"}, "bbox"),
        ("/api/events", {"bbox": "a,b,c,d"}, "bbox"),
        ("/api/events", {"bbox": "0,95,10,10"}, "bbox"),
        ("/api/events", {"bbox": "0,10,10,5"}, "bbox"),
        ("/api/events", {"bbox": "nan,0,1,1"}, "bbox"),
        ("/api/events", {"limit": "0"}, "limit"),
        ("/api/events", {"limit": "-5"}, "limit"),
        ("/api/events", {"limit": "ten"}, "limit"),
        ("/api/events", {"limit": "99999999999"}, "limit"),
        ("/api/events", {"offset": "-1"}, "offset"),
        ("/api/events", {"country": "Syria"}, "country"),
        ("/api/events", {"place": "x" * 500}, "place"),
        ("/api/events.geojson", {"since": "2017-99"}, "since"),
        ("/api/movements.geojson", {"bbox": "0,0"}, "bbox"),
        ("/api/figures", {"bbox": "0,0,10,10"}, "bbox"),
        ("/api/timeline", {"limit": "x"}, "limit"),
    ],
)
def test_bad_input_is_422_with_message(
    client: TestClient, path: str, params: dict, word: str
) -> None:
    r = client.get(path, params=params)
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert isinstance(detail, str) and word in detail


def test_events_geojson(client: TestClient) -> None:
    r = client.get("/api/events.geojson")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/geo+json")
    fc = r.json()
    assert fc["type"] == "FeatureCollection"
    assert fc["total"] == 4 and fc["returned"] == 3 and fc["unlocated"] == 1
    by_place = {f["properties"]["place"]: f for f in fc["features"]}
    raqqa = by_place["Raqqa"]
    assert raqqa["geometry"] == {"type": "Point", "coordinates": [39.0079, 35.9528]}
    assert raqqa["properties"]["fatalities"] == 12
    assert raqqa["properties"]["event_type"] == "Battles"
    assert raqqa["properties"]["actors"] == ["Islamic State"]
    filtered = client.get("/api/events.geojson", params={"country": "IQ"}).json()
    assert [f["properties"]["place"] for f in filtered["features"]] == ["Mosul"]


def test_movements_geojson_linestrings(client: TestClient) -> None:
    fc = client.get("/api/movements.geojson").json()
    assert fc["returned"] == 3
    lines = {
        (f["properties"]["origin"], f["properties"]["destination"]): f["geometry"]
        for f in fc["features"]
    }
    assert all(g["type"] == "LineString" for g in lines.values())
    assert len(lines[("Istanbul", "Raqqa")]["coordinates"]) in (2, 3)
    assert ("London", "Raqqa") in lines
    via = [f for f in fc["features"] if len(f["geometry"]["coordinates"]) == 3]
    assert via and via[0]["geometry"]["coordinates"][1] == [37.3825, 37.0594]


def test_record_with_sources(client: TestClient) -> None:
    ev = client.get("/api/events", params={"place": "Raqqa"}).json()["items"][0]
    r = client.get(f"/api/records/{ev['id']}")
    assert r.status_code == 200
    rec = r.json()
    assert rec["kind"] == "event"
    src = rec["sources"][0]
    assert src["sentence"].startswith("On 5 June 2017, Islamic State fighters attacked")
    span = src["sentence"][
        src["start"] - src["sentence_start"] : src["end"] - src["sentence_start"]
    ]
    assert span == "attacked army positions in Raqqa, killing 12 soldiers"


def test_record_errors(client: TestClient) -> None:
    assert client.get("/api/records/0000000000000000").status_code == 404
    r = client.get("/api/records/bad%20id%3Cx%3E")
    assert r.status_code == 422 and "record id" in r.json()["detail"]


def test_untrusted_text_is_json_text(client: TestClient) -> None:
    ev = client.get("/api/events", params={"type": "Protests"}).json()["items"][0]
    r = client.get(f"/api/records/{ev['id']}")
    assert r.headers["content-type"].startswith("application/json")
    assert r.headers["x-content-type-options"] == "nosniff"
    src = r.json()["sources"][0]
    assert XSS_SCRIPT in src["sentence"] and XSS_IMG in src["sentence"]
    assert XSS_SCRIPT in src["title"]


def test_summaries(client: TestClient) -> None:
    tl = client.get("/api/timeline").json()
    assert tl["weeks"][0] == "2017-06-05"
    assert sum(sum(v) for v in tl["counts"].values()) == 4
    assert tl["counts"]["Battles"][0] == 1
    fig = client.get("/api/figures/by-origin").json()["items"]
    assert {g["origin"] for g in fig} == {"GB", None}
    gb = next(g for g in fig if g["origin"] == "GB")
    assert gb["max_value"] == 800 and gb["max_qualifier"] == "more_than"
    stats = client.get("/api/stats").json()
    assert stats["events"] == 4


def test_security_headers_and_page(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "default-src 'none'" in csp
    assert r.headers["x-frame-options"] == "DENY"
    assert "<script>" not in r.text.replace("<script src=", "")  # no inline scripts
    assert client.get("/static/app.js").status_code == 200


def test_docs_offline(client: TestClient) -> None:
    r = client.get("/docs")
    assert r.status_code == 200
    assert "cdn" not in r.text.lower()
    assert "/vendor/swagger-ui-dist/swagger-ui-bundle.js" in r.text
    spec = client.get("/openapi.json").json()
    assert "/api/events.geojson" in spec["paths"]
    assert "/api/records/{record_id}" in spec["paths"]
    params = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert params >= {
        "since",
        "until",
        "country",
        "place",
        "type",
        "actor",
        "bbox",
        "limit",
        "offset",
    }


def test_vendor_assets_allow_list(client: TestClient) -> None:
    assert client.get("/vendor/left-pad/index.js").status_code == 404
    assert client.get("/vendor/leaflet/../../pyproject.toml").status_code == 404
    assert client.get("/vendor/leaflet/%2e%2e/%2e%2e/package.json").status_code == 404
    if client.get("/api/health").json()["assets"]:
        r = client.get("/vendor/leaflet/dist/leaflet.js")
        assert r.status_code == 200 and "javascript" in r.headers["content-type"]
        assert client.get("/vendor/world-atlas/countries-50m.json").status_code == 200


def test_cache_sees_new_writes(tmp_path: Path) -> None:
    from conftest_web import sample_extractions

    from fftrack.records import Document, Event, Extraction, Span
    from fftrack.store import Store

    db = build_sample_db(tmp_path / "c.db")
    with TestClient(create_app(db)) as c:
        assert c.get("/api/events").json()["total"] == 4
        assert c.get("/api/events").json()["total"] == 4  # served from the cache
        assert c.get("/api/health").json()["cache"]["hits"] >= 1
        doc = Document(id="doc-new", text="Rioters burned tyres in the square.")
        ev = Event("Riots", "Violent demonstration", Span("doc-new", 0, 7, 0, 35))
        store = Store.open(db)
        try:
            store.write([Extraction(doc, events=(ev,))])
        finally:
            store.close()
        assert c.get("/api/events").json()["total"] == 5
        assert c.get("/api/events.geojson").json()["total"] == 5
    assert len(sample_extractions()) == 5


def test_cache_off_gives_same_answers(db: Path) -> None:
    with TestClient(create_app(db, cache_bytes=0)) as c:
        assert c.get("/api/events", params={"country": "SY"}).json()["total"] == 2
        assert c.get("/api/health").json()["cache"]["entries"] == 0


def test_flows_aggregate_reports(client: TestClient) -> None:
    fc = client.get("/api/flows.geojson").json()
    by_pair = {
        (f["properties"]["origin"], f["properties"]["destination"]): f for f in fc["features"]
    }
    assert set(by_pair) == {("Istanbul", "Raqqa"), ("London", "Raqqa")}
    ist = by_pair[("Istanbul", "Raqqa")]
    assert ist["properties"]["reports"] == 2 and ist["properties"]["movements"] == 2
    assert ist["geometry"]["coordinates"] == [[28.9497, 41.0138], [39.0079, 35.9528]]
    assert by_pair[("London", "Raqqa")]["properties"]["reports"] == 1
    listing = client.get("/api/flows", params={"country": "GB"}).json()
    assert listing["total"] == 1
    assert client.get("/api/flows", params={"limit": 1, "offset": 1}).json()["returned"] == 1
    assert client.get("/api/flows.geojson", params={"until": "2017-08"}).json()["returned"] == 1
    assert client.get("/api/flows", params={"since": "bad"}).status_code == 422


def test_merged_event_view(tmp_path: Path) -> None:
    from fftrack.store import Store

    db = build_sample_db(tmp_path / "m.db")
    with TestClient(create_app(db)) as c:
        # slim rows: ``place`` is the place's name (None for the unplaced clash)
        ids = {e["place"]: e["id"] for e in c.get("/api/events").json()["items"]}
        # pretend dedup found that the unlocated clash is the Raqqa battle
        store = Store.open(db)
        try:
            store.set_cluster([(ids["Raqqa"], "cluster-1"), (ids[None], "cluster-1")])
        finally:
            store.close()
        plain = c.get("/api/events.geojson").json()
        assert plain["total"] == 4 and plain["merged"] is False
        merged = c.get("/api/events.geojson", params={"merged": "true"}).json()
        assert merged["total"] == 3 and merged["returned"] == 3 and merged["unlocated"] == 0
        raqqa = next(f for f in merged["features"] if f["properties"]["place"] == "Raqqa")
        assert raqqa["properties"]["n_sources"] == 2
        assert set(raqqa["properties"]["document_ids"]) == {"doc-raqqa", "doc-unlocated"}
        assert c.get("/api/events", params={"merged": 1, "limit": 1}).json()["total"] == 3
        rec = c.get(f"/api/records/{raqqa['id']}").json()
        assert {s["document_id"] for s in rec["sources"]} == {"doc-raqqa", "doc-unlocated"}
        tl = c.get("/api/timeline", params={"merged": "true"}).json()
        assert sum(sum(v) for v in tl["counts"].values()) == 3
        bad = c.get("/api/events", params={"merged": "perhaps"})
        assert bad.status_code == 422 and "merged" in bad.json()["detail"]


def test_serve_reports_busy_port(db: Path) -> None:
    import inspect
    import socket

    from fftrack.errors import UsageError
    from fftrack.web import serve
    from fftrack.web.app import serve as app_serve

    assert inspect.signature(app_serve).parameters["host"].default == "127.0.0.1"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        with pytest.raises(UsageError, match="cannot listen"):
            serve(db, host="127.0.0.1", port=port)
    with pytest.raises(UsageError, match="port"):
        serve(db, port=70000)


def test_loopback_refuses_foreign_host_header(db: Path) -> None:
    from fftrack.web.app import served_app

    with TestClient(served_app(db, "127.0.0.1"), base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/stats").status_code == 200
        assert c.get("/api/stats", headers={"host": "evil.example:8000"}).status_code == 400
        assert c.get("/api/stats", headers={"host": "localhost:8000"}).status_code == 200


PATHS = [
    "/api/events",
    "/api/movements",
    "/api/figures",
    "/api/actors",
    "/api/places",
    "/api/flows",
    "/api/events.geojson",
    "/api/movements.geojson",
    "/api/flows.geojson",
    "/api/timeline",
    "/api/figures/by-origin",
]


def test_any_input_is_200_or_422_never_500(client: TestClient) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    names = ["since", "until", "country", "place", "type", "actor", "bbox", "limit", "offset"]
    values = st.one_of(
        st.text(max_size=30),
        st.sampled_from(["2017", "2017-06", "2017-02-29", "0000-01-01", "9999-12-31", "1e309"]),
        st.sampled_from(["-180,-90,180,90", "170,-10,-170,10", "1,1,1,1", "inf,0,1,1", "-0"]),
        st.integers(-(10**12), 10**12).map(str),
    )

    @settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(PATHS), st.dictionaries(st.sampled_from(names), values, max_size=4))
    def check(path: str, params: dict[str, str]) -> None:
        r = client.get(path, params=params)
        assert r.status_code in (200, 422), (path, params, r.status_code, r.text[:300])
        body = r.json()
        if r.status_code == 422:
            assert isinstance(body["detail"], str) and body["detail"]

    check()


def test_app_never_writes_the_store(tmp_path: Path) -> None:
    import hashlib

    db = build_sample_db(tmp_path / "ro.db")

    def digest() -> dict[str, str]:
        return {
            p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(tmp_path.iterdir())
            if p.is_file()
        }

    before = digest()
    with TestClient(create_app(db)) as c:
        for path in PATHS + ["/api/stats", "/"]:
            assert c.get(path).status_code == 200
        ev = c.get("/api/events").json()["items"][0]
        assert c.get(f"/api/records/{ev['id']}").status_code == 200
    after = digest()
    assert after["ro.db"] == before["ro.db"]
    # a WAL reader may create the -shm index and an empty -wal; nothing is ever written
    wal = tmp_path / "ro.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0


def test_cache_keys_do_not_collide(client: TestClient) -> None:
    b = client.get("/api/events", params={"place": "Raqqa", "type": "Battles"}).json()
    a = client.get("/api/events", params={"place": "Raqqa&type=Battles"}).json()
    assert b["total"] == 1 and a["total"] == 0
    c = client.get("/api/events", params={"type": "Battles"}).json()
    d = client.get("/api/events", params={"actor": "", "type": "Battles"}).json()
    assert c["total"] == d["total"] == 2


def test_etag_revalidation(client: TestClient) -> None:
    r = client.get("/api/events.geojson")
    etag = r.headers["etag"]
    assert r.headers["cache-control"] == "no-cache"
    again = client.get("/api/events.geojson", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    other = client.get("/api/events.geojson", headers={"if-none-match": '"nope"'})
    assert other.status_code == 200 and other.headers["etag"] == etag


# -- the map page's data for a newcomer's corpus (issue 15 items 13, 14, 17) ----------------


@pytest.fixture(scope="module")
def newcomer(tmp_path_factory: pytest.TempPathFactory):
    db = build_newcomer_db(tmp_path_factory.mktemp("newcomer") / "n.db")
    with TestClient(create_app(db)) as c:
        yield c


def test_flows_with_one_end_are_points_and_counted(newcomer: TestClient) -> None:
    fc = newcomer.get("/api/flows.geojson").json()
    by_ends: dict[str, list[dict]] = {}
    for f in fc["features"]:
        by_ends.setdefault(f["properties"]["ends"], []).append(f)
    assert len(by_ends["both"]) == 2
    assert all(f["geometry"]["type"] == "LineString" for f in by_ends["both"])
    (to_deir,) = by_ends["destination"]
    assert to_deir["geometry"] == {"type": "Point", "coordinates": [40.1408, 35.3359]}
    assert to_deir["properties"]["destination"] == "Deir ez-Zor"
    assert to_deir["properties"]["origin"] is None
    (from_gaz,) = by_ends["origin"]
    assert from_gaz["properties"]["origin"] == "Gaziantep"
    assert from_gaz["geometry"]["coordinates"] == [37.3825, 37.0594]
    # 6 movements: 3 in the two lines, 2 one-ended, 1 between two places not located
    assert fc["movements"] == {"total": 6, "lines": 3, "one_ended": 2, "not_drawn": 1}
    assert fc["unlocated"] == 1 and fc["total"] == 5
    paged = newcomer.get("/api/flows.geojson", params={"limit": 1}).json()
    assert paged["returned"] == 1 and paged["movements"] == fc["movements"]
    gb = newcomer.get("/api/flows.geojson", params={"country": "GB"}).json()
    assert gb["movements"] == {"total": 1, "lines": 1, "one_ended": 0, "not_drawn": 0}


def test_timeline_shows_coarse_periods_and_counts_undated(newcomer: TestClient) -> None:
    tl = newcomer.get("/api/timeline").json()
    bands = {(b["start"], b["end"], b["precision"]): b for b in tl["coarse"]}
    assert bands == {
        ("2017-07-01", "2017-07-31", "month"): {
            "start": "2017-07-01",
            "end": "2017-07-31",
            "precision": "month",
            "total": 1,
            "counts": {"Battles": 1},
        },
        ("2017-01-01", "2017-12-31", "year"): {
            "start": "2017-01-01",
            "end": "2017-12-31",
            "precision": "year",
            "total": 1,
            "counts": {"Protests": 1},
        },
    }
    assert tl["undated"] == 1 and tl["undated_or_coarse"] == 3
    # the weeks reach the periods' ends: the year band ends in the week of 2017-12-31
    assert tl["weeks"][0] == "2005-03-14" and tl["weeks"][-1] == "2017-12-25"
    weekly = sum(sum(v) for v in tl["counts"].values())
    assert weekly + 3 == newcomer.get("/api/events").json()["total"]


def test_event_endpoint_gives_figures_per_source(newcomer: TestClient) -> None:
    ev = newcomer.get("/api/events/cluster-mosul").json()
    assert ev["kind"] == "event" and ev["cluster_id"] == "cluster-mosul"
    assert len(ev["members"]) == 2 and ev["n_sources"] == 2
    fat = {s["document_id"]: s["value"] for s in ev["fatalities_reported"]["by_source"]}
    inj = {s["document_id"]: s["value"] for s in ev["injured_reported"]["by_source"]}
    assert fat == {"doc-mosul": 30, "doc-mosul-2": 35} and inj == {"doc-mosul-2": 50}
    assert {s["document_id"] for s in ev["sources"]} == {"doc-mosul", "doc-mosul-2"}
    member = newcomer.get(f"/api/events/{ev['members'][1]}").json()
    assert member["cluster_id"] == "cluster-mosul"
    assert newcomer.get("/api/events/no-such-event").status_code == 404
    assert newcomer.get("/api/events/bad%20id").status_code == 422


def test_requests_served_at_once_are_bounded(db: Path) -> None:
    # the endpoints run in anyio's thread pool: the app bounds it (``web_threads``), since
    # many threads reading the store at once spend their CPU handing the GIL about
    import anyio.to_thread

    def tokens() -> float:
        return anyio.to_thread.current_default_thread_limiter().total_tokens

    with TestClient(create_app(db, threads=2)) as c:
        assert c.portal is not None and c.portal.call(tokens) == 2
        assert c.get("/api/events").status_code == 200
    with pytest.raises(ConfigError, match="web_threads must be >= 1"):
        load_config(env={"FFTRACK_WEB_THREADS": "0"})
    assert load_config(env={"FFTRACK_WEB_THREADS": "3"}).web_threads == 3
