"""How a sentence of a report tells (or does not tell) an event: a heading or a definition
that names an event told elsewhere, a date of the saying rather than of the act, a mention
that points back to an act already told ("the blast", "25 people were killed", "the device
was detonated in the foyer") rather than telling a new one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from fftrack.extract import counts

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

    from fftrack.extract.timeline import DateMention
    from fftrack.records import Event


REPORTING_VERBS = {
    "say", "tell", "announce", "report", "state", "claim", "confirm", "add", "declare",
    "note", "publish", "release", "issue", "name", "identify", "reveal", "disclose",
}  # fmt: skip


# a clause that goes on with the same act ("...; the three occupants then abandon the van
# and embark on a stabbing spree"): one event, as an attack told over several clauses is
THEN_RE = re.compile(r"^\W*(?:(?:the|its|their)\s+)?(?:\w+\s+){0,2}then\b", re.I)


def heading(sent: SpacySpan, text: str) -> bool:
    """A line of its own without a verb ("Battle of al-Thawrah", "- Ghouta chemical
    attack"): a heading or a list of names, which names an event told elsewhere."""
    a, b = sent.start_char, sent.end_char
    starts_line = a == 0 or text[a - 1] == "\n"
    ends_line = b == len(text) or "\n" in text[b - 1 : b + 1]
    if not (starts_line and ends_line) or "|" in sent.text:
        return False  # a table row is a record of its own ("July 2012 | Battle of Aleppo | ...")
    return not any(t.pos_ in ("VERB", "AUX") for t in sent)


_NAMING_NOUNS = frozenset({
    "operation", "campaign", "offensive", "phase", "battle", "part", "series", "conflict",
    "war", "stage", "continuation", "name", "codename",
})  # fmt: skip


def is_definition(sent: SpacySpan) -> bool:
    """ "The Tell Abyad offensive was a military operation that began in May", "The
    campaign was the second phase of ...": what a campaign is, not something that happened."""
    root = sent.root
    # the main verb, or one the parse hung off a misread root ("The X offensive or Y
    # operation was a military operation": root "offensive", "was" its conj)
    verbs = [root] + [c for c in root.children if c.dep_ == "conj"]
    return any(
        v.lemma_ == "be"
        and any(c.dep_ == "attr" and c.lemma_.lower() in _NAMING_NOUNS for c in v.children)
        for v in verbs
    )


def _date_governor(sdoc: Doc, m: DateMention) -> Token | None:
    """The word a date is said of: the head of its preposition ("said on Wednesday") or
    the verb it modifies as a bare noun phrase."""
    span = sdoc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return None
    tok = span.root
    gov = None
    if tok.dep_ == "pobj" and tok.head.dep_ == "prep":
        gov = tok.head.head
    elif tok.dep_ in ("npadvmod", "tmod", "obl"):
        gov = tok.head
    if gov is not None and gov.dep_ == "nsubj" and gov.pos_ in ("NOUN", "PROPN"):
        gov = gov.head  # "officials on Wednesday named ...": the parse hangs it on the sayer
    return gov


_PLANNED_HEADS = frozenset({"due", "set", "schedule", "expect", "plan", "slate", "intend"})


def planned_on(sdoc: Doc, m: DateMention) -> bool:
    """A date of what is yet to happen ("a ceasefire due to begin at midnight on 30
    December", "talks will resume on Monday"), not of the event told."""
    gov = _date_governor(sdoc, m)
    if gov is None:
        return False
    if any(c.dep_ == "aux" and c.lower_ in ("will", "shall") for c in gov.children):
        return True
    return gov.dep_ == "xcomp" and gov.head.lemma_.lower() in _PLANNED_HEADS


def said_on(sdoc: Doc, m: DateMention) -> bool:
    """A date that tells when something was said ("medical workers said on Wednesday",
    "announced on Saturday"), not when the event happened."""
    gov = _date_governor(sdoc, m)
    if gov is None or gov.lemma_.lower() not in REPORTING_VERBS:
        return False
    if gov.lemma_.lower() in _RELEASE_VERBS:
        # "released a statement on Tuesday", not "the gas released over the town on Tuesday"
        things = [c for c in gov.children if c.dep_ in ("dobj", "nsubjpass")]
        if gov.dep_ in ("acl", "relcl"):
            things.append(gov.head)
        return any(t.lemma_.lower() in _STATEMENTS for t in things)
    return True


def before_the_act(sdoc: Doc, m: DateMention) -> bool:
    """A date told in a clause of what came before the act ("After the army advanced to
    within 1.5 km of the city on 10 February, the next day rebels had captured ..."): not
    the act's own day."""
    gov = _date_governor(sdoc, m)
    return (
        gov is not None
        and gov.dep_ == "advcl"
        and any(c.dep_ == "mark" and c.lower_ in ("after", "following") for c in gov.children)
    )


_RELEASE_VERBS = frozenset({"release", "issue", "publish"})
_STATEMENTS = frozenset({
    "statement", "report", "video", "footage", "figure", "list", "communique", "message",
    "recording", "audio", "photo", "image", "picture", "document", "letter", "data", "toll",
    "tally", "warning", "notice", "bulletin", "account",
})  # fmt: skip


def verbal_trigger(sdoc: Doc, text: str, ev: Event) -> bool:
    """Whether the event's trigger is a verb ("captured", "shelled"): a mention that
    tells an act, not a noun phrase that may point back to one ("the attack")."""
    if not ev.trigger:
        return False
    at = text.find(ev.trigger, ev.span.start, ev.span.end)
    if at < 0:
        return False
    span = sdoc.char_span(at, at + len(ev.trigger), alignment_mode="expand")
    if span is None or span.root.pos_ not in ("VERB", "AUX"):
        return False
    root = span.root
    return not (
        _bare_toll(root) or _told_again(root) or _act_as_subject(root) or _killed_in_it(root.sent)
    )


# nouns that name an act of violence: "the strikes", "the blast" as the subject of a
# killing point back to the act the report has told
_ACT_SUBJECTS = frozenset({
    "attack", "strike", "airstrike", "bombing", "blast", "explosion", "shelling", "raid",
    "assault", "ambush", "clash", "fighting", "bombardment", "barrage", "shooting",
})  # fmt: skip


def definite(tok: Token) -> bool:
    """ "the device", "this attack": a thing already named."""
    return any(d.dep_ == "det" and d.lower_ in ("the", "this", "that") for d in tok.children)


def _killing(verb: Token) -> bool:
    lemma = verb.lemma_.lower()
    return lemma in counts.KILL_LEMMAS or lemma in counts.INJURE_LEMMAS


def _act_as_subject(verb: Token) -> bool:
    """ "The strikes reportedly killed at least 38 militants", "the blast wounded 12": a
    killing whose doer is a definite act already told gives that act's toll."""
    if not _killing(verb):
        return False
    return any(
        c.dep_ == "nsubj" and c.lemma_.lower() in _ACT_SUBJECTS and definite(c)
        for c in verb.children
    )


def _told_again(verb: Token) -> bool:
    """ "The device was detonated in the foyer": a passive without a doer whose subject is
    a thing already named ("the device") tells more of an act, not a new one."""
    kids = list(verb.children)
    if not any(c.dep_ == "auxpass" for c in kids) or any(c.dep_ == "agent" for c in kids):
        return False
    return any(c.dep_ == "nsubjpass" and definite(c) for c in kids)


def _killed_in_it(sent: SpacySpan) -> bool:
    """ "At least 20 fighters were killed in it", "three died during the assault": the
    sentence tells the victims of an act already told, whatever else it repeats ("while a
    helicopter was shot down")."""
    for tok in sent:
        if not (_killing(tok) or tok.lemma_.lower() == "die"):
            continue
        for prep in tok.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("in", "during"):
                continue
            for o in prep.children:
                if o.dep_ == "pobj" and (
                    o.lower_ == "it" or (o.lemma_.lower() in _ACT_SUBJECTS and definite(o))
                ):
                    return True
    return False


def _bare_toll(verb: Token) -> bool:
    """A killing told without a doer ("25 people were killed", "six died"): the toll of
    an act the report has told, not an act of its own."""
    if verb.lemma_.lower() == "die":
        return True
    if not _killing(verb):
        return False
    kids = list(verb.children)
    return any(c.dep_ == "auxpass" for c in kids) and not any(c.dep_ == "agent" for c in kids)


def told_in_a_dated_story(
    sdoc: Doc, mentions: Sequence[DateMention], end: int, t0: int, t1: int
) -> bool:
    """A strong act (trigger at [t0, t1)) told in the past tense in a narrative that has
    reached a day, a week or a month by ``end`` ("On 26 March 2017 ... That day, US
    aircraft had dropped three bombs against the towers", "extremists set off nine car
    bombs"): an act of the story, with no place or date of its own; not a state ("aircraft
    have dropped bombs for years"), an aim ("were in no rush to capture the centre") nor a
    verdict on an act ("described the bombing as unimaginable"). A story that gives no
    year to resolve its days by is left alone: what it tells could not be dated."""
    told = [m for m in mentions if m.start < end and m.label == "DATE"]
    if not told:
        return False
    last = told[-1]
    if last.time is None or last.time.precision not in ("day", "week", "month"):
        return False
    span = sdoc.char_span(t0, t1, alignment_mode="expand")
    if span is None:
        return False
    verb = span.root  # the verb that tells the trigger: itself, or the nearest above it
    # (a root is its own head: tokens are made afresh on each access, so compare indices)
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    return _past_act(verb)


# what someone made of an act, not the act ("described the bombing as unimaginable")
_TELLING = frozenset({"describe", "call", "condemn", "deny", "accuse", "blame", "praise"})


def _past_act(tok: Token) -> bool:
    """A verb told in the past ("set off", "had dropped", "was used") or the perfect ("is
    said to have taken"), not a report of it ("said", "described")."""
    lemma = tok.lemma_.lower()
    if lemma in REPORTING_VERBS or lemma in _TELLING:
        return False
    if tok.tag_ == "VBD":
        return True
    return tok.tag_ == "VBN" and any(
        (a.dep_ == "aux" and a.lemma_.lower() == "have" and a.tag_ in ("VB", "VBD"))
        or (a.dep_ == "auxpass" and a.tag_ == "VBD")
        for a in tok.children
    )


__all__ = [
    "REPORTING_VERBS",
    "THEN_RE",
    "definite",
    "heading",
    "is_definition",
    "planned_on",
    "said_on",
    "told_in_a_dated_story",
    "verbal_trigger",
]
