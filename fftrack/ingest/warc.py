"""WARC reader (``.warc``, ``.warc.gz``): web archives, Common Crawl news, record by record.

The file is streamed with warcio, one record at a time, so its size is not limited
(each record's payload is, to ``max_bytes``). Each ``response`` record (or ``resource``
record) with an HTML or plain-text payload and a 2xx status becomes one
:class:`~fftrack.records.Document`, read by the HTML (or text) reader:

* ``id``: from the record, ``content_id("warc", WARC-Record-ID)`` (the target URI and
  WARC-Date where a record has no id), so a re-read archive stores nothing twice;
* ``url``: WARC-Target-URI;
* ``published``: the page's own date where the HTML reader finds one, else none. The
  WARC-Date is when the page was fetched, not published, and is not used for it;
* ``origin``: ``PATH@OFFSET``, the byte offset of the record in the file.

Request, metadata, revisit and warcinfo records, non-HTML payloads (images, scripts),
non-2xx responses and pages with no text are passed over silently (counted in a
debug-level log line per file). A broken record (a bad header, corrupt gzip, data cut
short) is a :class:`ReadFailure` naming the file and the record's byte offset; the
reader then looks for the next record start (``WARC/1.x`` at a line start, or the next
gzip member that holds one) and goes on from there. A WARC gzipped as a whole (one
gzip stream, not one member per record) is read too, its offsets those of the
decompressed data.
"""

from __future__ import annotations

import gzip
import logging
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import IO, Any, cast

from fftrack.ingest.base import ReadFailure
from fftrack.records import Document, content_id

log = logging.getLogger(__name__)

WARC_READER = "ingest.warc.v1"
WARC_EXT = frozenset((".warc",))
WARC_MAGIC = b"WARC/1."
_GZIP_MEMBER = b"\x1f\x8b\x08"
_HTML_TYPES = frozenset(("text/html", "application/xhtml+xml"))
_TEXT_TYPES = frozenset(("text/plain",))
_RECORD_LINE = re.compile(rb"WARC/1\.\d\r?\n")
_WINDOW = 1 << 20
MAX_LINE = 1 << 20  # the longest header line read (a WARC or HTTP header)

Item = Document | ReadFailure


def _iterator(fh: IO[bytes]) -> Any:
    from warcio.archiveiterator import ArchiveIterator

    class _Quiet(ArchiveIterator):  # type: ignore[misc]
        """warcio writes a warning to stderr where a record's length looks wrong; the
        library logs instead (same logic as warcio 1.8.1's ``_consume_blanklines``)."""

        def _consume_blanklines(self) -> tuple[bytes | None, int]:
            empty_size = 0
            first_line = True
            while True:
                line = self.reader.readline()
                if len(line) == 0:
                    return None, empty_size
                stripped = line.rstrip()
                if len(stripped) == 0 or first_line:
                    empty_size += len(line)
                    if len(stripped) != 0:
                        log.info("WARC record not followed by a blank line (bad length?)")
                        self.err_count += 1
                    first_line = False
                    continue
                return line, empty_size

    records = _Quiet(fh)
    whole_line = records.reader.readline

    def readline(length: int | None = None) -> bytes:
        # a "line" of gigabytes (junk, a hostile file) is not held whole: the WARC file is
        # not size-limited, so no line may be longer than MAX_LINE (a broken record then)
        return whole_line(MAX_LINE if length is None or length > MAX_LINE else length)

    records.reader.readline = readline
    return records


def read_warc(
    fh: IO[bytes],
    source: str,
    *,
    size: int | None = None,
    max_bytes: int,
    position: Callable[[float], None] | None = None,
) -> Iterator[Item]:
    """Documents (and failures) from a WARC stream (plain or gzip), record by record.

    ``fh`` must be seekable (to go on after a broken record). ``position`` is told the
    share of ``size`` bytes read after each record."""
    skipped: Counter[str] = Counter()
    documents = failures = 0
    raw = fh
    start = fh.tell()
    gz = fh.read(2) == _GZIP_MEMBER[:2]
    whole = False  # one gzip stream over the whole file, not one member per record
    redo = 0  # records already read when the file turned out to be one gzip stream
    while True:
        fh.seek(start)
        records = _iterator(fh)
        offset = start
        passed = 0
        last = None
        try:
            for record in records:
                passed += 1
                last = record
                if passed <= redo:
                    continue
                offset = records.offset
                item = _record_item(record, source, offset, max_bytes, skipped)
                if position is not None and size:
                    position(min(raw.tell(), size) / size)
                if item is not None:
                    documents += isinstance(item, Document)
                    failures += isinstance(item, ReadFailure)
                    yield item
            # a record whose length is wrong reads the records after it as its remainder:
            # they are not lost, the reading goes on at the next record start (a gzip member
            # holding ``WARC/1.`` after the last record read is one for sure; in a plain
            # WARC only where warcio met a record not followed by a blank line, or the
            # last record wanted more bytes than the file had)
            cut = last is not None and getattr(last.raw_stream, "limit", 0) > 0
            nxt = _next_record(fh, offset + 1, gz) if gz or cut or records.err_count else None
            if nxt is None:
                break
            failures += 1
            yield ReadFailure(
                source,
                None,
                f"broken WARC record at byte {offset}: its length is wrong; "
                f"read on from byte {nxt}",
            )
            start, redo = nxt, 0
            continue
        except Exception as exc:  # warcio, zlib, a cut-short stream: the record is broken
            if gz and not whole and "non-chunked gzip" in str(exc):
                # a .warc gzipped whole (not the WARC way, but common): read it as one stream
                log.info("%s: gzipped as a whole, not record by record", source)
                raw.seek(0)
                fh = cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="rb"))
                start, gz, whole, redo = 0, False, True, passed
                continue
            offset = max(getattr(records, "offset", offset), offset)
            reason = _why(exc)
            nxt = _next_record(fh, offset + 1, gz)
            tail = f"; read on from byte {nxt}" if nxt is not None else ""
            where = " of the decompressed data" if whole else ""
            failures += 1
            yield ReadFailure(
                source, None, f"broken WARC record at byte {offset}{where}: {reason}{tail}"
            )
            if nxt is None:
                break
            start, redo = nxt, 0
    if not documents and not failures and not skipped:
        yield ReadFailure(source, None, "empty: no WARC records")
    if skipped:
        log.debug(
            "%s: %d documents; passed over %s",
            source,
            documents,
            ", ".join(f"{n} {why}" for why, n in sorted(skipped.items())),
        )


