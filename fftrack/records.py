"""Typed records: the one vocabulary every stage of fftrack speaks.

Every fact carries its provenance: the document it came from, the character span
(end-exclusive Python ``str`` offsets into ``Document.text``), the sentence around it,
the extractor that made it (``name@version``) and a confidence in [0, 1].

Records are frozen dataclasses. Their ``id`` is derived from content (document id,
span, kind and a discriminator), so extracting the same text twice gives the same ids
and storing them again is an upsert, never a duplicate; it is computed once per record
(a ``cached_property``: the fields it hashes never change).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, Literal

QUALIFIERS = ("exact", "about", "more_than", "at_least", "fewer_than", "at_most")
Qualifier = Literal["exact", "about", "more_than", "at_least", "fewer_than", "at_most"]

DATE_PRECISIONS = ("day", "week", "month", "season", "year")
DatePrecision = Literal["day", "week", "month", "season", "year"]

# Place precision codes as ACLED uses them, plus 4 for a whole country.
PLACE_PRECISION_EXACT = 1  # a town, village or exact place
PLACE_PRECISION_NEAR = 2  # a nearby or district-level place
PLACE_PRECISION_REGION = 3  # a region or province
PLACE_PRECISION_COUNTRY = 4  # a country


def content_id(*parts: object, length: int = 16) -> str:
    """A deterministic id: the first ``length`` hex digits of sha1 over the parts."""
    h = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:length]


@dataclass(frozen=True)
class Document:
    """One source document: an article, a feed entry, a note."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: date | None = None
    source: str | None = None  # outlet or feed name
    language: str | None = "en"
    origin: str | None = None  # file path (and line) it was read from

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "source": self.source,
            "language": self.language,
            "origin": self.origin,
        }


@dataclass(frozen=True)
class Span:
    """Where in a document a fact was read: ``text[start:end]`` inside one sentence."""

    document_id: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int

    def __post_init__(self) -> None:
        if not (0 <= self.start <= self.end):
            raise ValueError(f"bad span {self.start}:{self.end}")
        if not (self.sentence_start <= self.start and self.end <= self.sentence_end):
            # keep the sentence around the span whatever the caller gave
            object.__setattr__(self, "sentence_start", min(self.sentence_start, self.start))
            object.__setattr__(self, "sentence_end", max(self.sentence_end, self.end))

    def text(self, document_text: str) -> str:
        return document_text[self.start : self.end]

    def sentence(self, document_text: str) -> str:
        return document_text[self.sentence_start : self.sentence_end]


@dataclass(frozen=True)
class Quantity:
    """A reported number with its qualifier: "more than 800" is ``(800, "more_than")``.

    ``upper`` is set for ranges ("27,000-31,000": value 27000, upper 31000, qualifier
    ``at_least``).
    """

    value: int
    qualifier: Qualifier = "exact"
    upper: int | None = None
    text: str | None = None

    def __post_init__(self) -> None:
        if self.qualifier not in QUALIFIERS:
            raise ValueError(f"unknown qualifier {self.qualifier!r}")

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"value": self.value, "qualifier": self.qualifier}
        if self.upper is not None:
            d["upper"] = self.upper
        if self.text is not None:
            d["text"] = self.text
        return d


@dataclass(frozen=True)
class TimeRef:
    """A date as precisely as the text gives it.

    ``start`` and ``end`` bound the period (inclusive); ``precision`` says what the
    text pinned down ("March 2017" is month precision, start 2017-03-01, end 2017-03-31).
    """

    start: date
    end: date
    precision: DatePrecision
    text: str | None = None

    def __post_init__(self) -> None:
        if self.precision not in DATE_PRECISIONS:
            raise ValueError(f"unknown date precision {self.precision!r}")

    @property
    def iso(self) -> str:
        """The date written to its precision: 2017-03-22, 2017-03, 2017-summer, 2017."""
        if self.precision in ("day", "week"):
            return self.start.isoformat()
        if self.precision == "month":
            return f"{self.start.year:04d}-{self.start.month:02d}"
        if self.precision == "season":
            season = {3: "spring", 6: "summer", 9: "autumn", 12: "winter"}.get(
                self.start.month, "season"
            )
            return f"{self.start.year:04d}-{season}"
        return f"{self.start.year:04d}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.iso,
            "precision": self.precision,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "text": self.text,
        }


@dataclass(frozen=True)
class Place:
    """A toponym in a text and the gazetteer entry it was resolved to (if any)."""

    name: str  # as written in the text
    span: Span
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    feature: str | None = None  # GeoNames feature class.code, e.g. "P.PPL", "A.ADM1"
    precision: int | None = None  # 1 town, 2 district/nearby, 3 region, 4 country
    resolved_name: str | None = None  # the gazetteer's name
    admin1: str | None = None
    score: float = 0.0
    features: tuple[tuple[str, float], ...] = ()  # the winning features, for explanation
    extractor: str = "geo.resolve.v9"
    confidence: float = 0.0

    @cached_property
    def id(self) -> str:
        return content_id("place", self.span.document_id, self.span.start, self.span.end)

    @property
    def resolved(self) -> bool:
        return self.lat is not None and self.lon is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "start": self.span.start,
            "end": self.span.end,
            "lat": self.lat,
            "lon": self.lon,
            "geonameid": self.geonameid,
            "country": self.country,
            "feature": self.feature,
            "precision": self.precision,
            "resolved_name": self.resolved_name,
            "admin1": self.admin1,
            "score": round(self.score, 4),
            "features": dict(self.features),
            "extractor": self.extractor,
            "confidence": round(self.confidence, 4),
        }


