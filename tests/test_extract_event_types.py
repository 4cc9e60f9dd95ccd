"""event_types.realis_at: triggers that do not tell an act of their own sub-type here, read
from the parse (sentences written for these tests)."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest

from fftrack.extract.event_types import realis_at, score_clause


def _subs(nlp: Any, text: str) -> set[str]:
    scores, _ = score_clause(text, partial(realis_at, nlp(text), 0))
    return set(scores)


_BOMBING = "A car bomb exploded in the market on Monday. "


@pytest.mark.parametrize(
    ("text", "sub", "kept"),
    [
        # the harm an act did: its doer is an act of violence
        ("The explosion set several cars on fire.", "Looting/property destruction", False),
        ("Militants set several houses on fire.", "Looting/property destruction", True),
        # what is broken is an act of war, not property
        ("Troops broke the siege of the town on Monday.", "Looting/property destruction", False),
        ("Looters broke the windows of the shops.", "Looting/property destruction", True),
        # after an act told: a participle describing a thing is a state, not an act ...
        (_BOMBING + "Burnt cars lined the road.", "Looting/property destruction", False),
        ("Rioters burnt cars in the centre.", "Looting/property destruction", True),
        (_BOMBING + "Rescuers searched under collapsed awnings.", "Man-made disaster", False),
        ("A wall collapsed on Tuesday, killing two.", "Man-made disaster", True),
        # ... and a thing already named, with no toll of its own, is the act's harm
        (_BOMBING + "Firefighters said the blaze was put out by noon.", "Man-made disaster", False),
        (_BOMBING + "The blaze killed four workers at the depot.", "Man-made disaster", True),
        # with no act told before, the same words tell a disaster of their own
        ("Rescuers carry debris of the crashed airliner at the port.", "Man-made disaster", True),
        ("Firefighters said the blaze was put out by noon.", "Man-made disaster", True),
    ],
)
def test_damage_told_of_an_act_or_a_state(nlp: Any, text: str, sub: str, kept: bool) -> None:
    assert (sub in _subs(nlp, text)) is kept, text


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("The hospital was evacuated after a bomb threat.", False),
        ("The rebels withdrew from the village.", True),
        ("The United States announced a complete withdrawal from the region.", True),
    ],
)
def test_a_transfer_needs_a_party_not_a_building_emptied(nlp: Any, text: str, kept: bool) -> None:
    assert ("Non-violent transfer of territory" in _subs(nlp, text)) is kept, text


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Shelling hit villages under the control of the rebels.", False),
        ("The town came under the control of the rebels.", True),
        ("The group has stepped up its raids since losing its last towns.", False),
        ("Since troops captured the town on 5 May, the front has been quiet.", True),
    ],
)
def test_ground_held_or_lost_in_the_background(nlp: Any, text: str, kept: bool) -> None:
    assert ("TERRITORY" in _subs(nlp, text)) is kept, text


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # ground changing hands told again as a noun of a place already named
        (
            "Rebels seized the town of Kafr Zita on Monday. The fall of the town cut the road.",
            False,
        ),
        # told first, or of a place by its name: an act of its own
        ("The fall of the town cut the road on Monday.", True),
        ("Rebels seized the town of Kafr Zita on Monday. The fall of Morek followed.", True),
    ],
)
def test_the_fall_of_a_place_already_named_is_told_again(nlp: Any, text: str, kept: bool) -> None:
    last = text.rindex("The fall")
    doc = nlp(text)
    scores, _ = score_clause(text[last:], partial(realis_at, doc, last))
    assert ("TERRITORY" in scores) is kept, text


_IED = "Remote explosive/landmine/IED"


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # a device laid that the sentence never tells going off: no explosion
        ("Archaeologists have received reports that mines were laid near the temple.", False),
        ("Militants planted explosives in the school last week, residents said.", False),
        # laid, and then it went off or hurt someone: an explosion
        ("A roadside bomb planted by militants killed two soldiers on Monday.", True),
        ("Militants planted a bomb that killed two soldiers on Monday.", True),
        ("The bomb had been placed in a bin outside the station, wounding four.", True),
        ("Mines laid by the group exploded under a bus on Monday.", True),
    ],
)
def test_a_device_laid_that_never_went_off_is_no_explosion(nlp: Any, text: str, kept: bool) -> None:
    assert (_IED in _subs(nlp, text)) is kept, text
