"""Toponym resolution: rank gazetteer candidates for each toponym of a document.

``geo.resolve.v1`` is an explainable linear score over features:

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

Every Place keeps its score and the non-zero features.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from fftrack.geo.gazetteer import KIND_ALT, KIND_PRIMARY, KIND_SKELETON, Entry, Gazetteer
from fftrack.geo.normalize import name_key, strip_admin_suffix

RESOLVER_NAME = "geo.resolve.v1"

W = {
    "prior": 1.0,
    "alt": -0.4,
    "skeleton": -1.6,
    "capital": 0.6,
    "cue": 3.0,
    "cue_miss": -1.0,
    "container": 3.0,
    "country": 2.2,
    "demonym": 0.8,
    "near": 1.4,
    "border": 1.5,
}

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


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


@dataclass
class Mention:
    """A toponym to resolve, with the context cues read around it."""

    start: int
    end: int
    text: str
    cue: str | None = None  # "province", "district", "city", ... written with the name
    container: int | None = None  # index of a following ", X" mention that may contain it
    border: tuple[str, ...] = ()  # countries of an "X-Y border" phrase around it
    candidates: list[tuple[Entry, int]] = field(default_factory=list)


@dataclass
class Resolution:
    entry: Entry | None
    score: float
    features: dict[str, float]
    confidence: float


def entry_prior(e: Entry) -> float:
    pop = float(e.population or 0)
    f = e.feature
    if f in ("A.ADM1", "A.ADM2"):
        pop *= 0.3 if f == "A.ADM1" else 0.15
    if pop <= 0:
        pop = _FEATURE_PRIOR_POP.get(f, 500.0)
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
    cands = gaz.candidates(clean)
    base, cue = strip_admin_suffix(clean)
    if cue is not None:
        more = gaz.candidates(base)
        seen = {e.id for e, _ in cands}
        cands = cands + [(e, k) for e, k in more if e.id not in seen]
    return cands, cue


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
        if e.feature == "P.PPLC":
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
            local.append(uniq[: self.max_candidates])

        # first pass: local winners
        first: list[Entry | None] = [c[0][0] if c else None for c in local]
        # container cue ("Manchester, New Hampshire")
        for i, m in enumerate(mentions):
            if m.container is None or not local[i]:
                continue
            cont = [e for e, _ in local[m.container]]
            for e, f in local[i]:
                if any(_contains(c, e) for c in cont[:5]):
                    f["container"] = W["container"]
        # document country distribution from other mentions' first-pass winners
        total = sum(1 for e in first if e is not None)
        country_count = Counter(e.country for e in first if e is not None and e.country)
        n_dem = sum(demonym_countries.values())
        out: list[Resolution] = []
        for i, cands in enumerate(local):
            if not cands:
                out.append(Resolution(None, 0.0, {}, 0.0))
                continue
            mine = first[i]
            others = total - (1 if mine is not None else 0)
            anchors = [e for j, e in enumerate(first) if j != i and e is not None]
            anchors = [a for a in anchors if a.feature not in ("L.CONT", "A.PCLI")][:50]
            final: list[tuple[float, Entry, dict[str, float]]] = []
            for e, f in cands:
                f = dict(f)
                if others > 0 and e.country:
                    cnt = country_count.get(e.country, 0) - (
                        1 if mine is not None and mine.country == e.country else 0
                    )
                    if cnt > 0:
                        f["country"] = W["country"] * cnt / others
                if n_dem and e.country in demonym_countries:
                    f["demonym"] = W["demonym"] * min(
                        1.0, demonym_countries[e.country] / n_dem + 0.3
                    )
                if anchors and e.feature not in ("L.CONT", "A.PCLI"):
                    d = (
                        min(
                            haversine_km(e.lat, e.lon, a.lat, a.lon)
                            for a in anchors
                            if a.id != e.id
                        )
                        if any(a.id != e.id for a in anchors)
                        else None
                    )
                    if d is not None:
                        if d < 50:
                            f["near"] = W["near"]
                        elif d < 200:
                            f["near"] = W["near"] * 0.7
                        elif d < 600:
                            f["near"] = W["near"] * 0.3
                final.append((sum(f.values()), e, f))
            final.sort(key=lambda x: -x[0])
            best_s, best_e, best_f = final[0]
            second = final[1][0] if len(final) > 1 else best_s - 5.0
            conf = 1.0 / (1.0 + math.exp(-(best_s - second)))
            conf *= 0.9 if "skeleton" in best_f else 1.0
            out.append(
                Resolution(best_e, best_s, {k: round(v, 4) for k, v in best_f.items() if v}, conf)
            )
        return out


def _contains(container: Entry, e: Entry) -> bool:
    if container.id == e.id:
        return False
    if container.feature == "A.PCLI":
        return e.country == container.country
    if container.feature == "A.ADM1":
        return e.country == container.country and name_key(e.admin1) == name_key(container.name)
    if container.feature.startswith("A.ADM2"):
        return (
            e.country == container.country
            and haversine_km(e.lat, e.lon, container.lat, container.lon) < 60
        )
    return False


__all__ = [
    "Resolver",
    "Mention",
    "Resolution",
    "haversine_km",
    "mention_candidates",
    "RESOLVER_NAME",
    "KIND_PRIMARY",
]
