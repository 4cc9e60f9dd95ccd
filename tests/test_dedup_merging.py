"""resolve.cluster.v5-v6: one event left in pieces, merged as a careful coder would, and
the issue #18 guarantees kept. Records are built by hand (no model)."""

from __future__ import annotations

from dataclasses import replace

from test_dedup_realstyle import D, _doc, _event, _feat, _place

from fftrack.records import Event, Extraction, Place, Span, TimeRef
from fftrack.resolve import cluster_new_events, split
from fftrack.resolve.envelope import Envelope, fills
from fftrack.resolve.pairs import (
    fold_name,
    named_place,
    score_pair,
    sentence_words,
    toll_rose,
    untold_means,
)
from fftrack.store import Store
from fftrack.views import merged_events

_UNPLACED: dict[str, object] = dict(
    lat=None, lon=None, place_precision=None, geonameid=None, country=None
)


def test_two_reports_without_a_town_matched_by_the_village_they_name() -> None:
    sdf = frozenset({"sdf"})
    short = _feat(
        "a",
        **_UNPLACED,
        place_key="baghouz",
        own_names=frozenset({fold_name("Baghouz")}),
        actors=sdf,
        span_words=sentence_words("The SDF said they had captured Baghouz."),
    )
    full = _feat(
        "b",
        **_UNPLACED,
        place_key="al-baghuz fawqani",
        own_names=frozenset({fold_name("al-Baghuz Fawqani")}),
        actors=sdf,
        span_words=sentence_words("The village of al-Baghuz Fawqani had been cleared."),
    )
    # one name is the words of the other, the article aside and a letter of slack
    assert named_place(short, full) == 0.8
    score, feats = score_pair(short, full)
    assert feats["place"] == 0.8 and score >= 0.8
    # a look back naming the village in its sentence, whatever place it was given
    back = _feat(
        "c",
        **_UNPLACED,
        place_key="camp",
        own_names=frozenset({"hol"}),
        actors=sdf,
        span_words=sentence_words("The fall of Baghouz ended the group's hold on territory."),
    )
    assert score_pair(short, back)[1]["place"] == 0.8
    # another village: no evidence, and no match
    other = replace(full, id="d", place_key="hajin", own_names=frozenset({"hajin"}))
    other = replace(other, span_words=sentence_words("The town of Hajin had been cleared."))
    assert score_pair(short, other)[1]["place"] < 0.8
    assert score_pair(short, other)[0] < 0.8


def test_a_look_back_with_a_toll_that_rose_is_the_same_event() -> None:
    day = _feat("a", fatalities=(12.0, 15.0), published=100)
    month = dict(d0=90, d1=119, date_precision="month", published=130)
    later = _feat("b", fatalities=(19.0, 19.0), **month)
    assert toll_rose(day, later) and toll_rose(later, day)
    assert score_pair(day, later)[0] >= 0.8
    # a lower toll a month on, or the month's report before the day's: two events
    lower = _feat("c", fatalities=(5.0, 5.0), **month)
    assert not toll_rose(day, lower) and score_pair(day, lower)[0] == 0.0
    early = _feat("d", fatalities=(19.0, 19.0), **{**month, "published": 95})
    assert not toll_rose(day, early) and score_pair(day, early)[0] == 0.0
    # a day apart with different tolls stays two events
    next_day = _feat("e", d0=101, d1=101, fatalities=(19.0, 19.0), published=101)
    assert not toll_rose(day, next_day) and score_pair(day, next_day)[0] == 0.0


def test_a_country_named_alone_is_compatible_with_a_town_inside_it() -> None:
    town = _feat("a", lat=35.34, lon=40.14, country="SY", place_precision=1)
    env = Envelope.of(town)
    # Syria's centroid is 190 km from Deir ez-Zor: a country says nothing of where in it
    country = _feat("b", lat=35.0, lon=38.0, country="SY", place_precision=4, geonameid=9)
    got, why = env.admits(country)
    assert got is not None, why
    assert got.spread_km() == 0.0  # the country never widens the box of places
    # another day, another country, a month: not shown to be the event
    assert env.admits(replace(country, d0=104, d1=104))[0] is None
    assert env.admits(replace(country, country="IQ"))[0] is None
    assert env.admits(replace(country, date_precision="month", d0=90, d1=119))[0] is None
    # a province named alone keeps its distance rule
    province = replace(country, place_precision=3)
    assert env.admits(province)[0] is None
    # a cluster of a country named alone admits a town of that country the same day
    alone = replace(Envelope.of(country), anchor=(35.0, 38.0, 800.0))
    assert alone.admits(town)[0] is not None
    assert alone.admits(replace(town, country="IQ"))[0] is None


