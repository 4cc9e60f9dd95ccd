"""Real-reporting benchmark: events, movements and figures against hand coding.

    .venv/bin/python benchmarks/realnews.py [--kind KIND] [--limit N] [--errors [PATH]]
                                            [--rounds R] [--check-cli]

Reads ``realnews_dev.jsonl`` from ``../shared/eval`` beside the checkout (or
``$FFTRACK_EVAL_DIR``): 95 real documents (Wikipedia current-events items, Wikipedia battle
passages, "Foreign fighters" passages, Wikinews, re3d press releases) coded by hand as
``../shared/eval/CODING.md`` says; exits 0 with a message when it is absent.

It runs the production configuration, exactly what ``fftrack extract`` does, in process:
each gold line, without its gold fields (``events``, ``movements``, ``figures``), is the
JSON record the CLI reads (``id``, ``title``, ``published``, ``url``, ``source``, ``text``);
``record_to_document`` makes the Document, the text is kept exactly, the configuration is
``load_config()`` as the CLI builds it, ``Pipeline(config).process_safe`` runs in batches of
256 and each ``Extraction.to_dict()`` is the output line. ``--check-cli`` runs the real
``fftrack extract`` on the first document and says whether its line is the same.

Prints
- precision, recall and F1 of events, movements and figures, with the counts, matched one to
  one within each document by the rules of ``CODING.md`` (see ``_realnews_score.py`` for
  the rules and the choices they leave open: week and season dates, gold places without a
  coordinate). Events: precision counts a prediction matched to a background gold event
  as correct; recall is over non-background gold events;
- over matched events, the share with the place within 25 km, the date right to the gold's
  precision, the toll (fatalities) right where the gold gives one, and all of these;
- the same broken down by document kind;
- throughput on the same documents in the same run: spaCy's ``nlp.pipe`` alone (the model
  and components fftrack's NlpPipeline loads, same batch size) vs the whole extract path,
  in documents per second, and their ratio (best of ``--rounds``, after a warm-up).

``--errors [PATH]`` writes, per document, the unmatched predicted (P) and gold (G) records
and the matched events with a wrong place, date or toll (~), to PATH (stdout without one).

With ../shared/gazetteer present (or ``--gazetteer-cache DIR`` holding an index with it),
the scores are printed a second time with the village gazetteer added
(``--no-villages`` skips it).

Honesty note: the 95 documents are a development set; rules written while reading its
errors will flatter these figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _realnews_score as S  # noqa: E402
from _eval import add_village_options, eval_dir, open_villages  # noqa: E402

GOLD_FILE = "realnews_dev.jsonl"
GOLD_KEYS = ("events", "movements", "figures")
KINDS = ("current_events", "wikipedia", "wikipedia_ff", "wikinews", "re3d")
BATCH = 256  # as `fftrack extract`


def read_gold(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(line number, record) for each non-blank line."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                rows.append((n, json.loads(line)))
    return rows


def cli_record(row: dict[str, Any]) -> dict[str, Any]:
    """The line `fftrack extract` gets: the gold line without its gold records."""
    return {k: v for k, v in row.items() if k not in GOLD_KEYS}


def build_documents(rows: Sequence[tuple[int, dict[str, Any]]], path: Path) -> list[Any]:
    """Documents exactly as ``fftrack extract`` builds them (no --published)."""
    from fftrack.ingest.jsonl import record_to_document

    docs = []
    for n, row in rows:
        obj = cli_record(row)
        doc = record_to_document(obj, origin=f"{path}:{n}")
        if isinstance(doc, str):
            raise SystemExit(f"{path}:{n}: {doc}")
        docs.append(replace(doc, text=obj["text"]))
    return docs


def extract_all(pipeline: Any, docs: list[Any]) -> list[dict[str, Any] | None]:
    """The output lines of ``fftrack extract`` (None where extraction failed)."""
    out: list[dict[str, Any] | None] = []
    for start in range(0, len(docs), BATCH):
        for document, extraction, error in pipeline.process_safe(docs[start : start + BATCH]):
            if extraction is None:
                print(f"  extraction failed on {document.origin}: {error}", file=sys.stderr)
                out.append(None)
                continue
            out.append(extraction.to_dict())
    return out


def spacy_only(pipeline: Any, texts: list[str]) -> None:
    nlp = pipeline.nlp
    for _ in nlp.nlp.pipe(texts, batch_size=nlp.batch_size, n_process=nlp.n_process):
        pass


def check_cli(row: dict[str, Any], inproc: dict[str, Any] | None) -> str:
    """Run `fftrack extract` (``python -m fftrack.cli extract``, the code this benchmark
    imports) on one gold line, gold stripped, and compare its output line."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    with tempfile.TemporaryDirectory() as td:
        p = Path(td) / "one.jsonl"
        p.write_text(json.dumps(cli_record(row), ensure_ascii=False) + "\n", encoding="utf-8")
        cmd = [sys.executable, "-m", "fftrack.cli", "extract", str(p)]
        res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    if res.returncode != 0:
        return f"fftrack extract failed (exit {res.returncode}): {res.stderr.strip()[:200]}"
    lines = [json.loads(x) for x in res.stdout.splitlines() if x.strip()]
    if len(lines) != 1:
        return f"fftrack extract printed {len(lines)} lines"
    if lines[0] == inproc:
        return "identical to the in-process output"
    diff = [k for k in lines[0] if lines[0].get(k) != (inproc or {}).get(k)]
    return f"DIFFERS from the in-process output in {diff}"


