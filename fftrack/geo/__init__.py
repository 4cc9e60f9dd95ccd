"""Gazetteer (GeoNames) and toponym resolution.

STUB interface, to be replaced by the geo work: ``Gazetteer.open(cache_dir)`` and
``Geoparser(gazetteer).geoparse(spacy_doc, document) -> list[Place]``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fftrack.records import Document, Place, Span


class Gazetteer:
    @classmethod
    def open(cls, cache_dir: Path | None = None) -> "Gazetteer":
        return cls()


class Geoparser:
    name = "geo.resolve.v0"

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def geoparse(self, sdoc: Any, document: Document) -> list[Place]:
        out = []
        for ent in sdoc.ents:
            if ent.label_ in ("GPE", "LOC", "FAC"):
                span = Span(document.id, ent.start_char, ent.end_char, ent.sent.start_char, ent.sent.end_char)
                out.append(Place(name=ent.text, span=span, extractor=self.name))
        return out


__all__ = ["Gazetteer", "Geoparser"]
