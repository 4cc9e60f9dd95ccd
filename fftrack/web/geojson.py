"""Store rows to GeoJSON: events as Points, movements as LineStrings (flows).

A flow with only one end located (no origin town in "800 from Britain travelled to
Syria") is a Point at the end that is known, its ``ends`` property saying which
(``"origin"`` or ``"destination"``); a two-ended flow has ``ends: "both"``.

Pure functions over the row dicts the store returns (records' ``to_dict()`` plus
``sources``); unknown extra keys are ignored, missing ones tolerated.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from fftrack.export.geojson import point

# v2: one-ended flows as Points; timeline periods. v3: events paged, from slim rows
ALGORITHM = "web.geojson.v3"

_coords = point  # one definition of a valid point, shared with the exporters


def _place_name(place: Any) -> str | None:
    if not isinstance(place, dict):
        return None
    return place.get("resolved_name") or place.get("name")


def _actor_name(actor: Any) -> str | None:
    if not isinstance(actor, dict):
        return None
    return actor.get("normalized") or actor.get("name")


def _document_ids(row: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for s in row.get("sources") or ():
        if isinstance(s, dict) and s.get("document_id") and s["document_id"] not in out:
            out.append(str(s["document_id"]))
    if not out and row.get("document_id"):
        out.append(str(row["document_id"]))
    return out


def _quantity(q: Any) -> tuple[int | None, str | None]:
    if isinstance(q, dict):
        return q.get("value"), q.get("qualifier")
    if isinstance(q, int | float):
        return int(q), None
    return None, None


def event_properties(row: dict[str, Any]) -> dict[str, Any]:
    """What the map shows of one event row (a full or merged row): its GeoJSON properties."""
    place = row.get("place")
    fat, fat_q = _quantity(row.get("fatalities"))
    docs = _document_ids(row)
    return {
        "id": row.get("id"),
        "event_type": row.get("event_type"),
        "sub_event_type": row.get("sub_event_type"),
        "date": row.get("date"),
        "date_start": row.get("date_start"),
        "date_end": row.get("date_end"),
        "date_precision": row.get("date_precision"),
        "place": _place_name(place),
        "country": place.get("country") if isinstance(place, dict) else None,
        "place_precision": place.get("precision") if isinstance(place, dict) else None,
        "actors": [n for n in (_actor_name(a) for a in row.get("actors") or ()) if n],
        "fatalities": fat,
        "fatalities_qualifier": fat_q,
        "confidence": row.get("confidence"),
        "n_sources": row.get("n_sources") or len(docs) or 1,
        "document_ids": docs,
        "cluster_id": row.get("cluster_id"),
    }


def event_feature(row: dict[str, Any]) -> dict[str, Any] | None:
    """One event row as a GeoJSON Feature, or None when it has no usable coordinates."""
    xy = _coords(row.get("place"))
    if xy is None:
        return None
    return {
        "type": "Feature",
        "id": row.get("id"),
        "geometry": {"type": "Point", "coordinates": xy},
        "properties": event_properties(row),
    }


def movement_feature(row: dict[str, Any]) -> dict[str, Any] | None:
    """One movement row as a LineString origin -> via... -> destination, or None when
    fewer than two distinct located places are known."""
    points: list[list[float]] = []
    for place in [row.get("origin"), *(row.get("via") or ()), row.get("destination")]:
        xy = _coords(place)
        if xy is not None and (not points or points[-1] != xy):
            points.append(xy)
    if len(points) < 2 or _coords(row.get("origin")) is None:
        return None
    if _coords(row.get("destination")) is None:
        return None
    size, size_q = _quantity(row.get("size"))
    actor = row.get("actor")
    docs = _document_ids(row)
    props = {
        "id": row.get("id"),
        "actor": _actor_name(actor),
        "nationality": row.get("nationality"),
        "manner": row.get("manner"),
        "date": row.get("date"),
        "date_precision": row.get("date_precision"),
        "origin": _place_name(row.get("origin")),
        "destination": _place_name(row.get("destination")),
        "size": size,
        "size_qualifier": size_q,
        "confidence": row.get("confidence"),
        "n_sources": max(len(docs), len(row.get("sources") or ())) or 1,
        "document_ids": docs,
    }
    return {
        "type": "Feature",
        "id": row.get("id"),
        "geometry": {"type": "LineString", "coordinates": points},
        "properties": props,
    }


def flow_ends(row: dict[str, Any]) -> str | None:
    """How a flow can be drawn: ``"both"`` (a line), ``"origin"`` or ``"destination"``
    (a marker at the one located end), or None (no located end, or both ends at one
    point)."""
    a, b = _coords(row.get("origin")), _coords(row.get("destination"))
    if a is not None and b is not None:
        return "both" if a != b else None
    if b is not None:
        return "destination"
    if a is not None:
        return "origin"
    return None


def flow_feature(row: dict[str, Any]) -> dict[str, Any] | None:
    """One aggregated flow (``StoreReader.flows``) as a LineString origin -> destination;
    a Point at its located end when only one end has coordinates (``ends`` says which);
    None when no end can be drawn. ``reports`` counts distinct documents."""
    ends = flow_ends(row)
    if ends is None:
        return None
    a, b = _coords(row.get("origin")), _coords(row.get("destination"))
    size = row.get("size_reported") if isinstance(row.get("size_reported"), dict) else None
    props = {
        "id": row.get("id"),
        "origin": _place_name(row.get("origin")),
        "origin_country": (row.get("origin") or {}).get("country"),
        "destination": _place_name(row.get("destination")),
        "destination_country": (row.get("destination") or {}).get("country"),
        "reports": row.get("reports") or 0,
        "movements": row.get("movements") or 0,
        "actors": list(row.get("actors") or ())[:10],
        "manners": row.get("manners") or {},
        "first_date": row.get("first_date"),
        "last_date": row.get("last_date"),
        "size": size.get("mode") if size else None,
        "movement_ids": list(row.get("movement_ids") or ())[:50],
        "document_ids": list(row.get("document_ids") or ())[:50],
        "algorithm": row.get("algorithm"),
        "ends": ends,
    }
    geometry: dict[str, Any]
    if ends == "both":
        geometry = {"type": "LineString", "coordinates": [a, b]}
    else:
        geometry = {"type": "Point", "coordinates": a if ends == "origin" else b}
    return {"type": "Feature", "id": row.get("id"), "geometry": geometry, "properties": props}


def flow_counts(rows: Iterable[dict[str, Any]], movements: int) -> dict[str, int]:
    """How many of ``movements`` (all matching a query) the map draws: in lines, as
    one-ended markers, and not at all (no located place, or ends at one point)."""
    lines = one_ended = 0
    for row in rows:
        n = int(row.get("movements") or 0)
        ends = flow_ends(row)
        if ends == "both":
            lines += n
        elif ends is not None:
            one_ended += n
    return {
        "total": movements,
        "lines": lines,
        "one_ended": one_ended,
        "not_drawn": max(0, movements - lines - one_ended),
    }


def feature_collection(rows: Iterable[dict[str, Any]], kind: str, **members: Any) -> dict[str, Any]:
    make = {"events": event_feature, "movements": movement_feature, "flows": flow_feature}[kind]
    features: list[dict[str, Any]] = []
    skipped = 0
    for row in rows:
        f = make(row)
        if f is None:
            skipped += 1
        else:
            features.append(f)
    return {
        "type": "FeatureCollection",
        "features": features,
        "returned": len(features),
        "unlocated": skipped,
        "algorithm": ALGORITHM,
        **members,
    }


def week_of(value: Any) -> str | None:
    """The Monday (ISO date) of the week a ``YYYY-MM-DD`` string falls in."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        d = date.fromisoformat(value[:10])
    except ValueError:
        return None
    return (d - timedelta(days=d.weekday())).isoformat()


