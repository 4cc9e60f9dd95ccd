"""A text file's header values that cannot be read (issue 15 item 2).

A ``Published:`` line that names no day is a warning in the ingest summary, with the
file and line; the document is stored without a publication date, never with one taken
from the clock. No language model: the pipeline is the stand-in of test_hostile_ingest.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_hostile_ingest import _cli

from fftrack.ingest import iter_documents
from fftrack.ingest.base import ReadWarning, parse_date
from fftrack.records import Document
from fftrack.store import StoreReader

BODY = "Fighters left Raqqa yesterday for the Euphrates valley, officials said."


def _write(path: Path, published: str) -> Path:
    path.write_text(
        f"Title: Convoy leaves Raqqa\nSource: Example Gazette\nPublished: {published}\n\n{BODY}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("value", ["2017-13-45", "2017-02-30", "tomorrow", "3 days ago"])
def test_bad_published_header_is_a_warning_and_no_date(tmp_path: Path, value: str) -> None:
    src = _write(tmp_path / "bad.txt", value)
    warnings: list[ReadWarning] = []
    (doc,) = list(iter_documents([src], warn=warnings.append))
    assert isinstance(doc, Document)
    assert doc.published is None and doc.text == BODY and doc.title == "Convoy leaves Raqqa"
    (w,) = warnings
    assert (w.source, w.line) == (str(src), 3)
    assert "Published" in w.reason and value in w.reason


def test_good_published_header_gives_no_warning(tmp_path: Path) -> None:
    src = _write(tmp_path / "good.txt", "4 June 2017")
    warnings: list[ReadWarning] = []
    (doc,) = list(iter_documents([src], warn=warnings.append))
    assert isinstance(doc, Document) and str(doc.published) == "2017-06-04" and not warnings


def test_relative_dates_are_not_publication_dates() -> None:
    for value in ("tomorrow", "next week", "3 days ago", "yesterday"):
        assert parse_date(value) is None, value
    assert str(parse_date("June 2017")) == "2017-06-01"


def test_bad_header_in_the_cli_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _write(tmp_path / "bad.txt", "2017-13-45")
    db = tmp_path / "s.db"
    res = _cli(["--db", str(db), "ingest", str(src)], monkeypatch)
    assert res.exit_code == 0, res.output
    assert "warnings: 1" in res.output
    assert f"{src}:3: unreadable Published date '2017-13-45'" in res.output
    with StoreReader(db) as r:
        (d,) = r.documents()
    assert d["published"] is None
    res = _cli(["--db", str(tmp_path / "j.db"), "ingest", "--json", str(src)], monkeypatch)
    report = json.loads(res.output)
    assert report["warnings"] == [
        {
            "source": str(src),
            "line": 3,
            "reason": "unreadable Published date '2017-13-45': the document is stored without one",
        }
    ]
