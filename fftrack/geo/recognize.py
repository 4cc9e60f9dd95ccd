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
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from fftrack.geo.cues import (
    FACILITY_HEADS,
    INSTITUTION_UNITS,
    INSTITUTION_WORDS,
    TIME_HEADS,
    modifies_a_named_place,
    place_cue,
)
from fftrack.geo.gazetteer import KIND_ALT, KIND_SKELETON, Gazetteer
from fftrack.geo.normalize import ARTICLES, name_key
from fftrack.geo.resolve import haversine_km
from fftrack.nlp.docview import doc_ents, doc_sents, doc_text, doc_tokens

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

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
    "over",
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
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "northern",
    "southern",
    "eastern",
    "western",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
    "central",
    "downtown",
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
# "seize control of Sinjar", "the fall of Hajin", "the siege of Amirli": the "of" of ground
# taken, held or fought over names a place ("the leader of X" does not); so does the "of"
# of a compass bearing ("southeast of X")
_GROUND_OF_RE = re.compile(
    r"\b(?:control|capture|recapture|fall|siege|liberation|seizure|encirclement|storming|"
    r"outskirts|entrance|gates|countryside|vicinity|suburbs|side|edge) of\s+(?:the\s+)?$"
    r"|\b(?:close|next|adjacent) to\s+(?:the\s+)?$"
    r"|\b(?:(?:north|south)(?:[- ]?(?:east|west))?|east|west) of\s+(?:the\s+)?$",
    re.I,
)
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
# titles before a person's name ("Defense Secretary Ash Carter", "Mrs. Lincoln")
_TITLES = frozenset({
    "secretary", "minister", "president", "general", "gen", "gen.", "commander", "spokesman",
    "spokeswoman", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "envoy", "ambassador",
    "senator", "mayor", "chancellor", "premier", "colonel", "col.", "captain", "sergeant",
    "prince", "king", "queen", "pope", "judge", "prosecutor", "lawmaker", "congressman",
    "sen", "gov", "rep", "governor", "officer", "sgt", "lt", "capt", "col",
})  # fmt: skip
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
    while end > start and text[end - 1] in ",;:\"')":
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


def _prev_word(sdoc: Doc, i: int) -> str:
    toks = doc_tokens(sdoc)
    j = i - 1
    while j >= 0 and toks[j].is_punct and toks[j].text not in (",",):
        j -= 1
    return toks[j].lower_ if j >= 0 else ""


_ATTACK_NOUNS = {
    "attack", "attacks", "strike", "strikes", "airstrike", "airstrikes", "raid", "raids",
    "assault", "assaults", "offensive", "bombing", "bombings", "advance", "siege",
}  # fmt: skip


def _attack_before(sdoc: Doc, i: int) -> bool:
    """ "the attack on X", "air strikes on X": what is attacked on is a place."""
    j = i - 2  # the word before "on"
    return j >= 0 and sdoc[j].lower_ in _ATTACK_NOUNS


def _is_common_word(tok: Token) -> bool:
    if tok.text.isupper() and len(tok.text) >= 2 and tok.is_alpha:
        return False  # "US", "UK", "UAE"
    low = tok.lower_
    return tok.is_stop or low in _MONTHS or low in _NOT_PLACES or not tok.text[:1].isupper()


