"""Event types and non-events read from sentences of real reporting's kind (issue #11):
what a clause tells as its act, what only tells more of an act already told, and what a
report codes otherwise than an ACLED note."""

from __future__ import annotations

from typing import Any

from test_extract_real_sentences import _events, _in_a_report


def _types(evs: list[Any]) -> list[str]:
    return [e.event_type for e in evs]


def test_a_heading_line_ends_the_event_before_it(nlp: Any) -> None:
    text = (
        "One soldier was killed by the rebels in Kafr Nabl.\n\n"
        "12 March 2016\n"
        "Two journalists were wounded in Maarat al-Numan when their car came under fire.\n"
    )
    evs = _in_a_report(nlp, text)
    # the journalists are not the first event's victims: it stays a battle
    assert _types(evs)[:1] == ["Battles"]
    assert evs[0].injured is None


def test_victims_listed_inside_the_clause_do_not_cut_it(nlp: Any) -> None:
    text = (
        "The bodies of 46 civilians, including 15 women, were discovered in Kafr Nabl after "
        "the rebels pulled back."
    )
    evs = _in_a_report(nlp, text)
    assert [(e.event_type, e.sub_event_type) for e in evs] == [
        ("Violence against civilians", "Attack")
    ]
    assert evs[0].fatalities is not None and evs[0].fatalities.value == 46


def test_acts_listed_after_including_are_still_their_own(nlp: Any) -> None:
    from fftrack.extract.clauses import clauses

    listed = nlp("Rebels took the town, including 51 soldiers who were summarily executed.")
    assert len(clauses(next(iter(listed.sents)))) == 2
    victims = nlp("Troops stormed the village, killing 106 civilians, including women, by gunfire.")
    assert len(clauses(next(iter(victims.sents)))) == 1


def test_the_dead_of_an_act_told_before_are_more_of_it(nlp: Any) -> None:
    text = (
        "On 21 October, rebels killed 46 civilians in Kafr Nabl. The monitor called it a "
        "massacre. 30 of the dead were reportedly found in two mass graves."
    )
    evs = _in_a_report(nlp, text)
    assert [e.sub_event_type for e in evs] == ["Attack"]


def test_the_name_a_speaker_puts_on_an_act_is_no_act(nlp: Any) -> None:
    from fftrack.extract.realis import is_realis

    for text in (
        "The monitor called it a massacre.",
        "Activists described the killings as a massacre.",
    ):
        trig = next(t for t in nlp(text) if t.lower_ == "massacre")
        assert not is_realis(trig), text
    trig = next(
        t for t in nlp("Militants committed a massacre in the town.") if t.lower_ == "massacre"
    )
    assert is_realis(trig)


def test_captives_executed_are_civilians_whatever_the_battle(nlp: Any) -> None:
    text = (
        "On 26 July, 50 soldiers from the ambushed group were captured and summarily "
        "executed near Kafr Nabl. Overall, 85 soldiers were killed in the battle."
    )
    evs = _in_a_report(nlp, text)
    assert _types(evs)[:1] == ["Violence against civilians"]


def test_artillery_fire_control_is_no_shelling(nlp: Any) -> None:
    text = (
        "On 21 February, the army seized a dozen more villages near Kafr Nabl and imposed "
        "artillery fire-control over the town."
    )
    evs = _in_a_report(nlp, text)
    assert "Explosions/Remote violence" not in _types(evs)
    assert _types(evs) == ["Battles"]


def test_an_aircraft_shot_down_in_a_report_is_disrupted_weapons_use(nlp: Any) -> None:
    text = "On 17 February 2015, the rebels shot down a helicopter above Kafr Nabl."
    evs = _in_a_report(nlp, text)
    assert [e.sub_event_type for e in evs] == ["Disrupted weapons use"]
    # ACLED's notes code it as fighting
    note = _events(nlp, "Rebels shot down a regime helicopter over Kafr Nabl on 17 February.")
    assert _types(note) == ["Battles"]
    # and so does a report where it is part of an attack
    both = (
        "On 19 December the rebels attacked the airbase near Kafr Nabl and shot down a helicopter."
    )
    assert _types(_in_a_report(nlp, both)) == ["Battles"]


def test_a_withdrawal_under_shelling_is_the_shelling(nlp: Any) -> None:
    text = "On 6 April, the rebels temporarily withdrew from Kafr Nabl due to heavy shelling."
    evs = _in_a_report(nlp, text)
    assert [e.sub_event_type for e in evs] == ["Shelling/artillery/missile attack"]
    left = _in_a_report(nlp, "On 6 April, the rebels withdrew from Kafr Nabl under an agreement.")
    assert [e.sub_event_type for e in left] == ["Non-violent transfer of territory"]


