"""Reported numbers with their qualifiers: "more than 50", "roughly 40,000", "dozens".

Words and digits are both read ("four", "22", "1.2 million", "twenty-two"). Vague counts
follow ACLED's published convention: "dozens" 12, "hundreds" 100, "thousands" 1000,
"several hundred" 200, all with the qualifier ``at_least``; "several", "many", "a number of"
10 with the qualifier ``about`` (``is_numberless`` says these give no number). Ranges ("27,000-31,000",
"between 27,000 and 31,000") keep both bounds: value is the lower, ``upper`` the higher,
qualifier ``at_least``.

``find_quantities(text)`` scans a text and returns every quantity with its character
offsets; ``parse_quantity(text)`` returns the first one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from text_to_num import text2num

from fftrack.extract.alternation import factored
from fftrack.records import Qualifier, Quantity

# v3: number words converted by text2num 3.1.0 (v2: our own summing, which read "four
# three" as 7); a run of number words that is no one number is read up to its longest
# well-formed start ("four three days ago": "four", then "three")
NAME = "extract.quantities.v3"

UNITS = {
    "zero": 0,
    "no": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}

# vague counts: ACLED's convention. Plural round numbers are lower bounds ("dozens" 12,
# "hundreds" 100, "thousands" 1000, "several hundred" 200, qualifier ``at_least``);
# words that give no number ("many", "several", "a number of") keep ACLED's 10 for tolls,
# qualifier ``about``, and are flagged by ``is_numberless`` so figures can leave them out.
VAGUE = {
    "tens": 10,
    "dozens": 12,
    "scores": 20,
    "hundreds": 100,
    "thousands": 1000,
    "tens of thousands": 10_000,
    "hundreds of thousands": 100_000,
    "millions": 1_000_000,
    "several dozen": 24,
    "a few dozen": 24,
    "several hundred": 200,
    "a few hundred": 200,
    "several thousand": 2000,
    "a few thousand": 2000,
    "several tens of thousands": 20_000,
    "several hundred thousand": 200_000,
    "in the dozens": 12,
    "in the hundreds": 100,
    "in the thousands": 1000,
    "in the tens of thousands": 10_000,
    "several": 10,
    "many": 10,
    "numerous": 10,
    "a number": 10,
    "an unknown number": 10,
    "an unspecified number": 10,
    "unknown": 10,
    "a few": 3,
    "a handful": 3,
    "a couple": 2,
    "a dozen": 12,
    "a score": 20,
    "a hundred": 100,
    "a thousand": 1000,
    "a million": 1_000_000,
    "half a dozen": 6,
}
# vague words that give no number at all
NUMBERLESS = frozenset(
    {"several", "many", "numerous", "a number", "an unknown number", "an unspecified number",
     "unknown", "a few", "a handful", "a couple"}
)  # fmt: skip
# vague words that state a lower bound (ACLED: "at least" the round number)
LOWER_BOUND_VAGUE = (
    frozenset(VAGUE) - NUMBERLESS - {"a dozen", "a score", "a hundred", "a thousand"}
)

QUALIFIER_PHRASES: dict[str, Qualifier] = {
    "more than": "more_than",
    "over": "more_than",
    "upwards of": "more_than",
    "in excess of": "more_than",
    "above": "more_than",
    "at least": "at_least",
    "no fewer than": "at_least",
    "no less than": "at_least",
    "a minimum of": "at_least",
    "up to": "at_most",
    "as many as": "at_most",
    "as high as": "at_most",
    "at most": "at_most",
    "a maximum of": "at_most",
    "no more than": "at_most",
    "fewer than": "fewer_than",
    "less than": "fewer_than",
    "under": "fewer_than",
    "below": "fewer_than",
    "about": "about",
    "around": "about",
    "roughly": "about",
    "approximately": "about",
    "approx.": "about",
    "some": "about",
    "nearly": "about",
    "almost": "about",
    "close to": "about",
    "an estimated": "about",
    "estimated": "about",
    "some estimated": "about",
    "an approximate": "about",
    "circa": "about",
    "c.": "about",
    "~": "about",
}

_NUMWORDS = sorted({*UNITS, *TENS, *SCALES} - {"no"}, key=len, reverse=True)
# the alternations of words are factored by first letter (fftrack.extract.alternation)
_W = r"(?:" + factored(_NUMWORDS) + r")"
_WORDNUM = rf"(?:{_W}(?:(?:[\s-]+|(?:(?<=hundred)|(?<=thousand)|(?<=million))\s+and\s+){_W}\b)*)"
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(?:million|thousand|billion|hundred|m|k)\b)?"
_HALF = rf"(?:(?:{_W}|\d+)[\s-]+and[\s-]+a[\s-]+half[\s-]+(?:million|billion|thousand))"
_NUMBER = rf"(?:{_HALF}|{_DIGITS}|{_WORDNUM})"
_QUAL = r"(?:" + factored(sorted(QUALIFIER_PHRASES, key=len, reverse=True)) + r")"
_VAGUE = r"(?:" + factored(sorted(VAGUE, key=len, reverse=True)) + r")"

_RANGE_RE = re.compile(
    rf"(?:(?P<q>{_QUAL})\s+)?(?:between\s+(?P<lo>{_NUMBER})\s+and\s+(?P<hi>{_NUMBER})"
    rf"|from\s+(?P<lo2>{_NUMBER})\s+to\s+(?P<hi2>{_NUMBER})"
    rf"|(?P<lo3>{_NUMBER})\s*(?:-|–|—|to)\s*(?P<hi3>{_NUMBER}))\b",
    re.IGNORECASE,
)
_NUM_RE = re.compile(rf"(?:(?P<q>{_QUAL})\s+)?(?P<n>{_NUMBER})\b", re.IGNORECASE)
_VAGUE_RE = re.compile(rf"(?:(?P<q>{_QUAL})\s+)?(?P<v>{_VAGUE})\b(?:\s+of\b)?", re.IGNORECASE)
# cheap tests before the big patterns, each a necessary part of what they match: a range
# needs "between", "from", a dash or "to"; a vague amount its last word ("dozens")
_RANGE_GATE = re.compile(r"between|from|to|-|–|—", re.IGNORECASE)
_VAGUE_GATE = re.compile(
    "|".join(sorted({re.escape(v.split()[-1]) for v in VAGUE}, key=len, reverse=True)),
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Found:
    """A quantity found in a text, with end-exclusive character offsets."""

    start: int
    end: int
    quantity: Quantity


def words_to_int(text: str) -> int | None:
    """'twenty-two' -> 22, 'one hundred and five' -> 105, 'four' -> 4; None if not a number,
    including number words side by side that make no one number ("four three" in
    "wounding four three days ago", "one one"): text2num checks the grammar of English
    number words and converts them (see ``NAME``)."""
    t = " ".join(text.split())
    if not t:
        return None
    try:
        return int(text2num(t.lower(), "en"))
    except ValueError:
        return None


def number_value(text: str) -> int | None:
    """The integer a number written in digits or words stands for."""
    t = text.strip().lower().replace("\u00a0", " ")
    half = re.fullmatch(r"(.+?)[\s-]+and[\s-]+a[\s-]+half[\s-]+(million|billion|thousand)", t)
    if half:
        whole = number_value(half.group(1))
        if whole is None:
            return None
        return int((whole + 0.5) * SCALES[half.group(2)])
    m = re.fullmatch(
        r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(million|thousand|billion|hundred|m|k)?", t
    )
    if m:
        base = float(m.group(1).replace(",", ""))
        scale = {
            None: 1,
            "million": 1_000_000,
            "m": 1_000_000,
            "thousand": 1000,
            "k": 1000,
            "billion": 1_000_000_000,
            "hundred": 100,
        }[m.group(2)]
        return int(round(base * scale))
    return words_to_int(t)


def _qualifier(q: str | None) -> Qualifier:
    if not q:
        return "exact"
    return QUALIFIER_PHRASES.get(q.lower().strip(), "exact")


def _is_year(text: str, value: int) -> bool:
    return bool(re.fullmatch(r"(19|20)\d\d", text.strip())) and 1900 <= value <= 2099


_CHEAP_WORDS = frozenset(
    {*UNITS, *TENS, *SCALES, *(w.split()[-1] for w in VAGUE), "dozen", "score", "handful"}
) - {"no"}
_WORD_RE = re.compile(r"[a-z]+")
_ASCII_DIGIT = re.compile(r"[0-9]")


def _may_hold_number(text: str) -> bool:
    """A cheap test before the big patterns: a digit or a number word somewhere."""
    if text.isascii():  # an ASCII digit is the only kind there (what str.isdigit says)
        if _ASCII_DIGIT.search(text):
            return True
    elif any(ch.isdigit() for ch in text):
        return True
    return not _CHEAP_WORDS.isdisjoint(_WORD_RE.findall(text.lower()))


def _well_formed_start(text: str, m: re.Match[str]) -> tuple[re.Match[str], int] | None:
    """The longest start of the number words ``m`` matched that is one number, and its
    value ("four three" -> "four", 4); None when there is none."""
    n_start, n_end = m.start("n"), m.end("n")
    cuts = [n_start + b.start() for b in re.finditer(r"[\s-]+", text[n_start:n_end])]
    for cut in reversed(cuts):
        shorter = _NUM_RE.fullmatch(text, m.start(), cut)
        if shorter is not None:
            value = number_value(shorter.group("n"))
            if value is not None:
                return shorter, value
    return None


@lru_cache(maxsize=4096)
def _find(text: str) -> tuple[Found, ...]:
    if not _may_hold_number(text):
        return ()
    out: list[Found] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in _RANGE_RE.finditer(text) if _RANGE_GATE.search(text) else ():
        lo_t = m.group("lo") or m.group("lo2") or m.group("lo3")
        hi_t = m.group("hi") or m.group("hi2") or m.group("hi3")
        lo, hi = number_value(lo_t), number_value(hi_t)
        if lo is None or hi is None or hi <= lo:
            continue
        if _is_year(lo_t, lo) or _is_year(hi_t, hi):
            continue
        # "between 2 and 3" but not "two soldiers and three" (caught: both must be adjacent)
        q = _qualifier(m.group("q")) if m.group("q") else "at_least"
        if q in ("about", "exact", "more_than"):
            q = "at_least"
        out.append(Found(m.start(), m.end(), Quantity(lo, q, upper=hi, text=m.group(0))))
        taken.append((m.start(), m.end()))
    for m in _VAGUE_RE.finditer(text) if _VAGUE_GATE.search(text) else ():
        if not free(m.start(), m.end()):
            continue
        v = m.group("v").lower()
        if v in ("many", "several", "numerous", "unknown") and m.group("q"):
            continue
        q = _qualifier(m.group("q")) if m.group("q") else "about"
        if v in LOWER_BOUND_VAGUE and q in ("about", "exact"):
            q = "at_least"
        if v in (
            "a dozen",
            "a hundred",
            "a thousand",
            "a million",
            "half a dozen",
            "a couple",
        ) and not m.group("q"):
            q = "exact" if v != "a couple" else "about"
        out.append(Found(m.start(), m.end(), Quantity(VAGUE[v], q, text=m.group(0))))
        taken.append((m.start(), m.end()))
    pos = 0
    while (found := _NUM_RE.search(text, pos)) is not None:
        m = found
        pos = m.end()
        if not free(m.start(), m.end()):
            continue
        # a word number must stand alone (not "someone", "often")
        if m.start("n") > 0 and text[m.start("n") - 1].isalnum():
            continue
        if m.group("n").lower() in SCALES:
            continue  # a bare "million" is part of a number we could not read
        n = number_value(m.group("n"))
        if n is None:
            prefix = _well_formed_start(text, m)
            if prefix is None:
                continue
            m, n = prefix
            pos = m.end()  # the rest of the run is read on its own
        q = _qualifier(m.group("q"))
        out.append(Found(m.start(), m.end(), Quantity(n, q, text=m.group(0))))
        taken.append((m.start(), m.end()))
    out.sort(key=lambda f: f.start)
    return tuple(out)


def is_numberless(q: Quantity) -> bool:
    """True for a vague word that gives no number ("many", "several", "a few")."""
    t = re.sub(r"\s+of$", "", (q.text or "").lower().strip())
    for qual in sorted(QUALIFIER_PHRASES, key=len, reverse=True):
        if t.startswith(qual + " "):
            t = t[len(qual) + 1 :]
            break
    return t in NUMBERLESS


def find_quantities(text: str) -> list[Found]:
    """Every quantity in ``text`` with its offsets, left to right (years included)."""
    return list(_find(text))


def parse_quantity(text: str) -> Quantity | None:
    """The first quantity in ``text``: 'more than 50' -> Quantity(50, 'more_than')."""
    found = _find(text)
    return found[0].quantity if found else None


__all__ = [
    "NAME",
    "Found",
    "find_quantities",
    "is_numberless",
    "number_value",
    "parse_quantity",
    "words_to_int",
]
