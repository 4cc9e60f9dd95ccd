"""The store at scale: ingest cost, store size, memory and cluster shape as a store grows.

    .venv/bin/python benchmarks/cluster_scale.py [--docs 5000] [--batch 64] [--seed 3]
    .venv/bin/python benchmarks/cluster_scale.py --acled [--acled-limit N] [--spacy-baseline]
    .venv/bin/python benchmarks/cluster_scale.py --real N [--write-jsonl PATH]

Ingests N documents into one fresh store through ``fftrack.runner.run_ingest`` (the path
``fftrack ingest FILE.jsonl`` takes: read, skip known documents, ``Store.write``, cluster
the new events) and prints, for every 1,000 documents: docs/s over those 1,000, the store's
size (its database pages) and their growth per 1,000 documents, its files on disk (the WAL
too), the process's resident memory; then the
rows of ``cluster_edges``, peak RSS, the largest cluster's size with its members' max place
spread (km) and date span (days), and how many merged events break the 50 km / 7 days rule.

**Stubbed language model (default).** The documents are written to a JSONL file first
(news-length texts); the ``extract`` callable given to ``run_ingest`` stands in for spaCy,
the geoparser and the extractors: it rebuilds each document's records from its index, so
what is measured is the store's cost, not spaCy's. Each gold event is reported by 3
documents (wording, figures and date precision vary); 15 gold events a day (45 documents a
day, as ACLED codes Syria), so a store grows by covering more time. 40% of the events are
shellings and air strikes on a front of 36 towns 8-9 km apart (the chaining trap: each town
scores a near-match with its neighbour on the same or next day), the rest spread over 400
towns; one document in three also mentions an earlier event in passing. 8% of the reports
give the place as its district (precision 2), 4% as its province only (precision 3), 8%
date it to the month, 4% not at all (the publication week): the reports that bridge
events when clusters are connected components.

**ACLED (``--acled``).** The shared ACLED train notes (``/work/shared/eval/
acled_me2018_train.jsonl``, ``ACLED_TRAIN`` to override; 7,658 notes; skipped when absent)
ingested with the real pipeline as documents dated with their gold event date (the notes
have no publication date). ``--spacy-baseline`` also times the language model alone over the
same texts, for the ingest / spaCy-alone ratio.

**Real news-length documents (``--real N``).** N documents assembled from the shared
news-length texts (``realnews_dev``, ``re3d``, ``geowebnews``, ``geovirus`` and ``lgl`` in
``../shared/eval`` or ``$FFTRACK_EVAL_DIR``; skipped when absent), written to a JSONL file
and ingested with the real pipeline (production configuration) through the same path as
``--acled``. The texts: every distinct one of at least 300 characters of the first four
sets (581) and 419 of LGL's (the first by CRC-32 of their ids): a pool of 1,000. Every
block of 1,000 documents holds one copy of each pool text, in an order shuffled per block
(seeded), so each block asks the language model for the same work and a change of rate
from block to block is the store's, not the texts'. A copy is a syndicated report of its
text: its own id (``<text id>~<block>``) and a publication date 0-3 days after the text's
own date (CRC-32 of the copy id mod 4; block 0 has the text's date): ``published`` of
``realnews_dev``, LGL's download day, otherwise a day in 2014-2018 from CRC-32 of the
text's id. So the 20 reports of one text fall over up to 4 days, and relative dates ("on
Tuesday") in them resolve to days up to 3 apart. Prints what ``--acled`` prints, CPU
docs/s beside wall docs/s per 1,000, the store's row counts and the last/first ratios;
then spaCy alone (``pipeline.nlp.pipe``, the model and components the ingest loads) over
one copy of each text of the first block (1 in N/1,000 of the documents: every block is
those texts), after the ingest, in CPU time, and ingest / spaCy alone in documents per
CPU second over the whole run (the ingest's CPU: the sum of its 1,000-blocks, model
loading excluded, as for spaCy). ``--write-jsonl PATH`` only writes the N documents (for
a run of the CLI on them).

Place spread: the largest distance between two members' town/district-level places
(precision <= 2; a province or country named alone has its centroid as coordinates, which
says nothing about where the event was), with the figure over every member that has
coordinates after it. Date span: between the earliest and latest day of members dated to
the day or week (month-dated or undated reports span a period by construction), with the
figure over every member's start date after it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import sys
import tempfile
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fftrack.config import Config  # noqa: E402
from fftrack.records import (  # noqa: E402
    Actor,
    Document,
    Event,
    Extraction,
    Place,
    Quantity,
    Span,
    TimeRef,
)
from fftrack.runner import run_ingest  # noqa: E402
from fftrack.store import Store  # noqa: E402

ACLED = Path(os.environ.get("ACLED_TRAIN", "/work/shared/eval/acled_me2018_train.jsonl"))
EVENTS_PER_DAY = 15
REPORTS = 3
START = date(2016, 1, 1)
FRONT = [(f"Front{k}", 35.0 + (k % 6) * 0.08, 40.0 + (k // 6) * 0.09) for k in range(36)]
TOWNS = [(f"Town{k}", 30.0 + (k % 20) * 0.15, 38.0 + (k // 20) * 0.2) for k in range(400)]
KINDS = [
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Explosions/Remote violence", "Suicide bomb"),
    ("Violence against civilians", "Attack"),
    ("Protests", "Peaceful protest"),
]
FRONT_KINDS = [
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Air/drone strike"),
]
ACTORS = [("SDF", "Syrian Democratic Forces"), ("ISIS", "Islamic State"), ("SAA", "Syrian Army")]
FILLER = (
    "Residents said the situation remained tense and that many families had left.",
    "Officials did not respond to requests for comment on the incident.",
    "The area has seen repeated fighting over recent months, monitors said.",
    "Aid groups warned that access to the district was increasingly difficult.",
    "Local sources described heavy damage to homes and a market nearby.",
    "A spokesman said an investigation into the circumstances had been opened.",
)


# -- synthetic documents and their records ----------------------------------------------------


def _gold(seed: int, j: int) -> dict[str, Any]:
    rng = random.Random(seed * 10_000_019 + j)
    front = rng.random() < 0.4
    name, lat, lon = rng.choice(FRONT if front else TOWNS)
    etype, sub = rng.choice(FRONT_KINDS if front else KINDS)
    return {
        "town": name,
        "lat": lat,
        "lon": lon,
        "type": etype,
        "sub": sub,
        "day": START + timedelta(days=j // EVENTS_PER_DAY),
        "killed": rng.randint(0, 30),
        "actor": rng.choice(ACTORS),
    }


def _text(rng: random.Random, i: int, g: dict[str, Any], extra: dict[str, Any] | None) -> str:
    lead = f"Report {i}: {g['sub'].lower()} in {g['town']} killed {g['killed']} people."
    parts = [lead]
    if extra is not None:
        parts.append(f"Earlier, {extra['sub'].lower()} in {extra['town']} had killed several.")
    while sum(len(p) + 1 for p in parts) < 1800:
        parts.append(rng.choice(FILLER))
    return " ".join(parts)


def synthetic_document(seed: int, i: int) -> dict[str, Any]:
    """Document ``i`` as a JSONL record: the same on every call."""
    rng = random.Random(seed * 7_000_003 + i)
    j = i // REPORTS
    g = _gold(seed, j)
    extra = _gold(seed, j - 3 * EVENTS_PER_DAY) if i % 3 == 2 and j >= 45 else None
    published = g["day"] + timedelta(days=rng.choice((0, 1, 1, 2)))
    return {
        "id": f"cs-{seed}-{i}",
        "title": f"Synthetic report {i}",
        "source": f"outlet-{rng.randrange(40)}",
        "published": published.isoformat(),
        "text": _text(rng, i, g, extra),
    }


def _event(doc: Document, text: str, g: dict[str, Any], at: int, rng: random.Random) -> Event:
    end = text.index(".", at) + 1
    i = text.index(g["town"], at)
    span = Span(doc.id, i, i + len(g["town"]), at, end)
    front = g["town"].startswith("Front")
    where = rng.random()
    if where < 0.08:  # the district the town is in, as the gazetteer resolved it
        dlat, dlon = round(g["lat"] / 0.25) * 0.25, round(g["lon"] / 0.25) * 0.25
        name, prec, lat, lon, feat = f"District {dlat:.2f} {dlon:.2f}", 2, dlat, dlon, "A.ADM2"
    elif where < 0.12:  # only the province
        name, prec, feat = ("Front province" if front else "Other province"), 3, "A.ADM1"
        lat, lon = (35.2, 40.2) if front else (31.5, 39.0)
    else:
        name, prec, lat, lon, feat = g["town"], 1, g["lat"], g["lon"], "P.PPL"
    place = Place(
        g["town"],
        span,
        lat=lat,
        lon=lon,
        geonameid=zlib.crc32(name.encode()) % 10**6,
        country="SY",
        feature=feat,
        precision=prec,
        resolved_name=name,
        admin1="Front province" if front else "Other province",
        confidence=0.9,
    )
    r = rng.random()
    if r < 0.08:
        tref: TimeRef | None = TimeRef(
            g["day"].replace(day=1),
            (g["day"].replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1),
            "month",
        )
    elif r < 0.12:
        tref = None
    else:
        tref = TimeRef(g["day"], g["day"], "day")
    killed = g["killed"] + rng.choice((0, 0, 0, 1, 2))
    qual = rng.choice(("exact", "exact", "at_least", "about"))
    actor = g["actor"]
    return Event(
        g["type"],
        g["sub"],
        Span(doc.id, at, at + 10, at, end),
        tref,
        place,
        (Actor(actor[0], Span(doc.id, at, at + 1, at, end), normalized=actor[1]),),
        Quantity(killed, qual),
        confidence=0.7,
    )


def stub_extract(
    seed: int,
) -> Any:
    """An ``extract`` callable for ``run_ingest``: each document's records from its index."""

    def extract(
        docs: list[Document],
    ) -> Iterator[tuple[Document, Extraction | None, Exception | None]]:
        for doc in docs:
            i = int((doc.title or "0").rsplit(" ", 1)[-1])
            rng = random.Random(seed * 5_000_011 + i)
            j = i // REPORTS
            events = [_event(doc, doc.text, _gold(seed, j), 0, rng)]
            if i % 3 == 2 and j >= 45:
                at = doc.text.index("Earlier,")
                events.append(_event(doc, doc.text, _gold(seed, j - 45), at, rng))
            yield doc, Extraction(document=doc, events=tuple(events)), None

    return extract


