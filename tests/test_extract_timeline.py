"""Dates of an undated document anchor on the document's own explicit dates."""

from __future__ import annotations

from datetime import date

from fftrack.extract.dates import resolve_date
from fftrack.extract.timeline import DocDates
from fftrack.records import Document


def _dates(nlp, text: str, title: str | None = None, published: date | None = None):
    doc = Document(id="t1", text=text, title=title, published=published)
    return DocDates(nlp(text), doc)


def test_relative_date_without_reference_is_unresolved() -> None:
    assert resolve_date("last Tuesday", None) is None
    assert resolve_date("two weeks ago", None) is None


def test_month_day_takes_the_year_of_an_earlier_full_date(nlp) -> None:
    text = (
        "The offensive began on 10 June 2014 when militants crossed the border. "
        "On 26 July, the militants blew up a mosque in the old town."
    )
    dd = _dates(nlp, text)
    pos = text.index("26 July")
    t = dd.first(pos, len(text))
    assert t is not None and t.start == date(2014, 7, 26) and t.precision == "day"


def test_title_year_anchors_an_undated_passage(nlp) -> None:
    text = "On 3 March, government forces shelled the town."
    dd = _dates(nlp, text, title="Siege of the town (2015)")
    t = dd.first(0, len(text))
    assert t is not None and t.start == date(2015, 3, 3)


def test_nothing_to_anchor_on_stays_unresolved(nlp) -> None:
    text = "On 3 March, government forces shelled the town."
    dd = _dates(nlp, text)
    assert dd.first(0, len(text)) is None


def test_next_day_after_a_full_date(nlp) -> None:
    text = "Fighting broke out on 3 March 2015. The next day, the rebels withdrew from the town."
    dd = _dates(nlp, text)
    pos = text.index("The next day")
    t = dd.first(pos, len(text))
    assert t is not None and t.start == date(2015, 3, 4)


def test_published_date_still_anchors_a_dated_report(nlp) -> None:
    text = "On Monday, a car bomb exploded in the market."
    dd = _dates(nlp, text, published=date(2017, 5, 24))
    t = dd.first(0, len(text))
    assert t is not None and t.start == date(2017, 5, 22)


def test_a_date_heading_read_as_a_number_and_a_month_keeps_its_day(nlp) -> None:
    """A timeline's heading "11 October 2019" (the model: CARDINAL "11" + DATE "October
    2019") dates what follows to the day."""
    text = "One soldier was killed.\n\n11 October 2019\nTwo journalists were wounded in Nusaybin."
    dates = DocDates(nlp(text), Document(id="t", text=text))
    heading = [m for m in dates.mentions if "October" in m.text]
    assert heading and heading[0].text == "11 October 2019"
    assert heading[0].time is not None and heading[0].time.precision == "day"
    assert dates.before(text.index("Two")) == heading[0].time


def test_a_day_range_is_one_date_and_its_first_day_no_date_alone(nlp) -> None:
    text = "In 2013 the war went on. On 22 and 23 July 2013, rebels attacked the town."
    dates = DocDates(nlp(text), Document(id="t", text=text))
    got = [(m.text, m.time.iso if m.time else None) for m in dates.mentions]
    assert ("22 and 23 July 2013", "2013-07-22") in got
    assert all(not t.startswith("22 and") or t.endswith("2013") for t, _ in got)


def test_next_day_after_a_date_without_its_year(nlp) -> None:
    text = (
        "Fighting broke out on 3 February 2017. On 25 February, the army captured the town. "
        "The next day, the rebels withdrew from the hills."
    )
    dd = _dates(nlp, text)
    t = dd.first(text.index("The next day"), len(text))
    assert t is not None and t.start == date(2017, 2, 26)


