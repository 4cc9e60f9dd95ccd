"""Property tests over the readers: any bytes in, only Document or ReadFailure out."""

from __future__ import annotations

import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fftrack.ingest import ReadFailure, read_bytes
from fftrack.ingest.dispatch import read_stdin
from fftrack.records import Document

KINDS = [None, ".txt", ".md", ".html", ".xml", ".rss", ".jsonl", ".json", ".bin"]
FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)

# fragments that steer random input toward each reader's interesting paths
FRAGMENTS = [
    "<?xml version='1.0'?>",
    "<rss version='2.0'><channel><title>T</title>",
    "<item><title>x</title><description>",
    "</description></item></channel></rss>",
    "<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>a</title>",
    "</entry></feed>",
    "<!DOCTYPE x [<!ENTITY a 'aaaa'>]>",
    "&a;",
    "<!doctype html><html><head><title>",
    "</title></head><body><p>",
    "</p></body></html>",
    "<div>",
    "</div>",
    '{"text": "',
    '", "id": 1}',
    '{"published": "2017-13-99", "text": "x"}',
    "\n",
    "Title: T\nPublished: 2017-06-04\n\n",
    "Raqqa",
    "\x00",
    "\ufeff",
    "\u2028",
    "&#0;&#xD800;&amp;",
]


def _check(items: list[object]) -> None:
    for item in items:
        assert isinstance(item, Document | ReadFailure), type(item)
        if isinstance(item, Document):
            assert isinstance(item.text, str) and item.text.strip()
            assert isinstance(item.id, str) and item.id
            assert "\x00" not in item.text
            # everything a reader gives can be written out as UTF-8 (no lone surrogates)
            for value in (item.text, item.title, item.source, item.url, item.origin, item.id):
                if value is not None:
                    value.encode("utf-8")
        else:
            assert isinstance(item.reason, str) and item.reason
            assert item.line is None or item.line >= 1


@FUZZ
@given(data=st.binary(max_size=2048), kind=st.sampled_from(KINDS))
def test_any_bytes(data: bytes, kind: str | None) -> None:
    _check(list(read_bytes(data, "fuzz", kind=kind)))


@FUZZ
@given(
    parts=st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), max_size=25),
    kind=st.sampled_from(KINDS),
    encoding=st.sampled_from(["utf-8", "utf-16", "cp1252", "utf-8-sig"]),
)
def test_structured_text(parts: list[str], kind: str | None, encoding: str) -> None:
    data = "".join(parts).encode(encoding, errors="replace")
    _check(list(read_bytes(data, "fuzz", kind=kind)))


@FUZZ
@given(
    records=st.lists(
        st.one_of(
            st.dictionaries(
                st.sampled_from(["id", "text", "title", "url", "published", "source", "language"]),
                st.one_of(st.none(), st.integers(), st.text(max_size=30), st.booleans()),
                max_size=7,
            ),
            st.text(max_size=30),
            st.sampled_from(
                [
                    '{"text": "a\\ud800b", "title": "\\udc00", "id": "\\ud800", "source": "\\udfff"}',
                    '{"text": "\\u0000\\ud800", "url": "\\ud83d"}',
                    '{"text": ' + "[" * 5000 + "]" * 5000 + "}",
                ]
            ),
        ),
        max_size=8,
    )
)
def test_jsonl_records(records: list[object]) -> None:
    data = "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records).encode()
    items = list(read_bytes(data, "fuzz.jsonl", kind=".jsonl"))
    _check(items)
    for item in items:
        if isinstance(item, ReadFailure):
            # whole-file failures only for files that are not JSON Lines at all
            assert item.line is not None or item.reason.startswith(("empty", "binary file"))


@FUZZ
@given(text=st.text(max_size=500))
def test_stdin_any_text(text: str) -> None:
    _check(list(read_stdin(io.StringIO(text))))


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=1024),
        st.lists(st.sampled_from(FRAGMENTS), max_size=20).map(lambda p: "".join(p).encode()),
    ),
    ctype=st.sampled_from(
        [
            "text/html",
            "application/rss+xml",
            "text/plain",
            "application/json",
            "application/x-ndjson",
            "",
        ]
    ),
)
def test_fetched_bodies(data: bytes, ctype: str) -> None:
    """A fetched body gives documents and failures (never none) or the project's
    FetchError, nothing else."""
    from fftrack.errors import FetchError
    from fftrack.ingest.fetch import _documents

    try:
        items = _documents(data, "http://example.org/x", ctype, None)
    except FetchError as exc:
        assert "\n" not in str(exc)
        return
    assert items
    for item in items:
        if isinstance(item, ReadFailure):
            assert item.source == "http://example.org/x" and "\n" not in str(item)
        else:
            assert isinstance(item, Document) and item.url


@FUZZ
@given(
    data=st.binary(max_size=1024),
    cut=st.integers(min_value=0, max_value=2000),
    kind=st.sampled_from([None, ".gz", ".jsonl", ".txt"]),
)
def test_gzip_any_payload_and_truncation(data: bytes, cut: int, kind: str | None) -> None:
    import gzip

    packed = gzip.compress(data, mtime=0)
    _check(list(read_bytes(packed[:cut], "fuzz.gz", kind=kind, max_bytes=512)))
