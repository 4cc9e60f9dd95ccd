"""The arguments of a movement verb, read from its clause in the dependency parse.

``clause_places(verb, ...)`` gives the places under a motion verb with their roles
(origin, destination, via, at), through the shapes news uses: prepositions under the verb
("from X to Y", "out of X", "as far as X", "made it to X"), a place object ("fled X",
"entered X"), a common noun holding the place ("to positions east of X", "to a base near
X", "the town of X"), "bound for X" / "headed to X" anywhere in the clause, and lists
("entered X and Y"). ``moving_group(verb, ...)`` gives the token of the group that moves:
the subject, or for a transfer verb ("handed over 150 fighters", "sent fighters") the
object in the active voice; a relative or participial clause ("civilians fleeing X",
"civilians, who had been evacuated to X") moves the noun it hangs from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from fftrack.extract.actors import GROUP_HEADS, NATIONAL_NOUNS, nationality
from fftrack.extract.realis import clause_words
from fftrack.extract.spanlist import spans_covering, spans_within
from fftrack.records import Actor, Document, Place, Span

if TYPE_CHECKING:
    from spacy.tokens import Token

DEST_PREPS = {"to", "into", "toward", "towards", "for", "onto"}
ORIGIN_PREPS = {"from", "out"}
VIA_PREPS = {"through", "via", "across"}
AT_PREPS = {"in", "at", "inside", "near", "on"}
# a common noun whose place is given by one of these ("positions east of X", "a base near X")
NESTED_PREPS = {"of", "near", "in", "at", "outside", "around", "inside", "for"}
HEADING_WORDS = {"bound", "headed", "heading", "destined"}
# "went to fight in X", "came to join the group in X": the purpose's place is where they went
COMPASS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
           "northward", "southward", "eastward", "westward"}  # fmt: skip
ANAPHORIC_PLACE_NOUNS = {"city", "town", "village", "enclave", "stronghold"}
ANAPHORIC_ROUTE_NOUNS = {"road", "highway"}
# a war named by a people's adjective is fought in their country ("the Syrian civil war")
WAR_NOUNS = {"war", "conflict", "insurgency", "uprising", "revolution", "jihad"}
PURPOSE_VERBS = {"fight", "join", "take", "help", "support", "wage", "live", "settle"}
CLAUSE_BREAK = {"relcl", "ccomp", "parataxis", "csubj"}
RELATIVE_PRONOUNS = {"who", "that", "which", "whom"}
ROLE_OF_PREP = {
    **dict.fromkeys(DEST_PREPS, "destination"),
    **dict.fromkeys(ORIGIN_PREPS, "origin"),
    **dict.fromkeys(VIA_PREPS, "via"),
    **dict.fromkeys(AT_PREPS, "at"),
}


@dataclass(frozen=True)
class Arg:
    """A place argument of a movement verb: its role, the place and the token it hangs on."""

    role: str  # origin, destination, via, at
    place: Place
    tok: Token
    conj: bool = False  # a later member of a list ("X and Y")
    near: bool = False  # given by a compass word ("to the northeast of X"): near X


def place_at(places: Sequence[Place], tok: Token) -> Place | None:
    covering = spans_covering(places, tok.idx, tok.idx + 1)
    return covering[0] if covering else None


def synth_place(
    document: Document,
    tok: Token,
    extractor: str,
    strict: bool = True,
    places: Sequence[Place] = (),
) -> Place | None:
    """An unresolved Place from a proper-noun phrase the geoparser did not list (where
    ``strict``, not one the tagger reads as an organisation or a person)."""
    if tok.pos_ != "PROPN" or tok.ent_type_ in ("NORP", "DATE", "CARDINAL"):
        return None
    if strict and tok.ent_type_ in ("ORG", "PERSON"):
        return None
    toks = [t for t in tok.subtree if t.pos_ == "PROPN" or t.text == "-"]
    toks = [t for t in toks if t.i <= tok.i]
    if not toks:
        return None
    a = toks[0].idx
    b = tok.idx + len(tok.text)
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.like_num and nxt.head.i == tok.i:
        b = nxt.idx + len(nxt.text)  # "Division 17", "Brigade 93"
    s = tok.sent
    name = document.text[a:b]
    key = name.lower().removeprefix("the ")
    for p in places:
        if p.resolved and p.name.lower().removeprefix("the ") == key:
            # the same name resolved at another mention of the report
            return replace(p, span=Span(document.id, a, b, s.start_char, s.end_char))
    return Place(
        name=name,
        span=Span(document.id, a, b, s.start_char, s.end_char),
        extractor=extractor,
        confidence=0.2,
    )


class ArgReader:
    """Reads place arguments for one document (places, text, the extractor's name)."""

    def __init__(self, document: Document, places: Sequence[Place], extractor: str) -> None:
        self.document = document
        self.places = places
        self.extractor = extractor

    def place_of(self, tok: Token) -> Place | None:
        return self._finer(tok, self._place_of(tok))

    def _finer(self, tok: Token, p: Place | None) -> Place | None:
        """ "camps in northeastern Syria, primarily al-Hawl": the finer place named beside
        a country or region."""
        if p is None or p.precision not in (3, 4):
            return p
        for c in tok.children:
            if c.dep_ == "appos":
                pa = place_at(self.places, c)
                if (
                    pa is not None
                    and pa.precision in (1, 2)
                    and (not p.country or pa.country == p.country)
                ):
                    return pa
        return p

    def _place_of(self, tok: Token) -> Place | None:
        p = place_at(self.places, tok)
        if p is None:
            p = synth_place(self.document, tok, self.extractor, places=self.places)
        if p is None and tok.pos_ in ("NOUN", "PROPN"):
            p = self.nested_place(tok)
        if p is None:
            p = self.anaphoric_place(tok)
        if p is None:
            p = self.war_place(tok)
        return p

    def anaphoric_place(self, tok: Token) -> Place | None:
        """ "left the city", "that town": the last town named before, in this sentence
        or the two before it; "the road": the last road named before in the report."""
        word = tok.lower_
        if word not in ANAPHORIC_PLACE_NOUNS and word not in ANAPHORIC_ROUTE_NOUNS:
            return None
        if not any(c.dep_ == "det" and c.lower_ in ("the", "that", "this") for c in tok.children):
            return None
        if any(c.dep_ in ("prep", "amod", "compound") for c in tok.children):
            return None  # "the city of X", "the nearby town": read elsewhere
        sent = tok.sent
        if word in ANAPHORIC_ROUTE_NOUNS:
            # "cut the Khanasir-Aleppo Road ... sent to reopen the road"
            roads = [
                p
                for p in spans_within(self.places, 0, tok.idx)
                if p.resolved and p.name.lower().endswith(word)
            ]
            if not roads:
                return None
            span = Span(
                self.document.id, tok.idx, tok.idx + len(tok.text), sent.start_char, sent.end_char
            )
            return replace(roads[-1], span=span)
        start = sent.start
        for _ in range(2):
            if start > 0:
                start = tok.doc[start - 1].sent.start
        lo = tok.doc[start].idx
        before = [
            p
            for p in self.places
            if lo <= p.span.start and p.span.end <= tok.idx and p.resolved and p.precision in (1, 2)
        ]
        if not before:
            return None
        p = before[-1]
        return replace(
            p,
            span=Span(
                self.document.id, tok.idx, tok.idx + len(tok.text), sent.start_char, sent.end_char
            ),
        )

    def nested_place(self, noun: Any, depth: int = 0) -> Place | None:
        """'positions east of X', 'a base near X', 'the town of X', 'camps in X'."""
        if depth > 2:
            return None
        for c in noun.children:
            if c.dep_ == "appos" and c.pos_ == "PROPN":
                # "camps in the north, primarily X"
                p = place_at(self.places, c)
                if p is not None:
                    return p
        for c in noun.children:
            if c.dep_ == "advmod" or c.dep_ == "amod":
                # "positions east of X": east -> of -> X
                for cc in c.children:
                    if cc.dep_ == "prep" and cc.lower_ in NESTED_PREPS:
                        for o in cc.children:
                            if o.dep_ == "pobj":
                                p = place_at(self.places, o) or self.nested_place(o, depth + 1)
                                if p is not None:
                                    return p
            if c.dep_ == "prep" and c.lower_ in NESTED_PREPS:
                for o in c.children:
                    if o.dep_ == "pobj":
                        p = self._finer(o, place_at(self.places, o))
                        if p is None and o.pos_ == "PROPN":
                            p = synth_place(
                                self.document, o, self.extractor, strict=False, places=self.places
                            )
                        if p is None:
                            p = self.nested_place(o, depth + 1)
                        if p is None:
                            p = self.anaphoric_place(o)  # "to the northeast of the city"
                        if p is not None:
                            return p
            if c.dep_ in ("compound", "amod", "nmod") and c.pos_ == "PROPN":
                p = place_at(self.places, c)
                if p is not None:
                    return p
        return None

    def _with_conj(self, role: str, tok: Token, out: list[Arg]) -> None:
        p = self.place_of(tok)
        if p is not None:
            out.append(Arg(role, p, tok))
        # the list hangs on the head or, in a name parsed in pieces ("Tell" <- "Tamer"),
        # on a word of the place's name
        heads = [tok]
        if p is not None:
            heads += [t for t in tok.subtree if t.i != tok.i and p.span.start <= t.idx < p.span.end]
        for h in heads:
            for c in h.children:
                if c.dep_ != "conj" or c.pos_ not in ("PROPN", "NOUN"):
                    continue
                pc = self.place_of(c)
                if pc is None and p is not None:
                    # a member of a list of places is a place whatever the tagger thought
                    # of it ("entered Tell Tamer and Ain Issa", Ain Issa tagged a person)
                    pc = synth_place(
                        self.document, c, self.extractor, strict=False, places=self.places
                    )
                if pc is not None and (p is None or pc.span != p.span):
                    out.append(Arg(role, pc, c, conj=p is not None))

    def _prep(self, prep: Any, out: list[Arg], head_lower: str = "") -> None:
        word = prep.lower_
        if word == "as" and (head_lower == "far" or any(c.lower_ == "far" for c in prep.children)):
            word = "to"
        for obj in prep.children:
            if obj.dep_ == "prep" or obj.pos_ == "ADP":
                # "as far as X", "out of X"
                inner = "to" if word in ("as", "to") else word
                for o2 in obj.children:
                    if o2.dep_ == "pobj":
                        self._role_obj(inner, o2, out)
            elif obj.dep_ in ("pobj", "pcomp") or obj.pos_ in ("PROPN", "NOUN"):
                self._role_obj(word, obj, out)
            elif obj.dep_ == "advmod" and obj.lower_ in ("far",):
                for c in obj.children:
                    if c.dep_ == "prep":
                        self._prep(c, out, "far")

    def _role_obj(self, word: str, obj: Any, out: list[Arg]) -> None:
        role = ROLE_OF_PREP.get(word)
        if role is None:
            return
        if obj.lower_ in ("which", "whom"):
            # "the towns towards which they fled": the noun the relative clause hangs from
            obj = relative_head(obj) or obj
        n = len(out)
        self._with_conj(role, obj, out)
        if obj.lower_ in COMPASS:
            out[n:] = [replace(a, near=True) for a in out[n:]]
        if place_at(self.places, obj) is None and obj.pos_ != "PROPN":
            return
        # "from Spain to Syria" parsed with "to Syria" under Spain
        for sub in obj.children:
            if sub.dep_ == "prep" and sub.lower_ in DEST_PREPS | ORIGIN_PREPS | VIA_PREPS:
                self._prep(sub, out)

    def _purpose_places(self, purpose: Token, out: list[Arg]) -> None:
        """ "went to fight in X", "came to join the group in X", "to take part in the
        Syrian civil war": the place of the purpose is where they went."""
        for c in purpose.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "into"):
                for o in c.children:
                    if o.dep_ == "pobj":
                        # "to help in reestablishing control of the road"
                        self._with_conj("destination", o, out)
        for c in purpose.children:
            if c.dep_ == "dobj":
                for cc in c.children:
                    if cc.dep_ == "prep" and cc.lower_ == "in":
                        for o in cc.children:
                            if o.dep_ == "pobj":
                                self._with_conj("destination", o, out)

    def war_place(self, tok: Token) -> Place | None:
        """ "the Syrian civil war", "the Iraqi insurgency": the country a war is named by,
        as the report names that country elsewhere."""
        if tok.lemma_.lower() not in WAR_NOUNS:
            return None
        for c in tok.children:
            if c.dep_ not in ("amod", "compound") or c.i > tok.i:
                continue
            code = nationality(c.text)
            if not code:
                continue
            for p in self.places:
                if p.country == code and p.precision == 4 and p.resolved:
                    s = tok.sent
                    span = Span(
                        self.document.id, c.idx, tok.idx + len(tok.text), s.start_char, s.end_char
                    )
                    return replace(
                        p, name=self.document.text[c.idx : tok.idx + len(tok.text)], span=span
                    )
        return None

    def clause_places(
        self, verb: Token, object_role: str | None, purpose_objects: bool = False
    ) -> list[Arg]:
        """Place arguments of ``verb``; ``object_role`` is the role of a place object
        ("fled X": origin; "entered X": destination), None where an object is no place.
        ``purpose_objects``: the place a purpose infinitive acts on is where the group
        went ("were sent to reopen the road", "deployed to secure X"), for a verb that
        takes a group somewhere."""
        out: list[Arg] = []
        compass: list[Arg] = []
        stack = [verb]
        seen: set[int] = set()
        while stack:
            head = stack.pop()
            for child in head.children:
                if child.i in seen:
                    continue
                seen.add(child.i)
                if child.dep_ == "prep" or (child.pos_ == "ADP" and child.dep_ != "prt"):
                    self._prep(child, out, head.lower_)
                elif child.dep_ == "prt" and child.lower_ in ("out", "back", "over"):
                    # "pulled out of X", "handed over to X"
                    for c in child.children:
                        if c.dep_ == "prep":
                            self._prep(c, out, child.lower_)
                elif child.dep_ == "advmod" and child.lower_ in ("far", "out", "back", "away"):
                    stack.append(child)
                elif child.dep_ == "advmod" and child.lower_ == "home":
                    continue
                elif child.dep_ == "advmod" and child.lower_ == "where" and head.i == verb.i:
                    # "the towns of X, where the fighters withdrew"
                    rh = relative_head(child)
                    if rh is not None:
                        self._with_conj("destination", rh, out)
                elif child.dep_ == "advmod" and child.lower_ in COMPASS:
                    # "pulled back to positions east of X", the compass word on the verb
                    for c in child.children:
                        if c.dep_ == "prep" and c.lower_ == "of":
                            for o in c.children:
                                if o.dep_ == "pobj":
                                    self._with_conj("destination", o, compass)
                elif child.dep_ in ("xcomp", "advcl", "acl", "amod") and (
                    child.lower_ in HEADING_WORDS or child.dep_ == "xcomp"
                ):
                    if child.lower_ in HEADING_WORDS or child.pos_ != "VERB":
                        stack.append(child)
                elif child.dep_ in ("xcomp", "advcl") and child.lemma_.lower() in PURPOSE_VERBS:
                    self._purpose_places(child, out)
                elif child.dep_ == "advmod" and child.pos_ == "PROPN" and object_role:
                    self._with_conj(object_role, child, out)  # "people fleeing Mosul"
                elif child.dep_ in ("dobj", "attr", "npadvmod") and child.lower_ != "it":
                    if object_role is not None and child.dep_ == "dobj":
                        self._with_conj(object_role, child, out)
                    # "fled Raqqa for Turkey", "trucks bound for X" under the object,
                    # "withdrew 150 of its fighters towards X" under the group it counts
                    grp = group_token(child)
                    subs = list(child.children) + (
                        list(grp.children) if grp is not child and object_role is None else []
                    )
                    for sub in subs:
                        if sub.dep_ == "prep" and sub.lower_ in (
                            DEST_PREPS | ORIGIN_PREPS | VIA_PREPS
                        ):
                            self._prep(sub, out)
                        elif sub.lower_ in HEADING_WORDS:
                            stack.append(sub)
                elif child.dep_ in ("nsubj", "nsubjpass"):
                    # "a convoy bound for X left"
                    for sub in child.children:
                        if sub.lower_ in HEADING_WORDS:
                            stack.append(sub)
        if not any(a.role == "destination" for a in out):
            out.extend(compass)
        if not any(a.role == "destination" for a in out):
            # "sent its fighters, operating in a unit ..., to take part in the Syrian
            # Civil War": a purpose infinitive deeper in the clause
            for t in own_words(verb):
                if (
                    t.i != verb.i
                    and t.dep_ in ("xcomp", "advcl")
                    and t.lemma_.lower() in PURPOSE_VERBS
                    and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)
                ):
                    self._purpose_places(t, out)
        if purpose_objects and not any(a.role == "destination" for a in out):
            for t in own_words(verb):
                if (
                    t.i != verb.i
                    and t.dep_ in ("xcomp", "advcl")
                    and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)
                ):
                    for c in t.children:
                        if c.dep_ == "dobj":
                            self._with_conj("destination", c, out)
                    self._purpose_places(t, out)
        if not any(a.role == "destination" for a in out):
            for t in own_words(verb):
                if t.lower_ in HEADING_WORDS and t.i != verb.i:
                    for c in t.children:
                        if c.dep_ == "prep" and c.lower_ in ("for", "to", "toward", "towards"):
                            self._prep(c, out)
        return out


