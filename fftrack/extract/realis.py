"""Did something specific happen? Realis of an event trigger, read from the parse.

A trigger word ("attack", "killed", "fighting") codes an event only where the text says
that it happened: not negated ("no fighting was reported"), not a threat, plan or
hypothesis ("IS threatened to attack", "we will take control of it", "if the army
advances"), not a count over time ("killed 11,000 people since 2014", "30 percent of
those who joined the fight have returned") and not a generic statement ("the fight
against terrorism"). Each test looks at the trigger's own clause in the dependency
parse: the governing verb, its auxiliaries, the verb that governs it, and the words of
its own clause (not those of a relative or adverbial clause hanging from it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

NAME = "extract.realis.v2"

MODALS = {"will", "would", "could", "might", "may", "should", "must", "shall", "can", "'ll", "wo", "ca"}  # fmt: skip
# verbs whose complement has not (yet) happened
IRREALIS_GOVERNORS = {
    "threaten", "plan", "vow", "intend", "warn", "promise", "prepare", "aim", "seek", "want",
    "urge", "call", "demand", "pledge", "propose", "consider", "hope", "fear", "expect",
    "plot", "prevent", "avoid", "refuse", "need", "wish", "decide", "agree", "offer",
    "persuade", "convince", "pressure", "lobby",
    "encourage", "order", "ask", "likely", "ready", "poised",
}  # fmt: skip
IRREALIS_MODIFIERS = {
    "planned", "possible", "potential", "future", "imminent", "foiled", "thwarted",
    "prospective", "threatened", "hypothetical", "feared", "expected", "would-be",
    "anticipated", "looming", "impending",
}  # fmt: skip
# a count over time, a share, a total: a figure, not an event
_SINCE = re.compile(
    r"\bsince\s+(?:the\s+(?:start|beginning|outbreak)|its|(?:19|20)\d\d|then)\b", re.I
)
_CUMULATIVE = re.compile(
    r"\b(?:so far|to date|"
    r"in total|a total of|altogether|cumulative|over the (?:past |last )?(?:\w+ )?(?:years|months|decades?)|"
    # "throughout the war", not "throughout the day" (one day's events) nor "throughout
    # the Idlib Governorate" (a place)
    r"throughout the (?:\w+ )?(?:war|conflict|years?|months?|weeks?|decades?|campaign|"
    r"insurgency|occupation|period|offensive|siege|crisis|uprising)\b|"
    r"during the (?:\w+ ){0,2}(?:war|conflict|campaign|years|insurgency|occupation)|"
    # "3,000 a year", not "a year ago" or "a year after the attack"
    r"in the (?:\w+ )?campaign|each year|every year|per year|"
    r"a year(?! (?:ago|after|before|later|earlier|since))|annually|"
    r"percent|per cent|%|on average|overall)",
    re.I,
)
_GENERIC_HEAD = re.compile(
    r"^(?:terror(?:ism|ists?)?|extremism|radicali[sz]ation|crime|corruption|impunity|"
    r"poverty|disease|hunger|the group|jihadism|insurgency)$",
    re.I,
)
_CLAUSE_DEPS = {"relcl", "advcl", "ccomp", "conj", "parataxis", "acl"}


def governing_verb(tok: Token) -> Any:
    """The verb of the trigger's clause: the trigger itself if a verb, else up the tree."""
    t = tok
    for _ in range(5):
        if t.pos_ in ("VERB", "AUX") or t.head.i == t.i:
            return t
        t = t.head
    return t


def clause_words(verb: Token, cut: Callable[[Any], bool]) -> list[Any]:
    """The verb's subtree less the subtrees of the dependents ``cut`` says start a clause
    of their own (depth first, not in text order)."""
    out: list[Any] = []
    stack = [verb]
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(ch for ch in t.children if not cut(ch))
    return out


def own_clause(verb: Token) -> list[Any]:
    """The tokens of the verb's own clause, in text order: its subtree less the clauses
    hanging from it."""
    return sorted(clause_words(verb, lambda ch: ch.dep_ in _CLAUSE_DEPS), key=lambda t: t.i)


