"""Figures: counts a source reports for groups, with qualifier, category, origin and source.

"roughly 40,000 foreign fighters from around the world" -> 40,000 (about), fighters;
"In Britain alone, more than 800 mostly young men joined the group" -> 800 (more_than),
origin GB, group Islamic State; "up to 4,761 women" -> women (at_most); "7,366 have
returned" -> returnees. Every figure is kept: sources disagree by design.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from fftrack.extract.actors import DEMONYMS
from fftrack.extract.quantities import find_quantities
from fftrack.extract.timeline import DocDates
from fftrack.records import Actor, Document, Figure, Place, Span

log = logging.getLogger(__name__)

NAME = "extract.figures.v1"

CATEGORY_HEADS: dict[str, str] = {
    "fighter": "fighters", "jihadist": "fighters", "jihadi": "fighters", "militant": "fighters",
    "recruit": "fighters", "combatant": "fighters", "volunteer": "fighters",
    "foreigner": "fighters", "terrorist": "fighters", "extremist": "fighters",
    "affiliate": "affiliates", "member": "affiliates", "supporter": "affiliates",
    "citizen": "affiliates", "national": "affiliates", "individual": "affiliates",
    "man": "affiliates", "people": "affiliates", "person": "affiliates",
    "woman": "women", "wife": "women", "widow": "women", "girl": "minors", "child": "minors",
    "minor": "minors", "teenager": "minors", "boy": "minors", "infant": "minors", "baby": "minors",
    "returnee": "returnees", "detainee": "detained", "prisoner": "detained",
    # national nouns ("850 Britons travelled to Syria"): people, whatever their role
    "briton": "affiliates", "brit": "affiliates", "american": "affiliates",
    "frenchman": "affiliates", "german": "affiliates", "belgian": "affiliates",
    "tunisian": "affiliates", "moroccan": "affiliates", "russian": "affiliates",
    "chechen": "affiliates", "uzbek": "affiliates", "australian": "affiliates",
    "canadian": "affiliates", "dane": "affiliates", "swede": "affiliates",
}  # fmt: skip
VERB_CATEGORY = {
    "return": "returnees", "repatriate": "returnees", "come": "returnees",
    "detain": "detained", "arrest": "detained", "imprison": "detained", "hold": "detained",
    "capture": "detained", "kill": "killed", "die": "killed",
}  # fmt: skip
COUNTRY_ALIASES = {
    "britain": "GB", "great britain": "GB", "uk": "GB", "u.k.": "GB", "united kingdom": "GB",
    "england": "GB", "america": "US", "united states": "US", "u.s.": "US", "us": "US",
    "russia": "RU", "syria": "SY", "iraq": "IQ", "turkey": "TR", "iran": "IR",
}  # fmt: skip
ATTRIB_RE = re.compile(
    r"\b(?i:according to|figures from|data from|estimates? (?:by|from)|report(?:ed)? by|counted by)"
    r"\s+(?:[Tt]he\s+)?(?P<src>[A-Z][^,.;:()]{1,60}?)(?=\s*(?:[,.;:()]|$|\s+(?:in|on|which|that|who)\b))"
)
SAYS_RE = re.compile(
    r"\b(?:[Tt]he\s+)?(?P<src>[A-Z][\w&.-]*(?:\s+(?:of\s+|for\s+)?[A-Z][\w&.-]*){0,5})\s+"
    r"(?:counted|estimated|estimates|reported|reports|said|says|found|recorded)\b"
)
DEST_RE = re.compile(
    r"\b(?:travell?ed|went|gone|go|headed|moved|joined \w+ (?:\w+ )?in|left for|flocked) "
    r"(?:\w+ ){0,2}?(?:to|for) (?P<dest>[A-Z][\w-]+(?:\s+(?:and\s+)?[A-Z][\w-]+){0,3})"
)


def country_code(name: str) -> str | None:
    """ISO2 for a country name or demonym ('Britain', 'France', 'British')."""
    key = name.lower().strip()
    key = re.sub(r"^the\s+", "", key)
    if key in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[key]
    if key in DEMONYMS:
        return DEMONYMS[key]
    try:
        import pycountry

        c = pycountry.countries.get(name=name.strip()) or pycountry.countries.get(
            common_name=name.strip()
        )
        return c.alpha_2 if c else None
    except (ImportError, LookupError, KeyError):
        return None


def _head_of_number(tok: Any) -> Any:
    """The noun a number counts: 'more than 800 mostly young men' -> men."""
    t = tok
    for _ in range(3):
        if t.dep_ in ("nummod", "quantmod", "amod", "compound", "det") and t.head is not t:
            t = t.head
        else:
            break
    # "dozens of Tunisian fighters", "hundreds of women": the counted noun is under "of"
    if t.lower_ in ("dozens", "hundreds", "thousands", "scores", "tens", "number", "total"):
        for child in t.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        return obj
    return t


def extract_figures(
    sdoc: Any,
    document: Document,
    places: Sequence[Place],
    actors: Sequence[Actor],
    exclude: Sequence[tuple[int, int]] = (),
    dates: DocDates | None = None,
) -> list[Figure]:
    if dates is None:
        dates = DocDates(sdoc, document)
    text = document.text
    out: list[Figure] = []
    for sent in sdoc.sents:
        stext = sent.text
        s0 = sent.start_char
        for f in find_quantities(stext):
            a, b = s0 + f.start, s0 + f.end
            if any(not (b <= x or a >= y) for x, y in exclude):
                continue
            q = f.quantity
            if re.fullmatch(r"(?:19|20)\d\d", (q.text or "").strip()) or q.value < 2:
                continue
            span = sdoc.char_span(a, b, alignment_mode="expand")
            if span is None:
                continue
            num_tok = span.root
            head = _head_of_number(num_tok)
            lemma = head.lemma_.lower()
            category = CATEGORY_HEADS.get(lemma) or CATEGORY_HEADS.get(lemma.rstrip("s"))
            verb_cat = None
            verb = head.head if head.dep_ in ("nsubj", "nsubjpass") else None
            if verb is None and head is num_tok and num_tok.dep_ in ("nsubj", "nsubjpass"):
                verb = num_tok.head
            if verb is not None:
                verb_cat = VERB_CATEGORY.get(verb.lemma_.lower())
            if category is None and verb_cat is None:
                continue
            if head.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT"):
                continue
            category = verb_cat if verb_cat in ("returnees", "detained", "killed") else category
            # the subject as written: the number's noun phrase
            if head is not num_tok:
                subj_start = head.left_edge.idx
                subj_end = head.idx + len(head.text)
                subject = text[max(b, subj_start) : subj_end].strip() or head.text
            else:
                subject = head.text
            subject = re.sub(r"^(?:of\s+)", "", subject)
            origin = _origin(head, sent, places)
            group = _group(head, sent, actors)
            as_of = dates.first(sent.start_char, sent.end_char)
            attributed = _attribution(stext)
            fa = min(a, head.left_edge.idx if head is not num_tok else a)
            fb = max(b, head.idx + len(head.text))
            conf = 0.5 + (0.15 if category in ("fighters", "women", "minors", "returnees") else 0)
            out.append(
                Figure(
                    subject=subject,
                    value=q,
                    span=Span(document.id, fa, fb, sent.start_char, sent.end_char),
                    category=category or "other",
                    origin=origin,
                    destination=_destination(stext),
                    group=group,
                    as_of=as_of,
                    attributed_to=attributed,
                    extractor=NAME,
                    confidence=round(conf, 3),
                )
            )
    return out


def _origin(head: Any, sent: Any, places: Sequence[Place]) -> str | None:
    # demonym inside the noun phrase ("British fighters")
    for t in head.subtree:
        if t.i > head.i + 4:
            break
        c = DEMONYMS.get(t.lower_)
        if c and t.lower_ not in ("us",):
            return c
    # "from Britain" after the head
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ == "from":
            for o in child.children:
                if o.dep_ == "pobj":
                    c = country_code(o.text) or _place_country(places, o)
                    if c:
                        return c
    # "In Britain alone, ..." at the start of the sentence
    m = re.match(r"\s*(?:In|From)\s+(?:the\s+)?([A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)", sent.text)
    if m:
        return country_code(m.group(1))
    return None


def _place_country(places: Sequence[Place], tok: Any) -> str | None:
    for p in places:
        if p.span.start <= tok.idx < p.span.end and (
            p.precision == 4 or (p.feature or "").startswith("A.PCL")
        ):
            return p.country
    return None


def _group(head: Any, sent: Any, actors: Sequence[Actor]) -> str | None:
    armed = [
        a
        for a in actors
        if a.kind == "armed_group" and a.normalized and a.normalized != "foreign fighters"
    ]
    inside = [a for a in armed if sent.start_char <= a.span.start < sent.end_char]
    if inside:
        return inside[0].normalized
    if re.search(r"\bjoined the (?:group|organi[sz]ation|movement|caliphate)\b", sent.text):
        before = [a for a in armed if a.span.end <= sent.start_char]
        if before:
            return before[-1].normalized
    return None


def _attribution(text: str) -> str | None:
    m = ATTRIB_RE.search(text)
    if m:
        return m.group("src").strip()
    m = SAYS_RE.search(text)
    if m and m.group("src").split()[0] not in (
        "In",
        "The",
        "A",
        "Some",
        "Still",
        "But",
        "It",
        "He",
        "She",
        "They",
        "We",
        "Of",
    ):
        return m.group("src").strip()
    return None


def _destination(text: str) -> str | None:
    m = DEST_RE.search(text)
    return m.group("dest").strip() if m else None


__all__ = ["NAME", "country_code", "extract_figures"]
