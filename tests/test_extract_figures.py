"""extract_figures over short texts we wrote: lists, breakdowns, vague counts, categories."""

from __future__ import annotations

from datetime import date
from typing import Any

from fftrack.extract import extract_records
from fftrack.extract.figures import NAME
from fftrack.extract.quantities import find_quantities, is_numberless
from fftrack.records import Document, Figure


def figures(nlp: Any, text: str) -> list[Figure]:
    doc = Document(id="f", text=text, published=date(2019, 3, 1))
    return extract_records(nlp(text), doc, [])[3]


def by_value(figs: list[Figure]) -> dict[int, Figure]:
    return {f.value.value: f for f in figs}


def test_list_is_many_figures_each_with_its_origin(nlp: Any) -> None:
    figs = by_value(
        figures(
            nlp,
            "Of the foreign fighters, 1,200 came from Egypt, 900 from Libya and 650 from Algeria.",
        )
    )
    assert {v: f.origin for v, f in figs.items()} == {1200: "EG", 900: "LY", 650: "DZ"}
    assert all(f.extractor == NAME for f in figs.values())


def test_breakdown_keeps_counts_not_percentages(nlp: Any) -> None:
    text = (
        "Police counted 75 Danish fighters, of whom 9 were women. "
        "Up to 2,100 (11%) of them were women, and 1,800 (9%) minors."
    )
    figs = by_value(figures(nlp, text))
    assert figs[75].category == "fighters" and figs[75].origin == "DK"
    assert figs[9].category == "women" and figs[9].origin == "DK"
    assert figs[2100].category == "women" and figs[2100].value.qualifier == "at_most"
    assert figs[1800].category == "minors"
    assert 11 not in figs and 9 in figs  # the percentages are not figures


def test_vague_counts_follow_acled_and_numberless_words_give_nothing(nlp: Any) -> None:
    figs = figures(
        nlp,
        "Several hundred Chechen fighters joined the group. "
        "The ministry declined to say how many militants had travelled abroad. "
        "Many foreign fighters have joined the group.",
    )
    assert [(f.value.value, f.value.qualifier, f.origin) for f in figs] == [(200, "at_least", "RU")]


def test_range_and_returnees(nlp: Any) -> None:
    figs = by_value(
        figures(
            nlp,
            "Between 3,000 and 4,000 jihadists travelled to Syria. "
            "At least 600 who have returned home are in custody.",
        )
    )
    assert (figs[3000].value.upper, figs[3000].category) == (4000, "fighters")
    assert figs[600].category == "returnees"


def test_flight_is_displacement(nlp: Any) -> None:
    figs = by_value(figures(nlp, "Since the offensive began, some 250,000 people fled."))
    assert figs[250000].category == "displaced"


def test_cumulative_toll_is_a_figure_and_an_incident_toll_is_not(nlp: Any) -> None:
    figs = by_value(
        figures(
            nlp,
            "By March 2016, around 70 Belgian fighters had been killed in the war. "
            "On 4 May 2016, a car bomb killed 12 people in the market.",
        )
    )
    assert figs[70].category == "killed" and figs[70].origin == "BE"
    assert 12 not in figs


def test_origin_from_in_country_alone_and_from_a_section_heading(nlp: Any) -> None:
    text = (
        "Norway\n"
        "In Norway alone, more than 90 young men joined the group.\n\n"
        "A study of 40 fighters who had joined before 2015 found most were students."
    )
    figs = by_value(figures(nlp, text))
    assert figs[90].origin == "NO" and figs[90].value.qualifier == "more_than"
    assert figs[40].origin == "NO"


def test_quantities_vague_and_numberless() -> None:
    [f] = find_quantities("a few dozen men")
    assert (f.quantity.value, f.quantity.qualifier) == (24, "at_least")
    [g] = find_quantities("declined to say how many")
    assert is_numberless(g.quantity)
    [h] = find_quantities("over three-and-a-half million refugees")
    assert (h.quantity.value, h.quantity.qualifier) == (3_500_000, "more_than")


def test_one_incidents_toll_is_no_figure_even_with_overall_or_a_short_period(nlp: Any) -> None:
    figs = figures(
        nlp,
        "Overall, 60 soldiers were killed in the battle for the airport. "
        "Throughout the day, airstrikes near the town reportedly killed 90 militants. "
        "Between 3 and 5 June, shelling killed 70 people in the valley. "
        "The death toll is 14 with 30 injured. "
        "Four soldiers were also wounded.",
    )
    assert figs == []


def test_a_long_period_makes_a_total_with_its_breakdown(nlp: Any) -> None:
    figs = by_value(
        figures(nlp, "Between 3 and 25 June, shelling left 300 people dead, including 40 children.")
    )
    assert {v: f.category for v, f in figs.items()} == {300: "killed", 40: "killed"}


def test_a_total_cue_counts_only_in_its_own_clause(nlp: Any) -> None:
    figs = by_value(
        figures(
            nlp,
            "On 3 June, a group claimed 45 detainees were executed, while another reported "
            "that, up to that point, 70 guards had been killed in the fighting.",
        )
    )
    assert set(figs) == {70} and figs[70].category == "killed"


def test_killed_and_wounded_are_two_figures_and_the_country_that_has_troops(nlp: Any) -> None:
    figs = by_value(
        figures(
            nlp,
            "As of May 2017, the ministry says over 90 Danish citizens have joined armed "
            "groups, 20 of whom have been killed and 11 wounded. "
            "Denmark has 400 to 600 soldiers in Mali.",
        )
    )
    assert (figs[20].category, figs[20].origin) == ("killed", "DK")
    assert (figs[11].category, figs[11].origin) == ("other", "DK")
    assert (figs[400].value.upper, figs[400].category, figs[400].origin) == (600, "fighters", "DK")


def test_nominal_killing_missing_state_and_no_members_of_a_body(nlp: Any) -> None:
    figs = by_value(
        figures(
            nlp,
            "Rebels later admitted to the killing of 25 villagers overall. "
            "Another 14 villagers remained missing. "
            "More than 30 members of the alliance will meet in Rome. "
            "By 4 May 1,200 people had been wounded.",
        )
    )
    assert {v: f.category for v, f in figs.items()} == {25: "killed", 14: "other", 1200: "other"}


def test_a_dated_transport_and_the_parts_of_a_dropped_toll_give_no_figure(nlp: Any) -> None:
    figs = figures(
        nlp,
        "On the night of 23/24 January, around 600 Iraqi soldiers were flown to the base. "
        "A monitor said 250 people were killed in the battle for the town, and it named "
        "127 of the dead, including 27 rebels.",
    )
    assert figs == []


def test_running_total_of_named_people_and_a_mistagged_verb(nlp: Any) -> None:
    figs = by_value(
        figures(
            nlp,
            "Three more civilians were killed later in the day and 20 were injured by mortar "
            "fire, raising the total civilians killed by rocket shelling in Jordan to 27, "
            "according to officials. "
            "Thousands of Tunisians fight alongside the rebels.",
        )
    )
    assert (figs[27].category, figs[27].origin) == ("killed", "JO")
    assert (figs[1000].category, figs[1000].origin) == ("fighters", "TN")