def timeline(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Events per week by type, and the events the weeks cannot hold.

    ``{"weeks": [...], "types": [...], "counts": {type: [..]}, "coarse": [...],
    "undated": n, "undated_or_coarse": n}``. Only events dated to the day or week are
    placed in a week; those dated to a month, season or year are grouped by their period
    in ``coarse`` (``{"start", "end", "precision", "total", "counts": {type: n}}``, oldest
    first), so the chart can draw them as bands over their period without pretending to
    know the week; events without a date are counted in ``undated``. The weeks run from
    the first week of any dated event to the last week of any period.
    """
    per: dict[str, Counter[str]] = defaultdict(Counter)
    bands: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    undated = 0
    for row in rows:
        n = int(row.get("n") or 1)  # a row may stand for n events (counted in the store)
        etype = str(row.get("event_type") or "unknown")
        start, end = row.get("date_start"), row.get("date_end") or row.get("date_start")
        wk = week_of(start) if row.get("date_precision") in ("day", "week") else None
        if wk is not None:
            per[etype][wk] += n
        elif week_of(start) is not None and week_of(end) is not None:
            key = (
                str(start)[:10],
                max(str(start)[:10], str(end)[:10]),
                str(row.get("date_precision") or "period"),
            )
            bands[key][etype] += n
        else:
            undated += n
    marks = {w for c in per.values() for w in c}
    for start, end, _ in bands:
        marks.update(w for w in (week_of(start), week_of(end)) if w is not None)
    weeks: list[str] = []
    if marks:
        d = date.fromisoformat(min(marks))
        last = date.fromisoformat(max(marks))
        while d <= last and len(weeks) < 2000:
            weeks.append(d.isoformat())
            d += timedelta(days=7)
    types = sorted(per)
    coarse: list[dict[str, Any]] = [
        {
            "start": start,
            "end": end,
            "precision": precision,
            "total": sum(counts.values()),
            "counts": dict(sorted(counts.items())),
        }
        for (start, end, precision), counts in sorted(bands.items())
    ]
    n_coarse = sum(sum(c.values()) for c in bands.values())
    return {
        "weeks": weeks,
        "types": types,
        "counts": {t: [per[t].get(w, 0) for w in weeks] for t in types},
        "coarse": coarse,
        "undated": undated,
        "undated_or_coarse": n_coarse + undated,
    }


def figures_by_origin(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reported figures grouped by origin country: how many reports, and the largest one."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[str(row.get("origin") or "")].append(row)
    out: list[dict[str, Any]] = []
    for origin, items in groups.items():
        best = max(items, key=lambda r: r.get("value") or 0)
        out.append(
            {
                "origin": origin or None,
                "reports": len(items),
                "max_value": best.get("value"),
                "max_qualifier": best.get("qualifier"),
                "max_upper": best.get("upper"),
                "max_id": best.get("id"),
                "categories": sorted({str(r.get("category") or "other") for r in items}),
            }
        )
    out.sort(key=_origin_order)
    return out


def _origin_order(g: dict[str, Any]) -> tuple[int, int, str]:
    return (-int(g["reports"]), -int(g["max_value"] or 0), str(g["origin"] or "~"))
