"""Actors: armed groups, state forces and described groups, with nationality and language.

``normalize_actor("Daesh")`` -> ``("Islamic State", "armed_group", None)`` from the curated
alias table ``fftrack/data/actors.yaml``. ``find_actors(sdoc, document)`` reads every actor
mention in a spaCy doc: table aliases, then described groups ("a hardcore group of British
fighters" -> country GB, "French-speaking jihadists" -> language fr, "Britons" -> GB).
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from fftrack.extract.alternation import factored
from fftrack.records import Actor, Document, Place, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

log = logging.getLogger(__name__)

NAME = "extract.actors.v1"

# demonym (adjective or plural noun) -> ISO2
# fmt: off
DEMONYMS: dict[str, str] = {
    "british": "GB", "briton": "GB", "britons": "GB", "brit": "GB", "brits": "GB", "english": "GB",
    "scottish": "GB", "welsh": "GB", "uk": "GB",
    "american": "US", "americans": "US", "u.s.": "US", "us": "US",
    "french": "FR", "frenchman": "FR", "frenchmen": "FR",
    "german": "DE", "germans": "DE", "belgian": "BE", "belgians": "BE", "dutch": "NL",
    "danish": "DK", "dane": "DK", "danes": "DK", "swedish": "SE", "swede": "SE", "swedes": "SE",
    "norwegian": "NO", "norwegians": "NO", "finnish": "FI", "austrian": "AT", "austrians": "AT",
    "swiss": "CH", "italian": "IT", "italians": "IT", "spanish": "ES", "spaniard": "ES",
    "spaniards": "ES", "portuguese": "PT", "irish": "IE", "australian": "AU", "australians": "AU",
    "canadian": "CA", "canadians": "CA", "russian": "RU", "russians": "RU", "chechen": "RU",
    "chechens": "RU", "dagestani": "RU", "ukrainian": "UA", "ukrainians": "UA",
    "georgian": "GE", "georgians": "GE", "azerbaijani": "AZ", "kazakh": "KZ", "kazakhs": "KZ",
    "uzbek": "UZ", "uzbeks": "UZ", "tajik": "TJ", "tajiks": "TJ", "kyrgyz": "KG",
    "turkmen": "TM", "chinese": "CN", "uighur": "CN", "uyghur": "CN", "uighurs": "CN",
    "uyghurs": "CN", "indonesian": "ID", "indonesians": "ID", "malaysian": "MY",
    "malaysians": "MY", "filipino": "PH", "filipinos": "PH", "indian": "IN", "indians": "IN",
    "pakistani": "PK", "pakistanis": "PK", "afghan": "AF", "afghans": "AF",
    "bangladeshi": "BD", "iranian": "IR", "iranians": "IR", "iraqi": "IQ", "iraqis": "IQ",
    "syrian": "SY", "syrians": "SY", "turkish": "TR", "turk": "TR", "turks": "TR",
    "lebanese": "LB", "jordanian": "JO", "jordanians": "JO", "saudi": "SA", "saudis": "SA",
    "yemeni": "YE", "yemenis": "YE", "emirati": "AE", "qatari": "QA", "kuwaiti": "KW",
    "bahraini": "BH", "omani": "OM", "egyptian": "EG", "egyptians": "EG", "libyan": "LY",
    "libyans": "LY", "tunisian": "TN", "tunisians": "TN", "algerian": "DZ", "algerians": "DZ",
    "moroccan": "MA", "moroccans": "MA", "sudanese": "SD", "somali": "SO", "somalis": "SO",
    "nigerian": "NG", "nigerians": "NG", "malian": "ML", "kenyan": "KE", "ethiopian": "ET",
    "israeli": "IL", "israelis": "IL", "palestinian": "PS", "palestinians": "PS",
    "kosovar": "XK", "kosovars": "XK", "albanian": "AL", "albanians": "AL", "bosnian": "BA",
    "bosnians": "BA", "serbian": "RS", "macedonian": "MK", "trinidadian": "TT",
    "new zealander": "NZ", "south african": "ZA", "brazilian": "BR", "mexican": "MX",
    "japanese": "JP", "korean": "KR", "polish": "PL", "czech": "CZ", "greek": "GR",
}
NATIONAL_NOUNS = {
    "briton", "britons", "brits", "americans", "american", "frenchmen", "frenchman", "germans",
    "belgians", "danes", "swedes", "norwegians", "austrians", "italians", "spaniards",
    "australians", "canadians", "russians", "chechens", "uzbeks", "tajiks", "uighurs", "uyghurs",
    "indonesians", "malaysians", "tunisians", "moroccans", "saudis", "jordanians", "egyptians",
    "libyans", "algerians", "pakistanis", "afghans", "iraqis", "syrians", "turks", "kosovars",
    "albanians", "bosnians", "georgians", "kazakhs",
}
GROUP_HEADS: dict[str, str] = {
    "fighter": "armed_group", "jihadist": "armed_group", "jihadi": "armed_group",
    "militant": "armed_group", "insurgent": "armed_group", "rebel": "armed_group",
    "gunman": "armed_group", "militiaman": "armed_group", "militia": "armed_group",
    "extremist": "armed_group", "terrorist": "armed_group", "recruit": "armed_group",
    "foreigner": "group", "member": "group", "supporter": "group", "returnee": "group",
    "soldier": "state_forces", "troop": "state_forces", "force": "state_forces",
    "army": "state_forces", "police": "state_forces", "policeman": "state_forces",
    "officer": "state_forces", "warplane": "state_forces", "jet": "state_forces",
    "civilian": "civilians", "resident": "civilians", "villager": "civilians",
    "refugee": "civilians", "protester": "protesters", "protestor": "protesters",
    "demonstrator": "protesters", "rioter": "rioters", "man": "group", "woman": "group",
    "child": "civilians", "people": "group", "widow": "group", "wife": "group",
}
# fmt: on
LANG_RE = re.compile(r"\b([A-Z][a-z]+)[- ]speaking\b")


@dataclass(frozen=True)
class ActorEntry:
    name: str
    kind: str
    country: str | None
    acled: str | None
    aliases: tuple[str, ...]


@lru_cache(maxsize=1)
def load_table() -> tuple[ActorEntry, ...]:
    """The curated alias table, read once."""
    import yaml

    text = resources.files("fftrack").joinpath("data/actors.yaml").read_text("utf-8")
    # libyaml's parser where PyYAML has it (ten times faster, the same data), as
    # fftrack.resolve.actors reads the table
    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    out = []
    for item in raw.get("actors", []):
        aliases = tuple(str(a) for a in item.get("aliases") or ())
        out.append(
            ActorEntry(
                name=str(item["name"]),
                kind=str(item.get("kind") or "group"),
                country=item.get("country"),
                acled=item.get("acled"),
                aliases=(str(item["name"]), *aliases),
            )
        )
    return tuple(out)


def _alias_pattern(alias: str) -> str:
    parts = []
    for ch in alias:
        if ch == " " or ch == "-":
            parts.append(r"[\s\-]+")
        elif ch in "'’":
            parts.append(r"['’]?")
        elif ch == ".":
            parts.append(r"\.?")
        else:
            parts.append(re.escape(ch))
    return "".join(parts)


def _is_strict(alias: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", alias)
    return alias.isupper() and len(letters) <= 5


@lru_cache(maxsize=1)
def _matchers() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, ActorEntry]]:
    """Two alternations (case-insensitive, and strict capitals) and a lookup key -> entry."""
    lookup: dict[str, ActorEntry] = {}
    loose: list[str] = []
    strict: list[str] = []
    for entry in load_table():
        for alias in entry.aliases:
            key = _key(alias)
            lookup.setdefault(key, entry)
            (strict if _is_strict(alias) else loose).append(alias)
    loose.sort(key=len, reverse=True)
    strict.sort(key=len, reverse=True)
    # factored by first letter: a word start tries its own letter's aliases, not all
    lo = re.compile(r"(?<![\w-])(?:" + factored(loose, _alias_pattern) + r")(?![\w-])", re.I)
    st = re.compile(r"(?<![\w-])(?:" + "|".join(_alias_pattern(a) for a in strict) + r")(?![\w])")
    return lo, st, lookup


def _key(text: str) -> str:
    t = text.lower().replace("’", "'").replace("u.s.", "us").replace(".", "")
    t = re.sub(r"^(the|a|an)\s+", "", t)
    return re.sub(r"[\s\-']+", " ", t).strip()


def normalize_actor(name: str) -> tuple[str, str, str | None] | None:
    """Canonical name, kind and country for an actor name, or None if not in the table."""
    if not name or not name.strip():
        return None
    _, _, lookup = _matchers()
    key = _key(name)
    entry = lookup.get(key)
    if entry is None and key.endswith("s"):
        entry = lookup.get(key[:-1])
    if entry is None:
        entry = lookup.get(key + "s")
    if entry is None:
        return None
    return entry.name, entry.kind, entry.country


def entry_for(canonical: str) -> ActorEntry | None:
    for e in load_table():
        if e.name == canonical:
            return e
    return None


def acled_name(canonical: str | None) -> str | None:
    """ACLED's actor name for a canonical name (for comparing with ACLED data)."""
    if not canonical:
        return None
    e = entry_for(canonical)
    return e.acled if e else None


