"""Gazetteer (GeoNames) and toponym resolution.

``Gazetteer.open(cache_dir)`` builds (once) and opens the SQLite index;
``Geoparser(gazetteer).geoparse(spacy_doc, document) -> list[Place]`` recognises and
resolves toponyms; ``resolve_spans`` resolves given spans only; ``lookup`` resolves a
bare name.
"""

from __future__ import annotations

from fftrack.geo.gazetteer import DATA_VERSION, Entry, Gazetteer, GazetteerError
from fftrack.geo.geoparser import Geoparser
from fftrack.geo.normalize import name_key, skeleton_key

__all__ = [
    "DATA_VERSION",
    "Entry",
    "Gazetteer",
    "GazetteerError",
    "Geoparser",
    "name_key",
    "skeleton_key",
]