def test_strikes_that_back_the_fighting_are_not_an_act_of_their_own(nlp: Any) -> None:
    backed = "On 12 November, Kurdish forces backed by U.S. airstrikes seized control of Kafr Nabl."
    assert _types(_in_a_report(nlp, backed)) == ["Battles"]
    beside = (
        "On 23 January, heavy clashes took place in Kafr Nabl with warplanes carrying out "
        "airstrikes around the town."
    )
    assert _types(_in_a_report(nlp, beside)) == ["Battles", "Explosions/Remote violence"]


def test_an_act_named_as_what_came_before_is_not_told_again(nlp: Any) -> None:
    text = (
        "On 26 August, the rebels sent two suicide car bombs toward the gates of the airbase "
        "near Kafr Nabl. Following their unsuccessful suicide attacks, the militants stormed "
        "the western gate of the airbase near Kafr Nabl."
    )
    evs = _in_a_report(nlp, text)
    assert sorted(_types(evs)) == ["Battles", "Explosions/Remote violence"]
    assert [e.trigger for e in evs if e.event_type == "Battles"] == ["stormed"]


def test_property_stolen_by_an_armed_group_is_looting(nlp: Any) -> None:
    text = (
        "Homes of the Christian minority of the village of Kafr Nabl were forcibly stolen "
        "and attacked by militants."
    )
    evs = _in_a_report(nlp, text)
    assert [e.sub_event_type for e in evs] == ["Looting/property destruction"]


def test_a_pledge_of_allegiance_is_a_change_to_the_group(nlp: Any) -> None:
    text = "In October 2014, the militias of Derna in Libya swore allegiance to ISIS."
    evs = _in_a_report(nlp, text)
    assert [e.sub_event_type for e in evs] == ["Change to group/activity"]


def test_ground_taken_told_in_the_passive_is_taken(nlp: Any) -> None:
    text = (
        "On 7 October, government sources claimed roughly half of Kafr Nabl was taken by "
        "the Syrian Army."
    )
    assert _types(_in_a_report(nlp, text)) == ["Battles"]
    assert _in_a_report(nlp, "On 7 October, he was taken to hospital in Kafr Nabl.") == []


def test_ground_entered_without_a_fight_is_handed_over(nlp: Any) -> None:
    text = "On 14 October, the Syrian Army entered Kafr Nabl, according to state media."
    evs = _in_a_report(nlp, text)
    assert [e.sub_event_type for e in evs] == ["Non-violent transfer of territory"]
    fought = "On 14 October, the Syrian Army entered Kafr Nabl after heavy clashes with rebels."
    assert _types(_in_a_report(nlp, fought)) == ["Battles"]


def test_a_doer_listed_among_the_dead_is_a_person_not_an_act(nlp: Any) -> None:
    text = (
        "A raid by police in the suburb of Kafr Nabl kills at least two suspects, including "
        "a female suicide bomber, with eight others arrested."
    )
    evs = _in_a_report(nlp, text)
    assert "Explosions/Remote violence" not in _types(evs)
    assert "Strategic developments" in _types(evs)


def test_an_act_prepared_for_or_approved_has_not_happened(nlp: Any) -> None:
    from fftrack.extract.realis import is_realis

    for text in (
        "The coalition gave masks to the army in preparation for the Mosul offensive.",
        "Trump gave his approval for a Turkish ground offensive into Syria.",
    ):
        trig = next(t for t in nlp(text) if t.lower_ == "offensive")
        assert not is_realis(trig), text


def test_a_withdrawal_ordered_is_a_policy_in_a_report(nlp: Any) -> None:
    text = "On 6 October, Trump ordered the withdrawal of U.S. troops from Kafr Nabl."
    assert "Strategic developments" not in _types(_in_a_report(nlp, text))
    done = "On 6 October, the rebels withdrew from Kafr Nabl."
    assert [e.sub_event_type for e in _in_a_report(nlp, done)] == [
        "Non-violent transfer of territory"
    ]


def test_a_unit_stationed_somewhere_is_no_change_to_it(nlp: Any) -> None:
    from fftrack.extract.event_types import realis_at

    text = "A border battalion stationed near Kafr Nabl abandoned its positions."
    sdoc = nlp(text)
    a = text.index("stationed")
    assert not realis_at(sdoc, 0, a, a + len("stationed"), "Change to group/activity")


