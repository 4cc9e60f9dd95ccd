"""Toponym recognition: spaCy entities plus gazetteer matching where the model misses.

The small English model tags many transliterated Arabic names as PERSON or ORG
("al-Mayadin", "al-Bukamal") or not at all. Recognition therefore takes:

1. GPE/LOC/FAC entities (minus a leading "the" and a trailing possessive);
2. PERSON/ORG entities whose text is a gazetteer name, when they carry an Arabic
   article ("al-", "Al ") or follow a locative preposition ("in", "near", "from" ...);
3. runs of capitalised tokens (with hyphens and Arabic articles inside) that are a
   gazetteer name, not a common English word, and either follow a locative preposition
   or name an important place (a country, an admin unit or a town of >= 20,000 people).

Recognised spans never overlap; entity spans win over gazetteer matches, longer over shorter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from fftrack.geo.gazetteer import KIND_SKELETON, Gazetteer
from fftrack.geo.normalize import ARTICLES, name_key

PLACE_LABELS = ("GPE", "LOC", "FAC")
_LOCATIVE = {
    "in",
    "near",
    "at",
    "from",
    "to",
    "outside",
    "into",
    "towards",
    "toward",
    "around",
    "across",
    "through",
    "via",
    "between",
    "and",
    "of",
    "on",
    "nearby",
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "province",
    "village",
    "town",
    "city",
    "entered",
    "reached",
    "left",
    "captured",
    "shelled",
    "seized",
    "besieged",
    "targeted",
    "hit",
    "struck",
    "stormed",
    "recaptured",
    "retook",
}
_STRONG_LOCATIVE = _LOCATIVE - {"and", "of", "on", "to", "hit", "left"}
_MONTHS = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
}
_NOT_PLACES = {
    "god",
    "allah",
    "islam",
    "islamic",
    "state",
    "president",
    "minister",
    "army",
    "police",
    "news",
    "university",
    "church",
    "school",
    "street",
    "road",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "ap",
    "reuters",
    "the",
    "a",
    "an",
    "i",
    "we",
    "he",
    "she",
    "they",
    "it",
    "this",
    "that",
    "these",
    "those",
    "there",
    "here",
    "but",
    "if",
    "so",
    "as",
    "said",
    "says",
    "government",
    "coalition",
    "forces",
    "union",
    "center",
    "centre",
    "county",
    "city",
    "hospital",
    "north",
    "south",
    "east",
    "west",
    "central",
    "new",
    "national",
    "international",
    "federal",
    "republic",
    "democratic",
    "people",
    "party",
    "council",
    "court",
    "house",
    "senate",
    "congress",
    "department",
    "office",
    "health",
    "media",
    "times",
    "post",
    "daily",
    "ministry",
    "security",
    "christian",
    "muslim",
    "sunni",
    "shia",
    "shiite",
    "kurds",
    "arab",
    "arabs",
    "regime",
    "rebels",
    "free",
    "liberation",
    "front",
    "brigade",
    "division",
    "battalion",
    "commander",
    "general",
    "colonel",
    "major",
    "captain",
    "officer",
    "sheikh",
    "imam",
    "abu",
    "bin",
    "ibn",
    "al",
    "el",
}
_CONNECTORS = {"-", "'", "\u2019", "\u2018", "\u02bf"}
_ARABIC_ARTICLE_RE = re.compile(r"^(al|el|ad|ar|as|az|ash|at|an|ad|ed|er|es|ez)[-\s\u2019']", re.I)


def _clean_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim "the " at the start and "'s" / punctuation at the end of an entity span."""
    s = text[start:end]
    if s.lower().startswith("the ") and end - start > 4:
        start += 4
        s = text[start:end]
    for suf in ("'s", "\u2019s"):
        if s.endswith(suf):
            end -= 2
            s = text[start:end]
    while end > start and text[end - 1] in ".,;:\"')":
        end -= 1
    while start < end and text[start] in "\"'(":
        start += 1
    return start, end


def _important(gaz: Gazetteer, name: str, min_pop: int) -> bool:
    k = name_key(name)
    if not k:
        return False
    for e, kind in gaz.lookup_key(k):
        if kind == KIND_SKELETON:
            continue
        if e.feature in ("A.PCLI", "A.ADM1", "L.CONT", "L.RGN", "H.STM", "T.MTS", "H.SEA"):
            return True
        if e.population >= min_pop and kind == 0:
            return True
    return False


def _prev_word(sdoc: Any, i: int) -> str:
    j = i - 1
    while j >= 0 and sdoc[j].is_punct and sdoc[j].text not in (",",):
        j -= 1
    return sdoc[j].lower_ if j >= 0 else ""


def _is_common_word(tok: Any) -> bool:
    low = tok.lower_
    return tok.is_stop or low in _MONTHS or low in _NOT_PLACES or not tok.text[:1].isupper()


