"""Big case-insensitive alternations of words, factored by their first character.

Python's ``re`` tries the branches of an alternation one by one at each place it looks
at, and under ``re.IGNORECASE`` it cannot skip a branch on its first character: a
pattern of hundreds of phrases enters hundreds of branches at every word. Factored by
first character (``a(?:lpha|rmy)|b(?:...)``), a place tries the branches of its own
character only.

The matches are the same as those of the plain alternation of the same phrases in the
same order, as long as the first characters of two groups never match one character:
this holds for ASCII letters and digits and for other ASCII characters written as
themselves (``~``), so :func:`factored` falls back to the plain alternation when a phrase
starts with any other character (or one its ``pattern`` makes optional).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence


def factored(phrases: Sequence[str], pattern: Callable[[str], str] = re.escape) -> str:
    """The alternation of ``phrases`` in their order, each written by ``pattern`` (which
    must write a phrase character by character: ``pattern(p) == pattern(p[0]) +
    pattern(p[1:])``), factored by first character; without the enclosing group."""
    firsts = [p[:1].lower() for p in phrases]
    if not all(_literal(f, pattern) for f in firsts):
        return "|".join(pattern(p) for p in phrases)
    groups: dict[str, list[str]] = {}
    for first, phrase in zip(firsts, phrases, strict=True):
        groups.setdefault(first, []).append(pattern(phrase[1:]))
    return "|".join(f"{pattern(first)}(?:{'|'.join(rests)})" for first, rests in groups.items())


def _literal(first: str, pattern: Callable[[str], str]) -> bool:
    """``first`` is one character only that same character matches, ignoring case: an
    ASCII letter or digit, or another ASCII character written as itself."""
    if not first.isascii():
        return False
    return first.isalnum() or pattern(first) == re.escape(first)


__all__ = ["factored"]
