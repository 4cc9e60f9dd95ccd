"""fftrack: sourced, geocoded records of conflict events, movements and reported figures.

The public API is what ``__all__`` lists. Heavy parts (spaCy, the gazetteer, the store)
load lazily on first attribute access, never at import.
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
