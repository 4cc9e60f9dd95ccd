"""Report-level readings of real reporting's shapes (texts written for the tests): a span
of years, the ground of a second list, villages listed after "including", the date of
the act's first clause, a town named twice."""

from __future__ import annotations

from datetime import date
from typing import Any

from test_extract_real_sentences import _geoparser, _in_a_report

from fftrack.extract.dates import resolve_date

YEAR_TITLE = "The siege of the town (2016)"


def test_a_span_of_days_across_years_is_read_whole() -> None:
    t = resolve_date("Between 22 July 2013 and 31 August 2016")
    assert t is not None
    assert (t.start, t.end, t.precision) == (date(2013, 7, 22), date(2016, 8, 31), "year")
    t = resolve_date("from 29 December 2013 to 3 January 2014")
    assert t is not None and (t.start, t.end, t.precision) == (
        date(2013, 12, 29),
        date(2014, 1, 3),
        "week",
    )
    # the forms of one year read as before
    t = resolve_date("Between 27 April and 5 July 2013")
    assert t is not None and (t.start, t.end) == (date(2013, 4, 27), date(2013, 7, 5))


def test_a_toll_over_years_is_no_event(nlp: Any) -> None:
    text = (
        "Between 3 March 2012 and 30 June 2015, during the siege of the camp near Damascus "
        "215 people died of hunger.\n\nOn 4 July 2015, rebels shelled Damascus, killing 3."
    )
    evs = _in_a_report(nlp, text)
    assert [e.date.start for e in evs if e.date] == [date(2015, 7, 4)]


def test_the_ground_of_a_second_noun_is_an_event_of_its_own(nlp: Any) -> None:
    text = (
        "On 2 May 2016, government troops took the Bani Zeid district, as well as the "
        "eastern parts of the Sheikh Maqsoud district."
    )
    evs = _in_a_report(nlp, text, title="A report on the battle for Aleppo city.")
    names = {e.place.name for e in evs if e.place}
    assert "Bani Zeid" in names and len(names) >= 2  # one event per district


def _places(nlp: Any, text: str) -> list[Any]:
    from fftrack.records import Document

    return list(_geoparser().geoparse(nlp(text), Document(id="t", text=text)))


def test_villages_listed_after_including_are_places(nlp: Any) -> None:
    text = (
        "A report on the war.\n\nOn 9 March 2017, the SDF captured four villages including "
        "the strategic Kharrat Zurq and Tell Hammam, near Raqqa.\n"
    )
    assert {"Kharrat Zurq", "Tell Hammam"} <= {p.name for p in _places(nlp, text)}


def test_an_act_is_dated_by_its_first_clause_not_a_sentence_merged_in(nlp: Any) -> None:
    text = (
        "On 11 October 2017, the army started encircling Mayadin, with the city surrounded "
        "by the following day. The army then pushed into the northern parts of the city."
    )
    evs = _in_a_report(nlp, text)
    assert evs and evs[0].date is not None and evs[0].date.start == date(2017, 10, 11)


def test_a_town_surrounded_is_a_battle(nlp: Any) -> None:
    evs = _in_a_report(nlp, "On 13 December 2013, the army surrounded Adra, near Damascus.")
    assert [e.event_type for e in evs] == ["Battles"]


def test_a_town_named_twice_is_not_its_province(nlp: Any) -> None:
    text = (
        "A report on Aleppo City.\n\nOn 27 July 2016, rebels attacked the Kurdish-held areas "
        "of Aleppo. Later that day, the army cut the last road into Aleppo.\n"
    )
    assert {p.feature for p in _places(nlp, text) if p.name == "Aleppo"} == {"P.PPL"}


def test_a_name_read_twice_as_a_place_is_one_where_tagged_a_person(nlp: Any) -> None:
    text = (
        "A report on the war.\n\nOn 4 May 2016, rebels attacked the village of Tel Hadya. "
        "The army shelled the area of Tel Hadya. On 5 May, government forces intensified "
        "their shelling of Tel Hadya and nearby Zorba.\n"
    )
    starts = {p.span.start for p in _places(nlp, text) if p.name == "Tel Hadya"}
    assert starts == {i for i in range(len(text)) if text.startswith("Tel Hadya", i)}
    assert len(starts) == 3


def test_a_village_which_is_southeast_of_a_town_lies_near_it(nlp: Any) -> None:
    text = (
        "A report on the war.\n\nOn 11 October 2019, the rebels said they had taken the "
        "village of Umm Saraj which is southeast of Tell Abyad.\n"
    )
    by_name = {p.name: p for p in _places(nlp, text)}
    town = by_name["Tell Abyad"]  # after "southeast of": a place, though the model missed it
    assert town.country == "SY"
    village = by_name["Umm Saraj"]
    assert (village.lat, village.lon, village.precision) == (town.lat, town.lon, 2)
