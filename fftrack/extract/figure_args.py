"""The arguments of a reported figure, read from the parse: what a number counts, the
predicate it is an argument of, its category, origin, attribution and destination.

Helpers for ``figures.extract_figures``; every function takes spaCy tokens of a parsed
document. Word lists here are general English (kinds of people, verbs of returning,
detention, death, flight) and country names or demonyms, never names of a particular text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from fftrack.extract.actors import DEMONYMS
from fftrack.nlp.docview import doc_text, ent_at
from fftrack.records import Place

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

# the counted noun -> the category it gives on its own
PERSON_NOUNS: dict[str, str] = {
    # people under arms
    "fighter": "fighters", "jihadist": "fighters", "jihadi": "fighters", "militant": "fighters",
    "combatant": "fighters", "recruit": "fighters", "volunteer": "fighters",
    "foreigner": "fighters", "terrorist": "fighters", "extremist": "fighters",
    "insurgent": "fighters", "rebel": "fighters", "gunman": "fighters", "soldier": "fighters",
    "troop": "fighters", "serviceman": "fighters", "personnel": "fighters",
    "militiaman": "fighters", "tribesman": "fighters", "mercenary": "fighters",
    "guerrilla": "fighters", "force": "fighters", "mujahid": "fighters",
    "mujahideen": "fighters", "paramilitary": "fighters", "commando": "fighters",
    "bomber": "fighters", "attacker": "fighters", "operative": "fighters",
    # people tied to a group without being counted as fighters
    "affiliate": "affiliates", "member": "affiliates", "supporter": "affiliates",
    "sympathiser": "affiliates", "sympathizer": "affiliates", "follower": "affiliates",
    "loyalist": "affiliates",
    # women and minors
    "woman": "women", "wife": "women", "widow": "women", "mother": "women",
    "girl": "minors", "child": "minors", "minor": "minors", "teenager": "minors",
    "boy": "minors", "infant": "minors", "baby": "minors", "orphan": "minors",
    "juvenile": "minors", "kid": "minors",
    # states a person is in
    "returnee": "returnees", "detainee": "detained", "prisoner": "detained",
    "inmate": "detained", "hostage": "detained", "captive": "detained",
    "refugee": "displaced", "evacuee": "displaced", "idp": "displaced",
    "displaced": "displaced", "asylum": "displaced",
    # people, whatever their role: the predicate decides
    "people": "", "person": "", "individual": "", "man": "", "civilian": "",
    "citizen": "", "national": "", "resident": "", "youth": "", "muslim": "",
    "convert": "", "imam": "", "cleric": "", "scholar": "", "student": "", "family": "",
    "suspect": "", "protester": "", "demonstrator": "", "worker": "", "migrant": "",
    "villager": "", "inhabitant": "", "local": "", "other": "", "casualty": "",
    "guard": "", "policeman": "", "officer": "", "passenger": "", "pilgrim": "",
}  # fmt: skip
TOLL_NOUNS = frozenset({"toll", "count", "tally"})
# categories a predicate gives (it wins over the noun: "151 children killed" is killed)
VERB_CATEGORY: dict[str, str] = {
    "return": "returnees", "repatriate": "returnees",
    "detain": "detained", "arrest": "detained", "imprison": "detained", "jail": "detained",
    "capture": "detained", "apprehend": "detained", "intern": "detained",
    "kill": "killed", "die": "killed", "dead": "killed", "lose": "killed",
    "execute": "killed", "behead": "killed", "massacre": "killed", "slaughter": "killed",
    "flee": "displaced", "displace": "displaced", "uproot": "displaced",
    "wound": "other", "injure": "other", "wounded": "other", "injured": "other",
    "missing": "other", "miss": "other", "sign": "other",
}  # fmt: skip
# predicates of going to a war or being in it: the people are fighters
FIGHT_VERBS = frozenset({
    "travel", "go", "join", "fight", "leave", "recruit", "send", "enter", "reach", "deploy",
    "train", "involve", "head", "arrive", "volunteer", "enlist", "serve", "number", "total",
    "operate", "battle", "flock", "depart", "migrate", "station", "pledge",
})  # fmt: skip
# predicates a violence toll is told with: an event's numbers unless the text makes them a total
TOLL_VERBS = frozenset({
    "kill", "die", "dead", "wound", "injure", "wounded", "injured", "capture", "detain",
    "arrest", "execute", "behead", "abduct", "kidnap", "massacre", "lose",
})  # fmt: skip
# verbs of an event the counted people do ("180 militants stormed the village")
# reporting and raising verbs: the counted people's own predicate is the one below
REPORT_VERBS = frozenset({
    "say", "report", "believe", "estimate", "think", "suggest", "expect", "confirm",
    "show", "indicate", "assess", "claim", "know", "understand", "suspect", "seem",
    "appear", "allege", "state", "estimated", "thought", "consider", "fear", "continue",
})  # fmt: skip
_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
# a sentence that states a total over time
CUMULATIVE_RE = re.compile(
    r"\b(?:since|so far|to date|in total|a total of|totall?ing|overall|altogether|cumulative"
    r"|as of|up to that point|until|till|tally|over the years|over the course|"
    r"over the (?:past|last) (?:\w+ )?(?:years?|months?|decades?)|"
    r"throughout(?! the (?:day|night|morning|afternoon|evening))|"
    r"in (?:the )?combat|(?:the|this) (?:\w+ )?(?:civil )?(?:war|conflict|campaign)|"
    r"in the (?:first|second) half|from the start|at that time|by then|"
    rf"by (?:the end of |early |mid-?|late )?(?:\d{{1,2}} )?(?:{_MONTHS}|\d{{4}}))\b",
    re.IGNORECASE,
)
# "Between 15 and 28 December", "between 22 July 2013 and 31 August 2016": a period
_RANGE_RE = re.compile(
    rf"\b(?i:between|from) (?P<d1>\d{{1,2}})(?: (?P<m1>{_MONTHS}))?(?: (?P<y1>\d{{4}}))?"
    rf" (?:and|to|until) (?P<d2>\d{{1,2}}) (?P<m2>{_MONTHS})(?: (?P<y2>\d{{4}}))?\b"
)
_MONTH_INDEX = {m: i for i, m in enumerate(_MONTHS[3:-1].split("|"))}
# a count over a period longer than this is a total, not one incident's number
LONG_PERIOD_DAYS = 7
# "the toll rose to 603", "raising the total to 18": the number after "to" is a total
TOTAL_VERBS = frozenset({"rise", "raise", "bring", "reach", "update", "increase", "climb", "put"})
COUNTRY_ALIASES = {
    "britain": "GB", "great britain": "GB", "uk": "GB", "u.k.": "GB", "united kingdom": "GB",
    "england": "GB", "america": "US", "united states": "US", "u.s.": "US", "us": "US",
    "usa": "US", "russia": "RU", "syria": "SY", "iraq": "IQ", "turkey": "TR", "iran": "IR",
    "kosovo": "XK", "the netherlands": "NL", "holland": "NL", "czech republic": "CZ",
    "bosnia": "BA", "macedonia": "MK", "north macedonia": "MK", "palestine": "PS",
    "south korea": "KR", "north korea": "KP", "laos": "LA", "vietnam": "VN", "moldova": "MD",
    "tanzania": "TZ", "bolivia": "BO", "venezuela": "VE",
}  # fmt: skip
ATTRIB_RE = re.compile(
    r"\b(?i:according to|figures from|data from|estimates? (?:by|from)|report(?:ed)? by|counted by)"
    r"\s+(?:[Tt]he\s+)?(?P<src>[A-Z][^,.;:()]{1,60}?)(?=\s*(?:[,.;:()]|$|\s+(?:in|on|which|that|who)\b))"
)
SAYS_RE = re.compile(
    r"\b(?:[Tt]he\s+)?(?P<src>[A-Z][\w&.-]*(?:\s+(?:of\s+|for\s+)?[A-Z][\w&.-]*){0,5})\s+"
    r"(?:counted|estimated|estimates|reported|reports|said|says|found|recorded|assessed|"
    r"confirmed|stated|claimed)\b"
)
_NOT_SOURCES = frozenset(
    {"In", "The", "A", "An", "Some", "Still", "But", "It", "He", "She", "They", "We", "Of",
     "By", "As", "On", "At", "From", "Up", "Over", "About", "More", "Around", "Nearly"}
)  # fmt: skip
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
    if not name.strip() or not name.strip()[0].isupper():
        return None
    try:
        import pycountry

        n = re.sub(r"^[Tt]he\s+", "", name.strip())
        c = pycountry.countries.get(name=n) or pycountry.countries.get(common_name=n)
        return c.alpha_2 if c else None
    except (ImportError, LookupError, KeyError):
        return None


def demonym_code(tok: Token) -> str | None:
    """ISO2 for a demonym token ('Tunisian', 'Australians', 'Lebanese'); None otherwise."""
    low = tok.lower_
    if low in ("us", "u.s.") and tok.text not in ("U.S.", "US"):
        return None
    c = DEMONYMS.get(low)
    if c is None and low.endswith("s"):
        c = DEMONYMS.get(low[:-1])
    return c


def person_category(tok: Token) -> str | None:
    """The category a counted noun gives ('' for people whatever their role); None if the
    noun does not count people."""
    lemma = tok.lemma_.lower()
    for key in (lemma, tok.lower_, lemma.rstrip("s")):
        if key in PERSON_NOUNS:
            return PERSON_NOUNS[key]
    if demonym_code(tok) is not None and tok.pos_ in ("NOUN", "PROPN", "ADJ"):
        return ""
    if tok.ent_type_ == "NORP" and tok.pos_ in ("NOUN", "PROPN"):
        return ""
    return None


def clause_predicates(tok: Token) -> list[Any]:
    """The predicates a noun (or a bare number) is an argument of, nearest first, through
    conjuncts ("900 from Libya and 650 from Algeria"), prepositions ("estimated at 500"),
    reporting and raising verbs ("were reported to have died") and its own relative or
    participial clauses ("fighters who had returned", "civilians killed by shelling")."""
    out: list[Any] = []
    for child in tok.children:
        if child.dep_ in ("relcl", "acl") and child.pos_ in ("VERB", "AUX", "ADJ"):
            out.append(child)
        elif child.dep_ == "amod" and child.lower_ in ("dead", "wounded", "injured", "missing"):
            out.append(child)
    t = tok
    for _ in range(6):
        if t.dep_ == "conj" and t.head != t:
            t = t.head
            continue
        if (
            t.dep_ == "pobj"
            and t.head.dep_ in ("prep", "agent")
            and t.head.head.pos_
            in (
                "VERB",
                "AUX",
            )
        ):
            t = t.head.head
            out.append(t)
            break
        if t.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "npadvmod", "oprd", "dative", "appos"):
            if t.head.pos_ in ("VERB", "AUX", "ADJ") or (
                t.dep_ == "nsubj" and t.head.dep_ == "ROOT" and t.head.pos_ == "NOUN"
            ):  # "Thousands of Lebanese fight on ...": a verb the tagger took for a noun
                out.append(t.head)
            break
        break
    # descend reporting/raising verbs to the clause they introduce
    extra: list[Any] = []
    for v in out:
        for c in _down_reporting(v):
            extra.append(c)
    for v in out + extra:
        for c in v.children:
            if c.dep_ in ("acomp", "oprd", "ccomp") and c.lower_ in (
                "dead", "wounded", "injured", "missing", "hostage", "hostages",
            ):  # fmt: skip
                extra.append(c)
            if c.dep_ == "conj" and c.pos_ == "VERB" and v.lemma_ in ("kill", "die", "wound"):
                extra.append(c)
    return out + extra


def _down_reporting(v: Any) -> Iterator[Any]:
    seen = 0
    while v.lemma_.lower() in REPORT_VERBS or v.lemma_ == "be" and seen == 0:
        nxt = [c for c in v.children if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX")]
        if not nxt:
            return
        v = nxt[0]
        seen += 1
        yield v
        if seen > 3:
            return


def _one_category(p: Any) -> str | None:
    lemma = p.lemma_.lower()
    # "came back", "returned home"
    if lemma == "come" and any(c.lower_ in ("back", "home") for c in p.children):
        return "returnees"
    if lemma == "hold" and any(
        c.lower_ in ("hostage", "hostages", "captive", "prisoner", "prisoners") for c in p.subtree
    ):
        return "detained"
    if lemma == "lose" and not any(c.dep_ == "dobj" for c in p.children):
        return None
    return VERB_CATEGORY.get(lemma) or VERB_CATEGORY.get(p.lower_)


def predicate_category(preds: Sequence[Any]) -> tuple[str | None, Any]:
    """(category, predicate): the first predicate that says what happened to the people
    (returned, detained, killed, fled, wounded), else one of going to or being at war.
    Predicates joined by "or"/"and" with different outcomes ("killed, captured or
    wounded") give ``other``."""
    for p in preds:
        cat = _one_category(p)
        if cat:
            # "18 of whom were killed and 12 wounded": a conjunct with its own subject is
            # another figure's predicate
            conj = [
                c
                for c in p.children
                if c.dep_ == "conj"
                and c.pos_ in ("VERB", "ADJ")
                and not any(k.dep_ in ("nsubj", "nsubjpass") for k in c.children)
            ]
            cats = {cat} | {c2 for c in conj if (c2 := _one_category(c))}
            if len(cats) > 1:
                return "other", p
            return cat, p
    for p in preds:
        if p.lemma_.lower() in FIGHT_VERBS:
            return "fighters", p
    return None, None


# nouns of what happened to people: "the killing of 30 civilians", "the return of 40"
NOMINAL_CATEGORY: dict[str, str] = {
    "killing": "killed", "death": "killed", "execution": "killed", "massacre": "killed",
    "arrest": "detained", "detention": "detained", "capture": "detained",
    "return": "returnees", "repatriation": "returnees", "displacement": "displaced",
}  # fmt: skip


def nominal_category(tok: Token) -> tuple[str | None, Any]:
    """(category, noun) where counted people are "of" a noun of what happened to them."""
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head != tok.head:
        n = tok.head.head
        if n.pos_ == "NOUN":
            cat = NOMINAL_CATEGORY.get(n.lemma_.lower()) or NOMINAL_CATEGORY.get(n.lower_)
            if cat:
                return cat, n
    return None, None


def is_toll_predicate(p: Any) -> bool:
    return p is not None and (p.lemma_.lower() in TOLL_VERBS or p.lower_ in TOLL_VERBS)


def is_cumulative(text: str) -> bool:
    """A sentence that states a total over time ("since", "as of", "by March", "the toll",
    "between 15 and 28 December": a period of more than a week)."""
    return CUMULATIVE_RE.search(text) is not None or any(
        _period_days(m) > LONG_PERIOD_DAYS for m in _RANGE_RE.finditer(text)
    )


def cumulative_cues(text: str) -> list[tuple[int, int]]:
    """Where ``text`` states a total over time: the spans of its cues."""
    out = [m.span() for m in CUMULATIVE_RE.finditer(text)]
    out += [m.span() for m in _RANGE_RE.finditer(text) if _period_days(m) > LONG_PERIOD_DAYS]
    return sorted(out)


def _period_days(m: re.Match[str]) -> int:
    """Days between the ends of a date range ("15 and 28 December": 13), roughly."""
    m2 = _MONTH_INDEX[m.group("m2")]
    m1 = _MONTH_INDEX[m.group("m1")] if m.group("m1") else m2
    y2 = int(m.group("y2")) if m.group("y2") else 0
    y1 = int(m.group("y1")) if m.group("y1") else y2
    if not m.group("y1") and m1 > m2:
        y1 -= 1  # "from 20 December to 3 January"
    return (y2 - y1) * 365 + (m2 - m1) * 30 + int(m.group("d2")) - int(m.group("d1"))


def origin_of(
    head: Token, preds: Sequence[Any], category: str, places: Sequence[Place]
) -> str | None:
    """The home country of counted people: a demonym or country modifying the noun
    ("Tunisian fighters", "Kosovo Albanians"), the noun itself ("Australians"), "from X",
    "with Swedish citizenship", or "returned to X" for returnees."""
    lefts = [t for t in head.lefts if t.dep_ in ("amod", "compound", "nmod", "poss", "npadvmod")]
    for t in lefts:
        for tt in t.subtree:
            c = demonym_code(tt) or (
                country_code(tt.text) if tt.ent_type_ == "GPE" or tt.pos_ == "PROPN" else None
            )
            if c:
                return c
    if head.pos_ in ("NOUN", "PROPN", "ADJ"):
        c = demonym_code(head)
        if c:
            return c
    for prep in [c for c in head.children if c.dep_ == "prep"] + [
        c for p in preds[:1] for c in p.children if c.dep_ == "prep"
    ]:
        if prep.lower_ in ("from", "with", "of"):
            for o in prep.subtree:
                if o == prep:
                    continue
                c = demonym_code(o) if prep.lower_ != "from" or o.dep_ != "pobj" else None
                if c is None and prep.lower_ == "from" and o.dep_ == "pobj":
                    c = _tok_country(o, places)
                if c is None and prep.lower_ == "with":
                    c = demonym_code(o)
                if c:
                    return c
    # "Turkey has 1,500 soldiers in Iraq": the country that has them
    for p in preds[:1]:
        if p.lemma_.lower() == "have" and head.dep_ == "dobj" and head.head == p:
            for s in p.children:
                if s.dep_ == "nsubj":
                    c = _tok_country(s, places)
                    if c:
                        return c
    if category == "killed" and head.lemma_.lower() in ("civilian", "resident", "villager"):
        # "civilians killed by shelling in Turkey": the country they were killed in
        for p in [c for c in head.children if c.dep_ in ("acl", "relcl")]:
            for o in p.subtree:
                if o.dep_ == "pobj" and o.head.lower_ == "in":
                    c = _tok_country(o, places)
                    if c:
                        return c
    if category == "returnees":
        for p in preds:
            for prep in p.children:
                if prep.dep_ == "prep" and prep.lower_ in ("to", "in"):
                    for o in prep.children:
                        if o.dep_ == "pobj":
                            c = _tok_country(o, places)
                            if c:
                                return c
    return None


def _tok_country(o: Any, places: Sequence[Place]) -> str | None:
    doc = o.doc
    name = doc_text(doc)[o.left_edge.idx : o.idx + len(o.text)]
    c = country_code(name) or country_code(o.text)
    if c:
        return c
    if o.ent_iob_ != "O" and o.ent_type_ == "GPE":
        ent = ent_at(doc, o.i)
        if ent is not None:
            c = country_code(ent.text)
            if c:
                return c
    for p in places:
        if p.span.start <= o.idx < p.span.end and (
            p.precision == 4 or (p.feature or "").startswith("A.PCL")
        ):
            return p.country
    return None


def sentence_origin(sent: SpacySpan) -> str | None:
    """'In Britain alone, ...', 'From France, ...' at the start of a sentence."""
    m = re.match(
        r"(?:[^\n]*\n)?\s*(?:In|From)\s+(?:the\s+)?([A-Z][\w.]*(?:[ \t]+[A-Z][\w.]*)?)", sent.text
    )
    if m:
        return country_code(m.group(1)) or country_code(m.group(1).split()[0])
    return None


def attribution(text: str) -> str | None:
    """Who gives a figure: "according to the ICSR", "the Soufan Group estimated"."""
    m = ATTRIB_RE.search(text)
    if m:
        return m.group("src").strip()
    m = SAYS_RE.search(text)
    if m and m.group("src").split()[0] not in _NOT_SOURCES:
        return m.group("src").strip()
    return None


def destination(text: str) -> str | None:
    m = DEST_RE.search(text)
    return m.group("dest").strip() if m else None


__all__ = [
    "PERSON_NOUNS",
    "attribution",
    "clause_predicates",
    "country_code",
    "demonym_code",
    "destination",
    "cumulative_cues",
    "is_cumulative",
    "is_toll_predicate",
    "nominal_category",
    "origin_of",
    "person_category",
    "predicate_category",
    "sentence_origin",
]
