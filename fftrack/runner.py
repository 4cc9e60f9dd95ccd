"""The ingest job: read inputs, skip what the store has, extract the rest, write in batches.

One bad file or document is reported and the batch goes on. Each batch is written in one
transaction, so a killed run leaves complete documents only, and a re-run skips them.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from fftrack.config import Config
from fftrack.errors import FetchError, StoreError, UsageError
from fftrack.ingest import ReadFailure, ReadWarning, iter_documents
from fftrack.ingest.base import Meter, Warn, deferred_language, settle_language
from fftrack.records import Document, Extraction

if TYPE_CHECKING:
    from fftrack.pipeline import Pipeline
    from fftrack.resolve import ActorResolver
    from fftrack.scale import Result
    from fftrack.store import Store

log = logging.getLogger(__name__)

KINDS = ("documents", "places", "actors", "events", "movements", "figures")


@dataclass
class IngestReport:
    """What an ingest did: read, skipped (already stored), failed (where and why), stored,
    and warnings (read, but worth checking: a guessed encoding, a link passed over).

    Every document read is counted once: ``read == skipped + stored["documents"] +
    failed_documents``. A document another writer stored while this run extracted it
    counts as skipped. ``failed`` also lists inputs that gave no document at all (an
    unreadable file, a bad JSONL line); those are not in ``read``.
    """

    read: int = 0
    skipped: int = 0
    failed: list[ReadFailure] = field(default_factory=list)
    stored: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    warnings: list[ReadWarning] = field(default_factory=list)
    failed_documents: int = 0

    def add_stats(self, stats: object) -> None:
        for kind in KINDS:
            self.stored[kind] += int(getattr(stats, kind, 0) or 0)

    def to_dict(self) -> dict[str, object]:
        return {
            "read": self.read,
            "skipped": self.skipped,
            "failed": [
                {"source": f.source, "line": f.line, "reason": f.reason} for f in self.failed
            ],
            "stored": dict(self.stored),
            "warnings": [w.to_dict() for w in self.warnings],
            "failed_documents": self.failed_documents,
        }


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
URL_SCHEMES = ("http", "https")


def url_scheme(arg: str) -> str | None:
    """The scheme of an argument written as a URL (``scheme://...``), lower-cased, or None."""
    m = _SCHEME.match(arg)
    return m.group(1).lower() if m else None


def is_url(arg: str) -> bool:
    """An http(s) URL to fetch; schemes are case-insensitive (``HTTP://`` too)."""
    return url_scheme(arg) in URL_SCHEMES


def unsupported_scheme(arg: str) -> str | None:
    """Why ``arg``, written as a URL of a scheme fftrack does not fetch, is refused."""
    scheme = url_scheme(arg)
    if scheme is None or scheme in URL_SCHEMES:
        return None
    hint = " (give the path itself for a local file)" if scheme == "file" else ""
    return f"unsupported URL scheme {scheme!r}: only http and https URLs are fetched{hint}"


def check_inputs(inputs: Iterable[str]) -> None:
    """Refuse, before anything is read, an input that is a missing path or a URL of a
    scheme other than http(s) (:class:`~fftrack.errors.UsageError`, one line)."""
    for arg in inputs:
        if arg == "-" or is_url(arg):
            continue
        why = unsupported_scheme(arg)
        if why is not None:
            raise UsageError(f"{why}: {arg}")
        if not Path(arg).exists():
            raise UsageError(f"no such file or folder: {arg}")


def store_files(config: Config) -> list[Path]:
    """The store's own files, never read as input when a folder holds them."""
    db = Path(config.db)
    return [
        db,
        db.with_name(db.name + "-wal"),
        db.with_name(db.name + "-shm"),
        db.with_name(db.name + "-journal"),
    ]


def iter_inputs(
    inputs: Sequence[str | Path],
    config: Config,
    stdin: TextIO | None = None,
    *,
    follow_links: bool = False,
    warn: Warn | None = None,
    meter: Meter | None = None,
) -> Iterator[Document | ReadFailure]:
    """Documents from paths, folders, ``-`` (stdin) and http(s) URLs, in the order given.

    A URL's content is read by the same rules as a file's (a bad JSON Lines line is a
    failure either way); a URL of another scheme (``file://``) is a failure. Symbolic
    links out of a folder are passed over unless ``follow_links``. Warnings go to ``warn``;
    ``meter`` is told the bytes of the files read as they are read (:func:`input_bytes`).
    """
    paths: list[str | Path] = []

    def flush() -> Iterator[Document | ReadFailure]:
        yield from iter_documents(
            paths,
            stdin=stdin,
            max_bytes=config.max_file_bytes,
            exclude=store_files(config),
            follow_links=follow_links,
            warn=warn,
            meter=meter,
        )
        paths.clear()

    for arg in inputs:
        if isinstance(arg, str) and url_scheme(arg) is not None:
            if paths:
                yield from flush()
            why = unsupported_scheme(arg)
            if why is not None:
                yield ReadFailure(arg, None, why)
                continue
            from fftrack.ingest.fetch import fetch_items  # the HTTP client, only for URLs

            try:
                yield from fetch_items(
                    arg,
                    timeout=config.fetch_timeout,
                    max_bytes=config.fetch_max_bytes,
                    allow_private=config.allow_private,
                    warn=warn,
                )
            except FetchError as exc:
                yield ReadFailure(arg, None, exc.reason)
        else:
            paths.append(arg)
    if paths:
        yield from flush()


def input_bytes(
    inputs: Sequence[str | Path], config: Config, *, follow_links: bool = False
) -> int | None:
    """The bytes of the files :func:`iter_inputs` will read (folders walked as it walks
    them): the total of a progress bar by input read. ``None`` when it cannot be known
    before the end: an input is stdin or a URL."""
    from fftrack.ingest.dispatch import input_size

    if any(isinstance(a, str) and url_scheme(a) is not None for a in inputs):
        return None
    return input_size(inputs, exclude=store_files(config), follow_links=follow_links)


def batched(
    items: Iterable[Document | ReadFailure], size: int
) -> Iterator[list[Document | ReadFailure]]:
    chunk: list[Document | ReadFailure] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def new_documents(
    batch: Sequence[Document], store: Store, seen: set[str]
) -> tuple[list[Document], int]:
    """Drop documents already in the store or already seen in this run; the language of
    the others is identified here where their reader left it pending
    (:func:`~fftrack.ingest.base.deferred_language`), so a skipped one costs none."""
    known = store.known_documents([d.id for d in batch])
    fresh: list[Document] = []
    skipped = 0
    for d in batch:
        if d.id in known or d.id in seen:
            skipped += 1
            continue
        seen.add(d.id)
        fresh.append(settle_language(d))
    return fresh, skipped


def _cluster(store: Store, event_ids: list[str] | None, resolver: ActorResolver | None) -> None:
    """Cluster new events (``None``: every unclustered one); a SQLite failure there (full
    disk, I/O error) is a StoreError like any other write, not a traceback."""
    import sqlite3

    from fftrack import resolve

    try:
        resolve.cluster_new_events(store, event_ids, resolver=resolver)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot write to store {store.path}: {exc}") from exc


def refresh_merged(store: Store) -> None:
    """Store the merged rows of the event clusters that changed, for the map
    (``fftrack.web.mapview.refresh_merged``: after each batch, so a map served while a
    long ingest runs reads stored rows); a SQLite failure is a StoreError."""
    import sqlite3

    from fftrack.web.mapview import refresh_merged as refresh

    try:
        refresh(store)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot write to store {store.path}: {exc}") from exc


def run_ingest(
    inputs: Sequence[str | Path],
    *,
    store: Store,
    pipeline: Pipeline | None = None,
    config: Config | None = None,
    stdin: TextIO | None = None,
    batch_size: int = 64,
    progress: Callable[[int], None] | None = None,
    extract: Callable[
        [list[Document]], Iterable[tuple[Document, Extraction | None, Exception | None]]
    ]
    | None = None,
    cluster: bool = True,
    follow_links: bool = False,
    on_bytes: Callable[[int], None] | None = None,
    on_skipped: Callable[[int], None] | None = None,
) -> IngestReport:
    """Ingest everything under ``inputs`` into ``store``; never stops on one bad input.

    ``extract`` replaces the in-process pipeline (the Dask runner passes its own).
    With ``cluster``, new events join cross-source clusters after each batch
    (``fftrack.resolve``); events a killed run left unclustered are caught up first.
    ``follow_links`` reads symbolic links that lead out of a folder (passed over, with a
    warning, by default). After each batch is written, ``progress`` is told how many
    inputs it held and ``on_bytes`` how many more bytes of the input files are done with
    (read, and their documents stored): a bar over :func:`input_bytes` has a time left.
    ``on_skipped`` is told, before the batch's ``progress``, how many of its documents the
    store already held (a resumed ingest): a rate can leave them out.
    """
    if extract is None and pipeline is None:
        raise ValueError("run_ingest needs a pipeline or an extract callable")
    config = config or (pipeline.config if pipeline is not None else Config())
    run = extract if extract is not None else pipeline.process_safe  # type: ignore[union-attr]
    report = IngestReport()
    seen: set[str] = set()
    resolver = None
    if cluster:
        from fftrack.resolve import ActorResolver

        resolver = ActorResolver(config=config)
        _cluster(store, None, resolver)
    read = [0, 0]  # bytes of the input files read, and told to on_bytes

    def count(n: int) -> None:
        read[0] += n

    def tell(upto: int) -> None:
        if on_bytes is not None and upto > read[1]:
            on_bytes(upto - read[1])
            read[1] = upto

    items = iter_inputs(
        inputs,
        config,
        stdin,
        follow_links=follow_links,
        warn=report.warnings.append,
        meter=count if on_bytes is not None else None,
    )
    # an extractor that works in other processes (Dask) takes the next batch while this
    # process writes the last one: ``submit`` starts a batch, its result is read later
    submit = getattr(run, "submit", None)
    pending: deque[tuple[int, int, list[ReadFailure], Callable[[], Iterable[Result]]]] = deque()

    def finish(
        n_items: int, upto: int, fails: list[ReadFailure], results: Iterable[Result]
    ) -> None:
        extractions: list[Extraction] = []
        for document, extraction, error in results:
            if extraction is None:
                report.failed_documents += 1
                fails.append(
                    ReadFailure(document.origin or document.id, None, f"extraction failed: {error}")
                )
            else:
                extractions.append(extraction)
                # a document stored without extraction (no model for its language)
                for note in extraction.warnings:
                    report.warnings.append(ReadWarning(document.origin or document.id, None, note))
        if extractions:
            stats = store.write(extractions)
            report.add_stats(stats)
            # stored by another writer since new_documents() looked: already in the store
            report.skipped += len({x.document.id for x in extractions}) - stats.documents
            if resolver is not None:
                new_events = [e.id for x in extractions for e in x.events]
                if new_events:
                    _cluster(store, new_events, resolver)
            refresh_merged(store)  # the map's merged rows of the clusters it changed
        if fails:
            report.failed.extend(fails)
            store.record_failures([(f.source, f.line, f.reason) for f in fails])
        if progress:
            progress(n_items)
        tell(upto)

    # readers leave the language of an undeclared document to new_documents()
    with deferred_language():
        for chunk in batched(items, batch_size):
            docs = [d for d in chunk if isinstance(d, Document)]
            fails = [f for f in chunk if isinstance(f, ReadFailure)]
            report.read += len(docs)
            upto = read[0]  # the bytes through this chunk's last item
            fresh, skipped = new_documents(docs, store, seen)
            report.skipped += skipped
            if on_skipped is not None and skipped:
                on_skipped(skipped)
            if submit is None:
                finish(len(chunk), upto, fails, run(fresh))
                continue
            pending.append((len(chunk), upto, fails, submit(fresh)))
            if len(pending) > 1:
                n_items, done_upto, done_fails, collect = pending.popleft()
                finish(n_items, done_upto, done_fails, collect())
    while pending:
        n_items, done_upto, done_fails, collect = pending.popleft()
        finish(n_items, done_upto, done_fails, collect())
    tell(read[0])  # what the readers read after the last document (a file's end)
    refresh_merged(store)  # and of those the catch-up clustering changed
    return report
