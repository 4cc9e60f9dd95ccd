"""Dates as precisely as the text gives them, anchored on the publication date.

``resolve_date("this past summer", date(2017, 10, 1))`` is summer 2017 (season
precision); "in March" is the most recent March not after the reference (month);
"this year" is the reference year; "last week" the week before the reference's week;
"June 5" a day. Explicit forms are read by our own patterns first (fast and
predictable); dateparser is the fallback for anything else, and the anchoring logic
(which year a bare month or weekday falls in) is ours.
"""

from __future__ import annotations

import calendar
import logging
import re
from datetime import date, timedelta
from functools import lru_cache

from fftrack.records import DatePrecision, TimeRef

log = logging.getLogger(__name__)

NAME = "extract.dates.v1"

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name} | {
    name.lower(): i for i, name in enumerate(calendar.month_abbr) if name
}
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I), "dmy"),
    (re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I), "mdy"),
    (re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b"), "iso"),
    (re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!\s*,?\s*(?:19|20)\d\d)", re.I), "md"),
    (re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b(?!,?\s*(?:19|20)\d\d)", re.I), "dm"),
    (re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}\b", re.I), "my"),
]
_SEASON_RE = re.compile(
    r"\b(?:(?P<rel>this|last|this past|past|next|early|late)\s+)?"
    r"(?P<season>spring|summer|autumn|fall|winter)(?:\s+(?:of\s+)?(?P<year>(?:19|20)\d\d))?\b",
    re.I,
)
_REL_RE = re.compile(
    r"\b(?P<rel>this|last|past|previous|next|earlier this|later this|early this|late last|"
    r"earlier in the|the past)\s+(?P<unit>year|month|week)\b",
    re.I,
)
_WEEKDAY_RE = re.compile(
    r"\b(?:(?P<rel>last|this|on|past|next)\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday)\b",
    re.I,
)
_BARE_MONTH_RE = re.compile(rf"\b(?:(?P<rel>last|this|next|early|late|mid)[\s-]+)?{_MONTH}\b", re.I)
_YEAR_RE = re.compile(r"\b(?:in\s+)?(?P<year>(?:19|20)\d\d)\b")
_DAYWORD_RE = re.compile(r"\b(?P<w>today|yesterday|tonight|last night|this morning)\b", re.I)


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _month(y: int, m: int, text: str) -> TimeRef:
    return TimeRef(date(y, m, 1), _month_end(y, m), "month", text)


def _day(d: date, text: str) -> TimeRef:
    return TimeRef(d, d, "day", text)


def _year(y: int, text: str) -> TimeRef:
    return TimeRef(date(y, 1, 1), date(y, 12, 31), "year", text)


def _season(y: int, start_month: int, text: str) -> TimeRef:
    start = date(y, start_month, 1)
    end_m = start_month + 2
    end_y = y
    if end_m > 12:
        end_m -= 12
        end_y += 1
    return TimeRef(start, _month_end(end_y, end_m), "season", text)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _anchor_month_day(month: int, day: int, ref: date | None) -> date | None:
    """A month and day without a year: the most recent one not after the reference
    (news reports the past), allowing a few days into the future."""
    if ref is None:
        return None
    d = _safe_date(ref.year, month, day)
    if d is None:
        return None
    if d > ref + timedelta(days=7):
        d = _safe_date(ref.year - 1, month, day)
    return d


def _anchor_month(month: int, ref: date, rel: str | None) -> int:
    """The year of a bare month name relative to the reference."""
    rel = (rel or "").lower()
    if rel == "next":
        return ref.year if month > ref.month else ref.year + 1
    if rel == "this":
        return ref.year
    if rel == "last":
        return ref.year if month < ref.month else ref.year - 1
    return ref.year if month <= ref.month else ref.year - 1


_RANGE_DM = re.compile(
    rf"\b(?:(?:between|from)\s+)?{_DAY}\s*(?:and|to|until|-|\u2013|/)\s*(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?",
    re.I,
)
_RANGE_MD = re.compile(
    rf"\b(?:(?:between|from)\s+)?{_MONTH}\s+{_DAY}\s*(?:and|to|until|-|\u2013)\s*(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"(?:,?\s+{_YEAR})?",
    re.I,
)

# "April–June 2013", "Feb–Apr 2012", "from March to May 2014": a span of months
MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))  # longest first
MONTH_RANGE_RE = re.compile(
    rf"\b(?:(?:between|from)\s+)?(?P<m1>{MONTH_NAMES})\.?\s*(?:and|to|until|through|-|\u2013|\u2014)\s*"
    rf"(?P<m2>{MONTH_NAMES})\.?,?\s+{_YEAR}\b",
    re.I,
)


