"""Casualty counts: how many were killed or injured, read off the dependency parse.

"Two tribal fighters and one IS militant were killed" -> 3; "killing 6 civilians,
including 2 women" -> 6; "killed four and injured more than 50 others" -> 4 killed,
more than 50 injured; "No fatalities reported" -> 0; "Unknown fatalities coded as 10"
-> 10 (ACLED's convention). Quantities keep their qualifiers.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from fftrack.extract.dates import MONTH_NAMES, MONTHS
from fftrack.extract.quantities import find_quantities
from fftrack.nlp.docview import doc_text
from fftrack.records import Quantity

if TYPE_CHECKING:
    from spacy.tokens import Token

KILL_LEMMAS = {
    "kill", "die", "execute", "behead", "assassinate", "massacre", "slay", "murder", "slaughter",
    "perish", "dead", "death", "fatality", "body", "corpse", "martyr", "killing",
}  # fmt: skip
INJURE_LEMMAS = {"injure", "wound", "hurt", "injury", "maim", "injured", "wounded"}

_NO_FAT = re.compile(
    r"\b(?:no|neither|nor|without|zero)\b[^.;]{0,40}?\b(?:fatalit|casualt|deaths?\b|killed|dead)"
    r"|\bno one was (?:killed|hurt|injured)|\bno(?:body| one) (?:was|were) killed"
    r"|\bno (?:reported )?(?:human )?(?:losses|victims)",
    re.I,
)
_NO_INJ = re.compile(
    r"\b(?:no|neither|nor|without)\b[^.;]{0,40}?\b(?:injur|wound|casualt|hurt)", re.I
)
_CODED = re.compile(
    r"(?:fatalities|deaths|casualties)\s+(?:were\s+|are\s+)?coded\s+as\s+(\d+)", re.I
)
_N_FAT = re.compile(
    r"(?P<q>(?:at least|more than|over|about|around|up to|nearly|some)\s+)?(?P<n>\d+|[a-z]+)"
    r"\s+(?:reported\s+)?(?:fatalities|deaths|dead|people dead|killed)\b",
    re.I,
)

_PASSIVE_KILL = re.compile(
    r"\b(?:were|was|been|are|is)\s+(?:\w+\s+)?(?:killed|dead|executed|shot dead)\b", re.I
)
_PASSIVE_INJ = re.compile(
    r"\b(?:were|was|been|are|is)\s+(?:\w+\s+)?(?:injured|wounded|hurt)\b", re.I
)


def _before_passive(text: str, pattern: re.Pattern[str]) -> Quantity | None:
    """When the parse fails: the numbers between the last comma or full stop and
    "were killed" ("Two SDF fighters and one IS militant were killed" -> 3)."""
    for m in pattern.finditer(text):
        before = text[: m.start()]
        cut = max(before.rfind("."), before.rfind(","), before.rfind(";"))
        chunk = before[cut + 1 :]
        qs = [
            f.quantity
            for f in find_quantities(chunk)
            if not re.fullmatch(r"(?:19|20)\d\d", (f.quantity.text or "").strip())
            and not _DAYS_BEFORE_MONTH.match(chunk, f.end)
        ]
        if qs:
            return _sum(qs)
    return None


# "26 and 29" of "between 26 and 29 March 17 soldiers": the days of a date, not a count
_DAYS_BEFORE_MONTH = re.compile(
    r"\s*(?:(?:and|to|-|–|—)\s*\d{1,2}\s*)?(?:"
    + MONTH_NAMES
    + r")\b(?!\s+(?:have|be|not)\b)",  # "3 may have been killed" is a count
    re.I,
)
_KILLED_N = re.compile(
    r"\b(?:killed|killing|killing of|death of|deaths of|shot dead|gunned down)\s+((?:at least|more than|over|some|about|around|up to|as many as)?\s*[\w,.-]+)",
    re.I,
)
_LEAVING = re.compile(
    r"\bleaving\s+((?:at least|more than|over|some|about|around|up to)?\s*[\w,.-]+)\s+(?:\w+\s+){0,3}(?:dead|killed)\b",
    re.I,
)
# "the bodies of 70 civilians", "the bodies of at least 12 people": a toll of the dead
_BODIES = re.compile(
    r"\bbodies of ((?:at least|more than|over|some|about|around|up to|nearly)?\s*[\w,.-]+)|"
    r"\b((?:at least|more than|over|some|about|around|up to|nearly)?\s*[\d,]+) bodies\b",
    re.I,
)
_KILLED_ONE = re.compile(
    r"\b(?:killed|killing|shot dead|gunned down|assassinated|executed)\s+(?:a|an)\s+(?!number\b|total\b)\w+",
    re.I,
)
# "the death toll is 22", "the toll rose to 30", "with a death toll as high as 80": a toll
# stated as such (the quantity must follow at once)
_TOLL_STATED = re.compile(
    r"\b(?:(?:death|casualty|fatality)\s+toll|number\s+of\s+(?:the\s+)?(?:dead|deaths|"
    r"fatalities|(?:those|people|persons|victims|civilians)\s+(?:killed|dead)))\b"
    r"(?:\s+(?:has|had|have|now|later|then|officially|reportedly|subsequently|since|been|"
    r"was|were|is))*"
    r"(?:\s+(?:rose|risen|climbed|increased|jumped|reached|hit|stood|stands|stand|is|was|"
    r"were|of|updated|revised|raised|put))?(?:\s+(?:to|at))?\s+"
    # "the number of minority civilians confirmed killed in the attack on X had risen to
    # 32": who and where between, so only a rise to a figure
    r"|\bnumber\s+of\s+(?:[\w-]+\s+){0,3}?(?:(?:confirmed|reported|known)\s+)?"
    r"(?:killed|dead)\b[^.;:]{0,80}?\s(?:(?:has|had|have)\s+(?:now\s+)?"
    r"(?:risen|climbed|increased|grown|reached)|rose|climbed|grew)\s+to\s+",
    re.I,
)
# a toll of a whole war or campaign, not of one act
_TOLL_OF_WHOLE = re.compile(
    r"\b(?:overall|total|cumulative|combined)\s+(?:death\s+)?toll"
    r"|\btoll\s+(?:of|from|in)\s+(?:the\s+)?(?:\w+\s+)?(?:war|conflict|campaign|offensive|"
    r"siege|crisis|insurgency|uprising|fighting|year|month|decade)s?\b",
    re.I,
)
RESTATED = re.compile(
    r"\b(?:toll|total|in all|altogether|overall|bringing|rose to|among them|including)\b", re.I
)
# a count over several places ("in three Alawite villages", "across 12 towns"): not the
# toll of the one act at one place
_SEVERAL_PLACES = re.compile(
    r"\b(?:in|across|throughout)\s+(?:the\s+)?(?:two|three|four|five|six|seven|eight|nine|"
    r"ten|several|many|\d+)\s+(?:[A-Z][\w'-]*\s+)?(?:villages|towns|cities|areas|provinces|"
    r"districts|neighbou?rhoods|governorates|regions|countries)\b"
)
_SUBJ = ("nsubjpass", "nsubj")
_RANGE_PREPS = frozenset({"between", "over", "about", "around", "nearly"})
_OBJ = ("dobj", "obj", "attr", "oprd")


_DAY_JOINERS = frozenset({"and", "to", "-", "–", "—"})


def _day_of(tok: Token) -> bool:
    """A number that is the day of a date ("17" of "17 October 2014"): the model's DATE,
    next to a month name (a DATE "between 38" is still a count)."""
    if tok.ent_type_ != "DATE":
        return False
    doc = tok.doc
    if tok.i > 0 and doc[tok.i - 1].lower_.rstrip(".") in MONTHS:
        # "17" of "March 17", but not of "29 March 17 soldiers": that date has its day
        return not (tok.i > 1 and doc[tok.i - 2].like_num)
    # "26" of "between 26 and 29 March": the days of a range before their month
    j = tok.i + 1
    while j < min(len(doc), tok.i + 4) and (doc[j].like_num or doc[j].lower_ in _DAY_JOINERS):
        j += 1
    return j < len(doc) and doc[j].lower_.rstrip(".") in MONTHS


def _count_after_date(tok: Token) -> Token | None:
    """The number just before a noun that the parse hung on a date ("on 17 and 18 October
    three civilians", "between 26 and 29 March 17 soldiers"): the noun's count."""
    if tok.i == 0:
        return None
    prev = tok.doc[tok.i - 1]
    if not prev.like_num or _day_of(prev) or (len(prev.text) == 4 and prev.text.isdigit()):
        return None
    if prev.head.i == tok.i or prev.head.lower_.rstrip(".") not in MONTHS:
        return None
    return prev


def _np_count(tok: Token) -> Quantity | None:
    """The count a noun phrase headed by ``tok`` gives ("22 people" -> 22, "a fighter" -> 1)."""
    if tok.pos_ == "NUM" or tok.like_num:
        if _day_of(tok):
            return None
        start = tok.left_edge.idx
        text = doc_text(tok.doc)[start : tok.idx + len(tok.text)]
        found = find_quantities(text)
        return found[-1].quantity if found else None
    left = [t for t in tok.lefts]
    # the day of a date the parse hangs on the noun ("on 17 October and three civilians")
    # is no count
    nums = [t for t in left if (t.dep_ in ("nummod", "quantmod") or t.like_num) and not _day_of(t)]
    if not nums:
        after = _count_after_date(tok)
        nums = [after] if after is not None else []
    if nums:
        a = min(t.left_edge.idx for t in nums)
        b = max(t.right_edge.idx + len(t.right_edge.text) for t in nums)
        prep = tok.head
        if (
            tok.dep_ == "pobj"
            and prep.lower_ in _RANGE_PREPS
            and not doc_text(tok.doc)[prep.idx + len(prep.text) : a].strip()
        ):
            a = min(a, prep.idx)  # "killed between 38 and 67 civilians", not "between 26
            # and 29 March 17 soldiers"
        found = find_quantities(doc_text(tok.doc)[a:b])
        if found:
            return found[0].quantity
    # "dozens of civilians", "a number of soldiers": the noun is the object of "of"
    if tok.dep_ == "pobj" and tok.head.lower_ == "of":
        head = tok.head.head
        found = find_quantities(
            doc_text(tok.doc)[head.left_edge.idx : head.idx + len(head.text) + 3]
        )
        if found:
            return found[0].quantity
    # "killed dozens of soldiers": the count is the head noun
    for child in tok.rights:
        if child.lower_ == "of":
            found = find_quantities(doc_text(tok.doc)[tok.left_edge.idx : child.idx + 2])
            if found:
                return found[0].quantity
    if tok.lower_ in ("family", "group") and tok.tag_ == "NN":
        # "killed a family of three"
        for child in tok.rights:
            if child.lower_ == "of":
                for obj in child.children:
                    if obj.dep_ == "pobj" and obj.like_num:
                        found = find_quantities(obj.text)
                        if found:
                            return found[0].quantity
    if tok.lower_ in ("total", "number", "toll"):
        # "a total of 8 soldiers and 19 militants"
        for child in tok.rights:
            if child.lower_ == "of":
                objs = [o for o in child.children if o.dep_ == "pobj"]
                if objs:
                    parts = [_np_count(o) for o in (objs[0], *objs[0].conjuncts)]
                    got = [x for x in parts if x is not None]
                    if got:
                        return _sum(got)
        return None
    dets = [t for t in left if t.dep_ == "det" and t.lower_ in ("a", "an", "one", "another")]
    if dets and tok.tag_ in ("NN", "NNP"):
        return Quantity(1, "exact", text=f"{dets[0].text} {tok.text}")
    if tok.lower_ in ("another", "one"):
        return Quantity(1, "exact", text=tok.text)
    if tok.pos_ == "PROPN" and tok.ent_type_ == "PERSON":
        # "Umar Asad, a leader of the group, was killed": one named person
        return Quantity(1, "exact", text=tok.text)
    if tok.tag_ in ("NN", "NNP") and tok.pos_ in ("NOUN", "PROPN") and not left:
        return None
    if tok.lower_ in ("himself", "herself", "him", "her"):
        return Quantity(1, "exact", text=tok.text)
    definite = [t for t in left if t.dep_ in ("det", "poss") and t.lower_ in _ONE_DET]
    if definite and tok.tag_ == "NN" and tok.lemma_.lower() not in _NOT_ONE:
        # "the suspect was killed by police", "its commander was killed": one person
        return Quantity(1, "exact", text=f"{definite[0].text} {tok.text}")
    return None


_ACT_NOUNS = frozenset({"massacre", "killing", "slaughter", "murder", "execution", "death"})


def _counted(tok: Token) -> bool:
    """Whether a number stands on the noun ("two killings"), not only an article."""
    return any(t.dep_ in ("nummod", "quantmod") or t.like_num for t in tok.lefts)


_ONE_DET = frozenset({"the", "this", "that", "his", "her", "its", "their"})
# singular nouns that name many people or a part of them ("the rest were killed")
_NOT_ONE = frozenset({
    "rest", "majority", "minority", "remainder", "number", "total", "toll", "bulk", "half",
    "population", "crowd", "family", "group", "unit", "convoy", "team", "crew", "staff",
    "army", "force", "garrison", "battalion", "brigade", "company", "squad", "platoon",
    "village", "town", "city", "community", "people", "police", "militia", "clan", "tribe",
    "couple", "pair", "dozen", "score", "hundred", "thousand", "lot", "most", "all",
})  # fmt: skip


def _sum(qs: list[Quantity]) -> Quantity | None:
    if not qs:
        return None
    if len(qs) == 1:
        return qs[0]
    total = sum(q.value for q in qs)
    quals = {q.qualifier for q in qs}
    qual = qs[0].qualifier if len(quals) == 1 else "at_least"
    return Quantity(total, qual, text=" + ".join(q.text or str(q.value) for q in qs))


def _victims(verb: Token) -> list[Any]:
    """The noun tokens a kill/injure verb applies to (subject if passive, else object)."""
    out = []
    kids = list(verb.children)
    # "killed between 38 and 67 civilians": the parse hangs the count on a preposition
    ranged = [
        o
        for p in kids
        if p.dep_ == "prep" and p.lower_ in _RANGE_PREPS
        for o in p.children
        if o.dep_ == "pobj" and any(t.like_num for t in o.lefts)
    ]
    passive = any(c.dep_ == "auxpass" for c in kids) or (
        verb.tag_ == "VBN" and not ranged and not any(c.dep_ in _OBJ for c in kids)
    )
    if passive:
        out = [c for c in kids if c.dep_ in _SUBJ]
        if not out and verb.dep_ in ("acl", "amod") and verb.head.pos_ in ("NOUN", "PROPN", "NUM"):
            out = [verb.head]
        if not out and verb.dep_ == "conj":
            # "one was killed and another wounded"
            head = verb.head
            out = [c for c in head.children if c.dep_ in _SUBJ]
            out = [c for c in verb.children if c.dep_ in _SUBJ] or out
    else:
        # "left 14 civilians dead": "dead" is said of the object, not counted itself
        out = [c for c in kids if c.dep_ in _OBJ and not (c.dep_ == "oprd" and c.lower_ == "dead")]
        out = out or ranged
        if not out and verb.lemma_ == "die":
            out = [c for c in kids if c.dep_ in _SUBJ]
            if not out and verb.dep_ == "conj":
                # "X led the group and died in the fighting": the subject of the first verb
                out = [c for c in verb.head.children if c.dep_ in _SUBJ]
    full = []
    for t in out:
        full.append(t)
        full.extend(c for c in t.conjuncts if c.i > t.i)
    return full


def _shot_dead(tok: Token) -> bool:
    """ "shot dead": "dead" on the verb, or read onto its object ("shot dead three women");
    "shot (or beaten, stabbed) to death"."""
    if any(c.lower_ == "dead" for c in tok.children):
        return True
    if any(
        c.dep_ == "prep" and c.lower_ == "to" and any(g.lemma_ == "death" for g in c.children)
        for c in tok.children
    ):
        return True
    return any(
        c.dep_ in ("dobj", "obj") and any(g.lower_ == "dead" and g.i < c.i for g in c.children)
        for c in tok.children
    )


# what may stand before the count of "left (its) two pilots dead"
_LEFT_DET = re.compile(r"\s*(?:(?:its|their|his|her|the)\s+)?", re.I)


def _left_dead(tok: Token) -> tuple[Quantity, list[int]] | None:
    """ "left 14 civilians dead", "left between 14 and 19 shoppers dead": the count told
    just after "left", before the "dead" the parse hangs on it (as its object's predicate
    or as a clause of its own); with the indices of the tokens it covers."""
    for c in tok.doc[tok.i + 1 : tok.i + 10]:
        if c.lower_ == "dead" and c.head.i in (tok.i, *(t.i for t in tok.children)):
            text = doc_text(tok.doc)[tok.idx + len(tok.text) : c.idx]
            found = find_quantities(text)
            if found and _LEFT_DET.fullmatch(text[: found[0].start]):
                return found[0].quantity, list(range(tok.i, c.i + 1))
    return None


def _fatally(tok: Token) -> bool:
    """ "mortally wounded", "fatally injured": a wound that killed."""
    return tok.lemma_.lower() in INJURE_LEMMAS and any(
        c.dep_ == "advmod" and c.lower_ in ("mortally", "fatally") for c in tok.children
    )


def count_for(tokens: list[Any], lemmas: set[str]) -> Quantity | None:
    """Sum of the counts attached to the trigger tokens with one of ``lemmas``."""
    qs: list[Quantity] = []
    wide: list[Quantity] = []
    seen: set[int] = set()
    for tok in tokens:
        lemma = tok.lemma_.lower()
        fatal = _fatally(tok)
        if "kill" not in lemmas and fatal:
            continue  # "mortally wounded": a death, not an injury
        if lemma not in lemmas and tok.lower_ not in lemmas:
            # "shot dead", "gunned down", "mortally wounded" count as killing
            if not (
                "kill" in lemmas
                and (
                    (lemma == "shoot" and _shot_dead(tok))
                    or (lemma == "gun" and any(c.lower_ == "down" for c in tok.children))
                    or lemma == "leave"
                    or fatal
                )
            ):
                continue
        if lemma == "leave":
            # "left 14 civilians dead": the count before the "dead"
            left = _left_dead(tok) if tok.i not in seen else None
            seen.add(tok.i)
            if left is not None:
                qs.append(left[0])
                seen.update(left[1])
            continue
        q: Quantity | None = None
        if tok.pos_ in ("VERB", "AUX") or tok.tag_ in ("VBN", "VBD", "VBG"):
            parts: list[Quantity] = []
            for v in _victims(tok):
                if v.i in seen:
                    continue
                seen.add(v.i)
                c = _np_count(v)
                if c is None and parts and v.dep_ == "conj" and v.tag_ in ("NN", "NNP"):
                    c = Quantity(1, "exact", text=v.text)  # "a woman and her daughter"
                if c is not None:
                    parts.append(c)
            q = _sum(parts)
            if q is None and tok.dep_ in ("amod", "acl") and tok.head.i not in seen:
                seen.add(tok.head.i)
                q = _np_count(tok.head)
        elif tok.pos_ in ("NOUN", "ADJ", "PROPN"):
            # "3 fatalities", "22 dead", "the dead": count on the noun itself
            if tok.i in seen:
                continue
            seen.add(tok.i)
            q = _np_count(tok)
            if q is not None and tok.lemma_.lower() in _ACT_NOUNS and not _counted(tok):
                q = None  # "the massacre", "a killing": the act, not one victim
            if q is None and tok.dep_ in ("amod", "acomp") and tok.head.pos_ == "NUM":
                q = _np_count(tok.head)
            if q is None:
                # "led to the killing of 7 civilians", "the death of at least two civilians"
                for prep in tok.children:
                    if prep.dep_ == "prep" and prep.lower_ == "of":
                        for obj in prep.children:
                            if obj.dep_ == "pobj" and obj.i not in seen:
                                seen.add(obj.i)
                                counted = [_np_count(o) for o in (obj, *obj.conjuncts)]
                                q = _sum([x for x in counted if x is not None])
        if q is not None:
            if _SEVERAL_PLACES.search(tok.sent.text):
                wide.append(q)  # "30 civilians overall in three villages": a wider total
            else:
                qs.append(q)
    qs = qs or wide
    # distinct killings in one event add up ("killed one civilian ... another civilian
    # was killed"); a restated toll ("the death toll rose to") is the largest one
    if not qs:
        return None
    if len(qs) > 1 and not RESTATED.search(" ".join(t.text for t in tokens)):
        return _sum(qs)
    return max(qs, key=lambda x: x.value)


_YEAR = re.compile(r"(?:19|20)\d\d")


def toll_phrases(text: str) -> list[tuple[int, int]]:
    """Where ``text`` states a toll as such ("the number of those killed was updated to"):
    the offsets of each such phrase."""
    return [m.span() for m in _TOLL_STATED.finditer(text)]


def stated_toll(text: str) -> Quantity | None:
    """The toll a text states as such ("The death toll is 22", "the death toll rose to
    30", "with a death toll as high as 80"); not the toll of a whole war ("the overall
    death toll of the war")."""
    if _TOLL_OF_WHOLE.search(text):
        return None
    best: Quantity | None = None
    for m in _TOLL_STATED.finditer(text):
        found = find_quantities(text[m.end() : m.end() + 40])
        if found and found[0].start == 0 and not _YEAR.fullmatch(found[0].quantity.text or ""):
            if best is None or found[0].quantity.value >= best.value:
                best = found[0].quantity
    return best


def fatalities(tokens: list[Any], text: str) -> Quantity | None:
    """Fatalities in a span of text: ACLED conventions, then the parse, then patterns. A
    toll stated as such ("the death toll rose to 30") restates the killings told: the
    larger of the two is kept, never their sum."""
    m = _CODED.search(text)
    if m:
        return Quantity(int(m.group(1)), "about", text=m.group(0))
    q = count_for(tokens, KILL_LEMMAS)
    toll = stated_toll(text)
    if toll is not None and (q is None or toll.value >= q.value):
        return toll
    if q is not None:
        return q
    m = _N_FAT.search(text)
    if m:
        found = find_quantities(m.group(0))
        if found:
            return found[0].quantity
    q = _before_passive(text, _PASSIVE_KILL)
    if q is not None:
        return q
    for pat in (_KILLED_N, _LEAVING):
        m = pat.search(text)
        if m:
            found = find_quantities(m.group(1))
            if found and found[0].start == 0:
                return found[0].quantity
    m = _BODIES.search(text)
    if m:
        found = find_quantities(m.group(1) or m.group(2))
        if found and found[0].start == 0:
            return found[0].quantity
    m = _KILLED_ONE.search(text)
    if m:
        return Quantity(1, "exact", text=m.group(0))
    if _NO_FAT.search(text):
        return Quantity(0, "exact", text=_NO_FAT.search(text).group(0))  # type: ignore[union-attr]
    return None


def injured(tokens: list[Any], text: str) -> Quantity | None:
    q = count_for(tokens, INJURE_LEMMAS)
    if q is not None:
        return q
    q = _before_passive(text, _PASSIVE_INJ)
    if q is not None:
        return q
    m = _NO_INJ.search(text)
    if m:
        return Quantity(0, "exact", text=m.group(0))
    return None


__all__ = ["count_for", "fatalities", "injured"]
