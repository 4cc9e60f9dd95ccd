"""Opening SQLite files and bringing their schema up to date.

``connect`` opens a connection with the settings every fftrack connection uses (WAL,
foreign keys, a busy timeout so "database is locked" waits instead of failing);
``migrate`` applies the pending migrations of ``schema.MIGRATIONS``, each in its own
``BEGIN IMMEDIATE ... COMMIT`` transaction, and records them in ``schema_migrations``.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from fftrack.errors import StoreError
from fftrack.store.schema import LATEST_VERSION, MIGRATIONS

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 30.0
WRITER_CACHE_KIB = 64 * 1024  # a writer's page cache (PRAGMA cache_size), in KiB
T = TypeVar("T")

_MIGRATIONS_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
)
"""


def utcnow() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def check_sqlite_file(path: Path) -> None:
    """Raise StoreError if ``path`` exists, is not empty and is not a SQLite file."""
    if not path.exists():
        return
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not an fftrack store")
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if head and head != SQLITE_MAGIC:
        raise StoreError(f"{path} is not an fftrack store (not a SQLite database)")


_CORRUPT_CODES = (11, 26)  # SQLITE_CORRUPT, SQLITE_NOTADB (primary result codes)


def is_damage(exc: BaseException) -> bool:
    """Whether a SQLite error says the file itself is damaged (a corrupt page, not a lock)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in _CORRUPT_CODES:
        return True
    return isinstance(exc, sqlite3.DatabaseError) and "malformed" in str(exc)


def damaged(path: Path | str, detail: object) -> StoreError:
    """The one-line error for a store whose file is damaged."""
    detail = " ".join(str(detail).split())  # quick_check answers on several lines
    return StoreError(
        f"store {path} is damaged ({detail}): restore it from a backup, "
        "or ingest again into a new store"
    )


def store_error(exc: sqlite3.Error, path: Path | str, doing: str = "read") -> StoreError:
    """A StoreError for a SQLite failure while ``doing`` (read, write, open) the store."""
    if is_damage(exc):
        return damaged(path, exc)
    return StoreError(f"cannot {doing} store {path}: {exc}")


def check_integrity(conn: sqlite3.Connection, path: Path | str) -> None:
    """Raise StoreError if ``PRAGMA quick_check`` finds the file damaged.

    Run before anything is written, so a damaged store is refused rather than written
    into (and made worse). It reads every page once: cheap next to an ingest.
    """
    try:
        rows = conn.execute("PRAGMA quick_check(1)").fetchall()
    except sqlite3.OperationalError as exc:
        raise store_error(exc, path, "check") from exc
    except sqlite3.DatabaseError as exc:
        if is_damage(exc) and "not a database" not in str(exc):
            raise damaged(path, exc) from exc
        raise StoreError(f"{path} is not an fftrack store ({exc})") from exc
    result = "; ".join(str(r[0]) for r in rows)
    if result != "ok":
        raise damaged(path, f"quick_check: {result[:200]}")


def configure(conn: sqlite3.Connection, *, readonly: bool = False) -> None:
    """Per-connection settings."""
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    if not readonly:
        # a journal-mode change needs the file to itself: when another process opens the
        # store at the same moment SQLite answers "locked" at once, without waiting
        mode = _when_unlocked(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone())
        if mode is None or str(mode[0]).lower() != "wal":
            log.warning("could not switch the store to WAL mode (got %r)", mode)
        conn.execute("PRAGMA synchronous = NORMAL")
        # a writer's page cache: every batch inserts into a dozen indexes (the map's wide
        # ones among them) at places all over their B-trees, and clustering reads events
        # by id; SQLite's default 2 MB dropped and read the same pages again once a store
        # outgrew it (ingest CPU beside the model ~15% less at 3,000 documents)
        conn.execute(f"PRAGMA cache_size = -{WRITER_CACHE_KIB}")


def _when_unlocked(fn: Callable[[], T]) -> T:
    """Run ``fn``, retrying while SQLite reports the database locked (up to the busy timeout)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    delay = 0.01
    while True:
        try:
            return fn()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


def current_version(conn: sqlite3.Connection, path: Path | str = "") -> int:
    """The schema version of an open store: 0 for an empty file.

    Raises StoreError if the file holds tables but is not an fftrack store, or was
    written by a newer fftrack.
    """
    try:
        tables = {
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        }
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} is not an fftrack store ({exc})") from exc
    if "schema_migrations" not in tables:
        if tables - {"sqlite_sequence"}:
            raise StoreError(f"{path} is not an fftrack store (no schema_migrations table)")
        return 0
    row = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    version = int(row[0]) if row and row[0] is not None else 0
    if version > LATEST_VERSION:
        raise StoreError(
            f"{path} has schema version {version}, newer than this fftrack knows "
            f"({LATEST_VERSION}); upgrade fftrack"
        )
    return version


def migrate(conn: sqlite3.Connection, target: int | None = None, path: Path | str = "") -> int:
    """Apply pending migrations up to ``target`` (default: the latest). Returns the version.

    ``conn`` must be in autocommit mode (``isolation_level=None``).
    """
    target = LATEST_VERSION if target is None else target
    version = current_version(conn, path)
    if version >= target:
        return version
    for migration in MIGRATIONS:
        if migration.version <= version or migration.version > target:
            continue
        log.info("migrating %s to schema v%d (%s)", path, migration.version, migration.name)
        try:
            # everything under the write lock (BEGIN IMMEDIATE waits for it): a schema
            # read followed by a write in autocommit mode can deadlock with another
            # process opening the store, and SQLite then fails at once
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(_MIGRATIONS_TABLE)
            # re-check under the write lock: another process may have migrated meanwhile
            row = conn.execute(
                "SELECT 1 FROM schema_migrations WHERE version = ?", (migration.version,)
            ).fetchone()
            if row is None:
                for statement in _statements(migration.sql):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, utcnow()),
                )
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StoreError(
                f"cannot migrate {path} to schema v{migration.version} ({migration.name}): {exc}"
            ) from exc
        version = migration.version
    return version


def _statements(sql: str) -> list[str]:
    """Split a migration script into complete statements."""
    out: list[str] = []
    buf = ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        raise ValueError(f"incomplete SQL statement in migration: {buf.strip()[:60]}")
    return out