def recognize(
    sdoc: Doc,
    gaz: Gazetteer,
    min_pop: int = 20000,
    include_demonyms: bool = False,
    include_embedded: bool = False,
) -> list[tuple[int, int, str]]:
    """Toponym spans ``(start_char, end_char, source)`` in ``sdoc``, sorted, non-overlapping.

    With ``include_demonyms``, nationality words ("British", "Iraqis") are returned too
    (source ``"demonym"``), as the LGL and GeoWebNews annotations count them. With
    ``include_embedded``, places inside organisation names ("Zimbabwe" in "Zimbabwe
    Tourism Authority") are returned too (source ``"embedded"``).
    """
    text = doc_text(sdoc)
    found: list[tuple[int, int, str]] = []
    taken = [False] * (len(text) + 1)
    try:
        sent_starts = {s.start for s in doc_sents(sdoc)}
    except ValueError:  # no sentence boundaries
        sent_starts = {0}

    def free(s: int, e: int) -> bool:
        return not any(taken[s:e])

    def take(s: int, e: int, src: str) -> None:
        found.append((s, e, src))
        for k in range(s, e):
            taken[k] = True

    for ent in doc_ents(sdoc):
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
            m = _DIRECTION_RE.match(text[s:e])
            if m and not gaz.has_name(text[s:e]) and gaz.has_name(text[s + m.end() : e]):
                s += m.end()
            e = _extend_right(sdoc, gaz, ent.end, s, e)
            if e <= s or not free(s, e):
                continue
            name = text[s:e]
            if _compass_direction(text, s, e):
                continue  # "on the East side of the airbase": a direction
            if name.rsplit(None, 1)[-1].lower() in TIME_HEADS and not gaz.has_name(name):
                continue  # "Kurdish Flag Day", "Christmas Eve": a time, not a place
            if ent.label_ == "GPE" and not gaz.has_name(name):
                # a GPE the gazetteer does not know is kept only with a place cue:
                # "in Misraba", "Misraba town", "al-Misraba"
                prev_w = _prev_word(sdoc, ent.start)
                if not (
                    prev_w in _STRONG_LOCATIVE
                    or place_cue(text, s, e)
                    or _ARABIC_ARTICLE_RE.match(name)
                ):
                    continue
            take(s, e, "ner")
    for s, e in _datelines(text, gaz):
        if free(s, e):
            take(s, e, "dateline")
    person_words = _name_words(sdoc)
    blocked = [False] * (len(text) + 1)
    kept_out: set[int] = set()  # a person with a title, a broadcaster: never a place
    for ent in doc_ents(sdoc):
        if ent.label_ in ("PERSON", "ORG", "NORP", "WORK_OF_ART", "PRODUCT", "EVENT"):
            s, e = _clean_bounds(text, ent.start_char, ent.end_char)
            e = _extend_right(sdoc, gaz, ent.end, s, e)
            name = text[s:e]
            if e <= s or not free(s, e):
                continue
            cue = place_cue(text, s, e) and not all(_is_common_word(t) for t in ent)
            if modifies_a_named_place(text, e) and (ent.label_ == "NORP" or not gaz.has_name(name)):
                # "the Alawite village of X": X is the place ("the Idlib town of X" keeps
                # Idlib, a place the gazetteer knows)
                for k in range(s, e):
                    blocked[k] = True
                continue
            if ent.label_ == "NORP":
                if cue and name[:1].isupper():
                    take(s, e, "cue")
                elif include_demonyms and _singular_demonym(gaz, name):
                    take(s, e, "demonym")
                continue
            if cue and _proper(name):
                take(s, e, "cue")
                continue
            if ent.label_ == "ORG" and _MEDIA_AFTER_RE.match(text, e):
                for k in range(s, e):
                    blocked[k] = True  # "an Al Jazeera journalist": a broadcaster
                kept_out.add(s)
                continue
            if gaz.has_name(name) and not _weak_acronym(gaz, name):
                prev = _prev_word(sdoc, ent.start)
                if ent.label_ == "PERSON" and prev in _TITLES:
                    # "Defense Secretary Ash Carter": a person with a title, however like
                    # a place ("Ash Carter" read as an article and a name) the name is
                    for k in range(s, e):
                        blocked[k] = True
                    kept_out.add(s)
                    continue
                if (
                    _ARABIC_ARTICLE_RE.match(name)
                    or prev in _STRONG_LOCATIVE
                    or (prev == "on" and _attack_before(sdoc, ent.start))
                    or _GROUND_OF_RE.search(text[max(0, s - 30) : s])
                    or _after_place_list(sdoc, ent.start, taken)
                ):
                    take(s, e, "ner-gaz")
                    continue
                if ent.label_ == "ORG" and _is_area_name(gaz, name):
                    take(s, e, "ner-gaz")  # "EU", "BC", "T&T" tagged as organisations
                    continue
                if _metonym(sdoc, ent, gaz, person_words, [text[a:b] for a, b, _ in found]):
                    take(s, e, "metonym")  # "Tbilisi" tagged PERSON, "Gainesville" ORG
                    continue
            sub = _facility_place(gaz, ent, text)
            if sub is not None and free(*sub):
                # "Manchester Arena" tagged PERSON, "Greater Manchester Police" ORG
                take(sub[0], sub[1], "facility")
            elif include_embedded and ent.label_ in ("ORG", "FAC", "EVENT"):
                sub = _embedded_place(gaz, ent, text, include_demonyms)
                if sub is not None and free(*sub):
                    take(sub[0], sub[1], "embedded")
            for k in range(s, e):
                blocked[k] = True
    # capitalised runs
    for s, e, first_tok in _capitalised_runs(sdoc):
        cut = next((k for k in range(s, e) if blocked[k]), e)
        e = cut
        while e > s and not text[e - 1].isalnum():
            e -= 1
        if e <= s or not free(s, e):
            continue
        if place_cue(text, s, e) and not all(
            _is_common_word(t) for t in sdoc.char_span(s, e, alignment_mode="expand") or []
        ):
            take(s, e, "cue")
            continue
        prev = _prev_word(sdoc, first_tok)
        if prev not in _STRONG_LOCATIVE and _GROUND_OF_RE.search(text[max(0, s - 30) : s]):
            prev = "in"  # "the east side of X", "close to X": as strong as "in X"
        best = _longest_gazetteer_match(sdoc, gaz, s, e, prev, min_pop, sent_starts, text)
        if best is not None and free(*best):
            take(best[0], best[1], "gaz")
    # one sense per document: a town the model tagged GPE once and PERSON/ORG elsewhere
    gpe_names = {
        text[a:b] for a, b, src in found if src == "ner" and _is_known_place(gaz, text[a:b])
    }
    for a, b in _tagged_as_people(sdoc, gpe_names):
        if free(a, b):
            take(a, b, "repeat")
    # the other names of a list of places ("notably Bartella, Qaraqosh, Tel Keppe and
    # Karamlish"): a village the gazetteer lacks, tagged as a person, is a place there
    for s, e in _listed_with_places(sdoc, found, kept_out):
        if free(s, e):
            take(s, e, "list")
    # one sense per document for a name the gazetteer lacks: read as a place twice (by a
    # place word around it, a list), it is one where the model tagged it a person ("the
    # shelling of Tel el-Ais and nearby Zorba"), unless someone by that name speaks
    read = Counter(text[a:b] for a, b, src in found if src in ("cue", "list"))
    twice = {name for name, k in read.items() if k >= 2}
    for a, b in _tagged_as_people(sdoc, twice):
        if free(a, b) and not _SPEAKS_RE.match(text, b):
            take(a, b, "repeat")
    # nationality words the model did not tag
    if include_demonyms:
        for tok in sdoc:
            if tok.ent_type_ or not tok.text[:1].isupper() or not tok.is_alpha:
                continue
            s, e = tok.idx, tok.idx + len(tok.text)
            if free(s, e) and not blocked[s] and _singular_demonym(gaz, tok.text):
                take(s, e, "demonym")
    found.sort()
    return found


