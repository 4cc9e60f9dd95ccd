"""RSS/Atom reader (feedparser), behind a defusedxml guard.

Every feed is first parsed by ``defusedxml`` with entity declarations, DTD-declared
entities and external references forbidden; a feed that declares entities (a "billion
laughs" bomb, an external entity) is refused before feedparser, which may expand
entities itself, ever sees the bytes. Malformed XML without entity declarations is
handed to feedparser's lenient parser.

Each entry becomes one Document:

- ``text``: the entry title, a blank line, then its content (or summary, whichever is
  longer) stripped of HTML;
- ``title``, ``url`` (the entry link), ``published`` (published, else updated date);
- ``source``: the feed's title; ``language``: the feed's language, else as
  :func:`~fftrack.ingest.base.default_language` assumes;
- ``origin``: ``PATH#N`` for the N-th entry (1-based);
- ``id``: :func:`~fftrack.ingest.base.document_id` of the text.

Entries without any text become :class:`ReadFailure` with ``entry N`` in the reason.
"""

from __future__ import annotations

import io
import logging
import re
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

from fftrack.ingest.base import (
    ReadFailure,
    clean_text,
    default_language,
    document_id,
    language_code,
    parse_date,
    skip_prolog,
    strip_html,
)
from fftrack.ingest.decode import BinaryContent, decode_bytes
from fftrack.records import Document

log = logging.getLogger(__name__)

FEED_READER = "ingest.feeds.v1"
_ENTITY_DECL = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)
_ENTITY_DECL_STR = re.compile(r"<!\s*ENTITY", re.IGNORECASE)
_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE)


def looks_like_feed(text: str) -> bool:
    """True when the document element (after any prolog) is ``rss``, ``feed`` or ``rdf:RDF``."""
    return bool(_FEED_ROOT.match(skip_prolog(text)))


def xml_guard(data: bytes, text: str | None = None) -> str | None:
    """Why these bytes must not reach an XML parser, or ``None`` if they may.

    Refuses entity declarations (XML bombs, external entities) whether or not the
    document is well formed.
    """
    if _ENTITY_DECL.search(data) or (text is not None and _ENTITY_DECL_STR.search(text)):
        return "refused: feed declares XML entities (possible XML bomb or external entity)"
    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    try:
        DET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        return f"refused: unsafe XML ({type(exc).__name__})"
    except Exception:  # malformed XML: feedparser's lenient parser may still read it
        log.debug("feed is not well-formed XML; leaving it to feedparser", exc_info=True)
    return None


_BAD_CHARREF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,12})|([0-9]{1,12}));?")
_XML_DECL_ENCODING = re.compile(r"""^(\s*<\?xml[^>]{0,200}?encoding\s*=\s*)["'][^"']{0,40}["']""")


def _fix_charref(m: re.Match[str]) -> str:
    """Character references feedparser cannot encode (surrogates, NUL, > U+10FFFF) -> U+FFFD."""
    try:
        code = int(m.group(1), 16) if m.group(1) else int(m.group(2))
    except ValueError:
        return "&#xFFFD;"
    if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return "&#xFFFD;"
    return m.group(0)


def _as_utf8(data: bytes, text: str | None) -> bytes | None:
    """The feed as UTF-8 bytes, decoded as fftrack decodes files (BOMs, UTF-16, cp1256,
    ...), its XML declaration saying so, and character references that no encoder accepts
    replaced. ``None`` for binary data."""
    if text is None:
        try:
            text, _encoding = decode_bytes(data)
        except BinaryContent:
            return None
    text = text.lstrip("\ufeff")
    text = _XML_DECL_ENCODING.sub(r'\1"utf-8"', text, count=1)
    text = _BAD_CHARREF.sub(_fix_charref, text)
    return text.encode("utf-8", errors="replace")


def _struct_date(value: Any) -> date | None:
    if isinstance(value, time.struct_time):
        try:
            return date(value.tm_year, value.tm_mon, value.tm_mday)
        except ValueError:
            return None
    return None


def _entry_body(entry: Any) -> str:
    candidates: list[str] = []
    for content in entry.get("content") or []:
        value = content.get("value") if isinstance(content, dict) else None
        if isinstance(value, str):
            candidates.append(value)
    for key in ("summary", "description"):
        value = entry.get(key)
        if isinstance(value, str):
            candidates.append(value)
    texts = [strip_html(c) for c in candidates]
    return max(texts, key=len) if texts else ""


def read_feed(
    data: bytes, source: str, *, text: str | None = None, origin: str | None = None
) -> Iterator[Document | ReadFailure]:
    """Documents, one per entry, from the raw bytes of an RSS/Atom feed."""
    refused = xml_guard(data, text)
    if refused:
        yield ReadFailure(source, None, refused)
        return
    import feedparser

    payload = _as_utf8(data, text)
    if payload is None:
        yield ReadFailure(source, None, "binary file")
        return
    # a stream, never a string: feedparser would treat a string as a URL or file name
    parsed = feedparser.parse(io.BytesIO(payload), resolve_relative_uris=False, sanitize_html=True)
    entries = list(parsed.get("entries") or [])
    feed = parsed.get("feed") or {}
    if not entries:
        if parsed.get("bozo") and not feed:
            exc = parsed.get("bozo_exception")
            reason = str(exc).split("\n", 1)[0] if exc else "unreadable"
            yield ReadFailure(source, None, f"not a readable feed: {reason}"[:200])
        else:
            yield ReadFailure(source, None, "empty: feed has no entries")
        return
    feed_title = strip_html(str(feed.get("title") or "")) or None
    language = language_code(feed.get("language"))
    base = origin or source
    for n, entry in enumerate(entries, start=1):
        try:
            title = strip_html(str(entry.get("title") or "")).replace("\n", " ") or None
            body = _entry_body(entry)
            if title and body and not body.startswith(title):
                text = f"{title}\n\n{body}"
            else:
                text = body or title or ""
            text = clean_text(text).strip()
            if not text:
                yield ReadFailure(source, None, f"entry {n}: no text")
                continue
            published = _struct_date(entry.get("published_parsed")) or _struct_date(
                entry.get("updated_parsed")
            )
            if published is None:
                published = parse_date(entry.get("published") or entry.get("updated"))
            link = entry.get("link")
            yield Document(
                id=document_id(text),
                text=text,
                title=title,
                url=str(link) if link else None,
                published=published,
                source=feed_title,
                language=language or default_language(text),
                origin=f"{base}#{n}",
            )
        except Exception as exc:  # one odd entry never stops the feed
            log.warning("%s: entry %d unreadable", source, n, exc_info=True)
            yield ReadFailure(source, None, f"entry {n}: {type(exc).__name__}: {exc}"[:200])
