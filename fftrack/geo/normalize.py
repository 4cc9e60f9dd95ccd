"""Place-name normalisation for lookup keys.

Two keys per name:

``name_key``
    light normalisation: lower case, diacritics and apostrophes removed (``'``, ``‘``,
    ``’``, ``ʿ``, ``ʾ``), hyphens to spaces, Arabic definite articles (``al-``, ``el-``,
    ``ad-``, ``ar-``, ``as-``, ``az-``, ``ash-``, ``ez-`` ...) dropped when another word
    follows, ``Dayr``/``Dair``/``Der`` -> ``deir``, ``Albu`` -> ``abu``,
    ``Tall``/``Tell`` -> ``tal``. Arabic script is kept as Arabic letters with its own
    light normalisation (article, alef and ta marbuta forms, diacritics).

``skeleton_key``
    a consonant skeleton of ``name_key`` (vowels, ``w``/``y`` glides after the first
    letter, doubled letters and a final ``h`` folded away; ``q``->``k``, ``dh``->``d``,
    ``th``->``t``, ``kh``->``k``, ``gh``->``g``, ``ph``->``f``). Used only as a fallback
    when no light key matches, and only for longer names.

``variant_names``
    spellings an English-language report gives an Arabic village name that no key above
    joins: an English qualifier for the Arabic one ("Western Ghariyeh" for Ghariyah al
    Gharbiyah, "Upper Diwan" for Diwan Fawqani, "Big Orm" for Urum al Kubra), an article
    glued to its word ("Dahiet Elasad", "Rasm Elsheikh"), ``Abul`` for ``Abu al``, ``bin``
    or ``ibn`` left out by the gazetteer ("Qasr Bin Wardan"), and a trailing facility word
    ("Tiyas - Military Airbase", "Atmah Camp"), and, last, a generic word of the gazetteer's
    name left out (``Tall``, ``Qaryat``, ``Khirbat``, ``Mazra'at``: "Sayad" for Tall as
    Sayyad). The gazetteer looks the variants up under
    their light and vowel-folded keys, as weaker matches than the name itself.

All are pure functions with no data: the same name always gives the same key.
"""

from __future__ import annotations

import re
from functools import lru_cache

from fftrack.folding import strip_marks

__all__ = [
    "name_key",
    "skeleton_key",
    "fold_key",
    "variant_names",
    "is_arabic",
    "strip_admin_suffix",
    "ADMIN_SUFFIXES",
]

_APOSTROPHES = "'\u2018\u2019\u02bc\u02bb\u02bf\u02be\u0060\u00b4\u2032\u02c8"
_APOS_RE = re.compile(f"[{re.escape(_APOSTROPHES)}]")
_SEP_RE = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014_/.,;:()\[\]\"]+")
_ARABIC_RE = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_ARABIC_DIACRITICS = re.compile(r"[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")

# Arabic definite article in its Latin transliterations, assimilated forms included.
ARTICLES = frozenset(
    {
        "al",
        "el",
        "il",
        "ul",
        "ad",
        "adh",
        "ed",
        "ar",
        "er",
        "ur",
        "as",
        "es",
        "us",
        "ash",
        "esh",
        "az",
        "ez",
        "at",
        "et",
        "ath",
        "an",
        "en",
        "aj",
        "ag",
    }
)
_WORD_MAP = {
    "dayr": "deir",
    "dair": "deir",
    "der": "deir",
    "deyr": "deir",
    "dier": "deir",
    "albu": "abu",
    "abou": "abu",
    "abo": "abu",
    "tall": "tal",
    "tell": "tal",
    "tel": "tal",
    "til": "tal",
    "saint": "st",
    "sainte": "ste",
    "mount": "mt",
    "fort": "ft",
    "jabal": "jebel",
    "jabel": "jebel",
    "jebal": "jebel",
    "jbel": "jebel",
    "wadi": "wadi",
    "ain": "ayn",
    "ein": "ayn",
    "ayn": "ayn",
    "kafr": "kafr",
    "kfar": "kafr",
    "kafar": "kafr",
    "qasr": "qasr",
    "kasr": "qasr",
    "ras": "ras",
    "bab": "bab",
}

ADMIN_SUFFIXES = (
    "governorate",
    "governorates",
    "province",
    "provinces",
    "prefecture",
    "region",
    "district",
    "districts",
    "subdistrict",
    "sub district",
    "county",
    "parish",
    "state",
    "oblast",
    "muhafazah",
    "muhafazat",
    "nahiya",
    "nahiyah",
    "qada",
    "qadaa",
    "mintaqa",
    "countryside",
    "city",
    "town",
    "village",
    "area",
    "areas",
)
_ADMIN_PREFIX = (
    "governorate of ",
    "province of ",
    "city of ",
    "town of ",
    "village of ",
    "state of ",
)


def is_arabic(text: str) -> bool:
    return bool(_ARABIC_RE.search(text))


