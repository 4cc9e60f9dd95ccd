"""The container cue the geoparser reads ("X village in southern Y") also picks an
event's place: the most specific one (fftrack.geo.cues.in_gap, used by
fftrack.extract.event_places.place_for). Short texts we wrote, places built by hand."""

from __future__ import annotations

import dataclasses

import pytest

from fftrack.extract.event_places import carry_places, place_by_focus, place_for
from fftrack.geo.cues import in_gap
from fftrack.records import Event, Place, Span


def _place(text: str, name: str, lat: float, lon: float, precision: int = 1) -> Place:
    s = text.index(name)
    return Place(
        name=name,
        span=Span("d", s, s + len(name), 0, len(text)),
        lat=lat,
        lon=lon,
        country="SY",
        feature="P.PPL",
        precision=precision,
        confidence=0.9,
    )


@pytest.mark.parametrize(
    "gap",
    [" village in southern ", " village in southeast ", " town in the northern countryside of ",
     " village in ", " near "],
)  # fmt: skip
def test_a_container_gap(gap: str) -> None:
    assert in_gap(gap)


@pytest.mark.parametrize(
    "gap",
    [", ", " and ", ", Tarmala and Raffa in ", " went to fight in ", " travelled to join IS in "],
)
def test_a_list_or_a_journey_is_not_a_container(gap: str) -> None:
    assert not in_gap(gap)


@pytest.mark.parametrize(
    "text",
    [
        "Regime forces gained control of Tarmala town in southeast Idleb.",
        "Rebels controlled Tarmala village in the southern countryside of Idleb.",
    ],
)
def test_the_event_is_at_the_village_not_its_governorate(text: str) -> None:
    village = _place(text, "Tarmala", 35.52, 36.48)
    town = _place(text, "Idleb", 35.93, 36.63)  # read as the town that names it
    trig = text.index("control")
    assert place_for([village, town], 0, len(text), trig, text) is village


def test_two_places_of_a_list_keep_the_nearest() -> None:
    text = "Regime forces shelled Tarmala and Idleb on Monday."
    village = _place(text, "Tarmala", 35.52, 36.48)
    town = _place(text, "Idleb", 35.93, 36.63)
    assert place_for([village, town], 0, len(text), text.index("shelled"), text) is village


def test_a_country_before_a_town_is_not_a_place_inside_it() -> None:
    text = "Seven civilians were killed in Syria by Turkish forces in the Tarmala area."
    country = _place(text, "Syria", 35.0, 38.0, precision=4)
    village = _place(text, "Tarmala", 35.52, 36.48)
    assert place_for([country, village], 0, len(text), text.index("killed"), text) is village


def test_a_town_resolved_abroad_is_a_stray_beside_a_named_country() -> None:
    from dataclasses import replace

    from fftrack.extract.event_places import stray_places

    text = "Fighting in Syria near Hajin; airstrikes hit the Sheikh Hamad neighbourhood."
    syria = _place(text, "Syria", 35.0, 38.0, precision=4)
    hajin = _place(text, "Hajin", 34.69, 40.83)
    abroad = replace(_place(text, "Hamad", 13.22, 45.31), country="YE")
    assert stray_places([syria, hajin, abroad]) == {abroad.span.start}
    # no country named and one town in each: nothing to hold either against
    assert stray_places([hajin, abroad]) == frozenset()


def test_a_neighbourhood_in_its_town_and_a_province_near_a_landmark() -> None:
    text = "A bomb exploded in the Karrada district of Baghdad."
    hood = _place(text, "Karrada", 33.30, 44.42, precision=2)
    town = _place(text, "Baghdad", 33.34, 44.40)
    assert place_for([hood, town], 0, len(text), text.index("exploded"), text) is hood
    text = "A car bomb killed six soldiers in Salahuddin province, north of Baghdad."
    province = _place(text, "Salahuddin province", 34.5, 43.5, precision=3)
    town = _place(text, "Baghdad", 33.34, 44.40)
    assert place_for([province, town], 0, len(text), text.index("killed"), text) is province


