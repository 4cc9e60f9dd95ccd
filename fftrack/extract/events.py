"""Conflict events coded with ACLED's taxonomy, the way ACLED's coders read a report.

Rule-based: a trigger lexicon (regular expressions over the sentence, each voting for a
sub-event type with a weight), contextual rules from ACLED's codebook (who attacks whom
decides Battles vs Violence against civilians; who takes territory decides Government
regains vs Non-state actor overtakes), and the spaCy parse for casualty counts.

A sentence is cut into clauses at ";" and each clause with triggers is one event
candidate; a following sentence that only adds detail (casualties, the same kind of
violence) joins the event before it, so one event can span sentences; a later sentence
with no place of its own, and no date or the same date, is folded into the earlier event
of its kind (``fftrack.extract.coref``).
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any

from fftrack.extract import counts
from fftrack.extract.actors import doc_country
from fftrack.extract.coref import attach_claims, claimant, fold_elaborations
from fftrack.extract.event_places import (
    carry_places,
    conjoined_places,
    focus_place,
    is_dateline,
    isolated_places,
    named_place,
    place_by_focus,
    place_for,
    stray_places,
)
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
from fftrack.extract.realis import is_realis, trigger_is_realis
from fftrack.extract.spanlist import spans_within
from fftrack.extract.taxonomy import BATTLES, EXPLOSIONS, STRATEGIC, VAC, type_of
from fftrack.extract.timeline import DateMention, DocDates
from fftrack.nlp.docview import doc_text
from fftrack.records import Actor, Document, Event, Place, Span, TimeRef

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

log = logging.getLogger(__name__)

# v2: elaborations folded into their event (coref); v3: only a mention that points back is
# folded, a town abroad the report gives no sign of is no place, a placeless event is near
# the report's town, fighting and air strikes in one clause are two events, a date of the
# saying is the event's only where the sentence gives no other; v4: a killing told without a
# doer is the toll of the act before it, one sentence per line of a list or feed
NAME = "extract.events.v4"


@lru_cache(maxsize=1)
def _compiled() -> list[tuple[re.Pattern[str], str, float]]:
    return [(re.compile(rf"\b(?:{p})", re.I), sub, w) for p, sub, w in TRIGGERS]


@lru_cache(maxsize=1)
def _any_trigger() -> re.Pattern[str] | None:
    """One pattern that matches where any trigger or note label does: most clauses of a
    news report hold none, and one search tells so instead of forty."""
    try:
        return re.compile(
            "|".join(
                f"(?:{p.pattern})"
                for p in (*(q for q, _ in NOTE_LABELS), *(q for q, _, _ in _compiled()))
            ),
            re.I,
        )
    except re.error:  # a pattern that cannot be combined: search them one by one
        return None


@dataclass
class _Candidate:
    start: int  # clause bounds (chars)
    end: int
    sent_start: int
    sent_end: int
    scores: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    triggers: list[tuple[int, int, str, float]] = field(default_factory=list)
    tokens: list[Any] = field(default_factory=list)
    n_sents: int = 1


def _clauses(sent: SpacySpan) -> list[tuple[int, int, list[Any]]]:
    """Cut a sentence at semicolons and before ", including": (start_char, end_char, tokens).

    "IS claimed a string of attacks this year, including the March attack that killed
    four; the bombing in Manchester ..." holds a claim and two attacks."""
    out: list[tuple[int, int, list[Any]]] = []
    cur: list[Any] = []
    for tok in sent:
        if tok.lower_ == "including" and cur and cur[-1].text == ",":
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