def _negated(tok: Token, verb: Token) -> bool:
    for t in (tok, verb):
        for ch in t.children:
            if ch.dep_ == "neg" or (ch.dep_ == "det" and ch.lower_ == "no"):
                return True
    for ch in verb.children:
        if ch.dep_ in ("nsubj", "nsubjpass") and (
            ch.lower_ in ("nobody", "none", "nothing", "noone")
            or any(g.dep_ == "det" and g.lower_ == "no" for g in ch.children)
        ):
            return True
    # "it was incorrectly claimed they recaptured the town": told, and told false
    t = verb
    for _ in range(2):
        if t.dep_ not in ("ccomp", "xcomp") or t.head.i == t.i:
            break
        t = t.head
        if any(ch.dep_ == "advmod" and ch.lower_ in _FALSELY for ch in t.children):
            return True
    return False


_FALSELY = frozenset({"incorrectly", "falsely", "wrongly", "erroneously", "mistakenly"})

# "on the verge of collapse", "the threat of attacks": what may come, not what happened
_ABOUT_TO = frozenset({
    "verge", "brink", "risk", "threat", "danger", "fear", "prospect", "possibility",
    "likelihood", "spectre", "specter",
})  # fmt: skip


def _irrealis(tok: Token, verb: Token) -> bool:
    # the noun an act is told through: "the threat of attacks", "the possible use of a drone"
    of_noun = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ == "of" else None
    if of_noun is not None and of_noun.lemma_.lower() in _ABOUT_TO:
        return True
    nouns = [tok] if of_noun is None else [tok, of_noun]
    if any(
        ch.dep_ == "amod" and ch.lower_ in IRREALIS_MODIFIERS for n in nouns for ch in n.children
    ):
        return True
    for ch in verb.children:
        if ch.dep_ == "aux" and ch.lower_ in MODALS:
            return True
        if ch.dep_ == "mark" and ch.lower_ in ("if", "unless", "whether"):
            return True
    t = verb
    for _ in range(2):
        # complements only: "threatened to attack"; not "after the attack killed 12, an
        # inquiry is demanded" (an adverbial clause tells what happened)
        if t.dep_ in ("xcomp", "ccomp") and t.head.i != t.i:
            h = t.head
            if h.lemma_.lower() in IRREALIS_GOVERNORS:
                return True
            if (
                any(c.dep_ == "aux" and c.lower_ in MODALS for c in h.children)
                and t.dep_ == "xcomp"
            ):
                return True
            t = h
        else:
            break
    return False


def _generic(tok: Token, verb: Token, clause_text: str) -> bool:
    if _CUMULATIVE.search(clause_text):
        return True
    perfect = any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children)
    if perfect and _SINCE.search(clause_text):
        return True  # "has killed 1,100 civilians since 2014"; not "the deadliest since 2005"
    if tok.pos_ == "NOUN":
        # "the fight against terrorism", "the war on terror": an abstraction, no incident
        for ch in tok.children:
            if ch.dep_ == "prep" and ch.lower_ in ("against", "on"):
                objs = [g for g in ch.children if g.dep_ == "pobj"]
                if objs and _GENERIC_HEAD.match(objs[0].lower_):
                    return True
    return False


_NAME_ENTS = {"ORG", "PERSON", "WORK_OF_ART", "LAW", "NORP", "PRODUCT"}
_PARTICIPATE = {"fight", "battle", "combat"}
_REALIS_GOVERNORS = {"manage", "succeed", "begin", "start", "continue", "proceed", "resume"}


def _participation(tok: Token, verb: Token) -> bool:
    """Taking part, not an incident: "gone to Syria to fight", "Australians fighting in
    the country", "a jihadist who had fought for ISIS" ("the group participated in the
    Siege of X" names a past battle: CODING.md's background event, kept)."""
    if verb.lemma_.lower() not in _PARTICIPATE and not tok.lower_.startswith(
        ("fight", "fought", "battl", "combat")
    ):
        return False
    if verb.dep_ in ("xcomp", "advcl") and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in verb.children
    ):
        return verb.head.lemma_.lower() not in _REALIS_GOVERNORS
    if verb.tag_ == "VBG" and verb.dep_ in ("acl", "amod"):
        return True  # "Australians fighting in the country", "fighting force"
    if tok.dep_ in ("amod", "compound") and tok.head.pos_ == "NOUN":
        return True  # "the main fighting force"
    return any(
        c.dep_ == "prep" and c.lower_ in ("for", "alongside", "with") and verb.dep_ == "relcl"
        for c in verb.children
    )


