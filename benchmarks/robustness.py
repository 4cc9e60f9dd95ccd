"""Robustness benchmark (issue #7): bad inputs, crash-and-resume, full disk, fuzzing.

    .venv/bin/python benchmarks/robustness.py [--cycles 20] [--fuzz 300] [--seed N] [--keep DIR]

Everything goes through the real CLI (``python -m fftrack.cli``) except the fuzzing, which
calls ``fftrack.pipeline.Pipeline().process_safe`` and ``fftrack.ingest.read_bytes``
directly. Prints

- bad inputs tried / handled as documented: the ingest engineer's corpus
  (``tests/make_bad_inputs.py``, behaviour in its ``EXPECTED``, with its folder cases
  ``WALK_EXPECTED``: a report 1,500 folders down, a symlink out of the folder) plus
  generated good reports, ingested by one ``fftrack ingest`` run; a file is "handled as
  documented" when the store holds exactly the documents it should give (with the
  expected text, and no publication date where its header's is unreadable) and the run's
  report lists exactly its expected failures and warnings (line and reason);
- documents lost: good documents (around the bad ones) that are not in the store: must be 0;
- crash-and-resume cycles passed: ``fftrack ingest`` SIGKILLed at random points (a number
  of stored documents, or a random time after start: during start-up, migration, writing),
  then restarted on the same store; after every kill ``PRAGMA integrity_check`` is ok,
  every stored document has exactly the records a clean run gives it, nothing is stored
  twice, and a final run ends with the clean run's counts; ``--dask-cycles`` more kills
  hit an ingest with 2 worker processes (`--workers 2`), none of which may outlive it;
- full-disk runs passed: ``RLIMIT_FSIZE`` on the ingest (SQLite's writes fail as on a full
  disk) and, where this user may mount one, a 1.5 MB tmpfs (a real ENOSPC): a one-line
  error, a consistent and still readable store, and a re-run with space completes it;
- fuzz examples run: hypothesis examples through the extractors (spans inside the text,
  only fftrack's own errors) and through the readers (raw bytes in, no exception out).

Exits 1 if any check fails. Ends in a few minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from helpers_robust import (  # noqa: E402
    check_against,
    cli_argv,
    cli_env,
    integrity,
    kill_ingest_at,
    kind_counts,
    make_corpus,
    per_document_counts,
    run_cli,
    unclustered_events,
    write_jsonl,
)

BATCH = 2


# -- bad inputs ------------------------------------------------------------------------------


def _bad_module():
    import importlib.util

    name = "make_bad_inputs"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / "make_bad_inputs.py")
    assert spec and spec.loader
    bad = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bad  # dataclasses look their module up
    spec.loader.exec_module(bad)
    return bad


def _remove(folder: Path) -> None:
    if folder.exists():
        _bad_module().remove_corpus(folder)


def bad_inputs(work: Path) -> tuple[int, int, int, int, list[str]]:
    """(tried, handled as documented, good documents expected, lost, problems)."""
    import sqlite3

    bad = _bad_module()

    folder = work / "bad"
    expected = dict(bad.make_bad_inputs(folder, walk=True))  # with the folder cases
    # good reports among the bad files: one JSONL before and one after them (sorted walk)
    generated = make_corpus(40, seed=77)
    write_jsonl(folder / "aa_generated.jsonl", generated[:20])
    write_jsonl(folder / "zz_generated.jsonl", generated[20:])
    expected["aa_generated.jsonl"] = bad.Expect(20, what="generated good reports")
    expected["zz_generated.jsonl"] = bad.Expect(20, what="generated good reports")

    db = work / "bad.db"
    res = run_cli("--db", str(db), "ingest", "--json", str(folder), timeout=900)
    problems: list[str] = []
    if "Traceback" in res.stderr:
        problems.append("a traceback reached the user")
    if res.returncode != 1:
        problems.append(f"exit code {res.returncode}, documented: 1 (some inputs failed)")
    try:
        report = json.loads(res.stdout)
    except json.JSONDecodeError:
        problems.append(f"no JSON report: {res.stderr[-300:]}")
        report = {"failed": []}

    # each file by its path under the folder (the deep file is 1,500 folders down)
    failures: dict[str, list[tuple[int | None, str]]] = {}
    for f in report["failed"]:
        failures.setdefault(bad._where(f["source"], folder), []).append((f["line"], f["reason"]))
    warnings: dict[str, list[tuple[int | None, str]]] = {}
    for w in report.get("warnings") or []:
        warnings.setdefault(bad._where(w["source"], folder), []).append((w["line"], w["reason"]))
    texts: dict[str, list[str]] = {}
    dated: dict[str, list[str | None]] = {}
    if db.exists():
        with sqlite3.connect(db) as conn:
            for origin, text, published in conn.execute(
                "SELECT origin, text, published FROM documents"
            ):
                texts.setdefault(bad._where(origin or "", folder), []).append(text)
                dated.setdefault(bad._where(origin or "", folder), []).append(published)

    handled = 0
    good_expected = 0
    lost = 0
    for name, exp in sorted(expected.items()):
        got_docs = texts.get(name, [])
        got_fail = failures.pop(name, [])
        good_expected += exp.documents
        lost += max(0, exp.documents - len(got_docs))
        ok = len(got_docs) == exp.documents
        if exp.text is not None and exp.documents and not any(exp.text in t for t in got_docs):
            ok = False
        if exp.undated and any(p is not None for p in dated.get(name, [])):
            ok = False
        want = sorted(exp.failures, key=lambda x: (x[0] or 0, x[1]))
        have = sorted(got_fail, key=lambda x: (x[0] or 0, x[1]))
        want_w = sorted(exp.warnings, key=lambda x: (x[0] or 0, x[1]))
        have_w = sorted(warnings.pop(name, []), key=lambda x: (x[0] or 0, x[1]))
        for w, h in ((want, have), (want_w, have_w)):
            if len(w) != len(h) or any(
                wl != hl or ws.lower() not in hr.lower()
                for (wl, ws), (hl, hr) in zip(w, h, strict=False)
            ):
                ok = False
        if ok:
            handled += 1
        else:
            problems.append(
                f"{name[-60:]} ({exp.what}): {len(got_docs)} documents (want {exp.documents}), "
                f"failures {have} (want {want}), warnings {have_w} (want {want_w})"
            )
    for name, extra in failures.items():
        problems.append(f"{name}: unexpected failures {extra}")
    for name, extra_w in warnings.items():
        problems.append(f"{name}: unexpected warnings {extra_w}")
    return len(expected), handled, good_expected, lost, problems


# -- crash and resume ----------------------------------------------------------------------


def crash_cycles(
    work: Path, cycles: int, rng: random.Random, dask_cycles: int = 2
) -> tuple[int, int, Counter[str], list[str]]:
    """(cycles run, cycles passed, kinds of kill points, problems)."""
    corpus = work / "crash_corpus"
    corpus.mkdir()
    docs = make_corpus(200, seed=rng.randrange(1 << 20))
    write_jsonl(corpus / "a_reports.jsonl", docs[:180])
    for i, d in enumerate(docs[180:]):
        (corpus / f"t{i:02d}.txt").write_text(d["text"] + "\n", encoding="utf-8")
    total = len(docs)

    clean_db = work / "crash_clean.db"
    res = run_cli(
        "--db", str(clean_db), "ingest", "--batch-size", str(BATCH), str(corpus), timeout=900
    )
    if res.returncode != 0:
        return 0, 0, Counter(), [f"clean run failed: {res.stderr[-300:]}"]
    reference = per_document_counts(clean_db)
    clean_counts = kind_counts(clean_db)

    problems: list[str] = []
    kinds: Counter[str] = Counter()
    passed = 0
    run = 0
    round_no = 0
    db = work / "crash_0.db"
    stored_before = 0
    log = work / "crash.log"
    while run < cycles:
        if rng.random() < 0.3:
            delay = rng.uniform(0.05, 4.0)
            result = kill_ingest_at(
                db, [str(corpus)], after_seconds=delay, batch_size=BATCH, log_path=log
            )
            point = f"{delay:.2f} s after start"
        else:
            target = stored_before + rng.randint(1, 40)
            result = kill_ingest_at(
                db, [str(corpus)], after_documents=target, batch_size=BATCH, log_path=log
            )
            point = f"at {target} documents"
        if result.leftover:
            problems.append(f"{result.leftover} processes outlived the killed ingest")
        if not result.killed:
            # the run ended first: the store must be complete; start a new round
            check = check_against(db, reference)
            if not (check.ok and check.documents == total and result.returncode == 0):
                problems.append(f"round {round_no}: an unkilled run left {check}")
            round_no += 1
            db = work / f"crash_{round_no}.db"
            stored_before = 0
            continue
        run += 1
        stored = result.stored_at_kill
        kinds[
            "before any document"
            if stored == 0
            else "mid-ingest"
            if stored < total
            else "after the last write"
        ] += 1
        check = check_against(db, reference) if db.exists() else None
        if check is None:
            passed += 1  # killed before the store file existed: nothing to corrupt
            continue
        if check.ok and check.documents >= stored_before:
            passed += 1
        else:
            problems.append(f"cycle {run} (kill {point}): {check}")
        stored_before = check.documents

    # scale-out: SIGKILL an ingest with worker processes (--workers 2); none may outlive it
    dask_db = work / "crash_dask.db"
    dask_stored = 0
    for i in range(dask_cycles):
        target = dask_stored + rng.randint(1, 30)
        result = kill_ingest_at(
            dask_db,
            [str(corpus)],
            after_documents=target,
            batch_size=BATCH,
            workers=2,
            log_path=log,
        )
        if not result.killed:
            break
        run += 1
        kinds["with 2 worker processes"] += 1
        check = check_against(dask_db, reference)
        if check.ok and result.leftover == 0:
            passed += 1
        else:
            problems.append(f"dask cycle {i}: {result.leftover} processes left; {check}")
        dask_stored = check.documents
    if dask_db.exists():
        res = run_cli(
            "--db", str(dask_db), "ingest", "--batch-size", str(BATCH), str(corpus), timeout=900
        )
        if res.returncode != 0 or per_document_counts(dask_db) != reference:
            problems.append(f"dask resume: exit {res.returncode}, counts {kind_counts(dask_db)}")

    # the last round resumes to the end: the clean run's counts, nothing twice
    res = run_cli("--db", str(db), "ingest", "--batch-size", str(BATCH), str(corpus), timeout=900)
    if res.returncode != 0:
        problems.append(f"final resume: exit {res.returncode}: {res.stderr[-300:]}")
    elif kind_counts(db) != clean_counts or per_document_counts(db) != reference:
        problems.append(f"final resume: counts {kind_counts(db)} != clean {clean_counts}")
    elif integrity(db) != "ok":
        problems.append("final resume: integrity check failed")
    elif unclustered_events(db):
        problems.append(f"final resume: {unclustered_events(db)} events left unclustered")
    return run, passed, kinds, problems


# -- full disk -------------------------------------------------------------------------------


def full_disk(work: Path, limits: list[int]) -> tuple[int, int, list[str]]:
    if not sys.platform.startswith("linux"):
        return 0, 0, ["full-disk runs need Linux (RLIMIT_FSIZE)"]
    import resource

    corpus = work / "disk.jsonl"
    write_jsonl(corpus, make_corpus(200, seed=5))
    clean_db = work / "disk_clean.db"
    res = run_cli(
        "--db", str(clean_db), "ingest", "--batch-size", str(BATCH), str(corpus), timeout=900
    )
    if res.returncode != 0:
        return 0, 0, [f"clean run failed: {res.stderr[-300:]}"]
    reference = per_document_counts(clean_db)
    tried = passed = 0
    problems: list[str] = []
    for limit in limits:
        db = work / f"disk_{limit}.db"

        def cap(limit: int = limit) -> None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

        res = subprocess.run(
            cli_argv("--db", str(db), "ingest", "--batch-size", str(BATCH), str(corpus)),
            capture_output=True,
            text=True,
            env=cli_env(),
            timeout=900,
            preexec_fn=cap,  # noqa: PLW1509
        )
        if res.returncode == 0:
            continue  # everything fit: not a full-disk run
        tried += 1
        lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
        ok = res.returncode == 1 and "Traceback" not in res.stderr and bool(lines)
        ok = ok and lines[-1].startswith("fftrack: error: ")
        if db.exists():
            ok = ok and check_against(db, reference).ok
        again = run_cli(
            "--db", str(db), "ingest", "--batch-size", str(BATCH), str(corpus), timeout=900
        )
        ok = ok and again.returncode == 0 and per_document_counts(db) == reference
        if ok:
            passed += 1
        else:
            problems.append(
                f"file size limit {limit}: exit {res.returncode}, stderr {res.stderr[-300:]!r}"
            )
    t, ok, probs = tmpfs_full(work, corpus, reference)
    return tried + t, passed + ok, problems + probs


def tmpfs_full(
    work: Path, corpus: Path, reference: dict[str, tuple[int, ...]]
) -> tuple[int, int, list[str]]:
    """A real ENOSPC on a 1.5 MB tmpfs, where this user may mount one (root); else nothing."""
    import os

    if os.geteuid() != 0 or not shutil.which("mount"):
        return 0, 0, []
    mnt = work / "tmpfs"
    mnt.mkdir()
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1500k", "tmpfs", str(mnt)], capture_output=True
    ).returncode:
        return 0, 0, []
    try:
        db = mnt / "store.db"
        args = ("--db", str(db), "ingest", "--batch-size", str(BATCH), str(corpus))
        res = run_cli(*args, timeout=900)
        if res.returncode == 0:
            return 0, 0, []
        lines = res.stderr.strip().splitlines()
        ok = res.returncode == 1 and "Traceback" not in res.stderr and bool(lines)
        ok = ok and lines[-1].startswith("fftrack: error: ") and "full" in lines[-1]
        ok = ok and check_against(db, reference).ok
        ok = ok and run_cli("--db", str(db), "stats", "--format", "json").returncode == 0
        subprocess.run(["mount", "-o", "remount,size=64m", str(mnt)], capture_output=True)
        again = run_cli(*args, timeout=900)
        ok = ok and again.returncode == 0 and per_document_counts(db) == reference
        return (
            1,
            int(ok),
            [] if ok else [f"tmpfs full disk: exit {res.returncode}, {res.stderr[-300:]!r}"],
        )
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


# -- fuzzing ---------------------------------------------------------------------------------


def fuzz(n: int) -> tuple[int, int, list[str]]:
    """(extractor examples, reader examples, problems)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from test_fuzz_extractors import any_text, conflict_text, run_and_check, with_surrogate

    from fftrack.errors import FftrackError
    from fftrack.ingest import ReadFailure, read_bytes
    from fftrack.pipeline import Pipeline
    from fftrack.records import Document

    pipeline = Pipeline()
    problems: list[str] = []
    counts = Counter[str]()
    cfg = settings(
        max_examples=n,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )

    @cfg
    @given(text=conflict_text | any_text | with_surrogate)
    def extractors(text: str) -> None:
        counts["extractors"] += 1
        run_and_check(pipeline, [text])

    kinds = (None, ".txt", ".html", ".xml", ".rss", ".jsonl", ".json")
    prefixes = (
        b"",
        b"<?xml version='1.0'?><rss><channel><item><description>",
        b"<html><body><p>",
        b'{"text": "',
        b"\xef\xbb\xbf",
        b"\xff\xfe",
    )

    @cfg
    @given(
        data=st.binary(max_size=2000), kind=st.sampled_from(kinds), prefix=st.sampled_from(prefixes)
    )
    def readers(data: bytes, kind: str | None, prefix: bytes) -> None:
        counts["readers"] += 1
        warned: list[object] = []  # a guessed encoding is a warning, collected, not printed
        for item in read_bytes(prefix + data, "fuzz", kind=kind, warn=warned.append):
            assert isinstance(item, Document | ReadFailure), type(item)
            if isinstance(item, ReadFailure):
                assert item.reason and "\n" not in item.reason, item

    for name, test in (("extractors", extractors), ("readers", readers)):
        try:
            test()
        except FftrackError as exc:  # not expected from these properties either
            problems.append(f"{name}: {type(exc).__name__}: {exc}")
        except Exception as exc:  # noqa: BLE001 - a failing example is the finding
            problems.append(f"{name}: {type(exc).__name__}: {str(exc)[:400]}")
    return counts["extractors"], counts["readers"], problems


