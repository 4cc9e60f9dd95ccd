"""The clauses of a sentence that each tell an event candidate: a sentence is cut at ";",
before ", including" where what it lists are acts of their own, and at an "and" between two
dated acts; the words that open a sentence about the victims of an act already told; and
the second act a clause tells beside the one it is coded as.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from fftrack.extract.event_types import score_clause
from fftrack.extract.taxonomy import BATTLES, EXPLOSIONS, STRATEGIC, type_of
from fftrack.nlp.docview import doc_tokens, ents_within

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan


def clauses(sent: SpacySpan) -> list[tuple[int, int, list[Any]]]:
    """Cut a sentence at semicolons, before ", including" that lists acts, and at an "and"
    between two dated acts: (start_char, end_char, tokens).

    "IS claimed a string of attacks this year, including the March attack that killed
    four; the bombing in Manchester ..." holds a claim and two attacks."""
    out: list[tuple[int, int, list[Any]]] = []
    cur: list[Any] = []
    dates = [e.start for e in ents_within(sent.doc, sent.start, sent.end) if e.label_ == "DATE"]
    for tok in doc_tokens(sent.doc)[sent.start : sent.end]:
        if tok.lower_ == "and" and cur and _two_dated_acts(tok, dates):
            out.append((cur[0].idx, cur[-1].idx + len(cur[-1].text), cur))
            cur = []
            continue
        if tok.lower_ == "including" and cur and cur[-1].text == "," and _lists_acts(tok):
            cur = cur[:-1]
            if cur:
                out.append((cur[0].idx, cur[-1].idx + len(cur[-1].text), cur))
            cur = [tok]
            continue
        if tok.text == ";" and cur:
            out.append((cur[0].idx, cur[-1].idx + len(cur[-1].text), cur))
            cur = []
            continue
        cur.append(tok)
    if cur:
        out.append((cur[0].idx, cur[-1].idx + len(cur[-1].text), cur))
    return out


# "30 of the dead were found in two mass graves", "most of the victims were Alawites":
# the victims of the act just told, more of it
OF_THE_DEAD = re.compile(
    r"\W*(?:\w+\s+){1,2}(?:of|among)\s+(?:the|those)\s+(?:\w+\s+)?"
    r"(?:dead|victims|bodies|killed|wounded|injured|casualties)\b",
    re.I,
)


def _lists_acts(including: Any) -> bool:
    """ "a string of attacks, including the March attack that killed four", "150 soldiers
    were killed, including 51 who were summarily executed": what "including" lists tells
    acts of its own (a verb, or a word of an act). "The bodies of 46 civilians, including
    15 women, were discovered", "killing 106 civilians, including women and children, by
    shooting them": a list of victims inside the clause, which goes on after it."""
    told = [t for t in including.subtree if t.i != including.i]
    if any(t.pos_ == "VERB" for t in told):
        return True
    phrase = " ".join(t.text for t in told)
    return bool(phrase) and bool(score_clause(phrase)[1])


def _two_dated_acts(cc: Any, dates: list[int]) -> bool:
    """ "seven civilians were killed when an air strike hit X on 17 October and three
    civilians were killed in an air strike on 16 October": an "and" before a clause of
    its own (a conjoined verb with its subject after the "and"), with a date on each side,
    tells two acts."""
    if cc.dep_ != "cc" or not any(d < cc.i for d in dates) or not any(d > cc.i for d in dates):
        return False
    for v in cc.doc[cc.i + 1 : min(cc.sent.end, cc.i + 12)]:
        if v.pos_ in ("VERB", "AUX") and v.dep_ not in ("aux", "auxpass"):
            return v.dep_ in ("conj", "ccomp", "parataxis") and any(
                c.dep_ in ("nsubj", "nsubjpass") and cc.i < c.i < v.i for c in v.children
            )
    return False


CO_EVENT_MIN_WEIGHT = 2.0


def second_act(
    triggers: Sequence[tuple[int, int, str, float]], text: str, wanted: Callable[[str], bool]
) -> tuple[str, str, str] | None:
    """(type, sub-type, trigger text) of the strongest trigger of the clause, of a sub-type
    ``wanted``, strong enough to tell an act of its own."""
    best: tuple[float, int, int, str] | None = None
    for a, b, sub, w in triggers:
        if sub == "TERRITORY" or w < CO_EVENT_MIN_WEIGHT or not wanted(sub):
            continue
        if any(a2 <= a and b <= b2 and b2 - a2 > b - a for a2, b2, _, _ in triggers):
            continue  # "shot down a helicopter": a word of another act's phrase, no act
        if best is None or w > best[0]:
            best = (w, a, b, sub)
    if best is None:
        return None
    return type_of(best[3]), best[3], text[best[1] : best[2]]


def told_beside_a_claim(sub: str) -> bool:
    return sub not in ("Attribution", "Other") and type_of(sub) == STRATEGIC


def co_event(
    triggers: Sequence[tuple[int, int, str, float]], start: int, end: int, text: str, etype: str
) -> tuple[str, str, str] | None:
    """A second act the clause tells beside the coded one: fighting and air strikes or
    shelling in one breath ("heavy clashes took place ... with warplanes carrying out
    airstrikes") are two events to a coder, a battle and a remote-violence event. Only
    between those two types, from a trigger of its own; the toll stays with the first."""
    if etype not in (BATTLES, EXPLOSIONS):
        return None
    act = second_act(
        triggers, text, lambda sub: type_of(sub) in (BATTLES, EXPLOSIONS) and type_of(sub) != etype
    )
    if act is not None and etype == BATTLES:
        # "Peshmerga forces backed by U.S. airstrikes seize control of Sinjar": the strikes
        # are the support of the fighting told, not an act of their own
        at = text.find(act[2], start, end)
        back = _BACKED_BY.search(text, max(start, at - 50), at + len(act[2]))
        if back is not None and back.end() >= at + len(act[2]):
            return None
    return act


# support told as a means of the act ("backed by U.S. airstrikes", "with the support of
# Russian warplanes", "under the cover of artillery fire")
_BACKED_BY = re.compile(
    r"\b(?:backed|supported|aided|assisted|covered|helped) by (?:[\w.']+[- ]){0,3}\w+|"
    r"\bwith the (?:\w+ )?(?:support|help|backing|cover) of (?:[\w.']+[- ]){0,3}\w+|"
    r"\bunder (?:the )?cover of (?:[\w.']+[- ]){0,3}\w+",
    re.I,
)


__all__ = ["OF_THE_DEAD", "clauses", "co_event", "second_act", "told_beside_a_claim"]
