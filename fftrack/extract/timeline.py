"""The dates of one document, read once: every DATE/TIME entity resolved against the
right reference, and looked up by position in O(log n).

A dated report (``document.published``) resolves its relative dates against the
publication date. A report with no publication date (a Wikipedia passage, a campaign
history) anchors them on its own explicit dates, as a reader does: "On 26 July" after
"In June 2014 the offensive began" is 2014-07-26; "the next day" after "On 3 March 2015"
is 2015-03-04. The anchor is the latest date with an explicit year before the mention,
else a year given in the title or the first paragraph. What cannot be anchored stays
unresolved: nothing is ever counted from the machine's clock.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from fftrack.extract.dates import (
    MONTH_NAMES,
    PREVIOUS_DAY_RE,
    WEEKDAYS,
    resolve_date,
    span_end,
)
from fftrack.extract.quantities import UNITS
from fftrack.nlp.docview import doc_ents
from fftrack.records import Document, TimeRef

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

NAME = "extract.timeline.v2"

_YEAR_RE = re.compile(r"\b((?:19|20)\d\d)\b")
_CLOCK_RE = re.compile(
    r"^(?:(?:about|around|approximately|at|some|roughly)\s+)*\d{1,2}(?:[:.]\d{2})?\s*"
    r"(?:[ap]\.?\s?m\.?|hours?|hrs|h|o'clock|GMT|UTC|local(?: time)?)?\.?$",
    re.I,
)
_SINCE_RE = re.compile(r"\b(?:since|until|till|(?:lasted|continued|went on) into)\s+$", re.I)
_RANGE_HEAD_RE = re.compile(
    r"\b(?:(?:between|from)\s+)?\d{1,2}(?:st|nd|rd|th)?\s*(?:and|to|-|\u2013)\s*$", re.I
)
_DAY_HEAD_RE = re.compile(r"(?<![\d,.])\b(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?[ \t]+$", re.I)
_RANGE_PART_RE = re.compile(r"^\W*\d{1,2}(?:st|nd|rd|th)?\W*(?:and|to|-|\u2013)?\W*$", re.I)
_MONTH_START_RE = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s|[,;:)]|$)", re.I
)
# "Feb–Apr " before a year the model tagged alone ("Feb–Apr 2012")
_MONTH_RANGE_HEAD_RE = re.compile(
    rf"\b(?:{MONTH_NAMES})\.?\s*[-\u2013\u2014]\s*(?:{MONTH_NAMES})\.?\s+$", re.I
)
# "Nov–" before a month the model tagged with its year alone ("Nov–Dec 2013" read as "Dec 2013")
_MONTH_DASH_HEAD_RE = re.compile(rf"\b(?:{MONTH_NAMES})\.?\s*[-\u2013\u2014]\s*$", re.I)
# "between" before the first end of a span ("Between 22 July 2013 and 31 August 2016")
_BETWEEN_RE = re.compile(r"\bbetween\s+$", re.I)
# what lies between the two ends of a span of dates ("July 2012 – 22 December 2016")
_RANGE_GAP_RE = re.compile(r"^\s*(?:[-\u2013\u2014]|to|until|till|through)\s*$", re.I)
_NEXT_DAY_RE = re.compile(
    r"\b(?:the\s+)?(?:next|following)\s+(?:day|morning|afternoon|evening|night)\b"
    r"|\bthe\s+day\s+after\b",
    re.I,
)
_SAME_DAY_RE = re.compile(
    r"^(?:(?:on|later|earlier|during|in)\s+)?(?:(?:on|in)\s+)?(?:that|the\s+same)\s+"
    r"(?:day|morning|afternoon|evening|night)$|^later\s+in\s+the\s+day$",
    re.I,
)
_N_LATER_RE = re.compile(
    r"\b(?P<n>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?P<unit>days?|weeks?)"
    r"\s+(?P<way>later|earlier|before)\b",
    re.I,
)
# words that count from the moment of writing ("today", "last week", "on Monday"): an undated
# narrative anchored only on a year cannot place them
_NOW_RE = re.compile(
    r"\b(?:today|tonight|yesterday|tomorrow|now|this\s+(?:morning|afternoon|evening)|"
    r"last\s+night|ago|(?:this|last|next|past|previous)\s+(?:week|month|year)|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.I,
)
_WEEKDAY_RE = re.compile(r"\b(?:" + "|".join(WEEKDAYS) + r")\b", re.I)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    label: str  # the model's entity label: DATE or TIME
    time: TimeRef | None  # None: a date the document gives no way to place


def _title_year(document: Document) -> int | None:
    """A year named in the title or the first paragraph ("2014 Northern Iraq offensive")."""
    head = (document.title or "") + "\n" + document.text[:600].split("\n\n")[0]
    years = [int(y) for y in _YEAR_RE.findall(head)]
    return years[0] if years else None


def _forward(text: str, anchor: TimeRef) -> TimeRef | None:
    """'the next day', 'the previous day', 'two days later' after an anchor of day
    precision."""
    if anchor.precision != "day":
        return None
    if _SAME_DAY_RE.search(text):
        return TimeRef(anchor.start, anchor.end, "day", text)
    if _NEXT_DAY_RE.search(text):
        d = anchor.start + timedelta(days=1)
        return TimeRef(d, d, "day", text)
    if PREVIOUS_DAY_RE.search(text):
        # "stated on 16 December that it had struck on the previous day": the 15th, not
        # the day before the end of the anchor's year
        d = anchor.start - timedelta(days=1)
        return TimeRef(d, d, "day", text)
    m = _N_LATER_RE.search(text)
    if m:
        n_s = m.group("n").lower()
        n = int(n_s) if n_s.isdigit() else UNITS.get(n_s, 1)
        week = m.group("unit").lower().startswith("week")
        days = n * (7 if week else 1)
        if m.group("way").lower() != "later":
            # "an attack a day earlier", "executed a week earlier": that long before the
            # day told; a week back is a week, not one day of it
            d = anchor.start - timedelta(days=days)
            return TimeRef(d, d + timedelta(days=6 if week else 0), "week" if week else "day", text)
        d = anchor.start + timedelta(days=days)
        return TimeRef(d, d, "day", text)
    return None


def _looks_back(text: str) -> bool:
    """ "a day earlier", "two weeks before": a look back from the day told."""
    m = _N_LATER_RE.search(text)
    return m is not None and m.group("way").lower() != "later"


def _anchored(text: str, anchor: TimeRef) -> TimeRef | None:
    """A date without a year in an undated narrative: in the anchor's year, or the next
    one where that falls well before the anchor (narratives move forward)."""
    fwd = _forward(text, anchor)
    if fwd is not None:
        return fwd
    if _NOW_RE.search(text):
        # "today", "last week", "on Monday" count from when it was written: the day the
        # narrative has reached is that moment at best ("the liberation of the city today"),
        # a year or a month is none; which way a weekday lies from it, the text does not say
        if anchor.precision != "day" or _WEEKDAY_RE.search(text):
            return None
        return resolve_date(text, anchor.start)
    y = anchor.start.year
    t = resolve_date(text, date(y, 12, 31))
    if t is None:
        return None
    if t.end < anchor.start - timedelta(days=60) and anchor.precision in ("day", "month"):
        later = resolve_date(text, date(y + 1, 12, 31))
        if later is not None and later.start.year == y + 1:
            return later
    return t


_POSSESSIVE_RE = re.compile(r"['\u2019]s$")
_SPAN_RE = re.compile(
    r"^(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
    r"(?:days?|weeks?|months?|years?)$",
    re.I,
)


def _span_before(ent: Span, text: str, published: date) -> TimeRef | None:
    """ "A month after the chemical attack ..., the Council remains split", "12 days after a
    bomber killed 22, the city is ...": told in the present, the act named after "after"
    lies that long before the report. Past-tense narratives count from a day not given."""
    m = _SPAN_RE.match(ent.text.strip())
    if m is None or not re.match(r"\s+after\b", text[ent.end_char : ent.end_char + 8], re.I):
        return None
    root = ent.sent.root
    tags = {root.tag_} | {c.tag_ for c in root.children if c.dep_ in ("aux", "auxpass")}
    if not tags & {"VBZ", "VBP"}:
        return None
    return resolve_date(f"{ent.text.strip()} ago", published)  # one reading of "N units ago"


def _with_previous_days(
    mentions: list[DateMention], text: str, published: date
) -> list[DateMention]:
    """ "the day before", "the previous night" the model did not tag as a date: the day
    before the report's (ACLED's "the day before" of a report filed the next morning)."""
    extra = []
    for m in PREVIOUS_DAY_RE.finditer(text):
        over = [d for d in mentions if d.start < m.end() and m.start() < d.end]
        if any(d.time is not None for d in over):
            continue
        t = resolve_date(m.group(0), published)
        if t is not None:
            mentions = [d for d in mentions if d not in over]  # "the day" of "the day before"
            extra.append(DateMention(m.start(), m.end(), m.group(0), "DATE", t))
    if not extra:
        return mentions
    return sorted(mentions + extra, key=lambda m: m.start)


def _between(text: str, m: DateMention) -> bool:
    """ "Between 22 July 2013" (and ...): the first end of a span of dates."""
    return m.text.lower().startswith("between ") or bool(
        _BETWEEN_RE.search(text[max(0, m.start - 9) : m.start])
    )


def _date_spans(sdoc: Doc, text: str, undated: bool) -> list[tuple[Span | None, int, int, str]]:
    """(entity, start, end, label) of each DATE and TIME entity, in text order; in an undated
    narrative also each "the next day", "the following day" the model did not tag ("In the
    early hours of the next day", "The following day, ..."), without an entity."""
    out: list[tuple[Span | None, int, int, str]] = [
        (e, e.start_char, e.end_char, e.label_)
        for e in doc_ents(sdoc)
        if e.label_ in ("DATE", "TIME")
    ]
    if not undated:
        return out
    tagged = [(a, b) for _, a, b, _ in out]
    for m in _NEXT_DAY_RE.finditer(text):
        if not any(a < m.end() and m.start() < b for a, b in tagged):
            out.append((None, m.start(), m.end(), "DATE"))
    return sorted(out, key=lambda x: x[1])


class DocDates:
    """Every date mention of a parsed document, resolved, in text order."""

    def __init__(self, sdoc: Doc, document: Document) -> None:
        self.published = document.published
        text = document.text
        mentions: list[DateMention] = []
        anchor: TimeRef | None = None
        ty = _title_year(document) if document.published is None else None
        title_anchor = TimeRef(date(ty, 1, 1), date(ty, 12, 31), "year") if ty else None
        covered = -1  # the end of a span of dates already read whole
        for ent, e0, e1, label in _date_spans(sdoc, text, document.published is None):
            if e0 < covered:
                continue  # "March 2020" of "27 February – 5 March 2020", read with its start
            if label == "TIME" and _CLOCK_RE.match(text[e0:e1]):
                continue  # "at 10 p.m.", "7:45": an hour of some day, no date
            if _SINCE_RE.search(text[max(0, e0 - 20) : e0]) and not _POSSESSIVE_RE.search(
                text[e0:e1]
            ):
                # "had run it since 2014": when a state began, not an event's date ("since
                # last month's bombing" dates the bombing)
                continue
            head = _RANGE_HEAD_RE.search(text[max(0, e0 - 24) : e0])
            months = _MONTH_RANGE_HEAD_RE.search(text[max(0, e0 - 24) : e0])
            if head:  # the model cut "Between 2 and 3 May 2013" to "May 2013"
                e0 -= len(head.group(0))
            elif months and _YEAR_RE.fullmatch(text[e0:e1].strip()):
                e0 -= len(months.group(0))  # "Feb–Apr 2012" read as the year alone
            elif (dash := _MONTH_DASH_HEAD_RE.search(text[max(0, e0 - 12) : e0])) and (
                _MONTH_START_RE.match(text, e0)
            ):
                e0 -= len(dash.group(0))  # "Nov–Dec 2013" read as "Dec 2013"
            elif _MONTH_START_RE.match(text, e0):
                day = _DAY_HEAD_RE.search(text[max(0, e0 - 8) : e0])
                if day:  # "11 October 2019" read as CARDINAL "11" + DATE "October 2019"
                    e0 -= len(day.group(0))
                    head = _RANGE_HEAD_RE.search(text[max(0, e0 - 24) : e0])
                    if head:  # "between 2 and 3 May 2013"
                        e0 -= len(head.group(0))
            if _RANGE_PART_RE.match(text[e0:e1]):
                continue  # "22 and" of "22 and 23 July": a piece of a range, no date alone
            e1 = max(e1, span_end(text, e0))  # "27 February – 5 March 2020" read in two
            covered = e1
            etext = text[e0:e1]
            t: TimeRef | None
            if document.published is not None:
                t = resolve_date(etext, document.published)
                if t is None and anchor is not None:
                    # "On 14 March ... The next day": the day after the day told, in a
                    # dated report as in an undated one
                    t = _forward(etext, anchor)
                if t is not None and t.precision == "day" and not _looks_back(etext):
                    anchor = t
            else:
                t = resolve_date(etext, None)  # explicit: it names its own year
                if t is not None:
                    if t.precision in ("day", "month") or anchor is None:
                        anchor = t
                else:
                    base = anchor or title_anchor
                    t = _anchored(etext, base) if base is not None else None
                    if t is not None and t.precision == "day" and not _looks_back(etext):
                        anchor = t  # "On 25 February" then "the next day": the 26th (a look
                        # back, "a day earlier", leaves the narrative where it was)
            if t is None and document.published is not None and ent is not None:
                t = _span_before(ent, text, document.published)
            if (
                mentions
                and mentions[-1].time is not None
                and (
                    _RANGE_GAP_RE.match(text[mentions[-1].end : e0])
                    or (
                        text[mentions[-1].end : e0].strip().lower() == "and"
                        and _between(text, mentions[-1])
                    )
                )
            ):
                continue  # the end of a span ("July 2012 – 22 December 2016"): coded from its start
            mentions.append(DateMention(e0, e1, etext, label, t))
        if document.published is not None:
            mentions = _with_previous_days(mentions, text, document.published)
        self.mentions = mentions
        self._starts = [m.start for m in mentions]

    def within(self, start: int, end: int) -> list[DateMention]:
        """Resolved mentions inside [start, end)."""
        i = bisect.bisect_left(self._starts, start)
        out: list[DateMention] = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            m = self.mentions[i]
            if m.end <= end and m.time is not None:
                out.append(m)
            i += 1
        return out

    def nearest(
        self, start: int, end: int, pos: int, keep: Callable[[DateMention], bool] | None = None
    ) -> TimeRef | None:
        """The resolved date in [start, end) closest to ``pos`` (a trigger); with ``keep``,
        among the mentions it keeps."""
        best: tuple[int, TimeRef] | None = None
        for m in self.within(start, end):
            assert m.time is not None
            if keep is not None and not keep(m):
                continue
            d = abs(m.start - pos)
            if best is None or d < best[0]:
                best = (d, m.time)
        return best[1] if best else None

    def before(self, pos: int, floor: int = 0) -> TimeRef | None:
        """The last resolved mention that starts in [floor, pos): the date a narrative
        has reached when it tells an event without a date of its own."""
        i = bisect.bisect_left(self._starts, pos) - 1
        while i >= 0 and self.mentions[i].start >= floor:
            m = self.mentions[i]
            if m.time is not None and m.label == "DATE":
                return m.time
            i -= 1
        return None

    def first(
        self, start: int, end: int, keep: Callable[[DateMention], bool] | None = None
    ) -> TimeRef | None:
        """The first resolved DATE mention in [start, end); with ``keep``, of those it keeps."""
        for m in self.within(start, end):
            if m.label == "DATE" and (keep is None or keep(m)):
                return m.time
        return None


__all__ = ["NAME", "DateMention", "DocDates"]