# -- main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cycles", type=int, default=20, help="crash-and-resume cycles (>= 20)")
    ap.add_argument("--fuzz", type=int, default=300, help="hypothesis examples per fuzz target")
    ap.add_argument("--dask-cycles", type=int, default=2, help="extra kills of --workers 2 ingests")
    ap.add_argument("--seed", type=int, default=None, help="seed for the kill points")
    ap.add_argument("--keep", type=Path, default=None, help="work in DIR and keep it")
    args = ap.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 30)
    rng = random.Random(seed)
    work = args.keep or Path(tempfile.mkdtemp(prefix="fftrack-robust-"))
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    marks = [t0]

    def lap() -> str:
        marks.append(time.monotonic())
        return f"[{marks[-1] - marks[-2]:.0f} s]"

    failed = False
    try:
        print(f"robustness benchmark (seed {seed}, work dir {work})", flush=True)

        tried, handled, good, lost, problems = bad_inputs(work)
        print(f"bad inputs tried: {tried} files (bad-input corpus + generated good reports)")
        print(f"handled as documented: {handled}/{tried}")
        print(
            f"documents lost: {lost} (of {good} good documents around the bad ones) {lap()}",
            flush=True,
        )
        for p in problems:
            print(f"  problem: {p}")
        failed |= bool(problems) or lost > 0 or handled != tried

        n, ok, kinds, problems = crash_cycles(work, max(1, args.cycles), rng, args.dask_cycles)
        detail = ", ".join(f"{v} {k}" for k, v in sorted(kinds.items()))
        print(
            f"crash-and-resume cycles passed: {ok}/{n} (real CLI, SIGKILL at random points; {detail}) {lap()}",
            flush=True,
        )
        for p in problems:
            print(f"  problem: {p}")
        failed |= bool(problems) or ok != n or n < args.cycles

        tried, ok, problems = full_disk(work, [700_000, 2_000_000])
        print(
            f"full-disk runs passed: {ok}/{tried} (RLIMIT_FSIZE on the ingest; a full tmpfs where mount is allowed; then resumed) {lap()}",
            flush=True,
        )
        for p in problems:
            print(f"  problem: {p}")
        failed |= bool(problems) or ok != tried

        n_ex, n_rd, problems = fuzz(args.fuzz)
        print(
            f"fuzz examples run: {n_ex + n_rd} ({n_ex} through the extractors, {n_rd} through the readers) {lap()}"
        )
        for p in problems:
            print(f"  problem: {p}")
        failed |= bool(problems)

        print(f"result: {'FAIL' if failed else 'ok'} in {time.monotonic() - t0:.0f} s")
    finally:
        if args.keep is None:
            _remove(work / "bad")  # its deep folder chain, without recursion
            shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
