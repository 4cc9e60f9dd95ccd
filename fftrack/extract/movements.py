"""Movements of groups between places, as news phrases them.

A movement is read from a motion or transfer verb and its own clause (the dependency
parse, :mod:`fftrack.extract.movement_args`):

- the verb gives the manner (fled, withdrew, travelled, transferred, ...) and what its
  object is: the place left ("fled X", "left X"), the place reached ("entered X",
  "reached X"), or, for a transfer verb in the active voice ("the SDF handed over 150
  fighters to Iraq", "ISIL sent fighters to X"), the group that moves, not the doer;
- prepositions give the ends: to/into/toward/for/as far as -> destination, from/out of ->
  origin, through/via/across -> via; "bound for X", "to positions east of X", "to a base
  near X" and lists ("entered X and Y", one movement each) are followed;
- static states (besieged, trapped, stranded, caught, held up in X) code the place the
  group is held in as the origin, the place it cannot leave;
- a movement without an origin takes it from the report: the place the group was last
  placed in (an earlier movement's origin, a place under siege: "tightened the noose
  around X", "the siege of X") within a few sentences, or, for a departure without any
  end ("captured X ... but withdrew"), the nearest place named before it;
- a movement told without any end, this sentence or the next after a movement of the
  same kind of group in the same manner, goes on it ("civilians fled toward X. ... dozens
  of civilians fleeing with them"), with its ends;
- the peoples a moving group is said to include ("fighters, including Britons and
  Germans, fled to X") move with it, one record each with its nationality;
- "returned home" is the moving group's own country, where the report names it (for "the
  others" or "they", the country of the people named just before); "repatriated" goes to
  it too; a return told without an end after a departure ("left Iraq in 2011, then
  returned") goes back to the place left;
- a list member the tagger misreads is still a place ("entered Tell Tamer and Ain Issa");
  "to the northeast of the city" locates a destination the gazetteer lacks ("the base of
  the 17th Division"); a war named by a people ("to take part in the Syrian civil war")
  is in their country;
- negated, modal and planned movements ("would be leaving", "were urged to come") are
  not coded; "would" in a time clause of a past narrative ("before the fighters would
  cross into X") is what then happened.
The actor is the moving group: the subject, the object of a transfer verb, or the noun a
participle or relative clause hangs from ("civilians fleeing X"); a bare count ("thousands
fled"); a force's vehicles moving on their own ("government vehicles were seen heading
towards X"); not things ("bought the weapons ... and transported them"); see
:mod:`fftrack.extract.movement_groups`. Its nationality (ISO2) or language comes with the
actor record. Places come from the geoparser's list; a proper
name it did not list is kept as an unresolved Place so the record still says where.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from fftrack.extract.movement_args import (
    Arg,
    ArgReader,
    actor_for,
    group_token,
    is_group_noun,
    is_passive,
    object_of,
    place_nationality,
    subject_of,
)
from fftrack.extract.movement_context import (
    HELD_MANNERS,
    Context,
    place_before,
    same_place,
    siege_places,
)
from fftrack.extract.movement_groups import (
    EQUIPMENT,
    FRACTION_SUBJ,
    QUANT_SUBJ,
    antecedent,
    armed,
    force_vehicles,
    generic_group,
    listed_peoples,
    nationality_before,
    pronoun_antecedent,
    things_named_before,
)
from fftrack.extract.quantities import find_quantities
from fftrack.extract.realis import IRREALIS_GOVERNORS, IRREALIS_MODIFIERS, MODALS
from fftrack.extract.timeline import DocDates
from fftrack.nlp.docview import doc_sents, doc_tokens
from fftrack.records import Actor, Document, Movement, Place, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

log = logging.getLogger(__name__)

NAME = "extract.movements.v4"


@dataclass(frozen=True)
class Verb:
    """How a motion verb codes: its manner and what its direct object is."""

    manner: str
    kind: str  # depart (object: origin), arrive (object: destination), move, transfer,
    # static, receive (subject: destination, object: the group)
    needs: str = ""  # a particle or word it needs ("pull" out/back, "make" it, "hand" over)


VERBS: dict[str, Verb] = {
    "flee": Verb("fled", "depart"), "escape": Verb("escaped", "depart"),
    "leave": Verb("left", "depart"), "withdraw": Verb("withdrew", "depart"),
    "retreat": Verb("retreated", "depart"), "pull": Verb("withdrew", "depart", "out|back|away"),
    "slip": Verb("slipped", "depart"), "sneak": Verb("slipped", "depart"),
    "break": Verb("escaped", "depart", "out|away"), "defect": Verb("defected", "depart"),
    "evacuate": Verb("evacuated", "transfer"),
    "arrive": Verb("arrived", "arrive"), "enter": Verb("entered", "arrive"),
    "reach": Verb("reached", "arrive"), "make": Verb("reached", "arrive", "it|way"),
    "cross": Verb("crossed", "arrive"), "infiltrate": Verb("infiltrated", "arrive"),
    "return": Verb("returned", "move"), "travel": Verb("travelled", "move"),
    "go": Verb("travelled", "move"), "come": Verb("travelled", "move"),
    "head": Verb("moved", "move"), "move": Verb("moved", "move"),
    "relocate": Verb("relocated", "move"),
    "continue": Verb("moved", "move"), "migrate": Verb("travelled", "move"),
    "pour": Verb("moved", "move"), "stream": Verb("moved", "move"),
    "flock": Verb("travelled", "move"), "fly": Verb("airlifted", "transfer", "passive"),
    "transit": Verb("travelled", "move"), "redeploy": Verb("redeployed", "transfer"),
    "deploy": Verb("deployed", "transfer"), "join": Verb("joined", "move"),
    "send": Verb("sent", "transfer"), "dispatch": Verb("sent", "transfer"),
    "transfer": Verb("transferred", "transfer"), "hand": Verb("transferred", "transfer", "over"),
    "deport": Verb("deported", "transfer"), "repatriate": Verb("repatriated", "transfer"),
    "extradite": Verb("transferred", "transfer"), "smuggle": Verb("smuggled", "transfer"),
    "transport": Verb("transferred", "transfer"), "airlift": Verb("airlifted", "transfer"),
    "bus": Verb("transferred", "transfer"), "take": Verb("transferred", "transfer", "passive"),
    "escort": Verb("transferred", "transfer"), "expel": Verb("expelled", "transfer"),
    "evict": Verb("expelled", "transfer"), "receive": Verb("received", "receive"),
    "buss": Verb("transferred", "transfer"), "ferry": Verb("transferred", "transfer"),
    "drive": Verb("driven back", "transfer", "back"),
    "push": Verb("driven back", "transfer", "back"),
    "displace": Verb("displaced", "transfer"),
    "besiege": Verb("besieged", "static"), "trap": Verb("trapped", "static"),
    "strand": Verb("stranded", "static"), "encircle": Verb("besieged", "static"),
    "catch": Verb("trapped", "static", "passive"), "hold": Verb("stranded", "static", "up"),
    "surround": Verb("besieged", "static", "passive"),
    "gather": Verb("gathered", "arrive"), "mass": Verb("gathered", "arrive"),
    "assemble": Verb("gathered", "arrive"),
}  # fmt: skip
MANNERS: dict[str, str] = {lemma: v.manner for lemma, v in VERBS.items()}
STATIC = HELD_MANNERS
# held where they are (the place is the origin) or held where they got to (the destination)
HELD_IN = {"besieged", "trapped"}
# a departure with no end given leaves the place just named ("captured X ... but withdrew")
LEAVE_NAMED_PLACE = {"withdraw", "retreat", "pull", "flee", "escape"}
# movements named by a noun ("the retreat of X from Y"), with their manner
NOMINALS = {
    "retreat": "retreated", "withdrawal": "withdrew", "exodus": "fled", "escape": "escaped",
    "immigration": "travelled", "emigration": "travelled", "migration": "travelled",
    "repatriation": "repatriated", "evacuation": "evacuated", "deployment": "deployed",
    "redeployment": "redeployed", "deportation": "deported", "transfer": "transferred",
    "departure": "left", "arrival": "arrived", "relocation": "relocated",
}  # fmt: skip
NOMINAL_END_PREPS = {"to": "destination", "into": "destination", "toward": "destination",
                     "towards": "destination", "from": "origin"}  # fmt: skip
# a movement named by a noun under these is announced or sought, not reported done
NOMINAL_IRREALIS = {"announce", "discuss", "negotiate", "oppose", "allow", "permit", "reject",
                    "approve", "delay", "postpone", "halt", "stop", "block", "welcome"}  # fmt: skip
# forces massing somewhere have moved there; people gathering (a protest, a crowd) have not
FORCES_ONLY = {"gather", "mass", "assemble"}
# "sought refuge in X", "took shelter in X", "found sanctuary in X": fled there
REFUGE_VERBS = {"seek", "take", "find"}
REFUGE_NOUNS = {"refuge", "shelter", "sanctuary"}
# a group verb needs a place before it codes a movement ("go", "come", "join", "head")
NEEDS_PLACE = {"go", "come", "head", "join", "hand", "move", "return", "travel", "continue",
               "take", "escort", "expel", "evict"}  # fmt: skip
# "attempting to escape", "tried to flee": not (yet) done
ATTEMPT = {"attempt", "try"}
# a noun with a purpose infinitive that these carry out has happened ("carried out a deal
# to evacuate"): the infinitive is reported, not planned
CARRIED_OUT = {"carry", "implement", "complete", "conclude", "execute", "conduct", "finish"}
# a time clause of a past narrative: its "would" is the future in the past, not a modal
TIME_MARKS = {"before", "after", "until", "till", "once", "when"}
# an arrival that comes with one of these is an attack advancing, not a movement
ADVANCE_VERBS = {"capture", "seize", "storm", "overrun", "attack", "assault", "recapture",
                 "retake", "cut"}  # fmt: skip
# a preposition that gives an end of a movement, placed or not ("out of", "from", "to")
END_PREPS = {"from", "out", "of", "to", "into", "toward", "towards", "for", "onto"}


def _refuge(tok: Token) -> Verb | None:
    """ "sought refuge in Turkey", "took shelter in X": fled there."""
    if tok.lemma_.lower() in REFUGE_VERBS and any(
        c.dep_ == "dobj" and c.lemma_.lower() in REFUGE_NOUNS for c in tok.children
    ):
        return Verb("fled", "arrive")
    return None


def _manner(tok: Token, verb: Verb) -> str:
    """The verb's manner; "went back", "came back": returned."""
    if tok.lemma_.lower() in ("go", "come") and any(
        c.lower_ == "back" and c.dep_ in ("advmod", "prt") for c in tok.children
    ):
        return "returned"
    return verb.manner


