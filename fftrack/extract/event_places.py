"""Where an event happened: the place of its clause, read as ACLED's coders read it.

The place nearest the trigger inside the clause wins, with penalties for what is not
where something happened: a dateline ("BEIRUT (Reuters) -", where the report was filed),
a country that acts ("the Netherlands extended its strikes"), a name inside an actor, a
town resolved hundreds of km from every other place of the report. "Captured X, Y and Z"
is one event per place; an event with no place of its own takes its paragraph's.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from fftrack.extract.spanlist import spans_covering, spans_within
from fftrack.geo.cues import (
    AND_GAP_RE,
    BETWEEN_GAP_RE,
    NEAR_OF_RE,
    TIME_HEADS,
    in_gap,
    modifies_a_named_place,
    says_who,
)
from fftrack.geo.resolve import haversine_km
from fftrack.nlp.docview import doc_text
from fftrack.records import Actor, Document, Event, Place, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan


def place_for(
    places: Sequence[Place],
    start: int,
    end: int,
    trig_pos: int,
    text: str,
    actors: Sequence[Actor] = (),
    country: str | None = None,
    isolated: frozenset[int] = frozenset(),
    sdoc: Doc | None = None,
) -> Place | None:
    best: tuple[float, Place] | None = None
    inside = spans_within(places, start, end)
    for p in inside:
        if spans_covering(actors, p.span.start, p.span.end):
            continue  # "Olive Branch" in "Olive Branch forces" is an actor, not a place
        if p.span.start in isolated:
            continue  # a namesake far away: another place of the clause, or none
        if _BODY_AFTER_RE.match(text, p.span.end):
            continue  # "the Manbij Military Council": a body named after the town, not where
        if sdoc is not None and p.precision == 4 and names_an_actor(sdoc, p):
            continue  # "the Netherlands extended their bombings": who, not where
        if says_who(text, p.span.end):
            continue  # "according to a Tripoli cleric": who someone is, not where
        if sdoc is not None and home_of(sdoc, p):
            continue  # "a fighter who resided in Sweden was killed": where he lived
        d = abs(p.span.start - trig_pos) / 40.0
        if p.span.start < trig_pos:
            d += 0.5
        if is_dateline(p, text):
            d += 8.0  # where the report was filed: the event's place only if nothing else
        if p.precision == 4 or (p.feature or "").startswith("A.PCL"):
            d += 3.0
        elif p.precision == 3 or (p.feature or "").startswith("A.ADM1"):
            d += 1.5
        if not p.resolved:
            d += 2.0
        elif country and p.country and p.country != country:
            d += 4.0  # a village resolved to another continent than the rest of the report
        elif p.span.start in isolated:
            d += 3.0  # a namesake hundreds of km from every other place of the report
        if p.resolved and p.confidence:
            d += (1.0 - min(1.0, p.confidence)) * 3.0  # the geoparser's own doubt
        if _holds_another(p, inside, text) or modifies_a_named_place(text, p.span.end):
            # "X village in southern Idleb", "the Idlib town of X": the event is at X
            d += 2.5
        before = text[max(0, p.span.start - 25) : p.span.start].lower()
        of = _OF_RE.search(before)
        if of and of.group(1) in _WHERE_OF:
            d -= 0.5  # "the town of X", "north of X", "the outskirts of X": where it happened
        elif re.search(r"\b(?:from|of|by)\s+(?:the\s+)?$", before) and not (
            before.endswith(("from ", "from the ")) and _FROM_TO_RE.match(text, p.span.end)
        ):
            d += 1.0  # "forces of X", "backed by X", "people from X"
        if re.search(
            r"\b(?:in|at|near|on|into|outside|around)\s+(?:the\s+)?(?:\w+\s+){0,3}$", before
        ):
            d -= 0.5
        if best is None or d < best[0]:
            best = (d, p)
    return best[1] if best else None


# "from X to Y": X is where what went from it began ("evacuate fighters from X to Y")
_FROM_TO_RE = re.compile(r"\s+(?:to|towards)\s+(?:the\s+)?[A-Z]")

# a body named after its town ("the Manbij Military Council", "Raqqa Martyrs Brigade")
_BODY_AFTER_RE = re.compile(
    r"\s+(?:[A-Z][\w'-]*\s+){0,3}?(?:Military Council|Council|Brigades?|Battalions?|Regiment|"
    r"Front|Police|Command|Operations Room|Shield|Division)\b"
)


def _holds_another(p: Place, inside: Sequence[Place], text: str) -> bool:
    """``p`` is written as the container of a resolved place just before it, in its
    country: "X village in southern Y", "X town in the northern countryside of Y", "X,
    north of Y"."""
    for q in inside:
        if q is p or not q.resolved or q.span.end > p.span.start or q.country != p.country:
            continue
        gap = text[q.span.end : p.span.start]
        if len(gap) > 60:
            continue
        if NEAR_OF_RE.match(gap) or BETWEEN_GAP_RE.match(gap):
            return True  # "Salahuddin province, north of Baghdad": Baghdad is a landmark
        if AND_GAP_RE.match(gap) and _after_between(q, inside, text):
            return True  # "X, between Y and Z": Z too
        # "killed in Syria by Turkish forces in the X area": no country or province lies in
        # a town (a neighbourhood, held near its town, still does)
        coarser = (q.precision or 1) >= 3 and (q.precision or 1) > (p.precision or 1)
        if in_gap(gap) and not coarser:
            return True
    return False


