"""resolve.cluster.v4-v5: reports as news tells them. A follow-up dated the day it was told;
a venue the gazetteer could not place,
or a province-level report, placed by the town another report names (not by a list of
towns); two nearby towns in two provinces kept apart; "dozens of" read as an open toll.
Records are built by hand (no model)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from test_resolve_cluster import _feat as cluster_feat

from fftrack.records import Document, Event, Extraction, Place, Quantity, Span, TimeRef
from fftrack.resolve import cluster_new_events
from fftrack.resolve.pairs import (
    TOLD_DATE,
    EventFeatures,
    fatality_interval,
    fold_name,
    named_place,
    named_town,
    score_pair,
    sentence_words,
)
from fftrack.store import Store


def _feat(i: str, **kw: object) -> EventFeatures:
    """test_resolve_cluster's features, of a bombing with no actor and no toll."""
    return cluster_feat(i, **{**_BOMBING, **kw})


_BOMBING: dict[str, object] = dict(
    event_type="Explosions/Remote violence",
    sub_event_type="Remote explosive/landmine/IED",
    actors=frozenset(),
    fatalities=None,
)


def test_a_follow_up_dated_the_day_it_was_told() -> None:
    first = _feat("a", published=100)
    said = sentence_words("The toll rose to 72 on Wednesday, medical workers said.")
    told = _feat("b", d0=101, d1=101, published=101, span_words=said)
    assert told.told
    score, feats = score_pair(first, told)
    assert feats["date"] == TOLD_DATE and score >= 0.8
    # the next day's own report (no speech, or published later): another day, another event
    plain = sentence_words("Shelling hit the town on Wednesday.")
    assert score_pair(first, _feat("c", d0=101, d1=101, published=101, span_words=plain))[0] < 0.8
    late = _feat("d", d0=101, d1=101, published=103, span_words=said)
    assert not late.told and score_pair(first, late)[0] < 0.8
    # two days apart is another event, however it was told
    assert score_pair(first, _feat("e", d0=102, d1=102, published=102, span_words=said))[0] == 0


def test_dozens_is_an_open_toll() -> None:
    dozens = {"value": 12, "qualifier": "at_least", "text": "dozens of"}
    assert fatality_interval(dozens) == (12.0, 120.0)
    assert fatality_interval({"value": 12, "qualifier": "at_least", "text": "12"}) == (12.0, 15.0)
    # a province-level "dozens" report of the town's attack, the same day
    town = _feat("a", fatalities=(58.0, 72.5), admin1="idlib")
    province = _feat(
        "b",
        lat=35.8,
        lon=36.6,
        place_precision=3,
        geonameid=9,
        admin1="idlib",
        fatalities=fatality_interval(dozens),
    )
    assert score_pair(town, province)[1]["casualties"] == 1.0


def test_names_place_a_report_the_gazetteer_could_not() -> None:
    text_a = "A car bomb exploded at a market in the Bayaa district of Baghdad on Tuesday."
    placed = _feat("a", own_names=frozenset({"baghdad"}), span_words=sentence_words(text_a))
    venue = _feat(
        "b",
        lat=None,
        lon=None,
        place_precision=None,
        geonameid=None,
        country=None,
        place_key="bayaa",
        own_names=frozenset({fold_name("Bayaa")}),
        span_words=sentence_words("Officials named the seven killed in Bayaa."),
    )
    assert named_place(venue, placed) == 0.8
    assert score_pair(placed, venue)[1]["place"] == 0.8
    assert score_pair(placed, venue)[0] >= 0.8
    # no place at all, but the other report's district written (one letter apart)
    placed2 = _feat("c", own_names=frozenset({"maelbeek", "brussels"}))
    bare = _feat(
        "d",
        lat=None,
        lon=None,
        place_precision=None,
        geonameid=None,
        country=None,
        place_key=None,
        span_words=sentence_words(
            "The carriage leaving Maalbeek took the full force of the blast."
        ),
    )
    assert named_place(bare, placed2) == 0.6
    # a venue nobody else names, in a report naming no place of the other: nothing
    other = _feat(
        "e",
        lat=None,
        lon=None,
        place_precision=None,
        geonameid=None,
        country=None,
        place_key="hadi centre",
        own_names=frozenset({"hadi centre"}),
        span_words=sentence_words("Residents woke to devastation outside the Hadi Centre."),
    )
    assert named_place(other, placed) == 0.0
    assert score_pair(placed, other)[0] < 0.8
    # names never lift two reports that both have coordinates
    far = _feat(
        "f", lat=36.3, lon=43.3, geonameid=2, place_key="bartella", span_words=placed.span_words
    )
    assert score_pair(placed, far)[1]["place"] < 0.8
    # a name in a list of towns says no more than "near": no evidence
    listed = _feat(
        "g",
        lat=None,
        lon=None,
        place_precision=None,
        geonameid=None,
        country=None,
        place_key=None,
        span_words=sentence_words("Strikes hit the towns of Zamalka, Bayaa and Hamouriya."),
    )
    bayaa = _feat("h", own_names=frozenset({"bayaa"}))
    assert named_place(listed, bayaa) == 0.0
    between = sentence_words("Three were killed in the area between Beit Sawa and Bayaa.")
    assert named_place(replace(listed, span_words=between), bayaa) == 0.0
    alone = sentence_words("Three were killed in Bayaa on Tuesday.")
    assert named_place(replace(listed, span_words=alone), bayaa) == 0.6


