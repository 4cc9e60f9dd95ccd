"""An interrupted ingest resumes where it stopped (issue #13): Ctrl-C, run again, compare.

    .venv/bin/python benchmarks/resume.py [--docs 20000] [--interrupt-at 10000] [--seed 3]

Writes the ``--docs`` news-length documents of ``cluster_scale.py --real`` (the shared
texts; skipped when absent) to a JSONL file, then runs the CLI on it as a user would,
``python -m fftrack.cli --db A ingest FILE.jsonl``, on a pseudo-terminal (so its progress
bar is drawn, ``COLUMNS=150``), and sends it SIGINT (what Ctrl-C sends) once its bar counts
``--interrupt-at`` documents; then runs the same command again, and once more into a new
store B without interrupting it. Prints the progress lines the bar showed (rate, time
elapsed and left) before the interrupt and on the resumed run, both runs' exit codes and
summaries, and then the rows of A and B (documents, events, figures, movements, clusters,
cluster_edges) and whether their document and event ids are the same sets (ids are
primary keys and made from content: a document or event stored twice would be a second
id, and a count above B's). The resumed run skips the documents stored before the
interrupt before any language work (``runner.new_documents`` looks them up in the store;
the model loads at the first batch with a document to read): its summary's ``skipped``
is that count, and its CPU time is printed beside the uninterrupted run's.
"""

from __future__ import annotations

import argparse
import os
import re
import select
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from cluster_scale import write_real  # noqa: E402

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
DOCS = re.compile(r"([\d,]+) docs[ ,]")


def run_cli(db: Path, src: Path, interrupt_at: int | None) -> dict[str, Any]:
    """The CLI's ingest on a pseudo-terminal; SIGINT once its bar shows ``interrupt_at``
    documents. Its exit code, CPU seconds, the bar's lines and the rest of its output."""
    master, slave = os.openpty()
    env = dict(os.environ, COLUMNS="150", LINES="40", TERM="xterm")
    cmd = [sys.executable, "-m", "fftrack.cli", "--db", str(db), "ingest", str(src)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=env, cwd=ROOT
    )
    os.close(slave)
    raw = b""
    bars: list[str] = []
    sent = False
    while True:
        ready, _, _ = select.select([master], [], [], 1.0)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                chunk = b""
            if not chunk:
                break
            raw += chunk
            for piece in re.split(r"[\r\n]", ANSI.sub("", chunk.decode("utf-8", "replace"))):
                if "docs/s" in piece and piece.strip():
                    bars.append(piece.strip())
            done = DOCS.findall(bars[-1]) if bars else []
            if interrupt_at is not None and not sent and done:
                if int(done[-1].replace(",", "")) >= interrupt_at:
                    proc.send_signal(signal.SIGINT)
                    sent = True
        elif proc.poll() is not None:
            break
    _, status, usage = os.wait4(proc.pid, 0)
    os.close(master)
    text = ANSI.sub("", raw.decode("utf-8", "replace"))
    rest = [
        line.strip()
        for line in re.split(r"[\r\n]", text)
        if line.strip() and "docs/s" not in line and "ingest" not in line[:8]
    ]
    return {
        "rc": os.waitstatus_to_exitcode(status),
        "cpu": usage.ru_utime + usage.ru_stime,
        "wall": time.perf_counter() - t0,
        "bars": bars,
        "rest": rest,
    }


def counts(db: Path) -> dict[str, Any]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        out: dict[str, Any] = {
            t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]  # noqa: S608
            for t in ("documents", "events", "figures", "movements", "cluster_edges")
        }
        out["clusters"] = conn.execute("SELECT COUNT(DISTINCT cluster_id) FROM events").fetchone()[
            0
        ]
        out["unclustered"] = conn.execute(
            "SELECT COUNT(*) FROM events WHERE cluster_id IS NULL"
        ).fetchone()[0]
        out["doc_ids"] = {r[0] for r in conn.execute("SELECT id FROM documents")}
        out["event_ids"] = {r[0] for r in conn.execute("SELECT id FROM events")}
    finally:
        conn.close()
    return out


def show(label: str, run: dict[str, Any], every: int) -> None:
    print(f"[{label}] exit code {run['rc']}, {run['cpu']:.0f} CPU s, {run['wall']:.0f} s wall")
    bars = run["bars"]
    picked = sorted({*range(0, len(bars), max(1, len(bars) // every)), len(bars) - 1})
    for k in picked if bars else []:
        print(f"[{label}] bar: {bars[k]}")
    for line in run["rest"]:
        print(f"[{label}] {line}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--interrupt-at", type=int, default=None, help="default: half of --docs")
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--bar-lines", type=int, default=6, help="progress lines shown per run")
    args = ap.parse_args()
    at = args.interrupt_at if args.interrupt_at is not None else args.docs // 2
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "real.jsonl"
        if not write_real(src, args.docs, args.seed):
            return 0
        print(f"{args.docs} documents, SIGINT at {at}; nice {os.nice(0)}")
        a, b = Path(tmp) / "a.db", Path(tmp) / "b.db"
        first = run_cli(a, src, at)
        show("interrupted", first, args.bar_lines)
        mid = counts(a)
        print(
            f"[interrupted] store: {mid['documents']} documents, {mid['events']} events"
            f" ({mid['unclustered']} not yet clustered)"
        )
        second = run_cli(a, src, None)
        show("resumed", second, args.bar_lines)
        whole = run_cli(b, src, None)
        show("uninterrupted", whole, 2)
        ca, cb = counts(a), counts(b)
        keys = ("documents", "events", "figures", "movements", "clusters", "cluster_edges")
        print(f"{'rows':14} {'interrupted+resumed':>20} {'uninterrupted':>14}")
        for k in (*keys, "unclustered"):
            print(f"{k:14} {ca[k]:>20} {cb[k]:>14}")
        same = all(ca[k] == cb[k] for k in keys)
        print(
            f"same row counts: {same}; same document ids: {ca['doc_ids'] == cb['doc_ids']};"
            f" same event ids: {ca['event_ids'] == cb['event_ids']}"
        )
        print(
            f"resumed run: {second['cpu']:.0f} CPU s for {args.docs - mid['documents']}"
            f" new documents; uninterrupted: {whole['cpu']:.0f} CPU s for {args.docs}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
