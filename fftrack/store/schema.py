"""The store's schema, as an ordered list of migrations.

Each migration is ``(version, name, sql)``; they are applied in order, each in one
transaction, and recorded in ``schema_migrations``. Never edit a released migration:
add a new one. Every record table keeps the record's full ``to_dict()`` in ``data``
(JSON) plus the columns the filters use; ``date_start``/``date_end`` fall back to the
document's publication date when the record itself has no date.
"""

from __future__ import annotations

from typing import NamedTuple

from fftrack.store.clusters import CLUSTERS_SQL, CLUSTERS_V3_SQL  # event clusters (v3, v7)
from fftrack.store.datasette import DATASETTE_SQL  # Datasette/sqlite-utils: FTS5, views (v6)
from fftrack.store.mapview import (
    DATES_INDEX_SQL,  # counts by dates (v10)
    MAPVIEW_SQL,  # the map's slim event rows (v8)
)
from fftrack.store.merged_map import MERGED_SQL  # the map's merged event rows (v9)
from fftrack.store.reference import REFERENCE_SQL  # reference events for compare (v6)


class Migration(NamedTuple):
    version: int
    name: str
    sql: str


# Version 1: documents and the five record tables.
_V1 = """
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    title TEXT,
    url TEXT,
    published TEXT,
    source TEXT,
    language TEXT,
    origin TEXT,
    ingested_at TEXT NOT NULL
);
CREATE INDEX documents_published ON documents(published);

CREATE TABLE places (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    resolved_name TEXT,
    place_keys TEXT NOT NULL,
    country TEXT,
    lat REAL,
    lon REAL,
    geonameid INTEGER,
    feature TEXT,
    date_start TEXT,
    date_end TEXT,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    sentence_start INTEGER NOT NULL,
    sentence_end INTEGER NOT NULL,
    extractor TEXT NOT NULL,
    confidence REAL NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX places_document ON places(document_id);
CREATE INDEX places_country ON places(country);
CREATE INDEX places_date ON places(date_start, date_end);

CREATE TABLE actors (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    normalized TEXT,
    kind TEXT,
    actor_keys TEXT NOT NULL,
    country TEXT,
    date_start TEXT,
    date_end TEXT,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    sentence_start INTEGER NOT NULL,
    sentence_end INTEGER NOT NULL,
    extractor TEXT NOT NULL,
    confidence REAL NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX actors_document ON actors(document_id);
CREATE INDEX actors_date ON actors(date_start, date_end);

CREATE TABLE events (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    event_type TEXT NOT NULL,
    sub_event_type TEXT,
    type_keys TEXT NOT NULL,
    date_start TEXT,
    date_end TEXT,
    date_precision TEXT,
    country TEXT,
    place_name TEXT,
    place_resolved TEXT,
    place_keys TEXT NOT NULL,
    lat REAL,
    lon REAL,
    actor_keys TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    sentence_start INTEGER NOT NULL,
    sentence_end INTEGER NOT NULL,
    extractor TEXT NOT NULL,
    confidence REAL NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX events_document ON events(document_id);
CREATE INDEX events_date ON events(date_start, date_end);
CREATE INDEX events_country ON events(country);
CREATE INDEX events_type ON events(event_type);

CREATE TABLE movements (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    manner TEXT NOT NULL,
    type_keys TEXT NOT NULL,
    date_start TEXT,
    date_end TEXT,
    origin_name TEXT,
    origin_country TEXT,
    origin_lat REAL,
    origin_lon REAL,
    destination_name TEXT,
    destination_country TEXT,
    destination_lat REAL,
    destination_lon REAL,
    country_keys TEXT NOT NULL,
    place_keys TEXT NOT NULL,
    actor_keys TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    sentence_start INTEGER NOT NULL,
    sentence_end INTEGER NOT NULL,
    extractor TEXT NOT NULL,
    confidence REAL NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX movements_document ON movements(document_id);
CREATE INDEX movements_date ON movements(date_start, date_end);

CREATE TABLE figures (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    type_keys TEXT NOT NULL,
    subject TEXT NOT NULL,
    value INTEGER NOT NULL,
    qualifier TEXT NOT NULL,
    country TEXT,
    destination TEXT,
    place_keys TEXT NOT NULL,
    actor_keys TEXT NOT NULL,
    date_start TEXT,
    date_end TEXT,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    sentence_start INTEGER NOT NULL,
    sentence_end INTEGER NOT NULL,
    extractor TEXT NOT NULL,
    confidence REAL NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX figures_document ON figures(document_id);
CREATE INDEX figures_date ON figures(date_start, date_end);
CREATE INDEX figures_country ON figures(country);
"""

# Version 2: a per-document note of what extracted it, the ingest failure log, and a
# cluster id on events for cross-source dedup (left NULL until resolve/ fills it).
_V2 = """
ALTER TABLE documents ADD COLUMN records_meta TEXT;
ALTER TABLE events ADD COLUMN cluster_id TEXT;
CREATE INDEX events_cluster ON events(cluster_id);
CREATE TABLE ingest_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    line INTEGER,
    reason TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
"""

# Version 4: each record keeps its source sentence (SQLite's substr() stops at a NUL
# character, so cutting it from the document text at read time is not safe). Rows
# written before v4 have NULL here and fall back to substr().
_V4 = """
ALTER TABLE places ADD COLUMN sentence TEXT;
ALTER TABLE actors ADD COLUMN sentence TEXT;
ALTER TABLE events ADD COLUMN sentence TEXT;
ALTER TABLE movements ADD COLUMN sentence TEXT;
ALTER TABLE figures ADD COLUMN sentence TEXT;
"""

# Version 5: one row per failed input (source, line, reason); a re-run that meets the
# same bad input again does not log it twice.
_V5 = """
DELETE FROM ingest_failures WHERE id NOT IN (
    SELECT MIN(id) FROM ingest_failures GROUP BY source, COALESCE(line, -1), reason
);
CREATE UNIQUE INDEX ingest_failures_once ON ingest_failures(source, COALESCE(line, -1), reason);
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial", _V1),
    Migration(2, "records_meta_failures_cluster", _V2),
    Migration(3, "event_clusters_edges_blocks", CLUSTERS_SQL),
    Migration(4, "record_sentences", _V4),
    Migration(5, "ingest_failures_once", _V5),
    # exports: FTS5 and views for Datasette, reference events (ACLED) apart from ours
    Migration(6, "exports_fts_views_reference", DATASETTE_SQL + REFERENCE_SQL),
    # clusters are events (resolve.cluster.v3): each cluster row keeps its envelope; v1's
    # clusters and auto edges are dropped, the next ingest rebuilds them
    Migration(7, "event_clusters_v3_envelopes", CLUSTERS_V3_SQL),
    # the map's slim event rows in listing order, kept in step with events by triggers
    Migration(8, "event_map_slim_rows", MAPVIEW_SQL),
    # the map's merged event rows, one per cluster, and the clusters whose row is stale
    Migration(9, "event_merged_rows", MERGED_SQL),
    # the map's counts by dates read a narrow index of the dates (and the point)
    Migration(10, "event_map_dates_index", DATES_INDEX_SQL),
)

LATEST_VERSION = MIGRATIONS[-1].version

# The record tables, by the ``kind`` names the reader and the CLI use.
KINDS: dict[str, str] = {
    "event": "events",
    "movement": "movements",
    "figure": "figures",
    "actor": "actors",
    "place": "places",
}
TABLES: dict[str, str] = {table: kind for kind, table in KINDS.items()}
