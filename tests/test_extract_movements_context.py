"""extract_movements where the sentence alone does not say it all (issue 11), over short
sentences we wrote: "would" in a time clause of a past narrative, a flight told on from the
sentence before, the peoples a moving group is said to include."""

from __future__ import annotations

from typing import Any

from test_extract_movements import ends, moves


def test_would_in_a_time_clause_of_a_past_narrative_is_what_happened(nlp: Any) -> None:
    text = (
        "The smuggler gave the volunteers forged papers in Tabqa before the volunteers "
        "would cross into Turkey."
    )
    assert [ends(m) for m in moves(nlp, text)] == [(None, "Turkey")]
    # a modal "would" elsewhere is still not reported done
    assert moves(nlp, "He said the volunteers would cross into Turkey.") == []
    assert moves(nlp, "The volunteers would cross into Turkey if the border opened.") == []


def test_a_flight_told_on_from_the_sentence_before_keeps_its_ends(nlp: Any) -> None:
    first = "On Monday, civilians fled from Hajin toward Tabqa on trucks."
    text = first + " Reporters said dozens of civilians fleeing with them were foreigners."
    ms = moves(nlp, text)
    assert [ends(m) for m in ms] == [("Hajin", "Tabqa"), ("Hajin", "Tabqa")]
    assert ms[1].span.start > len(first)
    # an end of its own, even one that is no place, is not the flight's
    text = (
        "On Monday, civilians were transported from Hajin to Tabqa. "
        "Dozens of civilians were also transported to the hospital."
    )
    assert [ends(m) for m in moves(nlp, text)] == [("Hajin", "Tabqa")]
    # a new paragraph follows other groups
    ms = moves(nlp, first + "\n\nDozens of civilians fleeing with them were foreigners.")
    assert [ends(m) for m in ms] == [("Hajin", "Tabqa")]


def test_a_flight_of_another_kind_of_group_is_not_carried_on(nlp: Any) -> None:
    text = "On Monday, the fighters fled from Hajin toward Tabqa. The civilians fled."
    ms = moves(nlp, text)
    assert [ends(m)[1] for m in ms] == ["Tabqa", None]


def test_the_peoples_a_moving_group_includes_move_with_it(nlp: Any) -> None:
    ms = moves(nlp, "Hundreds of foreign fighters, including Britons and Germans, fled to Tabqa.")
    assert [ends(m) for m in ms] == [(None, "Tabqa")] * 3
    assert [m.actor.country if m.actor else None for m in ms] == [None, "GB", "DE"]
    assert len({m.id for m in ms}) == 3
    # "including women and children" names no people of its own
    ms = moves(nlp, "Hundreds of civilians, including women and children, fled to Tabqa.")
    assert [ends(m) for m in ms] == [(None, "Tabqa")]
    # the list on the verb ("fled to X, including 20 Britons"), with the people's count
    ms = moves(nlp, "About 400 foreign fighters fled to Tabqa, including 20 Britons.")
    assert [(ends(m), m.actor.country if m.actor else None) for m in ms] == [
        ((None, "Tabqa"), None),
        ((None, "Tabqa"), "GB"),
    ]
    assert [m.size.value if m.size else None for m in ms] == [400, 20]


def test_a_flight_goes_on_from_the_group_not_from_a_people_it_includes(nlp: Any) -> None:
    text = (
        "Hundreds of fighters, including Britons, fled toward Tabqa. "
        "Dozens of fighters fleeing with them were wounded."
    )
    ms = moves(nlp, text)
    last = ms[-1]
    assert ends(last) == (None, "Tabqa")
    assert last.actor is not None and last.actor.country is None
    assert last.span.start > text.index("Dozens")
