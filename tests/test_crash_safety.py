"""Crash safety: a killed or starved ingest leaves a consistent store, and a re-run
finishes the rest without duplicates.

* SIGKILL a real `fftrack ingest` at a random point (twice: the first run and the resumed
  run), then check ``PRAGMA integrity_check``, that every stored document has exactly the
  records a clean run gives it (all or none), and that a final re-run ends with the clean
  run's counts and no duplicate ids.
* Full disk, two ways that need no root: SQLite's ``max_page_count`` on the writer's own
  connection (in process), and ``RLIMIT_FSIZE`` on a CLI ingest (every file it writes is
  size-limited, so SQLite's writes fail like on a full disk). The ingest must stop with a
  clear error, the store stays consistent, and a re-run with space completes it.

The kill points are random; set FFTRACK_CRASH_SEED to replay one (the seed is in every
assertion message).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from helpers_robust import (
    check_against,
    cli_argv,
    cli_env,
    duplicate_ids,
    integrity,
    kill_ingest_at,
    kind_counts,
    make_corpus,
    per_document_counts,
    run_cli,
    stored_documents,
    unclustered_events,
    write_jsonl,
)

N_JSONL = 160
N_TEXT = 12
BATCH = "2"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder: one JSONL file of many short reports and a few plain-text files."""
    folder = tmp_path_factory.mktemp("crash") / "corpus"
    folder.mkdir()
    docs = make_corpus(N_JSONL + N_TEXT, seed=31)
    write_jsonl(folder / "a_reports.jsonl", docs[:N_JSONL])
    for i, d in enumerate(docs[N_JSONL:]):
        (folder / f"t{i:03d}.txt").write_text(d["text"] + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def clean(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same corpus ingested by one uninterrupted run: the reference."""
    db = tmp_path_factory.mktemp("clean") / "clean.db"
    res = run_cli("--db", str(db), "ingest", "--batch-size", BATCH, str(corpus))
    assert res.returncode == 0, res.stderr
    assert kind_counts(db)["documents"] == N_JSONL + N_TEXT
    return db


@pytest.fixture
def seed() -> int:
    env = os.environ.get("FFTRACK_CRASH_SEED")
    return int(env) if env else random.SystemRandom().randrange(1 << 30)


def test_sigkill_twice_then_resume(tmp_path: Path, corpus: Path, clean: Path, seed: int) -> None:
    rng = random.Random(seed)
    reference = per_document_counts(clean)
    db = tmp_path / "store.db"
    log = tmp_path / "ingest.log"
    total = N_JSONL + N_TEXT
    stored_before = 0
    for cycle in range(2):
        target = stored_before + rng.randint(3, 50)
        res = kill_ingest_at(
            db, [str(corpus)], after_documents=target, batch_size=int(BATCH), log_path=log
        )
        where = f"seed={seed} cycle={cycle} target={target}"
        assert res.killed, f"{where}: ingest finished before the kill point ({res})"
        assert 0 < res.stored_at_kill < total, where
        check = check_against(db, reference)
        assert check.integrity == "ok", f"{where}: {check}"
        assert check.ok, f"{where}: {check}"
        assert check.documents >= stored_before, where
        stored_before = check.documents

    res = run_cli("--db", str(db), "ingest", "--json", "--batch-size", BATCH, str(corpus))
    assert res.returncode == 0, f"seed={seed}: {res.stderr}"
    assert "Traceback" not in res.stderr
    assert kind_counts(db) == kind_counts(clean), f"seed={seed}"
    assert per_document_counts(db) == reference, f"seed={seed}"
    assert duplicate_ids(db) == 0
    assert integrity(db) == "ok"
    # events a killed run wrote but did not cluster are caught up by the re-run
    assert unclustered_events(db) == 0


def test_disk_full_in_process(tmp_path: Path, corpus: Path, clean: Path, pipeline) -> None:
    """The writer's connection may not grow the file past a few pages: SQLITE_FULL."""
    from fftrack.errors import FftrackError, StoreError
    from fftrack.runner import run_ingest
    from fftrack.store import Store

    src = write_jsonl(tmp_path / "some.jsonl", make_corpus(N_JSONL, seed=31)[:60])
    db = tmp_path / "store.db"
    with Store.open(db) as store:
        pages = int(store.conn.execute("PRAGMA page_count").fetchone()[0])
        store.conn.execute(f"PRAGMA max_page_count = {pages + 40}")
        with pytest.raises(FftrackError) as info:
            run_ingest([str(src)], store=store, pipeline=pipeline, batch_size=2)
    err = info.value
    assert isinstance(err, StoreError), repr(err)
    message = str(err)
    assert "\n" not in message and str(db) in message
    assert "full" in message.lower(), message
    stored = stored_documents(db)
    assert 0 < stored < 60
    check = check_against(db, per_document_counts(clean))
    assert check.ok, check

    # space again: the re-run stores the rest, nothing twice
    with Store.open(db) as store:
        report = run_ingest([str(src)], store=store, pipeline=pipeline, batch_size=2)
    assert not report.failed
    assert report.skipped == stored
    assert stored_documents(db) == 60
    check = check_against(db, per_document_counts(clean))
    assert check.ok, check


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE behaviour checked on Linux only")
def test_disk_full_cli(tmp_path: Path, corpus: Path, clean: Path, pipeline) -> None:
    """A CLI ingest whose files may not grow past 1.5 MB: a one-line error, a consistent store.

    (``pipeline`` makes sure the gazetteer cache is built before the limit applies.)
    """
    import resource

    limit = 1_500_000

    def limit_files() -> None:  # runs in the child before exec
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    db = tmp_path / "store.db"
    res = subprocess.run(
        cli_argv("--db", str(db), "ingest", "--batch-size", BATCH, str(corpus)),
        capture_output=True,
        text=True,
        env=cli_env(),
        timeout=600,
        preexec_fn=limit_files,  # noqa: PLW1509 - no threads in this child
    )
    if res.returncode == 0:
        pytest.skip("the whole corpus fit under the file size limit")
    assert res.returncode == 1, res.stderr
    assert "Traceback" not in res.stderr, res.stderr
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert lines and lines[-1].startswith("fftrack: error: "), res.stderr
    assert any(w in lines[-1].lower() for w in ("full", "disk", "i/o", "write")), res.stderr
    check = check_against(db, per_document_counts(clean))
    assert check.ok, check

    res = run_cli("--db", str(db), "ingest", "--batch-size", BATCH, str(corpus))
    assert res.returncode == 0, res.stderr
    assert kind_counts(db) == kind_counts(clean)
    assert per_document_counts(db) == per_document_counts(clean)


@pytest.mark.parametrize("signame", ["SIGINT", "SIGTERM"])
def test_interrupt_mid_ingest(tmp_path: Path, corpus: Path, clean: Path, signame: str) -> None:
    """Ctrl-C (or a service manager's SIGTERM) mid-ingest: a consistent store, a clear exit."""
    import signal
    import time

    from helpers_robust import start_cli

    db = tmp_path / "store.db"
    proc = start_cli(
        "--db",
        str(db),
        "ingest",
        "--batch-size",
        BATCH,
        str(corpus),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # a job started in the background by a shell inherits SIGINT ignored, and Python
        # then installs no Ctrl-C handler: the user's terminal would be ours
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509
    )
    try:
        t0 = time.monotonic()
        while stored_documents(db) < 10 and proc.poll() is None and time.monotonic() - t0 < 300:
            time.sleep(0.005)
        assert proc.poll() is None, "the ingest ended before the signal"
        proc.send_signal(getattr(signal, signame))
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=60)
    assert "Traceback" not in err, err
    if signame == "SIGINT":
        assert proc.returncode == 130, err
        assert err.strip().splitlines()[-1] == "fftrack: error: interrupted", err
    else:
        assert proc.returncode == 143, err
        assert err.strip().splitlines()[-1] == "fftrack: error: terminated", err
    check = check_against(db, per_document_counts(clean))
    assert check.ok, check
    assert 0 < check.documents < N_JSONL + N_TEXT

    res = run_cli("--db", str(db), "ingest", "--batch-size", BATCH, str(corpus))
    assert res.returncode == 0, res.stderr
    assert per_document_counts(db) == per_document_counts(clean)


def test_store_error_while_clustering_is_a_store_error(
    tmp_path: Path, clean: Path, pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk can strike in the clustering step after a batch is written (seen with
    RLIMIT_FSIZE): the user gets StoreError (one line), not a sqlite3 traceback, and the
    re-run clusters what the failed run left unclustered."""
    import sqlite3

    import fftrack.resolve as resolve
    from fftrack.errors import StoreError
    from fftrack.runner import run_ingest
    from fftrack.store import Store

    real = resolve.cluster_new_events

    def full_disk(store, event_ids=None, **kw):  # type: ignore[no-untyped-def]
        if event_ids:
            raise sqlite3.OperationalError("database or disk is full")
        return real(store, event_ids, **kw)

    src = write_jsonl(tmp_path / "some.jsonl", make_corpus(N_JSONL, seed=31)[:20])
    db = tmp_path / "store.db"
    monkeypatch.setattr(resolve, "cluster_new_events", full_disk)
    with Store.open(db) as store, pytest.raises(StoreError, match="full"):
        run_ingest([str(src)], store=store, pipeline=pipeline, batch_size=2)
    monkeypatch.setattr(resolve, "cluster_new_events", real)
    assert check_against(db, per_document_counts(clean)).ok

    with Store.open(db) as store:
        run_ingest([str(src)], store=store, pipeline=pipeline, batch_size=2)
    assert stored_documents(db) == 20
    assert unclustered_events(db) == 0


@pytest.fixture
def small_tmpfs(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A 1.5 MB tmpfs, where the test user may mount one (root, outside most CI); else skip."""
    import shutil

    if sys.platform != "linux" or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root on Linux")
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    res = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1500k", "tmpfs", str(mnt)],
        capture_output=True,
        text=True,
    )
    if res.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {res.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def test_disk_full_tmpfs(small_tmpfs: Path, corpus: Path, clean: Path) -> None:
    """A real full disk (ENOSPC): one line, a consistent and readable store, then a re-run
    with more space finishes the corpus."""
    db = small_tmpfs / "store.db"
    res = run_cli("--db", str(db), "ingest", "--batch-size", BATCH, str(corpus))
    if res.returncode == 0:
        pytest.skip("the corpus fit in the tmpfs")
    assert res.returncode == 1, res.stderr
    assert "Traceback" not in res.stderr
    last = res.stderr.strip().splitlines()[-1]
    assert last.startswith("fftrack: error: ") and "full" in last, res.stderr
    assert check_against(db, per_document_counts(clean)).ok

    # the store can still be queried on the full disk
    q = run_cli("--db", str(db), "stats", "--format", "json")
    assert q.returncode == 0, q.stderr

    grow = subprocess.run(
        ["mount", "-o", "remount,size=64m", str(small_tmpfs)], capture_output=True, text=True
    )
    if grow.returncode != 0:
        pytest.skip(f"cannot grow the tmpfs: {grow.stderr.strip()}")
    res = run_cli("--db", str(db), "ingest", "--batch-size", BATCH, str(corpus))
    assert res.returncode == 0, res.stderr
    assert per_document_counts(db) == per_document_counts(clean)
    assert unclustered_events(db) == 0
