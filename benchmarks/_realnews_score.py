"""Scoring for ``benchmarks/realnews.py``: fftrack's records against the hand-coded gold of
``realnews_dev.jsonl``, with the matching rules of ``../shared/eval/CODING.md``.

Pure functions over plain dicts (no spaCy, no fftrack import), so that the matcher is
unit-tested on tiny hand-written records (``tests/test_bench_realnews.py``).

Records on both sides are in the gold's shape (see ``CODING.md``); :func:`to_gold_vocabulary`
turns one ``fftrack extract`` output line into that shape. Matching, within one document, is
one to one and greedy: every compatible (gold, predicted) pair gets a score, and pairs are
taken best score first, each record at most once. Compatibility is exactly the rule of
``CODING.md``; the score only decides between compatible candidates (closer place, right
date, same sub-type, predicted span inside the gold evidence, ...).

Rules, and the choices ``CODING.md`` leaves open:
- **event** compatible: same ``event_type`` and places compatible: both have coordinates
  within 50 km, or the gold place has no coordinate or is a country only (precision 4) and
  the countries agree (plain equality of the ISO codes; a predicted event without a place has
  no country).
- **movement** compatible: destination within 50 km of the gold's (or both null), origin
  within 50 km (or either null), nationality equal where both give one. Where a gold end has
  a name but no coordinate (one in the dev set), "within 50 km" cannot be measured and the
  ends match when the countries agree, as for events.
- **figure** compatible: same value, same upper (both null counts as the same), same
  category, and the same origin where the gold gives one.
- Matched events, the three shares, each over the matched events where the gold gives the
  thing (the denominators are printed): place within 25 km (gold place with a coordinate);
  date right to the gold's precision (gold with a date); toll right (gold fatalities not
  null: value and upper equal, the qualifier not compared). The date is right when the
  prediction is no coarser than the gold's precision (day < week < month < season < year)
  and: day: the same day; week: the predicted start within 7 days of the gold date (the
  gold writes a week as one day of it); month: the same year and month; season: the
  predicted start within 92 days of the gold date (the gold writes a season as a month or a
  day in it); year: the same year.
- Background gold events (``background: true``): a prediction matched to one is correct
  for precision; an unmatched one does not count against recall.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

Rec = dict[str, Any]

PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "season": 3, "year": 4}
GOLD_FIGURE_CATEGORIES = (
    "fighters",
    "affiliates",
    "women",
    "minors",
    "returnees",
    "detained",
    "killed",
    "displaced",
    "other",
)
PLACE_KM = 50.0
PLACE_EXACT_KM = 25.0


# --- fftrack output -> the gold's vocabulary ---------------------------------------------


def figure_category_to_gold(category: str | None) -> str:
    """fftrack's figure category in the gold's nine: the same names where fftrack uses one
    of them (fighters, affiliates, women, minors, returnees, detained, killed, displaced,
    other); anything else fftrack may emit (or none) is the gold's ``other``."""
    return category if category in GOLD_FIGURE_CATEGORIES else "other"


