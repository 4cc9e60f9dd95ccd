"""Read-only views over a store: listings with filters, one record, one document, stats.

A StoreReader opens the file read-only (``file:...?mode=ro``), so queries can run while
a writer writes (WAL); ``busy_timeout`` makes a brief lock wait instead of failing. A
store in a read-only place (read-only filesystem, a folder we may not write to), where
SQLite cannot create the WAL's -shm file, is opened ``immutable=1`` instead.
Rows are the records' ``to_dict()`` plus ``document_id`` and ``sources``.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from fftrack import readmodel
from fftrack.errors import NotFoundError, StoreError, UsageError
from fftrack.store import mapview, merged_map, merged_rows
from fftrack.store.merged_rows import ClusterRows
from fftrack.store.migrations import (
    BUSY_TIMEOUT_S,
    check_sqlite_file,
    configure,
    current_version,
    store_error,
)
from fftrack.store.query import Query, order_limit, where_clause
from fftrack.store.schema import KINDS, LATEST_VERSION, TABLES

log = logging.getLogger(__name__)

# what fftrack.views.StoreReader adds: merged across sources by fftrack.resolve
_VIEWS = frozenset(
    {
        "merged_events",
        "merged_events_of",
        "merged_event",
        "iter_merged_events",
        "flows",
        "resolved_actors",
    }
)

MAX_CLUSTER_SOURCES = 100  # other reports' sources listed with one event of a cluster
MMAP_BYTES = 256 * 1024 * 1024  # of a store read through memory mapping

# a record (r) with the source it came from: the sentence cut from its document's text
_SOURCE_COLS = """
       r.start AS s_start, r."end" AS s_end, r.sentence_start AS s_sentence_start,
       COALESCE(r.sentence,
                substr(d.text, r.sentence_start + 1, r.sentence_end - r.sentence_start))
           AS s_sentence,
       d.title AS s_title, d.url AS s_url, d.published AS s_published, d.source AS s_source
