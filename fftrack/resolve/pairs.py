"""Pairwise evidence that two event reports are one event (``resolve.cluster``, pure).

What blocking and scoring read of a stored event (``EventFeatures``, ``features_from_row``,
``fallback_place``) and the score of a pair with its features (``score_pair``); the rules
are described in ``fftrack.resolve.cluster``. No SQL here: rows come from ``store.clusters``.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from fftrack.folding import strip_marks
from fftrack.geodesy import haversine_km
from fftrack.resolve.actors import ActorResolver, is_generic

THRESHOLD = 0.80
OPEN_BOUND = 1.25  # "at least 20" is read as 20-25 when comparing two sources' figures
UNSURE_DATE_CASUALTIES = 0.9  # not surely the same day: the figures must agree this well
OTHER_PROVINCE = 0.2  # two towns or districts a few km apart, in two first-level regions
WEIGHTS = {
    "type": 0.15,
    "sub_type": 0.15,
    "date": 0.25,
    "place": 0.25,
    "actors": 0.10,
    "casualties": 0.10,
}
COMPATIBLE_TYPES = {
    frozenset({"Explosions/Remote violence", "Violence against civilians"}),
    frozenset({"Protests", "Riots"}),
}
# Sub-types sources use for the same event ("a suicide bomber detonated a device" / "a bomb")
COMPATIBLE_SUB_TYPES = (
    ("Suicide bomb", "Remote explosive/landmine/IED", "Grenade"),
    ("Air/drone strike", "Shelling/artillery/missile attack"),
    ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    ("Violent demonstration", "Mob violence"),
)
_SUB_PAIRS = {
    frozenset({x, y}) for group in COMPATIBLE_SUB_TYPES for x in group for y in group if x != y
}
_DAY0 = date(2000, 1, 1).toordinal()
CLAIM_SUB_TYPE = "Attribution"  # a claim of responsibility (CASE 2021's class)
_PLACE_RADIUS_KM = {1: 5.0, 2: 30.0, 3: 150.0, 4: 800.0}
_DAY_PAD = {"day": 1, "week": 2, "month": 0, None: 0}
_CLUSTERABLE = {"day", "week", "month", None}
_DATE_RANK = {"day": 0, "week": 1, "month": 2, "season": 3, "year": 4, None: 5}


def _ord(d: str | None) -> int | None:
    if not d:
        return None
    try:
        return date.fromisoformat(d[:10]).toordinal() - _DAY0
    except ValueError:
        return None


@dataclass(frozen=True)
class EventFeatures:
    """What blocking and scoring read of one stored event."""

    id: str
    document_id: str
    event_type: str
    sub_event_type: str | None
    d0: int | None  # first day (days since 2000-01-01)
    d1: int | None  # last day
    date_precision: str | None
    lat: float | None
    lon: float | None
    place_precision: int | None
    geonameid: int | None
    country: str | None
    place_key: str | None
    actors: frozenset[str]
    fatalities: tuple[float, float] | None
    confidence: float
    admin1: str | None = None
    # names of the event's own place when it is fine (town/district) or unresolved, folded
    own_names: frozenset[str] = frozenset()
    # the words of the event's sentence, marks stripped (case kept): where another report's
    # place name is sought
    span_words: tuple[str, ...] = ()
    # the folded names of its place at any precision (a province's own name is no evidence)
    place_names: frozenset[str] = frozenset()
    published: int | None = None  # its document's publication day
    sentence_start: int | None = None  # where its sentence starts in its document
    trigger: str | None = None  # the words the extractor coded it from

    @property
    def claim(self) -> bool:
        """Whether the event is a claim of responsibility kept as a record of its own
        ("IS claimed the bombing in Karrada", beside the bombing it names)."""
        return self.sub_event_type == CLAIM_SUB_TYPE

    @property
    def told(self) -> bool:
        """Whether the event is dated its report's publication day by a sentence that
        reports speech ("the toll rose to 72, medics said on Wednesday"): the day it was
        told, maybe not the day it happened."""
        return (
            self.date_precision == "day"
            and self.d0 is not None
            and self.d0 == self.published
            and any(w in _SAYING for w in self.span_words)
        )

    @property
    def placed(self) -> bool:
        """Whether the event has coordinates of a town or district (a fine place)."""
        return self.lat is not None and self.lon is not None and (self.place_precision or 1) <= 2

    @property
    def clusterable(self) -> bool:
        return self.date_precision in _CLUSTERABLE and self.d0 is not None

    @property
    def radius(self) -> float:
        return _PLACE_RADIUS_KM.get(self.place_precision or 1, 5.0)

    def box(self) -> tuple[float, float, float, float, float, float]:
        pad = _DAY_PAD.get(self.date_precision, 0)
        d0 = float((self.d0 or 0) - pad)
        d1 = float((self.d1 or 0) + pad)
        if self.lat is None or self.lon is None:
            return (d0, d1, -90.0, 90.0, -180.0, 180.0)
        half = 2 * self.radius
        dlat = half / 111.0
        coslat = max(math.cos(math.radians(self.lat)), 0.01)
        dlon = min(half / (111.0 * coslat), 180.0)
        lo0, lo1 = self.lon - dlon, self.lon + dlon
        if lo0 < -180 or lo1 > 180:  # near the antimeridian: all longitudes (rare, safe)
            lo0, lo1 = -180.0, 180.0
        return (d0, d1, max(self.lat - dlat, -90.0), min(self.lat + dlat, 90.0), lo0, lo1)


# a figure given as a plural of a round number ("dozens of", "scores", "hundreds"): the
# extractor's value is its smallest reading; sources giving one event's toll as a number
# often give many times it
_VAGUE = re.compile(r"\s*(?:tens|dozens|scores|hundreds|thousands)\b", re.I)
VAGUE_SPAN = 10.0


def fatality_interval(q: dict[str, Any] | None) -> tuple[float, float] | None:
    """A reported number as the interval it allows ("about 40": 32-48; "at least 20":
    20-25; "dozens of", value 12: 12-120)."""
    if not q or q.get("value") is None:
        return None
    v = float(q["value"])
    if q.get("upper") is not None:
        return (v, float(q["upper"]))
    qual = q.get("qualifier") or "exact"
    if _VAGUE.match(str(q.get("text") or "")):
        return (v, v * VAGUE_SPAN)  # "dozens of": 12 or more, likely many more
    if qual == "about":
        return (v * 0.8, v * 1.2)
    if qual == "more_than":
        return (v + 1, max(v + 1, v * OPEN_BOUND))
    if qual == "at_least":
        return (v, v * OPEN_BOUND)
    if qual == "fewer_than":
        return (min(v / OPEN_BOUND, max(v - 1, 0.0)), max(v - 1, 0.0))
    if qual == "at_most":
        return (v / OPEN_BOUND, v)
    return (v, v)


_WORD = re.compile(r"[^\W\d_]+")
# verbs that report speech: a sentence with one may date the telling, not the event
_SAYING = frozenset({"said", "says", "told", "claimed", "announced", "stated", "confirmed"})
TOLD_DATE = 0.8  # a day apart, where the later date is a told day (``EventFeatures.told``)


def _unmarked(text: str) -> str:
    """``strip_marks(text)``; ASCII text (most news) is its own, without the per-character
    pass (NFKD leaves ASCII as it is, and no ASCII character is a combining mark)."""
    return text if text.isascii() else strip_marks(text)


def fold_name(name: str) -> str:
    """A place name as the named-place evidence compares it: marks stripped, case folded,
    one space between its words."""
    return " ".join(_WORD.findall(_unmarked(name).casefold()))


def sentence_words(text: str) -> tuple[str, ...]:
    """The words of ``text``, marks stripped, case kept (a name is sought among them)."""
    return tuple(_WORD.findall(_unmarked(text)))


def _fine_names(place: dict[str, Any]) -> set[str]:
    """The folded names (as written, as resolved) of a town/district-level or unresolved place."""
    if place.get("lat") is not None and (place.get("precision") or 1) > 2:
        return set()
    names = {fold_name(place.get("name") or ""), fold_name(place.get("resolved_name") or "")}
    return {n for n in names if len(n) >= 3}


def features_from_row(
    r: sqlite3.Row,
    resolver: ActorResolver,
    fallback: dict[str, Any] | None = None,
    *,
    actor_keys: dict[tuple[str, str | None], str | None] | None = None,
) -> EventFeatures:
    """Features of a stored event; ``fallback``: a place of its document to use when the
    event has none (read as at best district precision); ``actor_keys``: a cache of the
    resolver's answers (name, normalized) -> key, None for a generic name. The row's
    ``sentence`` (the event's sentence), where it has one, is where names are sought."""
    data = json.loads(r["data"])
    place = data.get("place") or {}
    own = _fine_names(place) if place else set()
    sentence = r["sentence"] if "sentence" in r.keys() else None
    words = sentence_words(sentence) if sentence else ()
    place_names = {fold_name(place.get(k) or "") for k in ("name", "resolved_name", "admin1")}
    lat, lon = r["lat"], r["lon"]
    country = r["country"]
    place_precision = place.get("precision")
    if (lat is None or lon is None) and fallback is not None:
        place = fallback
        lat, lon, country = fallback.get("lat"), fallback.get("lon"), fallback.get("country")
        place_precision = max(fallback.get("precision") or 1, 2)
    precision = r["date_precision"]
    d0, d1 = _ord(r["date_start"]), _ord(r["date_end"])
    if precision is None:
        pub = _ord(r["published"]) if r["published"] else d1
        if pub is not None:
            d0, d1 = pub - 6, pub
    cache = {} if actor_keys is None else actor_keys
    keys: set[str] = set()
    for a in data.get("actors") or []:
        name, norm = a.get("name") or "", a.get("normalized")
        if not (name or norm) or a.get("kind") == "civilians":
            continue
        if (name, norm) not in cache:
            generic = is_generic(norm or name)
            cache[(name, norm)] = None if generic else resolver.key(name, norm)
        k = cache[(name, norm)]
        if k is not None:
            keys.add(k)
    actors = frozenset(keys)
    pkey = place.get("resolved_name") or place.get("name")
    return EventFeatures(
        id=r["id"],
        document_id=r["document_id"],
        event_type=r["event_type"],
        sub_event_type=r["sub_event_type"],
        d0=d0,
        d1=d1,
        date_precision=precision,
        lat=lat,
        lon=lon,
        place_precision=place_precision,
        geonameid=place.get("geonameid"),
        country=(country or "").upper() or None,
        place_key=" ".join(pkey.casefold().split()) if pkey else None,
        actors=actors,
        fatalities=fatality_interval(data.get("fatalities")),
        confidence=float(r["confidence"] or 0.0),
        admin1=" ".join(str(place["admin1"]).casefold().split()) if place.get("admin1") else None,
        own_names=frozenset(own),
        span_words=words,
        place_names=frozenset(n for n in place_names if n),
        published=_ord(r["published"]) if r["published"] else None,
        sentence_start=r["sentence_start"] if "sentence_start" in r.keys() else None,
        trigger=data.get("trigger"),
    )


def fallback_place(places: Sequence[sqlite3.Row], sentence_start: int) -> dict[str, Any] | None:
    """A place for an event the extractor gave none: the most precise resolved place of
    its sentence, else the document's only town-or-district-level place (if it has one)."""
    same = [json.loads(p["data"]) for p in places if p["sentence_start"] == sentence_start]
    if same:
        return min(same, key=lambda d: (d.get("precision") or 5, d.get("start") or 0))
    fine = [json.loads(p["data"]) for p in places]
    fine = [d for d in fine if (d.get("precision") or 5) <= 2]
    ids = {d.get("geonameid") or d.get("resolved_name") for d in fine}
    if len(ids) == 1:
        return min(fine, key=lambda d: d.get("start") or 0)
    return None


def _date_score(a: EventFeatures, b: EventFeatures) -> float:
    assert a.d0 is not None and a.d1 is not None and b.d0 is not None and b.d1 is not None
    gap = max(a.d0, b.d0) - min(a.d1, b.d1)  # <= 0: the periods overlap
    if a.date_precision == "day" and b.date_precision == "day":
        if gap == 1 and (a if a.d0 > b.d0 else b).told:
            return TOLD_DATE
        return 1.0 if gap <= 0 else (0.4 if gap == 1 else 0.0)
    if gap > 0:
        pads = _DAY_PAD.get(a.date_precision, 0) + _DAY_PAD.get(b.date_precision, 0)
        return 0.3 if gap <= pads else 0.0
    coarsest = max(
        (a.date_precision, b.date_precision), key=lambda p: _DATE_RANK.get(p, 5) if p else 1.5
    )
    return {"week": 0.75, "month": 0.6, None: 0.7}.get(coarsest, 0.7)


def _written(name: str, words: tuple[str, ...]) -> bool:
    """Whether a folded place name is written in ``words`` on its own: its words in a row,
    the first and the last capitalised, one letter of slack in a long word (Maelbeek /
    Maalbeek), and not one of a list of names ("the towns of Zamalka, Otaya and
    Hamouriya", "between Beit Sawa and Hamouriya"), which says no more than "near"."""
    parts = name.split()
    k = len(parts)
    if not k:
        return False
    for i in range(len(words) - k + 1):
        if not (_cap(words, i) and _cap(words, i + k - 1)):
            continue
        if all(_same_word(parts[j], words[i + j].casefold()) for j in range(k)):
            if not _listed(words, i, i + k):
                return True
    return False


def _cap(words: tuple[str, ...], i: int) -> bool:
    return 0 <= i < len(words) and words[i][:1].isupper()


def _listed(words: tuple[str, ...], i: int, j: int) -> bool:
    """Whether ``words[i:j]`` stands beside another name (punctuation is not kept)."""
    if _cap(words, j) or (i > 0 and _cap(words, i - 1)):
        return True
    after = j < len(words) and words[j] in _JOINERS and _cap(words, j + 1)
    before = i >= 2 and words[i - 1] in _JOINERS and _cap(words, i - 2)
    return after or before or (i >= 1 and words[i - 1] == "between")


_JOINERS = frozenset({"and", "or"})


def _same_word(a: str, b: str) -> bool:
    return a == b or (len(a) >= 7 and abs(len(a) - len(b)) <= 1 and _edit1(a, b))


def _edit1(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by at most one substitution, insertion or deletion."""
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def named_place(a: EventFeatures, b: EventFeatures) -> float:
    """Evidence from names that ``a``, an event without coordinates, is where ``b`` is: 0.8
    when the venue or district ``a`` names (unresolved) is ``b``'s place, part of its
    name ("Baghouz", "al-Baghuz Fawqani") or written in ``b``'s sentence; 0.6 when ``b``'s
    place is written in ``a``'s sentence; else 0."""
    if any(
        n in b.own_names or _part_of(n, b.own_names) or _written(n, b.span_words)
        for n in a.own_names
    ):
        return 0.8
    if any(_written(n, a.span_words) for n in b.own_names):
        return 0.6
    return 0.0


def _part_of(name: str, others: frozenset[str]) -> bool:
    """Whether the folded ``name`` is the words of another name in a row, one letter of
    slack in a long word, the other's Arabic article aside: "baghouz" in "al baghuz
    fawqani" (Upper Baghuz)."""
    parts = [w for w in name.split() if w not in _ARTICLES]
    if len("".join(parts)) < 4:
        return False
    for other in others:
        words = [w for w in other.split() if w not in _ARTICLES]
        for i in range(len(words) - len(parts) + 1):
            if all(_same_word(parts[j], words[i + j]) for j in range(len(parts))):
                return True
    return False


_ARTICLES = frozenset({"al", "el", "ad", "an", "ar", "as", "ash", "at", "az"})


def named_town(a: EventFeatures, b: EventFeatures) -> float:
    """Evidence from names that ``a``, an event placed in a province or country only, is
    where ``b`` is: 0.8 when its sentence writes ``b``'s town or district (not a name of
    its own province: "an air strike on Hass, a village in Idlib province"), else 0."""
    names = b.own_names - a.place_names
    return 0.8 if any(_written(n, a.span_words) for n in names) else 0.0


def _place_score(a: EventFeatures, b: EventFeatures) -> float:
    score = _coordinate_place_score(a, b)
    if score == 0.0 or (a.placed and b.placed):
        return score  # two town/district places: their coordinates say it all
    if not a.placed and not b.placed:
        # neither placed finer than a province: the venue or village one names is the
        # other's own, or written in its sentence ("Baghouz" / "the fall of Baghouz")
        return max(score, named_place(a, b), named_place(b, a))
    weak, fine = (b, a) if a.placed else (a, b)
    if weak.lat is None:
        return max(score, named_place(weak, fine))
    return max(score, named_town(weak, fine))


def _two_provinces(a: EventFeatures, b: EventFeatures) -> bool:
    return bool(a.admin1 and b.admin1 and a.admin1 != b.admin1)


def _coordinate_place_score(a: EventFeatures, b: EventFeatures) -> float:
    if a.country and b.country and a.country != b.country:
        return 0.0
    if a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None:
        if a.geonameid is not None and a.geonameid == b.geonameid:
            return 1.0
        d = haversine_km(a.lat, a.lon, b.lat, b.lon)
        pa, pb = a.place_precision or 1, b.place_precision or 1
        if pa <= 1 and pb <= 1:
            if a.place_key and a.place_key == b.place_key and d <= 10:
                return 1.0
            if d <= 2:
                return 0.9
            if d > 10:
                return 0.0
            return OTHER_PROVINCE if _two_provinces(a, b) else 0.4
        coarse = max(pa, pb)
        if coarse == 2 and d > 2 and d <= _PLACE_RADIUS_KM[2] and _two_provinces(a, b):
            return OTHER_PROVINCE  # two towns or districts near each other, in two provinces
        if coarse == 3 and a.admin1 and b.admin1:  # a region: containment, not distance
            return 0.6 if a.admin1 == b.admin1 else 0.0
        if coarse >= 4:
            return 0.45  # the same country (checked above)
        r = _PLACE_RADIUS_KM.get(coarse, 5.0)
        if d <= r:
            return {2: 0.8, 3: 0.6}.get(coarse, 0.45)
        return 0.3 if d <= 2 * r else 0.0
    if a.place_key and b.place_key:
        if a.place_key == b.place_key:
            return 0.8
    if a.country and b.country:
        return 0.35
    if a.place_key is None and b.place_key is None and not a.country and not b.country:
        return 0.2
    return 0.2


def _actor_score(a: EventFeatures, b: EventFeatures) -> float:
    if not a.actors or not b.actors:
        return 0.5
    return len(a.actors & b.actors) / min(len(a.actors), len(b.actors))


def _casualty_score(a: EventFeatures, b: EventFeatures) -> float:
    if a.fatalities is None or b.fatalities is None:
        return 0.6
    lo = max(a.fatalities[0], b.fatalities[0])
    hi = min(a.fatalities[1], b.fatalities[1])
    if lo <= hi:
        return 1.0
    # apart: hi < lo; the smaller interval's top over the larger one's bottom
    return max(0.0, (hi + 1) / (lo + 1))


def toll_rose(a: EventFeatures, b: EventFeatures) -> bool:
    """Whether one of the two is a later look back, dated to the month, at a day inside its
    month that the other tells, with a toll no lower ("Last month's car bombing, which
    killed 19" after "at least 12 were killed on Thursday"): tolls rise as the dead are
    counted, so the figures are no sign of two events there."""
    for day, month in ((a, b), (b, a)):
        if day.date_precision != "day" or month.date_precision != "month":
            continue
        d, lo, hi = day.d0, month.d0, month.d1
        told, looked_back = day.published, month.published
        if d is None or lo is None or hi is None or told is None or looked_back is None:
            continue
        if day.fatalities is None or month.fatalities is None:
            continue
        if lo <= d <= hi and looked_back > told and month.fatalities[0] >= day.fatalities[0]:
            return True
    return False


# the words an attack on people is coded from when the report names no means ("the number
# of people killed in Monday's attacks"): a report of a bombing may well tell it so
_BARE_ATTACK = re.compile(r"(?:attack(?:s|ed|ing)?|kill(?:s|ed|ing)?|assaults?)", re.I)
# what a report names when it tells how people were attacked (a gunman, a knife, a lorry):
# then an attack is not the bombing another report tells. Word beginnings: a few words
# they also begin ("carried", "firefighters") only keep more pairs apart
_MEANS = re.compile(
    r"(?:gun|shot|shoot|fire|rifle|pistol|sniper|stab|knife|knives|machete|axe|sword|ramm"
    r"|lorry|lorries|truck|van|vans|car|cars|vehicle|behead|execut|hang|burn|beat|club)",
    re.I,
)
UNTOLD_MEANS_SUB_TYPE = 0.6  # as where a sub-type is missing


# the act named as such, not who did it: "killed in Monday's attacks" (a report that tells
# who killed, "a militia killed a civilian", tells another act than a bombing)
_ATTACK_NOUNS = frozenset({"attack", "attacks", "assault", "assaults"})


def untold_means(f: EventFeatures) -> bool:
    """Whether ``f`` is an attack on people coded from a bare word ("attacks", "killed")
    whose sentence names the act only as an attack ("the number of people killed in
    Monday's attacks") and no means: what a report of a bombing also reads as."""
    if f.event_type != "Violence against civilians" or f.sub_event_type != "Attack":
        return False
    if not f.trigger or not _BARE_ATTACK.fullmatch(f.trigger.strip()):
        return False
    if not any(w.casefold() in _ATTACK_NOUNS for w in f.span_words):
        return False
    return not any(_MEANS.match(w) for w in f.span_words)


def _one_attack(a: EventFeatures, b: EventFeatures, feats: dict[str, float]) -> bool:
    """Whether an attack told without its means (``untold_means``) and an explosion are
    one event: both in one town (the same place, or within 2 km), the same day."""
    if {a.event_type, b.event_type} != {"Violence against civilians", _EXPLOSIONS}:
        return False
    if not (untold_means(a) or untold_means(b)):
        return False
    towns = (a.place_precision or 1) <= 1 and (b.place_precision or 1) <= 1
    return towns and a.placed and b.placed and feats["date"] == 1.0 and feats["place"] >= 0.9


_EXPLOSIONS = "Explosions/Remote violence"


def score_pair(a: EventFeatures, b: EventFeatures) -> tuple[float, dict[str, float]]:
    """Score of two events being one (0 when a hard feature vetoes), and the features."""
    if a.id > b.id:
        a, b = b, a  # symmetric by construction
    if a.event_type == b.event_type:
        t = 1.0
    elif frozenset({a.event_type, b.event_type}) in COMPATIBLE_TYPES:
        t = 0.5
    else:
        return 0.0, {"type": 0.0}
    if not (a.clusterable and b.clusterable):
        return 0.0, {"type": t, "date": 0.0}
    if a.sub_event_type and b.sub_event_type:
        if a.sub_event_type == b.sub_event_type:
            s = 1.0
        elif frozenset({a.sub_event_type, b.sub_event_type}) in _SUB_PAIRS:
            s = 0.5
        else:
            s = 0.0
    else:
        s = 0.6
    feats = {
        "type": t,
        "sub_type": s,
        "date": _date_score(a, b),
        "place": _place_score(a, b),
        "actors": _actor_score(a, b),
        "casualties": _casualty_score(a, b),
    }
    if feats["date"] == 0.0 or feats["place"] == 0.0:
        return 0.0, feats
    if t < 1.0 and _one_attack(a, b, feats):
        # "Monday's attacks in Jableh" in a report of the bombings: one act, the means untold
        t, s = 1.0, UNTOLD_MEANS_SUB_TYPE
        feats.update(type=t, sub_type=s)
    if (
        feats["date"] < 1.0
        and a.fatalities is not None
        and b.fatalities is not None
        and feats["casualties"] < UNSURE_DATE_CASUALTIES
        and not toll_rose(a, b)
    ):
        return 0.0, feats  # not surely the same day, and different tolls: two events
    total = sum(WEIGHTS[k] * v for k, v in feats.items())
    if s == 0.0:
        total *= 0.75
    if t < 1.0:
        total *= 0.8
    return round(total, 4), {k: round(v, 4) for k, v in feats.items()}