def _strip_marks(text: str) -> str:
    # and the letters NFKD does not decompose
    return strip_marks(text).translate(_LATIN_EXTRA)


_LATIN_EXTRA = str.maketrans(
    dict[str, str | int | None](
        {
            "ı": "i",
            "ø": "o",
            "ł": "l",
            "đ": "d",
            "ß": "ss",
            "æ": "ae",
            "œ": "oe",
            "ð": "d",
            "þ": "th",
            "ə": "a",
        }
    )
)


def _arabic_key(text: str) -> str:
    t = _ARABIC_DIACRITICS.sub("", text)
    t = t.translate(
        str.maketrans(
            dict[str, str | int | None](
                {
                    "أ": "ا",
                    "إ": "ا",
                    "آ": "ا",
                    "ٱ": "ا",
                    "ة": "ه",
                    "ى": "ي",
                    "ی": "ي",
                    "ک": "ك",
                    "ؤ": "و",
                    "ئ": "ي",
                }
            )
        )
    )
    words = [w for w in re.split(r"[\s\-_]+", t) if w]
    out = []
    for i, w in enumerate(words):
        if w.startswith("ال") and len(w) > 3:
            w = w[2:]
        elif i == 0 and w.startswith("وال") and len(w) > 4:
            w = w[3:]
        out.append(w)
    return " ".join(out)


@lru_cache(maxsize=262144)
def name_key(name: str) -> str:
    """The light lookup key of a place name (see the module docstring)."""
    if not name:
        return ""
    if is_arabic(name):
        return _arabic_key(name.strip())
    t = _strip_marks(name).lower()
    t = _APOS_RE.sub("", t)
    t = t.replace("&", " and ")
    words = [w for w in _SEP_RE.split(t) if w]
    out: list[str] = []
    n = len(words)
    for i, w in enumerate(words):
        if w in ARTICLES and i < n - 1:
            continue
        out.append(_WORD_MAP.get(w, w))
    if not out and words:
        out = words
    return " ".join(out)


_SKEL_SUBS = (
    ("ph", "f"),
    ("dh", "d"),
    ("th", "t"),
    ("kh", "k"),
    ("gh", "g"),
    ("sh", "s"),
    ("ch", "s"),
    ("ck", "k"),
    ("q", "k"),
    ("c", "k"),
    ("j", "j"),
    ("z", "z"),
    ("x", "ks"),
)


@lru_cache(maxsize=262144)
def skeleton_key(name: str) -> str:
    """A consonant skeleton of ``name_key(name)``: a coarse, fallback key."""
    k = name_key(name)
    if not k or is_arabic(k):
        return k
    # drop a final h after a vowel in each word ("raqqah" -> "raqqa")
    k = " ".join(
        w[:-1] if len(w) > 2 and w.endswith("h") and w[-2] in "aeiou" else w for w in k.split()
    )
    s = k.replace(" ", "")
    for a, b in _SKEL_SUBS:
        s = s.replace(a, b)
    if not s:
        return s
    head, rest = s[0], s[1:]
    if head in "aeiouy":
        head = "a"
    rest = re.sub(r"[aeiouyw]", "", rest)
    s = head + rest
    return re.sub(r"(.)\1+", r"\1", s)


@lru_cache(maxsize=262144)
def fold_key(name: str) -> str:
    """A vowel-folded key of ``name_key(name)``: every run of vowels (``w``/``y`` included
    after the first letter) becomes ``a``; digraphs and doubled letters as in the skeleton.

    Stricter than the skeleton (vowel positions stay), so it serves short names
    ("Hawija"/"Huwija", "Shaddadi"/"Shaddadah") whose skeleton is too short to trust.
    Prefixed with ``~`` so it never collides with other keys.
    """
    k = name_key(name)
    if not k or is_arabic(k):
        return ""
    k = " ".join(
        w[:-1] if len(w) > 2 and w.endswith("h") and w[-2] in "aeiou" else w for w in k.split()
    )
    s = k.replace(" ", "")
    for a, b in _SKEL_SUBS:
        s = s.replace(a, b)
    if not s:
        return ""
    head, rest = s[0], s[1:]
    if head in "aeiouy":
        head = "a"
    s = re.sub(r"[aeiouyw]+", "a", head + rest)
    s = re.sub(r"(.)\1+", r"\1", s)
    return "~" + s


