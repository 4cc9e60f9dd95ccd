"""GDELT 2.0 event exports as reference events (``fftrack import gdelt``).

GDELT ships its events as ``YYYYMMDDHHMMSS.export.CSV.zip``: one tab-separated file, no
header, 61 columns in the order of the GDELT 2.0 Event Codebook (``COLUMNS``). A
tab-separated file that starts with the codebook's column names as a header line
(``GLOBALEVENTID``...) is read as well; comma-separated files (BigQuery's CSV) and GDELT
1.0's 57- or 58-column files are refused with a one-line error.

``gdelt_reference_row(fields)`` makes one ``reference_events`` row of a line:

- ``ref_id``: ``GLOBALEVENTID``; ``event_date``: ``SQLDATE`` (YYYYMMDD), time precision
  1 (a day: matched a day either side, as ACLED's day-precise events);
- ``event_type``: the CAMEO root event's name (``CAMEO_ROOTS``: ``Fight``, ``Assault``,
  ``Protest``...); ``sub_event_type``: ``CAMEO <EventCode>``;
- ``family`` (what ``fftrack compare`` matches on): ``cameo_family(root, base, quad)``,
  a coarse map of CAMEO onto ACLED's type families. Only material-conflict events
  (``QuadClass`` 4) get one:

  ======================================= ==========================================
  CAMEO                                   family
  ======================================= ==========================================
  14 Protest                              demonstrations (ACLED's Protests, Riots)
  17 Coerce (seize, destroy property,     strategic (ACLED's arrests, looting and
  arrest, expel, repress)                 property destruction)
  18 Assault, 20 Unconventional mass      civilians (violence against civilians:
  violence                                abduction, assault, assassination, massacre)
  183 Bombing (suicide, car, roadside)    remote (explosions/remote violence)
  19 Fight                                battles
  194 Artillery and tanks, 195 Aerial     remote (shelling, air and drone strikes)
  weapons
  01-13, 15, 16 (statements, appeals,     none: kept, but not compared
  cooperation, threats, force posture)
  ======================================= ==========================================

  CAMEO codes who did what to whom in a news sentence, ACLED what happened where: a
  GDELT "Fight" may be a verbal clash reported in war terms, an ACLED battle coded by
  GDELT as "Assault", and GDELT codes each report, not each event. Counts are a rough
  check, never a gold standard.
- ``actor1``, ``actor2``: ``Actor1Name``, ``Actor2Name``;
- place (``ActionGeo_*``, where the action took place): ``lat``/``lon``
  (``ActionGeo_Lat``/``ActionGeo_Long``), ``location`` (the first part of
  ``ActionGeo_FullName``), ``country`` (``ActionGeo_CountryCode``: FIPS 10-4, converted
  to ISO by ``fftrack.export.fips``), ``admin1``/``admin2`` (GDELT's ``ActionGeo_ADM1Code``
  and ``ActionGeo_ADM2Code`` as they are), ``geo_precision`` from ``ActionGeo_Type``:
  a city (3 US city, 4 world city) 1, a state or province (2, 5) 3, a country (1) 4 (its
  centroid: matched by country, not by distance); no geography (0 or empty) none;
- ``fatalities``: none (GDELT codes none: fatality differences leave its pairs out);
- ``notes``: ``Actor1Name -> Actor2Name: CAMEO code and name; N mentions in M sources``;
- ``data``: every non-empty column under its codebook name (``ActionGeo_FeatureID``,
  ``NumMentions``, ``NumSources``, ``NumArticles``, ``SOURCEURL``, ``GoldsteinScale``...):
  nothing is lost.

A line that is not 61 columns, has no ``GLOBALEVENTID``, a bad ``SQLDATE`` or a
``QuadClass`` that is not 1-4 is bad: reported with its line number and skipped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from datetime import datetime
from typing import Any

from fftrack.errors import UsageError
from fftrack.export.fips import fips_to_iso
from fftrack.export.reference import window

MATCHER = "compare.gdelt.v1"

COLUMNS = (
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
)
assert len(COLUMNS) == 61

CAMEO_ROOTS = {
    "01": "Make public statement",
    "02": "Appeal",
    "03": "Express intent to cooperate",
    "04": "Consult",
    "05": "Engage in diplomatic cooperation",
    "06": "Engage in material cooperation",
    "07": "Provide aid",
    "08": "Yield",
    "09": "Investigate",
    "10": "Demand",
    "11": "Disapprove",
    "12": "Reject",
    "13": "Threaten",
    "14": "Protest",
    "15": "Exhibit force posture",
    "16": "Reduce relations",
    "17": "Coerce",
    "18": "Assault",
    "19": "Fight",
    "20": "Use unconventional mass violence",
}
ROOT_FAMILY = {
    "14": "demonstrations",
    "17": "strategic",
    "18": "civilians",
    "19": "battles",
    "20": "civilians",
}
BASE_FAMILY = {"183": "remote", "194": "remote", "195": "remote"}
# ActionGeo_Type -> precision (ACLED's 1 town, 3 region; 4 a country, as fftrack's places)
GEO_PRECISION = {"1": 4, "2": 3, "3": 1, "4": 1, "5": 3}


def _code(v: str | None, width: int) -> str:
    """A CAMEO code as GDELT writes it: leading zeros kept (``"01"``, ``"010"``)."""
    t = (v or "").strip()
    return t.zfill(width) if t.isdigit() and len(t) < width else t


def cameo_family(root: str | None, base: str | None = None, quad: int | None = None) -> str | None:
    """fftrack's type family of a CAMEO event (see the module docstring)."""
    if quad is not None and quad != 4:
        return None
    b = _code(base, 3)
    if b in BASE_FAMILY:
        return BASE_FAMILY[b]
    r = _code(root, 2) or b[:2]
    return ROOT_FAMILY.get(r)