def test_a_pact_that_collapses_is_no_disaster(nlp: Any) -> None:
    from fftrack.extract.event_types import realis_at

    for text, ok in (
        ("The buffer zone agreement was short-lived and collapsed on 7 October.", False),
        ("The building collapsed on 7 October after the fire.", True),
    ):
        sdoc = nlp(text)
        a = text.index("collapse")
        assert realis_at(sdoc, 0, a, a + len("collapse"), "Man-made disaster") is ok, text


def test_a_reaction_to_acts_told_before_is_not_the_act(nlp: Any) -> None:
    text = (
        "On 15 April, Russia tried to pass a resolution condemning these airstrikes on "
        "Kafr Nabl, but it failed."
    )
    assert "Explosions/Remote violence" not in _types(_in_a_report(nlp, text))


def test_the_attacks_told_after_remote_violence_are_of_its_kind(nlp: Any) -> None:
    text = (
        "The investigation concluded that the regime used chemical weapons against the "
        "people of Idlib on at least three occasions. The attacks in Sarmin and Kafr Nabl "
        "demonstrate the cruel barbarity of the regime."
    )
    evs = [e for e in _in_a_report(nlp, text) if "attacks" in (e.trigger or "")]
    assert evs and {e.sub_event_type for e in evs} == {"Chemical weapon"}


def test_an_act_told_as_earlier_in_the_day_is_told_before(nlp: Any) -> None:
    text = (
        "On 11 October, the minister said the mortar attack targeting the town of Kafr Nabl "
        "earlier in the day was launched from near the base."
    )
    assert "Explosions/Remote violence" not in _types(_in_a_report(nlp, text))


def test_what_one_side_is_persuaded_to_do_has_not_happened(nlp: Any) -> None:
    from fftrack.extract.realis import is_realis

    text = "The United States attempted to persuade Iraq to cooperate with Turkey on the offensive."
    trig = next(t for t in nlp(text) if t.lower_ == "offensive")
    assert not is_realis(trig)


def test_a_siege_named_as_what_came_before_is_no_battle_here(nlp: Any) -> None:
    text = (
        "Following the operations to end the Amirli siege, militias raided Sunni villages "
        "around Kafr Nabl in September 2014."
    )
    assert "Battles" not in _types(_in_a_report(nlp, text))


def test_the_aim_of_taking_a_town_is_no_taking(nlp: Any) -> None:
    from fftrack.extract.realis import is_realis

    text = "The offensive was conducted with the aim of capturing the town of Kafr Nabl."
    trig = next(t for t in nlp(text) if t.lower_ == "capturing")
    assert not is_realis(trig)
    done = "The army succeeded in capturing the town of Kafr Nabl."
    assert is_realis(next(t for t in nlp(done) if t.lower_ == "capturing"))


def test_advances_made_are_fighting(nlp: Any) -> None:
    for text in (
        "On 4 October, the army advanced within 10 kilometers of Kafr Nabl.",
        "On 5 October, the Republican Guard made more steady advances near Kafr Nabl.",
    ):
        assert _types(_in_a_report(nlp, text)) == ["Battles"], text


def test_a_mention_of_its_own_day_is_not_folded_into_a_campaign() -> None:
    from datetime import date as day

    from fftrack.extract.coref import fold_elaborations
    from fftrack.records import Event, Place, Span, TimeRef

    def ev(start: int, when: TimeRef, place: Place | None) -> Event:
        return Event(
            event_type="Battles",
            sub_event_type="Armed clash",
            span=Span("d", start, start + 10, start, start + 10),
            date=when,
            place=place,
            trigger="fighting",
            extractor="t",
            confidence=0.5,
        )

    town = Place(name="Kafr Nabl", span=Span("d", 0, 9, 0, 9), lat=35.6, lon=36.5)
    year = TimeRef(day(2017, 1, 1), day(2017, 12, 31), "year", "2017")
    oct10 = TimeRef(day(2017, 10, 10), day(2017, 10, 10), "day", "10 October 2017")
    folded = fold_elaborations([ev(0, year, town), ev(100, oct10, None)])
    assert len(folded) == 2  # "On 10 October 2017, fighting began": an act of its day
    same = TimeRef(day(2017, 10, 10), day(2017, 10, 10), "day", "10 October")
    assert len(fold_elaborations([ev(0, oct10, town), ev(100, same, None)])) == 1
