"""extract_records over short texts we wrote: events, movements, figures, actors."""

from __future__ import annotations

from datetime import date
from typing import Any

from fftrack.extract import extract_records
from fftrack.records import Document, Place, Span


def places_for(sdoc: Any, doc: Document, names: dict[str, tuple[float, float]]) -> list[Place]:
    """Places as a geoparser would give them: every occurrence of the given names."""
    out = []
    for name, (lat, lon) in names.items():
        start = 0
        while (i := doc.text.find(name, start)) >= 0:
            span = sdoc.char_span(i, i + len(name), alignment_mode="expand")
            s = span.sent
            out.append(
                Place(
                    name,
                    Span(doc.id, i, i + len(name), s.start_char, s.end_char),
                    lat,
                    lon,
                    precision=1,
                    feature="P.PPL",
                )
            )
            start = i + len(name)
    return sorted(out, key=lambda p: p.span.start)


def run(nlp: Any, text: str, names: dict[str, tuple[float, float]], ref: date | None = None) -> Any:
    doc = Document(id="t", text=text, published=ref or date(2018, 1, 10))
    sdoc = nlp(text)
    places = places_for(sdoc, doc, names)
    result = extract_records(sdoc, doc, places)
    for group in result:
        for rec in group:
            assert 0 <= rec.span.start <= rec.span.end <= len(text)
            assert rec.span.sentence_start <= rec.span.start
            assert rec.span.end <= rec.span.sentence_end <= len(text)
    return result


def test_clash_with_fatalities(nlp: Any) -> None:
    text = (
        "On 3 January 2018, SDF forces clashed with IS in Hajin (Deir ez-Zor). "
        "Two SDF fighters and one IS militant were killed."
    )
    actors, events, _, _ = run(nlp, text, {"Hajin": (34.69, 40.83)})
    assert len(events) == 1
    ev = events[0]
    assert (ev.event_type, ev.sub_event_type) == ("Battles", "Armed clash")
    assert ev.place is not None and ev.place.name == "Hajin"
    assert ev.date is not None and ev.date.iso == "2018-01-03"
    assert ev.fatalities is not None and ev.fatalities.value == 3
    assert [a.normalized for a in ev.actors][:2] == ["Syrian Democratic Forces", "Islamic State"]
    assert {a.normalized for a in actors} >= {"Syrian Democratic Forces", "Islamic State"}


def test_shelling_no_fatalities(nlp: Any) -> None:
    text = "Regime forces shelled the town of Kafr Zita with rockets. No fatalities reported."
    _, events, _, _ = run(nlp, text, {"Kafr Zita": (35.37, 36.6)})
    assert len(events) == 1
    ev = events[0]
    assert ev.event_type == "Explosions/Remote violence"
    assert ev.sub_event_type == "Shelling/artillery/missile attack"
    assert ev.fatalities is not None and ev.fatalities.value == 0
    assert ev.actors and ev.actors[0].normalized == "Syrian Arab Army"


def test_airstrike_and_civilian_attack(nlp: Any) -> None:
    text = "Turkish warplanes carried out airstrikes on the village of Rajo, killing 4 civilians."
    _, events, _, _ = run(nlp, text, {"Rajo": (36.67, 36.67)})
    assert events[0].sub_event_type == "Air/drone strike"
    assert events[0].fatalities is not None and events[0].fatalities.value == 4


def test_gunmen_kill_civilians_is_vac(nlp: Any) -> None:
    text = "Unknown gunmen opened fire on worshipers outside a mosque in Shorsh, killing one man."
    _, events, _, _ = run(nlp, text, {"Shorsh": (35.5, 44.8)})
    assert events[0].event_type == "Violence against civilians"
    assert events[0].fatalities is not None and events[0].fatalities.value == 1


def test_territory_taken_by_government(nlp: Any) -> None:
    text = "Iraqi forces recaptured the village of Tal Abta from IS after heavy fighting."
    _, events, _, _ = run(nlp, text, {"Tal Abta": (36.0, 42.5)})
    assert events[0].sub_event_type == "Government regains territory"


def test_protest(nlp: Any) -> None:
    text = "Hundreds of teachers protested in front of the governorate building in Basra over unpaid wages."
    _, events, _, _ = run(nlp, text, {"Basra": (30.5, 47.8)})
    assert events[0].event_type == "Protests"
    assert events[0].sub_event_type == "Peaceful protest"


def test_movement_with_nationality_and_via(nlp: Any) -> None:
    text = "A group of German fighters fled from Raqqa to Idlib through Tabqa last week."
    actors, _, movements, _ = run(
        nlp,
        text,
        {"Raqqa": (35.95, 39.01), "Idlib": (35.93, 36.63), "Tabqa": (35.83, 38.55)},
        ref=date(2017, 10, 1),
    )
    assert len(movements) == 1
    mv = movements[0]
    assert mv.manner == "fled"
    assert mv.actor is not None and mv.actor.country == "DE"
    assert mv.origin is not None and mv.origin.name == "Raqqa"
    assert mv.destination is not None and mv.destination.name == "Idlib"
    assert [p.name for p in mv.via] == ["Tabqa"]
    assert mv.date is not None and mv.date.precision == "week"


