"""Parquet (pyarrow): one file per store table, each with a fixed, documented schema.

``write_parquet(reader, folder)`` writes ``<table>.parquet`` for every table in
``SCHEMAS`` (and ``merged_events.parquet``: one row per event merged across sources, in
the ACLED-shaped columns of ``fftrack.export.acled`` plus ``members`` and ``sources``),
a batch at a time (memory stays flat), each file whole or not at all (a temporary file
renamed at the end). Every file's schema metadata names ``fftrack.table`` and
``fftrack.export`` (``EXPORT_VERSION``).

Types: ``string``, ``int64``, ``float64``; ``date32`` for ``date_start``, ``date_end``
and ``published`` (a day; NULL where the store holds none); ``data`` (and
``records_meta``, ``features``, ``sources``) are JSON text: the record's full
``to_dict()``. The stores' matching helpers (``*_keys`` columns) are left out. A column
that an older store lacks is NULL.

============== ==================================================================
file           columns
============== ==================================================================
documents      id, text, title, url, published (date), source, language, origin,
               ingested_at, records_meta (JSON)
events         id, document_id, cluster_id, event_type, sub_event_type, date_start,
               date_end (dates), date_precision, country, place_name, place_resolved,
               lat, lon, start, end, sentence_start, sentence_end, sentence,
               extractor, confidence, data (JSON)
movements      id, document_id, manner, date_start, date_end, origin_name,
               origin_country, origin_lat, origin_lon, destination_name,
               destination_country, destination_lat, destination_lon, span and
               provenance columns as events, data
figures        id, document_id, category, subject, value, qualifier, country,
               destination, date_start, date_end, span and provenance columns, data
actors         id, document_id, name, normalized, kind, country, date_start,
               date_end, span and provenance columns, data
places         id, document_id, name, resolved_name, country, lat, lon, geonameid,
               feature, date_start, date_end, span and provenance columns, data
event_clusters id, representative, size, documents, date_start, date_end, algorithm,
               updated_at
cluster_edges  a, b, kind, score, algorithm, features (JSON), created_at
ingest_failures id, source, line, reason, recorded_at
merged_events  the ACLED-shaped columns (``fftrack.export.acled.COLUMNS``),
               members (list of event ids), sources (JSON: every source report)
============== ==================================================================
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from fftrack.errors import FftrackError, UsageError
from fftrack.export.acled import COLUMNS as ACLED_COLUMNS
from fftrack.export.acled import acled_row

EXPORT_VERSION = "export.parquet.v1"

_SPAN = (
    "start:int",
    "end:int",
    "sentence_start:int",
    "sentence_end:int",
    "sentence:str",
    "extractor:str",
    "confidence:float",
    "data:str",
)

# table -> "column:type" (str, int, float, date)
SCHEMA_SPEC: dict[str, tuple[str, ...]] = {
    "documents": (
        "id:str",
        "text:str",
        "title:str",
        "url:str",
        "published:date",
        "source:str",
        "language:str",
        "origin:str",
        "ingested_at:str",
        "records_meta:str",
    ),
    "events": (
        "id:str",
        "document_id:str",
        "cluster_id:str",
        "event_type:str",
        "sub_event_type:str",
        "date_start:date",
        "date_end:date",
        "date_precision:str",
        "country:str",
        "place_name:str",
        "place_resolved:str",
        "lat:float",
        "lon:float",
        *_SPAN,
    ),
    "movements": (
        "id:str",
        "document_id:str",
        "manner:str",
        "date_start:date",
        "date_end:date",
        "origin_name:str",
        "origin_country:str",
        "origin_lat:float",
        "origin_lon:float",
        "destination_name:str",
        "destination_country:str",
        "destination_lat:float",
        "destination_lon:float",
        *_SPAN,
    ),
    "figures": (
        "id:str",
        "document_id:str",
        "category:str",
        "subject:str",
        "value:int",
        "qualifier:str",
        "country:str",
        "destination:str",
        "date_start:date",
        "date_end:date",
        *_SPAN,
    ),
    "actors": (
        "id:str",
        "document_id:str",
        "name:str",
        "normalized:str",
        "kind:str",
        "country:str",
        "date_start:date",
        "date_end:date",
        *_SPAN,
    ),
    "places": (
        "id:str",
        "document_id:str",
        "name:str",
        "resolved_name:str",
        "country:str",
        "lat:float",
        "lon:float",
        "geonameid:int",
        "feature:str",
        "date_start:date",
        "date_end:date",
        *_SPAN,
    ),
    "event_clusters": (
        "id:str",
        "representative:str",
        "size:int",
        "documents:int",
        "date_start:date",
        "date_end:date",
        "algorithm:str",
        "updated_at:str",
    ),
    "cluster_edges": (
        "a:str",
        "b:str",
        "kind:str",
        "score:float",
        "algorithm:str",
        "features:str",
        "created_at:str",
    ),
    "ingest_failures": ("id:int", "source:str", "line:int", "reason:str", "recorded_at:str"),
}

_ACLED_INT = {
    "year",
    "time_precision",
    "inter1",
    "inter2",
    "interaction",
    "iso",
    "geo_precision",
    "fatalities",
    "timestamp",
    "sources_count",
    "fatalities_min",
    "fatalities_max",
}
_ACLED_FLOAT = {"latitude", "longitude"}
MERGED_SPEC: tuple[str, ...] = (
    *(
        f"{c}:{'int' if c in _ACLED_INT else 'float' if c in _ACLED_FLOAT else 'date' if c == 'event_date' else 'str'}"
        for c in ACLED_COLUMNS
    ),
    "members:list",
    "sources:str",
)


def _pa() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401
    except ImportError as exc:
        raise UsageError("parquet export needs pyarrow: pip install 'fftrack[parquet]'") from exc
    return pyarrow


def schema(table: str) -> Any:
    """The pyarrow schema of ``<table>.parquet`` (``merged_events`` included)."""
    pa = _pa()
    types = {
        "str": pa.string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "date": pa.date32(),
        "list": pa.list_(pa.string()),
    }
    spec = MERGED_SPEC if table == "merged_events" else SCHEMA_SPEC[table]
    fields = [pa.field(c.split(":")[0], types[c.split(":")[1]]) for c in spec]
    return pa.schema(fields, metadata={"fftrack.table": table, "fftrack.export": EXPORT_VERSION})


def tables() -> tuple[str, ...]:
    return (*SCHEMA_SPEC, "merged_events")


def _day(v: Any) -> date | None:
    if isinstance(v, date):
        return v
    if not isinstance(v, str) or len(v) < 10:
        return None
    try:
        return date.fromisoformat(v[:10])
    except ValueError:
        return None


def _convert(spec: tuple[str, ...]) -> list[Any]:
    out: list[Any] = []
    for c in spec:
        t = c.split(":")[1]
        if t == "date":
            out.append(_day)
        elif t == "int":
            out.append(lambda v: int(v) if isinstance(v, int | float) and v == v else None)
        elif t == "float":
            out.append(lambda v: float(v) if isinstance(v, int | float) else None)
        elif t == "list":
            out.append(lambda v: [str(x) for x in v] if isinstance(v, list) else None)
        else:
            out.append(lambda v: v if v is None or isinstance(v, str) else str(v))
    return out


def _write(
    path: Path, sch: Any, batches: Iterable[list[tuple[Any, ...]]], spec: tuple[str, ...]
) -> int:
    pa = _pa()
    import pyarrow.parquet as pq

    conv = _convert(spec)
    n = 0
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    done = False
    try:
        with pq.ParquetWriter(tmp, sch, compression="zstd") as w:
            for batch in batches:
                cols = list(zip(*batch, strict=True)) if batch else [()] * len(spec)
                arrays = [
                    pa.array([f(v) for v in col], type=sch.field(i).type)
                    for i, (f, col) in enumerate(zip(conv, cols, strict=True))
                ]
                w.write_batch(pa.record_batch(arrays, schema=sch))
                n += len(batch)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        done = True
    except OSError as exc:
        raise FftrackError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if not done:
            Path(tmp).unlink(missing_ok=True)
    return n


def _merged_batches(
    rows: Iterable[dict[str, Any]], size: int = 2000
) -> Iterator[list[tuple[Any, ...]]]:
    cols = [c.split(":")[0] for c in MERGED_SPEC]
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        r = acled_row(row)
        r["members"] = row.get("members") or [row.get("id")]
        r["sources"] = json.dumps(row.get("sources") or [], ensure_ascii=False, default=str)
        batch.append(tuple(r.get(c) for c in cols))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def output_folder(path: str | None) -> Path:
    """The folder Parquet files go to: created if missing (its parent must exist)."""
    if not path or path == "-":
        raise UsageError("parquet writes one file per table: give a folder with -o DIR")
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise UsageError(f"cannot write Parquet files into {path}: it is a file, not a folder")
    if not p.exists():
        if not p.parent.is_dir():
            raise UsageError(f"cannot create {path}: no such folder {p.parent}")
        try:
            p.mkdir()
        except OSError as exc:
            raise UsageError(f"cannot create {path}: {exc.strerror or exc}") from None
    if not os.access(p, os.W_OK):
        raise UsageError(f"cannot write {path}: permission denied")
    return p


def write_parquet(reader: Any, folder: Path) -> dict[str, int]:
    """Write every table (and merged_events) of the store ``reader`` reads into
    ``folder``. Returns rows written per file."""
    _pa()
    counts: dict[str, int] = {}
    for table, spec in SCHEMA_SPEC.items():
        cols = [c.split(":")[0] for c in spec]
        counts[table] = _write(
            folder / f"{table}.parquet", schema(table), reader.iter_table(table, cols), spec
        )
    counts["merged_events"] = _write(
        folder / "merged_events.parquet",
        schema("merged_events"),
        _merged_batches(reader.iter_merged_events()),
        MERGED_SPEC,
    )
    return counts
