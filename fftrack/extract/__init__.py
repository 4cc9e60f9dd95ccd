"""Events, movements, figures, dates, quantities, actors: pure functions over a spaCy doc.

STUB interface, to be replaced by the extract work:
``extract_records(spacy_doc, document, places) -> (actors, events, movements, figures)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fftrack.records import Actor, Document, Event, Figure, Movement, Place


def extract_records(
    sdoc: Any, document: Document, places: Sequence[Place]
) -> tuple[list[Actor], list[Event], list[Movement], list[Figure]]:
    return [], [], [], []


__all__ = ["extract_records"]
