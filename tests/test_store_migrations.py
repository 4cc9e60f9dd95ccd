"""Schema migrations: an old store is brought up to date, in order, without losing data."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from test_store_basic import make_extraction_a, make_extraction_b

import fftrack.store.migrations as migrations
from fftrack.errors import StoreError
from fftrack.store import Query, Store, StoreReader
from fftrack.store.schema import LATEST_VERSION, MIGRATIONS, Migration


def _v1_store(path: Path) -> None:
    """A store as schema v1 wrote it, with one document and one event."""
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.configure(conn)
    assert migrations.migrate(conn, target=1, path=path) == 1
    ex = make_extraction_a()
    ev = ex.events[0]
    conn.execute(
        "INSERT INTO documents (id, text, title, url, published, source, language, origin,"
        " ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (ex.document.id, ex.document.text, "Report A", None, "2017-10-01", "Old", "en", None, "x"),
    )
    conn.execute(
        "INSERT INTO events (id, document_id, event_type, sub_event_type, type_keys, date_start,"
        " date_end, date_precision, country, place_name, place_resolved, place_keys, lat, lon,"
        ' actor_keys, start, "end", sentence_start, sentence_end, extractor, confidence, data)'
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            ev.id,
            ex.document.id,
            ev.event_type,
            ev.sub_event_type,
            "\x1fviolence against civilians\x1fattack\x1f",
            "2017-03-22",
            "2017-03-22",
            "day",
            "GB",
            "Westminster",
            "Westminster",
            "\x1fwestminster\x1f",
            51.4995,
            -0.1248,
            "\x1fan attacker\x1f",
            ev.span.start,
            ev.span.end,
            ev.span.sentence_start,
            ev.span.sentence_end,
            ev.extractor,
            ev.confidence,
            json.dumps(ev.to_dict()),
        ),
    )
    conn.close()


def test_versions_are_ordered_and_unique() -> None:
    versions = [m.version for m in MIGRATIONS]
    assert versions == sorted(set(versions)) and versions[0] == 1
    assert LATEST_VERSION == versions[-1]


def test_old_store_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _v1_store(path)
    # a reader told not to migrate refuses it, with a one-line hint
    with pytest.raises(StoreError, match="schema v1") as info:
        StoreReader(path, migrate=False)
    assert "\n" not in str(info.value)
    with Store.open(path) as store:
        assert store.schema_version() == LATEST_VERSION
        # the old event is still there; writing the same document again adds only what is new
        ws = store.write([make_extraction_a(), make_extraction_b()])
        assert ws.documents == 1 and ws.events == 2  # report B's two events
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"
    ).fetchall()
    conn.close()
    assert [r[0] for r in rows] == [m.version for m in MIGRATIONS]
    assert all(r[1] and r[2] for r in rows)
    with StoreReader(path) as r:
        events = r.events(Query(country="GB"))
        assert len(events) == 1 and events[0]["cluster_id"] is None
        assert events[0]["sources"][0]["source"] == "Old"
        # written before v4 kept no sentence column: it is cut from the document text
        assert events[0]["sources"][0]["sentence"].startswith("On 22 March 2017 an attacker")
        assert r.document(make_extraction_a().document.id)["records_meta"] is None
        assert r.stats()["failures"] == 0


def test_reader_migrates_an_old_store(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _v1_store(path)
    with StoreReader(path) as r:
        assert r.schema_version() == LATEST_VERSION
        (ev,) = r.events(Query())
        assert ev["place"]["name"] == "Westminster"
    empty = tmp_path / "empty.db"
    empty.touch()
    with pytest.raises(StoreError, match="empty"):
        StoreReader(empty)


def test_reopening_does_not_migrate_again(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    Store.open(path).close()
    Store.open(path).close()
    conn = sqlite3.connect(path)
    n = conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0]
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    conn.close()
    assert n == len(MIGRATIONS) and mode == "wal"


def test_failed_migration_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.db"
    Store.open(path).close()
    broken = Migration(
        LATEST_VERSION + 1,
        "broken",
        "CREATE TABLE half_done (x INTEGER);\nINSERT INTO no_such_table VALUES (1);\n",
    )
    monkeypatch.setattr(migrations, "MIGRATIONS", (*MIGRATIONS, broken))
    monkeypatch.setattr(migrations, "LATEST_VERSION", broken.version)
    with pytest.raises(StoreError, match="cannot migrate"):
        Store.open(path)
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    version = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0]
    conn.close()
    assert "half_done" not in tables and version == LATEST_VERSION


def test_newer_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO schema_migrations VALUES (?, 'future', '2030-01-01')", (LATEST_VERSION + 5,)
    )
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        Store.open(path)
    with pytest.raises(StoreError, match="newer"):
        StoreReader(path)
