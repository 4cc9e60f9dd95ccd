"""Merged views over a store: the store's reads composed with resolve's merging.

This module sits above both ``fftrack.store`` (which reads rows and speaks SQL) and
``fftrack.resolve`` (pure: rows in, merged rows, flows and resolved actors out), so that
neither imports the other's way:

- ``merged_events(source, query)``, ``merged_event(source, id)``: one row per event
  cluster with every source and the figures they disagree on (``resolve.merged``);
  ``merged_events_of(source, keys)`` the same of given clusters;
- ``iter_merged_events(reader, query)``: the same a batch of clusters at a time, each row
  with ``ingested_at`` (exports);
- ``flows(source, query)``: movements aggregated between resolved places
  (``resolve.flows``);
- ``resolved_actors(source, query)``: actor aliases to one actor (``resolve.actors``);
- ``StoreReader``: ``fftrack.store.StoreReader`` with these as methods (``fftrack.StoreReader``
  is this one); the map's slim event rows (``event_page``, ``event_counts``,
  ``timeline_counts``: ``fftrack.store.mapview``) come with the store's reader.

A ``source`` is a ``StoreReader`` (its reads run in its snapshot), a writer ``Store`` or a
bare ``sqlite3.Connection``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Generator, Sequence
from contextlib import closing
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

from fftrack.store import reader as store_reader
from fftrack.store.merged_rows import ClusterRows, ConnReads
from fftrack.store.query import Query

if TYPE_CHECKING:
    from fftrack.resolve.actors import ActorResolver
    from fftrack.resolve.merged import Row
    from fftrack.store.writer import Store

# fftrack.resolve loads on a view's first use, not with the reader (which many commands
# open without ever asking for a merged view), and through the package: submodules
# imported directly from several threads at once can meet half-initialised (the map's
# first load)
SOURCES_PAGE = 100  # sources per merged row unless asked otherwise (a cluster may be large)

__all__ = [
    "SOURCES_PAGE",
    "StoreReader",
    "flows",
    "iter_merged_events",
    "merged_event",
    "merged_events",
    "merged_events_of",
    "resolved_actors",
]


# what the views read from: a reader (its reads in its snapshot), a writer or a connection
Source: TypeAlias = "store_reader.StoreReader | Store | sqlite3.Connection"


class Reads(Protocol):
    """What the views read from a store (``StoreReader`` and ``ConnReads`` both give it)."""

    def cluster_page_rows(self, q: Query, sources_limit: int | None) -> ClusterRows: ...

    def cluster_rows_for(self, keys: list[str], sources_limit: int | None) -> ClusterRows: ...

    def cluster_rows_of(
        self, id_: str, *, edges: bool = True, sources_limit: int | None, sources_offset: int = 0
    ) -> ClusterRows: ...

    def movement_rows(self, q: Query) -> Sequence[Row]: ...

    def actor_rows(self, q: Query) -> Sequence[Row]: ...


def _reads(source: Source) -> Reads:
    if isinstance(source, store_reader.StoreReader):
        return source
    return ConnReads(source)


def merged_events(
    source: Source, query: Query | None = None, *, sources_limit: int | None = SOURCES_PAGE
) -> list[dict[str, Any]]:
    """One row per event cluster with at least one member matching ``query``.

    ``limit``/``offset`` page clusters, not events; clusters come in order of their
    earliest date. Each row lists at most ``sources_limit`` sources (None: all; the
    figures and members are always every member's), ``sources_total`` says how many."""
    from fftrack.resolve import merge_page

    rows = _reads(source).cluster_page_rows(query or Query(), sources_limit)
    return merge_page(rows.keys, rows.members, rows.sources, rows.sources_offset)


def merged_events_of(
    source: Source, keys: Sequence[str], *, sources_limit: int | None = SOURCES_PAGE
) -> dict[str, dict[str, Any]]:
    """The merged rows of the clusters ``keys`` (cluster ids, or ids of events in none)
    by key, as ``merged_events`` gives them (a key with no events is left out)."""
    from fftrack.resolve import merge_page

    rows = _reads(source).cluster_rows_for(list(keys), sources_limit)
    present = [k for k in rows.keys if k in rows.members]
    merged = merge_page(present, rows.members, rows.sources, rows.sources_offset)
    return dict(zip(present, merged, strict=True))


def merged_event(
    source: Source,
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
    from fftrack.resolve import merge_page

    rows = _reads(source).cluster_rows_of(
        id_, edges=edges, sources_limit=sources_limit, sources_offset=sources_offset
    )
    out = merge_page(rows.keys, rows.members, rows.sources, rows.sources_offset)[0]
    out["kind"] = "event"
    if edges:
        out["edges"] = rows.edges if rows.edges is not None else []
    return out


def iter_merged_events(
    reader: store_reader.StoreReader, query: Query | None = None
) -> Generator[dict[str, Any], None, None]:
    """``merged_events(reader, query)`` with every source, a batch of clusters at a time,
    each row also with ``ingested_at`` (when its representative's document was stored).
    Holds the reader's snapshot until exhausted or closed."""
    from fftrack.resolve import merge_page

    with closing(reader.iter_cluster_batches(query or Query())) as batches:
        for batch in batches:
            for m in merge_page(batch.keys, batch.members):
                m["ingested_at"] = batch.ingested_at.get(m["document_id"])
                yield m


def flows(
    source: Source,
    query: Query | None = None,
    *,
    resolver: ActorResolver | None = None,
    by_actor: bool = False,
) -> list[dict[str, Any]]:
    """Movements matching ``query`` aggregated into flows (``fftrack.resolve.flows``);
    ``limit`` and ``offset`` page the flows, not the movements."""
    from fftrack.resolve import aggregate_flows

    q = query or Query()
    return aggregate_flows(
        _reads(source).movement_rows(q),
        resolver=resolver,
        by_actor=by_actor,
        limit=q.limit,
        offset=q.offset,
    )


def resolved_actors(
    source: Source, query: Query | None = None, resolver: ActorResolver | None = None
) -> list[dict[str, Any]]:
    """One row per resolved actor: ``{name, normalized, kind, country, aliases, mentions,
    documents, mention_ids}``, most mentioned first. ``query`` filters the actor mentions;
    its limit/offset page the resolved actors."""
    from fftrack.resolve import aggregate_actors

    q = query or Query()
    return aggregate_actors(_reads(source).actor_rows(q), resolver, limit=q.limit, offset=q.offset)


class StoreReader(store_reader.StoreReader):
    """``fftrack.store.StoreReader`` with the merged views as methods."""

    def merged_events(self, q: Query | None = None) -> list[dict[str, Any]]:
        """Events merged across sources: one row per cluster (``fftrack.resolve.merged``),
        with every source and the figures each gives."""
        return merged_events(self, (q or Query()).validate())

    def merged_events_of(self, keys: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The merged rows of the clusters ``keys`` (cluster ids, or ids of events in
        none), by key."""
        return merged_events_of(self, keys)

    def merged_event(
        self, id: str, *, sources_limit: int | None = SOURCES_PAGE, sources_offset: int = 0
    ) -> dict[str, Any]:
        """One merged event by cluster id or any member's event id, with its merge edges;
        its sources paged (``sources_total`` counts them all)."""
        return merged_event(self, id, sources_limit=sources_limit, sources_offset=sources_offset)

    def iter_merged_events(self, q: Query | None = None) -> Generator[dict[str, Any], None, None]:
        """``merged_events(q)`` a batch at a time, each row also with ``ingested_at``.
        Holds the reader's snapshot until exhausted or closed."""
        yield from iter_merged_events(self, (q or Query()).validate())

    def flows(self, q: Query | None = None) -> list[dict[str, Any]]:
        """Movements matching ``q`` aggregated into flows between resolved places
        (``resolve.flows.v1``); ``limit`` and ``offset`` page the flows, not the movements."""
        return flows(self, (q or Query()).validate())

    def resolved_actors(self, q: Query | None = None) -> list[dict[str, Any]]:
        """One row per actor with its aliases and mentions (``fftrack.resolve.actors``)."""
        return resolved_actors(self, (q or Query()).validate())
