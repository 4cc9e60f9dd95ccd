"""Acts of a dated story told with no place or date of their own: told in the past, they are
events of the story; told as a state, an aim or a verdict, they are not."""

from __future__ import annotations

from typing import Any

from test_extract_real_sentences import _events

from fftrack.extract.taxonomy import EXPLOSIONS


def _story(nlp: Any, *paragraphs: str) -> list[Any]:
    """The events of a narrative with no publication date (a history's chunk)."""
    return _events(nlp, "The battle for the dam.\n\n" + "\n\n".join(paragraphs) + "\n", None)


OPENING = "On 14 May 2016, the militia advanced towards the dam from the west."


def test_a_past_act_in_a_story_that_named_its_day_is_an_event(nlp: Any) -> None:
    evs = _story(
        nlp,
        OPENING,
        "That day, coalition aircraft had dropped four heavy bombs against the towers.",
    )
    assert any(e.event_type == EXPLOSIONS and e.span.start > 70 for e in evs)


def test_a_past_act_with_its_weapon_as_subject_is_an_event(nlp: Any) -> None:
    evs = _story(nlp, OPENING, "Later, a guided missile was used to destroy an armoured vehicle.")
    assert any(e.event_type == EXPLOSIONS for e in evs)


def test_a_state_or_an_aim_in_a_dated_story_is_no_event(nlp: Any) -> None:
    for text in (
        "Coalition aircraft have dropped bombs against the towers for years.",
        "The regular troops were in no rush to capture the centre of the town.",
        "One fleeing woman described the bombing as unimaginable.",
    ):
        evs = [e for e in _story(nlp, OPENING, text) if e.span.start > 70]
        assert evs == [], text


def test_a_past_act_in_a_story_that_reached_no_day_is_still_dropped(nlp: Any) -> None:
    bombs = "Coalition aircraft had dropped four heavy bombs against the towers."
    for opening in (
        "The militia advanced towards the dam from the west.",
        "On 14 May, the militia advanced towards the dam from the west.",  # no year
        "In 2016, the militia advanced towards the dam from the west.",
    ):
        evs = _story(nlp, opening, bombs)
        assert [e for e in evs if e.event_type == EXPLOSIONS] == [], opening


def test_fire_on_the_enemys_positions_is_shelling(nlp: Any) -> None:
    evs = _events(nlp, "On Monday, government troops fired on militant positions near Kirkuk.")
    assert [e.sub_event_type for e in evs] == ["Shelling/artillery/missile attack"]


def test_a_trigger_in_a_sentence_with_no_verb_ends_the_walk_at_its_root(nlp: Any) -> None:
    """A fragment with no verb ("Heavy air strikes on the old city.") has a noun for root:
    the walk up from the trigger stops there (a root is its own head), it does not loop."""
    from datetime import date

    from fftrack.extract.event_sentences import told_in_a_dated_story
    from fftrack.extract.timeline import DateMention
    from fftrack.records import TimeRef

    text = "Heavy air strikes on the old city."
    sdoc = nlp(text)
    day = TimeRef(start=date(2016, 5, 14), end=date(2016, 5, 14), precision="day")
    mentions = [DateMention(0, 0, "14 May 2016", "DATE", day)]
    t0 = text.index("air strikes")
    assert told_in_a_dated_story(sdoc, mentions, len(text), t0, t0 + 11) is False
