"""The bad-input corpus (tests/make_bad_inputs.py): each file handled as documented."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from fftrack.ingest import ReadFailure, iter_documents, read_file
from fftrack.records import Document


def _load_script() -> ModuleType:
    path = Path(__file__).resolve().parent / "make_bad_inputs.py"
    spec = importlib.util.spec_from_file_location("fftrack_make_bad_inputs", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bad = _load_script()


@pytest.fixture(scope="session")
def bad_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("bad")
    bad.make_bad_inputs(dest)
    return dest


@pytest.mark.parametrize("name", sorted(bad.EXPECTED))
def test_each_bad_input_as_documented(bad_dir: Path, name: str) -> None:
    expect = bad.EXPECTED[name]
    items = list(read_file(bad_dir / name))
    docs = [i for i in items if isinstance(i, Document)]
    fails = [i for i in items if isinstance(i, ReadFailure)]
    assert all(isinstance(i, Document | ReadFailure) for i in items)
    assert len(docs) == expect.documents, items
    assert len(fails) == len(expect.failures), fails
    for fail, (line, reason) in zip(fails, expect.failures, strict=True):
        assert fail.source == str(bad_dir / name)
        assert fail.line == line
        assert reason in fail.reason, fail.reason
    if expect.text is not None:
        assert any(expect.text in d.text for d in docs), [d.text[:200] for d in docs]
    for d in docs:
        assert d.text.strip() and d.id
        assert "\x00" not in d.text and "\ufeff" not in d.text


def test_good_documents_around_bad_ones_all_read(bad_dir: Path) -> None:
    items = list(iter_documents([bad_dir]))
    docs = [i for i in items if isinstance(i, Document)]
    fails = [i for i in items if isinstance(i, ReadFailure)]
    assert len(docs) == bad.GOOD_DOCUMENTS
    assert len(fails) == sum(len(e.failures) for e in bad.EXPECTED.values())
    origins = {d.origin for d in docs}
    for name in ("good_01.txt", "good_02.html"):
        assert str(bad_dir / name) in origins
    assert {f"{bad_dir / 'good_03.rss'}#1", f"{bad_dir / 'good_03.rss'}#2"} <= origins
    assert {d.id for d in docs} >= {"mixed-1", "mixed-3", "mixed-5", "g4-2"}
    # sorted, deterministic order
    again = [i.origin if isinstance(i, Document) else str(i) for i in iter_documents([bad_dir])]
    assert again == [i.origin if isinstance(i, Document) else str(i) for i in items]


def test_huge_file_refused_from_its_size(bad_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    huge = bad_dir / "huge_200mb.txt"
    assert huge.stat().st_size == bad.HUGE_BYTES

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the huge file must not be opened")

    monkeypatch.setattr(Path, "open", no_open)
    (item,) = list(read_file(huge))
    assert isinstance(item, ReadFailure)
    assert "too large" in item.reason and "209.7 MB" in item.reason


def test_script_writes_default_folder_layout(tmp_path: Path) -> None:
    written = bad.make_bad_inputs(tmp_path / "out", huge=False)
    assert "huge_200mb.txt" not in written
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(written)


def test_verify_reports_all_as_documented(bad_dir: Path) -> None:
    verdict = bad.verify(bad_dir)
    assert verdict.tried == len(bad.EXPECTED)
    assert verdict.as_documented == verdict.tried, verdict.mismatches
    assert verdict.lost == 0


def test_bad_corpus_ingested_without_loss(bad_dir: Path, tmp_path: Path) -> None:
    """Through the runner into a store (extraction stubbed): every good document stored."""
    import sqlite3

    from fftrack.config import Config
    from fftrack.records import Extraction
    from fftrack.runner import run_ingest
    from fftrack.store import Store

    class NoModel:
        config = Config()

    def extract(docs: list[Document]) -> list[tuple[Document, Extraction, None]]:
        return [(d, Extraction(document=d), None) for d in docs]

    db = tmp_path / "bad.db"
    with Store.open(db) as store:
        report = run_ingest([str(bad_dir)], store=store, pipeline=NoModel(), extract=extract)  # type: ignore[arg-type]
    assert report.read == bad.GOOD_DOCUMENTS
    assert len(report.failed) == sum(len(e.failures) for e in bad.EXPECTED.values())
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert stored == bad.GOOD_DOCUMENTS