def _tagged_as_people(sdoc: Doc, names: set[str]) -> list[tuple[int, int]]:
    """The spans of the entities the model tagged PERSON or ORG whose text is one of
    ``names`` (names the document reads as places elsewhere)."""
    if not names:
        return []
    return [
        (ent.start_char, ent.end_char)
        for ent in doc_ents(sdoc)
        if ent.label_ in ("PERSON", "ORG") and ent.text in names
    ]


_SPEAKS_RE = re.compile(r"\s+(?:said|says|told|added|stated|wrote)\b")
_DIRECTION_RE = re.compile(
    r"^(?:north|south|east|west|northeast|northwest|southeast|southwest|central|"
    r"north-east|north-west|south-east|south-west|northern|southern|eastern|western|"
    r"northeastern|northwestern|southeastern|southwestern|upstate|downstate)\s+",
    re.I,
)


def _extend_right(sdoc: Doc, gaz: Gazetteer, end_tok: int, s: int, e: int) -> int:
    """ "Dayr" tagged alone in "Dayr az Zawr": the longest gazetteer name made by adding
    up to three following tokens (articles, hyphens, capitalised words)."""
    best = e
    toks = doc_tokens(sdoc)
    j = end_tok
    while j < len(toks) and j < end_tok + 3:
        t = toks[j]
        if not (t.lower_ in ARTICLES or t.text in _CONNECTORS or t.text[:1].isupper()):
            break
        if t.ent_type_ and t.ent_type_ not in ("GPE", "LOC", "FAC", "ORG", "PERSON"):
            break
        j += 1
        end = t.idx + len(t.text)
        if t.text[:1].isupper() and gaz.has_name(doc_text(sdoc)[s:end]):
            best = end
    return best


