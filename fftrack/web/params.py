"""Parse and validate the API's filter parameters into a store ``Query``.

Every problem is reported as a ``UsageError`` with a message a person can act on; the
app turns it into a 422 answer. Nothing here touches the database.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict
from datetime import date
from typing import Any

from fftrack.errors import UsageError
from fftrack.store import query

MAX_LIMIT = 50_000
MAX_OFFSET = 1_000_000_000
MAX_TEXT = 200
DEFAULT_LIST_LIMIT = 100
DEFAULT_GEOJSON_LIMIT = 10_000

RECORD_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")


def parse_date(raw: str | None, name: str, *, end: bool = False) -> date | None:
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (the store's own parser); a partial date is
    widened to the first day (``since``) or the last day (``until``) of its period."""
    if raw is None or not raw.strip():
        return None
    try:
        return query.parse_date(raw.strip(), end=end)
    except UsageError as exc:
        raise UsageError(f"{name}: {exc}") from None


def parse_bbox(raw: str | None) -> tuple[float, float, float, float] | None:
    """``min_lon,min_lat,max_lon,max_lat`` in WGS84 degrees, range-checked like a Query."""
    if raw is None or not raw.strip():
        return None
    bbox = query.parse_bbox(raw)
    if not all(math.isfinite(v) for v in bbox):
        raise UsageError("bbox: coordinates must be finite numbers")
    query.Query(bbox=bbox).validate()
    return bbox


def parse_int(
    raw: str | None, name: str, *, default: int | None, low: int, high: int
) -> int | None:
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise UsageError(f"{name}: {raw!r} is not a whole number") from None
    if not (low <= value <= high):
        raise UsageError(f"{name}: must be between {low} and {high}, got {value}")
    return value


def parse_text(raw: str | None, name: str) -> str | None:
    if raw is None:
        return None
    text = raw.strip()
    if not text:
        return None
    if len(text) > MAX_TEXT:
        raise UsageError(f"{name}: longer than {MAX_TEXT} characters")
    if any(ord(c) < 32 for c in text):
        raise UsageError(f"{name}: contains control characters")
    return text


def _upper(text: str | None) -> str | None:
    return text.upper() if text is not None else None


def echo(q: query.Query) -> dict[str, Any]:
    """The filters as JSON, for the answer's ``query`` member."""
    d: dict[str, Any] = dict(asdict(q))
    for k in ("since", "until"):
        if d[k] is not None:
            d[k] = d[k].isoformat()
    if d["bbox"] is not None:
        d["bbox"] = list(d["bbox"])
    return d


def parse_filters(
    *,
    since: str | None = None,
    until: str | None = None,
    country: str | None = None,
    place: str | None = None,
    type: str | None = None,
    actor: str | None = None,
    bbox: str | None = None,
    limit: str | None = None,
    offset: str | None = None,
    default_limit: int | None = DEFAULT_LIST_LIMIT,
) -> query.Query:
    """Validate raw query-string values into a store Query; raises ``UsageError`` with the
    first problem."""
    return query.Query(
        since=parse_date(since, "since"),
        until=parse_date(until, "until", end=True),
        country=_upper(parse_text(country, "country")),
        place=parse_text(place, "place"),
        type=parse_text(type, "type"),
        actor=parse_text(actor, "actor"),
        bbox=parse_bbox(bbox),
        limit=parse_int(limit, "limit", default=default_limit, low=1, high=MAX_LIMIT),
        offset=parse_int(offset, "offset", default=0, low=0, high=MAX_OFFSET) or 0,
    ).validate()
