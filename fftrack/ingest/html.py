"""HTML reader: the page's main text and metadata with trafilatura.

The text is what trafilatura extracts as the main content (comments left out, tables
kept); title, canonical url and site name come from the page's metadata. The publication
date comes from the metadata (meta tags, JSON-LD, ``<time>``, the URL) or else from a
byline such as "Published: 10 June 2017"; dates merely mentioned in the body (often the
event's) are never taken as the publication date. When trafilatura finds no main text, or fails (for instance on absurdly deep
nesting, where it may hit Python's recursion limit), the page is stripped to plain text
with an event-driven parser that has no depth limit, so such a page is still read.
"""

from __future__ import annotations

import logging
import re
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
    tidy_lines,
)
from fftrack.records import Document

log = logging.getLogger(__name__)

HTML_READER = "ingest.html.v1"


def _trafilatura(markup: str, url: str | None) -> dict[str, Any] | None:
    import trafilatura

    result = trafilatura.bare_extraction(
        markup,
        url=url,
        with_metadata=True,
        # metadata, <time> elements and the URL only: the extensive search also takes
        # dates from the body text, which in news are often the event's, not the page's
        date_extraction_params={
            "original_date": True,
            "extensive_search": False,
            "max_date": date.today().isoformat(),
        },
        include_comments=False,
        include_tables=True,
        as_dict=False,
    )
    if result is None:
        return None
    if isinstance(result, dict):
        return result
    as_dict = getattr(result, "as_dict", None)
    return as_dict() if callable(as_dict) else None


def _fallback_title(markup: str) -> str | None:
    head = markup[:200_000]
    lower = head.lower()
    start = lower.find("<title")
    if start < 0:
        return None
    start = lower.find(">", start)
    end = lower.find("</title", start)
    if start < 0 or end < 0:
        return None
    title = tidy_lines(strip_html(head[start + 1 : end])).replace("\n", " ").strip()
    return title[:500] or None


_BYLINE_DATE = re.compile(
    r"\b(?:first published|published|posted|updated|dated|date)\b[^\w\n]{0,3}(?:on\s+)?"
    r"(?:[A-Za-z]{3,9},?\s+)?"  # a weekday
    r"(\d{4}-\d{2}-\d{2}|\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4})",
    re.IGNORECASE,
)


def byline_date(text: str) -> date | None:
    """A date the page states as its own ("Published: 10 June 2017"), from its first lines."""
    for m in _BYLINE_DATE.finditer(text[:5000]):
        found = parse_date(m.group(1).replace(",", " ").replace(".", " "))
        if found is not None:
            return found
    return None


_ROOT_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9_.:-]*)")
_NOT_PAGES = frozenset(("svg", "math"))


def root_tag(markup: str) -> str | None:
    """The name of the first element (after any XML declaration, comments, doctype),
    lower-cased, without a namespace prefix; ``None`` when the markup starts otherwise."""
    m = _ROOT_TAG.match(skip_prolog(markup))
    return m.group(1).rsplit(":", 1)[-1].lower() if m else None


def read_html(
    markup: str, source: str, *, url: str | None = None, origin: str | None = None
) -> Iterator[Document | ReadFailure]:
    """One Document from an HTML page (decoded).

    A file whose root element is ``<svg>`` or ``<math>`` is an image or formula, not a
    page: a failure, ``not an HTML page``, without handing it to trafilatura (which
    logs errors, or fails, on such a tree). Trafilatura's own failures are logged in one
    line (the traceback at debug level) and the page is stripped to text instead.
    """
    root = root_tag(markup)
    if root in _NOT_PAGES:
        yield ReadFailure(source, None, f"not an HTML page (an <{root}> document)")
        return
    meta: dict[str, Any] | None = None
    try:
        meta = _trafilatura(markup, url)
    except RecursionError:
        log.warning("%s: HTML too deeply nested for trafilatura; stripping tags", source)
    except Exception as exc:  # trafilatura/lxml raise many things on broken pages
        log.warning(
            "%s: trafilatura failed (%s: %s); stripping tags",
            source,
            type(exc).__name__,
            " ".join(str(exc).split())[:200],
        )
        log.debug("%s: trafilatura traceback", source, exc_info=True)
    text = clean_text(str(meta.get("text") or "")) if meta else ""
    text = tidy_lines(text)
    if not text.strip():
        text = tidy_lines(clean_text(strip_html(markup)))
    if not text.strip():
        yield ReadFailure(source, None, "no text in HTML page")
        return
    title = (meta or {}).get("title") or _fallback_title(markup)
    page_url = (meta or {}).get("url") or url
    yield Document(
        id=document_id(text),
        text=text,
        title=str(title).strip() or None if title else None,
        url=str(page_url) if page_url else None,
        published=parse_date((meta or {}).get("date")) or byline_date(strip_html(markup[:200_000])),
        source=_source_name(meta),
        language=language_code((meta or {}).get("language")) or default_language(text),
        origin=origin or source,
    )


def _source_name(meta: dict[str, Any] | None) -> str | None:
    if not meta:
        return None
    name = meta.get("sitename") or meta.get("hostname")
    return str(name).strip() or None if name else None
