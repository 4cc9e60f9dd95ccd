"""The words written around a place name that say what kind of place it is.

One vocabulary for recognition (``geo/recognize.py``: is this span a place?) and
resolution (``geo/geoparser.py``: which admin level did the writer mean?):

``place_cue``
    whether a place-type noun stands after the span ("Misraba town") or before it
    ("the village of Misraba"): recognition keeps an unknown name with one.
``cue_after`` / ``cue_before``
    the admin-level cue after the name ("Anbar province") or before it ("the city of
    X"), lower-cased, or ``None``: resolution prefers candidates of that level.
``in_gap``, ``NEAR_OF_RE``
    the words between two names that say the first lies in or near the second ("X
    village in southern Y", "X, 20 km north of Y"): the geoparser's container cue, and
    the extractors' "the most specific place" of an event.
``FACILITY_HEADS``, ``INSTITUTION_WORDS``
    head nouns of facilities and institutions named after the place they stand in
    ("Manchester Arena", "Westminster Bridge", "Greater Manchester Police"): recognition
    takes the place out of the facility's name, resolution finds the known town inside an
    unknown one ("Palace of Westminster", with ``STREET_HEADS`` too); the words of an
    institution named after the place it serves, the place first ("Laurel County
    Sheriff's Office").

Pure data and functions; the same text always gives the same answer.
"""

from __future__ import annotations

import re

from fftrack.geo.normalize import ADMIN_SUFFIXES

__all__ = [
    "AND_GAP_RE",
    "BETWEEN_GAP_RE",
    "FACILITY_HEADS",
    "INSTITUTION_UNITS",
    "INSTITUTION_WORDS",
    "NEAR_OF_RE",
    "STREET_HEADS",
    "bearing_of",
    "cue_after",
    "cue_before",
    "in_gap",
    "place_cue",
    "says_who",
]

# Place-type nouns that say a span is a place (recognition): "Misraba town", "the
# village of Misraba", "the outskirts of Raqqa".
_PLACE_AFTER_RE = re.compile(
    r"^['\u2019]?\s+(?:town|village|city|district|subdistrict|sub-district|province|governorate|area|"
    r"countryside|neighbou?rhood|camp|suburb|region)s?\b",
    re.I,
)
_PLACE_BEFORE_RE = re.compile(
    r"\b(?:the\s+)?(?:towns?|villages?|city|cities|district|subdistrict|province|governorate|"
    r"neighbou?rhoods?|outskirts|suburbs?|countryside|region|vicinity|areas?|surroundings|"
    r"environs)\s+of\s+$",
    re.I,
)
# Admin-level cues that say which kind of place the writer meant (resolution): the
# suffixes a gazetteer name may carry ("Anbar province", "Kitaf district"), and the
# nouns of "the city of X". Kept apart from the recognition cues: the two sets differ on
# purpose (a "camp" or an "area" makes a span a place but names no admin level), and
# merging them changes which places are found.
_ADMIN_AFTER_RE = re.compile(
    r"^[ \u00a0]+("
    + "|".join(re.escape(s) for s in sorted(ADMIN_SUFFIXES, key=len, reverse=True))
    + r")\b",
    re.I,
)
_ADMIN_BEFORE_RE = re.compile(
    r"\b(city|town|village|province|governorate|district|state) of\s*$", re.I
)


# "northern", "south-east", "southeastern", "central", "rural"
_COMPASS = (
    r"(?:(?:north|south)(?:[- ]?(?:east|west))?(?:ern)?|east(?:ern)?|west(?:ern)?|central|rural)"
)
# "Arbin city in Rural Damascus", "the village of X near Y", "X, Y"
_CONTAINER_GAP_RE = re.compile(
    r"^\s*(?:,\s*)?(?:(?:city|town|village|area|areas|district|neighbou?rhood|suburb|"
    r"countryside|camp|region|province|governorate)\s+)?(?:in|of|near|outside)\s+"
    r"(?:the\s+)?(?:" + _COMPASS + r"\s+)?$",
    re.I,
)
# "X, 20 km north of Y", "X north-east of Y", "X (90 km east of Y)", "X village on the
# east side of Y", "X on the outskirts of Y", "X, close to Y": X lies near Y, not in it
# (groups: the distance, its unit, the compass word; each may be missing)
NEAR_OF_RE = re.compile(
    r"^\s*[,(]?\s*(?:(?:village|town|city|area|district|neighbou?rhood|hill|base|camp)s?\s+)?"
    r"(?:(?:which|that)\s+(?:is|lies)\s+)?(?:(?:located|lying|situated|just)\s+)?"
    r"(?:(?:about|some|around|roughly|nearly|approximately)\s+)?"
    r"(?:(\d+(?:\.\d+)?)\s*(km|kilomet(?:er|re)s?|miles?|mi)\s+)?"
    r"(?:(?:(?:on|to|at)\s+the\s+)?((?:north|south)(?:[- ]?(?:east|west))?|east|west)(?:ern)?"
    r"\s+(?:(?:side|edge|outskirts|flank|bank|part|end)\s+)?of"
    r"|(?:on|at)\s+the\s+(?:outskirts|edge|fringes?)\s+of|(?:close|next)\s+to)"
    r"\s+(?:the\s+)?$",
    re.I,
)
# "X, between Y and Z", "X (midway between Y and Z)": the words from X to Y; and from Y to Z
BETWEEN_GAP_RE = re.compile(
    r"^\s*[,(]?\s*(?:(?:located|lying|midway|halfway|somewhere)\s+)?between\s+(?:the\s+)?"
    r"(?:(?:towns|cities|villages)\s+of\s+)?$",
    re.I,
)
AND_GAP_RE = re.compile(r"^\s+and\s+(?:the\s+)?$", re.I)
_BEARINGS = {"n": 0.0, "ne": 45.0, "e": 90.0, "se": 135.0, "s": 180.0, "sw": 225.0,
             "w": 270.0, "nw": 315.0}  # fmt: skip


