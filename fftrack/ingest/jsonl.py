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
:func:`~fftrack.ingest.base.default_language` says (``en`` for Latin-script text). Blank
lines are ignored. A document's
``origin`` is ``PATH:LINE``.

A ``.json`` file holds one such object or a list of them (or an object with a
``documents`` list); item ``N`` (1-based) has origin ``PATH#N``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
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


def read_jsonl(text: str, source: str) -> Iterator[Document | ReadFailure]:
    """Documents and per-line failures from decoded JSON Lines text."""
    seen_any = False
    for lineno, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line:
            continue
        seen_any = True
        try:
            record = _loads(line)
        except (ValueError, RecursionError) as exc:
            yield ReadFailure(source, lineno, f"invalid JSON: {_short(exc)}")
            continue
        doc = record_to_document(record, f"{source}:{lineno}")
        if isinstance(doc, str):
            yield ReadFailure(source, lineno, doc)
        else:
            yield doc
    if not seen_any:
        yield ReadFailure(source, None, "empty")


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
