"""Which ACLED sub-event type a clause tells: the trigger lexicon's votes
(``score_clause``), the codebook's contextual rules over them (``decide``: who attacks whom
decides Battles vs Violence against civilians, who takes ground decides Government regains
vs Non-state actor overtakes), and the parse's vetoes of a trigger that does not tell its
sub-type here (``realis_at``: "10 soldiers it had captured" takes people, not ground).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from fftrack.extract.event_sentences import definite
from fftrack.extract.heads import HeadIndex
from fftrack.extract.lexicon import (
    ARMED_WORDS,
    CIVILIAN_WORDS,
    FORCE_ON_PROTEST,
    GENERIC_KILL,
    GOV_NAME,
    HOME_GOV,
    HORS_DE_COMBAT,
    INTERVENTION,
    NOTE_LABELS,
    PROTEST_CONTEXT,
    PROTEST_SUBS,
    PROTEST_WORDS,
    PROTESTER_VIOLENCE,
    TRIGGERS,
)
from fftrack.extract.realis import governing_verb, is_realis, trigger_span
from fftrack.extract.taxonomy import BATTLES, EXPLOSIONS, STRATEGIC, VAC, type_of
from fftrack.nlp.docview import doc_ents, doc_text, ents_within
from fftrack.records import Actor

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan


@lru_cache(maxsize=1)
def _compiled() -> list[tuple[re.Pattern[str], str, float]]:
    return [(re.compile(rf"\b(?:{p})", re.I), sub, w) for p, sub, w in TRIGGERS]


@lru_cache(maxsize=1)
def _index() -> HeadIndex:
    """Which triggers a clause may hold, from the words it holds: most clauses of a news
    report hold no trigger of most kinds, and their searches are skipped."""
    return HeadIndex([p for p, _, _ in _compiled()])


def score_clause(
    text: str, keep: Callable[[int, int, str], bool] | None = None
) -> tuple[dict[str, float], list[tuple[int, int, str, float]]]:
    """Votes for sub-event types from the triggers in a clause, with the trigger spans;
    ``keep(start, end, sub)`` (clause offsets) may veto a trigger (one that did not
    happen, or that does not tell this sub-type)."""
    scores: dict[str, float] = defaultdict(float)
    trig: list[tuple[int, int, str, float]] = []
    for pat, sub in NOTE_LABELS:
        m = pat.search(text)
        if m:
            scores[sub] += 20.0
            trig.append((m.start(), m.end(), sub, 20.0))
    may = _index().may_match(text)
    for bit, (pat, sub, w) in enumerate(_compiled()):
        if not may >> bit & 1:
            continue  # the clause holds none of the words it starts with
        for m in pat.finditer(text):
            if keep is not None and not keep(m.start(), m.end(), sub):
                continue
            # every trigger adds a quarter of its weight (the thresholds and the note
            # labels' 20 are set on this scale; counting a sub-type's first trigger in
            # full was measured worse on realnews_dev: events F1 0.495 -> 0.479)
            scores[sub] += w * 0.25
            trig.append((m.start(), m.end(), sub, w))
    return scores, trig


def decide(
    text: str, scores: dict[str, float], actors: Sequence[Actor], taker: Actor | None = None
) -> tuple[str, str, float]:
    """(event_type, sub_event_type, confidence) for a clause's votes and context."""
    s = dict(scores)
    low = text.lower()
    if "TERRITORY" in s:
        terr = s.pop("TERRITORY")
        fought = re.search(
            r"\b(?:clash\w*|fight\w*|fought|battles?|attack\w*|kill\w*|shell\w*|offensive|"
            r"assault\w*|counter[- ]?attacks?|storm\w*|expel\w*|drove|pushed)\b",
            text,
            re.I,
        )
        handed = re.search(
            r"\b(?:withdr\w+|agreement|handed|hand over|handover|without (?:a )?(?:fight|resistance)|abandon\w*|"
            r"peaceful\w*|evacuat\w+|surrender\w*|pull(?:ed)? out)\b",
            text,
            re.I,
        )
        # "the army entered Tell Tamer and Ain Issa": ground entered, told without a fight
        # and without its taking, is handed over
        entered = re.search(r"(?<!re-)\bentered\b", text, re.I) and not _TAKEN.search(text)
        if not fought and (handed or entered or re.search(r"(?<!-)\bcontrolled\b", text)):
            s["Non-violent transfer of territory"] = (
                s.get("Non-violent transfer of territory", 0.0) + terr
            )
        else:
            gov = _territory_taker_is_gov(text, actors, taker)
            key = "Government regains territory" if gov else "Non-state actor overtakes territory"
            s[key] = terr
    if (
        "Non-violent transfer of territory" in s
        and "TERRITORY" not in scores
        and _DRIVEN_OUT_BY.search(text)
    ):
        # "the rebels withdrew from the village due to heavy shelling": the shelling is the
        # act, the withdrawal what it did ("the army took the village after the rebels'
        # withdrawal due to shelling" tells ground taken)
        for k in _REMOTE:
            if k in s:
                s[k] += s["Non-violent transfer of territory"]
    if "Agreement" in s and "Non-violent transfer of territory" in s:
        s["Non-violent transfer of territory"] += s["Agreement"]
    if "Attack" in s:
        # an attack by armed actors on armed actors is a battle; on civilians it is VAC
        held = bool(HORS_DE_COMBAT.search(text))
        civ = bool(CIVILIAN_WORDS.search(text)) or held
        am = re.search(
            r"\b(?:attack(?:ed|s|ing)?|targete?d?|ambush(?:ed)?|kill(?:ed|ing)|shot|opened fire)\b",
            text,
            re.I,
        )
        after = text[am.end() :] if am else text
        armed_targets = len(ARMED_WORDS.findall(after))
        armed_all = len(ARMED_WORDS.findall(text))
        killed_by = re.search(
            r"\b(?:was|were)\s+(?:\w+\s+)?(?:killed|wounded|injured)\s+by\b", text, re.I
        )
        if not held and re.search(
            r"\b(?:killed|died|wounded)\s+(?:\w+\s+){0,2}in\s+(?:the\s+)?(?:\w+\s+)?"
            r"(?:fighting|clashes|battles?|combat|firefights?)\b",
            text,
            re.I,
        ):
            # "a British citizen was killed in fighting": a death in battle ("50 captured
            # soldiers were executed. Overall, 85 were killed in the battle" tells the
            # killing of men out of the fight)
            s["Armed clash"] = s.get("Armed clash", 0.0) + 2.0
        # armed men killed, told without who killed them ("56 soldiers were killed", "23
        # Chechens from ISIL were killed"): a death in fighting
        passive = re.search(r"\b(?:were|was)\s+(?:\w+\s+)?killed\b", text, re.I)
        fell = passive is not None and bool(
            ARMED_WORDS.search(text[max(0, passive.start() - 60) : passive.start()])
        )
        if not civ and (
            armed_targets >= 1 or armed_all >= 2 or (armed_all and (killed_by or fell))
        ):
            s["Armed clash"] = s.get("Armed clash", 0.0) + s["Attack"] * 0.9
            s["Attack"] *= 0.3
        elif civ:
            s["Attack"] += 0.8
    remote = max(
        (s.get(k, 0.0) for k in (
            "Air/drone strike", "Shelling/artillery/missile attack",
            "Remote explosive/landmine/IED", "Suicide bomb", "Grenade", "Chemical weapon",
        )),
        default=0.0,
    )  # fmt: skip
    if remote and "Attack" in s:
        s["Attack"] *= 0.4
    if (
        "Armed clash" in s
        and "TERRITORY" not in scores
        and re.search(r"\bclash(?:ed|es)\b|exchange(?:d)? (?:of )?fire", low)
    ):
        s["Armed clash"] += 2.0
    if re.search(r"non-violent activity", low):
        s["Change to group/activity"] = max(s.values(), default=0.0) + 2.0
    s = _protest_kind(s, text)
    violent_any = [k for k in s if type_of(k) in (BATTLES, EXPLOSIONS, VAC)]
    if (
        "Man-made disaster" in s
        and not ARMED_WORDS.search(text)
        and not re.search(
            r"\b(?:bombs?|ieds?|attack\w*|militants?|terror\w*|suicide|shell\w*|air[- ]?strikes?|rockets?|missiles?)\b",
            text,
            re.I,
        )
    ):
        # an explosion or a leak at a plant, a crash: an accident, not an attack
        s["Man-made disaster"] += 4.0
        violent_any = []
    if violent_any:
        for k in ("Man-made disaster", "Change to group/activity", "Diplomatic event"):
            if k in s:
                s[k] *= 0.3
    if not s:
        return STRATEGIC, "Other", 0.1
    sub = max(s, key=lambda k: s[k])
    total = sum(s.values())
    conf = min(0.95, 0.4 + 0.5 * s[sub] / total) if total else 0.3
    return type_of(sub), sub, round(conf, 3)