"""
_ORDER = " ORDER BY r.date_start IS NULL, r.date_start, r.date_end, r.id"


class StoreReader:
    """Read-only access to a store file. Thread-safe (one lock around the connection)."""

    def __init__(self, path: str | Path, *, migrate: bool = True) -> None:
        """Open ``path`` read-only.

        A store written by an older fftrack is first brought up to date (a short write
        transaction per migration, as ``Store.open`` does) unless ``migrate`` is False,
        in which case it is refused with a one-line StoreError.
        """
        p = Path(path).expanduser()
        if not p.exists():
            raise StoreError(f"no store at {p} (run `fftrack ingest` first)")
        check_sqlite_file(p)
        self.path = p
        self._lock = threading.RLock()
        conn, version = self._connect(p)
        if version < LATEST_VERSION:
            conn.close()
            if not migrate:
                raise StoreError(
                    f"store {p} has schema v{version}, this fftrack needs v{LATEST_VERSION}: "
                    "open it for writing once (e.g. `fftrack ingest`) to migrate it"
                )
            from fftrack.store.writer import Store

            try:
                Store.open(p).close()
            except StoreError as exc:
                raise StoreError(f"store {p} needs a schema upgrade: {exc}") from exc
            conn, version = self._connect(p)
        self._conn: sqlite3.Connection | None = conn

    @staticmethod
    def _connect(p: Path) -> tuple[sqlite3.Connection, int]:
        try:
            return _open_ro(p)
        except _CannotOpen as exc:
            cause = exc.__cause__
            why = read_only_location(p)
            if why is None:
                raise StoreError(f"cannot open store {p}: {cause}") from cause
        # SQLite cannot create the -shm (and -wal) files beside a store in a read-only
        # place; as nobody can write there either, the file is opened as immutable
        wal = p.with_name(p.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise StoreError(
                f"cannot read store {p}: it is in a read-only place ({why}) and {wal.name} "
                "holds writes not yet merged into it, which SQLite can only read where it "
                "may create the -shm file: copy the store with its -wal file somewhere "
                "writable (or open it for writing once where it can be written)"
            )
        log.info("store %s is in a read-only place (%s): opened as immutable", p, why)
        try:
            return _open_ro(p, immutable=True)
        except _CannotOpen as exc:
            raise StoreError(f"cannot open store {p} ({why}): {exc.__cause__}") from exc.__cause__

    # -- lifecycle ---------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """Run several queries against one consistent state of the store (holds the lock).

        A SQLite error inside (a resolver's own queries too) becomes a StoreError.
        """
        with self._lock:
            conn = self._conn
            if conn is None:
                raise StoreError(f"store {self.path} is closed")
            own = not conn.in_transaction
            try:
                if own:
                    conn.execute("BEGIN")
                try:
                    yield
                finally:
                    if own and conn.in_transaction:
                        conn.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                raise store_error(exc, self.path) from exc

    if not TYPE_CHECKING:  # (mypy keeps checking attributes)

        def __getattr__(self, name: str) -> Any:
            if name in _VIEWS:
                raise AttributeError(
                    f"{name} is a merged view: use fftrack.StoreReader (fftrack.views."
                    f"StoreReader), which merges these rows with fftrack.resolve, or "
                    f"fftrack.views.{name}"
                )
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _live(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"store {self.path} is closed")
        return self._conn

    def _rows(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            if self._conn is None:
                raise StoreError(f"store {self.path} is closed")
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.DatabaseError as exc:  # locked, damaged, ...
                raise store_error(exc, self.path) from exc

    # -- listings ------------------------------------------------------------------------

    def events(self, q: Query | None = None) -> list[dict[str, Any]]:
        return self.select("event", q)

    def movements(self, q: Query | None = None) -> list[dict[str, Any]]:
        return self.select("movement", q)

    def figures(self, q: Query | None = None) -> list[dict[str, Any]]:
        return self.select("figure", q)

    def actors(self, q: Query | None = None) -> list[dict[str, Any]]:
        return self.select("actor", q)

    def places(self, q: Query | None = None) -> list[dict[str, Any]]:
        return self.select("place", q)

    def select(self, kind: str, q: Query | None = None) -> list[dict[str, Any]]:
        """Records of ``kind`` (event, movement, figure, actor, place or their plurals)."""
        table = _table(kind)
        q = q or Query()
        where, params = where_clause(table, q)
        tail, tail_params = order_limit(q)
        with self._snapshot():
            rows = self._rows(
                f"SELECT r.*, {_SOURCE_COLS} FROM ({_inner(table)}{where}{tail}) AS r"
                f" JOIN documents d ON d.id = r.document_id{_ORDER}",
                params + tail_params,
            )
            return self._hydrate(table, rows)

    # -- the rows of the merged views (``fftrack.views`` merges them) ------------------

    def cluster_page_rows(self, q: Query, sources_limit: int | None) -> ClusterRows:
        """The event clusters ``q`` pages with a page of each one's sources
        (``merged_rows.cluster_page_rows``), in one snapshot."""
        with self._snapshot():
            return merged_rows.cluster_page_rows(self._live(), q, sources_limit)

    def cluster_rows_for(self, keys: list[str], sources_limit: int | None) -> ClusterRows:
        """The clusters ``keys`` in that order, with the first page of each one's sources
        (``merged_rows.cluster_rows_for``), in one snapshot."""
        with self._snapshot():
            return merged_rows.cluster_rows_for(self._live(), keys, sources_limit)

    def cluster_rows_of(
        self, id_: str, *, edges: bool = True, sources_limit: int | None, sources_offset: int = 0
    ) -> ClusterRows:
        """One event cluster by cluster id or any member's event id, with its merge edges
        (``merged_rows.cluster_rows_of``), in one snapshot."""
        with self._snapshot():
            return merged_rows.cluster_rows_of(
                self._live(),
                id_,
                edges=edges,
                sources_limit=sources_limit,
                sources_offset=sources_offset,
            )

    def movement_rows(self, q: Query) -> list[sqlite3.Row]:
        """Every movement ``q`` matches (unpaged), for flows."""
        with self._snapshot():
            return merged_rows.movement_rows(self._live(), q)

    def actor_rows(self, q: Query) -> list[sqlite3.Row]:
        """Every actor mention ``q`` matches (unpaged), for resolved actors."""
        with self._snapshot():
            return merged_rows.actor_rows(self._live(), q)

    # -- the map's slim event rows (``mapview``) -------------------------------------------

    def event_page(
        self,
        q: Query | None = None,
        *,
        limit: int,
        after: mapview.Key | None = None,
        offset: int = 0,
        geojson: bool = False,
    ) -> mapview.Page:
        """A page of slim event rows as JSON texts (GeoJSON Features of the located ones
        if ``geojson``), keyset-paged by ``after`` (a page's ``next``) or by ``offset``."""
        q = (q or Query()).validate()
        with self._snapshot():
            return mapview.page(
                self._live(), q, limit=limit, after=after, offset=offset, geojson=geojson
            )

    def event_counts(self, q: Query | None = None) -> tuple[int, int]:
        """``(events matching q, of them without coordinates)``."""
        q = (q or Query()).validate()
        with self._snapshot():
            return mapview.counts(self._live(), q)

    def timeline_counts(
        self, q: Query | None = None, *, merged: bool = False
    ) -> list[dict[str, Any]]:
        """Events matching ``q`` counted by type and own date period (``n`` each); with
        ``merged``, event clusters (``mapview.merged_timeline_rows``)."""
        q = (q or Query()).validate()
        with self._snapshot():
            if merged:
                stored = merged_map.timeline_rows(self._live(), q)
                if stored is not None:
                    return stored
                return mapview.merged_timeline_rows(self._live(), q)
            return mapview.timeline_rows(self._live(), q)

    def merged_page(
        self,
        q: Query | None = None,
        *,
        limit: int,
        after: merged_map.Key | None = None,
        offset: int = 0,
        geojson: bool = False,
    ) -> merged_map.Page:
        """A page of event clusters with their stored merged rows (GeoJSON Features if
        ``geojson``), keyset-paged by ``after`` (a page's ``next``) or by ``offset``; a
        stale cluster's row is for the caller to merge (``merged_map.page``)."""
        q = (q or Query()).validate()
        with self._snapshot():
            return merged_map.page(
                self._live(), q, limit=limit, after=after, offset=offset, geojson=geojson
            )

    # -- streams (exports: a batch at a time, memory flat) -------------------------------

    def iter_cluster_batches(self, q: Query) -> Generator[ClusterRows, None, None]:
        """The event clusters ``q`` pages, a batch at a time (``merged_rows.cluster_batches``).
        Holds the reader's snapshot until exhausted or closed."""
        with self._snapshot():
            yield from merged_rows.cluster_batches(self._live(), q)

    def iter_select(
        self, kind: str, q: Query | None = None
    ) -> Generator[dict[str, Any], None, None]:
        """``select(kind, q)`` a batch at a time."""
        table = _table(kind)
        q = q or Query()
        where, params = where_clause(table, q)
        tail, tail_params = order_limit(q)
        with self._snapshot():
            cur = self._live().execute(
                f"SELECT r.*, {_SOURCE_COLS} FROM ({_inner(table)}{where}{tail}) AS r"
                f" JOIN documents d ON d.id = r.document_id{_ORDER}",
                params + tail_params,
            )
            while batch := cur.fetchmany(500):
                for r, d in zip(batch, self._hydrate(table, batch), strict=True):
                    # a movement or figure dated in its own text: the period it gives
                    if "date_start" not in d and (d.get("date") or d.get("as_of")):
                        d["date_start"], d["date_end"] = r["date_start"], r["date_end"]
                    yield d

    def iter_table(
        self, table: str, columns: list[str]
    ) -> Generator[list[tuple[Any, ...]], None, None]:
        """Batches of raw rows of one store table (``streams.EXPORT_TABLES``)."""
        from fftrack.store import streams

        with self._snapshot():
            yield from streams.table_rows(self._live(), table, columns)

    def iter_reference(
        self,
        source: str,
        since: str | None = None,
        until: str | None = None,
        country: str | None = None,
    ) -> Generator[dict[str, Any], None, None]:
        """Imported reference events (``fftrack import acled``), apart from ours."""
        from fftrack.store import reference

        with self._snapshot():
            yield from reference.reference_rows(self._live(), source, since, until, country)

    def merged_count(self, q: Query | None = None) -> int:
        """How many merged events (clusters) ``merged_events(q)`` pages through."""
        q = (q or Query()).validate()
        with self._snapshot():
            return merged_map.count(self._live(), q)

    def count(self, kind: str, q: Query | None = None) -> int:
        table = _table(kind)
        where, params = where_clause(table, (q or Query()).unpaged())
        return int(self._rows(f"SELECT COUNT(*) FROM {table}{where}", params)[0][0])

    # -- single items --------------------------------------------------------------------

    def record(self, id: str) -> dict[str, Any]:
        """Any record by id: ``{"kind": ..., **record, "document_id", "sources"}``.

        ``kind`` (and ``record_kind``) is event, movement, figure, actor or place; an
        actor's own ``kind`` (armed_group, ...) is given as ``actor_kind``. An event
        cluster id gives the cluster's first event, its ``sources`` those of every member.
        """
        if not isinstance(id, str) or not id.strip():
            raise UsageError("a record id is a non-empty string")
        rid = id.strip()
        with self._snapshot():
            return self._record(rid)

    def _record(self, rid: str) -> dict[str, Any]:
        for table, kind in TABLES.items():
            rows = self._rows(
                f"SELECT r.*, {_SOURCE_COLS} FROM ({_inner(table)} WHERE id = ?) AS r"
                " JOIN documents d ON d.id = r.document_id",
                (rid,),
            )
            if rows:
                rec = self._hydrate(table, rows)[0]
                if "kind" in rec:  # an actor's own kind (armed_group, ...)
                    rec["actor_kind"] = rec.pop("kind")
                return {"kind": kind, "record_kind": kind, **rec}
        # an event cluster id (cross-source dedup): its first member, with every source
        row = self._rows("SELECT MIN(id) FROM events WHERE cluster_id = ?", (rid,))
        if row and row[0][0] is not None:
            return self._record(row[0][0])
        raise NotFoundError(f"no record with id {rid!r} in {self.path}")

    def document(self, id: str) -> dict[str, Any]:
        """One document with its text, metadata and record counts."""
        with self._snapshot():
            return self._document(id)

    def _document(self, id: str) -> dict[str, Any]:
        rows = self._rows("SELECT * FROM documents WHERE id = ?", (id,))
        if not rows:
            raise NotFoundError(f"no document with id {id!r} in {self.path}")
        r = rows[0]
        d: dict[str, Any] = {
            "id": r["id"],
            "title": r["title"],
            "url": r["url"],
            "published": r["published"],
            "source": r["source"],
            "language": r["language"],
            "origin": r["origin"],
            "ingested_at": r["ingested_at"],
            "text": r["text"],
            "records_meta": json.loads(r["records_meta"]) if r["records_meta"] else None,
        }
        counts = {}
        for table in TABLES:
            counts[table] = int(
                self._rows(f"SELECT COUNT(*) FROM {table} WHERE document_id = ?", (id,))[0][0]
            )
        d["counts"] = counts
        return d

    def documents(self, limit: int | None = None, offset: int = 0) -> list[readmodel.DocumentRow]:
        """Document metadata (no text), by publication date then id."""
        sql = (
            "SELECT id, title, url, published, source, language, origin, ingested_at "
            "FROM documents ORDER BY published IS NULL, published, id"
        )
        params: list[Any] = []
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            params = [limit if limit is not None else -1, offset]
        return [readmodel.DocumentRow(*r) for r in self._rows(sql, params)]

    def failures(self, limit: int | None = None) -> list[readmodel.FailureRow]:
        """The ingest failure log, newest first."""
        sql = "SELECT source, line, reason, recorded_at FROM ingest_failures ORDER BY id DESC"
        params: list[Any] = []
        if limit is not None:
            sql += " LIMIT ?"
            params = [limit]
        return [readmodel.FailureRow(*r) for r in self._rows(sql, params)]

    def schema_version(self) -> int:
        row = self._rows("SELECT MAX(version) FROM schema_migrations")[0]
        return int(row[0]) if row[0] is not None else 0

    # -- stats -----------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """Counts of everything, events by type, country and month (one consistent snapshot).

        ``events_by_month`` counts an event in a month when its date period (or, undated,
        its document's publication date) lies within that month; events dated only to a
        season or year are counted in ``events_without_month``.
        """
        with self._snapshot():
            return self._stats()

    def _stats(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "documents": int(self._rows("SELECT COUNT(*) FROM documents")[0][0]),
        }
        for table in ("events", "movements", "figures", "actors", "places"):
            out[table] = int(self._rows(f"SELECT COUNT(*) FROM {table}")[0][0])
        out["events_by_type"] = {
            r[0]: r[1]
            for r in self._rows(
                "SELECT event_type, COUNT(*) FROM events GROUP BY event_type "
                "ORDER BY COUNT(*) DESC, event_type"
            )
        }
        out["events_by_country"] = {
            (r[0] or "unknown"): r[1]
            for r in self._rows(
                "SELECT country, COUNT(*) FROM events GROUP BY country "
                "ORDER BY COUNT(*) DESC, country IS NULL, country"
            )
        }
        # an event counts in a month when its date period lies within that month
        out["events_by_month"] = {
            r[0]: r[1]
            for r in self._rows(
                "SELECT substr(date_start, 1, 7) AS m, COUNT(*) FROM events "
                "WHERE date_start IS NOT NULL AND substr(date_start, 1, 7) = substr(date_end, 1, 7) "
                "GROUP BY m ORDER BY m"
            )
        }
        out["events_without_month"] = out["events"] - sum(out["events_by_month"].values())
        out["movements_by_manner"] = {
            r[0]: r[1]
            for r in self._rows(
                "SELECT manner, COUNT(*) FROM movements GROUP BY manner "
                "ORDER BY COUNT(*) DESC, manner"
            )
        }
        out["figures_by_category"] = {
            r[0]: r[1]
            for r in self._rows(
                "SELECT category, COUNT(*) FROM figures GROUP BY category "
                "ORDER BY COUNT(*) DESC, category"
            )
        }
        out["failures"] = int(self._rows("SELECT COUNT(*) FROM ingest_failures")[0][0])
        return out

    # -- internals ---------------------------------------------------------------------------

    def _hydrate(self, table: str, rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
        """Row dicts: the stored ``to_dict()``, ``document_id`` and ``sources``.

        An event in a cluster (cross-source dedup) lists its own source first, then the
        sources of the other events of its cluster.
        """
        members: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        if table == "events":
            clusters = sorted({r["cluster_id"] for r in rows if r["cluster_id"] is not None})
            for i in range(0, len(clusters), 500):
                chunk = clusters[i : i + 500]
                marks = ",".join("?" * len(chunk))
                # at most MAX_CLUSTER_SOURCES of each cluster (``show`` pages the rest)
                for m in self._rows(
                    "SELECT * FROM (SELECT r.id, r.cluster_id, r.document_id,"
                    f" {_SOURCE_COLS}, ROW_NUMBER() OVER (PARTITION BY r.cluster_id"
                    " ORDER BY r.id) AS rn FROM events r"
                    f" JOIN documents d ON d.id = r.document_id"
                    f" WHERE r.cluster_id IN ({marks})) WHERE rn <= ?"
                    " ORDER BY cluster_id, id",
                    [*chunk, MAX_CLUSTER_SOURCES + 1],
                ):
                    members.setdefault(m["cluster_id"], []).append((m["id"], _source(m)))
        out = []
        for r in rows:
            d: dict[str, Any] = json.loads(r["data"])
            d["document_id"] = r["document_id"]
            sources = [_source(r)]
            if table == "events":
                d["cluster_id"] = r["cluster_id"]
                for mid, src in members.get(r["cluster_id"], []):
                    if mid != r["id"]:
                        sources.append(src)
            d["sources"] = sources
            out.append(d)
        return out


class _CannotOpen(Exception):
    """SQLite could not open the file read-only (SQLITE_CANTOPEN or SQLITE_READONLY);
    ``__cause__`` is its error."""


def _open_ro(p: Path, *, immutable: bool = False) -> tuple[sqlite3.Connection, int]:
    """A read-only connection to ``p`` (URI ``mode=ro``, with ``immutable=1`` if asked)
    and the store's schema version."""
    uri = p.resolve().as_uri() + "?mode=ro" + ("&immutable=1" if immutable else "")
    try:
        conn = sqlite3.connect(
            uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open store {p}: {exc}") from exc
    try:
        configure(conn, readonly=True)
        # pages read through the OS's page cache, shared by every connection (the web app
        # holds one per worker thread), not copied into each one's own cache
        conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        version = current_version(conn, p)
    except sqlite3.OperationalError as exc:
        conn.close()
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
        if code in _CANNOT_OPEN or "unable to open" in str(exc):
            raise _CannotOpen(str(exc)) from exc
        raise StoreError(f"cannot open store {p}: {exc}") from exc
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{p} is not an fftrack store ({exc})") from exc
    except BaseException:
        conn.close()
        raise
    if version == 0:
        conn.close()
        raise StoreError(f"{p} is an empty file, not an fftrack store yet (run `fftrack ingest`)")
    conn.row_factory = sqlite3.Row
    return conn, version


# SQLITE_READONLY, SQLITE_CANTOPEN: what SQLite answers when it may not create the -shm
# file (a folder without write permission, a read-only filesystem)
_CANNOT_OPEN = (8, 14)


def read_only_location(p: Path) -> str | None:
    """Why SQLite may not create files beside ``p`` (a read-only filesystem, a folder we
    may not write to), or None when nothing says so."""
    folder = p.resolve().parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "read-only filesystem"
    except OSError:
        pass
    if not os.access(folder, os.W_OK):
        return f"no permission to create files in {folder}"
    return None


def _inner(table: str) -> str:
    extra = ", cluster_id" if table == "events" else ""
    return (
        f'SELECT id, document_id, data, date_start, date_end, start, "end",'
        f" sentence_start, sentence_end, sentence{extra} FROM {table}"
    )


def _source(r: sqlite3.Row) -> dict[str, Any]:
    return {
        "document_id": r["document_id"],
        "start": r["s_start"],
        "end": r["s_end"],
        "sentence": r["s_sentence"],
        "sentence_start": r["s_sentence_start"],
        "title": r["s_title"],
        "url": r["s_url"],
        "published": r["s_published"],
        "source": r["s_source"],
    }


def _table(kind: str) -> str:
    k = (kind or "").strip().lower()
    if k in KINDS:
        return KINDS[k]
    if k in TABLES:
        return k
    raise UsageError(f"unknown record kind {kind!r}: use one of {', '.join(KINDS)}")
