"""Query: the filters every listing command and the web API share, and their SQL.

A Query is a frozen value; ``validate()`` raises UsageError with a one-line message on a
bad value. ``Query.parse`` builds one from strings as a user types them (CLI flags, URL
parameters): ``since="2017-06"`` means from 1 June 2017, ``until="2017"`` up to the end
of 2017, ``bbox="W,S,E,N"``.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from fftrack.errors import UsageError

SEP = "\x1f"
# ``--country unknown``: records whose place has no country (``stats`` counts them so)
UNKNOWN_COUNTRY = "unknown"

_DATE_RE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


def key(value: str) -> str:
    """The case-folded form names are matched by."""
    return " ".join(value.casefold().split())


def keys(values: list[str | None] | tuple[str | None, ...]) -> str:
    """A delimited, case-folded list of names for ``instr`` matching: ``\\x1fa\\x1fb\\x1f``."""
    seen: list[str] = []
    for v in values:
        if v:
            k = key(v)
            if k and k not in seen:
                seen.append(k)
    return SEP + SEP.join(seen) + SEP if seen else ""


def parse_date(text: str, *, end: bool = False) -> date:
    """``2017``, ``2017-06`` or ``2017-06-05``: the first day of that period (last if ``end``).

    The one parser of a filter date (CLI flags, URL parameters, ``extract --published``);
    ``fftrack.ingest.parse_date`` is another idea: a publication date as a source writes it.
    """
    m = _DATE_RE.match(text or "")
    if not m:
        raise UsageError(f"bad date {text!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    try:
        if month is None:
            return date(year, 12, 31) if end else date(year, 1, 1)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return date(year, month, last) if end else date(year, month, 1)
        return date(year, month, day)
    except ValueError as exc:
        raise UsageError(f"bad date {text!r}: {exc}") from exc


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    parts = [p.strip() for p in (text or "").split(",")]
    if len(parts) != 4:
        raise UsageError(f"bad bbox {text!r}: use W,S,E,N (four numbers)")
    try:
        w, s, e, n = (float(p) for p in parts)
    except ValueError as exc:
        raise UsageError(f"bad bbox {text!r}: use W,S,E,N (four numbers)") from exc
    if not all(math.isfinite(v) for v in (w, s, e, n)):
        raise UsageError("bbox: coordinates must be finite numbers")
    return (w, s, e, n)


def _period(name: str, raw: str | None, *, end: bool = False) -> date | None:
    text = raw.strip() if raw else ""
    if not text:
        return None
    try:
        return parse_date(text, end=end)
    except UsageError as exc:
        raise UsageError(f"{name}: {exc}") from None


def _text(name: str, raw: str | None, max_len: int | None) -> str | None:
    text = raw.strip() if raw else ""
    if not text:
        return None
    if max_len is not None and len(text) > max_len:
        raise UsageError(f"{name}: longer than {max_len} characters")
    return text


def parse_whole(
    raw: int | str | None, name: str, *, default: int | None, low: int, high: int | None
) -> int | None:
    """A whole number from a user's string (``default`` where blank), within [low, high]
    where ``high`` is given."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return default
    try:
        value = int(raw.strip() if isinstance(raw, str) else raw)
    except (TypeError, ValueError):
        raise UsageError(f"{name}: {raw!r} is not a whole number") from None
    if high is not None and not (low <= value <= high):
        raise UsageError(f"{name}: must be between {low} and {high}, got {value}")
    return value