def test_a_province_level_report_naming_the_town_in_its_sentence() -> None:
    village = _feat("a", lat=35.93, lon=36.63, place_key="hass", own_names=frozenset({"hass"}))
    province = dict(lat=35.83, lon=36.62, place_precision=3, geonameid=9, place_key="idlib")
    sentence = "The number killed in an air strike on Hass, a village in Idlib province, rose."
    told = _feat(
        "b",
        **province,
        place_names=frozenset({"idlib"}),
        span_words=sentence_words(sentence),
    )
    assert named_town(told, village) == 0.8
    assert score_pair(village, told)[1]["place"] == 0.8
    # its province's name is no evidence, even where the town is named like it
    plain = _feat(
        "c",
        **province,
        place_names=frozenset({"idlib"}),
        span_words=sentence_words("Air strikes hit southern Idlib on Friday."),
    )
    assert named_town(plain, replace(village, own_names=frozenset({"idlib"}))) == 0.0
    assert named_town(plain, village) == 0.0
    assert score_pair(village, plain)[1]["place"] == 0.6


def test_two_near_towns_in_two_provinces_are_two_places() -> None:
    # Zaventem (Flanders) and Brussels (Brussels-Capital): 9 km apart, the same day and toll
    a = _feat("a", lat=50.884, lon=4.473, geonameid=1, place_key="zaventem", admin1="flanders")
    b = _feat("b", lat=50.850, lon=4.349, geonameid=2, place_key="brussels", admin1="brussels")
    assert score_pair(a, b)[1]["place"] == 0.2 and score_pair(a, b)[0] < 0.8
    same = _feat("c", lat=50.850, lon=4.349, geonameid=2, place_key="x", admin1="flanders")
    assert score_pair(a, same)[1]["place"] == 0.4
    district = _feat("d", lat=50.850, lon=4.349, geonameid=3, place_precision=2, admin1="brussels")
    assert score_pair(a, district)[1]["place"] == 0.2


# -- through a store: the document's places and words are read with the events ----------------

D = date(2016, 7, 12)


def _doc(doc_id: str, text: str, published: date) -> Document:
    return Document(id=doc_id, text=text, published=published, source=doc_id)


def _place(doc_id: str, text: str, name: str, *, resolved: bool, precision: int = 1) -> Place:
    i = text.index(name)
    span = Span(doc_id, i, i + len(name), 0, len(text))
    if not resolved:
        return Place(name, span)
    return Place(
        name,
        span,
        lat=33.29,
        lon=44.35,
        geonameid=98182 if precision == 1 else 7000,
        country="IQ",
        precision=precision,
        resolved_name=name,
        admin1="Baghdad",
        confidence=0.9,
    )


def _event(doc_id: str, text: str, day: date, place: Place | None, killed: int) -> Event:
    return Event(
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
        Span(doc_id, 0, len(text), 0, len(text)),
        TimeRef(day, day, "day"),
        place,
        (),
        Quantity(killed),
        confidence=0.7,
    )


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "s.db") as s:
        yield s


def test_an_unplaced_venue_joins_the_report_naming_it(store: Store) -> None:
    t1 = "A car bomb exploded at a market in the Bayaa district of Baghdad, killing seven."
    baghdad = _place("r1", t1, "Baghdad", resolved=True)
    bayaa = _place("r1", t1, "Bayaa", resolved=True, precision=2)
    first = Extraction(
        document=_doc("r1", t1, D),
        places=(bayaa, baghdad),
        events=(_event("r1", t1, D, baghdad, 7),),
    )
    t2 = "Officials named the seven people killed when a parked car blew up in Bayaa."
    venue = _place("r2", t2, "Bayaa", resolved=False)
    named = Extraction(
        document=_doc("r2", t2, D + timedelta(days=1)),
        places=(venue,),
        events=(_event("r2", t2, D, venue, 7),),
    )
    t3 = "Seven people were killed when a parked car blew up near the Zayouna stadium."
    elsewhere = _place("r3", t3, "Zayouna", resolved=False)
    unnamed = Extraction(
        document=_doc("r3", t3, D + timedelta(days=1)),
        places=(elsewhere,),
        events=(_event("r3", t3, D, elsewhere, 7),),
    )
    store.write([first, named, unnamed])
    cluster_new_events(store)
    rows = store.conn.execute("SELECT document_id, cluster_id FROM events").fetchall()
    by_doc = {doc: cid for doc, cid in rows}
    assert by_doc["r1"] == by_doc["r2"]
    assert by_doc["r3"] != by_doc["r1"]


@pytest.mark.parametrize(
    "text",
    ["Shelling hit Maalbeek, Brussels.", "Dayr az-Zōr", "Şanlıurfa ﬁghters", "ＡＢＣ Aleppo", ""],
)
def test_names_are_folded_as_strip_marks_folds_them(text: str) -> None:
    """ASCII text skips the per-character pass; every text folds as ``strip_marks`` says."""
    from fftrack.folding import strip_marks
    from fftrack.resolve.pairs import _WORD

    assert sentence_words(text) == tuple(_WORD.findall(strip_marks(text)))
    assert fold_name(text) == " ".join(_WORD.findall(strip_marks(text).casefold()))
