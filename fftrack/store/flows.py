"""Flows: movements aggregated by (origin, destination).

A pure function over movement rows (``StoreReader.movements``), so the CLI, the web API
and exporters share it. Places are matched by GeoNames id when resolved, else by name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

ALGORITHM = "store.flows.v1"


def _place_key(p: Any) -> str | None:
    if not isinstance(p, dict):
        return None
    if p.get("geonameid") is not None:
        return f"gn:{p['geonameid']}"
    name = p.get("resolved_name") or p.get("name")
    return f"name:{' '.join(str(name).casefold().split())}" if name else None


def aggregate_flows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One dict per (origin, destination) pair, most reported first.

    Keys: ``id`` (origin key -> destination key), ``origin``, ``destination`` (the first
    place dict seen for each end), ``reports`` (movements), ``documents``, ``actors``
    (distinct names), ``manners`` ({manner: n}), ``first_date``/``last_date`` (dates as
    the reports give them), ``movement_ids``, ``algorithm``.
    """
    flows: dict[tuple[str | None, str | None], dict[str, Any]] = {}
    for row in rows:
        o, d = row.get("origin"), row.get("destination")
        ko, kd = _place_key(o), _place_key(d)
        if ko is None and kd is None:
            continue
        f = flows.get((ko, kd))
        if f is None:
            f = flows[(ko, kd)] = {
                "id": f"{ko or '?'}->{kd or '?'}",
                "origin": o,
                "destination": d,
                "reports": 0,
                "_docs": set(),
                "actors": [],
                "_manners": Counter(),
                "first_date": None,
                "last_date": None,
                "movement_ids": [],
                "algorithm": ALGORITHM,
            }
        f["reports"] += 1
        if row.get("document_id"):
            f["_docs"].add(row["document_id"])
        actor = row.get("actor") if isinstance(row.get("actor"), dict) else None
        if actor:
            name = actor.get("normalized") or actor.get("name")
            if name and name not in f["actors"]:
                f["actors"].append(name)
        f["_manners"][row.get("manner") or "moved"] += 1
        date = row.get("date")
        if date:
            if f["first_date"] is None or date < f["first_date"]:
                f["first_date"] = date
            if f["last_date"] is None or date > f["last_date"]:
                f["last_date"] = date
        if row.get("id"):
            f["movement_ids"].append(row["id"])
    out = []
    for f in flows.values():
        f["documents"] = len(f.pop("_docs"))
        f["manners"] = dict(f.pop("_manners").most_common())
        out.append(f)
    out.sort(key=lambda f: (-f["reports"], f["first_date"] or "9999", f["id"]))
    return out
