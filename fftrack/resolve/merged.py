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

Pure: rows in (``fftrack.store.merged_rows`` reads them), merged rows out;
``fftrack.views`` composes the two (``merged_events``, ``merged_event``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from fftrack.resolve.pairs import CLAIM_SUB_TYPE

_DATE_RANK = {"day": 0, "week": 1, "month": 2, "season": 3, "year": 4}
_DATE_KEYS = ("date", "date_precision", "date_start", "date_end")


class Row(Protocol):
    """A stored event row (``fftrack.store.merged_rows``; a ``sqlite3.Row`` or a dict):
    its columns by name."""

    def __getitem__(self, key: str, /) -> Any: ...


def merge_page(
    keys: Sequence[str],
    members: Mapping[str, Sequence[Row]],
    sources: Mapping[str, Sequence[Row]] | None = None,
    sources_offset: int = 0,
) -> list[dict[str, Any]]:
    """The merged rows of the clusters ``keys``, in that order (a key with no members is
    left out): ``members`` gives every event of each cluster, ``sources`` the page of each
    one's sources to list (None: every member, which then carries the source columns).

    Each row also says ``sources_total`` (every member) and ``sources_offset`` when
    ``sources`` is given."""
    out = []
    for k in keys:
        if k not in members:
            continue
        if sources is None:
            out.append(merge_rows(k, members[k]))
            continue
        row = merge_rows(k, members[k], sources.get(k, []))
        row["sources_total"] = len(members[k])
        row["sources_offset"] = sources_offset
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
    # a claim of responsibility never stands for the act it claims (its type is "Other")
    claim = d.get("sub_event_type") == CLAIM_SUB_TYPE
    return (claim, _date_key(d)[0], _place_key(d)[:2], -(d.get("confidence") or 0.0), d["id"])


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
    cluster_key: str, rows: Sequence[Row], source_rows: Sequence[Row] | None = None
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
