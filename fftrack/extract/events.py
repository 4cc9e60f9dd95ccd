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

The type a clause tells is ``fftrack.extract.event_types``; how a sentence tells an
event (a heading, a date of the saying, a mention that points back) is
``fftrack.extract.event_sentences``; where, ``fftrack.extract.event_places``.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from fftrack.extract import counts
from fftrack.extract.actors import doc_country
from fftrack.extract.clauses import OF_THE_DEAD, clauses, co_event, second_act, told_beside_a_claim
from fftrack.extract.coref import (
    attach_claims,
    claimant,
    fold_elaborations,
    like_the_one_before,
    taken_after_withdrawal,
)
from fftrack.extract.event_places import (
    carry_places,
    conjoined_places,
    focus_place,
    is_dateline,
    isolated_places,
    named_place,
    named_with_country,
    place_by_focus,
    place_for,
    stray_places,
)
from fftrack.extract.event_sentences import (
    THEN_RE,
    before_the_act,
    heading,
    is_definition,
    planned_on,
    said_on,
    told_in_a_dated_story,
    verbal_trigger,
)
from fftrack.extract.event_types import decide, realis_at, score_clause
from fftrack.extract.lexicon import (
    GENERIC_KILL,
    TRIGGERS,
)
from fftrack.extract.report_rules import in_a_note, in_a_report
from fftrack.extract.spanlist import spans_within
from fftrack.extract.tables import Row, row_at, row_toll
from fftrack.extract.taxonomy import BATTLES, EXPLOSIONS, VAC, type_of
from fftrack.extract.timeline import DateMention, DocDates
from fftrack.nlp.docview import doc_sents, doc_text
from fftrack.records import Actor, Document, Event, Place, Quantity, Span, TimeRef

if TYPE_CHECKING:
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