# words of ground taken (not only entered)
_TAKEN = re.compile(
    r"\b(?:(?:re)?captur\w*|seiz\w*|re-?took|retak\w*|took|taken|regain\w*|liberat\w*|"
    r"overr(?:an|un)|storm\w*|expel\w*|drove|driven|pushed|wrested|cleared|secured)\b",
    re.I,
)

_REMOTE = (
    "Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
    "Suicide bomb", "Grenade", "Chemical weapon",
)  # fmt: skip
# what drove a side out: "withdrew due to heavy shelling", "pulled out under air strikes"
_DRIVEN_OUT_BY = re.compile(
    r"\b(?:withdr\w+|pull(?:ed|ing)? out|retreat\w*|evacuat\w+|abandon\w*)\b[^.;]{0,60}?"
    r"\b(?:due to|because of|owing to|under|amid|in the face of)\s+(?:the\s+)?(?:\w+\s+){0,2}"
    r"(?:shelling|bombardments?|artillery|air ?strikes|air raids|bombing|barrage|rockets|mortars)\b",
    re.I,
)


def _protest_kind(s: dict[str, float], text: str) -> dict[str, float]:
    """ACLED's protest sub-types: who used force decides. Protesters' violence makes a
    violent demonstration; force on protesters is excessive force (lethal or beatings)
    or an intervention (dispersal, arrests); otherwise a peaceful protest."""
    if (
        any(k in s for k in ("Armed clash", "Attack"))
        and PROTEST_CONTEXT.search(text)
        and not re.search(
            r"\b(?:militants?|fighters?|gunmen|rebels?|insurgents?|jihadists?)\b", text, re.I
        )
        and not any(
            k in s
            for k in (
                "Air/drone strike",
                "Shelling/artillery/missile attack",
                "Suicide bomb",
                "Remote explosive/landmine/IED",
                "Grenade",
                "Chemical weapon",
            )
        )
    ):
        # stone-throwers, youths, Palestinians clashing with troops: a riot (ACLED)
        s["Violent demonstration"] = max(s.get("Armed clash", 0.0), s.get("Attack", 0.0)) + 0.5
    if not PROTEST_WORDS.search(text) and "Violent demonstration" not in s:
        for k in ("Protest with intervention", "Excessive force against protesters"):
            s.pop(k, None)
        return s
    if not any(k in s for k in PROTEST_SUBS):
        return s
    strength = max(s.get(k, 0.0) for k in PROTEST_SUBS)
    strength = max(strength, s.get("Armed clash", 0.0) if "Armed clash" in s else 0.0)
    strength = max(strength, s.get("Attack", 0.0) if "Attack" in s else 0.0)
    for k in PROTEST_SUBS:
        s.pop(k, None)
    peaceful_said = re.search(r"\bpeaceful(?:ly)?\b", text, re.I)
    if PROTESTER_VIOLENCE.search(text) and not peaceful_said:
        kind = "Violent demonstration"
    elif FORCE_ON_PROTEST.search(text):
        kind = "Excessive force against protesters"
    elif INTERVENTION.search(text):
        kind = "Protest with intervention"
    elif PROTESTER_VIOLENCE.search(text):
        kind = "Violent demonstration"
    else:
        kind = "Peaceful protest"
    s[kind] = strength + 1.0
    for k in ("Armed clash", "Attack", "Arrests", "Grenade", "Shelling/artillery/missile attack"):
        if k in s and s[k] < s[kind] + 2.0:
            s[k] *= 0.3
    return s


