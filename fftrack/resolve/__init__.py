"""Resolution across documents: event dedup (clusters), actor aliases, movement flows.

- ``cluster_new_events(store_or_conn, event_ids=None) -> int``: incremental clustering,
  called by the ingest runner after each write batch (``fftrack.resolve.cluster``);
- ``merge(conn, id_a, id_b)``, ``split(conn, event_id)``: a user's judgements, kept as
  edges that later runs respect;
- ``merged_events(conn, query)``, ``merged_event(conn, id)``: one row per cluster with every
  source and the figures they disagree on (``fftrack.resolve.merged``);
- ``flows(conn, query)``: movements aggregated between resolved places;
- ``ActorResolver``, ``resolved_actors(conn, query)``: actor aliases to one actor.

Heavy imports stay inside the submodules; importing this package loads no data.
"""

from __future__ import annotations

from fftrack.resolve.actors import ActorResolver, ResolvedActor, resolved_actors
from fftrack.resolve.cluster import (
    ALGORITHM,
    THRESHOLD,
    Clusterer,
    cluster_new_events,
    merge,
    score_pair,
    split,
)
from fftrack.resolve.flows import flows
from fftrack.resolve.merged import merged_event, merged_events

__all__ = [
    "ALGORITHM",
    "THRESHOLD",
    "ActorResolver",
    "Clusterer",
    "ResolvedActor",
    "cluster_new_events",
    "flows",
    "merge",
    "merged_event",
    "merged_events",
    "resolved_actors",
    "score_pair",
    "split",
]
