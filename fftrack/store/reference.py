"""Reference events (ACLED's, GDELT's: coded by others), kept apart from what fftrack extracted.

``reference_events`` holds one row per imported event, keyed by ``(source, ref_id)``;
importing the same file again replaces its rows. Nothing here is read by the listings,
the merge or the web map: only ``fftrack compare`` reads it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

REFERENCE_SQL = """
CREATE TABLE IF NOT EXISTS reference_events (
    source TEXT NOT NULL,
    ref_id TEXT NOT NULL,
    event_date TEXT,
    date_start TEXT,
    date_end TEXT,
    time_precision INTEGER,
    event_type TEXT,
    sub_event_type TEXT,
    family TEXT,
    actor1 TEXT,
    actor2 TEXT,
    country TEXT,
    admin1 TEXT,
    admin2 TEXT,
    location TEXT,
    lat REAL,
    lon REAL,
    geo_precision INTEGER,
    fatalities INTEGER,
    notes TEXT,
    data TEXT NOT NULL,
    imported_from TEXT,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (source, ref_id)
);
CREATE INDEX IF NOT EXISTS reference_events_date ON reference_events(source, date_start);
"""

COLUMNS = (
    "ref_id",
    "event_date",
    "date_start",
    "date_end",
    "time_precision",
    "event_type",
    "sub_event_type",
    "family",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "admin2",
    "location",
    "lat",
    "lon",
    "geo_precision",
    "fatalities",
    "notes",
)


def write_reference(
    conn: sqlite3.Connection,
    source: str,
    rows: Iterable[dict[str, Any]],
    imported_from: str,
    now: str,
) -> int:
    """Insert (or replace) reference rows inside the caller's transaction."""
    cols = ("source", *COLUMNS, "data", "imported_from", "imported_at")
    sql = (
        f"INSERT OR REPLACE INTO reference_events ({', '.join(cols)}) "
        f"VALUES ({', '.join('?' * len(cols))})"
    )
    n = 0
    for r in rows:
        conn.execute(
            sql,
            (
                source,
                *(r.get(c) for c in COLUMNS),
                json.dumps(r.get("data") or {}, ensure_ascii=False, sort_keys=True),
                imported_from,
                now,
            ),
        )
        n += 1
    return n


def reference_rows(
    conn: sqlite3.Connection,
    source: str,
    since: str | None = None,
    until: str | None = None,
    country: str | None = None,
) -> Iterator[dict[str, Any]]:
    """Reference events of ``source`` whose period overlaps [since, until], in ``country``."""
    conds = ["source = ?"]
    params: list[Any] = [source]
    if since:
        conds.append("date_end >= ?")
        params.append(since)
    if until:
        conds.append("date_start <= ?")
        params.append(until)
    if country:
        conds.append("country = ?")
        params.append(country.upper())
    cur = conn.cursor()
    cur.row_factory = sqlite3.Row
    cur.execute(
        f"SELECT {', '.join(COLUMNS)}, data FROM reference_events WHERE {' AND '.join(conds)}"
        " ORDER BY date_start, ref_id",
        params,
    )
    for r in cur:
        row = dict(r)
        try:
            row["data"] = json.loads(row["data"]) if row.get("data") else {}
        except ValueError:
            row["data"] = {}
        yield row


def count(conn: sqlite3.Connection, source: str) -> int:
    row = conn.execute("SELECT COUNT(*) FROM reference_events WHERE source = ?", (source,))
    return int(row.fetchone()[0])
