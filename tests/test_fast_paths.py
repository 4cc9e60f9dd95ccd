"""Work done once instead of many times gives what the plain computation gives.

The extract stage keeps some per-document results (an actor scan the geoparser and the
extractors both read) and computes some figures in fewer steps (the distance to the
nearest anchor); each test here holds the quick path to the plain one.
"""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from fftrack.extract.actors import find_actors
from fftrack.geo.gazetteer import Entry
from fftrack.geo.resolve import _nearest_km, _points
from fftrack.geodesy import haversine_km
from fftrack.records import Document, Place, Span

_lat = st.floats(min_value=-90, max_value=90, allow_nan=False)
_lon = st.floats(min_value=-180, max_value=180, allow_nan=False)


def _entry(i: int, lat: float, lon: float) -> Entry:
    return Entry(i, f"p{i}", lat, lon, "SY", "", "P.PPL", 0)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.tuples(_lat, _lon), st.lists(st.tuples(_lat, _lon), max_size=8), st.booleans())
def test_nearest_anchor_is_the_nearest_by_haversine(
    point: tuple[float, float], others: list[tuple[float, float]], self_anchor: bool
) -> None:
    e = _entry(0, *point)
    anchors = [_entry(i + 1, lat, lon) for i, (lat, lon) in enumerate(others)]
    if self_anchor:
        anchors.append(e)  # another name of the text resolved to the same place: 0 km
    ds = [0.0 if a.id == e.id else haversine_km(e.lat, e.lon, a.lat, a.lon) for a in anchors]
    got = _nearest_km(e, _points(anchors))
    assert got == (min(ds) if ds else None)  # the same figure, to the last bit
    assert got is None or not math.isnan(got)


TEXT = (
    "Government forces and Russian warplanes struck Idlib on Monday. The coalition "
    "said a group of British fighters and some 40 French-speaking jihadists had left Raqqa."
)


def test_actors_read_twice_are_the_actors_read_once(nlp) -> None:
    """The geoparser reads a doc's actors without places, the extractors with them: the
    second read, from what the first kept, is what a fresh read gives."""
    document = Document(id="d1", text=TEXT)
    at = TEXT.index("Idlib")
    places = [
        Place(
            name="Idlib",
            span=Span("d1", at, at + 5, 0, TEXT.index(".") + 1),
            lat=35.93,
            lon=36.63,
            country="SY",
            geonameid=1,
            precision=3,
        )
    ]
    shared = nlp(TEXT)
    first = find_actors(shared, document)
    again = find_actors(shared, document, places)
    assert first == find_actors(nlp(TEXT), document)
    assert again == find_actors(nlp(TEXT), document, places)
    # the places still tell: "government forces" in Syria are the Syrian army
    assert [a.normalized for a in first][0] is None
    assert [a.normalized for a in again][0] == "Syrian Arab Army"


YEMEN_TEXT = "Coalition warplanes struck Zabid on Monday. British coalition forces left Zabid."


def test_a_coalition_read_before_the_places_is_the_saudi_led_one_in_yemen(nlp) -> None:
    """Places in Yemen, no Yemeni word in the text: the geoparser's read (no places) keeps
    the US-led coalition, the extractors' read of the same scan the Saudi-led one, with the
    nationality a described group gave it ("British coalition forces")."""
    document = Document(id="d2", text=YEMEN_TEXT)
    places = [
        Place(
            name="Zabid",
            span=Span("d2", at, at + 5, 0, len(YEMEN_TEXT)),
            lat=14.2,
            lon=43.3,
            country="YE",
            geonameid=2,
            precision=3,
        )
        for at in (YEMEN_TEXT.index("Zabid"), YEMEN_TEXT.rindex("Zabid"))
    ]
    shared = nlp(YEMEN_TEXT)
    first = find_actors(shared, document)
    again = find_actors(shared, document, places)
    assert again == find_actors(nlp(YEMEN_TEXT), document, places)
    coalitions = [a for a in first if a.kind == "coalition"]
    assert [a.normalized for a in coalitions] == ["Global Coalition against Daesh"] * 2
    read = [(a.name, a.normalized, a.country) for a in again if a.kind == "coalition"]
    assert read == [
        ("Coalition warplanes", "Saudi-led coalition", "SA"),
        ("British coalition forces", "Saudi-led coalition", "GB"),
    ]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet=st.sampled_from("abc 12\u00b2\u0663x\u00e9 five dozen"), max_size=30))
def test_number_gate_is_the_plain_one(text: str) -> None:
    """The quick test before the quantity patterns says what the character-by-character
    one said: a digit (``str.isdigit``, superscripts and Arabic-Indic digits too) or a
    number word."""
    from fftrack.extract.quantities import _CHEAP_WORDS, _WORD_RE, _may_hold_number

    plain = any(ch.isdigit() for ch in text) or not _CHEAP_WORDS.isdisjoint(
        _WORD_RE.findall(text.lower())
    )
    assert _may_hold_number(text) == plain


def test_sentences_and_entities_read_once_are_spacys(nlp) -> None:
    from fftrack.nlp.docview import doc_ents, doc_sents

    doc = nlp(TEXT)
    assert [(s.start, s.end) for s in doc_sents(doc)] == [(s.start, s.end) for s in doc.sents]
    assert doc_sents(doc) is doc_sents(doc)
    assert [(e.start, e.end, e.label_) for e in doc_ents(doc)] == [
        (e.start, e.end, e.label_) for e in doc.ents
    ]


def test_tokens_read_once_are_the_docs(nlp) -> None:
    from fftrack.nlp.docview import doc_tokens

    doc = nlp(TEXT)
    toks = doc_tokens(doc)
    assert toks is doc_tokens(doc)
    assert [(t.i, t.text, t.idx, t.lower_) for t in toks] == [
        (t.i, t.text, t.idx, t.lower_) for t in doc
    ]


def test_actor_table_read_by_libyaml_is_the_pure_python_read() -> None:
    """The curated actor table parsed by libyaml (where PyYAML has it) is the table
    PyYAML's own safe loader reads."""
    from importlib import resources

    import yaml

    from fftrack.extract.actors import load_table

    text = resources.files("fftrack").joinpath("data/actors.yaml").read_text("utf-8")
    plain = yaml.safe_load(text)["actors"]
    table = load_table()
    assert [e.name for e in table] == [str(item["name"]) for item in plain]
    assert [e.aliases[1:] for e in table] == [
        tuple(str(a) for a in item.get("aliases") or ()) for item in plain
    ]
    assert [(e.kind, e.country, e.acled) for e in table] == [
        (str(item.get("kind") or "group"), item.get("country"), item.get("acled")) for item in plain
    ]
