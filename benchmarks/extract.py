"""Extraction benchmark: events, fatalities, locations and actors against public gold data.

    .venv/bin/python benchmarks/extract.py [--limit N] [--full] [--seed 13]

Reads ``../shared/eval`` beside the checkout (or ``$FFTRACK_EVAL_DIR``); exits 0 with a
message when it is absent. Everything goes through the real ``fftrack.pipeline.Pipeline``
(spaCy, the geoparser, the extractors). By default it samples (seeded) so that it ends in
well under 10 minutes on 2 cores, and says so; ``--full`` runs every line, ``--limit N``
takes N lines per set.

Prints
- ACLED (acled_me2018_train, gold date as the reference date; gold types mapped from the
  pre-2019 taxonomy as ACLED's 2019 codebook does): event detection recall per note,
  event_type accuracy and macro-F1, sub_event_type macro-F1 on the sub-types the old
  taxonomy determines, fatalities exact-match accuracy, event location accuracy@161 km and
  within 25 km, actor1 match rate after normalisation;
- CASE 2021 task 2: macro-F1 over its 30 types after mapping them onto ACLED sub-types;
- PLOVER GSR: detection and coarse type agreement on its conflict types, source-actor match;
- event_location: trigger-to-location accuracy (our event holding the gold trigger is
  located at a gold location span);
- throughput: spaCy alone vs the whole ``fftrack extract`` pipeline on the same texts.

Honesty note: the extractor is rule-based (no learned weights), but its trigger lexicons
were written while reading errors on ACLED notes of this same file (it has no held-out
split; use ``--seed`` to score other samples) and on CASE 2021 snippets (for its five
non-ACLED classes in particular). PLOVER and event_location were not used to write rules.
These figures are therefore optimistic for unseen reporting.

Every set runs twice: with the embedded default gazetteer and "with ../shared/gazetteer"
(the GeoNames village dumps of 18 countries added as ``fftrack gazetteer add`` does;
``--gazetteer-cache DIR`` reuses an index built there, ``--no-villages`` skips it). The
village resolver (geo.resolve.v3) was written while reading errors on the ACLED toponym
set, whose notes are these ACLED notes: the event-location figures are optimistic too.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _eval import add_village_options, open_villages  # noqa: E402

from fftrack.extract.actors import acled_name  # noqa: E402
from fftrack.extract.taxonomy import CASE2021_TO_ACLED, map_old_acled, type_of  # noqa: E402
from fftrack.records import Document, Event, Extraction  # noqa: E402

# a note "reports a number" of dead when a count or an explicit zero sits next to a word of
# death ("3 fatalities", "killing 4 civilians", "no fatalities reported")
_NUMW = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|a|an|no|neither|dozens|several)"
TOLL_RE = re.compile(
    rf"\b{_NUMW}\b(?:\s+[\w-]+){{0,4}}\s+(?:were\s+|was\s+)?(?:killed|dead|died|fatalit\w*|deaths?|bodies)\b"
    rf"|\b(?:killed|killing|killing of|death of)\s+(?:at least\s+)?{_NUMW}\b",
    re.I,
)
DEFAULT_SAMPLE = {"acled": 2000, "case": 1019, "plover": 322, "evloc": 1500}


def eval_dir() -> Path | None:
    env = os.environ.get("FFTRACK_EVAL_DIR")
    d = Path(env) if env else Path(__file__).resolve().parents[1] / ".." / "shared" / "eval"
    return d.resolve() if d.is_dir() else None


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def sample(rows: list[dict[str, Any]], n: int | None, seed: int) -> list[dict[str, Any]]:
    if n is None or n >= len(rows):
        return rows
    rnd = random.Random(seed)
    return sorted(rnd.sample(rows, n), key=lambda r: str(r["id"]))


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


def macro_f1(pairs: Iterable[tuple[str, str]], labels: Sequence[str] | None = None) -> float:
    """Macro-F1 over gold labels (or the given ones) from (gold, predicted) pairs."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    golds = set()
    for g, p in pairs:
        golds.add(g)
        if g == p:
            tp[g] += 1
        else:
            fn[g] += 1
            fp[p] += 1
    labs = list(labels) if labels is not None else sorted(golds)
    f1s = []
    for lab in labs:
        prec = tp[lab] / (tp[lab] + fp[lab]) if tp[lab] + fp[lab] else 0.0
        rec = tp[lab] / (tp[lab] + fn[lab]) if tp[lab] + fn[lab] else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return sum(f1s) / len(f1s) if f1s else 0.0


