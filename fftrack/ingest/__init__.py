"""Readers: plain text, HTML, RSS/Atom feeds, JSON Lines, folders, stdin, and URL fetching.

The one entry point most callers need::

    for item in iter_documents(["reports/", "feed.xml", "-"], stdin=sys.stdin):
        if isinstance(item, ReadFailure):
            ...  # report item.source, item.line, item.reason and go on
        else:
            ...  # a fftrack.records.Document

:func:`fetch_url` (and :func:`fetch_items`) is the only code in fftrack that touches the network.
"""

from typing import TYPE_CHECKING, Any

from fftrack.ingest.base import (
    DEFAULT_MAX_BYTES,
    ReadFailure,
    ReadWarning,
    document_id,
    parse_date,
)
from fftrack.ingest.dispatch import iter_documents, read_bytes, read_file, read_stdin

if TYPE_CHECKING:
    from fftrack.ingest.fetch import fetch_items, fetch_url

__all__ = [
    "DEFAULT_MAX_BYTES",
    "ReadFailure",
    "ReadWarning",
    "document_id",
    "fetch_items",
    "fetch_url",
    "iter_documents",
    "parse_date",
    "read_bytes",
    "read_file",
    "read_stdin",
]


def __getattr__(name: str) -> Any:
    """``fetch_items`` and ``fetch_url`` are imported when first asked for: reading files
    (every ``fftrack ingest`` of local inputs) never loads the HTTP client."""
    if name in ("fetch_items", "fetch_url"):
        from fftrack.ingest import fetch

        return getattr(fetch, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