def relative_head(tok: Token) -> Any:
    """The noun a relative clause hangs from, for a relative word inside it."""
    t = tok
    for _ in range(6):
        if t.dep_ == "relcl" and t.head.i != t.i:
            return t.head
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def _starts_clause(ch: Any) -> bool:
    return ch.dep_ in CLAUSE_BREAK or (
        ch.dep_ in ("advcl", "conj") and any(g.dep_.startswith("nsubj") for g in ch.children)
    )


def own_words(verb: Token) -> list[Any]:
    """The verb's clause, less the clauses with a subject of their own."""
    return clause_words(verb, _starts_clause)


# group nouns beyond the actor finder's heads: units, convoys, detainees, families
MORE_GROUP_NOUNS = {
    "convoy", "contingent", "battalion", "brigade", "unit", "column", "family", "families",
    "prisoner", "detainee", "captive", "group", "volunteer", "reinforcement", "individual",
    "citizen", "national", "person", "youth", "mother", "batch", "team", "squad", "cell",
    "wife", "child", "student", "worker", "migrant", "pilgrim", "hostage", "suspect",
    "commander", "leader", "jihadi", "division", "regiment", "company", "platoon", "personnel",
}  # fmt: skip


def is_group_noun(tok: Token) -> bool:
    """People who can move: a group head noun, a national noun, a named group or person."""
    head = group_token(tok)
    lemma = head.lemma_.lower()
    if lemma in GROUP_HEADS or lemma in MORE_GROUP_NOUNS or head.lower_ in NATIONAL_NOUNS:
        return True
    if head.pos_ == "PROPN" and head.ent_type_ not in ("GPE", "LOC", "FAC", "DATE", "EVENT"):
        return True
    return head.pos_ == "PRON"