def _has_needed(tok: Token, verb: Verb) -> bool:
    if not verb.needs:
        return True
    if verb.needs == "passive":
        return is_passive(tok)
    words = set(verb.needs.split("|"))
    if any(c.lower_ in words and c.dep_ in ("prt", "advmod", "dobj", "prep") for c in tok.children):
        return True
    # "handed over 150 fighters": the particle read as a quantity modifier
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return nxt is not None and nxt.lower_ in words and nxt.pos_ in ("ADP", "ADV", "PART")


def _irrealis(verb: Token) -> bool:
    """Negated, modal, conditional, attempted or planned ("would be leaving", "urged to
    come", "attempting to escape", "a safe zone to repatriate refugees", "could lead to
    troops coming into X")."""
    if verb.dep_ in ("acl", "relcl") and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in verb.children
    ):
        # an infinitive on a noun is a purpose ("a safe zone to repatriate refugees"),
        # unless the noun is carried out ("carried out a deal to evacuate fighters")
        gov = _clause_verb(verb.head)
        if gov is None or gov.lemma_.lower() not in CARRIED_OUT:
            return True
    v = verb
    for depth in range(3):
        for c in v.children:
            if c.dep_ == "neg" and depth == 0:
                return True
            if (
                c.dep_ == "aux"
                and c.lower_ in MODALS
                and (depth > 0 or c.lower_ not in ("could", "can"))
                and not (depth == 0 and _future_in_past(v, c))
            ):
                return True
            if c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether"):
                return True
        if v.dep_ in ("xcomp", "ccomp", "advcl", "pcomp", "acl", "amod") and v.head.i != v.i:
            h = v.head
            if h.lemma_.lower() in IRREALIS_GOVERNORS | ATTEMPT:
                return True  # "fears they could return", "attempting to escape"
            if v.dep_ in ("acl", "amod") and h.pos_ not in ("VERB", "AUX"):
                h = _clause_verb(h)  # "troops coming into X": the verb over the noun
                if h is None:
                    break
                if h.lemma_.lower() in IRREALIS_GOVERNORS | ATTEMPT:
                    return True
            v = h
        else:
            break
    return False


