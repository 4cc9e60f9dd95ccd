"""Word alternations factored by first character match as the plain ones do."""

from __future__ import annotations

import re

from fftrack.extract.alternation import factored


def _spans(alternation: str, text: str) -> list[tuple[int, int]]:
    pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.I)
    return [m.span() for m in pattern.finditer(text)]


def test_factored_alternation_finds_what_the_plain_one_finds() -> None:
    # order matters: "at least" before "at", and a one-letter phrase after longer ones
    phrases = ["at least", "around", "about", "at", "a", "~", "c.", "Kurdish", "kurds"]
    text = "At least 5, around 7, ~ 9, c. 10, AT 4 a KURDS \u212aurdish fighters ABOUT"
    plain = "|".join(re.escape(p) for p in phrases)
    assert factored(phrases) != plain  # it is factored
    assert _spans(factored(phrases), text) == _spans(plain, text)


def test_a_phrase_starting_with_another_character_keeps_the_plain_alternation() -> None:
    phrases = ["\u00e9tat islamique", "etat"]
    assert factored(phrases) == "|".join(re.escape(p) for p in phrases)
