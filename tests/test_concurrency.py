"""Readers while an ingest writes: no "database is locked" ever reaches the user.

A real `fftrack ingest` process writes many small transactions (batch size 1) while, at
the same time, the CLI queries (`fftrack events --format json`, `fftrack stats`),
StoreReaders in threads and the web API (starlette TestClient) read the same file.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest
from helpers_robust import (
    check_against,
    kind_counts,
    make_corpus,
    per_document_counts,
    run_cli,
    start_cli,
    stored_documents,
    write_jsonl,
)

LOCKED = "locked"


def _wait_for_store(db: Path, proc: subprocess.Popen[str], timeout: float = 120) -> None:
    t0 = time.monotonic()
    while stored_documents(db) == 0:
        if proc.poll() is not None:
            return
        if time.monotonic() - t0 > timeout:
            raise TimeoutError("ingest stored nothing")
        time.sleep(0.01)


class ReaderLoop(threading.Thread):
    """Call ``fn`` over and over until stopped; keep every error and the results' sizes."""

    def __init__(self, name: str, fn, max_calls: int = 40) -> None:  # type: ignore[no-untyped-def]
        super().__init__(name=name, daemon=True)
        self.fn = fn
        self.max_calls = max_calls
        self.stop = threading.Event()
        self.errors: list[str] = []
        self.calls = 0
        self.sizes: list[int] = []

    def run(self) -> None:
        while not self.stop.is_set() and self.calls < self.max_calls:
            try:
                self.sizes.append(self.fn())
            except Exception as exc:  # noqa: BLE001 - every failure is the finding
                self.errors.append(f"{type(exc).__name__}: {exc}")
            self.calls += 1
            time.sleep(0.03)  # readers must not starve the writer on a 2-core machine


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("conc")
    return write_jsonl(tmp / "docs.jsonl", make_corpus(200, seed=21))


def test_readers_during_cli_ingest(tmp_path: Path, corpus_file: Path) -> None:
    from fftrack.store import Query, StoreReader

    db = tmp_path / "store.db"
    log = tmp_path / "ingest.log"
    with log.open("w", encoding="utf-8") as out:
        proc = start_cli(
            "--db",
            str(db),
            "ingest",
            "--batch-size",
            "1",
            str(corpus_file),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    loops: list[ReaderLoop] = []
    try:
        _wait_for_store(db, proc)
        # a reader that holds one snapshot open for the whole ingest: the writer must not
        # fail or stall on it (WAL), and the reader keeps seeing its snapshot
        snapshot = sqlite3.connect(f"file:{db}?mode=ro", uri=True, isolation_level=None)
        snapshot.execute("BEGIN")
        snap_count = snapshot.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        shared = StoreReader(db)  # one reader shared by threads (it locks its connection)

        def shared_events() -> int:
            return len(shared.events(Query(limit=200)))

        def own_reader() -> int:
            r = StoreReader(db)
            try:
                r.places(Query(limit=100))
                r.stats()
                return len(r.movements(Query(limit=100)))
            finally:
                r.close()

        def place_count() -> int:
            return shared.count("places")

        loops = [
            ReaderLoop("shared-events-1", shared_events),
            ReaderLoop("shared-events-2", shared_events),
            ReaderLoop("own-reader", own_reader),
            ReaderLoop("count", place_count),
        ]
        web = _web_loop(db)
        if web is not None:
            loops.append(web)
        for loop in loops:
            loop.start()

        cli_runs: list[subprocess.CompletedProcess[str]] = []
        cli_during_ingest = 0
        # a few CLI queries next to the writer, then let it finish
        while len(cli_runs) < 6 and (proc.poll() is None or len(cli_runs) < 2):
            for args in (
                ["events", "--format", "json", "--limit", "50"],
                ["stats", "--format", "json"],
            ):
                res = run_cli("--db", str(db), *args, timeout=120)
                cli_runs.append(res)
                if proc.poll() is None:
                    cli_during_ingest += 1
        proc.wait(timeout=300)
    finally:
        for loop in loops:
            loop.stop.set()
        for loop in loops:
            loop.join(timeout=60)
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=60)

    assert snapshot.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == snap_count
    snapshot.execute("COMMIT")
    snapshot.close()

    ingest_out = log.read_text(encoding="utf-8")
    assert proc.returncode == 0, ingest_out
    assert LOCKED not in ingest_out.lower()
    assert "Traceback" not in ingest_out

    for res in cli_runs:
        assert LOCKED not in (res.stderr + res.stdout).lower(), res.stderr
        assert res.returncode == 0, res.stderr
        json.loads(res.stdout)
    assert cli_during_ingest >= 1, "the ingest ended before any CLI query ran next to it"

    for loop in loops:
        assert loop.calls > 0, loop.name
        assert not loop.errors, (loop.name, loop.errors[:3])
    count_sizes = next(lp for lp in loops if lp.name == "count").sizes
    assert count_sizes == sorted(count_sizes), "a reader saw the store shrink"

    counts = kind_counts(db)
    assert counts["documents"] == 200
    assert check_against(db, per_document_counts(db)).ok


def _web_loop(db: Path) -> ReaderLoop | None:
    try:
        from fastapi.testclient import TestClient

        from fftrack.web import create_app
    except ImportError:
        return None
    client = TestClient(create_app(db))

    def get() -> int:
        n = 0
        for url in ("/api/events?limit=20", "/api/stats", "/api/places?limit=20"):
            r = client.get(url)
            if r.status_code != 200 or LOCKED in r.text.lower():
                raise RuntimeError(f"GET {url}: {r.status_code} {r.text[:200]}")
            n += len(r.content)
        return n

    return ReaderLoop("web", get)


def test_two_cli_ingests_at_once(tmp_path: Path) -> None:
    """Two writers on one store (overlapping inputs): both finish, nothing twice."""
    docs = make_corpus(120, seed=22)
    a = write_jsonl(tmp_path / "a.jsonl", docs[:80])
    b = write_jsonl(tmp_path / "b.jsonl", docs[40:])
    db = tmp_path / "store.db"
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    procs = []
    for src, log in zip((a, b), logs, strict=True):
        with log.open("w", encoding="utf-8") as out:
            procs.append(
                start_cli(
                    "--db",
                    str(db),
                    "ingest",
                    "--batch-size",
                    "1",
                    str(src),
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            )
    try:
        for p in procs:
            p.wait(timeout=300)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait(timeout=60)
    for p, log in zip(procs, logs, strict=True):
        text = log.read_text(encoding="utf-8")
        assert p.returncode == 0, text
        assert LOCKED not in text.lower(), text
    assert kind_counts(db)["documents"] == 120
    check = check_against(db, per_document_counts(db))
    assert check.ok, check
