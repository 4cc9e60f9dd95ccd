"""The merged event view: one row per event cluster, every source kept, disagreements shown.

A row has the keys of ``Event.to_dict()`` (taken from the cluster's representative, with
the best date and place of any member) plus:

- ``cluster_id``, ``members`` (event ids), ``document_id`` (the representative's);
- ``claimed_by``: the claimant most members name (a claim is often in one report only);
- ``n_sources`` (distinct documents), ``first_report`` and ``last_report`` (publication
  dates);
- ``fatalities_reported`` / ``injured_reported``: ``{"min", "max", "mode", "by_source":
  [{"document_id", "event_id", "value", "qualifier", "upper"?}]}``, one figure per source
  document (its highest, where one document gives several); the mode is the value most
  sources give (a tie goes to the smaller value), and ``fatalities`` is that value with its
  most frequent qualifier;
- ``sources``: every member's source, ``{"document_id", "event_id", "start", "end",
  "sentence", "sentence_start", "title", "url", "published", "source", "fatalities"}``,
  oldest publication first.

"Best" date: the most precise (day < week < month < ...), then the narrowest, then the
earliest. "Best" place: the most precise resolved place, then the most confident.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from typing import Any

from fftrack.errors import NotFoundError
from fftrack.store import clusters as sql

_DATE_RANK = {"day": 0, "week": 1, "month": 2, "season": 3, "year": 4}
_DATE_KEYS = ("date", "date_precision", "date_start", "date_end")


SOURCES_PAGE = 100  # sources per merged row unless asked otherwise (a cluster may be large)


def merged_events(
    conn_or_reader: Any, query: Any = None, *, sources_limit: int | None = SOURCES_PAGE
) -> list[dict[str, Any]]:
    """One row per event cluster with at least one member matching ``query``.

    ``limit``/``offset`` page clusters, not events; clusters come in order of their
    earliest date. Each row lists at most ``sources_limit`` sources (None: all; the
    figures and members are always every member's), ``sources_total`` says how many."""
    from fftrack.store.query import Query, where_clause

    conn = _conn(conn_or_reader)
    q = query or Query()
    where, params = where_clause("events", q.unpaged())
    keys = sql.cluster_page(conn, where, params, q.limit, q.offset)
    return _build(conn, keys, sources_limit, 0)


def merged_event(
    conn_or_reader: Any,
    id_: str,
    *,
    edges: bool = True,
    sources_limit: int | None = SOURCES_PAGE,
    sources_offset: int = 0,
) -> dict[str, Any]:
    """The merged row of one cluster, by cluster id or by any member's event id; with the
    edges that joined it (``edges``: a, b, kind, score, algorithm, features) for ``show``.

    ``sources_limit``/``sources_offset`` page its sources (oldest publication first) and
    the edges given are those of the events on the page; ``sources_total`` counts them all."""
    conn = _conn(conn_or_reader)
    rid = (id_ or "").strip()
    key = sql.cluster_key(conn, rid)
    if key is None:
        raise NotFoundError(f"no event or event cluster with id {rid!r}")
    out = _build(conn, [key], sources_limit, sources_offset)[0]
    out["kind"] = "event"
    if edges:
        page = [s["event_id"] for s in out["sources"]]
        paged = sources_limit is not None or sources_offset
        out["edges"] = sql.cluster_edge_rows(conn, out["members"], page if paged else None)
    return out


def _conn(x: Any) -> sqlite3.Connection:
    conn = getattr(x, "conn", None) or getattr(x, "_conn", None) or x
    if not isinstance(conn, sqlite3.Connection):
        raise TypeError("expected a sqlite3.Connection, a Store or a StoreReader")
    return conn


def _build(
    conn: sqlite3.Connection, keys: list[str], limit: int | None, offset: int
) -> list[dict[str, Any]]:
    groups: dict[str, list[sqlite3.Row]] = {}
    for r in sql.cluster_member_rows(conn, keys, full=False):
        groups.setdefault(r["cid"], []).append(r)
    pages: dict[str, list[sqlite3.Row]] = {}
    for r in sql.cluster_source_rows(conn, keys, limit, offset):
        pages.setdefault(r["cid"], []).append(r)
    out = []
    for k in keys:
        if k in groups:
            row = merge_rows(k, groups[k], pages.get(k, []))
            row["sources_total"] = len(groups[k])
            row["sources_offset"] = offset
            out.append(row)
    return out


def _date_key(d: dict[str, Any]) -> tuple[Any, ...]:
    if not d.get("date_start"):
        return (9, 0, "", "")
    span = 0
    if d.get("date_end"):
        from datetime import date

        span = (date.fromisoformat(d["date_end"]) - date.fromisoformat(d["date_start"])).days
    return (_DATE_RANK.get(d.get("date_precision") or "", 5), span, d["date_start"], d["id"])


def _place_key(d: dict[str, Any]) -> tuple[Any, ...]:
    p = d.get("place")
    if not p:
        return (9, 1, 0.0, d["id"])
    resolved = 0 if p.get("lat") is not None else 1
    return (resolved, p.get("precision") or 5, -(p.get("confidence") or 0.0), d["id"])


def _rep_key(d: dict[str, Any]) -> tuple[Any, ...]:
    return (_date_key(d)[0], _place_key(d)[:2], -(d.get("confidence") or 0.0), d["id"])


def reported(values: list[dict[str, Any]]) -> dict[str, Any] | None:
    """min, max, mode and the per-source list of a reported figure."""
    if not values:
        return None
    nums = [v["value"] for v in values]
    counts = Counter(nums)
    mode = min(counts, key=lambda x: (-counts[x], x))
    return {
        "min": min(nums),
        "max": max(v.get("upper") or v["value"] for v in values),
        "mode": mode,
        "by_source": values,
    }


def merge_rows(
    cluster_key: str, rows: list[sqlite3.Row], source_rows: list[sqlite3.Row] | None = None
) -> dict[str, Any]:
    """Build one merged row from a cluster's member rows (see the module docstring);
    ``source_rows``: the members whose sources to list (default: ``rows``, which must then
    carry the source columns)."""
    members: list[dict[str, Any]] = []
    for r in rows:
        d = json.loads(r["data"])
        d["document_id"] = r["document_id"]
        members.append(d)
    rep = min(members, key=_rep_key)
    best_date = min(members, key=_date_key)
    best_place = min(members, key=_place_key)
    out: dict[str, Any] = dict(rep)
    for k in _DATE_KEYS:
        out[k] = best_date.get(k)
    out["place"] = best_place.get("place")
    # actors: the union, the representative's first
    seen: set[str] = set()
    actors = []
    for m in [rep, *[x for x in members if x is not rep]]:
        for a in m.get("actors") or []:
            k = (a.get("normalized") or a.get("name") or "").casefold()
            if k and k not in seen:
                seen.add(k)
                actors.append(a)
    out["actors"] = actors
    # who claimed it: the claim is often in one report only ("IS claimed the bombing")
    claims = Counter(m["claimed_by"] for m in members if m.get("claimed_by"))
    out["claimed_by"] = min(claims, key=lambda c: (-claims[c], c)) if claims else None
    by_doc = {r["id"]: r for r in rows}
    sources = []
    figures: dict[str, list[dict[str, Any]]] = {"fatalities": [], "injured": []}
    for m in members:
        r = by_doc[m["id"]]
        for name, acc in figures.items():
            q = m.get(name)
            if q and q.get("value") is not None:
                item = {
                    "document_id": r["document_id"],
                    "event_id": m["id"],
                    "value": q["value"],
                    "qualifier": q.get("qualifier") or "exact",
                }
                if q.get("upper") is not None:
                    item["upper"] = q["upper"]
                acc.append(item)
    fatalities_of = {m["id"]: m.get("fatalities") for m in members}
    for r in rows if source_rows is None else source_rows:
        sources.append(
            {
                "document_id": r["document_id"],
                "event_id": r["id"],
                "start": r["start"],
                "end": r["end"],
                "sentence": r["sentence"],
                "sentence_start": r["sentence_start"],
                "title": r["title"],
                "url": r["url"],
                "published": r["published"],
                "source": r["source"],
                "fatalities": fatalities_of.get(r["id"]),
            }
        )
    sources.sort(
        key=lambda s: (s["published"] is None, s["published"] or "", s["document_id"], s["start"])
    )
    for name in ("fatalities", "injured"):
        # one figure per source document: its highest (a later sentence often updates
        # the toll: "bringing the number of dead to four")
        per_doc: dict[str, dict[str, Any]] = {}
        for x in sorted(
            figures[name], key=lambda x: (x["document_id"], -x["value"], x["event_id"])
        ):
            per_doc.setdefault(x["document_id"], x)
        acc = sorted(per_doc.values(), key=lambda x: (x["document_id"], x["event_id"]))
        rep_fig = reported(acc)
        out[f"{name}_reported"] = rep_fig
        if rep_fig is not None and len(acc) > 1:
            quals = Counter(x["qualifier"] for x in acc if x["value"] == rep_fig["mode"])
            qual = min(quals, key=lambda x: (-quals[x], x))
            out[name] = {"value": rep_fig["mode"], "qualifier": qual}
        elif rep_fig is not None:
            out[name] = next(m.get(name) for m in members if m["id"] == acc[0]["event_id"])
    published = sorted(r["published"] for r in rows if r["published"])
    out["id"] = rep["id"]
    cid = rows[0]["cid"] if rows else cluster_key
    out["cluster_id"] = None if cid in by_doc else cid  # an unclustered event: no cluster
    out["document_id"] = rep["document_id"]
    out["members"] = sorted(m["id"] for m in members)
    out["n_sources"] = len({m["document_id"] for m in members})
    out["first_report"] = published[0] if published else None
    out["last_report"] = published[-1] if published else None
    out["sources"] = sources
    return out
