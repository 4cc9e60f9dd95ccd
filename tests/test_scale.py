"""Scale-out through Dask gives the same records as the in-process pipeline."""

from __future__ import annotations

from fftrack.config import Config
from fftrack.records import Document
from fftrack.scale import DaskExtractor, partitions

DOCS = [
    Document(id=f"d{i}", text=t)
    for i, t in enumerate(
        [
            "An air strike on Raqqa killed 12 civilians on Sunday.",
            "Foreign fighters fled toward al-Mayadin.",
            "Protesters gathered in Baghdad.",
            "Roughly 40,000 foreign fighters joined ISIS.",
            "Shelling hit Idlib.",
        ]
    )
]


def test_partitions_keep_order_and_cover_all():
    parts = partitions(DOCS, 3)
    assert [d for p in parts for d in p] == DOCS
    assert len(parts) == 3 and all(parts)
    assert partitions(DOCS[:1], 4) == [DOCS[:1]]


def test_dask_matches_in_process(pipeline):
    expected = {d.id: x.to_dict() for d, x, _ in pipeline.process_safe(DOCS)}
    with DaskExtractor(Config(), workers=2) as extractor:
        got = {d.id: x.to_dict() for d, x, _ in extractor(DOCS)}
    assert got == expected


def test_forked_workers_match_in_process(pipeline):
    from fftrack.scale.local import LocalPool, can_fork

    if not can_fork():
        import pytest

        pytest.skip("no fork start method here")
    expected = {d.id: x.to_dict() for d, x, _ in pipeline.process_safe(DOCS)}
    with LocalPool(pipeline, workers=2) as pool:
        later = pool.submit(DOCS[:2])  # two batches in flight, read back in order
        rest = pool.submit(DOCS[2:])
        got = [(d.id, x.to_dict()) for d, x, _ in (*later(), *rest())]
    assert [i for i, _ in got] == [d.id for d in DOCS]
    assert dict(got) == expected


def test_a_failure_in_a_worker_is_that_document_only(pipeline, monkeypatch):
    from fftrack.scale.local import LocalPool, WorkerError, can_fork

    if not can_fork():
        import pytest

        pytest.skip("no fork start method here")
    original = pipeline.extract_doc

    def flaky(document, sdoc):
        if document.id == "d2":
            raise RuntimeError("extractor bug")
        return original(document, sdoc)

    monkeypatch.setattr(pipeline, "extract_doc", flaky)  # the workers inherit it
    with LocalPool(pipeline, workers=2) as pool:
        out = list(pool(DOCS))
    failed = [(d.id, str(e)) for d, x, e in out if x is None]
    assert failed == [("d2", "extractor bug")]
    assert all(isinstance(e, WorkerError) for d, x, e in out if x is None)


def test_killed_ingest_with_workers_leaves_no_process_and_resumes(tmp_path):
    """SIGKILL of `fftrack ingest --workers 2` mid-run: no worker outlives it, and a
    re-run completes the store without duplicates."""
    from helpers_robust import (
        duplicate_ids,
        kill_ingest_at,
        make_corpus,
        run_cli,
        stored_documents,
        write_jsonl,
    )

    docs = make_corpus(40)
    src = write_jsonl(tmp_path / "in.jsonl", docs)
    db = tmp_path / "s.db"
    result = kill_ingest_at(db, [str(src)], after_documents=4, batch_size=4, workers=2)
    assert result.leftover == 0
    done = run_cli("--db", str(db), "ingest", "--workers", "2", str(src))
    assert done.returncode == 0, done.stderr
    assert stored_documents(db) == len({d["text"] for d in docs})
    assert duplicate_ids(db) == 0
