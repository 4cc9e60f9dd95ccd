"""Reference data and the comparison with it: read ACLED's CSV, match fftrack's events.

``read_acled_csv(fh)`` yields ``(line, row or None, reason)`` for each data line of an
ACLED export (ACLED's own files, in the current or the pre-2019 taxonomy, or
``fftrack export --format acled``); ``compare(ours, reference)`` matches merged events
to reference events (``MATCHER``):

- the same type family (``FAMILY``: ACLED's event types, old names and new, grouped:
  battles, remote violence and explosions, violence against civilians, demonstrations,
  strategic developments);
- in time: fftrack's date period overlaps the reference date widened by its time
  precision (1: a day either side; 2: a week either side; 3: its month);
- in place: within 25 km, or (where either side has no coordinates) the same location
  name in the same country;

each pair scored by distance in km plus 10 per day apart, and matched one to one, best
score first. The report gives matched / only-fftrack / only-reference counts, the median
place error of matched pairs with coordinates on both sides, and fatality differences
(fftrack minus reference; an fftrack event without a reported figure counts 0, as ACLED
codes it; a reference event whose file gives no figure, an empty ACLED cell or any GDELT
event, is left out of them). An fftrack event without a date of its own is placed at its earliest report's
publication date.

GDELT's events (``fftrack.export.gdelt``) are matched the same way (``compare.gdelt.v1``),
their CAMEO codes mapped to the families above, with two differences: a GDELT event
placed only at a country's centroid (``geo_precision`` 4) matches an fftrack event in the
same country (no distance, so no place error; scored as if 100 km away, so a pair placed
within 25 km is taken first), and GDELT codes no fatalities, so its
pairs are left out of the fatality differences. A reference event of no type family (a
GDELT statement or appeal) is not compared: ``compare_store`` counts it apart.
"""

from __future__ import annotations

import csv
import math
import statistics
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TextIO

from fftrack.errors import UsageError
from fftrack.geodesy import haversine_km

MATCHER = "compare.acled.v1"
MAX_KM = 25.0
COUNTRY_SCORE = 100.0  # a country-only reference place scores as if 100 km away

FAMILY = {
    "Battles": "battles",
    "Battle-No change of territory": "battles",
    "Battle-Government regains territory": "battles",
    "Battle-Non-state actor overtakes territory": "battles",
    "Explosions/Remote violence": "remote",
    "Remote violence": "remote",
    "Violence against civilians": "civilians",
    "Protests": "demonstrations",
    "Riots": "demonstrations",
    "Riots/Protests": "demonstrations",
    "Strategic developments": "strategic",
    "Strategic development": "strategic",
    "Non-violent transfer of territory": "strategic",
    "Headquarters or base established": "strategic",
}
REQUIRED = ("event_date", "event_type")
_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d/%m/%Y", "%d-%b-%y", "%d %b %Y")


def family(event_type: str | None) -> str | None:
    return FAMILY.get((event_type or "").strip())


def parse_date(text: str) -> date:
    t = " ".join((text or "").split())
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(t, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"bad event_date {text!r}")


def window(d: date, precision: int | None) -> tuple[date, date]:
    """The period a reference date stands for, given ACLED's time_precision."""
    if precision == 3:
        first = d.replace(day=1)
        nxt = (first + timedelta(days=32)).replace(day=1)
        return first - timedelta(days=1), nxt
    tol = 7 if precision == 2 else 1
    return d - timedelta(days=tol), d + timedelta(days=tol)


def _int(v: Any) -> int | None:
    try:
        return int(float(v)) if v not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _float(v: Any) -> float | None:
    try:
        f = float(v) if v not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return f if f is not None and math.isfinite(f) else None


def _country(iso: Any, name: Any) -> str | None:
    import pycountry

    num = _int(iso)
    if num:
        c = pycountry.countries.get(numeric=f"{num:03d}")
        if c is not None:
            return str(c.alpha_2)
    n = (name or "").strip()
    if not n:
        return None
    from fftrack.export.acled import _COUNTRY_NAMES

    for cc, acled_name in _COUNTRY_NAMES.items():
        if acled_name.casefold() == n.casefold():
            return cc
    try:
        return str(pycountry.countries.lookup(n).alpha_2)
    except LookupError:
        return None


