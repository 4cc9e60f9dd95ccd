"""Export benchmark: rows/s per format and peak memory, on a synthetic store.

    .venv/bin/python benchmarks/export.py [--events 10000,100000] [--formats acled,...]
                                          [--keep DIR [--reuse]]

1. Builds a store of N events (and N/2 movements) for each size of ``--events`` from
   synthetic records written through the store's writer (``Store.write``, no language
   model): two events per document, a fifth of them reported twice (two documents,
   joined into one cluster by ``Store.set_cluster``), places drawn from a fixed list of
   towns. One size N alone means N/10 and N. With ``--keep DIR --reuse`` a store built
   by an earlier run in DIR is used again (building dominates a 100,000-event run).
2. Runs each format's export (``fftrack.cli_export.export_store``, what ``fftrack export``
   runs) in a fresh process, and prints rows (or entities, features) written, rows/s of
   the export itself (not the process start), the process's peak RSS
   (``os.wait4``'s rusage of that child alone) and its RSS once the format's libraries
   are imported, before the export reads a row. Exports stream, so peak RSS stays flat
   from the small store to the large one, and close to the RSS after imports.

Figures depend on the machine; nothing here asserts them.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fftrack.records import (  # noqa: E402
    Actor,
    Document,
    Event,
    Extraction,
    Movement,
    Place,
    Quantity,
    Span,
    TimeRef,
)
from fftrack.store import Store  # noqa: E402

TOWNS = [
    ("Raqqa", 35.95, 39.01, "SY"),
    ("Deir ez-Zor", 35.336, 40.141, "SY"),
    ("Idlib", 35.93, 36.63, "SY"),
    ("Aleppo", 36.2, 37.16, "SY"),
    ("Homs", 34.73, 36.71, "SY"),
    ("Mosul", 36.34, 43.13, "IQ"),
    ("Tikrit", 34.6, 43.68, "IQ"),
    ("Fallujah", 33.35, 43.78, "IQ"),
    ("Ramadi", 33.42, 43.3, "IQ"),
    ("Kirkuk", 35.47, 44.39, "IQ"),
    ("Sirte", 31.2, 16.59, "LY"),
    ("Benghazi", 32.12, 20.07, "LY"),
]
ACTORS = [
    ("Islamic State", "armed_group", None),
    ("Military Forces of Syria", "state_forces", "SY"),
    ("Military Forces of Iraq", "state_forces", "IQ"),
    ("Syrian Democratic Forces", "armed_group", None),
    ("Civilians", "civilians", None),
]
FORMATS = ("acled", "geojson", "kml", "jsonl", "ftm", "parquet")
UNITS = {
    "acled": "events",
    "geojson": "features",
    "kml": "placemarks",
    "jsonl": "records",
    "ftm": "entities",
    "parquet": "rows",
}


def _span(text: str, needle: str, start: int = 0) -> tuple[int, int]:
    i = text.index(needle, start)
    return i, i + len(needle)


def _report(n: int, day: date, town: tuple[str, float, float, str], other, rng) -> Extraction:
    t, lat, lon, cc = town
    a1, a2 = rng.sample(ACTORS, 2)
    killed = rng.randint(0, 40)
    text = (
        f"Report {n}. {a1[0]} and {a2[0]} clashed in {t} on {day.isoformat()}, killing "
        f"{killed} people. Shelling hit {other[0]} the same day. "
        f"Families fled from {t} to {other[0]}."
    )
    doc_id = f"bench{n:08d}"
    doc = Document(id=doc_id, text=text, title=f"Report {n}", url=f"https://example.org/{n}",
                   published=day + timedelta(days=1), source=f"Outlet {n % 7}")  # fmt: skip
    s1 = text.index(". ") + 2
    e1 = text.index(". ", s1) + 1

    def span(needle: str, start: int = 0) -> Span:
        i, j = _span(text, needle, start)
        return Span(doc_id, i, j, s1, len(text))

    place = Place(t, span(t), lat=lat, lon=lon, country=cc, precision=1, resolved_name=t,
                  confidence=0.9)  # fmt: skip
    place2 = Place(other[0], span(other[0], e1), lat=other[1], lon=other[2], country=other[3],
                   precision=1, resolved_name=other[0], confidence=0.8)  # fmt: skip
    actors = tuple(
        Actor(a[0], span(a[0]), normalized=a[0], kind=a[1], country=a[2]) for a in (a1, a2)
    )
    when = TimeRef(day, day, "day")
    ev1 = Event("Battles", "Armed clash", span("clashed"), date=when, place=place,
                actors=actors, fatalities=Quantity(killed), confidence=0.8)  # fmt: skip
    ev2 = Event("Explosions/Remote violence", "Shelling/artillery/missile attack",
                span("Shelling"), date=when, place=place2, confidence=0.6)  # fmt: skip
    fled = text.index("fled")
    origin = Place(t, span(t, fled), lat=lat, lon=lon, country=cc, precision=1, resolved_name=t)
    dest = Place(other[0], span(other[0], fled), lat=other[1], lon=other[2], country=other[3],
                 precision=1, resolved_name=other[0])  # fmt: skip
    mv = Movement(span("fled"), origin=origin, destination=dest, manner="fled", date=when)
    return Extraction(document=doc, places=(place, place2, origin, dest), actors=actors,
                      events=(ev1, ev2), movements=(mv,))  # fmt: skip


def build_store(path: Path, n_events: int, seed: int = 7) -> tuple[int, float]:
    """A store of about ``n_events`` events; returns (events written, seconds)."""
    rng = random.Random(seed)
    t0 = time.perf_counter()
    written = 0
    batch: list[Extraction] = []
    clusters: list[tuple[str, str | None]] = []
    n = 0
    with Store.open(path) as store:
        while written < n_events:
            day = date(2015, 1, 1) + timedelta(days=rng.randint(0, 1500))
            town, other = rng.sample(TOWNS, 2)
            ex = _report(n, day, town, other, rng)
            n += 1
            batch.append(ex)
            written += len(ex.events)
            if rng.random() < 0.2 and written < n_events:  # reported twice: one cluster
                twin = _report(n, day, town, other, rng)
                n += 1
                batch.append(twin)
                written += len(twin.events)
                cid = "cl-" + ex.events[0].id
                clusters += [(ex.events[0].id, cid), (twin.events[0].id, cid)]
            if len(batch) >= 500:
                store.write(batch)
                batch = []
        store.write(batch)
        store.set_cluster(clusters)
    return written, time.perf_counter() - t0


_CHILD = """
import resource, sys, time
from fftrack.cli_export import export_store
from fftrack.store import Query
db, fmt, target, kind = sys.argv[1:5]
if fmt == "parquet":
    from fftrack.export.parquet import _pa; _pa()
