"""What a cluster admits (``resolve.cluster.v3``-``v6``, pure): a cluster is one event.

``Envelope``: a cluster's type family, country, the box of its town/district-level places,
the window of its day/week dates and the period its coarse-dated members share;
``candidates``/``choose``: which cluster a new report joins, from its scored matches. The
rules are described in ``fftrack.resolve.cluster``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from fftrack.resolve.pairs import EventFeatures, haversine_km

log = logging.getLogger(__name__)

# -- clusters are events ---------------------------------------------------------------------

# event types of one family may be one event (see COMPATIBLE_TYPES); others are their own
FAMILIES = {
    "Explosions/Remote violence": "violence",
    "Violence against civilians": "violence",
    "Protests": "demonstrations",
    "Riots": "demonstrations",
}
MAX_SPREAD_KM = 50.0  # a cluster's town/district-level places lie within this of each other
MAX_SPAN_DAYS = 7  # and its day/week-dated members within this many days
# ... and tighter while every such place is a town and every such date a day: what the pair
# rules allow between two members (towns over 10 km apart, days 2 apart are vetoed), with
# a day of slack for a date read off by one
TOWN_SPREAD_KM = 10.0
DISTRICT_SPREAD_KM = 30.0  # once a district-level place is in (its radius in pairs)
DAY_SPAN_DAYS = 2
_PRECISE_DATES = {"day", "week"}
COUNTRY_RADIUS_KM = 800.0  # pairs._PLACE_RADIUS_KM[4]
ANCHOR_KM: dict[float, float] = {800.0: 50.0, 150.0: 50.0}  # EXPERIMENT


def _reach_km(f: EventFeatures) -> float:
    return TOWN_SPREAD_KM if (f.place_precision or 1) <= 1 else DISTRICT_SPREAD_KM


def _reach_days(f: EventFeatures) -> int:
    return DAY_SPAN_DAYS if f.date_precision == "day" else MAX_SPAN_DAYS


def bridges(f: EventFeatures) -> bool:
    """Whether a report is precise enough (a town, a day) to show that two clusters it
    matches are one event; a district, a province or a month matches too many."""
    return _precise_place(f) and (f.place_precision or 1) <= 1 and f.date_precision == "day"


def fills(f: EventFeatures, joined: Envelope, other: Envelope) -> bool:
    """Whether a report dated to the day and placed in a town or district shows that two
    clusters it matches are one event where one of them has no town/district place of its
    own (a venue the gazetteer could not place, a province named alone): ``joined``, the
    cluster it joined as it was before, or ``other``. Its place is then the only one the
    union gains beside one cluster's, so no two towns are joined by a district report."""
    if f.date_precision != "day" or not _precise_place(f):
        return False
    return joined.lat_lo is None or other.lat_lo is None


def family(event_type: str) -> str:
    return FAMILIES.get(event_type, event_type)


def _precise_place(f: EventFeatures) -> bool:
    return f.lat is not None and f.lon is not None and (f.place_precision or 1) <= 2