def recognize(
    sdoc: Any, gaz: Gazetteer, min_pop: int = 20000, include_demonyms: bool = False
) -> list[tuple[int, int, str]]:
    """Toponym spans ``(start_char, end_char, source)`` in ``sdoc``, sorted, non-overlapping.

    With ``include_demonyms``, nationality words ("British", "Iraqis") are returned too
    (source ``"demonym"``), as the LGL and GeoWebNews annotations count them.
    """
    text = sdoc.text
    found: list[tuple[int, int, str]] = []
    taken = [False] * (len(text) + 1)
    try:
        sent_starts = {s.start for s in sdoc.sents}
    except ValueError:  # no sentence boundaries
        sent_starts = {0}

    def free(s: int, e: int) -> bool:
        return not any(taken[s:e])

    def take(s: int, e: int, src: str) -> None:
        found.append((s, e, src))
        for k in range(s, e):
            taken[k] = True

    for ent in sdoc.ents:
        if ent.label_ in PLACE_LABELS:
            s, e = _clean_bounds(text, ent.start_char, ent.end_char)
            # "Rural Damascus", "Eastern Ghouta": a capitalised word before the entity
            # that makes a longer gazetteer name
            if ent.start > 0:
                prev = sdoc[ent.start - 1]
                if (
                    prev.text[:1].isupper()
                    and prev.is_alpha
                    and prev.i not in sent_starts
                    and gaz.has_name(text[prev.idx : e])
                ):
                    s = prev.idx
            if e > s and free(s, e):
                take(s, e, "ner")
    for ent in sdoc.ents:
        if ent.label_ in ("PERSON", "ORG", "NORP", "WORK_OF_ART", "PRODUCT", "EVENT"):
            s, e = _clean_bounds(text, ent.start_char, ent.end_char)
            name = text[s:e]
            if e <= s or not free(s, e):
                continue
            if ent.label_ == "NORP":
                if include_demonyms and gaz.demonym_entry(name) is not None:
                    take(s, e, "demonym")
                continue
            if not gaz.has_name(name):
                continue
            prev = _prev_word(sdoc, ent.start)
            if _ARABIC_ARTICLE_RE.match(name) or prev in _STRONG_LOCATIVE:
                take(s, e, "ner-gaz")
    # capitalised runs
    for s, e, first_tok in _capitalised_runs(sdoc):
        if not free(s, e):
            continue
        prev = _prev_word(sdoc, first_tok)
        best = _longest_gazetteer_match(sdoc, gaz, s, e, prev, min_pop, sent_starts, text)
        if best is not None and free(*best):
            take(best[0], best[1], "gaz")
    found.sort()
    return found


def _capitalised_runs(sdoc: Any) -> Iterable[tuple[int, int, int]]:
    """Maximal runs of capitalised tokens, joined by hyphens/apostrophes/articles."""
    n = len(sdoc)
    i = 0
    while i < n:
        tok = sdoc[i]
        starts_article = (
            tok.lower_ in ARTICLES
            and i + 2 < n
            and sdoc[i + 1].text == "-"
            and sdoc[i + 2].text[:1].isupper()
        )
        if not (tok.text[:1].isupper() and tok.is_alpha) and not starts_article:
            i += 1
            continue
        j = i + 1
        while j < n:
            t = sdoc[j]
            if t.text in _CONNECTORS and j + 1 < n and not sdoc[j - 1].whitespace_:
                j += 1
                continue
            if t.text[:1].isupper() and (t.is_alpha or "-" in t.text):
                j += 1
                continue
            if (
                t.lower_ in ARTICLES
                and j + 1 < n
                and (sdoc[j + 1].text == "-" or sdoc[j + 1].text[:1].isupper())
            ):
                j += 1
                continue
            break
        while j > i + 1 and (sdoc[j - 1].text in _CONNECTORS or sdoc[j - 1].lower_ in ARTICLES):
            j -= 1
        yield sdoc[i].idx, sdoc[j - 1].idx + len(sdoc[j - 1].text), i
        i = j


def _longest_gazetteer_match(
    sdoc: Any,
    gaz: Gazetteer,
    s: int,
    e: int,
    prev: str,
    min_pop: int,
    sent_starts: set[int],
    text: str | None = None,
) -> tuple[int, int] | None:
    text = sdoc.text if text is None else text
    span = sdoc.char_span(s, e, alignment_mode="expand")
    if span is None:
        return None
    toks = list(span)
    n = len(toks)
    for length in range(min(n, 5), 0, -1):
        for a in range(0, n - length + 1):
            sub = toks[a : a + length]
            if sub[0].text in _CONNECTORS or sub[-1].text in _CONNECTORS:
                continue
            words = [t for t in sub if t.text not in _CONNECTORS and t.lower_ not in ARTICLES]
            if not words or all(_is_common_word(t) for t in words):
                continue
            if length == 1 and (_is_common_word(sub[0]) or len(sub[0].text) < 3):
                continue
            cs, ce = sub[0].idx, sub[-1].idx + len(sub[-1].text)
            name = text[cs:ce]
            if not gaz.has_name(name):
                continue
            p = prev if a == 0 else sub[0].nbor(-1).lower_ if sub[0].i > 0 else ""
            arabic = bool(_ARABIC_ARTICLE_RE.match(name))
            sentence_start = sub[0].i in sent_starts
            if (
                p in _STRONG_LOCATIVE
                or arabic
                or (
                    _important(gaz, name, min_pop)
                    and not (sentence_start and length == 1 and p == "")
                )
            ):
                return cs, ce
    return None