def _after_between(q: Place, inside: Sequence[Place], text: str) -> bool:
    """``q`` is the first end of "X, between Y and Z" (Y)."""
    return any(
        o.span.end <= q.span.start and BETWEEN_GAP_RE.match(text[o.span.end : q.span.start])
        for o in inside
    )


def names_an_actor(sdoc: Doc, p: Place) -> bool:
    """A country named as the one who acts ("the United States announced", "Turkish
    troops", "Russia's air force") rather than where: subject, possessor or modifier."""
    span = sdoc.char_span(p.span.start, p.span.end, alignment_mode="expand")
    if span is None:
        return False
    return span.root.dep_ in ("nsubj", "nsubjpass", "poss", "compound", "amod", "agent")


# where people live, were born or come from ("who resided in Sweden", "born in Leeds")
_HOME_VERBS = frozenset({"reside", "live", "bear", "grow", "settle", "hail", "raise"})


def home_of(sdoc: Doc, p: Place) -> bool:
    """The place is where someone lives or was born ("a fighter who resided in Sweden
    was killed in March", "born in Leeds, he died in Raqqa"), not where the act was."""
    span = sdoc.char_span(p.span.start, p.span.end, alignment_mode="expand")
    if span is None:
        return False
    tok = span.root
    if tok.dep_ != "pobj" or tok.head.lower_ not in ("in", "at", "from"):
        return False
    verb = tok.head.head
    return verb.pos_ in ("VERB", "AUX") and verb.lemma_.lower() in _HOME_VERBS


_DATELINE_AFTER = re.compile(r"(?:,[^\n]{0,30}?)?\s*(?:\([^)\n]{1,30}\)\s*)?[-\u2013\u2014:]")


def is_dateline(p: Place, text: str) -> bool:
    """A place in capitals at the head of a line, before a dash or an agency: "BEIRUT
    (Reuters) -", "ERBIL, Iraq —"."""
    at_line_start = p.span.start == 0 or text[p.span.start - 1] == "\n"
    name = text[p.span.start : p.span.end]
    return at_line_start and name.isupper() and bool(_DATELINE_AFTER.match(text, p.span.end))


_OF_RE = re.compile(r"\b([a-z]+)\s+of\s+(?:the\s+)?$")
_WHERE_OF = {
    "town", "village", "city", "district", "subdistrict", "province", "governorate", "area",
    "areas", "outskirts", "countryside", "suburbs", "suburb", "vicinity", "centre", "center",
    "heart", "edge", "entrance", "north", "south", "east", "west", "northeast", "northwest",
    "southeast", "southwest", "neighbourhood", "neighborhood", "region", "port", "camp",
}  # fmt: skip