# "between 27 April and 5 July 2013", "from 29 January to 14 March 2013": days of two months
# ("between 22 July 2013 and 31 August 2016": of two years)
_RANGE_DMDM = re.compile(
    rf"\b(?:(?:between|from)\s+)?{_DAY}\s+(?:of\s+)?(?P<m1>{MONTH_NAMES})\.?"
    r"(?:,?\s+(?P<year1>(?:19|20)\d\d))?\s*"
    rf"(?:and|to|until|till|-|\u2013)\s*(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?"
    rf"(?P<m2>{MONTH_NAMES})\.?(?:,?\s+{_YEAR})?",
    re.I,
)


def _span_precision(a: date, b: date) -> DatePrecision:
    """How precise a span of days is, coded from its first day."""
    days = (b - a).days
    if days <= 7:
        return "week"
    if days <= 31:
        return "month"
    return "season" if days <= 92 else "year"


def _days_of_two_months(text: str, ref: date | None) -> TimeRef | None:
    """'between 27 April and 5 July 2013': coded from its first day (the year is the
    one written at the end, or the reference's), at the precision its length allows."""
    m = _RANGE_DMDM.search(text)
    if not m:
        return None
    m1, m2 = MONTHS.get(m.group("m1").lower()), MONTHS.get(m.group("m2").lower())
    if not m1 or not m2:
        return None
    d1, d2 = int(m.group("day")), int(m.group("day2"))
    if m.group("year1"):
        y1, y2 = int(m.group("year1")), int(m.group("year") or m.group("year1"))
        a, b = _safe_date(y1, m1, d1), _safe_date(y2, m2, d2)
        if a is None or b is None or b <= a:
            return None
        return TimeRef(a, b, _span_precision(a, b), m.group(0))
    if m2 <= m1:
        return None
    if m.group("year"):
        y = int(m.group("year"))
    elif ref is not None:
        anchored = _anchor_month_day(m1, d1, ref)
        if anchored is None:
            return None
        y = anchored.year
    else:
        return None
    a, b = _safe_date(y, m1, d1), _safe_date(y, m2, d2)
    if a is None or b is None or b < a:
        return None
    return TimeRef(a, b, _span_precision(a, b), m.group(0))


def span_end(text: str, pos: int) -> int:
    """Where a span of dates that starts at ``pos`` ends ("27 February – 5 March 2020",
    "Nov–Dec 2013"), or ``pos`` where none starts there."""
    ends = [m.end() for p in (_RANGE_DMDM, MONTH_RANGE_RE) if (m := p.match(text, pos))]
    return max(ends, default=pos)


def _month_range(text: str) -> TimeRef | None:
    """'April–June 2013': coded (as ACLED does) from its first month, at month precision,
    the span running to the end of the last month."""
    m = MONTH_RANGE_RE.search(text)
    if not m:
        return None
    a = MONTHS.get(m.group("m1").lower())
    b = MONTHS.get(m.group("m2").lower())
    if not a or not b or b <= a:
        return None
    y = int(m.group("year"))
    return TimeRef(date(y, a, 1), _month_end(y, b), "month", m.group(0))


