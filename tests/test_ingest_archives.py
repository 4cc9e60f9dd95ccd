"""Inputs at archive scale: .zst files, WARC files, CSV news exports, large folders."""

from __future__ import annotations

import gzip
import io
import os
from pathlib import Path

import pytest
import zstandard
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from fftrack.ingest import ReadFailure, dispatch, iter_documents, read_file
from fftrack.records import Document

PAGE = (
    "<html><head><title>{title}</title>"
    '<meta property="article:published_time" content="2017-06-0{n}"></head>'
    "<body><article><p>{body}</p></article></body></html>"
)
BODY = (
    "Fighters of the Islamic State attacked the town of Tal Afar on Sunday, killing at "
    "least {n}2 people, officials said. The group moved hundreds of fighters from Mosul."
)


def _items(path: Path, **kw: object) -> tuple[list[Document], list[ReadFailure]]:
    items = list(read_file(path, **kw))  # type: ignore[arg-type]
    return (
        [i for i in items if isinstance(i, Document)],
        [i for i in items if isinstance(i, ReadFailure)],
    )


# --- zstd -------------------------------------------------------------------------


def _zst(data: bytes) -> bytes:
    return zstandard.ZstdCompressor().compress(data)


def test_jsonl_zst_is_read_like_gz(tmp_path: Path) -> None:
    lines = b'{"id": "a", "text": "Shelling in Aleppo."}\n{"text": "Fighting in Idlib."}\n'
    (tmp_path / "dump.jsonl.zst").write_bytes(_zst(lines))
    (tmp_path / "dump.jsonl.gz").write_bytes(gzip.compress(lines))
    zdocs, zfail = _items(tmp_path / "dump.jsonl.zst")
    gdocs, _ = _items(tmp_path / "dump.jsonl.gz")
    assert not zfail
    assert [d.id for d in zdocs] == [d.id for d in gdocs]
    assert zdocs[0].id == "a" and zdocs[1].text == "Fighting in Idlib."
    assert zdocs[1].origin == f"{tmp_path / 'dump.jsonl.zst'}:2"


def test_txt_and_html_zst(tmp_path: Path) -> None:
    (tmp_path / "note.txt.zst").write_bytes(_zst(b"Title\n\nClashes were reported in Raqqa."))
    page = PAGE.format(title="Raid", n=4, body=BODY.format(n=1)).encode()
    (tmp_path / "page.html.zst").write_bytes(_zst(page))
    (tmp_path / "two-frames.txt.zst").write_bytes(_zst(b"Clashes in ") + _zst(b"Deir ez-Zor."))
    docs, fails = _items(tmp_path / "note.txt.zst")
    assert not fails and "Raqqa" in docs[0].text
    docs, fails = _items(tmp_path / "page.html.zst")
    assert not fails and "Tal Afar" in docs[0].text and docs[0].title == "Raid"
    docs, fails = _items(tmp_path / "two-frames.txt.zst")
    assert not fails and docs[0].text == "Clashes in Deir ez-Zor."


def test_zstd_bomb_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.jsonl.zst"
    bomb.write_bytes(_zst(b"\n" * 5_000_000))
    assert bomb.stat().st_size < 10_000
    docs, fails = _items(bomb, max_bytes=1_000_000)
    assert not docs
    assert len(fails) == 1 and "too large" in fails[0].reason and "decompressed" in fails[0].reason


@pytest.mark.parametrize("cut", ["truncated", "corrupt", "trailing"])
def test_corrupt_zstd_is_a_failure(tmp_path: Path, cut: str) -> None:
    data = _zst(b'{"text": "Shelling in Aleppo."}\n' * 200)
    bad = {
        "truncated": data[: len(data) // 2],
        "corrupt": data[:8] + b"\xff" * 16 + data[24:],
        "trailing": data + b"not zstd at all",
    }[cut]
    (tmp_path / "bad.jsonl.zst").write_bytes(bad)
    docs, fails = _items(tmp_path / "bad.jsonl.zst")
    assert not docs
    assert len(fails) == 1 and fails[0].reason.startswith("corrupt zstd data")


# --- WARC -------------------------------------------------------------------------


def _warc(path: Path, *, gz: bool, pages: int = 2, extra: bool = True) -> list[int]:
    """A WARC with ``pages`` HTML responses (plus, with ``extra``, a request, an image and
    a metadata record); the byte offset of each record."""
    offsets = []
    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=gz)

        def write(rec: object) -> None:
            offsets.append(fh.tell())
            w.write_record(rec)

        for n in range(1, pages + 1):
            html = PAGE.format(title=f"Report {n}", n=n, body=BODY.format(n=n)).encode()
            http = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            uri = f"https://news.example.org/2017/report-{n}"
            write(
                w.create_warc_record(uri, "response", payload=io.BytesIO(html), http_headers=http)
            )
            if extra and n == 1:
                write(
                    w.create_warc_record(
                        uri, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
                    )
                )
                png = StatusAndHeaders(
                    "200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1"
                )
                write(
                    w.create_warc_record(
                        uri + ".png",
                        "response",
                        payload=io.BytesIO(b"\x89PNG\r\n\x1a\n"),
                        http_headers=png,
                    )
                )
                write(w.create_warc_record(uri, "metadata", payload=io.BytesIO(b"via: test\r\n")))
    return offsets


