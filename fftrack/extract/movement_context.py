"""What a report has said so far that a movement told without an end goes on from.

Used by :mod:`fftrack.extract.movements`, sentence by sentence: the place the groups were
last placed in (an origin left, or a place under siege: "the siege of X", "the noose
around X", "besieged X"), which a movement with a destination and no origin of its own
leaves; and the movement just told with a destination, which the same kind of group moving
in the same manner in the next sentence goes on ("civilians fled toward X. ... dozens of
civilians fleeing with them"). ``place_before`` gives the nearest place named before a
position ("captured X ... but withdrew").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from fftrack.extract.movement_args import ArgReader, is_passive, object_of
from fftrack.extract.spanlist import spans_within
from fftrack.nlp.docview import doc_tokens
from fftrack.records import Actor, Movement, Place

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan

# words that put a place under siege ("the siege of X", "the noose around X")
SIEGE_WORDS = {"siege", "noose", "encirclement", "blockade", "cordon"}
CONTEXT_SENTENCES = 3  # how far back an origin from the report's context reaches
# a group held in a place does not go on anywhere
HELD_MANNERS = {"besieged", "trapped", "stranded"}


def same_place(a: Place, b: Place) -> bool:
    if a.name == b.name:
        return True
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return True
    return a.resolved and (a.lat, a.lon) == (b.lat, b.lon)


class Context:
    """Where the report last placed the groups it follows, sentence by sentence."""

    def __init__(self) -> None:
        self.origin: Place | None = None
        self.sent_no = -(10**6)
        self.held = False  # a place the groups are held in (under siege), not one left
        self.move: Movement | None = None  # the last movement told with a destination
        self.move_sent_no = -(10**6)

    def told(self, m: Movement, sent_no: int) -> None:
        if m.destination is not None and m.actor is not None and m.manner not in HELD_MANNERS:
            self.move, self.move_sent_no = m, sent_no

    def same_flight(
        self, actor: Actor | None, manner: str, sent_no: int, text: str, at: int
    ) -> Movement | None:
        """ "Civilians fled toward X. ... dozens of civilians fleeing with them": the
        movement just told (this sentence or the one before, same paragraph) of the same
        kind of group in the same manner, whose ends a movement told without any goes on."""
        m = self.move
        if m is None or m.actor is None or actor is None or sent_no - self.move_sent_no > 1:
            return None
        if m.manner != manner or m.actor.kind != actor.kind:
            return None
        if "\n\n" in text[m.span.end : max(at, m.span.end)]:
            return None
        return m

    def set(self, place: Place, sent_no: int, held: bool = False) -> None:
        self.origin, self.sent_no, self.held = place, sent_no, held

    def get(self, sent_no: int, text: str = "", at: int = 0) -> Place | None:
        """The place last set, within a few sentences (and, for a place left, the same
        paragraph)."""
        if self.origin is None or sent_no - self.sent_no > CONTEXT_SENTENCES:
            return None
        if not self.held and text and "\n\n" in text[self.origin.span.end : at]:
            return None  # a new paragraph follows other groups; a siege holds them all
        return self.origin


def siege_places(sent: SpacySpan, reader: ArgReader) -> list[Place]:
    """Places put under siege in a sentence: "the noose around X", "the siege of X",
    "besieged X" (active, X the object)."""
    out = []
    for t in doc_tokens(sent.doc)[sent.start : sent.end]:
        lemma = t.lemma_.lower()
        if t.lower_ in SIEGE_WORDS or lemma in SIEGE_WORDS:
            for c in t.children:
                if c.dep_ == "prep" and c.lower_ in ("of", "around", "on"):
                    for o in c.children:
                        if o.dep_ == "pobj":
                            p = reader.place_of(o)
                            if p is not None:
                                out.append(p)
        elif lemma in ("besiege", "encircle", "surround") and not is_passive(t):
            o = object_of(t)
            if o is not None:
                p = reader.place_of(o)
                if p is not None:
                    out.append(p)
    return out


def place_before(places: Sequence[Place], start: int, end: int) -> Place | None:
    """The nearest place named in [start, end), below country level where there is one."""
    inside = spans_within(places, start, end)
    local = [p for p in inside if p.precision != 4]
    pick = local or inside
    return pick[-1] if pick else None


__all__ = [
    "CONTEXT_SENTENCES",
    "HELD_MANNERS",
    "SIEGE_WORDS",
    "Context",
    "place_before",
    "same_place",
    "siege_places",
]