def bearing_of(compass: str) -> float | None:
    """Degrees from north of a compass word ("north-east", "southwest", "east"), or None."""
    words = re.findall(r"north|south|east|west", compass.lower())
    return _BEARINGS.get("".join(w[0] for w in words))


_IN_TAIL_RE = re.compile(
    r"\b(?:in|near|outside)\s+(?:the\s+)?(?:" + _COMPASS + r"\s+)?"
    r"(?:(?:countryside|outskirts|suburbs)\s+of\s+)?$",
    re.I,
)
# gaps that separate two places of a list rather than a place and its container
_LIST_GAP_RE = re.compile(r"[,;:.!?()]|\b(?:and|or|then|others?|but|to|from)\s+(?:in|near)\b", re.I)


# "X went to fight in Y", "X travelled to join IS in Y": the first went to the second,
# it does not lie in it
_GOING_GAP_RE = re.compile(r"\bto\b", re.I)


def in_gap(gap: str) -> bool:
    """The text between two names says the first lies in (or near) the second: "X village
    in southern ", " town in the northern countryside of ", " near ". A list ("X, Y and
    Z in") is not a container."""
    return bool(
        _CONTAINER_GAP_RE.match(gap)
        or (
            len(gap) <= 50
            and _IN_TAIL_RE.search(gap)
            and not _LIST_GAP_RE.search(gap)
            and not _GOING_GAP_RE.search(gap)
        )
    )


def cue_after(text: str, end: int) -> str | None:
    """The admin-level cue right after ``text[:end]``, lower-cased: "province" in "Anbar
    province"."""
    m = _ADMIN_AFTER_RE.match(text[end : end + 30])
    return m.group(1).lower() if m else None


def cue_before(text: str, start: int) -> str | None:
    """The admin-level cue before "of" and ``text[start:]``: "city" in "the city of X"."""
    m = _ADMIN_BEFORE_RE.search(text[max(0, start - 30) : start])
    return m.group(1).lower() if m else None


# the last word of a name that is a time, not a place ("Kurdish Flag Day", "Christmas Eve")
TIME_HEADS = frozenset({"day", "eve", "night", "week", "weekend"})

_OF_A_NAME_RE = re.compile(r"\s+of\s+(?:the\s+)?[A-Z]")


def modifies_a_named_place(text: str, end: int) -> bool:
    """The span qualifies a place named after it ("the Alawite village of Maksar", "the
    Kurdish town of Kobani"): the name is the one after "of", not the span."""
    m = _PLACE_AFTER_RE.match(text[end : end + 20])
    return m is not None and bool(_OF_A_NAME_RE.match(text, end + m.end()))


# a person's standing that a place name can qualify ("a Tripoli cleric", "a former
# Guantanamo Bay detention camp detainee"); not officials or residents, who are mostly
# where what they tell of happened ("Mosul officials said", "Aleppo residents fled")
_ROLE_AFTER_RE = re.compile(
    r"(?:\s+(?!(?:a|an|the|and|or|of|in|on|at|by|to|for|with|from|as|was|were|is|are)\b)"
    r"[a-z]+){0,2}?\s+(?:clerics?|imams?|preachers?|priests?|detainees?|inmates?|natives?|"
    r"ambassadors?|envoys?|diplomats?|lawyers?|analysts?)\b"
)


def says_who(text: str, end: int) -> bool:
    """The place name ending at ``end`` says who someone is, not where anything happened:
    "according to a Tripoli cleric", "Guantanamo Bay detention camp detainee"."""
    return bool(_ROLE_AFTER_RE.match(text, end))


def place_cue(text: str, start: int, end: int) -> bool:
    """A place-type noun around the span: "Misraba town", "the village of Misraba"."""
    return bool(
        _PLACE_AFTER_RE.match(text[end : end + 20])
        or _PLACE_BEFORE_RE.search(text[max(0, start - 30) : start])
    )


FACILITY_HEADS = frozenset(
    {
        "arena",
        "stadium",
        "bridge",
        "station",
        "airport",
        "square",
        "mosque",
        "hospital",
        "police",
        "constabulary",
        "council",
        "university",
        "market",
        "prison",
        "mall",
        "hotel",
        "palace",
        "cathedral",
        "church",
        "museum",
        "harbour",
        "harbor",
        "port",
        "dam",
        "refinery",
        "camp",
        "barracks",
        "base",
        "airbase",
        "checkpoint",
        "crossing",
    }
)
# Streets are named after towns too ("Haifa Street" in Baghdad), but the street is seldom
# in that town: resolution may look inside such a name, recognition takes no place out.
STREET_HEADS = frozenset({"street", "road"})

# Words of an institution named after the place it serves, which stands first ("Laurel
# County Sheriff's Office", "Gainesville Police Department"); the unit words that end
# such a place's name ("Walker County Sheriff": the place is "Walker County").
INSTITUTION_WORDS = frozenset(
    {"police", "sheriff", "fire", "county", "city", "schools", "school", "council",
     "commission", "commissioners", "board", "department", "hospital", "library",
     "court", "jail", "college", "university", "chamber", "airport", "public",
     "high", "middle", "elementary", "district", "township", "health", "transit",
     "emergency", "office", "state"}
)  # fmt: skip
INSTITUTION_UNITS = frozenset({"county", "parish", "township", "twp", "borough", "city", "state"})
