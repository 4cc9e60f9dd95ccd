"""extract_movements on the shapes real reporting uses (issue 11), over short sentences we
wrote: lists with a member the tagger misreads, bare counts, compass phrases, wars named by
a people, a force's vehicles, there and back, pronouns for things, "returned home"."""

from __future__ import annotations

from typing import Any

from test_extract_movements import COORDS, COUNTRY, ends, moves

# country-level places these sentences name, beside the towns of test_extract_movements
COORDS.update({"Australia": (-25.0, 134.0), "United States": (39.76, -98.5)})
COUNTRY.update({"Australia": "AU", "United States": "US"})


def test_a_list_member_the_tagger_misreads_is_a_place(nlp: Any) -> None:
    # "Ain Issa" is not in the test gazetteer: the list with Tabqa makes it a place
    text = "The Syrian Army entered Tabqa and Ain Issa yesterday according to state media."
    got = sorted(ends(m)[1] or "" for m in moves(nlp, text))
    assert got == ["Ain Issa", "Tabqa"]


def test_a_bare_count_as_the_subject_is_people(nlp: Any) -> None:
    text = "The militants captured Tabqa on Friday and thousands fled."
    ms = moves(nlp, text)
    assert [ends(m) for m in ms] == [("Tabqa", None)]
    assert ms[0].manner == "fled"
    ms = moves(nlp, "Several hundred crossed into Turkey at night.")
    assert [ends(m) for m in ms] == [(None, "Turkey")]
    assert ms[0].size is not None and ms[0].size.value == 200


def test_a_compass_phrase_locates_a_destination_the_gazetteer_lacks(nlp: Any) -> None:
    text = (
        "On 6 March, the rebels captured the city of Raqqa. "
        "The army retreated to the military base of the 17th Division, to the northeast "
        "of the city."
    )
    ms = [m for m in moves(nlp, text) if m.destination is not None]
    assert [ends(m)[1] for m in ms] == ["Raqqa"]
    d = ms[0].destination
    assert d is not None and d.resolved and d.precision == 2


def test_a_war_named_by_a_people_is_fought_in_their_country(nlp: Any) -> None:
    text = (
        "The party has an office in Syria. "
        "It sent a large number of its fighters, operating in a unit called the Brigade, "
        "to take part in the Syrian Civil War."
    )
    ms = moves(nlp, text)
    assert len(ms) == 1
    d = ms[0].destination
    assert d is not None and d.country == "SY" and d.name == "Syrian Civil War"
    assert ms[0].actor is not None and "fighters" in ms[0].actor.name


def test_a_forces_vehicles_moving_are_the_force_moving(nlp: Any) -> None:
    text = "A rebel source stated 100 government vehicles were seen heading towards Manbij."
    ms = moves(nlp, text)
    assert [ends(m) for m in ms] == [(None, "Manbij")]
    assert ms[0].size is None  # a count of vehicles, not of people
    assert moves(nlp, "Aid trucks entered Manbij on Monday.") == []


def test_left_then_returned_goes_back_to_the_place_left(nlp: Any) -> None:
    text = "U.S. troops left Iraq in 2011, then at the government's request returned."
    ms = moves(nlp, text)
    assert [ends(m) for m in ms] == [("Iraq", None), (None, "Iraq")]
    back = next(m for m in ms if m.manner == "returned")
    assert back.actor is not None and "troops" in back.actor.name


def test_them_for_things_named_before_is_no_group(nlp: Any) -> None:
    text = (
        "Rebel fighters were said to have bought the weapons mainly in Turkey and with "
        "support from the Commission and then transported them to Syria."
    )
    assert moves(nlp, text) == []


def test_home_of_the_others_is_the_country_of_the_people_named_before(nlp: Any) -> None:
    text = (
        "Officials in Australia estimated about 200 Australians to be fighting in Syria. "
        "About six were reported to have died and the others were suggested as having "
        "returned home."
    )
    home = [m for m in moves(nlp, text) if m.manner == "returned"]
    assert len(home) == 1
    d = home[0].destination
    assert d is not None and d.country == "AU" and d.name == "home"
    # and the people who return are of that country
    assert home[0].actor is not None and home[0].actor.country == "AU"