# English qualifiers of a village name and the Arabic words a gazetteer writes after the
# name instead (GeoNames: "Ghariyah al Gharbiyah", "Diwan Fawqani", "Urum al Kubra");
# masculine and feminine forms fold together where only the ending differs
_QUALIFIERS: dict[str, tuple[str, ...]] = {
    "western": ("gharbiyah", "gharbi"),
    "west": ("gharbiyah", "gharbi"),
    "eastern": ("sharqiyah", "sharqi"),
    "east": ("sharqiyah", "sharqi"),
    "northern": ("shamaliyah", "shamali"),
    "north": ("shamaliyah", "shamali"),
    "southern": ("janubiyah", "janubi", "qibliyah", "qibli"),
    "south": ("janubiyah", "janubi", "qibliyah", "qibli"),
    "upper": ("fawqani", "fawqa", "ulya", "fawqaniyah"),
    "lower": ("tahtani", "tahta", "sufla", "tahtaniyah"),
    "big": ("kabir", "kabirah", "kubra"),
    "great": ("kabir", "kabirah", "kubra"),
    "greater": ("kabir", "kabirah", "kubra"),
    "large": ("kabir", "kabirah", "kubra"),
    "small": ("saghir", "saghirah", "sughra"),
    "little": ("saghir", "saghirah", "sughra"),
    "old": ("qadim", "qadimah"),
    "new": ("jadid", "jadidah"),
}
# trailing English words for a facility at or beside the place ("Tiyas - Military Airbase")
_FACILITY_WORDS = frozenset(
    {
        "airbase",
        "airport",
        "air",
        "base",
        "military",
        "army",
        "camp",
        "camps",
        "castle",
        "citadel",
        "prison",
        "central",
        "dam",
        "checkpoint",
        "crossing",
        "bridge",
        "station",
        "hospital",
        "junction",
        "roundabout",
        "farms",
        "farm",
        "hill",
        "hills",
        "outskirts",
        "suburb",
    }
)
_PATRONYMICS = frozenset({"bin", "ibn", "bn", "ben"})
# light-key forms (name_key maps Tall/Tell to "tal")
_GENERIC_PREFIXES = ("tal", "qaryat", "khirbat", "mazraat")
# first words that already are a generic word: no other is added before them
_GENERIC_WORDS = frozenset(
    {
        *_GENERIC_PREFIXES,
        *("deir", "ayn", "kafr", "beit", "bayt", "bait", "abu", "umm", "um", "jebel"),
        *("wadi", "ras", "qasr", "bir", "hosh", "hawsh", "khan", "sheikh", "shaykh"),
        *("qalat", "jisr", "marj", "maarat", "maarrat", "mazraa", "khirbet", "qarya"),
    }
)
_CONSONANT_VARIANTS = (("th", "z"), ("dh", "z"), ("th", "d"))


@lru_cache(maxsize=65536)
def variant_names(name: str) -> tuple[str, ...]:
    """Other spellings of a (Latin) village name to look up as weaker matches (see the
    module docstring), in light-key form, most specific first; empty when none apply."""
    k = name_key(name)
    if not k or is_arabic(k):
        return ()
    words = k.split()
    base = list(words)
    # "Dahiet Elasad", "Rasm Elsheikh": an article glued to a later word
    for i in range(1, len(base)):
        w = base[i]
        if w[:2] in ("al", "el") and len(w) >= 5:
            base[i] = w[2:]
    # "Abul Thohur" is Abu al-Zuhur; "Qasr Bin Wardan" is Qasr Wardan in GeoNames
    base = ["abu" if w in ("abul", "abil", "abol") else w for w in base]
    if len(base) > 2:
        base = [w for i, w in enumerate(base) if i == 0 or w not in _PATRONYMICS]
    # "Tiyas military airbase", "Atmah camp": the place the facility is named after
    while len(base) > 1 and base[-1] in _FACILITY_WORDS:
        base.pop()
    out: list[str] = []
    if len(base) > 1 and base[0] in _QUALIFIERS:
        rest = base[1:]
        out.extend(" ".join([*rest, q]) for q in _QUALIFIERS[base[0]])
    elif base != words:
        out.append(" ".join(base))
    # the emphatic and interdental consonants have several romanisations: "th" and "dh"
    # stand for z-like letters ("Abul Thohur" is Abu al-Zuhur) and "th" for a d-like one
    # ("Kafr Nabutha" is Kafr Nabudah)
    for v in list(out) or [k]:
        for a, b in _CONSONANT_VARIANTS:
            if a in v:
                out.append(v.replace(a, b))
    # a generic word a gazetteer writes and reports leave out ("Sayad" for Tall as Sayyad,
    # "Jubur" for Qaryat al Jubur): the weakest variants, last
    qualified = len(base) > 1 and base[0] in _QUALIFIERS
    if len(base) <= 2 and not qualified and base[0] not in _GENERIC_WORDS:
        out.extend(f"{g} {' '.join(base)}" for g in _GENERIC_PREFIXES)
    return tuple(v for v in dict.fromkeys(out) if v and v != k)


def strip_admin_suffix(name: str) -> tuple[str, str | None]:
    """``"Anbar province"`` -> ``("Anbar", "province")``; names without one are returned as is."""
    low = name.lower().strip()
    for p in _ADMIN_PREFIX:
        if low.startswith(p) and len(low) > len(p) + 1:
            return name.strip()[len(p) :].strip(), p.split()[0]
    for suf in ADMIN_SUFFIXES:
        if low.endswith(" " + suf) and len(low) > len(suf) + 2:
            return name.strip()[: -len(suf) - 1].strip(" -,"), suf
    return name, None