def test_fills_only_where_one_cluster_has_no_town() -> None:
    district = _feat("a", place_precision=2)
    placed = Envelope.of(_feat("b"))
    venue = Envelope.of(_feat("c", **_UNPLACED))
    assert fills(district, venue, placed) and fills(district, placed, venue)
    assert not fills(district, placed, placed)
    assert not fills(replace(district, date_precision="month", d0=90, d1=119), venue, placed)
    assert not fills(_feat("d", **_UNPLACED), venue, placed)


def _three(doc_id: str, text: str, place: Place | None) -> Extraction:
    places = (place,) if place is not None else ()
    return Extraction(
        document=_doc(doc_id, text, D),
        places=places,
        events=(_event(doc_id, text, D, place, 0),),
    )


def _district(doc_id: str, text: str, name: str) -> Place:
    p = _place(doc_id, text, name, resolved=True, precision=2)
    return replace(p, lat=33.36, lon=44.35, geonameid=None)


def test_a_district_report_joins_the_venue_s_cluster_to_the_town_s(tmp_path) -> None:
    t1 = "A lorry bomb detonated outside the Hadi Centre as Residents of Karrada slept."
    venue = _three("r1", t1, _place("r1", t1, "Hadi Centre", resolved=False))
    t2 = "A truck bomb killed dozens in Baghdad on Sunday."
    town = _three("r2", t2, _place("r2", t2, "Baghdad", resolved=True))
    t3 = "A truck bomb exploded in Karrada on Sunday."
    district = _three("r3", t3, _district("r3", t3, "Karrada"))
    with Store.open(tmp_path / "s.db") as store:
        for ex in (venue, town, district):  # one at a time: the district report comes last
            store.write([ex])
            cluster_new_events(store)
        rows = store.conn.execute("SELECT document_id, cluster_id FROM events").fetchall()
    by_doc = dict(rows)
    assert by_doc["r1"] == by_doc["r2"] == by_doc["r3"]


def test_a_district_report_never_joins_two_towns(tmp_path) -> None:
    # two towns 14 km apart, the same day (another town, another event): a district report
    # 7 km from each matches both, and does not make them one
    t1 = "A truck bomb killed dozens in Baghdad on Sunday."
    a = _three("r1", t1, _place("r1", t1, "Baghdad", resolved=True))
    t2 = "A truck bomb killed dozens in Kadhimiya on Sunday."
    other = replace(_place("r2", t2, "Kadhimiya", resolved=True), lat=33.42, lon=44.35)
    b = _three("r2", t2, replace(other, geonameid=98183, resolved_name="Kadhimiya"))
    t3 = "A truck bomb exploded in Karrada on Sunday."
    district = _three("r3", t3, _district("r3", t3, "Karrada"))
    with Store.open(tmp_path / "s.db") as store:
        for ex in (a, b, district):
            store.write([ex])
            cluster_new_events(store)
        rows = store.conn.execute("SELECT document_id, cluster_id FROM events").fetchall()
    by_doc = dict(rows)
    assert by_doc["r1"] != by_doc["r2"]
    assert by_doc["r3"] in (by_doc["r1"], by_doc["r2"])


# -- resolve.cluster.v6 ----------------------------------------------------------------------


def _claim_and_act(doc_id: str, text: str, place: Place) -> Extraction:
    """A report whose one sentence claims an act and names it, as the extractor codes it:
    a claim record ("Other"/"Attribution") and the act it names, claimed by the group."""
    span = Span(doc_id, 0, len(text), 0, len(text))
    day = TimeRef(D, D, "day")
    claim = Event("Other", "Attribution", span, day, place, trigger="claimed", confidence=0.9)
    act = Event(
        "Explosions/Remote violence",
        "Suicide bomb",
        span,
        day,
        place,
        trigger="suicide car bombing",
        confidence=0.5,
        claimed_by="Islamic State",
    )
    return Extraction(document=_doc(doc_id, text, D), places=(place,), events=(claim, act))