def _why(exc: Exception) -> str:
    """Why a record is broken, in one printable line."""
    if isinstance(exc, AttributeError | EOFError):  # warcio met the end of the data
        return "the data ends inside the record (file cut short?)"
    if isinstance(exc, zlib.error):
        return f"corrupt gzip data ({exc})"
    text = "".join(c if c.isprintable() and c.isascii() else "?" for c in str(exc))
    return " ".join(text.split())[:120] or type(exc).__name__


def _header(headers: Any, name: str) -> str | None:
    value = headers.get_header(name) if headers is not None else None
    return str(value).strip() or None if value else None


def _record_item(
    record: Any, source: str, offset: int, max_bytes: int, skipped: Counter[str]
) -> Item | None:
    """The document in one record, a failure, or ``None`` (a record passed over)."""
    kind = record.rec_type
    if kind not in ("response", "resource"):
        skipped[f"{str(kind)[:20]} records"] += 1
        return None
    if kind == "response":
        status = record.http_headers.get_statuscode() if record.http_headers else None
        if not status or not str(status).startswith("2"):
            skipped["non-2xx responses"] += 1
            return None
        content_type = _header(record.http_headers, "Content-Type")
    else:
        content_type = _header(record.rec_headers, "Content-Type")
    mime, _, params = (content_type or "").partition(";")
    mime = mime.strip().lower()
    if mime not in _HTML_TYPES and mime not in _TEXT_TYPES:
        skipped["non-HTML payloads"] += 1
        return None
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return ReadFailure(source, None, f"WARC record at byte {offset}: payload over the limit")
    uri = _header(record.rec_headers, "WARC-Target-URI")
    record_id = _header(record.rec_headers, "WARC-Record-ID") or (
        f"{uri} {_header(record.rec_headers, 'WARC-Date')}"
    )
    origin = f"{source}@{offset}"
    doc = _page(body, mime, _charset(params), source, uri, origin)
    if doc is None:
        skipped["pages without text"] += 1
        return None
    return replace(doc, id=content_id("warc", record_id), url=uri or doc.url, origin=origin)


def _charset(params: str) -> str | None:
    m = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", params, re.IGNORECASE)
    return m.group(1) if m else None


def _page(
    body: bytes, mime: str, charset: str | None, source: str, uri: str | None, origin: str
) -> Document | None:
    from fftrack.ingest.decode import BinaryContent, decode_detail
    from fftrack.ingest.html import read_html
    from fftrack.ingest.text import read_text

    if not body.strip():
        return None
    try:
        text = decode_detail(body, charset).text
    except BinaryContent:
        return None
    items = (
        read_html(text, source, url=uri, origin=origin)
        if mime in _HTML_TYPES
        else read_text(text, source, origin=origin)
    )
    for item in items:
        if isinstance(item, Document):
            return item
    return None


def _next_record(fh: IO[bytes], start: int, gz: bool) -> int | None:
    """The byte offset of the next record start at or after ``start``, ``None`` if none:
    a gzip member whose data begins ``WARC/1.``, or (plain WARC) ``WARC/1.x`` on a line
    of its own after a newline."""
    pos = start
    while True:
        fh.seek(pos)
        window = fh.read(_WINDOW + 64)
        if not window:
            return None
        marker = _GZIP_MEMBER if gz else b"\nWARC/1."
        i = window.find(marker)
        while 0 <= i < _WINDOW:
            at = pos + i + (0 if gz else 1)
            if gz:
                fh.seek(at)
                if _gzip_warc(fh.read(4096)):
                    return at
            elif _RECORD_LINE.match(window, i + 1):
                return at
            i = window.find(marker, i + 1)
        if len(window) <= _WINDOW:
            return None
        pos += _WINDOW


def _gzip_warc(head: bytes) -> bool:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16).startswith(WARC_MAGIC)
    except zlib.error:
        return False
