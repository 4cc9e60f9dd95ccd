"""Throughput benchmark (issue #13): spaCy alone vs what fftrack runs, and cost per character.

    .venv/bin/python benchmarks/throughput.py [--docs N] [--long 10000,100000,1000000]
                                              [--workers 1,2] [--skip-dask]

Assembles ``--docs`` news-length documents from the shared real-reporting texts
(``realnews_dev.jsonl`` in ``../shared/eval``, or ``$FFTRACK_EVAL_DIR``; exits 0 with a
message when absent), each copy with its own id, and runs in one go, each stage in a fresh
subprocess so its peak memory is its own:

(a) spaCy alone: ``nlp.pipe`` of the model and components fftrack loads, same batch size;
(b) ``fftrack extract`` in process: ``Pipeline.process_safe`` in batches (production config);
(c) ``fftrack ingest`` (the CLI) into a new SQLite store, one process;
(d) ``fftrack ingest --workers N`` (the Dask path) for each N of ``--workers``.

Prints, per stage, documents/s and words/s (wall), CPU seconds (the stage's process and
its children), peak RSS, and the ratios (b)/(a) and (c)/(a) in CPU time (documents per CPU
second over spaCy's) and (d2)/(d1) in documents per second; then the CPU time per character
of one document of each ``--long`` size (read as ``fftrack extract`` reads it, long ones in
parts), and that cost relative to the first size.

CPU ratios hold on a loaded machine better than wall times (documents/s, the Dask ratio:
only meaningful on an otherwise idle one), but a shared machine still moves the CPU time of
a 30 s stage by a few seconds either way (cache and memory contention). ``--repeat N`` runs
(a), (b), (c) and the start-up N times, interleaved, and takes each one's least CPU time
(and that run's wall time and memory): the figure least disturbed by the others' load.

fftrack's modules are compiled to bytecode before the stages run (``compile_sources``), as
an installed fftrack has them: a checkout run where Python writes no bytecode would
otherwise count their compilation in every stage's start-up.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _eval import eval_dir, read_jsonl  # noqa: E402


def corpus(n: int) -> list[dict[str, Any]]:
    d = eval_dir()
    assert d is not None
    rows = [r for r in read_jsonl(d / "realnews_dev.jsonl") if r.get("text")]
    out = []
    for k in range(n):
        r = rows[k % len(rows)]
        out.append(
            {
                "id": f"{r['id']}~{k // len(rows)}",
                "text": r["text"],
                "title": r.get("title"),
                "published": r.get("published"),
            }
        )
    return out


def _usage() -> tuple[float, int]:
    """CPU seconds of this process and its reaped children, and its peak RSS (KB)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime, me.ru_maxrss