def to_gold_vocabulary(out: Rec, text: str) -> Rec:
    """One ``fftrack extract`` JSON line (``Extraction.to_dict()``) in the gold's shape.

    What it maps (everything else is the same name and code on both sides: event types,
    date precisions day/week/month/season/year, place precision 1-4, qualifiers, ISO2):
    - a place: ``name, lat, lon, country, precision`` of fftrack's place dict;
    - an event's date: fftrack's ``date_start`` (an ISO day even at coarse precision) and
      ``date_precision``; ``date_end`` is kept for display;
    - fatalities: fftrack's Quantity dict (``upper`` absent when null) as
      ``{value, qualifier, upper}``;
    - a movement's nationality: fftrack's ``nationality`` (the moving actor's country);
      ``actor``: the actor's name as written;
    - a figure: ``value, qualifier, upper`` as they are; category through
      :func:`figure_category_to_gold`; origin (ISO2) as it is;
    - ``evidence``: ``text[start:end]`` of the record's span, and ``start``/``end``.
    """

    def place(p: Rec | None) -> Rec | None:
        if not p:
            return None
        return {k: p.get(k) for k in ("name", "lat", "lon", "country", "precision")}

    def quantity(q: Rec | None) -> Rec | None:
        if not q:
            return None
        return {"value": q.get("value"), "qualifier": q.get("qualifier"), "upper": q.get("upper")}

    def span(r: Rec) -> Rec:
        s, e = r.get("start"), r.get("end")
        ev = text[s:e] if isinstance(s, int) and isinstance(e, int) else ""
        return {"start": s, "end": e, "evidence": ev}

    events = []
    for e in out.get("events", []):
        actors = e.get("actors") or []
        events.append(
            {
                "event_type": e.get("event_type"),
                "sub_event_type": e.get("sub_event_type"),
                "date": e.get("date_start"),
                "date_end": e.get("date_end"),
                "date_precision": e.get("date_precision"),
                "place": place(e.get("place")),
                "actor1": (actors[0].get("normalized") or actors[0].get("name"))
                if actors
                else None,
                "fatalities": quantity(e.get("fatalities")),
                "background": False,
                **span(e),
            }
        )
    movements = []
    for m in out.get("movements", []):
        actor = m.get("actor") or {}
        movements.append(
            {
                "actor": actor.get("name"),
                "nationality": m.get("nationality"),
                "origin": place(m.get("origin")),
                "destination": place(m.get("destination")),
                "manner": m.get("manner"),
                "date": m.get("date"),
                "date_precision": m.get("date_precision"),
                **span(m),
            }
        )
    figures = []
    for f in out.get("figures", []):
        figures.append(
            {
                "subject": f.get("subject"),
                "value": f.get("value"),
                "qualifier": f.get("qualifier"),
                "upper": f.get("upper"),
                "category": figure_category_to_gold(f.get("category")),
                "origin": f.get("origin"),
                "group": f.get("group"),
                **span(f),
            }
        )
    return {"events": events, "movements": movements, "figures": figures}


def locate_evidence(gold: Rec, text: str) -> Rec:
    """The gold record with ``start``/``end`` of its evidence in ``text`` (None if absent)."""
    ev = gold.get("evidence") or ""
    i = text.find(ev) if ev else -1
    return {**gold, "start": i if i >= 0 else None, "end": i + len(ev) if i >= 0 else None}


# --- comparisons ----------------------------------------------------------------------


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


def coords(p: Rec | None) -> tuple[float, float] | None:
    if not p or p.get("lat") is None or p.get("lon") is None:
        return None
    return float(p["lat"]), float(p["lon"])


def distance(g: Rec | None, p: Rec | None) -> float | None:
    """km between two places, None unless both have a coordinate."""
    a, b = coords(g), coords(p)
    if a is None or b is None:
        return None
    return km(a[0], a[1], b[0], b[1])


def event_places_compatible(g: Rec | None, p: Rec | None) -> bool:
    """Both within 50 km, or the gold place has no coordinate or only a country and the
    countries agree."""
    d = distance(g, p)
    if d is not None and d <= PLACE_KM:
        return True
    if g is None:
        return p is None
    if coords(g) is None or g.get("precision") == 4:
        return g.get("country") == (p or {}).get("country")
    return False


def movement_end_compatible(g: Rec | None, p: Rec | None, either_null: bool) -> bool:
    """One end of a movement: within 50 km; null on both sides (or on either, for the
    origin); a gold end without a coordinate matches on the country."""
    if g is None or p is None:
        return (g is None and p is None) or either_null
    if coords(g) is None:
        return g.get("country") is not None and g.get("country") == p.get("country")
    d = distance(g, p)
    return d is not None and d <= PLACE_KM


def movement_end_by_country(g: Rec | None, p: Rec | None, either_null: bool) -> bool:
    """``movement_end_compatible``, with a country-level gold end (precision 4) matched on
    the country as CODING.md's event rule matches places: a country's centroid differs
    between the coders' source and GeoNames by up to hundreds of km. Printed apart, labelled;
    the headline keeps CODING.md's movement rule."""
    if g is not None and p is not None and g.get("precision") == 4 and g.get("country"):
        return g.get("country") == p.get("country")
    return movement_end_compatible(g, p, either_null)


def movement_compatible_by_country(g: Rec, p: Rec) -> bool:
    return movement_compatible(g, p, end=movement_end_by_country)


