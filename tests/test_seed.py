"""Issue #2's acceptance test: the seed article through the real pipeline.

Reads ``../shared/seeds/000_8e8edac8aa0bf6db.txt`` beside the checkout (or under
``$FFTRACK_EVAL_DIR/../seeds``) and skips cleanly where it is absent.
"""

from __future__ import annotations

import math
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from fftrack.records import Document, Extraction

SEED = "000_8e8edac8aa0bf6db.txt"


def seed_path() -> Path:
    env = os.environ.get("FFTRACK_EVAL_DIR")
    if env:
        return Path(env) / ".." / "seeds" / SEED
    return Path(__file__).resolve().parents[1] / ".." / "shared" / "seeds" / SEED


TRUE_COORDS = {
    "Raqqa": (35.9528, 39.0079, ("Raqqa",)),
    "Deir ez-Zor": (35.3359, 40.1408, ("Deir",)),
    "al-Mayadin": (35.0198, 40.4517, ("Mayadin",)),
    "Abu Kamal": (34.4523, 40.9186, ("Bukamal", "Kamal")),
    "Idlib": (35.9306, 36.6339, ("Idlib",)),
}


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def extraction() -> Extraction:
    path = seed_path()
    if not path.is_file():
        pytest.skip(f"seed article not found at {path}")
    try:
        from fftrack.pipeline import Pipeline

        pipeline = Pipeline()
    except Exception as exc:  # the model or the gazetteer is not installed here
        pytest.skip(f"pipeline unavailable: {exc}")
    text = path.read_text(encoding="utf-8")
    doc = Document(id="seed-000", text=text, published=date(2017, 10, 1), source="seed")
    return next(iter(pipeline.process([doc])))


def _has(name: str, keys: tuple[str, ...]) -> bool:
    return any(k.lower() in name.lower() for k in keys)


def test_spans_inside_text(extraction: Extraction) -> None:
    n = len(extraction.document.text)
    for group in (extraction.actors, extraction.events, extraction.movements, extraction.figures):
        for rec in group:
            assert 0 <= rec.span.start <= rec.span.end <= n


@pytest.mark.parametrize("place", sorted(TRUE_COORDS))
def test_places_within_25km(extraction: Extraction, place: str) -> None:
    lat, lon, keys = TRUE_COORDS[place]
    found = [p for p in extraction.places if _has(p.name, keys)]
    assert found, f"{place} not recognised"
    resolved = [p for p in found if p.resolved]
    if not resolved:
        pytest.xfail(f"{place} recognised but not resolved (geo not wired yet?)")
    assert any(
        km(lat, lon, p.lat, p.lon) <= 25
        for p in resolved
        if p.lat is not None and p.lon is not None
    )


def _movement_to(extraction: Extraction, keys: tuple[str, ...]) -> list[Any]:
    return [
        m
        for m in extraction.movements
        if m.destination is not None and _has(m.destination.name, keys)
    ]


def test_british_fighters_to_al_mayadin(extraction: Extraction) -> None:
    moves = _movement_to(extraction, ("Mayadin",))
    assert moves
    actor = moves[0].actor
    assert actor is not None and "british fighters" in actor.name.lower()
    assert actor.country == "GB"
    # both ends: the origin comes from the earlier sentence (the noose around Raqqa)
    assert moves[0].origin is not None and _has(moves[0].origin.name, ("Raqqa",))


def test_foreign_fighters_to_abu_kamal(extraction: Extraction) -> None:
    moves = _movement_to(extraction, ("Bukamal", "Kamal"))
    assert moves
    actor = moves[0].actor
    assert actor is not None
    assert actor.normalized == "foreign fighters" or "foreign" in actor.name.lower()
    assert moves[0].origin is not None and _has(moves[0].origin.name, ("Raqqa",))


def test_figures(extraction: Extraction) -> None:
    figs = {f.value.value: f for f in extraction.figures}
    assert 40000 in figs and figs[40000].value.qualifier == "about"
    assert figs[40000].category == "fighters"
    assert 800 in figs and figs[800].value.qualifier == "more_than"
    assert figs[800].origin == "GB"


def _event_at(extraction: Extraction, key: str) -> Any:
    evs = [e for e in extraction.events if e.place is not None and key in e.place.name]
    assert evs, (
        f"no event located at {key}: {[e.place and e.place.name for e in extraction.events]}"
    )
    return evs[0]


def test_westminster(extraction: Extraction) -> None:
    ev = _event_at(extraction, "Westminster")
    assert ev.fatalities is not None and (ev.fatalities.value, ev.fatalities.qualifier) == (
        4,
        "exact",
    )
    assert ev.injured is not None and (ev.injured.value, ev.injured.qualifier) == (50, "more_than")
    assert ev.date is not None and (ev.date.iso, ev.date.precision) == ("2017-03", "month")


def test_manchester(extraction: Extraction) -> None:
    ev = _event_at(extraction, "Manchester")
    assert ev.fatalities is not None and ev.fatalities.value == 22
    assert ev.date is not None and (ev.date.iso, ev.date.precision) == ("2017", "year")
    assert ev.event_type == "Explosions/Remote violence" and ev.sub_event_type == "Suicide bomb"


def test_london_bridge(extraction: Extraction) -> None:
    ev = _event_at(extraction, "London Bridge")
    assert ev.fatalities is not None and ev.fatalities.value == 8
    assert ev.injured is not None and (ev.injured.value, ev.injured.qualifier) == (40, "more_than")
    assert ev.date is not None and (ev.date.iso, ev.date.precision) == ("2017-06", "month")


def test_deir_ez_zor_siege_french_speaking(extraction: Extraction) -> None:
    ev = _event_at(extraction, "Deir")
    assert any(a.language == "fr" and "French-speaking" in a.name for a in ev.actors)
