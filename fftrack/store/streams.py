"""Streaming reads for exports: rows come a batch at a time, so memory stays flat
however many records a store holds.

- ``merged_events(conn, q)``: the rows of ``fftrack.resolve.merged`` (one per event
  cluster, every source kept), in the order ``StoreReader.merged_events`` gives them,
  plus ``ingested_at`` (when the representative's document was stored).
- ``table_rows(conn, table, columns)``: the raw rows of one store table, in rowid order.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from fftrack.errors import UsageError
from fftrack.store import clusters as sql
from fftrack.store.query import Query, where_clause

BATCH = 500

# the tables (and views) an export may read whole
EXPORT_TABLES = (
    "documents",
    "places",
    "actors",
    "events",
    "movements",
    "figures",
    "event_clusters",
    "cluster_edges",
    "ingest_failures",
)


def merged_events(
    conn: sqlite3.Connection, q: Query, batch: int = BATCH
) -> Iterator[dict[str, Any]]:
    """Merged events matching ``q`` (paged by ``limit``/``offset`` over clusters)."""
    from fftrack.resolve.merged import merge_rows

    where, params = where_clause("events", q.unpaged())
    text = (
        "SELECT COALESCE(cluster_id, id) AS cid, MIN(date_start) AS ds FROM events"
        f"{where} GROUP BY cid ORDER BY ds IS NULL, ds, cid"
    )
    p = list(params)
    if q.limit is not None or q.offset:
        text += " LIMIT ? OFFSET ?"
        p.extend([q.limit if q.limit is not None else -1, q.offset])
    cur = conn.cursor()
    cur.execute(text, p)
    while True:
        keys = [r[0] for r in cur.fetchmany(batch)]
        if not keys:
            break
        groups: dict[str, list[sqlite3.Row]] = {}
        for r in sql.cluster_member_rows(conn, keys):
            groups.setdefault(r["cid"], []).append(r)
        merged = [merge_rows(k, groups[k]) for k in keys if k in groups]
        ingested = _ingested_at(conn, {m["document_id"] for m in merged})
        for m in merged:
            m["ingested_at"] = ingested.get(m["document_id"])
            yield m


def _ingested_at(conn: sqlite3.Connection, ids: set[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for chunk in sql.chunked(sorted(ids)):
        marks = ",".join("?" * len(chunk))
        for r in sql.rows(
            conn, f"SELECT id, ingested_at FROM documents WHERE id IN ({marks})", list(chunk)
        ):
            out[r["id"]] = r["ingested_at"]
    return out


def table_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    """The columns of an export table, as the store has them."""
    _check(table)
    return [str(r[1]) for r in conn.execute(f"PRAGMA table_info({table})")]


def table_rows(
    conn: sqlite3.Connection, table: str, columns: Sequence[str], batch: int = 2000
) -> Iterator[list[tuple[Any, ...]]]:
    """Batches of rows (tuples in the order of ``columns``) of ``table``; a column the
    store does not have (an older schema) reads as NULL."""
    have = set(table_columns(conn, table))
    if not have:
        return
    cols = ", ".join(f'"{c}"' if c in have else "NULL" for c in columns)
    cur = conn.cursor()
    cur.row_factory = None
    cur.execute(f"SELECT {cols} FROM {table} ORDER BY rowid")
    while True:
        chunk = cur.fetchmany(batch)
        if not chunk:
            break
        yield [tuple(r) for r in chunk]


def _check(table: str) -> None:
    if table not in EXPORT_TABLES:
        raise UsageError(f"unknown table {table!r}: use one of {', '.join(EXPORT_TABLES)}")
