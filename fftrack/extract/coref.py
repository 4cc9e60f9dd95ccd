"""Within-report event coreference: a later sentence that names no place of its own, and
no date or the same date ("The explosion happened outside the main hall", "Police said
they still did not know why he carried out the attack"), most often tells more of an
event the report has already coded. As ACLED's coders would, it is folded into that
event rather than kept as a new event with nowhere (and often no when).

Pure function over the events of one document, in text order.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence

from fftrack.extract.event_types import score_clause
from fftrack.extract.taxonomy import BATTLES, EXPLOSIONS, STRATEGIC, VAC, type_of
from fftrack.records import Event, Quantity, Span

# ACLED types that one attack is often reported under across sentences ("the bombing",
# "the attack", "the blast")
_ONE_ATTACK = {EXPLOSIONS, VAC}


def _compatible(host: Event, ev: Event) -> bool:
    if host.event_type == ev.event_type:
        return True
    return host.event_type in _ONE_ATTACK and ev.event_type in _ONE_ATTACK


def _absorb(host: Event, ev: Event, restated: bool = False) -> Event:
    """``host`` told more by ``ev``: missing counts and actors come from ``ev`` (a toll
    ``ev`` states anew, "the number of those killed was updated to 40", stands over the
    host's: the latest figure); where they do, the span grows to ``ev``'s sentence so that
    every number keeps its source."""
    changes: dict[str, object] = {}
    if ev.fatalities is not None and (host.fatalities is None or restated):
        changes["fatalities"] = ev.fatalities
    if host.injured is None and ev.injured is not None:
        changes["injured"] = ev.injured
    if changes:
        changes["span"] = _grown(host.span, ev.span)
    keys = {a.key for a in host.actors}
    extra = tuple(a for a in ev.actors if a.key not in keys)
    if extra:
        changes["actors"] = host.actors + extra
    if ev.confidence > host.confidence:
        changes["confidence"] = ev.confidence
    return dataclasses.replace(host, **changes) if changes else host  # type: ignore[arg-type]


def _add(host: Event, ev: Event) -> Event:
    """``ev`` tells more victims of ``host`` ("dozens of rebels were also killed"): the
    tolls add up, and the span grows to ``ev``'s sentence."""
    h, e = host.fatalities, ev.fatalities
    assert h is not None and e is not None
    qual = h.qualifier if h.qualifier == e.qualifier else "at_least"
    total = Quantity(h.value + e.value, qual, text=f"{h.text or h.value} + {e.text or e.value}")
    return dataclasses.replace(host, fatalities=total, span=_grown(host.span, ev.span))


def _grown(s: Span, more: Span) -> Span:
    """``s`` grown to the end of ``more``, a later mention's sentence."""
    return Span(
        s.document_id,
        s.start,
        max(s.end, more.end),
        s.sentence_start,
        max(s.sentence_end, more.sentence_end),
    )


def _same_time(host: Event, ev: Event) -> bool:
    if ev.date is None or ev.date.text is None:
        return True  # no date, or only the report's own day (no date read in the text)
    if host.date is None:
        return False
    if ev.date.precision == "day" and host.date.precision in ("month", "season", "year"):
        return False  # "On 10 October, fighting began": an act of its day, not the campaign's
    return ev.date.start <= host.date.end and host.date.start <= ev.date.end


def _same_place_act(
    out: Sequence[Event], ev: Event, same_act: Callable[[Event, Event], bool] | None
) -> int | None:
    """ "By 15 December, the number confirmed killed in the attack on Adra had risen to
    32", with no toll told before: the latest toll of the nearest earlier act of a
    compatible type, among the last few told, at the same place (or told at the place
    the toll's own words name, ``same_act``)."""
    for i in range(len(out) - 1, max(-1, len(out) - 5), -1):
        if not _compatible(out[i], ev):
            continue
        p = out[i].place
        if ev.place is not None and p is not None and p.name == ev.place.name:
            return i
        if same_act is not None and same_act(out[i], ev):
            return i
    return None


def fold_elaborations(
    events: Sequence[Event],
    new_act: Callable[[Event], bool] | None = None,
    restates: Callable[[Event], bool] | None = None,
    adds: Callable[[Event, Event], bool] | None = None,
    same_act: Callable[[Event, Event], bool] | None = None,
) -> list[Event]:
    """An event with no place of its own, and no date or one that overlaps the host's,
    is folded into the nearest earlier event of a compatible type in the same report;
    the others are kept as they are. ``new_act`` tells a mention that reports an act of
    its own ("the Tiger Forces captured two hills": a verb) from one that points back
    ("the blast also wounded 12"): such a mention is never folded. ``restates`` tells a
    mention that is only a toll stated as such ("the death toll rose to 30"): it is the
    latest toll of the last killing told, whatever its place and day; ``adds(host, ev)``
    tells a toll of more victims of the host ("dozens of rebels were also killed"): it
    adds up; ``same_act(host, ev)`` tells a restated toll that names the host's place ("killed
    in the attack on Adra"), for a toll restated where no toll was told before."""
    out: list[Event] = []
    for k, ev in enumerate(events):
        if k and ev.span == events[k - 1].span and ev.event_type != events[k - 1].event_type:
            # the second act of one clause ("a counteroffensive with a missile barrage"):
            # its own event beside the first, not more of an earlier one
            out.append(ev)
            continue
        restated = restates is not None and ev.fatalities is not None and restates(ev)
        if restated or (adds is not None and ev.fatalities is not None):
            # "The next day, the number of those killed was updated to 40": a later toll of
            # the last killing told, whatever place and day its sentence is read to have
            host = next(
                (i for i in range(len(out) - 1, max(-1, len(out) - 4), -1)
                 if out[i].fatalities is not None and _compatible(out[i], ev)
                 and (restated or _same_time(out[i], ev))),
                None,
            )  # fmt: skip
            if host is None and restated:
                host = _same_place_act(out, ev, same_act)
            if host is not None and restated:
                out[host] = _absorb(out[host], ev, True)
                continue
            if host is not None and adds is not None and adds(out[host], ev):
                out[host] = _add(out[host], ev)
                continue
        if ev.place is None and not (new_act is not None and new_act(ev)):
            for i in range(len(out) - 1, -1, -1):
                if _compatible(out[i], ev) and _same_time(out[i], ev):
                    out[i] = _absorb(out[i], ev, restated)
                    break
            else:
                out.append(ev)
            continue
        out.append(ev)
    return out


_CLAIM = re.compile(r"\bclaim|\bcredit\b", re.I)
_VIOLENT = {BATTLES, EXPLOSIONS, VAC}


def _claim_target(events: Sequence[Event], i: int) -> int | None:
    """The event a claim (or a blame) at ``events[i]`` is about: the nearest violent event
    before it in the report, else the first one after it in the same paragraph."""
    for j in range(i - 1, -1, -1):
        if events[j].event_type in _VIOLENT:
            return j
    for j in range(i + 1, len(events)):
        if events[j].event_type in _VIOLENT:
            return j
    return None


_GROUPS = ("armed_group", "state_forces", "organisation", "coalition")


def claimant(claim: Event) -> str | None:
    """Who claims (not who blames): the first armed group or organisation the claim names,
    before a described group ("in a statement circulated by its supporters")."""
    if not _CLAIM.search(claim.trigger or "") or not claim.actors:
        return None
    named = [a for a in claim.actors if a.kind in _GROUPS]
    return (named or list(claim.actors))[0].name


def attach_claims(
    events: Sequence[Event], claimed_act: Callable[[Event], Event | None] | None = None
) -> list[Event]:
    """A claim of responsibility is ``claimed_by`` on the event it claims, not an event of
    its own (as ACLED codes it); a blame or an accusation about a reported attack is
    folded into it the same way, without a claimant. A claim with no event in the report
    to attach to stays as it is (an "Attribution" record), followed by the act it names
    where ``claimed_act`` reads one ("IS claims the machete attack in Charleroi": the
    attack, claimed by IS)."""
    out = list(events)
    drop: set[int] = set()
    acts: dict[int, Event] = {}
    for i, ev in enumerate(out):
        if ev.sub_event_type != "Attribution":
            continue
        j = _claim_target(out, i)
        if j is None:
            act = claimed_act(ev) if claimed_act is not None else None
            if act is not None:
                acts[i] = act
            continue
        drop.add(i)
        who = claimant(ev)
        if who is not None and out[j].claimed_by is None:
            out[j] = dataclasses.replace(out[j], claimed_by=who)
    kept: list[Event] = []
    for i, ev in enumerate(out):
        if i not in drop:
            kept.append(ev)
            if i in acts:
                kept.append(acts[i])
    return kept


# "a similar attack", "another such attack": an act of the kind just told
_SIMILAR = re.compile(
    r"\b(?:(?:a|another) similar|another such|a second such|the same kind of)\s+(?:\w+\s+)?"
    r"attacks?\b",
    re.I,
)


def like_the_one_before(events: list[Event], text: str) -> list[Event]:
    """ "A suicide truck-bomber attacked the party's office in Kirkuk. A similar attack
    against another office in Tuz Khormato killed 5": the second act is of the first's
    type, though its own words only say "attack"."""
    out: list[Event] = []
    for ev in events:
        prev = out[-1] if out else None
        if (
            prev is not None
            and (ev.trigger or "").lower().startswith("attack")
            and _SIMILAR.search(text, ev.span.start, ev.span.end)
            and prev.event_type in (EXPLOSIONS, VAC, BATTLES)
        ):
            ev = dataclasses.replace(
                ev, event_type=prev.event_type, sub_event_type=prev.sub_event_type
            )
        elif ev.sub_event_type == "Attack":
            sub = _remote_told_before(text, ev)
            if sub is not None:
                ev = dataclasses.replace(ev, event_type=EXPLOSIONS, sub_event_type=sub)
        out.append(ev)
    return out


# "the attacks", "these attacks": acts the report has named
_THE_ATTACKS = re.compile(r"\b(?:the|these|those|this|that)\s+attacks?\b", re.I)
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n)(?=[^.!?\n]*$)")


