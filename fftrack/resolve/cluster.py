"""Cross-source event deduplication: blocking, pairwise scoring, incremental clustering.

Algorithm ``resolve.cluster.v1``.

**Blocking.** Each event gets a box in (day, latitude, longitude), kept in an R*Tree
(``event_blocks``) so that finding candidates costs the same at 1k or 1M stored events:

- days: the event's date period (``TimeRef.start..end``: a month-precision date spans its
  whole month) widened by 1 day each side for day precision, 2 for week precision; an event
  without its own date uses the 7 days up to its document's publication date. Dates coarser
  than a month (season, year) are never merged automatically (a user can ``merge`` them);
- space: a square around the place, half-side 2 x the place's radius (precision 1 town:
  5 km, 2 district/nearby: 30 km, 3 region: 150 km, 4 country: 800 km); an event without
  coordinates spans the whole world and is then held to its country in scoring;
- types: only the same ACLED event type, or a compatible pair (Explosions/Remote violence
  with Violence against civilians; Protests with Riots), are scored.

**Scoring** (each feature in [0, 1], weights in ``WEIGHTS``, sum 1):

- type 0.15: same 1, compatible 0.5;
- sub-type 0.15: same 1, compatible (``COMPATIBLE_SUB_TYPES``: suicide bomb / IED /
  grenade; air strike / shelling; clash / territory change; ...) 0.5, one or both missing
  0.6, different 0 (and the total x 0.75);
- date 0.25: both to the day: same day 1, one day apart 0.4, more 0 (veto); otherwise
  overlapping periods 0.75 (week), 0.7 (no own date), 0.6 (month), 0 when apart (veto);
- place 0.25: same GeoNames id 1; two town-level places: <= 2 km 0.9, <= 10 km 0.4, else 0
  (veto: another town is another event); a region (precision 3): same admin1 0.6, another
  admin1 0 (veto; by distance when admin1 is unknown); a country: the same country 0.45; a
  district/nearby place: within 30 km 0.8, within 60 km 0.3. An event the extractor gave
  no place takes the most precise resolved place of its sentence, else its document's
  only town-level place, read as district precision (``fallback_place``); without any
  coordinates: same
  name 0.8, same country 0.35, no place 0.2, different country 0 (veto);
- actors 0.10: resolved actors (``ActorResolver``) shared / the smaller set; 0.5 when
  either names none;
- casualties 0.10: fatalities as intervals from their qualifiers ("about 40" is [32, 48];
  open bounds are read as at most 25% beyond the figure, "more than 20" is [21, 25], since
  sources reporting one event give figures near each other); overlapping 1, else
  (smaller top + 1) / (larger bottom + 1); 0.6 if either gives none. Unless both are
  dated to the same day, figures that score < 0.9 veto the pair: a day apart, or a week or
  month that holds several events, with different tolls are two events, not a date slip
  (this also keeps a vague "earlier this week" report from chaining two events together).

A pair is linked by an ``auto`` edge when its score is >= ``THRESHOLD`` (0.80) and no
feature vetoed it. Clusters are the connected components of the linking edges (auto and
user_merge), built by union-find in a fixed order (user merges first, then edges by
descending score, then ids) that refuses any union joining two events a user split
(``user_split`` edges). The edge set depends only on the pairs, not on the order they
arrived, and each component is rebuilt from its edges, so ingesting in any order, or
twice, gives the same clusters. A cluster's id is ``content_id("cluster", smallest
member id)``; its representative is the member with the most precise date, then place,
then the highest confidence.

**Incremental.** ``cluster_new_events`` indexes the new events, scores them against their
block candidates only, stores the new edges, and rebuilds only the components those edges
touch; nothing else is read or rewritten.
"""

from __future__ import annotations

import json
import logging
import math
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from fftrack.errors import NotFoundError, UsageError
from fftrack.records import content_id
from fftrack.resolve.actors import ActorResolver, is_generic
from fftrack.store import clusters as sql

log = logging.getLogger(__name__)

ALGORITHM = "resolve.cluster.v1"
THRESHOLD = 0.80
OPEN_BOUND = 1.25  # "at least 20" is read as 20-25 when comparing two sources' figures
UNSURE_DATE_CASUALTIES = 0.9  # not surely the same day: the figures must agree this well
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


