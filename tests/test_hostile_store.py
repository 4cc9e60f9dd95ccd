"""Hostile and broken input, second round: the store, the web app and the exporters.

A corrupt store file, a store on a read-only filesystem, two ingests of the same input
at once, a first page load that imports the resolvers from three threads, article text
carrying HTML into a KML balloon, and HEAD requests.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest_web import build_sample_db
from helpers_robust import ROOT, cli_env

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
    from fftrack.store import StoreReader
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