# -- measuring --------------------------------------------------------------------------------


def _rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _size_mb(db: Path) -> float:
    """The store's files on disk (the database, its WAL and shared-memory index)."""
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 1e6


def _pages_mb(db: Path) -> float:
    """What the store holds: its pages (``page_count`` x ``page_size``, committed pages
    still in the WAL included). The files on disk also count the WAL, which grows to its
    checkpoint size (about 4 MB) in the first batches and is then reused: a step in the
    first 1,000 documents that is not the store growing."""
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        count = conn.execute("PRAGMA page_count").fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()
    return int(count) * int(size) / 1e6


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp, dl = p2 - p1, math.radians(b[1] - a[1])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _spread(points: list[tuple[float, float]]) -> float:
    pts = sorted(set(points))
    return max((_km(a, b) for k, a in enumerate(pts) for b in pts[k + 1 :]), default=0.0)


def _span(days: list[str]) -> int:
    ds = [date.fromisoformat(d[:10]) for d in days if d]
    return (max(ds) - min(ds)).days if ds else 0


def cluster_shape(store: Store) -> dict[str, Any]:
    """Edges, clusters, the largest cluster and every merged event's spread and span."""
    conn = store.conn
    out: dict[str, Any] = {
        "edges": conn.execute("SELECT COUNT(*) FROM cluster_edges").fetchone()[0],
        "events": conn.execute("SELECT COUNT(*) FROM events").fetchone()[0],
        "clusters": conn.execute("SELECT COUNT(DISTINCT cluster_id) FROM events").fetchone()[0],
    }
    sizes = conn.execute(
        "SELECT cluster_id, COUNT(*) AS n FROM events WHERE cluster_id IS NOT NULL"
        " GROUP BY cluster_id HAVING n > 1 ORDER BY n DESC, cluster_id"
    ).fetchall()
    out["merged"] = len(sizes)
    worst = {"spread": 0.0, "spread_all": 0.0, "span": 0, "span_all": 0}
    bad = bad_all = 0
    largest: dict[str, Any] = {"size": 1, "spread": 0.0, "spread_all": 0.0, "span": 0}
    for k, (cid, n) in enumerate(sizes):
        rows = conn.execute(
            "SELECT lat, lon, date_start, date_precision, data FROM events WHERE cluster_id = ?",
            (cid,),
        ).fetchall()
        fine, coarse, precise, all_days = [], [], [], []
        for lat, lon, ds, prec, data in rows:
            if lat is not None and lon is not None:
                pp = (json.loads(data).get("place") or {}).get("precision") or 1
                (fine if pp <= 2 else coarse).append((lat, lon))
            if prec in ("day", "week"):
                precise.append(ds)
            all_days.append(ds)
        shape = {
            "size": n,
            "spread": _spread(fine),
            "spread_all": _spread(fine + coarse),
            "span": _span(precise),
            "span_all": _span(all_days),
        }
        if k == 0:
            largest = shape
        for key in worst:
            worst[key] = max(worst[key], shape[key])
        bad += shape["spread"] > 50.0 or shape["span"] > 7
        bad_all += shape["spread_all"] > 50.0 or shape["span"] > 7
    out["largest"] = largest
    out["worst"] = worst
    out["violations"] = bad
    out["violations_all"] = bad_all
    return out