def fatality_interval(q: dict[str, Any] | None) -> tuple[float, float] | None:
    """A reported number as the interval it allows."""
    if not q or q.get("value") is None:
        return None
    v = float(q["value"])
    if q.get("upper") is not None:
        return (v, float(q["upper"]))
    qual = q.get("qualifier") or "exact"
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


def features_from_row(
    r: sqlite3.Row, resolver: ActorResolver, fallback: dict[str, Any] | None = None
) -> EventFeatures:
    """Features of a stored event; ``fallback``: a place of its document to use when the
    event has none (read as at best district precision)."""
    data = json.loads(r["data"])
    place = data.get("place") or {}
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
    actors = frozenset(
        resolver.key(a.get("name") or "", a.get("normalized"))
        for a in data.get("actors") or []
        if (a.get("name") or a.get("normalized"))
        and a.get("kind") != "civilians"
        and not is_generic(a.get("normalized") or a.get("name") or "")
    )
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


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _date_score(a: EventFeatures, b: EventFeatures) -> float:
    assert a.d0 is not None and a.d1 is not None and b.d0 is not None and b.d1 is not None
    gap = max(a.d0, b.d0) - min(a.d1, b.d1)  # <= 0: the periods overlap
    if a.date_precision == "day" and b.date_precision == "day":
        return 1.0 if gap <= 0 else (0.4 if gap == 1 else 0.0)
    if gap > 0:
        pads = _DAY_PAD.get(a.date_precision, 0) + _DAY_PAD.get(b.date_precision, 0)
        return 0.3 if gap <= pads else 0.0
    coarsest = max(
        (a.date_precision, b.date_precision), key=lambda p: _DATE_RANK.get(p, 5) if p else 1.5
    )
    return {"week": 0.75, "month": 0.6, None: 0.7}.get(coarsest, 0.7)


def _place_score(a: EventFeatures, b: EventFeatures) -> float:
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
            return 0.9 if d <= 2 else (0.4 if d <= 10 else 0.0)
        coarse = max(pa, pb)
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
    if (
        feats["date"] < 1.0
        and a.fatalities is not None
        and b.fatalities is not None
        and feats["casualties"] < UNSURE_DATE_CASUALTIES
    ):
        return 0.0, feats  # not surely the same day, and different tolls: two events
    total = sum(WEIGHTS[k] * v for k, v in feats.items())
    if s == 0.0:
        total *= 0.75
    if t < 1.0:
        total *= 0.8
    return round(total, 4), {k: round(v, 4) for k, v in feats.items()}


# -- clustering ------------------------------------------------------------------------------


def _conn(conn_or_store: Any) -> sqlite3.Connection:
    conn = getattr(conn_or_store, "conn", conn_or_store)
    if not isinstance(conn, sqlite3.Connection):
        raise TypeError("expected a sqlite3.Connection or a Store")
    return conn


def _now() -> str:
    from fftrack.store.migrations import utcnow

    return utcnow()


class _UnionFind:
    def __init__(self, items: Iterable[str]) -> None:
        self.parent = {x: x for x in items}
        self.members = {x: {x} for x in self.parent}

    def find(self, x: str) -> str:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str, cannot: dict[str, set[str]]) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        ma, mb = self.members[ra], self.members[rb]
        if len(ma) > len(mb):
            ma, mb, ra, rb = mb, ma, rb, ra
        for x in ma:
            if cannot.get(x, set()) & mb:
                return False
        self.parent[ra] = rb
        mb |= ma
        del self.members[ra]
        return True


def partition(nodes: Iterable[str], edges: Sequence[Any]) -> list[list[str]]:
    """Clusters of ``nodes`` from edges (rows or dicts with a, b, kind, score)."""
    uf = _UnionFind(sorted(nodes))
    cannot: dict[str, set[str]] = {}
    links = []
    for e in edges:
        if e["kind"] == sql.EDGE_SPLIT:
            cannot.setdefault(e["a"], set()).add(e["b"])
            cannot.setdefault(e["b"], set()).add(e["a"])
        else:
            rank = 0 if e["kind"] == sql.EDGE_MERGE else 1
            links.append((rank, -(e["score"] or 0.0), e["a"], e["b"]))
    for _, _, a, b in sorted(links):
        if a in uf.parent and b in uf.parent:
            uf.union(a, b, cannot)
    return sorted((sorted(m) for m in uf.members.values()), key=lambda m: m[0])


