"""Acts of a report told the way war reporting tells them (texts written for the tests):
an attack whose only anchor is its day, an attack explained rather than told again,
ground entered after the other side left it, ground taken that is a road junction, and
the day of an act told after a clause of what came before it."""

from __future__ import annotations

from datetime import date
from typing import Any

from test_extract_real_sentences import _in_a_report


def test_an_attack_whose_day_is_told_is_an_event(nlp: Any) -> None:
    text = (
        "Government troops fought the militants in Manbij on 3 May 2015.\n\n"
        "The militants carried out a large night-time attack on 5 May, targeting the "
        "hospital."
    )
    evs = _in_a_report(nlp, text)
    days = sorted(e.date.start for e in evs if e.date is not None)
    assert date(2015, 5, 5) in days
    # "an attack" with no day, no place and no toll is still no event report
    bare = _in_a_report(nlp, "The militants carried out a large attack, targeting the hospital.")
    assert bare == []


def test_an_attack_explained_is_the_act_told_before(nlp: Any) -> None:
    text = (
        "On 2 June 2015, militants fired mortars at Manbij, killing two. According to the "
        "governor, the shelling was launched from a farm and the attack was in response to "
        "a speech by the mayor."
    )
    evs = _in_a_report(nlp, text)
    assert len({e.span.sentence_start for e in evs}) == 1


def test_ground_entered_after_the_other_side_left_is_one_transfer(nlp: Any) -> None:
    text = (
        "On 14 March 2015, it was reported that most of the militants had withdrawn from "
        "Tabqa. The next day, the army entered Tabqa and took control of the town."
    )
    evs = _in_a_report(nlp, text)
    taken = [e for e in evs if e.place is not None and e.place.name == "Tabqa"]
    assert len(taken) == 1
    (ev,) = taken
    assert ev.sub_event_type == "Non-violent transfer of territory"
    assert ev.date is not None and ev.date.start == date(2015, 3, 15)
    # fighting told with the entry: a capture
    fought = _in_a_report(
        nlp,
        "On 14 March 2015, most of the militants had withdrawn from Tabqa. The next day, "
        "the army stormed Tabqa after heavy clashes and took control of the town.",
    )
    assert "Government regains territory" in {e.sub_event_type for e in fought}


def test_a_road_junction_taken_is_ground_taken(nlp: Any) -> None:
    text = "On 9 April 2015, rebel forces captured a strategic roundabout outside Manbij."
    (ev,) = _in_a_report(nlp, text)
    assert ev.event_type == "Battles"
    # a person taken is no ground
    held = _in_a_report(nlp, "On 9 April 2015, rebel forces captured a soldier outside Manbij.")
    assert all(e.event_type != "Battles" for e in held)


def test_the_day_after_a_clause_of_what_came_before(nlp: Any) -> None:
    text = (
        "After the army advanced to within two kilometres of Manbij on 10 February 2015, "
        "the next day, it was reported that rebel forces had captured a strategic "
        "roundabout, cutting the road to Manbij."
    )
    evs = _in_a_report(nlp, text)
    taken = [e for e in evs if e.trigger and "captured" in e.trigger]
    assert taken and taken[0].date is not None
    assert taken[0].date.start == date(2015, 2, 11)