def _definition(tok: Token, verb: Token) -> bool:
    """What a thing is, not what happened: "The campaign was a series of battles", "X
    was a military operation", "three of them became suicide bombers" (the trigger under
    the copula's complement)."""
    if verb.lemma_ not in ("be", "become") or tok.i == verb.i:
        return False
    t = tok
    for _ in range(6):
        if t.head.i == verb.i:
            return t.dep_ in ("attr", "acomp")
        if t.head.i == t.i:
            return False
        t = t.head
    return False


# verbs that put a name on a thing told ("called it a massacre", "described the raid as an
# assault")
_NAMING_VERBS = frozenset({"call", "term", "label", "brand", "dub", "describe", "characterize",
                           "characterise", "deem", "consider", "regard", "classify"})  # fmt: skip


def _named_as(tok: Token) -> bool:
    """ "The SOHR called it a massacre", "activists described the killings as a massacre":
    the name a speaker puts on an act already told, no act of its own."""
    if tok.pos_ not in ("NOUN", "PROPN"):
        return False
    if tok.dep_ == "oprd":
        return tok.head.lemma_.lower() in _NAMING_VERBS
    as_ = tok.head
    return (
        tok.dep_ == "pobj"
        and as_.lower_ == "as"
        and as_.head.lemma_.lower() in _NAMING_VERBS
        and any(c.dep_ == "dobj" for c in as_.head.children)
    )


# a trigger word that names what a person, unit or place is for ("an artillery crewmember",
# "counter-attack brigades", "a bombing range"): no incident
_ROLE_HEADS = {
    "crewmember", "crewman", "crew", "gunner", "brigade", "battalion", "regiment", "unit",
    "division", "squad", "corps", "commander", "officer", "instructor", "specialist",
    "school", "academy", "camp", "course", "range", "exercise", "drill", "training",
    "capability", "capacity", "doctrine", "manual", "museum", "memorial",
}  # fmt: skip
# weapons moved, given or put in place are not yet used ("positioning artillery",
# "supplied rockets", "mining the roads with explosives")
_READYING = {
    "position", "deploy", "supply", "provide", "deliver", "transport", "ship", "mine",
    "train", "equip", "donate",
}  # fmt: skip
_WEAPONS = {
    "artillery", "rocket", "missile", "mortar", "explosive", "bomb", "ied", "mine",
    "landmine", "weapon", "arm", "ammunition", "munition", "shell", "grenade", "launcher",
}  # fmt: skip
# nouns whose "was to ..." or "... to ..." is an aim, not a deed ("the focus of the
# campaign was to capture Tell Abyad")
_AIM_NOUNS = {"effort", "plan"}  # an attempt or a bid is an act (ACLED codes it)
_AIMS = {"focus", "aim", "goal", "purpose", "objective", "mission", "task", "intention", "target"}


def _role_modifier(tok: Token) -> bool:
    """The trigger qualifies a person, unit or facility: "an artillery crewmember"."""
    # a noun modifier; a participle ("the captured base") says what happened to the head
    modifier = tok.dep_ in ("compound", "nmod") or (
        tok.dep_ == "amod" and tok.tag_ not in ("VBN", "VBD", "VBG")
    )
    return modifier and tok.head.pos_ == "NOUN" and tok.head.lemma_.lower() in _ROLE_HEADS