# v2: elaborations folded into their event (coref); v3: only a mention that points back is
# folded, a town abroad the report gives no sign of is no place, a placeless event is near
# the report's town, fighting and air strikes in one clause are two events, a date of the
# saying is the event's only where the sentence gives no other; v4: a killing told without a
# doer is the toll of the act before it, one sentence per line of a list or feed; v5: tolls
# stated as such ("the death toll rose to 30", "left 14 dead", a named person killed), a
# definite act as the doer of a killing ("the strikes killed 38") is that act's toll; v6: a
# table row's place, date and toll from the cells under its header's columns, the days of a
# date are no count, what people become or are readied for is no event
NAME = "extract.events.v9"


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
    first_end: int = -1  # where its first clause ends (the sentences after it merged in)


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
    # a heading line ("11 October 2019", "Aftermath") ends the event before it: what
    # follows it starts anew
    after_heading = False
    for sent in doc_sents(sdoc):
        if long_doc and heading(sent, text):
            prev_sent_end, pending, after_heading = sent.end_char, None, True
            continue
        if long_doc and is_definition(sent):
            prev_sent_end = sent.end_char
            continue
        for cs, ce, toks in clauses(sent):
            ctext = text[cs:ce]
            keep = partial(realis_at, sdoc, cs)
            if long_doc:
                keep = partial(in_a_report, sdoc, cs, ctext, keep)
            else:
                keep = partial(in_a_note, ctext, keep)
            scores, trig = score_clause(ctext, keep)
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
            # "30 of the dead were found in two mass graves": the victims of the act told
            # before in the paragraph, however many sentences back
            of_the_dead = (
                prev is not None
                and new_sentence
                and OF_THE_DEAD.match(ctext) is not None
                and "\n" not in text[prev.end : cs]
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
            adjacent = (
                prev is not None
                and not (after_heading and new_sentence)
                and (
                    prev.end >= cs - 3
                    or prev.sent_end >= sent.start_char - 2
                    or prev_sent_end == sent.start_char
                )
            )
            if (
                prev is not None
                and (adjacent or of_the_dead)
                and (
                    only_detail
                    or of_the_dead
                    or (same_kind and prev.sent_end <= sent.start_char and _short_doc(text))
                    or (same_kind and THEN_RE.match(ctext) is not None)
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
            c = _Candidate(cs, ce, sent.start_char, sent.end_char, first_end=ce)
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
        after_heading = False
    events: list[Event] = []
    # what the whole report says once: its country, and its towns far from all the others
    country = doc_country(places)
    isolated = (isolated_places(places) | stray_places(places)) - named_with_country(places, text)
    for c in cands:
        events.extend(_build(c, sdoc, document, places, actors, dates, country, isolated))
    events = taken_after_withdrawal(like_the_one_before(events, text), text)
    new_act = None if _short_doc(text) else partial(verbal_trigger, sdoc, text)
    events = attach_claims(
        fold_elaborations(
            events,
            new_act,
            partial(_restates_toll, text),
            partial(_more_victims, text),
            partial(_names_its_place, text),
        ),
        partial(_claimed_act, text),
    )
    return place_by_focus(carry_places(events, text, country), focus_place(places, isolated))


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


def _event_date(sdoc: Doc, dates: DocDates, c: _Candidate, trig: int) -> TimeRef | None:
    """The date of the clause nearest the trigger, else the sentence's first; a date of
    the saying ("medical workers said on Wednesday") only where the sentence gives no
    other."""

    def told(m: DateMention) -> bool:
        return not said_on(sdoc, m) and not planned_on(sdoc, m)

    def not_before(m: DateMention) -> bool:
        return not before_the_act(sdoc, m) and not planned_on(sdoc, m)

    rest = _sentence_end(doc_text(sdoc), c.sent_end)
    opening = [t for t in c.triggers if t[0] < c.first_end] if c.end > c.first_end else []
    if opening:
        # "On 11 October, the army started encircling X, with the city surrounded by the
        # following day. The army then pushed into the city": the day the act began, told
        # with its first trigger, not a later day of a sentence merged into it
        first = max(opening, key=lambda t: t[3])[0]
        found = dates.nearest(c.start, c.first_end, first, keep=told)
        if found is not None:
            return found
    found = dates.nearest(c.start, c.end, trig, keep=told)
    if found is not None and found.precision == "day" and dates.within(c.start, c.end):
        # "After X advanced on 10 February, the next day it was reported that rebels had
        # captured ...": the day of the saying, not the day before the act
        if not any(told(m) and not_before(m) for m in dates.within(c.start, c.end)):
            said = dates.nearest(c.start, c.end, trig, keep=not_before)
            found = said or found
    return (
        found
        or dates.first(c.sent_start, c.sent_end, keep=told)
        or dates.first(c.sent_end, rest, keep=told)
        or dates.nearest(c.start, c.end, trig)
        or dates.first(c.sent_start, c.sent_end)
    )


_SENTENCE_STOP = re.compile(r"[.!?](?=[\"'\u201d\u2019)\]]*(?:\s|$))|\n")


def _sentence_end(text: str, end: int) -> int:
    """Where a sentence the model cut before its full stop ends ("The SDF captured Qal'at
    Ja'bar" + "(Ja'bar Castle) from ISIL on 6 January."): the next full stop on its line;
    ``end`` itself where the sentence is whole."""
    told = text[:end].rstrip()
    if not told or told[-1] in ".!?:;\"'\u201d\u2019|":
        return end
    m = _SENTENCE_STOP.search(text, end, min(len(text), end + 300))
    return m.end() if m else end


def _restates_toll(text: str, ev: Event) -> bool:
    """The event is a toll stated as such, its trigger inside the phrase ("the number of
    those killed was updated to 40", "the death toll rose to 30"): a later figure for an
    act already told, not an act of its own."""
    s = text[ev.span.start : ev.span.end]
    at = s.find(ev.trigger) if ev.trigger else -1
    return at >= 0 and any(a <= at < b for a, b in counts.toll_phrases(s))


# "killed in the rebel attack on Adra": the place the act of a restated toll was told at
_ACT_AT = re.compile(r"\b(?:in|on|at|near)\s+(?:the\s+)?([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?)")


def _names_its_place(text: str, host: Event, ev: Event) -> bool:
    """A restated toll ("the number confirmed killed in the rebel attack on Adra had risen
    to 32") names, inside its toll phrase, a place the host's own sentence names."""
    s = text[ev.span.start : ev.span.end]
    told = text[host.span.start : host.span.end]
    for a, b in counts.toll_phrases(s):
        for m in _ACT_AT.finditer(s, a, b):
            if re.search(rf"\b{re.escape(m.group(1))}\b", told):
                return True
    return False


_ALSO_KILLED = re.compile(
    r"\b(?:were|was|have been|had been|are)\s+also\s+(?:killed|dead)\b|"
    r"\balso\s+(?:died|perished)\b|\b(?:killed|dead)\s+as\s+well\b",
    re.I,
)


# "20 soldiers were killed in it": victims of the act just told
_KILLED_IN_IT = re.compile(r"\b(?:killed|died|dead)\s+in\s+it\b", re.I)
_VICTIM_WORDS = re.compile(r"\s*((?:[A-Za-z'-]+\s+){1,3}?)(?:were|was|have|had|being|died)\b", re.I)


def _victim_words(text: str, ev: Event) -> set[str] | None:
    """The words that name who was killed, between the toll and its verb ("36 ISIL fighters
    being killed" -> {"isil", "fighters"})."""
    q = ev.fatalities
    told = text[ev.span.start : ev.span.end]
    first = (q.text or "").split(" + ")[0] if q is not None else ""
    at = told.find(first) if first else -1
    m = _VICTIM_WORDS.match(told, at + len(first)) if at >= 0 else None
    return set(m.group(1).lower().split()) if m else None


def _other_victims(text: str, host: Event, ev: Event) -> bool:
    """ "The attack failed with 36 ISIL fighters being killed. At least 20 pro-government
    fighters were killed in it": the later toll names other victims than the host's."""
    a, b = _victim_words(text, host), _victim_words(text, ev)
    return a is not None and b is not None and a != b and not (a <= b or b <= a)


def _more_victims(text: str, host: Event, ev: Event) -> bool:
    """ "Dozens of rebels were also killed during the battle": a toll of more victims of
    the act told before, to add to its toll (not to a total: "overall, 85 were killed")."""
    told_ev = text[ev.span.start : ev.span.end]
    if _ALSO_KILLED.search(told_ev) is None and not (
        _KILLED_IN_IT.search(told_ev) and _other_victims(text, host, ev)
    ):
        return False
    h = host.fatalities
    told = text[host.span.start : host.span.end]
    return h is not None and h.upper is None and counts.RESTATED.search(told) is None


def _row_reading(
    row: Row,
    text: str,
    places: Sequence[Place],
    dates: DocDates,
    place: Place | None,
    date: TimeRef | None,
    fat: Quantity | None,
) -> tuple[Place | None, TimeRef | None, Quantity | None]:
    """A table row says where, when and how many died in the cells under its header's
    columns ("Location", "Date", "... fatalities"): those stand over what the row's words
    were read to say."""
    cell = row.cell("place")
    if cell is not None:
        inside = [p for p in spans_within(places, *cell) if p.resolved]
        best = min(inside, key=lambda p: p.precision or 1) if inside else None
        if best is not None and (place is None or not row.start <= place.span.start < row.end):
            place = best  # the row's place, unless its words name one
    cell = row.cell("date")
    if cell is not None:
        date = dates.first(*cell) or date
    if fat is None:
        fat = row_toll(text, row)
    return place, date, fat


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
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
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
        if tok.dep_ in ("xcomp", "conj", "advcl", "ccomp", "relcl") and tok.head.i != tok.i:
            tok = tok.head
        else:
            break
    before = [a for a in actors if a.span.end <= pos]
    return before[-1] if before else None


CUMULATIVE_TOLL = 100  # a toll this big with no place is a running total
# a toll told of the act just told ("during the takeover")
_DURING_THE_ACT = re.compile(
    r"\b(?:during|in|after) (?:the|this|that) (?:takeover|attack|assault|fighting|clash(?:es)?|"
    r"battle|raid|bombing|massacre|ambush|strikes?|airstrikes?|shelling|explosion|blast)\b",
    re.I,
)
_AS_OF = re.compile(r"\bas of\b", re.I)
# ground counted by its area ("recaptured 4,000 km2 of land"): the sum of a campaign's gains
_AREA = re.compile(
    r"\b\d[\d,.]*\s*(?:km2|km²|sq\.? ?(?:km|mi)|square (?:kilometres?|kilometers?|miles?)|"
    r"hectares)",
    re.I,
)
# words of a running total ("a total of", "since the start of the campaign"): a figure
_CUMULATIVE = re.compile(
    r"\ba total of\b|\bin total\b|\bso far\b|\bto date\b|\bcumulative\b"
    r"|\b(?:since|from) the (?:start|beginning|outset) of\b"
    r"|\bover the (?:past|last|course of the) (?:\w+ )?(?:years?|months?|decades?|war|conflict)\b"
    # a count of acts ("flew more than 2100 missions and carried out over 1800 air strikes")
    r"|\b(?:flew|flown|conducted|carried out|launched)\s+(?:more than |over |approximately "
    r"|about |some |nearly |at least )?\d[\d,]*\s+(?:\w+\s+)?(?:missions|sorties|strikes|raids)\b",
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
    """A note or a brief (ACLED's notes, a news ticker's item): one paragraph, short. A
    report of several paragraphs is read as a report, however short."""
    return len(text) < 1200 and "\n" not in text.strip()


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
    row = row_at(text, c.start) if "|" in text else None
    if row is not None:
        place, date, fat = _row_reading(row, text, places, dates, place, date, fat)
    inj = counts.injured(c.tokens, ctext)
    strong = max(w for _, _, _, w in c.triggers)
    if (
        strong <= 1.0
        and place is None
        and fat is None
        and inj is None
        and not (not _short_doc(text) and _dated_in_clause(dates, c, date))
    ):
        # a bare "attacks" with nothing else: not an event report ("ISIL carried out a
        # large night-time attack on 20 January" in a report is one: its day is told)
        return []
    if (
        (place is None or place.precision == 4)
        and (date is None or date.precision == "year")
        and fat is None
        and inj is None
        and not _short_doc(text)
        and not (strong >= DATED_PARAGRAPH_WEIGHT and _told_in_a_dated_paragraph(text, c, dates))
        and not (
            strong >= DATED_PARAGRAPH_WEIGHT
            and etype in (BATTLES, EXPLOSIONS, VAC)
            and told_in_a_dated_story(sdoc, dates.mentions, c.end, trig[0], trig[1])
        )
    ):
        # nothing pins it down: no place below a country, no time finer than a year, no toll
        # ("our fight against IS in Syria", "in 2013 the Taliban said its fighters were ...")
        return []
    if (
        (place is None or place.precision == 4)
        and fat is not None
        and fat.value >= CUMULATIVE_TOLL
        and not _short_doc(text)
        and not _DURING_THE_ACT.search(ctext)
    ):
        # "at least 1,232 militia fighters had been killed": a figure, not an event ("during
        # the takeover more than 150 soldiers were killed" is the toll of the act just told)
        return []
    if (
        not _short_doc(text)
        and (date is None or date.precision != "day")
        and (_CUMULATIVE.search(ctext) or (fat is not None and _AS_OF.search(ctext)))
    ):
        # "by September 2014, a total of 48 were killed", "60 have been killed as of March
        # 2016": a running total
        return []
    if not _short_doc(text) and date is not None and (date.end - date.start).days > 366:
        # "Between 22 July 2013 and 31 August 2016, during the siege of the camp 187 people
        # died": a toll over years, not an act of one place and day
        return []
    if (
        not _short_doc(text)
        and "TERRITORY" in c.scores
        and (date is None or date.precision != "day")
        and _AREA.search(ctext)
    ):
        return []  # "during May, YPG forces recaptured 4,000 km2 of land": gains summed up
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
        # "Two suspects are taken into custody, and IS claims responsibility": the claim goes
        # to the attack, the arrest told beside it is an event of its own
        arrest = second_act(c.triggers, text, told_beside_a_claim)
        if arrest is not None:
            out.append(_as_act(ev, arrest))
    co = None if _short_doc(text) else co_event(c.triggers, c.start, c.end, text, etype)
    if co is not None:
        out.append(dataclasses.replace(_as_act(ev, co), fatalities=None, injured=None))
    return out


def _dated_in_clause(dates: DocDates, c: _Candidate, date: TimeRef | None) -> bool:
    """The clause itself tells the calendar day of its act ("an attack on 20 January"; not
    "by the morning")."""
    if date is None or date.precision != "day":
        return False
    return any(
        m.time == date and any(ch.isdigit() for ch in m.text)
        for m in dates.within(c.start, c.first_end)
    )


def _as_act(ev: Event, act: tuple[str, str, str]) -> Event:
    """``ev`` as the second act its clause tells (type, sub-type, trigger), less sure."""
    etype, sub, trigger = act
    return dataclasses.replace(
        ev,
        event_type=etype,
        sub_event_type=sub,
        trigger=trigger,
        confidence=round(ev.confidence * 0.8, 4),
    )


def _role(sdoc: Doc, actor: Actor) -> int:
    """-1 for an agent ("by X"), 1 for a victim or the other side ("X were killed",
    "clashes with X"), 0 otherwise."""
    span = sdoc.char_span(actor.span.start, actor.span.end, alignment_mode="expand")
    if span is None:
        return 0
    tok = span.root
    for _ in range(4):  # "Iraqi army personnel", "2 members of the PMF": up to the phrase head
        if tok.dep_ in ("compound", "amod", "nmod", "poss", "appos") and tok.head.i != tok.i:
            tok = tok.head
        elif tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.i != tok.head.i:
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