def group_token(np_head: Token) -> Any:
    """'hundreds of troops', '150 of its fighters': the group noun under a quantity head."""
    if np_head.like_num or np_head.lower_ in ("hundreds", "thousands", "dozens", "some", "many",
                                             "most", "several", "all", "none", "scores",
                                             "majority", "half", "rest", "number", "third",
                                             "quarter", "part", "handful", "total"):  # fmt: skip
        for c in np_head.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for o in c.children:
                    if o.dep_ == "pobj":
                        return o
    return np_head


def np_extent(tok: Token) -> tuple[int, int]:
    """Characters of a noun phrase up to its head and an 'of' complement (no clauses)."""
    left = tok.left_edge
    end_tok = tok
    for c in tok.children:
        if c.i > tok.i and c.dep_ in ("prep",) and c.lower_ == "of":
            for o in c.children:
                if o.dep_ == "pobj":
                    end_tok = max(end_tok, o, key=lambda t: t.i)
        if c.i > tok.i and c.dep_ in ("compound", "flat", "appos") and c.i == end_tok.i + 1:
            end_tok = c
    return left.idx, end_tok.idx + len(end_tok.text)


def actor_for(
    tok: Token, actors: Sequence[Actor], document: Document, extractor: str
) -> Actor | None:
    """The actor record for a group noun: one the actor finder listed inside the noun
    phrase (the one covering the head first), else one made from the phrase."""
    head = group_token(tok)
    a0, a1 = np_extent(tok)
    inside = spans_within(actors, a0, a1 + 1)
    covering = [a for a in inside if a.span.start <= head.idx < a.span.end]
    if covering:
        return covering[0]
    if inside:
        return inside[0]
    # a listed actor whose span covers the head ("ISIS fighters ...")
    for a in spans_covering(actors, head.idx, head.idx + 1):
        return a
    if head.pos_ not in ("NOUN", "PROPN") or head.ent_type_ in ("GPE", "LOC", "FAC", "DATE"):
        return None
    if a1 - a0 > 80:
        a0, a1 = head.idx, head.idx + len(head.text)
    s = head.sent
    country = None
    for t in head.doc[tok.left_edge.i : head.i + 1]:
        nxt = t.nbor(1) if t.i + 1 < len(t.doc) else None
        if nxt is not None and nxt.text == "-":
            continue  # "Turkish-backed"
        country = nationality(t.text)
        if country:
            break
    return Actor(
        name=document.text[a0:a1],
        span=Span(document.id, a0, a1, s.start_char, s.end_char),
        kind="group",
        country=country,
        extractor=extractor,
        confidence=0.3,
    )