def test_returnees_and_flight(nlp: Any) -> None:
    text = (
        "Some 850 Britons travelled to Syria, and about half have returned to Britain. "
        "Dozens of Tunisian fighters fled Raqqa for Turkey via Tal Abyad in 2017."
    )
    names = {
        "Syria": (35.0, 38.0),
        "Britain": (54.0, -2.0),
        "Raqqa": (35.95, 39.01),
        "Turkey": (39.0, 35.0),
        "Tal Abyad": (36.7, 38.95),
    }
    _, _, movements, figures = run(nlp, text, names, ref=date(2019, 3, 1))
    by_manner = {m.manner: m for m in movements}
    back = by_manner["returned"]
    assert back.actor is not None and back.actor.country == "GB"
    assert back.destination is not None and back.destination.name == "Britain"
    fled = by_manner["fled"]
    assert fled.actor is not None and fled.actor.country == "TN"
    assert (fled.origin.name, fled.destination.name) == ("Raqqa", "Turkey")  # type: ignore[union-attr]
    assert [p.name for p in fled.via] == ["Tal Abyad"]
    by_value = {f.value.value: f for f in figures}
    assert by_value[850].origin == "GB" and by_value[850].value.qualifier == "about"
    assert by_value[12].category == "fighters" and by_value[12].origin == "TN"


def test_language_group(nlp: Any) -> None:
    text = "Russian-speaking militants were trapped in Hajin."
    actors, _, movements, _ = run(nlp, text, {"Hajin": (34.69, 40.83)})
    assert any(a.language == "ru" for a in actors)
    assert movements and movements[0].actor is not None and movements[0].actor.language == "ru"


def test_figures(nlp: Any) -> None:
    text = (
        "According to the ICSR, up to 4,761 women travelled to join the Islamic State. "
        "From France, more than 1,900 fighters joined the group, and 7,366 have returned."
    )
    _, _, _, figures = run(nlp, text, {})
    by_value = {f.value.value: f for f in figures}
    assert by_value[4761].category == "women"
    assert by_value[4761].value.qualifier == "at_most"
    assert by_value[4761].attributed_to == "ICSR"
    assert by_value[1900].origin == "FR"
    assert by_value[1900].value.qualifier == "more_than"
    assert by_value[1900].group == "Islamic State"
    assert by_value[7366].category == "returnees"


def test_sources_disagree_and_every_figure_is_kept(nlp: Any) -> None:
    text = (
        "ICSR counted 41,490 foreign affiliates from 80 countries in 2018. "
        "The Soufan Group estimated that 27,000-31,000 foreign fighters had travelled to Syria "
        "and Iraq by December 2015. Some 5,000 foreign fighters were killed in the fighting."
    )
    _, _, _, figures = run(nlp, text, {}, ref=date(2019, 3, 1))
    by_value = {f.value.value: f for f in figures}
    assert by_value[41490].attributed_to == "ICSR"
    assert by_value[41490].as_of is not None and by_value[41490].as_of.iso == "2018"
    soufan = by_value[27000]
    assert (soufan.value.upper, soufan.value.qualifier) == (31000, "at_least")
    assert soufan.attributed_to == "Soufan Group"
    assert soufan.destination == "Syria and Iraq"
    assert soufan.as_of is not None and soufan.as_of.iso == "2015-12"
    assert by_value[5000].category == "killed"


def test_ids_are_deterministic(nlp: Any) -> None:
    text = "Regime forces shelled Saraqib. Three civilians were killed."
    a = run(nlp, text, {"Saraqib": (35.86, 36.8)})
    b = run(nlp, text, {"Saraqib": (35.86, 36.8)})
    assert [e.id for e in a[1]] == [e.id for e in b[1]]


def test_empty_text(nlp: Any) -> None:
    assert run(nlp, "", {}) == ([], [], [], [])


def test_shot_dead_read_onto_the_object_counts_every_victim(nlp) -> None:
    from fftrack.extract.counts import count_for

    doc = nlp("On Saturday, militants shot dead three women and three children.")
    toll = count_for(list(doc), {"kill"})
    assert toll is not None and toll.value == 6


def test_shot_to_death_is_a_toll(nlp) -> None:
    from fftrack.extract.counts import count_for

    for text in ("Three soldiers were later shot to death.", "Militants shot three men to death."):
        toll = count_for(list(nlp(text)), {"kill"})
        assert toll is not None and toll.value == 3, text
    assert count_for(list(nlp("Three soldiers were shot in the leg.")), {"kill"}) is None
