"""Read-model rows: what the store hands the resolver and the readers, typed.

The domain records (``fftrack.records``) are what extraction produces; these are the
rows the store keeps about them (a cluster's summary and envelope, the kinds of judgement
about a pair of events). They sit here, beside the records, so that the store
(``fftrack.store``) and the resolver (``fftrack.resolve``) share them without importing
each other. Frozen dataclasses and constants only; no I/O.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

__all__ = [
    "EDGE_AUTO",
    "EDGE_MERGE",
    "EDGE_SPLIT",
    "ClusterRow",
    "DocumentRow",
    "Edge",
    "FailureRow",
]

# kinds of ``cluster_edges`` row: the clusterer's decision, a user's must-link, cannot-link
EDGE_AUTO = "auto"
EDGE_MERGE = "user_merge"
EDGE_SPLIT = "user_split"
# one judgement about a pair: ``(a, b, kind, score, algorithm, features)``
Edge = tuple[str, str, str, float | None, str, dict[str, Any] | None]


@dataclass(frozen=True)
class ClusterRow:
    """One ``event_clusters`` row: the cluster's summary and its envelope (migration 7)."""

    id: str
    representative: str
    size: int
    documents: int
    date_start: str | None
    date_end: str | None
    algorithm: str
    first_member: str | None = None
    family: str | None = None
    country: str | None = None
    lat_lo: float | None = None
    lat_hi: float | None = None
    lon_lo: float | None = None
    lon_hi: float | None = None
    day_lo: int | None = None
    day_hi: int | None = None
    must_lo: int | None = None
    must_hi: int | None = None
    reach_km: float | None = None
    reach_days: int | None = None


class _Row:
    """A read-model row read by attribute, and, as the dicts it replaces were, by column
    name (``row["id"]``); ``to_dict()`` is its JSON form, columns in order."""

    def __getitem__(self, name: str) -> Any:
        if name not in self.keys():
            raise KeyError(name)
        return getattr(self, name)

    def keys(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self))  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]


@dataclass(frozen=True)
class DocumentRow(_Row):
    """A stored document's metadata, without its text (``StoreReader.documents()``)."""

    id: str
    title: str | None
    url: str | None
    published: str | None
    source: str | None
    language: str | None
    origin: str | None
    ingested_at: str | None


@dataclass(frozen=True)
class FailureRow(_Row):
    """One line of the ingest failure log (``StoreReader.failures()``)."""

    source: str
    line: int | None
    reason: str
    recorded_at: str