def parse_day(s: Any) -> date | None:
    """A gold or predicted date string ("2016-10-21", "2016-10", "2017") as its first day."""
    if not isinstance(s, str) or not s:
        return None
    parts = s.split("-")
    try:
        y = int(parts[0])
        m = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 1
        d = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 1
        return date(y, m, d)
    except (ValueError, IndexError):
        return None


def date_right(g: Rec, p: Rec) -> bool | None:
    """The predicted date right to the gold's precision; None when the gold has no date."""
    gd, gp = parse_day(g.get("date")), g.get("date_precision")
    if gd is None:
        return None
    gp = gp if gp in PRECISION_RANK else "day"
    pd, pp = parse_day(p.get("date")), p.get("date_precision")
    if pd is None or pp not in PRECISION_RANK or PRECISION_RANK[pp] > PRECISION_RANK[gp]:
        return False
    if gp == "day":
        return pd == gd
    if gp == "week":
        return abs((pd - gd).days) <= 7
    if gp == "month":
        return (pd.year, pd.month) == (gd.year, gd.month)
    if gp == "season":
        return abs((pd - gd).days) <= 92
    return pd.year == gd.year


def same_number(g: Rec | None, p: Rec | None) -> bool:
    """Value and upper equal (the qualifier is not compared)."""
    if g is None or p is None:
        return g is None and p is None
    return g.get("value") == p.get("value") and g.get("upper") == p.get("upper")


def toll_right(g: Rec, p: Rec) -> bool | None:
    """Fatalities equal where the gold gives them; None where it does not."""
    if g.get("fatalities") is None:
        return None
    return same_number(g["fatalities"], p.get("fatalities"))


def place_within_25(g: Rec, p: Rec) -> bool | None:
    if coords(g.get("place")) is None:
        return None
    d = distance(g.get("place"), p.get("place"))
    return d is not None and d <= PLACE_EXACT_KM


def inside_evidence(g: Rec, p: Rec) -> bool:
    """The predicted span lies in (or overlaps) the gold's evidence."""
    gs, ge, ps, pe = g.get("start"), g.get("end"), p.get("start"), p.get("end")
    if not all(isinstance(x, int) for x in (gs, ge, ps, pe)):
        return False
    return ps < ge and gs < pe  # type: ignore[operator]


# --- compatibility and scores -------------------------------------------------------------


def event_compatible(g: Rec, p: Rec) -> bool:
    return g.get("event_type") == p.get("event_type") and event_places_compatible(
        g.get("place"), p.get("place")
    )


def movement_compatible(
    g: Rec, p: Rec, end: Callable[[Rec | None, Rec | None, bool], bool] | None = None
) -> bool:
    """Destination and origin compatible (``end``: CODING.md's rule for one end unless
    another is given), and the nationality where both give one."""
    gn, pn = g.get("nationality"), p.get("nationality")
    if gn and pn and gn != pn:
        return False
    same_end = end or movement_end_compatible
    return same_end(g.get("destination"), p.get("destination"), False) and same_end(
        g.get("origin"), p.get("origin"), True
    )


def figure_compatible(g: Rec, p: Rec) -> bool:
    if g.get("value") != p.get("value") or g.get("upper") != p.get("upper"):
        return False
    if g.get("category") != p.get("category"):
        return False
    return not g.get("origin") or g.get("origin") == p.get("origin")


def _closeness(g: Rec | None, p: Rec | None) -> float:
    d = distance(g, p)
    return 0.0 if d is None else max(0.0, 1.0 - d / PLACE_KM)


def event_score(g: Rec, p: Rec) -> float:
    return (
        1.0
        + _closeness(g.get("place"), p.get("place"))
        + (1.0 if date_right(g, p) else 0.0)
        + (1.0 if inside_evidence(g, p) else 0.0)
        + (0.5 if g.get("sub_event_type") == p.get("sub_event_type") else 0.0)
        + (0.5 if toll_right(g, p) else 0.0)
        + (0.0 if g.get("background") else 0.01)
    )


def movement_score(g: Rec, p: Rec) -> float:
    gn, pn = g.get("nationality"), p.get("nationality")
    return (
        1.0
        + _closeness(g.get("destination"), p.get("destination"))
        + _closeness(g.get("origin"), p.get("origin"))
        + (1.0 if inside_evidence(g, p) else 0.0)
        + (0.5 if gn and gn == pn else 0.0)
    )


