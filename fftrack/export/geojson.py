"""GeoJSON (RFC 7946): a FeatureCollection.

Events and places are Points; movements (and flows) are LineStrings origin ->
destination when both ends are resolved, else a Point at the resolved end. Rows with no
coordinates are left out (``unlocated`` counts them in the collection's foreign
member ``fftrack``). Properties are the row itself and ``record_kind``; a one-ended movement's Point also
has ``role`` (``origin`` or ``destination``). ``write_features`` streams a feature at
a time, kinds mixed if need be.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, TextIO

from fftrack.errors import UsageError

GEO_KINDS = ("events", "places", "movements", "flows")


def point(p: Any) -> list[float] | None:
    """``[lon, lat]`` of a place dict, or None where it has no valid coordinates."""
    if not isinstance(p, dict):
        return None
    lat, lon = p.get("lat"), p.get("lon")
    if isinstance(lat, bool) or isinstance(lon, bool):
        return None
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return [round(float(lon), 6), round(float(lat), 6)]


def geometry(row: dict[str, Any], kind: str) -> dict[str, Any] | None:
    """The row's GeoJSON geometry, or None when it has no resolved coordinates."""
    if kind == "places":
        c = point(row)
        return {"type": "Point", "coordinates": c} if c else None
    if kind == "events":
        c = point(row.get("place"))
        return {"type": "Point", "coordinates": c} if c else None
    if kind in ("movements", "flows"):
        o, d = point(row.get("origin")), point(row.get("destination"))
        if o and d:
            return {"type": "LineString", "coordinates": [o, d]}
        c = o or d
        return {"type": "Point", "coordinates": c} if c else None
    raise UsageError(f"geojson needs coordinates: {kind} have none (use json, jsonl or csv)")


def feature(row: dict[str, Any], kind: str) -> dict[str, Any] | None:
    """One row as a GeoJSON Feature (None when it has no coordinates). Properties are
    the row plus ``record_kind``; a movement drawn as a Point (one end resolved) also
    has ``role``: ``origin`` or ``destination``, the end the point is."""
    g = geometry(row, kind)
    if g is None:
        return None
    props = dict(row)
    props["record_kind"] = kind
    if kind in ("movements", "flows") and g["type"] == "Point":
        props["role"] = "origin" if point(row.get("origin")) else "destination"
    f: dict[str, Any] = {"type": "Feature", "geometry": g, "properties": props}
    if row.get("id") is not None:
        f["id"] = row["id"]
    return f


def _check_kind(kind: str) -> None:
    if kind not in GEO_KINDS:
        geometry({}, kind)  # raises UsageError


def feature_collection(rows: Iterable[dict[str, Any]], kind: str) -> dict[str, Any]:
    _check_kind(kind)
    features = []
    unlocated = 0
    for row in rows:
        f = feature(row, kind)
        if f is None:
            unlocated += 1
            continue
        features.append(f)
    return {
        "type": "FeatureCollection",
        "features": features,
        "fftrack": {"kind": kind, "unlocated": unlocated},
    }


def write_features(items: Iterable[tuple[str, dict[str, Any]]], out: TextIO, label: str) -> int:
    """Stream ``(kind, row)`` pairs as one FeatureCollection, a feature at a time (kinds
    may be mixed: events and movements in one file). Rows without coordinates are left
    out and counted in the foreign member ``fftrack.unlocated``. Returns features written."""
    from fftrack.export.jsonout import dumps

    out.write('{"type": "FeatureCollection", "features": [\n')
    n = unlocated = 0
    for kind, row in items:
        _check_kind(kind)
        f = feature(row, kind)
        if f is None:
            unlocated += 1
            continue
        if n:
            out.write(",\n")
        out.write(dumps(f))
        n += 1
    out.write("\n], ")
    out.write('"fftrack": ')
    out.write(dumps({"kind": label, "unlocated": unlocated}))
    out.write("}\n")
    return n


def write_geojson(rows: Iterable[dict[str, Any]], out: TextIO, kind: str) -> int:
    _check_kind(kind)
    return write_features(((kind, r) for r in rows), out, kind)
