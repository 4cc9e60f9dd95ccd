"""Plain-text reader (``.txt``, ``.md``, stdin).

Header block
------------
A text file may start with a small header block of ``Key: value`` lines, ended by a
blank line. The keys (case-insensitive) are::

    Title: Fighters leave Raqqa for the Euphrates valley
    Source: Example Gazette
    Published: 2017-06-04
    URL: https://example.org/raqqa-convoy
    Language: en
    Id: raqqa-convoy-01

    The body of the report starts here ...

``Published`` (or ``Date``) accepts ISO dates (``2017-06-04``), RFC 2822 dates and
forms like ``4 June 2017``; a value that names no calendar day (``2017-13-45``,
``tomorrow``) is a :class:`~fftrack.ingest.base.ReadWarning` with its line, and the
document has no publication date (``None``): nothing is counted from the clock. ``Id`` is optional; without it the document id is
:func:`~fftrack.ingest.base.document_id` of the body. The header is only read when
every line before the first blank line (at most 12 lines) is such a ``Key: value`` line
with a known key (aliases: ``Headline`` for Title, ``Outlet`` for Source, ``Date`` for
Published, ``Link`` for URL, ``Lang`` for Language). The document text is then the body after the blank line; character offsets index that
body.

Without a ``Language`` line the language is identified for text mostly in Latin letters
(py3langid; ``en`` when it is not confident) and ``None`` (unknown) otherwise (see
:func:`~fftrack.ingest.base.default_language`).

Without a header the whole file is the text, the publication date is unknown (``None``)
and the first non-blank line, if short (at most 200 characters), serves as title.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from fftrack.ingest.base import (
    ReadFailure,
    Warn,
    clean_text,
    default_language,
    document_id,
    language_code,
    parse_date,
    report_warning,
)
from fftrack.records import Document

log = logging.getLogger(__name__)

TEXT_READER = "ingest.text.v1"
_HEADER_LINE = re.compile(r"([A-Za-z][A-Za-z_-]{0,20})[ \t]*:(.*)")
_HEADER_LINE_MAX = 2000
_KEYS = {
    "title": "title",
    "headline": "title",
    "source": "source",
    "outlet": "source",
    "published": "published",
    "date": "published",
    "url": "url",
    "link": "url",
    "language": "language",
    "lang": "language",
    "id": "id",
}
_MAX_HEADER_LINES = 12
_TITLE_MAX = 200


def split_header(text: str) -> tuple[dict[str, str], str]:
    """``(header fields, body)``; the fields are empty when there is no header block."""
    fields, _, body = _split_header(text)
    return fields, body


def _split_header(text: str) -> tuple[dict[str, str], dict[str, int], str]:
    """Header fields, the (1-based) line each came from, and the body."""
    lines = text.split("\n", _MAX_HEADER_LINES + 1)
    fields: dict[str, str] = {}
    where: dict[str, int] = {}
    for i, line in enumerate(lines[: _MAX_HEADER_LINES + 1]):
        if not line.strip():
            if i == 0:
                return {}, {}, text
            body = "\n".join(lines[i + 1 :])
            return fields, where, body
        m = _HEADER_LINE.fullmatch(line) if len(line) <= _HEADER_LINE_MAX else None
        if not m or m.group(1).lower() not in _KEYS:
            return {}, {}, text
        fields[_KEYS[m.group(1).lower()]] = m.group(2).strip()
        where[_KEYS[m.group(1).lower()]] = i + 1
    return {}, {}, text


def first_line_title(text: str) -> str | None:
    for line in text.split("\n", 50)[:50]:
        s = line.strip().lstrip("#").strip()
        if s:
            return s if len(s) <= _TITLE_MAX else None
    return None


def read_text(
    text: str, source: str, origin: str | None = None, warn: Warn | None = None
) -> Iterator[Document | ReadFailure]:
    """One plain-text document (with an optional header block) from decoded text.

    A header value that cannot be read (a ``Published`` date that names no day) is a
    warning handed to ``warn`` (logged without it); the document is still read."""
    text = clean_text(text)
    fields, where, body = _split_header(text)
    body = body.strip("\n")
    if not body.strip():
        yield ReadFailure(source, None, "empty" if not fields else "empty: header but no text")
        return
    title = fields.get("title") or (None if fields else first_line_title(body))
    published = parse_date(fields.get("published"))
    if fields.get("published") and published is None:
        value = fields["published"][:80]
        report_warning(
            warn,
            source,
            where.get("published"),
            f"unreadable Published date {value!r}: the document is stored without one",
        )
    yield Document(
        id=fields.get("id") or document_id(body),
        text=body,
        title=title or None,
        url=fields.get("url") or None,
        published=published,
        source=fields.get("source") or None,
        language=language_code(fields.get("language")) or default_language(body),
        origin=origin or source,
    )