def nationality(word: str) -> str | None:
    """ISO2 for a demonym ('British', 'Britons', 'French') or None."""
    return DEMONYMS.get(word.lower().strip())


def language_code(name: str) -> str | None:
    """ISO 639-1 code for a language name ('French' -> 'fr')."""
    return _languages().get(name.lower())


@lru_cache(maxsize=1)
def _languages() -> dict[str, str]:
    try:
        import pycountry

        return {
            lang.name.lower(): lang.alpha_2
            for lang in pycountry.languages
            if getattr(lang, "alpha_2", None)
        }
    except ImportError:  # pragma: no cover
        return {"french": "fr", "english": "en", "arabic": "ar", "russian": "ru", "german": "de"}


def _span(document: Document, sdoc: Doc, start: int, end: int) -> Span:
    sent = sdoc.char_span(start, end, alignment_mode="expand")
    if sent is not None:
        s = sent.sent
        return Span(document.id, start, end, s.start_char, s.end_char)
    return Span(document.id, start, end, start, end)


_COUNT_WORDS = {"between", "and", "to", "about", "around", "some", "over", "nearly", "almost",
                "up", "least", "at", "more", "than", "roughly", "approximately", "estimated",
                "an", "-", "\u2013", "of"}  # fmt: skip


def _count_word(tok: Token) -> bool:
    """A word of a count in front of a group noun ("at least 300", "between 3,000 and")."""
    return tok.like_num or tok.dep_ in ("nummod", "quantmod") or tok.lower_ in _COUNT_WORDS