def _territory_taker_is_gov(text: str, actors: Sequence[Actor], taker: Actor | None = None) -> bool:
    """Whether the side taking territory is the country's own government (ACLED: foreign
    state forces taking ground count as non-state actors overtaking territory)."""
    if taker is None:
        m = re.search(
            r"(?:re)?captur|re-?took|retak|regain|liberat|took|taken|tak(?:e|ing)|seiz|gain|overr|advanced|expelled|drove|pushed|wrested|cleared|control|establish",
            text,
            re.I,
        )
        pos = m.start() if m else len(text)
        before = [
            a for a in actors if a.span.start < pos + (actors[0].span.start - actors[0].span.start)
        ]
        taker = before[-1] if before else None
    if taker is not None:
        if taker.normalized in HOME_GOV:
            return True
        if taker.normalized is not None:
            return False
        return bool(GOV_NAME.search(taker.name))
    return bool(GOV_NAME.search(text[:80]))


def realis_at(sdoc: Doc, offset: int, a: int, b: int, sub: str) -> bool:
    """Whether the trigger at clause offsets [a, b) tells ``sub`` here: it happened, and the
    parse does not veto it. The trigger's span is found once for every test."""
    span = trigger_span(sdoc, offset + a, offset + b)
    if span is None:
        return True
    if not is_realis(span.root):
        return sub == "Air/drone strike" and _air_force_acts(span)
    if sub == "Air/drone strike" and _carried_by_air(span):
        return False
    if sub == "Armed clash" and span[0].dep_ == "amod" and span[0].tag_ == "VBN":
        return False  # "the besieged city": a state the place is in, no act told
    if _undated_since(span) or _doer_listed(span):
        return False
    if sub == "TERRITORY":
        return not (_people_taken(span.root) or _ground_held(span) or _ground_told_again(span))
    if sub == "Arrests":
        # "guarding captured ISIS militants": a participle that says who they are
        described = span[0].tag_ == "VBN" and (
            span[0].dep_ == "amod"
            # "five members, previously detained in SDF custody, escaped"
            or (
                span[0].dep_ == "acl"
                and any(c.lower_ in _EARLIER for c in span[0].children if c.dep_ == "advmod")
            )
        )
        return not (_ground_taken(span.root) or described)
    if sub == "Attack" and _killed_oneself(span.root):
        return False
    if sub == "Non-violent transfer of territory":
        return not (_moved_toward(span.root) or _left_an_act(span)) and _party_named(span)
    if sub == "Change to group/activity" and _stationed(span):
        return False
    if sub in _DAMAGE:
        return not (_damage_of_an_act(span, sub) or _pact_collapsed(span))
    if sub == "Agreement":
        return not _signed_alone(span.root)
    if sub == "Remote explosive/landmine/IED":
        return not _laid_not_set_off(span)
    return True


