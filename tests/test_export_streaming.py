"""Exports stream: json and csv write the same text as before without holding the rows,
and the memory they use does not grow with the number of rows."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from collections.abc import Iterator
from typing import Any

import pytest

from fftrack.export import write_rows
from fftrack.export.csvout import _safe, flatten
from fftrack.export.jsonout import dumps


def event_row(i: int) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": f"ev{i:08d}",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "date": "2017-09-09",
        "date_start": "2017-09-09",
        "date_end": "2017-09-09",
        "place": {"name": "Raqqa", "lat": 35.95 + i * 1e-6, "lon": 39.01, "country": "SY"},
        "actors": [{"name": "IS", "normalized": "Islamic State"}],
        "fatalities": {"value": i % 40, "qualifier": "exact"},
        "confidence": 0.8,
        "extractor": "events.v9",
        "flag": i % 2 == 0,
        "sources": [{"document_id": f"d{i}", "sentence": "=SUM(A1) \u2028 clashed", "url": None}],
    }
    if i % 3 == 0:  # a column only some rows have, first seen after the first row
        row["claimed_by"] = "Islamic State"
    return row


def rows(n: int) -> Iterator[dict[str, Any]]:
    return (event_row(i) for i in range(n))


def csv_in_memory(items: list[dict[str, Any]], kind: str) -> str:
    """The CSV as it was written before it streamed: every row flattened in memory."""
    flat = [flatten(r, kind) for r in items]
    columns: dict[str, None] = {}
    for r in flat:
        for k in r:
            columns.setdefault(k, None)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\r\n")
    w.writeheader()
    for r in flat:
        w.writerow({k: _safe(r.get(k)) for k in columns})
    return buf.getvalue()


@pytest.mark.parametrize("n", [0, 1, 7])
def test_same_text_as_in_memory(n: int) -> None:
    items = list(rows(n))
    buf = io.StringIO()
    assert write_rows(iter(items), "json", buf, "events") == n
    assert buf.getvalue() == dumps(items, indent=2) + "\n"
    assert json.loads(buf.getvalue()) == json.loads(json.dumps(items))
    buf = io.StringIO()
    assert write_rows(iter(items), "csv", buf, "events") == n
    assert buf.getvalue() == csv_in_memory(items, "events")
    if n:
        header = next(csv.reader(io.StringIO(buf.getvalue())))
        assert "claimed_by" in header and "fatalities" in header


def _peak(fmt: str, n: int) -> int:
    out = io.StringIO()
    tracemalloc.start()
    try:
        write_rows(rows(n), fmt, _Discard(out), "events")
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


class _Discard(io.TextIOBase):
    """A text stream that counts what it is given and keeps none of it."""

    def __init__(self, _: Any) -> None:
        self.chars = 0

    def write(self, s: str) -> int:
        self.chars += len(s)
        return len(s)


@pytest.mark.parametrize("fmt", ["json", "csv", "jsonl", "geojson", "kml"])
def test_memory_flat(fmt: str) -> None:
    small, large = _peak(fmt, 200), _peak(fmt, 2000)
    # ten times the rows, not ten times the memory (holding them would be ~10x)
    assert large < 2 * small + 256 * 1024, (small, large)
