"""SQL for cross-source event clusters: tables, edges, assignments, merged views.

The tables (schema migration 3, ``CLUSTERS_SQL``; ``ensure_schema`` creates them on a
writable connection to a store that predates it):

- ``cluster_edges(a, b, kind, score, algorithm, features, created_at)``: one row per
  decision about a pair of events (``a < b``). ``kind`` is ``auto`` (written by
  ``resolve.cluster`` when a report joins a cluster: the member it matched, the score, its
  features and the cluster's envelope after; pairs that decide nothing are not stored),
  ``user_merge`` or ``user_split`` (a user's judgement: must-link / cannot-link, which
  every later clustering run respects). Each edge keeps the algorithm name@version.
- ``event_clusters(id, representative, size, documents, date_start, date_end, algorithm,
  updated_at)`` plus, from migration 7, its envelope (``first_member``, ``family``,
  ``country``, ``lat_lo..lon_hi``, ``day_lo/day_hi``, ``must_lo/must_hi``, ``reach_km``,
  ``reach_days``): one row per cluster; ``events.cluster_id`` points here.
- ``event_blocks`` (an R*Tree over day number, latitude and longitude) and
  ``event_block_ids`` (its integer ids): the blocking index, so finding the candidates of
  a new event costs the same whether the store holds a thousand events or a million.

This module is SQL only; the scoring and clustering logic lives in ``fftrack.resolve``.
Reads work on read-only connections (``StoreReader``) and degrade gracefully on a store
without these tables (every event is then its own cluster).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields
from typing import Any

# the rows and edge kinds live with the records, shared with fftrack.resolve
from fftrack.readmodel import EDGE_AUTO, EDGE_SPLIT, ClusterRow

log = logging.getLogger(__name__)

_CHUNK = 500

CLUSTERS_SQL = """
CREATE TABLE IF NOT EXISTS event_clusters (
    id TEXT PRIMARY KEY,
    representative TEXT NOT NULL,
    size INTEGER NOT NULL,
    documents INTEGER NOT NULL,
    date_start TEXT,
    date_end TEXT,
    algorithm TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS cluster_edges (
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    kind TEXT NOT NULL,
    score REAL,
    algorithm TEXT NOT NULL,
    features TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (a, b, kind)
);
CREATE INDEX IF NOT EXISTS cluster_edges_b ON cluster_edges(b);
CREATE TABLE IF NOT EXISTS event_block_ids (
    rid INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE IF NOT EXISTS event_blocks USING rtree(
    id, day_lo, day_hi, lat_lo, lat_hi, lon_lo, lon_hi
);
"""

# Migration 7 (``resolve.cluster.v3``): a cluster is an event, not a connected component.
# Each cluster row keeps its envelope (type family, country, the box of its members'
# town/district-level places, the window of its day/week-dated members, the period its
# month-dated or undated members share), so a new report is checked against the cluster as
# a whole with one primary-key read. Clusters and auto edges of v1 (connected components,
# one edge per candidate pair over the threshold) are dropped: the next ingest (which
# first clusters every event without a cluster) rebuilds them; user judgements are kept.
_V3_COLUMNS = (
    ("first_member", "TEXT"),
    ("family", "TEXT"),
    ("country", "TEXT"),
    ("lat_lo", "REAL"),
    ("lat_hi", "REAL"),
    ("lon_lo", "REAL"),
    ("lon_hi", "REAL"),
    ("day_lo", "INTEGER"),
    ("day_hi", "INTEGER"),
    ("must_lo", "INTEGER"),
    ("must_hi", "INTEGER"),
    ("reach_km", "REAL"),
    ("reach_days", "INTEGER"),
)
CLUSTERS_V3_SQL = (
    "".join(f"ALTER TABLE event_clusters ADD COLUMN {c} {t};\n" for c, t in _V3_COLUMNS)
    + """DELETE FROM cluster_edges WHERE kind = 'auto';
DELETE FROM event_clusters;
UPDATE events SET cluster_id = NULL WHERE cluster_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS cluster_edges_kind ON cluster_edges(kind);
"""
)


def _statements(sql: str) -> list[str]:
    out: list[str] = []
    buf = ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    return out


def has_tables(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('event_clusters', 'cluster_edges')"
    ).fetchone()
    return bool(row and row[0] == 2)


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the cluster tables if missing (idempotent; needs a writable connection)."""
    if not (has_tables(conn) and _has_table(conn, "event_blocks")):
        for stmt in _statements(CLUSTERS_SQL):
            conn.execute(stmt)
    cols = {r[1] for r in conn.execute("PRAGMA table_info(event_clusters)")}
    for c, t in _V3_COLUMNS:
        if c not in cols:
            conn.execute(f"ALTER TABLE event_clusters ADD COLUMN {c} {t}")
    if not _has_table(conn, "cluster_edges_kind"):
        conn.execute("CREATE INDEX IF NOT EXISTS cluster_edges_kind ON cluster_edges(kind)")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """``BEGIN IMMEDIATE ... COMMIT`` (rolled back on any error), unless the caller
    already holds a transaction, which then covers this work too."""
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        if own:
            conn.execute("COMMIT")
    except BaseException:
        if own and conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None
    )


def rows(
    conn: sqlite3.Connection, sql: str, params: Sequence[Any] | dict[str, Any] = ()
) -> list[sqlite3.Row]:
    """Execute with ``sqlite3.Row`` results whatever the connection's row factory."""
    cur = conn.cursor()
    cur.row_factory = sqlite3.Row
    return cur.execute(sql, params).fetchall()


def chunked(items: Sequence[str], size: int = _CHUNK) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


# -- event features for blocking and scoring ---------------------------------------------

_EVENT_COLS = (
    "e.id, e.document_id, e.event_type, e.sub_event_type, e.date_start, e.date_end,"
    " e.date_precision, e.country, e.place_name, e.place_resolved, e.lat, e.lon,"
    " e.cluster_id, e.confidence, e.sentence_start, e.data, d.published,"
    " substr(d.text, e.sentence_start + 1, e.sentence_end - e.sentence_start) AS sentence"
)


def load_events(conn: sqlite3.Connection, ids: Sequence[str]) -> list[sqlite3.Row]:
    out: list[sqlite3.Row] = []
    ids = list(dict.fromkeys(ids))
    for chunk in chunked(ids):
        marks = ",".join("?" * len(chunk))
        out.extend(
            rows(
                conn,
                f"SELECT {_EVENT_COLS} FROM events e JOIN documents d ON d.id = e.document_id"
                f" WHERE e.id IN ({marks})",
                list(chunk),
            )
        )
    return out


def document_places(
    conn: sqlite3.Connection, doc_ids: Sequence[str]
) -> dict[str, list[sqlite3.Row]]:
    """Resolved places of documents, in text order."""
    out: dict[str, list[sqlite3.Row]] = {}
    for chunk in chunked(list(doc_ids)):
        marks = ",".join("?" * len(chunk))
        for r in rows(
            conn,
            "SELECT document_id, sentence_start, start, data FROM places"
            f" WHERE document_id IN ({marks}) AND lat IS NOT NULL AND lon IS NOT NULL"
            " ORDER BY document_id, start",
            list(chunk),
        ):
            out.setdefault(r["document_id"], []).append(r)
    return out


def unclustered_event_ids(conn: sqlite3.Connection) -> list[str]:
    """Events without a cluster, oldest first (a store's clusters grow as time passes)."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT id FROM events WHERE cluster_id IS NULL"
            " ORDER BY date_start IS NULL, date_start, id"
        )
    ]


def indexed(conn: sqlite3.Connection, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in chunked(list(ids)):
        marks = ",".join("?" * len(chunk))
        found.update(
            r[0]
            for r in conn.execute(
                f"SELECT event_id FROM event_block_ids WHERE event_id IN ({marks})", list(chunk)
            )
        )
    return found


def add_blocks(conn: sqlite3.Connection, boxes: Sequence[tuple[str, tuple[float, ...]]]) -> None:
    """Index events' blocking boxes ``(event_id, (day_lo, day_hi, lat_lo, lat_hi, lon_lo, lon_hi))``."""
    for event_id, box in boxes:
        cur = conn.execute(
            "INSERT INTO event_block_ids (event_id) VALUES (?) ON CONFLICT(event_id) DO NOTHING",
            (event_id,),
        )
        if cur.rowcount <= 0:
            continue
        rid = conn.execute(
            "SELECT rid FROM event_block_ids WHERE event_id = ?", (event_id,)
        ).fetchone()[0]
        conn.execute("INSERT INTO event_blocks VALUES (?, ?, ?, ?, ?, ?, ?)", (rid, *box))


def block_candidates(conn: sqlite3.Connection, box: tuple[float, ...]) -> list[str]:
    """Event ids whose blocking box overlaps ``box``."""
    d0, d1, la0, la1, lo0, lo1 = box
    return [
        r[0]
        for r in conn.execute(
            "SELECT i.event_id FROM event_blocks b JOIN event_block_ids i ON i.rid = b.id"
            " WHERE b.day_hi >= ? AND b.day_lo <= ? AND b.lat_hi >= ? AND b.lat_lo <= ?"
            " AND b.lon_hi >= ? AND b.lon_lo <= ?",
            (d0, d1, la0, la1, lo0, lo1),
        )
    ]


# -- edges -------------------------------------------------------------------------------


def pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def add_edges(
    conn: sqlite3.Connection,
    edges: Iterable[tuple[str, str, str, float | None, str, dict[str, Any] | None]],
    now: str,
) -> int:
    """Insert ``(a, b, kind, score, algorithm, features)`` edges; existing ones are replaced."""
    before = conn.total_changes
    conn.executemany(
        "INSERT INTO cluster_edges (a, b, kind, score, algorithm, features, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(a, b, kind) DO UPDATE SET"
        " score = excluded.score, algorithm = excluded.algorithm, features = excluded.features",
        [
            (
                *pair(a, b),
                kind,
                score,
                algo,
                json.dumps(feat, sort_keys=True) if feat else None,
                now,
            )
            for a, b, kind, score, algo, feat in edges
        ],
    )
    return conn.total_changes - before


def delete_edges(conn: sqlite3.Connection, a: str, b: str, kinds: Sequence[str]) -> None:
    x, y = pair(a, b)
    marks = ",".join("?" * len(kinds))
    conn.execute(
        f"DELETE FROM cluster_edges WHERE a = ? AND b = ? AND kind IN ({marks})", (x, y, *kinds)
    )


def edges_of(conn: sqlite3.Connection, ids: Sequence[str]) -> list[sqlite3.Row]:
    """Every edge touching any of ``ids``."""
    out: dict[tuple[str, str, str], sqlite3.Row] = {}
    for chunk in chunked(list(ids)):
        marks = ",".join("?" * len(chunk))
        for r in rows(
            conn,
            "SELECT a, b, kind, score, algorithm, features, created_at FROM cluster_edges"
            f" WHERE a IN ({marks}) UNION SELECT a, b, kind, score, algorithm, features,"
            f" created_at FROM cluster_edges WHERE b IN ({marks})",
            list(chunk) * 2,
        ):
            out[(r["a"], r["b"], r["kind"])] = r
    return list(out.values())


def members_of(conn: sqlite3.Connection, cluster_ids: Sequence[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for chunk in chunked(list(cluster_ids)):
        marks = ",".join("?" * len(chunk))
        for cid, eid in conn.execute(
            f"SELECT cluster_id, id FROM events WHERE cluster_id IN ({marks}) ORDER BY id",
            list(chunk),
        ):
            out.setdefault(cid, []).append(eid)
    return out


def cluster_of(conn: sqlite3.Connection, event_id: str) -> str | None:
    row = conn.execute("SELECT cluster_id FROM events WHERE id = ?", (event_id,)).fetchone()
    return row[0] if row else None


def event_exists(conn: sqlite3.Connection, event_id: str) -> bool:
    return conn.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone() is not None


def cluster_exists(conn: sqlite3.Connection, cluster_id: str) -> bool:
    if not has_tables(conn):
        return False
    return (
        conn.execute("SELECT 1 FROM event_clusters WHERE id = ?", (cluster_id,)).fetchone()
        is not None
    )


# -- cluster rows (resolve.cluster.v3) ----------------------------------------------------


_ROW_COLS = [f.name for f in fields(ClusterRow)]


def clusters_of(conn: sqlite3.Connection, event_ids: Sequence[str]) -> dict[str, str]:
    """``event id -> cluster id`` for those of ``event_ids`` that have a cluster."""
    out: dict[str, str] = {}
    for chunk in chunked(list(dict.fromkeys(event_ids))):
        marks = ",".join("?" * len(chunk))
        for eid, cid in conn.execute(
            f"SELECT id, cluster_id FROM events WHERE id IN ({marks}) AND cluster_id IS NOT NULL",
            list(chunk),
        ):
            out[eid] = cid
    return out


def load_clusters(conn: sqlite3.Connection, cluster_ids: Sequence[str]) -> dict[str, ClusterRow]:
    out: dict[str, ClusterRow] = {}
    cols = ", ".join(_ROW_COLS)
    for chunk in chunked(list(dict.fromkeys(cluster_ids))):
        marks = ",".join("?" * len(chunk))
        for r in conn.execute(
            f"SELECT {cols} FROM event_clusters WHERE id IN ({marks})", list(chunk)
        ):
            out[r[0]] = ClusterRow(*r)
    return out


def save_cluster(conn: sqlite3.Connection, row: ClusterRow, now: str) -> None:
    """Insert or replace one cluster row."""
    cols = [*_ROW_COLS, "updated_at"]
    # its columns as they are (all scalars): ``astuple`` deep-copied each one
    conn.execute(
        f"INSERT INTO event_clusters ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        " ON CONFLICT(id) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in cols[1:]),
        (*(getattr(row, c) for c in _ROW_COLS), now),
    )


def delete_cluster(conn: sqlite3.Connection, cluster_id: str) -> None:
    conn.execute("DELETE FROM event_clusters WHERE id = ?", (cluster_id,))


def assign(conn: sqlite3.Connection, event_ids: Sequence[str], cluster_id: str) -> int:
    """Put events in a cluster; returns how many changed cluster."""
    # rowcount, not total_changes: the rows triggers change (event_map) do not count
    cur = conn.executemany(
        "UPDATE events SET cluster_id = ? WHERE id = ? AND cluster_id IS NOT ?",
        [(cluster_id, e, cluster_id) for e in event_ids],
    )
    return max(cur.rowcount, 0)


def move_members(conn: sqlite3.Connection, old: str, new: str) -> int:
    """Every event of cluster ``old`` into ``new`` (one indexed update); returns how many."""
    if old == new:
        return 0
    return conn.execute(
        "UPDATE events SET cluster_id = ? WHERE cluster_id = ?", (new, old)
    ).rowcount


def document_in_cluster(
    conn: sqlite3.Connection, cluster_id: str, document_id: str, other_than: str
) -> bool:
    """Whether another event of ``document_id`` is already in the cluster."""
    return (
        conn.execute(
            "SELECT 1 FROM events WHERE document_id = ? AND cluster_id = ? AND id != ? LIMIT 1",
            (document_id, cluster_id, other_than),
        ).fetchone()
        is not None
    )


def cluster_documents(conn: sqlite3.Connection, cluster_id: str) -> int:
    row = conn.execute(
        "SELECT COUNT(DISTINCT document_id) FROM events WHERE cluster_id = ?", (cluster_id,)
    ).fetchone()
    return int(row[0] or 0)


def partners(conn: sqlite3.Connection, event_id: str, kind: str) -> list[str]:
    """The events a user judged (``kind``: user_merge or user_split) against ``event_id``."""
    return sorted(
        r[0]
        for r in conn.execute(
            "SELECT b FROM cluster_edges WHERE a = ? AND kind = ?"
            " UNION SELECT a FROM cluster_edges WHERE b = ? AND kind = ?",
            (event_id, kind, event_id, kind),
        )
    )


def partners_of(
    conn: sqlite3.Connection, event_ids: Sequence[str], kind: str
) -> dict[str, list[str]]:
    """:func:`partners` of each of ``event_ids`` that has any, in one read per 250 ids."""
    wanted = set(event_ids)
    found: dict[str, set[str]] = {}
    for chunk in chunked(list(dict.fromkeys(event_ids)), _CHUNK // 2):
        marks = ",".join("?" * len(chunk))
        for a, b in conn.execute(
            f"SELECT a, b FROM cluster_edges WHERE kind = ? AND a IN ({marks})"
            f" UNION SELECT a, b FROM cluster_edges WHERE kind = ? AND b IN ({marks})",
            (kind, *chunk, kind, *chunk),
        ):
            if a in wanted:
                found.setdefault(a, set()).add(b)
            if b in wanted:
                found.setdefault(b, set()).add(a)
    return {e: sorted(p) for e, p in found.items()}


def split_between(conn: sqlite3.Connection, a: str, b: str) -> bool:
    """Whether a user split any event of ``a``'s cluster from any of ``b``'s (user splits
    are few: this reads them all)."""
    return (
        conn.execute(
            "SELECT 1 FROM cluster_edges ce JOIN events x ON x.id = ce.a"
            " JOIN events y ON y.id = ce.b WHERE ce.kind = ? AND"
            " ((x.cluster_id = (SELECT cluster_id FROM events WHERE id = ?)"
            " AND y.cluster_id = (SELECT cluster_id FROM events WHERE id = ?)) OR"
            " (x.cluster_id = (SELECT cluster_id FROM events WHERE id = ?)"
            " AND y.cluster_id = (SELECT cluster_id FROM events WHERE id = ?))) LIMIT 1",
            (EDGE_SPLIT, a, b, b, a),
        ).fetchone()
        is not None
    )


def reset_auto(conn: sqlite3.Connection) -> None:
    """Drop every automatic judgement (auto edges, blocks, clusters); keep the user's."""
    conn.execute("DELETE FROM cluster_edges WHERE kind = ?", (EDGE_AUTO,))
    conn.execute("DELETE FROM event_blocks")
    conn.execute("DELETE FROM event_block_ids")
    conn.execute("UPDATE events SET cluster_id = NULL WHERE cluster_id IS NOT NULL")
    conn.execute("DELETE FROM event_clusters")


def cluster_key(conn: sqlite3.Connection, id_: str) -> str | None:
    """The cluster key of an event id (its cluster, or itself when unclustered) or of a
    cluster id; None when neither."""
    row = conn.execute(
        "SELECT COALESCE(cluster_id, id) FROM events WHERE id = ?", (id_,)
    ).fetchone()
    if row is not None:
        return str(row[0])
    if conn.execute("SELECT 1 FROM events WHERE cluster_id = ? LIMIT 1", (id_,)).fetchone():
        return id_
    return None


def cluster_count(conn: sqlite3.Connection, where: str, params: Sequence[Any]) -> int:
    """How many cluster keys have at least one event matching ``where``."""
    from fftrack.store.mapview import cluster_keys_source

    table, key = cluster_keys_source(conn)
    row = conn.execute(f"SELECT COUNT(DISTINCT {key}) FROM {table}{where}", list(params)).fetchone()
    return int(row[0] or 0)


# -- merged views ------------------------------------------------------------------------


def cluster_page(
    conn: sqlite3.Connection, where: str, params: Sequence[Any], limit: int | None, offset: int
) -> list[str]:
    """Cluster keys (``cluster_id``, or the event id of an unclustered event) with at
    least one event matching ``where``, ordered by their earliest date, paged."""
    from fftrack.store.mapview import cluster_keys_source

    table, key = cluster_keys_source(conn)
    # (not ``ds``: event_map has a column of that name, which ``ds IS NULL`` would read)
    sql = (
        f"SELECT {key} AS cid, MIN(date_start) AS first_ds FROM {table}"
        f"{where} GROUP BY cid ORDER BY first_ds IS NULL, first_ds, cid"
    )
    p = list(params)
    if limit is not None or offset:
        sql += " LIMIT ? OFFSET ?"
        p.extend([limit if limit is not None else -1, offset])
    return [r[0] for r in conn.execute(sql, p)]


def _members(marks: str) -> str:
    """``e`` is a member of the cluster keys ``marks`` (twice its parameters): its
    cluster's, or an unclustered event's own id. Two indexed reads: SQLite would answer
    the same test written with OR by reading every event."""
    return (
        "e.id IN (SELECT x.id FROM events x INDEXED BY events_cluster"
        f" WHERE x.cluster_id IN ({marks}) UNION ALL SELECT y.id FROM events y"
        f" WHERE y.id IN ({marks}) AND y.cluster_id IS NULL)"
    )


def cluster_member_rows(
    conn: sqlite3.Connection, keys: Sequence[str], *, full: bool = True
) -> list[sqlite3.Row]:
    """Every event of the clusters ``keys`` (a key may be an unclustered event's id) with
    its document's publication date; ``full`` adds the source (sentence, title, url...)."""
    cols = "COALESCE(e.cluster_id, e.id) AS cid, e.id, e.document_id, e.data, d.published"
    if full:
        cols += f", {_SOURCE_SQL.format(sentence=_sentence_expr(conn))}"
    out: list[sqlite3.Row] = []
    for chunk in chunked(list(keys)):
        marks = ",".join("?" * len(chunk))
        out.extend(
            rows(
                conn,
                f"SELECT {cols} FROM events e JOIN documents d ON d.id = e.document_id"
                f" WHERE {_members(marks)} ORDER BY e.id",
                list(chunk) * 2,
            )
        )
    return out


_SOURCE_SQL = (
    'e.start, e."end", e.sentence_start, e.date_start, e.date_end, e.date_precision,'
    " e.confidence, {sentence} AS sentence, d.title, d.url, d.source"
)
_SOURCE_ORDER = "d.published IS NULL, d.published, e.document_id, e.start, e.id"


def cluster_source_rows(
    conn: sqlite3.Connection, keys: Sequence[str], limit: int | None, offset: int = 0
) -> list[sqlite3.Row]:
    """A page of each cluster's sources (oldest publication first): at most ``limit``
    (None: all) after skipping ``offset``, with everything ``cluster_member_rows`` gives."""
    cols = (
        "COALESCE(e.cluster_id, e.id) AS cid, e.id, e.document_id, e.data, d.published, "
        + _SOURCE_SQL.format(sentence=_sentence_expr(conn))
    )
    hi = -1 if limit is None else offset + limit
    out: list[sqlite3.Row] = []
    for chunk in chunked(list(keys)):
        marks = ",".join("?" * len(chunk))
        out.extend(
            rows(
                conn,
                f"SELECT * FROM (SELECT {cols}, ROW_NUMBER() OVER (PARTITION BY"
                f" COALESCE(e.cluster_id, e.id) ORDER BY {_SOURCE_ORDER}) AS rn"
                " FROM events e JOIN documents d ON d.id = e.document_id"
                f" WHERE {_members(marks)})"
                " WHERE rn > ? AND (? < 0 OR rn <= ?) ORDER BY cid, rn",
                [*chunk, *chunk, offset, hi, hi],
            )
        )
    return out


def _sentence_expr(conn: sqlite3.Connection) -> str:
    """The stored sentence (schema v4) where there is one, else cut from the document."""
    cut = "substr(d.text, e.sentence_start + 1, e.sentence_end - e.sentence_start)"
    cols = {r[1] for r in conn.execute("PRAGMA table_info(events)")}
    return f"COALESCE(e.sentence, {cut})" if "sentence" in cols else cut


def cluster_edge_rows(
    conn: sqlite3.Connection, member_ids: Sequence[str], of: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """The edges among ``member_ids`` as dicts (for ``show``: why these were merged);
    ``of``: only those touching these events (a page of a large cluster)."""
    if not has_tables(conn):
        return []
    members = set(member_ids)
    out = []
    for r in edges_of(conn, list(member_ids if of is None else of)):
        if r["a"] in members and r["b"] in members:
            out.append(
                {
                    "a": r["a"],
                    "b": r["b"],
                    "kind": r["kind"],
                    "score": r["score"],
                    "algorithm": r["algorithm"],
                    "features": json.loads(r["features"]) if r["features"] else None,
                    "created_at": r["created_at"],
                }
            )
    out.sort(key=lambda e: (e["a"], e["b"], e["kind"]))
    return out


def movement_rows(conn: sqlite3.Connection, where: str, params: Sequence[Any]) -> list[sqlite3.Row]:
    return rows(
        conn,
        "SELECT m.id, m.document_id, m.date_start, m.date_end, m.data, d.published"
        f" FROM (SELECT * FROM movements{where}) m JOIN documents d ON d.id = m.document_id"
        " ORDER BY m.date_start, m.id",
        list(params),
    )


def actor_rows(conn: sqlite3.Connection, where: str, params: Sequence[Any]) -> list[sqlite3.Row]:
    return rows(
        conn,
        f"SELECT id, document_id, name, normalized, kind, country FROM actors{where} ORDER BY id",
        list(params),
    )
