"""Which reader reads what: files, folders and stdin.

Dispatch is on the extension and on the content:

=====================  ===========================================================
``.jsonl``/``.ndjson``  JSON Lines
``.json``               one object, a list of objects, or JSON Lines after all
``.html``/``.htm``      HTML (a feed inside is read as a feed)
``.xml``/``.rss``       RSS/Atom feed (an HTML page inside is read as HTML)
``.atom``/``.rdf``
anything else           sniffed: ``<rss``/``<feed``/``<rdf:RDF`` -> feed;
(``.txt``, ``.md``)     ``<!doctype html``/``<html`` -> HTML; for unknown extensions
                        only, every line a JSON object -> JSON Lines; else text
=====================  ===========================================================

Gzip and Zstandard files (``dump.jsonl.gz``, ``page.html.gz``, ``dump.jsonl.zst``) are
decompressed first, to at most ``max_bytes`` (a gzip or zstd bomb is refused, not
inflated), and read by the extension inside. WARC files (``.warc``, ``.warc.gz``) are
streamed record by record (:mod:`fftrack.ingest.warc`; no limit on the file's size,
each record's payload limited to ``max_bytes``). A ``.csv``/``.tsv`` file whose header
names a text column and an id or url column is a news export read row by row; one that
lists stories without texts (Media Cloud, GDELT GKG) is one failure saying so
(:mod:`fftrack.ingest.export`).

Before any reader: a missing path, an empty file, a file over ``max_bytes`` (refused
from its size, without reading it) and a binary file become :class:`ReadFailure`.
Folders are walked lazily, depth first and without recursion (any depth), in sorted
order (a folder of over 10,000 entries in the order it is listed, never held whole);
hidden files and folders (name starting with ``.``) are skipped; symbolic links to
folders are not followed, and links to files outside the folder given are passed over
with a warning, unless ``follow_links``. ``-`` is stdin.

JSON Lines are decoded line by line: a line that is not UTF-8 or holds a NUL byte is a
failed line, the others are read exactly. A file under another extension whose lines
are all ``{...}`` is read the same way when it is not clean UTF-8. Any other text whose
encoding had to be guessed (not UTF-8, no BOM, no declared charset) is read with a
warning.
No reader raises: anything unexpected becomes a ReadFailure naming the file.
"""

from __future__ import annotations

import io
import logging
import os
import re
import stat
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from fftrack.ingest.base import (
    DEFAULT_MAX_BYTES,
    STDIN_NAME,
    Meter,
    ReadFailure,
    Warn,
    report_warning,
    skip_prolog,
)
from fftrack.ingest.decode import BinaryContent, decode_detail
from fftrack.ingest.export import read_export
from fftrack.ingest.feeds import looks_like_feed, read_feed
from fftrack.ingest.html import read_html
from fftrack.ingest.jsonl import (
    looks_like_jsonl,
    looks_like_jsonl_bytes,
    read_json,
    read_jsonl,
    read_jsonl_bytes,
)
from fftrack.ingest.text import read_text
from fftrack.ingest.warc import WARC_EXT, WARC_MAGIC, read_warc
from fftrack.ingest.zstd import ZSTD_MAGIC, ZstdDataError, unzstd
from fftrack.records import Document

log = logging.getLogger(__name__)

Item = Document | ReadFailure

JSONL_EXT = frozenset((".jsonl", ".ndjson"))
JSON_EXT = frozenset((".json",))
HTML_EXT = frozenset((".html", ".htm", ".xhtml", ".shtml"))
FEED_EXT = frozenset((".xml", ".rss", ".atom", ".rdf"))
GZIP_MAGIC = b"\x1f\x8b"
COMPRESSED_EXT = frozenset((".gz", ".zst"))
CSV_EXT = frozenset((".csv", ".tsv"))
TEXT_EXT = frozenset((".txt", ".text", ".md", ".markdown"))
_HTML_START = re.compile(r"<!doctype\s+html|<html\b", re.IGNORECASE)