def test_a_claim_is_one_event_with_the_act_its_sentence_names(tmp_path) -> None:
    t1 = "A suicide car bomb killed 40 people in Baghdad on Sunday."
    wire = _three("r1", t1, _place("r1", t1, "Baghdad", resolved=True))
    t2 = "Islamic State claimed responsibility for a suicide car bombing in Baghdad on Sunday."
    claimed = _claim_and_act("r2", t2, _place("r2", t2, "Baghdad", resolved=True))
    # a claim whose report tells no act of it beside: a record of its own, as before
    t3 = "Islamic State claimed responsibility on Sunday, in a statement online from Baghdad."
    alone = _claim_and_act("r3", t3, _place("r3", t3, "Baghdad", resolved=True))
    alone = replace(alone, events=alone.events[:1])
    # an arrest told beside a claim is not what is claimed
    t4 = "Two suspects were arrested in Baghdad, and Islamic State claimed the attack."
    held = _claim_and_act("r4", t4, _place("r4", t4, "Baghdad", resolved=True))
    arrest = replace(held.events[1], event_type="Strategic developments", sub_event_type="Arrests")
    held = replace(held, events=(held.events[0], arrest))
    with Store.open(tmp_path / "s.db") as store:
        for ex in (wire, claimed, alone, held):
            store.write([ex])
            cluster_new_events(store)
        rows = store.conn.execute(
            "SELECT document_id, sub_event_type, cluster_id FROM events"
        ).fetchall()
        merged = merged_events(store)
        # a user takes the wire report out: the claim and its act stay one event of the
        # act's family (a claim never sets a cluster's family)
        wire_id = store.conn.execute("SELECT id FROM events WHERE document_id = 'r1'").fetchone()
        split(store, wire_id[0])
        left = store.conn.execute(
            "SELECT DISTINCT c.family FROM events e JOIN event_clusters c ON c.id = e.cluster_id"
            " WHERE e.document_id = 'r2'"
        ).fetchall()
        assert left == [("violence",)]
    of = {(doc, sub): cid for doc, sub, cid in rows}
    assert (
        of[("r2", "Attribution")]
        == of[("r2", "Suicide bomb")]
        == of[("r1", "Remote explosive/landmine/IED")]
    )
    assert of[("r3", "Attribution")] != of[("r1", "Remote explosive/landmine/IED")]
    assert of[("r4", "Attribution")] != of[("r4", "Arrests")]
    # the claim never stands for the act: the merged event is the bombing, claimed
    (event,) = [m for m in merged if len(m["members"]) == 3]
    assert event["event_type"] == "Explosions/Remote violence"
    assert event["claimed_by"] == "Islamic State" and event["n_sources"] == 2
    r3 = alone.events[0].id
    (claim,) = [m for m in merged if r3 in m["members"]]
    assert claim["sub_event_type"] == "Attribution"


def test_an_attack_told_without_its_means_is_the_bombing_of_its_town_and_day() -> None:
    said = "The number of people killed in Monday's attacks in Jableh has risen to more than 100."
    attack = _feat(
        "a",
        event_type="Violence against civilians",
        sub_event_type="Attack",
        trigger="killed",
        span_words=sentence_words(said),
        fatalities=(101.0, 126.0),
    )
    assert untold_means(attack)
    bombing = _feat("b", fatalities=(53.0, 66.0))
    score, feats = score_pair(attack, bombing)
    assert score >= 0.8 and feats["type"] == 1.0
    # a report naming how people were attacked is not the bombing
    gunman = "A gunman opened fire inside a packed nightclub, killing at least 35 people."
    shooting = replace(attack, span_words=sentence_words(gunman))
    assert not untold_means(shooting) and score_pair(shooting, bombing)[0] < 0.8
    # nor a report telling who killed ("a militia killed a civilian": another act)
    militia = "An unidentified armed militia killed a civilian in southern Baghdad."
    assert not untold_means(replace(attack, span_words=sentence_words(militia)))
    # nor a killing coded from a specific act, another day, or a town 5 km away
    assert score_pair(replace(attack, trigger="stabbed"), bombing)[0] < 0.8
    assert score_pair(replace(attack, d0=101, d1=101), bombing)[0] < 0.8
    near = replace(bombing, geonameid=2, lat=33.33, lon=44.35, place_key="other")
    assert score_pair(attack, near)[0] < 0.8
