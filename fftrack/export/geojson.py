"""GeoJSON (RFC 7946): a FeatureCollection.

Events and places are Points; movements (and flows) are LineStrings origin ->
destination when both ends are resolved, else a Point at the resolved end. Rows with no
coordinates are left out (``unlocated`` counts them in the collection's foreign
member ``fftrack``). Properties are the row itself, minus the nested geometry sources.
"""

from __future__ import annotations

import json
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


def feature_collection(rows: Iterable[dict[str, Any]], kind: str) -> dict[str, Any]:
    if kind not in GEO_KINDS:
        geometry({}, kind)  # raises UsageError
    features = []
    unlocated = 0
    for row in rows:
        g = geometry(row, kind)
        if g is None:
            unlocated += 1
            continue
        feature: dict[str, Any] = {"type": "Feature", "geometry": g, "properties": row}
        if row.get("id") is not None:
            feature["id"] = row["id"]
        features.append(feature)
    return {
        "type": "FeatureCollection",
        "features": features,
        "fftrack": {"kind": kind, "unlocated": unlocated},
    }


def write_geojson(rows: Iterable[dict[str, Any]], out: TextIO, kind: str) -> int:
    fc = feature_collection(rows, kind)
    json.dump(fc, out, ensure_ascii=False, default=str)
    out.write("\n")
    return len(fc["features"])