def carry_places(events: list[Event], text: str, country: str | None = None) -> list[Event]:
    """An event whose clause names no place it can be put at happened where the
    paragraph's story is: the place of the event before it in the same paragraph (a
    town or a district, not a province or a country). One put at a name the gazetteer
    does not know ("the Grand Mosque", "the Castello Road") keeps the name, at that
    place (:func:`placed_at`). A place across the border of the report's ``country`` is
    not carried: the act told next is often the answer from the other side ("ISIL fired
    rockets on Kilis in Turkey. The Turkish military said it had shelled ISIL targets")."""
    out: list[Event] = []
    last: Place | None = None
    para_of_last = -1
    for ev in events:
        para = text.rfind("\n\n", 0, ev.span.start)
        here = last is not None and para == para_of_last
        if here and last is not None and country and last.country not in (None, country):
            here = False  # the story has crossed a border: no place to carry
        if ev.place is None and here:
            ev = dataclasses.replace(ev, place=last)
        elif ev.place is not None and not ev.place.resolved and here and last is not None:
            ev = dataclasses.replace(ev, place=placed_at(ev.place, last))
        elif (
            ev.place is not None
            and ev.place.resolved
            and (ev.place.precision or 1) <= 2
            and not is_dateline(ev.place, text)
        ):
            last, para_of_last = ev.place, para
        out.append(ev)
    return out


def focus_place(places: Sequence[Place], skip: frozenset[int] = frozenset()) -> Place | None:
    """The town a report is about: the resolved town or district it names most often, by
    point (first mention on ties), or the only one it names; none where no town is named
    twice among several. Its mention is the one the geoparser was surest of."""
    counts: dict[tuple[float, float], list[Place]] = {}
    for p in places:
        if not p.resolved or p.lat is None or p.lon is None or (p.precision or 1) > 2:
            continue
        if p.span.start in skip:
            continue
        # one town under its names ("Aleppo", "Aleppo City", a street placed at it)
        counts.setdefault((round(float(p.lat), 2), round(float(p.lon), 2)), []).append(p)
    if not counts:
        return None
    best = max(counts.values(), key=lambda ps: (len(ps), -ps[0].span.start))
    if len(best) < 2 and len(counts) > 1:
        return None
    # the mention the geoparser was surest of: the town's own name, not a street at it
    return max(best, key=lambda p: (p.confidence, -(p.precision or 1), -p.span.start))


def place_by_focus(events: list[Event], focus: Place | None) -> list[Event]:
    """An event of a long report still without a place happened, as far as the report
    says, around the town the report is about: that town, held as "near" (precision 2 at
    best) and with less confidence."""
    if focus is None:
        return events
    near = dataclasses.replace(
        focus, precision=max(2, focus.precision or 1), confidence=min(focus.confidence, 0.3)
    )
    out = []
    for ev in events:
        if ev.place is None:
            ev = dataclasses.replace(ev, place=near)
        elif _unknown(ev.place):
            ev = dataclasses.replace(ev, place=placed_at(ev.place, focus))
        out.append(ev)
    return out


def _unknown(p: Place | None) -> bool:
    return p is not None and not p.resolved


def placed_at(unknown: Place, known: Place) -> Place:
    """A name the gazetteer does not know, that an event took place at ("the Grand
    Mosque", "the al-Busariyah alley"), put where the story is told (``known``, a town):
    the name as written, the town's point, held as "near" (precision 2 at best), marked
    ``fallback``/``context`` as the geoparser marks its own and as unsure."""
    return dataclasses.replace(
        unknown,
        lat=known.lat,
        lon=known.lon,
        geonameid=known.geonameid,
        country=known.country,
        feature=known.feature,
        precision=max(2, known.precision or 1),
        resolved_name=known.resolved_name,
        admin1=known.admin1,
        features=(("context", 1.0), ("fallback", 1.0)),
        confidence=min(0.2, known.confidence),
    )


LOCATIVE = {"in", "at", "near", "on", "outside", "inside", "around"}


