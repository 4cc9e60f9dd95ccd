"""``metadata.json`` for Datasette: titles, table and view descriptions, licences, and
the full-text search and map settings, for ``datasette fftrack.db -m metadata.json``.

The database key is the store file's stem (Datasette names a database after its file:
``fftrack.db`` -> ``fftrack``).
"""

from __future__ import annotations

from typing import Any

METADATA_VERSION = "export.datasette.v1"

DATA_NOTE = (
    "Records extracted by fftrack from the reports ingested into this store. Every record "
    "keeps the document, span and sentence it was read from; the reports' text remains "
    "under its publishers' terms."
)

TABLES: dict[str, dict[str, Any]] = {
    "documents": {
        "description": "Source reports: one row per ingested document, with its full text. "
        "Full-text search (documents_fts) covers title and text.",
        "license": "Publishers' terms (each report's own)",
        "sort_desc": "published",
        "label_column": "title",
        "facets": ["source", "language"],
    },
    "documents_fts": {
        "description": "FTS5 index over documents.title and documents.text (kept in step "
        "by triggers). Search it from the documents table with ?_search=.",
        "hidden": True,
    },
    "merged_events": {
        "description": "One row per event merged across sources (a cluster of per-report "
        "events), with latitude/longitude of its best-resolved place, date of its most "
        "precise report, the fatality range the reports give and the number of sources. "
        "event_sources lists each report.",
        "facets": ["event_type", "country", "date_precision"],
        "sort": "date_start",
    },
    "event_sources": {
        "description": "Every per-report event with its source document (title, URL, "
        "publication date, outlet) and sentence: the provenance of merged_events "
        "(merged_id = merged_events.id).",
        "facets": ["event_type", "source"],
    },
    "events": {
        "description": "Per-report conflict events coded with ACLED's taxonomy (event_type, "
        "sub_event_type), their place, date and span; data holds the full record (JSON).",
        "facets": ["event_type", "country"],
    },
    "movements": {
        "description": "Reported movements of groups between places (origin -> "
        "destination, manner: fled, travelled, returned, ...), with coordinates of each end.",
        "facets": ["manner", "origin_country", "destination_country"],
    },
    "figures": {
        "description": "Reported counts of groups (value, qualifier such as more_than, "
        "category, origin country, as-of date) with who gives the figure in data.",
        "facets": ["category", "country"],
    },
    "actors": {
        "description": "Actor mentions: armed groups, state forces, described groups, with "
        "their normalised name and kind.",
        "facets": ["kind"],
    },
    "places": {
        "description": "Place mentions (toponyms) and the GeoNames entry each resolved to.",
        "facets": ["country", "feature"],
    },
    "event_clusters": {
        "description": "Cross-source event clusters: representative event, size, "
        "documents, date range and the algorithm that made them.",
    },
    "cluster_edges": {
        "description": "Why events were merged (or split): pairwise edges with score, "
        "kind (auto, user_merge, user_split) and algorithm.",
    },
    "ingest_failures": {"description": "Inputs that could not be read, with the reason."},
    "reference_events": {
        "description": "Events coded by others, imported for comparison (fftrack import "
        "acled | gdelt) and kept apart from fftrack's own: source names the dataset, family "
        "the type family fftrack compare matches on, data the imported row in full (JSON).",
        "license": "The reference dataset's own terms (ACLED's terms of use; GDELT: open, "
        "cite the GDELT Project)",
        "facets": ["source", "family", "country"],
        "sort": "date_start",
    },
    "schema_migrations": {"description": "The store's schema versions.", "hidden": True},
    "event_block_ids": {"hidden": True},
    "event_blocks": {"hidden": True},
}


def build_metadata(database: str) -> dict[str, Any]:
    """Datasette metadata for the store whose file stem is ``database``."""
    tables: dict[str, dict[str, Any]] = {}
    for name, meta in TABLES.items():
        tables[name] = dict(meta)
    tables["documents"]["fts_table"] = "documents_fts"
    return {
        "title": "fftrack: sourced conflict events, movements and figures",
        "description": DATA_NOTE,
        "license": "MIT (fftrack software); see each table for its data",
        "license_url": "https://opensource.org/licenses/MIT",
        "source": "fftrack",
        "about": METADATA_VERSION,
        "databases": {
            database: {
                "description": DATA_NOTE,
                "license": "Derived from the ingested reports (publishers' terms)",
                "tables": tables,
            }
        },
    }
