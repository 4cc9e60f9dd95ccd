"""Hostile and broken input, second round (issue 14, ingest side).

Short texts written here; no network (a loopback http.server only); no language model
(the store is filled through a stand-in extractor that finds nothing).
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from fftrack import cli as cli_module
from fftrack.config import Config
from fftrack.ingest import ReadFailure, iter_documents, read_file
from fftrack.ingest.base import ReadWarning
from fftrack.records import Document, Extraction
from fftrack.runner import is_url, iter_inputs, run_ingest
from fftrack.store import Store

ZURICH = "Fighting was reported near Zürich on Tuesday, officials said."
MOSUL = "Iraqi forces entered the old city of Mosul in July 2017."


def _line(record: dict[str, object]) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"


def _docs(items: list[Document | ReadFailure]) -> list[Document]:
    return [i for i in items if isinstance(i, Document)]


def _fails(items: list[Document | ReadFailure]) -> list[ReadFailure]:
    return [i for i in items if isinstance(i, ReadFailure)]


def _nothing_found(
    docs: list[Document],
) -> Iterator[tuple[Document, Extraction | None, Exception | None]]:
    """A stand-in for the pipeline: every document read, nothing extracted."""
    for d in docs:
        yield d, Extraction(document=d), None


def _ingest(inputs: list[str | Path], db: Path, **kw: object):
    config = kw.pop("config", None) or Config(db=db)
    with Store.open(db) as store:
        return run_ingest(
            inputs,
            store=store,
            config=config,  # type: ignore[arg-type]
            extract=_nothing_found,
            cluster=False,
            **kw,  # type: ignore[arg-type]
        )


class _FakePipeline:
    def __init__(self, config: Config) -> None:
        self.config = config

    def process_safe(self, docs: list[Document]):
        return _nothing_found(docs)


def _cli(args: list[str], monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(cli_module, "make_pipeline", _FakePipeline)
    return CliRunner().invoke(cli_module.cli, args, catch_exceptions=False)


# -- item 2: one bad byte must not re-decode (and change) the good lines ---------------------


def _broken_jsonl(path: Path) -> Path:
    path.write_bytes(
        _line({"text": ZURICH})
        + b'{"text": "A stray \xff byte in this line."}\n'
        + _line({"text": MOSUL, "id": "m1"})
    )
    return path


def test_jsonl_bad_byte_fails_its_line_and_keeps_good_text(tmp_path: Path) -> None:
    items = list(read_file(_broken_jsonl(tmp_path / "z.jsonl")))
    assert [d.text for d in _docs(items)] == [ZURICH, MOSUL]
    (fail,) = _fails(items)
    assert fail.line == 2 and "not valid UTF-8" in fail.reason and "0xff" in fail.reason


def test_jsonl_bad_byte_in_gzip_and_under_an_unknown_extension(tmp_path: Path) -> None:
    import gzip

    data = _broken_jsonl(tmp_path / "z.jsonl").read_bytes()
    (tmp_path / "z.jsonl.gz").write_bytes(gzip.compress(data, mtime=0))
    (tmp_path / "z.dump").write_bytes(data)  # sniffed as JSON Lines
    for name in ("z.jsonl.gz", "z.dump"):
        items = list(read_file(tmp_path / name))
        assert [d.text for d in _docs(items)] == [ZURICH, MOSUL], name
        assert [f.line for f in _fails(items)] == [2], name


def test_reingesting_the_corrected_file_stores_nothing_twice(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    broken = _broken_jsonl(tmp_path / "in.jsonl")
    first = _ingest([broken], db)
    assert first.stored["documents"] == 2 and [f.line for f in first.failed] == [2]
    broken.write_bytes(broken.read_bytes().replace(b"\xff", b"x"))  # the user fixes line 2
    again = _ingest([broken], db)
    assert again.skipped == 2 and again.stored["documents"] == 1 and not again.failed


def test_guessed_encoding_is_a_reported_warning(tmp_path: Path) -> None:
    latin = "Réfugiés à Zürich: les combattants sont partis de Raqqa vers la vallée."
    (tmp_path / "latin1.txt").write_bytes(latin.encode("latin-1"))
    (tmp_path / "good.txt").write_text(ZURICH, encoding="utf-8")
    warnings: list[ReadWarning] = []
    items = list(iter_documents([tmp_path], warn=warnings.append))
    assert sorted(d.text for d in _docs(items)) == sorted([latin, ZURICH])
    assert [(Path(w.source).name, w.line) for w in warnings] == [("latin1.txt", None)]
    assert "cp1252" in warnings[0].reason and "guessed" in warnings[0].reason
    report = _ingest([tmp_path], tmp_path / "s.db")
    assert [Path(w.source).name for w in report.warnings] == ["latin1.txt"]
    assert report.to_dict()["warnings"] == [w.to_dict() for w in report.warnings]
    assert not report.failed


def test_warnings_are_in_the_cli_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "latin1.txt"
    src.write_bytes("Réfugiés à Zürich, selon le ministère, après la bataille.".encode("latin-1"))
    res = _cli(["--db", str(tmp_path / "s.db"), "ingest", str(src)], monkeypatch)
    assert res.exit_code == 0, res.output
    assert "warnings: 1" in res.output and f"{src}: not UTF-8" in res.output


def test_mostly_utf8_text_keeps_its_good_characters(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_bytes(ZURICH.encode("utf-8") + b" One stray byte: \xff.")
    warnings: list[ReadWarning] = []
    (doc,) = list(read_file(p, warn=warnings.append))
    assert isinstance(doc, Document)
    assert ZURICH in doc.text and "Ã" not in doc.text and "\ufffd" in doc.text
    (w,) = warnings
    assert "replaced" in w.reason


def test_good_utf8_gives_no_warning(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ZURICH, encoding="utf-8")
    (tmp_path / "b.jsonl").write_bytes(_line({"text": ZURICH}))
    warnings: list[ReadWarning] = []
    items = list(iter_documents([tmp_path], warn=warnings.append))
    assert [d.text for d in _docs(items)] == [ZURICH, ZURICH] and not warnings


# -- item 6: a folder nested 1,500 deep -----------------------------------------------------


@pytest.fixture
def deep_folder(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder nested 1,500 levels deep, and its bottom folder; removed bottom-up
    afterwards (shutil.rmtree, which pytest cleans up with, recurses too)."""
    deep = tmp_path / "deep"
    path = str(deep)
    os.mkdir(path)
    for _ in range(1500):  # os.makedirs itself recurses
        path = os.path.join(path, "d")
        os.mkdir(path)
    try:
        yield deep, path
    finally:
        for name in os.listdir(path):
            os.unlink(os.path.join(path, name))
        while path != str(deep):
            os.rmdir(path)
            path = os.path.dirname(path)
        os.rmdir(path)