def _float(v: str) -> float | None:
    try:
        f = float(v) if v.strip() else None
    except ValueError:
        return None
    return f if f is not None and math.isfinite(f) else None


def _int(v: str) -> int | None:
    try:
        return int(float(v)) if v.strip() else None
    except ValueError:
        return None


def gdelt_reference_row(fields: list[str]) -> dict[str, Any]:
    """One GDELT 2.0 event line (its 61 fields) as a ``reference_events`` row
    (ValueError with the reason if unusable)."""
    if len(fields) != len(COLUMNS):
        raise ValueError(f"{len(fields)} columns, not GDELT 2.0's {len(COLUMNS)}")
    raw = dict(zip(COLUMNS, (f.strip() for f in fields), strict=True))
    ref_id = raw["GLOBALEVENTID"]
    if not ref_id:
        raise ValueError("no GLOBALEVENTID")
    try:
        d = datetime.strptime(raw["SQLDATE"], "%Y%m%d").date()
    except ValueError:
        raise ValueError(f"bad SQLDATE {raw['SQLDATE']!r}") from None
    quad = _int(raw["QuadClass"])
    if raw["QuadClass"] and quad not in (1, 2, 3, 4):
        raise ValueError(f"bad QuadClass {raw['QuadClass']!r}")
    root, base, code = (
        _code(raw["EventRootCode"], 2),
        _code(raw["EventBaseCode"], 3),
        _code(raw["EventCode"], 3),
    )
    geo_type = raw["ActionGeo_Type"]
    precision = GEO_PRECISION.get(geo_type)
    lat, lon = _float(raw["ActionGeo_Lat"]), _float(raw["ActionGeo_Long"])
    if precision is None or lat is None or lon is None:
        lat = lon = None
    elif not (-90 <= lat <= 90 and -180 <= lon <= 180):
        lat = lon = None
    full = raw["ActionGeo_FullName"]
    root_name = CAMEO_ROOTS.get(root)
    a1, a2 = raw["Actor1Name"] or None, raw["Actor2Name"] or None
    what = f"CAMEO {code or root}" + (f" ({root_name})" if root_name else "")
    mentions = f"{raw['NumMentions'] or '?'} mentions in {raw['NumSources'] or '?'} sources"
    start, end = window(d, 1)
    return {
        "ref_id": ref_id,
        "event_date": d.isoformat(),
        "date_start": start.isoformat(),
        "date_end": end.isoformat(),
        "time_precision": 1,
        "event_type": root_name or (f"CAMEO {root}" if root else None),
        "sub_event_type": f"CAMEO {code}" if code else None,
        "family": cameo_family(root, base, quad),
        "actor1": a1,
        "actor2": a2,
        "country": fips_to_iso(raw["ActionGeo_CountryCode"]),
        "admin1": raw["ActionGeo_ADM1Code"] or None,
        "admin2": raw["ActionGeo_ADM2Code"] or None,
        "location": full.split(",")[0].strip() or None,
        "lat": lat,
        "lon": lon,
        "geo_precision": precision,
        "fatalities": None,
        "notes": f"{a1 or '?'} -> {a2 or '?'}: {what}; {mentions}",
        "data": {k: v for k, v in raw.items() if v},
    }