# laying a device: "mines were laid", "militants planted explosives", "had placed a bomb"
_LAY_LEMMAS = frozenset({"lay", "plant", "place", "hide", "leave"})
# what tells that a device went off or hurt someone, anywhere in the sentence
_WENT_OFF = frozenset({
    "explode", "detonate", "blow", "blast", "explosion", "kill", "wound", "injure", "die",
    "dead", "hurt", "maim", "destroy", "damage", "hit", "strike", "tear", "rip",
})  # fmt: skip


def _laid_not_set_off(span: SpacySpan) -> bool:
    """ "Reports that mines were laid near the temple", "militants planted explosives in
    the school": a device laid that the sentence never tells going off or hurting anyone
    is no explosion (ACLED codes a detonation; "a roadside bomb planted by militants
    killed two soldiers" is one)."""
    root = span.root
    verb = root if root.lemma_.lower() in _LAY_LEMMAS else root.head
    if verb.lemma_.lower() not in _LAY_LEMMAS or verb.pos_ not in ("VERB", "AUX"):
        return False
    if verb.i != root.i and root.dep_ not in ("dobj", "nsubjpass"):
        return False  # "a bomb planted by militants": the device is what the clause is about
    return not any(t.lemma_.lower() in _WENT_OFF for t in span.sent)