def _future_in_past(verb: Token, aux: Token) -> bool:
    """ "gave them passports before the fighters would cross into X": "would" in a time
    clause of a past-tense verb tells what then happened, not what might."""
    if aux.lower_ != "would" or verb.dep_ != "advcl" or verb.head.tag_ not in ("VBD", "VBN"):
        return False
    return any(c.dep_ == "mark" and c.lower_ in TIME_MARKS for c in verb.children)


def _clause_verb(tok: Token) -> Any:
    """The verb whose clause holds a noun (through prepositions and noun heads)."""
    t = tok
    for _ in range(6):
        if t.pos_ in ("VERB", "AUX"):
            return t
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def _advance(tok: Token) -> bool:
    """ "reached X, capturing parts of it", "entered X and took control of the town",
    "seized six villages, reaching X": a force arriving by attack advances (a battle
    event), it does not move between places."""
    near = [tok.head] if tok.dep_ in ("conj", "advcl", "xcomp") else []
    near += [c for c in tok.children if c.dep_ in ("conj", "advcl", "xcomp")]
    for t in near:
        if t.pos_ != "VERB":
            continue
        lemma = t.lemma_.lower()
        if lemma in ADVANCE_VERBS:
            return True
        if lemma == "take" and any(c.dep_ == "dobj" and c.lower_ == "control" for c in t.children):
            return True
    return False


