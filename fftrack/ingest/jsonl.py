"""JSON Lines (``.jsonl``, ``.ndjson``) and JSON (``.json``) readers.

One record per line::

    {"id": "...", "text": "...", "title": "...", "url": "...", "published": "2017-06-04",
     "source": "...", "language": "en"}

Only ``text`` is required, and it is kept exactly as given (so that character offsets
index it), unless it holds NUL or other stray control characters, which are dropped;
lone surrogates (``"\\ud800"``) become U+FFFD, one character for one. ``id`` is used when given (a string or an integer), else the
id is :func:`~fftrack.ingest.base.document_id` of the text. A line that is not JSON, not
an object, or has no non-empty ``text`` string becomes a :class:`ReadFailure` with the
file and line number; the other lines are read. Without ``language`` the language is assumed as
:func:`~fftrack.ingest.base.default_language` says (py3langid for Latin-script text). Blank
lines are ignored. A document's
``origin`` is ``PATH:LINE``.

Files and fetched bodies are decoded line by line (:func:`read_jsonl_bytes`): JSON is
UTF-8, so a line that is not valid UTF-8, or holds a NUL byte, is a failed line (with the
byte and its column) and the good lines are read exactly as written; the file is never
re-read in a guessed encoding.

A ``.json`` file holds one such object or a list of them (or an object with a
``documents`` list); item ``N`` (1-based) has origin ``PATH#N``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

from fftrack.ingest.base import (
    ReadFailure,
    clean_text,
    default_language,
    document_id,
    has_stray_controls,
    language_code,
    parse_date,
    replace_surrogates,
)
from fftrack.records import Document

log = logging.getLogger(__name__)

JSONL_READER = "ingest.jsonl.v1"


def _opt_str(value: Any) -> str | None:
    if isinstance(value, str):
        value = replace_surrogates(value.strip())
        return value or None
    return None


def record_to_document(record: Any, origin: str) -> Document | str:
    """A Document from one JSON record, or the reason it is not one."""
    if not isinstance(record, dict):
        return f"not a JSON object (got {type(record).__name__})"
    text = record.get("text")
    if "text" not in record:
        return "record has no 'text'"
    if not isinstance(text, str):
        return f"'text' is not a string (got {type(text).__name__})"
    if has_stray_controls(text):
        text = clean_text(text)  # otherwise the text is kept exactly as given
    else:
        text = replace_surrogates(text)  # one character for one: offsets unchanged
    if not text.strip():
        return "'text' is empty"
    raw_id = record.get("id")
    doc_id: str | None
    if isinstance(raw_id, bool):
        doc_id = None
    elif isinstance(raw_id, int):
        doc_id = str(raw_id)
    else:
        doc_id = _opt_str(raw_id)
    language = record.get("language")
    return Document(
        id=doc_id or document_id(text),
        text=text,
        title=_opt_str(record.get("title")),
        url=_opt_str(record.get("url")),
        published=parse_date(record.get("published") or record.get("date")),
        source=_opt_str(record.get("source")),
        language=language_code(language) or default_language(text),
        origin=origin,
    )


def _loads(line: str) -> Any:
    return json.loads(line)


def line_text(raw: bytes | str) -> str:
    """One JSON Lines line as text: decoded (bytes: :func:`decode_line`), stripped, a BOM
    dropped; ``""`` for a blank line. Raises ``ValueError`` with the reason it is not text.

    With :func:`line_value`, the one reader of a JSON Lines line: the ingest readers here
    and the CLI's ``extract``/``geoparse`` (``fftrack.cli_output.read_jsonl_objects``)."""
    text = decode_line(raw) if isinstance(raw, bytes) else raw
    return text.strip().lstrip("\ufeff")


def line_value(line: str) -> Any:
    """The JSON value on one (stripped, non-blank) line. Raises ``ValueError``
    (``invalid JSON: ...``) where it is not JSON, nested too deeply included."""
    try:
        return _loads(line)
    except RecursionError:
        raise ValueError("invalid JSON: nested too deeply") from None
    except ValueError as exc:
        raise ValueError(f"invalid JSON: {_short(exc)}") from None


def _line_item(line: str, source: str, lineno: int) -> Document | ReadFailure:
    """The document on one (stripped, non-blank) line, or why there is none."""
    try:
        record = line_value(line)
    except ValueError as exc:
        return ReadFailure(source, lineno, str(exc))
    doc = record_to_document(record, f"{source}:{lineno}")
    return ReadFailure(source, lineno, doc) if isinstance(doc, str) else doc


def read_jsonl(text: str, source: str) -> Iterator[Document | ReadFailure]:
    """Documents and per-line failures from decoded JSON Lines text."""
    seen_any = False
    for lineno, raw in enumerate(text.split("\n"), start=1):
        line = line_text(raw)
        if not line:
            continue
        seen_any = True
        yield _line_item(line, source, lineno)
    if not seen_any:
        yield ReadFailure(source, None, "empty")


