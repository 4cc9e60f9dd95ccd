"""Exit codes of the CLI, as the README documents them.

0: everything went fine. 1: some documents (or files) failed, the rest were stored.
2: usage error (bad flag, bad value, missing path): one line ``fftrack: error: ...`` on
stderr and never a traceback.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from helpers_robust import make_corpus, run_cli, write_jsonl


def _assert_one_line_error(stderr: str) -> None:
    assert "Traceback" not in stderr
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("fftrack: error: "), stderr


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small store, so query commands have something to open."""
    tmp = tmp_path_factory.mktemp("exit")
    src = write_jsonl(tmp / "docs.jsonl", make_corpus(3, seed=11))
    db = tmp / "store.db"
    res = run_cli("--db", str(db), "ingest", str(src))
    assert res.returncode == 0, res.stderr
    return db


# -- 2: usage errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["events", "--since", "2017-13"],
        ["events", "--since", "last tuesday"],
        ["events", "--until", "2017-02-30"],
        ["events", "--country", "Syria"],
        ["events", "--bbox", "1,2,3"],
        ["events", "--limit", "-1"],
    ],
    ids=["bad-month", "bad-date-text", "bad-day", "bad-country", "bad-bbox", "negative-limit"],
)
def test_bad_value_is_usage_error(store: Path, args: list[str]) -> None:
    res = run_cli("--db", str(store), *args)
    assert res.returncode == 2, (res.returncode, res.stderr)
    _assert_one_line_error(res.stderr)
    assert res.stdout == ""


def test_missing_input_path_is_usage_error(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    res = run_cli("--db", str(db), "ingest", str(tmp_path / "no-such-folder"))
    assert res.returncode == 2, res.stderr
    _assert_one_line_error(res.stderr)
    assert "no-such-folder" in res.stderr


def test_missing_extract_input_is_usage_error(tmp_path: Path) -> None:
    res = run_cli("extract", str(tmp_path / "nothing.jsonl"))
    assert res.returncode == 2, res.stderr
    _assert_one_line_error(res.stderr)


def test_bad_batch_size_is_usage_error(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "d.jsonl", make_corpus(1))
    res = run_cli("--db", str(tmp_path / "s.db"), "ingest", "--batch-size", "0", str(src))
    assert res.returncode == 2, res.stderr
    _assert_one_line_error(res.stderr)


@pytest.mark.parametrize(
    "args",
    [["--bogus", "events"], ["events", "--bogus"], ["events", "--limit", "many"], ["nocommand"]],
    ids=["bad-global-flag", "bad-command-flag", "non-integer", "unknown-command"],
)
def test_bad_flag_is_usage_error(store: Path, args: list[str]) -> None:
    res = run_cli("--db", str(store), *args)
    assert res.returncode == 2, res.stderr
    _assert_one_line_error(res.stderr)
    assert res.stdout == ""


def test_not_a_store_is_one_line_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("these are my notes, not a database\n" * 20, encoding="utf-8")
    res = run_cli("--db", str(bogus), "events")
    assert res.returncode in (1, 2), res.stderr
    _assert_one_line_error(res.stderr)
    assert bogus.read_text(encoding="utf-8").startswith("these are my notes")


def test_missing_store_is_one_line_error(tmp_path: Path) -> None:
    res = run_cli("--db", str(tmp_path / "nothing.db"), "stats")
    assert res.returncode in (1, 2), res.stderr
    _assert_one_line_error(res.stderr)
    assert not (tmp_path / "nothing.db").exists()


# -- 1: some documents failed, the good ones stored ------------------------------------------


def test_one_bad_file_gives_1_and_good_ones_stored(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    good = make_corpus(4, seed=3)
    (folder / "a.txt").write_text(good[0]["text"], encoding="utf-8")
    (folder / "b.txt").write_text(good[1]["text"], encoding="utf-8")
    # a binary file named .txt, between the good ones
    (folder / "b2.txt").write_bytes(bytes(range(256)) * 40)
    write_jsonl(folder / "c.jsonl", good[2:])
    with (folder / "c.jsonl").open("a", encoding="utf-8") as fh:
        fh.write("{this is not json\n")
    db = tmp_path / "s.db"
    res = run_cli("--db", str(db), "ingest", "--json", str(folder))
    assert res.returncode == 1, res.stderr
    assert "Traceback" not in res.stderr
    report = json.loads(res.stdout)
    failed = {(Path(f["source"]).name, f["line"]) for f in report["failed"]}
    assert ("b2.txt", None) in failed
    assert ("c.jsonl", 3) in failed
    assert len(report["failed"]) == 2
    assert report["stored"]["documents"] == 4
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 4
        ids = {r[0] for r in conn.execute("SELECT id FROM documents")}
    assert {good[2]["id"], good[3]["id"]} <= ids


def test_failures_are_listed_in_text_summary(tmp_path: Path) -> None:
    src = tmp_path / "d.jsonl"
    write_jsonl(src, make_corpus(2, seed=5))
    with src.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"title": "no text here"}) + "\n")
    res = run_cli("--db", str(tmp_path / "s.db"), "ingest", str(src))
    assert res.returncode == 1, res.stderr
    assert "Traceback" not in res.stderr
    assert f"{src}:3" in res.stdout


# -- 0: clean ------------------------------------------------------------------------------


def test_clean_run_gives_0_and_rerun_too(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "d.jsonl", make_corpus(5, seed=9))
    db = tmp_path / "s.db"
    first = run_cli("--db", str(db), "ingest", "--json", str(src))
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["stored"]["documents"] == 5
    again = run_cli("--db", str(db), "ingest", "--json", str(src))
    assert again.returncode == 0, again.stderr
    rep = json.loads(again.stdout)
    assert rep["skipped"] == 5 and rep["stored"]["documents"] == 0
    stats = run_cli("--db", str(db), "stats", "--format", "json")
    assert stats.returncode == 0, stats.stderr
    json.loads(stats.stdout)


def test_ingest_never_overwrites_a_file_that_is_not_a_store(tmp_path: Path) -> None:
    notes = tmp_path / "notes.jsonl"
    write_jsonl(notes, make_corpus(2, seed=4))
    before = notes.read_bytes()
    res = run_cli("--db", str(notes), "ingest", str(notes))
    assert res.returncode in (1, 2), res.stderr
    _assert_one_line_error(res.stderr)
    assert notes.read_bytes() == before


@pytest.mark.parametrize("where", ["dir", "missing-dir"])
def test_bad_store_location_is_one_line_error(tmp_path: Path, where: str) -> None:
    src = write_jsonl(tmp_path / "d.jsonl", make_corpus(1))
    db = tmp_path if where == "dir" else tmp_path / "nowhere" / "s.db"
    res = run_cli("--db", str(db), "ingest", str(src))
    assert res.returncode in (1, 2), res.stderr
    _assert_one_line_error(res.stderr)