_DATELINE_RE = re.compile(
    r"(?:^|\n|[.!?] )[ \t]*([A-Z][A-Z.'\u2019-]+(?: [A-Z][A-Z.'\u2019-]+){0,3})"
    r"(?=\s*(?:,|\(|[-\u2013\u2014:]))"
)
_NOT_DATELINE = {"UPDATE", "UPDATED", "BREAKING", "EXCLUSIVE", "WATCH", "VIDEO", "PHOTOS",
                 "ANALYSIS", "OPINION", "EDITORIAL", "NEWS", "AP", "AFP", "REUTERS", "NOTE"}  # fmt: skip


def _datelines(text: str, gaz: Gazetteer) -> list[tuple[int, int]]:
    """News datelines: "COLUMBUS, Ohio —", "BEIRUT (Reuters) -" at the start of a line."""
    out = []
    for m in _DATELINE_RE.finditer(text[:20000]):
        name = m.group(1).rstrip(".-'\u2019")
        if len(name) < 3 or name in _NOT_DATELINE or not gaz.has_name(name):
            continue
        out.append((m.start(1), m.start(1) + len(name)))
    return out


def _name_words(sdoc: Doc) -> set[str]:
    """Words that name people or firms in this text: words of longer PERSON/ORG/PRODUCT
    names ("Abraham Lincoln", "Toyota Motor"), words after a title ("Mrs. Lincoln") and
    one-word PERSON/ORG names met three times or more (the subject of a story)."""
    out: set[str] = set()
    seen: dict[str, int] = {}
    for ent in doc_ents(sdoc):
        if ent.label_ not in ("PERSON", "ORG", "PRODUCT"):
            continue
        if len(ent) > 1:
            out.update(t.lower_ for t in ent)
        elif ent.label_ in ("PERSON", "ORG"):
            seen[ent[0].lower_] = seen.get(ent[0].lower_, 0) + 1
            j = ent.start - 1
            if j >= 0 and sdoc[j].text == ".":
                j -= 1
            if j >= 0 and sdoc[j].lower_ in _TITLES:
                out.add(ent[0].lower_)
    out.update(w for w, n in seen.items() if n >= 3)
    return out


_SPEECH_AFTER = {"said", "says", "told", "who", "wrote", "added", "asked", "'s", "\u2019s"}


def _metonym(
    sdoc: Doc, ent: SpacySpan, gaz: Gazetteer, person_words: set[str], places: list[str]
) -> bool:
    """A one-word PERSON/ORG that is a big known place, no word of a longer name in the
    text, and near a place already found: "Tbilisi" or "Gainesville" mistagged, or a
    city standing for its government."""
    tok = ent[0]
    if len(ent) != 1 or not tok.text[:1].isupper() or tok.lower_ in person_words:
        return False
    if ent.end < len(sdoc) and sdoc[ent.end].lower_ in _SPEECH_AFTER:
        return False
    big = [
        e
        for e, kind in gaz.lookup_key(name_key(ent.text))
        if kind == 0
        and (
            e.feature in ("A.PCLI", "A.ADM1")
            or (e.feature.startswith("P") and e.population >= 100000)
        )
    ]
    if not big:
        return False
    anchors = [a for name in set(places) for a, kind in gaz.lookup_key(name_key(name)) if kind < 2]
    return any(_near(e, a) for e in big for a in anchors[:200])


def _near(e: Any, a: Any) -> bool:
    if a.feature == "A.PCLI" or e.feature == "A.PCLI":
        return bool(e.country) and e.country == a.country
    if a.feature == "A.ADM1":
        return e.country == a.country and name_key(e.admin1) == name_key(a.name)
    return haversine_km(e.lat, e.lon, a.lat, a.lon) < 300


