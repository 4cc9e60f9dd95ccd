"""Who moves in a movement: checks on the moving group and the people it stands for.

Used by :mod:`fftrack.extract.movements` on the group token of a motion verb (its subject,
or the object of a transfer verb): whether it is a force (:func:`armed`), a force's
vehicles moving on their own ("100 government vehicles were seen heading towards X"),
things and not people ("bought the weapons ... and transported them"), a group described
inside a statistic ("the number of X who went"); and, for a pronoun or a bare count ("they",
"several", "the others"), the group named before it and that group's nationality.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from fftrack.extract.actors import GROUP_HEADS, nationality
from fftrack.extract.movement_args import group_token
from fftrack.extract.spanlist import spans_within
from fftrack.records import Actor

if TYPE_CHECKING:
    from spacy.tokens import Token

# equipment is not a moving group ("sent six jets to X")
EQUIPMENT = {"jet", "warplane", "aircraft", "plane", "drone", "helicopter", "tank", "missile",
             "rocket", "vehicle", "truck", "car", "van", "bus", "weapon", "aid", "assistance"}  # fmt: skip

# a force's ground vehicles moving on their own carry the force ("army trucks entered X")
GROUND_VEHICLES = {"vehicle", "truck", "tank", "car", "pickup", "humvee", "bulldozer", "bus"}
# buses carry people, whoever runs them ("the buses arrived in Idlib from Homs")
PEOPLE_CARRIERS = {"bus"}

FORCE_WORDS = {"government", "military", "army", "regime", "rebel", "militia", "opposition",
               "armoured", "armored"}  # fmt: skip

ARMED_KINDS = {"armed_group", "state_forces", "coalition"}

# "the number of X who went", "the share of X who returned": a statistic's group
STATISTIC_HEADS = {"number", "share", "proportion", "percentage", "percent", "total",
                   "majority", "fraction", "count"}  # fmt: skip

FRACTION_SUBJ = {"half", "most", "all", "many", "majority", "third", "quarter", "rest"}

QUANT_SUBJ = {"some", "many", "others", "most", "several", "they", "few", "dozens", "hundreds", "thousands", "all", "those", "half"}  # fmt: skip

GENERIC_GROUP_HEADS = {"fighters", "foreigners", "jihadists", "militants", "members", "recruits"}


def armed(group: Any, actors: Sequence[Actor]) -> bool:
    """The group is a force: an armed group, state forces or a coalition."""
    head = group_token(group)
    lemma = head.lemma_.lower()
    if GROUP_HEADS.get(lemma) in ARMED_KINDS:
        return lemma not in ("police", "policeman", "officer")
    return any(a.kind in ARMED_KINDS and a.span.start <= head.idx < a.span.end for a in actors)


def things_named_before(pron: Token) -> bool:
    """ "they", "them" for things: the nearest plural noun before the pronoun, in its
    sentence, is equipment ("bought the weapons in Libya ... and transported them")."""
    for t in reversed(pron.doc[pron.sent.start : pron.i]):
        if t.tag_ == "NNS":
            return t.lemma_.lower() in EQUIPMENT
    return False


def force_vehicles(group: Any, actors: Sequence[Actor]) -> bool:
    """ "100 government vehicles were seen heading towards X", "army trucks entered X": a
    force's ground vehicles moving on their own are the force moving (sent jets or aid
    trucks are not)."""
    head = group_token(group)
    if head.lemma_.lower() not in GROUND_VEHICLES:
        return False
    if head.lemma_.lower() in PEOPLE_CARRIERS:
        return True
    for c in head.children:
        if c.dep_ in ("compound", "amod", "nmod") and c.i < head.i:
            lemma = c.lemma_.lower()
            if lemma in FORCE_WORDS or GROUP_HEADS.get(lemma) in ARMED_KINDS:
                return True
            if any(a.kind in ARMED_KINDS and a.span.start <= c.idx < a.span.end for a in actors):
                return True
    return False


def generic_group(group: Any) -> bool:
    """ "those who returned to X", "the number of citizens who went to X": a group
    described, inside a statistic, not one reported moving."""
    if group.lower_ in ("those", "anyone", "everyone"):
        return True
    h = group.head
    if group.dep_ == "pobj" and h.lower_ == "of" and h.head.i != h.i:
        return h.head.lemma_.lower() in STATISTIC_HEADS
    return False


def antecedent(actors: Sequence[Actor], before: int) -> Actor | None:
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


def pronoun_antecedent(actors: Sequence[Actor], pron: Any, any_kind: bool = False) -> Actor | None:
    """ "they", "them": the last group named before, in this sentence or the one before,
    that is not the state forces or an organisation acting on it."""
    start = pron.sent.start
    if start > 0:
        start = pron.doc[start - 1].sent.start_char
    else:
        start = pron.sent.start_char
    for a in reversed(spans_within(actors, start, pron.idx)):
        if not any_kind and (
            a.kind in ("state_forces", "coalition", "organisation") or a.normalized
        ):
            continue
        return a
    return None


def nationality_before(actors: Sequence[Actor], tok: Token) -> str | None:
    """The nationality of the nearest group of people named before ``tok`` in its
    sentence or the one before (not a state's forces, nor a named organisation)."""
    start = tok.sent.start
    lo = tok.doc[start - 1].sent.start_char if start > 0 else tok.sent.start_char
    for a in reversed(spans_within(actors, lo, tok.idx)):
        if a.kind in ("state_forces", "coalition", "organisation") or a.normalized:
            continue
        if a.country:
            return a.country
    return None


def listed_peoples(group: Any, verb: Any = None) -> list[Any]:
    """ "dozens of civilians fleeing with them, including Russians, Turks and Ukrainians",
    "400 fighters fled to X, including 20 Britons" (the list on the ``verb``): the peoples
    a moving group is said to include, one token each (national nouns only: "including
    women and children" names no other group that moves apart)."""
    heads = [group, group_token(group)] + ([verb] if verb is not None else [])
    if group.dep_ == "pobj" and group.head.lower_ == "of" and group.head.head.i != group.head.i:
        heads.append(group.head.head)  # "dozens of civilians, including ..."
    out: list[Any] = []
    for h in heads:
        for c in h.children:
            if c.lemma_.lower() != "include" or c.i < h.i:
                continue
            stack = [o for o in c.children if o.dep_ in ("pobj", "dobj")]
            while stack:
                t = stack.pop(0)
                if nationality(t.text) and all(t.i != o.i for o in out):
                    out.append(t)
                stack.extend(cc for cc in t.children if cc.dep_ == "conj")
    return out


__all__ = [
    "ARMED_KINDS",
    "EQUIPMENT",
    "FRACTION_SUBJ",
    "QUANT_SUBJ",
    "antecedent",
    "armed",
    "force_vehicles",
    "generic_group",
    "listed_peoples",
    "nationality_before",
    "pronoun_antecedent",
    "things_named_before",
]