def test_repatriated_goes_to_the_country_by_its_name(nlp: Any) -> None:
    text = "The United States said it has repatriated 27 Americans from Syria."
    ms = moves(nlp, text)
    assert [ends(m) for m in ms] == [("Syria", "United States")]


def test_taken_escorted_expelled_move_the_people(nlp: Any) -> None:
    ms = moves(nlp, "The remaining fighters surrendered and were taken to a prison near Hajin.")
    assert [ends(m) for m in ms] == [(None, "Hajin")]
    assert ms[0].actor is not None and "fighters" in ms[0].actor.name
    ms = moves(nlp, "Kurdish forces expelled the militants from Kobani.")
    assert [ends(m) for m in ms] == [("Kobani", None)] and ms[0].manner == "expelled"
    assert ms[0].actor is not None and "militants" in ms[0].actor.name
    ms = moves(nlp, "The army escorted the civilians to Manbij.")
    assert [ends(m) for m in ms] == [(None, "Manbij")]
    assert ms[0].actor is not None and "civilians" in ms[0].actor.name
    # taking a town is a capture, not a movement
    assert moves(nlp, "Rebels took Tabqa on Monday. The town was taken by rebels.") == []


def test_more_verbs_of_motion(nlp: Any) -> None:
    cases = {
        "The fighters made their way to Syria through Turkey.": ("reached", (None, "Syria")),
        "Hundreds of fighters poured into Jarablus.": ("moved", (None, "Jarablus")),
        "Civilians streamed out of Raqqa on Sunday.": ("moved", ("Raqqa", None)),
        "The buses arrived in Idlib from Homs on Monday.": ("arrived", ("Homs", "Idlib")),
        "Many Tunisian fighters went back to Tunisia.": ("returned", (None, "Tunisia")),
        "The detainees were flown to Iraq.": ("airlifted", (None, "Iraq")),
        "Thousands of civilians sought refuge in Turkey.": ("fled", (None, "Turkey")),
        "Many residents took refuge in Manbij.": ("fled", (None, "Manbij")),
    }
    for text, (manner, where) in cases.items():
        ms = moves(nlp, text)
        assert [(m.manner, ends(m)) for m in ms] == [(manner, where)], text


def test_sent_to_act_on_a_place_went_there(nlp: Any) -> None:
    COORDS["Khanasir-Aleppo Road"] = (35.93, 37.45)
    try:
        text = (
            "Militants cut the Khanasir-Aleppo Road on Monday. "
            "A convoy of reinforcements from the town of Homs was sent to reopen the road.\n\n"
            "The next day, two contingents of special forces were also sent to help in "
            "reestablishing control of the road."
        )
        ms = moves(nlp, text)
    finally:
        del COORDS["Khanasir-Aleppo Road"]
    assert [ends(m) for m in ms] == [
        ("Homs", "Khanasir-Aleppo Road"),
        (None, "Khanasir-Aleppo Road"),
    ]
    assert [m.manner for m in ms] == ["sent", "sent"]
    ms = moves(nlp, "Government troops were deployed to secure Manbij.")
    assert [ends(m) for m in ms] == [(None, "Manbij")]


def test_a_place_receiving_a_group_is_its_destination(nlp: Any) -> None:
    ms = moves(nlp, "Iraq received 150 fighters from the SDF in Syria.")
    assert [(m.manner, ends(m)) for m in ms] == [("received", ("Syria", "Iraq"))]
    assert ms[0].actor is not None and "fighters" in ms[0].actor.name
    assert ms[0].size is not None and ms[0].size.value == 150
    text = "Iraq received weapons from Turkey. Kurdish forces received reinforcements."
    assert moves(nlp, text) == []