def test_a_town_written_with_its_country_is_where_the_writer_says() -> None:
    from dataclasses import replace

    from fftrack.extract.event_places import named_with_country

    text = "Talks between the two states in Astana, Kazakhstan ended."
    town = replace(_place(text, "Astana", 51.18, 71.45), country="KZ")
    country = replace(_place(text, "Kazakhstan", 48.0, 68.0, precision=4), country="KZ")
    assert named_with_country([town, country], text) == {town.span.start}
    assert named_with_country([replace(town, country="SY"), country], text) == frozenset()


def test_the_name_of_a_battle_is_no_place(nlp) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from fftrack.extract.event_places import named_place
    from fftrack.records import Document

    text = "The group participated in the Siege of Kafr Rumman."
    doc = Document(id="d", text=text, published=date(2016, 1, 1))
    assert named_place(doc, list(nlp(text)), [], "x") is None
    text = "Gunmen opened fire on the Westminster Bridge."
    doc = Document(id="d", text=text, published=date(2016, 1, 1))
    got = named_place(doc, list(nlp(text)), [], "x")
    assert got is not None and "Westminster" in got.name


def test_the_town_of_a_region_named_before_it() -> None:
    text = "Jets bombed the Idlib town of Saraqib."
    city = _place(text, "Idlib", 35.93, 36.63)
    town = _place(text, "Saraqib", 35.86, 36.81)
    assert place_for([city, town], 0, len(text), text.index("bombed"), text) is town


def test_a_venue_its_city_and_country_are_one_place_not_a_list(nlp) -> None:  # type: ignore[no-untyped-def]
    from fftrack.extract.event_places import conjoined_places

    text = "A truck rammed into a market in Breitscheidplatz, Berlin, Germany."
    venue = _place(text, "Breitscheidplatz", 52.50, 13.33, precision=2)
    city = _place(text, "Berlin", 52.52, 13.41)
    assert conjoined_places(nlp(text), venue, [venue, city], 0, len(text)) == []
    text = "Troops entered Tell Tamer, Ain Issa and Manbij on Monday."
    a, b, c = (_place(text, n, 36.6, 40.3) for n in ("Tell Tamer", "Ain Issa", "Manbij"))
    assert conjoined_places(nlp(text), a, [a, b, c], 0, len(text)) == [b, c]


def test_a_body_named_after_a_town_is_not_where_the_event_was() -> None:
    text = "During the fighting, the leader of the Manbij Military Council was killed."
    town = _place(text, "Manbij", 36.53, 37.95)
    assert place_for([town], 0, len(text), text.index("killed"), text) is None
    text = "During the fighting, a commander was killed in Manbij."
    town = _place(text, "Manbij", 36.53, 37.95)
    assert place_for([town], 0, len(text), text.index("killed"), text) is town


@pytest.mark.parametrize(
    ("text", "name", "who"),
    [
        ("according to a Tripoli cleric", "Tripoli", True),
        ("former Guantanamo Bay detention camp detainee", "Guantanamo Bay", True),
        ("Mosul officials said", "Mosul", False),  # officials tell of where they are
        ("in Aleppo an imam was killed", "Aleppo", False),
    ],
)
def test_a_place_that_says_who_someone_is(text: str, name: str, who: bool) -> None:
    from fftrack.geo.cues import says_who

    assert says_who(text, text.index(name) + len(name)) is who


def test_the_event_is_not_placed_at_a_town_that_says_who() -> None:
    text = "Rebels attacked a checkpoint near Qalat Hosnayn, according to a Tripoli cleric."
    tripoli = _place(text, "Tripoli", 34.43, 35.84)
    unknown = Place(name="Qalat Hosnayn", span=Span("d", 34, 47, 0, len(text)), extractor="x")
    assert place_for([unknown, tripoli], 0, len(text), 8, text) is unknown