def _returned_to(tok: Token, reader: ArgReader) -> tuple[Place, Any] | None:
    """ "left Iraq in 2011, then returned three years later": a return told without an
    end, in the clause of a departure from a place, goes back to that place; with the
    departing group."""
    if tok.dep_ not in ("conj", "advcl") or tok.head.i == tok.i:
        return None
    head = tok.head
    verb = VERBS.get(head.lemma_.lower())
    if verb is None or verb.kind != "depart" or _irrealis(head):
        return None
    subj = subject_of(head)
    if subj is None or not is_group_noun(subj):
        return None
    args = reader.clause_places(head, "origin")
    left = next((a.place for a in args if a.role == "origin"), None)
    return (left, subj) if left is not None else None


def _home(
    tok: Token, country: str | None, places: Sequence[Place], implied: bool = False
) -> Place | None:
    """ "returned home", "repatriated": the group's own country, as the report names it
    (named "home" where the text says so, else by the country's own name)."""
    home = [c for c in tok.children if c.lower_ == "home" and c.dep_ in ("advmod", "npadvmod", "dobj")]  # fmt: skip
    if (not home and not implied) or not country:
        return None
    for p in places:
        if p.country == country and p.precision == 4 and p.resolved:
            h = home[0] if home else tok
            s = h.sent
            span = Span(p.span.document_id, h.idx, h.idx + len(h.text), s.start_char, s.end_char)
            return replace(p, name=h.text if home else p.name, span=span)
    return None


def _on_the_way(p: Place) -> bool:
    """A stream, a lake or a border line: crossed, not reached."""
    feature = p.feature or ""
    return feature.startswith("H.") or p.name.lower().endswith(("river", "border"))


def _may_leave_named_place(tok: Token) -> bool:
    """A departure told without any end of its own ("captured X ... but withdrew"): not a
    participle describing a group ("fleeing civilians"), not one whose clause names an end
    the reader could not place ("withdrew from the battle", "pulled out to the outskirts",
    "fled the fighting")."""
    if tok.dep_ in ("amod", "acl", "relcl") and tok.tag_ == "VBG":
        return False
    return not _names_an_end(tok)


def _names_an_end(tok: Token) -> bool:
    """The verb's clause names an end, placed or not ("to the hospital", "fled the
    fighting", "pulled out to the outskirts")."""
    heads = [tok] + [c for c in tok.children if c.dep_ in ("prt", "advmod")]
    for h in heads:
        for c in h.children:
            if c.dep_ == "dobj" and h is tok:
                return True
            if (c.dep_ == "prep" or c.pos_ == "ADP") and c.lower_ in END_PREPS:
                return True
    return False


