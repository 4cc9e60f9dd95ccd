"""Figures: counts a source reports for groups of people, as researchers count them.

"roughly 40,000 foreign fighters from around the world" -> 40,000 (about), fighters;
"In Britain alone, more than 800 mostly young men joined the group" -> 800 (more_than),
origin GB, group Islamic State; "up to 4,761 women" -> women (at_most); "7,366 have
returned" -> returnees. Every figure is kept: sources disagree by design.

Read from the parse, not from word lists alone:
- the counted noun is the noun the number modifies ("Tunisian fighters"), the noun under
  "dozens of", or, for a bare number, the noun it stands for: the attribute of a copula
  ("of whom 12 were women"), the figure it is part of ("of these", "including 151
  children", "another 20"), the first item of a list ("1,200 from Egypt, 900 from Libya
  and 650 from Algeria" are three figures, each with its origin);
- the category comes from the predicate the people are an argument of (returned,
  detained, killed, fled, wounded) and then from the noun (women, minors, fighters);
- a violence toll of a located or dated incident is the event's, not a figure, unless the
  sentence makes it a total ("since", "as of", "by March", "the toll had risen to");
- percentages are never figures of their own (the count beside them is); vague counts
  follow ACLED ("dozens" 12, "several hundred" 200, at_least) and words that give no
  number ("many", "several", "declined to say how many") give no figure.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from fftrack.extract.figure_args import (
    FIGHT_VERBS,
    TOTAL_VERBS,
    attribution,
    clause_predicates,
    country_code,
    cumulative_cues,
    destination,
    is_toll_predicate,
    nominal_category,
    origin_of,
    person_category,
    predicate_category,
    sentence_origin,
)
from fftrack.extract.quantities import find_quantities, is_numberless
from fftrack.extract.spanlist import spans_starting
from fftrack.extract.timeline import DocDates
from fftrack.nlp.docview import doc_sents, doc_text, ents_within
from fftrack.records import Actor, Document, Figure, Place, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

log = logging.getLogger(__name__)

NAME = "extract.figures.v2"

# nouns that only carry a count: "dozens of fighters", "a force of 2,000 militants"
_CARRIERS = frozenset({
    "dozens", "hundreds", "thousands", "scores", "tens", "millions", "number", "total",
    "force", "batch", "group", "contingent", "handful", "dozen", "hundred", "thousand",
    "estimate", "figure", "some", "of", "army",
})  # fmt: skip
_PARTITIVE_PRONOUNS = frozenset({"whom", "which", "these", "those", "them", "they", "this"})
# agents of these verbs are not their patients ("militants captured the town")
_TRANSITIVE = frozenset({
    "kill", "capture", "detain", "arrest", "imprison", "jail", "execute", "repatriate",
    "displace", "wound", "injure", "abduct", "kidnap", "hold", "apprehend", "intern",
    "uproot", "behead", "massacre", "lose",
})  # fmt: skip
_EVENT_AGENT = frozenset({
    "attack", "storm", "assault", "ambush", "launch", "seize", "capture", "advance",
    "withdraw", "retreat", "surrender", "clash", "kill", "execute", "shell", "overrun",
    "raid", "besiege", "defect", "abduct", "kidnap", "take", "destroy", "target",
})  # fmt: skip
_BAD_ENTS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"})
_PERCENT_AFTER = re.compile(r"\s*(?:%|per\s?cent|percent|pc\b)", re.IGNORECASE)
_MONEY_BEFORE = re.compile(r"(?:[$€£¥]|US\$|USD|EUR)\s*$")
_TOLL_CATEGORIES = frozenset({"killed", "detained", "other"})
_MONTH_NAMES = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_MONTH_AFTER = re.compile(rf"\s+(?:{_MONTH_NAMES})\b")
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTH_NAMES})\s+$")
_ITEM_RE = re.compile(r"(?:[^-;]|-(?!\s)|(?<!\s)-)+")


@dataclass
class _Cand:
    """A figure in the making, kept so later numbers can refer back to it."""

    num: Token  # the number token
    head: Token  # the counted noun (or the number itself)
    category: str
    origin: str | None
    group: str | None
    subject: str
    paragraph: int


def _counted(num: Token) -> tuple[Any, Any, bool]:
    """(the noun a number counts, the top of its phrase, partitive): 'dozens of Tunisian
    fighters' -> (fighters, dozens, False); 'a total of 232 Albanians' -> (Albanians, total);
    '40 of those' -> (40, 40, True)."""
    head, partitive = _counted_noun(num)
    top = head
    for _ in range(3):
        if (
            top.dep_ == "pobj"
            and top.head.lower_ == "of"
            and (top.head.head.lower_ in _CARRIERS or top.head.head == num)
        ):
            top = top.head.head
        else:
            break
    if top.pos_ == "NUM" and top != num and top.dep_ == "nummod":
        top = top.head
    if not (top.left_edge.i <= num.i <= top.right_edge.i):
        top = num  # a counted noun the parser hung elsewhere: the number heads the phrase
    return head, top, partitive


def _counted_noun(num: Token) -> tuple[Any, bool]:
    """(the noun a number counts, partitive): 'more than 800 mostly young men' -> men;
    'dozens of Tunisian fighters' -> fighters; '40 of those' -> (40, True)."""
    t = num
    for _ in range(3):
        if (
            t.dep_ in ("nummod", "quantmod", "compound", "amod", "det", "nmod", "advmod")
            and t.head != t
            and t.head.pos_ in ("NOUN", "PROPN", "NUM", "ADJ")
            and t.head.i > t.i
        ):
            t = t.head
        else:
            break
    if t == num or t.lower_ in _CARRIERS:
        for child in t.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                objs = [o for o in child.children if o.dep_ == "pobj"]
                nxt = t.doc[child.i + 1] if child.i + 1 < len(t.doc) else None
                if not objs and nxt is not None and person_category(nxt) is not None:
                    objs = [nxt]  # "Thousands of Lebanese fight": the parser lost the object
                if objs:
                    o = objs[0]
                    if o.lower_ in _PARTITIVE_PRONOUNS or o.pos_ == "NUM" or (o.pos_ == "PRON"):
                        return t, True
                    if t == num and person_category(o) is None:
                        return t, False
                    return o, t == num and o.lower_ in ("others",)
    return t, False


def _role(arg: Any, pred: Any) -> str:
    """How counted people stand to a predicate: subj (doer), patient, or other."""
    if pred.head == arg and pred.dep_ in ("relcl", "acl"):
        if pred.dep_ == "acl" and pred.tag_ == "VBN":
            return "patient"
        deps = {c.dep_ for c in pred.children if c.lower_ in ("who", "that", "which")}
        if "nsubjpass" in deps:
            return "patient"
        return "subj" if "nsubj" in deps or pred.dep_ == "relcl" else "other"
    t = arg
    while t.dep_ == "conj" and t.head != t:
        t = t.head
    if t.dep_ == "nsubj":
        if (
            t.head == pred
            and pred.tag_ == "VBN"
            and not any(c.dep_ in ("dobj", "aux") for c in pred.children)
        ):
            return "patient"  # "18 were killed and 12 wounded": an elided passive
        return "subj"
    if t.dep_ in ("nsubjpass", "dobj", "oprd", "attr"):
        return "patient"
    return "other"


def _anchored(sent: SpacySpan, places: Sequence[Place], dates: DocDates) -> bool:
    """A sentence about one located or dated incident: a place below country level or a
    date to the day."""
    for p in spans_starting(places, sent.start_char, sent.end_char):
        if (p.precision or 4) < 4:
            if not (p.feature or "").startswith("A.PCL"):
                return True
    for m in dates.within(sent.start_char, sent.end_char):
        if m.label == "DATE" and m.time is not None and m.time.precision == "day":
            return True
    # a day or a part of one the model tagged but the timeline could not place
    # ("on the night of 23/24 January", "that day", "the next morning")
    return any(
        e.label_ in ("DATE", "TIME") and _DAY_WORDS.search(e.text)
        for e in ents_within(sent.doc, sent.start, sent.end)
    )


_DAY_WORDS = re.compile(
    rf"\b\d{{1,2}}(?:/\d{{1,2}})? (?:{_MONTH_NAMES})\b|\b(?:{_MONTH_NAMES}) \d{{1,2}}\b|"
    r"\b(?:night|morning|afternoon|evening|that day|the (?:next|following|same) day)\b",
    re.IGNORECASE,
)


def _skip_number(text: str, start: int, end: int, value: int, qtext: str) -> bool:
    if re.fullmatch(r"(?:19|20)\d\d", qtext.strip()) or value < 2:
        return True
    if text[max(0, start - 1) : start] == "[" or text[end : end + 1] == "]":
        return True  # a reference mark ("territory.[4]")
    if _PERCENT_AFTER.match(text, end) or _MONEY_BEFORE.search(text[max(0, start - 5) : start]):
        return True
    if value <= 31 and (
        _MONTH_AFTER.match(text, end) or _MONTH_BEFORE.search(text[max(0, start - 12) : start])
    ):
        return True  # a day of a month ("By 4 May 1,200 people"), not a count
    return False


def _np_text(text: str, head: Token, lo: int) -> str:
    """The counted group as written: from after the number to the end of the noun."""
    a = max(lo, head.left_edge.idx)
    b = head.idx + len(head.text)
    s = text[a:b].strip() if b > a else head.text
    return re.sub(r"^(?:of\s+)", "", s) or head.text


def extract_figures(
    sdoc: Doc,
    document: Document,
    places: Sequence[Place],
    actors: Sequence[Actor],
    exclude: Sequence[tuple[int, int]] = (),
    dates: DocDates | None = None,
) -> list[Figure]:
    """Figures read from one parsed document; ``exclude`` are the spans of located events
    (their numbers are tolls, kept only where the sentence states a total)."""
    if dates is None:
        dates = DocDates(sdoc, document)
    text = document.text
    out: list[Figure] = []
    cands: list[_Cand] = []
    stexts = doc_text(sdoc)
    for sent in doc_sents(sdoc):
        s0 = sent.start_char
        stext = stexts[s0 : sent.end_char]  # sent.text, without joining its tokens again
        found = [
            f
            for f in find_quantities(stext)
            if not is_numberless(f.quantity)
            and not _skip_number(stext, f.start, f.end, f.quantity.value, f.quantity.text or "")
        ]
        if not found:
            continue
        # list items run together in one "sentence" ("... 30 killed. - Between 2 and 3 May
        # ..."): a total is read within the item that holds the number
        items = [(m.start(), m.end()) for m in _ITEM_RE.finditer(stext)]
        item_cues = [[(x + c0, x + c1) for c0, c1 in cumulative_cues(stext[x:y])] for x, y in items]
        anchored = _anchored(sent, places, dates)
        coarse_date = any(
            m.label == "DATE" and m.time is not None and m.time.precision in ("month", "year")
            for m in dates.within(sent.start_char, sent.end_char)
        )
        paragraph = text.count("\n\n", 0, s0)
        sent_cands: list[_Cand] = []
        gone: set[int] = set()  # tokens of this sentence's counts that gave no figure
        for f in found:
            a, b = s0 + f.start, s0 + f.end
            q = f.quantity
            cues = [
                c
                for (x, y), cs in zip(items, item_cues, strict=True)
                if x <= f.start < y
                for c in cs
            ]
            excluded = any(not (b <= x or a >= y) for x, y in exclude)
            span = sdoc.char_span(a, b, alignment_mode="expand")
            if span is None:
                continue
            nums = [t for t in span if t.pos_ == "NUM" or t.like_num]
            # the number that attaches outside the quantity ("27,000-31,000 fighters")
            outward = [t for t in nums if not (span.start <= t.head.i < span.end)]
            num = outward[0] if outward else (nums[-1] if nums else span.root)
            if num.ent_type_ in _BAD_ENTS:
                _dropped(q, a, f"a {num.ent_type_}")
                continue
            cumulative = any(_in_clause(sdoc, s0 + c0, num) for c0, _ in cues)
            head, top, partitive = _counted(num)
            bare = head == num or head.pos_ == "NUM"
            parent = _parent(num, head, partitive, bare, sent_cands, cands, paragraph)
            of_dead = _of_dead(num)
            if bare and num.dep_ == "nummod" and num.head.i < num.i:
                # "By 18 December 879 people were wounded": the parser hung the number
                # on the date; it counts the noun right after it
                nxt = num.doc[num.i + 1] if num.i + 1 < len(num.doc) else None
                if nxt is not None and nxt.pos_ == "NOUN" and person_category(nxt) is not None:
                    head = top = nxt
                    bare = False
            if bare:
                # "of whom 12 were women": the copula's attribute is the counted noun
                if num.dep_ == "nsubj" and num.head.lemma_ == "be":
                    attrs = [c for c in num.head.children if c.dep_ == "attr"]
                    if attrs and person_category(attrs[0]) is not None:
                        head = top = attrs[0]
                        bare = False
            if bare and _total_to(num):
                # "raising the total civilians killed ... to 18": the total counts them
                who = _total_of(num)
                if who is not None:
                    head = top = who
                    bare = False
            ncat = None if bare else person_category(head)
            if not bare and ncat is None or _member_of_body(head):
                if _member_of_body(head) or (
                    head.lemma_.lower() not in ("toll", "count", "tally")
                    and head.lower_ not in _CARRIERS
                ):
                    _dropped(q, a, "counts things, not people")
                    continue
            arg = num if bare else top
            preds = clause_predicates(arg)
            if not bare and top != head:
                preds = preds + [c for c in head.children if c.dep_ in ("relcl", "acl")]
            vcat, vpred = predicate_category(preds)
            if vcat is None:
                vcat, vpred = nominal_category(arg)  # "the killing of 30 civilians"
            role = _role(arg, vpred) if vpred is not None else "other"
            if vpred is not None and role == "subj" and vpred.lemma_.lower() in _TRANSITIVE:
                vcat = None  # the people did the killing or capturing
            # people doing an event's deed are its participants, not a count of a group
            agent_of = next(
                (p for p in preds if p.lemma_.lower() in _EVENT_AGENT and _role(arg, p) == "subj"),
                None,
            )
            if agent_of is not None and not cumulative:
                _dropped(q, a, f"agent of {agent_of.lemma_}", gone, num, head, top)
                continue
            total_to = _total_to(num)
            if vcat is None and (of_dead or total_to or _is_death_toll(num, any_verb=True)):
                vcat = "killed"
            if not bare and head.lemma_.lower() in ("toll", "count", "tally"):
                vcat = vcat or "killed"
            category = _category(vcat, ncat, parent, _part_of(num, head, bare))
            if category is None and bare and origin_of(num, preds, "", places):
                # a list item of a named group: "1,200 came from Egypt, 900 from Libya"
                category = _antecedent_category(sent, num)
            if category is None:
                _dropped(q, a, "no category", gone, num, head, top)
                continue
            origin = None if bare else origin_of(head, preds, category, places)
            if origin is None and bare:
                origin = origin_of(num, preds, category, places)
            origin = origin or sentence_origin(sent)
            if origin is None and parent is not None:
                origin = parent.origin
            if origin is None:
                origin = _antecedent_origin(sent, num, category, places)
            own_origin = origin is not None
            if origin is None:
                origin = _paragraph_origin(cands, paragraph) or _section_origin(text, s0)
            sure = (cumulative or total_to) and not _one_incident(num, vpred)
            toll = vcat in _TOLL_CATEGORIES and (is_toll_predicate(vpred) or vcat == "killed")
            if parent is None and (of_dead or _part_of(num, head, bare)):
                # "16 of the dead", "including 27 rebels" where the whole is no figure
                # (an incident's toll): a part of that toll
                if (not sure and not sent_cands) or _owner_gone(num, head, bare, gone):
                    _dropped(q, a, "part of a count that is no figure", gone, num, head, top)
                    continue
            if toll and not sure:
                # an incident's toll unless nothing ties it to one incident and the
                # sentence dates it only to a month or year, or counts a national group
                foreign = not bare and any(c.lower_ == "foreign" for c in head.lefts)
                if anchored or excluded or not (coarse_date or own_origin or foreign):
                    _dropped(
                        q, a, f"incident toll ({anchored=}, {excluded=})", gone, num, head, top
                    )
                    continue
            elif excluded and not sure and anchored and not _stock_clause(preds):
                _dropped(q, a, "inside a located event", gone, num, head, top)
                continue
            if (
                category == "fighters"
                and vcat is None
                and not sure
                and not _fighters_stock(head, top, preds, own_origin, anchored)
            ):
                # "the 40 militants in the village": an incident's participants
                _dropped(q, a, "participants, not a stock", gone, num, head, top)
                continue
            if q.value < 10 and not bare and any(c.lower_ == "the" for c in head.children):
                _dropped(q, a, "a few definite people", gone, num, head, top)
                continue
            if (
                (q.upper or q.value) < 10
                and not sure
                and parent is None
                and not partitive
                and category in ("fighters", "killed", "detained", "other")
            ):
                # "two suicide bombers", "four soldiers were injured": one incident's people
                _dropped(q, a, "a few people of one incident", gone, num, head, top)
                continue
            group = _group(sent, actors) or (parent.group if parent else None)
            if bare:
                subject = parent.subject if parent is not None else num.text
                fa, fb = a, b
            else:
                subject = _np_text(text, head, b)
                fa = min(a, head.left_edge.idx)
                fb = max(b, head.idx + len(head.text))
            fa, fb = max(fa, sent.start_char), min(fb, sent.end_char)
            cand = _Cand(num, head, category, origin, group, subject, paragraph)
            sent_cands.append(cand)
            conf = 0.5 + (0.15 if ncat or vcat else 0.0) + (0.1 if not bare else 0.0)
            out.append(
                Figure(
                    subject=subject,
                    value=q,
                    span=Span(document.id, fa, fb, sent.start_char, sent.end_char),
                    category=category,
                    origin=origin,
                    destination=destination(stext),
                    group=group,
                    as_of=dates.first(sent.start_char, sent.end_char),
                    attributed_to=attribution(stext),
                    extractor=NAME,
                    confidence=round(min(conf, 0.9), 3),
                )
            )
        cands.extend(sent_cands)
    return out


# clauses of their own: a total stated in one ("up to that point, 40 had been killed")
# is not said of a number in another ("claimed 50 were executed, while ...")
_CLAUSE_DEPS = frozenset({"ccomp", "advcl", "conj", "relcl", "parataxis", "acl"})


def _in_clause(sdoc: Doc, at: int, num: Token) -> bool:
    """Whether the words at ``at`` (a total's cue) are said of the clause holding ``num``:
    no clause of their own lies between them and a clause holding the number."""
    span = sdoc.char_span(at, at + 1, alignment_mode="expand")
    if span is None:
        return True
    t = span[0]
    for _ in range(40):
        if t.dep_ in _CLAUSE_DEPS and t.pos_ in ("VERB", "AUX"):
            if not (t.left_edge.i <= num.i <= t.right_edge.i):
                return False
        if t.head == t:
            break
        t = t.head
    return True


def _dropped(q: Any, at: int, why: str, gone: set[int] | None = None, *toks: Any) -> None:
    """Log why a number gives no figure; ``gone`` keeps its tokens (their parts go too)."""
    log.debug("no figure for %r at %d: %s", q.text, at, why)
    if gone is not None:
        gone.update(t.i for t in toks)


def _is_death_toll(num: Token, any_verb: bool = False) -> bool:
    """'the death toll had risen to 603', 'the toll was updated to 800'; with ``any_verb``
    also 'the death toll is 22' (a toll, but not a running total)."""
    t = num
    if t.dep_ == "pobj":
        t = t.head
    v = t.head
    if v.pos_ not in ("VERB", "AUX"):
        return False
    if not any_verb and v.lemma_.lower() not in TOTAL_VERBS:
        return False
    return any(
        c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in ("toll", "count", "tally")
        for c in v.children
    )


def _total_to(num: Token) -> bool:
    """'rose to 603', 'raising the total ... to 18', 'updated to 800'."""
    t = num
    if t.dep_ != "pobj" and t.head.dep_ == "pobj":
        t = t.head
    if t.dep_ == "pobj" and t.head.lower_ == "to":
        v = t.head.head
        for _ in range(5):  # "raising the total civilians killed by shelling in X to 18"
            if v.lemma_.lower() in TOTAL_VERBS:
                return True
            if v.pos_ in ("VERB", "AUX") and v.dep_ not in ("acl", "pcomp") or v.head == v:
                break
            v = v.head
        return _is_death_toll(num)
    return _is_death_toll(num)


# nouns of one incident: a toll "in the attack", "of the battle for X" is that incident's
_INCIDENT_NOUNS = frozenset({
    "attack", "bombing", "battle", "assault", "raid", "ambush", "explosion", "blast",
    "massacre", "shooting", "strike", "airstrike", "clash", "incident", "stabbing",
})  # fmt: skip


def _one_incident(num: Token, pred: Any) -> bool:
    """A toll of one incident, even when it is said to have risen: 'killed in the battle
    for X', 'the number killed in the attack on Y had risen to 32' (but 'the toll in the
    bombings', 'killed in the campaign' are totals)."""
    heads = [pred] if pred is not None else []
    if num.dep_ == "pobj" and num.head.lower_ == "to":
        heads.append(num.head.head)  # the clause of "had risen to 32"
    for h in heads:
        for t in h.subtree:
            if (
                t.dep_ == "pobj"
                and t.head.lower_ in ("in", "during", "of")
                and t.lemma_.lower() in _INCIDENT_NOUNS
                and t.tag_ == "NN"
                and any(
                    c.dep_ == "det" and c.lower_ in ("the", "a", "this", "that") for c in t.children
                )
            ):
                return True
    return False


# bodies whose members are states or officials, not people of a group under arms
_BODIES = frozenset({
    "coalition", "alliance", "council", "union", "league", "committee", "parliament",
    "assembly", "bloc", "commission", "board", "cabinet", "congress", "senate", "nato",
})  # fmt: skip


def _member_of_body(head: Token) -> bool:
    """'More than 40 members of the Coalition': states or delegates, not affiliates."""
    if head.lemma_.lower() != "member":
        return False
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for o in prep.children:
                if o.dep_ == "pobj" and o.lemma_.lower() in _BODIES:
                    return True
    return False


def _total_of(num: Token) -> Any:
    """The people a running total counts: the object of 'raising the total X ... to N'."""
    v = num.head.head if num.dep_ == "pobj" else num.head
    for _ in range(5):
        if v.lemma_.lower() in TOTAL_VERBS:
            break
        if v.head == v:
            return None
        v = v.head
    else:
        return None
    for c in v.children:
        if c.dep_ in ("dobj", "nsubj") and person_category(c) is not None:
            return c
    return None


def _fighters_stock(
    head: Token, top: Any, preds: Sequence[Any], origin: bool, anchored: bool
) -> bool:
    """Fighters counted as a stock, not as an incident's participants: they went, joined,
    fight, are had or numbered ("Turkey has 1,500 soldiers"), are foreign fighters, or a
    national group in a sentence about no one incident."""
    if any(c.lower_ in ("foreign", "foreigner", "foreigners") for c in head.lefts):
        return True
    if head.lemma_.lower() in ("foreigner",) and not anchored:
        return True
    if top.lower_ in ("force", "army", "total", "contingent"):
        return True
    if _stock_clause(preds):
        return True
    if any(p.lemma_.lower() in FIGHT_VERBS for p in preds):
        return True
    return origin and not anchored


def _stock_clause(preds: Sequence[Any]) -> bool:
    """A predicate of having or being: 'has 1,500 soldiers', 'there are 5,000 troops'."""
    for p in preds:
        lemma = p.lemma_.lower()
        if lemma == "be":
            # "there are 5,000 troops", "are from the town", "believed to be inside"
            kids = list(p.children)
            if any(c.dep_ == "expl" for c in kids) or (
                not any(c.dep_ in ("attr", "acomp") for c in kids)
                and any(c.dep_ == "prep" or c.lower_ in ("there", "here") for c in kids)
            ):
                return True
            continue
        if lemma in _STOCK_VERBS:
            return True
    return False


_STOCK_VERBS = frozenset({
    "have", "number", "total", "estimate", "station", "deploy", "remain", "maintain",
    "train", "include", "comprise", "count", "involve", "send", "join", "enlist", "serve",
    "volunteer",
})  # fmt: skip


def _parent(
    num: Token,
    head: Token,
    partitive: bool,
    bare: bool,
    sent_cands: list[_Cand],
    cands: list[_Cand],
    paragraph: int,
) -> _Cand | None:
    """The figure a number is part of or continues: '40 of these', 'including 151
    children', '650 from Algeria' after '1,200 from Egypt', 'another 20'."""
    t = head if not bare else num
    while t.dep_ == "conj" and t.head != t:
        t = t.head
        for c in sent_cands:
            if t == c.num or t == c.head:
                return c
    if t.dep_ == "pobj" and t.head.lower_ in ("including", "among", "of", "like"):
        owner = t.head.head
        for c in sent_cands:
            if owner == c.head or owner == c.num:
                return c
        if sent_cands and owner.pos_ in ("VERB", "AUX"):
            return sent_cands[-1]  # "the toll had risen to 603, including 172 children"
    if bare and num.dep_ == "npadvmod" and sent_cands:
        return sent_cands[-1]
    another = any(c.lower_ in ("another", "other", "further", "remaining") for c in num.children)
    if partitive or another:
        pool = sent_cands or [c for c in cands[-3:] if c.paragraph == paragraph]
        if pool:
            return pool[-1]
    return None


def _category(
    vcat: str | None, ncat: str | None, parent: _Cand | None, part_of: bool
) -> str | None:
    """Predicate first (returned, detained, killed, fled, wounded), then the noun, then the
    figure this one is part of; None where nothing says who is counted. Parts of a toll
    share its category ("517 people dead, including 151 children": killed)."""
    state = ("killed", "detained", "returnees", "displaced", "other")
    if vcat == "displaced" and ncat == "fighters":
        return "fighters"
    if vcat and vcat != "fighters":
        return vcat
    if part_of and parent is not None and parent.category in state:
        return parent.category
    if ncat:
        return ncat
    if parent is not None and parent.category:
        return parent.category
    if vcat == "fighters":
        return "fighters"
    return None


def _owner_gone(num: Token, head: Token, bare: bool, gone: set[int]) -> bool:
    """The count a part belongs to ('127 of the dead, including 27 rebels') gave no figure."""
    t = num if bare else head
    while t.dep_ == "conj" and t.head != t:
        t = t.head
    for _ in range(4):
        if t.head == t:
            return False
        t = t.head
        if t.i in gone:
            return True
    return False


def _part_of(num: Token, head: Token, bare: bool) -> bool:
    """'including 151 children', '46 women and 46 rebels' after 'including'."""
    t = num if bare else head
    while t.dep_ == "conj" and t.head != t:
        t = t.head
    return t.dep_ == "pobj" and t.head.lower_ in ("including", "among")


_DEAD_WORDS = frozenset({"dead", "killed", "victim", "casualty", "fatality"})


def _of_dead(num: Token) -> bool:
    """'16 of the dead', 'of the 600 reported dead'."""
    for child in num.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for o in child.children:
                if o.lemma_.lower() in _DEAD_WORDS or any(
                    c.dep_ == "amod" and c.lower_ in _DEAD_WORDS for c in o.children
                ):
                    return True  # "of the dead", "of the dead fighters"
    return False


def _antecedent_category(sent: SpacySpan, num: Token) -> str | None:
    """'Of the foreign fighters, 1,200 came from Egypt': a bare number counts the nearest
    group of people named before it in the sentence."""
    for t in reversed(list(sent[: max(0, num.i - sent.start)])):
        if t.pos_ in ("NOUN", "PROPN"):
            cat = person_category(t)
            if cat:
                return cat
    return None


def _antecedent_origin(
    sent: SpacySpan, num: Token, category: str, places: Sequence[Place]
) -> str | None:
    """The origin of the people a bare number stands for: the nearest group of people
    named before it in the sentence ('Macedonian citizens ... and six were killed')."""
    for t in reversed(list(sent[: max(0, num.i - sent.start)])):
        if t.pos_ in ("NOUN", "PROPN") and person_category(t) is not None:
            c = origin_of(t, [], category, places)
            if c:
                return c
    return None


def _paragraph_origin(cands: Sequence[_Cand], paragraph: int) -> str | None:
    """The origin of the paragraph's last figure that has one (a section about one country)."""
    for c in reversed(cands):
        if c.paragraph != paragraph:
            return None
        if c.origin:
            return c.origin
    return None


_HEADING_RE = re.compile(r"(?m)^[ \t]*([A-Z][\w .'-]{1,40}?)[ \t]*$")


def _section_origin(text: str, pos: int) -> str | None:
    """The country a section is about: the nearest heading line before ``pos``, where it
    is a country name ("Spain", "United Kingdom"). A heading that names no country ends
    the last one. Headings of whole lines are read once per text; the line of ``pos`` is
    read up to ``pos``."""
    ends, codes = _headings(text)
    line_start = text.rfind("\n", 0, pos) + 1
    k = bisect_right(ends, line_start) - 1  # headings on the lines before
    last = codes[k] if k >= 0 else None
    for m in _HEADING_RE.finditer(text, line_start, pos):
        line = m.group(1).strip()
        if len(line.split()) <= 4 and not line.endswith("."):
            last = country_code(line)
    return last


@lru_cache(maxsize=8)
def _headings(text: str) -> tuple[list[int], list[str | None]]:
    """End offsets of a text's heading lines and the country each names (or None)."""
    ends: list[int] = []
    codes: list[str | None] = []
    for m in _HEADING_RE.finditer(text):
        line = m.group(1).strip()
        if len(line.split()) <= 4 and not line.endswith("."):
            ends.append(m.end())
            codes.append(country_code(line))
    return ends, codes


def _group(sent: SpacySpan, actors: Sequence[Actor]) -> str | None:
    inside = [a for a in spans_starting(actors, sent.start_char, sent.end_char) if _armed(a)]
    if inside:
        return inside[0].normalized
    if re.search(r"\bjoined the (?:group|organi[sz]ation|movement|caliphate)\b", sent.text):
        before = [a for a in actors if _armed(a) and a.span.end <= sent.start_char]
        if before:
            return before[-1].normalized
    return None


def _armed(a: Actor) -> bool:
    return a.kind == "armed_group" and bool(a.normalized) and a.normalized != "foreign fighters"


__all__ = ["NAME", "country_code", "extract_figures"]