def primary(events: Sequence[Event]) -> Event | None:
    """The event a note is about: the first one reported."""
    return events[0] if events else None


def actor_key(name: str | None) -> str:
    if not name:
        return ""
    n = re.sub(r"\([^)]*\)", "", name)
    return re.sub(r"\s+", " ", n).strip().lower()


ACTING = ("armed_group", "state_forces", "coalition", "protesters", "rioters")


def actor1_name(ev: Event) -> list[str | None]:
    """Our actor1 in ACLED's terms. Where the report names no acting side, ACLED's coding
    convention applies: protesters, rioters, or an unidentified armed group."""
    if ev.actors and ev.actors[0].kind in ACTING:
        a = ev.actors[0]
        return [acled_name(a.normalized), a.normalized]
    if ev.event_type == "Protests":
        return ["Protesters"]
    if ev.event_type == "Riots":
        return ["Rioters"]
    return ["Unidentified Armed Group"]


def actor_match(gold: str | None, ev: Event | None) -> bool:
    if ev is None:
        return False
    g = actor_key(gold)
    for cand in actor1_name(ev):
        c = actor_key(cand)
        if c and g and (c == g or g.startswith(c) or c.startswith(g)):
            return True
    return False


def run_pipeline(pipeline: Any, docs: list[Document]) -> list[Extraction]:
    return list(pipeline.process(docs))