def decode_line(raw: bytes) -> str:
    """One JSON Lines line as text: JSON is UTF-8, so a line is UTF-8 or it is broken.

    Raises ``ValueError`` with the reason (a NUL byte, the first byte that is not UTF-8).
    """
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise ValueError(f"binary data: NUL byte at column {nul + 1}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start]
        raise ValueError(f"not valid UTF-8: byte 0x{bad:02x} at column {exc.start + 1}") from None


def read_jsonl_bytes(
    data: bytes, source: str, position: Callable[[float], None] | None = None
) -> Iterator[Document | ReadFailure]:
    """Documents and per-line failures from JSON Lines bytes, decoded line by line.

    Each line must be UTF-8 (RFC 8259): a line that is not, or holds a NUL byte, is a
    failed line with its number and the reason, and the good lines around it are read
    exactly as written (one bad byte never makes the whole file read as cp1252). A
    UTF-8 BOM is dropped; a UTF-16/32 file (with a BOM, or plainly UTF-16 without one)
    is decoded whole first. Data with no good line that looks binary is one failure,
    ``binary file``, rather than one per line. ``position`` is told, before each line's
    item, the share of ``data`` read through that line.
    """
    from fftrack.ingest.decode import bom_encoding, bomless_utf16, looks_binary

    bom = bom_encoding(data)
    if bom and bom != "utf-8-sig":
        yield from read_jsonl(data.decode(bom, errors="replace"), source)
        return
    if bom:
        data = data[len(b"\xef\xbb\xbf") :]
    elif b"\x00" in data[:4096]:
        utf16 = bomless_utf16(data)
        if utf16 is not None:
            yield from read_jsonl(utf16[0], source)
            return
    held: list[ReadFailure] = []  # failures before the first document (binary?)
    documents = 0
    seen_any = False
    offset, size = 0, max(len(data), 1)
    for lineno, raw in enumerate(data.split(b"\n"), start=1):
        offset += len(raw) + 1
        if position is not None:
            position(min(offset, size) / size)
        stripped = raw.strip()
        if not stripped:
            continue
        seen_any = True
        try:
            line = line_text(raw)
        except ValueError as exc:
            item: Document | ReadFailure = ReadFailure(source, lineno, str(exc))
        else:
            if not line:
                continue
            item = _line_item(line, source, lineno)
        if isinstance(item, Document):
            documents += 1
            yield from held
            held = []
            yield item
        elif documents:
            yield item
        else:
            held.append(item)
    if not seen_any:
        yield ReadFailure(source, None, "empty")
    elif not documents and looks_binary(data):
        yield ReadFailure(source, None, "binary file")
    else:
        yield from held


def looks_like_jsonl_bytes(data: bytes, max_lines: int = 1000) -> bool:
    """JSON Lines judged on bytes, for data that is not clean UTF-8 text: every non-blank
    line (of the first ``max_lines``) is ``{...}``, and at least one decodes and parses
    to a JSON object. So a broken line (a stray byte, a NUL) does not stop the others
    from being read as JSON Lines."""
    good = 0
    for raw in data.split(b"\n", max_lines)[:max_lines]:
        line = raw.strip()
        if line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if not line:
            continue
        if not (line.startswith(b"{") and line.endswith(b"}")):
            return False
        if not good:
            try:
                good += isinstance(_loads(decode_line(line)), dict)
            except (ValueError, RecursionError):
                pass
    return good > 0


def read_json(text: str, source: str) -> Iterator[Document | ReadFailure]:
    """Documents from a ``.json`` file: one object, a list, or ``{"documents": [...]}``."""
    try:
        data = _loads(text)
    except (ValueError, RecursionError) as exc:
        # maybe it is JSON Lines under a .json name
        if looks_like_jsonl(text):
            yield from read_jsonl(text, source)
        else:
            yield ReadFailure(source, None, f"invalid JSON: {_short(exc)}")
        return
    if isinstance(data, dict) and isinstance(data.get("documents"), list):
        data = data["documents"]
    if isinstance(data, dict):
        doc = record_to_document(data, source)
        yield ReadFailure(source, None, doc) if isinstance(doc, str) else doc
        return
    if not isinstance(data, list):
        yield ReadFailure(
            source, None, f"JSON is neither an object nor a list ({type(data).__name__})"
        )
        return
    if not data:
        yield ReadFailure(source, None, "empty: JSON list has no records")
        return
    for i, item in enumerate(data, start=1):
        doc = record_to_document(item, f"{source}#{i}")
        if isinstance(doc, str):
            yield ReadFailure(source, None, f"item {i}: {doc}")
        else:
            yield doc


def looks_like_jsonl(text: str, max_lines: int | None = None) -> bool:
    """True when every non-blank line (of the first ``max_lines``) is a JSON object."""
    n = 0
    for raw in text.split("\n"):
        line = raw.strip().lstrip("\ufeff")
        if not line:
            continue
        if not (line.startswith("{") and line.endswith("}")):
            return False
        try:
            if not isinstance(_loads(line), dict):
                return False
        except (ValueError, RecursionError):
            return False
        n += 1
        if max_lines is not None and n >= max_lines:
            break
    return n > 0


def _short(exc: BaseException) -> str:
    msg = str(exc).split("\n", 1)[0]
    return msg if len(msg) <= 120 else msg[:117] + "..."
