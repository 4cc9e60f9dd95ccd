"""The rows the merged views are built from: what ``fftrack.views`` reads from a store
before ``fftrack.resolve`` merges, aggregates or resolves them.

The store only reads here; merging (``resolve.merged``), flows (``resolve.flows``) and
actor resolution (``resolve.actors``) are pure functions over these rows, composed with
them in ``fftrack.views``. Each function takes a connection; ``StoreReader`` offers the
same reads as methods (inside its snapshot) and ``ConnReads`` over a bare connection or a
writer's ``Store``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fftrack.errors import NotFoundError
from fftrack.store import clusters as sql
from fftrack.store.query import Query, where_clause

if TYPE_CHECKING:
    from fftrack.store.writer import Store

BATCH = 500


@dataclass(frozen=True)
class ClusterRows:
    """The rows of some event clusters (a key is a cluster id, or the id of an event in no
    cluster), in page order.

    ``members``: every event of each cluster (``id``, ``document_id``, ``data``,
    ``published``, ``cid``; with the source columns too when ``full``); ``sources``: the
    page of each cluster's sources asked for (None: the members carry them);
    ``sources_offset``: where that page starts; ``edges``: the merge edges asked for;
    ``ingested_at``: document id -> when it was stored (streams only)."""

    keys: list[str]
    members: dict[str, list[sqlite3.Row]]
    sources: dict[str, list[sqlite3.Row]] | None = None
    sources_offset: int = 0
    edges: list[dict[str, Any]] | None = None
    ingested_at: dict[str, str] = field(default_factory=dict)


def _group(rows: list[sqlite3.Row]) -> dict[str, list[sqlite3.Row]]:
    out: dict[str, list[sqlite3.Row]] = {}
    for r in rows:
        out.setdefault(r["cid"], []).append(r)
    return out


def cluster_page_rows(
    conn: sqlite3.Connection, q: Query, sources_limit: int | None, sources_offset: int = 0
) -> ClusterRows:
    """The clusters with at least one event matching ``q`` (``limit``/``offset`` page
    clusters, in order of their earliest date), with a page of each one's sources."""
    where, params = where_clause("events", q.unpaged())
    keys = sql.cluster_page(conn, where, params, q.limit, q.offset)
    return _rows_of(conn, keys, sources_limit, sources_offset)


def cluster_rows_for(
    conn: sqlite3.Connection, keys: list[str], sources_limit: int | None
) -> ClusterRows:
    """The clusters ``keys`` (cluster ids, or ids of events in none), in that order, with
    the first page of each one's sources: what ``cluster_page_rows`` gives of them."""
    return _rows_of(conn, keys, sources_limit, 0)


def _rows_of(
    conn: sqlite3.Connection, keys: list[str], limit: int | None, offset: int
) -> ClusterRows:
    """The members of ``keys`` and a page of each one's sources. A cluster whose every
    member is on its first page of sources (most: a handful of reports) is read once,
    its members with their source columns being that page; the others as members, then
    their page of sources."""
    whole: list[str] = []
    if offset == 0:
        sizes = _sizes(conn, keys)
        whole = [k for k in keys if limit is None or sizes.get(k, 0) <= limit]
    read = set(whole)
    rest = [k for k in keys if k not in read]
    members = _group(sql.cluster_member_rows(conn, whole, full=True)) if whole else {}
    sources = {k: members[k] for k in whole if k in members}
    if rest:
        members.update(_group(sql.cluster_member_rows(conn, rest, full=False)))
        sources.update(_group(sql.cluster_source_rows(conn, rest, limit, offset)))
    return ClusterRows(keys=keys, members=members, sources=sources, sources_offset=offset)


def _sizes(conn: sqlite3.Connection, keys: list[str]) -> dict[str, int]:
    """Events in each of the clusters ``keys`` (counted in an index of event_map)."""
    out: dict[str, int] = {}
    for chunk in sql.chunked(keys):
        marks = ",".join("?" * len(chunk))
        for k, n in conn.execute(
            "SELECT cluster_key, COUNT(*) FROM event_map INDEXED BY event_map_clusters"
            f" WHERE cluster_key IN ({marks}) GROUP BY cluster_key",
            list(chunk),
        ):
            out[k] = int(n)
    return out