# aircraft that carry people or goods ("500 soldiers were transported ... in 22
# transport helicopters"), in a sentence that tells no harm: a movement, not a strike
_CARRIED_RE = re.compile(
    r"\b(?:transport(?:ed|ing|s)?|airlift\w*|air-?dropp?\w*|airdrops?|ferr(?:y|ied|ying)|"
    r"flown (?:in|out)|evacuat\w+|deliver\w*)\b",
    re.I,
)
_HARM_RE = re.compile(
    r"\b(?:bomb\w*|strikes?|struck|raids?|kill\w*|shell\w*|attack\w*|target\w*|hit|fired|"
    r"missiles?|rockets?|wound\w*|destroy\w*|dead)\b",
    re.I,
)


def _carried_by_air(span: SpacySpan) -> bool:
    text = span.sent.text
    return bool(_CARRIED_RE.search(text)) and not _HARM_RE.search(text)


def _pact_collapsed(span: SpacySpan) -> bool:
    """ "The buffer zone agreement collapsed on 7 October": a pact, talks or a government
    that collapses is no disaster."""
    verb = governing_verb(span.root)
    if verb.lemma_.lower() != "collapse":
        return False
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects and verb.dep_ == "conj":  # "was proven short-lived and collapsed"
        subjects = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    return any(c.lemma_.lower() in _NOT_GROUND | _POLITY for c in subjects)


_POLITY = frozenset({"government", "regime", "coalition", "ceasefire", "truce", "cabinet"})


def _stationed(span: SpacySpan) -> bool:
    """ "a battalion stationed along the border", "US forces stationed in Kobani": where a
    unit is, told of the unit, is no change to it."""
    word = span[0]
    return (
        word.lower_ == "stationed" and word.dep_ in ("acl", "amod", "relcl") and word.tag_ == "VBN"
    )


def _doer_listed(span: SpacySpan) -> bool:
    """ "kills two terror suspects, including a female suicide bomber": a doer's name
    ("bomber", "sniper", "attacker") listed among people is a person, not an act."""
    root = span.root
    return (
        root.pos_ == "NOUN"
        and root.lower_.endswith(("er", "ers", "ist", "ists"))
        and root.dep_ in ("pobj", "conj")
        and any(t.lower_ in ("including", "among") for t in (root.head, root.head.head))
    )


_EARLIER = frozenset({"previously", "formerly", "once", "already", "earlier", "long"})

# what a party pulls out of that is no ground: an operation, talks, a pact
_NOT_GROUND = frozenset({
    "operation", "offensive", "campaign", "battle", "fight", "talks", "negotiations", "deal",
    "agreement", "accord", "treaty", "coalition", "alliance", "process", "race", "election",
})  # fmt: skip


def _left_an_act(span: SpacySpan) -> bool:
    """ "The militias pulled out of the operation": leaving an undertaking is no ground
    handed over ("pulled out of the town" is)."""
    verb = governing_verb(span.root)
    # "pulled out of the operation": "of" hangs on the verb or on its particle "out"
    heads = [verb, *(c for c in verb.children if c.dep_ in ("prep", "prt"))]
    return any(
        prep.dep_ == "prep"
        and prep.lower_ in ("of", "from")
        and any(o.dep_ == "pobj" and o.lemma_.lower() in _NOT_GROUND for o in prep.children)
        for head in heads
        for prep in head.children
    )


_REFLEXIVES = frozenset({"himself", "herself", "themselves", "oneself"})


def _killed_oneself(verb: Token) -> bool:
    """ "an Australian had killed himself": a death by one's own hand is no attack (a
    bomber who "killed himself and 12 others" names others too)."""
    objs = [c for c in verb.children if c.dep_ == "dobj"]
    return (
        verb.lemma_.lower() == "kill"
        and len(objs) == 1
        and objs[0].lower_ in _REFLEXIVES
        and not any(c.dep_ == "conj" for c in objs[0].children)
    )


