"""Which triggers of a clause tell an act of their own, read the way a report is coded
(CODING.md) or the way a note is (ACLED's notes): the vetoes ``extract_events`` applies
beside the realis of the parse. Pure functions over the parsed doc and the clause text."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from fftrack.extract.event_types import agreement_told_of
from fftrack.extract.lexicon import SHOT_DOWN
from fftrack.extract.realis import reaction_to_told, withdrawal_decided

if TYPE_CHECKING:
    from spacy.tokens import Doc


# forces arriving, sent, massed or pulled back: what a report tells as a movement record
_FORCES_MOVED = re.compile(
    r"arriv|dispatch|reinforc|sent\b|forward|deploy|(?:new|first) batch|"
    r"mass|amass|mobili",
    re.I,
)


def in_a_report(
    sdoc: Doc, cs: int, ctext: str, keep: Callable[[int, int, str], bool], a: int, b: int, sub: str
) -> bool:
    """What a report, read as CODING.md codes it, does not count as an event beside what a
    note does: forces that arrive, are sent, massed or pulled back ("ISIL dispatched 1,500
    fighters to the region as reinforcements") are a movement, coded as one, not a change
    to the group (a note's "reinforcements arrived" stays ACLED's); a pact already named
    that the clause says something else of ("the agreement was rendered obsolete") is no
    agreement (CASE 2021's sentences count every pact they name); an act named as what
    came before ("following their suicide attacks", "the mortar attack earlier in the
    day") or reacted to ("condemning these airstrikes") is the act told before; an aircraft
    shot down is disrupted weapons use where no fighting is told beside it; a withdrawal
    ordered or announced is a policy."""
    if sub == "Change to group/activity" and _FORCES_MOVED.match(ctext, a):
        return False
    if _TOLD_BEFORE.search(ctext, max(0, a - 50), a) or reaction_to_told(sdoc, cs + a, cs + b):
        return False  # "following their unsuccessful suicide attacks, the militants stormed"
    if _DEFINITE_BEFORE.search(ctext, max(0, a - 30), a) and _EARLIER_TOLD.match(ctext, b):
        return False  # "the mortar attack targeting the town earlier in the day was launched"
    if _BARE_DEFINITE.search(ctext, max(0, a - 10), a) and _WHY_TOLD.match(ctext, b):
        return False  # "... and the attack was in response": the act told before, explained
    if _SHOT_DOWN.match(ctext, a) and sub in ("Armed clash", "Disrupted weapons use"):
        # "al-Nusra shot down a helicopter": disrupted weapons use (ACLED today); "launched
        # another attack on the airbase and shot down a helicopter": part of the fighting
        fought = _FOUGHT.search(ctext) is not None
        if fought != (sub == "Armed clash"):
            return False
    if sub == "Agreement" and agreement_told_of(sdoc, cs + a, cs + b):
        return False
    if sub == "Non-violent transfer of territory" and withdrawal_decided(sdoc, cs + a, cs + b):
        return False  # "Trump ordered the withdrawal of U.S. troops": a policy
    return keep(a, b, sub)


# an act the report has told, named as what came before ("following their suicide attacks",
# "after the airstrikes")
_TOLD_BEFORE = re.compile(
    r"\b(?:following|after)\s+(?:the|their|its|these|those|this|that)\s+(?:[\w-]+\s+){0,5}$",
    re.I,
)
# "the mortar attack targeting the town earlier in the day": an act the report has told
_EARLIER_TOLD = re.compile(
    r"[^,;.]{0,60}?\b(?:earlier (?:in the day|that day|on \w+day|this (?:week|month))|"
    r"the (?:day|night) before|the previous (?:day|night))\b",
    re.I,
)
_DEFINITE_BEFORE = re.compile(r"\b(?:the|this|that)\s+(?:[\w-]+\s+){0,2}$", re.I)
# "the attack was in response", "the bombing came in retaliation": why an act told before
# was done, not another act
_BARE_DEFINITE = re.compile(r"\b(?:the|this|that)\s+$", re.I)
_WHY_TOLD = re.compile(
    r"\s+(?:was|were|is|came)\s+(?:(?:apparently|reportedly|allegedly)\s+)?"
    r"(?:in (?:response|retaliation|revenge)|a (?:response|retaliation)|meant|intended|aimed)\b",
    re.I,
)

_SHOT_DOWN = re.compile(SHOT_DOWN, re.I)
# fighting told beside a shoot-down, or the victims of a fight told before ("killed in it")
_FOUGHT = re.compile(
    r"\b(?:attack\w*|assault\w*|clash\w*|fight\w*|fought|battles?|offensive|storm\w*|"
    r"(?:killed|died|dead) (?:in|during) it)\b",
    re.I,
)


def in_a_note(ctext: str, keep: Callable[[int, int, str], bool], a: int, b: int, sub: str) -> bool:
    """What a note (ACLED's notes of 2018, a brief) codes its own way: a manned aircraft
    shot down is fighting there, not disrupted weapons use."""
    if sub == "Disrupted weapons use" and _SHOT_DOWN.match(ctext, a):
        return False
    return keep(a, b, sub)


__all__ = ["in_a_note", "in_a_report"]