def _embedded_place(
    gaz: Gazetteer, ent: SpacySpan, text: str, include_demonyms: bool
) -> tuple[int, int] | None:
    """A country, admin1 or big city at the start or end of an entity's tokens; a county
    or town at the start of an institution's name."""
    toks = [t for t in ent if not t.is_punct]
    while toks and toks[0].lower_ in ("the", "a", "an"):
        toks = toks[1:]
    if len(toks) < 2 or not toks[0].text[:1].isupper():
        return None
    for n in (3, 2, 1):
        if n < len(toks) and any(t.lower_ in INSTITUTION_WORDS for t in toks[n:]):
            part = toks[:n]
            if toks[n].lower_ in INSTITUTION_UNITS:
                continue  # "Walker County Sheriff": the place is "Walker County"
            s, e = part[0].idx, part[-1].idx + len(part[-1].text)
            if all(t.text[:1].isupper() for t in part) and _is_known_place(gaz, text[s:e], 1):
                return s, e
    for n in (3, 2, 1):
        for part in (toks[:n], toks[-n:]):
            if len(part) != n or n >= len(toks):
                continue
            s, e = part[0].idx, part[-1].idx + len(part[-1].text)
            name = text[s:e]
            if not name[:1].isupper() or (n == 1 and _is_common_word(part[0])):
                continue
            if _is_area_name(gaz, name) or _important(gaz, name, 500000):
                return s, e
            if include_demonyms and n == 1 and _singular_demonym(gaz, name):
                return s, e
    return None


def _facility_place(gaz: Gazetteer, ent: SpacySpan, text: str) -> tuple[int, int] | None:
    """The known place a facility is named after: "Manchester" in "Manchester Arena",
    "Westminster" in "Westminster Bridge", "Manchester" in "Greater Manchester Police",
    "Bukamal" (an alternate spelling of Albu Kamal) in "the Baghuz-Bukamal Bridge"."""
    toks = [t for t in ent if not t.is_punct]
    while toks and toks[0].lower_ in ("the", "a", "an"):
        toks = toks[1:]
    if len(toks) < 2 or toks[-1].lower_ not in FACILITY_HEADS:
        return None
    body = toks[:-1]
    while body and body[-1].lower_ in FACILITY_HEADS:
        body = body[:-1]
    # the longest known name first, anywhere before the head ("Aleppo Central Prison")
    for length in range(len(body), 0, -1):
        for i in range(len(body) - length + 1):
            part = body[i : i + length]
            if not part[0].text[:1].isupper() or (len(part) == 1 and _is_common_word(part[0])):
                continue
            s, e = part[0].idx, part[-1].idx + len(part[-1].text)
            name = text[s:e]
            if name.isupper() and len(name) <= 4 and i + length < len(body):
                continue  # "UN Security Council": an acronym, not Un in India
            # one end of "the X-Y Bridge", "the X-Y road" (a way between two towns) may be
            # written in another spelling of its town; a hospital's "Smith" is no town
            paired = text[s - 1 : s] in ("-", "\u2013") or text[e : e + 1] in ("-", "\u2013")
            if _is_known_place(gaz, name, alt=paired):
                return s, e
    return None


_LIST_SEP_RE = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s(?:and|or)\s+)$")
_LIST_LABELS = ("GPE", "LOC", "FAC", "PERSON", "ORG")
# "the villages of Umm Al-Sirraj and Qarah Saghirah", "five villages including the strategic
# Suwaydiya Gharbi and Suwaydiya Saghirah": each name of the list is one of them
_PLACES_OF_RE = re.compile(
    r"\b(?:villages|towns|cities|hamlets|districts|neighbou?rhoods|provinces|governorates)"
    r"(?:\s+of|,?\s+including(?:\s+the)?(?:\s+(?-i:[a-z]+))?)?\s+$",
    re.I,
)


def _listed_with_places(
    sdoc: Doc, found: list[tuple[int, int, str]], kept_out: set[int]
) -> list[tuple[int, int]]:
    """Names that stand in one list with places ("A, B, C and D", only commas and "and"/
    "or" between them) where at least two of the list are places already, or one of a
    list of three or more, or two of three the model tagged as places though the gazetteer
    lacks them, or all of a list told as places ("the villages of X and Y"): a list names
    things of one kind. Only proper names the model tagged as entities, none
    kept out as a person with a title or a broadcaster."""
    text = doc_text(sdoc)
    starts = {a for a, _, _ in found}
    items: list[tuple[int, int]] = []
    tagged: set[int] = set()  # starts of names the model tagged as places
    for ent in doc_ents(sdoc):
        if ent.label_ not in _LIST_LABELS:
            continue
        a, b = _clean_bounds(text, ent.start_char, ent.end_char)
        if b > a:
            items.append((a, b))
            if ent.label_ in PLACE_LABELS:
                tagged.add(a)
    out: list[tuple[int, int]] = []
    chain: list[tuple[int, int]] = []

    def close() -> None:
        placed = [it for it in chain if it[0] in starts]
        first = chain[0][0] if chain else 0
        told = _PLACES_OF_RE.search(text, max(0, first - 40), first) is not None
        n_tagged = sum(1 for a, _ in chain if a in tagged)
        if (
            len(placed) >= 2
            or (placed and len(chain) >= 3)
            or (told and len(chain) >= 2)
            or (len(chain) >= 3 and n_tagged >= 2)
        ):
            out.extend(
                (a, b)
                for a, b in chain
                if (a, b) not in placed and a not in kept_out and _proper(text[a:b])
            )

    for it in items:
        if chain and _LIST_SEP_RE.fullmatch(text[chain[-1][1] : it[0]]) is None:
            close()
            chain = []
        chain.append(it)
    close()
    return out


