"""Benchmark `fftrack serve`: the map's endpoints over 10k events, 20 concurrent clients.

Builds a temporary store of synthetic events (hand-made records, no NLP; half of them in
event clusters of three reports, as cross-source dedup leaves a store, and one cluster of
``--big-cluster`` reports), starts the real server (uvicorn, separate process) on
127.0.0.1 and a free port, then runs N client threads with keep-alive connections,
bounded both in requests and in time. Prints requests/s, p50/p99 latency and the
server's CPU time per request (from /proc, where there is one: a figure that depends less
on what else the machine runs). Usage:

    .venv/bin/python benchmarks/serve.py [--events 10000] [--clients 20]
        [--requests 1000] [--seconds 30] [--cold-requests 1000] [--cold-seconds 30]
        [--mode both|cold|warm] [--path /api/events.geojson] [--query limit=1000]
        [--store PATH] [--suite map|all] [--big-cluster 600]

Two phases: *cold* with the answer cache off (every request reads the store and builds
the GeoJSON) and *warm* with it on (what a user reloading the same view gets). A phase
stops at its request count or its time bound, whichever comes first (requests already in
flight finish).

``--suite map`` measures, one after the other on one server and one store, the plain and
merged event list and GeoJSON (the map's default page, ``limit=2000``, a second page by
``after``, a box, a date range, a type) and ``--suite all`` adds the detail of one event
(``/api/events/{id}``) and pages of the sources of the big cluster, the timeline, flows and
stats; a table of p50/p99 per endpoint closes the run.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from fftrack.records import Actor, Document, Event, Extraction, Place, Quantity, Span, TimeRef

TYPES = [
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Violence against civilians", "Attack"),
    ("Protests", "Peaceful protest"),
    ("Riots", "Violent demonstration"),
    ("Strategic developments", "Arrests"),
]
TOWNS = [
    ("Raqqa", 35.95, 39.01, "SY"),
    ("Aleppo", 36.20, 37.13, "SY"),
    ("Deir ez-Zor", 35.34, 40.14, "SY"),
    ("Mosul", 36.34, 43.13, "IQ"),
    ("Fallujah", 33.35, 43.78, "IQ"),
    ("Sirte", 31.21, 16.59, "LY"),
    ("Gao", 16.27, -0.04, "ML"),
    ("Maiduguri", 11.85, 13.16, "NG"),
]


def synthetic(n_events: int, per_doc: int = 10, seed: int = 7) -> list[Extraction]:
    rnd = random.Random(seed)
    out: list[Extraction] = []
    day0 = date(2015, 1, 1)
    for d in range(0, n_events, per_doc):
        parts: list[str] = []
        events: list[Event] = []
        places: list[Place] = []
        doc_id = f"bench-{d // per_doc:06d}"
        for _ in range(min(per_doc, n_events - d)):
            town, lat, lon, cc = rnd.choice(TOWNS)
            et, st = rnd.choice(TYPES)
            day = day0 + timedelta(days=rnd.randrange(0, 1000))
            killed = rnd.randrange(0, 40)
            s0 = sum(len(p) + 1 for p in parts)
            sentence = f"Fighters clashed near {town} on {day:%d %B %Y}, killing {killed} people."
            parts.append(sentence)
            p0 = s0 + sentence.index(town)
            span = Span(doc_id, s0 + 9, s0 + len(sentence) - 1, s0, s0 + len(sentence))
            place = Place(
                town,
                Span(doc_id, p0, p0 + len(town), s0, s0 + len(sentence)),
                lat=lat + rnd.uniform(-0.3, 0.3),
                lon=lon + rnd.uniform(-0.3, 0.3),
                country=cc,
                feature="P.PPL",
                precision=1,
                resolved_name=town,
                confidence=0.9,
            )
            actor = Actor("Fighters", Span(doc_id, s0, s0 + 8, s0, s0 + len(sentence)), "Fighters")
            places.append(place)
            events.append(
                Event(
                    et,
                    st,
                    span,
                    date=TimeRef(day, day, "day"),
                    place=place,
                    actors=(actor,),
                    fatalities=Quantity(killed),
                    confidence=0.7,
                )
            )
        doc = Document(doc_id, " ".join(parts), title=f"Report {doc_id}", source="bench")
        out.append(Extraction(doc, places=tuple(places), events=tuple(events)))
    return out


BIG_CLUSTER = "bench-cluster-big"


def cluster_synthetic(store: Any, n_events: int, per_doc: int = 10, big: int = 600) -> int:
    """Put the synthetic events in clusters as dedup would: the events of an even slot of
    three consecutive documents are one event told three times; the events of slot
    ``per_doc - 1`` of the first ``big`` documents one large cluster. Returns clusters."""
    from fftrack.readmodel import ClusterRow

    n_docs = -(-n_events // per_doc)
    rows = store.conn.execute(
        "SELECT id, document_id, date_start, date_end FROM events ORDER BY document_id, start"
    ).fetchall()
    by_doc: dict[str, list[tuple[str, str, str]]] = {}
    for eid, doc, ds, de in rows:
        by_doc.setdefault(doc, []).append((eid, ds, de))
    groups: dict[str, list[tuple[str, str, str, str]]] = {}
    for d in range(n_docs):
        events = by_doc.get(f"bench-{d:06d}", [])
        for slot, (eid, ds, de) in enumerate(events):
            if slot == per_doc - 1 and d < big:
                cid = BIG_CLUSTER
            elif slot % 2 == 0:
                cid = f"bench-cluster-{d // 3:06d}-{slot}"
            else:
                continue
            groups.setdefault(cid, []).append((eid, f"bench-{d:06d}", ds, de))
    repo = store.clusters()
    with repo.transaction():
        now = repo.now()
        for cid, members in groups.items():
            if len(members) < 2:
                continue
            repo.assign([m[0] for m in members], cid)
            repo.save_cluster(
                ClusterRow(
                    id=cid,
                    representative=members[0][0],
                    size=len(members),
                    documents=len({m[1] for m in members}),
                    date_start=min(m[2] for m in members),
                    date_end=max(m[3] for m in members),
                    algorithm="bench.synthetic",
                ),
                now,
            )
    return sum(1 for m in groups.values() if len(m) >= 2)


def refresh(db: Path) -> None:
    """Store the merged rows of the clusters that changed, as an ingest does at its end
    (a store of an older schema is migrated first: every cluster then)."""
    from fftrack.store import Store
    from fftrack.web.mapview import refresh_merged

    t0 = time.perf_counter()
    with Store.open(db) as store:
        n = refresh_merged(store)
    if n:
        print(f"store: merged rows of {n} event clusters stored in {time.perf_counter() - t0:.1f}s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of process ``pid`` so far (Linux /proc), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def percentile(values: list[float], p: float) -> float:
    xs = sorted(values)
    if not xs:
        return float("nan")
    k = min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))
    return xs[k]


def start_server(db: Path, cache: bool) -> tuple[subprocess.Popen[bytes], str]:
    """The real server over ``db`` on a free loopback port, once it answers."""
    port = free_port()
    code = (
        "import sys; from fftrack.web import serve; "
        f"serve(sys.argv[1], host='127.0.0.1', port={port}, log_level='warning')"
    )
    env = dict(os.environ, FFTRACK_WEB_CACHE_MB="128" if cache else "0")
    server = subprocess.Popen([sys.executable, "-c", code, str(db)], env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                return server, base
        except httpx.HTTPError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            stop_server(server)
            raise RuntimeError("server did not start")
        time.sleep(0.2)


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


def measure(
    server: subprocess.Popen[bytes],
    base: str,
    target: str,
    label: str,
    clients: int,
    requests: int,
    seconds: float,
) -> dict[str, Any]:
    """``clients`` threads asking for ``target`` (path and query) until ``requests`` are
    issued or ``seconds`` pass; prints and returns the figures."""
    url = base + target
    t = time.perf_counter()
    first = httpx.get(url, timeout=300)
    first_s = time.perf_counter() - t
    first.raise_for_status()
    body = first.json()
    n_feat = len(body.get("features", body.get("items", body.get("sources", []))))
    print(
        f"\n{label}: GET {target}: {n_feat} rows, {len(first.content) / 1e6:.2f} MB per"
        f" answer, first alone {first_s * 1000:.0f} ms"
    )
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    issued = 0
    stop_at = time.monotonic() + seconds

    def client() -> None:
        nonlocal issued, errors
        with httpx.Client(timeout=300) as c:
            while True:
                with lock:
                    if issued >= requests or time.monotonic() > stop_at:
                        return
                    issued += 1
                t = time.perf_counter()
                try:
                    ok = c.get(url).status_code == 200
                except httpx.HTTPError:
                    ok = False
                dt = time.perf_counter() - t
                with lock:
                    if ok:
                        latencies.append(dt)
                    else:
                        errors += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    cpu_start = cpu_seconds(server.pid)
    t_start = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - t_start
    cpu_end = cpu_seconds(server.pid)
    done = len(latencies)
    print(
        f"{clients} concurrent clients, {done} ok / {errors} failed requests in "
        f"{elapsed:.1f}s (bounds: {requests} requests, {seconds:.0f}s)"
    )
    print(f"throughput: {done / elapsed:.2f} requests/s")
    out: dict[str, Any] = {"target": target, "ok": done, "errors": errors, "p50": None}
    if latencies:
        out["p50"] = percentile(latencies, 50) * 1000
        out["p99"] = percentile(latencies, 99) * 1000
        print(
            f"latency: p50 {out['p50']:.0f} ms, p99 {out['p99']:.0f} ms, "
            f"mean {statistics.fmean(latencies) * 1000:.0f} ms"
        )
    if latencies and cpu_start is not None and cpu_end is not None:
        out["cpu"] = (cpu_end - cpu_start) / (done + errors) * 1000
        print(f"server CPU: {out['cpu']:.1f} ms per request (user + system, all its threads)")
    return out


def suite(base: str, name: str) -> list[tuple[str, str]]:
    """``(label, path and query)`` of what the map page asks, plain and merged."""
    out: list[tuple[str, str]] = []
    box = "bbox=38.5,35.5,39.5,36.5"  # around Raqqa
    for merged in ("", "merged=true&"):
        kind = "merged" if merged else "plain"
        first = httpx.get(f"{base}/api/events.geojson?{merged}limit=2000", timeout=300).json()
        nxt = first.get("next")
        out += [
            (f"{kind} list", f"/api/events?{merged}".rstrip("?&")),
            (f"{kind} geojson", f"/api/events.geojson?{merged}".rstrip("?&")),
            (f"{kind} geojson map page", f"/api/events.geojson?{merged}limit=2000"),
        ]
        if nxt:
            out.append(
                (f"{kind} geojson page 2", f"/api/events.geojson?{merged}limit=2000&after={nxt}")
            )
        out += [
            (f"{kind} geojson bbox", f"/api/events.geojson?{merged}limit=2000&{box}"),
            (
                f"{kind} geojson dates",
                f"/api/events.geojson?{merged}limit=2000&since=2016-03&until=2016-05",
            ),
            (f"{kind} geojson type", f"/api/events.geojson?{merged}limit=2000&type=Protests"),
            (f"{kind} list type", f"/api/events?{merged}type=Battles&since=2016"),
        ]
    if name == "all":
        out += [
            ("detail (3 reports)", "/api/events/bench-cluster-000010-0"),
            ("detail big cluster", f"/api/events/{BIG_CLUSTER}"),
            ("detail big, sources 301+", f"/api/events/{BIG_CLUSTER}?sources_offset=300"),
            ("timeline", "/api/timeline"),
            ("timeline merged", "/api/timeline?merged=true"),
            ("flows geojson", "/api/flows.geojson"),
            ("stats", "/api/stats"),
        ]
    return out


def run_phase(
    db: Path, args: argparse.Namespace, cache: bool, requests: int, seconds: float
) -> tuple[bool, list[dict[str, Any]]]:
    label = "warm (answer cache on)" if cache else "cold (answer cache off)"
    try:
        server, base = start_server(db, cache)
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return False, []
    results: list[dict[str, Any]] = []
    try:
        if args.suite:
            targets = suite(base, args.suite)
        else:
            targets = [("", args.path + (("?" + args.query) if args.query else ""))]
        for name, target in targets:
            r = measure(
                server, base, target, f"{label} {name}".strip(), args.clients, requests, seconds
            )
            r["label"] = name or target
            results.append(r)
    finally:
        stop_server(server)
    return all(r["errors"] == 0 for r in results), results


def print_table(title: str, results: list[dict[str, Any]]) -> None:
    print(f"\n{title}")
    print(f"{'endpoint':<26} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms':>8} {'ok':>6}")
    for r in results:
        p50 = f"{r['p50']:.0f}" if r.get("p50") is not None else "-"
        p99 = f"{r['p99']:.0f}" if r.get("p99") is not None else "-"
        cpu = f"{r['cpu']:.1f}" if r.get("cpu") is not None else "-"
        print(f"{r['label']:<26} {p50:>8} {p99:>8} {cpu:>8} {r['ok']:>6}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--events", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=1000, help="warm phase: total requests")
    ap.add_argument("--seconds", type=float, default=30.0, help="warm phase: time bound")
    ap.add_argument("--cold-requests", type=int, default=1000, help="cold phase: total requests")
    ap.add_argument("--cold-seconds", type=float, default=30.0, help="cold phase: time bound")
    ap.add_argument("--mode", choices=["both", "cold", "warm"], default="both")
    ap.add_argument("--path", default="/api/events.geojson")
    ap.add_argument("--query", default="", help="extra query string, e.g. limit=1000")
    ap.add_argument(
        "--suite",
        choices=["map", "all"],
        default=None,
        help="measure the map's endpoints one after the other (plain and merged), not --path",
    )
    ap.add_argument(
        "--big-cluster", type=int, default=600, help="reports of the one large event cluster"
    )
    ap.add_argument(
        "--store",
        default="",
        help="keep the store at this path and reuse it on later runs (default: a temporary one)",
    )
    args = ap.parse_args(argv)

    from fftrack.store import Store

    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.store) if args.store else Path(tmp) / "bench.db"
        if args.store and db.exists():
            print(f"store: {db} as it is (built by an earlier run; --events not used)")
            refresh(db)
        else:
            t0 = time.perf_counter()
            store = Store.open(db)
            try:
                store.write(synthetic(args.events))
                n_clusters = cluster_synthetic(store, args.events, big=args.big_cluster)
            finally:
                store.close()
            took = time.perf_counter() - t0
            print(
                f"store: {args.events} synthetic events, {n_clusters} event clusters,"
                f" written in {took:.1f}s"
            )
            refresh(db)
        tables = []
        if args.mode in ("both", "cold"):
            good, res = run_phase(db, args, False, args.cold_requests, args.cold_seconds)
            ok &= good
            tables.append(("cold (answer cache off)", res))
        if args.mode in ("both", "warm"):
            good, res = run_phase(db, args, True, args.requests, args.seconds)
            ok &= good
            tables.append(("warm (answer cache on)", res))
        if args.suite:
            for title, res in tables:
                print_table(f"{title}, {args.clients} concurrent clients:", res)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
