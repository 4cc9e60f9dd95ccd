"""Cross-source event deduplication: blocking, pairwise scoring, incremental clustering.

Algorithm ``resolve.cluster.v6``: a cluster is one event, not a connected component of
pairwise matches (v1 chained 887 shellings in 31 places over two months into one "event").
v4 reads reports as news tells them (v3's envelope and guarantees unchanged): a follow-up
dated the day it was told; a venue or district the gazetteer could not place, or a
province-level report, placed by the town another report names; two nearby towns in two
provinces kept apart; a toll given as "dozens of" read as open. v5 merges as a careful coder
would where v4 left one event in pieces: the venue or village of a report with no town is
matched by name against another such report ("Baghouz" / "the village of al-Baghuz
Fawqani", "the fall of Baghouz"); a look back dated to the month with a higher toll than the
day's report ("last month's bombing, which killed 19") is a toll that rose, not another
event; a country named alone is compatible with a town inside it where the day and the type
family agree; a report naming a town or district and a day joins a cluster that has no town
of its own (a venue the gazetteer could not place) to the cluster it joins. v6: a claim of
responsibility kept as a record of its own beside the act of violence its sentence names
("IS claimed responsibility for a suicide car bombing in Karrada") is one event with that
act (as ACLED codes a claim), and never the cluster's representative; an attack on people
told without its means ("Monday's attacks in Jableh killed more than 100") is the explosion
another report tells in the same town on the same day.

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

- type 0.15: same 1, compatible 0.5; an attack on people (Violence against civilians /
  Attack) coded from a bare word ("attacks", "killed") whose sentence names the act only
  as an attack and no means (a gun, a knife, a vehicle...: ``untold_means``; "a militia
  killed a civilian" tells another act) and an explosion, both in one town (place >= 0.9)
  on the same day: 1, with the sub-type read as missing (0.6);
- sub-type 0.15: same 1, compatible (``COMPATIBLE_SUB_TYPES``: suicide bomb / IED /
  grenade; air strike / shelling; clash / territory change; ...) 0.5, one or both missing
  0.6, different 0 (and the total x 0.75);
- date 0.25: both to the day: same day 1, one day apart 0.4 (0.8 where the later one is
  ``told``: dated its report's publication day by a sentence reporting speech, "the toll
  rose to 72, medics said on Wednesday"), more 0 (veto); otherwise overlapping periods
  0.75 (week), 0.7 (no own date), 0.6 (month), 0 when apart (veto);
- place 0.25: same GeoNames id 1; two town-level places: <= 2 km 0.9, <= 10 km 0.4 (0.2
  when their first-level regions differ: Zaventem and Brussels), else 0 (veto: another
  town is another event); a region (precision 3): same admin1 0.6, another admin1 0 (veto;
  by distance when admin1 is unknown); a country: the same country 0.45; a district/nearby
  place: within 30 km 0.8 (0.2 in another region), within 60 km 0.3. An event the
  extractor gave no place takes the most precise resolved place of its sentence, else its
  document's only town-level place, read as district precision (``fallback_place``);
  without any coordinates: same name 0.8, same country 0.35, no place 0.2, different
  country 0 (veto). Against a report with a town/district place, names of the two
  events' sentences (``named_place``): the venue or district a report without
  coordinates names ("Brussels Airport", "Bayaa") is the other's place or written in the
  other's sentence 0.8; the other's place written in its sentence 0.6; a report placed in
  a province or country only whose sentence writes the other's town (not its own
  province's name: "an air strike on Hass, a village in Idlib province") 0.8
  (``named_town``). A name counts written where its words stand in a row, capitalised,
  one letter of slack in a long word (Maelbeek / Maalbeek), and not in a list of names
  ("the towns of Zamalka, Otaya and Hamouriya", "between Beit Sawa and Hamouriya"), or
  as the words of the other's name ("Baghouz" in "al-Baghuz Fawqani"). Names never lift a
  pair where both reports have town/district places; between two without, the venue or
  village one names (unresolved) that the other names or writes is 0.8;
- actors 0.10: resolved actors (``ActorResolver``) shared / the smaller set; 0.5 when
  either names none;
- casualties 0.10: fatalities as intervals from their qualifiers ("about 40" is [32, 48];
  open bounds are read as at most 25% beyond the figure, "more than 20" is [21, 25], since
  sources reporting one event give figures near each other; a round number in the plural,
  "dozens of", value 12, is 12-120); overlapping 1, else (smaller top + 1) / (larger
  bottom + 1); 0.6 if either gives none. Unless both are
  dated to the same day, figures that score < 0.9 veto the pair: a day apart, or a week or
  month that holds several events, with different tolls are two events, not a date slip
  (this also keeps a vague "earlier this week" report from chaining two events together);
  but not where a month-dated report published later tells a toll no lower than a
  day-dated one inside its month (``toll_rose``: the dead are counted as days pass).

**Clusters are events.** A pair matches when its score is >= ``THRESHOLD`` (0.80) and no
feature vetoed it. A new report joins an existing cluster only if it matches one of the
cluster's members *and* the cluster as a whole admits it (``Envelope``): the same type
family (``FAMILIES``: compatible types are one family) and country; its town/district-level
places, the new one included, within 10 km of each other while all are towns, 30 km once a
district is among them (what the pair rules allow; never over ``MAX_SPREAD_KM``, 50 km:
the diagonal of their box); its dates within 2 days while all are to the day, else
``MAX_SPAN_DAYS`` (7); a month-dated or undated report's period shared by every such member
and overlapping the dated ones; a region-level place within its radius of the cluster's
places (a country named alone: any place of that country, where the report and the
cluster are dated to the day; a country says nothing of where in it). Coarse places and
dates must agree with the envelope but do not widen it, so no chain of near-misses ever
stretches a cluster. Of the clusters that admit it, the report joins the best-matching
(then the smallest id); when a report naming a town and a day matches two clusters whose
union is still one event by the same rules, they become one; so do two where one has no
town/district place and the report names a district and a day (``fills``: the union gains
no second cluster's places). Otherwise it founds its own cluster.

**Incremental and bounded.** ``cluster_new_events`` indexes each new event's blocking box,
reads only its block candidates, their clusters' rows (the envelope is stored with the
cluster, migration 6) and the user's judgements about it, and writes one row per event
that joins (``events.cluster_id``), the cluster's row, and one ``auto`` edge per decision: the
member it matched best, with the score, the features and the envelope after
(``cluster_spread_km``, ``cluster_span_days``); pairs that decide nothing are not stored.
No component is re-read; the work per new document does not grow with the store. A
cluster's id is ``content_id("cluster", smallest member id)`` (renamed when a smaller member
joins), its representative the member with the most precise date, then place, then the
highest confidence. New reports are taken oldest first; because joining is greedy, a
different ingest order can give different clusters where reports are ambiguous.

**Claims.** A claim of responsibility ("Other" / "Attribution": a claim the extractor could
attach to no act of the report) followed by the act of violence (Battles, Explosions/Remote
violence, Violence against civilians: ``CLAIMED_TYPES``) it names in its own sentence joins
that act's cluster without scoring (``Clusterer._claimed``; claims are taken after the
acts of their batch); it adds no place or date to the envelope and never represents the
cluster (nor the merged event). A claim with no act beside it stays its own cluster: its
type matches no act's.

**User judgements.** ``merge`` (a ``user_merge`` edge) folds two clusters into one, keeping
the larger one's envelope; ``split`` (``user_split`` edges to the rest) takes a report out
of its cluster and keeps it out: a new report never joins a cluster holding one it was
split from, and no bridge folds two such clusters. ``recluster_all`` drops the automatic
judgements and clusters every event again, oldest first, then applies the user's merges.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date
from typing import Any, TypeAlias
from weakref import WeakKeyDictionary

from fftrack.errors import NotFoundError, UsageError
from fftrack.readmodel import EDGE_AUTO, EDGE_MERGE, EDGE_SPLIT, ClusterRow
from fftrack.records import content_id
from fftrack.resolve.actors import ActorResolver
from fftrack.resolve.cluster_store import ClusterStore, HasClusters, cluster_store
from fftrack.resolve.envelope import (
    DAY_SPAN_DAYS,
    DISTRICT_SPREAD_KM,
    FAMILIES,
    MAX_SPAN_DAYS,
    MAX_SPREAD_KM,
    TOWN_SPREAD_KM,
    Envelope,
    Link,
    bridges,
    candidates,
    choose,
    family,
    fills,
)
from fftrack.resolve.pairs import (
    _DATE_RANK,
    _DAY0,
    COMPATIBLE_SUB_TYPES,
    COMPATIBLE_TYPES,
    THRESHOLD,
    WEIGHTS,
    EventFeatures,
    _ord,
    fallback_place,
    fatality_interval,
    features_from_row,
    haversine_km,
    score_pair,
)

# a writer (``Store``: its ``clusters()``) or a cluster repository: what clustering reads
# and writes, in the repository's transactions
StoreOrRepo: TypeAlias = "ClusterStore | HasClusters"

log = logging.getLogger(__name__)

__all__ = [
    "ALGORITHM",
    "DAY_SPAN_DAYS",
    "DISTRICT_SPREAD_KM",
    "TOWN_SPREAD_KM",
    "COMPATIBLE_SUB_TYPES",
    "COMPATIBLE_TYPES",
    "FAMILIES",
    "MAX_SPAN_DAYS",
    "MAX_SPREAD_KM",
    "THRESHOLD",
    "WEIGHTS",
    "Clusterer",
    "Envelope",
    "EventFeatures",
    "Link",
    "candidates",
    "choose",
    "cluster_new_events",
    "family",
    "fallback_place",
    "fatality_interval",
    "features_from_row",
    "haversine_km",
    "merge",
    "score_pair",
    "split",
]

ALGORITHM = "resolve.cluster.v6"
# what a claim of responsibility is about: an act of violence (as the extractor attaches one)
CLAIMED_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})


def _envelope(row: ClusterRow, rep: EventFeatures) -> Envelope:
    """A cluster's envelope from its row and its representative's features."""
    if row.family is None:  # a row written without an envelope: its representative's
        return Envelope.of(rep)
    anchor = None
    if row.lat_lo is None and rep.lat is not None and rep.lon is not None:
        anchor = (rep.lat, rep.lon, rep.radius)
    return Envelope(
        row.family,
        row.country,
        row.lat_lo,
        row.lat_hi,
        row.lon_lo,
        row.lon_hi,
        row.day_lo,
        row.day_hi,
        row.must_lo,
        row.must_hi,
        MAX_SPREAD_KM if row.reach_km is None else row.reach_km,
        MAX_SPAN_DAYS if row.reach_days is None else row.reach_days,
        anchor,
    )


def cluster_id_for(members: Sequence[str]) -> str:
    return content_id("cluster", min(members))


def _representative_key(f: EventFeatures) -> tuple[Any, ...]:
    # a claim of responsibility never stands for the act it claims
    return (
        f.claim,
        _DATE_RANK.get(f.date_precision, 5),
        f.place_precision or 9,
        -f.confidence,
        f.id,
    )


FEATURE_CACHE = 20_000  # events whose features a resolver's clusterers keep between batches


class _Memo:
    def __init__(self) -> None:
        self.feats: OrderedDict[str, EventFeatures] = OrderedDict()
        self.actor_keys: dict[tuple[str, str | None], str | None] = {}


_MEMOS: WeakKeyDictionary[ActorResolver, _Memo] = WeakKeyDictionary()


class Clusterer:
    """Incremental clustering through one store's cluster repository (``Store.clusters()``,
    or any :class:`ClusterStore`); see the module docstring."""

    def __init__(
        self,
        store: StoreOrRepo,
        *,
        resolver: ActorResolver | None = None,
        threshold: float = THRESHOLD,
        chunk: int = 2000,
    ) -> None:
        self.repo = cluster_store(store)
        self.resolver = resolver or ActorResolver()
        self.threshold = threshold
        self.chunk = chunk
        # features of stored events never change: kept across batches, bounded (LRU)
        memo = _MEMOS.get(self.resolver)
        if memo is None:
            memo = _MEMOS[self.resolver] = _Memo()
        self._feats = memo.feats
        self._actor_keys = memo.actor_keys

    def features(self, ids: Sequence[str]) -> dict[str, EventFeatures]:
        feats = self._feats
        for i in ids:
            if i in feats:
                feats.move_to_end(i)
        while len(feats) > FEATURE_CACHE:
            feats.popitem(last=False)
        missing = [i for i in ids if i not in self._feats]
        if missing:
            rows = self.repo.load_events(missing)
            placeless = sorted({r["document_id"] for r in rows if r["lat"] is None})
            doc_places = self.repo.document_places(placeless) if placeless else {}
            for r in rows:
                fb = None
                if r["lat"] is None:
                    fb = fallback_place(doc_places.get(r["document_id"], []), r["sentence_start"])
                if len(self._actor_keys) > 50_000:
                    self._actor_keys.clear()
                self._feats[r["id"]] = features_from_row(
                    r, self.resolver, fb, actor_keys=self._actor_keys
                )
        return {i: self._feats[i] for i in ids if i in self._feats}

    def add(self, event_ids: Sequence[str] | None = None) -> int:
        """Cluster those of ``event_ids`` without a cluster (default: every such event,
        oldest first, in transactions of ``chunk`` events). Returns the number of events
        whose cluster changed."""
        repo = self.repo
        repo.ensure_schema()
        if event_ids is not None:
            ids = list(dict.fromkeys(event_ids))
            if not ids:
                return 0
            with repo.transaction():
                return self._add(ids)
        changed = 0
        todo = repo.unclustered_event_ids()
        for i in range(0, len(todo), self.chunk):
            with repo.transaction():
                changed += self._add(todo[i : i + self.chunk])
        return changed

    def _add(self, ids: list[str]) -> int:
        repo = self.repo
        now = self.repo.now()
        have = repo.clusters_of(ids)
        feats = self.features([i for i in ids if i not in have])
        # a claim after the acts (its own report's act among them: ``_claimed``)
        fresh = sorted(feats.values(), key=lambda f: (f.claim, f.d0 is None, f.d0 or 0, f.id))
        repo.add_blocks([(f.id, f.box()) for f in fresh if f.clusterable])
        # the user's judgements about the new events, read once for all of them (only
        # merge() and split() write them, and not while this runs)
        fresh_ids = [f.id for f in fresh]
        splits = repo.partners_of([f.id for f in fresh if f.clusterable], EDGE_SPLIT)
        merges = repo.partners_of(fresh_ids, EDGE_MERGE)
        changed = 0
        for f in fresh:
            changed += self._assign(f, now, splits.get(f.id, ()))
        for f in fresh:
            for p in merges.get(f.id, ()):
                changed += self._union(f.id, p, now)
        return changed

    def _assign(self, f: EventFeatures, now: str, split_from: Sequence[str] = ()) -> int:
        """Put ``f`` in the cluster it joins, or in one of its own; ``split_from``: the
        events a user split it from."""
        repo = self.repo
        link = None
        if f.clusterable and f.claim:
            claimed = self._claimed(f, split_from)
            if claimed is not None:
                return self._join(f, claimed[0], claimed[1], now)
        if f.clusterable:
            cands = sorted(c for c in repo.block_candidates(f.box()) if c != f.id)
            of = repo.clusters_of(cands)
            cfeats = self.features([c for c in cands if c in of])
            scored = []
            for c, g in cfeats.items():
                score, detail = score_pair(f, g)
                if score >= self.threshold:
                    scored.append((of[c], g, score, detail))
            if scored:
                banned = set(repo.clusters_of(split_from).values())
                rows = repo.load_clusters(sorted({s[0] for s in scored}))
                envs = {
                    cid: _envelope(r, self.features([r.representative])[r.representative])
                    for cid, r in rows.items()
                }
                links = candidates(f, [s for s in scored if s[0] in rows], envs, banned)
                link = links[0] if links else None
        if link is None:
            return self._found(f, now)
        before = envs[link.cluster_id]
        changed = self._join(f, link, rows[link.cluster_id], now)
        env = link.envelope
        for other in links[1:]:  # one event if both clusters allow
            if not (bridges(f) or fills(f, before, envs[other.cluster_id])):
                continue
            both = env.merged(other.envelope)
            if both is None or self.repo.split_between(f.id, other.member):
                continue
            changed += self._union(f.id, other.member, now, both)
            audit: dict[str, Any] = dict(other.features)
            audit["cluster_spread_km"] = round(both.spread_km(), 2)
            audit["cluster_span_days"] = both.span_days()
            edge = (f.id, other.member, EDGE_AUTO, other.score, ALGORITHM, audit)
            self.repo.add_edges([edge], now)
            env = before = both
        return changed

    def _claimed(
        self, f: EventFeatures, split_from: Sequence[str] = ()
    ) -> tuple[Link, ClusterRow] | None:
        """Where a claim of responsibility joins: the cluster of the act of violence its
        own sentence names ("IS claimed responsibility for a suicide car bombing in Karrada
        that killed dozens": the bombing), which the extractor codes beside the claim. The
        claim is one event with it, as ACLED codes a claim (``claimed_by`` on the act); it
        adds no place or date to the cluster (the act's are its own). An arrest told beside
        a claim ("two suspects are held, and IS claims the attack") is not what is claimed."""
        repo = self.repo
        cands = [c for c in repo.block_candidates(f.box()) if c != f.id]
        of = repo.clusters_of(cands)
        acts = [
            g
            for g in self.features([c for c in cands if c in of]).values()
            if g.document_id == f.document_id
            and g.sentence_start is not None
            and g.sentence_start == f.sentence_start
            and g.event_type in CLAIMED_TYPES
        ]
        if not acts:
            return None
        act = min(acts, key=lambda g: g.id)
        cid = of[act.id]
        if cid in set(repo.clusters_of(split_from).values()):
            return None
        row = repo.load_clusters([cid]).get(cid)
        if row is None:
            return None
        rep = self.features([row.representative]).get(row.representative, act)
        return Link(cid, act.id, 1.0, {"claim": 1.0}, _envelope(row, rep)), row

    def _found(self, f: EventFeatures, now: str) -> int:
        env = Envelope.of(f)
        cid = cluster_id_for([f.id])
        self.repo.save_cluster(_row(cid, f.id, 1, 1, f.d0, f.d1, f.id, env), now)
        return self.repo.assign([f.id], cid)

    def _join(self, f: EventFeatures, link: Link, row: ClusterRow, now: str) -> int:
        """``f`` into ``link``'s cluster, whose row (as read for the choice) is ``row``."""
        repo = self.repo
        rep = self.features([row.representative]).get(row.representative)
        if rep is None or _representative_key(f) < _representative_key(rep):
            rep = f
        first = min(row.first_member or f.id, f.id)
        cid = cluster_id_for([first])
        changed = repo.assign([f.id], row.id)
        if cid != row.id:  # the new report has the smallest id: the cluster's id follows it
            changed += repo.move_members(row.id, cid)
            repo.delete_cluster(row.id)
        docs = row.documents + (0 if repo.document_in_cluster(cid, f.document_id, f.id) else 1)
        d0 = _min(_ord(row.date_start), f.d0)
        d1 = _max(_ord(row.date_end), f.d1)
        new = _row(cid, rep.id, row.size + 1, docs, d0, d1, first, link.envelope)
        repo.save_cluster(new, now)
        detail: dict[str, Any] = dict(link.features)
        detail["cluster_spread_km"] = round(link.envelope.spread_km(), 2)
        detail["cluster_span_days"] = link.envelope.span_days()
        repo.add_edges([(f.id, link.member, EDGE_AUTO, link.score, ALGORITHM, detail)], now)
        return changed

    def _union(self, a: str, b: str, now: str, envelope: Envelope | None = None) -> int:
        """Fold the clusters of ``a`` and ``b`` into one with ``envelope``; by default (a
        user's merge) the larger cluster's, so a user's judgement does not widen what may
        join later."""
        repo = self.repo
        of = repo.clusters_of([a, b])
        if a not in of or b not in of or of[a] == of[b]:
            return 0
        rows = repo.load_clusters([of[a], of[b]])
        ra, rb = rows.get(of[a]), rows.get(of[b])
        if ra is None or rb is None:
            return 0
        keep, other = sorted((ra, rb), key=lambda r: (-r.size, r.first_member or r.id))
        first = min(x for x in (ra.first_member, rb.first_member, a, b) if x)
        reps = self.features([ra.representative, rb.representative])
        rep = min(reps.values(), key=_representative_key).id if reps else keep.representative
        cid = cluster_id_for([first])
        changed = 0
        for r in (keep, other):
            changed += repo.move_members(r.id, cid)
            if r.id != cid:
                repo.delete_cluster(r.id)
        rep_f = self.features([keep.representative]).get(keep.representative)
        env = envelope
        if env is None:
            env = _envelope(keep, rep_f) if rep_f is not None else Envelope(keep.family or "")
        new = _row(
            cid,
            rep,
            ra.size + rb.size,
            repo.cluster_documents(cid),
            _min(_ord(ra.date_start), _ord(rb.date_start)),
            _max(_ord(ra.date_end), _ord(rb.date_end)),
            first,
            env,
        )
        repo.save_cluster(new, now)
        return changed

    def _rebuild_one(self, cluster_id: str, members: Sequence[str], now: str) -> None:
        """Rewrite a cluster's row from its members (after a user's split)."""
        repo = self.repo
        feats = self.features(sorted(members))
        if not feats:
            repo.delete_cluster(cluster_id)
            return
        # the envelope from the acts first: a claim (type "Other") never sets its family
        mf = sorted(feats.values(), key=lambda f: (f.claim, f.d0 is None, f.d0 or 0, f.id))
        env = Envelope.of(mf[0])
        for f in mf[1:]:
            env = env.widened(f)
        first = min(feats)
        cid = cluster_id_for([first])
        if cid != cluster_id:
            repo.move_members(cluster_id, cid)
            repo.delete_cluster(cluster_id)
        rep = min(mf, key=_representative_key)
        d0 = [f.d0 for f in mf if f.d0 is not None]
        d1 = [f.d1 for f in mf if f.d1 is not None]
        docs = len({f.document_id for f in mf})
        row = _row(
            cid, rep.id, len(mf), docs, min(d0, default=None), max(d1, default=None), first, env
        )
        repo.save_cluster(row, now)

    # -- user judgements --------------------------------------------------------------------

    def _event_ids(self, id_: str) -> list[str]:
        """Members of a cluster id, or ``[id]`` for an event id."""
        if self.repo.event_exists(id_):
            return [id_]
        members = self.repo.members_of([id_]).get(id_)
        if members:
            return members
        raise NotFoundError(f"no event or event cluster with id {id_!r}")

    def merge(self, id_a: str, id_b: str) -> str:
        """A user's judgement: these two events (or clusters) are one. Returns the cluster id."""
        repo = self.repo
        repo.ensure_schema()
        a_ids, b_ids = self._event_ids(id_a), self._event_ids(id_b)
        a, b = a_ids[0], b_ids[0]
        if a == b:
            raise UsageError("cannot merge an event with itself")
        self.add(a_ids + b_ids)  # make sure both are clustered first
        with repo.transaction():
            now = self.repo.now()
            a_all = set(repo.cluster_members(a))
            b_all = set(repo.cluster_members(b))
            small, big = sorted((a_all, b_all), key=len)
            for x in small:  # lift the user's splits between the two
                for y in repo.partners(x, EDGE_SPLIT):
                    if y in big:
                        repo.delete_edges(x, y, [EDGE_SPLIT])
            repo.add_edges([(a, b, EDGE_MERGE, 1.0, "user", None)], now)
            self._union(a, b, now)
        return repo.cluster_of(a) or cluster_id_for([a])

    def split(self, event_id: str) -> str:
        """A user's judgement: this event is not the same as the rest of its cluster.

        Returns the event's new cluster id."""
        repo = self.repo
        repo.ensure_schema()
        if not repo.event_exists(event_id):
            if repo.members_of([event_id]):
                raise UsageError(f"{event_id} is a cluster id: split takes one of its event ids")
            raise NotFoundError(f"no event with id {event_id!r}")
        self.add([event_id])
        with repo.transaction():
            now = self.repo.now()
            old = repo.cluster_of(event_id)
            others = [m for m in repo.cluster_members(event_id) if m != event_id]
            for o in others:
                repo.delete_edges(event_id, o, [EDGE_MERGE])
            repo.add_edges([(event_id, o, EDGE_SPLIT, None, "user", None) for o in others], now)
            f = self.features([event_id])[event_id]
            own = cluster_id_for([event_id])
            if old == own and others:  # the cluster was named after this event
                rest = cluster_id_for(others)
                repo.move_members(old, rest)
                old = rest
            self._found(f, now)
            if old is not None and others:
                self._rebuild_one(old, others, now)
        return repo.cluster_of(event_id) or own

    def recluster_all(self) -> int:
        """Drop the auto edges and clusters and cluster every event again, oldest first
        (after a change of algorithm or threshold). User judgements are kept."""
        repo = self.repo
        repo.ensure_schema()
        with repo.transaction():
            repo.reset_auto()
        self._feats.clear()
        return self.add(None)


def _row(
    cid: str,
    rep: str,
    size: int,
    docs: int,
    d0: int | None,
    d1: int | None,
    first: str,
    env: Envelope,
) -> ClusterRow:
    return ClusterRow(
        id=cid,
        representative=rep,
        size=size,
        documents=docs,
        date_start=_iso(d0) if d0 is not None else None,
        date_end=_iso(d1) if d1 is not None else None,
        algorithm=ALGORITHM,
        first_member=first,
        family=env.family,
        country=env.country,
        lat_lo=env.lat_lo,
        lat_hi=env.lat_hi,
        lon_lo=env.lon_lo,
        lon_hi=env.lon_hi,
        day_lo=env.day_lo,
        day_hi=env.day_hi,
        must_lo=env.must_lo,
        must_hi=env.must_hi,
        reach_km=env.reach_km,
        reach_days=env.reach_days,
    )


def _min(a: int | None, b: int | None) -> int | None:
    return b if a is None else (a if b is None else min(a, b))


def _max(a: int | None, b: int | None) -> int | None:
    return b if a is None else (a if b is None else max(a, b))


def _iso(day: int) -> str:
    return (date.fromordinal(day + _DAY0)).isoformat()


def cluster_new_events(
    store: StoreOrRepo,
    event_ids: Sequence[str] | None = None,
    *,
    resolver: ActorResolver | None = None,
    threshold: float = THRESHOLD,
) -> int:
    """Cluster new events into the store's clusters (incremental); call after each write
    batch. ``event_ids=None`` takes every event not yet clustered. Returns the number of
    events whose cluster changed."""
    return Clusterer(store, resolver=resolver, threshold=threshold).add(event_ids)


def merge(store: StoreOrRepo, id_a: str, id_b: str) -> str:
    """Record a user's judgement that two events (or clusters) are one; returns the cluster."""
    return Clusterer(store).merge(id_a, id_b)


def split(store: StoreOrRepo, event_id: str) -> str:
    """Record a user's judgement that an event is not its cluster's; returns its new cluster."""
    return Clusterer(store).split(event_id)