# the head of a battle's or a campaign's name ("the Siege of X", "the Battle of Y")
_ACT_NAMES = frozenset({
    "siege", "battle", "offensive", "operation", "campaign", "massacre", "assault", "liberation",
})  # fmt: skip


def named_place(
    document: Document, tokens: Sequence[Any], actors: Sequence[Actor], extractor: str
) -> Place | None:
    """A proper name after a locative preposition in the clause ("attack on the Westminster
    Bridge") that the geoparser did not list: kept as an unresolved Place."""
    for tok in tokens:
        if tok.pos_ != "PROPN" or tok.dep_ != "pobj" or tok.head.lower_ not in LOCATIVE:
            continue
        if tok.ent_type_ in ("PERSON", "NORP", "DATE", "TIME", "WORK_OF_ART", "EVENT"):
            continue
        if tok.lower_ in _ACT_NAMES:
            continue  # "participated in the Siege of X": the name of a battle, not a place
        if tok.lower_ in TIME_HEADS:
            continue  # "on Kurdish Flag Day": a time
        if tok.head.head.lemma_.lower() in _HOME_VERBS:
            continue  # "who resided in Sweden": where someone lives
        left = tok
        while (
            left.i > 0
            and tok.doc[left.i - 1].pos_ == "PROPN"
            and tok.doc[left.i - 1].dep_ == "compound"
        ):
            left = tok.doc[left.i - 1]
        a, b = left.idx, tok.idx + len(tok.text)
        if any(not (b <= x.span.start or a >= x.span.end) for x in actors):
            continue
        sent = tok.sent
        return Place(
            name=document.text[a:b],
            span=Span(document.id, a, b, sent.start_char, sent.end_char),
            extractor=extractor,
            confidence=0.2,
        )
    return None


def _conj_anchor(sdoc: Doc, p: Place, by_tok: dict[int, Place]) -> int:
    """The first place of the coordination ``p`` belongs to ("X, Y and Z"): follow the
    ``conj`` arcs out of each place's tokens to the place they hang from. A place named
    as ground ("the villages of X and Y", "large parts of X") hangs where its noun does,
    and a noun of ground ("the village of X") stands for its place."""

    def place_of(tok: Token) -> Place | None:
        # the place, a place naming it ("the Al-Aqra Mountains"), or the place of its "of"
        # ("the village of Khalidiyah")
        if tok.i in by_tok:
            return by_tok[tok.i]
        for c in tok.children:
            if c.dep_ == "compound" and c.i in by_tok:
                return by_tok[c.i]
        if tok.lower_ in _GROUND_NOUNS:
            for of in tok.children:
                if of.lower_ == "of":
                    for obj in of.children:
                        if obj.dep_ == "pobj" and obj.i in by_tok:
                            return by_tok[obj.i]
        return None

    cur = p
    for _ in range(12):
        span = sdoc.char_span(cur.span.start, cur.span.end, alignment_mode="expand")
        if span is None:
            break
        heads = [
            t.head for t in span if t.dep_ == "conj" and not (span.start <= t.head.i < span.end)
        ]
        noun = _ground_noun(span)  # "the villages of X", "large parts of X"
        if not heads and noun is not None and noun.dep_ == "conj":
            heads = [noun.head]
        nxt = None
        if heads:
            h = heads[0]
            for _hop in range(4):  # "two hilltops and large parts of X": nouns joined first
                nxt = place_of(h)
                if nxt is not None or h.dep_ != "conj" or h.head.i == h.i:
                    break
                h = h.head
        if nxt is None or nxt is cur:
            break
        cur = nxt
    return cur.span.start


# nouns naming ground taken or held, whose "of" names the place
_GROUND_NOUNS = frozenset(
    {
        "village", "villages", "town", "towns", "city", "cities", "hamlet", "hamlets",
        "district", "districts", "neighborhood", "neighborhoods", "neighbourhood",
        "neighbourhoods", "parts", "areas", "outskirts", "hills", "hilltops",
    }
)  # fmt: skip
_BETWEEN_RE = re.compile(r"\bbetween\s+(?:the\s+)?(?:towns?\s+of\s+|cities\s+of\s+)?$", re.I)