def bench_acled(pipeline: Any, rows: list[dict[str, Any]]) -> dict[str, float]:
    docs = [
        Document(id=r["id"], text=r["text"], published=date.fromisoformat(r["events"][0]["date"]))
        for r in rows
    ]
    # throughput: spaCy alone, then the whole pipeline, on the same texts (both warmed
    # up first on a few notes, so that one-time loading counts for neither)
    warm = docs[:20]
    for _ in pipeline.nlp.pipe(d.text for d in warm):
        pass
    run_pipeline(pipeline, warm)
    # two alternating rounds, best of each: the machine is shared, so single timings are noisy
    t_spacy = t_all = float("inf")
    exs: list[Extraction] = []
    for _ in range(2):
        t0 = time.perf_counter()
        for _ in pipeline.nlp.pipe(d.text for d in docs):
            pass
        t_spacy = min(t_spacy, time.perf_counter() - t0)
        t0 = time.perf_counter()
        exs = run_pipeline(pipeline, docs)
        t_all = min(t_all, time.perf_counter() - t0)
    n = len(docs)
    detected = 0
    type_pairs: list[tuple[str, str]] = []
    type_ok = 0
    sub_pairs: list[tuple[str, str]] = []
    fat_all = fat_all_ok = fat_pos = fat_pos_ok = fat_toll = fat_toll_ok = 0
    fat_tollpos = fat_tollpos_ok = 0
    loc_n = loc_161 = loc_25 = loc_any25 = 0
    act_n = act_ok = 0
    confusion: Counter[tuple[str, str]] = Counter()
    n_pred_events = n_gold_events = 0
    for r, ex in zip(rows, exs, strict=True):
        gold = r["events"]
        n_pred_events += len(ex.events)
        n_gold_events += len(gold)
        ev = primary(ex.events)
        if ex.events:
            detected += 1
        gtype, gsub = map_old_acled(gold[0]["type"])
        ptype = ev.event_type if ev else "NONE"
        if gtype == "Protests|Riots":
            gtype = ptype if ptype in ("Protests", "Riots") else "Protests"
        type_pairs.append((gtype, ptype))
        type_ok += gtype == ptype
        confusion[(gtype, ptype)] += 1
        if gsub is not None:
            sub_pairs.append((gsub, ev.sub_event_type or "NONE" if ev else "NONE"))
        gfat = sum(int(e.get("fatalities") or 0) for e in gold)
        pfat = sum(e.fatalities.value for e in ex.events if e.fatalities is not None)
        fat_all += 1
        fat_all_ok += pfat == gfat
        if TOLL_RE.search(r["text"]) and not re.search(
            r"coded|split|allocated|spread|distributed|divided|across", r["text"], re.I
        ):
            fat_toll += 1
            fat_toll_ok += pfat == gfat
            if gfat > 0:
                fat_tollpos += 1
                fat_tollpos_ok += pfat == gfat
        if gfat > 0:
            fat_pos += 1
            fat_pos_ok += pfat == gfat
        coords = [(e["lat"], e["lon"]) for e in gold if e.get("lat") is not None]
        if coords:
            loc_n += 1
            if any(
                km(p.lat, p.lon, la, lo) <= 25  # type: ignore[arg-type]
                for p in ex.places
                if p.resolved
                for la, lo in coords
            ):
                loc_any25 += 1
            if ev is not None and ev.place is not None and ev.place.resolved:
                d = min(km(ev.place.lat, ev.place.lon, la, lo) for la, lo in coords)  # type: ignore[arg-type]
                loc_161 += d <= 161
                loc_25 += d <= 25
        if gold[0].get("actor1"):
            act_n += 1
            act_ok += actor_match(gold[0]["actor1"], ev)
    sub_labels = sorted({g for g, _ in sub_pairs})
    out = {
        "notes": n,
        "detection_recall": detected / n if n else 0.0,
        "event_type_accuracy": type_ok / n if n else 0.0,
        "event_type_macro_f1": macro_f1(type_pairs),
        "sub_event_type_macro_f1": macro_f1(sub_pairs, sub_labels),
        "sub_event_notes": len(sub_pairs),
        "fatalities_exact_all": fat_all_ok / fat_all if fat_all else 0.0,
        "fatalities_exact_reported": fat_pos_ok / fat_pos if fat_pos else 0.0,
        "fatalities_reported_notes": fat_pos,
        "fatalities_exact_toll": fat_toll_ok / fat_toll if fat_toll else 0.0,
        "fatalities_exact_toll_pos": fat_tollpos_ok / fat_tollpos if fat_tollpos else 0.0,
        "location_acc161": loc_161 / loc_n if loc_n else 0.0,
        "location_within25": loc_25 / loc_n if loc_n else 0.0,
        "location_any25": loc_any25 / loc_n if loc_n else 0.0,
        "actor1_match": act_ok / act_n if act_n else 0.0,
        "t_spacy": t_spacy,
        "t_pipeline": t_all,
    }
    print("\n== ACLED (acled_me2018_train.jsonl), reference date = gold date")
    print(f"notes                                   {n}")
    print(f"event detection recall per note         {out['detection_recall']:.3f}")
    print(
        f"events coded per note                   {n_pred_events / max(n, 1):.2f}"
        f"  (gold {n_gold_events / max(n, 1):.2f}; ACLED codes one event per place and day)"
    )
    print(f"event_type accuracy                     {out['event_type_accuracy']:.3f}")
    print(f"event_type macro-F1                     {out['event_type_macro_f1']:.3f}")
    print(
        f"sub_event_type macro-F1 (determined)    {out['sub_event_type_macro_f1']:.3f}"
        f"  ({len(sub_pairs)} notes; {', '.join(sub_labels)})"
    )
    print(f"fatalities exact, all notes             {out['fatalities_exact_all']:.3f}")
    print(
        f"fatalities exact, notes reporting > 0   {out['fatalities_exact_reported']:.3f}"
        f"  ({fat_pos} notes)"
    )
    print(
        f"fatalities exact, notes stating a toll  {out['fatalities_exact_toll']:.3f}"
        f"  ({fat_toll} notes; a count or 'no fatalities' by a word of death, no ACLED split)"
    )
    print(
        f"  of which gold > 0                     {out['fatalities_exact_toll_pos']:.3f}"
        f"  ({fat_tollpos} notes)"
    )
    print(f"event location accuracy@161km           {out['location_acc161']:.3f}  ({loc_n} notes)")
    print(f"event location within 25 km             {out['location_within25']:.3f}")
    print(
        f"  any geoparsed place within 25 km       {out['location_any25']:.3f}"
        "  (ceiling for choosing among the geoparser's places)"
    )
    print(
        f"actor1 match after normalisation        {out['actor1_match']:.3f}  ({act_n} notes;"
        " unnamed side = ACLED's Protesters/Rioters/Unidentified Armed Group)"
    )
    print("confusion (gold -> predicted), top:")
    for (g, p), c in confusion.most_common(12):
        print(f"  {c:5d}  {g:28s} -> {p}")
    return out