def cluster_id_for(members: Sequence[str]) -> str:
    return content_id("cluster", min(members))


def _representative_key(f: EventFeatures) -> tuple[Any, ...]:
    return (_DATE_RANK.get(f.date_precision, 5), f.place_precision or 9, -f.confidence, f.id)


class Clusterer:
    """Incremental clustering over one store connection (see the module docstring)."""

    def __init__(
        self,
        conn_or_store: Any,
        *,
        resolver: ActorResolver | None = None,
        threshold: float = THRESHOLD,
    ) -> None:
        self.conn = _conn(conn_or_store)
        self.resolver = resolver or ActorResolver()
        self.threshold = threshold
        self._feats: dict[str, EventFeatures] = {}

    def features(self, ids: Sequence[str]) -> dict[str, EventFeatures]:
        missing = [i for i in ids if i not in self._feats]
        rows = sql.load_events(self.conn, missing)
        placeless = sorted({r["document_id"] for r in rows if r["lat"] is None})
        doc_places = sql.document_places(self.conn, placeless) if placeless else {}
        for r in rows:
            fb = None
            if r["lat"] is None:
                fb = fallback_place(doc_places.get(r["document_id"], []), r["sentence_start"])
            self._feats[r["id"]] = features_from_row(r, self.resolver, fb)
        return {i: self._feats[i] for i in ids if i in self._feats}

    def add(self, event_ids: Sequence[str] | None = None) -> int:
        """Cluster ``event_ids`` (default: every event without a cluster). Returns the
        number of events whose cluster changed."""
        conn = self.conn
        sql.ensure_schema(conn)
        ids = list(dict.fromkeys(event_ids)) if event_ids is not None else None
        if ids is None:
            ids = sql.unclustered_event_ids(conn)
        if not ids:
            return 0
        own_tx = not conn.in_transaction
        if own_tx:
            conn.execute("BEGIN IMMEDIATE")
        try:
            changed = self._add(ids)
            if own_tx:
                conn.execute("COMMIT")
        except BaseException:
            if own_tx and conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return changed

    def _add(self, ids: list[str]) -> int:
        conn = self.conn
        now = _now()
        feats = self.features(ids)
        known = sql.indexed(conn, list(feats))
        fresh = [feats[i] for i in sorted(feats) if i not in known]
        sql.add_blocks(conn, [(f.id, f.box()) for f in fresh if f.clusterable])
        edges: dict[tuple[str, str], tuple[float, dict[str, float]]] = {}
        for f in fresh:
            if not f.clusterable:
                continue
            cands = [c for c in sql.block_candidates(conn, f.box()) if c != f.id]
            cfeats = self.features(cands)
            for c in cands:
                g = cfeats.get(c)
                if g is None:
                    continue
                key = sql.pair(f.id, g.id)
                if key in edges:
                    continue
                score, detail = score_pair(f, g)
                if score >= self.threshold:
                    edges[key] = (score, detail)
        sql.add_edges(
            conn,
            [(a, b, sql.EDGE_AUTO, s, ALGORITHM, d) for (a, b), (s, d) in sorted(edges.items())],
            now,
        )
        return self._rebuild(list(feats), now)

    def _rebuild(self, seeds: Sequence[str], now: str) -> int:
        nodes, edges = sql.component(self.conn, seeds)
        feats = self.features(sorted(nodes))
        nodes = {n for n in nodes if n in feats}  # edges to deleted events are ignored
        stale = {
            r[0]
            for chunk in sql.chunked(sorted(nodes))
            for r in self.conn.execute(
                f"SELECT DISTINCT cluster_id FROM events WHERE id IN ({','.join('?' * len(chunk))})"
                " AND cluster_id IS NOT NULL",
                list(chunk),
            )
        }
        out = []
        for members in partition(nodes, edges):
            mf = [feats[m] for m in members]
            rep = min(mf, key=_representative_key)
            d0 = [f.d0 for f in mf if f.d0 is not None]
            d1 = [f.d1 for f in mf if f.d1 is not None]
            out.append(
                {
                    "id": cluster_id_for(members),
                    "representative": rep.id,
                    "members": members,
                    "documents": len({f.document_id for f in mf}),
                    "date_start": _iso(min(d0)) if d0 else None,
                    "date_end": _iso(max(d1)) if d1 else None,
                    "algorithm": ALGORITHM,
                }
            )
        return sql.save_clusters(self.conn, out, stale, now)

    # -- user judgements --------------------------------------------------------------------

    def _event_ids(self, id_: str) -> list[str]:
        """Members of a cluster id, or ``[id]`` for an event id."""
        if sql.event_exists(self.conn, id_):
            return [id_]
        members = sql.members_of(self.conn, [id_]).get(id_)
        if members:
            return members
        raise NotFoundError(f"no event or event cluster with id {id_!r}")

    def merge(self, id_a: str, id_b: str) -> str:
        """A user's judgement: these two events (or clusters) are one. Returns the cluster id."""
        conn = self.conn
        sql.ensure_schema(conn)
        a_ids, b_ids = self._event_ids(id_a), self._event_ids(id_b)
        self.add(a_ids + b_ids)  # make sure both are clustered first
        a_all = _cluster_members(conn, a_ids[0])
        b_all = _cluster_members(conn, b_ids[0])
        a, b = a_ids[0], b_ids[0]
        if a == b:
            raise UsageError("cannot merge an event with itself")
        conn.execute("BEGIN IMMEDIATE")
        try:
            now = _now()
            for x in a_all:
                for y in b_all:
                    if x != y:
                        sql.delete_edges(conn, x, y, [sql.EDGE_SPLIT])
            sql.add_edges(conn, [(a, b, sql.EDGE_MERGE, 1.0, "user", None)], now)
            self._rebuild([a, b], now)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return sql.cluster_of(conn, a) or cluster_id_for([a])

    def split(self, event_id: str) -> str:
        """A user's judgement: this event is not the same as the rest of its cluster.

        Returns the event's new cluster id."""
        conn = self.conn
        sql.ensure_schema(conn)
        if not sql.event_exists(conn, event_id):
            if sql.members_of(conn, [event_id]):
                raise UsageError(f"{event_id} is a cluster id: split takes one of its event ids")
            raise NotFoundError(f"no event with id {event_id!r}")
        self.add([event_id])
        others = [m for m in _cluster_members(conn, event_id) if m != event_id]
        conn.execute("BEGIN IMMEDIATE")
        try:
            now = _now()
            for o in others:
                sql.delete_edges(conn, event_id, o, [sql.EDGE_MERGE])
            sql.add_edges(
                conn, [(event_id, o, sql.EDGE_SPLIT, None, "user", None) for o in others], now
            )
            self._rebuild([event_id, *others], now)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return sql.cluster_of(conn, event_id) or cluster_id_for([event_id])

    def recluster_all(self) -> int:
        """Drop the auto edges and blocks and cluster every event again (after a change of
        algorithm or threshold). User judgements are kept."""
        conn = self.conn
        sql.ensure_schema(conn)
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("DELETE FROM cluster_edges WHERE kind = ?", (sql.EDGE_AUTO,))
            conn.execute("DELETE FROM event_blocks")
            conn.execute("DELETE FROM event_block_ids")
            conn.execute("UPDATE events SET cluster_id = NULL")
            conn.execute("DELETE FROM event_clusters")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        self._feats.clear()
        return self.add(None)


def _cluster_members(conn: sqlite3.Connection, event_id: str) -> list[str]:
    cid = sql.cluster_of(conn, event_id)
    if cid is None:
        return [event_id]
    return sql.members_of(conn, [cid]).get(cid, [event_id])


def _iso(day: int) -> str:
    return (date.fromordinal(day + _DAY0)).isoformat()


def cluster_new_events(
    conn_or_store: Any,
    event_ids: Sequence[str] | None = None,
    *,
    resolver: ActorResolver | None = None,
    threshold: float = THRESHOLD,
) -> int:
    """Cluster new events into the store's clusters (incremental); call after each write
    batch. ``event_ids=None`` takes every event not yet clustered. Returns the number of
    events whose cluster changed."""
    return Clusterer(conn_or_store, resolver=resolver, threshold=threshold).add(event_ids)


def merge(conn_or_store: Any, id_a: str, id_b: str) -> str:
    """Record a user's judgement that two events (or clusters) are one; returns the cluster."""
    return Clusterer(conn_or_store).merge(id_a, id_b)


def split(conn_or_store: Any, event_id: str) -> str:
    """Record a user's judgement that an event is not its cluster's; returns its new cluster."""
    return Clusterer(conn_or_store).split(event_id)
