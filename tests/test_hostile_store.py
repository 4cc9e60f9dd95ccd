"""Hostile and broken input, second round: the store, the web app and the exporters.

A corrupt store file, a store on a read-only filesystem, two ingests of the same input
at once, a first page load that imports the resolvers from three threads, article text
carrying HTML into a KML balloon, and HEAD requests.
"""

from __future__ import annotations

import html
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest_web import XSS_IMG, build_sample_db
from defusedxml import ElementTree as DET
from helpers_robust import ROOT, cli_env, make_corpus, run_cli, write_jsonl

from fftrack.errors import StoreError
from fftrack.records import Document, Extraction
from fftrack.store import Query, Store
from fftrack.views import StoreReader

KML_NS = "{http://www.opengis.net/kml/2.2}"


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The web tests' hand-made store (five documents), closed, without -wal/-shm files."""
    return build_sample_db(tmp_path_factory.mktemp("hostile") / "sample.db")


def _python(script: str, *, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a fresh interpreter (nothing of fftrack imported yet)."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=cli_env(),
    )


def _one_line_error(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("fftrack: error: "), stderr
    return lines[0]


# -- 3: the map's first load imports the resolvers from several threads at once ----------

_THREE_IMPORTS = """
    import sys, threading
    from fftrack.views import StoreReader
    assert not any(m.startswith("fftrack.resolve") for m in sys.modules), "imported early"
    db = sys.argv[1] if len(sys.argv) > 1 else {db!r}
    calls = ["flows", "merged_events", "resolved_actors"]
    readers = [StoreReader(db) for _ in calls]
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(reader, name):
        barrier.wait()
        try:
            getattr(reader, name)()
        except BaseException as exc:
            errors.append(f"{{name}}: {{exc!r}}")

    threads = [threading.Thread(target=run, args=rc) for rc in zip(readers, calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    print(errors)
    sys.exit(1 if errors else 0)
"""

_THREE_REQUESTS = """
    import sys, threading
    from fastapi.testclient import TestClient
    from fftrack.web import create_app
    urls = ["/api/events.geojson?merged=true", "/api/timeline?merged=true",
            "/api/flows.geojson", "/api/events?merged=true", "/api/actors", "/api/flows"]
    barrier = threading.Barrier(len(urls))
    answers = {{}}
    with TestClient(create_app({db!r})) as client:
        def get(url):
            barrier.wait()
            answers[url] = client.get(url).status_code
        threads = [threading.Thread(target=get, args=(u,)) for u in urls]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    print(answers)
    sys.exit(0 if sorted(answers.values()) == [200] * len(urls) else 1)
"""


def test_concurrent_first_imports_in_a_fresh_process(sample_db: Path) -> None:
    """Three readers calling flows / merged_events / resolved_actors at once, first thing
    in a fresh process: no import deadlock (it failed 8 runs of 8 before)."""
    for _ in range(3):
        res = _python(_THREE_IMPORTS.format(db=str(sample_db)))
        assert res.returncode == 0, res.stdout + res.stderr


def test_concurrent_first_requests_on_a_fresh_server(sample_db: Path) -> None:
    """The map page's first requests, all at once on a fresh app: every one answers 200."""
    for _ in range(3):
        res = _python(_THREE_REQUESTS.format(db=str(sample_db)))
        assert res.returncode == 0, res.stdout + res.stderr


# -- 5: a corrupt store ------------------------------------------------------------------


def _damage(db: Path) -> None:
    """Overwrite the root pages of the events and actors tables (and one index, and the
    map's slim copy of the events) with junk, as a disk or a careless copy would: the
    schema page survives, so the file opens."""
    con = sqlite3.connect(db)
    try:
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
        roots = dict(
            con.execute(
                "SELECT name, rootpage FROM sqlite_master WHERE name IN "
                "('events', 'actors', 'events_date', 'event_map')"
            ).fetchall()
        )
    finally:
        con.close()
    assert len(roots) == 4 and all(p > 1 for p in roots.values()), roots
    with db.open("r+b") as fh:
        for n, page in enumerate(sorted(roots.values())):
            fh.seek((page - 1) * page_size)
            fh.write(bytes((n * 37 + i * 101) % 251 for i in range(page_size)))


@pytest.fixture
def damaged(sample_db: Path, tmp_path: Path) -> Path:
    db = tmp_path / "damaged.db"
    shutil.copy(sample_db, db)
    _damage(db)
    return db


def test_damaged_store_reads_raise_store_error(damaged: Path) -> None:
    with StoreReader(damaged) as reader:
        calls = (reader.events, reader.actors, reader.merged_events, reader.resolved_actors)
        for call in (*calls, reader.stats):
            with pytest.raises(StoreError, match="damaged"):
                call()  # type: ignore[operator]
        assert len(reader.movements(Query())) == 3  # what is intact still reads


@pytest.mark.parametrize("command", ["events", "actors"])
def test_damaged_store_cli_one_line_error(damaged: Path, command: str) -> None:
    res = run_cli("--db", str(damaged), command)
    assert res.returncode == 1, (res.returncode, res.stdout, res.stderr)
    assert "damaged" in _one_line_error(res.stderr)


def test_damaged_store_api_answers_503(damaged: Path) -> None:
    from fastapi.testclient import TestClient

    from fftrack.web import create_app

    with TestClient(create_app(damaged), raise_server_exceptions=False) as client:
        for url in ("/api/events", "/api/actors", "/api/events.geojson?merged=true"):
            r = client.get(url)
            assert r.status_code == 503, (url, r.status_code, r.text)
            body = r.json()
            assert body["status"] == 503 and "damaged" in body["detail"], body


def test_damaged_store_refuses_writes(damaged: Path, tmp_path: Path) -> None:
    before = damaged.read_bytes()
    with pytest.raises(StoreError, match="damaged"):
        Store.open(damaged)
    src = write_jsonl(tmp_path / "docs.jsonl", make_corpus(2, seed=5))
    res = run_cli("--db", str(damaged), "ingest", str(src))
    assert res.returncode == 1, (res.returncode, res.stdout, res.stderr)
    assert "damaged" in _one_line_error(res.stderr)
    assert damaged.read_bytes() == before  # not one byte written
    wal = Path(str(damaged) + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_cli_maps_any_sqlite_database_error_to_one_line(capsys: pytest.CaptureFixture) -> None:
    from fftrack.cli import run_guarded

    def body() -> int:
        raise sqlite3.DatabaseError("database disk image is malformed")

    with pytest.raises(SystemExit) as exit_info:
        run_guarded(body)
    assert exit_info.value.code == 1
    line = _one_line_error(capsys.readouterr().err)
    assert "malformed" in line


# -- 10: a store on a read-only filesystem -----------------------------------------------


def _read_only_copy(sample_db: Path, where: Path) -> Path:
    where.mkdir()
    db = where / "ro.db"
    shutil.copy(sample_db, db)
    return db


_READ_STATS = """
    import json, sys
    from fftrack.errors import StoreError
    from fftrack.views import StoreReader
    try:
        with StoreReader(sys.argv[1]) as r:
            print(json.dumps({"ok": r.stats(), "events": len(r.events())}))
    except StoreError as exc:
        print(json.dumps({"error": str(exc)}))
"""


def _run_reader(argv: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, capture_output=True, text=True, timeout=120, cwd=ROOT, env=cli_env()
    )


def _read_in_read_only_dir(folder: Path, db: Path, how: str) -> dict[str, Any]:
    """Open ``db`` with a StoreReader (in a child process) while ``folder`` cannot be
    written to, and return what it read or the StoreError it gave.

    ``chmod``: the folder 0o555, the file 0o444. Root ignores modes, so as root the child
    runs in a new user namespace without a uid mapping (``unshare -U``), where it is
    nobody and the modes hold. ``ro-mount``: the folder bind-mounted read-only in a new
    user and mount namespace (``unshare -rm``), so writes fail with EROFS as on a
    read-only medium.
    """
    script = textwrap.dedent(_READ_STATS)
    python = [sys.executable, "-c", script, str(db)]
    unshare = shutil.which("unshare")
    if how == "chmod":
        prefix: list[str] = []
        if os.geteuid() == 0:
            if unshare is None or _run_reader([unshare, "-U", "true"]).returncode != 0:
                pytest.skip("running as root, and no user namespace to drop root in")
            prefix = [unshare, "-U"]
        db.chmod(0o444)
        folder.chmod(0o555)
        try:
            res = _run_reader([*prefix, *python])
        finally:
            folder.chmod(0o755)
            db.chmod(0o644)
    else:
        mount = f"mount --bind '{folder}' '{folder}' && mount -o remount,bind,ro '{folder}'"
        if unshare is None or _run_reader([unshare, "-rm", "sh", "-c", mount]).returncode != 0:
            pytest.skip("no user and mount namespace here to mount a folder read-only")
        inner = f'{mount} && ! touch \'{folder}/probe\' 2>/dev/null && exec "$0" "$@"'
        res = _run_reader([unshare, "-rm", "sh", "-c", inner, *python])
    assert res.returncode == 0, res.stdout + res.stderr
    assert not list(folder.glob("*-shm")), "nothing was written there"
    return json.loads(res.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


READ_ONLY_WAYS = ["chmod", "ro-mount"]


@pytest.mark.parametrize("how", READ_ONLY_WAYS)
def test_read_only_store_can_be_read(sample_db: Path, tmp_path: Path, how: str) -> None:
    folder = tmp_path / "ro"
    db = _read_only_copy(sample_db, folder)
    with StoreReader(sample_db) as r:
        expected = r.stats()
    got = _read_in_read_only_dir(folder, db, how)
    assert not list(folder.glob("*-wal"))
    assert "error" not in got, got
    assert got["ok"] == expected and got["events"] == expected["events"]


@pytest.mark.parametrize("how", READ_ONLY_WAYS)
def test_read_only_store_with_unmerged_wal_says_why(
    sample_db: Path, tmp_path: Path, how: str
) -> None:
    """A read-only copy whose -wal still holds writes (no -shm beside it) cannot be read
    consistently: the error says so, instead of 'is not an fftrack store'."""
    live = tmp_path / "live.db"
    shutil.copy(sample_db, live)
    writer = sqlite3.connect(live, isolation_level=None)
    try:
        writer.execute("PRAGMA journal_mode = WAL")
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute("UPDATE documents SET title = title || ' (updated)'")
        folder = tmp_path / "ro"
        folder.mkdir()
        db = folder / "ro.db"
        shutil.copy(live, db)
        shutil.copy(Path(str(live) + "-wal"), Path(str(db) + "-wal"))
    finally:
        writer.close()
    assert Path(str(db) + "-wal").stat().st_size > 0
    got = _read_in_read_only_dir(folder, db, how)
    assert "error" in got, got
    message = got["error"]
    assert "read-only" in message and "-wal" in message, message
    assert "not an fftrack store" not in message


# -- 11: two ingests of the same input count every document once --------------------------


def _jsonl_docs(path: Path, n: int) -> list[dict[str, str]]:
    docs = make_corpus(n, seed=31)
    write_jsonl(path, docs)
    with path.open("a", encoding="utf-8") as fh:
        fh.write("{not json\n")  # a bad line: a failure, not a document
    return docs


def test_two_ingests_of_the_same_input_count_every_document_once(tmp_path: Path) -> None:
    """While this run extracts a batch, another writer stores the same documents: they
    are counted as skipped, so read == skipped + stored + failed documents."""
    from fftrack.runner import run_ingest

    src = tmp_path / "docs.jsonl"
    docs = _jsonl_docs(src, 12)
    db = tmp_path / "store.db"
    other = Store.open(db)
    fail_id = docs[5]["id"]

    def extract(
        batch: list[Document],
    ) -> Iterator[tuple[Document, Extraction | None, Exception | None]]:
        # the other writer gets every second document of the batch in first
        other.write([Extraction(d) for d in batch[::2]])
        for d in batch:
            if d.id == fail_id:
                yield d, None, RuntimeError("boom")
            else:
                yield d, Extraction(d), None

    try:
        with Store.open(db) as store:
            report = run_ingest([src], store=store, extract=extract, batch_size=4, cluster=False)
            again = run_ingest([src], store=store, extract=extract, batch_size=4, cluster=False)
    finally:
        other.close()
    failed_docs = [f for f in report.failed if f.reason.startswith("extraction failed")]
    assert report.read == 12
    assert len(report.failed) == 2 and len(failed_docs) == 1  # the bad line + the crash
    assert report.read == report.skipped + report.stored["documents"] + len(failed_docs), (
        report.to_dict()
    )
    assert report.skipped == 6  # every second of each batch of 4, stored by the other
    assert report.stored["documents"] == 5
    assert report.failed_documents == 1 and report.to_dict()["failed_documents"] == 1
    assert again.read == 12 and again.skipped == 11 and again.stored["documents"] == 0
    assert again.failed_documents == 1  # the crash again
    with StoreReader(db) as r:
        assert r.stats()["documents"] == 12


# -- 13: KML descriptions carry no live markup --------------------------------------------


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_kml_description_has_no_live_markup() -> None:
    from fftrack.export import write_rows

    evil = f"Fighters {XSS_IMG} entered ]]> <script>alert(1)</script> &amp; Raqqa."
    row = {
        "id": "ev1",
        "event_type": "Battles",
        "place": {"name": "Raqqa", "lat": 35.95, "lon": 39.01},
        "lat": 35.95,
        "lon": 39.01,
        "sources": [
            {
                "source": "Wire <b>A</b>",
                "published": "2017-06-05",
                "url": "https://example.org/a?x=1&y=<i>",
                "sentence": evil,
            }
        ],
    }
    buf = io.StringIO()
    write_rows([row], "kml", buf, "events")
    root = DET.fromstring(buf.getvalue().encode("utf-8"))
    (pm,) = root.iter(f"{KML_NS}Placemark")
    desc = pm.find(f"{KML_NS}description").text or ""  # as an XML parser reads it
    viewer = _Markup()  # as a KML viewer then renders it: HTML
    viewer.feed(desc)
    viewer.close()
    assert all(tag == "br" and not attrs for tag, attrs in viewer.tags), viewer.tags
    shown = "".join(viewer.text)
    assert evil in shown and "Wire <b>A</b>" in shown, shown
    assert html.unescape(desc).count("<script>") == 1  # the text itself survives


# -- 14: HEAD is GET without a body -------------------------------------------------------


def test_head_answers_like_get_without_a_body(sample_db: Path) -> None:
    from fastapi.routing import APIRoute
    from fastapi.testclient import TestClient

    from fftrack.web import create_app

    app = create_app(sample_db)
    with StoreReader(sample_db) as r:
        event_id = r.events()[0]["id"]
    paths = []
    for route in app.routes:
        if isinstance(route, APIRoute) and "GET" in route.methods:
            path = route.path.replace("{record_id}", event_id)
            path = path.replace("{package}/{path:path}", "leaflet/dist/leaflet.js")
            paths.append(path)
    paths += ["/static/app.js", "/openapi.json", "/api/events?since=nonsense", "/no/such/page"]
    assert "/api/events" in paths and "/" in paths
    with TestClient(app) as client:
        for path in paths:
            get = client.get(path)
            head = client.head(path)
            assert head.status_code == get.status_code, (path, head.status_code, head.text)
            assert head.content == b"", path
            assert head.headers.get("content-type") == get.headers.get("content-type"), path
            if "content-length" in get.headers:
                assert head.headers["content-length"] == get.headers["content-length"], path
            if "etag" in get.headers:
                assert head.headers["etag"] == get.headers["etag"], path