def _yemen_context(text: str) -> bool:
    return bool(
        re.search(
            r"\b(?:Houthis?|Hadi|Yemen(?:i|is)?|Sanaa|Sana'a|Taiz|Saada|Sa'ada|Sadah|Hodeidah|Hudaydah|Marib|"
            r"Hajjah|Jawf|Midi|Harad|Nihm|Razih|Baqim|Kitaf|Lahj|Aden|Dhale|Bayda|Shabwa|Abyan|"
            r"Hadramawt|Mahra|Dhamar|Saqayn|Sahar|Majz|Monabbih|Shada|Hayran|Sirwah|Nati)\b",
            text,
        )
    )


# generic state forces, named by the country the report is about
GENERIC_FORCES = re.compile(
    r"^(?:the\s+)?(?:(?:government|military|army|security|state|armed)\s+forces|army|"
    r"(?:government|army)\s+(?:troops|soldiers)|soldiers|troops|military|national army)$",
    re.I,
)
GENERIC_POLICE = re.compile(
    r"^(?:the\s+)?(?:police(?:\s+forces)?|policemen|police officers)$", re.I
)
FORCES_BY_COUNTRY = {
    "SY": "Syrian Arab Army", "IQ": "Iraqi Security Forces", "YE": "Military Forces of Yemen",
    "TR": "Turkish Armed Forces", "IL": "Israel Defense Forces", "RU": "Russian armed forces",
    "SA": "Saudi Arabian armed forces", "US": "United States armed forces",
}  # fmt: skip
POLICE_BY_COUNTRY = {"IQ": "Iraqi police", "IR": "Iranian police"}


def doc_country(places: Sequence[Place]) -> str | None:
    """The country most of a document's resolved places lie in. Provinces and regions
    count more than towns; countries themselves count less, as they are often named for
    an actor's home ("backed by the United States", "U.S.-led coalition")."""
    weight = {3: 1.5, 4: 0.5}
    votes: dict[str, float] = {}
    for p in places:
        if p.resolved and p.country:
            votes[p.country] = votes.get(p.country, 0.0) + weight.get(p.precision or 1, 1.0)
    if not votes:
        return None
    best = max(votes, key=lambda k: votes[k])
    return best if votes[best] >= 1.5 else None