def _after_place_list(sdoc: Doc, i: int, taken: list[bool]) -> bool:
    """ "Westminster and Manchester": the entity follows a place and a conjunction."""
    if i < 2 or sdoc[i - 1].lower_ not in ("and", "or", ","):
        return False
    before = sdoc[i - 2]
    return taken[before.idx]


def _is_known_place(gaz: Gazetteer, name: str, min_pop: int = 10000, alt: bool = False) -> bool:
    """The gazetteer knows ``name`` as the primary name (or, with ``alt``, an alternate
    spelling: "Bukamal" for Albu Kamal) of a town of ``min_pop`` or of a bigger unit."""
    return any(
        (kind == 0 or (alt and kind == KIND_ALT))
        and (e.population >= min_pop or not e.feature.startswith("P"))
        for e, kind in gaz.lookup_key(name_key(name))
    )


def _proper(name: str) -> bool:
    """Written as a proper name: capitalised, or an Arabic article before a capitalised
    word ("al-Latamna", "el-Bab")."""
    if name[:1].isupper():
        return True
    m = _ARABIC_ARTICLE_RE.match(name)
    return m is not None and name[m.end() : m.end() + 1].isupper()


def _weak_acronym(gaz: Gazetteer, name: str) -> bool:
    """A word in capitals ("AAS", "HTS") that the gazetteer knows only as a small place
    ("Ås" in Norway): an acronym, of a group more likely than of a place. Countries,
    admin units and big cities keep theirs ("US", "UAE", "NYC")."""
    letters = [c for c in name if c.isalpha()]
    if not name.isupper() or not 2 <= len(letters) <= 5:
        return False
    return not (_is_area_name(gaz, name) or _important(gaz, name, 100000))


def _singular_demonym(gaz: Gazetteer, name: str) -> bool:
    return name_key(name) in gaz.demonyms


def _is_area_name(gaz: Gazetteer, name: str) -> bool:
    k = name_key(name)
    return any(
        kind == 0 and e.feature in ("A.PCLI", "A.ADM1", "L.CONT") for e, kind in gaz.lookup_key(k)
    )


def _capitalised_runs(sdoc: Doc) -> Iterable[tuple[int, int, int]]:
    """Maximal runs of capitalised tokens, joined by hyphens/apostrophes/articles."""
    toks = doc_tokens(sdoc)  # the tokens made once: each is read several times here
    n = len(toks)
    i = 0
    while i < n:
        tok = toks[i]
        starts_article = (
            tok.lower_ in ARTICLES
            and i + 2 < n
            and toks[i + 1].text == "-"
            and toks[i + 2].text[:1].isupper()
        )
        if not (tok.text[:1].isupper() and _alpha(tok)) and not starts_article:
            i += 1
            continue
        j = i + 1
        while j < n:
            t = toks[j]
            if t.text in _CONNECTORS and j + 1 < n and not toks[j - 1].whitespace_:
                j += 1
                continue
            if t.text[:1].isupper() and (_alpha(t) or "-" in t.text):
                j += 1
                continue
            if (
                t.lower_ in ARTICLES
                and j + 1 < n
                and (toks[j + 1].text == "-" or toks[j + 1].text[:1].isupper())
            ):
                j += 1
                continue
            break
        while j > i + 1 and (toks[j - 1].text in _CONNECTORS or toks[j - 1].lower_ in ARTICLES):
            j -= 1
        yield toks[i].idx, toks[j - 1].idx + len(toks[j - 1].text), i
        i = j