def test_deep_folder_is_walked_and_the_next_input_read(
    tmp_path: Path, deep_folder: tuple[Path, str]
) -> None:
    deep, bottom = deep_folder
    Path(bottom, "bottom.txt").write_text(MOSUL, encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text(ZURICH, encoding="utf-8")
    items = list(iter_documents([deep, good]))
    assert [d.text for d in _docs(items)] == [MOSUL, ZURICH] and not _fails(items)


def test_walk_is_lazy(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "x.txt").write_text(f"Report {name}.", encoding="utf-8")
    it = iter_documents([tmp_path])
    first = next(it)
    assert isinstance(first, Document) and first.text == "Report a."
    (tmp_path / "b" / "x.txt").write_text("Changed after the walk began.", encoding="utf-8")
    assert [d.text for d in _docs(list(it))] == ["Changed after the walk began."]


# -- item 7: one NUL byte loses one line, not the file --------------------------------------


def test_nul_byte_fails_its_line_only(tmp_path: Path) -> None:
    p = tmp_path / "n.jsonl"
    p.write_bytes(
        _line({"text": ZURICH}) + b'{"text": "a NUL \x00 here"}\n' + _line({"text": MOSUL})
    )
    items = list(read_file(p))
    assert [d.text for d in _docs(items)] == [ZURICH, MOSUL]
    (fail,) = _fails(items)
    assert fail.line == 2 and "NUL" in fail.reason


def test_binary_named_jsonl_is_one_failure(tmp_path: Path) -> None:
    p = tmp_path / "img.jsonl"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    assert [str(i) for i in read_file(p)] == [f"{p}: binary file"]


# -- item 9 and 14: URLs read by the same rules as files --------------------------------------

JSONL_BODY = (
    _line({"text": ZURICH})
    + b"{not json\n"
    + b'{"text": "stray \xff"}\n'
    + _line({"text": MOSUL})
    + b"[" * 100_000
    + b"\n"
)


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        ctype = "application/x-ndjson" if self.path == "/lines" else "application/octet-stream"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(JSONL_BODY)))
        self.end_headers()
        self.wfile.write(JSONL_BODY)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def _loopback(tmp_path: Path) -> Config:
    return Config(db=tmp_path / "s.db", allow_private=True, fetch_timeout=5.0)