@dataclass(frozen=True)
class Query:
    """Filters over stored records. Every field is optional; ``None`` means no filter.

    - ``since``/``until``: the record's date period overlaps [since, until]. Events,
      movements and figures without a date of their own match no date filter unless
      ``include_undated``: then they match by their document's publication date. Places
      and actors have no date of their own and always match by publication date.
      Results come ordered by that date, then id.
    - ``country``: ISO2 of the record's place (figures: origin; actors: nationality;
      movements: origin or destination); ``"unknown"``: no country (movements: at
      either end).
    - ``place``: place name as written or as resolved, case-insensitive, whole name.
    - ``type``: event_type or sub_event_type; movement manner; figure category; place
      feature (``P`` or ``P.PPL``); actor kind.
    - ``actor``: case-insensitive substring of any actor's name or normalized name.
    - ``bbox``: (W, S, E, N) in degrees; W > E crosses the antimeridian.
    """

    since: date | None = None
    until: date | None = None
    country: str | None = None
    place: str | None = None
    type: str | None = None
    actor: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    limit: int | None = None
    offset: int = 0
    include_undated: bool = False

    @classmethod
    def parse(
        cls,
        *,
        since: str | None = None,
        until: str | None = None,
        country: str | None = None,
        place: str | None = None,
        type: str | None = None,
        actor: str | None = None,
        bbox: str | None = None,
        limit: int | str | None = None,
        offset: int | str | None = None,
        include_undated: bool = False,
        default_limit: int | None = None,
        max_limit: int | None = None,
        max_offset: int | None = None,
        max_text: int | None = None,
    ) -> Query:
        """Build and validate a Query from user strings (empty strings mean no filter).

        The one filter parser: the CLI calls it plainly, the web API
        (``fftrack.web.params.parse_filters``) with its bounds: a ``default_limit``, a
        ``limit`` of 1 to ``max_limit``, an ``offset`` of at most ``max_offset`` and names
        of at most ``max_text`` characters. Raises ``UsageError`` on the first problem.
        """
        q = cls(
            since=_period("since", since),
            until=_period("until", until, end=True),
            country=_parse_country(_text("country", country, max_text)),
            place=_text("place", place, max_text),
            type=_text("type", type, max_text),
            actor=_text("actor", actor, max_text),
            bbox=parse_bbox(bbox) if bbox and bbox.strip() else None,
            limit=parse_whole(limit, "limit", default=default_limit, low=1, high=max_limit),
            offset=parse_whole(offset, "offset", default=0, low=0, high=max_offset) or 0,
            include_undated=bool(include_undated),
        )
        return q.validate()

    def validate(self) -> Query:
        for name in ("since", "until"):
            v = getattr(self, name)
            if v is not None and not isinstance(v, date):
                raise UsageError(f"{name} must be a date, got {v!r}")
        if self.since and self.until and _as_date(self.since) > _as_date(self.until):
            raise UsageError(f"since ({self.since}) is after until ({self.until})")
        if self.country is not None and self.country != UNKNOWN_COUNTRY:
            if not (
                isinstance(self.country, str)
                and len(self.country) == 2
                and self.country.isascii()
                and self.country.isalpha()
            ):
                raise UsageError(
                    f"country must be an ISO 3166-1 alpha-2 code or {UNKNOWN_COUNTRY!r},"
                    f" got {self.country!r}"
                )
        for name in ("place", "type", "actor"):
            v = getattr(self, name)
            if v is None:
                continue
            if not isinstance(v, str) or not v.strip():
                raise UsageError(f"{name} must be a non-empty string")
            if _CONTROL_RE.search(v):
                raise UsageError(f"{name} must not contain control characters")
        if self.bbox is not None:
            try:
                w, s, e, n = (float(x) for x in self.bbox)
            except (TypeError, ValueError) as exc:
                raise UsageError(f"bbox must be four numbers W,S,E,N, got {self.bbox!r}") from exc
            if not (-180 <= w <= 180 and -180 <= e <= 180):
                raise UsageError(f"bbox longitudes must be within [-180, 180], got {w}, {e}")
            if not (-90 <= s <= 90 and -90 <= n <= 90):
                raise UsageError(f"bbox latitudes must be within [-90, 90], got {s}, {n}")
            if s > n:
                raise UsageError(f"bbox south ({s}) is north of north ({n})")
        if self.limit is not None and (
            not isinstance(self.limit, int) or isinstance(self.limit, bool) or self.limit < 0
        ):
            raise UsageError(f"limit must be a whole number >= 0, got {self.limit!r}")
        if not isinstance(self.offset, int) or isinstance(self.offset, bool) or self.offset < 0:
            raise UsageError(f"offset must be a whole number >= 0, got {self.offset!r}")
        return self

    def unpaged(self) -> Query:
        """The same filters without limit/offset (for counting)."""
        return replace(self, limit=None, offset=0)


def _parse_country(raw: str | None) -> str | None:
    text = raw.strip() if raw else ""
    if not text:
        return None
    return UNKNOWN_COUNTRY if text.casefold() == UNKNOWN_COUNTRY else text.upper()