def score_clause(
    text: str, keep: Callable[[int, int, str], bool] | None = None
) -> tuple[dict[str, float], list[tuple[int, int, str, float]]]:
    """Votes for sub-event types from the triggers in a clause, with the trigger spans;
    ``keep(start, end, sub)`` (clause offsets) may veto a trigger (one that did not
    happen, or that does not tell this sub-type)."""
    scores: dict[str, float] = defaultdict(float)
    trig: list[tuple[int, int, str, float]] = []
    gate = _any_trigger()
    if gate is not None and gate.search(text) is None:
        return scores, trig
    for pat, sub in NOTE_LABELS:
        m = pat.search(text)
        if m:
            scores[sub] += 20.0
            trig.append((m.start(), m.end(), sub, 20.0))
    for pat, sub, w in _compiled():
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
        if not fought and (handed or re.search(r"(?<!-)\bcontrolled\b", text)):
            s["Non-violent transfer of territory"] = (
                s.get("Non-violent transfer of territory", 0.0) + terr
            )
        else:
            gov = _territory_taker_is_gov(text, actors, taker)
            key = "Government regains territory" if gov else "Non-state actor overtakes territory"
            s[key] = terr
    if "Agreement" in s and "Non-violent transfer of territory" in s:
        s["Non-violent transfer of territory"] += s["Agreement"]
    if "Attack" in s:
        # an attack by armed actors on armed actors is a battle; on civilians it is VAC
        civ = bool(CIVILIAN_WORDS.search(text) or HORS_DE_COMBAT.search(text))
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
        if re.search(
            r"\b(?:killed|died|wounded)\s+(?:\w+\s+){0,2}in\s+(?:the\s+)?(?:\w+\s+)?"
            r"(?:fighting|clashes|battles?|combat|firefights?)\b",
            text,
            re.I,
        ):
            # "a British citizen was killed in fighting": a death in battle
            s["Armed clash"] = s.get("Armed clash", 0.0) + 2.0
        fell = re.search(
            r"\b(?:soldiers?|fighters?|troops|militants?|rebels?|policem[ae]n|"
            r"officers?|guards?|militiam[ae]n)\s+(?:\w+\s+)?(?:were|was)\s+(?:\w+\s+)?"
            r"killed\b",
            text,
            re.I,
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
            r"\b(?:bombs?|ieds?|attack\w*|militants?|terror\w*|suicide|shell\w*|air ?strikes?|rockets?|missiles?)\b",
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


def _realis_at(sdoc: Doc, offset: int, a: int, b: int, sub: str) -> bool:
    if not trigger_is_realis(sdoc, offset + a, offset + b):
        return sub == "Air/drone strike" and _air_force_acts(sdoc, offset + a, offset + b)
    if sub == "TERRITORY":
        return not _people_taken(sdoc, offset + a, offset + b)
    if sub == "Arrests":
        return not _ground_taken(sdoc, offset + a, offset + b)
    return True


def _air_force_acts(sdoc: Doc, start: int, end: int) -> bool:
    """ "the Syrian Air Force bombed a petrol station": the force is a name (no trigger of
    its own), but what it did is the strike; judged by the verb it is the subject of."""
    span = sdoc.char_span(start, end, alignment_mode="expand")
    if span is None or "force" not in span.text.lower():
        return False
    root = span.root
    while root.dep_ == "compound" and root.head is not root:
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


def _people_taken(sdoc: Doc, start: int, end: int) -> bool:
    """ "10 soldiers it had captured", "with the pilot captured": people taken, not ground."""
    span = sdoc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    verb = span.root
    if verb.lemma_.lower() not in _TAKE_LEMMAS:
        return False
    if verb.dep_ in ("relcl", "acl", "amod") and verb.head.lemma_.lower() in _PEOPLE:
        return True
    if verb.tag_ != "VBN":
        return False
    subjects = _subjects(verb)
    return any(c.lemma_.lower() in _PEOPLE or c.like_num for c in subjects)


def _subjects(verb: Token) -> list[Token]:
    """A passive verb's subjects; for "56 soldiers were killed and 40 captured", the first
    verb's (and the number left with the second)."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubjpass", "nsubj")]
    if not subjects and verb.dep_ == "conj":
        subjects = [c for c in verb.head.children if c.dep_ in ("nsubjpass", "nsubj")]
        subjects += [c for c in verb.children if c.like_num]
    return subjects


_GROUND = frozenset({
    "village", "town", "city", "hamlet", "area", "position", "hill", "base", "neighbourhood",
    "neighborhood", "district", "site", "airport", "point", "region", "territory", "airbase",
    "checkpoint", "outpost", "crossing", "camp",
})  # fmt: skip


def _ground_taken(sdoc: Doc, start: int, end: int) -> bool:
    """ "Several villages were captured by the SDF": ground taken, not an arrest."""
    span = sdoc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    verb = span.root
    if verb.lemma_.lower() not in _TAKE_LEMMAS or verb.tag_ != "VBN":
        return False
    return any(
        c.lemma_.lower() in _GROUND or c.ent_type_ in ("GPE", "LOC", "FAC") for c in _subjects(verb)
    )


def extract_events(
    sdoc: Doc,
    document: Document,
    places: Sequence[Place],
    actors: Sequence[Actor],
    dates: DocDates | None = None,
) -> list[Event]:
    """Events in a doc: one per clause with triggers, merged across sentences where a
    sentence only adds detail to the event before it."""
    text = document.text
    if dates is None:
        dates = DocDates(sdoc, document)
    cands: list[_Candidate] = []
    prev_sent_end = -1
    long_doc = not _short_doc(text)
    # a toll told before the act is named ("At least 72 people have died from the gas ...
    # Doctors said it was a nerve agent"): (start, sentence start, tokens) until a candidate
    pending: tuple[int, int, list[Any]] | None = None
    for sent in sdoc.sents:
        if long_doc and (_heading(sent, text) or _definition(sent)):
            prev_sent_end = sent.end_char
            continue
        for cs, ce, toks in _clauses(sent):
            ctext = text[cs:ce]
            scores, trig = score_clause(ctext, partial(_realis_at, sdoc, cs))
            has_kill = bool(GENERIC_KILL.search(ctext))
            no_count = bool(
                re.search(
                    r"\bno (?:\w+ ){0,3}(?:fatalit|casualt|injur|deaths)|coded as", ctext, re.I
                )
            )
            if not scores and not has_kill and not no_count:
                continue
            prev = cands[-1] if cands else None
            new_sentence = prev is not None and prev.sent_end <= sent.start_char
            only_detail = prev is not None and (
                not scores or (new_sentence and set(scores) <= {"Attack"} and _short_doc(text))
            )
            same_kind = (
                prev is not None
                and scores
                and prev.scores
                and type_of(
                    max(scores, key=lambda k: scores[k]).replace("TERRITORY", "Armed clash")
                )
                == type_of(
                    max(prev.scores, key=lambda k: prev.scores[k]).replace(
                        "TERRITORY", "Armed clash"
                    )
                )
            )
            adjacent = prev is not None and (
                prev.end >= cs - 3
                or prev.sent_end >= sent.start_char - 2
                or prev_sent_end == sent.start_char
            )
            if (
                prev is not None
                and adjacent
                and (
                    only_detail
                    or (same_kind and prev.sent_end <= sent.start_char and _short_doc(text))
                    or (same_kind and _THEN_RE.match(ctext) is not None)
                )
            ):
                prev.end = ce
                prev.sent_end = max(prev.sent_end, sent.end_char)
                prev.tokens.extend(toks)
                for k, v in scores.items():
                    prev.scores[k] += v * 0.5
                prev.triggers.extend((a + cs, b + cs, s, w) for a, b, s, w in trig)
                prev.n_sents += (
                    1 if sent.start_char >= prev.sent_start and cs == sent.start_char else 0
                )
                continue
            if not scores:
                if has_kill and pending is None:
                    pending = (cs, sent.start_char, list(toks))
                continue
            c = _Candidate(cs, ce, sent.start_char, sent.end_char)
            for k, v in scores.items():
                c.scores[k] += v
            c.triggers = [(a + cs, b + cs, s, w) for a, b, s, w in trig]
            c.tokens = list(toks)
            if pending is not None and "\n" not in text[pending[0] : cs]:
                c.start, c.sent_start = pending[0], pending[1]
                c.tokens = pending[2] + c.tokens
            pending = None
            cands.append(c)
        prev_sent_end = sent.end_char
    events: list[Event] = []
    # what the whole report says once: its country, and its towns far from all the others
    country = doc_country(places)
    isolated = isolated_places(places) | stray_places(places)
    for c in cands:
        events.extend(_build(c, sdoc, document, places, actors, dates, country, isolated))
    new_act = None if _short_doc(text) else partial(_verbal_trigger, sdoc, text)
    events = attach_claims(fold_elaborations(events, new_act), partial(_claimed_act, text))
    return place_by_focus(carry_places(events, text), focus_place(places, isolated))


REPORTING_VERBS = {
    "say", "tell", "announce", "report", "state", "claim", "confirm", "add", "declare",
    "note", "publish", "release", "issue", "name", "identify", "reveal", "disclose",
}  # fmt: skip


def _claimed_act(text: str, claim: Event) -> Event | None:
    """The act a claim names ("claims responsibility for the machete attack"), as an event
    of its own claimed by the claimant, where the report tells no other act to attach to."""
    ctext = text[claim.span.start : claim.span.end]
    scores, trig = score_clause(ctext)
    scores.pop("Attribution", None)
    trig = [t for t in trig if t[2] != "Attribution"]
    if not scores or not trig:
        return None
    etype, sub, conf = decide(ctext, scores, claim.actors)
    if etype not in (BATTLES, EXPLOSIONS, VAC):
        return None
    best = max((t for t in trig if t[2] == sub), key=lambda t: t[3], default=trig[0])
    return dataclasses.replace(
        claim,
        event_type=etype,
        sub_event_type=sub,
        trigger=ctext[best[0] : best[1]],
        claimed_by=claimant(claim),
        confidence=round(min(conf, claim.confidence) * 0.8, 4),
    )


# a clause that goes on with the same act ("...; the three occupants then abandon the van
# and embark on a stabbing spree"): one event, as an attack told over several clauses is
_THEN_RE = re.compile(r"^\W*(?:(?:the|its|their)\s+)?(?:\w+\s+){0,2}then\b", re.I)


def _heading(sent: SpacySpan, text: str) -> bool:
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


def _definition(sent: SpacySpan) -> bool:
    """ "The Tell Abyad offensive was a military operation that began in May", "The
    campaign was the second phase of ...": what a campaign is, not something that happened."""
    root = sent.root
    if root.lemma_ != "be":
        return False
    return any(c.dep_ == "attr" and c.lemma_.lower() in _NAMING_NOUNS for c in root.children)


def _said_on(sdoc: Doc, m: DateMention) -> bool:
    """A date that tells when something was said ("medical workers said on Wednesday",
    "announced on Saturday"), not when the event happened."""
    span = sdoc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    tok = span.root
    gov = None
    if tok.dep_ == "pobj" and tok.head.dep_ == "prep":
        gov = tok.head.head
    elif tok.dep_ in ("npadvmod", "tmod", "obl"):
        gov = tok.head
    if gov is not None and gov.dep_ == "nsubj" and gov.pos_ in ("NOUN", "PROPN"):
        gov = gov.head  # "officials on Wednesday named ...": the parse hangs it on the sayer
    if gov is None or gov.lemma_.lower() not in REPORTING_VERBS:
        return False
    if gov.lemma_.lower() in _RELEASE_VERBS:
        # "released a statement on Tuesday", not "the gas released over the town on Tuesday"
        things = [c for c in gov.children if c.dep_ in ("dobj", "nsubjpass")]
        if gov.dep_ in ("acl", "relcl"):
            things.append(gov.head)
        return any(t.lemma_.lower() in _STATEMENTS for t in things)
    return True


_RELEASE_VERBS = frozenset({"release", "issue", "publish"})
_STATEMENTS = frozenset({
    "statement", "report", "video", "footage", "figure", "list", "communique", "message",
    "recording", "audio", "photo", "image", "picture", "document", "letter", "data", "toll",
    "death toll", "tally", "warning", "notice", "bulletin", "account",
})  # fmt: skip


def _event_date(sdoc: Doc, dates: DocDates, c: _Candidate, trig: int) -> TimeRef | None:
    """The date of the clause nearest the trigger, else the sentence's first; a date of
    the saying ("medical workers said on Wednesday") only where the sentence gives no
    other."""

    def told(m: DateMention) -> bool:
        return not _said_on(sdoc, m)

    return (
        dates.nearest(c.start, c.end, trig, keep=told)
        or dates.first(c.sent_start, c.sent_end, keep=told)
        or dates.nearest(c.start, c.end, trig)
        or dates.first(c.sent_start, c.sent_end)
    )


def _verbal_trigger(sdoc: Doc, text: str, ev: Event) -> bool:
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
    return not (_bare_toll(span.root) or _told_again(span.root))


def _told_again(verb: Token) -> bool:
    """ "The device was detonated in the foyer": a passive without a doer whose subject is
    a thing already named ("the device") tells more of an act, not a new one."""
    kids = list(verb.children)
    if not any(c.dep_ == "auxpass" for c in kids) or any(c.dep_ == "agent" for c in kids):
        return False
    return any(
        c.dep_ == "nsubjpass"
        and any(d.dep_ == "det" and d.lower_ in ("the", "this", "that") for d in c.children)
        for c in kids
    )


def _bare_toll(verb: Token) -> bool:
    """A killing told without a doer ("25 people were killed", "six died"): the toll of
    an act the report has told, not an act of its own."""
    lemma = verb.lemma_.lower()
    if lemma == "die":
        return True
    if lemma not in counts.KILL_LEMMAS and lemma not in counts.INJURE_LEMMAS:
        return False
    kids = list(verb.children)
    return any(c.dep_ == "auxpass" for c in kids) and not any(c.dep_ == "agent" for c in kids)


def _taker(sdoc: Doc, c: _Candidate, actors: Sequence[Actor]) -> Actor | None:
    """The actor that takes territory: the subject of the territory trigger's verb."""
    trig = [t for t in c.triggers if t[2] == "TERRITORY"]
    if not trig:
        return None
    pos = trig[0][0]
    span = sdoc.char_span(pos, trig[0][1], alignment_mode="expand")
    if span is None:
        return None
    tok = span.root
    for _ in range(3):
        if tok.pos_ in ("VERB", "AUX") or tok.head is tok:
            break
        tok = tok.head
    for _ in range(4):
        subj = [ch for ch in tok.children if ch.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            a0 = subj[0].left_edge.idx
            a1 = subj[0].right_edge.idx + len(subj[0].right_edge.text)
            inside = spans_within(actors, a0, a1)
            passive = subj[0].dep_ == "nsubjpass" and re.search(
                r"\b(?:pushed|driven|expelled|forced|ousted|routed)\b", tok.sent.text, re.I
            )
            if tok.lemma_ == "fall":
                # "the town fell to IS": the taker follows the verb
                after = [a for a in actors if a.span.start > tok.idx]
                return after[0] if after else None
            if passive or tok.lemma_ == "lose":
                # "IS were pushed back from ...", "the army lost control of X to IS": the
                # subject lost ground; the other side took it
                others = [a for a in actors if not (a.span.start >= a0 and a.span.end <= a1)]
                if others:
                    return others[0]
                loser = inside[0] if inside else None
                if loser is not None and loser.kind == "armed_group":
                    return Actor("government forces", loser.span)  # judged by GOV_NAME
                if loser is not None:
                    return Actor("an armed group", loser.span)  # the state lost it
                return None
            if inside:
                return inside[0]
            # an unlisted subject ("SANA-Army units"): judge it by its words
            text = doc_text(tok.doc)
            return Actor(text[a0:a1], Span("", a0, a1, a0, a1))
        if tok.dep_ in ("xcomp", "conj", "advcl", "ccomp", "relcl") and tok.head is not tok:
            tok = tok.head
        else:
            break
    before = [a for a in actors if a.span.end <= pos]
    return before[-1] if before else None


CUMULATIVE_TOLL = 100  # a toll this big with no place is a running total
# words of a running total ("a total of", "since the start of the campaign"): a figure
_CUMULATIVE = re.compile(
    r"\ba total of\b|\bin total\b|\bso far\b|\bto date\b|\bcumulative\b"
    r"|\b(?:since|from) the (?:start|beginning|outset) of\b"
    r"|\bover the (?:past|last|course of the) (?:\w+ )?(?:years?|months?|decades?|war|conflict)\b",
    re.I,
)


def _context_date(text: str, pos: int, dates: DocDates, document: Document) -> TimeRef | None:
    """The date of an event told without one: the date its paragraph has reached, else
    the publication day of a dated report (a news item tells what just happened), else
    the date an undated narrative has reached."""
    found = _paragraph_date(text, pos, dates)
    if found is not None:
        return found
    if document.published is not None:
        d = document.published
        return TimeRef(d, d, "day", None)
    return dates.before(pos)  # an undated narrative: the date its story has reached


DATED_PARAGRAPH_WEIGHT = 2.5  # a trigger this strong (shelling, air strikes, ...)


def _told_in_a_dated_paragraph(text: str, c: _Candidate, dates: DocDates) -> bool:
    """A narrative paragraph that has reached a day ("On 26 July, ... Also during this
    time, ISIL forces retreated from the air base"): a strong trigger there tells an act of
    that day, not a generic statement."""
    found = _paragraph_date(text, c.start, dates)
    return found is not None and found.precision == "day"


def _paragraph_date(text: str, pos: int, dates: DocDates) -> TimeRef | None:
    """The date the paragraph holding ``pos`` has reached before it."""
    para = text.rfind("\n\n", 0, pos)
    return dates.before(pos, max(0, para))


def _short_doc(text: str) -> bool:
    return len(text) < 1200


def _build(
    c: _Candidate,
    sdoc: Doc,
    document: Document,
    places: Sequence[Place],
    actors: Sequence[Actor],
    dates: DocDates,
    country: str | None,
    isolated: frozenset[int],
) -> list[Event]:
    text = document.text
    ctext = text[c.start : c.end]
    ev_actors = spans_within(actors, c.start, c.end)
    taker = _taker(sdoc, c, ev_actors) if "TERRITORY" in c.scores else None
    etype, sub, conf = decide(ctext, c.scores, ev_actors, taker)
    if not c.triggers:
        return []
    # the trigger: the strongest one voting for the chosen sub-type
    chosen = [t for t in c.triggers if t[2] == sub or (t[2] == "TERRITORY" and etype == BATTLES)]
    # the strongest; among equals a singular trigger ("vehicle attack") over a generic plural
    trig = max(
        chosen or c.triggers,
        key=lambda t: (t[3], not text[t[0] : t[1]].lower().endswith("s"), -t[0]),
    )
    trig_text = text[trig[0] : trig[1]]
    place = place_for(places, c.start, c.end, trig[0], text, actors, country, isolated, sdoc)
    if place is None:
        place = named_place(document, c.tokens, actors, NAME)
    if place is None:
        place = place_for(
            places, c.sent_start, c.sent_end, trig[0], text, actors, country, isolated, sdoc
        )
    if place is not None and place.span.start in isolated:
        place = None  # better no place than one on another continent
    if place is not None and is_dateline(place, text) and (place.precision or 1) < 2:
        place = dataclasses.replace(place, precision=2)  # only where it was filed from
    date = _event_date(sdoc, dates, c, trig[0])
    fat = counts.fatalities(c.tokens, ctext)
    inj = counts.injured(c.tokens, ctext)
    strong = max(w for _, _, _, w in c.triggers)
    if strong <= 1.0 and place is None and fat is None and inj is None:
        return []  # a bare "attacks" with nothing else: not an event report
    if (
        (place is None or place.precision == 4)
        and (date is None or date.precision == "year")
        and fat is None
        and inj is None
        and not _short_doc(text)
        and not (strong >= DATED_PARAGRAPH_WEIGHT and _told_in_a_dated_paragraph(text, c, dates))
    ):
        # nothing pins it down: no place below a country, no time finer than a year, no toll
        # ("our fight against IS in Syria", "in 2013 the Taliban said its fighters were ...")
        return []
    if (
        (place is None or place.precision == 4)
        and fat is not None
        and fat.value >= CUMULATIVE_TOLL
        and not _short_doc(text)
    ):
        return []  # "at least 1,232 militia fighters had been killed": a figure, not an event
    if (
        not _short_doc(text)
        and (date is None or date.precision != "day")
        and _CUMULATIVE.search(ctext)
    ):
        return []  # "by September 2014, a total of 48 were killed": a running total
    if date is None:
        date = _context_date(text, c.start, dates, document)
    ordered = _order_actors(ev_actors, trig[0], etype, sdoc)
    span = Span(document.id, c.start, c.end, c.sent_start, c.sent_end)
    ev = Event(
        event_type=etype,
        sub_event_type=sub,
        span=span,
        date=date,
        place=place,
        actors=tuple(ordered),
        fatalities=fat,
        injured=inj,
        trigger=trig_text,
        extractor=NAME,
        confidence=conf,
    )
    others = conjoined_places(sdoc, place, places, c.start, c.end, isolated) if place else []
    out = [ev] + [dataclasses.replace(ev, place=p, part=n) for n, p in enumerate(others, 1)]
    if sub == "Attribution":
        out.extend(_beside_a_claim(c, text, ev))
    co = None if _short_doc(text) else _co_event(c, text, etype)
    if co is not None:
        co_type, co_sub, co_trig = co
        out.append(
            dataclasses.replace(
                ev,
                event_type=co_type,
                sub_event_type=co_sub,
                trigger=co_trig,
                fatalities=None,
                injured=None,
                confidence=round(conf * 0.8, 4),
            )
        )
    return out


CO_EVENT_MIN_WEIGHT = 2.0


def _beside_a_claim(c: _Candidate, text: str, ev: Event) -> list[Event]:
    """ "Two suspects are taken into custody, and IS claims responsibility": the claim goes
    to the attack, the arrest told beside it is an event of its own."""
    rest = [
        t
        for t in c.triggers
        if t[2] not in ("Attribution", "TERRITORY", "Other") and type_of(t[2]) == STRATEGIC
    ]
    best = max(rest, key=lambda t: t[3], default=None)
    if best is None or best[3] < CO_EVENT_MIN_WEIGHT:
        return []
    return [
        dataclasses.replace(
            ev,
            event_type=STRATEGIC,
            sub_event_type=best[2],
            trigger=text[best[0] : best[1]],
            confidence=round(ev.confidence * 0.8, 4),
        )
    ]


def _co_event(c: _Candidate, text: str, etype: str) -> tuple[str, str, str] | None:
    """A second act the clause tells beside the coded one: fighting and air strikes or
    shelling in one breath ("heavy clashes took place ... with warplanes carrying out
    airstrikes") are two events to a coder, a battle and a remote-violence event. Only
    between those two types, from a trigger of its own; the toll stays with the first."""
    if etype not in (BATTLES, EXPLOSIONS):
        return None
    best: tuple[float, int, int, str] | None = None
    for a, b, sub, w in c.triggers:
        if sub == "TERRITORY" or w < CO_EVENT_MIN_WEIGHT:
            continue
        t = type_of(sub)
        if t not in (BATTLES, EXPLOSIONS) or t == etype:
            continue
        if best is None or w > best[0]:
            best = (w, a, b, sub)
    if best is None:
        return None
    return type_of(best[3]), best[3], text[best[1] : best[2]]


def _role(sdoc: Doc, actor: Actor) -> int:
    """-1 for an agent ("by X"), 1 for a victim or the other side ("X were killed",
    "clashes with X"), 0 otherwise."""
    span = sdoc.char_span(actor.span.start, actor.span.end, alignment_mode="expand")
    if span is None:
        return 0
    tok = span.root
    for _ in range(4):  # "Iraqi army personnel", "2 members of the PMF": up to the phrase head
        if tok.dep_ in ("compound", "amod", "nmod", "poss", "appos") and tok.head is not tok:
            tok = tok.head
        elif tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head is not tok.head:
            tok = tok.head.head
        else:
            break
    if tok.dep_ == "nsubjpass":
        return 1 if tok.head.lemma_ in VICTIM_VERBS else 0
    if tok.dep_ == "pobj":
        prep = tok.head
        if (prep.lower_ == "by" or prep.dep_ == "agent") and prep.head.lemma_ not in (
            "support",
            "back",
            "lead",
            "accompany",
            "ally",
            "assist",
            "comprise",
            "aid",
            "join",
        ):
            return -1
        if prep.lower_ in ("with", "against", "on", "at", "from") and prep.head.lemma_ in (
            "clash",
            "fighting",
            "attack",
            "battle",
            "clashes",
            "target",
            "fire",
            "shell",
        ):
            return 1
    if tok.dep_ in ("dobj",) and tok.head.lemma_ in VICTIM_VERBS | {
        "target",
        "attack",
        "shell",
        "hit",
    }:
        return 1
    return 0


VICTIM_VERBS = {"kill", "injure", "wound", "shoot", "hurt", "arrest", "detain", "abduct", "kidnap", "target", "hit", "execute", "capture"}  # fmt: skip


def _order_actors(
    actors: Sequence[Actor], trig_pos: int, etype: str, sdoc: Doc | None = None
) -> list[Actor]:
    """actor1 first: the agent, then actors before the trigger; victims and civilians last;
    protesters first in protests, rioters in riots."""
    seen: set[str] = set()
    uniq: list[Actor] = []
    for a in actors:
        if a.key in seen:
            continue
        seen.add(a.key)
        uniq.append(a)
    roles = {id(a): (_role(sdoc, a) if sdoc is not None else 0) for a in uniq}

    def rank(a: Actor) -> tuple[int, int, int, int]:
        lead = 0
        if etype == "Protests":
            lead = 0 if a.kind == "protesters" else 1
        elif etype == "Riots":
            lead = 0 if a.kind in ("rioters", "protesters") else 1
        civ = 1 if a.kind == "civilians" and etype in (VAC, EXPLOSIONS, BATTLES) else 0
        after = 1 if a.span.start > trig_pos else 0
        return (lead, civ, roles[id(a)], after * 0 + a.span.start)

    return sorted(uniq, key=rank)


__all__ = ["NAME", "TRIGGERS", "decide", "extract_events", "score_clause"]