@pytest.mark.parametrize("path", ["/lines", "/dump.jsonl"], ids=["ndjson-type", "jsonl-name"])
def test_bad_lines_from_a_url_are_failures_like_in_a_file(
    server: str, tmp_path: Path, path: str
) -> None:
    url = f"http://{server}{path}"
    (tmp_path / "same.jsonl").write_bytes(JSONL_BODY)
    from_url = list(iter_inputs([url], _loopback(tmp_path)))
    from_file = list(read_file(tmp_path / "same.jsonl"))
    assert (
        [d.text for d in _docs(from_url)]
        == [d.text for d in _docs(from_file)]
        == [
            ZURICH,
            MOSUL,
        ]
    )
    assert all(d.url == url for d in _docs(from_url))
    assert [(f.source, f.line) for f in _fails(from_url)] == [(url, 2), (url, 3), (url, 5)]
    assert [(f.line, f.reason) for f in _fails(from_url)] == [
        (f.line, f.reason) for f in _fails(from_file)
    ]
    report = _ingest([url], tmp_path / "s.db", config=_loopback(tmp_path))
    assert len(report.failed) == 3 and report.stored["documents"] == 2


def test_url_scheme_is_case_insensitive(server: str, tmp_path: Path) -> None:
    url = f"HTTP://{server}/lines"
    assert is_url(url) and is_url("Https://example.org/x") and not is_url("report.txt")
    items = list(iter_inputs([url], _loopback(tmp_path)))
    assert len(_docs(items)) == 2


def test_file_url_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "s.db"
    res = _cli(["--db", str(db), "ingest", "file:///etc/passwd"], monkeypatch)
    assert res.exit_code == 2
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "unsupported URL scheme 'file'" in lines[0], res.output
    assert lines[0].startswith("fftrack: error: ")
    # the library, given one among other inputs, reports it and goes on
    good = tmp_path / "good.txt"
    good.write_text(ZURICH, encoding="utf-8")
    items = list(iter_inputs(["FTP://example.org/x", good], Config(db=db)))
    assert [type(i).__name__ for i in items] == ["ReadFailure", "Document"]
    assert "unsupported URL scheme 'ftp'" in items[0].reason  # type: ignore[union-attr]


def test_uppercase_url_passes_the_cli_path_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # taken for a URL (then refused as private by default), not "no such file or folder"
    res = _cli(["--db", str(tmp_path / "s.db"), "ingest", "HTTP://127.0.0.1:9/x"], monkeypatch)
    assert "no such file" not in res.output
    assert res.exit_code == 1 and "non-public address" in res.output


# -- item 12: symbolic links out of the folder -----------------------------------------------


def _linked_folder(tmp_path: Path) -> Path:
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0:root:/root:/bin/bash", encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "report.txt").write_text(ZURICH, encoding="utf-8")
    (folder / "passwd_link.txt").symlink_to(outside)
    (folder / "inside_link.txt").symlink_to(folder / "report.txt")
    (folder / "sub").mkdir()
    (folder / "sub" / "m.txt").write_text(MOSUL, encoding="utf-8")
    (folder / "outer_dir").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "far.txt").write_text("Far away report.", encoding="utf-8")
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    return folder