def conjoined_places(
    sdoc: Doc,
    place: Place,
    places: Sequence[Place],
    start: int,
    end: int,
    isolated: frozenset[int] = frozenset(),
) -> list[Place]:
    """Other places joined to the event's place by "and"/commas in the same clause
    ("entered Tell Tamer and Ain Issa", "withdrew from Zaytan, Birnah and Qal'a"): ACLED
    codes one event per place. Places told as the two ends of one place ("the boundary
    between X and Y", "clashes between X and Y") are no list."""
    inside = spans_within(places, start, end)
    if len(inside) < 2:
        return []
    by_tok: dict[int, Place] = {}
    for p in inside:
        span = sdoc.char_span(p.span.start, p.span.end, alignment_mode="expand")
        for t in span or ():
            by_tok[t.i] = p
    root = _conj_anchor(sdoc, place, by_tok)
    if _BETWEEN_RE.search(doc_text(sdoc)[max(0, root - 30) : root]):
        return []  # "on the boundary between X and Y", "clashes between X and Y": one act
    out: list[Place] = []
    seen = {place.name}
    groups: dict[int, list[Place]] = {}
    for p in inside:
        if p is place or p.name in seen or not p.resolved or p.span.start in isolated:
            continue
        if (p.precision or 1) > 3 or (place.precision or 1) > 3:
            continue  # towns, districts and regions: not a list of countries taking part
        anchor = _conj_anchor(sdoc, p, by_tok)
        if anchor == root:
            seen.add(p.name)
            out.append(p)
        else:
            groups.setdefault(anchor, []).append(p)
    # a second list of ground taken in the same clause ("took the village of X, as well as
    # two hilltops and large parts of Y, Z and W"): each of its places too
    for anchor, members in groups.items():
        head = next((p for p in members if p.span.start == anchor), None)
        if head is None or len(members) < 2:
            continue
        if not _ground_named(sdoc, head) or _FROM_RE.search(
            doc_text(sdoc)[max(0, anchor - 30) : anchor]
        ):
            continue
        for p in members:
            if p.name not in seen:
                seen.add(p.name)
                out.append(p)
    return out


# "fighters from X, Y and Z", "between X and Y": the ends of a movement or of one act
_FROM_RE = re.compile(r"\b(?:from|between)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}(?:of\s+)?$", re.I)


def _ground_noun(span: SpacySpan) -> Token | None:
    """The noun of ground whose "of" names ``span`` ("villages" in "the villages of X",
    "parts" in "large parts of X", "parts" in "parts of the X district"), or None."""
    root = span.root
    if root.dep_ == "compound" and root.head.lower_ in _GROUND_NOUNS:
        root = root.head  # "the Ashrafiyah district": the place stands where its noun does
    if root.dep_ != "pobj" or root.head.lower_ != "of":
        return None
    noun = root.head.head
    return noun if noun.lower_ in _GROUND_NOUNS else None


def _ground_named(sdoc: Doc, p: Place) -> bool:
    """``p`` told as ground: "(large parts) of X", "the villages of X"."""
    span = sdoc.char_span(p.span.start, p.span.end, alignment_mode="expand")
    return span is not None and _ground_noun(span) is not None


ISOLATED_KM = 400.0