def stage(name: str, path: Path, arg: str) -> dict[str, Any]:
    """Run in a subprocess: one stage over the JSONL at ``path``; prints a JSON line."""
    from fftrack.config import load_config

    config = load_config()
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    out: dict[str, Any] = {}
    if name == "spacy":
        from fftrack.nlp import NlpPipeline

        nlp = NlpPipeline(config.model, batch_size=config.batch_size)
        list(nlp.pipe(r["text"] for r in rows[:8]))  # warm-up
        c0, t0 = _usage()[0], time.perf_counter()
        for _ in nlp.pipe(r["text"] for r in rows):
            pass
        out = {"cpu": _usage()[0] - c0, "wall": time.perf_counter() - t0}
    elif name == "extract":
        from fftrack.ingest.jsonl import record_to_document
        from fftrack.pipeline import Pipeline
        from fftrack.records import Document

        pipe = Pipeline(config)
        made = [record_to_document(r, f"{path}:{i + 1}") for i, r in enumerate(rows)]
        docs = [d for d in made if isinstance(d, Document)]
        list(pipe.process_safe(docs[:8]))  # warm-up
        c0, t0 = _usage()[0], time.perf_counter()
        failed = 0
        for k in range(0, len(docs), 256):
            batch = docs[k : k + 256]
            failed += sum(ex is None for _, ex, _ in pipe.process_safe(batch))
        out = {"cpu": _usage()[0] - c0, "wall": time.perf_counter() - t0, "failed": failed}
    elif name == "long":
        from fftrack.pipeline import Pipeline
        from fftrack.records import Document

        pipe = Pipeline(config)
        pool = "\n\n".join(r["text"] for r in rows)
        list(pipe.process_safe([Document(id="warm", text=pool[:5000])]))
        per_char = {}
        for size in (int(s) for s in arg.split(",")):
            text = (pool * (size // len(pool) + 1))[:size]
            c0 = _usage()[0]
            [(_, ex, err)] = list(pipe.process_safe([Document(id=f"long{size}", text=text)]))
            per_char[size] = (_usage()[0] - c0) / len(text)
            assert err is None, err
        out = {"per_char": per_char}
    return out


def compile_sources() -> bool:
    """Compile fftrack's modules to bytecode once, as an installed package has them (pip
    compiles them; Python writes them at the first import). Where Python is told not to
    write bytecode (``PYTHONDONTWRITEBYTECODE``, as on a shared dev machine) and the
    checkout has none, each stage's process compiles every module it imports again: about
    0.45 s CPU of each start-up here, a cost no installed fftrack pays. True if done."""
    import compileall

    return bool(compileall.compile_dir(ROOT / "fftrack", quiet=1))


def _run(cmd: list[str]) -> tuple[int, str, str, float, float, float]:
    """Run ``cmd``; (returncode, stdout, stderr, wall s, CPU s, peak RSS MB) of that process
    and the children it waited for (``wait4``: its own usage, not earlier stages')."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        return proc.returncode, out.read(), err.read(), wall, cpu, usage.ru_maxrss / 1024


def run_stage(name: str, path: Path, arg: str = "") -> dict[str, Any]:
    rc, stdout, stderr, _, _, rss = _run(
        [sys.executable, __file__, "--stage", name, str(path), arg]
    )
    if rc != 0:
        raise SystemExit(f"stage {name} failed:\n{stderr[-3000:]}")
    res = dict(json.loads(stdout.strip().splitlines()[-1]))
    res["rss_mb"] = rss
    return res


def run_cli(path: Path, db: Path, workers: int) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "fftrack.cli", "--db", str(db), "ingest", str(path), "--json"]
    if workers:
        cmd += ["--workers", str(workers)]
    rc, stdout, stderr, wall, cpu, rss = _run(cmd)
    if rc not in (0, 1):
        raise SystemExit(f"ingest failed ({rc}):\n{stderr[-3000:]}")
    report = json.loads(stdout) if stdout.strip().startswith("{") else {}
    stored = (report.get("stored") or {}).get("documents")
    return {"cpu": cpu, "wall": wall, "rss_mb": rss, "stored": stored}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--docs", type=int, default=400)
    ap.add_argument("--long", default="10000,100000,1000000")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument(
        "--repeat", type=int, default=1, help="runs of (a)-(c), interleaved; least CPU kept"
    )
    ap.add_argument("--stage", nargs=3, metavar=("NAME", "PATH", "ARG"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.stage:
        name, path, arg = args.stage
        print(json.dumps(stage(name, Path(path), arg)))
        return 0
    if eval_dir() is None:
        print("shared evaluation data not found (../shared/eval): nothing to measure")
        return 0
    compiled = compile_sources()
    rows = corpus(args.docs)
    words = sum(len(r["text"].split()) for r in rows)
    chars = sum(len(r["text"]) for r in rows)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "docs.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        print(
            f"{len(rows)} documents, {words:,} words, {chars:,} characters; {os.cpu_count()} cores"
            + (f"; each stage's least CPU of {args.repeat} runs" if args.repeat > 1 else "")
            + ("; fftrack compiled to bytecode first" if compiled else "")
        )
        res: dict[str, dict[str, Any]] = {}
        # start-up (model, gazetteer, store): the same command on one document
        one = Path(tmp) / "one.jsonl"
        one.write_text(json.dumps(rows[0]) + "\n", encoding="utf-8")

        def least(name: str, run: dict[str, Any]) -> None:
            if name not in res or run["cpu"] < res[name]["cpu"]:
                res[name] = run

        for k in range(max(args.repeat, 1)):
            least("(a) spaCy nlp.pipe alone", run_stage("spacy", path))
            least("(b) fftrack extract", run_stage("extract", path))
            least("(c) fftrack ingest", run_cli(path, Path(tmp) / f"c{k}.db", 0))
            least("start-up", run_cli(one, Path(tmp) / f"one{k}.db", 0))
        startup = res.pop("start-up")
        if not args.skip_dask:
            for w in (int(x) for x in args.workers.split(",")):
                res[f"(d{w}) ingest --workers {w}"] = run_cli(path, Path(tmp) / f"d{w}.db", w)
        print(f"{'stage':32} {'docs/s':>8} {'words/s':>9} {'CPU s':>8} {'peak RSS':>9}")
        for name, r in res.items():
            dps = len(rows) / r["wall"]
            print(
                f"{name:32} {dps:8.2f} {words / r['wall']:9.0f} {r['cpu']:8.1f} "
                f"{r['rss_mb']:7.0f} MB"
            )
        a = res["(a) spaCy nlp.pipe alone"]["cpu"]
        print(f"(b)/(a) in CPU time: {a / res['(b) fftrack extract']['cpu']:.3f} (target >= 0.85)")
        c = res["(c) fftrack ingest"]["cpu"]
        print(
            f"(c)/(a) in CPU time: {a / c:.3f} (target >= 0.80); net of start-up "
            f"({startup['cpu']:.1f} s, the same command on one document): "
            f"{a / max(c - startup['cpu'], 1e-9):.3f}"
        )
        dask = [r for n, r in res.items() if n.startswith("(d")]
        if len(dask) >= 2:
            ratio = dask[0]["wall"] / dask[-1]["wall"]
            print(
                f"(d{args.workers.split(',')[-1]})/(d{args.workers.split(',')[0]}) in documents/s: {ratio:.3f} (target >= 1.7)"
            )
        longs = run_stage("long", path, args.long)["per_char"]
        sizes = sorted(longs, key=int)
        base = longs[sizes[0]]
        print("CPU time per character of one long document (read as `fftrack extract` reads it):")
        for s in sizes:
            print(
                f"  {int(s):>9,} chars: {1e6 * longs[s]:7.1f} us/char, {longs[s] / base:.2f}x the {int(sizes[0]):,}-char one"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