_APOSTROPHE_RE = re.compile(r"(?<=[^\W\d_])['\u2019\u2018\u02bf\u02be](?=[^\W\d_])")


def _alpha(tok: Token) -> bool:
    """A word of letters, an apostrophe inside counted as one: the ayn or hamza of a
    transliteration ("Dar'a", "Na'ema", "Qal'at") is part of the name."""
    return tok.is_alpha or _APOSTROPHE_RE.sub("", tok.text).isalpha()


_COMPASS_ADJ = {"western", "eastern", "northern", "southern", "central"}


def _compass_adjective(tok: Token) -> bool:
    """A compass adjective before a lower-case word ("Western countries"), or a compass
    word that gives a direction ("the East side of", "North of the city")."""
    if tok.i + 1 >= len(tok.doc):
        return False
    nxt = tok.doc[tok.i + 1]
    if tok.lower_ in _COMPASS_ADJ:
        return nxt.is_alpha and nxt.text[:1].islower()
    return tok.lower_ in _COMPASS_NOUNS and nxt.lower_ in _DIRECTION_NOUNS


# an organisation named after a place that is a news outlet ("an Al Jazeera journalist",
# "Al Arabiya television")
_MEDIA_AFTER_RE = re.compile(
    r"\s+(?:journalists?|reporters?|correspondents?|channel|network|television|TV|"
    r"broadcaster|footage|interview|presenters?)\b"
)

_COMPASS_NOUNS = {"north", "south", "east", "west", "northeast", "northwest", "southeast",
                  "southwest", "north-east", "north-west", "south-east", "south-west"}  # fmt: skip
# what a compass word before it makes a direction, not a region's name ("the East side")
_DIRECTION_NOUNS = {"side", "sides", "bank", "flank", "end", "part", "parts", "gate", "gates",
                    "wing", "entrance", "edge", "axis", "front", "outskirts", "of"}  # fmt: skip


def _compass_direction(text: str, s: int, e: int) -> bool:
    """``text[s:e]`` is a bare compass word that gives a direction ("on the East side of
    the airbase"), not the name of a region (Cameroon's East)."""
    if text[s:e].lower() not in _COMPASS_NOUNS:
        return False
    m = re.match(r"\s+([A-Za-z]+)", text[e : e + 20])
    return m is not None and m.group(1).lower() in _DIRECTION_NOUNS


def _longest_gazetteer_match(
    sdoc: Doc,
    gaz: Gazetteer,
    s: int,
    e: int,
    prev: str,
    min_pop: int,
    sent_starts: set[int],
    text: str | None = None,
) -> tuple[int, int] | None:
    text = doc_text(sdoc) if text is None else text
    span = sdoc.char_span(s, e, alignment_mode="expand")
    if span is None:
        return None
    toks = list(span)
    n = len(toks)
    known: list[tuple[int, int]] = []  # longer gazetteer names not taken here
    for length in range(min(n, 5), 0, -1):
        for a in range(0, n - length + 1):
            if any(x <= a and a + length <= y for x, y in known):
                continue  # "Tell" of "Tell Abyad": a part of a longer name is not a place
            sub = toks[a : a + length]
            if sub[0].text in _CONNECTORS or sub[-1].text in _CONNECTORS:
                continue
            words = [t for t in sub if t.text not in _CONNECTORS and t.lower_ not in ARTICLES]
            if not words or all(_is_common_word(t) for t in words):
                continue
            if length == 1 and (_is_common_word(sub[0]) or len(sub[0].text) < 3):
                continue
            if length == 1 and _compass_adjective(sub[0]):
                continue  # "Western countries", "Eastern diplomats": not Western Province
            cs, ce = sub[0].idx, sub[-1].idx + len(sub[-1].text)
            name = text[cs:ce]
            if not gaz.has_name(name) or _weak_acronym(gaz, name):
                continue
            p = prev if a == 0 else sub[0].nbor(-1).lower_ if sub[0].i > 0 else ""
            arabic = bool(_ARABIC_ARTICLE_RE.match(name))
            sentence_start = sub[0].i in sent_starts
            if p in _STRONG_LOCATIVE or arabic:
                return cs, ce
            if length == 1:
                if _is_area_name(gaz, name) or (
                    _important(gaz, name, min_pop) and not sentence_start
                ):
                    return cs, ce
            elif _important(gaz, name, min_pop):
                return cs, ce
            else:
                known.append((a, a + length))
    return None
