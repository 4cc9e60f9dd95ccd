"""Exporters over the row dicts ``fftrack.store.StoreReader`` returns.

``write_rows(rows, fmt, out, kind)`` writes ``rows`` (records' ``to_dict()`` plus
``document_id`` and ``sources``) to the text stream ``out`` as json, jsonl, csv, geojson
or kml. ``kind`` is events, movements, figures, actors, places or flows (singular also
accepted). Source text is untrusted: it is escaped for XML in kml, and spreadsheet
formulas are defused in csv.

``fftrack export`` (``fftrack/cli_export.py``) streams the store into other tools' shapes:
``acled`` (ACLED-shaped CSV), ``geojson`` and ``kml`` (``write_features``,
``write_placemarks``: events and movements mixed), ``jsonl``, ``ftm`` (FollowTheMoney) and
``parquet`` (one file per table); ``datasette`` builds Datasette's ``metadata.json``;
``reference`` reads ACLED's CSV and compares fftrack's events with it, ``gdelt`` reads
GDELT 2.0 event exports (``fips``: GDELT's FIPS 10-4 country codes as ISO). pyarrow and
followthemoney are imported only when their format is asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO

from fftrack.errors import UsageError
from fftrack.export.csvout import flatten, write_csv
from fftrack.export.geojson import feature_collection, write_geojson
from fftrack.export.jsonout import write_json, write_jsonl
from fftrack.export.kml import write_kml

FORMATS = ("json", "jsonl", "csv", "geojson", "kml")
KINDS = ("events", "movements", "figures", "actors", "places", "flows")


def normalize_kind(kind: str) -> str:
    k = (kind or "").strip().lower()
    if k in KINDS:
        return k
    if k + "s" in KINDS:
        return k + "s"
    raise UsageError(f"unknown record kind {kind!r}: use one of {', '.join(KINDS)}")


def write_rows(rows: Iterable[dict[str, Any]], fmt: str, out: TextIO, kind: str) -> int:
    """Write ``rows`` to ``out`` in format ``fmt``. Returns the number of rows written."""
    f = (fmt or "").strip().lower()
    k = normalize_kind(kind)
    if f == "json":
        return write_json(rows, out)
    if f == "jsonl":
        return write_jsonl(rows, out)
    if f == "csv":
        return write_csv(rows, out, k)
    if f == "geojson":
        return write_geojson(rows, out, k)
    if f == "kml":
        return write_kml(rows, out, k)
    raise UsageError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


__all__ = ["FORMATS", "KINDS", "feature_collection", "flatten", "write_rows"]