def test_an_hour_is_no_date(nlp) -> None:
    text = "The offensive began on 21 February 2016. At 10 p.m., the militants attacked the hill."
    dd = _dates(nlp, text)
    pos = text.index("At 10 p.m.")
    assert all(m.text != "10 p.m." for m in dd.mentions)
    t = dd.nearest(pos, len(text), pos)
    assert t is None or t.start == date(2016, 2, 21)


def test_that_day_is_the_day_the_narrative_has_reached(nlp) -> None:
    text = "Fighting broke out on 3 March 2015. That day, the rebels withdrew from the town."
    dd = _dates(nlp, text)
    t = dd.first(text.index("That day"), len(text))
    assert t is not None and t.start == date(2015, 3, 3) and t.precision == "day"


def _mentions(nlp, text, published):
    from fftrack.extract.timeline import DocDates
    from fftrack.records import Document

    return DocDates(nlp(text), Document(id="t", text=text, published=published)).mentions


def test_a_span_after_an_act_told_in_the_present_counts_back_from_the_report(nlp):
    from datetime import date

    text = "A month after the chemical attack on Kafr Nabl, the council remains split."
    (m,) = [m for m in _mentions(nlp, text, date(2017, 5, 10)) if m.time is not None]
    assert (m.time.start, m.time.precision) == (date(2017, 4, 1), "month")
    past = "A month after the chemical attack on Kafr Nabl, the council met."
    assert not [m for m in _mentions(nlp, past, date(2017, 5, 10)) if m.time is not None]


def test_since_last_months_bombing_dates_the_bombing(nlp):
    from datetime import date

    text = "The city has banned parking since last month's bombing of the bus station."
    (m,) = [m for m in _mentions(nlp, text, date(2016, 6, 20)) if m.time is not None]
    assert (m.time.start, m.time.precision) == (date(2016, 5, 1), "month")


def test_the_day_before_the_model_misses(nlp):
    from datetime import date

    text = (
        "Local officials on Wednesday named the seven people killed when a parked car blew up "
        "among vegetable stalls in Bayaa the day before. Among the dead were two brothers."
    )
    days = [m.time.start for m in _mentions(nlp, text, date(2016, 7, 13)) if m.time is not None]
    assert date(2016, 7, 12) in days


def test_the_previous_day_after_a_date_without_its_year(nlp) -> None:
    text = (
        "Fighting broke out on 3 February 2017. The army said on 16 February that it had "
        "shelled the hills on the previous day."
    )
    dd = _dates(nlp, text)
    t = dd.first(text.index("on the previous day"), len(text))
    assert t is not None and t.start == date(2017, 2, 15)


def test_a_span_of_months_is_coded_from_its_first_month() -> None:
    t = resolve_date("April–June 2013", None)
    assert t is not None and (t.start, t.end, t.precision) == (
        date(2013, 4, 1),
        date(2013, 6, 30),
        "month",
    )


def test_a_span_of_dates_is_one_date_from_its_start(nlp) -> None:
    text = "Feb–Apr 2012 | Battle of the town | the province\nJuly 2012 – 22 December 2016 | Siege"
    starts = [m.time.start for m in _dates(nlp, text).mentions if m.time is not None]
    assert date(2012, 2, 1) in starts and date(2012, 7, 1) in starts
    assert date(2016, 12, 22) not in starts  # the end of a span is no date of its own


def test_the_night_of_a_day(nlp) -> None:
    text = "Fighting began on 3 January 2017. During the night of 7 February, the rebels attacked."
    dd = _dates(nlp, text)
    t = dd.first(text.index("During"), len(text))
    assert t is not None and (t.start, t.precision) == (date(2017, 2, 7), "day")


def test_mid_month_is_its_middle_and_the_next_morning_the_next_day(nlp) -> None:
    t = resolve_date("mid-January 2013", None)
    assert t is not None and (t.start, t.end, t.precision) == (
        date(2013, 1, 11),
        date(2013, 1, 20),
        "week",
    )
    text = "On 15 August 2016, rebels took the silos. They withdrew the next morning."
    times = [m.time for m in _dates(nlp, text).mentions if m.start > text.index("They")]
    assert times and times[0] is not None and times[0].start == date(2016, 8, 16)


