"""The map's merged event rows: one stored row per event cluster, read a page at a time.

``/api/events?merged=true`` and its GeoJSON show one row per event cluster (a cluster id,
or an event in none: its own). Merging a cluster's reports is ``fftrack.resolve``'s work
(``resolve.merged``), in Python, and the store may not import it; so the merged rows are
*materialized*: the writer's side (``fftrack.web.mapview.refresh_merged``, run at the end
of an ingest and after a user's merge or split) merges the clusters that changed and
saves here what the map shows of each, rendered once. Schema migration 9
(``MERGED_SQL``) adds:

- ``event_merged``: one row per cluster key, with ``event_merged_order`` the merged
  listing's order (``ds``: the earliest ``date_start`` of the cluster's events, ``'~'``
  where none has one, so undated last; then ``cluster_key``), so an unfiltered page is
  one range of that index read in order (a rowid table: its rows, a kilobyte or more,
  would each spill onto a page of their own in a ``WITHOUT ROWID`` table). ``slim`` is
  the merged slim row as the list gives it, ``feature`` its GeoJSON Feature (NULL when
  the merged event has no coordinates), both JSON texts spliced into answers as they are; ``event_type``, ``own_start``,
  ``own_end``, ``date_precision`` are what the merged timeline counts by (the
  representative's type, the best-dated member's own date); ``algorithm`` names what
  rendered the row.
- ``event_merged_stale``: the cluster keys whose row is missing or out of date. Triggers
  on ``events`` (insert, update, delete: a new report, a cluster assignment, a document
  deleted) put the keys an event leaves and joins here, so whatever writes the events
  (the writer, clustering, a user's judgement, plain SQL) can never leave a stale row
  looking fresh; the migration marks every existing key stale.
- ``event_map_merged``, a narrow index of ``event_map`` in cluster order holding every
  column a filter reads: a filtered merged page groups the matching events by cluster
  reading it alone, in its order (it read every event's wide row before);
  ``event_merged_timeline`` holds what the merged timeline counts.

Reads (``page``, ``count``, ``timeline_rows``) use the stored rows where they can: an
unfiltered page of a store without stale keys is one range read of ``event_merged``; a
filtered one first finds its cluster keys in ``event_map`` (the clusters with an event
matching the filters, in order of their earliest matching date, as before), then their
stored rows by key. A stale key's row is left for the caller to merge now (``Row.text``
None, ``Row.fresh`` False): the answers are always those of merging at read time.

Pages are keyset-paged: ``after`` is ``(ds, cluster_key)`` of the last row of the
previous page, ``next`` that of the last row returned.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from fftrack.store.clusters import chunked, transaction
from fftrack.store.query import Query, where_clause

ALGORITHM = "store.merged_map.v1"

_KEY = "COALESCE({t}.cluster_id, {t}.id)"

MERGED_SQL = f"""
CREATE TABLE IF NOT EXISTS event_merged (
    cluster_key TEXT PRIMARY KEY,
    ds TEXT NOT NULL,
    event_type TEXT,
    own_start TEXT,
    own_end TEXT,
    date_precision TEXT,
    slim TEXT NOT NULL,
    feature TEXT,
    algorithm TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS event_merged_order ON event_merged(ds, cluster_key);
CREATE INDEX IF NOT EXISTS event_merged_timeline
    ON event_merged(event_type, own_start, own_end, date_precision);
CREATE INDEX IF NOT EXISTS event_map_merged ON event_map(cluster_key, date_start, date_end,
    data, country, type_keys, place_keys, actor_keys, lat, lon);
CREATE TABLE IF NOT EXISTS event_merged_stale (
    cluster_key TEXT PRIMARY KEY
) WITHOUT ROWID;
INSERT OR IGNORE INTO event_merged_stale (cluster_key)
    SELECT DISTINCT {_KEY.format(t="events")} FROM events;
CREATE TRIGGER IF NOT EXISTS event_merged_ai AFTER INSERT ON events BEGIN
    INSERT OR IGNORE INTO event_merged_stale (cluster_key) VALUES ({_KEY.format(t="new")});
END;
CREATE TRIGGER IF NOT EXISTS event_merged_au AFTER UPDATE ON events BEGIN
    INSERT OR IGNORE INTO event_merged_stale (cluster_key) VALUES ({_KEY.format(t="old")});
    INSERT OR IGNORE INTO event_merged_stale (cluster_key) VALUES ({_KEY.format(t="new")});
END;
CREATE TRIGGER IF NOT EXISTS event_merged_ad AFTER DELETE ON events BEGIN
    INSERT OR IGNORE INTO event_merged_stale (cluster_key) VALUES ({_KEY.format(t="old")});
END;
"""

Key = tuple[str, str]
_ORDER = "event_merged_order"
_KEY_INDEX = "sqlite_autoindex_event_merged_1"  # its primary key, cluster_key


@dataclass(frozen=True)
class MergedRow:
    """What the map shows of one merged event, rendered (``refresh_merged`` saves it)."""

    key: str
    slim: str
    feature: str | None
    event_type: str | None
    own_start: str | None
    own_end: str | None
    date_precision: str | None


@dataclass(frozen=True)
class Row:
    """One cluster of a page: its key, its stored text (the slim row, or the Feature when
    the page is GeoJSON; None where it has none) and whether that text is current
    (``fresh``; a stale key is to be merged by the caller)."""

    key: str
    text: str | None
    fresh: bool


@dataclass(frozen=True)
class Page:
    """A page of clusters; ``total``: how many clusters match, where the page's query
    counted them (a filtered page; else None: ``count``)."""

    rows: list[Row]
    next: Key | None
    total: int | None = None


def fresh(conn: sqlite3.Connection) -> bool:
    """Whether every cluster's stored row is current (no stale key)."""
    return conn.execute("SELECT 1 FROM event_merged_stale LIMIT 1").fetchone() is None


def stale_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM event_merged_stale").fetchone()[0])


def stale_keys(conn: sqlite3.Connection, limit: int) -> list[str]:
    """At most ``limit`` of the keys whose stored row is missing or out of date."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT cluster_key FROM event_merged_stale ORDER BY cluster_key LIMIT ?", (limit,)
        )
    ]


def writing(conn: sqlite3.Connection) -> AbstractContextManager[None]:
    """A write transaction (``BEGIN IMMEDIATE``) on a writer's connection, or the one it
    holds: read the stale keys, merge and ``save`` them inside it, so that no other
    writer changes a cluster between its merge and its row being marked current."""
    return transaction(conn)


def save(conn: sqlite3.Connection, keys: Sequence[str], rows: Sequence[MergedRow]) -> int:
    """Store ``rows`` (the merged rows of ``keys``; a key without a row has no events any
    more and loses its stored row) and mark ``keys`` current. Call inside ``writing``."""
    wanted = set(keys)
    by_key = {r.key: r for r in rows if r.key in wanted}
    for chunk in chunked(list(keys)):
        marks = ",".join("?" * len(chunk))
        conn.execute(f"DELETE FROM event_merged WHERE cluster_key IN ({marks})", list(chunk))
    conn.executemany(
        "INSERT INTO event_merged (ds, cluster_key, event_type, own_start, own_end,"
        " date_precision, slim, feature, algorithm)"
        " SELECT COALESCE(MIN(m.date_start), '~'), ?, ?, ?, ?, ?, ?, ?, ?"
        " FROM event_map m INDEXED BY event_map_clusters WHERE m.cluster_key = ?"
        " HAVING COUNT(*) > 0",
        [
            (
                r.key,
                r.event_type,
                r.own_start,
                r.own_end,
                r.date_precision,
                r.slim,
                r.feature,
                ALGORITHM,
                r.key,
            )
            for r in by_key.values()
        ],
    )
    for chunk in chunked(list(keys)):
        marks = ",".join("?" * len(chunk))
        conn.execute(f"DELETE FROM event_merged_stale WHERE cluster_key IN ({marks})", list(chunk))
    return len(by_key)


def page(
    conn: sqlite3.Connection,
    q: Query,
    *,
    limit: int,
    after: Key | None = None,
    offset: int = 0,
    geojson: bool = False,
) -> Page:
    """At most ``limit`` clusters with an event matching ``q`` (its limit/offset are
    ignored), in order of their earliest (matching) date then key, after ``after`` and
    ``offset`` more; each with its stored slim row (``geojson``: Feature)."""
    col = "feature" if geojson else "slim"
    where, params = where_clause("events", q.unpaged())
    cur = conn.cursor()
    cur.row_factory = None
    if not where and fresh(conn):
        cond, p = ("", []) if after is None else (" WHERE (ds, cluster_key) > (?, ?)", [*after])
        got = cur.execute(
            f"SELECT ds, cluster_key, {col} FROM event_merged INDEXED BY {_ORDER}{cond}"
            " ORDER BY ds, cluster_key LIMIT ? OFFSET ?",
            [*p, limit + 1, offset],
        ).fetchall()
        rows = [Row(k, t, True) for _, k, t in got[:limit]]
        return Page(rows, _next(got, limit))
    # the page and the count of every cluster matching in one pass over the narrow index
    cond, p = ("", []) if after is None else (" WHERE (ds, k) > (?, ?)", [*after])
    got = cur.execute(
        "SELECT ds, k, n FROM (SELECT ds, k, COUNT(*) OVER () AS n FROM"
        " (SELECT COALESCE(MIN(date_start), '~') AS ds, cluster_key AS k"
        f" FROM event_map INDEXED BY event_map_merged{where} GROUP BY cluster_key))"
        f"{cond} ORDER BY ds, k LIMIT ? OFFSET ?",
        [*params, *p, limit + 1, offset],
    ).fetchall()
    total = int(got[0][2]) if got else None
    keys = [k for _, k, _ in got[:limit]]
    stored = {
        k: t
        for k, t in cur.execute(
            f"SELECT cluster_key, {col} FROM event_merged INDEXED BY {_KEY_INDEX}"
            " WHERE cluster_key IN (SELECT value FROM json_each(?)) AND cluster_key NOT IN"
            " (SELECT cluster_key FROM event_merged_stale)",
            [json.dumps(keys)],
        )
    }
    rows = [Row(k, stored.get(k), k in stored) for k in keys]
    return Page(rows, _next(got, limit), total)


def _next(got: list[tuple[Any, ...]], limit: int) -> Key | None:
    if len(got) <= limit or limit <= 0:
        return None
    last = got[limit - 1]
    return (str(last[0]), str(last[1]))


def count(conn: sqlite3.Connection, q: Query) -> int:
    """How many clusters have an event matching ``q``."""
    where, params = where_clause("events", q.unpaged())
    if not where and fresh(conn):
        return int(
            conn.execute(f"SELECT COUNT(*) FROM event_merged INDEXED BY {_ORDER}").fetchone()[0]
        )
    return int(
        conn.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM event_map INDEXED BY event_map_merged"
            f"{where} GROUP BY cluster_key)",
            params,
        ).fetchone()[0]
    )


def timeline_rows(conn: sqlite3.Connection, q: Query) -> list[dict[str, Any]] | None:
    """The clusters with an event matching ``q`` counted by their representative's type
    and best-dated member's own date period, from the stored rows; None where a key is
    stale (``mapview.merged_timeline_rows`` counts them from the events then)."""
    if not fresh(conn):
        return None
    where, params = where_clause("events", q.unpaged())
    keys = (
        " WHERE cluster_key IN (SELECT cluster_key FROM event_map INDEXED BY event_map_merged"
        f"{where})"
        if where
        else ""
    )
    text = (
        "SELECT event_type, own_start, own_end, date_precision, COUNT(*)"
        f" FROM event_merged{keys} GROUP BY 1, 2, 3, 4"
    )
    return [
        {"event_type": t, "date_start": s, "date_end": e, "date_precision": p, "n": n}
        for t, s, e, p, n in conn.execute(text, params)
    ]
