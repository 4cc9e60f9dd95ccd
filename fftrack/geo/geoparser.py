"""Geoparser: recognition + resolution over a spaCy Doc, producing ``Place`` records."""

from __future__ import annotations

import dataclasses
import logging
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from fftrack.geo.cues import (
    AND_GAP_RE,
    BETWEEN_GAP_RE,
    FACILITY_HEADS,
    NEAR_OF_RE,
    STREET_HEADS,
    bearing_of,
    cue_after,
    cue_before,
    in_gap,
    says_who,
)
from fftrack.geo.gazetteer import KIND_ALT, Entry, Gazetteer, _synthetic_id
from fftrack.geo.normalize import fold_key, name_key, strip_admin_suffix
from fftrack.geo.recognize import recognize
from fftrack.geo.resolve import (
    RESOLVER_NAME,
    Mention,
    Resolution,
    Resolver,
    W,
    contains,
    haversine_km,
    mention_candidates,
)
from fftrack.geodesy import destination
from fftrack.nlp.docview import doc_ents, doc_sents
from fftrack.records import Document, Place, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

_BORDER_RE = re.compile(
    r"\b([A-Z][a-z]+)(?:\s*[-\u2013/]\s*|\s+and\s+)([A-Z][a-z]+)\s+border", re.UNICODE
)
NEAR_OF_KM = 80.0
ONE_SENSE_MAX_POP = 100_000  # a bare reading this big keeps its place (see ``_one_sense``)
CITY_CONTAINER_POP = 100_000  # a city this large can hold a place named before it
CITY_PART_KM = 50.0  # a namesake farther than this from the city is not the place meant
_LIST_AFTER_RE = re.compile(r"\s*(?:,|\band\b|\bor\b|&)\s*(?:[a-z]{1,3}-)?[A-Z]")
_LIST_BEFORE_RE = re.compile(r"(?:,|\band|\bor|&)\s*$")
CONTEXT_KEEP_KM = 600.0  # a weak match this close to another place of the text is kept
FOREIGN_PEOPLE_PLACES = 3  # distinct places in one other country that outweigh a demonym
HAMLET_POP = 1  # GeoNames gives no population for most hamlets
HAMLET_KEEP_KM = 100.0  # ... and a hamlet in a country nothing else names, this close
_UNIT_CUES = {"province", "governorate", "muhafazah", "district", "region", "state"}
_POSSESSIVE_OK = re.compile(r"[A-Z]")
# the end of a movement ("from X to Mosul"); "next to", "close to" say where, not whither
_MOVE_RE = re.compile(
    r"\b(?:from|(?<!next )(?<!close )to|towards?|into|via|between|and)\s+(?:the\s+)?$"
)
# "the Daraiya neighborhood", "in al-Ommal, al-Jabilah and Rashdiyyah districts": the
# word after the name, or after the names listed with it
_CITY_PART_AFTER_RE = re.compile(
    r"(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)"
    r"(?:[a-z]{1,3}-)?[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*){0,2})*"
    r"\s+(?:neighbou?rhoods?|quarters?|districts)\b"
)
_WORD_RE = re.compile(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?")
_CAPITALISED_RE = re.compile(r"[A-Z][A-Za-z.]*[A-Za-z]")  # "Turkish", "US", "U.S"


# words of a facility named after the town it stands in
_FACILITY_WORD = FACILITY_HEADS | STREET_HEADS
_NOT_A_PLACE_WORD = _FACILITY_WORD | {"the", "of"}


class Geoparser:
    """Finds toponyms in a spaCy Doc and resolves them with a :class:`Gazetteer`."""

    name = RESOLVER_NAME

    def __init__(
        self,
        gazetteer: Gazetteer,
        min_pop: int = 20000,
        include_demonyms: bool = False,
        include_embedded: bool = False,
    ) -> None:
        """``include_demonyms``: also return nationality words ("British") as places of their
        country (feature ``demonym``), as the LGL/GeoWebNews annotations do. Off by default
        so that "British fighters" never becomes an event location. ``include_embedded``:
        also return places inside organisation names ("Zimbabwe Tourism Authority"), as
        GeoWebNews annotates them; off by default for the same reason."""
        self.gazetteer = gazetteer
        self.resolver = Resolver(gazetteer)
        self.min_pop = min_pop
        self.include_demonyms = include_demonyms
        self.include_embedded = include_embedded

    # -- public API -------------------------------------------------------------------
    def geoparse(self, sdoc: Doc, document: Document) -> list[Place]:
        """Recognise and resolve every toponym of ``document`` (``sdoc`` is its spaCy Doc)."""
        found = recognize(
            sdoc, self.gazetteer, self.min_pop, self.include_demonyms, self.include_embedded
        )
        spans = [(s, e) for s, e, _ in found]
        return self._resolve(sdoc, document, spans)

    def resolve_spans(
        self, sdoc: Doc | None, document: Document, spans: Sequence[tuple[int, int]]
    ) -> list[Place]:
        """Resolve exactly ``spans`` (resolution only); ``sdoc`` may be None.

        With a spaCy Doc, other toponyms recognised in the text serve as context (they
        vote on country and distance, and contain "X in Y" mentions) but are not returned.
        """
        given = [(int(s), int(e)) for s, e in spans]
        extra: list[tuple[int, int]] = []
        if sdoc is not None:
            found = recognize(sdoc, self.gazetteer, self.min_pop, False)
            extra = [(s, e) for s, e, _ in found if not any(s < ge and gs < e for gs, ge in given)]
        return self._resolve(sdoc, document, given + extra)[: len(given)]

    def lookup(self, name: str, country_hint: str | None = None) -> Place | None:
        """The best candidate for a bare name (no context), as a Place with a dummy span."""
        cands, cue = mention_candidates(self.gazetteer, name)
        if not cands:
            return None
        if country_hint:
            inside = [(e, k) for e, k in cands if e.country == country_hint.upper()]
            cands = inside or cands
        m = Mention(0, len(name), name, cue=cue, candidates=cands)
        dem = Counter({country_hint: 1}) if country_hint else None
        r = self.resolver.resolve([m], dem)[0]
        span = Span("", 0, len(name), 0, len(name))
        return self._place(name, span, r)

    # -- internals --------------------------------------------------------------------
    def _resolve(
        self, sdoc: Doc | None, document: Document, spans: list[tuple[int, int]]
    ) -> list[Place]:
        text = document.text
        if not spans:
            return []
        order = sorted(range(len(spans)), key=lambda i: spans[i])
        mentions: list[Mention] = []
        for i in order:
            s, e = spans[i]
            name = text[s:e]
            cands, cue = mention_candidates(self.gazetteer, name)
            if cue is None:
                cue = cue_after(text, e)
                if cue is not None:
                    seen = {c.id for c, _ in cands}
                    more = self.gazetteer.candidates(f"{name} {cue}")
                    cands = cands + [(c, k) for c, k in more if c.id not in seen]
                else:
                    cue = cue_before(text, s)
            if cue in _UNIT_CUES:
                cands = cands + self._admin_units_named(cands, name)
            mentions.append(Mention(s, e, name, cue=cue, candidates=cands))
        for k in range(len(mentions) - 1):
            gap = text[mentions[k].end : mentions[k + 1].start]
            if gap.strip() == "," and len(gap) <= 3:
                mentions[k].container = k + 1
                mentions[k].container_kind = "comma"
            elif mn := NEAR_OF_RE.match(gap):
                mentions[k].container = k + 1
                mentions[k].container_kind = "in"
                mentions[k].near_km = NEAR_OF_KM
                if mn.group(1):  # "186 miles southeast of": as far as it says, and a half
                    dist = float(mn.group(1)) * (1.609 if mn.group(2)[0] == "m" else 1.0)
                    mentions[k].near_km = max(NEAR_OF_KM, 1.5 * dist)
                    mentions[k].offset_km = dist
                    mentions[k].bearing = bearing_of(mn.group(3) or "")
            elif gap in ("'s ", "\u2019s ") and _POSSESSIVE_OK.match(text[mentions[k + 1].start :]):
                # "Mosul's Old City": the second lies in the first
                mentions[k + 1].container = k
                mentions[k + 1].container_kind = "in"
            elif in_gap(gap):
                mentions[k].container = k + 1
                mentions[k].container_kind = "in"
        for m in mentions:
            m.direction = _direction_before(text, m.start)
        self._border_cues(text, mentions)
        demonyms = self._demonyms(sdoc, text) + self._actor_countries(sdoc, document)
        results = self.resolver.resolve(mentions, demonyms)
        results = self._fallbacks(mentions, results, demonyms, text)
        results = _between(mentions, results, text)
        sents = _sentence_index(sdoc)
        placed: dict[int, Place] = {}
        for idx, m, r in zip(order, mentions, results, strict=True):
            ss, se = _sentence_of(sents, m.start, m.end, len(text))
            span = Span(document.id, m.start, m.end, ss, se)
            placed[idx] = self._place(m.text, span, r)
        return [placed[i] for i in range(len(spans))]

    def _admin_units_named(
        self, cands: list[tuple[Entry, int]], name: str
    ) -> list[tuple[Entry, int]]:
        """ "Raqqa province": where no candidate is an admin unit, the admin1 unit of a
        town whose admin1 name is a variant of the name (Ar Raqqah -> Ar-Raqqah)."""
        if any(e.feature.startswith("A.ADM") and k <= KIND_ALT for e, k in cands):
            return []
        base = fold_key(strip_admin_suffix(name)[0])
        seen = {e.id for e, _ in cands}
        out: list[tuple[Entry, int]] = []
        for e, _ in cands[:20]:
            if not e.admin1 or not e.feature.startswith("P") or fold_key(e.admin1) != base:
                continue
            for u, kind in self.gazetteer.candidates(e.admin1):
                if u.feature == "A.ADM1" and u.country == e.country and u.id not in seen:
                    seen.add(u.id)
                    out.append((u, min(kind, KIND_ALT)))
        return out

    def _fallbacks(
        self,
        mentions: list[Mention],
        results: list[Resolution],
        demonyms: Counter[str],
        text: str,
    ) -> list[Resolution]:
        """ "X in Y": X must lie in Y. When it has no candidate there (an unknown village),
        fall back to Y itself, marked ``fallback`` and with low confidence."""
        out = list(results)
        # right to left: a container (always the later mention) is settled first, so that
        # "X area in Y neighbourhood in Damascus" passes Damascus on through an unknown Y
        for i in range(len(mentions) - 1, -1, -1):
            m = mentions[i]
            if m.container is None:
                continue
            j = m.container
            for _hop in range(3):
                nxt = mentions[j].container
                if out[j].entry is not None or nxt is None or results[i].entry is not None:
                    break
                j = nxt
            ctx = out[j].entry
            if ctx is None or ctx.feature in ("L.CONT",):
                continue
            r = results[i]
            in_city = self._in_a_city(mentions, i, j, r.entry, ctx, text)
            if ctx.feature.startswith("P") and m.container_kind != "in" and not in_city:
                continue
            if r.entry is not None and not _fuzzy(r) and _fuzzy(out[j]):
                continue  # "Deir ez-Zor, near Tal Barouk": a name found as written is not
                # moved to a container found only through a spelling skeleton
            if r.entry is not None and (
                r.entry.id == ctx.id
                or "container" in r.features  # inside one reading of the container
                or contains(ctx, r.entry, m.near_km, regional=True)
            ):
                continue
            abroad = (
                r.entry is not None
                and m.container_kind == "in"
                and r.entry.precision <= 2
                and ctx.precision <= 3
                and bool(ctx.country)
                and r.entry.country != ctx.country
            )  # "the al-Jadida district of Mosul" is not in Morocco
            if r.entry is not None and not abroad:
                if m.container_kind == "comma" and not in_city:
                    if r.entry.precision >= ctx.precision or not _fuzzy(r):
                        continue  # "Idaho, Maine": a list, not a container
                elif not _fuzzy(r) and (
                    r.entry.precision > ctx.precision
                    or (r.entry.precision == ctx.precision and r.entry.precision > 1)
                ):
                    continue  # "U.S.-backed forces in Syria": not a container
            if r.entry is not None and ctx.feature == "A.PCLI" and r.entry.country == ctx.country:
                continue
            feats = {"fallback": 1.0, "container": W["container"]}
            if (
                j == m.container
                and m.offset_km
                and m.bearing is not None
                and ctx.feature.startswith("P")
            ):
                # "Suleiman Bek (90 km east of Tikrit)", a town the gazetteer does not know:
                # where the text puts it, not at Tikrit
                ctx = _offset(ctx, m.bearing, m.offset_km)
                feats["offset_km"] = m.offset_km
            out[i] = Resolution(ctx, out[j].score, feats, 0.3)
        out = _one_sense(mentions, out)
        return self._context_fallbacks(mentions, out, demonyms, text)

    @staticmethod
    def _in_a_city(
        mentions: list[Mention], i: int, j: int, e: Entry | None, city: Entry, text: str
    ) -> bool:
        """ "La Rambla, Barcelona", "Karrada, Baghdad": a place written before a city with a
        comma, no list around the two, that the gazetteer knows only as a small town far
        away (or not at all), is a part of the city."""
        m = mentions[i]
        if m.container_kind != "comma" or not city.feature.startswith("P"):
            return False
        if city.population < CITY_CONTAINER_POP:
            return False
        if _LIST_AFTER_RE.match(text, mentions[j].end) or _LIST_BEFORE_RE.search(
            text[max(0, m.start - 8) : m.start]
        ):
            return False  # "Homs, Hama and Aleppo": a list of towns
        if e is None:
            return True
        if e.population * 5 > city.population:
            return False
        return haversine_km(e.lat, e.lon, city.lat, city.lon) > CITY_PART_KM

    def _context_fallbacks(
        self,
        mentions: list[Mention],
        results: list[Resolution],
        demonyms: Counter[str],
        text: str,
    ) -> list[Resolution]:
        """A fuzzy (skeleton) match, or a small place, in a country that nothing else in the
        document points to, is most likely an unknown village: fall back to the nearest
        resolved sub-national place of the document (precision 2, low confidence): in its
        own paragraph, else the nearest one before it, else after it."""
        countries = Counter(
            r.entry.country for r in results if r.entry is not None and r.entry.country
        )
        # the places of each country, each once: a name told three times is one place,
        # no support for its own country ("al-Ommal" twice in a report on Deir ez-Zor)
        distinct = Counter(
            e.country
            for e in {r.entry.id: r.entry for r in results if r.entry is not None}.values()
            if e.country
        )
        out = list(results)
        weak = {
            i for i, r in enumerate(results) if self._weak_abroad(r, results, i, distinct, demonyms)
        }
        parts = _far_city_parts(mentions, results, text) - weak
        weak |= parts
        # "Greater Manchester", "Tabqa Dam" when "Manchester", "Tabqa" are resolved: the
        # place each names, also context for an unknown name beside it
        named_inside = {
            i: inner
            for i, r in enumerate(results)
            if r.entry is None
            and (inner := self._named_inside(mentions, results, i, weak)) is not None
        }
        for i, r in enumerate(results):
            e = r.entry
            if e is not None and "fallback" in r.features:
                continue
            if e is None:
                inner = named_inside.get(i)
                if inner is not None:
                    out[i] = Resolution(
                        inner.entry, inner.score, {"fallback": 1.0, "contains": 1.0}, 0.3
                    )
                    continue
                # "Westminster Bridge", "Palace of Westminster": the town it is named after,
                # in a country the document points to
                named = self._named_after(mentions[i].text, countries, demonyms)
                if named is not None:
                    out[i] = Resolution(named, 0.0, {"fallback": 1.0, "named_after": 1.0}, 0.3)
                    continue
                # an unknown name (a street, an estate, a village) is placed at the nearest
                # place of the document, except the end of a movement: "from X to Mosul"
                # must not put X at Mosul
                before = text[max(0, mentions[i].start - 20) : mentions[i].start].lower()
                move = _MOVE_RE.search(before)
                if move is not None and (
                    not move.group().startswith("and")
                    or "between" in text[max(0, mentions[i].start - 80) : mentions[i].start]
                ):
                    continue  # ("and": the second end of "between X and Y", not a list)
            elif i not in weak:
                continue
            best: tuple[int, Resolution] | None = None
            for j, other in enumerate(results):
                other = named_inside.get(j, other)
                o = other.entry
                if j == i or o is None or "fallback" in other.features or j in weak:
                    continue  # a weak match abroad is no context for another
                if o.feature in ("A.PCLI", "L.CONT") or o.feature.startswith("H.O"):
                    continue
                if e is not None and o.country == e.country and i not in parts:
                    continue
                if i in parts and not o.feature.startswith("P"):
                    continue  # a part of a city is put at a city of the text
                if says_who(text, mentions[j].end):
                    continue  # "near X, according to a Tripoli cleric": no place near X
                d = abs(mentions[j].start - mentions[i].start)
                a, b = sorted((mentions[j].start, mentions[i].start))
                if "\n" in text[a:b]:
                    # another paragraph (or item of a list) than the name's own: the story
                    # read before it, before one told after it
                    d += len(text) * (1 if j < i else 2)
                if best is None or d < best[0]:
                    best = (d, other)
            if best is None:
                if (
                    e is not None
                    and _fuzzy(r)
                    and e.country not in self.gazetteer.added_countries
                    and sum(countries.values()) > 1
                ):
                    # a near spelling of a place abroad that nothing else in the text
                    # supports is no place known: unresolved, not "Abu Dala" in Chad
                    out[i] = Resolution(None, 0.0, {}, 0.0)
                continue
            ctx = best[1]
            out[i] = Resolution(ctx.entry, ctx.score, {"fallback": 1.0, "context": 1.0}, 0.2)
        return out

    @staticmethod
    def _weak_abroad(
        r: Resolution,
        results: list[Resolution],
        i: int,
        countries: Counter[str],
        demonyms: Counter[str],
    ) -> bool:
        """A fuzzy match, or a small town, in a country that nothing else in the text points
        to: most likely an unknown village of the country the text is about."""
        e = r.entry
        if e is None or "fallback" in r.features:
            return False
        # a town met by an alternate name only ("Victoria" for Hong Kong) is as
        # weak as a fuzzy match when nothing else in the text is in its country
        weak = (
            _fuzzy(r)
            or (e.feature.startswith("P") and e.population < 50000)
            or ("alt" in r.features and e.feature.startswith("P"))
        )
        own = countries[e.country] - 1 if e.country else 0  # other places there
        if not weak or own > 0:
            return False
        if demonyms.get(e.country, 0) > 0:
            # a people named supports a town of theirs, except a near spelling in a report
            # whose places lie in another country ("Russian air strikes" over a report on
            # Aleppo's villages do not put "Zaytan" at Zaton)
            elsewhere = max((n for c, n in countries.items() if c != e.country), default=0)
            if not (_fuzzy(r) and elsewhere >= FOREIGN_PEOPLE_PLACES):
                return False
        if not (countries or demonyms):
            return False
        # "Fighting in Mosul and Palmyra": Palmyra keeps its place; a hamlet (no population
        # on record) only beside another place of the text
        keep_km = CONTEXT_KEEP_KM if e.population >= HAMLET_POP else HAMLET_KEEP_KM
        return _fuzzy(r) or not _near_another(e, results, i, keep_km)

    def _named_after(
        self, name: str, countries: Counter[str], demonyms: Counter[str]
    ) -> Entry | None:
        """A known town or area inside an unknown name, only where the document already
        points to its country (so "Palace of Westminster" in a report on London)."""
        words = [w for w in re.split(r"[\s,]+", name) if w]
        if not any(w.lower() in _FACILITY_WORD for w in words):
            return None  # only facilities: other unknown names keep the nearest-place rule
        for n in range(len(words) - 1, 0, -1):
            for k in range(len(words) - n + 1):
                part = words[k : k + n]
                if not part[0][:1].isupper() or part[0].lower() in _NOT_A_PLACE_WORD:
                    continue
                cands = [
                    e
                    for e, kind in self.gazetteer.candidates(" ".join(part))
                    if kind == 0 and (countries.get(e.country, 0) or demonyms.get(e.country, 0))
                ]
                if cands:
                    return max(cands, key=lambda e: (countries.get(e.country, 0), e.population))
        return None

    @staticmethod
    def _named_inside(
        mentions: list[Mention], results: list[Resolution], i: int, weak: set[int]
    ) -> Resolution | None:
        """A resolved mention whose whole name is inside mention ``i``'s name, not one of
        the ``weak`` matches abroad ("Bani Zeid Youth Housing" in a report on Aleppo is
        not the Banī Zayd of Palestine that "Bani Zeid" alone first resolved to)."""
        words = name_key(mentions[i].text).split()
        for j, other in enumerate(results):
            if j == i or j in weak or other.entry is None or "fallback" in other.features:
                continue
            inner = name_key(mentions[j].text).split()
            n = len(inner)
            if (
                n
                and n < len(words)
                and any(words[k : k + n] == inner for k in range(len(words) - n + 1))
            ):
                return other
        return None

    def _place(self, name: str, span: Span, r: Resolution) -> Place:
        e: Entry | None = r.entry
        if e is None:
            return Place(name=name, span=span, extractor=self.name, confidence=0.0)
        precision = e.precision
        if "fallback" in r.features:
            precision = max(2, precision)
        return Place(
            name=name,
            span=span,
            lat=e.lat,
            lon=e.lon,
            geonameid=e.geonameid,
            country=e.country or None,
            feature=e.feature,
            precision=precision,
            resolved_name=e.name,
            admin1=e.admin1 or None,
            score=r.score,
            features=tuple(sorted(r.features.items())),
            extractor=self.name,
            confidence=round(r.confidence, 4),
        )

    def _border_cues(self, text: str, mentions: list[Mention]) -> None:
        for mb in _BORDER_RE.finditer(text):
            ccs = tuple(
                c
                for c in (self._country_of_word(mb.group(1)), self._country_of_word(mb.group(2)))
                if c
            )
            if not ccs:
                continue
            lo, hi = mb.start() - 200, mb.end() + 200
            for m in mentions:
                if lo <= m.start <= hi:
                    m.border = ccs

    def _country_of_word(self, word: str) -> str | None:
        k = name_key(word)
        code = self.gazetteer.demonyms.get(k)
        if code and not code.startswith("#"):
            return code
        for e, kind in self.gazetteer.lookup_key(k):
            if e.feature == "A.PCLI" and kind == 0:
                return e.country
        return None

    def _actor_countries(self, sdoc: Doc | None, document: Document) -> Counter[str]:
        """The home countries of the groups and forces the text names, by the actor table
        (``fftrack/data/actors.yaml``): a cue to the country of its places, as a demonym
        is. Armed groups count ("Houthi fighters" YE, "QSD" SY), and state forces named
        without their country ("regime forces" SY, "the national army"); forces named by
        it ("US forces", "Turkish warplanes") often fight abroad, and a coalition always."""
        if sdoc is None:
            return Counter()
        from fftrack.extract.actors import find_actors  # the extractors' table, read lazily

        out: Counter[str] = Counter()
        for a in find_actors(sdoc, document):
            if not a.normalized or not a.country:
                continue
            if a.kind == "armed_group" or (
                a.kind == "state_forces"
                and not any(
                    self._country_of_word(w.replace(".", ""))
                    for w in _CAPITALISED_RE.findall(a.name)
                )
            ):
                out[a.country] += 1
        return out

    def _demonyms(self, sdoc: Doc | None, text: str) -> Counter[str]:
        out: Counter[str] = Counter()
        dem = self.gazetteer.demonyms
        if sdoc is not None:
            for ent in doc_ents(sdoc):
                if ent.label_ == "NORP":
                    cc = dem.get(name_key(ent.text))
                    if cc and not cc.startswith("#"):
                        out[cc] += 1
            return out
        for w in _WORD_RE.findall(text):
            cc = dem.get(name_key(w))
            if cc and not cc.startswith("#"):
                out[cc] += 1
        return out


_DIRECTION_BEFORE_RE = re.compile(
    r"\b(north|south|east|west)(?:[- ]?(east|west))?(?:ern)?\s+(?:(?:part|parts|side|"
    r"outskirts|countryside|suburbs|areas?)\s+of\s+)?(?:the\s+)?$",
    re.I,
)


def _direction_before(text: str, start: int) -> str:
    """ "eastern Deir ez-Zor", "north-west of Aleppo", "the southern countryside of Hama":
    the compass direction written before a name, as "e", "nw", ... ("" when none)."""
    mb = _DIRECTION_BEFORE_RE.search(text[max(0, start - 40) : start])
    if mb is None:
        return ""
    return mb.group(1)[0].lower() + (mb.group(2) or "")[:1].lower()


def _fuzzy(r: Resolution) -> bool:
    """Resolved through a skeleton, vowel-folded key or spelling rule, not a gazetteer name."""
    return "skeleton" in r.features or "variant" in r.features or "translit" in r.features


def _offset(e: Entry, bearing: float, km: float) -> Entry:
    """A point ``km`` from ``e`` towards ``bearing``: a place of its own (no GeoNames id),
    in ``e``'s country and admin1, as small as a town ("P.PPL")."""
    lat, lon = destination(e.lat, e.lon, bearing, km)
    pid = _synthetic_id("offset", str(e.id), f"{bearing:.0f}", f"{km:.1f}")
    return dataclasses.replace(
        e,
        id=pid,
        name=f"{km:g} km from {e.name}",
        lat=round(lat, 5),
        lon=round(lon, 5),
        feature="P.PPL",
        population=0,
    )


BETWEEN_MAX_KM = 300.0  # two towns farther apart than this say little of what lies between


def _one_sense(mentions: list[Mention], results: list[Resolution]) -> list[Resolution]:
    """One place per name in a document: where the text puts one mention of a name in or
    near a town beside it ("al-Hamidiyeh village on the east side of the airbase") and so
    moved it off a far namesake or an unknown name, the other mentions of that name with
    no cue of their own take the same place, unless their bare reading is a big town."""
    tied: dict[str, Resolution] = {}
    clash: set[str] = set()
    for m, r in zip(mentions, results, strict=True):
        e = r.entry
        if m.container is None or m.container_kind != "in" or e is None:
            continue
        if "fallback" not in r.features or not e.country or e.precision > 3:
            continue
        key = fold_key(m.text)
        if key in tied and tied[key].entry.id != e.id:  # type: ignore[union-attr]
            clash.add(key)
        tied.setdefault(key, r)
    if not tied:
        return results
    out = list(results)
    for i, m in enumerate(mentions):
        key = fold_key(m.text)
        t = tied.get(key)
        if t is None or t.entry is None or key in clash or m.container is not None:
            continue
        own = out[i].entry
        if own is not None and (
            own.population >= ONE_SENSE_MAX_POP
            or haversine_km(own.lat, own.lon, t.entry.lat, t.entry.lon) <= NEAR_OF_KM
        ):
            continue  # a big town, or a reading near the tied one, stands on its own
        out[i] = Resolution(t.entry, t.score, {**t.features, "one_sense": 1.0}, t.confidence)
    return out


def _between(mentions: list[Mention], results: list[Resolution], text: str) -> list[Resolution]:
    """ "the village of Al-Kubar, between Raqqa and Deir ez-Zor": X lies between the two
    towns. Where X is unknown, or was put at a namesake away from them (or at one of them,
    by a fallback), it is put at their midpoint (precision 2, low confidence)."""
    out = list(results)
    for k in range(len(mentions) - 2):
        x, y, z = mentions[k : k + 3]
        if not BETWEEN_GAP_RE.match(text[x.end : y.start]) or not AND_GAP_RE.match(
            text[y.end : z.start]
        ):
            continue
        ey, ez = out[k + 1].entry, out[k + 2].entry
        if ey is None or ez is None or ey.id == ez.id:
            continue
        if any("fallback" in out[j].features for j in (k + 1, k + 2)):
            continue
        if ey.precision > 2 or ez.precision > 2 or ey.country != ez.country:
            continue
        apart = haversine_km(ey.lat, ey.lon, ez.lat, ez.lon)
        if apart > BETWEEN_MAX_KM:
            continue
        mid = dataclasses.replace(
            ey,
            id=_synthetic_id("between", str(ey.id), str(ez.id)),
            name=f"between {ey.name} and {ez.name}",
            lat=round((ey.lat + ez.lat) / 2, 5),
            lon=round((ey.lon + ez.lon) / 2, 5),
            feature="P.PPL",
            population=0,
        )
        ex = out[k].entry
        if (
            ex is not None
            and "fallback" not in out[k].features
            and haversine_km(ex.lat, ex.lon, mid.lat, mid.lon) <= apart / 2 + 25.0
        ):
            continue  # a town the gazetteer knows, where the text says it is
        out[k] = Resolution(mid, 0.0, {"fallback": 1.0, "between": 1.0}, 0.3)
    return out


def _far_city_parts(mentions: list[Mention], results: list[Resolution], text: str) -> set[int]:
    """Mentions written as a part of a city ("the Daraiya neighborhood", "the Al-Morour
    and Daraiya neighborhoods" in a report on Raqqa) that resolved to a town farther than
    ``CITY_PART_KM`` from every other place of the text: a namesake, not the quarter meant."""
    out: set[int] = set()
    for i, (m, r) in enumerate(zip(mentions, results, strict=True)):
        e = r.entry
        if e is None or "fallback" in r.features or not e.feature.startswith("P"):
            continue
        if not _CITY_PART_AFTER_RE.match(text, m.end):
            continue
        if not _near_another(e, results, i, CITY_PART_KM):
            out.add(i)
    return out


def _near_another(e: Entry, results: list[Resolution], i: int, km: float) -> bool:
    """Another resolved, sub-national place of the text lies within ``km`` of ``e``."""
    for j, other in enumerate(results):
        o = other.entry
        if j == i or o is None or "fallback" in other.features or o.id == e.id:
            continue
        if o.feature in ("A.PCLI", "L.CONT") or o.feature.startswith("H.O"):
            continue
        if haversine_km(e.lat, e.lon, o.lat, o.lon) < km:
            return True
    return False


def _sentence_index(sdoc: Doc | None) -> list[tuple[int, int]]:
    if sdoc is None:
        return []
    try:
        return [(s.start_char, s.end_char) for s in doc_sents(sdoc)]
    except ValueError:  # no sentence boundaries set
        return []


def _sentence_of(sents: list[tuple[int, int]], s: int, e: int, n: int) -> tuple[int, int]:
    """The first sentence (in text order) that holds the span's start, or its whole."""
    # sentences (spaCy's) are in text order and do not overlap: the one starting last at
    # or before ``s`` is the only one that can hold it; the one before it is checked too
    k = bisect_right(sents, (s, n + 1)) - 1
    for a, b in sents[max(0, k - 1) : k + 1]:
        if a <= s < b or (a <= s and e <= b):
            return a, max(b, e)
    return 0, n