def _as_date(d: date) -> date:
    return d.date() if isinstance(d, datetime) else d


# A record's date of its own (date_start falls back to the publication date without one)
_OWN_DATE = {
    "events": "json_extract(data, '$.date') IS NOT NULL",
    "movements": "json_extract(data, '$.date') IS NOT NULL",
    "figures": "json_extract(data, '$.as_of') IS NOT NULL",
}

# Which filters apply to which table, and how. Filters that do not apply raise UsageError.
_NOT_FOR = {
    "events": set(),
    "movements": set(),
    "figures": {"bbox"},
    "actors": {"place", "bbox"},
    "places": {"actor"},
}


def where_clause(table: str, q: Query) -> tuple[str, list[Any]]:
    """SQL ``WHERE ...`` (or ``""``) and its parameters for ``q`` over ``table``."""
    q.validate()
    kind = table.rstrip("s")
    for name in sorted(_NOT_FOR[table]):
        if getattr(q, name) is not None:
            raise UsageError(f"the {name} filter does not apply to {kind} records")
    conds: list[str] = []
    params: list[Any] = []
    if q.since is not None:
        conds.append("date_end >= ?")
        params.append(_as_date(q.since).isoformat())
    if q.until is not None:
        conds.append("date_start <= ?")
        params.append(_as_date(q.until).isoformat())
    if (q.since is not None or q.until is not None) and not q.include_undated:
        if table in _OWN_DATE:
            conds.append(_OWN_DATE[table])
    if q.country == UNKNOWN_COUNTRY:
        if table == "movements":
            conds.append("(origin_country IS NULL OR destination_country IS NULL)")
        else:
            conds.append("country IS NULL")
    elif q.country is not None:
        cc = q.country.upper()
        if table == "movements":
            conds.append("instr(country_keys, ?) > 0")
            params.append(SEP + cc.casefold() + SEP)
        else:
            conds.append("country = ?")
            params.append(cc)
    if q.place is not None:
        conds.append("instr(place_keys, ?) > 0")
        params.append(SEP + key(q.place) + SEP)
    if q.type is not None:
        if table == "places":
            conds.append("(upper(feature) = ? OR upper(feature) LIKE ? ESCAPE '\\')")
            t = q.type.strip().upper()
            params.extend([t, _like_escape(t) + ".%"])
        elif table == "actors":
            conds.append("lower(kind) = ?")
            params.append(q.type.strip().lower())
        else:
            conds.append("instr(type_keys, ?) > 0")
            params.append(SEP + key(q.type) + SEP)
    if q.actor is not None:
        conds.append("instr(actor_keys, ?) > 0")
        params.append(key(q.actor))
    if q.bbox is not None:
        w, s, e, n = (float(x) for x in q.bbox)
        if table == "movements":
            parts = []
            for end in ("origin", "destination"):
                c, p = _bbox_cond(f"{end}_lat", f"{end}_lon", w, s, e, n)
                parts.append(c)
                params.extend(p)
            conds.append("(" + " OR ".join(parts) + ")")
        else:
            c, p = _bbox_cond("lat", "lon", w, s, e, n)
            conds.append(c)
            params.extend(p)
    return (" WHERE " + " AND ".join(conds)) if conds else "", params


def _bbox_cond(
    lat: str, lon: str, w: float, s: float, e: float, n: float
) -> tuple[str, list[float]]:
    if w <= e:
        return f"({lat} BETWEEN ? AND ? AND {lon} BETWEEN ? AND ?)", [s, n, w, e]
    # crosses the antimeridian
    return f"({lat} BETWEEN ? AND ? AND ({lon} >= ? OR {lon} <= ?))", [s, n, w, e]


def _like_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def order_limit(q: Query) -> tuple[str, list[Any]]:
    """``ORDER BY`` date then id, and ``LIMIT``/``OFFSET``."""
    sql = " ORDER BY date_start IS NULL, date_start, date_end, id"
    params: list[Any] = []
    if q.limit is not None or q.offset:
        sql += " LIMIT ? OFFSET ?"
        params.extend([q.limit if q.limit is not None else -1, q.offset])
    return sql, params
