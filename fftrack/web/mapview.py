"""The map's event answers: the event list and its GeoJSON, slim and paged.

``/api/events`` and ``/api/events.geojson`` answer from the store's slim event rows
(``fftrack.store.mapview``: id, type, date, place, point, toll, actors' names, number of
sources), never from the records' full data; an event's sources and sentences come with
``/api/events/{id}`` (the detail endpoint) when it is opened. The rows come as JSON texts
from the store and are spliced into the answer as they are.

Paging: ``limit`` (list: default ``LIST_LIMIT``; GeoJSON: default ``GEOJSON_PAGE``; both
at most ``params.MAX_LIMIT``) and either ``offset`` or ``after``, the opaque ``next`` of
the previous page (keyset paging: each page costs the same however deep). ``next`` is
null on the last page. ``total`` counts every event matching the filters and
``unlocated`` (GeoJSON) those of them without coordinates, which no page holds.

With ``merged=true`` (one row per event cluster) the rows are merged across sources by
``fftrack.resolve`` a page at a time (the same page sizes), paged by offset: their
``next`` carries the offset of the next page, and a GeoJSON page's ``unlocated`` counts
the clusters of that page without coordinates.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import replace
from typing import Any

from fftrack.errors import UsageError
from fftrack.store.mapview import ALGORITHM as ROWS_ALGORITHM
from fftrack.store.mapview import Key
from fftrack.store.query import Query
from fftrack.web import geojson
from fftrack.web.params import DEFAULT_LIST_LIMIT, MAX_OFFSET, echo

LIST_LIMIT = DEFAULT_LIST_LIMIT  # rows per list page unless asked otherwise
GEOJSON_PAGE = 250  # features per GeoJSON page unless asked otherwise
MAX_CURSOR = 512  # characters


def encode_cursor(key: Key | int | None) -> str | None:
    """The opaque ``next`` of a page, URL-safe: the key of its last row, or (merged
    events) the offset of the next page."""
    if key is None:
        return None
    value = [key] if isinstance(key, int) else list(key)
    raw = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(text: str | None, *, merged: bool = False) -> Key | int | None:
    """``after`` as a key (an offset for merged events); UsageError (a 422 answer) for
    one that no page of this kind gave."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    bad = UsageError("after: not a cursor this API gave (use the `next` of a page)")
    if len(text) > MAX_CURSOR:
        raise bad
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        key = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise bad from None
    if not isinstance(key, list):
        raise bad
    if merged:
        if len(key) == 1 and isinstance(key[0], int) and not isinstance(key[0], bool):
            if 0 <= key[0] <= MAX_OFFSET:
                return int(key[0])
        raise UsageError("after: not a cursor of merged events (use the `next` of a page)")
    if not (len(key) == 3 and all(isinstance(k, str) for k in key)):
        raise bad
    return (key[0], key[1], key[2])


def _merged_page(f: Query, cursor: Key | int | None, limit: int) -> Query:
    """``f`` paged for the merged view: ``after`` (an offset) wins over ``offset``."""
    offset = cursor if isinstance(cursor, int) else f.offset
    return replace(f, limit=limit, offset=offset)


def _merged_next(f: Query, returned: int, total: int) -> str | None:
    end = f.offset + returned
    return encode_cursor(end) if returned and end < total else None


def _splice(head: dict[str, Any], member: str, rows: list[str]) -> bytes:
    """``head`` as compact JSON with ``member`` (a list of JSON texts) added last."""
    start = json.dumps(head, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return (start[:-1] + f',"{member}":[' + ",".join(rows) + "]}").encode("utf-8")


def _render(content: Any) -> str:
    return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def slim_row(row: dict[str, Any]) -> dict[str, Any]:
    """A merged (or full) event row as the slim row the plain listing gives."""
    props = geojson.event_properties(row)
    place = row.get("place") if isinstance(row.get("place"), dict) else None
    xy = geojson.point(place)
    props["lat"], props["lon"] = (xy[1], xy[0]) if xy else (None, None)
    props["document_id"] = row.get("document_id")
    props.pop("document_ids", None)
    return props


def event_list(reader: Any, f: Query, after: str | None, merged: bool) -> bytes:
    """The ``/api/events`` answer."""
    cursor = decode_cursor(after, merged=merged)
    limit = f.limit if f.limit is not None else LIST_LIMIT
    head: dict[str, Any] = {"kind": "events", "merged": merged}
    if merged:
        f = _merged_page(f, cursor, limit)
        items = [_render(slim_row(r)) for r in reader.merged_events(f)]
        total = reader.merged_count(f.unpaged())
        nxt = _merged_next(f, len(items), total)
    else:
        f = replace(f, limit=limit)
        key = cursor if isinstance(cursor, tuple) else None
        page = reader.event_page(f, limit=limit, after=key, offset=f.offset)
        items, nxt = page.rows, encode_cursor(page.next)
        total = reader.event_counts(f)[0]
    head.update(
        total=total,
        returned=len(items),
        limit=limit,
        offset=f.offset,
        next=nxt,
        query=echo(f),
        algorithm=ROWS_ALGORITHM,
    )
    return _splice(head, "items", items)


def event_geojson(reader: Any, f: Query, after: str | None, merged: bool) -> bytes:
    """The ``/api/events.geojson`` answer: located events as Points."""
    cursor = decode_cursor(after, merged=merged)
    if merged:
        f = _merged_page(f, cursor, f.limit if f.limit is not None else GEOJSON_PAGE)
        rows = reader.merged_events(f)
        total = reader.merged_count(f.unpaged())
        fc = geojson.feature_collection(
            rows,
            "events",
            total=total,
            merged=True,
            limit=f.limit,
            offset=f.offset,
            next=_merged_next(f, len(rows), total),
            query=echo(f),
        )
        return _render(fc).encode("utf-8")
    limit = f.limit if f.limit is not None else GEOJSON_PAGE
    f = replace(f, limit=limit)
    key = cursor if isinstance(cursor, tuple) else None
    page = reader.event_page(f, limit=limit, after=key, offset=f.offset, geojson=True)
    total, unlocated = reader.event_counts(f)
    head = {
        "type": "FeatureCollection",
        "returned": len(page.rows),
        "unlocated": unlocated,
        "algorithm": geojson.ALGORITHM,
        "rows": ROWS_ALGORITHM,
        "total": total,
        "merged": False,
        "limit": limit,
        "offset": f.offset,
        "next": encode_cursor(page.next),
        "query": echo(f),
    }
    return _splice(head, "features", page.rows)


def event_timeline(reader: Any, f: Query, merged: bool = False) -> dict[str, Any]:
    """Events (event clusters if ``merged``) per week by type (``geojson.timeline``) over
    every one matching the filters, counted in the store."""
    return geojson.timeline(reader.timeline_counts(f, merged=merged))