def _ends(args: list[Arg], verb: Verb) -> tuple[Place | None, list[Place], list[Place]]:
    origin: Place | None = None
    dests: list[Place] = []
    via: list[Place] = []
    for a in args:
        role = a.role
        if role == "at":
            if verb.kind == "static":
                role = "origin" if verb.manner in HELD_IN else "destination"
            elif verb.kind in ("arrive",) or verb.manner in ("deployed", "arrived", "relocated"):
                role = "destination"
            else:
                continue
        if role == "origin" and origin is None:
            origin = a.place
        elif role == "destination":
            if not dests or a.conj:
                dests.append(a.place)
        elif role == "via":
            via.append(a.place)
    near = [a.place for a in args if a.near and a.role == "destination" and a.place.resolved]
    if dests and not dests[0].resolved and near:
        # "retreated to the base of the 17th Division, to the northeast of the city": the
        # name the gazetteer lacks is located near the place the compass phrase gives
        p = near[0]
        dests[0] = replace(p, precision=max(p.precision or 2, 2))
    if verb.manner in HELD_IN and dests and origin is None:
        origin = dests.pop(0)
    if len(dests) > 1 and any(d.precision == 4 for d in dests):
        dests = dests[:1]  # "to Syria and/or Iraq": one movement
    return origin, dests, via


def extract_movements(
    sdoc: Doc,
    document: Document,
    places: Sequence[Place],
    actors: Sequence[Actor],
    dates: DocDates | None = None,
) -> list[Movement]:
    if dates is None:
        dates = DocDates(sdoc, document)
    reader = ArgReader(document, places, NAME)
    out: list[Movement] = []
    seen_spans: set[tuple[int, int]] = set()
    ctx = Context()
    for sent_no, sent in enumerate(doc_sents(sdoc)):
        for p in siege_places(sent, reader):
            ctx.set(p, sent_no, held=True)
        for tok in doc_tokens(sdoc)[sent.start : sent.end]:
            if tok.pos_ == "NOUN" and tok.lemma_.lower() in NOMINALS:
                nm = _nominal(tok, sent, document, reader, actors)
                if nm is not None and (nm.span.start, nm.span.end) not in seen_spans:
                    seen_spans.add((nm.span.start, nm.span.end))
                    out.append(replace(nm, date=dates.first(sent.start_char, sent.end_char)))
                continue
            if tok.pos_ not in ("VERB", "AUX") and tok.tag_ not in ("VBN", "VBG"):
                continue
            lemma = tok.lemma_.lower()
            verb = _refuge(tok) or VERBS.get(lemma)
            if verb is None or not _has_needed(tok, verb) or _irrealis(tok):
                continue
            mv = _movement(tok, verb, lemma, sent, sent_no, document, reader, places, actors, ctx)
            for m in mv:
                key = (m.span.start, m.span.end)
                if key in seen_spans:
                    continue
                seen_spans.add(key)
                date = dates.first(sent.start_char, sent.end_char)
                out.append(replace(m, date=date))
            if mv:
                ctx.told(mv[0], sent_no)  # the group's own record, not a people it includes
    return _merge_partial(out)