@dataclass(frozen=True)
class Envelope:
    """What a cluster's members allow a new member to be: one type family and country, a
    box of town/district-level places at most ``TOWN_SPREAD_KM`` across while they are all
    towns, ``DISTRICT_SPREAD_KM`` once a district is in (never over ``MAX_SPREAD_KM``), a window of day/week dates at most ``MAX_SPAN_DAYS`` long
    (``DAY_SPAN_DAYS`` while they are all days), and the period its month-dated or undated
    members share. Region/country-level places and coarse dates must agree with it but do
    not widen it, so no chain of near-misses can stretch a cluster."""

    family: str
    country: str | None = None
    lat_lo: float | None = None
    lat_hi: float | None = None
    lon_lo: float | None = None
    lon_hi: float | None = None
    day_lo: int | None = None
    day_hi: int | None = None
    must_lo: int | None = None
    must_hi: int | None = None
    reach_km: float = 0.0  # the spread its places may reach: TOWN_ or DISTRICT_SPREAD_KM
    reach_days: int = 0  # the span its dates may reach: DAY_SPAN_DAYS or MAX_SPAN_DAYS
    # not stored: where a cluster with no town/district-level place is (its representative's
    # province or country centroid), and that place's radius
    anchor: tuple[float, float, float] | None = field(default=None, compare=False)

    @classmethod
    def of(cls, f: EventFeatures) -> Envelope:
        env = cls(family(f.event_type))
        return env.widened(f)

    def spread_km(self) -> float:
        """The box's diagonal: no two of its places are further apart."""
        if self.lat_lo is None or self.lat_hi is None or self.lon_lo is None:
            return 0.0
        assert self.lon_hi is not None
        return haversine_km(self.lat_lo, self.lon_lo, self.lat_hi, self.lon_hi)

    def span_days(self) -> int:
        if self.day_lo is None or self.day_hi is None:
            return 0
        return self.day_hi - self.day_lo

    def widened(self, f: EventFeatures) -> Envelope:
        """The envelope with ``f`` in it, unchecked (``admits`` checks)."""
        kw: dict[str, Any] = {"country": self.country or f.country}
        if _precise_place(f):
            assert f.lat is not None and f.lon is not None
            kw.update(
                lat_lo=f.lat if self.lat_lo is None else min(self.lat_lo, f.lat),
                lat_hi=f.lat if self.lat_hi is None else max(self.lat_hi, f.lat),
                lon_lo=f.lon if self.lon_lo is None else min(self.lon_lo, f.lon),
                lon_hi=f.lon if self.lon_hi is None else max(self.lon_hi, f.lon),
                reach_km=max(self.reach_km, _reach_km(f)),
            )
        if f.d0 is not None and f.d1 is not None:
            if f.date_precision in _PRECISE_DATES:
                kw.update(
                    day_lo=f.d0 if self.day_lo is None else min(self.day_lo, f.d0),
                    day_hi=f.d1 if self.day_hi is None else max(self.day_hi, f.d1),
                    reach_days=max(self.reach_days, _reach_days(f)),
                )
            else:
                kw.update(
                    must_lo=f.d0 if self.must_lo is None else max(self.must_lo, f.d0),
                    must_hi=f.d1 if self.must_hi is None else min(self.must_hi, f.d1),
                )
        return replace(self, **kw)

    def admits(self, f: EventFeatures) -> tuple[Envelope | None, str]:
        """The envelope with ``f`` in it, or None and why ``f`` cannot join."""
        if family(f.event_type) != self.family:
            return None, "type family"
        if self.country and f.country and self.country != f.country:
            return None, "country"
        country_alone = self._one_country_one_day(f)
        if not _precise_place(f) and f.lat is not None and f.lon is not None and not country_alone:
            if self.lat_lo is not None and self.lat_hi is not None:
                assert self.lon_lo is not None and self.lon_hi is not None
                clat, clon = (self.lat_lo + self.lat_hi) / 2, (self.lon_lo + self.lon_hi) / 2
                if haversine_km(clat, clon, f.lat, f.lon) > f.radius:
                    return None, "place outside the cluster"
                # a province or country named alone: its centroid near every member's place
                # too, so no member of the event lies MAX_SPREAD_KM from another
                corners = [
                    (a, b) for a in (self.lat_lo, self.lat_hi) for b in (self.lon_lo, self.lon_hi)
                ]
                if max(haversine_km(a, b, f.lat, f.lon) for a, b in corners) > MAX_SPREAD_KM:
                    return None, "coarse place far from the cluster's places"
        if (
            self.anchor is not None
            and self.lat_lo is None
            and f.lat is not None
            and not country_alone
        ):
            assert f.lon is not None
            lat, lon, radius = self.anchor
            # a province: its radius, as the pair rules; a country named alone says nothing
            # of where, so a place joins only near its centroid
            limit = radius if radius < COUNTRY_RADIUS_KM else MAX_SPREAD_KM
            if haversine_km(lat, lon, f.lat, f.lon) > limit:
                return None, "place far from the cluster's province or country"
        env = self.widened(f)
        if env.spread_km() > min(env.reach_km, MAX_SPREAD_KM):
            return None, "place spread"
        if env.span_days() > min(env.reach_days, MAX_SPAN_DAYS):
            return None, "date span"
        if env.must_lo is not None and env.must_hi is not None:
            if env.must_lo > env.must_hi:
                return None, "date periods"
            if env.day_lo is not None and env.day_hi is not None:
                if max(env.day_lo, env.must_lo) - min(env.day_hi, env.must_hi) > 1:
                    return None, "date periods"
        return env, ""

    def _one_country_one_day(self, f: EventFeatures) -> bool:
        """Whether ``f`` and this cluster, one of them placed in a country named alone and
        the other in a place of that same country, are dated to the day: a country says
        nothing of where in it, so where the type family, the country and the day agree it
        is compatible with any town inside it (the pair rules still ask for a match, and the
        country's centroid never widens the box of places)."""
        if f.date_precision != "day" or self.day_lo is None:
            return False
        if not (self.country and f.country and self.country == f.country):
            return False
        if self.lat_lo is None:  # the cluster has no town: is it a country named alone?
            return self.anchor is not None and self.anchor[2] >= COUNTRY_RADIUS_KM
        return (f.place_precision or 1) >= 4

    def merged(self, other: Envelope) -> Envelope | None:
        """One envelope for two clusters a new report matches both of, or None when their
        union would not be one event."""
        if other.family != self.family:
            return None
        if self.country and other.country and self.country != other.country:
            return None

        def lo(a: Any, b: Any) -> Any:
            return b if a is None else (a if b is None else min(a, b))

        def hi(a: Any, b: Any) -> Any:
            return b if a is None else (a if b is None else max(a, b))

        env = replace(
            self,
            country=self.country or other.country,
            lat_lo=lo(self.lat_lo, other.lat_lo),
            lat_hi=hi(self.lat_hi, other.lat_hi),
            lon_lo=lo(self.lon_lo, other.lon_lo),
            lon_hi=hi(self.lon_hi, other.lon_hi),
            day_lo=lo(self.day_lo, other.day_lo),
            day_hi=hi(self.day_hi, other.day_hi),
            must_lo=hi(self.must_lo, other.must_lo),
            must_hi=lo(self.must_hi, other.must_hi),
            reach_km=max(self.reach_km, other.reach_km),
            reach_days=max(self.reach_days, other.reach_days),
        )
        if env.spread_km() > min(env.reach_km, MAX_SPREAD_KM):
            return None
        if env.span_days() > min(env.reach_days, MAX_SPAN_DAYS):
            return None
        if env.must_lo is not None and env.must_hi is not None:
            if env.must_lo > env.must_hi:
                return None
            if env.day_lo is not None and env.day_hi is not None:
                if max(env.day_lo, env.must_lo) - min(env.day_hi, env.must_hi) > 1:
                    return None
        return env