# what one party signs alone: no agreement between parties ("signed a decree banning ...")
_UNILATERAL = frozenset({
    "decree", "law", "bill", "order", "legislation", "statute", "edict", "fatwa", "petition",
    "memorandum", "budget", "warrant", "letter",
})  # fmt: skip


def _signed_alone(verb: Token) -> bool:
    """ "The prime minister signed a government decree": a text one party signs alone is
    no agreement between parties."""
    return verb.lemma_.lower() == "sign" and any(
        c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in _UNILATERAL for c in verb.children
    )


# what is done in making a pact: "the agreement was signed", "they reached the deal"
_MADE = frozenset({
    "sign", "reach", "conclude", "agree", "broker", "announce", "strike", "seal", "finalize",
    "finalise", "approve", "accept", "enter", "declare", "negotiate", "mediate", "go", "take",
    "come", "begin", "start",
})  # fmt: skip


def agreement_told_of(sdoc: Doc, start: int, end: int) -> bool:
    """ "The agreement was rendered obsolete", "talks on implementing the agreement": a
    pact already named ("the", "this") that the clause says something else of is no new
    agreement ("the agreement was signed on Monday" is one). For reports: CASE 2021's
    sentence-level coding counts every pact a sentence names."""
    span = trigger_span(sdoc, start, end)
    if span is None:
        return False
    tok = span.root
    if tok.pos_ != "NOUN":
        return False
    if tok.dep_ == "compound" and tok.head.pos_ == "NOUN":
        tok = tok.head  # "the ceasefire deal"
    if not definite(tok):
        return False
    verb = governing_verb(tok)
    return verb.i != tok.i and verb.lemma_.lower() not in _MADE


def _undated_since(span: SpacySpan) -> bool:
    """ "IS has stepped up attacks since losing its last towns": an act told only as the
    start of a state the sentence is about, with no date of its own, is background ("since
    troops broke the siege on September 5" dates the act, and is kept)."""
    verb = governing_verb(span.root)
    since = (verb.dep_ == "pcomp" and verb.head.lower_ == "since") or any(
        c.dep_ == "mark" and c.lower_ == "since" for c in verb.children
    )
    if not since:
        return False
    lo, hi = verb.left_edge.i, verb.right_edge.i
    return not any(e.label_ == "DATE" and lo <= e.start <= hi for e in doc_ents(span.doc))


# sub-types of harm to things: what an attack often does, told in the same report
_DAMAGE = frozenset({"Looting/property destruction", "Man-made disaster"})
_VIOLENT_TYPES = frozenset({BATTLES, EXPLOSIONS, VAC})


def _tells_violence(text: str) -> bool:
    """Whether ``text`` (a noun phrase) names an act of political violence ("the blast",
    "the siege"; not its doers, "the attackers")."""
    _, trig = score_clause(text)
    return any(
        type_of(sub.replace("TERRITORY", "Armed clash")) in _VIOLENT_TYPES
        and not _DOER_SUFFIX.match(text, b)
        for _, b, sub, _ in trig
    )


_DOER_SUFFIX = re.compile(r"ers?\b", re.I)


def _damage_of_an_act(span: SpacySpan, sub: str) -> bool:
    """A fire, a collapse, a breakage that is the harm an act did, not an act of its own:
    "the blast set several shops on fire" (its doer is an act of violence), "troops broke
    the siege" (what is broken is an act of war, not property; "inhaling poisonous gas"
    leaked from a plant is still a disaster); and, after an act of
    violence told earlier in the report, a participle describing a thing ("burnt vehicles
    covered the field", "survivors under collapsed awnings") or a thing already named with
    no toll of its own ("the blaze took hours to bring under control"): the act's harm."""
    word = span[0]
    verb = word if word.pos_ in ("VERB", "AUX") else span.root
    for c in verb.children:
        breaks = c.dep_ == "dobj" and sub == "Looting/property destruction"
        if (c.dep_ == "nsubj" or breaks) and _tells_violence(_phrase(c)):
            return True
    noun = span.root
    state = word.dep_ == "amod" and word.tag_ in ("VBN", "VBD", "JJ")
    named = noun.pos_ == "NOUN" and definite(noun) and not GENERIC_KILL.search(noun.sent.text)
    return (state or named) and _violence_told_before(span)