@dataclass(frozen=True)
class Actor:
    """An actor as a source mentions it: an armed group, state forces, a described group.

    ``name`` is the text as written, ``normalized`` the canonical name ("Islamic State"
    for ISIS, ISIL, Daesh). ``country`` is a nationality (ISO2) where the text gives one
    ("British fighters" -> GB).
    """

    name: str
    span: Span
    normalized: str | None = None
    kind: str = "group"  # armed_group, state_forces, civilians, group, organisation, person
    country: str | None = None
    language: str | None = None  # "French-speaking jihadists" -> "fr"
    extractor: str = "extract.actors.v1"
    confidence: float = 0.5

    @cached_property
    def id(self) -> str:
        return content_id("actor", self.span.document_id, self.span.start, self.span.end)

    @property
    def key(self) -> str:
        return self.normalized or self.name

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "normalized": self.normalized,
            "kind": self.kind,
            "country": self.country,
            "language": self.language,
            "start": self.span.start,
            "end": self.span.end,
            "extractor": self.extractor,
            "confidence": round(self.confidence, 4),
        }


@dataclass(frozen=True)
class Event:
    """A conflict event coded with ACLED's public taxonomy."""

    event_type: str
    sub_event_type: str | None
    span: Span
    date: TimeRef | None = None
    place: Place | None = None
    actors: tuple[Actor, ...] = ()  # actor1 first, then actor2, then associated actors
    fatalities: Quantity | None = None
    injured: Quantity | None = None
    trigger: str | None = None  # the word that signalled it ("killed", "bombing")
    extractor: str = "extract.events.v9"
    confidence: float = 0.5
    claimed_by: str | None = None  # who claimed responsibility, as the report names them
    part: int = 0  # >0: one of several places of one clause ("seized X and Y"), one event each

    @cached_property
    def id(self) -> str:
        parts: tuple[object, ...] = (self.part,) if self.part else ()
        return content_id(
            "event", self.span.document_id, self.span.start, self.span.end, self.event_type, *parts
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "date": self.date.iso if self.date else None,
            "date_precision": self.date.precision if self.date else None,
            "date_start": self.date.start.isoformat() if self.date else None,
            "date_end": self.date.end.isoformat() if self.date else None,
            "place": self.place.to_dict() if self.place else None,
            "actors": [a.to_dict() for a in self.actors],
            "fatalities": self.fatalities.to_dict() if self.fatalities else None,
            "injured": self.injured.to_dict() if self.injured else None,
            "trigger": self.trigger,
            "claimed_by": self.claimed_by,
            "start": self.span.start,
            "end": self.span.end,
            "extractor": self.extractor,
            "confidence": round(self.confidence, 4),
        }


@dataclass(frozen=True)
class Movement:
    """A reported movement of a group between places (fled, travelled, returned, ...)."""

    span: Span
    actor: Actor | None = None
    origin: Place | None = None
    destination: Place | None = None
    via: tuple[Place, ...] = ()
    manner: str = "moved"  # fled, escaped, travelled, returned, transferred, stranded, ...
    date: TimeRef | None = None
    size: Quantity | None = None
    extractor: str = "extract.movements.v1"
    confidence: float = 0.5

    @cached_property
    def id(self) -> str:
        return content_id("movement", self.span.document_id, self.span.start, self.span.end)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "actor": self.actor.to_dict() if self.actor else None,
            "nationality": self.actor.country if self.actor else None,
            "language": self.actor.language if self.actor else None,
            "origin": self.origin.to_dict() if self.origin else None,
            "destination": self.destination.to_dict() if self.destination else None,
            "via": [p.to_dict() for p in self.via],
            "manner": self.manner,
            "date": self.date.iso if self.date else None,
            "date_precision": self.date.precision if self.date else None,
            "size": self.size.to_dict() if self.size else None,
            "start": self.span.start,
            "end": self.span.end,
            "extractor": self.extractor,
            "confidence": round(self.confidence, 4),
        }


@dataclass(frozen=True)
class Figure:
    """A count a source reports for a group: "more than 800 mostly young men" from Britain."""

    subject: str  # the counted group as written
    value: Quantity
    span: Span
    category: str = "other"  # fighters, affiliates, women, minors, returnees, detained, killed, ...
    origin: str | None = None  # ISO2 country the group comes from
    destination: str | None = None  # place or country they went to
    group: str | None = None  # the group joined, normalized ("Islamic State")
    as_of: TimeRef | None = None
    attributed_to: str | None = None  # who gives the figure ("ICSR", "the Soufan Group")
    extractor: str = "extract.figures.v1"
    confidence: float = 0.5

    @cached_property
    def id(self) -> str:
        return content_id("figure", self.span.document_id, self.span.start, self.span.end)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "subject": self.subject,
            "value": self.value.value,
            "qualifier": self.value.qualifier,
            "upper": self.value.upper,
            "category": self.category,
            "origin": self.origin,
            "destination": self.destination,
            "group": self.group,
            "as_of": self.as_of.iso if self.as_of else None,
            "as_of_precision": self.as_of.precision if self.as_of else None,
            "attributed_to": self.attributed_to,
            "start": self.span.start,
            "end": self.span.end,
            "extractor": self.extractor,
            "confidence": round(self.confidence, 4),
        }


@dataclass(frozen=True)
class Extraction:
    """Everything read from one document."""

    document: Document
    places: tuple[Place, ...] = ()
    actors: tuple[Actor, ...] = ()
    events: tuple[Event, ...] = ()
    movements: tuple[Movement, ...] = ()
    figures: tuple[Figure, ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.document.id,
            "places": [p.to_dict() for p in self.places],
            "actors": [a.to_dict() for a in self.actors],
            "events": [e.to_dict() for e in self.events],
            "movements": [m.to_dict() for m in self.movements],
            "figures": [f.to_dict() for f in self.figures],
        }