@pytest.mark.parametrize("gz", [False, True])
def test_warc_responses_become_documents(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    offsets = _warc(path, gz=gz)
    docs, fails = _items(path)
    assert not fails
    assert len(docs) == 2  # the request, the image and the metadata passed over
    first, second = docs
    assert first.url == "https://news.example.org/2017/report-1"
    assert "Tal Afar" in first.text and first.title == "Report 1"
    assert first.published is not None and first.published.isoformat() == "2017-06-01"
    assert first.origin == f"{path}@{offsets[0]}"
    assert second.origin == f"{path}@{offsets[4]}"
    # deterministic, from the record: the same file read again gives the same ids
    again, _ = _items(path)
    assert [d.id for d in again] == [d.id for d in docs] and first.id != second.id


def test_warc_date_is_not_the_publication_date(tmp_path: Path) -> None:
    path = tmp_path / "undated.warc"
    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=False)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        html = b"<html><body><p>" + BODY.format(n=3).encode() + b"</p></body></html>"
        w.write_record(
            w.create_warc_record(
                "https://x.example/a", "response", payload=io.BytesIO(html), http_headers=http
            )
        )
    docs, fails = _items(path)
    assert not fails and len(docs) == 1 and docs[0].published is None


@pytest.mark.parametrize("gz", [False, True])
def test_broken_warc_record_is_reported_and_the_rest_read(tmp_path: Path, gz: bool) -> None:
    good = tmp_path / "good.warc"
    offsets = _warc(good, gz=gz, pages=3, extra=False)
    data = bytearray(good.read_bytes())
    at = offsets[1]
    if gz:
        data[at + 20 : at + 60] = b"\x00" * 40  # inside the second record's gzip member
    else:
        data[at : at + 8] = b"WARX/9.9"  # the second record's first line
    path = tmp_path / ("broken.warc.gz" if gz else "broken.warc")
    path.write_bytes(bytes(data))
    docs, fails = _items(path)
    assert [d.url for d in docs] == [
        "https://news.example.org/2017/report-1",
        "https://news.example.org/2017/report-3",
    ]
    assert len(fails) == 1
    assert fails[0].source == str(path) and f"byte {at}" in fails[0].reason


@pytest.mark.parametrize("gz", [False, True])
def test_warc_record_with_a_wrong_length_does_not_swallow_the_rest(
    tmp_path: Path, gz: bool
) -> None:
    good = tmp_path / "good.warc"
    offsets = _warc(good, gz=gz, pages=3, extra=False)
    data = good.read_bytes()
    first, rest = data[: offsets[1]], data[offsets[1] :]
    if gz:
        first = gzip.decompress(first)
    head, sep, body = first.partition(b"\r\n\r\n")
    lines = [
        b"Content-Length: 999999" if line.startswith(b"Content-Length") else line
        for line in head.split(b"\r\n")
    ]
    first = b"\r\n".join(lines) + sep + body
    path = tmp_path / ("long.warc.gz" if gz else "long.warc")
    path.write_bytes((gzip.compress(first) if gz else first) + rest)
    docs, fails = _items(path)
    assert [d.url for d in docs][-2:] == [
        "https://news.example.org/2017/report-2",
        "https://news.example.org/2017/report-3",
    ]
    # a gzip member bounds its record, so only the plain WARC has a broken record to report
    assert [f.reason.split(":")[0] for f in fails] == (
        [] if gz else ["broken WARC record at byte 0"]
    )


def test_truncated_warc_keeps_what_came_before(tmp_path: Path) -> None:
    good = tmp_path / "good.warc"
    offsets = _warc(good, gz=False, pages=2, extra=False)
    path = tmp_path / "cut.warc"
    path.write_bytes(good.read_bytes()[: offsets[1] + 30])
    docs, fails = _items(path)
    assert len(docs) == 1 and len(fails) == 1 and f"byte {offsets[1]}" in fails[0].reason