def _is_header(fields: list[str]) -> bool:
    return bool(fields) and fields[0].strip().lstrip("\ufeff").upper() == "GLOBALEVENTID"


def read_gdelt(lines: Iterable[bytes]) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    """``(line, row, "")`` for each good line of a GDELT 2.0 event export (bytes, one
    line each), ``(line, None, reason)`` for a bad one; blank lines are skipped.
    UsageError when the first line is not a GDELT 2.0 event line at all."""
    first = True
    for n, b in enumerate(lines, start=1):
        try:
            text = b.decode("utf-8")
        except UnicodeDecodeError as exc:
            if first:
                raise UsageError(
                    f"not a GDELT event export: not UTF-8 text ({exc.reason})"
                ) from None
            yield n, None, f"not UTF-8 ({exc.reason} at byte {exc.start})"
            continue
        text = text.rstrip("\r\n")
        if not text.strip():
            continue
        fields = text.split("\t")
        if first:
            first = False
            _check_first(fields)
            if _is_header(fields):
                continue
        try:
            yield n, gdelt_reference_row(fields), ""
        except ValueError as exc:
            yield n, None, str(exc)


def _check_first(fields: list[str]) -> None:
    if _is_header(fields):
        if len(fields) != len(COLUMNS):
            raise UsageError(
                f"not a GDELT 2.0 event export: its header has {len(fields)} columns, "
                f"not {len(COLUMNS)}"
            )
        return
    if len(fields) in (57, 58):
        raise UsageError(
            f"a GDELT 1.0 event file ({len(fields)} columns): fftrack reads GDELT 2.0's "
            f"{len(COLUMNS)}-column event exports (YYYYMMDDHHMMSS.export.CSV.zip)"
        )
    if len(fields) < 10:
        hint = " (comma-separated? GDELT's files are tab-separated)" if "," in fields[0] else ""
        raise UsageError(
            f"not a GDELT event export: the first line has {len(fields)} tab-separated "
            f"column(s), not {len(COLUMNS)}{hint}"
        )


def open_lines(path: str) -> tuple[Iterator[bytes], ExitStack]:
    """The byte lines of a GDELT file (``.CSV`` or ``.CSV.zip``: its one CSV member)
    and the object to close when done. UsageError for a file that cannot be read."""
    import zipfile

    stack = ExitStack()
    try:
        if zipfile.is_zipfile(path):
            zf = stack.enter_context(zipfile.ZipFile(path))
            members = [i for i in zf.infolist() if not i.is_dir()]
            if len(members) != 1:
                members = [i for i in members if i.filename.lower().endswith(".csv")]
            if len(members) != 1:
                stack.close()
                raise UsageError(
                    f"cannot read {path}: a GDELT zip holds one .CSV file, this one "
                    f"{len(members) or 'no'}"
                )
            return iter(stack.enter_context(zf.open(members[0]))), stack
        return iter(stack.enter_context(open(path, "rb"))), stack
    except OSError as exc:
        stack.close()
        why = "no such file" if isinstance(exc, FileNotFoundError) else exc.strerror or exc
        raise UsageError(f"cannot read {path}: {why}") from None
    except zipfile.BadZipFile as exc:
        stack.close()
        raise UsageError(f"cannot read {path}: a broken zip file ({exc})") from None
