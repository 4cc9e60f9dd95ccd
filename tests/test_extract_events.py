"""Event coding rules (ACLED's codebook) on short texts we wrote."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from fftrack.extract import extract_records
from fftrack.extract.events import decide, score_clause
from fftrack.extract.taxonomy import CASE2021_TO_ACLED, EVENT_TYPES, map_old_acled, type_of
from fftrack.records import Document, Place, Span


def events_of(
    nlp: Any, text: str, places: dict[str, tuple[float, float, str]] | None = None
) -> list[Any]:
    doc = Document(id="e", text=text, published=date(2018, 2, 1))
    sdoc = nlp(text)
    out = []
    for name, (lat, lon, cc) in (places or {}).items():
        i = text.find(name)
        if i >= 0:
            s = sdoc.char_span(i, i + len(name), alignment_mode="expand").sent
            out.append(
                Place(
                    name,
                    Span("e", i, i + len(name), s.start_char, s.end_char),
                    lat,
                    lon,
                    country=cc,
                    precision=1,
                    feature="P.PPL",
                )
            )
    _, events, _, _ = extract_records(sdoc, doc, out)
    return events


def first(nlp: Any, text: str, places: dict[str, tuple[float, float, str]] | None = None) -> Any:
    evs = events_of(nlp, text, places)
    assert evs, f"no event in {text!r}"
    return evs[0]


def test_foreign_forces_taking_ground_are_non_state(nlp: Any) -> None:
    ev = first(nlp, "Turkish forces took control of the village of Rajo from YPG fighters.")
    assert ev.sub_event_type == "Non-state actor overtakes territory"


def test_regime_taking_ground_is_government(nlp: Any) -> None:
    ev = first(nlp, "Following clashes with rebels, regime forces took control of Masih town.")
    assert ev.sub_event_type == "Government regains territory"


@pytest.mark.parametrize(
    ("text", "sub"),
    [
        ("Hundreds of teachers protested outside the ministry in Amman.", "Peaceful protest"),
        ("Police fired tear gas to disperse protesters in Basra.", "Protest with intervention"),
        (
            "Security forces opened fire on protesters in Nasiriyah, killing three.",
            "Excessive force against protesters",
        ),
        ("Rioters threw stones and torched cars in Karbala.", "Violent demonstration"),
        ("An angry mob lynched a man accused of theft in the village.", "Mob violence"),
    ],
)
def test_protest_sub_types(nlp: Any, text: str, sub: str) -> None:
    assert first(nlp, text).sub_event_type == sub


@pytest.mark.parametrize(
    ("text", "sub"),
    [
        (
            "A car bomb exploded near a market in Kirkuk, killing five civilians.",
            "Remote explosive/landmine/IED",
        ),
        ("A suicide bomber blew himself up at a checkpoint in Tikrit.", "Suicide bomb"),
        ("Gunmen kidnapped two aid workers in Idlib.", "Abduction/forced disappearance"),
        ("Police arrested 12 suspects in Mosul.", "Arrests"),
        ("Engineers defused an IED found on the road to Baiji.", "Disrupted weapons use"),
        ("The two sides signed a ceasefire agreement in Astana.", "Agreement"),
        ("A strong earthquake struck Java, killing eight people.", "Natural disaster"),
    ],
)
def test_sub_types(nlp: Any, text: str, sub: str) -> None:
    assert first(nlp, text).sub_event_type == sub


def test_acled_note_label(nlp: Any) -> None:
    ev = first(nlp, "Defusal: Turkish gendarmerie forces found and detonated an IED in Cizre.")
    assert (ev.event_type, ev.sub_event_type) == ("Strategic developments", "Disrupted weapons use")


def test_claim_and_the_attacks_it_covers(nlp: Any) -> None:
    evs = events_of(
        nlp,
        "IS claimed responsibility for a string of attacks, including a car bomb in Diyarbakir "
        "that killed eight people.",
    )
    # the claim is a property of the attack it claims (CODING.md), not an event of its own
    assert [e.sub_event_type for e in evs] == ["Remote explosive/landmine/IED"]
    assert evs[0].fatalities is not None and evs[0].fatalities.value == 8
    assert evs[0].claimed_by == "IS"
    # a claim with no event in the report to attach to stays, and the act it names follows
    claim, act = events_of(nlp, "IS claimed responsibility for the attack on the embassy.")
    assert claim.sub_event_type == "Attribution" and claim.event_type == "Other"
    assert act.event_type == "Violence against civilians" and act.claimed_by == "IS"
    # and one that names no act stays an attribution record
    ev3 = first(nlp, "IS claimed responsibility in a statement.")
    assert ev3.sub_event_type == "Attribution" and ev3.event_type == "Other"


def test_coalition_in_yemen_is_saudi_led(nlp: Any) -> None:
    ev = first(nlp, "Coalition airstrikes hit a farm in Harad.", {"Harad": (16.4, 43.1, "YE")})
    assert ev.actors and ev.actors[0].normalized == "Saudi-led coalition"


def test_government_forces_named_by_country(nlp: Any) -> None:
    ev = first(
        nlp,
        "Government forces shelled the town of Kafr Zita in Hama.",
        {"Kafr Zita": (35.37, 36.6, "SY"), "Hama": (35.13, 36.75, "SY")},
    )
    assert ev.actors and ev.actors[0].normalized == "Syrian Arab Army"


def test_victims_are_not_actor1(nlp: Any) -> None:
    ev = first(nlp, "Two Iraqi soldiers were killed by an IS sniper near Tarmiyah.")
    assert ev.actors and ev.actors[0].normalized == "Islamic State"
    assert ev.fatalities is not None and ev.fatalities.value == 2


def test_nominal_toll(nlp: Any) -> None:
    ev = first(nlp, "Shells fell on Barzeh which led to the killing of 3 civilians.")
    assert ev.fatalities is not None and ev.fatalities.value == 3


def test_acled_unknown_fatalities_convention(nlp: Any) -> None:
    ev = first(
        nlp, "Houthi forces attacked army positions in Nihm. Unknown fatalities coded as 10."
    )
    assert ev.fatalities is not None and ev.fatalities.value == 10


def test_place_of_another_country_is_not_chosen(nlp: Any) -> None:
    ev = first(
        nlp,
        "Regime forces shelled Termala village in southern Idleb, Syria.",
        {
            "Termala": (41.99, 14.99, "IT"),
            "Idleb": (35.93, 36.63, "SY"),
            "Syria": (35.0, 38.0, "SY"),
        },
    )
    assert ev.place is not None and ev.place.name == "Idleb"


def test_decide_without_votes() -> None:
    assert decide("nothing happened", {}, []) == ("Strategic developments", "Other", 0.1)
    scores, trig = score_clause("Turkish warplanes carried out airstrikes on Jandairis.")
    assert "Air/drone strike" in scores and trig


def test_taxonomy_maps() -> None:
    assert map_old_acled("Remote violence") == ("Explosions/Remote violence", None)
    assert map_old_acled("Battle-Government regains territory") == (
        "Battles",
        "Government regains territory",
    )
    assert len(CASE2021_TO_ACLED) == 30
    for sub in CASE2021_TO_ACLED.values():
        assert any(sub in subs for subs in EVENT_TYPES.values())
    assert type_of("Armed clash") == "Battles"


def test_people_taken_somewhere_is_not_territory_taken() -> None:
    assert "TERRITORY" not in score_clause("Most civilians were taken to a camp in Hasakah.")[0]
    assert "TERRITORY" in score_clause("Several villages were taken by the militants.")[0]


def test_the_month_of_march_is_not_a_protest() -> None:
    assert "Peaceful protest" not in score_clause("after Westminster Bridge in March")[0]
    assert "Peaceful protest" in score_clause("Thousands marched through the capital.")[0]


def test_pushed_into_the_outskirts_is_an_advance_not_an_expulsion(nlp: Any) -> None:
    evs = events_of(
        nlp,
        "Kurdish and Arab fighters backed by the United States pushed into the outskirts "
        "of Raqqa on Tuesday.",
        {"United States": (39.76, -98.5, "US"), "Raqqa": (35.95, 39.01, "SY")},
    )
    assert all(e.trigger != "pushed into the out" for e in evs)


def test_north_of_a_town_is_where_it_happened(pipeline: Any) -> None:
    text = (
        "In Hajjah province, coalition warplanes launched nine strikes on the desert areas "
        "north of Midi town."
    )
    ex = next(pipeline.process([Document(id="m", text=text, published=date(2018, 2, 1))]))
    ev = ex.events[0]
    assert ev.place is not None and ev.place.name == "Midi"


def test_one_event_per_place_of_a_coordination(nlp: Any) -> None:
    evs = events_of(
        nlp,
        "Government forces captured Kafr Nabl, Maarzaf and Hish after heavy shelling.",
        {
            "Kafr Nabl": (35.61, 36.56, "SY"),
            "Maarzaf": (35.56, 36.63, "SY"),
            "Hish": (35.55, 36.64, "SY"),
        },
    )
    taken = [e for e in evs if e.sub_event_type == "Government regains territory"]
    assert sorted(e.place.name for e in taken) == ["Hish", "Kafr Nabl", "Maarzaf"]
    assert len({e.id for e in taken}) == 3


def _long(text: str) -> str:
    # rules for long reports only apply past the length of a one-line note
    filler = " ".join(["The report was published by a local monitoring group."] * 25)
    return text + "\n\n" + filler


def test_long_report_event_needs_an_anchor(nlp: Any) -> None:
    text = _long("The country has long been part of the fight against the insurgents.")
    evs = events_of(nlp, text)
    assert not [e for e in evs if e.event_type == "Battles"]


def test_long_report_event_without_a_date_is_the_reports_day(nlp: Any) -> None:
    text = _long("Militants attacked a checkpoint in Kafr Nabl, killing three soldiers.")
    evs = events_of(nlp, text, {"Kafr Nabl": (35.61, 36.56, "SY")})
    assert evs and evs[0].date is not None and evs[0].date.start == date(2018, 2, 1)


def test_executing_captured_soldiers_is_violence_against_civilians(nlp: Any) -> None:
    ev = first(
        nlp,
        "Militants executed 12 captured soldiers near Kafr Nabl.",
        {"Kafr Nabl": (35.61, 36.56, "SY")},
    )
    assert ev.event_type == "Violence against civilians"


def test_dateline_is_not_the_event_place(nlp: Any) -> None:
    text = "BEIRUT (Wire) - Militants attacked a checkpoint in Kafr Nabl, killing three soldiers."
    places = {"BEIRUT": (33.89, 35.5, "LB"), "Kafr Nabl": (35.61, 36.56, "SY")}
    assert first(nlp, text, places).place.name == "Kafr Nabl"
    only = "BEIRUT (Wire) - Militants attacked a checkpoint overnight, killing three soldiers."
    ev = first(nlp, only, {"BEIRUT": (33.89, 35.5, "LB")})
    assert ev.place.name == "BEIRUT" and ev.place.precision == 2


@pytest.mark.parametrize(
    ("text", "sub"),
    [
        (
            "Syrian government forces lost control of the town of Kafr Nabl to Islamic State.",
            "Non-state actor overtakes territory",
        ),
        (
            "The town of Kafr Nabl fell to Islamic State fighters on Sunday.",
            "Non-state actor overtakes territory",
        ),
        (
            "Islamic State militants took the town of Kafr Nabl on Wednesday.",
            "Non-state actor overtakes territory",
        ),
    ],
)
def test_ground_lost_and_taken(nlp: Any, text: str, sub: str) -> None:
    assert first(nlp, text, {"Kafr Nabl": (35.61, 36.56, "SY")}).sub_event_type == sub


def test_vehicle_driven_into_a_crowd_is_an_attack(nlp: Any) -> None:
    ev = first(
        nlp,
        "A lorry drove into a crowded market in Kafr Nabl, killing nine people.",
        {"Kafr Nabl": (35.61, 36.56, "SY")},
    )
    assert ev.event_type == "Violence against civilians"


def test_storming_a_town_is_no_weather(nlp: Any) -> None:
    ev = first(
        nlp,
        "Rebels began to storm the town of Kafr Nabl on Monday.",
        {"Kafr Nabl": (35.61, 36.56, "SY")},
    )
    assert ev.event_type == "Battles"
    assert not events_of(
        nlp,
        "The decision set off a storm of criticism in Kafr Nabl.",
        {"Kafr Nabl": (35.61, 36.56, "SY")},
    )


def test_a_country_that_acts_is_not_the_place(nlp: Any) -> None:
    text = "The Netherlands extended its air strikes against the group in January 2016."
    doc = Document(id="e", text=text, published=date(2018, 2, 1))
    sdoc = nlp(text)
    i = text.index("Netherlands")
    s = sdoc.char_span(i, i + 11).sent
    nl = Place(
        "Netherlands",
        Span("e", i, i + 11, s.start_char, s.end_char),
        52.5,
        5.75,
        country="NL",
        precision=4,
        feature="A.PCLI",
    )
    _, events, _, _ = extract_records(sdoc, doc, [nl])
    assert all(e.place is None or e.place.country != "NL" for e in events)


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        ("Government troops pushed into the town of Kafr Nabl from the west.", "Battles"),
        ("The army started encircling Kafr Nabl on Monday.", "Battles"),
        ("The rebels seized two villages near Kafr Nabl on Monday.", "Battles"),
        ("One jet bombed a school in Kafr Nabl on Friday.", "Explosions/Remote violence"),
    ],
)
def test_narrative_battle_verbs(nlp: Any, text: str, etype: str) -> None:
    assert first(nlp, text, {"Kafr Nabl": (35.61, 36.56, "SY")}).event_type == etype


def test_an_explosion_among_students_is_no_riot(nlp: Any) -> None:
    ev = first(
        nlp,
        "Twin explosions killed 87 people at the university in Kafr Nabl, many of them students.",
        {"Kafr Nabl": (35.61, 36.56, "SY")},
    )
    assert ev.event_type == "Explosions/Remote violence"


@pytest.mark.parametrize(
    "text",
    [
        "A foreign volunteer was killed in fighting near Kafr Nabl in May.",
        "One soldier was killed by the rebels near Kafr Nabl.",
    ],
)
def test_deaths_in_battle_are_battles(nlp: Any, text: str) -> None:
    assert first(nlp, text, {"Kafr Nabl": (35.61, 36.56, "SY")}).event_type == "Battles"


def test_coalition_beside_the_united_nations_is_not_yemens(nlp: Any) -> None:
    ev = first(
        nlp,
        "The United Nations said coalition airstrikes hit a market in Kafr Nabl.",
        {"Kafr Nabl": (35.61, 36.56, "SY")},
    )
    assert all(a.normalized != "Saudi-led coalition" for a in ev.actors)


def test_long_report_a_year_alone_is_no_anchor(nlp: Any) -> None:
    text = _long("In 2013, the group said that its fighters were fighting the army.")
    assert not [e for e in events_of(nlp, text) if e.event_type == "Battles"]


def _all_places(
    nlp: Any, text: str, places: dict[str, tuple[float, float, str, int]]
) -> tuple[Any, list[Place]]:
    """Every mention of each name as a resolved Place (country, precision as given)."""
    sdoc = nlp(text)
    out = []
    for name, (lat, lon, cc, prec) in places.items():
        i = text.find(name)
        while i >= 0:
            s = sdoc.char_span(i, i + len(name), alignment_mode="expand").sent
            span = Span("e", i, i + len(name), s.start_char, s.end_char)
            feature = "A.PCLI" if prec == 4 else "P.PPL"
            out.append(Place(name, span, lat, lon, country=cc, precision=prec, feature=feature))
            i = text.find(name, i + len(name))
    out.sort(key=lambda p: p.span.start)
    return sdoc, out


def _events_all(nlp: Any, text: str, places: dict[str, tuple[float, float, str, int]]) -> Any:
    sdoc, found = _all_places(nlp, text, places)
    doc = Document(id="e", text=text, published=None)
    return extract_records(sdoc, doc, found)[1]


def test_a_village_resolved_in_a_country_the_report_never_names_is_not_the_place(
    nlp: Any,
) -> None:
    text = _long(
        "Government forces shelled Aleppo on 3 May 2016. Rebels held out in Idlib and Aleppo.\n\n"
        "On 4 May, the army captured the village of Bani Hamra after heavy fighting."
    )
    places = {
        "Aleppo": (36.2, 37.16, "SY", 1),
        "Idlib": (35.93, 36.63, "SY", 1),
        "Bani Hamra": (32.0, 35.1, "PS", 1),  # a namesake abroad, the only one the index has
    }
    evs = [
        e for e in _events_all(nlp, text, places) if "Bani Hamra" in text[e.span.start : e.span.end]
    ]
    assert evs and all(e.place is None or e.place.country == "SY" for e in evs)


def test_a_long_report_event_without_a_place_is_near_the_town_the_report_is_about(
    nlp: Any,
) -> None:
    text = _long(
        "Government forces shelled Aleppo on 3 May 2016, and rebels shelled Aleppo's west.\n\n"
        "On 5 May, the Tiger Forces captured two hills after heavy fighting."
    )
    evs = _events_all(nlp, text, {"Aleppo": (36.2, 37.16, "SY", 1)})
    later = [e for e in evs if e.date is not None and e.date.start.day == 5]
    assert later and later[0].place is not None and later[0].place.name == "Aleppo"
    assert later[0].place.precision == 2 and later[0].place.confidence <= 0.3


def test_a_new_act_told_on_the_same_day_is_its_own_event_but_the_blast_is_not(nlp: Any) -> None:
    text = _long(
        "On 3 May 2016, rebels captured the village of Kafr Nabl after clashes. "
        "On 3 May, the Tiger Forces captured two hills to the south after heavy fighting."
    )
    evs = _events_all(nlp, text, {"Kafr Nabl": (35.61, 36.56, "SY", 1)})
    assert len([e for e in evs if e.event_type == "Battles"]) == 2
    text = _long(
        "On 3 May 2016, a car bomb exploded in Kafr Nabl, killing three people. "
        "The blast also wounded 12 people."
    )
    evs = _events_all(nlp, text, {"Kafr Nabl": (35.61, 36.56, "SY", 1)})
    assert len(evs) == 1 and evs[0].injured is not None


def test_fighting_and_air_strikes_in_one_breath_are_two_events(nlp: Any) -> None:
    text = _long(
        "On 3 May 2016, heavy clashes took place in Kafr Nabl, with warplanes carrying out "
        "airstrikes on rebel positions."
    )
    evs = _events_all(nlp, text, {"Kafr Nabl": (35.61, 36.56, "SY", 1)})
    assert {e.event_type for e in evs} == {"Battles", "Explosions/Remote violence"}
    assert len({e.id for e in evs}) == len(evs)
    # a one-line note keeps ACLED's one event
    note = "Heavy clashes took place in Kafr Nabl, with warplanes carrying out airstrikes."
    assert len(events_of(nlp, note, {"Kafr Nabl": (35.61, 36.56, "SY")})) == 1


@pytest.mark.parametrize(
    "text",
    [
        "On 10 January 2013, heavy clashes erupted in the town of al-Thawra.",
        "An RAF Tornado GR4 patrol provided close air support to Iraqi forces near Tikrit.",
    ],
)
def test_erupting_clashes_and_tornado_jets_are_no_natural_disaster(text: str) -> None:
    assert "Natural disaster" not in score_clause(text)[0]


@pytest.mark.parametrize(
    "text",
    [
        "Of course there are many challenges ahead, but the world has taken a great step forward.",
        "In March 2018 Kurdish authorities reported they had captured 41 IS supporters.",
    ],
)
def test_taking_a_step_and_capturing_people_take_no_territory(text: str) -> None:
    assert "TERRITORY" not in score_clause(text)[0]


def test_offensive_forces_are_no_offensive() -> None:
    assert not score_clause("The offensive forces are proceeding in opening the road.")[0]
    assert "Armed clash" in score_clause("The army launched an offensive on the town.")[0]


def test_a_running_total_in_a_long_report_is_no_event(nlp: Any) -> None:
    text = _long("By September 2014, a total of 48 ethnic Albanians were killed fighting in Syria.")
    assert not events_of(nlp, text, {"Syria": (35.0, 38.0, "SY")})


def test_the_town_a_report_is_about_counts_its_names_by_point(nlp: Any) -> None:
    from fftrack.extract.event_places import focus_place

    text = "Aleppo was shelled. Fighting went on in Aleppo City and on the Castello Road."
    sdoc, places = _all_places(
        nlp,
        text,
        {
            "Aleppo City": (36.2012, 37.1612, "SY", 1),
            "Castello Road": (36.2012, 37.1612, "SY", 2),
            "Idlib": (35.93, 36.63, "SY", 1),
        },
    )
    aleppo = Place(
        "Aleppo",
        Span("e", 0, 6, 0, 19),
        36.2012,
        37.1612,
        country="SY",
        precision=1,
        feature="P.PPL",
        confidence=0.9,
    )
    found = focus_place([aleppo, *[p for p in places if p.span.start != 0]])
    assert found is not None and found.name == "Aleppo"


def test_a_strong_act_in_a_dated_paragraph_is_an_event_without_a_date_of_its_own(
    nlp: Any,
) -> None:
    text = _long(
        "On 26 July 2014, rebels captured the village of Kafr Nabl after clashes. "
        "Also during this time, ISIL forces retreated from the air base due to heavy shelling."
    )
    evs = _events_all(nlp, text, {"Kafr Nabl": (35.61, 36.56, "SY", 1)})
    shelling = [e for e in evs if e.sub_event_type == "Shelling/artillery/missile attack"]
    assert shelling and shelling[0].date is not None and shelling[0].date.start.day == 26
    # no dated paragraph: a generic statement stays no event
    generic = _long("The country has long been part of the air strikes against the insurgents.")
    assert not events_of(nlp, generic)


def test_a_toll_told_without_a_doer_is_the_toll_of_the_act_before(nlp: Any) -> None:
    text = _long(
        "On 5 March, a chemical weapons attack was carried out in Kafr Nabl. 25–31 people were killed."
    )
    evs = events_of(nlp, text, {"Kafr Nabl": (35.61, 36.56, "SY")})
    assert len(evs) == 1
    assert evs[0].fatalities is not None and (evs[0].fatalities.value, evs[0].fatalities.upper) == (
        25,
        31,
    )


def test_one_person_named_by_a_definite_noun(nlp: Any) -> None:
    from fftrack.extract.counts import fatalities

    for text, n in [
        ("The suspect was killed by police.", 1),
        ("Its commander was killed in the clashes.", 1),
        ("The rest were killed by the militants.", None),
        ("The Hatla massacre occurred on 11 June, when rebels killed 60 villagers.", 60),
        ("Rebels reportedly committed a massacre.", None),
    ]:
        q = fatalities(list(nlp(text)), text)
        assert (q.value if q else None) == n, text


def test_the_surrounding_villages_are_no_siege_and_an_abandoned_town_no_battle() -> None:
    text = "The army entered Tell Tamer and the surrounding villages."
    scores, _ = score_clause(text)
    assert "Armed clash" not in scores
    text = "ISIL seized two towns in Diyala, after security forces abandoned them."
    scores, _ = score_clause(text)
    assert decide(text, scores, [])[1] == "Non-violent transfer of territory"


def test_a_heading_line_is_no_event_but_a_table_row_is(nlp: Any) -> None:
    places = {"Kafr Nabl": (35.61, 36.56, "SY")}
    text = _long("Battle of Kafr Nabl\nOn 5 May, rebels attacked the army base in Kafr Nabl.")
    evs = events_of(nlp, text, places)
    assert len(evs) == 1 and evs[0].span.start > 0
    row = _long("Battle of Kafr Nabl\nMay 2013 | Battle of Kafr Nabl | Idlib | 140 | Victory")
    assert events_of(nlp, row, places)


def test_a_range_the_parse_hangs_on_a_preposition(nlp: Any) -> None:
    from fftrack.extract.counts import fatalities

    text = "The monitor claimed that air strikes killed between 38 and 67 civilians near the river."
    q = fatalities(list(nlp(text)), text)
    assert q is not None and (q.value, q.upper) == (38, 67)


def test_what_a_campaign_is_is_no_event(nlp: Any) -> None:
    text = _long(
        "The Kafr Nabl offensive was a military operation that began in May 2015.\n"
        "On 5 May, rebels attacked the army base in Kafr Nabl."
    )
    evs = events_of(nlp, text, {"Kafr Nabl": (35.61, 36.56, "SY")})
    assert len(evs) == 1 and "attacked" in text[evs[0].span.start : evs[0].span.end]


def test_people_taken_are_not_ground_taken(nlp: Any) -> None:
    ev = first(
        nlp,
        "Militants executed 10 soldiers they had captured in Kafr Nabl.",
        {"Kafr Nabl": (35.61, 36.56, "SY")},
    )
    assert ev.event_type == "Violence against civilians"


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        ("Rebels shot down a government helicopter over Kafr Nabl.", "Battles"),
        ("A government jet was shot down by rebels near Kafr Nabl.", "Battles"),
        ("The army shot down a drone over Kafr Nabl.", "Strategic developments"),
        ("The rebels withdrew from Kafr Nabl and other positions.", "Strategic developments"),
    ],
)
def test_a_manned_aircraft_brought_down_is_fighting(nlp: Any, text: str, etype: str) -> None:
    assert first(nlp, text, {"Kafr Nabl": (35.61, 36.56, "SY")}).event_type == etype


def test_a_claim_with_no_act_told_is_the_act_it_names(nlp: Any) -> None:
    evs = events_of(
        nlp,
        "ISIL claims responsibility for the machete attack in Kafr Nabl.",
        {"Kafr Nabl": (35.61, 36.56, "SY")},
    )
    assert [e.sub_event_type for e in evs] == ["Attribution", "Attack"]
    assert evs[1].event_type == "Violence against civilians" and evs[1].claimed_by


def test_an_arrest_told_beside_a_claim_is_kept(nlp: Any) -> None:
    text = (
        "A van drives into crowds of people in Kafr Nabl, killing at least 12 people. "
        "Two suspects are taken into custody, and ISIL claims responsibility."
    )
    evs = events_of(nlp, text, {"Kafr Nabl": (35.61, 36.56, "SY")})
    assert [e.sub_event_type for e in evs] == ["Attack", "Arrests"]
    assert evs[0].claimed_by


@pytest.mark.parametrize(
    "text",
    [
        "A gunman shoots dead two shoppers in Kafr Nabl.",
        "A truck plows into a mass of revelers in Kafr Nabl.",
        "The group captures a range of cities near Kafr Nabl.",
    ],
)
def test_headline_present_tense(nlp: Any, text: str) -> None:
    assert events_of(nlp, text, {"Kafr Nabl": (35.61, 36.56, "SY")})


def test_a_toll_told_before_the_act_is_named(nlp: Any) -> None:
    text = (
        "At least 72 people have now died from the gas released over Kafr Nabl on Tuesday, "
        "medics said on Wednesday. Doctors said the symptoms pointed to a nerve agent."
    )
    ev = first(nlp, text, {"Kafr Nabl": (35.61, 36.56, "SY")})
    assert ev.event_type == "Explosions/Remote violence"
    assert ev.fatalities is not None and ev.fatalities.value == 72
    assert ev.date is not None and ev.date.start == date(2018, 1, 30)


def test_the_claimant_is_the_group_not_its_supporters(nlp: Any) -> None:
    text = (
        "The Islamic State group claimed responsibility for a suicide car bombing in Kafr Nabl "
        "that killed dozens of people. In a statement circulated by its supporters, the group "
        "said the attack targeted Shia Muslims."
    )
    evs = events_of(nlp, text, {"Kafr Nabl": (35.61, 36.56, "SY")})
    assert [e.claimed_by for e in evs if e.event_type != "Other"] == ["Islamic State group"]


@pytest.mark.parametrize(
    ("text", "sub"),
    [
        (
            "Several villages near Kafr Nabl were captured by the rebels.",
            "Non-state actor overtakes territory",
        ),
        ("Two suspects were captured by police in Kafr Nabl.", "Arrests"),
        ("In Kafr Nabl, 56 soldiers were killed and 40 captured.", "Armed clash"),
    ],
)
def test_ground_taken_and_people_taken_in_the_passive(nlp: Any, text: str, sub: str) -> None:
    assert first(nlp, text, {"Kafr Nabl": (35.61, 36.56, "SY")}).sub_event_type == sub


def test_a_clause_that_goes_on_with_the_act_is_one_event(nlp: Any) -> None:
    text = (
        "A van ploughs into pedestrians on the bridge in Kafr Nabl; the three occupants then "
        "abandon the van and embark on a stabbing spree in the market. At least six are killed."
    )
    evs = events_of(nlp, text, {"Kafr Nabl": (35.61, 36.56, "SY")})
    assert len(evs) == 1 and evs[0].fatalities is not None and evs[0].fatalities.value == 6


def test_a_thing_already_named_told_again_in_the_passive_is_the_same_act(nlp: Any) -> None:
    text = _long(
        "On 5 May, a suicide bomber detonated an explosive device at the stadium in Kafr Nabl, "
        "killing 22 people. The device was detonated in the foyer as the crowd was leaving."
    )
    evs = events_of(nlp, text, {"Kafr Nabl": (35.61, 36.56, "SY")})
    assert len(evs) == 1 and evs[0].fatalities is not None and evs[0].fatalities.value == 22


def test_a_district_abroad_is_a_stray_even_where_the_reports_towns_fell_back_to_one_point(
    nlp: Any,
) -> None:
    # every Syrian place of the report sits at one point (fallbacks to the town), and a
    # river the index knows only in India is no place of the events
    text = _long(
        "Fighting continued in Manbij on 3 May 2016. Rebels held the Manbij silos and the "
        "road to Manbij.\n\n"
        "On 4 May, rebels shelled army positions on the Sajur River."
    )
    places = {
        "Manbij": (36.53, 37.95, "SY", 1),
        "Sajur River": (27.18, 78.02, "IN", 2),
    }
    evs = [e for e in _events_all(nlp, text, places) if "Sajur" in text[e.span.start : e.span.end]]
    assert evs and all(e.place is None or e.place.country == "SY" for e in evs)


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        (
            "The Syrian Air Force bombed a petrol station in Kafr Nabl, killing 30 civilians.",
            "Explosions/Remote violence",
        ),
        ("The Syrian Air Force said in Kafr Nabl that it would respond.", None),
    ],
)
def test_an_air_force_that_bombs_is_an_air_strike(nlp: Any, text: str, etype: str | None) -> None:
    evs = events_of(nlp, text, {"Kafr Nabl": (35.61, 36.56, "SY")})
    assert (evs[0].event_type if evs else None) == etype


def test_members_of_an_armed_group_killed_without_a_killer_named_died_fighting(nlp: Any) -> None:
    ev = first(
        nlp,
        "An official said that 23 Chechens from ISIL were killed near Kafr Nabl.",
        {"Kafr Nabl": (35.61, 36.56, "SY")},
    )
    assert ev.event_type == "Battles"


def test_a_count_of_sorties_is_a_running_total_and_a_misparsed_definition_no_event(
    nlp: Any,
) -> None:
    places = {"Kafr Nabl": (35.61, 36.56, "SY")}
    text = _long(
        "By the end of July 2016 the air task force flew more than 2100 missions and carried "
        "out over 1800 air strikes near Kafr Nabl."
    )
    assert not events_of(nlp, text, places)
    text = _long(
        "The Kafr Nabl offensive or Martyr Rubar operation was a military operation that began "
        "in late May 2015 in the northern Raqqa Governorate."
    )
    assert not [e for e in events_of(nlp, text, places) if e.event_type == "Battles"]


@pytest.mark.parametrize(
    ("text", "value", "upper"),
    [
        ("A car bomb in the market left between 14 and 19 shoppers dead.", 14, 19),
        ("The shelling left 12 dead and dozens wounded.", 12, None),
        ("A van drove into a crowd, with a death toll as high as 30.", 30, None),
        ("A bomb exploded at the station, killing 12. The death toll later rose to 30.", 30, None),
        ("Umar Hassan, a commander of the group, was killed in the clashes.", 1, None),
        ("The overall death toll of the war is over 500,000.", None, None),
    ],
)
def test_tolls_as_reports_state_them(nlp: Any, text: str, value: Any, upper: Any) -> None:
    from fftrack.extract.counts import fatalities

    q = fatalities(list(nlp(text)), text)
    assert (None if q is None else (q.value, q.upper)) == (
        None if value is None else (value, upper)
    )


def test_a_definite_act_as_the_doer_of_a_killing_gives_that_acts_toll(nlp: Any) -> None:
    text = _long(
        "On 15 March, coalition jets carried out airstrikes near Tabqa. Two tanks were "
        "destroyed. The strikes reportedly killed at least 38 militants."
    )
    evs = events_of(nlp, text, {"Tabqa": (35.84, 38.55, "SY")})
    strikes = [e for e in evs if e.sub_event_type == "Air/drone strike"]
    assert len(strikes) == 1 and not [e for e in evs if e.event_type == "Battles"]
    assert strikes[0].fatalities is not None and strikes[0].fatalities.value == 38


def test_a_short_report_of_several_paragraphs_is_read_as_a_report(nlp: Any) -> None:
    total = (
        "By September 2014, a total of 48 volunteers from the region were killed fighting in Syria."
    )
    # one paragraph, short: a note, where every killing told is coded
    assert events_of(nlp, total)
    # the same line as a paragraph of a report: a running total, not an event
    text = "Volunteers from the region went to fight abroad.\n\n" + total
    assert not events_of(nlp, text)


def test_throughout_the_day_is_one_days_events_not_a_running_total(nlp: Any) -> None:
    day = _long(
        "On 7 October, throughout the day, a wave of airstrikes against rebel positions near "
        "Tabqa reportedly killed 30 fighters."
    )
    evs = events_of(nlp, day, {"Tabqa": (35.84, 38.55, "SY")})
    assert [e.sub_event_type for e in evs] == ["Air/drone strike"]
    war = _long("Throughout the war, airstrikes near Tabqa killed thousands of fighters.")
    assert not events_of(nlp, war, {"Tabqa": (35.84, 38.55, "SY")})


def test_people_moved_toward_somewhere_hand_over_no_ground(nlp: Any) -> None:
    from functools import partial

    from fftrack.extract.event_types import realis_at

    for text, kept in [
        ("The group withdrew 150 of its fighters towards the city.", False),
        ("Civilians were evacuated to the nearby town.", False),
        ("The rebels withdrew from the village.", True),
    ]:
        scores, _ = score_clause(text, partial(realis_at, nlp(text), 0))
        assert ("Non-violent transfer of territory" in scores) is kept, text


def test_a_toll_as_of_a_date_is_a_running_total(nlp: Any) -> None:
    text = _long(
        "Around 60 volunteers from the region have been killed in combat as of March 2016."
    )
    assert not events_of(nlp, text)


def test_a_big_toll_during_the_act_just_told_is_its_toll(nlp: Any) -> None:
    text = _long(
        "On 22 July 2013, rebel forces attacked and captured the town of Tabqa. During the "
        "takeover more than 150 soldiers were killed."
    )
    evs = events_of(nlp, text, {"Tabqa": (35.84, 38.55, "SY")})
    assert len(evs) == 1 and evs[0].fatalities is not None and evs[0].fatalities.value == 150


@pytest.mark.parametrize(
    ("text", "sub"),
    [
        (
            "Rebel-held areas throughout the province were also reportedly bombed.",
            "Air/drone strike",
        ),
        ("Jets bombed the town.", "Air/drone strike"),
        ("Gunmen bombed a house.", None),
    ],
)
def test_bombed_from_the_air(text: str, sub: str | None) -> None:
    scores, _ = score_clause(text)
    assert (max(scores, key=lambda k: scores[k]) if scores else None) == sub


def test_two_acts_with_their_own_dates_in_one_sentence(nlp: Any) -> None:
    text = _long(
        "Monitors reported that seven civilians were killed when an air strike hit a gas "
        "facility near Tabqa on 17 October 2014 and three civilians were killed in an air "
        "strike on 16 October 2014 near Hasakah."
    )
    evs = events_of(nlp, text, {"Tabqa": (35.84, 38.55, "SY"), "Hasakah": (36.5, 40.75, "SY")})
    got = sorted((e.date.start.day, e.fatalities.value) for e in evs if e.date and e.fatalities)
    assert got == [(16, 3), (17, 7)]


def test_a_perfect_with_its_doer_takes_ground(nlp: Any) -> None:
    from functools import partial

    from fftrack.extract.event_types import realis_at

    text = "Sources claimed the rebels had seized 11 villages from the militants."
    scores, _ = score_clause(text, partial(realis_at, nlp(text), 0))
    assert "TERRITORY" in scores


def test_a_withdrawal_told_without_a_verb_is_read_and_ends(nlp: Any) -> None:
    from functools import partial

    from fftrack.extract.event_types import realis_at

    # no verb above the noun: the walk up to the clause's verb stops at the root
    text = "Withdrawal of troops to the border."
    scores, _ = score_clause(text, partial(realis_at, nlp(text), 0))
    assert "Non-violent transfer of territory" not in scores


def test_one_event_for_each_village_of_a_list(pipeline: Any) -> None:
    # ACLED codes one event per place taken; villages the gazetteer lacks are put by the
    # towns they are listed with (precision 2)
    from fftrack.records import Document

    text = "Islamic State fighters captured Bartella, Sinjar, Kocho Saleh and Hardan Tamir."
    ((_, ex, _),) = pipeline.process_safe([Document(id="v1", text=text)])
    names = [e.place.name for e in ex.events if e.place is not None]
    assert {"Bartella", "Sinjar", "Kocho Saleh", "Hardan Tamir"} <= set(names)


def test_a_second_list_of_ground_taken_in_one_clause(pipeline: Any) -> None:
    # "took the village of X, as well as two hilltops and large parts of A, B and C": an
    # event for each of A, B and C too (the parse hangs the second list off the verb)
    from fftrack.records import Document

    text = (
        "Fighting raged around Aleppo. On 3 May, rebels took control of the village of "
        "Khalidiyah, near Zorba, as well as two hilltops and large parts of Zaytan, Birnah "
        "and al-Qal'ajiyyeh."
    )
    ((_, ex, _),) = pipeline.process_safe([Document(id="v2", text=text)])
    names = {e.place.name for e in ex.events if e.place is not None}
    assert {"Zaytan", "Birnah", "al-Qal'ajiyyeh"} <= names
    # the places a movement came from are no list of ground taken
    text = "Fighters from the villages of Zaytan and Birnah attacked Aleppo on 3 May."
    ((_, ex, _),) = pipeline.process_safe([Document(id="v3", text=text)])
    assert {e.place.name for e in ex.events if e.place is not None} <= {"Aleppo"}