def _event(text: str, clause: str, place: Place | None) -> Event:
    s = text.index(clause)
    return Event("Battles", None, Span("d", s, s + len(clause), s, s + len(clause)), place=place)


def test_an_unknown_name_is_put_at_the_town_of_its_paragraph() -> None:
    text = (
        "Clashes broke out in Raqqa on Monday. By 1 September the SDF held the old city,"
        " though holdouts resisted in the Grand Mosque."
    )
    raqqa = _place(text, "Raqqa", 35.95, 39.01)
    s = text.index("Grand Mosque")
    mosque = Place(name="Grand Mosque", span=Span("d", s, s + 12, 0, len(text)), extractor="x")
    events = [_event(text, "Clashes broke out", raqqa), _event(text, "By 1 September", mosque)]
    second = carry_places(events, text)[1].place
    assert second is not None and second.name == "Grand Mosque"  # the name as written
    assert (second.lat, second.lon, second.country) == (35.95, 39.01, "SY")
    assert second.precision == 2 and dict(second.features).get("fallback")
    # with no event before it in the paragraph, the town the report is about
    alone = place_by_focus([_event(text, "By 1 September", mosque)], raqqa)[0].place
    assert alone is not None and alone.name == "Grand Mosque" and alone.lat == 35.95


def test_a_place_across_the_border_is_not_carried() -> None:
    text = (
        "ISIL fired two rockets on Kilis, injuring eight. The army later said it had shelled"
        " ISIL positions, killing 40 militants."
    )
    kilis = dataclasses.replace(_place(text, "Kilis", 36.72, 37.12), country="TR")
    events = [_event(text, "ISIL fired", kilis), _event(text, "The army later", None)]
    assert carry_places(events, text, "SY")[1].place is None  # a report on Syria
    assert carry_places(events, text, "TR")[1].place is kilis  # a report on Turkey
    assert carry_places(events, text)[1].place is kilis


def test_the_two_ends_of_a_between_are_one_place_not_a_list(nlp) -> None:  # type: ignore[no-untyped-def]
    from fftrack.extract.event_places import conjoined_places

    text = "Kurdish forces seized four villages on the boundary between Hasakah and Raqqa."
    a = _place(text, "Hasakah", 36.50, 40.75)
    b = _place(text, "Raqqa", 35.95, 39.01)
    assert conjoined_places(nlp(text), a, [a, b], 0, len(text)) == []
    text = "Kurdish forces seized Hasakah and Raqqa."
    a = _place(text, "Hasakah", 36.50, 40.75)
    b = _place(text, "Raqqa", 35.95, 39.01)
    assert conjoined_places(nlp(text), a, [a, b], 0, len(text)) == [b]


def test_a_village_between_two_towns_is_the_place_not_the_towns() -> None:
    text = "Special forces raided the village of Al-Kubar, between Raqqa and Deir ez-Zor."
    kubar = dataclasses.replace(_place(text, "Al-Kubar", 35.64, 39.57, 2), confidence=0.3)
    raqqa = _place(text, "Raqqa", 35.95, 39.01)
    deir = _place(text, "Deir ez-Zor", 35.34, 40.14)
    trig = text.index("raided")
    assert place_for([kubar, raqqa, deir], 0, len(text), trig, text) is kubar


def test_from_x_to_y_the_act_begins_at_x() -> None:
    text = "The SDF made a deal to evacuate ISIL militants from Raqqa to Deir ez-Zor."
    raqqa = _place(text, "Raqqa", 35.95, 39.01)
    deir = _place(text, "Deir ez-Zor", 35.34, 40.14)
    trig = text.index("deal")
    assert place_for([raqqa, deir], 0, len(text), trig, text) is raqqa
    # people from a town are not where the act was
    text = "Fighters from Raqqa shelled Deir ez-Zor on Monday."
    raqqa = _place(text, "Raqqa", 35.95, 39.01)
    deir = _place(text, "Deir ez-Zor", 35.34, 40.14)
    trig = text.index("shelled")
    assert place_for([raqqa, deir], 0, len(text), trig, text) is deir
