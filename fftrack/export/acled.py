"""ACLED-shaped CSV: one row per merged event, ACLED's column names and codes.

ACLED's columns, in ACLED's order, then fftrack's own (``sources_count``,
``fatalities_min``, ``fatalities_max``, ``claimed_by``, ``fftrack_id``):

- ``event_id_cnty``: ``{ISO3}FF{fftrack_id}`` (ACLED: ISO3 and a number); ``XXX`` where
  the place has no country.
- ``event_date`` (YYYY-MM-DD, the first day of the period), ``year``.
- ``time_precision``: ACLED's codes: 1 the day is known, 2 the week (or a few days),
  3 only the month or a wider period (season, year).
- ``disorder_type``: Political violence, Demonstrations or Strategic developments (and
  ``Political violence; Demonstrations`` for excessive force against protesters), from
  the event type as ACLED pairs them.
- ``actor1``, ``assoc_actor_1``, ``actor2``, ``assoc_actor_2``: the merged event's
  actors (normalised names), the first two as actor1 and actor2, any others as actor1's
  associates (``; ``-joined).
- ``inter1``, ``inter2``: ACLED's inter codes where the actor's kind gives one
  (state_forces 1, armed_group 2, rioters 5, protesters 6, civilians 7); empty where it
  does not. ``interaction``: the two codes, smaller first (``12``), or ``10 * inter1``
  for an event with one actor; empty where a code is missing.
- ``iso`` (ISO 3166-1 numeric), ``country`` (name), ``admin1`` (as the gazetteer gives
  it), ``admin2``/``admin3`` (empty: the gazetteer resolves places, not their districts),
  ``location``, ``latitude``, ``longitude``.
- ``geo_precision``: ACLED's codes: 1 the town itself, 2 near it or a district, 3 a
  region or province (a country-wide place is 3 as well).
- ``source``: the outlets (or titles) of every source report, ``; ``-joined;
  ``source_scale``: empty (not known).
- ``notes``: the source sentence(s), as ACLED's notes summarise the reports: every
  distinct sentence, `` | ``-joined, oldest report first.
- ``fatalities``: the figure most sources give (0 where none gives one, as ACLED codes
  it); ``fatalities_min``/``fatalities_max``: the range the sources give (empty where
  none does).
- ``tags``: ``fatalities qualifier=...`` where the figure is not exact.
- ``timestamp``: Unix time the representative report was stored.

Cells a spreadsheet would run as a formula are defused (csvout).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from typing import Any, TextIO

from fftrack.export.csvout import _safe

ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "iso",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
FFTRACK_COLUMNS = ("sources_count", "fatalities_min", "fatalities_max", "claimed_by", "fftrack_id")
COLUMNS = ACLED_COLUMNS + FFTRACK_COLUMNS

TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "season": 3, "year": 3}
INTER = {"state_forces": 1, "armed_group": 2, "rioters": 5, "protesters": 6, "civilians": 7}
_DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Riots": "Political violence",
    "Protests": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
# ACLED's own names where ISO's differ
_COUNTRY_NAMES = {
    "BO": "Bolivia",
    "CD": "Democratic Republic of Congo",
    "CG": "Republic of Congo",
    "IR": "Iran",
    "KP": "North Korea",
    "KR": "South Korea",
    "LA": "Laos",
    "MD": "Moldova",
    "PS": "Palestine",
    "RU": "Russia",
    "SY": "Syria",
    "TR": "Turkey",
    "TZ": "Tanzania",
    "VE": "Venezuela",
    "VN": "Vietnam",
}


def disorder_type(event_type: str | None, sub_event_type: str | None) -> str | None:
    if sub_event_type == "Excessive force against protesters":
        return "Political violence; Demonstrations"
    if sub_event_type == "Violent demonstration":
        return "Demonstrations"
    return _DISORDER.get(event_type or "")


def geo_precision(precision: Any) -> int | None:
    if not isinstance(precision, int) or isinstance(precision, bool) or precision < 1:
        return None
    return min(precision, 3)


@lru_cache(maxsize=512)
def _country(cc: str | None) -> tuple[str, int | None, str | None]:
    """(ISO3 or XXX, ISO numeric, name) of an ISO2 code."""
    if not cc:
        return "XXX", None, None
    import pycountry

    c = pycountry.countries.get(alpha_2=cc.upper())
    if c is None:
        return "XXX", None, None
    name = _COUNTRY_NAMES.get(cc.upper()) or c.name
    return c.alpha_3, int(c.numeric), name


def _actor(a: Any) -> tuple[str | None, int | None]:
    if not isinstance(a, dict):
        return None, None
    return (a.get("normalized") or a.get("name")), INTER.get(a.get("kind") or "")


def _interaction(i1: int | None, i2: int | None, n_actors: int) -> int | None:
    if i1 is None:
        return None
    if n_actors < 2:
        return 10 * i1
    if i2 is None:
        return None
    lo, hi = sorted((i1, i2))
    return 10 * lo + hi


def _timestamp(iso: Any) -> int | None:
    if not isinstance(iso, str) or not iso:
        return None
    try:
        return int(datetime.fromisoformat(iso).timestamp())
    except ValueError:
        return None


def acled_row(row: dict[str, Any]) -> dict[str, Any]:
    """One merged event (``StoreReader.merged_events``) as an ACLED-shaped row."""
    fid = row.get("cluster_id") or row.get("id")
    raw_place = row.get("place")
    place: dict[str, Any] = raw_place if isinstance(raw_place, dict) else {}
    iso3, iso_num, country = _country(place.get("country"))
    actors = [a for a in (row.get("actors") or []) if isinstance(a, dict)]
    a1, i1 = _actor(actors[0]) if actors else (None, None)
    a2, i2 = _actor(actors[1]) if len(actors) > 1 else (None, None)
    assoc = [n for n in (_actor(a)[0] for a in actors[2:]) if n]
    sources = [s for s in (row.get("sources") or []) if isinstance(s, dict)]
    outlets: list[str] = []
    sentences: list[str] = []
    for s in sources:
        name = s.get("source") or s.get("title") or s.get("url")
        if name and name not in outlets:
            outlets.append(str(name))
        sent = " ".join(str(s.get("sentence") or "").split())
        if sent and sent not in sentences:
            sentences.append(sent)
    fat = row.get("fatalities") if isinstance(row.get("fatalities"), dict) else None
    reported = row.get("fatalities_reported") or {}
    qual = (fat or {}).get("qualifier")
    start = row.get("date_start")
    return {
        "event_id_cnty": f"{iso3}FF{fid}",
        "event_date": start,
        "year": int(start[:4]) if isinstance(start, str) and start[:4].isdigit() else None,
        "time_precision": TIME_PRECISION.get(row.get("date_precision") or ""),
        "disorder_type": disorder_type(row.get("event_type"), row.get("sub_event_type")),
        "event_type": row.get("event_type"),
        "sub_event_type": row.get("sub_event_type"),
        "actor1": a1,
        "assoc_actor_1": "; ".join(assoc) or None,
        "inter1": i1,
        "actor2": a2,
        "assoc_actor_2": None,
        "inter2": i2,
        "interaction": _interaction(i1, i2, len(actors)),
        "iso": iso_num,
        "country": country,
        "admin1": place.get("admin1"),
        "admin2": None,
        "admin3": None,
        "location": place.get("resolved_name") or place.get("name"),
        "latitude": place.get("lat"),
        "longitude": place.get("lon"),
        "geo_precision": geo_precision(place.get("precision")) if place.get("lat") else None,
        "source": "; ".join(outlets) or None,
        "source_scale": None,
        "notes": " | ".join(sentences) or None,
        "fatalities": fat.get("value") if fat and fat.get("value") is not None else 0,
        "tags": f"fatalities qualifier={qual}" if qual and qual != "exact" else None,
        "timestamp": _timestamp(row.get("ingested_at")),
        "sources_count": row.get("n_sources") or len({s.get("document_id") for s in sources}),
        "fatalities_min": reported.get("min"),
        "fatalities_max": reported.get("max"),
        "claimed_by": row.get("claimed_by"),
        "fftrack_id": fid,
    }


def write_acled(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    """Write merged events as ACLED-shaped CSV, one row at a time. Returns the count."""
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\r\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: _safe(v) for k, v in acled_row(row).items()})
        n += 1
    return n
