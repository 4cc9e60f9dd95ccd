"""Benchmark `fftrack serve`: /api/events.geojson over 10k events, 20 concurrent clients.

Builds a temporary store of synthetic events (hand-made records, no NLP), starts the
real server (uvicorn, separate process) on 127.0.0.1 and a free port, then runs N
client threads with keep-alive connections, bounded both in requests and in time.
Prints requests/s, p50/p99 latency and the server's CPU time per request (from /proc,
where there is one: a figure that depends less on what else the machine runs). Usage:

    .venv/bin/python benchmarks/serve.py [--events 10000] [--clients 20]
        [--requests 1000] [--seconds 30] [--cold-requests 1000] [--cold-seconds 30]
        [--mode both|cold|warm] [--path /api/events.geojson] [--query limit=1000]
        [--store PATH]

Two phases: *cold* with the answer cache off (every request reads the store and builds
the GeoJSON) and *warm* with it on (what a user reloading the same view gets). A phase
stops at its request count or its time bound, whichever comes first (requests already in
flight finish).
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


def run_phase(
    db: Path, args: argparse.Namespace, cache: bool, requests: int, seconds: float
) -> bool:
    port = free_port()
    code = (
        "import sys; from fftrack.web import serve; "
        f"serve(sys.argv[1], host='127.0.0.1', port={port}, log_level='warning')"
    )
    env = dict(os.environ, FFTRACK_WEB_CACHE_MB="128" if cache else "0")
    server = subprocess.Popen([sys.executable, "-c", code, str(db)], env=env)
    base = f"http://127.0.0.1:{port}"
    url = base + args.path + (("?" + args.query) if args.query else "")
    label = "warm (answer cache on)" if cache else "cold (answer cache off)"
    latencies: list[float] = []
    errors = 0
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                print("server did not start", file=sys.stderr)
                return False
            time.sleep(0.2)

        first = httpx.get(url, timeout=300)
        first.raise_for_status()
        body = first.json()
        n_feat = len(body.get("features", body.get("items", [])))
        print(
            f"\n{label}: GET {args.path}{'?' + args.query if args.query else ''}: "
            f"{n_feat} features, {len(first.content) / 1e6:.2f} MB per answer"
        )

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

        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        cpu_start = cpu_seconds(server.pid)
        t_start = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        elapsed = time.perf_counter() - t_start
        cpu_end = cpu_seconds(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()

    done = len(latencies)
    print(
        f"{args.clients} concurrent clients, {done} ok / {errors} failed requests in "
        f"{elapsed:.1f}s (bounds: {requests} requests, {seconds:.0f}s)"
    )
    print(f"throughput: {done / elapsed:.2f} requests/s")
    if latencies:
        print(
            f"latency: p50 {percentile(latencies, 50) * 1000:.0f} ms, "
            f"p99 {percentile(latencies, 99) * 1000:.0f} ms, "
            f"mean {statistics.fmean(latencies) * 1000:.0f} ms"
        )
    if latencies and cpu_start is not None and cpu_end is not None:
        per = (cpu_end - cpu_start) / (done + errors) * 1000
        print(f"server CPU: {per:.1f} ms per request (user + system, all its threads)")
    return errors == 0


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
        else:
            t0 = time.perf_counter()
            store = Store.open(db)
            try:
                store.write(synthetic(args.events))
            finally:
                store.close()
            took = time.perf_counter() - t0
            print(f"store: {args.events} synthetic events written in {took:.1f}s")
        if args.mode in ("both", "cold"):
            ok &= run_phase(db, args, False, args.cold_requests, args.cold_seconds)
        if args.mode in ("both", "warm"):
            ok &= run_phase(db, args, True, args.requests, args.seconds)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
