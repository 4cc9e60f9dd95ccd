"""Toponym resolution: rank gazetteer candidates for each toponym of a document.

``geo.resolve.v2`` is an explainable linear score over features (v1 had no ``cohere``):

``prior``       log10 of the (feature-adjusted) population: big, important places first
``match``       how the name matched: primary name 0, alternate name, consonant skeleton
``capital``     national capital
``cue``         an admin-level cue written with the name ("Anbar province", "Kitaf
                district", "Hamilton County", "the city of ...") agreeing with the feature
``container``   "Manchester, New Hampshire": the next toponym contains the candidate
``country``     share of the document's other toponyms (first pass) and demonyms
                ("British fighters") in the candidate's country
``near``        distance to the other toponyms' first-pass winners
``border``      "on the Syria-Iraq border": candidate's country is one of the two named
``cohere``      another name of the text has a candidate within 80 km of this one (or, for a
                country or state, inside it): joint support among all candidates, not only
                the first choices

``geo.resolve.v3`` ranks villages, which have no population (GeoNames' dumps added with
``fftrack gazetteer add``): ``variant`` (a transliteration that differs in vowels, doubled
letters or a dropped ``h``: "Saraqab"/"Saraqib", weaker than a name match but far stronger
than a skeleton), containment by GeoNames admin codes ("X in southern Idlib" holds every
place of Idlib governorate, not only those near the city), ``holds`` (the container
reading that holds the contained name's candidates: "Idleb" as the governorate),
``near_of`` ("X, north of Aleppo": within 80 km, the ``near_km`` of the mention), and
``added`` (a town of a country whose GeoNames dump the user added: the countries the user
works on, where the gazetteer knows the villages).

``geo.resolve.v4`` adds ``translit`` (kind ``KIND_VARIANT``): a place of an added country
found only by a spelling rule (``fftrack.geo.normalize.variant_names``: "Western Ghariyeh"
for Ghariyah al Gharbiyah, "Dahiet Elasad" for Dahiyat al Asad), weaker than ``variant``;
in the added countries, vowel-folded and skeleton matches are candidates even where the
name itself matches elsewhere ("Shafa" in Iran does not hide Ash Sha'fah in Syria); and,
once villages are added, a near spelling of a town outside the added countries has no more
``prior`` than a village (nor ``capital``): "Hamouriya" is Hammurah near Damascus, not
Hamura in Japan, "Hezzeh" is not Pyongyang; and ``spelling`` (once villages are added): among
near spellings, the more alike by edit similarity ("Hamouriya": Hammurah before Humayrah);
a village of an added country found only by a near spelling does not vote on the others'
country and distance.

``geo.resolve.v5``: outside the added countries, a vowel-folded or skeleton candidate must
be alike in spelling (rapidfuzz ratio of light keys >= 0.6, and no more than 0.2 below the
most alike: "Manchester Arena" is not Bitola, "Hawija" is Al Hawijah, not Hajiawa); a name
found as written is not moved to a container found only by a skeleton ("Deir ez-Zor, near
Tal Barouk").

``geo.resolve.v6``: the groups and forces a text names vote on its places' country as
its demonyms do (``demonym``): armed groups by the actor table's home country ("Houthi
fighters" YE, "QSD" SY), and state forces named without their country ("regime forces");
forces named by their country ("US forces", "Turkish warplanes") often fight abroad and
do not vote. Recognition reads transliterations with an apostrophe ("Dar'a", "Izra'
town"), an article in lower case before a place noun ("the town of al-Latamna"), compass
words ("southeast Idleb") and "the vicinity of X" as place cues, and leaves out acronyms
that the gazetteer knows only as small places ("AAS", Ahrar al-Sham, is not Ås).

``geo.resolve.v7``: a name written with an Arabic article and a hyphen ("al-Hol", "el-Bab")
is an Arabic name: a place found as written once the article is dropped ("Hol" in Norway)
is a reading of it only in a country with Arabic among its languages (the countryinfo
package's data), in the countries the user added, or where the gazetteer's own name has the
article; near spellings abroad keep v5's test.

Every Place keeps its score and the non-zero features.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from fftrack.geo.gazetteer import (
    KIND_ALT,
    KIND_FOLD,
    KIND_PRIMARY,
    KIND_SKELETON,
    KIND_VARIANT,
    Entry,
    Gazetteer,
)
from fftrack.geo.normalize import (
    ARTICLES,
    fold_key,
    name_key,
    strip_admin_suffix,
    variant_names,
)
from fftrack.geodesy import EARTH_RADIUS_KM, haversine_km

# v2: joint support ("cohere"); v3: villages; v4: spelling variants in the added countries;
# v5: fuzzy matches abroad alike in spelling; v6: the countries of the groups a text names;
# v7: a name written with an Arabic article is no place abroad found without it; (in the
# geoparser) near spellings abroad are no context for each other's fallback, and one that
# nothing supports is unresolved; a place written before a big city with a comma ("La
# Rambla, Barcelona") is in the city; v8: an unknown name is not placed at a town that
# says who someone is ("near X, according to a Tripoli cleric")
RESOLVER_NAME = "geo.resolve.v9"

W = {
    "prior": 1.0,
    "alt": -0.4,
    "skeleton": -1.6,
    "variant": -0.6,
    "translit": -1.0,
    "spelling": 2.5,
    "holds": 1.0,
    "added": 0.8,
    "capital": 0.6,
    "cue": 3.0,
    "cue_miss": -1.0,
    "container": 3.0,
    "country": 2.2,
    "demonym": 1.0,
    "near": 2.0,
    "region": 1.5,
    "border": 1.5,
    "cohere": 1.5,
}
_FUZZY_KINDS = (KIND_SKELETON, KIND_FOLD, KIND_VARIANT)
_VILLAGE_PRIOR = math.log10(1000.0 + 10.0)  # entry_prior of a place without population
COHERE_KM = 80.0  # another name of the text has a candidate this close: they support each other
COHERE_TOP = 8  # candidates of each other name that may support

# prior population of entries that carry none (curated regions, rivers, continents)
_FEATURE_PRIOR_POP = {
    "L.CONT": 5e8,
    "L.RGN": 2e6,
    "H.STM": 1e6,
    "H.SEA": 1e6,
    "H.GULF": 1e6,
    "T.MTS": 3e5,
    "A.ADM2": 1e5,
}
_ADMIN1_CUES = {
    "province",
    "provinces",
    "governorate",
    "governorates",
    "state",
    "region",
    "oblast",
    "muhafazah",
    "muhafazat",
    "prefecture",
}
_ADMIN2_CUES = {
    "district",
    "districts",
    "county",
    "parish",
    "subdistrict",
    "sub district",
    "qada",
    "qadaa",
    "nahiya",
    "nahiyah",
}
_TOWN_CUES = {"city", "town", "village"}


@lru_cache(maxsize=65536)
def _spellings(text: str) -> tuple[str, ...]:
    base = strip_admin_suffix(text.strip().strip(".,;:'\""))[0]
    return (name_key(base), *variant_names(base))


def _spelling_similarity(text: str, name: str) -> float:
    """How alike (0..1, rapidfuzz's normalised Indel similarity) a mention and a gazetteer
    name are, as written or as one of its spelling variants, by their light keys."""
    from rapidfuzz.fuzz import ratio

    k = name_key(name)
    return max(float(ratio(q, k)) for q in _spellings(text)) / 100.0


@dataclass
class Mention:
    """A toponym to resolve, with the context cues read around it."""

    start: int
    end: int
    text: str
    cue: str | None = None  # "province", "district", "city", ... written with the name
    container: int | None = None  # index of a following ", X" mention that may contain it
    container_kind: str = ""  # "comma" ("Manchester, New Hampshire") or "in" ("X town in Y")
    border: tuple[str, ...] = ()  # countries of an "X-Y border" phrase around it
    near_km: float = 0.0  # "X, 20 km north of Y": X lies this close to its container
    direction: str = ""  # "eastern Deir ez-Zor", "north of Aleppo": "e", "n", "ne", ...
    offset_km: float = 0.0  # "X, 20 km north of Y": how far from Y the text puts X
    bearing: float | None = None  # ... and towards where (degrees from north)
    candidates: list[tuple[Entry, int]] = field(default_factory=list)


@dataclass
class Resolution:
    entry: Entry | None
    score: float
    features: dict[str, float]
    confidence: float
    runner_up: tuple[Entry, float, dict[str, float]] | None = None


def entry_prior(e: Entry) -> float:
    pop = float(e.population or 0)
    f = e.feature
    if f in ("A.ADM1", "A.ADM2"):
        pop *= 0.3 if f == "A.ADM1" else 0.15
    if pop <= 0:
        pop = _FEATURE_PRIOR_POP.get(f, 1000.0)
    if f == "A.PCLI":
        pop = max(pop, 1e6) * 3
    return math.log10(pop + 10.0)


def mention_candidates(gaz: Gazetteer, text: str) -> tuple[list[tuple[Entry, int]], str | None]:
    """Candidates for a toponym as written, and an admin cue found in it."""
    clean = text.strip().strip(".,;:'\"")
    if clean.lower().startswith("the "):
        clean = clean[4:]
    if clean.endswith("'s") or clean.endswith("\u2019s"):
        clean = clean[:-2]
    dem = gaz.demonym_entry(clean)
    if dem is not None:
        return [(dem, KIND_PRIMARY)], None
    cands = gaz.candidates(clean)
    base, cue = strip_admin_suffix(clean)
    if cue is not None:
        more = gaz.candidates(base)
        seen = {e.id for e, _ in cands}
        cands = cands + [(e, k) for e, k in more if e.id not in seen]
    if _ARTICLE_FIRST.match(clean) and clean.split("-")[0].lower() in ARTICLES:
        # "al-Hol" is an Arabic name: not Hol in Norway, found as written once the article
        # is dropped (near spellings abroad have their own test: ``_FUZZY_KINDS``)
        added = gaz.added_countries
        cands = [
            (e, k)
            for e, k in cands
            if k in _FUZZY_KINDS or _named_in_arabic(e) or e.country in added
        ]
    return cands, cue


# an Arabic article written before a name with a hyphen, in lower case ("al-Hol", "el-Bab")
_ARTICLE_FIRST = re.compile(r"[a-z]{1,3}-\w")


def _named_in_arabic(e: Entry) -> bool:
    """Whether a place may bear an Arabic name: in a country with Arabic as a language, or
    with an article in the gazetteer's own name ("Al Mayadin"), or with no country."""
    if not e.country or e.country in _arabic_countries():
        return True
    first = re.split(r"[\s\-\u2019']", e.name.strip(), maxsplit=1)[0].lower()
    return first in ARTICLES


@lru_cache(maxsize=1)
def _arabic_countries() -> frozenset[str]:
    """Countries with Arabic among their languages (the countryinfo package's data)."""
    from fftrack.geo.gazetteer import _countryinfo

    return frozenset(cc for cc, d in _countryinfo().items() if "ar" in (d.get("languages") or []))


class Resolver:
    """Ranks candidates for all mentions of one document jointly (two passes)."""

    name = RESOLVER_NAME

    def __init__(self, gazetteer: Gazetteer, max_candidates: int = 60) -> None:
        self.gaz = gazetteer
        self.max_candidates = max_candidates

    def _local(self, m: Mention, e: Entry, kind: int) -> dict[str, float]:
        f: dict[str, float] = {"prior": W["prior"] * entry_prior(e)}
        if kind == KIND_ALT:
            f["alt"] = W["alt"]
        elif kind == KIND_SKELETON:
            f["skeleton"] = W["skeleton"]
            f["prior"] *= 0.6  # a fuzzy match: do not let size alone pick a far-away city
        elif kind == KIND_FOLD:
            f["variant"] = W["variant"]
            f["prior"] *= 0.6
        elif kind == KIND_VARIANT:
            f["translit"] = W["translit"]
            f["prior"] *= 0.6
        added = self.gaz.added_countries
        far_variant = kind in _FUZZY_KINDS and bool(added) and e.country not in added
        if far_variant:
            # a near spelling of a town abroad, where the user added the villages of the
            # countries they work on: its size says little about whether it was meant
            # ("Hamouriya" is not Hamura in Japan), so no more prior than a village's
            f["prior"] = min(f["prior"], W["prior"] * 0.6 * _VILLAGE_PRIOR)
        if kind in _FUZZY_KINDS and added:
            # among near spellings, the nearer one ("Hamouriya": Hammurah before Humayrah)
            f["spelling"] = W["spelling"] * (_spelling_similarity(m.text, e.name) - 1.0)
        if e.feature == "P.PPLC" and not far_variant:
            f["capital"] = W["capital"]
        if m.cue:
            cue = m.cue.lower()
            ok = (
                (cue in _ADMIN1_CUES and e.feature in ("A.ADM1", "L.RGN"))
                or (cue in _ADMIN2_CUES and e.feature in ("A.ADM2", "A.ADM1"))
                or (cue in _TOWN_CUES and e.feature.startswith("P"))
                or cue in ("countryside", "area", "areas")
            )
            if ok:
                f["cue"] = W["cue"]
            elif cue in _ADMIN1_CUES | _ADMIN2_CUES:
                f["cue_miss"] = W["cue_miss"]
        if m.border and e.country in m.border:
            f["border"] = W["border"]
        if e.country in self.gaz.added_countries and e.feature.startswith("P") and not e.population:
            f["added"] = W["added"]
        return f

    def resolve(
        self, mentions: Sequence[Mention], demonym_countries: Counter[str] | None = None
    ) -> list[Resolution]:
        demonym_countries = demonym_countries or Counter()
        # candidates, trimmed to the best by local score
        local: list[list[tuple[Entry, dict[str, float]]]] = []
        for m in mentions:
            scored = [(e, self._local(m, e, kind)) for e, kind in m.candidates]
            scored.sort(key=lambda x: -sum(x[1].values()))
            # the same place may come twice (primary and alternate name): keep the best
            seen: set[int] = set()
            uniq = []
            for e, f in scored:
                if e.id not in seen:
                    seen.add(e.id)
                    uniq.append((e, f))
            local.append(_trim(uniq, self.max_candidates))

        # container cue ("Manchester, New Hampshire", "X town in southern Idlib"): the
        # candidates inside one of the container's readings gain ``container``, and the
        # readings of the container that hold some candidate gain ``holds``
        for i, m in enumerate(mentions):
            if m.container is None or not local[i]:
                continue
            cont = [e for e, _ in local[m.container][:6]]
            direction = mentions[m.container].direction
            held: set[int] = set()
            for rank, (e, f) in enumerate(local[i]):
                inside = [c for c in cont if contains(c, e, m.near_km, regional=True)]
                if not inside:
                    continue
                # "X in eastern Deir ez-Zor": a namesake in the west of it is a weaker reading
                if direction and not any(_lies_towards(c, e, direction) for c in inside):
                    continue
                f["container"] = W["container"]
                if rank < 3 and "skeleton" not in f:
                    held.update(c.id for c in inside)
            for c, f in local[m.container]:
                if c.id in held:
                    f["holds"] = W["holds"]
        keys = [name_key(m.text) for m in mentions]
        _cohere(local, keys)
        winners: list[Entry | None] = [
            max(c, key=lambda x: sum(x[1].values()))[0] if c else None for c in local
        ]
        out: list[Resolution] = []
        voted: list[Entry | None] | None = None
        for _round in range(2):
            voters = _voters(self.gaz, local, winners)
            if voted is not None and all(a is b for a, b in zip(voters, voted, strict=True)):
                break  # the same votes as the round before: the same result
            out = self._rescore(local, voters, keys, demonym_countries)
            voted, winners = voters, [r.entry for r in out]
        return out

    def _rescore(
        self,
        local: list[list[tuple[Entry, dict[str, float]]]],
        winners: list[Entry | None],
        keys: list[str],
        demonym_countries: Counter[str],
    ) -> list[Resolution]:
        # one vote per distinct name: repeated mentions of one name must not vote for themselves
        by_name: dict[str, Entry] = {}
        for k, e in zip(keys, winners, strict=True):
            if e is not None and k not in by_name:
                by_name[k] = e
        n_dem = sum(demonym_countries.values())
        # what the other names say depends only on a mention's own name: computed once per
        # name, from totals less the name's own vote (linear in the mentions of a long text)
        all_country = Counter(e.country for e in by_name.values() if e.country)
        all_region = Counter(_region_key(e) for e in by_name.values() if _has_region(e))
        first_anchors = [(k, a) for k, a in by_name.items() if a.feature not in _NOT_ANCHORS][:61]
        context: dict[str, tuple[int, Counter[str], Counter[tuple[str, str]], list[Entry]]] = {}
        near_memo: dict[tuple[str, int], float | None] = {}
        anchor_points: dict[str, list[tuple[int, float, float, float]]] = {}
        out: list[Resolution] = []
        for i, cands in enumerate(local):
            if not cands:
                out.append(Resolution(None, 0.0, {}, 0.0))
                continue
            key = keys[i]
            if key not in context:
                own = by_name.get(key)
                country_count, region_count = all_country, all_region
                if own is not None and own.country:
                    country_count = all_country - Counter([own.country])
                    if _has_region(own):
                        region_count = all_region - Counter([_region_key(own)])
                anchors = [a for k, a in first_anchors if k != key][:60]
                context[key] = (
                    len(by_name) - (own is not None),
                    country_count,
                    region_count,
                    anchors,
                )
            n_others, country_count, region_count, anchors = context[key]
            final: list[tuple[float, Entry, dict[str, float]]] = []
            for e, f0 in cands:
                f = dict(f0)
                if n_others and e.country:
                    cnt = country_count.get(e.country, 0)
                    if cnt:
                        f["country"] = W["country"] * min(1.0, cnt / min(n_others, 4))
                    if e.feature not in ("A.PCLI", "L.CONT"):
                        rkey = _region_key(e)
                        rc = region_count.get(rkey, 0)
                        if rc and rkey[1]:
                            f["region"] = W["region"] * min(1.0, rc / 2)
                if n_dem and e.country in demonym_countries:
                    f["demonym"] = W["demonym"] * min(
                        1.0, demonym_countries[e.country] / n_dem + 0.3
                    )
                if anchors and e.feature in ("A.PCLI", "A.ADM1"):
                    if any(_contains(e, a) for a in anchors):
                        f["near"] = W["near"] * 0.8
                elif anchors and e.feature != "L.CONT":
                    memo = (key, id(e))
                    if memo not in near_memo:
                        points = anchor_points.get(key)
                        if points is None:
                            points = anchor_points[key] = _points(anchors)
                        near_memo[memo] = _nearest_km(e, points)
                    d = near_memo[memo]
                    if d is not None:
                        f["near"] = W["near"] / (1.0 + d / 100.0)
                final.append((sum(f.values()), e, f))
            final.sort(key=lambda x: -x[0])
            best_s, best_e, best_f = final[0]
            second = final[1][0] if len(final) > 1 else best_s - 5.0
            conf = 1.0 / (1.0 + math.exp(-(best_s - second)))
            weak = "skeleton" in best_f or "variant" in best_f or "translit" in best_f
            conf *= 0.9 if weak else 1.0
            ru = (final[1][1], final[1][0], final[1][2]) if len(final) > 1 else None
            out.append(
                Resolution(
                    best_e, best_s, {k: round(v, 4) for k, v in best_f.items() if v}, conf, ru
                )
            )
        return out


def _points(anchors: list[Entry]) -> list[tuple[int, float, float, float]]:
    """Anchors as ``_nearest_km`` reads them: id, latitude in radians, its cosine,
    longitude in degrees (what ``haversine_km`` computes of them, once)."""
    out = []
    for a in anchors:
        p2 = math.radians(a.lat)
        out.append((a.id, p2, math.cos(p2), a.lon))
    return out


def _nearest_km(e: Entry, points: list[tuple[int, float, float, float]]) -> float | None:
    """The distance from ``e`` to the nearest anchor: ``haversine_km``'s arithmetic, step
    for step (the same figure to the last bit), with the anchor's terms computed once per
    anchor instead of once per pair. An anchor that is ``e`` itself (another name of the
    text resolved to the same place: "Aleppo City" beside "Aleppo") is at 0 km: without
    it the province around the town gained ``near`` from holding it, the town nothing."""
    sin, radians = math.sin, math.radians
    p1 = radians(e.lat)
    c1 = math.cos(p1)
    lon1 = e.lon
    best: float | None = None
    for aid, p2, c2, lon2 in points:
        if aid == e.id:
            return 0.0
        dp = p2 - p1
        dl = radians(lon2 - lon1)
        a = sin(dp / 2) ** 2 + c1 * c2 * sin(dl / 2) ** 2
        d = 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
        if best is None or d < best:
            best = d
    return best


_NOT_ANCHORS = ("L.CONT", "A.PCLI", "L.RGN")
_FUZZY_FEATURES = ("skeleton", "variant", "translit")


def _voters(
    gaz: Gazetteer,
    local: list[list[tuple[Entry, dict[str, float]]]],
    winners: list[Entry | None],
) -> list[Entry | None]:
    """The winners that vote on the others' country, region and distance. Once villages
    are added, a village of an added country found only by a near spelling does not: near
    spellings of several names in one village country would otherwise vote each other in
    ("New Quay" and "Gwbert" of Wales as villages of Pakistan)."""
    if not gaz.added_countries:
        return winners
    out: list[Entry | None] = []
    for cands, w in zip(local, winners, strict=True):
        f = next((f for e, f in cands if w is not None and e.id == w.id), {})
        fuzzy = any(k in f for k in _FUZZY_FEATURES)
        out.append(None if fuzzy and w is not None and w.country in gaz.added_countries else w)
    return out


def _region_key(e: Entry) -> tuple[str, str]:
    return (e.country or "", name_key(e.name if e.feature == "A.ADM1" else e.admin1))


def _has_region(e: Entry) -> bool:
    return bool(e.country) and e.feature not in ("A.PCLI", "L.CONT")


def _cohere(local: list[list[tuple[Entry, dict[str, float]]]], keys: list[str]) -> None:
    """Joint support: a candidate near a candidate of another name of the text ("Hopkinton"
    in New Hampshire beside "Concord" and "Hillsboro") gains ``cohere``, by the share of the
    other names that support it. Unlike ``near`` it does not trust the other names' first
    choices, so a text of small towns can outvote the big namesakes of each."""
    names = {k for k, c in zip(keys, local, strict=True) if c}
    if len(names) < 2:
        return
    grid: dict[tuple[int, int], list[tuple[str, float, float]]] = {}
    inside: dict[tuple[str, str], set[str]] = {}  # (country, admin1 key or "") -> names
    done: set[str] = set()
    for k, cands in zip(keys, local, strict=True):
        if k in done:
            continue
        done.add(k)
        for rank, (e, _) in enumerate(cands[:COHERE_TOP]):
            if e.feature in ("A.PCLI", "L.CONT", "A.ADM1", "L.RGN") or e.feature.startswith("H.O"):
                continue
            grid.setdefault((math.floor(e.lat), math.floor(e.lon)), []).append((k, e.lat, e.lon))
            if e.country and rank < 2:  # every name has some namesake in a big state
                inside.setdefault((e.country, ""), set()).add(k)
                inside.setdefault((e.country, name_key(e.admin1)), set()).add(k)
    if not grid:
        return
    n_others = min(len(names) - 1, 3)
    for k, cands in zip(keys, local, strict=True):
        for e, f in cands:
            if e.feature in ("A.PCLI", "A.ADM1"):
                # a country or state is supported by the names that may lie inside it
                key = (e.country, "" if e.feature == "A.PCLI" else name_key(e.name))
                n = len(inside.get(key, set()) - {k})
                if n:
                    f["cohere"] = W["cohere"] * min(1.0, n / n_others)
                continue
            if e.feature in ("L.CONT", "L.RGN"):
                continue
            gy, gx = math.floor(e.lat), math.floor(e.lon)
            support: set[str] = set()
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    for k2, lat, lon in grid.get((gy + dy, gx + dx), ()):
                        if k2 != k and k2 not in support:
                            if haversine_km(e.lat, e.lon, lat, lon) < COHERE_KM:
                                support.add(k2)
            if support:
                f["cohere"] = W["cohere"] * min(1.0, len(support) / n_others)


def _trim(
    scored: list[tuple[Entry, dict[str, float]]], n: int, per_country: int = 3
) -> list[tuple[Entry, dict[str, float]]]:
    """The ``n`` best by local score, and the best ``per_country`` of every other country
    (at most ``2 n`` in all): a village without population must survive the cut so that
    context (its country, its container) can choose it over big namesakes abroad."""
    if len(scored) <= n:
        return scored
    out = scored[:n]
    seen = Counter(e.country for e, _ in out)
    for e, f in scored[n:]:
        if len(out) >= 2 * n:
            break
        if seen[e.country] < per_country:
            seen[e.country] += 1
            out.append((e, f))
    return out


def _lies_towards(c: Entry, e: Entry, direction: str) -> bool:
    """``e`` lies in the ``direction`` part of (or from) ``c`` ("n", "se", ...); a margin
    of 0.05 degrees keeps places on the centre line."""
    dlat, dlon = e.lat - c.lat, e.lon - c.lon
    ok = True
    if "n" in direction:
        ok = ok and dlat > -0.05
    if "s" in direction:
        ok = ok and dlat < 0.05
    if "e" in direction:
        ok = ok and dlon > -0.05
    if "w" in direction:
        ok = ok and dlon < 0.05
    return ok


def _same_admin1(container: Entry, e: Entry) -> bool:
    """``e`` lies in ``container``'s admin1 unit: by GeoNames code where both carry one,
    else by name (the embedded default has names only)."""
    if e.country != container.country or not e.country:
        return False
    if container.admin1_code and e.admin1_code:
        return e.admin1_code == container.admin1_code
    a, b = name_key(e.admin1), name_key(container.admin1 or container.name)
    return bool(a) and (
        a == b or fold_key(e.admin1) == fold_key(container.admin1 or container.name)
    )


def _names_its_admin1(e: Entry) -> bool:
    """A town that gives its admin1 unit its name (Idlib, Hama, Raqqa): written as the
    container of a village ("X in southern Idlib") it stands for the governorate."""
    if not e.admin1 or not e.feature.startswith("P"):
        return False
    return name_key(e.name) == name_key(e.admin1) or fold_key(e.name) == fold_key(e.admin1)


def _contains(container: Entry, e: Entry, near_km: float = 0.0) -> bool:
    if container.id == e.id:
        return False
    if container.feature == "A.PCLI":
        return e.country == container.country
    if container.feature == "A.ADM1":
        return _same_admin1(container, e)
    if container.feature == "L.CONT":
        return False
    if near_km and container.feature.startswith("P"):
        return haversine_km(e.lat, e.lon, container.lat, container.lon) < near_km
    if container.feature == "A.ADM2" and container.admin2_code and e.admin2_code:
        return (
            e.country == container.country
            and e.admin1_code == container.admin1_code
            and e.admin2_code == container.admin2_code
        )
    if container.feature == "A.ADM2" and container.admin2 and e.admin2:
        if e.country == container.country and name_key(e.admin2) == name_key(container.admin2):
            return True
    radius = _CONTAIN_RADIUS_KM.get(container.feature, 0.0)
    if container.feature == "L.RGN" and container.admin1:
        radius = 60.0  # a region inside one province ("Eastern Ghouta"), not "the Middle East"
    if radius <= 0:
        return False
    same = not container.country or not e.country or e.country == container.country
    return same and haversine_km(e.lat, e.lon, container.lat, container.lon) < radius


def contains(container: Entry, e: Entry, near_km: float = 0.0, regional: bool = False) -> bool:
    """Whether ``e`` lies in ``container`` (by country/admin codes or names, else by a
    radius; ``near_km``: within that distance of a town). ``regional``: a town that names
    its admin1 unit stands for the unit ("in southern Idlib")."""
    if _contains(container, e, near_km):
        return True
    return regional and _names_its_admin1(container) and _same_admin1(container, e)


_CONTAIN_RADIUS_KM = {
    "P.PPL": 25.0,
    "P.PPLC": 40.0,
    "A.ADM2": 60.0,
    "L.RGN": 250.0,
    "T.MTS": 100.0,
    "H.STM": 150.0,
}


__all__ = [
    "Resolver",
    "Mention",
    "Resolution",
    "haversine_km",
    "mention_candidates",
    "RESOLVER_NAME",
    "KIND_PRIMARY",
]
