"""A long report tells one attack over many sentences: it stays one event."""

from __future__ import annotations

from datetime import date

from fftrack.records import Document

REPORT = (
    "A suicide bomber killed 22 people at a concert in Manchester on Monday night, "
    "police said. "
    + "Officers sealed off the streets around the venue for most of the night. "
    * 12
    + "The explosion happened in a public area outside the main hall as people were leaving. "
    "Police said they still did not know why he carried out the attack. "
    "In a separate incident, gunmen attacked a checkpoint in Kirkuk on Tuesday, killing two "
    "policemen."
)


def test_elaborations_fold_into_the_event_they_tell(pipeline) -> None:  # type: ignore[no-untyped-def]
    doc = Document(id="r", text=REPORT, published=date(2017, 5, 23))
    events = next(pipeline.process([doc])).events
    manchester = [e for e in events if e.place and e.place.name == "Manchester"]
    assert len(manchester) == 1
    # no event left with neither a place nor a date
    assert all(e.place is not None or e.date is not None for e in events), [
        (e.trigger, e.place, e.date) for e in events
    ]
    # the attack elsewhere stays its own event
    assert any(e.place and e.place.name == "Kirkuk" for e in events)
    assert manchester[0].fatalities is not None and manchester[0].fatalities.value == 22


def test_a_later_toll_keeps_its_source_sentence(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = (
        "A car bomb exploded near a market in Baghdad on Sunday, officials said. "
        + "Traffic was diverted for hours while forensic teams worked at the site. " * 12
        + "The blast killed nine people and wounded 30."
    )
    doc = Document(id="b", text=text, published=date(2018, 3, 4))
    events = next(pipeline.process([doc])).events
    assert len(events) == 1, [(e.trigger, e.place, e.date) for e in events]
    ev = events[0]
    assert ev.fatalities is not None and ev.fatalities.value == 9
    # the event's span now reaches the sentence that gives the toll
    assert text[ev.span.start : ev.span.end].endswith("wounded 30.")


def test_the_reports_own_day_does_not_keep_an_elaboration_apart() -> None:
    import dataclasses
    import datetime as dt

    from fftrack.extract.coref import fold_elaborations
    from fftrack.records import Event, Place, Span, TimeRef

    day = TimeRef(dt.date(2017, 5, 22), dt.date(2017, 5, 22), "day", "Monday")
    report_day = TimeRef(dt.date(2017, 5, 23), dt.date(2017, 5, 23), "day", None)
    place = Place("Manchester", Span("d", 0, 10, 0, 40), 53.48, -2.24, country="GB", precision=1)
    host = Event(
        "Explosions/Remote violence", "Suicide bomb", Span("d", 0, 40, 0, 40), date=day, place=place
    )
    more = Event(
        "Explosions/Remote violence", "Suicide bomb", Span("d", 41, 80, 41, 80), date=report_day
    )
    assert len(fold_elaborations([host, more])) == 1
    told = TimeRef(dt.date(2017, 5, 23), dt.date(2017, 5, 23), "day", "Tuesday")
    assert len(fold_elaborations([host, dataclasses.replace(more, date=told)])) == 2