def synthetic_pairwise(store: Store, seed: int) -> tuple[float, float, float]:
    """Pairwise precision, recall, F1 of the clusters against the synthetic gold events
    (a document's first event is gold event ``i // 3``, its passing mention ``i // 3 - 45``)."""
    cells: dict[tuple[str, int], int] = {}
    for doc_id, start, cid in store.conn.execute(
        "SELECT document_id, start, cluster_id FROM events"
    ):
        i = int(doc_id.rsplit("-", 1)[-1])
        gold = i // REPORTS - (3 * EVENTS_PER_DAY if start > 0 else 0)
        cells[(cid, gold)] = cells.get((cid, gold), 0) + 1
    by_c: dict[str, int] = {}
    by_g: dict[int, int] = {}
    for (c, g), n in cells.items():
        by_c[c] = by_c.get(c, 0) + n
        by_g[g] = by_g.get(g, 0) + n
    tp = sum(n * (n - 1) // 2 for n in cells.values())
    pred = sum(n * (n - 1) // 2 for n in by_c.values())
    true = sum(n * (n - 1) // 2 for n in by_g.values())
    p = tp / pred if pred else 1.0
    r = tp / true if true else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def ingest(
    inputs: list[str],
    db: Path,
    n_docs: int,
    batch: int,
    *,
    extract: Any = None,
    pipeline: Any = None,
    config: Config | None = None,
    seed: int | None = None,
    live: bool = False,
) -> tuple[list[dict[str, float]], float, dict[str, Any]]:
    """Ingest ``inputs`` into a new store at ``db``; per-1,000 figures, seconds, shape."""
    marks: list[dict[str, float]] = []
    state = {"done": 0, "t": time.perf_counter(), "cpu": time.process_time(), "size": 0.0}
    t0 = state["t"]

    def progress(n: int) -> None:
        before = state["done"]
        state["done"] += n
        if state["done"] // 1000 > before // 1000 or state["done"] >= n_docs:
            now, cpu = time.perf_counter(), time.process_time()
            size = _pages_mb(db)
            docs = state["done"] - (marks[-1]["docs"] if marks else 0)
            marks.append(
                {
                    "docs": state["done"],
                    "rate": docs / max(now - state["t"], 1e-9),
                    "cpu_rate": docs / max(cpu - state["cpu"], 1e-9),
                    "size": size,
                    "files": _size_mb(db),
                    "per_1000": (size - state["size"]) * 1000 / max(docs, 1),
                    "rss": _rss_mb(),
                    "cpu": cpu - state["cpu"],
                }
            )
            if live:
                m = marks[-1]
                print(
                    f"  ... {m['docs']:.0f} docs: {m['rate']:.2f} docs/s,"
                    f" {m['cpu_rate']:.2f} docs/cpu-s, store {m['size']:.1f} MB"
                    f" (+{m['per_1000']:.2f} MB/1000), RSS {m['rss']:.0f} MB",
                    flush=True,
                )
            # the CPU time of these reads is not the ingest's
            cpu = time.process_time()
            state["t"], state["cpu"], state["size"] = time.perf_counter(), cpu, size

    with Store.open(db) as store:
        report = run_ingest(
            inputs,
            store=store,
            pipeline=pipeline,
            extract=extract,
            config=config or Config(db=db),
            batch_size=batch,
            progress=progress,
        )
        seconds = time.perf_counter() - t0
        if report.failed:
            print(f"  {len(report.failed)} inputs failed, first: {report.failed[0]}")
        shape = cluster_shape(store)
        if seed is not None:
            shape["pairwise"] = synthetic_pairwise(store, seed)
    return marks, seconds, shape


def print_run(label: str, marks: list[dict[str, float]], seconds: float, s: dict[str, Any]) -> None:
    print(
        f"[{label}] {'docs':>7} {'docs/s':>8} {'docs/cpu-s':>10} {'store MB':>9}"
        f" {'MB/1000':>8} {'files MB':>9} {'RSS MB':>7}"
    )
    for m in marks:
        print(
            f"[{label}] {m['docs']:>7.0f} {m['rate']:>8.1f} {m['cpu_rate']:>10.1f}"
            f" {m['size']:>9.1f} {m['per_1000']:>8.1f} {m['files']:>9.1f} {m['rss']:>7.0f}"
        )
    full = [m for m in marks if m["docs"] % 1000 == 0]
    if len(full) >= 2:
        first, last = full[0], full[-1]
        print(
            f"[{label}] docs/s first 1,000 {first['rate']:.1f}, last 1,000 {last['rate']:.1f}"
            f" (last/first {last['rate'] / first['rate']:.2f}); per CPU second"
            f" {first['cpu_rate']:.1f} / {last['cpu_rate']:.1f}"
            f" ({last['cpu_rate'] / first['cpu_rate']:.2f});"
            f" MB per 1,000 docs first {first['per_1000']:.1f}, last {last['per_1000']:.1f}"
        )
        later = [m["per_1000"] for m in full[1:]]
        at5 = next((m for m in full if m["docs"] >= 5000), None)
        print(
            f"[{label}] MB per 1,000 docs after the first 1,000: min {min(later):.2f},"
            f" max {max(later):.2f} (max/min {max(later) / max(min(later), 1e-9):.2f});"
            f" RSS at {first['docs']:.0f} docs {first['rss']:.0f} MB"
            + (f", at {at5['docs']:.0f} {at5['rss']:.0f} MB" if at5 else "")
            + f", at {last['docs']:.0f} {last['rss']:.0f} MB"
        )
    docs = marks[-1]["docs"] if marks else 0
    print(
        f"[{label}] {docs:.0f} documents in {seconds:.1f}s ({docs / max(seconds, 1e-9):.1f} docs/s)"
    )
    lg, w = s["largest"], s["worst"]
    print(
        f"[{label}] events {s['events']}, clusters {s['clusters']} ({s['merged']} merged),"
        f" cluster_edges rows {s['edges']}, peak RSS {_peak_mb():.0f} MB"
    )
    print(
        f"[{label}] largest cluster {lg['size']} reports: place spread {lg['spread']:.1f} km"
        f" (all members with coordinates {lg['spread_all']:.1f} km), date span {lg['span']} days"
        f" (all members {lg.get('span_all', 0)} days)"
    )
    print(
        f"[{label}] over every merged event: max place spread {w['spread']:.1f} km"
        f" (all {w['spread_all']:.1f}), max date span {w['span']} days (all {w['span_all']});"
        f" merged events over 50 km or 7 days: {s['violations']}"
        f" ({s['violations_all']} counting province/country centroids)"
    )
    if "pairwise" in s:
        p, r, f1 = s["pairwise"]
        print(f"[{label}] pairwise against the synthetic gold: P {p:.3f}  R {r:.3f}  F1 {f1:.3f}")


# -- runs -------------------------------------------------------------------------------------


def run_synthetic(n: int, batch: int, seed: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "docs.jsonl"
        with src.open("w", encoding="utf-8") as f:
            for i in range(n):
                f.write(json.dumps(synthetic_document(seed, i)) + "\n")
        print(
            f"synthetic: {n} documents ({src.stat().st_size / 1e6:.1f} MB of JSONL), batch {batch}"
        )
        marks, seconds, shape = ingest(
            [str(src)], Path(tmp) / "scale.db", n, batch, extract=stub_extract(seed), seed=seed
        )
        print_run(f"stub {n}", marks, seconds, shape)


def acled_documents(path: Path, limit: int | None) -> Iterable[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        for k, line in enumerate(f):
            if limit is not None and k >= limit:
                break
            rec = json.loads(line)
            events = rec.get("events") or [{}]
            yield {
                "id": rec["id"],
                "text": rec["text"],
                "published": events[0].get("date"),
                "source": events[0].get("source"),
            }


def run_acled(limit: int | None, batch: int, spacy_baseline: bool) -> None:
    if not ACLED.exists():
        print(f"ACLED train notes not found at {ACLED}: skipped")
        return
    from fftrack.config import load_config
    from fftrack.pipeline import Pipeline

    pipeline = Pipeline(load_config(None, overrides={"db": None}))
    docs = list(acled_documents(ACLED, limit))
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "acled.jsonl"
        src.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
        if spacy_baseline:
            t0 = time.perf_counter()
            for _ in pipeline.nlp.pipe(d["text"] for d in docs):
                pass
            alone = time.perf_counter() - t0
            print(f"[acled] spaCy alone: {len(docs)} notes in {alone:.1f}s")
        db = Path(tmp) / "acled.db"
        config = replace(pipeline.config, db=db)
        marks, seconds, shape = ingest(
            [str(src)], db, len(docs), batch, pipeline=pipeline, config=config
        )
        print_run("acled", marks, seconds, shape)
        if spacy_baseline:
            print(f"[acled] ingest / spaCy alone: {alone / seconds:.2f} of spaCy's speed")


REAL_SETS = ("realnews_dev", "re3d", "geowebnews", "geovirus", "lgl")
POOL = 1000  # texts in a block: one copy of each
MIN_CHARS = 300


def _own_date(rec: dict[str, Any]) -> date:
    """The text's own day: its ``published``, LGL's download day, else one in 2014-2018
    from its id."""
    for raw in (rec.get("published"), (rec.get("meta") or {}).get("dltime")):
        if isinstance(raw, str) and len(raw) >= 10:
            try:
                return date.fromisoformat(raw[:10])
            except ValueError:
                pass
    return date(2014, 1, 1) + timedelta(days=zlib.crc32(rec["id"].encode()) % 1826)


def real_pool(eval_dir: Path) -> list[dict[str, Any]]:
    """The 1,000 texts (see the module's docstring), in a fixed order."""
    texts: set[str] = set()
    pool: list[dict[str, Any]] = []
    lgl: list[dict[str, Any]] = []
    for name in REAL_SETS:
        with (eval_dir / f"{name}.jsonl").open(encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                text = rec.get("text") or ""
                if len(text) < MIN_CHARS or text in texts:
                    continue
                texts.add(text)
                row = {
                    "id": rec["id"],
                    "text": text,
                    "title": rec.get("title") or (rec.get("meta") or {}).get("title"),
                    "day": _own_date(rec),
                }
                (lgl if name == "lgl" else pool).append(row)
    lgl.sort(key=lambda r: zlib.crc32(r["id"].encode()))
    return pool + lgl[: POOL - len(pool)]


def real_documents(pool: list[dict[str, Any]], n: int, seed: int) -> Iterator[dict[str, Any]]:
    """Documents 0..n-1: block ``b`` is copy ``b`` of every pool text, shuffled."""
    for b in range(-(-n // len(pool))):
        order = list(range(len(pool)))
        random.Random(seed * 1_000_003 + b).shuffle(order)
        for k in order[: n - b * len(pool)]:
            r = pool[k]
            cid = f"{r['id']}~{b}"
            lag = zlib.crc32(cid.encode()) % 4 if b else 0
            yield {
                "id": cid,
                "title": r["title"],
                "source": f"outlet-{zlib.crc32(cid.encode()) % 40}",
                "published": (r["day"] + timedelta(days=lag)).isoformat(),
                "text": r["text"],
            }


def write_real(path: Path, n: int, seed: int) -> bool:
    from _eval import eval_dir

    d = eval_dir()
    if d is None or not all((d / f"{x}.jsonl").exists() for x in REAL_SETS):
        print("shared evaluation texts not found (../shared/eval): skipped")
        return False
    with path.open("w", encoding="utf-8") as f:
        for doc in real_documents(real_pool(d), n, seed):
            f.write(json.dumps(doc) + "\n")
    return True


def store_counts(store: Store) -> dict[str, int]:
    """Rows of what an ingest stores: documents, events, figures, movements, clusters."""
    conn = store.conn
    out = {
        t: int(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0])  # noqa: S608
        for t in ("documents", "events", "figures", "movements")
    }
    out["clusters"] = int(
        conn.execute("SELECT COUNT(DISTINCT cluster_id) FROM events").fetchone()[0]
    )
    return out


def run_real(n: int, batch: int, seed: int) -> None:
    from fftrack.config import load_config
    from fftrack.pipeline import Pipeline

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "real.jsonl"
        if not write_real(src, n, seed):
            return
        pipeline = Pipeline(load_config(None, overrides={"db": None}))
        print(
            f"real: {n} documents ({src.stat().st_size / 1e6:.1f} MB of JSONL), batch {batch},"
            f" nice {os.nice(0)}, load average {os.getloadavg()[0]:.2f}",
            flush=True,
        )
        db = Path(tmp) / "real.db"
        config = replace(pipeline.config, db=db)
        marks, seconds, shape = ingest(
            [str(src)], db, n, batch, pipeline=pipeline, config=config, live=True
        )
        print_run(f"real {n}", marks, seconds, shape)
        with Store.open(db) as store:
            counts = store_counts(store)
        print(f"[real {n}] store rows: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        cpu = sum(m["cpu"] for m in marks)
        texts = [
            json.loads(line)["text"]
            for _, line in zip(range(min(n, POOL)), src.open(encoding="utf-8"), strict=False)
        ]
        list(pipeline.nlp.pipe(texts[:8]))  # warm-up
        c0 = time.process_time()
        for _ in pipeline.nlp.pipe(texts):
            pass
        alone = time.process_time() - c0
        ingest_rate, alone_rate = n / max(cpu, 1e-9), len(texts) / max(alone, 1e-9)
        print(
            f"[real {n}] spaCy alone: {len(texts)} documents (one copy of each text, 1 in"
            f" {n / len(texts):.0f} of the run) in {alone:.1f} CPU s, {alone_rate:.2f} docs/cpu-s;"
            f" ingest {n} documents in {cpu:.1f} CPU s, {ingest_rate:.2f} docs/cpu-s;"
            f" ingest / spaCy alone {ingest_rate / alone_rate:.2f}"
            f" (load average now {os.getloadavg()[0]:.2f})"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=5000, help="synthetic documents to ingest")
    ap.add_argument(
        "--batch", type=int, default=50, help="documents per write batch (a divisor of 1,000)"
    )
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--acled", action="store_true", help="the ACLED notes, real pipeline")
    ap.add_argument("--acled-limit", type=int, default=None)
    ap.add_argument("--spacy-baseline", action="store_true")
    ap.add_argument("--real", type=int, default=None, metavar="N", help="N real documents")
    ap.add_argument("--write-jsonl", type=Path, default=None, help="with --real: write only")
    args = ap.parse_args(argv)
    if args.real is not None and args.write_jsonl is not None:
        write_real(args.write_jsonl, args.real, args.seed)
    elif args.real is not None:
        run_real(args.real, args.batch, args.seed)
    elif args.acled:
        run_acled(args.acled_limit, args.batch, args.spacy_baseline)
    else:
        run_synthetic(args.docs, args.batch, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