def _remote_told_before(text: str, ev: Event) -> str | None:
    """ "The regime used chemical weapons on at least three occasions. The attacks in
    Qamenas, Sarmin and Talamenes demonstrate ...": "the attacks", told with no word of
    their own kind, are those of the sentence before, of the one remote-violence sub-type
    it tells (chemical weapons, air strikes, shelling)."""
    told = text[ev.span.start : ev.span.end]
    scores, _ = score_clause(told)
    if set(scores) != {"Attack"} or not _THE_ATTACKS.search(told):
        return None
    para = text.rfind("\n\n", 0, ev.span.sentence_start) + 2 if "\n\n" in text else 0
    before = text[max(para, 0) : ev.span.sentence_start].rstrip()
    m = _SENTENCE_START.search(before[:-1]) if before else None
    last = before[m.end() :] if m else before
    prior, _ = score_clause(last)
    kinds = {type_of(k.replace("TERRITORY", "Armed clash")) for k in prior}
    remote = [k for k in prior if type_of(k) == EXPLOSIONS]
    if kinds != {EXPLOSIONS} or len(remote) != 1:
        return None
    return remote[0]


_TAKEN = ("Government regains territory", "Non-state actor overtakes territory")
_NO_FIGHT = "Non-violent transfer of territory"
# words of fighting in the clause that takes the place ("stormed", "after clashes")
_FIGHTING = re.compile(
    r"\b(?:attack\w*|assault\w*|clash\w*|fight\w*|fought|battles?|storm\w*|shell\w*|"
    r"strikes?|bomb\w*|killed|kill\w*|resistance|offensive|push\w* back|repel\w*|"
    r"counter-?attack\w*)\b",
    re.I,
)