def test_the_following_day_the_model_misses_moves_the_narrative_on(nlp) -> None:
    text = (
        "Syrian soldiers pushed into the city on 6 October 2017. The following day, government "
        "sources claimed half of the city was taken. Throughout the day, a wave of airstrikes "
        "hit the town.\n\nIn the early hours of the next day, the rebels withdrew."
    )
    dd = _dates(nlp, text)
    t = dd.before(text.index("Throughout"))
    assert t is not None and (t.start, t.precision) == (date(2017, 10, 7), "day")
    t = dd.before(text.index("the rebels withdrew"))
    assert t is not None and t.start == date(2017, 10, 8)


def test_today_in_a_passage_dated_only_by_its_year_is_unplaced(nlp) -> None:
    """A passage anchored on its title's year cannot place "today" or "on Monday" (the
    last day of that year is no reading of them), nor let them carry a later date into the
    next year."""
    text = (
        "Reactions\n"
        '- The president said: "The liberation of the city today is an achievement".\n'
        "- A spokesman spoke of the fate of the city on 24 March, a day before the offensive."
    )
    dd = _dates(nlp, text, title="Offensive on the city (March 2016)")
    by_text = {m.text: m.time for m in dd.mentions}
    assert by_text.get("today") is None
    t = by_text.get("24 March")
    assert t is not None and t.start == date(2016, 3, 24)


def test_a_span_of_dates_the_model_cut_is_read_from_its_start(nlp) -> None:
    text = (
        "Nov–Dec 2013 | Battle of the hills | Homs | unknown\n"
        "27 February – 5 March 2020 | Operation in the north | Idlib | 14\n"
    )
    times = {m.text: m.time for m in _dates(nlp, text).mentions if m.time is not None}
    nov = times.get("Nov–Dec 2013")
    assert nov is not None and (nov.start, nov.precision) == (date(2013, 11, 1), "month")
    feb = times.get("27 February – 5 March 2020")
    assert feb is not None and (feb.start, feb.precision) == (date(2020, 2, 27), "week")


def test_what_lasted_into_the_next_day_does_not_move_the_narrative(nlp) -> None:
    text = (
        "On 11 December 2013, rebels infiltrated the industrial area of the town. The killings "
        "lasted into the next day. In all, 19 civilians were massacred as the rebels captured it."
    )
    dd = _dates(nlp, text)
    t = dd.before(text.index("In all"))
    assert t is not None and t.start == date(2013, 12, 11)


def test_the_end_of_a_span_between_two_dates_is_no_date(nlp) -> None:
    text = (
        "The siege went on. Between 22 July 2013 and 31 August 2016, during the siege of the "
        "camp, 187 people died of malnutrition."
    )
    starts = [m.time.start for m in _dates(nlp, text).mentions if m.time is not None]
    assert date(2013, 7, 22) in starts and date(2016, 8, 31) not in starts


def test_a_day_earlier_looks_back_from_the_day_told(nlp) -> None:
    text = (
        "The massacre occurred on 11 June 2013, in retaliation for an attack by fighters from "
        "the village a day earlier. The next day, residents fled the village."
    )
    by_text = {m.text: m.time for m in _dates(nlp, text).mentions}
    t = by_text.get("a day earlier")
    assert t is not None and (t.start, t.precision) == (date(2013, 6, 10), "day")
    nxt = by_text.get("The next day")
    assert nxt is not None and nxt.start == date(2013, 6, 12)  # the narrative stayed on the 11th
    week = _dates(nlp, "On 18 June 2013, his aide was executed a week earlier.").mentions
    t = next(m.time for m in week if m.text == "a week earlier")
    assert t is not None and (t.start, t.precision) == (date(2013, 6, 11), "week")
