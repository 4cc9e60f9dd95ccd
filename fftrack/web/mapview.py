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

With ``merged=true`` (one row per event cluster, merged across sources by
``fftrack.resolve``) the rows are those the store keeps of each cluster
(``fftrack.store.merged_map``: rendered here by ``merged_texts`` when an ingest, a merge
or a split ends, ``refresh_merged``); a cluster changed since is merged when asked for,
so the answer is always that of merging now. The same page sizes, keyset-paged too (a
``next`` of an older server, an offset, is still taken); a GeoJSON page's ``unlocated``
counts the clusters of that page without coordinates.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from fftrack.errors import UsageError
from fftrack.store import merged_map
from fftrack.store.mapview import ALGORITHM as ROWS_ALGORITHM
from fftrack.store.mapview import Key
from fftrack.store.query import Query
from fftrack.web import geojson
from fftrack.web.params import DEFAULT_LIST_LIMIT, MAX_OFFSET, echo

if TYPE_CHECKING:
    from fftrack.store.writer import Store

LIST_LIMIT = DEFAULT_LIST_LIMIT  # rows per list page unless asked otherwise
GEOJSON_PAGE = 250  # features per GeoJSON page unless asked otherwise
MAX_CURSOR = 512  # characters


def encode_cursor(key: Key | merged_map.Key | int | None) -> str | None:
    """The opaque ``next`` of a page, URL-safe: the key of its last row (or, as an older
    server gave for merged events, the offset of the next page)."""
    if key is None:
        return None
    value = [key] if isinstance(key, int) else list(key)
    raw = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(text: str | None, *, merged: bool = False) -> Key | merged_map.Key | int | None:
    """``after`` as a key (merged events: a cluster's key, or an offset); UsageError (a
    422 answer) for one that no page of this kind gave."""
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
        if len(key) == 2 and all(isinstance(k, str) for k in key):
            return (key[0], key[1])
        raise UsageError("after: not a cursor of merged events (use the `next` of a page)")
    if not (len(key) == 3 and all(isinstance(k, str) for k in key)):
        raise bad
    return (key[0], key[1], key[2])


def _merged(
    reader: Any, f: Query, cursor: Any, limit: int, geojson: bool
) -> tuple[Query, list[str | None], str | None, int]:
    """A page of merged events: ``f`` as paged (a cursor wins over ``offset``), each cluster's text (slim row, or Feature: None when unlocated),
    the ``next`` cursor and the total. Stale clusters are merged now."""
    after = cursor if isinstance(cursor, tuple) else None
    # ``after`` wins over ``offset``, as when it carried the offset of the next page
    offset = cursor if isinstance(cursor, int) else 0 if after is not None else f.offset
    f = replace(f, limit=limit, offset=offset)
    page = reader.merged_page(f, limit=limit, after=after, offset=offset, geojson=geojson)
    texts: list[str | None] = [r.text for r in page.rows]
    stale = [r.key for r in page.rows if not r.fresh]
    if stale:
        made = {m.key: m for m in merged_texts(reader.merged_events_of(stale))}
        texts = []
        for r in page.rows:
            if r.fresh:
                texts.append(r.text)
            elif r.key in made:  # (a key whose events are gone since the page was read: none)
                texts.append(made[r.key].feature if geojson else made[r.key].slim)
    total = page.total if page.total is not None else reader.merged_count(f.unpaged())
    return f, texts, encode_cursor(page.next), total


def merged_texts(rows: dict[str, dict[str, Any]]) -> list[merged_map.MergedRow]:
    """Merged rows by cluster key (``fftrack.views.merged_events_of``) as the store keeps
    them: the slim row of the list, the GeoJSON Feature, and what the timeline counts by."""
    out = []
    for key, row in rows.items():
        feature = geojson.event_feature(row)
        out.append(
            merged_map.MergedRow(
                key=key,
                slim=_render(slim_row(row)),
                feature=None if feature is None else _render(feature),
                event_type=row.get("event_type"),
                own_start=row.get("date_start"),
                own_end=row.get("date_end"),
                date_precision=row.get("date_precision"),
            )
        )
    return out


REFRESH_BATCH = 200  # clusters merged and saved per write transaction


def refresh_merged(store: Store, batch: int = REFRESH_BATCH) -> int:
    """Merge the clusters whose stored merged row is stale (``fftrack.store.merged_map``)
    and save their rows, a batch per write transaction; returns how many. Run by the
    writer when an ingest, a merge or a split ends: the map's merged pages then read
    stored rows instead of merging."""
    from fftrack.views import merged_events_of

    conn = store.conn
    done = 0
    while True:
        with merged_map.writing(conn):
            keys = merged_map.stale_keys(conn, batch)
            if keys:
                merged_map.save(conn, keys, merged_texts(merged_events_of(store, keys)))
        if not keys:
            return done
        done += len(keys)


def _splice(head: dict[str, Any], member: str, rows: list[str]) -> bytes:
    """``head`` as compact JSON with ``member`` (a list of JSON texts) added last."""
    return _splice_text(head, member, ",".join(rows))


def _splice_text(head: dict[str, Any], member: str, inside: str) -> bytes:
    """``head`` as compact JSON with ``member`` added last: an array whose inside (JSON
    texts joined by commas) is ``inside``."""
    start = json.dumps(head, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return (start[:-1] + f',"{member}":[' + inside + "]}").encode("utf-8")


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
        f, texts, nxt, total = _merged(reader, f, cursor, limit, geojson=False)
        items = [t for t in texts if t is not None]
        inside, n = ",".join(items), len(items)
    else:
        f = replace(f, limit=limit)
        key = cursor if isinstance(cursor, tuple) and len(cursor) == 3 else None
        page = reader.event_page(f, limit=limit, after=key, offset=f.offset)
        inside, n, nxt = page.text, page.n, encode_cursor(page.next)
        total = reader.event_counts(f)[0]
    head.update(
        total=total,
        returned=n,
        limit=limit,
        offset=f.offset,
        next=nxt,
        query=echo(f),
        algorithm=ROWS_ALGORITHM,
    )
    return _splice_text(head, "items", inside)


def event_geojson(reader: Any, f: Query, after: str | None, merged: bool) -> bytes:
    """The ``/api/events.geojson`` answer: located events as Points."""
    cursor = decode_cursor(after, merged=merged)
    if merged:
        limit = f.limit if f.limit is not None else GEOJSON_PAGE
        f, texts, nxt, total = _merged(reader, f, cursor, limit, geojson=True)
        features = [t for t in texts if t is not None]
        merged_head = {
            "type": "FeatureCollection",
            "returned": len(features),
            "unlocated": len(texts) - len(features),
            "algorithm": geojson.ALGORITHM,
            "total": total,
            "merged": True,
            "limit": f.limit,
            "offset": f.offset,
            "next": nxt,
            "query": echo(f),
        }
        return _splice(merged_head, "features", features)
    limit = f.limit if f.limit is not None else GEOJSON_PAGE
    f = replace(f, limit=limit)
    key = cursor if isinstance(cursor, tuple) and len(cursor) == 3 else None
    page = reader.event_page(f, limit=limit, after=key, offset=f.offset, geojson=True)
    total, unlocated = reader.event_counts(f)
    head = {
        "type": "FeatureCollection",
        "returned": page.n,
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
    return _splice_text(head, "features", page.text)


def event_timeline(reader: Any, f: Query, merged: bool = False) -> dict[str, Any]:
    """Events (event clusters if ``merged``) per week by type (``geojson.timeline``) over
    every one matching the filters, counted in the store."""
    return geojson.timeline(reader.timeline_counts(f, merged=merged))
