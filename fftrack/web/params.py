"""Parse and validate the API's filter parameters into a store ``Query``.

Every problem is reported as a ``UsageError`` with a message a person can act on; the
app turns it into a 422 answer. Nothing here touches the database.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any, TypedDict, Unpack

from fftrack.store import query

MAX_LIMIT = 50_000
MAX_OFFSET = 1_000_000_000
MAX_TEXT = 200
DEFAULT_LIST_LIMIT = 100
DEFAULT_GEOJSON_LIMIT = 10_000

RECORD_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")


def echo(q: query.Query) -> dict[str, Any]:
    """The filters as JSON, for the answer's ``query`` member."""
    d: dict[str, Any] = dict(asdict(q))
    for k in ("since", "until"):
        if d[k] is not None:
            d[k] = d[k].isoformat()
    if d["bbox"] is not None:
        d["bbox"] = list(d["bbox"])
    return d


class FilterParams(TypedDict, total=False):
    """The filter parameters of a URL, as strings."""

    since: str | None
    until: str | None
    country: str | None
    place: str | None
    type: str | None
    actor: str | None
    bbox: str | None
    limit: str | None
    offset: str | None


def parse_filters(
    *, default_limit: int | None = DEFAULT_LIST_LIMIT, **raw: Unpack[FilterParams]
) -> query.Query:
    """Validate raw query-string values into a store Query: ``Query.parse``, the one
    filter parser, with the API's bounds. Raises ``UsageError`` with the first problem."""
    return query.Query.parse(
        **raw,
        default_limit=default_limit,
        max_limit=MAX_LIMIT,
        max_offset=MAX_OFFSET,
        max_text=MAX_TEXT,
    )