def _nominal(
    noun: Any, sent: SpacySpan, document: Document, reader: ArgReader, actors: Sequence[Actor]
) -> Movement | None:
    """ "a retreat of ISIL forces from X", "the immigration of another youth to X": a
    movement named by a noun, with the group in its of-phrase and an end in its own
    prepositions; not one announced, called for, planned or negotiated."""
    group = None
    args: list[Arg] = []
    for c in noun.children:
        if c.dep_ != "prep":
            continue
        for o in c.children:
            if o.dep_ != "pobj":
                continue
            if c.lower_ == "of" and group is None:
                group = o
                # "the retreat of ISIL forces from X": the end under the group noun
                for cc in group_token(o).children:
                    if cc.dep_ == "prep" and cc.lower_ in NOMINAL_END_PREPS:
                        for oo in cc.children:
                            if oo.dep_ == "pobj":
                                p = reader.place_of(oo)
                                if p is not None:
                                    args.append(Arg(NOMINAL_END_PREPS[cc.lower_], p, oo))
            elif c.lower_ in NOMINAL_END_PREPS:
                p = reader.place_of(o)
                if p is not None:
                    args.append(Arg(NOMINAL_END_PREPS[c.lower_], p, o))
    if group is None or not is_group_noun(group) or group_token(group).pos_ == "PRON":
        return None
    if group_token(group).lemma_.lower() in EQUIPMENT or reader.place_of(group) is not None:
        return None
    gov0 = noun.head
    if not args and noun.dep_ == "dobj" and gov0.lemma_.lower() not in VERBS:
        # "aiding the immigration of another youth to X": the end parsed on the verb
        for c in gov0.children:
            if c.dep_ == "prep" and c.lower_ in NOMINAL_END_PREPS and c.i > noun.i:
                for o in c.children:
                    if o.dep_ == "pobj":
                        p = reader.place_of(o)
                        if p is not None:
                            args.append(Arg(NOMINAL_END_PREPS[c.lower_], p, o))
    if not args:
        return None
    if any(c.lower_ in IRREALIS_MODIFIERS for c in noun.children if c.dep_ in ("amod", "compound")):
        return None
    gov = _clause_verb(noun.head) if noun.head.i != noun.i else None
    if gov is not None and (
        gov.lemma_.lower() in IRREALIS_GOVERNORS | NOMINAL_IRREALIS or _irrealis(gov)
    ):
        return None
    origin = next((a.place for a in args if a.role == "origin"), None)
    dest = next((a.place for a in args if a.role == "destination"), None)
    if origin is not None and dest is not None and same_place(origin, dest):
        origin = None
    actor = actor_for(group, actors, document, NAME)
    a = noun.left_edge.idx
    b = max([noun.idx + len(noun.text)] + [x.place.span.end for x in args])
    b = min(b, sent.end_char)
    return Movement(
        span=Span(document.id, a, b, sent.start_char, sent.end_char),
        actor=actor,
        origin=origin,
        destination=dest,
        via=(),
        manner=NOMINALS[noun.lemma_.lower()],
        size=None,
        extractor=NAME,
        confidence=0.4 + (0.2 if dest is not None and dest.resolved else 0.0),
    )


def _merge_partial(moves: list[Movement]) -> list[Movement]:
    """One group's movement told by two verbs of one sentence ("soldiers, fleeing from X,
    reached Y"): the record with the destination takes the other's origin and span, and
    the origin-only record goes."""
    drop: set[int] = set()
    out = list(moves)
    for i, a in enumerate(out):
        if a.destination is not None or a.origin is None or a.actor is None:
            continue
        for j, b in enumerate(out):
            if j == i or j in drop or b.destination is None or b.actor is None:
                continue
            if b.span.sentence_start != a.span.sentence_start or b.actor.span != a.actor.span:
                continue
            if b.origin is not None and not same_place(b.origin, a.origin):
                continue
            if same_place(b.destination, a.origin):
                continue  # "left X ..., then returned": two movements, there and back
            span = replace(
                b.span, start=min(a.span.start, b.span.start), end=max(a.span.end, b.span.end)
            )
            out[j] = replace(b, origin=a.origin, span=span)
            drop.add(i)
            break
    return [m for k, m in enumerate(out) if k not in drop]


