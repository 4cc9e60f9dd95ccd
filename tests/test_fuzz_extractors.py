"""Property tests over the extractors: any text in, only fftrack's own errors out, and
every record's span inside the text.

Two kinds of text: arbitrary unicode (control characters, lone surrogates, RTL marks,
combining characters) and "conflict-like" text built from the words extractors react to
(numbers with qualifiers, places, groups, movement verbs, dates) in random orders and
with odd whitespace, so that the extractors' deeper paths actually run.

FFTRACK_FUZZ_EXAMPLES sets the number of examples per test (default 100).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fftrack.errors import FftrackError
from fftrack.records import Document, Extraction, Span

EXAMPLES = int(os.environ.get("FFTRACK_FUZZ_EXAMPLES", "100"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=os.environ.get("FFTRACK_FUZZ_RANDOM") != "1",
)

WORDS = (
    "more than",
    "roughly",
    "about",
    "at least",
    "fewer than",
    "up to",
    "some",
    "nearly",
    "800",
    "40,000",
    "1.5 million",
    "27,000-31,000",
    "three",
    "dozens of",
    "hundreds",
    "foreign fighters",
    "fighters",
    "women",
    "children",
    "returnees",
    "civilians",
    "people",
    "from",
    "to",
    "via",
    "in",
    "near",
    "outside",
    "the",
    "of",
    "and",
    "by",
    "on",
    "Britain",
    "France",
    "Syria",
    "Iraq",
    "Raqqa",
    "Mosul",
    "Aleppo",
    "Turkey",
    "Idlib",
    "Deir ez-Zor",
    "Kabul",
    "Mogadishu",
    "Sirte",
    "Gaziantep",
    "Paris",
    "London",
    "Islamic State",
    "ISIS",
    "ISIL",
    "Daesh",
    "al-Shabaab",
    "Boko Haram",
    "the Taliban",
    "government forces",
    "rebels",
    "militants",
    "police",
    "protesters",
    "killed",
    "wounded",
    "attacked",
    "bombed",
    "shelled",
    "clashed",
    "fled",
    "travelled",
    "returned",
    "crossed",
    "were transferred",
    "arrived",
    "joined",
    "protested",
    "abducted",
    "air strike",
    "car bomb",
    "suicide bombing",
    "ambush",
    "clashes",
    "riot",
    "On",
    "Monday",
    "last week",
    "in March 2017",
    "3 June 2016",
    "2015",
    "since 2014",
    "summer 2018",
    "according to",
    "ICSR",
    "officials said",
    "the report said",
    ".",
    ",",
    ";",
    ":",
    "(",
    ")",
    '"',
    "'",
    "-",
    "—",
    "–",
    "?",
    "!",
    "%",
    "$",
    "/",
    "\n",
    "\n\n",
    "\t",
    "\u00a0",
    "\u200b",
    "\u200f",
    "\u202e",
    "\ufeff",
    "\r\n",
    "الرقة",
    "داعش",
    "قتل",
    "Алеппо",
    "🙂",
    "e\u0301",
    "ﬁ",
    "Ⅻ",
    "١٢٣",
    "½",
)

conflict_text = st.lists(st.sampled_from(WORDS), min_size=0, max_size=60).flatmap(
    lambda words: st.lists(
        st.sampled_from(("", " ", " ", " ", "  ", "\n")), min_size=len(words), max_size=len(words)
    ).map(lambda seps: "".join(w + s for w, s in zip(words, seps, strict=True)))
)

any_text = st.text(
    alphabet=st.characters(exclude_categories=("Cs",)),
    max_size=400,
)
# a JSON line with "\\ud800" decodes to a str holding a lone surrogate
with_surrogate = st.tuples(
    conflict_text, st.sampled_from(("\ud800", "\udfff", "\udc80\udc81")), conflict_text
).map("".join)


def _spans(ex: Extraction) -> list[tuple[str, Span, Any]]:
    out: list[tuple[str, Span, Any]] = []
    for p in ex.places:
        out.append(("place", p.span, p))
    for a in ex.actors:
        out.append(("actor", a.span, a))
    for e in ex.events:
        out.append(("event", e.span, e))
        if e.place is not None:
            out.append(("event.place", e.place.span, e.place))
        for a in e.actors:
            out.append(("event.actor", a.span, a))
    for m in ex.movements:
        out.append(("movement", m.span, m))
        if m.actor is not None:
            out.append(("movement.actor", m.actor.span, m.actor))
        for label, p in (("origin", m.origin), ("destination", m.destination)):
            if p is not None:
                out.append((f"movement.{label}", p.span, p))
        for p in m.via:
            out.append(("movement.via", p.span, p))
    for f in ex.figures:
        out.append(("figure", f.span, f))
    return out


def check_extraction(document: Document, ex: Extraction) -> None:
    text = document.text
    n = len(text)
    assert ex.document.id == document.id
    for label, span, rec in _spans(ex):
        where = f"{label} {rec!r} in {text!r}"
        assert span.document_id == document.id, where
        assert 0 <= span.start <= span.end <= n, where
        assert 0 <= span.sentence_start <= span.start, where
        assert span.end <= span.sentence_end <= n, where
        assert 0.0 <= rec.confidence <= 1.0, where
        assert isinstance(rec.extractor, str) and rec.extractor, where
        if label.endswith(("place", "origin", "destination", "via")) or label.endswith("actor"):
            # names are "as written": the span's own text
            assert rec.name == text[span.start : span.end], where


def _doc_id(i: int, text: str) -> str:
    # the text may hold lone surrogates (JSON "\\ud800" decodes to one): hash them as they are
    return f"fuzz-{i}-" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def run_and_check(pipeline: Any, texts: list[str]) -> None:
    docs = [Document(id=_doc_id(i, t), text=t) for i, t in enumerate(texts)]
    results = list(pipeline.process_safe(docs))
    assert [d.id for d, _, _ in results] == [d.id for d in docs]
    for document, ex, err in results:
        if err is not None:
            assert isinstance(err, FftrackError), (
                f"{type(err).__name__}: {err} on {document.text!r}"
            )
            continue
        assert ex is not None
        check_extraction(document, ex)


@SETTINGS
@given(text=conflict_text)
def test_conflict_like_text(pipeline: Any, text: str) -> None:
    run_and_check(pipeline, [text])


@SETTINGS
@given(text=any_text)
def test_any_unicode_text(pipeline: Any, text: str) -> None:
    run_and_check(pipeline, [text])


@settings(SETTINGS, max_examples=max(10, EXAMPLES // 5))
@given(text=with_surrogate)
def test_text_with_lone_surrogates(pipeline: Any, text: str) -> None:
    run_and_check(pipeline, [text])


@settings(SETTINGS, max_examples=max(10, EXAMPLES // 5))
@given(texts=st.lists(conflict_text | any_text, min_size=2, max_size=5))
def test_batches_keep_order_and_spans(pipeline: Any, texts: list[str]) -> None:
    run_and_check(pipeline, texts)


def test_extraction_of_plain_report(pipeline: Any) -> None:
    """A sanity check that the property tests' checker sees records at all."""
    text = (
        "More than 800 foreign fighters from Britain travelled to Raqqa in 2015. "
        "On 3 June 2016, Islamic State militants attacked Mosul, killing 12 civilians."
    )
    doc = Document(id="plain", text=text)
    [(_, ex, err)] = list(pipeline.process_safe([doc]))
    assert err is None and ex is not None
    check_extraction(doc, ex)
    assert len(_spans(ex)) >= 3


def test_jsonl_with_lone_surrogate_is_stored(tmp_path: Path) -> None:
    """End to end: a JSON line escaping a lone surrogate is extracted and stored, not lost."""
    from helpers_robust import per_document_counts, run_cli

    src = tmp_path / "s.jsonl"
    src.write_text(
        '{"id": "s1", "text": "Fighters fled Raqqa \\ud800 for Mosul in June 2017."}\n'
        '{"id": "s2", "text": "Shelling hit Homs on Monday."}\n',
        encoding="utf-8",
    )
    db = tmp_path / "s.db"
    res = run_cli("--db", str(db), "ingest", str(src))
    assert res.returncode == 0, res.stdout + res.stderr
    assert set(per_document_counts(db)) == {"s1", "s2"}