def _readied(tok: Token, verb: Token) -> bool:
    """A weapon that is moved, given or put in place, not used: the trigger noun is the
    object (or the means, "with explosives") of such a verb."""
    if tok.pos_ not in ("NOUN", "PROPN") or verb.i == tok.i:
        return False
    if tok.lemma_.lower() not in _WEAPONS:
        return False  # "deployed troops" is a deed of its own (a change to a group)
    if verb.lemma_.lower() not in _READYING:
        return False
    t = tok
    for _ in range(3):
        if t.head.i == verb.i:
            return t.dep_ in ("dobj", "obj", "pobj", "nsubjpass", "conj", "prep")
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def _aim(tok: Token, verb: Token) -> bool:
    """An aim, not a deed: "the focus of the campaign was to capture X", "trained
    volunteers to recapture Mosul"."""
    if verb.i != tok.i and tok.pos_ != "VERB":
        return False
    while verb.dep_ == "conj" and verb.head.i != verb.i and verb.head.pos_ == "VERB":
        verb = verb.head  # "efforts to encircle and capture Mosul": the first of the verbs
    if verb.dep_ == "pcomp" and verb.head.lower_ == "of":
        # "with the aim of capturing Mayadin", "the goal of retaking the city"
        return verb.head.head.lemma_.lower() in _AIMS | _AIM_NOUNS
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return False
    head = verb.head
    if verb.dep_ == "acl" and head.lemma_.lower() in _AIM_NOUNS:
        return True  # "efforts to capture Mosul", "a plan to retake the town"
    if head.lower_ == "order" and head.dep_ == "pobj" and head.head.lower_ == "in":
        return True  # "attacking the base in order to retake it"
    if head.i == verb.i or head.lemma_.lower() in _REALIS_GOVERNORS:
        return False
    if verb.dep_ == "xcomp" and head.lemma_ == "be":
        return any(
            c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in _AIMS for c in head.children
        )
    # "trained volunteers to recapture": a purpose clause hanging from another deed
    return verb.dep_ in ("advcl", "xcomp") and head.lemma_.lower() in _READYING


_PREPARING = _READYING | {"prepare", "mobilize", "mobilise", "gather", "mass"}


# nouns whose "for X" is an act not yet begun: "in preparation for the Mosul offensive",
# "gave his approval for a Turkish ground offensive"
_FOR_WHAT_COMES = frozenset({
    "preparation", "preparations", "approval", "plan", "plans", "call", "calls", "request",
    "readiness", "pretext", "justification", "authorization", "authorisation", "mandate",
})  # fmt: skip


def _made_ready_for(tok: Token) -> bool:
    """An act that people or weapons are made ready for has not happened: "training
    Iraqi forces for the fight in Mosul", "preparing for an assault on the city", "in
    preparation for the offensive", "approval for a ground offensive"."""
    if tok.dep_ in ("amod", "compound") and tok.head.pos_ == "NOUN":
        tok = tok.head  # "for a Turkish ground offensive", parsed as "offensive ground"
    if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ != "pobj" or tok.head.lower_ != "for":
        return False
    on = tok.head.head  # "approval for X", or "gave his approval for X" (on the verb)
    if on.lemma_.lower() in _FOR_WHAT_COMES or any(
        c.dep_ == "dobj" and c.lemma_.lower() in _FOR_WHAT_COMES for c in on.children
    ):
        return True
    t = tok.head
    for _ in range(3):
        t = t.head
        if t.lemma_.lower() in _PREPARING:
            return True
        if t.head.i == t.i:
            return False
    return False


# a whole campaign's span ("the offensive took place from May until July"): its outline
_CAMPAIGNS = frozenset({"offensive", "campaign", "operation", "siege", "war", "insurgency"})


def _outline(tok: Token, verb: Token) -> bool:
    """ "The offensive took place from the end of May until July 2015", "the siege lasted
    from 2012 to 2016": the span of a whole campaign, not an act of one place and day."""
    if tok.lemma_.lower() not in _CAMPAIGNS or tok.dep_ not in ("nsubj", "nsubjpass"):
        return False
    preps = {c.lower_ for c in verb.children if c.dep_ == "prep"}
    return "from" in preps and bool(preps & {"until", "till", "to", "through", "into"})


