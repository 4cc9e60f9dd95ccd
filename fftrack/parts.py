"""Long documents read in parts, and the per-document guard.

A document longer than ``Config.part_chars`` is cut at paragraph breaks (then lines, then
sentences) into parts that are parsed and extracted one after another; every record's
spans are moved back to offsets in the whole text, so a part's facts point at the same
characters as they would in one pass. Memory then depends on the part, not on the
document. Between parts the guard checks the document's time and the process's resident
memory: a runaway document becomes a reported failure, not a stalled or killed batch.
Where the process's main thread does the work (one process, or a forked worker), an alarm
also stops a document stuck inside one part (``time_limit``).
"""

from __future__ import annotations

import dataclasses
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from fftrack.errors import DocumentLimitError
from fftrack.nlp.pipeline import split_text
from fftrack.records import Document, Extraction, Span

R = TypeVar("R")


def split_document(document: Document, limit: int) -> list[tuple[int, Document]]:
    """``(offset, part)`` pairs whose texts join back to the document's; each part keeps
    the document's id, title and date, so its records belong to the document."""
    out: list[tuple[int, Document]] = []
    offset = 0
    for piece in split_text(document.text, limit):
        out.append((offset, dataclasses.replace(document, text=piece)))
        offset += len(piece)
    return out


def shifted(record: R, offset: int) -> R:
    """``record`` with every span in it (nested records included) moved by ``offset``."""
    if offset == 0:
        return record
    return _shift(record, offset)  # type: ignore[no-any-return]


def _shift(value: Any, offset: int) -> Any:
    if isinstance(value, Span):
        return Span(
            value.document_id,
            value.start + offset,
            value.end + offset,
            value.sentence_start + offset,
            value.sentence_end + offset,
        )
    if isinstance(value, tuple):
        return tuple(_shift(v, offset) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            v = getattr(value, f.name)
            if isinstance(v, Span | tuple) or dataclasses.is_dataclass(v):
                changes[f.name] = _shift(v, offset)
        return dataclasses.replace(value, **changes) if changes else value
    return value


def join_parts(document: Document, parts: list[tuple[int, Extraction]]) -> Extraction:
    """One extraction of ``document`` from the extractions of its parts."""
    kinds: dict[str, list[Any]] = {
        k: [] for k in ("places", "actors", "events", "movements", "figures")
    }
    for offset, ex in parts:
        for kind, records in kinds.items():
            records.extend(shifted(r, offset) for r in getattr(ex, kind))
    return Extraction(document=document, **{k: tuple(v) for k, v in kinds.items()})


def resident_mb() -> float | None:
    """This process's resident memory in MiB (Linux ``/proc``), or None where unknown."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            pages = int(fh.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / (1 << 20)


class Guard:
    """The per-document limits, checked between the stages and parts of one document."""

    def __init__(self, document: Document, time_limit: float, memory_limit_mb: int) -> None:
        self.document = document
        self.time_limit = time_limit
        self.memory_limit_mb = memory_limit_mb
        self.started = time.monotonic()

    def check(self, done: int, total: int) -> None:
        elapsed = time.monotonic() - self.started
        where = f" (after {done} of {total} parts)" if total > 1 else ""
        if elapsed > self.time_limit:
            raise DocumentLimitError(
                f"document took {elapsed:.0f} s, over the limit of {self.time_limit:.0f} s"
                f"{where}; raise doc_time_limit to read it",
                source=self.document.origin or self.document.id,
            )
        rss = resident_mb()
        if rss is not None and rss > self.memory_limit_mb:
            raise DocumentLimitError(
                f"memory reached {rss:.0f} MiB, over the limit of {self.memory_limit_mb} MiB"
                f"{where}; lower part_chars or raise doc_memory_limit_mb",
                source=self.document.origin or self.document.id,
            )


@contextmanager
def time_limit(seconds: float, document: Document) -> Iterator[None]:
    """Raise ``DocumentLimitError`` inside the block once it has run ``seconds``: an
    extractor looping on one odd sentence is stopped, not waited on for ever.

    It takes the process's ``SIGALRM``, so it acts only in the main thread and only where
    no one else holds that signal (a test runner's timeout, say); elsewhere (Dask's worker
    threads) the checks between parts are the guard."""
    usable = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
    )
    if not usable:
        yield
        return
    started = time.monotonic()

    def on_alarm(signum: int, frame: object) -> None:
        raise DocumentLimitError(
            f"document took {time.monotonic() - started:.0f} s, over the limit of "
            f"{seconds:g} s; raise doc_time_limit to read it",
            source=document.origin or document.id,
        )

    signal.signal(signal.SIGALRM, on_alarm)
    # 0 would mean "never"; it fires again each second, should a broad ``except`` inside
    # the work swallow it
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001), 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)


__all__ = ["Guard", "join_parts", "resident_mb", "shifted", "split_document", "time_limit"]
