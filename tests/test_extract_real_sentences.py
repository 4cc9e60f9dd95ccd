"""Tolls and realis read from real reporting's sentences: the days of a date are no count;
what people become or are readied for did not happen."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

import pytest

from fftrack.extract.counts import fatalities


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # the parse hangs the count on the month: the days before it are a date
        ("Between 26 and 29 March 17 soldiers were killed and 100 wounded.", 17),
        ("On 17 and 18 October three civilians were killed.", 3),
        ("Between 2 and 3 May 2013, 14 soldiers were killed.", 14),
        ("On March 17 three civilians were killed.", 3),
        # a count is still a count
        ("Two fighters and one militant were killed.", 3),
        ("The monitor said air strikes killed 12 civilians on 4 May.", 12),
    ],
)
def test_the_days_of_a_date_are_no_count(nlp: Any, text: str, value: int) -> None:
    q = fatalities(list(nlp(text)), text)
    assert q is not None and q.value == value and q.upper is None


@pytest.mark.parametrize(
    "text",
    [
        "Of those 20, three men from the town became suicide bombers in Raqqa.",
        "The sites were instrumental in training Iraqi forces for the fight in Mosul.",
        "Thousands of troops were preparing for an assault on Raqqa.",
    ],
)
def test_what_people_become_or_are_readied_for_is_no_event(nlp: Any, text: str) -> None:
    from fftrack.extract.realis import is_realis

    trig = next(t for t in nlp(text) if t.lemma_ in ("bomber", "fight", "assault"))
    assert not is_realis(trig)


@cache
def _geoparser() -> Any:
    from fftrack.geo import Gazetteer, Geoparser

    return Geoparser(Gazetteer.open(None))


def _events(nlp: Any, text: str, published: date = date(2015, 9, 20)) -> list[Any]:
    """The events ``extract_records`` reads in ``text``, with the embedded gazetteer."""
    from fftrack.extract import extract_records
    from fftrack.records import Document

    doc = Document(id="t", text=text, published=published)
    sdoc = nlp(text)
    return list(extract_records(sdoc, doc, _geoparser().geoparse(sdoc, doc))[1])


def _in_a_report(nlp: Any, text: str, title: str = "A report on the war.") -> list[Any]:
    """The events of ``text`` read as a paragraph of a longer report under ``title`` (a
    report, not a one-paragraph note: the report-only rules apply)."""
    return _events(nlp, title + "\n\n" + text + "\n")


TABLE = (
    "Battles fought by the group.\n"
    "Date | Battle | Location | Group fatalities | Outcome\n"
    "May 2013 | Battle of Qusayr | Homs | 28+ | Victory\n"
    "June 2014 | Siege of Kobani | Aleppo | unknown | Defeat\n"
)


def test_a_table_row_has_its_toll_date_and_place_under_its_header() -> None:
    from fftrack.extract.tables import row_at, row_toll

    first = row_at(TABLE, TABLE.index("May 2013"))
    assert first is not None
    q = row_toll(TABLE, first)
    assert q is not None and (q.value, q.qualifier) == (28, "at_least")
    cell = first.cell("place")
    assert cell is not None and TABLE[cell[0] : cell[1]] == "Homs"
    cell = first.cell("date")
    assert cell is not None and TABLE[cell[0] : cell[1]] == "May 2013"
    second = row_at(TABLE, TABLE.index("June 2014"))
    assert second is not None and row_toll(TABLE, second) is None  # "unknown"
    assert row_at(TABLE, TABLE.index("Date |")) is None  # the header is no row
    assert row_at(TABLE, 0) is None  # nor is a sentence


def test_a_table_row_event_takes_the_toll_of_its_column(nlp: Any) -> None:
    events = _events(nlp, TABLE, date(2016, 1, 1))
    row = next(e for e in events if TABLE.index("May 2013") <= e.span.start < TABLE.index("June"))
    assert row.fatalities is not None and row.fatalities.value == 28
    assert row.date is not None and (row.date.start.year, row.date.start.month) == (2013, 5)


def test_a_toll_restated_later_is_the_latest_toll_of_the_killing(nlp: Any) -> None:
    text = (
        "Fighting went on across the province through the week.\n"
        "On 6 December, government forces killed at least 18 people in a shelter in Yabroud. "
        "Residents said the bodies were buried the same night. "
        "The next day, the number of those killed was updated to 40.\n"
    )
    events = _events(nlp, text, date(2013, 12, 20))
    killing = [e for e in events if e.fatalities is not None]
    assert len(killing) == 1 and killing[0].fatalities.value == 40  # type: ignore[union-attr]
    assert killing[0].date is not None and killing[0].date.start.day == 6


def test_a_risen_toll_naming_the_attack_is_its_toll_where_none_was_told(nlp: Any) -> None:
    text = (
        "Fighting went on across the province through the week.\n"
        "On 11 December, militants stormed the workers' housing in the town of Tell Sabi, "
        "north of Homs, attacking the families inside. "
        "A car bomb went off near the market the same evening. "
        "By 15 December, the number of villagers confirmed killed in the militant attack "
        "on Tell Sabi had risen to 27.\n"
    )
    events = _events(nlp, text, date(2013, 12, 20))
    killing = [e for e in events if e.fatalities is not None]
    assert len(killing) == 1 and killing[0].fatalities.value == 27  # type: ignore[union-attr]
    assert killing[0].date is not None and killing[0].date.start.day == 11
    assert "stormed" in text[killing[0].span.start : killing[0].span.end]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The next day, the number of those killed was updated to 40.", 40),
        ("The death toll was 30.", 30),
        ("The death toll has since risen to 12.", 12),
        (
            "By Friday, the number of villagers confirmed killed in the raid on Tell Sabi had risen to 27.",
            27,
        ),
    ],
)
def test_a_toll_stated_as_such(text: str, value: int) -> None:
    from fftrack.extract.counts import stated_toll

    q = stated_toll(text)
    assert q is not None and q.value == value


def test_victims_also_killed_add_to_the_toll_but_not_to_a_total(nlp: Any) -> None:
    head = "Rebels had besieged the airbase for two years.\n"
    text = head + (
        "On 9 September, rebels captured the airbase near Taftanaz. At least 56 soldiers "
        "were killed and 40 captured. Dozens of rebels were also killed during the battle.\n"
    )
    tolls = [e.fatalities.value for e in _events(nlp, text) if e.fatalities is not None]
    assert tolls == [68]  # 56 + "dozens" (12)
    text = head + (
        "On 9 September, rebels captured the airbase near Taftanaz. Overall, 85 soldiers "
        "were killed. Dozens of rebels were also killed during the battle.\n"
    )
    tolls = [e.fatalities.value for e in _events(nlp, text) if e.fatalities is not None]
    assert 85 in tolls and 97 not in tolls


def test_the_date_of_what_is_due_is_not_the_events(nlp: Any) -> None:
    text = (
        "Talks went on for weeks.\n"
        "On 28 December 2016, talks in Astana resulted in a nationwide ceasefire that is "
        "due to begin at midnight on 30 December.\n"
    )
    evs = [e for e in _events(nlp, text) if e.date is not None and e.date.start.year == 2016]
    assert evs and all(e.date.start.day == 28 for e in evs)


@pytest.mark.parametrize(
    "text",
    [
        "On Friday, the prime minister signed a government decree banning face veils.",
        "Residents fled Raqqa amid the threat of air strikes.",
        "Officials said the dam was on the verge of collapse and the floodgates were closed.",
    ],
)
def test_no_act_between_parties_or_yet_to_happen(nlp: Any, text: str) -> None:
    assert _events(nlp, "A report on the region.\n" + text + "\n") == []


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("The statement spoke of Turkey guarding captured ISIS militants in Hasakah.", False),
        ("Troops captured 20 militants in Hasakah on Monday.", True),
        (
            "Officials were aware of reports that a man from Sydney had killed himself in Raqqa.",
            False,
        ),
        ("A suicide bomber killed himself and 12 others at a checkpoint in Raqqa.", True),
    ],
)
def test_who_people_are_and_a_death_by_ones_own_hand(nlp: Any, text: str, kept: bool) -> None:
    assert bool(_events(nlp, "A report on the region.\n" + text + "\n")) is kept


@pytest.mark.parametrize(
    ("text", "sub"),
    [
        (
            "ISIL was repeatedly attacking the base near Palmyra in order to retake it.",
            "Armed clash",
        ),
        ("On 27 March, the militias pulled out of the operation in Tikrit.", None),
        ("On 27 March, the militias pulled out of Tikrit.", "Non-violent transfer of territory"),
    ],
)
def test_an_aim_and_an_undertaking_left_are_no_ground(nlp: Any, text: str, sub: str | None) -> None:
    evs = _events(nlp, "A report on the region.\n" + text + "\n")
    assert [e.sub_event_type for e in evs] == ([sub] if sub else [])


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Security forces discovered the bodies of 70 civilians inside houses in Mosul.", 70),
        ("Activists found about 230 bodies in the river in Aleppo.", 230),
    ],
)
def test_bodies_found_are_a_killing_with_its_toll(nlp: Any, text: str, value: int) -> None:
    evs = _events(nlp, "A report on the region.\n" + text + "\n")
    assert [(e.event_type, e.fatalities.value if e.fatalities else None) for e in evs] == [
        ("Violence against civilians", value)
    ]


def test_people_killed_while_held_are_civilians_in_acled_terms(nlp: Any) -> None:
    text = "Militants killed 50 former police officers they had been holding near Mosul."
    evs = _events(nlp, "A report on the region.\n" + text + "\n")
    assert [e.event_type for e in evs] == ["Violence against civilians"]


def test_a_table_toll_keeps_its_qualifier_and_rows_are_found_by_offset() -> None:
    from fftrack.extract.tables import row_at, row_toll

    text = "Date | Battle | Killed\nMay 2013 | Battle of X | more than 50\nJune 2013 | Y | 7\n"
    first = row_at(text, text.index("May"))
    assert first is not None
    q = row_toll(text, first)
    assert q is not None and (q.value, q.qualifier) == (50, "more_than")
    second = row_at(text, text.index("June") + 3)
    assert second is not None and second is not first
    q = row_toll(text, second)
    assert q is not None and (q.value, q.qualifier) == (7, "exact")
    assert row_at(text, len(text) - 1) is None  # the newline after the last row


@pytest.mark.parametrize(
    "text",
    [
        "On 2 June, the militants dispatched 1,500 fighters to the region as reinforcements.",
        "The same day, another large army convoy arrived in the area.",
    ],
)
def test_forces_sent_or_arriving_in_a_report_are_no_event(nlp: Any, text: str) -> None:
    # a report's movement of forces is a movement record (CODING.md), not an event
    assert _in_a_report(nlp, text, "A report on the region.") == []


def test_forces_arriving_in_a_note_stay_a_change_to_group(nlp: Any) -> None:
    evs = _events(nlp, "On 2 June, military reinforcements arrived in Aleppo.")
    assert [e.sub_event_type for e in evs] == ["Change to group/activity"]


def test_a_command_centre_set_up_is_a_base_established(nlp: Any) -> None:
    text = "On 16 July its fighters arrived in Syria and set up a command and control centre."
    evs = _in_a_report(nlp, text, "A report on the group.")
    assert [e.sub_event_type for e in evs] == ["Headquarters or base established"]


@pytest.mark.parametrize(
    "text",
    [
        "The raid was meant to disrupt efforts to encircle and capture Mosul.",
        "The possible use of a drone by the militants was noted by the governor of Nineveh.",
    ],
)
def test_an_aim_or_a_possible_act_is_no_event(nlp: Any, text: str) -> None:
    evs = _in_a_report(nlp, text, "A report on the region.")
    assert [e.sub_event_type for e in evs if e.event_type != "Battles"] == []
    assert not any(e.sub_event_type.endswith("territory") for e in evs)


def test_a_place_that_says_who_someone_is_is_not_the_event_place(nlp: Any) -> None:
    text = "Two fighters were killed in an assault in Syria, according to a Tripoli cleric."
    evs = _in_a_report(nlp, text)
    assert evs and all(e.place is None or e.place.name != "Tripoli" for e in evs)


def test_a_capture_claimed_incorrectly_did_not_happen(nlp: Any) -> None:
    text = "On 6 April, it was incorrectly claimed they recaptured the town of Manbij."
    assert _in_a_report(nlp, text) == []


def test_hyphenated_air_strikes_are_air_strikes(nlp: Any) -> None:
    text = "On 5 April, Russian air-strikes were conducted in the countryside of Aleppo."
    evs = _in_a_report(nlp, text)
    assert [e.sub_event_type for e in evs] == ["Air/drone strike"]


def test_an_unknown_name_is_not_placed_at_a_town_that_says_who(nlp: Any) -> None:
    from fftrack.records import Document

    text = "Rebels attacked the checkpoint near Qalaat al-Hosn, according to a Tripoli cleric."
    places = _geoparser().geoparse(nlp(text), Document(id="t", text=text))
    unknown = [p for p in places if p.name == "Qalaat al-Hosn"]
    assert unknown and unknown[0].lat is None  # not at Tripoli: the cleric's town


def test_a_helicopter_shot_down_is_one_battle_not_also_an_air_strike(nlp: Any) -> None:
    text = (
        "On 19 December the militants attacked the airbase and shot down a helicopter near Palmyra."
    )
    evs = _in_a_report(nlp, text)
    assert [e.event_type for e in evs] == ["Battles"]


def test_victims_killed_in_it_belong_to_the_act_told_before(nlp: Any) -> None:
    text = (
        "On 19 December the militants attacked the airbase near Palmyra and shot down a "
        "helicopter. At least 20 soldiers were killed in it while a helicopter was shot down."
    )
    evs = _in_a_report(nlp, text)
    assert [e.event_type for e in evs] == ["Battles"]


def test_a_ground_incursion_is_a_battle_and_a_pact_told_of_is_no_agreement(nlp: Any) -> None:
    text = "The agreement was rendered obsolete on 9 October, when Turkey launched a ground incursion into Syria."
    evs = _in_a_report(nlp, text)
    assert [e.event_type for e in evs] == ["Battles"]


@pytest.mark.parametrize(
    "text",
    [
        "On 9 October the agreement was signed in Astana by both sides.",
        "The ceasefire went into effect on 12 September 2016 across Syria.",
    ],
)
def test_a_pact_made_or_taking_effect_is_an_agreement(nlp: Any, text: str) -> None:
    evs = _in_a_report(nlp, text)
    assert [e.sub_event_type for e in evs] == ["Agreement"]


@pytest.mark.parametrize(
    "text",
    [
        "During May 2015, Kurdish forces recaptured 4000 km2 of land in Hasakah Governorate.",
        "The offensive took place from the end of May until July 2015.",
    ],
)
def test_gains_summed_and_a_campaign_span_are_no_event(nlp: Any, text: str) -> None:
    assert _in_a_report(nlp, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "On 3 May 2015, Kurdish forces recaptured 40 square kilometres around Tell Abyad.",
        "The offensive began on 3 May 2015 near Tell Abyad.",
    ],
)
def test_a_day_s_gain_and_a_campaign_s_start_are_events(nlp: Any, text: str) -> None:
    assert [e.event_type for e in _in_a_report(nlp, text)] == ["Battles"]


def test_a_similar_attack_is_of_the_kind_told_before(nlp: Any) -> None:
    text = (
        "On 11 January a suicide truck-bomber attacked the party's office in Kirkuk, killing 26. "
        "A similar attack against another office in Tuz Khormato killed 5 and wounded 40."
    )
    evs = _in_a_report(nlp, text)
    assert [(e.sub_event_type, e.fatalities.value if e.fatalities else None) for e in evs] == [
        ("Suicide bomb", 26),
        ("Suicide bomb", 5),
    ]


def test_the_second_act_of_a_clause_is_not_folded_into_an_earlier_event(nlp: Any) -> None:
    text = (
        "On 23 February, rockets hit the town of Khanasir. In the afternoon, the army "
        "launched a general counteroffensive with a missile barrage, followed by a tank assault."
    )
    evs = _in_a_report(nlp, text)
    assert [e.event_type for e in evs] == [
        "Explosions/Remote violence",
        "Battles",
        "Explosions/Remote violence",
    ]


def test_an_artillery_strike_is_shelling_and_people_previously_detained_no_arrest(
    nlp: Any,
) -> None:
    text = (
        "On 11 October, in the city of Qamishli, a car bomb killed five civilians, while a "
        "Turkish artillery strike hit a nearby prison, and five members, previously detained "
        "in custody, escaped."
    )
    evs = _in_a_report(nlp, text)
    assert evs and all(e.event_type == "Explosions/Remote violence" for e in evs)
    assert all(e.sub_event_type != "Air/drone strike" for e in evs)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("A fighter who resided in Sweden was killed in March 2019 in Raqqa.", "Raqqa"),
        ("A man born in Leeds was killed in Raqqa on 3 May.", "Raqqa"),
        ("A fighter who resided in Sweden was killed in March 2019.", None),
    ],
)
def test_where_someone_lived_is_not_where_the_act_was(
    nlp: Any, text: str, where: str | None
) -> None:
    evs = _in_a_report(nlp, text)
    assert [e.place.name if e.place else None for e in evs] == [where]


@pytest.mark.parametrize(
    "text",
    [
        "On 24 January, 500 soldiers were transported to the besieged city in 22 transport "
        "helicopters and support aircraft.",
    ],
)
def test_troops_flown_in_to_a_besieged_city_are_no_strike_nor_battle(nlp: Any, text: str) -> None:
    assert _in_a_report(nlp, text) == []


def test_a_city_besieged_by_an_army_is_a_battle(nlp: Any) -> None:
    evs = _in_a_report(nlp, "On 24 January the army besieged the city of Homs.")
    assert [e.event_type for e in evs] == ["Battles"]


def test_a_sentence_the_model_cut_before_its_date_keeps_the_date(nlp: Any) -> None:
    text = (
        "Another two villages were captured by the SDF on 5 January 2017.\n\n"
        "The SDF captured Qal'at Ja'bar (Ja'bar Castle) from ISIL on 6 January. The same day, "
        "ISIL was reported to have moved its prisoners from the town.\n"
    )
    evs = [e for e in _events(nlp, text, None) if "Ja'bar" in text[e.span.start : e.span.end]]
    assert evs and all(e.date is not None and e.date.start == date(2017, 1, 6) for e in evs)


def test_a_fighter_mortally_wounded_is_one_more_death(nlp: Any) -> None:
    from fftrack.extract.counts import fatalities, injured

    text = (
        "The air force bombed a petrol station in the town, killing 30 civilians and wounding "
        "70. A rebel fighter was also mortally wounded."
    )
    toks = list(nlp(text))
    fat, inj = fatalities(toks, text), injured(toks, text)
    assert fat is not None and fat.value == 31
    assert inj is not None and inj.value == 70


def test_who_died_after_another_verb_is_its_subject(nlp: Any) -> None:
    from fftrack.extract.counts import fatalities

    text = "The commander led the assault on the base and died in the fighting."
    fat = fatalities(list(nlp(text)), text)
    assert fat is not None and fat.value == 1


def test_other_victims_killed_in_it_add_to_the_toll(nlp: Any) -> None:
    head = "The militants had besieged the airbase for a month.\n"
    text = head + (
        "The militants launched another attack on the airbase near Palmyra on 19 December. "
        "The attack failed with 36 ISIL fighters being killed. At least 20 pro-government "
        "fighters were killed in it while a helicopter was shot down, leaving its two pilots "
        "dead.\n"
    )
    tolls = [e.fatalities.value for e in _events(nlp, text) if e.fatalities is not None]
    assert tolls == [58]  # 36 + 20 + the two pilots
    same = head + (
        "The militants launched another attack on the airbase near Palmyra on 19 December. "
        "The attack failed with 36 ISIL fighters being killed. At least 20 ISIL fighters were "
        "killed in it.\n"
    )
    tolls = [e.fatalities.value for e in _events(nlp, same) if e.fatalities is not None]
    assert 56 not in tolls


def test_a_total_over_several_villages_is_not_the_toll_of_one(nlp: Any) -> None:
    text = (
        "On 10 September, rebels attacked the village of Maksar, killing 22 civilians. "
        "Rebels later admitted to the killing of 30 civilians overall in three Alawite villages."
    )
    evs = _in_a_report(nlp, text)
    assert [e.fatalities.value if e.fatalities else None for e in evs][:1] == [22]