_EARLIER_CHARS = 2000  # how far back in the report an act is sought


_VOTES_BEFORE = ("fftrack", "votes_before")


def _votes_before(span: SpacySpan) -> dict[str, float]:
    """The trigger votes of the report's text before ``span``'s sentence (as far back as
    ``_EARLIER_CHARS``), read once per sentence (kept in the doc's ``user_data``)."""
    doc = span.doc
    end = span.sent.start_char
    data: dict[Any, Any] = doc.user_data  # spaCy types it by str; tuple keys are fine
    held: dict[int, dict[str, float]] = data.setdefault(_VOTES_BEFORE, {})
    if end not in held:
        scores, _ = score_clause(doc_text(doc)[max(0, end - _EARLIER_CHARS) : end])
        held[end] = dict(scores)
    return held[end]


def _violence_told_before(span: SpacySpan) -> bool:
    """Whether the report tells an act of political violence before ``span``'s sentence:
    its votes there outweigh those for harm to things ("poisonous gas leaked from a
    chemical factory" tells an accident)."""
    scores = _votes_before(span)
    violent = sum(
        v
        for k, v in scores.items()
        if type_of(k.replace("TERRITORY", "Armed clash")) in _VIOLENT_TYPES
    )
    return violent > sum(scores.get(k, 0.0) for k in _DAMAGE)


def _phrase(tok: Token) -> str:
    """A noun with its compounds and modifiers before it ("the car bomb"), not its clauses."""
    left = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "det", "nmod")]
    return " ".join([t.text for t in left] + [tok.text])


def _ground_held(span: SpacySpan) -> bool:
    """ "attacks on towns under the control of the factions": who holds ground, told of a
    noun, is a state of things, not ground taken ("the town came under their control" is)."""
    word = span[0]
    return word.lower_ == "under" and word.dep_ == "prep" and word.head.pos_ in ("NOUN", "PROPN")


_TERRITORY_SUBS = frozenset({
    "TERRITORY", "Non-violent transfer of territory", "Government regains territory",
    "Non-state actor overtakes territory",
})  # fmt: skip


def _ground_told_again(span: SpacySpan) -> bool:
    """ "The fall of the city puts its ruins in the hands of the group", after "militants
    seized Palmyra": ground changing hands told as a noun of a place already named (a
    common noun with "the", not a name), after the report has told ground change hands."""
    act = span.root
    if act.pos_ != "NOUN":
        return False
    of = [c for c in act.children if c.dep_ == "prep" and c.lower_ == "of"]
    ground = [g for o in of for g in o.children if g.dep_ == "pobj"]
    if not any(g.pos_ == "NOUN" and definite(g) for g in ground):
        return False
    return any(k in _TERRITORY_SUBS for k in _votes_before(span))


def _party_named(span: SpacySpan) -> bool:
    """Ground changes hands between parties: "the terminal was evacuated", with no party
    named in its sentence, is people leaving a building, not a transfer of territory ("the
    rebels withdrew from the village", "the United States announced a withdrawal")."""
    sent = span.sent
    if ARMED_WORDS.search(sent.text) or any(
        e.label_ in ("ORG", "NORP", "GPE", "PERSON")
        for e in ents_within(span.doc, sent.start, sent.end)
    ):
        return True
    verb = governing_verb(span.root)
    return not any(
        c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in _BUILDINGS for c in verb.children
    )


# buildings people leave: their evacuation is no ground handed over
_BUILDINGS = frozenset({
    "terminal", "building", "hall", "hospital", "school", "station", "mall", "hotel",
    "stadium", "arena", "office", "embassy", "plant", "factory", "tower", "club",
    "theatre", "theater", "church", "mosque", "house", "home", "block", "venue", "shop",
})  # fmt: skip