def fmt_prf(c: dict[str, int], kind: str) -> str:
    p, r, f = S.summary(c)[kind]
    if kind == "events":
        counts = f"{c['ev_pred_ok']}/{c['ev_pred']}  {c['ev_gold_ok']}/{c['ev_gold']}"
    elif kind == "movements":
        counts = f"{c['mv_ok']}/{c['mv_pred']}  {c['mv_ok']}/{c['mv_gold']}"
    else:
        counts = f"{c['fig_ok']}/{c['fig_pred']}  {c['fig_ok']}/{c['fig_gold']}"
    return f"{p:.3f}  {r:.3f}  {f:.3f}  {counts}"


def print_report(
    total: dict[str, int], by_kind: dict[str, dict[str, int]], ndocs: Counter[str]
) -> None:
    c = total
    print("record      P      R      F1     tp/pred  tp/gold")
    for kind in ("events", "movements", "figures"):
        print(f"{kind:10s}  {fmt_prf(c, kind)}")
    print(
        f"  events: {c['ev_pred_bg']} predictions matched background gold events (correct for"
        f" precision); {c['ev_gold_bg']} background gold events left out of recall"
    )
    n = c["ev_pred_ok"]
    print(f"\nmatched events: {n}")
    print(
        f"place within 25 km              {S.share(c['place_ok'], c['place_n']):.3f}"
        f"  ({c['place_ok']}/{c['place_n']} with a gold coordinate)"
    )
    print(
        f"date right to its precision     {S.share(c['date_ok'], c['date_n']):.3f}"
        f"  ({c['date_ok']}/{c['date_n']} with a gold date)"
    )
    y = by_kind.get(GIVES_A_YEAR)
    if y is not None and y["date_n"] < c["date_n"]:
        print(
            f"  in documents that give a year {S.share(y['date_ok'], y['date_n']):.3f}"
            f"  ({y['date_ok']}/{y['date_n']}; the other {c['date_n'] - y['date_n']} are in"
            " documents with no publication date and no year in title or text)"
        )
    print(
        f"toll right                      {S.share(c['toll_ok'], c['toll_n']):.3f}"
        f"  ({c['toll_ok']}/{c['toll_n']} where the gold gives one)"
    )
    print(f"place, date and toll all right  {S.share(c['all_ok'], n):.3f}  ({c['all_ok']}/{n})")
    print(f"toll given where the gold has none: {c['toll_invented']}")

    print("\nby document kind: P R F1 (tp/pred, tp/gold)")
    print(f"{'kind':15s} {'docs':>4s}  {'events':35s}  {'movements':35s}  {'figures'}")
    for kind in KINDS:
        if kind not in by_kind:
            continue
        k = by_kind[kind]
        cells = []
        for rec in ("events", "movements", "figures"):
            p, r, f = S.summary(k)[rec]
            tp_p, n_p, tp_g, n_g = {
                "events": (k["ev_pred_ok"], k["ev_pred"], k["ev_gold_ok"], k["ev_gold"]),
                "movements": (k["mv_ok"], k["mv_pred"], k["mv_ok"], k["mv_gold"]),
                "figures": (k["fig_ok"], k["fig_pred"], k["fig_ok"], k["fig_gold"]),
            }[rec]
            cells.append(f"{p:.2f} {r:.2f} {f:.2f} ({tp_p}/{n_p}, {tp_g}/{n_g})".ljust(35))
        print((f"{kind:15s} {ndocs[kind]:4d}  " + "  ".join(cells)).rstrip())
    print("\nby document kind, matched events: place 25 km, date, toll, all (ok/n)")
    for kind in KINDS:
        if kind not in by_kind:
            continue
        k = by_kind[kind]
        cells = [
            f"{S.share(k[x + '_ok'], k[x + '_n']):.2f} ({k[x + '_ok']}/{k[x + '_n']})".ljust(16)
            for x in ("place", "date", "toll")
        ]
        cells.append(
            f"{S.share(k['all_ok'], k['ev_pred_ok']):.2f} ({k['all_ok']}/{k['ev_pred_ok']})"
        )
        print((f"{kind:15s} {ndocs[kind]:4d}  " + "  ".join(cells)).rstrip())