def test_warc_is_not_limited_by_file_size(tmp_path: Path) -> None:
    path = tmp_path / "big.warc.gz"
    _warc(path, gz=True, pages=3, extra=False)
    limit = path.stat().st_size // 2  # the file is over the limit, each record under it
    docs, fails = _items(path, max_bytes=limit)
    assert not fails and len(docs) == 3


def test_empty_or_foreign_warc_is_a_failure(tmp_path: Path) -> None:
    (tmp_path / "empty.warc").write_bytes(b"")
    (tmp_path / "page.warc").write_bytes(b"<html><body><p>Not an archive.</p></body></html>")
    docs, fails = _items(tmp_path / "empty.warc")
    assert not docs and len(fails) == 1 and "empty" in fails[0].reason
    docs, fails = _items(tmp_path / "page.warc")
    assert not docs and len(fails) == 1 and "byte 0" in fails[0].reason


def test_warc_gzipped_whole_is_read_once(tmp_path: Path) -> None:
    plain = tmp_path / "plain.warc"
    _warc(plain, gz=False, pages=3)
    path = tmp_path / "whole.warc.gz"
    path.write_bytes(gzip.compress(plain.read_bytes()))
    docs, fails = _items(path)
    assert not fails
    assert [d.id for d in docs] == [d.id for d in _items(plain)[0]] and len(docs) == 3


def test_warc_line_without_end_is_not_held_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fftrack.ingest import warc

    monkeypatch.setattr(warc, "MAX_LINE", 200)
    data = b"WARC/1.0\r\nWARC-Type: " + b"x" * 5_000  # a line that never ends
    with io.BytesIO(data) as fh:
        reader = warc._iterator(fh).reader
        assert len(reader.readline()) == len(b"WARC/1.0\r\n")
        assert len(reader.readline()) == 200
    path = tmp_path / "endless.warc"
    path.write_bytes(data)
    docs, _ = _items(path)  # read to its end (warcio takes the rest for header lines)
    assert not docs


# --- CSV exports ------------------------------------------------------------------


def test_media_cloud_export_with_texts(tmp_path: Path) -> None:
    path = tmp_path / "mediacloud.csv"
    long_text = "Airstrikes hit Raqqa. " * 10_000  # over csv's default field limit
    path.write_text(
        "stories_id,publish_date,title,url,language,media_name,text\n"
        '101,2017-06-04 10:00:00,"Raid, at night",https://a.example/1,en,A News,"Shelling in Aleppo.\n'
        'Two were killed."\n'
        "102,2017-06-05,Second,https://a.example/2,en,A News,\n"
        f"103,2017-06-06,Third,https://a.example/3,en,A News,{long_text}\n",
        encoding="utf-8",
    )
    docs, fails = _items(path)
    assert [d.id for d in docs] == ["101", "103"]
    first = docs[0]
    assert first.title == "Raid, at night" and first.url == "https://a.example/1"
    assert first.published is not None and first.published.isoformat() == "2017-06-04"
    assert first.source == "A News" and first.text == "Shelling in Aleppo.\nTwo were killed."
    assert first.origin == f"{path}:2"
    assert len(fails) == 1 and fails[0].line == 4 and "'text' is empty" in fails[0].reason


def test_export_without_texts_is_one_clear_failure(tmp_path: Path) -> None:
    path = tmp_path / "stories.csv"
    path.write_text(
        "stories_id,publish_date,title,url\n1,2017-06-04,A,https://a.example/1\n",
        encoding="utf-8",
    )
    docs, fails = _items(path)
    assert not docs and len(fails) == 1
    assert "no article texts" in fails[0].reason and "fftrack ingest URL" in fails[0].reason


def test_gdelt_gkg_is_one_clear_failure(tmp_path: Path) -> None:
    row = "\t".join(
        ["20170604120000-42", "20170604120000", "1", "bbc.co.uk", "https://bbc.co.uk/x"] + [""] * 22
    )
    path = tmp_path / "20170604120000.gkg.csv"
    path.write_text(row + "\n" + row.replace("-42", "-43") + "\n", encoding="utf-8")
    docs, fails = _items(path)
    assert not docs and len(fails) == 1 and "GDELT GKG" in fails[0].reason


