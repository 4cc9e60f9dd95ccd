"""Property tests: any filter value is either refused with UsageError or answered safely
(parameters are always bound, never spliced into SQL); any text round-trips."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_store_basic import make_extraction_a, make_extraction_b

from fftrack.errors import UsageError
from fftrack.export import write_rows
from fftrack.records import Document, Extraction, Figure, Quantity, Span
from fftrack.store import Query, Store, StoreReader

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("fuzz") / "f.db"
    with Store.open(path) as s:
        s.write([make_extraction_a(), make_extraction_b()])
    with StoreReader(path) as r:
        yield r


@SETTINGS
@given(
    place=st.one_of(st.none(), st.text(max_size=30)),
    actor=st.one_of(st.none(), st.text(max_size=30)),
    type_=st.one_of(st.none(), st.text(max_size=30)),
    country=st.one_of(st.none(), st.text(max_size=3)),
    kind=st.sampled_from(["events", "movements", "figures", "actors", "places"]),
)
def test_any_filter_is_safe(reader: StoreReader, place, actor, type_, country, kind) -> None:
    try:
        q = Query(place=place, actor=actor, type=type_, country=country).validate()
        rows = reader.select(kind, q)
    except UsageError:
        return
    assert reader.count(kind, q) == len(rows)
    assert len(rows) <= reader.count(kind, Query())


@SETTINGS
@given(
    since=st.one_of(st.none(), st.text(max_size=12)),
    until=st.one_of(st.none(), st.text(max_size=12)),
    bbox=st.one_of(st.none(), st.text(max_size=30)),
    limit=st.one_of(st.none(), st.text(max_size=4)),
)
def test_parse_never_crashes(since, until, bbox, limit) -> None:
    try:
        Query.parse(since=since, until=until, bbox=bbox, limit=limit)
    except UsageError as exc:
        assert "\n" not in str(exc)


@settings(max_examples=30, deadline=None)
@given(subject=st.text(min_size=1, max_size=40), prefix=st.text(max_size=20))
def test_any_text_round_trips(tmp_path_factory: pytest.TempPathFactory, subject, prefix) -> None:
    path = tmp_path_factory.mktemp("rt") / "t.db"
    text = prefix + subject + " ."
    doc = Document(id="x", text=text, published=date(2019, 3, 1))
    start = len(prefix)
    fig = Figure(
        subject=subject,
        value=Quantity(7),
        span=Span("x", start, start + len(subject), 0, len(text)),
    )
    with Store.open(path) as s:
        s.write([Extraction(document=doc, figures=(fig,))])
    with StoreReader(path) as r:
        (row,) = r.figures(Query())

    def clean(t: str) -> str:
        return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in t)

    assert row["subject"] == clean(subject)
    src = row["sources"][0]
    assert src["sentence"] == clean(text)
    assert src["sentence"][
        src["start"] - src["sentence_start"] : src["end"] - src["sentence_start"]
    ] == clean(subject)
    for fmt in ("json", "jsonl", "csv"):
        buf = io.StringIO()
        write_rows([row], fmt, buf, "figures")
        if fmt == "csv":
            (got,) = list(csv.DictReader(io.StringIO(buf.getvalue())))
            assert got["value"] == "7"
        else:
            assert json.loads(buf.getvalue().splitlines()[0] if fmt == "jsonl" else buf.getvalue())