def bench_case(pipeline: Any, rows: list[dict[str, Any]]) -> float:
    docs = [Document(id=str(r["id"]), text=r["text"]) for r in rows]
    exs = run_pipeline(pipeline, docs)
    pairs = []
    for r, ex in zip(rows, exs, strict=True):
        gold = CASE2021_TO_ACLED.get(r["events"][0]["type"], "Other")
        ev = primary(ex.events)
        pred = (ev.sub_event_type or "NONE") if ev else "NONE"
        pairs.append((gold, pred))
    f1 = macro_f1(pairs, sorted(set(CASE2021_TO_ACLED.values())))
    acc = sum(g == p for g, p in pairs) / len(pairs) if pairs else 0.0
    gtype_ok = sum(type_of(g) == (type_of(p) if p != "NONE" else "NONE") for g, p in pairs) / max(
        1, len(pairs)
    )
    print("\n== CASE 2021 task 2 (30 types mapped onto ACLED sub-types)")
    print(f"snippets                                {len(rows)}")
    print(f"macro-F1 (30 types)                     {f1:.3f}")
    print(f"accuracy                                {acc:.3f}")
    print(f"event_type accuracy (coarse)            {gtype_ok:.3f}")
    return f1


PLOVER_COARSE = {
    "FIGHT": {"Battles", "Explosions/Remote violence"},
    "ASSAULT": {"Violence against civilians", "Explosions/Remote violence", "Battles"},
    "PROTEST": {"Protests", "Riots"},
    "COERCE": {"Strategic developments", "Violence against civilians"},
    "RETREAT": {"Strategic developments"},
    "MOBILIZE": {"Strategic developments"},
}


def bench_plover(pipeline: Any, rows: list[dict[str, Any]]) -> None:
    docs = [Document(id=str(r["id"]), text=r["text"]) for r in rows]
    exs = run_pipeline(pipeline, docs)
    conflict = det = type_ok = 0
    src_n = src_ok = 0
    for r, ex in zip(rows, exs, strict=True):
        g = r["events"][0]
        ev = primary(ex.events)
        if g["type"] in PLOVER_COARSE:
            conflict += 1
            det += ev is not None
            type_ok += ev is not None and ev.event_type in PLOVER_COARSE[g["type"]]
        srcs = [s["text"] for s in g.get("source_actors") or [] if s.get("text")]
        if srcs and ev is not None:
            src_n += 1
            if ev.actors:
                a = ev.actors[0]
                src_ok += any(
                    s.lower() in a.name.lower() or a.name.lower() in s.lower() for s in srcs
                )
    print("\n== PLOVER GSR")
    print(f"sentences                               {len(rows)}")
    print(f"conflict-type sentences                 {conflict}")
    print(f"detection on conflict types             {det / max(1, conflict):.3f}")
    print(f"coarse type agreement on conflict types {type_ok / max(1, conflict):.3f}")
    print(f"source actor = our actor1 (detected)    {src_ok / max(1, src_n):.3f}  ({src_n})")


