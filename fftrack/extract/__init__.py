"""Events, movements, figures, dates, quantities, actors: pure functions over a spaCy doc.

``extract_records(spacy_doc, document, places) -> (actors, events, movements, figures)``
is what the pipeline calls. ``spacy_doc`` is the parsed ``document.text`` (all pipes on),
``places`` the geoparser's toponyms; ``document.published`` anchors relative dates.

Helpers: ``quantities.parse_quantity``, ``dates.resolve_date``, ``actors.normalize_actor``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from fftrack.extract.actors import find_actors, normalize_actor
from fftrack.extract.dates import resolve_date
from fftrack.extract.events import extract_events
from fftrack.extract.figures import extract_figures
from fftrack.extract.movements import extract_movements
from fftrack.extract.quantities import parse_quantity
from fftrack.extract.spanlist import SpanList
from fftrack.extract.timeline import DocDates
from fftrack.records import Actor, Document, Event, Figure, Movement, Place

if TYPE_CHECKING:
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

VERSION = "extract.v1"


def extract_records(
    sdoc: Doc, document: Document, places: Sequence[Place]
) -> tuple[list[Actor], list[Event], list[Movement], list[Figure]]:
    """Actors, events, movements and figures read from one parsed document."""
    # indexed by position: every extractor asks which places and actors a clause holds
    places = SpanList(places)
    actors = find_actors(sdoc, document, places)
    indexed = SpanList(actors)
    dates = DocDates(sdoc, document)
    events = extract_events(sdoc, document, places, indexed, dates)
    movements = extract_movements(sdoc, document, places, indexed, dates)
    # numbers of a located incident (attackers, victims, its toll) are not group figures;
    # a toll reported without a place ("some 5,000 foreign fighters were killed") is both
    exclude = [
        (ev.span.start, ev.span.end)
        for ev in events
        if ev.place is not None and ev.event_type != "Other"
    ]
    figures = extract_figures(sdoc, document, places, indexed, exclude=exclude, dates=dates)
    return actors, events, movements, figures


__all__ = ["extract_records", "normalize_actor", "parse_quantity", "resolve_date"]
