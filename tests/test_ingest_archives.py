"""Inputs at archive scale: .zst files."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
import zstandard

from fftrack.ingest import ReadFailure, read_file
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