# ISO 3166 user-assigned codes in common use, which pycountry does not list
USER_ASSIGNED = {"kosovo": "XK"}


@lru_cache(maxsize=4096)
def country_code(name: str) -> str | None:
    """ISO2 of a country's name ("Kosovo", "Albania", "North Macedonia"), or None."""
    key = name.lower().strip()
    if key in USER_ASSIGNED:
        return USER_ASSIGNED[key]
    try:
        import pycountry
    except ImportError:  # pragma: no cover
        return None
    for c in pycountry.countries:
        names = (c.name, getattr(c, "common_name", ""), getattr(c, "official_name", ""))
        if any(n and n.lower() == key for n in names):
            return str(c.alpha_2)
    return None


def place_nationality(tok: Token) -> str | None:
    """ "Kosovo Albanians", "Kosovo Serbs": a country's name on a people's noun is where
    they are from, whatever the demonym's own country."""
    head = group_token(tok)
    for c in head.children:
        if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < head.i:
            name = " ".join(t.text for t in c.subtree if t.i < head.i)
            code = country_code(name)
            if code:
                return code
    return None


def subject_of(verb: Token) -> Any:
    """The subject token of a verb, through xcomp/conj/advcl chains ("tried to slip")."""
    v = verb
    for _ in range(4):
        subj = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            before = [c for c in subj if c.i < v.i]
            s = before[-1] if before else subj[0]
            if s.lower_ in RELATIVE_PRONOUNS and v.dep_ == "relcl":
                return v.head
            return s
        if v.dep_ in ("acl", "relcl") and v.head.i != v.i:
            # "civilians fleeing X", "fighters stationed at X"
            return v.head
        if v.dep_ in ("xcomp", "conj", "advcl", "ccomp") and v.head.i != v.i:
            v = v.head
        elif v.dep_ == "pcomp" and v.head.dep_ == "prep" and v.head.head.pos_ in ("VERB", "AUX"):
            v = v.head.head  # "were suggested as having returned", "after fleeing X, they"
        else:
            break
    return None


def object_of(verb: Token) -> Any:
    """The direct object of a verb (through a particle: "handed over 150 fighters")."""
    for c in verb.children:
        if c.dep_ == "dobj" and c.lower_ != "it":
            return c
    return None


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


__all__ = [
    "Arg",
    "ArgReader",
    "actor_for",
    "group_token",
    "is_group_noun",
    "is_passive",
    "object_of",
    "place_nationality",
    "place_at",
    "subject_of",
    "synth_place",
]
