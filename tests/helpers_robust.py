"""Helpers for the robustness tests and benchmark: a generated corpus, the CLI as a
subprocess, killing an ingest at a chosen point, and read-only checks of a store file.

Nothing here imports fftrack: the checks look at the SQLite file directly, so they judge
what a user would find on disk after a crash.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RECORD_TABLES = ("places", "actors", "events", "movements", "figures")
ALL_TABLES = ("documents", *RECORD_TABLES)

_PLACES = (
    "Raqqa",
    "Mosul",
    "Aleppo",
    "Idlib",
    "Homs",
    "Kirkuk",
    "Palmyra",
    "Deir ez-Zor",
    "Fallujah",
    "Ramadi",
    "Tikrit",
    "Kobani",
    "Manbij",
    "Sirte",
    "Benghazi",
    "Mogadishu",
    "Kabul",
    "Kandahar",
    "Maiduguri",
    "Gao",
    "Timbuktu",
    "Sanaa",
    "Aden",
    "Marawi",
)
_ORIGINS = (
    "Britain",
    "France",
    "Belgium",
    "Germany",
    "Tunisia",
    "Morocco",
    "Russia",
    "Turkey",
    "Jordan",
    "Saudi Arabia",
    "Sweden",
    "Denmark",
    "Chechnya",
    "Bosnia",
    "Indonesia",
)
_GROUPS = (
    "Islamic State",
    "ISIS",
    "al-Shabaab",
    "Boko Haram",
    "the Taliban",
    "Jabhat al-Nusra",
    "Kurdish forces",
    "government troops",
    "Houthi rebels",
    "an unidentified armed group",
)
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_TEMPLATES = (
    "On {day} {month} {year}, {group} attacked {place}, killing {n} civilians and wounding {m}.",
    "More than {big} foreign fighters from {origin} travelled to {place} to join {group}.",
    "{group} fighters fled {place} for {place2} in {month} {year}, residents said.",
    "An air strike near {place} killed at least {n} people on {day} {month} {year}.",
    "Roughly {big} fighters have returned to {origin} since {year}, officials estimate.",
    "A car bomb exploded in a market in {place} on {day} {month}, killing {n}.",
    "Protesters gathered in {place} on {day} {month} {year} to demand the release of detainees.",
    "Clashes between {group} and {group2} near {place} left {n} dead, according to local sources.",
    "About {big} people were displaced from {place} to {place2} after shelling in {month}.",
    "The report said fewer than {m} women from {origin} had reached {place} by {year}.",
)


def make_corpus(n: int, seed: int = 7) -> list[dict[str, str]]:
    """``n`` short, varied conflict reports as JSONL records with unique ids and texts."""
    rng = random.Random(seed)
    docs: list[dict[str, str]] = []
    for i in range(n):
        sentences = []
        for _ in range(rng.randint(1, 3)):
            tpl = rng.choice(_TEMPLATES)
            place, place2 = rng.sample(_PLACES, 2)
            group, group2 = rng.sample(_GROUPS, 2)
            sentences.append(
                tpl.format(
                    day=rng.randint(1, 28),
                    month=rng.choice(_MONTHS),
                    year=rng.randint(2012, 2020),
                    group=group,
                    group2=group2,
                    place=place,
                    place2=place2,
                    origin=rng.choice(_ORIGINS),
                    n=rng.randint(2, 90),
                    m=rng.randint(2, 400),
                    big=f"{rng.randint(1, 40) * 100:,}",
                )
            )
        text = " ".join(s[0].upper() + s[1:] for s in sentences) + f" (Report {i}.)"
        year = rng.randint(2012, 2020)
        docs.append(
            {
                "id": f"doc-{seed}-{i:05d}",
                "text": text,
                "title": f"Report {i}",
                "published": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "source": rng.choice(("Wire A", "Wire B", "Local Daily")),
            }
        )
    return docs


def write_jsonl(path: Path, docs: Sequence[dict[str, object]]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    return path


# -- the CLI ---------------------------------------------------------------------------


def cli_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "fftrack.cli", *args]


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("PYTHONHASHSEED", "0")
    env.pop("FFTRACK_DB", None)
    return env


def run_cli(*args: str, timeout: float = 300, **kw: object) -> subprocess.CompletedProcess[str]:
    """Run ``python -m fftrack.cli ARGS`` to completion."""
    return subprocess.run(
        cli_argv(*args),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=kw.pop("cwd", ROOT),  # type: ignore[arg-type]
        env=cli_env(),
        **kw,  # type: ignore[arg-type]
    )


def start_cli(*args: str, **kw: object) -> subprocess.Popen[str]:
    """Start ``python -m fftrack.cli ARGS`` in the background (stdout/stderr piped to files)."""
    return subprocess.Popen(
        cli_argv(*args),
        text=True,
        cwd=ROOT,
        env=cli_env(),
        **kw,  # type: ignore[arg-type]
    )


# -- looking at a store file -------------------------------------------------------------


def _connect(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(db), timeout=30, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


def _has_tables(db: Path) -> bool:
    conn = _connect(db)
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return set(ALL_TABLES) <= names
    finally:
        conn.close()


def stored_documents(db: Path) -> int:
    """How many documents the store holds now; 0 if the file or table is not there yet."""
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def integrity(db: Path) -> str:
    conn = _connect(db)
    try:
        return ";".join(str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall())
    finally:
        conn.close()


def kind_counts(db: Path) -> dict[str, int]:
    conn = _connect(db)
    try:
        return {t: int(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in ALL_TABLES}
    finally:
        conn.close()


def per_document_counts(db: Path) -> dict[str, tuple[int, ...]]:
    """For each stored document, its record counts in RECORD_TABLES order."""
    conn = _connect(db)
    try:
        out: dict[str, list[int]] = {
            r[0]: [0] * len(RECORD_TABLES) for r in conn.execute("SELECT id FROM documents")
        }
        for i, table in enumerate(RECORD_TABLES):
            for doc_id, n in conn.execute(
                f"SELECT document_id, COUNT(*) FROM {table} GROUP BY document_id"
            ):
                out.setdefault(doc_id, [0] * len(RECORD_TABLES))[i] = int(n)
        return {k: tuple(v) for k, v in out.items()}
    finally:
        conn.close()


def orphan_records(db: Path) -> int:
    """Records whose document is not stored (must be 0)."""
    conn = _connect(db)
    try:
        return sum(
            int(
                conn.execute(
                    f"SELECT COUNT(*) FROM {t} WHERE document_id NOT IN (SELECT id FROM documents)"
                ).fetchone()[0]
            )
            for t in RECORD_TABLES
        )
    finally:
        conn.close()


def duplicate_ids(db: Path) -> int:
    """Ids stored more than once in any table, plus texts stored under two ids."""
    conn = _connect(db)
    try:
        dup = 0
        for t in ALL_TABLES:
            dup += int(conn.execute(f"SELECT COUNT(*) - COUNT(DISTINCT id) FROM {t}").fetchone()[0])
        dup += int(
            conn.execute("SELECT COUNT(*) - COUNT(DISTINCT text) FROM documents").fetchone()[0]
        )
        return dup
    finally:
        conn.close()


def unclustered_events(db: Path) -> int:
    """Events without a cross-source cluster (0 after a finished ingest); 0 if no column."""
    conn = _connect(db)
    try:
        cols = {r[1] for r in conn.execute("PRAGMA table_info(events)")}
        if "cluster_id" not in cols:
            return 0
        return int(
            conn.execute("SELECT COUNT(*) FROM events WHERE cluster_id IS NULL").fetchone()[0]
        )
    finally:
        conn.close()


@dataclass
class StoreCheck:
    """What a crashed-then-checked store looks like against a clean run of the same input."""

    integrity: str
    documents: int
    incomplete: list[str]  # documents whose record counts differ from the clean run
    unexpected: list[str]  # documents the clean run does not have
    orphans: int
    duplicates: int

    @property
    def ok(self) -> bool:
        return (
            self.integrity == "ok"
            and not self.incomplete
            and not self.unexpected
            and self.orphans == 0
            and self.duplicates == 0
        )


def check_against(db: Path, clean: dict[str, tuple[int, ...]]) -> StoreCheck:
    """Integrity, and every stored document complete (same counts as in ``clean``)."""
    ic = integrity(db)
    if not _has_tables(db):
        # killed before the first migration committed: an empty (or schema-less) file
        return StoreCheck(ic, 0, [], [], 0, 0)
    got = per_document_counts(db)
    incomplete = sorted(d for d, c in got.items() if d in clean and clean[d] != c)
    unexpected = sorted(d for d in got if d not in clean)
    return StoreCheck(ic, len(got), incomplete, unexpected, orphan_records(db), duplicate_ids(db))


# -- killing an ingest -------------------------------------------------------------------


@dataclass
class KillResult:
    killed: bool  # False when the run ended by itself before the kill point
    stored_at_kill: int
    returncode: int | None
    leftover: int = 0  # processes of the ingest's group still alive 30 s after the kill


def live_group_members(pgid: int) -> list[int]:
    """Pids (not zombies) in process group ``pgid``; empty where /proc is not there."""
    out: list[int] = []
    proc = Path("/proc")
    if not proc.is_dir():
        return out
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid pgrp ...: comm may hold spaces, so split after the ")"
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) >= 3 and fields[2] == str(pgid) and fields[0] != "Z":
            out.append(int(entry.name))
    return out


def reap_group(pgid: int, wait: float = 30.0) -> int:
    """Wait for the group's processes to go; kill what is left. Returns how many were left."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if not live_group_members(pgid):
            return 0
        time.sleep(0.2)
    left = live_group_members(pgid)
    if left:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return len(left)