def bench_evloc(pipeline: Any, rows: list[dict[str, Any]]) -> float:
    docs = [Document(id=str(r["id"]), text=r["text"]) for r in rows]
    exs = run_pipeline(pipeline, docs)
    n = ok = found = 0
    for r, ex in zip(rows, exs, strict=True):
        for g in r["events"]:
            spans = g.get("location_spans") or []
            trig = g.get("trigger") or {}
            if not spans or "start" not in trig:
                continue
            n += 1
            ts, te = trig["start"], trig["end"]
            holding = [e for e in ex.events if e.span.start <= ts and te <= e.span.end]
            if not holding:
                holding = [
                    e for e in ex.events if e.span.sentence_start <= ts < e.span.sentence_end
                ]
            if not holding:
                continue
            found += 1
            ev = holding[0]
            if ev.place is not None and any(
                not (ev.place.span.end <= s or ev.place.span.start >= e) for s, e in spans
            ):
                ok += 1
    acc = ok / n if n else 0.0
    print("\n== event_location (trigger -> location)")
    print(f"gold events with a location span        {n}")
    print(f"an event of ours holds the trigger      {found / max(1, n):.3f}")
    print(f"trigger-to-location accuracy            {acc:.3f}")
    print(f"  (among events we found)               {ok / max(1, found):.3f}")
    return acc


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="lines per gold set")
    ap.add_argument("--full", action="store_true", help="every line of every set")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--only", default="acled,case,plover,evloc")
    add_village_options(ap)
    args = ap.parse_args(argv)
    d = eval_dir()
    if d is None:
        print("no ../shared/eval (or $FFTRACK_EVAL_DIR): nothing to measure")
        return 0
    from fftrack.pipeline import Pipeline

    t0 = time.perf_counter()
    pipeline = Pipeline()
    print(f"pipeline loaded in {time.perf_counter() - t0:.1f}s")
    sizes: dict[str, int | None]
    if args.full:
        sizes = {k: None for k in DEFAULT_SAMPLE}
    elif args.limit is not None:
        sizes = {k: args.limit for k in DEFAULT_SAMPLE}
    else:
        sizes = dict(DEFAULT_SAMPLE)
    files = {
        "acled": "acled_me2018_train.jsonl",
        "case": "case2021_task2.jsonl",
        "plover": "plover_gsr.jsonl",
        "evloc": "event_location.jsonl",
    }
    only = set(args.only.split(","))
    data = {}
    for key, name in files.items():
        if key not in only or not (d / name).is_file():
            continue
        rows = read_jsonl(d / name)
        data[key] = sample(rows, sizes[key], args.seed)
        note = "" if len(data[key]) == len(rows) else f" (seeded sample of {len(rows)})"
        print(f"{name}: {len(data[key])} lines{note}")
    configs = [("default gazetteer", pipeline)]
    vgaz = open_villages(args)
    if vgaz is not None:
        from fftrack.geo import Geoparser

        vpipe = Pipeline(pipeline.config, nlp=pipeline.nlp, geoparser=Geoparser(vgaz))
        configs.append(("with ../shared/gazetteer", vpipe))
    for label, pipe in configs:
        print(f"\n######## {label} (production configuration: Pipeline, as `fftrack extract`)")
        run_benches(pipe, data)
    return 0


def run_benches(pipeline: Any, data: dict[str, list[dict[str, Any]]]) -> None:
    t_total = time.perf_counter()
    acled = bench_acled(pipeline, data["acled"]) if "acled" in data else None
    if "case" in data:
        bench_case(pipeline, data["case"])
    if "plover" in data:
        bench_plover(pipeline, data["plover"])
    if "evloc" in data:
        bench_evloc(pipeline, data["evloc"])
    if acled is not None:
        n = acled["notes"]
        ts, ta = acled["t_spacy"], acled["t_pipeline"]
        chars = sum(len(r["text"]) for r in data["acled"])
        print("\n== throughput (ACLED notes, same texts, same run)")
        print(
            f"spaCy alone                             {n / ts:8.1f} docs/s  {chars / ts:9.0f} chars/s"
        )
        print(
            f"fftrack extract (nlp + geo + extract)   {n / ta:8.1f} docs/s  {chars / ta:9.0f} chars/s"
        )
        print(f"ratio                                   {ts / ta:.2f}")
    print(f"\nbenchmark time {time.perf_counter() - t_total:.0f}s")


if __name__ == "__main__":
    raise SystemExit(main())