def acled_reference_row(raw: dict[str, str]) -> dict[str, Any]:
    """One ACLED CSV row as a ``reference_events`` row (ValueError if unusable)."""
    d = parse_date(raw.get("event_date") or "")
    precision = _int(raw.get("time_precision"))
    start, end = window(d, precision)
    ref_id = (raw.get("event_id_cnty") or raw.get("data_id") or "").strip()
    if not ref_id:
        raise ValueError("no event_id_cnty or data_id")
    lat, lon = _float(raw.get("latitude")), _float(raw.get("longitude"))
    if lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        lat = lon = None
    etype = (raw.get("event_type") or "").strip()
    return {
        "ref_id": ref_id,
        "event_date": d.isoformat(),
        "date_start": start.isoformat(),
        "date_end": end.isoformat(),
        "time_precision": precision,
        "event_type": etype,
        "sub_event_type": (raw.get("sub_event_type") or "").strip() or None,
        "family": family(etype),
        "actor1": (raw.get("actor1") or "").strip() or None,
        "actor2": (raw.get("actor2") or "").strip() or None,
        "country": _country(raw.get("iso"), raw.get("country")),
        "admin1": (raw.get("admin1") or "").strip() or None,
        "admin2": (raw.get("admin2") or "").strip() or None,
        "location": (raw.get("location") or "").strip() or None,
        "lat": lat,
        "lon": lon,
        "geo_precision": _int(raw.get("geo_precision")),
        "fatalities": _int(raw.get("fatalities")),
        "notes": raw.get("notes") or None,
        "data": {k: v for k, v in raw.items() if k and v not in (None, "")},
    }


