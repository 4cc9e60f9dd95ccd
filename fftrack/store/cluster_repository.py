"""The clusters repository: every read and write the clusterer makes, as named methods.

``fftrack.resolve.cluster`` decides (candidates, scores, envelopes, judgements) and never
speaks SQL nor imports the store: it is handed a :class:`ClusterRepository` (the
``Store.clusters()`` of the writer that runs the ingest) and calls these methods, inside
the transactions :meth:`ClusterRepository.transaction` opens. The SQL itself is in
``fftrack.store.clusters``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from fftrack.readmodel import ClusterRow, Edge
from fftrack.store import clusters as sql
from fftrack.store.migrations import utcnow

__all__ = ["ClusterRepository", "Edge"]


class ClusterRepository:
    """The cluster tables of one writable store connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    # -- schema, transactions, clock -----------------------------------------------------

    def ensure_schema(self) -> None:
        sql.ensure_schema(self._conn)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One ``BEGIN IMMEDIATE ... COMMIT``, or the caller's transaction where it holds one."""
        with sql.transaction(self._conn):
            yield

    def now(self) -> str:
        """The time stamp written with edges and cluster rows (UTC, seconds)."""
        return utcnow()

    # -- events ------------------------------------------------------------------------------

    def load_events(self, ids: Sequence[str]) -> list[sqlite3.Row]:
        """The clustering columns of events (with their document's publication date)."""
        return sql.load_events(self._conn, ids)

    def document_places(self, doc_ids: Sequence[str]) -> dict[str, list[sqlite3.Row]]:
        """Resolved places of documents, in text order."""
        return sql.document_places(self._conn, doc_ids)

    def unclustered_event_ids(self) -> list[str]:
        """Events without a cluster, oldest first."""
        return sql.unclustered_event_ids(self._conn)

    def event_exists(self, event_id: str) -> bool:
        return sql.event_exists(self._conn, event_id)

    # -- blocking ----------------------------------------------------------------------------

    def add_blocks(self, boxes: Sequence[tuple[str, tuple[float, ...]]]) -> None:
        sql.add_blocks(self._conn, boxes)

    def block_candidates(self, box: tuple[float, ...]) -> list[str]:
        return sql.block_candidates(self._conn, box)

    # -- membership --------------------------------------------------------------------------

    def clusters_of(self, event_ids: Sequence[str]) -> dict[str, str]:
        """``event id -> cluster id`` for those of ``event_ids`` that have a cluster."""
        return sql.clusters_of(self._conn, event_ids)

    def cluster_of(self, event_id: str) -> str | None:
        return sql.cluster_of(self._conn, event_id)

    def members_of(self, cluster_ids: Sequence[str]) -> dict[str, list[str]]:
        return sql.members_of(self._conn, cluster_ids)

    def cluster_members(self, event_id: str) -> list[str]:
        """The members of ``event_id``'s cluster (``[event_id]`` where it has none)."""
        cid = self.cluster_of(event_id)
        if cid is None:
            return [event_id]
        return self.members_of([cid]).get(cid, [event_id])

    def assign(self, event_ids: Sequence[str], cluster_id: str) -> int:
        """Put events in a cluster; returns how many changed cluster."""
        return sql.assign(self._conn, event_ids, cluster_id)

    def move_members(self, old: str, new: str) -> int:
        return sql.move_members(self._conn, old, new)

    def document_in_cluster(self, cluster_id: str, document_id: str, other_than: str) -> bool:
        return sql.document_in_cluster(self._conn, cluster_id, document_id, other_than)

    def cluster_documents(self, cluster_id: str) -> int:
        return sql.cluster_documents(self._conn, cluster_id)

    # -- cluster rows ------------------------------------------------------------------------

    def load_clusters(self, cluster_ids: Sequence[str]) -> dict[str, ClusterRow]:
        return sql.load_clusters(self._conn, cluster_ids)

    def save_cluster(self, row: ClusterRow, now: str) -> None:
        sql.save_cluster(self._conn, row, now)

    def delete_cluster(self, cluster_id: str) -> None:
        sql.delete_cluster(self._conn, cluster_id)

    # -- judgements --------------------------------------------------------------------------

    def add_edges(self, edges: Iterable[Edge], now: str) -> int:
        return sql.add_edges(self._conn, edges, now)

    def delete_edges(self, a: str, b: str, kinds: Sequence[str]) -> None:
        sql.delete_edges(self._conn, a, b, kinds)

    def partners(self, event_id: str, kind: str) -> list[str]:
        """The events a user judged (``kind``) against ``event_id``."""
        return sql.partners(self._conn, event_id, kind)

    def partners_of(self, event_ids: Sequence[str], kind: str) -> dict[str, list[str]]:
        """:meth:`partners` of each of ``event_ids`` that has any (a batch in one read)."""
        return sql.partners_of(self._conn, event_ids, kind)

    def split_between(self, a: str, b: str) -> bool:
        """Whether a user split any event of ``a``'s cluster from any of ``b``'s."""
        return sql.split_between(self._conn, a, b)

    def reset_auto(self) -> None:
        """Drop every automatic judgement (auto edges, blocks, clusters); keep the user's."""
        sql.reset_auto(self._conn)
