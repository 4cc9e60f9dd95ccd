"""The matcher of benchmarks/realnews.py on tiny hand-written gold and predictions (no spaCy)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "_realnews_score.py"
_spec = importlib.util.spec_from_file_location("_realnews_score", _PATH)
assert _spec is not None and _spec.loader is not None
S = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("_realnews_score", S)
_spec.loader.exec_module(S)

RAQQA = {"name": "Raqqa", "lat": 35.95, "lon": 39.01, "country": "SY", "precision": 1}
TABQA = {"name": "Tabqa", "lat": 35.84, "lon": 38.55, "country": "SY", "precision": 1}  # ~44 km
MAYADIN = {"name": "al-Mayadin", "lat": 35.02, "lon": 40.45, "country": "SY", "precision": 1}
SYRIA = {"name": "Syria", "lat": 35.0, "lon": 38.0, "country": "SY", "precision": 4}
MOSUL = {"name": "Mosul", "lat": 36.34, "lon": 43.13, "country": "IQ", "precision": 1}


def ev(t="Battles", place=RAQQA, date="2017-06-06", prec="day", fat=None, bg=False, **kw):
    return {
        "event_type": t,
        "sub_event_type": kw.get("sub"),
        "date": date,
        "date_precision": prec,
        "place": place,
        "fatalities": fat,
        "background": bg,
        **{k: v for k, v in kw.items() if k != "sub"},
    }


def num(v, q="exact", upper=None):
    return {"value": v, "qualifier": q, "upper": upper}


def test_event_needs_same_type_and_compatible_place() -> None:
    assert S.event_compatible(ev(), ev(place=TABQA))  # within 50 km
    assert not S.event_compatible(ev(), ev(t="Explosions/Remote violence"))
    assert not S.event_compatible(ev(), ev(place=MAYADIN))  # ~170 km
    assert not S.event_compatible(ev(), ev(place=None))


def test_gold_country_or_no_coordinate_matches_on_country() -> None:
    assert S.event_compatible(ev(place=SYRIA), ev(place=MAYADIN))
    assert not S.event_compatible(ev(place=SYRIA), ev(place=MOSUL))
    no_coord = {"name": "Rufaila", "lat": None, "lon": None, "country": "IQ", "precision": 1}
    assert S.event_compatible(ev(place=no_coord), ev(place=MOSUL))
    assert not S.event_compatible(ev(place=no_coord), ev(place=RAQQA))
    # a predicted country-only place is not a match for a gold town far from its centroid
    assert not S.event_compatible(ev(place=MAYADIN), ev(place=SYRIA))


def test_greedy_one_to_one_by_best_score() -> None:
    gold = [ev(place=RAQQA), ev(place=TABQA)]
    # both predictions are compatible with both gold events; the closest pairs win
    pred = [ev(place=TABQA), ev(place=RAQQA)]
    assert S.match_events(gold, pred) == [(0, 1), (1, 0)]
    # two predictions of one event: only one matches
    assert len(S.match_events([ev()], [ev(), ev()])) == 1


def test_background_counts_for_precision_not_recall() -> None:
    gold = {"events": [ev(), ev(place=MOSUL, t="Explosions/Remote violence", bg=True)]}
    pred = {"events": [ev(place=MOSUL, t="Explosions/Remote violence")]}
    c, _ = S.score_document(gold, pred)
    assert (c["ev_pred"], c["ev_pred_ok"], c["ev_pred_bg"]) == (1, 1, 1)
    assert (c["ev_gold"], c["ev_gold_ok"], c["ev_gold_bg"]) == (1, 0, 1)
    p, r, _ = S.summary(c)["events"]
    assert (p, r) == (1.0, 0.0)
    # a missed background event costs nothing
    c, _ = S.score_document({"events": [ev(bg=True)]}, {"events": []})
    assert S.summary(c)["events"][:2] == (1.0, 1.0)


def test_date_right_to_the_gold_precision() -> None:
    g = ev(date="2017-06-06", prec="day")
    assert S.date_right(g, ev(date="2017-06-06", prec="day"))
    assert not S.date_right(g, ev(date="2017-06-07", prec="day"))
    assert not S.date_right(g, ev(date="2017-06-01", prec="month"))  # coarser than the gold
    m = ev(date="2017-06", prec="month")
    assert S.date_right(m, ev(date="2017-06-20", prec="day"))
    assert not S.date_right(m, ev(date="2016-06-20", prec="day"))
    y = ev(date="2017", prec="year")
    assert S.date_right(y, ev(date="2017-01-01", prec="year"))
    assert S.date_right(y, ev(date="2017-12-31", prec="day"))
    w = ev(date="2017-06-06", prec="week")
    assert S.date_right(w, ev(date="2017-06-12", prec="day"))
    assert not S.date_right(w, ev(date="2017-06-20", prec="day"))
    assert S.date_right(ev(date=None, prec=None), ev()) is None
    assert S.date_right(g, ev(date=None, prec=None)) is False


def test_matched_event_shares() -> None:
    gold = {"events": [ev(fat=num(8)), ev(place=MOSUL, fat=None)]}
    pred = {
        "events": [
            ev(place=TABQA, fat=num(8), date="2017-06-06"),  # 44 km: matched, place not 25 km
            ev(place=MOSUL, fat=num(3), date="2017-06-05"),  # toll invented, date wrong
        ]
    }
    c, m = S.score_document(gold, pred)
    assert m["events"] == [(0, 0), (1, 1)]
    assert (c["place_ok"], c["place_n"]) == (1, 2)
    assert (c["date_ok"], c["date_n"]) == (1, 2)
    assert (c["toll_ok"], c["toll_n"]) == (1, 1)
    assert c["toll_invented"] == 1
    assert c["all_ok"] == 0
    # the toll compares value and upper, not the qualifier
    assert S.toll_right(ev(fat=num(8, "at_least")), ev(fat=num(8)))
    assert not S.toll_right(ev(fat=num(0)), ev(fat=None))


def mv(origin=None, dest=None, nat=None):
    return {"actor": "fighters", "nationality": nat, "origin": origin, "destination": dest}


def test_movement_rules() -> None:
    g = mv(origin=RAQQA, dest=MAYADIN)
    assert S.movement_compatible(g, mv(origin=TABQA, dest=MAYADIN))
    assert S.movement_compatible(g, mv(origin=None, dest=MAYADIN))  # origin: either null
    assert not S.movement_compatible(g, mv(origin=RAQQA, dest=None))  # destination: both null
    assert not S.movement_compatible(g, mv(origin=RAQQA, dest=MOSUL))
    assert S.movement_compatible(mv(origin=RAQQA), mv(origin=RAQQA))
    assert not S.movement_compatible(mv(origin=RAQQA), mv(origin=RAQQA, dest=MOSUL))
    assert not S.movement_compatible(mv(dest=MOSUL, nat="FR"), mv(dest=MOSUL, nat="GB"))
    assert S.movement_compatible(mv(dest=MOSUL, nat="FR"), mv(dest=MOSUL))


def fig(v, cat="fighters", origin=None, upper=None, q="exact"):
    return {"value": v, "qualifier": q, "upper": upper, "category": cat, "origin": origin}


def test_figure_rules_and_list_matching() -> None:
    assert S.figure_compatible(fig(800, origin="GB"), fig(800, origin="GB", q="more_than"))
    assert not S.figure_compatible(fig(800, origin="GB"), fig(800))
    assert S.figure_compatible(fig(800), fig(800, origin="GB"))  # gold gives no origin
    assert not S.figure_compatible(fig(800), fig(800, cat="affiliates"))
    assert not S.figure_compatible(fig(3000, upper=4000), fig(3000))
    gold = {"figures": [fig(3244, origin="SA"), fig(3000, origin="JO"), fig(2926, origin="TN")]}
    pred = {"figures": [fig(3000, origin="JO"), fig(100, origin="SA")]}
    c, _ = S.score_document(gold, pred)
    assert (c["fig_ok"], c["fig_pred"], c["fig_gold"]) == (1, 2, 3)
    p, r, f = S.summary(c)["figures"]
    assert (p, round(r, 3)) == (0.5, 0.333)


def test_to_gold_vocabulary_maps_fftrack_output() -> None:
    text = "Fighters left Raqqa for al-Mayadin. 800 Britons joined."
    place = {**RAQQA, "id": "x", "start": 14, "end": 19, "feature": "P.PPLA"}
    out = {
        "events": [
            {
                "event_type": "Battles",
                "sub_event_type": "Armed clash",
                "date": "2017-06",
                "date_precision": "month",
                "date_start": "2017-06-01",
                "date_end": "2017-06-30",
                "place": place,
                "actors": [],
                "fatalities": {"value": 3, "qualifier": "at_least"},
                "start": 0,
                "end": 35,
            }
        ],
        "movements": [
            {
                "actor": {"name": "Fighters", "country": None},
                "nationality": None,
                "origin": place,
                "destination": None,
                "manner": "moved",
                "start": 0,
                "end": 35,
            }
        ],
        "figures": [
            {
                "value": 800,
                "qualifier": "exact",
                "upper": None,
                "category": "supporters",
                "origin": "GB",
                "subject": "Britons",
                "start": 36,
                "end": 55,
            }
        ],
    }
    g = S.to_gold_vocabulary(out, text)
    e = g["events"][0]
    assert e["date"] == "2017-06-01" and e["date_precision"] == "month"
    assert e["fatalities"] == {"value": 3, "qualifier": "at_least", "upper": None}
    assert e["place"] == RAQQA
    assert e["evidence"] == "Fighters left Raqqa for al-Mayadin."
    assert g["movements"][0]["origin"] == RAQQA and g["movements"][0]["actor"] == "Fighters"
    assert g["figures"][0]["category"] == "other"  # outside the gold's vocabulary
    assert S.figure_category_to_gold("returnees") == "returnees"


def test_error_lines_list_unmatched_records() -> None:
    text = "Clashes in Raqqa."
    gold = {
        "events": [S.locate_evidence(ev(evidence="Clashes in Raqqa."), text)],
        "movements": [],
        "figures": [fig(5)],
    }
    pred = {"events": [ev(place=MOSUL, evidence="x")], "movements": [], "figures": []}
    c, m = S.score_document(gold, pred)
    lines = S.error_lines({"id": "d1", "kind": "wikipedia", "title": "T"}, gold, pred, m)
    assert lines[0].startswith("== d1 [wikipedia]")
    assert any(line.startswith("  P event") and "Mosul" in line for line in lines)
    assert any(line.startswith("  G event") and "[not read]" in line for line in lines)
    assert any(line.startswith("  G figure") for line in lines)
    assert gold["events"][0]["start"] == 0


def test_miss_reasons_read_the_overlapping_records() -> None:
    g = {**ev(), "start": 0, "end": 40}
    dup = {**ev(), "start": 10, "end": 20}
    other = {**ev(t="Riots"), "start": 5, "end": 9}
    assert S.pred_miss_reason("events", dup, [g], {0}) == "another record of a matched event"
    assert S.pred_miss_reason("events", other, [g], set()) == "gold here is Battles"
    assert S.gold_miss_reason("events", g, [other]) == "read here as Riots"
    gf = fig(3244, origin="SA")
    assert S.gold_miss_reason("figures", gf, [fig(3244, cat="affiliates")]).startswith(
        "value read as 3244 exact affiliates"
    )