def _air_force_acts(span: SpacySpan) -> bool:
    """ "the Syrian Air Force bombed a petrol station": the force is a name (no trigger of
    its own), but what it did is the strike; judged by the verb it is the subject of."""
    if "force" not in span.text.lower():
        return False
    root = span.root
    while root.dep_ == "compound" and root.head.i != root.i:
        root = root.head
    verb = root.head
    return root.dep_ == "nsubj" and verb.lemma_.lower() in _STRIKE_VERBS and is_realis(verb)


_STRIKE_VERBS = frozenset({
    "bomb", "strike", "hit", "target", "pound", "shell", "raid", "attack", "drop", "fire",
    "launch", "kill", "destroy", "conduct", "carry", "barrel-bomb", "rocket",
})  # fmt: skip


_TAKE_LEMMAS = frozenset({"capture", "seize", "take"})
_PEOPLE = frozenset({
    "soldier", "fighter", "militant", "prisoner", "hostage", "member", "civilian", "people",
    "man", "woman", "child", "officer", "commander", "rebel", "jihadist", "suspect", "pilot",
    "worker", "resident", "journalist", "guard", "troop", "policeman", "crew", "leader",
})  # fmt: skip


def _people_taken(verb: Token) -> bool:
    """ "10 soldiers it had captured", "with the pilot captured": people taken, not ground."""
    if verb.lemma_.lower() not in _TAKE_LEMMAS:
        return False
    if verb.dep_ in ("relcl", "acl", "amod") and verb.head.lemma_.lower() in _PEOPLE:
        return True
    if verb.tag_ != "VBN" or _active(verb):
        return False  # "the rebels had seized 11 villages": the rebels take, not are taken
    subjects = _subjects(verb)
    return any(c.lemma_.lower() in _PEOPLE or c.like_num for c in subjects)


def _active(verb: Token) -> bool:
    """A perfect with a subject of its own that does the act ("the rebels had seized"),
    not a passive left without its auxiliary ("56 were killed and 40 captured")."""
    kids = list(verb.children)
    return any(c.dep_ == "nsubj" for c in kids) and any(
        c.dep_ == "aux" and c.lemma_ == "have" for c in kids
    )


def _subjects(verb: Token) -> list[Token]:
    """A passive verb's subjects; for "56 soldiers were killed and 40 captured", the first
    verb's (and the number left with the second)."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubjpass", "nsubj")]
    if not subjects and verb.dep_ == "conj":
        subjects = [c for c in verb.head.children if c.dep_ in ("nsubjpass", "nsubj")]
        subjects += [c for c in verb.children if c.like_num]
    return subjects


_LEAVE_LEMMAS = frozenset({"withdraw", "evacuate", "pull", "withdrawal", "evacuation"})
_TOWARD = frozenset({"to", "towards", "toward", "into"})


def _moved_toward(verb: Token) -> bool:
    """ "ISIL withdrew 150 of its fighters towards Raqqa", "civilians evacuated to the
    nearby town": people moved toward somewhere (a movement), not ground handed over;
    "withdrew from the town" (a place left) is still a transfer."""
    if verb.lemma_.lower() not in _LEAVE_LEMMAS:
        return False
    # the prepositions of the verb's own clause (one may hang on its object: "withdrew 150
    # of its fighters towards Raqqa")
    preps = {
        t.lower_
        for t in verb.subtree
        if t.dep_ in ("prep", "advmod") and governing_verb(t.head).i == verb.i
    }
    return bool(preps & _TOWARD) and "from" not in preps and "out" not in preps


_GROUND = frozenset({
    "village", "town", "city", "hamlet", "area", "position", "hill", "base", "neighbourhood",
    "neighborhood", "district", "site", "airport", "point", "region", "territory", "airbase",
    "checkpoint", "outpost", "crossing", "camp",
})  # fmt: skip


def _ground_taken(verb: Token) -> bool:
    """ "Several villages were captured by the SDF": ground taken, not an arrest."""
    if verb.lemma_.lower() not in _TAKE_LEMMAS or verb.tag_ != "VBN" or _active(verb):
        return False
    return any(
        c.lemma_.lower() in _GROUND or c.ent_type_ in ("GPE", "LOC", "FAC") for c in _subjects(verb)
    )


__all__ = ["agreement_told_of", "decide", "realis_at", "score_clause"]
