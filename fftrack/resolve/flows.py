"""Movement aggregation: reported movements between the same resolved places, as flows.

Algorithm ``resolve.flows.v1``. Two movements belong to the same flow when their origins
resolve to the same place and their destinations too: the same GeoNames id, or (for places
the gazetteer did not resolve) the same country and name, case- and space-folded. A
movement with only one end known forms flows with the other end ``None`` ("800 from
Britain travelled to Syria" has no origin town). With ``by_actor=True`` flows are also
split by resolved actor (``ActorResolver``).

A flow row: ``{"id", "origin", "destination", "actors", "reports", "movements",
"first_date", "last_date", "movement_ids", "document_ids", "manners", "size_reported",
"algorithm"}``; ``origin``/``destination`` are the most precise place dicts of the flow;
``actors`` the resolved actor names, most reported first; ``reports`` the number of
distinct documents. Rows come most reported first, then by first date.

Pure: movement rows in (``fftrack.store.merged_rows.movement_rows``), flows out;
``fftrack.views.flows`` composes the two.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable
from typing import Any

from fftrack.records import content_id
from fftrack.resolve.actors import ActorResolver
from fftrack.resolve.merged import Row, reported

log = logging.getLogger(__name__)

ALGORITHM = "resolve.flows.v1"


def place_key(p: dict[str, Any] | None) -> str | None:
    """The resolved identity of a place dict: GeoNames id, else country + folded name."""
    if not p:
        return None
    if p.get("geonameid") is not None:
        return f"g:{p['geonameid']}"
    name = p.get("resolved_name") or p.get("name")
    if not name:
        return None
    return f"n:{(p.get('country') or '').upper()}:{' '.join(str(name).casefold().split())}"


def _place_rank(p: dict[str, Any]) -> tuple[Any, ...]:
    return (
        p.get("lat") is None,
        p.get("precision") or 5,
        -(p.get("confidence") or 0.0),
        p.get("id") or "",
    )


def aggregate_flows(
    rows: Iterable[Row],
    *,
    resolver: ActorResolver | None = None,
    by_actor: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Movement rows (``id``, ``document_id``, ``date_start``, ``date_end``, ``data``)
    aggregated into flows (see the module docstring); ``limit``/``offset`` page the flows."""
    resolver = resolver or ActorResolver()
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    for r in rows:
        m = json.loads(r["data"])
        o, d = m.get("origin"), m.get("destination")
        ok, dk = place_key(o), place_key(d)
        if ok is None and dk is None:
            continue
        actor = m.get("actor") or {}
        aname = None
        if actor.get("name") or actor.get("normalized"):
            aname = resolver.resolve(actor.get("name") or "", actor.get("normalized")).canonical
        key: tuple[Any, ...] = (ok, dk, aname) if by_actor else (ok, dk)
        g = groups.setdefault(
            key,
            {
                "id": content_id("flow", *key),
                "origins": [],
                "destinations": [],
                "actors": Counter(),
                "documents": set(),
                "movement_ids": [],
                "dates": [],
                "manners": Counter(),
                "sizes": [],
            },
        )
        if o:
            g["origins"].append(o)
        if d:
            g["destinations"].append(d)
        if aname:
            g["actors"][aname] += 1
        g["documents"].add(r["document_id"])
        g["movement_ids"].append(r["id"])
        g["manners"][m.get("manner") or "moved"] += 1
        if r["date_start"]:
            g["dates"].append((r["date_start"], r["date_end"] or r["date_start"]))
        size = m.get("size")
        if size and size.get("value") is not None:
            item = {
                "document_id": r["document_id"],
                "movement_id": r["id"],
                "value": size["value"],
                "qualifier": size.get("qualifier") or "exact",
            }
            if size.get("upper") is not None:
                item["upper"] = size["upper"]
            g["sizes"].append(item)
    out = []
    for g in groups.values():
        out.append(
            {
                "id": g["id"],
                "origin": min(g["origins"], key=_place_rank) if g["origins"] else None,
                "destination": min(g["destinations"], key=_place_rank)
                if g["destinations"]
                else None,
                "actors": [a for a, _ in sorted(g["actors"].items(), key=lambda x: (-x[1], x[0]))],
                "reports": len(g["documents"]),
                "movements": len(g["movement_ids"]),
                "first_date": min(s for s, _ in g["dates"]) if g["dates"] else None,
                "last_date": max(e for _, e in g["dates"]) if g["dates"] else None,
                "movement_ids": sorted(g["movement_ids"]),
                "document_ids": sorted(g["documents"]),
                "manners": dict(sorted(g["manners"].items(), key=lambda x: (-x[1], x[0]))),
                "size_reported": reported(g["sizes"]),
                "algorithm": ALGORITHM,
            }
        )
    out.sort(key=lambda f: (-f["reports"], f["first_date"] or "9999", f["id"]))
    if offset:
        out = out[offset:]
    if limit is not None:
        out = out[:limit]
    return out
