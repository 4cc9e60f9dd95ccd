"""Recognition rules beyond the model's GPE/LOC tags: datelines, mistagged big places,
places at the head of an institution's name. Short texts we wrote."""

from __future__ import annotations

import pytest

from fftrack.geo import Gazetteer
from fftrack.geo.recognize import recognize


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.open(None)


def found(nlp, gaz: Gazetteer, text: str, embedded: bool = False) -> dict[str, str]:  # type: ignore[no-untyped-def]
    sdoc = nlp(text)
    return {text[s:e]: src for s, e, src in recognize(sdoc, gaz, include_embedded=embedded)}


def test_dateline_in_capitals_is_a_place(nlp, gaz: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Council approves new budget . COLUMBUS, Ohio (AP) — The state council approved "
        "the budget on Tuesday."
    )
    got = found(nlp, gaz, text)
    assert "COLUMBUS" in got
    text2 = "BEIRUT (Reuters) - Shelling resumed overnight, residents said."
    assert "BEIRUT" in found(nlp, gaz, text2)


def test_capitalised_kicker_is_not_a_dateline(nlp, gaz: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    got = found(nlp, gaz, "UPDATE: The road reopened on Friday. BREAKING - more to follow.")
    assert "UPDATE" not in got and "BREAKING" not in got


def test_big_place_the_model_calls_a_person(nlp, gaz: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    # whatever the model tags them, known big places near the text's other places count
    text = (
        "Officers in Florida said the suspect was arrested in Alachua County. "
        "Gainesville detectives are still investigating."
    )
    assert found(nlp, gaz, text)["Gainesville"] == "metonym"  # the model says PERSON
    text = "Flooding hit Alabama on Monday. Huntsville reported two deaths."
    assert found(nlp, gaz, text)["Huntsville"] == "metonym"  # the model says ORG
    # with nothing near it in the text, a name stays what the model says
    assert "Huntsville" not in found(nlp, gaz, "Huntsville reported two deaths.")


def test_a_story_about_a_person_named_like_a_town(nlp, gaz: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The author spoke in Louisville, Kentucky, about his book on Lincoln. Lincoln "
        "visited the fort in 1864, he said, and Lincoln was nearly shot there."
    )
    got = found(nlp, gaz, text)
    assert "Louisville" in got
    assert "Lincoln" not in got


def test_county_at_the_head_of_an_institution(nlp, gaz: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Deputies from the Laurel County Sheriff's Office arrested two men on Monday, "
        "the office said."
    )
    plain = found(nlp, gaz, text)
    assert "Laurel County" not in plain  # an organisation, not the event's place
    gold_style = found(nlp, gaz, text, embedded=True)
    assert "Laurel County" in gold_style  # the whole county name, not "Laurel"
    assert "Laurel" not in gold_style


def test_a_name_the_model_cuts_short_is_extended(nlp, gaz: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = "Syrian government troops reached the besieged garrison in Dayr az Zawr on Tuesday."
    assert "Dayr az Zawr" in found(nlp, gaz, text)


def test_a_transliterated_name_with_an_apostrophe(nlp, gaz: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    # the ayn or hamza of a transliteration is part of the word: "Dar'a", "Na'ema"
    got = found(nlp, gaz, "Regime forces fired rocket shells on Al-Na'ema town in central Dar'a.")
    assert "Dar'a" in got and "Al-Na'ema" in got
    # a closing hamza before a place noun ("Izra' town") keeps the cue
    assert "Izra" in found(nlp, gaz, "Several shells fell on Izra' town in the south.")


def test_an_article_in_lower_case_before_a_place_noun(nlp, gaz: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = "Regime forces shelled areas in the town of al-Latamna, causing damage."
    assert "al-Latamna" in found(nlp, gaz, text)
    text = "Regime forces shelled the vicinity of Jisr ash-Shughur on Sunday."
    assert "Jisr ash-Shughur" in found(nlp, gaz, text)


def test_a_group_acronym_is_not_a_small_place(nlp, gaz: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    # "AAS" (Ahrar al-Sham) is also the name of a small town in Norway
    text = "Civilians protested the shelling between AAS and HTS on the outskirts of the town."
    assert "AAS" not in found(nlp, gaz, text)
    got = found(nlp, gaz, "Fighters travelled between the UAE and the US in 2015.")
    assert "UAE" in got and "US" in got


def test_ground_taken_or_fought_over_names_a_place(nlp, gaz: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = "Kurdish forces backed by airstrikes seized control of Sinjar in the north."
    assert "Sinjar" in found(nlp, gaz, text)
    # the "of" of a role names no place
    assert "Sinjar" not in found(nlp, gaz, "The leader of Sinjar Group spoke on Monday.")


def test_a_person_with_a_title_is_no_place(nlp, gaz: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    text = "In Paris, the US Defense Secretary Ash Carter said the offensive was on track."
    got = found(nlp, gaz, text)
    assert "Ash Carter" not in got and "Paris" in got


def test_a_people_before_a_named_village_is_no_place(nlp, gaz: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    got = found(
        nlp, gaz, "On 10 September, rebels attacked the Alawite village of Maksar al-Hesan."
    )
    assert "Alawite" not in got
    # a place the gazetteer knows keeps its reading as the container
    assert "Idlib" in found(nlp, gaz, "Jets bombed the Idlib town of Saraqib on Monday.")


def test_a_part_of_a_longer_name_or_a_holiday_is_no_place(nlp, gaz: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    # "Tell Abyad" is a name the gazetteer knows: "Tell" alone is not taken from it
    got = found(nlp, gaz, "Fighters mined the roads and houses to Tell Abyad with explosives.")
    assert "Tell" not in got
    got = found(nlp, gaz, "He said that the attack in Erbil occurred on Kurdish Flag Day.")
    assert not any("Day" in name for name in got)


def test_a_town_a_facility_is_named_after_anywhere_in_its_name(nlp, gaz: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    got = found(nlp, gaz, "Rebels besieged the Aleppo Central Prison for months.")
    assert got.get("Aleppo") == "facility"
    got = found(nlp, gaz, "The UN Security Council met on Friday.")
    assert "UN" not in got


def test_a_facility_named_after_a_town_by_another_spelling(nlp, gaz: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    # "Bukamal" is an alternate spelling of Albu Kamal, not its primary name
    got = found(nlp, gaz, "The SDF captured the Baghuz-Bukamal Bridge on Tuesday.")
    assert got.get("Bukamal") == "facility"
