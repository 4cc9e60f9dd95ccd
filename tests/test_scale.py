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