def kill_ingest_at(
    db: Path,
    inputs: Sequence[str],
    *,
    after_documents: int | None = None,
    after_seconds: float | None = None,
    batch_size: int = 2,
    workers: int = 1,
    log_path: Path | None = None,
    poll: float = 0.005,
    timeout: float = 300,
) -> KillResult:
    """Start ``fftrack ingest`` and SIGKILL it once the store holds ``after_documents``
    documents (or ``after_seconds`` after start). Returns whether the kill landed mid-run.

    The ingest runs in its own process group, so that worker processes (``workers`` > 1:
    --workers) left behind by the kill are found, counted and killed."""
    out = open(log_path or os.devnull, "a", encoding="utf-8")  # noqa: SIM115
    try:
        proc = start_cli(
            "--db",
            str(db),
            "ingest",
            "--batch-size",
            str(batch_size),
            "--workers",
            str(workers),
            *inputs,
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
        t0 = time.monotonic()
        try:
            while proc.poll() is None:
                now = time.monotonic() - t0
                if now > timeout:
                    raise TimeoutError(f"ingest still running after {timeout} s")
                if after_seconds is not None and now >= after_seconds:
                    break
                if after_documents is not None and stored_documents(db) >= after_documents:
                    break
                time.sleep(poll)
            if proc.poll() is not None:
                return KillResult(
                    False, stored_documents(db), proc.returncode, reap_group(proc.pid)
                )
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=60)
            left = reap_group(proc.pid)
            return KillResult(True, stored_documents(db), proc.returncode, left)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=60)
    finally:
        out.close()