def test_other_csv_is_still_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_text("place,fighters\nMosul,800\nRaqqa,300\n", encoding="utf-8")
    docs, fails = _items(path)
    assert not fails and len(docs) == 1 and "Mosul,800" in docs[0].text


# --- folders ----------------------------------------------------------------------


def test_large_folder_is_streamed_not_sorted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dispatch, "SORTED_FOLDER_MAX", 5)
    big = tmp_path / "big"
    big.mkdir()
    for i in range(12):
        (big / f"{i:02d}.txt").write_text(f"Clashes were reported in town {i}.")
    small = tmp_path / "small"
    small.mkdir()
    for name in ("b.txt", "a.txt", "c.txt"):
        (small / name).write_text(f"Fighting near {name}.")
    walked = list(dispatch.walk_folder(big))
    assert sorted(p.name for p in walked) == sorted(os.listdir(big))  # every file, once
    assert [p.name for p in dispatch.walk_folder(small)] == ["a.txt", "b.txt", "c.txt"]
    docs = [d for d in iter_documents([big]) if isinstance(d, Document)]
    assert len(docs) == 12


# --- the CLI over a folder holding all of them -----------------------------------


def test_cli_ingests_a_folder_of_archives(
    tmp_path: Path, pipeline: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from click.testing import CliRunner

    from fftrack import cli as cli_module

    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "dump.jsonl.zst").write_bytes(
        _zst(
            b'{"id": "z1", "text": "Shelling in Aleppo."}\n{"id": "z2", "text": "Clashes in Idlib."}\n'
        )
    )
    (inputs / "bomb.txt.zst").write_bytes(_zst(b" " * 3_000_000))
    _warc(inputs / "crawl.warc.gz", gz=True)  # 2 pages
    (inputs / "mediacloud.csv").write_text(
        "stories_id,title,url,text\n7,One,https://a.example/1,Fighting in Raqqa.\n",
        encoding="utf-8",
    )
    (inputs / "stories.csv").write_text(
        "stories_id,title,url\n8,Two,https://a.example/2\n", encoding="utf-8"
    )
    monkeypatch.setattr(cli_module, "make_pipeline", lambda config: pipeline)
    monkeypatch.setenv("FFTRACK_MAX_FILE_BYTES", "1000000")
    args = ["--db", str(tmp_path / "x.db"), "ingest", str(inputs), "--json"]
    result = CliRunner().invoke(cli_module.cli, args, catch_exceptions=False)
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert report["read"] == 5 and report["stored"]["documents"] == 5
    failed = {Path(f["source"]).name: f["reason"] for f in report["failed"]}
    assert set(failed) == {"bomb.txt.zst", "stories.csv"}
    assert "too large" in failed["bomb.txt.zst"] and "no article texts" in failed["stories.csv"]
    # a second run over the same folder stores nothing twice
    again = CliRunner().invoke(cli_module.cli, args, catch_exceptions=False)
    assert json.loads(again.output)["skipped"] == 5


def test_export_in_a_guessed_encoding_warns(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        "id,url,text\n1,https://a.example/1,Combats à Alep près de la citadelle.\n".encode("cp1252")
    )
    warnings: list[object] = []
    items = list(read_file(path, warn=warnings.append))
    assert [d.text for d in items if isinstance(d, Document)] == [
        "Combats à Alep près de la citadelle."
    ]
    assert len(warnings) == 1


@pytest.mark.parametrize("name", ["m.warc", "m.warc.gz", "m.jsonl.zst", "m.csv"])
@pytest.mark.parametrize("seed", range(8))
def test_mangled_archives_never_raise(tmp_path: Path, name: str, seed: int) -> None:
    import random

    source = tmp_path / ("src-" + name)
    if name.startswith("m.warc"):
        _warc(source, gz=name.endswith(".gz"), pages=3)
    elif name.endswith(".zst"):
        source.write_bytes(_zst(b'{"text": "Shelling in Aleppo."}\n' * 50))
    else:
        source.write_text("id,url,text\n" + "1,https://a.example/1,Shelling in Aleppo.\n" * 20)
    data = bytearray(source.read_bytes())
    rng = random.Random(seed)
    for _ in range(rng.randint(1, 12)):
        at = rng.randrange(len(data))
        data[at : at + rng.randint(1, 30)] = rng.randbytes(rng.randint(0, 30))
    path = tmp_path / name
    path.write_bytes(bytes(data))
    items = list(read_file(path))
    assert items and all(isinstance(i, Document | ReadFailure) for i in items)
    assert all(i.text.strip() for i in items if isinstance(i, Document))