@dataclass(frozen=True)
class Link:
    """Why a new report joins a cluster: its best-scoring member and the envelope after."""

    cluster_id: str
    member: str
    score: float
    features: dict[str, float]
    envelope: Envelope


def choose(
    f: EventFeatures,
    scored: Sequence[tuple[str, EventFeatures, float, dict[str, float]]],
    envelopes: dict[str, Envelope],
    banned: set[str],
) -> Link | None:
    """The cluster a new report joins (pure): of the clusters ``envelopes`` whose members
    it matches (``scored``: ``(cluster id, member, score, features)`` over the threshold),
    not ``banned`` (a user split them), that admit it, the best-matching; None: its own."""
    options = candidates(f, scored, envelopes, banned)
    return options[0] if options else None


def candidates(
    f: EventFeatures,
    scored: Sequence[tuple[str, EventFeatures, float, dict[str, float]]],
    envelopes: dict[str, Envelope],
    banned: set[str],
) -> list[Link]:
    """Every cluster ``choose`` could pick, best first."""
    best: dict[str, tuple[float, str, dict[str, float]]] = {}
    for cid, g, score, detail in scored:
        if cid in banned:
            continue
        cur = best.get(cid)
        if cur is None or (-score, g.id) < (-cur[0], cur[1]):
            best[cid] = (score, g.id, detail)
    options = []
    for cid, (score, member, detail) in best.items():
        env, why = envelopes[cid].admits(f)
        if env is None:
            log.debug(
                "%s matches %s (%.2f) but not its cluster %s: %s", f.id, member, score, cid, why
            )
            continue
        options.append((-score, cid, member, detail, env))
    options.sort(key=lambda o: (o[0], o[1]))
    return [Link(cid, member, -neg, detail, env) for neg, cid, member, detail, env in options]
