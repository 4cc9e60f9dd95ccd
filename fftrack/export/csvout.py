"""CSV: one row per record, nested places/actors/quantities flattened into columns.

Events: place_name, place_resolved_name, lat, lon, country, actor1, actor2,
associated_actors, fatalities, fatalities_qualifier, ...; movements: actor,
origin_name/lat/lon/country, destination_..., size, ...; other kinds keep their flat
keys. Lists of scalars are joined with "; ", other nested values written as JSON.
Cells that a spreadsheet would run as a formula (=, +, -, @ first) get a leading "'".
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Iterable
from typing import Any, TextIO

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _qty(prefix: str, q: Any) -> dict[str, Any]:
    q = q if isinstance(q, dict) else {}
    return {
        prefix: q.get("value"),
        f"{prefix}_qualifier": q.get("qualifier"),
        f"{prefix}_upper": q.get("upper"),
    }


def _place(prefix: str, p: Any) -> dict[str, Any]:
    p = p if isinstance(p, dict) else {}
    keys = ("name", "resolved_name", "lat", "lon", "country", "admin1", "geonameid", "precision")
    return {f"{prefix}{k}": p.get(k) for k in keys}


def _actor_name(a: Any) -> str | None:
    if not isinstance(a, dict):
        return None
    return a.get("normalized") or a.get("name")


def _sources(row: dict[str, Any]) -> dict[str, Any]:
    srcs = [s for s in (row.get("sources") or []) if isinstance(s, dict)]
    first = srcs[0] if srcs else {}
    return {
        "source_count": len(srcs),
        "source_document_ids": "; ".join(str(s.get("document_id")) for s in srcs) or None,
        "source_urls": "; ".join(str(s["url"]) for s in srcs if s.get("url")) or None,
        "source_title": first.get("title"),
        "source_published": first.get("published"),
        "source_sentence": first.get("sentence"),
    }


def flatten(row: dict[str, Any], kind: str) -> dict[str, Any]:
    """One record as flat columns (see the module docstring)."""
    out: dict[str, Any] = {}
    rest = dict(row)
    rest.pop("sources", None)
    if kind == "events":
        out["id"] = rest.pop("id", None)
        for k in (
            "date",
            "date_precision",
            "date_start",
            "date_end",
            "event_type",
            "sub_event_type",
        ):
            out[k] = rest.pop(k, None)
        p = rest.pop("place", None)
        p = p if isinstance(p, dict) else {}
        out["place_name"] = p.get("name")
        out["place_resolved_name"] = p.get("resolved_name")
        out["lat"] = p.get("lat")
        out["lon"] = p.get("lon")
        out["country"] = p.get("country")
        out["admin1"] = p.get("admin1")
        out["geonameid"] = p.get("geonameid")
        out["place_precision"] = p.get("precision")
        actors = rest.pop("actors", None) or []
        out["actor1"] = _actor_name(actors[0]) if len(actors) > 0 else None
        out["actor2"] = _actor_name(actors[1]) if len(actors) > 1 else None
        out["associated_actors"] = "; ".join(filter(None, map(_actor_name, actors[2:]))) or None
        out.update(_qty("fatalities", rest.pop("fatalities", None)))
        out.update(_qty("injured", rest.pop("injured", None)))
    elif kind == "movements":
        out["id"] = rest.pop("id", None)
        for k in ("date", "date_precision", "manner"):
            out[k] = rest.pop(k, None)
        a = rest.pop("actor", None)
        a = a if isinstance(a, dict) else {}
        out["actor"] = a.get("name")
        out["actor_normalized"] = a.get("normalized")
        out["nationality"] = rest.pop("nationality", None)
        out["language"] = rest.pop("language", None)
        out.update(_place("origin_", rest.pop("origin", None)))
        out.update(_place("destination_", rest.pop("destination", None)))
        via = rest.pop("via", None) or []
        out["via"] = (
            "; ".join(
                filter(
                    None,
                    (v.get("resolved_name") or v.get("name") for v in via if isinstance(v, dict)),
                )
            )
            or None
        )
        out.update(_qty("size", rest.pop("size", None)))
    elif kind in ("places", "flows"):
        for end in ("origin", "destination"):
            if isinstance(rest.get(end), dict):
                out.update(_place(f"{end}_", rest.pop(end)))
    for k, v in rest.items():
        out[k] = _cell(v)
    out.update(_sources(row))
    return out


def _cell(v: Any) -> Any:
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False, sort_keys=True) if v else None
    if isinstance(v, list | tuple):
        if not v:
            return None
        if all(isinstance(x, str | int | float) for x in v):
            return "; ".join(str(x) for x in v)
        return json.dumps(v, ensure_ascii=False, default=str)
    return v


def _safe(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        if v.startswith(_FORMULA_START):
            return "'" + v
        return v
    return v


def write_csv(rows: Iterable[dict[str, Any]], out: TextIO, kind: str) -> int:
    """Write ``rows`` flattened, the header the union of their columns (in order of first
    appearance). Memory stays flat: flattened rows wait in a temporary file (one JSON
    line each) until the last row has named every column, then are written a row at a
    time."""
    columns: dict[str, None] = {}
    n = 0
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        for r in rows:
            flat = flatten(r, kind)
            for k in flat:
                columns.setdefault(k, None)
            spool.write(json.dumps(flat, ensure_ascii=False, default=_spool_default))
            spool.write("\n")
            n += 1
        spool.seek(0)
        # RFC 4180 line ends: a field holding \r or \n is then always quoted
        writer = csv.DictWriter(
            out, fieldnames=list(columns), lineterminator="\r\n", extrasaction="ignore"
        )
        writer.writeheader()
        for line in spool:
            r = json.loads(line)
            writer.writerow({k: _safe(r.get(k)) for k in columns})
    return n


def _spool_default(o: Any) -> Any:
    """A value JSON has no type for, as the text the CSV writer would write for it."""
    return str(o)
