"""Streaming reads for exports: rows come a batch at a time, so memory stays flat
however many records a store holds.

- the rows merged events are built from, a batch of clusters at a time:
  ``merged_rows.cluster_batches`` (``fftrack.views.iter_merged_events`` merges them).
- ``table_rows(conn, table, columns)``: the raw rows of one store table, in rowid order.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from fftrack.errors import UsageError

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