def _human(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{n} bytes"


def looks_like_html(text: str) -> bool:
    return bool(_HTML_START.match(skip_prolog(text)))


def gunzip(data: bytes, max_bytes: int) -> bytes | None:
    """Decompress gzip ``data`` (all members) to at most ``max_bytes``; ``None`` if larger.

    The output is capped while decompressing, so a gzip bomb costs no more memory than
    ``max_bytes``. Raises ``zlib.error``/``EOFError`` on corrupt data.
    """
    out: list[bytes] = []
    size = 0
    rest = data
    while rest:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        chunk = d.decompress(rest, max_bytes + 1 - size)
        size += len(chunk)
        out.append(chunk)
        if size > max_bytes or d.unconsumed_tail:
            return None
        if not d.eof:
            raise EOFError("compressed data ends early")
        rest = d.unused_data.lstrip(b"\x00")  # next member (or padding)
    return b"".join(out)


# compressed data: magic bytes, name, decompress (capped, None past the cap), its
# errors, and the extensions that name it
_CODECS: tuple[
    tuple[
        bytes,
        str,
        Callable[[bytes, int], bytes | None],
        tuple[type[Exception], ...],
        frozenset[str],
    ],
    ...,
] = (
    (GZIP_MAGIC, "gzip", gunzip, (zlib.error, EOFError), frozenset((".gz",))),
    (ZSTD_MAGIC, "zstd", unzstd, (ZstdDataError,), COMPRESSED_EXT),
)


def read_bytes(
    data: bytes,
    source: str,
    *,
    kind: str | None = None,
    declared_charset: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    warn: Warn | None = None,
    position: Callable[[float], None] | None = None,
) -> Iterator[Item]:
    """Read documents from raw bytes. ``kind`` is an extension (``".html"``) or ``None``.

    Gzip data (``.gz`` files) is decompressed first, to at most ``max_bytes``; ``kind`` is
    then the extension inside (``.jsonl`` for ``dump.jsonl.gz``).
    Never raises: every problem becomes a :class:`ReadFailure` for ``source``. A guessed
    encoding is a :class:`~fftrack.ingest.base.ReadWarning` given to ``warn`` (logged
    when ``warn`` is ``None``). ``position`` is told, as JSON Lines are read, the share of
    the data read so far (other formats: nothing, their documents come at the end).
    """
    try:
        for magic, name, unpack, errors, own_ext in _CODECS:
            if not data.startswith(magic):
                continue
            try:
                unpacked = unpack(data, max_bytes)
            except errors as exc:
                yield ReadFailure(source, None, f"corrupt {name} data: {exc}")
                return
            if unpacked is None:
                yield ReadFailure(
                    source, None, f"too large: over {_human(max_bytes)} when decompressed"
                )
                return
            data = unpacked
            if (kind or "").lower() in own_ext:
                kind = None  # read by the extension inside ("dump.jsonl.gz": .jsonl)
            break
        if (kind or "").lower() in WARC_EXT or data[:7] == WARC_MAGIC:
            yield from read_warc(io.BytesIO(data), source, size=len(data), max_bytes=max_bytes)
            return
        yield from _read_bytes(data, source, (kind or "").lower(), declared_charset, warn, position)
    except Exception as exc:  # the promise: one bad input never stops a batch
        log.warning("%s: unexpected reader error", source, exc_info=True)
        yield ReadFailure(source, None, f"unreadable ({type(exc).__name__}: {exc})"[:300])


def _read_bytes(
    data: bytes,
    source: str,
    ext: str,
    declared: str | None,
    warn: Warn | None,
    position: Callable[[float], None] | None = None,
) -> Iterator[Item]:
    if not data.strip():
        yield ReadFailure(source, None, "empty")
        return
    if ext in JSONL_EXT:  # JSON is UTF-8: decoded and judged line by line
        yield from read_jsonl_bytes(data, source, position)
        return
    if ext in CSV_EXT:
        exported = read_export(data, source, warn)
        if exported is not None:  # a news export (else: read as any other text)
            yield from exported
            return
    try:
        decoded = decode_detail(data, declared)
    except BinaryContent:
        decoded = None
    sniff_lines = ext not in TEXT_EXT and ext not in HTML_EXT and ext not in FEED_EXT
    if (decoded is None or decoded.how != "utf-8") and sniff_lines and looks_like_jsonl_bytes(data):
        yield from read_jsonl_bytes(data, source, position)  # JSON Lines with a broken line
        return
    if decoded is None:
        yield ReadFailure(source, None, "binary file")
        return
    text = decoded.text
    if decoded.encoding not in ("utf-8", "utf-8-sig"):
        log.info("%s: decoded as %s", source, decoded.encoding)
    if decoded.guessed:
        report_warning(warn, source, None, decoded.warning())
    if not text.strip():
        yield ReadFailure(source, None, "empty")
        return
    if ext in JSONL_EXT:
        yield from read_jsonl(text, source)
    elif ext in JSON_EXT:
        yield from read_json(text, source)
    elif ext in HTML_EXT:
        if looks_like_feed(text):
            yield from read_feed(data, source, text=text)
        else:
            yield from read_html(text, source)
    elif ext in FEED_EXT:
        if looks_like_html(text) and not looks_like_feed(text):
            yield from read_html(text, source)
        else:
            yield from read_feed(data, source, text=text)
    elif looks_like_feed(text):
        yield from read_feed(data, source, text=text)
    elif looks_like_html(text):
        yield from read_html(text, source)
    elif ext not in TEXT_EXT and looks_like_jsonl(text):
        yield from read_jsonl(text, source)
    else:
        yield from read_text(text, source, warn=warn)


def read_file(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    warn: Warn | None = None,
    meter: Meter | None = None,
) -> Iterator[Item]:
    """Documents (or failures) from one file. Never raises.

    ``meter`` is told the bytes of the file read, as its JSON Lines are read and the rest
    when it is done with (read or refused): its size in all (:func:`input_size`)."""
    files = _FileMeter(meter) if meter is not None else None
    try:
        yield from _read_file(path, max_bytes, warn, files)
    finally:
        if files is not None:
            files.at(1.0)


class _FileMeter:
    """One file's bytes told to a :data:`~fftrack.ingest.base.Meter`: as a share of its
    data is read (``at``), the rest when it is done with; its size in all."""

    def __init__(self, meter: Meter) -> None:
        self.meter = meter
        self.size = 0
        self.told = 0

    def at(self, share: float) -> None:
        n = min(self.size, int(self.size * share)) - self.told
        if n > 0:
            self.told += n
            self.meter(n)


def _read_file(
    path: str | os.PathLike[str], max_bytes: int, warn: Warn | None, files: _FileMeter | None
) -> Iterator[Item]:
    source = str(path)
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        yield ReadFailure(source, None, "no such file or directory")
        return
    except OSError as exc:
        yield ReadFailure(source, None, f"cannot read: {exc.strerror or exc}")
        return
    if p.is_dir():
        yield ReadFailure(source, None, "is a folder (use iter_documents)")
        return
    if not stat.S_ISREG(st.st_mode):
        yield ReadFailure(source, None, "not a regular file")
        return
    if files is not None:
        files.size = st.st_size
    kind = inner_suffix(p)
    if kind in WARC_EXT:  # streamed record by record: no size limit on the file itself
        yield from _read_warc_file(p, source, max_bytes, files)
        return
    if st.st_size > max_bytes:
        yield ReadFailure(
            source, None, f"too large: {_human(st.st_size)} (limit {_human(max_bytes)})"
        )
        return
    try:
        with p.open("rb") as fh:
            # its size and one byte more, not max_bytes: read(n) allocates n bytes first,
            # which for a folder of millions of small files is 50 MB a file
            data = fh.read(st.st_size + 1)
            if len(data) > st.st_size:  # grew since, or a size the system does not report
                data += fh.read(max_bytes + 1 - len(data))
    except OSError as exc:
        yield ReadFailure(source, None, f"cannot read: {exc.strerror or exc}")
        return
    if len(data) > max_bytes:  # grew, or a device that does not report its size
        yield ReadFailure(source, None, f"too large: over {_human(max_bytes)}")
        return
    position = files.at if files is not None else None
    yield from read_bytes(
        data, source, kind=kind, max_bytes=max_bytes, warn=warn, position=position
    )


def inner_suffix(p: Path) -> str:
    """The extension that says how to read ``p``: the one inside ``.gz``/``.zst``
    (``.jsonl`` for ``dump.jsonl.zst``), ``.warc`` for ``x.warc.gz``; lower case."""
    suffixes = [x.lower() for x in p.suffixes[-2:]]
    if len(suffixes) == 2 and suffixes[1] in COMPRESSED_EXT:
        return suffixes[0]
    return p.suffix.lower()


def _read_warc_file(
    p: Path, source: str, max_bytes: int, files: _FileMeter | None
) -> Iterator[Item]:
    try:
        fh = p.open("rb")
    except OSError as exc:
        yield ReadFailure(source, None, f"cannot read: {exc.strerror or exc}")
        return
    size = files.size if files is not None else None
    position = files.at if files is not None else None
    try:
        with fh:
            yield from read_warc(fh, source, size=size, max_bytes=max_bytes, position=position)
    except Exception as exc:  # the promise: one bad input never stops a batch
        log.warning("%s: unexpected reader error", source, exc_info=True)
        yield ReadFailure(source, None, f"unreadable ({type(exc).__name__}: {exc})"[:300])


def input_size(
    paths: Iterable[str | os.PathLike[str]],
    *,
    exclude: Iterable[str | os.PathLike[str]] = (),
    follow_links: bool = False,
) -> int | None:
    """The bytes :func:`iter_documents` will read from ``paths`` (the sizes of the files,
    folders walked the same way), for a progress bar's total; ``None`` when one of them
    is ``-`` (stdin: its length is unknown until its end)."""
    skip = {os.path.abspath(x) for x in exclude}
    total = 0
    for raw in paths:
        if str(raw) == "-":
            return None
        p = Path(raw)
        try:
            if not p.is_dir():
                total += _size(p)
                continue
            for f in walk_folder(p, follow_links=follow_links, warn=lambda _: None):
                if not isinstance(f, ReadFailure) and not (skip and os.path.abspath(f) in skip):
                    total += _size(f)
        except OSError:
            continue
    return total


def _size(p: Path) -> int:
    """What :func:`read_file` tells its meter of ``p``: its size, 0 if not a regular file."""
    try:
        st = p.stat()
    except OSError:
        return 0
    return st.st_size if stat.S_ISREG(st.st_mode) else 0


OUTSIDE_LINK = "symlink outside the input folder (not followed; --follow-links reads it)"


# a folder with more entries than this is walked in the order the file system lists it
# (sorting it would hold every entry in memory first); smaller ones in sorted order
SORTED_FOLDER_MAX = 10_000


def _entries(folder: str) -> Iterator[os.DirEntry[str]]:
    """The entries of ``folder``: sorted by name when there are at most
    :data:`SORTED_FOLDER_MAX`, else streamed as listed (the folder stays open while its
    entries are walked). Raises ``OSError`` when it cannot be listed."""
    it = os.scandir(folder)
    head: list[os.DirEntry[str]] = []
    try:
        for entry in it:
            head.append(entry)
            if len(head) > SORTED_FOLDER_MAX:
                break
        else:
            it.close()
            return iter(sorted(head, key=lambda e: e.name))
    except BaseException:
        it.close()
        raise
    log.info("%s: over %d entries, walked in listing order", folder, SORTED_FOLDER_MAX)
    return _stream(head, it)


def _stream(head: list[os.DirEntry[str]], it: Any) -> Iterator[os.DirEntry[str]]:
    with it:
        yield from head
        del head[:]
        try:
            yield from it
        except OSError as exc:  # the listing broke off: what was listed has been walked
            log.warning("cannot list the rest of a folder: %s", exc.strerror or exc)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def walk_folder(
    folder: str | os.PathLike[str], *, follow_links: bool = False, warn: Warn | None = None
) -> Iterator[Path | ReadFailure]:
    """Files under ``folder``, depth first in sorted order (a folder of more than
    :data:`SORTED_FOLDER_MAX` entries: in listing order), hidden names skipped.

    Iterative and lazy, so any depth is walked (no recursion limit) and nothing is listed
    before it is needed. A subfolder that cannot be listed is a :class:`ReadFailure` and
    the walk goes on. A symbolic link whose target lies outside ``folder`` is passed
    over with a warning (``warn``) unless ``follow_links``; links to folders are
    followed only with ``follow_links`` (each real folder once, so a loop ends). Raises
    ``OSError`` only when ``folder`` itself cannot be listed.
    """
    top = os.fspath(folder)
    root = os.path.realpath(top)
    visited = {root}
    stack = [_entries(top)]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith("."):
            continue
        try:
            link = entry.is_symlink()
            if link:
                target = os.path.realpath(entry.path)
                if not follow_links and not _inside(target, root):
                    report_warning(warn, entry.path, None, f"{OUTSIDE_LINK} -> {target}")
                    continue
            if entry.is_dir(follow_symlinks=False) or (link and follow_links and entry.is_dir()):
                real = os.path.realpath(entry.path) if link else None
                if real is not None:
                    if real in visited:
                        continue
                    visited.add(real)
                try:
                    stack.append(_entries(entry.path))
                except OSError as exc:
                    yield ReadFailure(
                        entry.path, None, f"cannot list folder: {exc.strerror or exc}"
                    )
            elif entry.is_file():
                yield Path(entry.path)
        except OSError:
            yield Path(entry.path)  # read_file reports why


def walk(folder: Path) -> Iterator[Path]:
    """Files under ``folder`` (see :func:`walk_folder`); unlistable subfolders logged."""
    for item in walk_folder(folder):
        if isinstance(item, ReadFailure):
            log.warning("%s", item)
        else:
            yield item


def read_stdin(
    stream: TextIO, *, max_bytes: int = DEFAULT_MAX_BYTES, warn: Warn | None = None
) -> Iterator[Item]:
    """JSON Lines if every non-blank line is a JSON object, else one plain-text document.

    When the stream has a byte buffer (``sys.stdin`` does), the bytes are read and decoded
    like a file's (BOMs, UTF-16, cp1256, latin-1; binary refused), so a pipe in another
    encoding than the terminal's is still read correctly.
    """
    buffer = getattr(stream, "buffer", None)
    source = buffer if buffer is not None and hasattr(buffer, "read") else stream
    try:
        raw: str | bytes = source.read(max_bytes + 1)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        yield ReadFailure(STDIN_NAME, None, f"cannot read: {exc}"[:200])
        return
    if len(raw) > max_bytes:
        yield ReadFailure(STDIN_NAME, None, f"too large: over {_human(max_bytes)}")
        return
    try:
        if isinstance(raw, bytes):
            if not raw.strip():
                yield ReadFailure(STDIN_NAME, None, "empty")
                return
            try:
                decoded = decode_detail(raw)
            except BinaryContent:
                decoded = None
            if (decoded is None or decoded.how != "utf-8") and looks_like_jsonl_bytes(raw):
                yield from read_jsonl_bytes(raw, STDIN_NAME)
                return
            if decoded is None:
                yield ReadFailure(STDIN_NAME, None, "binary file")
                return
            if decoded.guessed:
                report_warning(warn, STDIN_NAME, None, decoded.warning())
            text = decoded.text
        else:
            text = raw
        if not text.strip():
            yield ReadFailure(STDIN_NAME, None, "empty")
        elif looks_like_jsonl(text):
            yield from read_jsonl(text, STDIN_NAME)
        else:
            yield from read_text(text, STDIN_NAME, warn=warn)
    except Exception as exc:
        log.warning("stdin: unexpected reader error", exc_info=True)
        yield ReadFailure(STDIN_NAME, None, f"unreadable ({type(exc).__name__}: {exc})"[:300])


def iter_documents(
    paths: Iterable[str | os.PathLike[str]],
    stdin: TextIO | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    exclude: Iterable[str | os.PathLike[str]] = (),
    follow_links: bool = False,
    warn: Warn | None = None,
    meter: Meter | None = None,
) -> Iterator[Item]:
    """Every document in ``paths`` (files, folders, ``-`` for ``stdin``), in order.

    Yields :class:`~fftrack.records.Document` or :class:`ReadFailure`; one bad file or
    line never stops the iteration, and a missing path is a ReadFailure too. Files in
    ``exclude`` (the store being written, say) are passed over when walking folders.
    Inside a folder, symbolic links that lead out of it are passed over (a warning)
    unless ``follow_links``. Warnings (guessed encodings, links passed over) go to
    ``warn``, or to the log without it. ``meter`` is told the bytes of the files read
    as they are read (their total: :func:`input_size`; stdin is not counted).
    """
    skip = {os.path.abspath(x) for x in exclude}
    for raw in paths:
        if str(raw) == "-":
            if stdin is None:
                import sys

                stdin = sys.stdin
            yield from read_stdin(stdin, max_bytes=max_bytes, warn=warn)
            continue
        p = Path(raw)
        try:
            is_dir = p.is_dir()
        except OSError:
            is_dir = False
        if not is_dir:
            yield from read_file(p, max_bytes=max_bytes, warn=warn, meter=meter)
            continue
        try:
            for f in walk_folder(p, follow_links=follow_links, warn=warn):
                if isinstance(f, ReadFailure):
                    yield f
                elif not (skip and os.path.abspath(f) in skip):
                    yield from read_file(f, max_bytes=max_bytes, warn=warn, meter=meter)
        except OSError as exc:
            yield ReadFailure(str(p), None, f"cannot list folder: {exc.strerror or exc}")