def cluster_rows_of(
    conn: sqlite3.Connection,
    id_: str,
    *,
    edges: bool = True,
    sources_limit: int | None,
    sources_offset: int = 0,
) -> ClusterRows:
    """One cluster by cluster id or by any member's event id (NotFoundError if neither),
    with the edges among its members (``edges``; those touching the events of the page
    of sources when its sources are paged)."""
    rid = (id_ or "").strip()
    key = sql.cluster_key(conn, rid)
    if key is None:
        raise NotFoundError(f"no event or event cluster with id {rid!r}")
    out = _rows_of(conn, [key], sources_limit, sources_offset)
    if not edges or key not in out.members:
        return out
    members = sorted(r["id"] for r in out.members[key])
    paged = sources_limit is not None or sources_offset
    page = [r["id"] for r in (out.sources or {}).get(key, [])] if paged else None
    return ClusterRows(
        keys=out.keys,
        members=out.members,
        sources=out.sources,
        sources_offset=out.sources_offset,
        edges=sql.cluster_edge_rows(conn, members, page),
    )


def cluster_batches(
    conn: sqlite3.Connection, q: Query, batch: int = BATCH
) -> Iterator[ClusterRows]:
    """The clusters matching ``q`` (paged by ``limit``/``offset`` over clusters) a batch
    at a time, every member with its source columns, and ``ingested_at`` of the
    members' documents."""
    where, params = where_clause("events", q.unpaged())
    text = (
        "SELECT COALESCE(cluster_id, id) AS cid, MIN(date_start) AS ds FROM events"
        f"{where} GROUP BY cid ORDER BY ds IS NULL, ds, cid"
    )
    p = list(params)
    if q.limit is not None or q.offset:
        text += " LIMIT ? OFFSET ?"
        p.extend([q.limit if q.limit is not None else -1, q.offset])
    cur = conn.cursor()
    cur.execute(text, p)
    while True:
        keys = [r[0] for r in cur.fetchmany(batch)]
        if not keys:
            break
        members = _group(sql.cluster_member_rows(conn, keys))
        docs = {r["document_id"] for rs in members.values() for r in rs}
        yield ClusterRows(keys=keys, members=members, ingested_at=_ingested_at(conn, docs))


def _ingested_at(conn: sqlite3.Connection, ids: set[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for chunk in sql.chunked(sorted(ids)):
        marks = ",".join("?" * len(chunk))
        for r in sql.rows(
            conn, f"SELECT id, ingested_at FROM documents WHERE id IN ({marks})", list(chunk)
        ):
            out[r["id"]] = r["ingested_at"]
    return out


def movement_rows(conn: sqlite3.Connection, q: Query) -> list[sqlite3.Row]:
    """Every movement matching ``q`` (unpaged: flows page themselves) with its
    document's publication date, by date then id."""
    where, params = where_clause("movements", q.unpaged())
    return sql.movement_rows(conn, where, params)


def actor_rows(conn: sqlite3.Connection, q: Query) -> list[sqlite3.Row]:
    """Every actor mention matching ``q`` (unpaged: resolved actors page themselves)."""
    where, params = where_clause("actors", q.unpaged())
    return sql.actor_rows(conn, where, params)


class ConnReads:
    """The reads above over a bare connection or a writer ``Store`` (its ``conn``), for
    code that holds one rather than a ``StoreReader``."""

    def __init__(self, conn_or_store: sqlite3.Connection | Store) -> None:
        conn = getattr(conn_or_store, "conn", conn_or_store)
        if not isinstance(conn, sqlite3.Connection):
            raise TypeError("expected a sqlite3.Connection, a Store or a StoreReader")
        self.conn = conn

    def cluster_page_rows(self, q: Query, sources_limit: int | None) -> ClusterRows:
        return cluster_page_rows(self.conn, q, sources_limit)

    def cluster_rows_for(self, keys: list[str], sources_limit: int | None) -> ClusterRows:
        return cluster_rows_for(self.conn, keys, sources_limit)

    def cluster_rows_of(
        self, id_: str, *, edges: bool = True, sources_limit: int | None, sources_offset: int = 0
    ) -> ClusterRows:
        return cluster_rows_of(
            self.conn, id_, edges=edges, sources_limit=sources_limit, sources_offset=sources_offset
        )

    def movement_rows(self, q: Query) -> list[sqlite3.Row]:
        return movement_rows(self.conn, q)

    def actor_rows(self, q: Query) -> list[sqlite3.Row]:
        return actor_rows(self.conn, q)