def read_acled_csv(fh: TextIO) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    """``(line, row, "")`` for each good line of an ACLED CSV, ``(line, None, reason)``
    for a bad one. UsageError when the header lacks ACLED's columns."""
    reader = csv.DictReader(fh)
    header = [(h or "").strip().lstrip("\ufeff") for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [c for c in REQUIRED if c not in header]
    if missing or not ({"event_id_cnty", "data_id"} & set(header)):
        need = ", ".join([*missing, "event_id_cnty or data_id"][: len(missing) + 1])
        raise UsageError(f"not an ACLED CSV: the header lacks {need}")
    for raw in reader:
        line = reader.line_num
        try:
            yield line, acled_reference_row(raw), ""
        except ValueError as exc:
            yield line, None, str(exc)


@dataclass
class Side:
    """One event of either side, reduced to what matching needs."""

    id: str
    family: str | None
    start: date
    end: date
    country: str | None
    location: str | None
    lat: float | None
    lon: float | None
    fatalities: int
    row: dict[str, Any] = field(repr=False)
    geo_precision: int | None = None
    has_fatalities: bool = True


def ours_side(row: dict[str, Any]) -> Side | None:
    """A merged (or per-report) event as a Side: dated by its own date, else by its
    earliest report's publication date; None with neither."""
    start: str | None = row.get("date_start")
    end: str | None = row.get("date_end") or start
    if not start or not end:
        published = sorted(
            str(s["published"]) for s in row.get("sources") or [] if s.get("published")
        )
        if not published:
            return None
        start = end = published[0][:10]
    place = row.get("place") if isinstance(row.get("place"), dict) else {}
    assert isinstance(place, dict)
    fat = row.get("fatalities") if isinstance(row.get("fatalities"), dict) else None
    return Side(
        id=str(row.get("cluster_id") or row.get("id")),
        family=family(row.get("event_type")),
        start=date.fromisoformat(start),
        end=date.fromisoformat(end),
        country=place.get("country"),
        location=place.get("resolved_name") or place.get("name"),
        lat=place.get("lat"),
        lon=place.get("lon"),
        fatalities=int(fat["value"]) if fat and fat.get("value") is not None else 0,
        row=row,
    )


def reference_side(r: dict[str, Any]) -> Side:
    return Side(
        id=r["ref_id"],
        family=r.get("family"),
        start=date.fromisoformat(r["date_start"]),
        end=date.fromisoformat(r["date_end"]),
        country=r.get("country"),
        location=r.get("location"),
        lat=r.get("lat"),
        lon=r.get("lon"),
        fatalities=r.get("fatalities") or 0,
        row=r,
        geo_precision=r.get("geo_precision"),
        has_fatalities=r.get("fatalities") is not None,
    )


@dataclass
class Comparison:
    ours: list[Side]
    reference: list[Side]
    pairs: list[tuple[Side, Side, float | None]]  # (ours, reference, km or None)
    matcher: str = MATCHER

    @property
    def only_ours(self) -> list[Side]:
        matched = {id(p[0]) for p in self.pairs}
        return [s for s in self.ours if id(s) not in matched]

    @property
    def only_reference(self) -> list[Side]:
        matched = {id(p[1]) for p in self.pairs}
        return [s for s in self.reference if id(s) not in matched]

    def summary(self) -> dict[str, Any]:
        errs = [d for _, _, d in self.pairs if d is not None]
        diffs = [o.fatalities - r.fatalities for o, r, _ in self.pairs if r.has_fatalities]
        return {
            "matcher": self.matcher,
            "fftrack_events": len(self.ours),
            "reference_events": len(self.reference),
            "matched": len(self.pairs),
            "only_fftrack": len(self.ours) - len(self.pairs),
            "only_reference": len(self.reference) - len(self.pairs),
            "median_place_error_km": round(statistics.median(errs), 1) if errs else None,
            "pairs_with_coordinates": len(errs),
            "pairs_with_fatalities": len(diffs),
            "fatalities_equal": sum(1 for d in diffs if d == 0),
            "fatalities_fftrack_higher": sum(1 for d in diffs if d > 0),
            "fatalities_fftrack_lower": sum(1 for d in diffs if d < 0),
            "fatalities_median_abs_difference": (
                statistics.median(abs(d) for d in diffs) if diffs else None
            ),
        }


def _place_ok(o: Side, r: Side) -> tuple[bool, float | None]:
    if r.geo_precision == 4:  # only the country (a GDELT country centroid)
        return bool(o.country and o.country == r.country), None
    if o.lat is not None and o.lon is not None and r.lat is not None and r.lon is not None:
        d = haversine_km(o.lat, o.lon, r.lat, r.lon)
        return d <= MAX_KM, d
    same = bool(o.location and r.location and o.location.casefold() == r.location.casefold())
    return same and (o.country == r.country or not o.country or not r.country), None


def compare(
    ours: Iterable[dict[str, Any]], reference: Iterable[dict[str, Any]], matcher: str = MATCHER
) -> Comparison:
    """Match merged events (``iter_merged_events``) to reference rows (``iter_reference``);
    ``matcher`` names the rules in the summary (``compare.acled.v1``, ``compare.gdelt.v1``)."""
    our_sides = [s for s in (ours_side(r) for r in ours) if s is not None]
    ref_sides = [reference_side(r) for r in reference]
    by_day: dict[tuple[str | None, int], list[int]] = {}
    for j, r in enumerate(ref_sides):
        for k in range(r.start.toordinal(), r.end.toordinal() + 1):
            by_day.setdefault((r.family, k), []).append(j)
    candidates: list[tuple[float, int, int, float | None]] = []
    for i, o in enumerate(our_sides):
        if o.family is None:
            continue
        first, last = o.start.toordinal(), min(o.end.toordinal(), o.start.toordinal() + 400)
        seen: set[int] = set()
        for k in range(first, last + 1):
            for j in by_day.get((o.family, k), ()):
                if j in seen:
                    continue
                seen.add(j)
                ok, d = _place_ok(o, ref_sides[j])
                if not ok:
                    continue
                r = ref_sides[j]
                gap = max(0, (r.start - o.end).days, (o.start - r.end).days)
                mid = abs((date.fromisoformat(r.row["event_date"]) - o.start).days)
                place = d if d is not None else COUNTRY_SCORE if r.geo_precision == 4 else 0.0
                candidates.append((place + 10 * (gap + min(mid, 31)), i, j, d))
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    used_o: set[int] = set()
    used_r: set[int] = set()
    pairs: list[tuple[Side, Side, float | None]] = []
    for _, i, j, d in candidates:
        if i in used_o or j in used_r:
            continue
        used_o.add(i)
        used_r.add(j)
        pairs.append((our_sides[i], ref_sides[j], d))
    return Comparison(our_sides, ref_sides, pairs, matcher)


UNMATCHED_COLUMNS = (
    "side",
    "id",
    "event_date",
    "event_type",
    "location",
    "country",
    "latitude",
    "longitude",
    "fatalities",
    "url",
    "notes",
)


def write_unmatched(c: Comparison, out: TextIO) -> int:
    """The unmatched events of both sides, one CSV row each, for review."""
    from fftrack.export.csvout import _safe

    w = csv.DictWriter(out, fieldnames=list(UNMATCHED_COLUMNS), lineterminator="\r\n")
    w.writeheader()
    n = 0
    for side, items in (("fftrack", c.only_ours), ("reference", c.only_reference)):
        for s in items:
            notes: str | None = s.row.get("notes")
            data = s.row.get("data") if isinstance(s.row.get("data"), dict) else {}
            assert isinstance(data, dict)
            url = data.get("SOURCEURL") or data.get("url")
            if side == "fftrack":
                sources = [x for x in s.row.get("sources") or [] if isinstance(x, dict)]
                notes = " | ".join(" ".join(str(x.get("sentence") or "").split()) for x in sources)
                url = " ".join(dict.fromkeys(str(x["url"]) for x in sources if x.get("url")))
            etype = s.row.get("event_type")
            w.writerow(
                {
                    k: _safe(v)
                    for k, v in {
                        "side": side,
                        "id": s.id,
                        "event_date": s.row.get("event_date") or s.start.isoformat(),
                        "event_type": etype,
                        "location": s.location,
                        "country": s.country,
                        "latitude": s.lat,
                        "longitude": s.lon,
                        "fatalities": s.fatalities if s.has_fatalities else None,
                        "url": url,
                        "notes": notes,
                    }.items()
                }
            )
            n += 1
    return n