# the matched events of documents that give a year to anchor dates on (a publication date,
# or a year in the title or text): a date needs one (CODING.md: never today's clock)
GIVES_A_YEAR = "_gives_a_year"
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")


def score_all(
    rows: list[Any], outs: list[dict[str, Any] | None], *, errors: bool
) -> tuple[dict[str, int], dict[str, dict[str, int]], Counter[str], list[str]]:
    """Counts over all documents and per document kind, the documents per kind, and (with
    ``errors``) the lines of the errors dump."""
    total: dict[str, int] = dict.fromkeys(S.COUNT_KEYS, 0)
    by_kind: dict[str, dict[str, int]] = {}
    ndocs: Counter[str] = Counter(str(r.get("kind")) for _, r in rows)
    err_out: list[str] = []
    for (_, row), out in zip(rows, outs, strict=True):
        text = row["text"]
        pred = S.to_gold_vocabulary(out or {}, text)
        gold = {k: [S.locate_evidence(g, text) for g in row.get(k) or []] for k in GOLD_KEYS}
        c, matches = S.score_document(gold, pred)
        S.add_counts(total, c)
        S.add_counts(by_kind.setdefault(str(row.get("kind")), {}), c)
        if row.get("published") or _YEAR.search(f"{row.get('title') or ''} {text}"):
            S.add_counts(by_kind.setdefault(GIVES_A_YEAR, {}), c)
        if errors:
            err_out.extend(S.error_lines(row, gold, pred, matches))
    return total, by_kind, ndocs, err_out


def print_movements_by_country(rows: list[Any], outs: list[dict[str, Any] | None]) -> None:
    """Movements again with a country-level gold end matched on its country (labelled: the
    headline above keeps CODING.md's 50 km rule for movement ends)."""
    tp = npred = ngold = 0
    for (_, row), out in zip(rows, outs, strict=True):
        text = row["text"]
        pred = S.to_gold_vocabulary(out or {}, text).get("movements") or []
        gold = [S.locate_evidence(g, text) for g in row.get("movements") or []]
        tp += len(S.match_movements_by_country(gold, pred))
        npred += len(pred)
        ngold += len(gold)
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(
        f"  movements with a country-level gold end matched on its country (CODING.md's event"
        f" rule; not the headline): P {p:.3f} R {r:.3f} F1 {f:.3f} ({tp}/{npred}, {tp}/{ngold})"
    )


