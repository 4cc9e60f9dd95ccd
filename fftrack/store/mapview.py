"""The map's reads: slim event rows from one indexed table, a page at a time.

The event list and the GeoJSON of the web API (``fftrack.web.mapview``) read only what the
map draws, never the records' full ``data``, their sources or sentences (those are read
when one event is opened: ``/api/events/{id}``). Schema migration 8 (``MAPVIEW_SQL``)
adds:

- ``event_map``: one row per event, kept in step with ``events`` by triggers on every
  insert, update and delete (the writer and resolve need not know it); rows that were
  there before the migration are copied by it. A ``WITHOUT ROWID`` table whose key is the
  listing order (``ds``, ``de``, ``id``: the date period, undated last, then the id, as
  ``query.order_limit`` orders), so a page is one range read in order. It has the filter
  columns of ``events`` under the same names (``date_start``, ``date_end``, ``country``,
  ``place_keys``, ``type_keys``, ``actor_keys``, ``lat``, ``lon``) so that
  ``query.where_clause("events", q)`` applies to it unchanged (its ``data`` is only what
  the filters read of a record's data: ``{"date": ...}``), and ``event_type``,
  ``own_start``/``own_end`` (the event's own date period) and ``date_precision`` that the
  timeline counts by. ``slim`` is the slim row itself (``SLIM_ROW``, JSON): id,
  event_type, sub_event_type, date, date_precision, date_start, date_end (the event's own
  date, as ``to_dict``), place, country, place_precision, lat, lon, actors (names),
  fatalities, fatalities_qualifier, confidence, document_id, cluster_id;
  ``feature_head`` is the start of its GeoJSON Feature (NULL when unlocated). The narrow
  index ``event_map_filters`` holds every column a filter or the timeline reads, so
  counts and the timeline never read the rows.
- ``cluster_key`` (``COALESCE(cluster_id, id)``: what the merged views group by) is
  indexed with the date, so the pages of clusters and their count read one narrow index.
- ``n_sources`` (distinct documents of the event's cluster; 1 in none) is added when read,
  from ``event_clusters.documents``, as cluster membership changes after an event is
  written.

Pages are keyset-paged: ``after`` is the key (``ds``, ``de``, ``id``) of the last row
of the previous page and ``next`` that of the last row returned.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from fftrack.store.query import Query, where_clause

ALGORITHM = "store.mapview.v1"  # the slim row (``SLIM_ROW``) and its order

# the slim row of an event ``e`` (an ``events`` row): built once, when it is written
SLIM_ROW = """json_object(
    'id', e.id,
    'event_type', e.event_type,
    'sub_event_type', e.sub_event_type,
    'date', json_extract(e.data, '$.date'),
    'date_precision', e.date_precision,
    'date_start', json_extract(e.data, '$.date_start'),
    'date_end', json_extract(e.data, '$.date_end'),
    'place', COALESCE(e.place_resolved, e.place_name),
    'country', e.country,
    'place_precision', json_extract(e.data, '$.place.precision'),
    'lat', CASE WHEN e.lat BETWEEN -90 AND 90 AND e.lon BETWEEN -180 AND 180
                THEN round(e.lat, 6) END,
    'lon', CASE WHEN e.lat BETWEEN -90 AND 90 AND e.lon BETWEEN -180 AND 180
                THEN round(e.lon, 6) END,
    'actors', (SELECT json_group_array(n) FROM (
        SELECT COALESCE(json_extract(a.value, '$.normalized'), json_extract(a.value, '$.name'))
            AS n FROM json_each(e.data, '$.actors') a) WHERE n IS NOT NULL AND n != ''),
    'fatalities', json_extract(e.data, '$.fatalities.value'),
    'fatalities_qualifier', json_extract(e.data, '$.fatalities.qualifier'),
    'confidence', e.confidence,
    'document_id', e.document_id,
    'cluster_id', e.cluster_id
)"""

# the start of its GeoJSON Feature, up to its properties' first value (``n_sources``)
_FEATURE_HEAD = """CASE WHEN e.lat BETWEEN -90 AND 90 AND e.lon BETWEEN -180 AND 180
    THEN '{"type":"Feature","id":' || json_quote(e.id) || ',"geometry":{"type":"Point",'
        || '"coordinates":[' || round(e.lon, 6) || ',' || round(e.lat, 6) || ']},'
        || '"properties":{"n_sources":'
    END"""

_COLUMNS = (
    "ds, de, id, document_id, cluster_id, date_start, date_end, country, place_keys,"
    " type_keys, actor_keys, lat, lon, event_type, own_start, own_end, date_precision,"
    " place_precision, confidence, cluster_key, feature_head, data, slim"
)

# an ``events`` row as an ``event_map`` row
_PROJECT = f"""SELECT COALESCE(e.date_start, '~'), COALESCE(e.date_end, ''), e.id, e.document_id,
    e.cluster_id, e.date_start, e.date_end, e.country, e.place_keys, e.type_keys, e.actor_keys,
    CASE WHEN e.lat BETWEEN -90 AND 90 AND e.lon BETWEEN -180 AND 180 THEN e.lat END,
    CASE WHEN e.lat BETWEEN -90 AND 90 AND e.lon BETWEEN -180 AND 180 THEN e.lon END,
    e.event_type, json_extract(e.data, '$.date_start'), json_extract(e.data, '$.date_end'),
    e.date_precision, json_extract(e.data, '$.place.precision'), e.confidence,
    COALESCE(e.cluster_id, e.id), {_FEATURE_HEAD}, json_object('date', json_extract(e.data, '$.date')),
    {SLIM_ROW}