def _range(text: str, ref: date | None) -> TimeRef | None:
    """'between 21 and 22 September', '2-3 May 2013': a span of days, coded (as ACLED
    does) from its first day, at week precision when it is a week or less; 'April–June
    2013', a span of months, from its first month."""
    months = _month_range(text) or _days_of_two_months(text, ref)
    if months is not None:
        return months
    for pattern in (_RANGE_DM, _RANGE_MD):
        m = pattern.search(text)
        if not m:
            continue
        month = MONTHS.get(m.group("month").lower().rstrip("."))
        d1, d2 = int(m.group("day")), int(m.group("day2"))
        if not month or not 1 <= d1 < d2 <= 31:
            continue
        if m.group("year"):
            y = int(m.group("year"))
        elif ref is not None:
            anchored = _anchor_month_day(month, d1, ref)
            if anchored is None:
                continue
            y = anchored.year
        else:
            continue
        a, b = _safe_date(y, month, d1), _safe_date(y, month, d2)
        if a is None or b is None:
            continue
        if (b - a).days <= 7:
            return TimeRef(a, b, "week", m.group(0))
        return _month(y, month, m.group(0))
    return None


def _explicit(text: str, ref: date | None) -> TimeRef | None:
    found = _range(text, ref)
    if found is not None:
        return found
    for pattern, kind in _PATTERNS:
        m = pattern.search(text)
        if not m:
            continue
        g = m.groupdict()
        month_s = g.get("month") or ""
        month = int(month_s) if month_s.isdigit() else MONTHS.get(month_s.lower().rstrip("."))
        if not month:
            continue
        if kind in ("dmy", "mdy", "iso"):
            d = _safe_date(int(g["year"]), month, int(g["day"]))
            if d:
                return _day(d, m.group(0))
        elif kind in ("md", "dm"):
            d = _anchor_month_day(month, int(g["day"]), ref)
            if d:
                return _day(d, m.group(0))
        elif kind == "my":
            return _month(int(g["year"]), month, m.group(0))
    return None


PREVIOUS_DAY_RE = re.compile(
    r"\b(?:the\s+)?(?:previous|preceding)\s+(?:day|morning|afternoon|evening|night)\b"
    r"|\bthe\s+day\s+before\b",
    re.I,
)


def _relative(text: str, ref: date) -> TimeRef | None:
    m = PREVIOUS_DAY_RE.search(text)
    if m:
        return _day(ref - timedelta(days=1), m.group(0))
    m = _DAYWORD_RE.search(text)
    if m:
        w = m.group("w").lower()
        d = ref - timedelta(days=1) if w in ("yesterday", "last night") else ref
        return _day(d, m.group(0))
    m = _SEASON_RE.search(text)
    if m:
        start_month = SEASONS[m.group("season").lower()]
        if m.group("year"):
            return _season(int(m.group("year")), start_month, m.group(0))
        rel = (m.group("rel") or "").lower()
        y = ref.year
        if rel == "next":
            if date(y, start_month, 1) <= ref:
                y += 1
        elif rel in ("last", "this past", "past", "late", "early", "") or rel == "this":
            # the most recent such season that has begun by the reference
            if date(y, start_month, 1) > ref:
                y -= 1
            if rel == "last" and _season(y, start_month, "").end >= ref:
                y -= 1
        return _season(y, start_month, m.group(0))
    m = _REL_RE.search(text)
    if m:
        rel = m.group("rel").lower()
        unit = m.group("unit").lower()
        back = rel in ("last", "previous", "late last")
        fwd = rel == "next"
        if unit == "year":
            return _year(ref.year - 1 if back else ref.year + 1 if fwd else ref.year, m.group(0))
        if unit == "month":
            y, mo = ref.year, ref.month
            if back:
                y, mo = (y - 1, 12) if mo == 1 else (y, mo - 1)
            elif fwd:
                y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
            return _month(y, mo, m.group(0))
        monday = ref - timedelta(days=ref.weekday())
        if back or rel == "the past":
            monday -= timedelta(days=7)
        elif fwd:
            monday += timedelta(days=7)
        return TimeRef(monday, monday + timedelta(days=6), "week", m.group(0))
    m = _WEEKDAY_RE.search(text)
    if m:
        wd = WEEKDAYS[m.group("wd").lower()]
        rel = (m.group("rel") or "").lower()
        delta = (ref.weekday() - wd) % 7
        if rel == "next":
            d = ref + timedelta(days=(wd - ref.weekday()) % 7 or 7)
        else:
            if rel == "last" and delta == 0:
                delta = 7
            d = ref - timedelta(days=delta)
        return _day(d, m.group(0))
    m = _BARE_MONTH_RE.search(text)
    if m and not (m.group("month").lower() in ("may", "mar") and m.group("month")[0].islower()):
        month = MONTHS[m.group("month").lower().rstrip(".")]
        return _month(_anchor_month(month, ref, m.group("rel")), month, m.group(0))
    return None


