"""All cores of one machine: worker processes forked from a process that has loaded the
model, one writer (the parent).

The parent builds the Pipeline once; the workers are forked from it, so they share its
loaded model and gazetteer pages instead of each loading its own (which costs a Dask
worker seconds of CPU and its own memory). Documents go to the workers in small parts and
come back as records (``Extraction``: frozen dataclasses), never as spaCy docs. The runner
submits the next batch before it writes the last one (``submit``), so the workers never
wait for the writer. A worker exits when its parent dies (Linux ``PR_SET_PDEATHSIG``), so a
killed ingest leaves no process behind.

Where ``fork`` is not available (macOS's default, Windows) or for a cluster, use the Dask
path (``fftrack.scale.DaskExtractor``).
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from typing import Any

from fftrack.errors import FftrackError
from fftrack.records import Document, Extraction
from fftrack.scale import Result, partitions

log = logging.getLogger(__name__)

_PIPELINE: Any = None  # set in the parent before the fork; the workers inherit it


class WorkerError(FftrackError):
    """A document's extraction failed in a worker process (the reason, as text)."""


def _die_with_parent() -> None:
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the pool's own cleanup still runs
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


def _extract(documents: list[Document]) -> list[tuple[Document, Extraction | None, str | None]]:
    out: list[tuple[Document, Extraction | None, str | None]] = []
    for document, extraction, error in _PIPELINE.process_safe(documents):
        out.append((document, extraction, None if error is None else str(error) or repr(error)))
    return out


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class LocalPool:
    """A callable for ``runner.run_ingest(extract=...)``: ``workers`` forked processes."""

    def __init__(self, pipeline: Any, *, workers: int) -> None:
        global _PIPELINE
        if not can_fork():
            raise FftrackError("worker processes need the 'fork' start method here: use Dask")
        _PIPELINE = pipeline
        self.workers = workers
        self._pool = multiprocessing.get_context("fork").Pool(workers, initializer=_die_with_parent)
        log.info("%d worker processes (pid %d is the writer)", workers, os.getpid())

    def __call__(self, documents: list[Document]) -> Iterator[Result]:
        return iter(self.submit(documents)())

    def submit(self, documents: list[Document]) -> Callable[[], list[Result]]:
        """Start a batch on the workers; the returned callable waits for its results, in
        the order given."""
        if not documents:
            return list
        parts = partitions(documents, self.workers * 2)
        pending = [self._pool.apply_async(_extract, (part,)) for part in parts]

        limit = float(getattr(getattr(_PIPELINE, "config", None), "doc_time_limit", 900.0))

        def collect() -> list[Result]:
            out: list[Result] = []
            for part, job in zip(parts, pending, strict=True):
                try:
                    # the per-document guard bounds a part; past that the worker is lost
                    got = job.get(timeout=limit * len(part) + 120.0)
                except multiprocessing.TimeoutError:
                    reason = WorkerError("the worker process stopped answering")
                    out.extend((document, None, reason) for document in part)
                    continue
                for document, extraction, error in got:
                    failure = None if error is None else WorkerError(error)
                    out.append((document, extraction, failure))
            return out

        return collect

    def close(self) -> None:
        global _PIPELINE
        self._pool.terminate()
        self._pool.join()
        _PIPELINE = None

    def __enter__(self) -> LocalPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["LocalPool", "WorkerError", "can_fork"]