def find_actors(sdoc: Doc, document: Document, places: Sequence[Place] = ()) -> list[Actor]:
    """Every actor mention in the doc, left to right, spans non-overlapping.

    ``places`` (the geoparser's) tell which country the report is about: "coalition"
    in Yemen is the Saudi-led coalition, "government forces" in Syria the Syrian army.

    The scan of the doc is made once (kept in its ``user_data``): the geoparser reads the
    actors without places, the extractors with them, and only the few mentions the
    report's country names (:func:`_in_context`) differ between the two reads.
    """
    country_ctx = doc_country(places)
    found = [_in_context(a, rule, held, country_ctx) for a, rule, held in _scan(sdoc, document)]
    found.sort(key=lambda x: x.span.start)
    if any(a.normalized == "foreign fighters" for a in found):
        # in a text about foreign fighters, "the remaining foreigners" are foreign fighters
        found = [
            Actor(
                name=a.name,
                span=a.span,
                normalized="foreign fighters",
                kind="armed_group",
                country=a.country,
                language=a.language,
                extractor=NAME,
                confidence=0.5,
            )
            if a.normalized is None and a.name.lower().split()[-1] == "foreigners"
            else a
            for a in found
        ]
    return found


# An actor as the scan reads it, what the report's country may still make of it (None:
# nothing; "coalition": the Saudi-led one in Yemen; "forces", "police": the country's own)
# and the nationality a described group gave a coalition it enriched.
_Found = tuple[Actor, str | None, str | None]
_SCAN = ("fftrack", "actor_scan")
_SAUDI_LED = "Saudi-led coalition"


def _in_context(actor: Actor, rule: str | None, held: str | None, country: str | None) -> Actor:
    """``actor`` read in a report about ``country`` (``doc_country`` of its places)."""
    if rule is None or country is None:
        return actor
    if rule == "coalition":
        if country != "YE":
            return actor
        saudi = _matchers()[2][_key(_SAUDI_LED)]
        return dataclasses.replace(
            actor, normalized=saudi.name, kind=saudi.kind, country=held or saudi.country
        )
    if rule == "forces":
        generic = FORCES_BY_COUNTRY.get(country)
    else:
        generic = POLICE_BY_COUNTRY.get(country) or FORCES_BY_COUNTRY.get(country)
    e = entry_for(generic) if generic else None
    return actor if e is None else dataclasses.replace(actor, normalized=generic, kind=e.kind)


def _scan(sdoc: Doc, document: Document) -> tuple[_Found, ...]:
    """The actor mentions of a doc read without the report's country, in the order found
    (see :func:`find_actors`), made once per doc and document."""
    cache: dict[Any, Any] = sdoc.user_data
    held = cache.get(_SCAN)
    if held is not None and held[0] == (document.id, document.text):
        return held[1]  # type: ignore[no-any-return]
    found = tuple(_read(sdoc, document))
    cache[_SCAN] = ((document.id, document.text), found)
    return found


def _read(sdoc: Doc, document: Document) -> list[_Found]:
    text = document.text
    loose, strict, lookup = _matchers()
    found: list[_Found] = []
    taken = _Taken()

    yemen = None
    for matches in _table_matches(text, (loose, strict)):
        for a, b, key in matches:
            if taken.overlapping(a, b):
                continue
            entry = lookup.get(key)
            if entry is None:
                continue
            rule = None
            if entry.name == "Global Coalition against Daesh" and key.startswith("coalition"):
                if yemen is None:
                    yemen = _yemen_context(text)
                if yemen:
                    entry = lookup[_key(_SAUDI_LED)]
                else:
                    rule = "coalition"  # the Saudi-led one where the places are in Yemen
            # extend over a demonym / "-speaking" just before ("French-speaking jihadists")
            actor = _make_actor(sdoc, document, a, b, entry.name, entry.kind, entry.country)
            found.append((actor, rule, None))
            taken.add(a, b)
    for chunk in _find_group_chunks(sdoc):
        a, b = chunk.start_char, chunk.end_char
        # trim determiners and counts: the actor of "between 3,000 and 4,000 jihadists" is
        # "jihadists" (the number is a figure, kept apart)
        while chunk and (
            chunk[0].lower_ in ("a", "an", "the", "those", "these", "some", "other")
            or (len(chunk) > 1 and _count_word(chunk[0]))
        ):
            chunk = chunk[1:]
            a = chunk.start_char if len(chunk) else a
        if not len(chunk):
            continue
        a = chunk.start_char
        overlapping = taken.overlapping(a, b)
        country, language = _chunk_nationality(chunk)
        if overlapping:
            # enrich a table match with the chunk's nationality or language
            if country or language:
                for i in overlapping:
                    old, rule, held = found[i]
                    if old.span.start >= a and old.span.end <= b:
                        enriched = Actor(
                            name=text[a:b],
                            span=_span(document, sdoc, a, b),
                            normalized=old.normalized,
                            kind=old.kind,
                            country=country or old.country,
                            language=language,
                            extractor=NAME,
                            confidence=old.confidence,
                        )
                        found[i] = (enriched, rule, country or held)
                        taken.set(i, a, b)
            continue
        head = chunk.root
        kind = GROUP_HEADS.get(head.lemma_.lower(), "group")
        if head.lower_ in NATIONAL_NOUNS:
            kind = "group"
        norm = normalize_actor(head.text if head.lower_ not in NATIONAL_NOUNS else "")
        rule = None
        if norm is None and not country:
            bare = text[a:b]
            if GENERIC_FORCES.match(bare):
                rule = "forces"  # the army of the report's country
            elif GENERIC_POLICE.match(bare):
                rule = "police"
        actor = Actor(
            name=text[a:b],
            span=_span(document, sdoc, a, b),
            normalized=norm[0] if norm else None,
            kind=norm[1] if norm else kind,
            country=country,
            language=language,
            extractor=NAME,
            confidence=0.6 if (country or language) else 0.4,
        )
        found.append((actor, rule, None))
        taken.add(a, b)
    return found


