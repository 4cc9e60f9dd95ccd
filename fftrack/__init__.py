"""fftrack: sourced, geocoded records of conflict events, movements and reported figures.

The public API is what ``__all__`` lists. Heavy parts (spaCy, the gazetteer, the store)
load lazily on first attribute access, never at import.

Layering (data flows one way; a stage imports only from stages before it and from the
shared ``records``, ``errors`` and ``config``):

- ``ingest`` reads files, folders, feeds, JSON Lines and URLs into ``Document`` records;
- ``nlp`` (spaCy) -> ``geo`` (places: the gazetteer) and ``extract`` (events, movements,
  figures, actors), run per document by ``pipeline`` (``runner`` drives a whole ingest);
- ``resolve`` judges across documents (event clusters, actor aliases, flows): pure over
  records and rows, but for clustering (``resolve.cluster``, which ``runner`` calls after
  each write), handed the store's cluster repository (``Store.clusters()``): no SQL and
  no import of ``store``;
- ``store`` is the SQLite store and the only code that speaks SQL (but the gazetteer's
  own database, which ``geo`` builds and reads); it imports nothing from ``resolve``;
- ``views`` composes store reads with resolve's merging (merged events, flows, resolved
  actors; ``fftrack.StoreReader`` is ``views.StoreReader``); ``export``, ``web`` and the
  CLI (``cli*.py``) read through it and the store's reader.

The network: only ``ingest.fetch`` / ``ingest.download`` (URLs and feeds at ingest, the
GeoNames files ``fftrack gazetteer`` builds from); ``web`` serves on loopback by default
and fetches nothing itself (the map page's browser loads OpenStreetMap tiles).
tests/test_boundaries.py checks the store's side of this. Settings: ``config`` only (no module
reads an ``FFTRACK_*`` variable of its own). The README's Architecture section has the table.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from fftrack.config import Config, load_config
from fftrack.errors import (
    ConfigError,
    FetchError,
    FftrackError,
    InputError,
    ModelError,
    NotFoundError,
    StoreError,
    UsageError,
)
from fftrack.records import (
    Actor,
    Document,
    Event,
    Extraction,
    Figure,
    Movement,
    Place,
    Quantity,
    Span,
    TimeRef,
)

__version__ = "0.1.0"

_LAZY = {
    "Pipeline": "fftrack.pipeline",
    "NlpPipeline": "fftrack.nlp",
    "Gazetteer": "fftrack.geo",
    "Geoparser": "fftrack.geo",
    "Store": "fftrack.store",
    "StoreReader": "fftrack.views",
    "Query": "fftrack.store",
    "iter_documents": "fftrack.ingest",
    "ReadFailure": "fftrack.ingest",
    "run_ingest": "fftrack.runner",
    "IngestReport": "fftrack.runner",
    "extract_records": "fftrack.extract",
    "DaskExtractor": "fftrack.scale",
}

__all__ = [
    "Actor",
    "Config",
    "ConfigError",
    "DaskExtractor",
    "Document",
    "Event",
    "Extraction",
    "FetchError",
    "FftrackError",
    "Figure",
    "Gazetteer",
    "Geoparser",
    "IngestReport",
    "InputError",
    "ModelError",
    "Movement",
    "NlpPipeline",
    "NotFoundError",
    "Pipeline",
    "Place",
    "Quantity",
    "Query",
    "ReadFailure",
    "Span",
    "Store",
    "StoreError",
    "StoreReader",
    "TimeRef",
    "UsageError",
    "__version__",
    "extract_records",
    "iter_documents",
    "run_ingest",
    "load_config",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'fftrack' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