def figure_score(g: Rec, p: Rec) -> float:
    return (
        1.0
        + (1.0 if inside_evidence(g, p) else 0.0)
        + (0.5 if g.get("qualifier") == p.get("qualifier") else 0.0)
        + (0.5 if (g.get("origin") or None) == (p.get("origin") or None) else 0.0)
    )


def greedy_match(
    gold: Sequence[Rec],
    pred: Sequence[Rec],
    compatible: Callable[[Rec, Rec], bool],
    score: Callable[[Rec, Rec], float],
) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs: compatible pairs, best score first."""
    cands = [
        (score(g, p), gi, pi)
        for gi, g in enumerate(gold)
        for pi, p in enumerate(pred)
        if compatible(g, p)
    ]
    cands.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return sorted(pairs)


def match_events(gold: Sequence[Rec], pred: Sequence[Rec]) -> list[tuple[int, int]]:
    return greedy_match(gold, pred, event_compatible, event_score)


def match_movements(gold: Sequence[Rec], pred: Sequence[Rec]) -> list[tuple[int, int]]:
    return greedy_match(gold, pred, movement_compatible, movement_score)


def match_movements_by_country(gold: Sequence[Rec], pred: Sequence[Rec]) -> list[tuple[int, int]]:
    return greedy_match(gold, pred, movement_compatible_by_country, movement_score)


def match_figures(gold: Sequence[Rec], pred: Sequence[Rec]) -> list[tuple[int, int]]:
    return greedy_match(gold, pred, figure_compatible, figure_score)


# --- counting -----------------------------------------------------------------------------

COUNT_KEYS = (
    "ev_pred",
    "ev_pred_ok",  # predictions matched to a gold event (background included)
    "ev_pred_bg",  # ... of which to a background event
    "ev_gold",  # non-background gold events
    "ev_gold_ok",  # ... matched
    "ev_gold_bg",  # background gold events
    "place_n",
    "place_ok",
    "date_n",
    "date_ok",
    "toll_n",
    "toll_ok",
    "toll_invented",  # matched, gold gives no toll, the prediction gives a positive one
    "all_ok",  # matched with place, date and toll right (each where the gold gives it)
    "mv_pred",
    "mv_gold",
    "mv_ok",
    "fig_pred",
    "fig_gold",
    "fig_ok",
)


def score_document(gold: Rec, pred: Rec) -> tuple[dict[str, int], Rec]:
    """Counts for one document, and its matches (``{"events": pairs, ...}``).

    ``gold`` and ``pred`` each hold ``events``, ``movements`` and ``figures`` in the gold's
    shape (``pred`` from :func:`to_gold_vocabulary`).
    """
    c = dict.fromkeys(COUNT_KEYS, 0)
    ge, pe = gold.get("events", []), pred.get("events", [])
    ev_pairs = match_events(ge, pe)
    c["ev_pred"] = len(pe)
    c["ev_gold"] = sum(not g.get("background") for g in ge)
    c["ev_gold_bg"] = len(ge) - c["ev_gold"]
    for gi, pi in ev_pairs:
        g, p = ge[gi], pe[pi]
        c["ev_pred_ok"] += 1
        if g.get("background"):
            c["ev_pred_bg"] += 1
        else:
            c["ev_gold_ok"] += 1
        checks = (place_within_25(g, p), date_right(g, p), toll_right(g, p))
        for key, ok in zip(("place", "date", "toll"), checks, strict=True):
            if ok is not None:
                c[key + "_n"] += 1
                c[key + "_ok"] += int(ok)
        c["all_ok"] += int(all(ok is not False for ok in checks))
        if g.get("fatalities") is None and (p.get("fatalities") or {}).get("value"):
            c["toll_invented"] += 1
    gm, pm = gold.get("movements", []), pred.get("movements", [])
    mv_pairs = match_movements(gm, pm)
    c["mv_pred"], c["mv_gold"], c["mv_ok"] = len(pm), len(gm), len(mv_pairs)
    gf, pf = gold.get("figures", []), pred.get("figures", [])
    fig_pairs = match_figures(gf, pf)
    c["fig_pred"], c["fig_gold"], c["fig_ok"] = len(pf), len(gf), len(fig_pairs)
    return c, {"events": ev_pairs, "movements": mv_pairs, "figures": fig_pairs}


def add_counts(total: dict[str, int], c: dict[str, int]) -> None:
    for k, v in c.items():
        total[k] = total.get(k, 0) + v


def prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall, F1 (an empty side scores 0, except nothing to find and nothing
    found, which is precision and recall 1)."""
    p = tp_pred / n_pred if n_pred else (1.0 if n_gold == 0 else 0.0)
    r = tp_gold / n_gold if n_gold else (1.0 if n_pred == 0 else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def summary(c: dict[str, int]) -> dict[str, tuple[float, float, float]]:
    return {
        "events": prf(c["ev_pred_ok"], c["ev_pred"], c["ev_gold_ok"], c["ev_gold"]),
        "movements": prf(c["mv_ok"], c["mv_pred"], c["mv_ok"], c["mv_gold"]),
        "figures": prf(c["fig_ok"], c["fig_pred"], c["fig_ok"], c["fig_gold"]),
    }


def share(ok: int, n: int) -> float:
    return ok / n if n else 0.0


# --- error listing ------------------------------------------------------------------------


def _snip(s: Any, n: int = 100) -> str:
    s = " ".join(str(s or "").split())
    return s if len(s) <= n else s[: n - 3] + "..."


def fmt_place(p: Rec | None) -> str:
    if not p:
        return "-"
    pr = p.get("precision")
    xy = coords(p)
    loc = f" {xy[0]:.2f},{xy[1]:.2f}" if xy else " no-coord"
    return f"{p.get('name')} ({p.get('country') or '?'} p{pr if pr is not None else '?'}{loc})"


def fmt_number(q: Rec | None) -> str:
    if not q:
        return "-"
    up = f"-{q['upper']}" if q.get("upper") is not None else ""
    return f"{q.get('value')}{up} {q.get('qualifier')}"


def fmt_event(e: Rec) -> str:
    bg = " BACKGROUND" if e.get("background") else ""
    return (
        f"{e.get('event_type')}/{e.get('sub_event_type')}{bg} | {fmt_place(e.get('place'))}"
        f" | {e.get('date') or '-'} {e.get('date_precision') or ''} | toll {fmt_number(e.get('fatalities'))}"
        f" | «{_snip(e.get('evidence'))}»"
    )


def fmt_movement(m: Rec) -> str:
    return (
        f"{_snip(m.get('actor'), 40)} [{m.get('nationality') or '-'}] {m.get('manner') or ''}"
        f" | {fmt_place(m.get('origin'))} -> {fmt_place(m.get('destination'))}"
        f" | {m.get('date') or '-'} | «{_snip(m.get('evidence'))}»"
    )


def fmt_figure(f: Rec) -> str:
    num = fmt_number(f)
    return (
        f"{num} {f.get('category')} origin {f.get('origin') or '-'} | {_snip(f.get('subject'), 50)}"
        f" | «{_snip(f.get('evidence'))}»"
    )


def _where(p: Rec | None) -> str:
    return str(p.get("name")) if p else "-"


def _dist(g: Rec | None, p: Rec | None) -> str:
    d = distance(g, p)
    return f" {d:.0f} km" if d is not None else ""


def gold_miss_reason(key: str, g: Rec, preds: Sequence[Rec]) -> str:
    """Why a gold record found no match: what the predictions made of its evidence (any
    prediction whose span overlaps the gold evidence), or of its value (figures)."""
    here = [p for p in preds if inside_evidence(g, p)]
    if key == "events":
        same = [p for p in here if p.get("event_type") == g.get("event_type")]
        if same:
            p = same[0]
            return (
                f"read here, place {_where(p.get('place'))}{_dist(g.get('place'), p.get('place'))}"
            )
        if here:
            types = sorted({str(p.get("event_type")) for p in here})
            return "read here as " + ", ".join(types)
        return "not read"
    if key == "movements":
        if here:
            p = here[0]
            return (
                f"read here: {_where(p.get('origin'))} -> {_where(p.get('destination'))}"
                f" [{p.get('nationality') or '-'}]"
            )
        return "not read"
    same_value = [p for p in preds if p.get("value") == g.get("value")]
    if same_value:
        p = same_value[0]
        return f"value read as {fmt_number(p)} {p.get('category')} origin {p.get('origin') or '-'}"
    if here:
        return "read here with value " + ", ".join(fmt_number(p) for p in here)
    return "not read"


def pred_miss_reason(key: str, p: Rec, golds: Sequence[Rec], matched_gold: set[int]) -> str:
    """Why a prediction found no match: the gold records whose evidence it overlaps."""
    here = [(gi, g) for gi, g in enumerate(golds) if inside_evidence(g, p)]
    if not here:
        if key == "figures" and any(g.get("value") == p.get("value") for g in golds):
            return "gold has this value elsewhere"
        return "no gold record here"
    if key == "events":
        same = [(gi, g) for gi, g in here if g.get("event_type") == p.get("event_type")]
        if same and all(gi in matched_gold for gi, _ in same):
            return "another record of a matched event"
        if same:
            g = same[0][1]
            return f"gold place {_where(g.get('place'))}{_dist(g.get('place'), p.get('place'))}"
        return "gold here is " + ", ".join(sorted({str(g.get("event_type")) for _, g in here}))
    if all(gi in matched_gold for gi, _ in here):
        return "another record of a matched gold record"
    g = next(g for gi, g in here if gi not in matched_gold)
    if key == "movements":
        return (
            f"gold here: {_where(g.get('origin'))} -> {_where(g.get('destination'))}"
            f" [{g.get('nationality') or '-'}]"
        )
    return f"gold here: {fmt_number(g)} {g.get('category')} origin {g.get('origin') or '-'}"


def _matched_event_issues(g: Rec, p: Rec) -> list[str]:
    out = []
    if place_within_25(g, p) is False:
        d = distance(g.get("place"), p.get("place"))
        out.append(
            f"place {fmt_place(p.get('place'))} vs {fmt_place(g.get('place'))}"
            + (f" {d:.0f} km" if d is not None else "")
        )
    if date_right(g, p) is False:
        out.append(
            f"date {p.get('date') or '-'} {p.get('date_precision') or ''}"
            f" vs {g.get('date')} {g.get('date_precision')}"
        )
    if toll_right(g, p) is False:
        out.append(f"toll {fmt_number(p.get('fatalities'))} vs {fmt_number(g.get('fatalities'))}")
    return out


def error_lines(doc: Rec, gold: Rec, pred: Rec, matches: Rec) -> list[str]:
    """The document's unmatched records (P: predicted, G: gold), each with a [reason] read
    from the records of the other side whose span overlaps its evidence, and the matched
    events with a wrong place, date or toll (~), compactly, one a line."""
    lines: list[str] = []
    specs = (
        ("events", "event", fmt_event),
        ("movements", "movement", fmt_movement),
        ("figures", "figure", fmt_figure),
    )
    for key, label, fmt in specs:
        gs, ps = gold.get(key, []), pred.get(key, [])
        pairs = matches[key]
        mg = {gi for gi, _ in pairs}
        mp = {pi for _, pi in pairs}
        for pi, p in enumerate(ps):
            if pi not in mp:
                lines.append(f"  P {label:8s} {fmt(p)}  [{pred_miss_reason(key, p, gs, mg)}]")
        for gi, g in enumerate(gs):
            if gi not in mg:
                lines.append(f"  G {label:8s} {fmt(g)}  [{gold_miss_reason(key, g, ps)}]")
        if key == "events":
            for gi, pi in pairs:
                issues = _matched_event_issues(gs[gi], ps[pi])
                if issues and not inside_evidence(gs[gi], ps[pi]):
                    issues.append(f"matched to «{_snip(ps[pi].get('evidence'), 50)}»")
                if issues:
                    lines.append(
                        f"  ~ {label:8s} {gs[gi].get('event_type')} «{_snip(gs[gi].get('evidence'), 60)}»: "
                        + "; ".join(issues)
                    )
    if not lines:
        return []
    title = _snip(doc.get("title"), 70)
    return [
        f"== {doc.get('id')} [{doc.get('kind')}] {title} (published {doc.get('published')})"
    ] + lines
