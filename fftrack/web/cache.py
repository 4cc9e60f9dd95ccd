"""A small answer cache for the read-only API, invalidated when the store file changes.

The map page asks the same questions again and again (same filters, new pan or reload),
and building 10k GeoJSON features costs far more than sending cached bytes. Entries are
keyed by the request (path and sorted query) and tagged with the store's *version*: the
size and modification time of the database file and its WAL, so a concurrent ``fftrack
ingest`` that commits anything makes every older entry stale. Identical concurrent
requests are computed once (single flight). Bounded in bytes; least recently used first out.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

ALGORITHM = "web.cache.v1"
DEFAULT_MAX_BYTES = 128 * 1024 * 1024


def store_version(db_path: Path) -> tuple[int, ...]:
    """A value that changes whenever the store's files change (stat of db, -wal)."""
    out: list[int] = []
    for suffix in ("", "-wal"):
        try:
            st = os.stat(f"{db_path}{suffix}")
        except OSError:
            out.extend((-1, -1))
        else:
            out.extend((st.st_mtime_ns, st.st_size))
    return tuple(out)


@dataclass(frozen=True)
class Answer:
    """Rendered bytes and their entity tag (a hash of the bytes)."""

    body: bytes
    etag: str

    @classmethod
    def of(cls, body: bytes) -> Answer:
        return cls(body, '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"')


class AnswerCache:
    def __init__(self, db_path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.db_path = db_path
        self.max_bytes = max(0, int(max_bytes))
        self._entries: OrderedDict[str, tuple[tuple[int, ...], Answer]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._flights: dict[str, threading.Lock] = {}
        self.hits = 0
        self.misses = 0

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def get_or_make(self, key: str, make: Callable[[], bytes]) -> Answer:
        """The answer for ``key``: cached if the store has not changed, else ``make()``."""
        if not self.enabled:
            return Answer.of(make())
        version = store_version(self.db_path)
        hit = self._lookup(key, version)
        if hit is not None:
            return hit
        with self._lock:
            flight = self._flights.setdefault(key, threading.Lock())
        with flight:
            hit = self._lookup(key, version)
            if hit is not None:
                return hit
            answer = Answer.of(make())
            self._store(key, version, answer)
        with self._lock:
            self._flights.pop(key, None)
        return answer

    def _lookup(self, key: str, version: tuple[int, ...]) -> Answer | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != version:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[1]

    def _store(self, key: str, version: tuple[int, ...], answer: Answer) -> None:
        if len(answer.body) > self.max_bytes // 4:
            return  # one answer may not crowd out the rest
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1].body)
            self._entries[key] = (version, answer)
            self._bytes += len(answer.body)
            while self._bytes > self.max_bytes and self._entries:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= len(dropped.body)

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {
                "entries": len(self._entries),
                "bytes": self._bytes,
                "hits": self.hits,
                "misses": self.misses,
            }