def test_symlink_out_of_the_folder_is_skipped_and_reported(tmp_path: Path) -> None:
    folder = _linked_folder(tmp_path)
    warnings: list[ReadWarning] = []
    items = list(iter_documents([folder], warn=warnings.append))
    texts = [d.text for d in _docs(items)]
    assert texts == [ZURICH, ZURICH, MOSUL] and not _fails(items)  # inside link read
    assert all("root:" not in t for t in texts)
    skipped = sorted(Path(w.source).name for w in warnings)
    assert skipped == ["outer_dir", "passwd_link.txt"]
    assert all("symlink outside the input folder" in w.reason for w in warnings)


def test_follow_links_reads_them_and_a_loop_ends(tmp_path: Path) -> None:
    folder = _linked_folder(tmp_path)
    warnings: list[ReadWarning] = []
    items = list(iter_documents([folder], follow_links=True, warn=warnings.append))
    texts = [d.text for d in _docs(items)]
    assert "Far away report." in texts and any("root:" in t for t in texts)
    assert not warnings and not _fails(items)


def test_follow_links_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _linked_folder(tmp_path)
    res = _cli(["--db", str(tmp_path / "a.db"), "ingest", "--json", str(folder)], monkeypatch)
    assert res.exit_code == 0, res.output
    report = json.loads(res.output)
    assert report["stored"]["documents"] == 2  # report.txt (and its inside link), m.txt
    reasons = {Path(w["source"]).name: w["reason"] for w in report["warnings"]}
    assert set(reasons) == {"passwd_link.txt", "outer_dir"}
    res = _cli(
        ["--db", str(tmp_path / "b.db"), "ingest", "--json", "--follow-links", str(folder)],
        monkeypatch,
    )
    assert res.exit_code == 0, res.output
    report = json.loads(res.output)
    assert report["stored"]["documents"] == 4 and report["warnings"] == []


# -- item 14: SVG named .html, deeply nested JSON ----------------------------------------------


def test_svg_named_html_is_a_clean_failure(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    p = tmp_path / "logo.html"
    p.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
        'width="10" height="10"><title>t</title><text x="1" y="1">Raqqa</text></svg>',
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING):
        items = list(read_file(p))
    assert [str(i) for i in items] == [f"{p}: not an HTML page (an <svg> document)"]
    assert not [r for r in caplog.records if r.exc_info]


def test_trafilatura_failure_is_logged_without_traceback(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from fftrack.ingest import html

    def boom(markup: str, url: str | None) -> None:
        raise AssertionError("parent is None")

    monkeypatch.setattr(html, "_trafilatura", boom)
    with caplog.at_level(logging.WARNING):
        (doc,) = list(html.read_html("<html><body><p>Raqqa fell.</p></body></html>", "x.html"))
    assert isinstance(doc, Document) and doc.text == "Raqqa fell."
    assert not [r for r in caplog.records if r.exc_info]
    assert any("trafilatura failed (AssertionError" in r.getMessage() for r in caplog.records)


def test_deeply_nested_json_line_is_a_failed_line(tmp_path: Path) -> None:
    p = tmp_path / "deep.jsonl"
    p.write_bytes(b"[" * 100_000 + b"\n" + b'{"text": "a", "x": ' + b"[" * 100_000 + b"\n")
    with p.open("ab") as fh:
        fh.write(_line({"text": MOSUL}))
    items = list(read_file(p))
    assert [d.text for d in _docs(items)] == [MOSUL]
    assert [f.line for f in _fails(items)] == [1, 2]
    (tmp_path / "deep.json").write_bytes(b"[" * 100_000)
    (fail,) = list(read_file(tmp_path / "deep.json"))
    assert isinstance(fail, ReadFailure) and "invalid JSON" in fail.reason
