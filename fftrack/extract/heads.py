"""A cheap test that a regular expression cannot match a text: its literal heads.

The trigger lexicon is a few dozen long case-insensitive alternations that start on a word
boundary; Python's ``re`` finds no literal to skip ahead to in such a pattern and tries
every branch at every position of a clause, although most clauses hold no trigger of
most kinds. ``literal_heads(pattern)`` reads the pattern with the ``re`` module's own
parser and gives the short lower-case strings (up to ``WIDTH`` characters) one of which
starts every match; ``HeadIndex(patterns).may_match(text)`` leaves out each pattern whose
heads the text does not hold, whose search can be skipped: the matches found are the same.

Heads are ASCII: a literal outside ASCII ends one. Matched without regard to case, four
letters outside ASCII pair with ASCII ones ("ſ" with "s", "K" (Kelvin) with "k", "ı" and
"İ" with "i"), so a text holding one of them is always searched. A pattern the reader does
not follow (a construct it does not know, a head it cannot bound) gets no heads (``None``)
and is always searched.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

_c: Any
_sre: Any
try:  # the parser ``re.compile`` itself uses (not typed: a private module of ``re``)
    _c = importlib.import_module("re._constants")
    _sre = importlib.import_module("re._parser")
except ImportError:  # pragma: no cover - a Python without it: every pattern is searched
    _c = _sre = None

WIDTH = 6  # characters of a head: measured on realnews_dev clauses, 3 leaves a third of
# the searches to run, 6 a twelfth
_MAX_HEADS = 400  # more possible heads than this and the test is not worth it
_MAX_CLASS = 40  # a character class of more characters is not expanded
_MAX_STEPS = 20_000  # steps of reading one pattern


class _Unbounded(Exception):
    """The pattern has a head the reader cannot bound (e.g. it may start with ``\\w``)."""


class Heads:
    """What every match of a pattern starts with: one of ``strings`` (lower-case, at most
    ``WIDTH`` characters), at a word boundary where ``at_word`` (the pattern opens with
    ``\\b``)."""

    __slots__ = ("at_word", "by_width", "strings")

    def __init__(self, strings: frozenset[str], at_word: bool) -> None:
        self.strings = strings
        self.at_word = at_word
        widths = sorted({len(s) for s in strings}, reverse=True)
        # grouped by length, longest first: each length is tested against its own grams
        self.by_width = tuple((w, frozenset(s for s in strings if len(s) == w)) for w in widths)

    def __repr__(self) -> str:
        return f"Heads({sorted(self.strings)!r}, at_word={self.at_word})"


def literal_heads(pattern: str, flags: int = 0) -> Heads | None:
    """Lower-case strings of at most ``WIDTH`` characters such that every match of
    ``pattern`` starts with one of them (matched without regard to case); ``None`` where
    no such set is found (the pattern may match an empty string, start with a class of
    many characters, or use a construct this reader does not know)."""
    if _sre is None:
        return None
    try:
        parsed = _sre.parse(pattern, flags)
        heads = _Reader().heads(list(parsed), WIDTH)
        items = list(parsed)
        # a boundary of the same kind as ``_AT_WORD``'s (Unicode words)
        at_word = (
            bool(items)
            and items[0] == (_c.AT, _c.AT_BOUNDARY)
            and not parsed.state.flags & (re.ASCII | re.LOCALE)
        )
    except (_Unbounded, RecursionError, TypeError, ValueError, AttributeError):
        return None
    if "" in heads:
        return None
    return Heads(frozenset(heads), at_word)


class _Reader:
    """Follows a parsed pattern from its start; gives up past a budget of steps (a pattern
    whose heads branch without end)."""

    def __init__(self) -> None:
        self.steps = 0

    def heads(self, seq: list[Any], k: int) -> set[str]:
        """Strings of at most ``k`` characters, one of which starts every match of the
        item sequence ``seq``; a shorter string where the match may stop, or where the
        reader stops following it (a shorter head is a weaker test, never a wrong one)."""
        self.steps += 1
        if self.steps > _MAX_STEPS:
            raise _Unbounded
        if k == 0 or not seq:
            return {""}
        op, av = seq[0]
        rest = seq[1:]
        if op is _c.LITERAL:
            ch = chr(av)
            return self._prefix({ch.lower()}, rest, k) if ch.isascii() else {""}
        if op is _c.IN:
            chars = _class_chars(av)
            return {""} if chars is None else self._prefix(chars, rest, k)
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):  # zero-width: no characters of the match
            return self.heads(rest, k)
        if op is _c.SUBPATTERN:
            return self.heads(list(av[-1]) + rest, k)
        if op is _c.BRANCH:
            out: set[str] = set()
            for branch in av[1]:
                out |= self.heads(list(branch) + rest, k)
                _check(out)
            return out
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            lo, hi, item = av
            if hi == 0:
                return self.heads(rest, k)
            more = (op, (max(lo - 1, 0), hi if hi == _c.MAXREPEAT else hi - 1, item))
            once = self.heads(list(item) + [more] + rest, k)
            if lo == 0:
                once |= self.heads(rest, k)
                _check(once)
            return once
        return {""}  # anything else (a class like \w, ".", a group reference): stop here

    def _prefix(self, chars: set[str], rest: list[Any], k: int) -> set[str]:
        tails = self.heads(rest, k - 1)
        out = {c + t for c in chars for t in tails}
        _check(out)
        return out


def _check(heads: set[str]) -> None:
    if len(heads) > _MAX_HEADS:
        raise _Unbounded


def _class_chars(items: list[Any]) -> set[str] | None:
    """The lower-case ASCII characters a class ``[...]`` matches; ``None`` if it is
    negated, holds a category (``\\w``), a character outside ASCII, or too many."""
    out: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL:
            codes = [av]
        elif op is _c.RANGE and av[1] - av[0] < _MAX_CLASS:
            codes = list(range(av[0], av[1] + 1))
        else:
            return None
        for code in codes:
            ch = chr(code)
            if not ch.isascii():
                return None
            out.add(ch.lower())
    return out if len(out) <= _MAX_CLASS else None


# the letters outside ASCII that match an ASCII letter when case is ignored ("ſ" matches
# "s"); tests/test_extract_heads.py checks the list against every code point
_CASE_PAIRS = re.compile("[\u0130\u0131\u017f\u212a]")
# the text at each word boundary / at each position, up to WIDTH characters
_AT_WORD = re.compile(rf"(?=\b(.{{1,{WIDTH}}}))", re.S)
_ANYWHERE = re.compile(rf"(?=(.{{1,{WIDTH}}}))", re.S)


class HeadIndex:
    """Which of a list of patterns may match a text: one look-up of the text's grams (its
    substrings of at most ``WIDTH`` characters, lower-cased, at each word boundary or at
    each position) against all the patterns' heads."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.everything = (1 << len(patterns)) - 1
        self._always = 0  # patterns without heads: always searched
        # (at a word boundary?, width) -> head -> the patterns it starts (a bit each)
        self._tables: dict[tuple[bool, int], dict[str, int]] = {}
        for bit, pattern in enumerate(patterns):
            heads = literal_heads(pattern.pattern, pattern.flags)
            if heads is None:
                self._always |= 1 << bit
                continue
            for s in heads.strings:
                table = self._tables.setdefault((heads.at_word, len(s)), {})
                table[s] = table.get(s, 0) | 1 << bit
        # per kind of start, the widths to look up: (width, the heads, their patterns)
        self._plan: list[tuple[bool, list[tuple[int, frozenset[str], dict[str, int]]]]] = []
        for at_word in (True, False):
            widths = sorted((w for a, w in self._tables if a == at_word), reverse=True)
            if widths:
                self._plan.append(
                    (
                        at_word,
                        [
                            (w, frozenset(self._tables[(at_word, w)]), self._tables[(at_word, w)])
                            for w in widths
                        ],
                    )
                )

    def may_match(self, text: str) -> int:
        """The patterns that may match ``text``, a bit each (bit ``i``: ``patterns[i]``);
        a pattern left out cannot match it."""
        if not text.isascii() and _CASE_PAIRS.search(text) is not None:
            return self.everything  # a letter outside ASCII may stand for an ASCII one
        found = self._always
        for at_word, levels in self._plan:
            grams = _grams(text, at_word)
            for width, keys, table in levels:
                level = grams if width == WIDTH else set(map(_CUTS[width], grams))
                for head in keys.intersection(level):
                    found |= table[head]
        return found


_CUTS = {w: itemgetter(slice(0, w)) for w in range(1, WIDTH)}  # g -> g[:w]


def _grams(text: str, at_word: bool) -> set[str]:
    """The text at each word boundary (or each position), ``WIDTH`` characters or up to
    its end, lower-cased. Of a text without the letters of ``_CASE_PAIRS``, a match's
    head is one of these cut to its length."""
    pattern = _AT_WORD if at_word else _ANYWHERE
    if text.isascii():  # lower-casing keeps every offset and boundary
        return set(pattern.findall(text.lower()))
    return {g.lower() for g in pattern.findall(text)}


__all__ = ["WIDTH", "HeadIndex", "Heads", "literal_heads"]