def is_realis(tok: Token) -> bool:
    """True where the trigger token reports something that happened."""
    if tok.ent_type_ in _NAME_ENTS:
        return False  # part of a name: "the Libyan Islamic Fighting Group"
    verb = governing_verb(tok)
    if _outline(tok, verb):
        return False
    if _participation(tok, verb):
        return False
    if _definition(tok, verb) or _role_modifier(tok) or _named_as(tok):
        return False
    if _readied(tok, verb) or _aim(tok, verb) or _made_ready_for(tok):
        return False
    if _negated(tok, verb) or _irrealis(tok, verb):
        return False
    toks = own_clause(verb)
    if verb.dep_ in ("relcl", "acl") and verb.head.i != verb.i:
        # "30 percent of those who joined the fight have returned": the clause the
        # relative clause hangs from counts too
        toks = toks + own_clause(governing_verb(verb.head))
    clause_text = " ".join(t.text for t in toks)
    return not _generic(tok, verb, clause_text)


def trigger_span(sdoc: Doc, start: int, end: int) -> Span | None:
    """The tokens of the trigger at [start, end) of ``sdoc``'s text (None where none)."""
    span = sdoc.char_span(start, end, alignment_mode="expand")
    return span if span is not None and len(span) > 0 else None


def trigger_is_realis(sdoc: Doc, start: int, end: int) -> bool:
    """``is_realis`` for the trigger at [start, end) of ``sdoc``'s text."""
    span = trigger_span(sdoc, start, end)
    return span is None or is_realis(span.root)


# what is said or done about an act already told: "a resolution condemning these
# airstrikes", "investigating the attack"
_REACTIONS = frozenset({
    "condemn", "denounce", "deplore", "criticize", "criticise", "decry", "welcome", "praise",
    "hail", "investigate", "mourn", "commemorate", "justify", "defend", "protest", "applaud",
    "lament",
})  # fmt: skip


def reaction_to_told(sdoc: Doc, start: int, end: int) -> bool:
    """ "Russia tried to pass a resolution condemning these airstrikes": an act named with
    "the", "these" as the object of a reaction is the act told before; the clause tells the
    reaction. For reports (a note's "X condemned the attack that killed 3" is its act)."""
    span = trigger_span(sdoc, start, end)
    if span is None:
        return False
    tok = span.root
    if tok.pos_ != "NOUN" or tok.dep_ not in ("dobj", "pobj"):
        return False
    demonstrative = any(
        d.dep_ == "det" and d.lower_ in ("the", "these", "those", "this", "that")
        for d in tok.children
    )
    head = tok.head if tok.dep_ == "dobj" else tok.head.head
    return demonstrative and head.lemma_.lower() in _REACTIONS


# what is done with a withdrawal that has yet to happen: it is announced, ordered, decided
_DECIDING = frozenset({
    "announce", "order", "decide", "approve", "demand", "propose", "promise", "plan",
    "request", "call", "pledge", "threaten", "authorize", "authorise", "consider",
})  # fmt: skip


def withdrawal_decided(sdoc: Doc, start: int, end: int) -> bool:
    """ "Trump ordered the withdrawal of U.S. troops", "the United States announced a
    complete withdrawal": a withdrawal decided or declared, a policy (the troops are still
    there), not ground handed over ("the rebels withdrew from the town" is). For reports
    (CASE 2021's sentences code an announced withdrawal as a transfer)."""
    span = trigger_span(sdoc, start, end)
    return span is not None and _decided(span.root)


def _decided(tok: Token) -> bool:
    if tok.pos_ != "NOUN":
        return False
    head = tok.head
    if tok.dep_ == "conj":
        head = head.head  # "ordered the approval ... and the withdrawal"
    if any(c.dep_ in ("acl", "relcl") and c.lemma_.lower() in _DECIDING for c in tok.children):
        return True  # "the withdrawal first announced seven days earlier"
    return tok.dep_ in ("dobj", "conj", "nsubjpass", "nsubj") and head.lemma_.lower() in _DECIDING


__all__ = [
    "NAME",
    "clause_words",
    "governing_verb",
    "is_realis",
    "own_clause",
    "reaction_to_told",
    "trigger_is_realis",
    "trigger_span",
    "withdrawal_decided",
]
