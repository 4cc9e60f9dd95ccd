"""Readers read while a writer writes; writers wait for each other; a killed writer
leaves every document complete or absent."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from test_store_basic import make_extraction

from fftrack.store import Query, Store, StoreReader

REPO = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent


def test_readers_during_writes(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    Store.open(path).close()
    batches = [[make_extraction(i * 5 + j) for j in range(5)] for i in range(30)]
    errors: list[BaseException] = []
    seen: list[list[int]] = [[] for _ in range(3)]
    done = threading.Event()

    def writer() -> None:
        try:
            with Store.open(path) as store:
                for batch in batches:
                    store.write(batch)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            done.set()

    def reader(k: int) -> None:
        try:
            with StoreReader(path) as r:
                while True:
                    finished = done.is_set()
                    n_docs = r.stats()["documents"]
                    n_events = r.count("events", Query())
                    # each document is written with its event: never one without the other
                    assert n_events >= n_docs
                    r.events(Query(country="SY", limit=10))
                    seen[k].append(n_docs)
                    if finished:
                        break
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=reader, args=(k,)) for k in range(3)]
    threads.append(threading.Thread(target=writer))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    for counts in seen:
        assert counts == sorted(counts)  # a reader never sees the store go backwards
        assert counts[-1] == 150
        assert all(c % 5 == 0 for c in counts)  # whole batches only


def test_writer_waits_for_another_writer(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    with Store.open(path) as s:
        s.write([make_extraction(1)])
    # another process-like connection holds the write lock for a moment
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE documents SET title = 'x'")
    result: list[object] = []

    def write() -> None:
        try:
            with Store.open(path) as s:
                result.append(s.write([make_extraction(2)]).documents)
        except BaseException as exc:  # pragma: no cover
            result.append(exc)

    t = threading.Thread(target=write)
    t.start()
    # while the lock is held, a reader still reads the last committed state
    with StoreReader(path) as r:
        assert r.stats()["documents"] == 1
        assert r.document(make_extraction(1).document.id)["title"] is None
    t.join(timeout=0.3)
    other.execute("COMMIT")
    other.close()
    t.join(timeout=60)
    assert result == [1]


def test_two_writer_processes(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    Store.open(path).close()
    script = (
        "import sys\n"
        f"sys.path.insert(0, {str(TESTS)!r})\n"
        "from test_store_basic import make_extraction\n"
        "from fftrack.store import Store\n"
        "lo = int(sys.argv[2])\n"
        "with Store.open(sys.argv[1]) as s:\n"
        "    for i in range(lo, lo + 40, 4):\n"
        "        s.write([make_extraction(j) for j in range(i, i + 4)])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(path), str(lo)], env=env, stderr=subprocess.PIPE
        )
        for lo in (0, 20)  # overlapping ranges: ids 20..39 written by both
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    with StoreReader(path) as r:
        st = r.stats()
    assert st["documents"] == 60 and st["events"] == 60 and st["places"] == 60


def test_killed_writer_leaves_documents_complete_or_absent(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    with Store.open(path) as s:
        s.write([make_extraction(0)])
    script = (
        "import os, sys\n"
        f"sys.path.insert(0, {str(TESTS)!r})\n"
        "from test_store_basic import make_extraction\n"
        "import fftrack.store.writer as w\n"
        "from fftrack.store import Store\n"
        "real = w._event_row\n"
        "calls = []\n"
        "def dying(*a):\n"
        "    calls.append(1)\n"
        "    if len(calls) == 3:\n"
        "        os._exit(9)\n"
        "    return real(*a)\n"
        "w._event_row = dying\n"
        "s = Store.open(sys.argv[1])\n"
        "s.write([make_extraction(j) for j in range(1, 6)])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    p = subprocess.run([sys.executable, "-c", script, str(path)], env=env, timeout=120)
    assert p.returncode == 9
    with StoreReader(path) as r:
        assert r.stats()["documents"] == 1
    with Store.open(path) as s:
        ws = s.write([make_extraction(j) for j in range(0, 6)])
    assert ws.documents == 5 and ws.events == 5


def _open_and_close(job: tuple[str, float]) -> str:
    import time

    from fftrack.store import Store

    path, at = job
    time.sleep(max(0.0, at - time.time()))  # every process opens at the same instant
    try:
        Store.open(path).close()
        return "ok"
    except Exception as exc:  # reported to the test, not raised in the child
        return f"{type(exc).__name__}: {exc}"


def test_many_processes_create_one_new_store_at_once(tmp_path):
    """Opening (creating, switching to WAL, migrating) a new store from several processes
    at the same moment never fails with "database is locked"."""
    import multiprocessing
    import time

    ctx = multiprocessing.get_context("spawn")
    for round_ in range(3):
        path = str(tmp_path / f"new{round_}.db")
        with ctx.Pool(6) as pool:
            pool.map(abs, range(6))  # workers started before the clock runs
            at = time.time() + 0.5
            results = pool.map(_open_and_close, [(path, at)] * 6, chunksize=1)
        assert results == ["ok"] * 6, results
