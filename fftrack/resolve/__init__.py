"""Resolution across documents: event dedup (clusters), actor aliases, movement flows.

- ``cluster_new_events(store, event_ids=None) -> int``: incremental clustering, called by
  the ingest runner after each write batch (``fftrack.resolve.cluster``); it reads and
  writes through the store's cluster repository (``Store.clusters()``), never SQL;
- ``merge(store, id_a, id_b)``, ``split(store, event_id)``: a user's judgements, kept as
  edges that later runs respect;
- ``merge_page(keys, members, sources)``, ``merge_rows(key, rows)``: one row per cluster
  with every source and the figures they disagree on (``fftrack.resolve.merged``);
- ``aggregate_flows(movement_rows)``: movements aggregated between resolved places;
- ``ActorResolver``, ``aggregate_actors(mention_rows)``: actor aliases to one actor.

The merged views, flows and resolved actors are pure over stored rows;
``fftrack.views`` (``merged_events``, ``merged_event``, ``flows``, ``resolved_actors``)
reads the rows from a store and composes them with these.

Heavy imports stay inside the submodules; importing this package loads no data.
"""

from __future__ import annotations

from fftrack.resolve.actors import ActorResolver, ResolvedActor, aggregate_actors
from fftrack.resolve.cluster import (
    ALGORITHM,
    THRESHOLD,
    Clusterer,
    cluster_new_events,
    merge,
    score_pair,
    split,
)
from fftrack.resolve.flows import aggregate_flows
from fftrack.resolve.merged import merge_page, merge_rows

__all__ = [
    "ALGORITHM",
    "THRESHOLD",
    "ActorResolver",
    "Clusterer",
    "ResolvedActor",
    "aggregate_actors",
    "aggregate_flows",
    "cluster_new_events",
    "merge",
    "merge_page",
    "merge_rows",
    "score_pair",
    "split",
]