def isolated_places(places: Sequence[Place]) -> frozenset[int]:
    """Span starts of towns resolved far from every other place of a report that names
    several: "Bani Zeid" of Aleppo resolved to a namesake 500 km away. Countries and
    provinces are never isolated (they are big).

    Distinct points are put in a grid of cells at least ``ISOLATED_KM`` wide, so each town
    is held against the places of its own and the neighbouring cells only (linear in the
    places of a long text)."""
    pts = {
        (p.name, float(p.lat), float(p.lon))
        for p in places
        if p.resolved and p.lat is not None and p.lon is not None and (p.precision or 1) <= 3
    }
    if len({name for name, _, _ in pts}) < 3:
        return frozenset()
    cell_deg = ISOLATED_KM / 111.0
    grid: dict[tuple[int, int], list[tuple[str, float, float]]] = {}
    for pt in pts:
        grid.setdefault(_cell(pt[1], pt[2], cell_deg), []).append(pt)
    far: set[tuple[str, float | None, float | None]] = set()
    for name, lat, lon in pts:
        ci, cj = _cell(lat, lon, cell_deg)
        # a degree of longitude shrinks with latitude: widen the search to cover 400 km
        shrink = max(math.cos(math.radians(min(abs(lat) + cell_deg, 89.0))), 1e-3)
        dj = min(int(math.ceil(1.0 / shrink)), int(360 / cell_deg) + 1)
        near = any(
            q[0] != name and haversine_km(lat, lon, q[1], q[2]) <= ISOLATED_KM
            for di in (-1, 0, 1)
            for j in range(cj - dj, cj + dj + 1)
            for q in grid.get((ci + di, _wrap(j, cell_deg)), ())
        )
        if not near:
            far.add((name, lat, lon))
    return frozenset(
        p.span.start
        for p in places
        if (p.precision or 1) == 1 and p.resolved and (p.name, p.lat, p.lon) in far
    )


def named_with_country(places: Sequence[Place], text: str) -> frozenset[int]:
    """Span starts of towns written with their own country ("Astana, Kazakhstan"): the
    writer says where, however far the town lies from the report's other places."""
    by_start = sorted(places, key=lambda p: p.span.start)
    out = set()
    for p, q in itertools.pairwise(by_start):
        if (
            (p.precision or 1) < 4
            and (q.precision or 1) >= 4
            and p.country
            and p.country == q.country
            and re.fullmatch(r",\s*", text[p.span.end : q.span.start])
        ):
            out.add(p.span.start)
    return frozenset(out)


def stray_places(places: Sequence[Place]) -> frozenset[int]:
    """Span starts of towns and districts resolved in a country the report gives no other
        sign of: "Bani Zeid" of an Aleppo report resolved to a namesake in Palestine,
        "Manchester Arena" to Tunisia. A country is a sign of itself when the report names it
        (a country-level place) or has another town or province in it (at another point, not
    the same namesake twice); the country with most places is never in doubt; a report whose places
        all lie in one country has no strays.
    """
    resolved = [p for p in places if p.resolved and p.country]
    points_in: dict[str, set[tuple[float, float]]] = {}
    mentions: dict[str, int] = {}
    named: set[str] = set()
    for p in resolved:
        if (p.precision or 1) >= 4:
            named.add(p.country or "")
        else:
            point = (round(float(p.lat or 0.0), 1), round(float(p.lon or 0.0), 1))
            points_in.setdefault(p.country or "", set()).add(point)
            mentions[p.country or ""] = mentions.get(p.country or "", 0) + 1
    if len(named | set(points_in)) < 2:
        return frozenset()
    # the country of most mentions (places that fell back to one town count each)
    main = max(points_in, key=lambda k: (len(points_in[k]), mentions[k]), default=None)
    if main is None or (len(points_in[main]) < 2 and mentions[main] < 3 and main not in named):
        # no country stands out (a country the report names stands out, with one town in
        # it): nothing to hold a town against
        return frozenset()
    out = set()
    for p in resolved:
        if (p.precision or 1) > 3 or p.country in named or p.country == main:
            continue
        if len(points_in.get(p.country or "", ())) >= 2:
            continue
        out.add(p.span.start)
    return frozenset(out)


def _cell(lat: float, lon: float, cell_deg: float) -> tuple[int, int]:
    return int(math.floor(lat / cell_deg)), _wrap(
        int(math.floor((lon + 180.0) / cell_deg)), cell_deg
    )


def _wrap(j: int, cell_deg: float) -> int:
    n = int(math.ceil(360.0 / cell_deg))
    return j % n


__all__ = [
    "carry_places",
    "conjoined_places",
    "focus_place",
    "place_by_focus",
    "is_dateline",
    "isolated_places",
    "home_of",
    "named_place",
    "named_with_country",
    "names_an_actor",
    "place_for",
    "placed_at",
    "stray_places",
]