def _with_villages(args: Any, pipeline: Any, rows: list[Any], path: Path) -> None:
    """The same documents and scoring with ../shared/gazetteer added (production
    configuration otherwise); with an errors file, its errors go beside it
    (``NAME.villages.txt``)."""
    print()
    vgaz = open_villages(args)
    if vgaz is None:
        return
    from fftrack.geo import Geoparser
    from fftrack.pipeline import Pipeline

    vpipe = Pipeline(pipeline.config, nlp=pipeline.nlp, geoparser=Geoparser(vgaz))
    outs = extract_all(vpipe, build_documents(rows, path))
    want = args.errors not in (None, "-")
    total, by_kind, ndocs, err = score_all(rows, outs, errors=want)
    print("== with ../shared/gazetteer")
    print_report(total, by_kind, ndocs)
    if want:
        vpath = Path(args.errors).with_suffix(".villages" + Path(args.errors).suffix)
        vpath.write_text("\n".join(err) + "\n", encoding="utf-8")
        print(f"errors with the villages written to {vpath}")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--kind", choices=KINDS, help="only documents of this kind")
    ap.add_argument("--limit", type=int, default=None, help="the first N documents (after --kind)")
    ap.add_argument(
        "--errors",
        "-v",
        nargs="?",
        const="-",
        default=None,
        metavar="PATH",
        help="write unmatched records per document to PATH (stdout without one)",
    )
    ap.add_argument("--rounds", type=int, default=2, help="timing rounds (best of)")
    ap.add_argument(
        "--check-cli", action="store_true", help="compare with `fftrack extract` on one document"
    )
    add_village_options(ap)
    args = ap.parse_args(argv)

    d = eval_dir()
    if d is None or not (d / GOLD_FILE).is_file():
        print(f"no ../shared/eval/{GOLD_FILE} (or $FFTRACK_EVAL_DIR): nothing to measure")
        return 0
    path = d / GOLD_FILE
    rows = read_gold(path)
    if args.kind:
        rows = [(n, r) for n, r in rows if r.get("kind") == args.kind]
    if args.limit is not None:
        rows = rows[: args.limit]
    if not rows:
        print("no documents selected")
        return 0

    from fftrack.config import load_config
    from fftrack.pipeline import Pipeline

    t0 = time.perf_counter()
    config = load_config(None, overrides={"db": None})
    pipeline = Pipeline(config)
    t_load = time.perf_counter() - t0
    docs = build_documents(rows, path)
    texts = [doc.text for doc in docs]

    # warm-up (one-time lazy loading counts for neither side), then alternating timed rounds
    spacy_only(pipeline, texts[:5])
    extract_all(pipeline, docs[:5])
    t_spacy = t_all = float("inf")
    outs: list[dict[str, Any] | None] = []
    for _ in range(max(1, args.rounds)):
        t0 = time.perf_counter()
        spacy_only(pipeline, texts)
        t_spacy = min(t_spacy, time.perf_counter() - t0)
        t0 = time.perf_counter()
        outs = extract_all(pipeline, build_documents(rows, path))
        t_all = min(t_all, time.perf_counter() - t0)

    total, by_kind, ndocs, err_out = score_all(rows, outs, errors=args.errors is not None)

    kinds = ", ".join(f"{k} {ndocs[k]}" for k in KINDS if ndocs[k])
    print(f"== {GOLD_FILE}: {len(rows)} documents ({kinds})")
    print(
        f"production configuration: fftrack extract in process (model {config.model}, "
        f"pipeline loaded in {t_load:.1f} s)"
    )
    if args.check_cli:
        print(f"CLI check on {rows[0][1].get('id')}: {check_cli(rows[0][1], outs[0])}")
    failed = sum(o is None for o in outs)
    if failed:
        print(f"extraction failed on {failed} documents (scored as predicting nothing)")
    print()
    print_report(total, by_kind, ndocs)
    print_movements_by_country(rows, outs)

    nchars = sum(len(t) for t in texts)
    print(
        f"\nthroughput ({len(docs)} documents, {nchars} characters, best of {max(1, args.rounds)}):"
    )
    print(f"spaCy nlp.pipe alone        {len(docs) / t_spacy:8.2f} docs/s  ({t_spacy:.2f} s)")
    print(f"fftrack extract path        {len(docs) / t_all:8.2f} docs/s  ({t_all:.2f} s)")
    print(f"extract / spaCy             {t_spacy / t_all:8.3f}")

    _with_villages(args, pipeline, rows, path)

    if args.errors is not None:
        head = [
            f"# realnews errors: {len(rows)} documents. P predicted unmatched, G gold unmatched"
            " [why], ~ matched event with a wrong attribute (predicted vs gold)."
        ]
        fh: TextIO = sys.stdout if args.errors == "-" else open(args.errors, "w", encoding="utf-8")  # noqa: SIM115
        try:
            if fh is sys.stdout:
                print()
            fh.write("\n".join(head + err_out) + "\n")
        finally:
            if fh is not sys.stdout:
                fh.close()
                print(f"\nerrors written to {args.errors}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
