"""The writer: one SQLite file, one transaction per batch, idempotent inserts.

``Store.write`` stores each document with all its records in one ``BEGIN IMMEDIATE ...
COMMIT`` per call, so a killed process leaves every document complete or absent. Records
have content-derived ids; inserting one that is already there changes nothing.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from fftrack.errors import StoreError
from fftrack.records import Actor, Event, Extraction, Figure, Movement, Place, Span, TimeRef
from fftrack.store.migrations import (
    BUSY_TIMEOUT_S,
    check_integrity,
    check_sqlite_file,
    configure,
    migrate,
    store_error,
    utcnow,
)
from fftrack.store.query import keys

if TYPE_CHECKING:
    from fftrack.store.cluster_repository import ClusterRepository

log = logging.getLogger(__name__)

WRITER_VERSION = "store.writer.v1"
_CHUNK = 500  # SQLite host-parameter budget per IN (...) query


@dataclass
class WriteStats:
    """What one or more ``Store.write`` calls actually inserted."""

    documents: int = 0
    places: int = 0
    actors: int = 0
    events: int = 0
    movements: int = 0
    figures: int = 0

    @property
    def records(self) -> int:
        return self.places + self.actors + self.events + self.movements + self.figures

    def __add__(self, other: WriteStats) -> WriteStats:
        return WriteStats(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    def to_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


class Store:
    """The read-write store. Open with ``Store.open(path)``; use as a context manager."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path

    @classmethod
    def open(cls, path: str | Path) -> Store:
        """Open (creating if needed) the store at ``path`` and migrate it to the latest schema."""
        p = Path(path).expanduser()
        check_sqlite_file(p)
        if not p.parent.exists():
            raise StoreError(f"cannot create store {p}: directory {p.parent} does not exist")
        try:
            conn = sqlite3.connect(
                str(p), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open store {p}: {exc}") from exc
        try:
            check_integrity(conn, p)  # never write into a damaged file
            configure(conn)
            migrate(conn, path=p)
        except sqlite3.OperationalError as exc:  # read-only file, locked beyond the timeout, ...
            conn.close()
            raise StoreError(f"cannot open store {p}: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(f"{p} is not an fftrack store ({exc})") from exc
        except BaseException:
            conn.close()
            raise
        return cls(conn, p)

    # -- context manager -------------------------------------------------------------

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.execute("PRAGMA optimize")
            except sqlite3.Error:
                pass
            self._conn.close()
            self._conn = None  # type: ignore[assignment]

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"store {self.path} is closed")
        return self._conn

    def clusters(self) -> ClusterRepository:
        """The cluster tables of this store, for ``fftrack.resolve`` to cluster into."""
        from fftrack.store.cluster_repository import ClusterRepository

        return ClusterRepository(self.conn)

    # -- reads the writer needs ------------------------------------------------------

    def known_documents(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are already stored."""
        wanted = list(dict.fromkeys(ids))
        found: set[str] = set()
        for i in range(0, len(wanted), _CHUNK):
            chunk = wanted[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            try:
                rows = self.conn.execute(
                    f"SELECT id FROM documents WHERE id IN ({marks})", chunk
                ).fetchall()
            except sqlite3.Error as exc:
                raise store_error(exc, self.path) from exc
            found.update(r[0] for r in rows)
        return found

    def schema_version(self) -> int:
        row = self.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    # -- writes ----------------------------------------------------------------------

    def write(self, extractions: Sequence[Extraction]) -> WriteStats:
        """Store documents and their records in one transaction. Returns what was new."""
        stats = WriteStats()
        if not extractions:
            return stats
        with self._transaction():
            for ex in extractions:
                self._write_one(ex, stats)
        log.debug("stored %s", stats)
        return stats

    def record_failures(self, failures: Sequence[tuple[str, int | None, str]]) -> None:
        """Log inputs that could not be read: ``(source, line or None, reason)``."""
        if not failures:
            return
        now = utcnow()
        rows = [(str(src), line, str(reason), now) for src, line, reason in failures]
        with self._transaction() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO ingest_failures (source, line, reason, recorded_at) "
                "VALUES (?, ?, ?, ?)",
                rows,
            )

    def import_reference(
        self, source: str, rows: Iterable[dict[str, Any]], imported_from: str = ""
    ) -> int:
        """Store reference events (``fftrack.store.reference``; e.g. ACLED's) in one
        transaction, apart from extracted records. Returns rows written."""
        from fftrack.store.reference import write_reference

        with self._transaction() as conn:
            return write_reference(conn, source, rows, imported_from, utcnow())

    def set_cluster(self, assignments: Iterable[tuple[str, str | None]]) -> int:
        """Set ``cluster_id`` of events: ``(event_id, cluster_id)``. Returns rows changed."""
        with self._transaction() as conn:
            # rowcount, not total_changes: the rows triggers change (event_map) do not count
            cur = conn.executemany(
                "UPDATE events SET cluster_id = ? WHERE id = ?",
                [(cid, eid) for eid, cid in assignments],
            )
        return max(cur.rowcount, 0)

    # -- internals -------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE ... COMMIT`` of a write, rolled back on any error; an
        SQLite error becomes a ``StoreError`` naming the store."""
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise store_error(exc, self.path, "write to") from exc
            raise

    def _write_one(self, ex: Extraction, stats: WriteStats) -> None:
        conn = self.conn
        doc = ex.document
        text = scrub(doc.text)
        published = doc.published.isoformat() if doc.published else None
        meta = _records_meta(ex)
        cur = conn.execute(
            "INSERT INTO documents (id, text, title, url, published, source, language, origin,"
            " ingested_at, records_meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(id) DO NOTHING",
            tuple(
                scrub(v) if isinstance(v, str) else v
                for v in (
                    doc.id,
                    text,
                    doc.title,
                    doc.url,
                    published,
                    doc.source,
                    doc.language,
                    doc.origin,
                    utcnow(),
                    json.dumps(meta, sort_keys=True, ensure_ascii=False),
                )
            ),
        )
        stats.documents += cur.rowcount if cur.rowcount > 0 else 0

        # places and actors: the extraction's own, then any nested in events/movements
        places: dict[str, Place] = {}
        for p in ex.places:
            places.setdefault(p.id, p)
        for e in ex.events:
            if e.place is not None:
                places.setdefault(e.place.id, e.place)
        for m in ex.movements:
            for mp in (m.origin, m.destination, *m.via):
                if mp is not None:
                    places.setdefault(mp.id, mp)
        actors: dict[str, Actor] = {}
        for a in ex.actors:
            actors.setdefault(a.id, a)
        for e in ex.events:
            for a in e.actors:
                actors.setdefault(a.id, a)
        for m in ex.movements:
            if m.actor is not None:
                actors.setdefault(m.actor.id, m.actor)

        stats.places += self._insert(
            "places", [_place_row(p, doc.id, text, published) for p in places.values()]
        )
        stats.actors += self._insert(
            "actors", [_actor_row(a, doc.id, text, published) for a in actors.values()]
        )
        stats.events += self._insert(
            "events", [_event_row(e, doc.id, text, published) for e in ex.events]
        )
        stats.movements += self._insert(
            "movements", [_movement_row(m, doc.id, text, published) for m in ex.movements]
        )
        stats.figures += self._insert(
            "figures", [_figure_row(f, doc.id, text, published) for f in ex.figures]
        )

    def _insert(self, table: str, rows: list[dict[str, Any]]) -> int:
        if not rows:
            return 0
        cols = list(rows[0])
        sql = (
            f"INSERT INTO {table} ({', '.join(_q(c) for c in cols)}) "
            f"VALUES ({', '.join('?' * len(cols))}) ON CONFLICT(id) DO NOTHING"
        )
        # rowcount, not total_changes: the rows triggers write (event_map) do not count
        cur = self.conn.executemany(
            sql, [tuple(map(_storable, map(r.__getitem__, cols))) for r in rows]
        )
        return max(cur.rowcount, 0)


def _storable(value: Any) -> Any:
    return scrub(value) if isinstance(value, str) else value


def _q(col: str) -> str:
    return f'"{col}"'


def _records_meta(ex: Extraction) -> dict[str, Any]:
    extractors: Counter[str] = Counter()
    for group in (ex.places, ex.actors, ex.events, ex.movements, ex.figures):
        for r in group:
            extractors[r.extractor] += 1
    return {
        "writer": WRITER_VERSION,
        "extractors": dict(sorted(extractors.items())),
        "counts": {
            "places": len(ex.places),
            "actors": len(ex.actors),
            "events": len(ex.events),
            "movements": len(ex.movements),
            "figures": len(ex.figures),
        },
        "warnings": list(ex.warnings),
    }


def _dates(t: TimeRef | None, published: str | None) -> tuple[str | None, str | None]:
    if t is not None:
        return t.start.isoformat(), t.end.isoformat()
    return published, published


def _span_cols(span: Span, doc_id: str, text: str) -> dict[str, Any]:
    if span.document_id != doc_id:
        log.warning("record span names document %s, stored under %s", span.document_id, doc_id)
    return {
        "start": span.start,
        "end": span.end,
        "sentence_start": span.sentence_start,
        "sentence_end": span.sentence_end,
        "sentence": text[span.sentence_start : span.sentence_end],
    }


_SURROGATES = re.compile("[\ud800-\udfff]")


def scrub(value: str) -> str:
    """``value`` storable as UTF-8: lone surrogates become U+FFFD (offsets unchanged)."""
    if value.isascii():  # a flag of the string, no scan: most values
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATES.sub("\ufffd", value)
    return value


# what ``json.dumps(d, ensure_ascii=False)`` builds at each call, built once
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=False)


def _json(d: dict[str, Any]) -> str:
    return _ENCODER.encode(d)


def _place_row(p: Place, doc_id: str, text: str, published: str | None) -> dict[str, Any]:
    ds, de = _dates(None, published)
    return {
        "id": p.id,
        "document_id": doc_id,
        "name": p.name,
        "resolved_name": p.resolved_name,
        "place_keys": keys([p.name, p.resolved_name]),
        "country": p.country.upper() if p.country else None,
        "lat": p.lat,
        "lon": p.lon,
        "geonameid": p.geonameid,
        "feature": p.feature,
        "date_start": ds,
        "date_end": de,
        **_span_cols(p.span, doc_id, text),
        "extractor": p.extractor,
        "confidence": p.confidence,
        "data": _json(p.to_dict()),
    }


def _actor_row(a: Actor, doc_id: str, text: str, published: str | None) -> dict[str, Any]:
    ds, de = _dates(None, published)
    return {
        "id": a.id,
        "document_id": doc_id,
        "name": a.name,
        "normalized": a.normalized,
        "kind": a.kind,
        "actor_keys": keys([a.name, a.normalized]),
        "country": a.country.upper() if a.country else None,
        "date_start": ds,
        "date_end": de,
        **_span_cols(a.span, doc_id, text),
        "extractor": a.extractor,
        "confidence": a.confidence,
        "data": _json(a.to_dict()),
    }


def _event_row(e: Event, doc_id: str, text: str, published: str | None) -> dict[str, Any]:
    ds, de = _dates(e.date, published)
    p = e.place
    names: list[str | None] = []
    for a in e.actors:
        names.extend([a.name, a.normalized])
    return {
        "id": e.id,
        "document_id": doc_id,
        "event_type": e.event_type,
        "sub_event_type": e.sub_event_type,
        "type_keys": keys([e.event_type, e.sub_event_type]),
        "date_start": ds,
        "date_end": de,
        "date_precision": e.date.precision if e.date else None,
        "country": p.country.upper() if p and p.country else None,
        "place_name": p.name if p else None,
        "place_resolved": p.resolved_name if p else None,
        "place_keys": keys([p.name, p.resolved_name]) if p else "",
        "lat": p.lat if p else None,
        "lon": p.lon if p else None,
        "actor_keys": keys(names),
        **_span_cols(e.span, doc_id, text),
        "extractor": e.extractor,
        "confidence": e.confidence,
        "data": _json(e.to_dict()),
    }


def _movement_row(m: Movement, doc_id: str, text: str, published: str | None) -> dict[str, Any]:
    ds, de = _dates(m.date, published)
    o, d = m.origin, m.destination
    all_places = [x for x in (o, d, *m.via) if x is not None]
    place_names: list[str | None] = []
    for x in all_places:
        place_names.extend([x.name, x.resolved_name])
    return {
        "id": m.id,
        "document_id": doc_id,
        "manner": m.manner,
        "type_keys": keys([m.manner]),
        "date_start": ds,
        "date_end": de,
        "origin_name": (o.resolved_name or o.name) if o else None,
        "origin_country": o.country.upper() if o and o.country else None,
        "origin_lat": o.lat if o else None,
        "origin_lon": o.lon if o else None,
        "destination_name": (d.resolved_name or d.name) if d else None,
        "destination_country": d.country.upper() if d and d.country else None,
        "destination_lat": d.lat if d else None,
        "destination_lon": d.lon if d else None,
        "country_keys": keys([x.country for x in (o, d) if x is not None]),
        "place_keys": keys(place_names),
        "actor_keys": keys([m.actor.name, m.actor.normalized] if m.actor else []),
        **_span_cols(m.span, doc_id, text),
        "extractor": m.extractor,
        "confidence": m.confidence,
        "data": _json(m.to_dict()),
    }


def _figure_row(f: Figure, doc_id: str, text: str, published: str | None) -> dict[str, Any]:
    ds, de = _dates(f.as_of, published)
    return {
        "id": f.id,
        "document_id": doc_id,
        "category": f.category,
        "type_keys": keys([f.category]),
        "subject": f.subject,
        "value": f.value.value,
        "qualifier": f.value.qualifier,
        "country": f.origin.upper() if f.origin else None,
        "destination": f.destination,
        "place_keys": keys([f.destination]),
        "actor_keys": keys([f.subject, f.group]),
        "date_start": ds,
        "date_end": de,
        **_span_cols(f.span, doc_id, text),
        "extractor": f.extractor,
        "confidence": f.confidence,
        "data": _json(f.to_dict()),
    }