if fmt == "ftm":
    from fftrack.export.ftm import _model; _model()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
n, what = export_store(db, fmt, target, kind, Query(), False)
print(n, time.perf_counter() - t0, base, what)
"""


def run_export(db: Path, fmt: str, out: Path) -> tuple[int, int, float, float, float]:
    """One export in a fresh process: (exit code, rows written, seconds of the export
    itself, peak RSS of the process in MiB, its RSS after imports in MiB)."""
    target = out / "pq" if fmt == "parquet" else out / f"out.{fmt}"
    kind = "all" if fmt in ("geojson", "kml", "jsonl") else "events"
    cmd = [sys.executable, "-c", _CHILD, str(db), fmt, str(target), kind]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=env)
        assert proc.stdout is not None
        stdout = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code != 0:
            err.seek(0)
            print(err.read().decode("utf-8", "replace")[-500:], file=sys.stderr)
            return code, 0, 0.0, 0.0, 0.0
    n, secs, base = stdout.split()[:3]
    return code, int(n), float(secs), usage.ru_maxrss / 1024, int(base) / 1024


def stored_events(db: Path) -> int:
    """Events in an existing store (0 if it cannot be read)."""
    from fftrack.errors import FftrackError
    from fftrack.views import StoreReader

    try:
        with StoreReader(db) as r:
            return r.count("events")
    except FftrackError:
        return 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--events", default="10000", help="store sizes, comma-separated (one N: N/10 and N)"
    )
    ap.add_argument("--formats", default=",".join(FORMATS))
    ap.add_argument("--keep", help="build the stores in this folder and keep them")
    ap.add_argument(
        "--reuse", action="store_true", help="with --keep: use a store built there before"
    )
    args = ap.parse_args()
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="fftrack-export-"))
    tmp.mkdir(parents=True, exist_ok=True)
    sizes = [int(x) for x in args.events.split(",") if x.strip()]
    if len(sizes) == 1:
        sizes = [max(sizes[0] // 10, 10), sizes[0]]
    print(f"export benchmark: {', '.join(formats)}; stores of "
          f"{' and '.join(f'{s:,}' for s in sizes)} events")  # fmt: skip
    results: dict[tuple[int, str], tuple[int, float, float, float]] = {}
    for size in sizes:
        db = tmp / f"bench-{size}.db"
        have = stored_events(db) if args.keep and args.reuse and db.exists() else 0
        if size <= have <= size + 4:
            mb = db.stat().st_size / 2**20
            print(f"store: {have:,} events, reused from {db} ({mb:.0f} MiB)")
        else:
            for p in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
                p.unlink(missing_ok=True)
            written, secs = build_store(db, size)
            mb = db.stat().st_size / 2**20
            print(f"store: {written:,} events written in {secs:.1f} s "
                  f"({written / secs:,.0f} events/s, {mb:.0f} MiB)")  # fmt: skip
        for fmt in formats:
            out = tmp / f"out-{size}"
            out.mkdir(exist_ok=True)
            code, n, secs, rss, base = run_export(db, fmt, out)
            if code != 0:
                print(f"  {fmt:8s} failed (exit {code})")
                continue
            results[(size, fmt)] = (n, secs, rss, base)
            unit = UNITS.get(fmt, "rows")
            print(f"  {fmt:8s} {n:>9,} {unit:10s} in {secs:6.1f} s {n / secs:>8,.0f} /s"
                  f"  peak RSS {rss:5.0f} MiB (after imports {base:4.0f})")  # fmt: skip
    print(f"peak RSS, {sizes[0]:,} -> {sizes[-1]:,} events (flat when the export streams):")
    for fmt in formats:
        a, b = results.get((sizes[0], fmt)), results.get((sizes[-1], fmt))
        if a and b:
            print(f"  {fmt:8s} {a[2]:6.0f} MiB -> {b[2]:6.0f} MiB")
    if not args.keep:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