FROM events e"""

MAPVIEW_SQL = f"""
CREATE TABLE IF NOT EXISTS event_map (
    ds TEXT NOT NULL,
    de TEXT NOT NULL,
    id TEXT NOT NULL,
    document_id TEXT NOT NULL,
    cluster_id TEXT,
    date_start TEXT,
    date_end TEXT,
    country TEXT,
    place_keys TEXT NOT NULL,
    type_keys TEXT NOT NULL,
    actor_keys TEXT NOT NULL,
    lat REAL,
    lon REAL,
    event_type TEXT NOT NULL,
    own_start TEXT,
    own_end TEXT,
    date_precision TEXT,
    place_precision INTEGER,
    confidence REAL,
    cluster_key TEXT NOT NULL,
    feature_head TEXT,
    data TEXT NOT NULL,
    slim TEXT NOT NULL,
    PRIMARY KEY (ds, de, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS event_map_id ON event_map(id);
CREATE INDEX IF NOT EXISTS event_map_lat_lon ON event_map(lat, lon);
CREATE INDEX IF NOT EXISTS event_map_date ON event_map(date_end, date_start, data);
CREATE INDEX IF NOT EXISTS event_map_country ON event_map(country);
CREATE INDEX IF NOT EXISTS event_map_clusters ON event_map(cluster_key, date_start);
CREATE INDEX IF NOT EXISTS event_map_filters ON event_map(event_type, own_start, own_end,
    date_precision, country, date_start, date_end, data, type_keys, place_keys, actor_keys,
    lat, lon);
INSERT OR REPLACE INTO event_map ({_COLUMNS}) {_PROJECT};
CREATE TRIGGER IF NOT EXISTS event_map_ai AFTER INSERT ON events BEGIN
    INSERT OR REPLACE INTO event_map ({_COLUMNS}) {_PROJECT} WHERE e.rowid = new.rowid;
END;
CREATE TRIGGER IF NOT EXISTS event_map_au AFTER UPDATE ON events BEGIN
    DELETE FROM event_map WHERE id = old.id;
    INSERT OR REPLACE INTO event_map ({_COLUMNS}) {_PROJECT} WHERE e.rowid = new.rowid;
END;
CREATE TRIGGER IF NOT EXISTS event_map_ad AFTER DELETE ON events BEGIN
    DELETE FROM event_map WHERE id = old.id;
END;
"""

# the slim row with ``n_sources`` first: the distinct documents of its cluster (1 in
# none), counted from the events where a cluster has no row of its own
_N_SOURCES = """CASE WHEN m.cluster_id IS NULL THEN 1 ELSE COALESCE(
    (SELECT c.documents FROM event_clusters c WHERE c.id = m.cluster_id),
    (SELECT COUNT(*) FROM (SELECT DISTINCT x.document_id FROM events x
        INDEXED BY events_cluster WHERE x.cluster_id = m.cluster_id))) END"""
_ROW = f"""'{{"n_sources":' || {_N_SOURCES} || ',' || substr(m.slim, 2)"""
_FEATURE = f"""m.feature_head || {_N_SOURCES} || ',' || substr(m.slim, 2) || '}}'"""

Key = tuple[str, str, str]
_PK = "sqlite_autoindex_event_map_1"  # the key of a WITHOUT ROWID table is its index


@dataclass(frozen=True)
class Page:
    """A page of slim rows (or Features): ``text``, their JSON texts joined by commas in
    order (the inside of a JSON array), ``n`` of them; ``next``: the key to ask for the
    page after it (None when this one is the last)."""

    text: str
    n: int
    next: Key | None


def has_table(conn: sqlite3.Connection) -> bool:
    return (
        conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'event_map'").fetchone() is not None
    )


def cluster_keys_source(conn: sqlite3.Connection) -> tuple[str, str]:
    """Where the merged views read their cluster keys (``COALESCE(cluster_id, id)``) and
    the filter columns: ``event_map`` (narrow, its ``cluster_key`` indexed with the date)
    where the store has it, else ``events``."""
    if has_table(conn):
        return "event_map", "cluster_key"
    return "events", "COALESCE(cluster_id, id)"


def _where(q: Query, located: bool, after: Key | None) -> tuple[str, list[Any], bool]:
    """The page's WHERE, its parameters, and whether ``q`` filters at all."""
    where, params = where_clause("events", q.unpaged())
    conds = [where.removeprefix(" WHERE ")] if where else []
    if located:
        conds.append("m.lat IS NOT NULL")  # set exactly where feature_head is
    if after is not None:
        conds.append("(m.ds, m.de, m.id) > (?, ?, ?)")
        params = [*params, *after]
    return (" WHERE " + " AND ".join(conds)) if conds else "", params, bool(where)


# the key of a row as one text that sorts as the key does (no part holds a NUL)
_KEY_TEXT = "m.ds || char(0) || m.de || char(0) || m.id"


def _first_rows(
    conn: sqlite3.Connection,
    aggregate: str,
    value: str,
    tail: str,
    params: list[Any],
    limit: int,
    offset: int,
) -> tuple[Any, int, str | None]:
    """``aggregate`` over ``value`` (as ``t``) of the first ``limit`` rows after ``offset``
    of ``event_map m`` + ``tail`` (index and WHERE) in listing order, their number, and the
    last one's key as ``_KEY_TEXT``: one row, whatever the page's size."""
    agg, n, last = conn.execute(
        f"SELECT {aggregate}, COUNT(*), MAX(k) FROM (SELECT {value} AS t, {_KEY_TEXT} AS k"
        f" FROM event_map m{tail} ORDER BY m.ds, m.de, m.id LIMIT ? OFFSET ?)",
        [*params, limit, offset],
    ).fetchone()
    return agg, int(n), last


def page(
    conn: sqlite3.Connection,
    q: Query,
    *,
    limit: int,
    after: Key | None = None,
    offset: int = 0,
    geojson: bool = False,
) -> Page:
    """At most ``limit`` events matching ``q`` (its limit/offset are ignored: ``limit``,
    ``offset`` and ``after`` page), in listing order, after ``after``; as slim rows, or
    (``geojson``) as GeoJSON Features of the located ones.

    Without filters, one walk of the table in its key order from ``after``. With
    filters, first the keys of the page (SQLite picks the index: a box, a country, a
    date range; sorting keys, not rows), then their rows. Each is one aggregate row
    (the texts joined in SQLite, the last key): a statement that returned a row per event
    would give up and take back the interpreter lock at every row, which under
    concurrent requests costs more than the rows."""
    where, params, filtered = _where(q, geojson, after)
    render = _FEATURE if geojson else _ROW
    if limit <= 0:
        return Page("", 0, None)
    if not filtered:
        text, n, last = _first_rows(
            conn, "group_concat(t, ',')", render, f" INDEXED BY {_PK}{where}", params, limit, offset
        )
    else:
        # a closed date range: its rows from the dates' index, then their keys sorted
        # (SQLite would walk the table in key order up to the range's first row)
        closed = _dates_only(q) and q.since is not None and q.until is not None
        use = f" INDEXED BY {DATES_INDEX}" if closed else ""
        ids, n, last = _first_rows(
            conn, "json_group_array(t)", "m.id", f"{use}{where}", params, limit, offset
        )
        text = conn.execute(
            f"SELECT group_concat(t, ',') FROM (SELECT {render} AS t FROM event_map m"
            " INDEXED BY event_map_id WHERE m.id IN (SELECT value FROM json_each(?))"
            " ORDER BY m.ds, m.de, m.id)",
            [ids],
        ).fetchone()[0]
    nxt: Key | None = None
    if n == limit and last is not None:
        key = tuple(str(last).split("\x00"))
        where_after, params_after, _ = _where(q, geojson, (key[0], key[1], key[2]))
        more = conn.execute(
            f"SELECT 1 FROM event_map m{where_after} LIMIT 1", params_after
        ).fetchone()
        if more is not None:
            nxt = (key[0], key[1], key[2])
    return Page(text or "", int(n), nxt)


def counts(conn: sqlite3.Connection, q: Query) -> tuple[int, int]:
    """``(events matching q, of them without coordinates)``: without filters from the
    indexes' page counts; with filters one pass over the narrow ``event_map_filters``."""
    where, params = where_clause("events", q.unpaged())
    if not where:
        total = conn.execute("SELECT COUNT(*) FROM event_map").fetchone()[0]
        unlocated = conn.execute(
            "SELECT COUNT(*) FROM event_map INDEXED BY event_map_lat_lon WHERE lat IS NULL"
        ).fetchone()[0]
        return int(total), int(unlocated)
    # a box: the rows inside it, from the narrow (lat, lon) index; a date range: those of
    # its dates, from the dates' index (migration 10); else one pass over the index that
    # holds every filter column
    if _box_only(q):
        index = "event_map_lat_lon"
    elif _dates_only(q):
        index = DATES_INDEX
    else:
        index = "event_map_filters"
    total, unlocated = conn.execute(
        f"SELECT COUNT(*), COUNT(*) - COUNT(lat) FROM event_map INDEXED BY {index}" + where,
        params,
    ).fetchone()
    return int(total), int(unlocated)


DATES_INDEX = "event_map_dated"
# migration 10: what a count by dates reads (the own-date test reads ``data``)
DATES_INDEX_SQL = f"""
CREATE INDEX IF NOT EXISTS {DATES_INDEX} ON event_map(date_end, date_start, data, lat);
"""


_FILTERS = ("since", "until", "country", "place", "type", "actor", "bbox")


def _filters_only(q: Query, *names: str) -> bool:
    """``q`` filters by one of ``names`` at least, and by no other filter."""
    return any(getattr(q, n) is not None for n in names) and all(
        getattr(q, n) is None for n in _FILTERS if n not in names
    )


def _dates_only(q: Query) -> bool:
    """``q`` filters by dates and by nothing the dates' index lacks."""
    return _filters_only(q, "since", "until")


def _box_only(q: Query) -> bool:
    """``q`` filters by a box and by nothing the (lat, lon) index lacks."""
    return _filters_only(q, "bbox")


def timeline_rows(conn: sqlite3.Connection, q: Query) -> list[dict[str, Any]]:
    """Events matching ``q`` counted by type and own date period:
    ``{"event_type", "date_start", "date_end", "date_precision", "n"}``."""
    where, params = where_clause("events", q.unpaged())
    text = (
        "SELECT event_type, own_start, own_end, date_precision, COUNT(*)"
        f" FROM event_map INDEXED BY event_map_filters{where} GROUP BY 1, 2, 3, 4"
    )
    return [
        {"event_type": t, "date_start": s, "date_end": e, "date_precision": p, "n": n}
        for t, s, e, p, n in conn.execute(text, params)
    ]


# ``resolve.merged``'s choices in SQL: the member with the best date (the most precise,
# then the narrowest period, then the earliest) and the representative (best date rank,
# then a resolved place, the finest, then the most confident)
_DATE_RANK = """CASE WHEN own_start IS NULL THEN 9 ELSE CASE date_precision WHEN 'day' THEN 0
    WHEN 'week' THEN 1 WHEN 'month' THEN 2 WHEN 'season' THEN 3 WHEN 'year' THEN 4 ELSE 5
    END END"""
_BEST_DATE = f"""{_DATE_RANK}, COALESCE(julianday(own_end) - julianday(own_start), 0),
    COALESCE(own_start, ''), id"""
_REPRESENTATIVE = f"""{_DATE_RANK}, CASE WHEN place_keys = '' THEN 9 WHEN lat IS NULL THEN 1
    ELSE 0 END, CASE WHEN place_keys = '' THEN 1 ELSE COALESCE(place_precision, 5) END,
    -confidence, id"""


def merged_timeline_rows(conn: sqlite3.Connection, q: Query) -> list[dict[str, Any]]:
    """``timeline_rows`` with one row per event cluster that has an event matching ``q``
    (an event in none is its own): dated as its best-dated member, typed as its
    representative, as ``resolve.merged`` merges them."""
    where, params = where_clause("events", q.unpaged())
    keys = (
        f" WHERE COALESCE(cluster_id, id) IN (SELECT COALESCE(cluster_id, id) FROM event_map{where})"
        if where
        else ""
    )
    text = f"""WITH members AS (
        SELECT COALESCE(cluster_id, id) AS k, event_type, own_start, own_end, date_precision,
            ROW_NUMBER() OVER (PARTITION BY COALESCE(cluster_id, id) ORDER BY {_BEST_DATE})
                AS by_date,
            ROW_NUMBER() OVER (PARTITION BY COALESCE(cluster_id, id) ORDER BY {_REPRESENTATIVE})
                AS by_rep
        FROM event_map{keys})
    SELECT r.event_type, d.own_start, d.own_end, d.date_precision, COUNT(*)
    FROM members d JOIN members r ON r.k = d.k AND r.by_rep = 1
    WHERE d.by_date = 1 GROUP BY 1, 2, 3, 4"""
    return [
        {"event_type": t, "date_start": s, "date_end": e, "date_precision": p, "n": n}
        for t, s, e, p, n in conn.execute(text, params)
    ]
