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
``fftrack.resolve`` a page at a time and paged by ``offset`` only (``next`` is null).
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
from fftrack.web.params import DEFAULT_GEOJSON_LIMIT, DEFAULT_LIST_LIMIT, echo

LIST_LIMIT = DEFAULT_LIST_LIMIT  # rows per list page unless asked otherwise
GEOJSON_PAGE = 1_000  # features per GeoJSON page unless asked otherwise
MERGED_GEOJSON_LIMIT = DEFAULT_GEOJSON_LIMIT  # merged clusters per GeoJSON answer
MAX_CURSOR = 512  # characters


def encode_cursor(key: Key | None) -> str | None:
    """The opaque ``next`` of a page: its last row's key, URL-safe."""
    if key is None:
        return None
    raw = json.dumps(list(key), separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(text: str | None) -> Key | None:
    """``after`` as a key; UsageError (a 422 answer) for one that no page gave."""
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
    if not (isinstance(key, list) and len(key) == 3 and all(isinstance(k, str) for k in key)):
        raise bad
    return (key[0], key[1], key[2])


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
    cursor = decode_cursor(after)
    limit = f.limit if f.limit is not None else LIST_LIMIT
    f = replace(f, limit=limit)
    head: dict[str, Any] = {"kind": "events", "merged": merged}
    if merged:
        if cursor is not None:
            raise UsageError("after: merged events are paged by offset")
        items = [_render(slim_row(r)) for r in reader.merged_events(f)]
        total = reader.merged_count(f.unpaged())
        nxt = None
    else:
        page = reader.event_page(f, limit=limit, after=cursor, offset=f.offset)
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
    cursor = decode_cursor(after)
    if merged:
        if cursor is not None:
            raise UsageError("after: merged events are paged by offset")
        if f.limit is None:
            f = replace(f, limit=MERGED_GEOJSON_LIMIT)
        rows = reader.merged_events(f)
        total = reader.merged_count(f.unpaged())
        fc = geojson.feature_collection(
            rows,
            "events",
            total=total,
            merged=True,
            limit=f.limit,
            offset=f.offset,
            next=None,
            query=echo(f),
        )
        return _render(fc).encode("utf-8")
    limit = f.limit if f.limit is not None else GEOJSON_PAGE
    f = replace(f, limit=limit)
    page = reader.event_page(f, limit=limit, after=cursor, offset=f.offset, geojson=True)
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


def event_timeline(reader: Any, f: Query) -> dict[str, Any]:
    """Events per week by type (``geojson.timeline``) over every event matching the
    filters, counted in the store."""
    return geojson.timeline(reader.timeline_counts(f))
