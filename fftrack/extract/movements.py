"""Movements of groups between places: fled, escaped, travelled, returned, transferred, stranded.

For each movement verb the subject gives the actor (a quantifier subject such as "Some"
or "many" is resolved to the last generic group mentioned before it), the prepositions
under the verb give the roles of the places: to/into/toward/as far as -> destination,
from/out of -> origin, through/via/across -> via, in/at for static states (stranded,
besieged) -> destination. A place the geoparser did not list is kept as an unresolved
Place so the record still says where.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fftrack.extract.quantities import find_quantities
from fftrack.extract.timeline import DocDates
from fftrack.records import Actor, Document, Movement, Place, Span

log = logging.getLogger(__name__)

NAME = "extract.movements.v1"

MANNERS: dict[str, str] = {
    "flee": "fled", "escape": "escaped", "travel": "travelled", "return": "returned",
    "transfer": "transferred", "strand": "stranded", "slip": "slipped", "move": "moved",
    "head": "moved", "relocate": "relocated", "retreat": "retreated", "withdraw": "withdrew",
    "arrive": "arrived", "cross": "crossed", "leave": "left", "go": "travelled", "reach": "reached",
    "smuggle": "smuggled", "evacuate": "evacuated", "deport": "deported", "repatriate": "repatriated",
    "besiege": "besieged", "trap": "trapped", "migrate": "travelled", "join": "joined",
    "infiltrate": "infiltrated", "redeploy": "redeployed", "come": "travelled", "sneak": "slipped",
    "extradite": "transferred", "hand": "transferred", "defect": "defected", "make": "reached",
    "bus": "transferred", "displace": "displaced",
}  # fmt: skip
STATIC = {"stranded", "besieged", "trapped"}
DEST_PREPS = {"to", "into", "toward", "towards", "for", "onto"}
ORIGIN_PREPS = {"from"}
VIA_PREPS = {"through", "via", "across"}
LOC_PREPS = {"in", "at", "inside", "near", "on"}
FRACTION_SUBJ = {"half", "most", "all", "many", "majority", "third", "quarter", "rest"}
QUANT_SUBJ = {"some", "many", "others", "most", "several", "they", "few", "dozens", "hundreds", "thousands", "all", "those"}  # fmt: skip
GENERIC_GROUP_HEADS = {"fighters", "foreigners", "jihadists", "militants", "members", "recruits"}


def _place_at(places: Sequence[Place], tok: Any) -> Place | None:
    for p in places:
        if p.span.start <= tok.idx < p.span.end:
            return p
    return None


def _synth_place(document: Document, tok: Any) -> Place | None:
    """An unresolved Place from a proper-noun phrase the geoparser did not list."""
    if tok.pos_ != "PROPN":
        return None
    toks = [t for t in tok.subtree if t.pos_ in ("PROPN",) or t.text in ("-",)]
    toks = [t for t in toks if t.i <= tok.i]
    if not toks:
        return None
    a = toks[0].idx
    b = tok.idx + len(tok.text)
    s = tok.sent
    return Place(
        name=document.text[a:b],
        span=Span(document.id, a, b, s.start_char, s.end_char),
        extractor=NAME,
        confidence=0.2,
    )


def _prep_objects(verb: Any) -> list[tuple[str, Any]]:
    """(preposition, object token) pairs under a verb, through "as far as" and "it to"."""
    out: list[tuple[str, Any]] = []
    stack = [verb]
    seen = set()
    while stack:
        head = stack.pop()
        for child in head.children:
            if child.i in seen:
                continue
            seen.add(child.i)
            if child.dep_ == "prep" or child.pos_ == "ADP":
                prep = child.lower_
                if prep == "as" and (
                    head.lower_ == "far" or any(c.lower_ == "far" for c in child.children)
                ):
                    prep = "to"
                for obj in child.children:
                    if obj.dep_ in ("pobj", "pcomp", "prep", "advmod") or obj.pos_ in (
                        "PROPN",
                        "NOUN",
                    ):
                        if obj.dep_ == "prep" or obj.pos_ == "ADP":
                            # "as far as X", "out of X"
                            for o2 in obj.children:
                                if o2.dep_ == "pobj":
                                    out.append(("to" if prep in ("as", "to") else prep, o2))
                                    out.extend(_nested(o2))
                        else:
                            out.append((prep, obj))
                            out.extend(_nested(obj))
            elif child.dep_ == "advmod" and child.lower_ in ("far",):
                stack.append(child)
            elif (
                child.dep_ in ("xcomp", "advcl")
                and child.pos_ == "VERB"
                and child.lemma_ not in MANNERS
            ):
                stack.append(child)
            elif child.dep_ == "dobj" and child.lower_ == "it":
                continue
            elif child.dep_ == "dobj" and verb.lemma_ in ("flee", "leave", "escape"):
                out.append(("from", child))
                # "fled Raqqa for Turkey via Tal Abyad": the rest hangs off the object
                for sub in child.children:
                    if sub.dep_ == "prep":
                        for obj in sub.children:
                            if obj.dep_ == "pobj":
                                out.append((sub.lower_, obj))
    return out


def _nested(obj: Any) -> list[tuple[str, Any]]:
    """'the city of Idlib': the place is the object of 'of' under a common noun."""
    out = []
    if obj.pos_ == "NOUN":
        for c in obj.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for o in c.children:
                    if o.dep_ == "pobj" and o.pos_ == "PROPN":
                        out.append(("of", o))
    return out


def _subject_actor(verb: Any, actors: Sequence[Actor]) -> tuple[Actor | None, Any]:
    v = verb
    for _ in range(4):
        subj = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            s = subj[0]
            a0, a1 = s.left_edge.idx, s.right_edge.idx + len(s.right_edge.text)
            inside = [a for a in actors if a.span.start >= a0 and a.span.end <= a1]
            if inside:
                return inside[0], s
            return None, s
        if v.dep_ in ("xcomp", "conj", "advcl", "ccomp") and v.head is not v:
            v = v.head
        else:
            break
    return None, None


def _antecedent(actors: Sequence[Actor], before: int) -> Actor | None:
    """The last generic group (no partitive 'group of', no nationality) before a position."""
    for a in reversed([a for a in actors if a.span.end <= before]):
        if a.kind in ("civilians", "state_forces", "coalition"):
            continue
        if a.country or a.language:
            continue
        last = a.name.lower().split()[-1] if a.name else ""
        if last in GENERIC_GROUP_HEADS:
            return a
    return None


def extract_movements(
    sdoc: Any,
    document: Document,
    places: Sequence[Place],
    actors: Sequence[Actor],
    dates: DocDates | None = None,
) -> list[Movement]:
    if dates is None:
        dates = DocDates(sdoc, document)
    out: list[Movement] = []
    seen_spans: set[tuple[int, int]] = set()
    for tok in sdoc:
        if tok.pos_ not in ("VERB", "AUX") and tok.tag_ != "VBN":
            continue
        lemma = tok.lemma_.lower()
        manner = MANNERS.get(lemma)
        if manner is None:
            continue
        if lemma == "make" and not any(c.lower_ == "it" for c in tok.children):
            continue
        if lemma in ("go", "come", "head", "join", "hand") and not _prep_objects(tok):
            continue
        origin = destination = None
        via: list[Place] = []
        for prep, obj in _prep_objects(tok):
            p = _place_at(places, obj)
            if (
                p is None
                and obj.pos_ == "PROPN"
                and obj.ent_type_ not in ("ORG", "NORP", "PERSON", "DATE")
            ):
                p = _synth_place(document, obj)
            if p is None and obj.pos_ == "PROPN" and prep in DEST_PREPS | {"of"}:
                p = _synth_place(document, obj)
            if p is None:
                continue
            if prep in DEST_PREPS and destination is None:
                destination = p
            elif prep in ORIGIN_PREPS or prep == "out" and origin is None:
                origin = p
            elif prep in VIA_PREPS:
                via.append(p)
            elif prep in LOC_PREPS | {"of"} and destination is None and manner in STATIC:
                destination = p
        if origin is None and destination is None and not via:
            continue
        actor, subj = _subject_actor(tok, actors)
        if actor is None and subj is not None and subj.lower_ in FRACTION_SUBJ:
            # "about half have returned": a share of the group just named
            before = [
                a
                for a in actors
                if a.span.end <= subj.idx and a.kind not in ("state_forces", "coalition")
            ]
            actor = before[-1] if before else None
        if actor is None and subj is not None and subj.lower_ in QUANT_SUBJ:
            actor = _antecedent(actors, subj.idx)
        if actor is None and subj is None:
            actor = None
        sent = tok.sent
        a = min([tok.idx] + ([subj.left_edge.idx] if subj is not None else []))
        ends = [tok.idx + len(tok.text)] + [
            p.span.end
            for p in (origin, destination, *via)
            if p is not None and p.span.end <= sent.end_char
        ]
        b = max(ends)
        a = max(a, sent.start_char)
        if (a, b) in seen_spans:
            continue
        seen_spans.add((a, b))
        date = dates.first(sent.start_char, sent.end_char)
        size = None
        if subj is not None:
            found = find_quantities(document.text[subj.left_edge.idx : subj.idx + len(subj.text)])
            if found:
                size = found[0].quantity
        conf = (
            0.3 + (0.3 if actor else 0.0) + (0.2 if destination and destination.resolved else 0.0)
        )
        out.append(
            Movement(
                span=Span(document.id, a, b, sent.start_char, sent.end_char),
                actor=actor,
                origin=origin,
                destination=destination,
                via=tuple(via),
                manner=manner,
                date=date,
                size=size,
                extractor=NAME,
                confidence=round(conf, 3),
            )
        )
    return out


__all__ = ["MANNERS", "NAME", "extract_movements"]
