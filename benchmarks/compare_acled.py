"""`fftrack compare --with acled` on ACLED's own notes: what fftrack reads from them against
what ACLED coded.

    .venv/bin/python benchmarks/compare_acled.py [--notes 200] [--country Syria]
                                                 [--keep DIR]

Takes the first N notes of ``../shared/eval/acled_me2018_train.jsonl`` (ACLED event notes,
Jan-Apr 2018, with their coded events) whose events are in the country, and in a
temporary folder (nothing is copied into the repository):

1. writes the notes as JSON Lines documents (published on the gold date: ACLED notes have
   no publication date, see the eval README) and ``fftrack ingest``s them;
2. writes their gold events as an ACLED-shaped CSV (ACLED's column names; ACLED's 2018
   pre-2019 event types as they are) and ``fftrack import acled``s it;
3. runs ``fftrack compare --with acled --country SY --since 2018-01 --until 2018-04``,
   on events merged across sources and then ``--per-report`` (ACLED codes each note
   apart), and prints its output; the unmatched of each side go to ``unmatched.csv``.

Skips cleanly when the eval data is absent.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval" / "acled_me2018_train.jsonl"
if not EVAL.exists():
    EVAL = Path("/work/shared/eval/acled_me2018_train.jsonl")

COLUMNS = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "interaction",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
)


def fftrack(db: Path, *args: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "fftrack.cli", "--db", str(db), *args]
    res = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if res.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args[:2])} failed ({res.returncode}): {res.stderr[-500:]}")
    return (res.stdout + res.stderr).strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--notes", type=int, default=200)
    ap.add_argument("--country", default="Syria")
    ap.add_argument("--keep", help="work in this folder and keep it")
    args = ap.parse_args()
    if not EVAL.exists():
        print(f"skipped: {EVAL} not found (the shared eval data)")
        return
    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="fftrack-compare-"))
    tmp.mkdir(parents=True, exist_ok=True)
    docs, gold = tmp / "notes.jsonl", tmp / "acled_gold.csv"
    n = 0
    with EVAL.open(encoding="utf-8") as fh, docs.open("w", encoding="utf-8") as dout, \
            gold.open("w", encoding="utf-8", newline="") as gout:  # fmt: skip
        w = csv.DictWriter(gout, fieldnames=list(COLUMNS))
        w.writeheader()
        for line in fh:
            note = json.loads(line)
            events = [e for e in note.get("events") or [] if e.get("country") == args.country]
            if not events:
                continue
            day = events[0]["date"]
            dout.write(json.dumps({"id": note["id"], "text": note["text"], "published": day,
                                   "source": events[0].get("source")}) + "\n")  # fmt: skip
            for e in events:
                iso3 = e.get("iso3") or "XXX"
                w.writerow({
                    "event_id_cnty": f"{iso3}{e['acled_data_id']}", "event_date": e["date"],
                    "time_precision": e.get("time_precision"), "event_type": e["type"],
                    "actor1": e.get("actor1"), "assoc_actor_1": e.get("assoc_actor_1"),
                    "actor2": e.get("actor2"), "assoc_actor_2": e.get("assoc_actor_2"),
                    "interaction": e.get("interaction"), "country": e.get("country"),
                    "admin1": e.get("admin1"), "admin2": e.get("admin2"),
                    "admin3": e.get("admin3"), "location": e.get("location"),
                    "latitude": e.get("lat"), "longitude": e.get("lon"),
                    "geo_precision": e.get("geo_precision"), "source": e.get("source"),
                    "source_scale": e.get("source_scale"), "notes": note["text"],
                    "fatalities": e.get("fatalities"),
                })  # fmt: skip
            n += 1
            if n >= args.notes:
                break
    db = tmp / "compare.db"
    for p in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        p.unlink(missing_ok=True)
    print(f"{n} ACLED notes ({args.country}) from {EVAL.name}")
    print(fftrack(db, "ingest", str(docs)).splitlines()[-1])
    print(fftrack(db, "import", "acled", str(gold)))
    base = ["compare", "--with", "acled", "--country", "SY", "--since", "2018-01",
            "--until", "2018-04"]  # fmt: skip
    for extra in ([], ["--per-report"]):
        print(f"$ fftrack {' '.join(base + extra)} -o unmatched.csv")
        print(fftrack(db, *base, *extra, "-o", str(tmp / "unmatched.csv")))
    if not args.keep:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
