"""The trigger prefilter (fftrack.extract.heads): a pattern it leaves out cannot match.

The index only skips searches, so what it must keep is simple to state: every pattern that
matches a text is among those ``HeadIndex.may_match`` gives for it. Checked on the trigger
lexicon itself over texts built from its own words, in any case, beside the letters
outside ASCII that match ASCII ones when case is ignored.
"""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fftrack.extract.event_types import _compiled, _index, score_clause
from fftrack.extract.heads import _CASE_PAIRS, WIDTH, HeadIndex, literal_heads

SETTINGS = settings(
    max_examples=int(os.environ.get("FFTRACK_FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=os.environ.get("FFTRACK_FUZZ_RANDOM") != "1",
)


def test_heads_of_an_alternation() -> None:
    heads = literal_heads(r"\b(?:air ?strikes?|jets?\b|u\.?s\. strike)", re.I)
    assert heads is not None and heads.at_word
    assert heads.strings == {"air st", "airstr", "jet", "jets", "u.s. s", "us. st"}


def test_heads_of_a_pattern_not_on_a_word_boundary() -> None:
    heads = literal_heads("(?-i:[A-C])x", re.I)
    assert heads is not None and not heads.at_word
    assert heads.strings == {"ax", "bx", "cx"}


def test_no_heads_where_a_match_may_start_anywhere() -> None:
    for pattern in (r"\b\w+ed", r"(?:foo)?", r".{0,3}bar", r"[^a]x", r"\b(?:a|\d+)"):
        assert literal_heads(pattern, re.I) is None, pattern


def test_a_head_outside_ascii_stops_there() -> None:
    heads = literal_heads("caf\u00e9s", re.I)
    assert heads is not None and heads.strings == {"caf"}


def test_index_skips_only_patterns_whose_heads_are_absent() -> None:
    patterns = [re.compile(r"\b(?:shell(?:ed|ing))", re.I), re.compile(r"\b(?:riot)", re.I)]
    index = HeadIndex(patterns)
    assert index.may_match("Forces SHELLED the town") == 0b01
    assert index.may_match("a patriot said") == 0  # "riot" inside a word: no boundary
    assert index.may_match("Riots and shelling") == 0b11
    # "ſ" matches "s" when case is ignored: such a text is searched for everything
    assert index.may_match("\u017fhelled") == 0b11
    assert patterns[0].search("\u017fhelled")


def test_case_pairs_are_every_letter_that_matches_ascii() -> None:
    """The characters outside ASCII that ``re`` matches to an ASCII one ignoring case are
    the ones the index treats as unsafe."""
    ascii_char = re.compile("[\x00-\x7f]", re.I)
    found = {chr(c) for c in range(0x80, 0x110000) if ascii_char.fullmatch(chr(c))}
    assert found == set(_CASE_PAIRS.pattern.strip("[]"))


def _trigger_words() -> list[str]:
    """Words of the trigger lexicon: the heads themselves and the words after them."""
    words: set[str] = set()
    for pattern, _, _ in _compiled():
        heads = literal_heads(pattern.pattern, pattern.flags)
        assert heads is not None, pattern.pattern  # every trigger gets heads
        words |= heads.strings
    return sorted(words)


WORDS = [
    *_trigger_words(),
    "the town",
    "were captured",
    "killed",
    "US-led",
    "U.S. strikes",
    "sit-in",
    "\u2019s",
    "\u201cfighting\u201d",
    "\u017f",
    "\u0130",
    "\u0131",
    "\u212a",
    "caf\u00e9",
    "\n",
]
_piece = st.sampled_from(WORDS).flatmap(
    lambda w: st.sampled_from([w, w.upper(), w.title(), w[: WIDTH - 1], "x" + w])
)
_text = st.lists(st.tuples(_piece, st.sampled_from([" ", "", "-", ", ", "\n"])), max_size=12)


@SETTINGS
@given(_text)
def test_index_keeps_every_trigger_that_matches(parts: list[tuple[str, str]]) -> None:
    text = "".join(w + sep for w, sep in parts)
    may = _index().may_match(text)  # the index score_clause uses
    for bit, (pattern, _, _) in enumerate(_compiled()):
        if pattern.search(text):
            assert may >> bit & 1, (pattern.pattern[:60], text)


def test_score_clause_finds_the_triggers() -> None:
    scores, trig = score_clause("Rebels shelled the town; an air strike killed 3 civilians.")
    subs = {sub for _, _, sub, _ in trig}
    assert {"Shelling/artillery/missile attack", "Air/drone strike", "Attack"} <= subs
    assert scores["Air/drone strike"] > 0
    assert score_clause("The weather was fine.") == ({}, [])