def taken_after_withdrawal(events: list[Event], text: str) -> list[Event]:
    """ "... most of ISIL's fighters had withdrawn from Tadef. The next day, the Syrian
    Army entered Tadef and took control of the town": ground entered after the other side
    left it, with no fighting told, is a non-violent transfer of territory (ACLED), not a
    capture. The withdrawal must be told just before (its sentence or the one before it)
    and be of the same place; it is one event with the entry, dated by the entry (the day
    the ground changed hands)."""
    out: list[Event] = []
    for ev in events:
        if ev.sub_event_type in _TAKEN and ev.place is not None:
            left = next(
                (
                    p
                    for p in reversed(out[-3:])
                    if p.sub_event_type == _NO_FIGHT
                    and p.place is not None
                    and p.place.name == ev.place.name
                    and p.span.sentence_end >= ev.span.sentence_start - 400
                    and p.span.start < ev.span.start
                ),
                None,
            )
            told = text[ev.span.start : ev.span.end]
            if left is not None and not _FIGHTING.search(told):
                out.remove(left)
                ev = dataclasses.replace(
                    ev,
                    event_type=STRATEGIC,
                    sub_event_type=_NO_FIGHT,
                    span=_grown(left.span, ev.span),
                    actors=ev.actors or left.actors,
                )
        out.append(ev)
    return out


__all__ = [
    "attach_claims",
    "claimant",
    "fold_elaborations",
    "like_the_one_before",
    "taken_after_withdrawal",
]