def _movement(
    tok: Token,
    verb: Verb,
    lemma: str,
    sent: SpacySpan,
    sent_no: int,
    document: Document,
    reader: ArgReader,
    places: Sequence[Place],
    actors: Sequence[Actor],
    ctx: Context,
) -> list[Movement]:
    passive = is_passive(tok)
    obj = object_of(tok)
    subj = subject_of(tok)
    if verb.kind == "static" and not passive and tok.tag_ != "VBN" and obj is not None:
        return []  # "the army encircled X": the besiegers do not move
    if lemma == "come" and any(c.lower_ == "under" for c in tok.children):
        return []  # "came under fire"
    if verb.kind == "arrive" and _advance(tok):
        return []
    if lemma == "continue" and any(
        c.dep_ == "xcomp" and c.lemma_.lower() in VERBS for c in tok.children
    ):
        return []  # "continued to flee": the movement is the complement's
    group = subj
    object_role: str | None = {"depart": "origin", "arrive": "destination"}.get(verb.kind)
    if verb.kind == "static":
        object_role = "origin"
    transfer = verb.kind == "transfer" or (
        lemma in ("withdraw", "move", "pull", "evacuate") and obj is not None
    )
    if transfer and not passive and obj is not None:
        if group_token(obj).pos_ == "PROPN" and reader.place_of(obj) is not None:
            object_role = "origin"  # "evacuated the town of X"
        else:
            group, object_role = obj, None  # "handed over 150 fighters to X"
    if lemma in FORCES_ONLY and obj is not None:
        return []  # "gathered evidence", "massed troops" (read at the troops' own verb)
    args = reader.clause_places(tok, object_role, purpose_objects=verb.kind == "transfer")
    if verb.kind == "receive":
        # "Iraq received 150 fighters from the SDF in Syria": the receiving place is the
        # destination, the group received moves
        here = reader.place_of(subj) if subj is not None and not passive else None
        if here is None or obj is None:
            return []
        group = obj
        args = [a for a in args if a.role in ("origin", "via")] + [Arg("destination", here, subj)]
    if lemma == "join" and obj is not None:
        # "joined militant groups in Syria": the group joined is where they went
        for c in obj.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "inside"):
                for o in c.children:
                    if o.dep_ == "pobj":
                        p = reader.place_of(o)
                        if p is not None:
                            args.append(Arg("destination", p, o))
    if verb.kind == "static" and subj is not None:
        sp = reader.place_of(subj)
        if sp is not None:  # "the rebel-held part of X was besieged"
            args.append(Arg("origin", sp, subj))
            group = None
    if lemma == "cross":
        # "crossing the Euphrates": a river or a border crossed is on the way, not the end
        args = [replace(a, role="via") if _on_the_way(a.place) else a for a in args]
    origin, dests, via = _ends(args, verb)
    if lemma == "return" and not dests and origin is None and not via:
        back = _returned_to(tok, reader)
        if back is not None:
            # "U.S. troops left Iraq in 2011, then returned": back to the place left, by
            # the group that left it
            dests = [back[0]]
            if group is None or not is_group_noun(group):
                group = back[1]
    if lemma in NEEDS_PLACE and not dests and origin is None and not via:
        if not any(c.lower_ == "home" for c in tok.children):
            return []
    fraction = group is not None and group.lower_ in FRACTION_SUBJ and group_token(group) is group
    # "thousands flee", "several returned home", "several hundred crossed": a bare count
    # as the subject is people
    counted = (
        group is not None
        and (group.lower_ in QUANT_SUBJ or group.like_num)
        and group_token(group) is group
        and group.dep_ in ("nsubj", "nsubjpass")
    )
    vehicles = group is not None and group is subj and force_vehicles(group, actors)
    if (
        group is not None
        and group.sent == sent
        and not (fraction or counted or vehicles)
        and not is_group_noun(group)
    ):
        return []  # "an attack left ...", "assistance came from X"
    if group is not None and group_token(group).lemma_.lower() in EQUIPMENT and not vehicles:
        return []
    if group is not None and generic_group(group):
        return []
    if lemma in FORCES_ONLY and (group is None or not armed(group, actors)):
        return []
    actor = None
    if group is not None:
        if fraction:
            # "about half have returned": a share of the group just named
            before = [
                a
                for a in actors
                if a.span.end <= group.idx and a.kind not in ("state_forces", "coalition")
            ]
            actor = before[-1] if before else None
        elif group.lower_ in ("they", "them"):
            if things_named_before(group):
                return []  # "bought the weapons ... and then transported them to X"
            actor = pronoun_antecedent(actors, group)
            if actor is None and pronoun_antecedent(actors, group, any_kind=True) is None:
                return []  # "transported them" (the weapons): no group named before
        elif (group.lower_ in QUANT_SUBJ or group.pos_ == "PRON") and group_token(group) is group:
            actor = antecedent(actors, group.idx)
        else:
            actor = actor_for(group, actors, document, NAME)
            own = place_nationality(group)
            if actor is not None and own and actor.country != own:
                actor = replace(actor, country=own)
    if origin is None and group is not None:
        # "fighters from Britain travelled to Syria", "a convoy from the town of X was
        # sent", "a convoy of reinforcements from X"
        g = group_token(group)
        heads = [g] + [
            o
            for c in g.children
            if c.dep_ == "prep" and c.lower_ == "of"
            for o in c.children
            if o.dep_ == "pobj"
        ]
        for h in heads:
            for c in h.children:
                if c.dep_ == "prep" and c.lower_ == "from" and origin is None:
                    for o in c.children:
                        if o.dep_ == "pobj":
                            origin = reader.place_of(o)
    country = actor.country if actor is not None else None
    if not country and group is not None and (counted or group.pos_ == "PRON"):
        # "About 200 Australians were fighting there. ... the others returned home": the
        # people a bare count or a pronoun stands for, named just before
        country = nationality_before(actors, group)
        if country:
            # the others are Australians too
            if actor is None:
                actor = actor_for(group, actors, document, NAME)
            if actor is not None and not actor.language:
                actor = replace(actor, country=country)
    home = _home(tok, country, places, implied=verb.manner == "repatriated")
    if home is not None and not dests:
        dests = [home]
    if (
        origin is None
        and not dests
        and not via
        and verb.kind != "static"
        and not _names_an_end(tok)
    ):
        # "civilians continued to flee ... bound for X. ... dozens of civilians fleeing
        # with them": the same flight, to the same place
        same = ctx.same_flight(actor, _manner(tok, verb), sent_no, document.text, tok.idx)
        if same is not None and same.destination is not None:
            origin, dests = same.origin, [same.destination]
    if verb.kind == "static":
        pass  # a group held in a place does not move the report's other groups
    elif origin is not None:
        ctx.set(origin, sent_no)
    elif dests:
        origin = ctx.get(sent_no, document.text, sent.start_char)
    elif lemma in LEAVE_NAMED_PLACE and _may_leave_named_place(tok):
        origin = place_before(places, sent.start_char, tok.idx)
        if origin is None and sent_no > 0:
            prev = sent.doc[sent.start - 1].sent
            origin = place_before(places, prev.start_char, prev.end_char)
    if origin is not None and any(same_place(d, origin) for d in dests):
        origin = None
    if origin is None and not dests:
        return []
    targets: list[Place | None] = list(dests) if dests else [None]
    out = []
    for dest in targets:
        a = tok.idx
        if group is not None and group.sent == sent:
            a = min(a, group.left_edge.idx)
        ends = [tok.idx + len(tok.text)] + [
            p.span.end
            for p in (origin, dest, *via)
            if p is not None and sent.start_char <= p.span.start and p.span.end <= sent.end_char
        ]
        b = max(ends)  # each member of a list ends its own record's span
        a = max(a, sent.start_char)
        b = min(max(a, b), sent.end_char)
        size = None
        if group is not None and not vehicles:  # a count of vehicles is not of people
            found = find_quantities(
                document.text[group.left_edge.idx : group.idx + len(group.text)]
            )
            if found:
                size = found[0].quantity
        conf = 0.3 + (0.3 if actor else 0.0) + (0.2 if dest is not None and dest.resolved else 0.0)
        out.append(
            Movement(
                span=Span(document.id, a, b, sent.start_char, sent.end_char),
                actor=actor,
                origin=origin,
                destination=dest,
                via=tuple(via),
                manner=_manner(tok, verb),
                size=size,
                extractor=NAME,
                confidence=round(conf, 3),
            )
        )
    if group is not None and out:
        out += _peoples_within(out[0], group, tok, document, actors)
    return out


def _peoples_within(
    m: Movement, group: Token, verb: Token, document: Document, actors: Sequence[Actor]
) -> list[Movement]:
    """ "dozens of civilians fled to X, including Russians and Turks": each people the
    group is said to include moves with it, a record each with its nationality (as a
    list of figures is many figures)."""
    out = []
    own = m.actor.country if m.actor is not None else None
    for t in listed_peoples(group, verb):
        actor = actor_for(t, actors, document, NAME)
        if actor is None or not actor.country or actor.country == own:
            continue
        a, b = min(verb.idx, t.idx), max(verb.idx + len(verb.text), t.idx + len(t.text))
        span = replace(m.span, start=a, end=b)
        found = find_quantities(document.text[t.left_edge.idx : t.idx + len(t.text)])
        size = found[0].quantity if found else None  # "including 20 Britons"
        out.append(replace(m, span=span, actor=actor, size=size, confidence=m.confidence - 0.1))
    return out


__all__ = ["MANNERS", "NAME", "VERBS", "extract_movements"]
