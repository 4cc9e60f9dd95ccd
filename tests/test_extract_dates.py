"""Dates anchored on the publication date, with their precision."""

from __future__ import annotations

from datetime import date

import pytest

from fftrack.extract.dates import resolve_date

REF = date(2017, 10, 1)  # a Sunday


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("this past summer", "2017-summer", "season"),
        ("in March", "2017-03", "month"),
        ("this year", "2017", "year"),
        ("last year", "2016", "year"),
        ("June 5", "2017-06-05", "day"),
        ("On 3 January 2018", "2018-01-03", "day"),
        ("March 2017", "2017-03", "month"),
        ("in 2014", "2014", "year"),
        ("yesterday", "2017-09-30", "day"),
        ("on Thursday", "2017-09-28", "day"),
        ("this month", "2017-10", "month"),
        ("December", "2016-12", "month"),
    ],
)
def test_resolve(text: str, iso: str, precision: str) -> None:
    t = resolve_date(text, REF)
    assert t is not None
    assert (t.iso, t.precision) == (iso, precision)


def test_season_bounds() -> None:
    t = resolve_date("this past summer", REF)
    assert t is not None
    assert (t.start, t.end) == (date(2017, 6, 1), date(2017, 8, 31))


def test_last_week() -> None:
    t = resolve_date("last week", REF)
    assert t is not None
    assert t.precision == "week"
    assert (t.start, t.end) == (date(2017, 9, 18), date(2017, 9, 24))


def test_bare_month_without_reference_is_unplaced() -> None:
    assert resolve_date("in March", None) is None
    assert resolve_date("nothing here", REF) is None


def test_month_day_in_early_year_goes_back() -> None:
    t = resolve_date("December 30", date(2018, 1, 3))
    assert t is not None and t.start == date(2017, 12, 30)


def test_a_count_is_not_a_year() -> None:
    assert resolve_date("over 1800", date(2016, 12, 31)) is None


def test_the_previous_morning_is_the_day_before() -> None:
    t = resolve_date("the previous morning", date(2016, 5, 24))
    assert t is not None and t.start == date(2016, 5, 23) and t.precision == "day"


def test_a_duration_is_not_a_date() -> None:
    assert resolve_date("two days", date(2014, 12, 31)) is None
    assert resolve_date("several months", date(2014, 12, 31)) is None
    t = resolve_date("two days ago", date(2014, 12, 31))
    assert t is not None and t.start == date(2014, 12, 29)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Between 21 and 22 September 2016", date(2016, 9, 21)),
        ("2-3 May 2013", date(2013, 5, 2)),
        ("between 16 and 21 April", date(2013, 4, 16)),
        ("from March 3 to 5", date(2013, 3, 3)),
    ],
)
def test_a_span_of_days_is_coded_from_its_first_day(text: str, start: date) -> None:
    t = resolve_date(text, date(2013, 6, 30))
    assert t is not None and t.start == start and t.precision == "week"


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("Between 27 April and 5 July 2013", date(2013, 4, 27), date(2013, 7, 5), "season"),
        ("from 29 January to 14 March 2013", date(2013, 1, 29), date(2013, 3, 14), "season"),
        ("between 30 April and 2 May", date(2013, 4, 30), date(2013, 5, 2), "week"),
        ("from 20 May to 15 June 2013", date(2013, 5, 20), date(2013, 6, 15), "month"),
    ],
)
def test_a_span_of_days_over_two_months_is_coded_from_its_first_day(
    text: str, start: date, end: date, precision: str
) -> None:
    t = resolve_date(text, date(2013, 6, 30))
    assert t is not None and (t.start, t.end, t.precision) == (start, end, precision)


def test_span_end_of_a_span_of_dates() -> None:
    from fftrack.extract.dates import span_end

    text = "On 27 February – 5 March 2020, and Nov–Dec 2013; 17 July."
    a = text.index("27")
    assert text[a : span_end(text, a)] == "27 February – 5 March 2020"
    b = text.index("Nov")
    assert text[b : span_end(text, b)] == "Nov–Dec 2013"
    c = text.index("17")
    assert span_end(text, c) == c
