"""Realis: a trigger codes an event only where the text says the thing happened."""

from __future__ import annotations

import pytest

from fftrack.extract.realis import trigger_is_realis


def _realis(nlp, text: str, word: str) -> bool:
    doc = nlp(text)
    i = text.index(word)
    return trigger_is_realis(doc, i, i + len(word))


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Militants attacked a checkpoint near the town on Monday.", "attacked"),
        ("Two soldiers were killed in clashes with rebels.", "clashes"),
        (
            "Government forces recaptured the town, which the group had held since 2014.",
            "recaptured",
        ),
        ("A car bomb exploded in the market, killing eight people.", "exploded"),
    ],
)
def test_reported_events_are_realis(nlp, text: str, word: str) -> None:
    assert _realis(nlp, text, word)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("No fighting was reported in the city overnight.", "fighting"),
        ("The rebels did not attack the convoy.", "attack"),
        ("The group threatened to attack the capital.", "attack"),
        ("The commander said they will take control of it within days.", "take control"),
        ("If the army advances, the militants could retreat.", "advances"),
        ("The campaign has killed more than 1,100 civilians since 2014.", "killed"),
        ("Some 30 percent of those who joined the fight have returned.", "fight"),
        ("Ministers discussed the fight against terrorism.", "fight"),
        ("Police foiled a planned attack on the station.", "attack"),
        ("By then about 200 volunteers had gone to the country to fight.", "fight"),
        ("The militia is the main fighting force of the alliance.", "fighting"),
        ("A man who had fought for the group returned home in 2019.", "fought"),
        ("Overall, 85 soldiers were killed in the battle for the base.", "killed"),
    ],
)
def test_non_events_are_not_realis(nlp, text: str, word: str) -> None:
    assert not _realis(nlp, text, word)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("A month after the lorry attack killed 12, an inquiry is being demanded.", "attack"),
        ("The bombing on May 22 was the deadliest attack in the country since 2005.", "bombing"),
        ("The number of people killed in the air strike rose to 18 on Saturday.", "air strike"),
        ("Families were preparing lunch when the helicopters came.", "helicopters"),
    ],
)
def test_told_in_passing_is_still_realis(nlp, text: str, word: str) -> None:
    assert _realis(nlp, text, word)


def test_a_definition_is_not_an_event(nlp) -> None:
    text = "The campaign was a series of battles between rebels and the army."
    assert not _realis(nlp, text, "battles")


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("She joined as an artillery crewmember last year.", "artillery"),
        ("The sites trained counter-attack brigades for the offensive.", "counter-attack"),
        ("He commanded an artillery battalion in the north.", "artillery"),
        ("Militants were positioning artillery around the town.", "artillery"),
        ("They mined the roads with explosives before the winter.", "explosives"),
        ("The aim of the operation was to capture the border town.", "capture"),
        ("The advisers trained local volunteers to recapture the city.", "recapture"),
        ("Fighters dug trenches to resist an anticipated siege.", "siege"),
    ],
)
def test_readying_roles_and_aims_are_not_events(nlp, text: str, word: str) -> None:
    assert not _realis(nlp, text, word)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Soldiers fled from the captured base on Sunday.", "captured"),
        ("Artillery shelled the village at dawn.", "shelled"),
        ("Rebels fired artillery at the army positions.", "artillery"),
        ("The army managed to recapture the town on Friday.", "recapture"),
        ("Government forces seized control of the airport.", "control"),
    ],
)
def test_deeds_near_those_words_stay_events(nlp, text: str, word: str) -> None:
    assert _realis(nlp, text, word)
