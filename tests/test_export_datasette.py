"""The store as Datasette and sqlite-utils see it: FTS5 over documents kept in step by
triggers, the merged_events view with latitude/longitude, metadata.json."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_store_basic import make_extraction_a, make_extraction_b

from fftrack.cli import cli
from fftrack.records import Document, Extraction
from fftrack.store import Store
from fftrack.store.migrations import migrate
from fftrack.views import StoreReader


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "fftrack.db"
    with Store.open(path) as s:
        s.write([make_extraction_a(), make_extraction_b()])
    return path


def _search(path: Path, words: str) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [
            r[0]
            for r in conn.execute(
                "SELECT d.id FROM documents_fts f JOIN documents d ON d.rowid = f.rowid"
                " WHERE documents_fts MATCH ? ORDER BY d.id",
                (words,),
            )
        ]
    finally:
        conn.close()


def test_fts_follows_the_writer(store_path: Path) -> None:
    a = make_extraction_a().document
    assert _search(store_path, "Westminster") == [a.id]
    new = Document(id="fts0001", text="Shelling hit Kobani overnight.", title="Kobani shelled",
                   published=date(2019, 1, 2))  # fmt: skip
    with Store.open(store_path) as s:
        s.write([Extraction(document=new)])
        s.write([Extraction(document=new)])  # again: not indexed twice
    assert _search(store_path, "Kobani") == ["fts0001"]
    conn = sqlite3.connect(store_path)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("UPDATE documents SET title = 'Raqqa shelled' WHERE id = 'fts0001'")
    conn.commit()
    assert _search(store_path, "title:Raqqa") == ["fts0001"]
    conn.execute("DELETE FROM documents WHERE id = 'fts0001'")
    conn.commit()
    conn.close()
    assert _search(store_path, "Kobani") == []


def test_old_store_gets_fts_and_views(tmp_path: Path) -> None:
    old = tmp_path / "older.db"
    conn = sqlite3.connect(old, isolation_level=None)
    migrate(conn, target=5, path=old)  # a store written before the FTS migration
    doc = make_extraction_a().document
    conn.execute(
        "INSERT INTO documents (id, text, title, ingested_at) VALUES (?, ?, ?, '2020-01-01')",
        (doc.id, doc.text, doc.title),
    )
    conn.close()
    with StoreReader(old) as r:  # migrates: existing documents are indexed
        assert r.schema_version() >= 6
    assert _search(old, "Westminster") == [doc.id]
    conn = sqlite3.connect(old)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert {"documents_fts", "merged_events", "event_sources", "reference_events"} <= names


def test_merged_events_view_has_coordinates(store_path: Path) -> None:
    conn = sqlite3.connect(store_path)
    conn.row_factory = sqlite3.Row
    rows = [dict(r) for r in conn.execute("SELECT * FROM merged_events ORDER BY id")]
    conn.close()
    with StoreReader(store_path) as r:
        merged = r.merged_events()
    assert len(rows) == len(merged)
    west = next(r for r in rows if r["location"] == "Westminster")
    assert (west["latitude"], west["longitude"]) == (51.4995, -0.1248)
    assert west["fatalities_min"] == 4 and west["n_sources"] == 1
    assert west["date_start"] == "2017-03-22" and west["event_type"] == "Violence against civilians"


def test_sqlite_utils_sees_the_fts_table(store_path: Path) -> None:
    sqlite_utils = pytest.importorskip("sqlite_utils")
    db = sqlite_utils.Database(store_path)
    assert "documents_fts" in db.table_names(fts5=True)
    assert db["documents"].detect_fts() == "documents_fts"
    assert {"merged_events", "event_sources"} <= set(db.view_names())
    hits = list(db["documents"].search("Westminster", columns=["id"]))
    assert [h["id"] for h in hits] == [make_extraction_a().document.id]


def test_datasette_serves_the_store_and_searches(store_path: Path, tmp_path: Path) -> None:
    pytest.importorskip("datasette")
    from datasette.app import Datasette

    meta_path = tmp_path / "metadata.json"
    res = CliRunner().invoke(
        cli, ["--db", str(store_path), "datasette-metadata", "-o", str(meta_path)]
    )
    assert res.exit_code == 0, res.output
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    tables = meta["databases"]["fftrack"]["tables"]
    assert tables["documents"]["fts_table"] == "documents_fts"
    assert "latitude" in tables["merged_events"]["description"]
    assert meta["license"]
    assert "gdelt" in tables["reference_events"]["description"]
    assert "ACLED" in tables["reference_events"]["license"]

    async def go() -> None:
        ds = Datasette([str(store_path)], metadata=meta)
        r = await ds.client.get("/fftrack/documents.json?_search=Westminster&_shape=array")
        assert r.status_code == 200, r.text
        assert [d["id"] for d in r.json()] == [make_extraction_a().document.id]
        r = await ds.client.get("/fftrack/merged_events.json?_shape=array")
        assert r.status_code == 200
        assert any(e["latitude"] == 51.4995 for e in r.json())
        r = await ds.client.get("/fftrack/documents")
        assert r.status_code == 200 and "Source reports" in r.text  # the description

    asyncio.run(go())