class _Taken:
    """Character ranges already given to an actor, numbered in the order taken, with a
    bucket index so that an overlap test reads the ranges nearby only."""

    _BUCKET = 64

    def __init__(self) -> None:
        self._ranges: list[tuple[int, int]] = []
        self._buckets: dict[int, list[int]] = {}

    def _index(self, i: int, a: int, b: int) -> None:
        for k in range(a // self._BUCKET, max(a, b - 1) // self._BUCKET + 1):
            self._buckets.setdefault(k, []).append(i)

    def add(self, a: int, b: int) -> None:
        self._ranges.append((a, b))
        self._index(len(self._ranges) - 1, a, b)

    def set(self, i: int, a: int, b: int) -> None:
        self._ranges[i] = (a, b)
        self._index(i, a, b)  # stale entries are harmless: overlaps are re-checked

    def overlapping(self, a: int, b: int) -> list[int]:
        """Numbers of the ranges that overlap ``[a, b)``, in the order taken."""
        seen: set[int] = set()
        for k in range(a // self._BUCKET, max(a, b - 1) // self._BUCKET + 1):
            seen.update(self._buckets.get(k, ()))
        return sorted(i for i in seen if not (b <= self._ranges[i][0] or a >= self._ranges[i][1]))


def _make_actor(
    sdoc: Doc, document: Document, a: int, b: int, name: str, kind: str, country: str | None
) -> Actor:
    return Actor(
        name=document.text[a:b],
        span=_span(document, sdoc, a, b),
        normalized=name,
        kind=kind,
        country=country,
        extractor=NAME,
        confidence=0.8,
    )


def _table_matches(
    text: str, patterns: tuple[re.Pattern[str], ...]
) -> list[list[tuple[int, int, str]]]:
    """Each pattern's matches in ``text``: (start, end, table key)."""
    return [[(m.start(), m.end(), _key(m.group(0))) for m in p.finditer(text)] for p in patterns]


def _find_group_chunks(sdoc: Doc) -> list[Any]:
    out: list[Any] = []
    try:
        chunks = list(sdoc.noun_chunks)
    except (ValueError, AttributeError):
        return out
    for chunk in chunks:
        head = chunk.root
        lemma = head.lemma_.lower()
        if lemma in GROUP_HEADS or head.lower_ in NATIONAL_NOUNS:
            if head.pos_ not in ("NOUN", "PROPN"):
                continue
            if head.lower_ in ("people", "man", "men", "member", "members") and not any(
                t.lower_ in DEMONYMS for t in chunk
            ):
                continue
            out.append(chunk)
    return out


def _chunk_nationality(chunk: SpacySpan) -> tuple[str | None, str | None]:
    country = None
    language = None
    text = chunk.text
    m = LANG_RE.search(text)
    if m:
        language = language_code(m.group(1))
    for tok in chunk:
        if language and tok.text in (m.group(1) if m else "",):
            continue
        c = DEMONYMS.get(tok.lower_)
        if c and tok.lower_ not in ("us",):
            if tok.lower_ == "u.s." and tok.i + 1 < chunk.end and chunk.doc[tok.i + 1].text == "-":
                continue
            country = c
            break
    # "fighters from Britain": look for a "from <country>" right after the chunk
    return country, language


__all__ = [
    "NAME",
    "ActorEntry",
    "acled_name",
    "find_actors",
    "language_code",
    "load_table",
    "nationality",
    "normalize_actor",
]