_MID_RE = re.compile(r"\bmid[\s-]+(?:" + MONTH_NAMES + r")\b", re.I)


def _mid(text: str, found: TimeRef) -> TimeRef:
    """ "mid-January": the middle third of the month (week precision), not all of it."""
    if found.precision != "month" or not _MID_RE.search(text):
        return found
    y, m = found.start.year, found.start.month
    return TimeRef(date(y, m, 11), date(y, m, 20), "week", found.text)


@lru_cache(maxsize=8192)
def resolve_date(text: str, reference: date | None = None) -> TimeRef | None:
    """Resolve a date expression against a reference (publication) date.

    Returns None where the text holds no date we can place in time.
    """
    if not text or not text.strip():
        return None
    t = text.strip()
    found = _explicit(t, reference)
    if found:
        return _mid(t, found)
    if reference is not None:
        found = _relative(t, reference)
        if found:
            return _mid(t, found)
    m = _YEAR_RE.search(t)
    if m:
        return _year(int(m.group("year")), m.group(0))
    if reference is None:
        return None  # relative to nothing: never counted from the machine's clock
    return _dateparser(t, reference)


_DURATION_RE = re.compile(
    r"^(?:the\s+)?(?:(?:about|around|some|nearly|almost|over|more than|at least)\s+)?"
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a few|few|many)"
    r"\s+(?:(?:more|full|straight|consecutive)\s+)?(?:days?|weeks?|months?|years?|hours?|nights?)$",
    re.I,
)


def _dateparser(text: str, reference: date | None) -> TimeRef | None:
    if not re.search(r"\d|ago|day|week|month|year", text, re.I):
        return None
    if _DURATION_RE.match(text.strip()):
        return None  # "after two days of fighting": how long, not when
    try:
        import dateparser
    except ImportError:  # pragma: no cover
        return None
    from datetime import datetime

    settings: dict[str, object] = {
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "REQUIRE_PARTS": [],
    }
    if reference is not None:
        settings["RELATIVE_BASE"] = datetime(reference.year, reference.month, reference.day)
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)  # type: ignore[arg-type]
    except Exception as exc:  # dateparser raises assorted errors on odd input
        log.debug("dateparser failed on %r: %s", text, exc)
        return None
    if parsed is None:
        return None
    d = parsed.date()
    if reference is not None and d > reference + timedelta(days=366):
        return None
    if d.year < 1900:
        return None  # "over 1800 sorties" is a count, not the year 1800
    precision: DatePrecision = "day"
    if re.search(r"\b(weeks?)\b", text, re.I) and not re.search(r"\bdays?\b", text, re.I):
        precision = "week"
    elif re.search(r"\bmonths?\b", text, re.I):
        precision = "month"
        return _month(d.year, d.month, text)
    elif re.search(r"\byears?\b", text, re.I):
        return _year(d.year, text)
    return TimeRef(d, d, precision, text)


__all__ = ["MONTH_NAMES", "NAME", "PREVIOUS_DAY_RE", "resolve_date", "span_end"]
